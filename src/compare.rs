//! Pure evaluation: (requirements, inventory) -> findings. Nothing here calls AWS.
//!
//! The rule throughout: a value that was not observed never passes. A check whose
//! input is unknown is `unknown`; a resource with any drifted check is `drift` (what
//! was observed already shows the drift), else `unknown` if any check is unknown.

use crate::inventory::{Gap, Inventory, Observed, Tags};
use crate::profile::{describe_selector, MatchMode, Requirement, Severity};
use serde::Serialize;
use serde_json::{json, Value as Json};
use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pass,
    Drift,
    Unknown,
    NotApplicable,
    /// A drift that an unexpired waiver covers: counted apart, never as pass.
    Waived,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Drift => "drift",
            Status::Unknown => "unknown",
            Status::NotApplicable => "not_applicable",
            Status::Waived => "waived",
        }
    }
}

/// One field compared: what the profile expects, what was observed.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Check {
    pub field: Cow<'static, str>,
    pub expected: Json,
    pub observed: Json,
    /// `None` when the observed value could not be read, or the field does not
    /// apply to this resource.
    pub ok: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Why the field does not apply to this resource (a KMS key that cannot rotate):
    /// neither pass nor drift.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_applicable: Option<String>,
}

impl Check {
    pub fn new(field: impl Into<Cow<'static, str>>, expected: Json, observed: Json, ok: bool) -> Self {
        Check { field: field.into(), expected, observed, ok: Some(ok), error: None, not_applicable: None }
    }
    /// A field that does not apply to this resource, with the reason and what was
    /// observed that shows it.
    pub fn not_applicable(
        field: impl Into<Cow<'static, str>>,
        expected: Json,
        observed: Json,
        reason: impl Into<String>,
    ) -> Self {
        Check { field: field.into(), expected, observed, ok: None, error: None, not_applicable: Some(reason.into()) }
    }
    pub fn unknown(field: impl Into<Cow<'static, str>>, expected: Json, gap: &Gap) -> Self {
        Check {
            field: field.into(),
            expected,
            observed: Json::Null,
            ok: None,
            error: Some(gap.describe()),
            not_applicable: None,
        }
    }
    /// Compares an observed value with `ok`, or records why it is unknown.
    pub fn of<T>(
        field: impl Into<Cow<'static, str>>,
        expected: Json,
        observed: &Observed<T>,
        render: impl Fn(&T) -> Json,
        ok: impl Fn(&T) -> bool,
    ) -> Self {
        match observed {
            Observed::Known(v) => Check::new(field, expected, render(v), ok(v)),
            Observed::Unknown(gap) => Check::unknown(field, expected, gap),
        }
    }
    /// A boolean setting of an answer. `None` (the answer did not say) is unknown,
    /// never taken for `false`: an expected `false` must not pass on missing data.
    pub fn flag(field: &'static str, want: bool, have: Option<bool>, source: &str) -> Self {
        match have {
            Some(h) => Check::new(field, json!(want), json!(h), h == want),
            None => {
                Check::unknown(field, json!(want), &Gap::not_collected(&format!("{source} (absent from the answer)")))
            }
        }
    }
    pub fn status(&self) -> Status {
        match self.ok {
            Some(true) => Status::Pass,
            Some(false) => Status::Drift,
            None if self.not_applicable.is_some() => Status::NotApplicable,
            None => Status::Unknown,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Finding {
    /// The audited account, in a fleet run (`--organization` / `--accounts`); a
    /// single-account report names its account once, at the top.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    pub profile: String,
    pub requirement: String,
    /// Read back (`merge`) through the kinds registry: an unknown kind is an error.
    #[serde(deserialize_with = "kind_by_name")]
    pub kind: KindName,
    pub severity: Severity,
    pub status: Status,
    pub resource: Option<String>,
    pub region: Option<String>,
    pub checks: Vec<Check>,
    pub message: String,
    /// The waiver that waived this drift, or the expired one that no longer does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiver: Option<crate::waivers::WaiverNote>,
}

/// A requirement kind's name, from the kinds registry. (An alias, so that serde's
/// derive does not take the field for text borrowed from the input.)
pub type KindName = &'static str;

/// A kind's name as a report gives it, resolved to the registry's `&'static str`.
fn kind_by_name<'de, D: serde::Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    let name = <String as serde::Deserialize>::deserialize(d)?;
    crate::kinds::find(&name)
        .map(|k| k.name)
        .ok_or_else(|| serde::de::Error::custom(format!("unknown requirement kind `{name}`")))
}

impl Finding {
    pub fn new(
        req: &Requirement,
        status: Status,
        resource: Option<String>,
        region: Option<String>,
        checks: Vec<Check>,
        message: String,
    ) -> Self {
        Finding {
            account: None,
            profile: req.profile.clone(),
            requirement: req.id.clone(),
            kind: req.kind.name,
            severity: req.severity,
            status,
            resource,
            region,
            checks,
            message,
            waiver: None,
        }
    }
}

/// Drift wins over unknown, unknown over pass. Checks that do not apply count for
/// nothing, and a resource to which no checked field applies is not applicable.
pub fn combine(checks: &[Check]) -> Status {
    let mut status = Status::Pass;
    let mut applicable = checks.is_empty();
    for c in checks {
        match c.status() {
            Status::Drift => return Status::Drift,
            Status::Unknown => status = Status::Unknown,
            Status::NotApplicable => continue,
            Status::Pass | Status::Waived => {}
        }
        applicable = true;
    }
    if applicable {
        status
    } else {
        Status::NotApplicable
    }
}

/// "name: field is X, expected Y; ..." for the checks that decide `status`.
pub fn message(label: &str, checks: &[Check], status: Status) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(label.len() + 64);
    out.push_str(label);
    if status == Status::Pass {
        if checks.is_empty() {
            out.push_str(": present");
        } else {
            out.push_str(": as expected (");
            for (i, c) in checks.iter().filter(|c| c.status() == Status::Pass).enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&c.field);
            }
            out.push(')');
        }
        return out;
    }
    let mut first = true;
    for c in checks.iter().filter(|c| c.status() == status) {
        out.push_str(if first { ": " } else { "; " });
        first = false;
        let _ = match (c.ok, &c.not_applicable) {
            (None, Some(why)) => write!(out, "{} does not apply ({why})", c.field),
            (None, None) => write!(out, "{} not observed ({})", c.field, c.error.as_deref().unwrap_or("unknown error")),
            _ => write!(out, "{} is {}, expected {}", c.field, Shown(&c.observed), Shown(&c.expected)),
        };
    }
    if first {
        out.push_str(": satisfies every expectation");
    }
    out
}

