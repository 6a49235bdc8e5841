//! What one line of the table says about one finding: its status label, the
//! resource's short name, and the failed fields with expected and observed.
//! Full ARNs stay in the machine formats; the table names resources briefly.

use crate::compare::{Check, Finding, Status};
use serde_json::Value as Json;

/// The status as the table's first column shows it; with a baseline, drift says
/// whether it is new or known ("DRIFT new").
pub fn status_label(status: Status, mark: Option<&str>) -> String {
    let base = match status {
        Status::Pass => "PASS",
        Status::Drift => "DRIFT",
        Status::Unknown => "UNKNOWN",
        Status::NotApplicable => "N/A",
        Status::Waived => "WAIVED",
    };
    match mark {
        Some(m) => format!("{base} {m}"),
        None => base.to_string(),
    }
}

/// The resource part of an ARN (what follows the fifth `:`); an id that is not an
/// ARN (a Route 53 record, a VPC peering pair) is returned whole.
pub fn resource_part(id: &str) -> &str {
    if !id.starts_with("arn:") {
        return id;
    }
    id.splitn(6, ':').nth(5).filter(|p| !p.is_empty()).unwrap_or(id)
}

/// A short name for a resource id: for an ARN, the last `/`-separated segment of
/// its resource part, else what follows the part's last `:` (`arn:aws:s3:::logs`
/// -> `logs`, `...:role/app/Admin` -> `Admin`, `...:function:f` -> `f`,
/// `...:security-group/sg-1` -> `sg-1`); an id that is not an ARN stays whole.
pub fn short_name(id: &str) -> &str {
    let part = resource_part(id);
    if part.len() == id.len() && !id.starts_with("arn:") {
        return id;
    }
    let tail = match part.rfind('/') {
        Some(i) => &part[i + 1..],
        None => part.rsplit(':').next().unwrap_or(part),
    };
    if tail.is_empty() {
        part
    } else {
        tail
    }
}

/// The resource's name as the comparator labelled it: every per-resource message
/// begins with that label ("web-sg: world_open_ports is ..." or "web-sg satisfies
/// the requirement"). `None` when the message does not start that way.
fn label(f: &Finding) -> Option<&str> {
    let m = f.message.as_str();
    let end = m.find(": ").or_else(|| m.find(" satisfies the requirement"))?;
    Some(&m[..end]).filter(|l| !l.is_empty())
}

/// What the table calls a finding's resource: the short name, followed by the
/// resource's own name in parentheses when that says more (`sg-0a1b (web)`);
/// `-` for a finding about no one resource (a count, an unreadable listing).
pub fn display_name(f: &Finding) -> String {
    let Some(id) = f.resource.as_deref() else { return "-".to_string() };
    let short = short_name(id);
    match label(f) {
        Some(name) if name != short && name != id => format!("{short} ({name})"),
        _ => short.to_string(),
    }
}

/// Display names for the findings of one requirement, unambiguous among them: a
/// name shared by two different resources (in the same region) is replaced by the
/// ARN's whole resource part, and if that is still shared, by the full id.
pub fn display_names(findings: &[&Finding]) -> Vec<String> {
    let mut names: Vec<String> = findings.iter().map(|f| display_name(f)).collect();
    let clashes = |names: &[String], i: usize| {
        findings.iter().enumerate().any(|(j, g)| {
            j != i && names[j] == names[i] && g.region == findings[i].region && g.resource != findings[i].resource
        })
    };
    let first: Vec<bool> = (0..names.len()).map(|i| clashes(&names, i)).collect();
    for (i, clash) in first.iter().enumerate() {
        if let (true, Some(id)) = (clash, findings[i].resource.as_deref()) {
            names[i] = resource_part(id).to_string();
        }
    }
    let second: Vec<bool> = (0..names.len()).map(|i| clashes(&names, i)).collect();
    for (i, clash) in second.iter().enumerate() {
        if let (true, Some(id)) = (clash, findings[i].resource.as_deref()) {
            names[i] = id.to_string();
        }
    }
    names
}

/// A value as the table shows it: strings bare, null as "absent", the rest as
/// JSON with a space after each `,` and `:`, so that long values wrap between
/// their items.
fn shown(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        Json::Null => "absent".to_string(),
        other => spaced(other),
    }
}

fn spaced(v: &Json) -> String {
    match v {
        Json::Array(items) => format!("[{}]", items.iter().map(spaced).collect::<Vec<_>>().join(", ")),
        Json::Object(map) => {
            let fields: Vec<String> =
                map.iter().map(|(k, v)| format!("{}: {}", Json::from(k.as_str()), spaced(v))).collect();
            format!("{{{}}}", fields.join(", "))
        }
        other => other.to_string(),
    }
}

fn describe_check(c: &Check) -> String {
    match (c.ok, &c.not_applicable) {
        (None, Some(why)) => format!("{}: does not apply ({why})", c.field),
        (None, None) => format!("{}: not observed ({})", c.field, c.error.as_deref().unwrap_or("unknown error")),
        _ => format!("{}: expected {}, observed {}", c.field, shown(&c.expected), shown(&c.observed)),
    }
}

/// The detail of a finding: for a resource, each field that decided its status
/// with expected and observed (nothing for a pass), then the waiver that covers it
/// or expired; for a finding about no one resource, its message.
pub fn detail(f: &Finding) -> String {
    if f.resource.is_none() {
        return f.message.clone();
    }
    let wanted = match f.status {
        Status::Pass => return String::new(),
        Status::Waived => Status::Drift,
        s => s,
    };
    let mut parts: Vec<String> = f.checks.iter().filter(|c| c.status() == wanted).map(describe_check).collect();
    if parts.is_empty() {
        // no field decided it (e.g. a resource that could not be read at all)
        let rest = label(f).map(|l| f.message[l.len()..].trim_start_matches(": ")).unwrap_or(&f.message);
        return rest.to_string();
    }
    if let Some(w) = &f.waiver {
        parts.push(w.to_string());
    }
    parts.join("; ")
}
