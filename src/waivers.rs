//! Waivers: accepted exceptions, each with a reason and an expiry date.
//!
//! A waiver file (`audit --waivers FILE`, TOML) lists `[[waiver]]` entries. A drift
//! finding that an unexpired waiver covers becomes `waived` (counted apart, never as
//! pass). An expired waiver waives nothing: the finding stays drift and names it. A
//! waiver never changes `unknown`, `pass` or `not_applicable`. A waiver that covers
//! no drift (nor any unknown) finding is reported as stale.

use crate::compare::{Finding, Status};
use crate::profile::tree::{self, Node, Spanned};
use crate::profile::{glob_match, Diagnostic, Diagnostics};
use serde::Serialize;
use std::fmt;
use std::ops::Range;
use std::path::Path;

/// A calendar day; waivers expire at the end of theirs (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// `YYYY-MM-DD`, a real day of the Gregorian calendar.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: Range<usize>| -> Option<u16> {
            let part = s.get(r)?;
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        if day == 0 || day > days {
            return None;
        }
        Some(Date { year, month: month as u8, day: day as u8 })
    }

    /// Today in UTC, from the system clock.
    pub fn today_utc() -> Option<Date> {
        let now = aws_smithy_types::DateTime::from(std::time::SystemTime::now())
            .fmt(aws_smithy_types::date_time::Format::DateTime)
            .ok()?;
        Date::parse(now.get(..10)?)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <String as serde::Deserialize>::deserialize(d)?;
        Date::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not a date (YYYY-MM-DD)")))
    }
}

/// One accepted exception, as the waiver file declares it.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Waiver {
    /// `FILE:LINE` of its `[[waiver]]` header: how reports name it.
    pub source: String,
    /// A requirement id or glob (`s3-*`), or `profile/requirement`.
    pub requirement: String,
    /// ARN or name globs; `*` also covers findings that name no resource.
    pub resources: Vec<String>,
    /// Account ids (or globs); empty: any account.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<String>,
    pub reason: String,
    pub expires: Date,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
}

/// The waiver a finding carries: the one that waived it, or the one that expired.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct WaiverNote {
    pub source: String,
    pub reason: String,
    pub expires: Date,
    pub expired: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
}

impl Waiver {
    fn note(&self, expired: bool) -> WaiverNote {
        WaiverNote {
            source: self.source.clone(),
            reason: self.reason.clone(),
            expires: self.expires,
            expired,
            owner: self.owner.clone(),
            ticket: self.ticket.clone(),
        }
    }

    /// Whether the waiver is meant for this account. An unknown account matches only
    /// a waiver that names no account: it cannot be shown to be the right one.
    pub(crate) fn for_account(&self, account: Option<&str>) -> bool {
        self.accounts.is_empty() || account.is_some_and(|a| self.accounts.iter().any(|g| glob_match(g, a)))
    }

    /// Whether the waiver names this finding's requirement and resource.
    pub fn covers(&self, f: &Finding) -> bool {
        let requirement = glob_match(&self.requirement, &f.requirement)
            || glob_match(&self.requirement, &format!("{}/{}", f.profile, f.requirement));
        requirement
            && match &f.resource {
                None => self.resources.iter().any(|g| g == "*"),
                Some(r) => {
                    let name = resource_name(r);
                    self.resources.iter().any(|g| glob_match(g, r) || glob_match(g, name))
                }
            }
    }
}

/// The name part of an ARN (after the last `/` or `:`), or the text itself.
fn resource_name(resource: &str) -> &str {
    if !resource.starts_with("arn:") {
        return resource;
    }
    resource.rsplit(['/', ':']).next().unwrap_or(resource)
}

impl fmt::Display for WaiverNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.expired {
            return write!(f, "waiver {} expired {}", self.source, self.expires);
        }
        write!(f, "waived by {} until {}: {}", self.source, self.expires, self.reason)?;
        match (&self.owner, &self.ticket) {
            (Some(o), Some(t)) => write!(f, " (owner {o}, ticket {t})"),
            (Some(o), None) => write!(f, " (owner {o})"),
            (None, Some(t)) => write!(f, " (ticket {t})"),
            (None, None) => Ok(()),
        }
    }
}