/// A value as a message shows it: strings bare, null as "absent", the rest as JSON.
struct Shown<'a>(&'a Json);

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Json::String(s) => f.write_str(s),
            Json::Null => f.write_str("absent"),
            other => write!(f, "{other}"),
        }
    }
}

/// What the generic evaluation needs to know of one resource.
pub struct Meta<'a> {
    /// Reported as the finding's resource (an ARN where there is one).
    pub id: Cow<'a, str>,
    /// Matched by the name selectors.
    pub name: Cow<'a, str>,
    pub region: Option<Cow<'a, str>>,
    /// `None` for kinds without tags.
    pub tags: Option<&'a Observed<Tags>>,
    /// The IAM path (`/aws-service-role/`), matched by `path_prefix`; `None` for
    /// resources without one.
    pub path: Option<Cow<'a, str>>,
}

/// The `required_tags` expectation, shared by every kind with tags.
pub fn required_tags_check(req: &Requirement, tags: Option<&Observed<Tags>>) -> Option<Check> {
    let wanted = req.expect.map("required_tags")?;
    let expected = json!(wanted);
    Some(match tags {
        None => Check::unknown("required_tags", expected, &Gap::not_collected("tags")),
        Some(observed) => Check::of(
            "required_tags",
            expected,
            observed,
            |t| json!(t),
            |t| wanted.iter().all(|(k, v)| t.get(k).is_some_and(|have| v == "*" || have == v)),
        ),
    })
}

/// The `name_pattern` expectation, shared by every kind whose resources have names.
pub fn name_pattern_check(req: &Requirement, name: &str, region: Option<&str>) -> Option<Check> {
    let text = req.expect.text("name_pattern")?;
    // validated when the profile was loaded
    let ok = crate::profile::NamePattern::parse(text).is_ok_and(|p| p.matches(name, region));
    Some(Check::new("name_pattern", json!(text), json!(name), ok))
}

/// The listing a requirement is evaluated over: resources seen, and the listings
/// that could not be read (each makes the set of resources incomplete).
pub struct Listing<'a, T> {
    pub items: Vec<&'a T>,
    pub gaps: Vec<Gap>,
}

impl<'a, T> Listing<'a, T> {
    pub fn new() -> Self {
        Listing { items: Vec::new(), gaps: Vec::new() }
    }
    pub fn add(&mut self, observed: Observed<&'a Vec<T>>) {
        match observed {
            Observed::Known(v) => self.items.extend(v.iter()),
            Observed::Unknown(g) => self.gaps.push(g),
        }
    }
}

impl<T> Default for Listing<'_, T> {
    fn default() -> Self {
        Self::new()
    }
}

enum Selected<'g> {
    Yes,
    No,
    /// Depends on tags that could not be read: the selector field and the gap.
    Undecided(&'static str, &'g Gap),
}

