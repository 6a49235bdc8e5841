//! `--format table` (the default): one line per finding, then a summary.

use super::{Report, Style};
use crate::compare::Status;
use std::io::Write;

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

/// "P pass, D drift, W waived, U unknown, N not applicable".
fn counts(style: &Style, s: &crate::compare::Summary) -> String {
    format!(
        "{} pass, {} drift, {} waived, {} unknown, {} not applicable",
        s.pass,
        paint(style, Status::Drift, &s.drift.to_string()),
        s.waived,
        paint(style, Status::Unknown, &s.unknown.to_string()),
        s.not_applicable
    )
}

pub fn render(report: &Report, style: &Style, out: &mut dyn Write) -> std::io::Result<()> {
    let rows: Vec<[String; 5]> = report
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            [
                super::status_text(report, i, f.status).to_uppercase(),
                f.severity.as_str().to_string(),
                format!("{}/{}", f.profile, f.requirement),
                f.resource.clone().unwrap_or_else(|| "-".into()),
                f.region.clone().unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    let headers = ["STATUS", "SEVERITY", "REQUIREMENT", "RESOURCE", "REGION"];
    let mut widths: Vec<usize> = headers.iter().map(|h| h.len()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let pad = |s: &str, w: usize| format!("{s}{}", " ".repeat(w.saturating_sub(s.chars().count())));
    let header: Vec<String> = headers.iter().zip(&widths).map(|(h, w)| pad(h, *w)).collect();
    writeln!(out, "{}  DETAIL", header.join("  "))?;
    let line = |out: &mut dyn Write, row: &[String; 5], f: &crate::compare::Finding| -> std::io::Result<()> {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (c, w))| if i == 0 { paint(style, f.status, &pad(c, *w)) } else { pad(c, *w) })
            .collect();
        writeln!(out, "{}  {}", cells.join("  "), f.message)
    };
    match &report.fleet {
        None => {
            for (row, f) in rows.iter().zip(&report.findings) {
                line(out, row, f)?;
            }
        }
        // a fleet run: a heading per account with its summary, then its findings
        Some(fleet) => {
            for a in &fleet.accounts {
                let name = a.name.as_deref().map(|n| format!(" ({n})")).unwrap_or_default();
                let error = a.error.as_deref().map(|e| format!(" — {e}")).unwrap_or_default();
                writeln!(out, "\n== account {}{name}: {}{error}", a.id, counts(style, &a.summary))?;
                for (row, f) in rows.iter().zip(&report.findings).filter(|(_, f)| f.account.as_deref() == Some(&a.id)) {
                    line(out, row, f)?;
                }
            }
        }
    }
    let s = &report.summary;
    writeln!(out)?;
    let audited = match &report.fleet {
        None => format!("account {}", report.account.as_deref().unwrap_or("unknown")),
        Some(fleet) => {
            let unread = fleet.accounts.iter().filter(|a| a.error.is_some()).count();
            let shard = fleet.shard.as_ref().map(|s| format!(", shard {}/{}", s.index, s.count)).unwrap_or_default();
            format!(
                "{} account(s){}{shard}",
                fleet.accounts.len(),
                if unread > 0 { format!(" ({unread} unreadable)") } else { String::new() }
            )
        }
    };
    writeln!(
        out,
        "{} — {audited}, regions {}, {} ms",
        counts(style, s),
        if report.regions.is_empty() { "-".to_string() } else { report.regions.join(", ") },
        report.duration_ms
    )?;
    if let Some(m) = &report.baseline {
        writeln!(out, "against baseline {}: {} new drift, {} known drift", m.file, m.new_drift, m.known_drift)?;
    }
    if let Some(c) = &report.convergence {
        writeln!(out, "{}", c.describe())?;
    }
    let c = &report.coverage;
    writeln!(out, "coverage: {}", super::Coverage::describe(c.read, c.unknown, c.listings_unread))?;
    for e in &c.requirements {
        let text = super::Coverage::describe(e.read, e.unknown, e.listings_unread);
        writeln!(out, "  {}/{}: {}", e.profile, e.requirement, text)?;
    }
    if let Some(stale) = report.stale_waivers.as_ref().filter(|s| !s.is_empty()) {
        writeln!(out, "\n{} stale waiver(s), covering no drift:", stale.len())?;
        for w in stale {
            writeln!(out, "  {}", super::describe_waiver(w))?;
        }
    }
    if !report.errors.is_empty() {
        writeln!(out, "\n{} call(s) failed:", report.errors.len())?;
        for e in &report.errors {
            let on = e.resource.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
            let acct = e.account.as_deref().map(|a| format!("account {a}: ")).unwrap_or_default();
            writeln!(out, "  {acct}{}:{} in {}{}: {} {}", e.service, e.operation, e.region, on, e.code, e.message)?;
        }
    }
    Ok(())
}