/// Applies the waivers to the findings of one account, as of `today`; returns the
/// waivers meant for this account that cover no drift or unknown finding (stale).
///
/// A drift covered by an unexpired waiver becomes `waived`; covered only by expired
/// ones it stays drift and names the one that expired last. Other statuses are left
/// as they are (an unknown may hide a drift: its waiver is not stale, nor used).
pub fn apply(findings: &mut [Finding], waivers: &[Waiver], account: Option<&str>, today: Date) -> Vec<Waiver> {
    let meant: Vec<&Waiver> = waivers.iter().filter(|w| w.for_account(account)).collect();
    let mut used = vec![false; meant.len()];
    for f in findings.iter_mut() {
        if !matches!(f.status, Status::Drift | Status::Unknown) {
            continue;
        }
        let mut active: Option<&Waiver> = None;
        let mut expired: Option<&Waiver> = None;
        for (i, w) in meant.iter().enumerate() {
            if !w.covers(f) {
                continue;
            }
            used[i] = true;
            if w.expires >= today {
                active = active.or(Some(w));
            } else if expired.is_none_or(|e| w.expires > e.expires) {
                expired = Some(w);
            }
        }
        if f.status != Status::Drift {
            continue;
        }
        let note = match (active, expired) {
            (Some(w), _) => {
                f.status = Status::Waived;
                w.note(false)
            }
            (None, Some(w)) => w.note(true),
            (None, None) => continue,
        };
        f.message = format!("{} [{note}]", f.message);
        f.waiver = Some(note);
    }
    meant.into_iter().zip(used).filter(|(_, u)| !u).map(|(w, _)| w.clone()).collect()
}

