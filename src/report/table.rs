//! `--format table` (the default), for people at a terminal: findings grouped by
//! account (in a fleet run), profile and requirement, one line per resource with
//! a short name and the fields that failed, every line wrapped within the width
//! (`Style::width`), then a summary per profile, per account and for the run.
//! Full ARNs stay in the machine formats (JSON, JUnit, SARIF).
//!
//! ```text
//! prod-webapp
//!   s3-private-kms · high · s3.bucket · us-east-1
//!     DRIFT    prod-logs  encryption: expected aws:kms, observed AES256
//!     PASS     prod-data
//!   prod-webapp: 1 pass, 1 drift, 0 waived, 0 unknown, 0 not applicable
//! ```

use super::table_cells::{detail, display_names, status_label};
use super::{Report, Style};
use crate::compare::{Finding, Status, Summary};
use std::io::Write;
use unicode_width::UnicodeWidthStr;

/// Resource lines start here; requirement headers at 2, profile headers at 0.
const LINE_INDENT: usize = 4;
/// Between columns.
const GAP: usize = 2;
/// Fewer columns than this left for the detail after the name: the detail goes
/// on the lines below instead.
const MIN_DETAIL: usize = 24;

fn paint(style: &Style, status: Status, text: &str) -> String {
    if !style.color {
        return text.to_string();
    }
    let code = match status {
        Status::Pass => "32",
        Status::Drift => "31;1",
        Status::Unknown => "33",
        Status::NotApplicable => "2",
        Status::Waived => "36",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

fn width_of(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width_of(s))))
}

/// Writes `text` after `first` (the first line's start), continuing on lines that
/// start with `indent` spaces, every line within the style's width.
fn wrapped(out: &mut dyn Write, style: &Style, first: &str, indent: usize, text: &str) -> std::io::Result<()> {
    if text.is_empty() {
        return writeln!(out, "{}", first.trim_end());
    }
    let cont = " ".repeat(indent);
    let lines: Vec<String> = match style.width {
        None => vec![format!("{first}{text}")],
        Some(w) => {
            // break between words, never at a name's hyphens; a word wider than the
            // line is cut where it must be
            let opts = textwrap::Options::new(w)
                .initial_indent(first)
                .subsequent_indent(&cont)
                .word_splitter(textwrap::WordSplitter::NoHyphenation);
            textwrap::wrap(text, opts).into_iter().map(|l| l.into_owned()).collect()
        }
    };
    for l in lines {
        writeln!(out, "{}", l.trim_end())?;
    }
    Ok(())
}

fn counts(style: &Style, s: &Summary) -> String {
    format!(
        "{} pass, {} drift, {} waived, {} unknown, {} not applicable",
        s.pass,
        paint(style, Status::Drift, &s.drift.to_string()),
        s.waived,
        paint(style, Status::Unknown, &s.unknown.to_string()),
        s.not_applicable
    )
}

/// Drift first, then what could not be judged, then the rest.
fn rank(s: Status) -> u8 {
    match s {
        Status::Drift => 0,
        Status::Unknown => 1,
        Status::Waived => 2,
        Status::NotApplicable => 3,
        Status::Pass => 4,
    }
}

/// Findings (as indices into the report) grouped under a key, groups in the order
/// their first finding appears.
fn group_by<K: PartialEq>(indices: &[usize], key: impl Fn(usize) -> K) -> Vec<(K, Vec<usize>)> {
    let mut groups: Vec<(K, Vec<usize>)> = Vec::new();
    for &i in indices {
        let k = key(i);
        match groups.iter_mut().find(|(g, _)| *g == k) {
            Some((_, members)) => members.push(i),
            None => groups.push((k, vec![i])),
        }
    }
    groups
}

struct Table<'a> {
    report: &'a Report,
    style: &'a Style,
    /// The status column: as wide as the widest label in the report.
    status_width: usize,
}

