//! What the pipeline formats (ASFF, OCSF) share about a finding: the account it
//! belongs to, an identifier that stays the same from run to run, and text clipped
//! to a documented length.

use super::Report;
use crate::compare::{Check, Finding};
use sha2::{Digest, Sha256};

/// The account a finding belongs to: its own in a fleet run, else the report's.
pub fn account<'a>(report: &'a Report, f: &'a Finding) -> Option<&'a str> {
    f.account.as_deref().or(report.account.as_deref())
}

/// `driftwatch/{account}/{region}/{profile}/{requirement}/{resource}`: the same
/// account, region, profile, requirement and resource give the same id in every
/// run, so that a re-import updates a finding instead of adding one. A finding
/// without a resource (a requirement about the account, or one no resource
/// matched) uses `account`; one without a region uses `global`. An id longer than
/// `max` characters keeps its readable head and ends in a SHA-256 of the whole id,
/// which is still stable and still unique.
pub fn stable_id(account: &str, f: &Finding, max: usize) -> String {
    let full = format!(
        "driftwatch/{account}/{}/{}/{}/{}",
        f.region.as_deref().unwrap_or("global"),
        f.profile,
        f.requirement,
        f.resource.as_deref().unwrap_or("account")
    );
    if full.chars().count() <= max {
        return full;
    }
    let digest: String = Sha256::digest(full.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    let head: String = full.chars().take(max - digest.len() - 1).collect();
    format!("{head}#{digest}")
}

/// `s` cut to at most `max` characters (not bytes), ending in `…` when cut.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// "PROFILE/REQUIREMENT: STATUS on RESOURCE".
pub fn title(f: &Finding) -> String {
    let subject = f.resource.as_deref().unwrap_or("the account");
    format!("{}/{}: {} on {}", f.profile, f.requirement, f.status.as_str(), subject)
}

/// The finding's message, then a line per failed or unread field.
pub fn description(f: &Finding) -> String {
    let mut out = f.message.clone();
    for line in failed_checks(f) {
        out.push('\n');
        out.push_str(&line);
    }
    if out.trim().is_empty() {
        out = format!("{}/{}", f.profile, f.requirement);
    }
    out
}

/// "field: expected X, observed Y" for each check that failed or could not be
/// read (`observed` then says why).
pub fn failed_checks(f: &Finding) -> Vec<String> {
    f.checks.iter().filter(|c| c.ok != Some(true) && c.not_applicable.is_none()).map(describe_check).collect()
}

pub fn describe_check(c: &Check) -> String {
    match (&c.error, c.ok) {
        (Some(error), _) => format!("{}: expected {}, not observed ({error})", c.field, c.expected),
        (None, _) => format!("{}: expected {}, observed {}", c.field, c.expected, c.observed),
    }
}
