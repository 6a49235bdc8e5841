//! `--format markdown`: a summary and a findings table for pull requests and wikis.

use super::Report;
use std::io::Write;

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn render(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let s = &report.summary;
    writeln!(out, "# driftwatch report\n")?;
    writeln!(
        out,
        "Account `{}` · profiles {} · regions {}\n",
        report.account.as_deref().unwrap_or("unknown"),
        report.profiles.join(", "),
        if report.regions.is_empty() { "-".into() } else { report.regions.join(", ") }
    )?;
    writeln!(out, "| pass | drift | waived | unknown | not applicable |\n|---:|---:|---:|---:|---:|")?;
    writeln!(out, "| {} | {} | {} | {} | {} |\n", s.pass, s.drift, s.waived, s.unknown, s.not_applicable)?;
    if let Some(m) = &report.baseline {
        writeln!(
            out,
            "Against baseline `{}`: {} new drift, {} known drift\n",
            cell(&m.file),
            m.new_drift,
            m.known_drift
        )?;
    }
    if let Some(c) = &report.convergence {
        writeln!(out, "{}\n", c.describe())?;
    }
    let c = &report.coverage;
    writeln!(out, "Coverage: {}\n", super::Coverage::describe(c.read, c.unknown, c.listings_unread))?;
    writeln!(out, "| requirement | read | unknown | listings unread |\n|---|---:|---:|---:|")?;
    for e in &c.requirements {
        let name = format!("{}/{}", e.profile, e.requirement);
        writeln!(out, "| {} | {} | {} | {} |", cell(&name), e.read, e.unknown, e.listings_unread)?;
    }
    writeln!(out)?;
    writeln!(out, "| status | severity | requirement | resource | region | detail |\n|---|---|---|---|---|---|")?;
    for (i, f) in report.findings.iter().enumerate() {
        writeln!(
            out,
            "| {} | {} | {}/{} | {} | {} | {} |",
            super::status_text(report, i, f.status),
            f.severity.as_str(),
            cell(&f.profile),
            cell(&f.requirement),
            cell(f.resource.as_deref().unwrap_or("-")),
            f.region.as_deref().unwrap_or("-"),
            cell(&f.message)
        )?;
    }
    if let Some(stale) = report.stale_waivers.as_ref().filter(|s| !s.is_empty()) {
        writeln!(out, "\n## Stale waivers (covering no drift)\n")?;
        for w in stale {
            writeln!(out, "- {}", cell(&super::describe_waiver(w)))?;
        }
    }
    if !report.errors.is_empty() {
        writeln!(out, "\n## Failed calls\n")?;
        for e in &report.errors {
            writeln!(out, "- `{}:{}` in {}: {} {}", e.service, e.operation, e.region, e.code, cell(&e.message))?;
        }
    }
    Ok(())
}