/// The tag parts of a selection: the include `tags`, then each `exclude` entry
/// that matches the resource by name and path and also names tags.
fn selection_by_tags<'g>(select: &crate::profile::Selector, tags: Option<&'g Observed<Tags>>) -> Selected<'g> {
    let known = match tags {
        Some(Observed::Known(t)) => Some(t),
        Some(Observed::Unknown(gap)) => {
            if !select.tags.is_empty() {
                return Selected::Undecided("select.tags", gap);
            }
            None
        }
        None if !select.tags.is_empty() => return Selected::No,
        None => None,
    };
    if known.is_some_and(|t| !select.matches_tags(t)) {
        return Selected::No;
    }
    Selected::Yes
}

/// Whether an `exclude` entry leaves the resource out; undecided when an entry
/// that matches by name and path needs tags that could not be read.
fn excluded<'g>(
    select: &crate::profile::Selector,
    name: &str,
    path: Option<&str>,
    tags: Option<&'g Observed<Tags>>,
) -> Selected<'g> {
    let mut undecided = None;
    for e in select.exclude.iter().filter(|e| e.matches_name(name) && e.matches_path(path)) {
        if e.tags.is_empty() {
            return Selected::Yes;
        }
        match tags {
            Some(Observed::Known(t)) if e.matches_tags(t) => return Selected::Yes,
            Some(Observed::Unknown(gap)) => undecided = Some(gap),
            _ => {}
        }
    }
    match undecided {
        Some(gap) => Selected::Undecided("select.exclude", gap),
        None => Selected::No,
    }
}

/// Whether the selector picks a resource its name and path already matched: its
/// tags, then its exclusions.
fn selection<'g>(
    select: &crate::profile::Selector,
    name: &str,
    path: Option<&str>,
    tags: Option<&'g Observed<Tags>>,
) -> Selected<'g> {
    match selection_by_tags(select, tags) {
        Selected::Yes => {}
        other => return other,
    }
    match excluded(select, name, path, tags) {
        Selected::Yes => Selected::No,
        Selected::No => Selected::Yes,
        undecided => undecided,
    }
}