/// Reads and checks a waiver file; every mistake is reported as `FILE:LINE:COL`.
pub fn load(path: &Path) -> Result<Vec<Waiver>, Diagnostics> {
    let file = path.display().to_string();
    let one = |line, col, message: String| Diagnostics(vec![Diagnostic { file: file.clone(), line, col, message }]);
    let bytes = std::fs::read(path).map_err(|e| one(1, 1, format!("cannot read the waiver file: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
        let (line, col) = tree::line_col(&text, offset);
        one(line, col, "the waiver file is not valid UTF-8".into())
    })?;
    parse(&file, &text)
}

const KEYS: &str = "requirement, resources, accounts, reason, expires, owner, ticket";

struct Reader<'a> {
    file: &'a str,
    text: &'a str,
    diags: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn err(&mut self, span: &Range<usize>, message: impl Into<String>) {
        let (line, col) = tree::line_col(self.text, span.start);
        self.diags.push(Diagnostic { file: self.file.to_string(), line, col, message: message.into() });
    }

    fn text_of(&mut self, n: &Spanned, what: &str) -> Option<String> {
        match &n.node {
            Node::Str(s) if s.trim().is_empty() => {
                self.err(&n.span, format!("{what} must not be empty"));
                None
            }
            Node::Str(s) => Some(s.clone()),
            other => {
                self.err(&n.span, format!("{what} must be a string, found {}", other.type_name()));
                None
            }
        }
    }

    fn list(&mut self, n: &Spanned, what: &str) -> Option<Vec<String>> {
        let Node::Array(items) = &n.node else {
            self.err(&n.span, format!("{what} must be an array of strings, found {}", n.node.type_name()));
            return None;
        };
        if items.is_empty() {
            self.err(&n.span, format!("{what} must name at least one entry"));
            return None;
        }
        items.iter().map(|i| self.text_of(i, &format!("each entry of {what}"))).collect()
    }

    /// A TOML date (`2026-12-31`) or the same as a string.
    fn date(&mut self, n: &Spanned) -> Option<Date> {
        let raw = match &n.node {
            Node::Str(s) => s.clone(),
            Node::Datetime => self.text.get(n.span.clone()).unwrap_or_default().trim().to_string(),
            other => {
                self.err(&n.span, format!("expires must be a date (YYYY-MM-DD), found {}", other.type_name()));
                return None;
            }
        };
        let date = Date::parse(&raw);
        if date.is_none() {
            self.err(&n.span, format!("expires must be a date YYYY-MM-DD, found `{raw}`"));
        }
        date
    }

    fn waiver(&mut self, n: &Spanned) -> Option<Waiver> {
        let Node::Table(entries) = &n.node else {
            self.err(&n.span, format!("each [[waiver]] must be a table, found {}", n.node.type_name()));
            return None;
        };
        let (line, _) = tree::line_col(self.text, n.span.start);
        let mut w = Waiver {
            source: format!("{}:{line}", self.file),
            requirement: String::new(),
            resources: Vec::new(),
            accounts: Vec::new(),
            reason: String::new(),
            expires: Date { year: 0, month: 1, day: 1 },
            owner: None,
            ticket: None,
        };
        let before = self.diags.len();
        let mut seen = Vec::new();
        for (k, kspan, v) in entries {
            match k.as_str() {
                "requirement" => w.requirement = self.text_of(v, "requirement").unwrap_or_default(),
                "resources" => w.resources = self.list(v, "resources").unwrap_or_default(),
                "accounts" => {
                    w.accounts = self.list(v, "accounts").unwrap_or_default();
                    for (a, item) in w.accounts.iter().zip(match &v.node {
                        Node::Array(items) => items.as_slice(),
                        _ => &[],
                    }) {
                        let ok = a.len() == 12 && a.bytes().all(|c| c.is_ascii_digit())
                            || a.contains(['*', '?'])
                                && a.bytes().all(|c| c.is_ascii_digit() || c == b'*' || c == b'?');
                        if !ok {
                            let msg = format!("`{a}` is not an account id (12 digits, or a glob of digits)");
                            self.err(&item.span, msg);
                        }
                    }
                }
                "reason" => w.reason = self.text_of(v, "reason").unwrap_or_default(),
                "expires" => {
                    if let Some(d) = self.date(v) {
                        w.expires = d;
                    }
                }
                "owner" => w.owner = self.text_of(v, "owner"),
                "ticket" => w.ticket = self.text_of(v, "ticket"),
                _ => {
                    self.err(kspan, format!("unknown key `{k}` in [[waiver]]; expected {KEYS}"));
                    continue;
                }
            }
            seen.push(k.as_str());
        }
        for key in ["requirement", "resources", "reason", "expires"] {
            if !seen.contains(&key) {
                self.err(&n.span, format!("this [[waiver]] has no `{key}`"));
            }
        }
        (self.diags.len() == before).then_some(w)
    }
}

/// Parses waiver text; `file` names it in diagnostics and in each waiver's source.
pub fn parse(file: &str, text: &str) -> Result<Vec<Waiver>, Diagnostics> {
    let mut r = Reader { file, text, diags: Vec::new() };
    let root = match tree::parse(text) {
        Ok(root) => root,
        Err((message, span)) => {
            r.err(&span, format!("invalid TOML: {message}"));
            return Err(Diagnostics(r.diags));
        }
    };
    let mut waivers = Vec::new();
    let Node::Table(entries) = &root.node else {
        r.err(&root.span, "the waiver file must be a TOML table");
        return Err(Diagnostics(r.diags));
    };
    for (k, kspan, _) in entries {
        if k != "waiver" {
            r.err(kspan, format!("unknown top-level key `{k}`; expected [[waiver]]"));
        }
    }
    match entries.iter().find(|(k, _, _)| k == "waiver") {
        None => r.err(&(0..0), "the waiver file declares no [[waiver]]"),
        Some((_, _, list)) => match &list.node {
            Node::Array(items) if !items.is_empty() => {
                for item in items {
                    if let Some(w) = r.waiver(item) {
                        waivers.push(w);
                    }
                }
            }
            Node::Array(_) => r.err(&list.span, "the waiver file declares no [[waiver]]"),
            other => r.err(
                &list.span,
                format!("`waiver` must be an array of tables ([[waiver]]), found {}", other.type_name()),
            ),
        },
    }
    if r.diags.is_empty() {
        Ok(waivers)
    } else {
        Err(Diagnostics(r.diags))
    }
}

#[cfg(test)]
#[path = "waivers_tests.rs"]
mod tests;