impl Table<'_> {
    fn label(&self, i: usize) -> String {
        let mark = self.report.baseline.as_ref().and_then(|m| m.get(i)).map(|m| m.as_str());
        status_label(self.report.findings[i].status, mark)
    }

    /// The findings of one requirement, drift first, with their display names.
    fn named(&self, members: &[usize]) -> (Vec<usize>, Vec<String>) {
        let mut members = members.to_vec();
        members.sort_by_key(|&i| rank(self.report.findings[i].status));
        let findings: Vec<&Finding> = members.iter().map(|&i| &self.report.findings[i]).collect();
        let names = display_names(&findings);
        (members, names)
    }

    /// One requirement's header and lines; names are padded to at least
    /// `name_min` so that a profile's requirements line up.
    fn requirement(&self, out: &mut dyn Write, members: &[usize], name_min: usize) -> std::io::Result<()> {
        let (members, names) = self.named(members);
        let findings: Vec<&Finding> = members.iter().map(|&i| &self.report.findings[i]).collect();
        let first = findings[0];
        let mut regions: Vec<&str> = findings.iter().filter_map(|f| f.region.as_deref()).collect();
        regions.sort();
        regions.dedup();
        let mut head = format!("{} · {} · {}", first.requirement, first.severity.as_str(), first.kind);
        if let [only] = regions.as_slice() {
            head.push_str(&format!(" · {only}"));
        }
        wrapped(out, self.style, "  ", 4, &head)?;

        let region_width = if regions.len() > 1 { regions.iter().map(|r| width_of(r)).max().unwrap_or(0) } else { 0 };
        let before_name = LINE_INDENT + self.status_width + GAP;
        let widest = names.iter().map(|n| width_of(n)).max().unwrap_or(0).max(name_min);
        let name_width = match self.style.width {
            // at most two fifths of what is left after the status
            Some(w) => widest.min(w.saturating_sub(before_name) * 2 / 5).max(1),
            None => widest,
        };
        let region_col = if region_width > 0 { region_width + GAP } else { 0 };
        let detail_col = before_name + name_width + GAP + region_col;
        let room = self.style.width.map(|w| w.saturating_sub(detail_col));
        for ((&i, f), name) in members.iter().zip(&findings).zip(&names) {
            let label = self.label(i);
            let status = paint(self.style, f.status, &pad(&label, self.status_width));
            let lead = format!("{}{status}{}", " ".repeat(LINE_INDENT), " ".repeat(GAP));
            let region =
                if region_width > 0 { pad(f.region.as_deref().unwrap_or("-"), region_width) } else { String::new() };
            let text = detail(f);
            let fits = width_of(name) <= name_width && room.is_none_or(|r| r >= MIN_DETAIL);
            if fits {
                let mut cells = pad(name, name_width + GAP);
                if region_width > 0 {
                    cells.push_str(&pad(&region, region_col));
                }
                self.line(out, &lead, &cells, detail_col, &text)?;
            } else {
                // a long name on its own line(s), the detail below it
                let mut cells = name.to_string();
                if region_width > 0 {
                    cells.push_str(&format!("  {}", region.trim_end()));
                }
                self.line(out, &lead, "", before_name, &cells)?;
                if !text.is_empty() {
                    let indent = (before_name + 2).min(self.style.width.unwrap_or(usize::MAX) / 2);
                    wrapped(out, self.style, &" ".repeat(indent), indent, &text)?;
                }
            }
        }
        Ok(())
    }

    /// One resource line: `lead` (indent and painted status), `cells` (name and
    /// region, padded), then `text` wrapped at `indent`. The lead's escape codes
    /// are kept out of the width computation.
    fn line(&self, out: &mut dyn Write, lead: &str, cells: &str, indent: usize, text: &str) -> std::io::Result<()> {
        if text.is_empty() {
            return writeln!(out, "{}", format!("{lead}{cells}").trim_end());
        }
        let plain_lead = " ".repeat(LINE_INDENT + self.status_width + GAP);
        let mut buf = Vec::new();
        wrapped(&mut buf, self.style, &format!("{plain_lead}{cells}"), indent, text)?;
        let body = String::from_utf8_lossy(&buf);
        let body = body.strip_prefix(plain_lead.as_str()).unwrap_or(&body);
        write!(out, "{lead}{body}")
    }

    fn profiles(&self, out: &mut dyn Write, indices: &[usize]) -> std::io::Result<()> {
        let findings = &self.report.findings;
        for (profile, members) in group_by(indices, |i| findings[i].profile.as_str()) {
            wrapped(out, self.style, "", 2, profile)?;
            let requirements = group_by(&members, |i| findings[i].requirement.as_str());
            let name_min = requirements
                .iter()
                .flat_map(|(_, req)| self.named(req).1)
                .map(|n| width_of(&n))
                .max()
                .unwrap_or(0)
                // lining up must not squeeze every detail: at most a quarter of the width
                .min(self.style.width.map_or(usize::MAX, |w| w / 4));
            for (_, req) in &requirements {
                self.requirement(out, req, name_min)?;
            }
            let summary = Summary::of(&members.iter().map(|&i| findings[i].clone()).collect::<Vec<_>>());
            wrapped(out, self.style, "  ", 4, &format!("{profile}: {}", counts(self.style, &summary)))?;
        }
        Ok(())
    }
}

