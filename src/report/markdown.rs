//! `--format markdown`: a summary and a findings table for pull requests and wikis.

use super::Report;
use std::io::Write;

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn render(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let s = &report.summary;
    writeln!(out, "# driftwatch report\n")?;
    let audited = match &report.fleet {
        None => format!("Account `{}`", report.account.as_deref().unwrap_or("unknown")),
        Some(fleet) => {
            let shard = fleet.shard.as_ref().map(|s| format!(" (shard {}/{})", s.index, s.count)).unwrap_or_default();
            format!("Fleet of {} account(s){shard}", fleet.accounts.len())
        }
    };
    writeln!(
        out,
        "{audited} · profiles {} · regions {}\n",
        report.profiles.join(", "),
        if report.regions.is_empty() { "-".into() } else { report.regions.join(", ") }
    )?;
    writeln!(out, "| pass | drift | waived | unknown | not applicable |\n|---:|---:|---:|---:|---:|")?;
    writeln!(out, "| {} | {} | {} | {} | {} |\n", s.pass, s.drift, s.waived, s.unknown, s.not_applicable)?;
    if let Some(fleet) = &report.fleet {
        writeln!(out, "| account | pass | drift | waived | unknown | not applicable | error |")?;
        writeln!(out, "|---|---:|---:|---:|---:|---:|---|")?;
        for a in &fleet.accounts {
            let name = a.name.as_deref().map(|n| format!(" ({n})")).unwrap_or_default();
            let t = &a.summary;
            writeln!(
                out,
                "| {}{} | {} | {} | {} | {} | {} | {} |",
                a.id,
                cell(&name),
                t.pass,
                t.drift,
                t.waived,
                t.unknown,
                t.not_applicable,
                cell(a.error.as_deref().unwrap_or(""))
            )?;
        }
        writeln!(out)?;
    }
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
    // a fleet run has an account column first
    let (head, first) = match report.fleet {
        None => ("", ""),
        Some(_) => ("| account ", "|---"),
    };
    writeln!(
        out,
        "{head}| status | severity | requirement | resource | region | detail |\n{first}|---|---|---|---|---|---|"
    )?;
    for (i, f) in report.findings.iter().enumerate() {
        if report.fleet.is_some() {
            write!(out, "| {} ", f.account.as_deref().unwrap_or("-"))?;
        }
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
            let acct = e.account.as_deref().map(|a| format!("account {a}: ")).unwrap_or_default();
            writeln!(out, "- {acct}`{}:{}` in {}: {} {}", e.service, e.operation, e.region, e.code, cell(&e.message))?;
        }
    }
    Ok(())
}