/// Evaluates a resource-style requirement: select, then check each selected
/// resource (`match = "all"`) or look for one that passes (`match = "any"`), and
/// apply `min_count`.
pub fn evaluate_resources<'a, T>(
    req: &Requirement,
    listing: Listing<'a, T>,
    meta: impl Fn(&'a T) -> Meta<'a>,
    checks: impl Fn(&'a T) -> Vec<Check>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut selected: Vec<(Meta<'a>, Vec<Check>, Status)> = Vec::new();
    let mut undetermined = 0usize;
    for item in listing.items {
        let m = meta(item);
        if !req.select.matches_name(&m.name) || !req.select.matches_path(m.path.as_deref()) {
            continue;
        }
        match selection(&req.select, &m.name, m.path.as_deref(), m.tags) {
            Selected::Yes => {}
            Selected::No => continue,
            Selected::Undecided(field, gap) => {
                // cannot tell whether the selector picks this resource
                undetermined += 1;
                let check = Check::unknown(field, json!(describe_selector(&req.select)), gap);
                findings.push(Finding::new(
                    req,
                    Status::Unknown,
                    Some(m.id.into_owned()),
                    m.region.map(Cow::into_owned),
                    vec![check.clone()],
                    message(&m.name, &[check], Status::Unknown),
                ));
                continue;
            }
        }
        let mut cs = checks(item);
        if let Some(c) = required_tags_check(req, m.tags) {
            cs.push(c);
        }
        if let Some(c) = name_pattern_check(req, &m.name, m.region.as_deref()) {
            cs.push(c);
        }
        let status = combine(&cs);
        selected.push((m, cs, status));
    }

    let region_of_gap = |g: &Gap| if g.region.is_empty() { None } else { Some(g.region.clone()) };
    let listing_unknown: Vec<Finding> = listing
        .gaps
        .iter()
        .map(|g| {
            let check = Check::unknown("resources", json!(describe_selector(&req.select)), g);
            Finding::new(
                req,
                Status::Unknown,
                None,
                region_of_gap(g),
                vec![check],
                format!("could not list the resources: {}", g.describe()),
            )
        })
        .collect();
    let incomplete = !listing.gaps.is_empty() || undetermined > 0;

    // min_count is judged on what is known to be selected.
    let count_finding = req.min_count.and_then(|min| {
        let n = selected.len() as u64;
        if n >= min {
            return None;
        }
        let check = Check {
            field: "count".into(),
            expected: json!(format!(">= {min}")),
            observed: json!(n),
            ok: if incomplete { None } else { Some(false) },
            error: None,
            not_applicable: None,
        };
        let (status, msg) = if incomplete {
            (
                Status::Unknown,
                format!("{n} matching resource(s) seen, at least {min} required, and some could not be read"),
            )
        } else {
            (
                Status::Drift,
                format!("{n} resource(s) match {}, at least {min} required", describe_selector(&req.select)),
            )
        };
        Some(Finding::new(req, status, None, None, vec![check], msg))
    });

    // vacuous: the selector matched nothing and no minimum was declared
    let not_applicable = || {
        let msg = format!("no resource matches {}", describe_selector(&req.select));
        Finding::new(req, Status::NotApplicable, None, None, Vec::new(), msg)
    };
    match req.match_mode {
        MatchMode::All => {
            let none_selected = selected.is_empty();
            findings.reserve(selected.len());
            for (m, cs, status) in selected {
                let msg = message(&m.name, &cs, status);
                findings.push(Finding::new(
                    req,
                    status,
                    Some(m.id.into_owned()),
                    m.region.map(Cow::into_owned),
                    cs,
                    msg,
                ));
            }
            findings.extend(listing_unknown);
            if let Some(f) = count_finding {
                findings.push(f);
            } else if none_selected && !incomplete {
                findings.push(not_applicable());
            }
        }
        MatchMode::Any => {
            if let Some((m, cs, _)) = selected.iter().find(|(_, _, s)| *s == Status::Pass) {
                if let Some(f) = count_finding {
                    findings.push(f);
                } else {
                    findings.push(Finding::new(
                        req,
                        Status::Pass,
                        Some(m.id.to_string()),
                        m.region.as_ref().map(|r| r.to_string()),
                        cs.clone(),
                        format!("{} satisfies the requirement", m.name),
                    ));
                }
            } else if selected.is_empty() && !incomplete {
                // "at least one must" is not met by none
                findings.push(count_finding.unwrap_or_else(|| {
                    let check = Check::new("count", json!(">= 1"), json!(0), false);
                    let msg = format!("no resource matches {}; at least one must", describe_selector(&req.select));
                    Finding::new(req, Status::Drift, None, None, vec![check], msg)
                }));
            } else {
                let any_unknown = incomplete || selected.iter().any(|(_, _, s)| *s == Status::Unknown);
                let status = if any_unknown { Status::Unknown } else { Status::Drift };
                let mut candidates: Vec<String> = selected.iter().map(|(m, cs, s)| message(&m.name, cs, *s)).collect();
                candidates.truncate(5);
                let mut msg = if selected.is_empty() {
                    format!("no resource matches {}", describe_selector(&req.select))
                } else {
                    format!("no matching resource satisfies every expectation; closest: {}", candidates.join(" | "))
                };
                for f in &findings {
                    msg.push_str(&format!(" | {}", f.message));
                }
                findings.clear();
                for g in &listing.gaps {
                    msg.push_str(&format!(" | could not list: {}", g.describe()));
                }
                let checks: Vec<Check> = selected
                    .iter()
                    .flat_map(|(_, cs, s)| cs.iter().filter(move |c| c.status() == *s).cloned())
                    .collect();
                findings.push(Finding::new(req, status, None, None, checks, msg));
            }
        }
    }
    findings
}

/// Evaluates every requirement against the inventory; findings come sorted by
/// profile, requirement, region, resource.
pub fn evaluate(requirements: &[crate::profile::Requirement], inventory: &Inventory) -> Vec<Finding> {
    // Each requirement's findings are sorted on their own, then the requirements
    // are put in order: the long sort never compares profile and requirement names.
    let mut groups: Vec<(&Requirement, Vec<Finding>)> = requirements
        .iter()
        .map(|r| {
            let mut findings = (r.kind.evaluate)(r, inventory);
            findings.sort_by(|a, b| (&a.region, &a.resource, a.status).cmp(&(&b.region, &b.resource, b.status)));
            (r, findings)
        })
        .collect();
    groups.sort_by(|(a, _), (b, _)| (&a.profile, &a.id).cmp(&(&b.profile, &b.id)));
    let mut out = Vec::with_capacity(groups.iter().map(|(_, f)| f.len()).sum());
    for (_, findings) in groups {
        out.extend(findings);
    }
    out
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Summary {
    pub pass: usize,
    pub drift: usize,
    pub unknown: usize,
    pub not_applicable: usize,
    /// Drift covered by an unexpired waiver (never counted as pass).
    pub waived: usize,
}

impl Summary {
    pub fn of(findings: &[Finding]) -> Self {
        let mut s = Summary::default();
        for f in findings {
            match f.status {
                Status::Pass => s.pass += 1,
                Status::Drift => s.drift += 1,
                Status::Unknown => s.unknown += 1,
                Status::NotApplicable => s.not_applicable += 1,
                Status::Waived => s.waived += 1,
            }
        }
        s
    }
}

#[path = "compare_checks.rs"]
mod checks;
pub use checks::number_json;

#[cfg(test)]
#[path = "compare_tests.rs"]
mod tests;