pub fn render(report: &Report, style: &Style, out: &mut dyn Write) -> std::io::Result<()> {
    let status_width = (0..report.findings.len())
        .map(|i| {
            let mark = report.baseline.as_ref().and_then(|m| m.get(i)).map(|m| m.as_str());
            width_of(&status_label(report.findings[i].status, mark))
        })
        .max()
        .unwrap_or(0);
    let table = Table { report, style, status_width };
    let all: Vec<usize> = (0..report.findings.len()).collect();
    match &report.fleet {
        None => table.profiles(out, &all)?,
        Some(fleet) => {
            // a blank line between accounts
            let mut first = true;
            for (account, members) in group_by(&all, |i| report.findings[i].account.clone()) {
                if !std::mem::take(&mut first) {
                    writeln!(out)?;
                }
                let id = account.as_deref().unwrap_or("unknown");
                let known = fleet.accounts.iter().find(|a| Some(&a.id) == account.as_ref());
                let mut head = format!("account {id}");
                if let Some(name) = known.and_then(|a| a.name.as_deref()) {
                    head.push_str(&format!(" ({name})"));
                }
                if let Some(e) = known.and_then(|a| a.error.as_deref()) {
                    head.push_str(&format!(": nothing could be read: {e}"));
                }
                wrapped(out, style, "", 2, &head)?;
                table.profiles(out, &members)?;
                let summary = Summary::of(&members.iter().map(|&i| report.findings[i].clone()).collect::<Vec<_>>());
                wrapped(out, style, "", 2, &format!("account {id}: {}", counts(style, &summary)))?;
            }
            // accounts of the fleet with no finding at all
            let silent: Vec<_> = fleet
                .accounts
                .iter()
                .filter(|a| !report.findings.iter().any(|f| f.account.as_ref() == Some(&a.id)))
                .collect();
            if !silent.is_empty() && !first {
                writeln!(out)?;
            }
            for a in silent {
                let why = a.error.as_deref().map(|e| format!(" ({e})")).unwrap_or_default();
                wrapped(out, style, "", 2, &format!("account {}: no finding{why}", a.id))?;
            }
        }
    }
    trailer(report, style, out)
}

/// The run's summary, the baseline's counts, coverage, stale waivers and failed calls.
fn trailer(report: &Report, style: &Style, out: &mut dyn Write) -> std::io::Result<()> {
    let s = &report.summary;
    let regions = if report.regions.is_empty() { "-".to_string() } else { report.regions.join(", ") };
    let whose = match &report.fleet {
        Some(f) => {
            let unread = f.accounts.iter().filter(|a| a.error.is_some()).count();
            let unread = if unread > 0 { format!(" ({unread} unreadable)") } else { String::new() };
            let shard = f.shard.as_ref().map(|s| format!(", shard {}/{}", s.index, s.count)).unwrap_or_default();
            format!("{} account(s){unread}{shard}", f.accounts.len())
        }
        None => format!("account {}", report.account.as_deref().unwrap_or("unknown")),
    };
    writeln!(out)?;
    // the counts, then where and how long: on one line when it fits, else on two
    let tally = counts(style, s);
    let place = format!("— {whose}, regions {regions}, {} ms", report.duration_ms);
    let plain = counts(&Style::plain(), s);
    if style.width.is_none_or(|w| width_of(&plain) + 1 + width_of(&place) <= w) {
        writeln!(out, "{tally} {place}")?;
    } else {
        wrapped(out, style, "", 2, &tally)?;
        wrapped(out, style, "", 2, &place)?;
    }
    if let Some(m) = &report.baseline {
        let line = format!("against baseline {}: {} new drift, {} known drift", m.file, m.new_drift, m.known_drift);
        wrapped(out, style, "", 2, &line)?;
    }
    if let Some(c) = &report.convergence {
        wrapped(out, style, "", 2, &c.describe())?;
    }
    let c = &report.coverage;
    wrapped(
        out,
        style,
        "",
        2,
        &format!("coverage: {}", super::Coverage::describe(c.read, c.unknown, c.listings_unread)),
    )?;
    for e in &c.requirements {
        let text = super::Coverage::describe(e.read, e.unknown, e.listings_unread);
        wrapped(out, style, "  ", 4, &format!("{}/{}: {}", e.profile, e.requirement, text))?;
    }
    if let Some(stale) = report.stale_waivers.as_ref().filter(|s| !s.is_empty()) {
        writeln!(out, "\n{} stale waiver(s), covering no drift:", stale.len())?;
        for w in stale {
            wrapped(out, style, "  ", 4, &super::describe_waiver(w))?;
        }
    }
    if !report.errors.is_empty() {
        writeln!(out, "\n{} call(s) failed:", report.errors.len())?;
        for e in &report.errors {
            let on =
                e.resource.as_deref().map(|r| format!(" ({})", super::table_cells::short_name(r))).unwrap_or_default();
            let whose = e.account.as_deref().map(|a| format!("account {a}: ")).unwrap_or_default();
            let text = format!("{whose}{}:{} in {}{}: {} {}", e.service, e.operation, e.region, on, e.code, e.message);
            wrapped(out, style, "  ", 4, &text)?;
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "table_tests.rs"]
mod tests;
