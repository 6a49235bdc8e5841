//! `--format html`: one self-contained page to look at — the run, the summary, bar
//! charts of the statuses per profile and per severity (inline SVG), a section per
//! requirement with expected and observed values (drift first, then unknown,
//! waived, pass, not applicable), coverage, failed calls, stale waivers.
//!
//! Nothing is loaded from anywhere: the style and the small script are inline, and
//! a Content-Security-Policy of `default-src 'none'` makes the browser refuse any
//! other load. Every text from the report (resource names and observed values come
//! from AWS) is escaped. Elements carry `id`s and `data-` attributes for tests and
//! scripts: `data-status-count="drift"` on the summary, `data-chart` and
//! `data-count` on the bars, `data-requirement` on each section, `data-status` on
//! each finding. The script only adds status filters and checks that the findings
//! listed per status match the summary (`data-consistent` on `<html>`), then sets
//! `data-rendered="ok"` on `<html>`.

use super::{Report, Style};
use crate::compare::{Check, Finding, Status, Summary};
use crate::profile::Severity;
use std::io::Write;

/// The statuses in the order the page lists them.
const STATUSES: [Status; 5] = [Status::Drift, Status::Unknown, Status::Waived, Status::Pass, Status::NotApplicable];
const SEVERITIES: [Severity; 5] = [Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Info];

fn rank(s: Status) -> usize {
    STATUSES.iter().position(|x| *x == s).unwrap_or(STATUSES.len())
}

fn esc(s: &str) -> String {
    super::xml_escape(s)
}

fn count(s: &Summary, status: Status) -> usize {
    match status {
        Status::Pass => s.pass,
        Status::Drift => s.drift,
        Status::Unknown => s.unknown,
        Status::NotApplicable => s.not_applicable,
        Status::Waived => s.waived,
    }
}

fn label(status: Status) -> &'static str {
    match status {
        Status::NotApplicable => "not applicable",
        s => s.as_str(),
    }
}

const CSS: &str = r#"
:root{--drift:#c62828;--unknown:#ef6c00;--waived:#6a1b9a;--pass:#2e7d32;--not_applicable:#757575;color-scheme:light}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1200px;padding:1rem 1.5rem;color:#1b1b1b}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2rem}
h3{font-size:1rem;margin:.2rem 0}dl.run{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.5rem 0}
dt{color:#555}dd{margin:0}code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.92em;word-break:break-all}
ul.counts{display:flex;gap:.6rem;list-style:none;padding:0;flex-wrap:wrap}
ul.counts li{border-radius:6px;padding:.4rem .8rem;color:#fff;cursor:pointer;user-select:none;min-width:6rem}
ul.counts li.off{opacity:.35}ul.counts .n{font-size:1.6rem;font-weight:600;display:block}
.s-drift{background:var(--drift)}.s-unknown{background:var(--unknown)}.s-waived{background:var(--waived)}
.s-pass{background:var(--pass)}.s-not_applicable{background:var(--not_applicable)}
rect.s-drift{fill:var(--drift)}rect.s-unknown{fill:var(--unknown)}rect.s-waived{fill:var(--waived)}
rect.s-pass{fill:var(--pass)}rect.s-not_applicable{fill:var(--not_applicable)}
.charts{display:flex;gap:2rem;flex-wrap:wrap}figure{margin:0}figcaption{font-weight:600;margin-bottom:.3rem}
svg text{font-size:12px;fill:#1b1b1b}table{border-collapse:collapse;width:100%;margin:.4rem 0}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#f5f5f5}
td.num,th.num{text-align:right}section.requirement{border:1px solid #ddd;border-radius:6px;padding:.5rem .8rem;margin:.8rem 0}
article.finding{border-left:4px solid var(--not_applicable);padding:.2rem .6rem;margin:.5rem 0}
article.finding[data-status=drift]{border-color:var(--drift)}article.finding[data-status=unknown]{border-color:var(--unknown)}
article.finding[data-status=waived]{border-color:var(--waived)}article.finding[data-status=pass]{border-color:var(--pass)}
.badge{display:inline-block;border-radius:4px;color:#fff;padding:0 .4rem;font-size:.85em;margin-right:.4rem}
tr.fail td{background:#fdecea}tr.unknown td{background:#fff4e5}tr.na td{color:#757575}
.hidden{display:none}.muted{color:#666}
"#;

const SCRIPT: &str = r#"
(function () {
  var root = document.documentElement;
  try {
    var summary = document.querySelectorAll('[data-status-count]');
    var consistent = true;
    summary.forEach(function (el) {
      var status = el.getAttribute('data-status-count');
      var listed = document.querySelectorAll('article.finding[data-status="' + status + '"]').length;
      if (String(listed) !== el.getAttribute('data-count')) { consistent = false; }
      el.addEventListener('click', function () {
        var off = el.classList.toggle('off');
        document.querySelectorAll('article.finding[data-status="' + status + '"]').forEach(function (a) {
          a.classList.toggle('hidden', off);
        });
      });
    });
    root.setAttribute('data-consistent', consistent ? 'true' : 'false');
    root.setAttribute('data-rendered', 'ok');
  } catch (e) {
    root.setAttribute('data-rendered', 'error: ' + e);
  }
})();
"#;

pub fn render(report: &Report, _style: &Style, out: &mut dyn Write) -> std::io::Result<()> {
    let account = match (&report.account, &report.fleet) {
        (Some(a), _) => a.clone(),
        (None, Some(fleet)) => format!("{} accounts (fleet)", fleet.accounts.len()),
        (None, None) => "unknown".to_string(),
    };
    let account = account.as_str();
    writeln!(out, "<!DOCTYPE html>\n<html lang=\"en\" data-schema=\"{}\">\n<head>", esc(report.schema))?;
    writeln!(out, "<meta charset=\"utf-8\">")?;
    writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
    )?;
    writeln!(out, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")?;
    writeln!(out, "<title>driftwatch report: account {}</title>\n<style>{CSS}</style>\n</head>\n<body>", esc(account))?;
    header(report, account, out)?;
    summary(report, out)?;
    charts(report, out)?;
    if let Some(fleet) = &report.fleet {
        fleet_section(fleet, out)?;
    }
    requirements(report, out)?;
    coverage(report, out)?;
    errors(report, out)?;
    stale_waivers(report, out)?;
    writeln!(out, "<script>{SCRIPT}</script>\n</body>\n</html>")
}

fn header(report: &Report, account: &str, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "<header id=\"run\">\n<h1>driftwatch report</h1>\n<dl class=\"run\">")?;
    let rows = [
        ("account", account.to_string()),
        ("regions", if report.regions.is_empty() { "-".into() } else { report.regions.join(", ") }),
        ("profiles", report.profiles.join(", ")),
        ("started", report.started_at.clone()),
        ("duration", format!("{} ms", report.duration_ms)),
        ("tool", format!("{} {}", report.tool.name, report.tool.version)),
    ];
    for (key, value) in rows {
        writeln!(out, "<dt>{key}</dt><dd id=\"run-{key}\">{}</dd>", esc(&value))?;
    }
    writeln!(out, "</dl>\n</header>")
}

fn summary(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "<section id=\"summary\">\n<h2>Summary</h2>\n<ul class=\"counts\">")?;
    for status in STATUSES {
        let n = count(&report.summary, status);
        let s = status.as_str();
        writeln!(
            out,
            "<li class=\"s-{s}\" data-status-count=\"{s}\" data-count=\"{n}\" title=\"show or hide {}\"><span class=\"n\">{n}</span>{}</li>",
            label(status),
            label(status)
        )?;
    }
    writeln!(out, "</ul>")?;
    if let Some(m) = &report.baseline {
        writeln!(
            out,
            "<p id=\"baseline\" data-new-drift=\"{}\" data-known-drift=\"{}\">Against baseline <code>{}</code>: {} new drift, {} known drift</p>",
            m.new_drift,
            m.known_drift,
            esc(&m.file),
            m.new_drift,
            m.known_drift
        )?;
    }
    if let Some(c) = &report.convergence {
        writeln!(
            out,
            "<p id=\"convergence\" data-converged=\"{}\" data-attempts=\"{}\">{}</p>",
            c.converged,
            c.attempts,
            esc(&c.describe())
        )?;
    }
    writeln!(out, "</section>")
}

/// A horizontal stacked bar per row, each status a segment; widths are relative
/// to the largest row.
fn bar_chart(id: &str, caption: &str, rows: &[(String, Summary)], out: &mut dyn Write) -> std::io::Result<()> {
    const LABEL: usize = 160;
    const WIDTH: usize = 360;
    const ROW: usize = 24;
    let total = |s: &Summary| STATUSES.iter().map(|st| count(s, *st)).sum::<usize>();
    let max = rows.iter().map(|(_, s)| total(s)).max().unwrap_or(0).max(1);
    let height = rows.len().max(1) * ROW;
    writeln!(out, "<figure id=\"{id}\">\n<figcaption>{caption}</figcaption>")?;
    writeln!(
        out,
        "<svg role=\"img\" aria-label=\"{caption}\" width=\"{}\" height=\"{height}\" viewBox=\"0 0 {} {height}\">",
        LABEL + WIDTH + 50,
        LABEL + WIDTH + 50
    )?;
    for (i, (name, s)) in rows.iter().enumerate() {
        let y = i * ROW;
        let name = esc(name);
        writeln!(out, "<g data-chart=\"{id}\" data-row=\"{name}\" data-total=\"{}\">", total(s))?;
        writeln!(out, "<text x=\"0\" y=\"{}\">{name}</text>", y + 16)?;
        let mut x = LABEL;
        for status in STATUSES {
            let n = count(s, status);
            let w = n * WIDTH / max;
            let st = status.as_str();
            writeln!(
                out,
                "<rect class=\"s-{st}\" data-status=\"{st}\" data-count=\"{n}\" x=\"{x}\" y=\"{}\" width=\"{w}\" height=\"{}\"><title>{name}: {n} {}</title></rect>",
                y + 3,
                ROW - 6,
                label(status)
            )?;
            x += w;
        }
        writeln!(out, "<text x=\"{}\" y=\"{}\">{}</text>\n</g>", x + 6, y + 16, total(s))?;
    }
    writeln!(out, "</svg>\n</figure>")
}

fn charts(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let mut profiles: Vec<(String, Summary)> =
        report.profiles.iter().map(|p| (p.clone(), Summary::default())).collect();
    for f in &report.findings {
        if !profiles.iter().any(|(p, _)| *p == f.profile) {
            profiles.push((f.profile.clone(), Summary::default()));
        }
    }
    for (p, s) in &mut profiles {
        let of: Vec<Finding> = report.findings.iter().filter(|f| f.profile == *p).cloned().collect();
        *s = Summary::of(&of);
    }
    let severities: Vec<(String, Summary)> = SEVERITIES
        .iter()
        .map(|sev| {
            let of: Vec<Finding> = report.findings.iter().filter(|f| f.severity == *sev).cloned().collect();
            (sev.as_str().to_string(), Summary::of(&of))
        })
        .collect();
    writeln!(out, "<section id=\"charts\">\n<h2>Status counts</h2>\n<div class=\"charts\">")?;
    bar_chart("by-profile", "per profile", &profiles, out)?;
    bar_chart("by-severity", "per severity", &severities, out)?;
    writeln!(out, "</div>\n</section>")
}

fn fleet_section(fleet: &super::Fleet, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "<section id=\"fleet\">\n<h2>Accounts</h2>")?;
    if let Some(shard) = &fleet.shard {
        writeln!(
            out,
            "<p>Shard {} of {} ({} accounts in the fleet)</p>",
            shard.index + 1,
            shard.count,
            shard.fleet_accounts.len()
        )?;
    }
    writeln!(out, "<table>\n<tr><th>account</th><th>name</th>")?;
    for status in STATUSES {
        writeln!(out, "<th class=\"num\">{}</th>", label(status))?;
    }
    writeln!(out, "<th>error</th></tr>")?;
    for a in &fleet.accounts {
        write!(
            out,
            "<tr data-account=\"{}\"><td class=\"mono\">{}</td><td>{}</td>",
            esc(&a.id),
            esc(&a.id),
            esc(a.name.as_deref().unwrap_or(""))
        )?;
        for status in STATUSES {
            write!(out, "<td class=\"num\">{}</td>", count(&a.summary, status))?;
        }
        writeln!(out, "<td>{}</td></tr>", esc(a.error.as_deref().unwrap_or("")))?;
    }
    writeln!(out, "</table>\n</section>")
}

/// The findings grouped by requirement; requirements with the worst status first,
/// and within one, drift first.
fn requirements(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let mut groups: Vec<(&str, &str, Vec<usize>)> = Vec::new();
    for (i, f) in report.findings.iter().enumerate() {
        match groups.iter_mut().find(|(p, r, _)| *p == f.profile && *r == f.requirement) {
            Some(g) => g.2.push(i),
            None => groups.push((&f.profile, &f.requirement, vec![i])),
        }
    }
    for g in &mut groups {
        g.2.sort_by_key(|i| rank(report.findings[*i].status));
    }
    groups.sort_by_key(|g| g.2.first().map(|i| rank(report.findings[*i].status)).unwrap_or(STATUSES.len()));
    writeln!(out, "<section id=\"requirements\">\n<h2>Requirements</h2>")?;
    if groups.is_empty() {
        writeln!(out, "<p class=\"muted\">No findings.</p>")?;
    }
    for (n, (profile, requirement, indices)) in groups.iter().enumerate() {
        let first = &report.findings[indices[0]];
        let of: Vec<Finding> = indices.iter().map(|i| report.findings[*i].clone()).collect();
        let s = Summary::of(&of);
        let counts: Vec<String> = STATUSES
            .iter()
            .filter(|st| count(&s, **st) > 0)
            .map(|st| format!("{} {}", count(&s, *st), label(*st)))
            .collect();
        writeln!(
            out,
            "<section class=\"requirement\" id=\"req-{n}\" data-requirement=\"{}/{}\" data-kind=\"{}\" data-severity=\"{}\">",
            esc(profile),
            esc(requirement),
            esc(first.kind),
            first.severity.as_str()
        )?;
        writeln!(
            out,
            "<h3>{}/{} <span class=\"muted\">({}, severity {}): {}</span></h3>",
            esc(profile),
            esc(requirement),
            esc(first.kind),
            first.severity.as_str(),
            counts.join(", ")
        )?;
        for i in indices {
            finding(report, *i, out)?;
        }
        writeln!(out, "</section>")?;
    }
    writeln!(out, "</section>")
}

fn finding(report: &Report, index: usize, out: &mut dyn Write) -> std::io::Result<()> {
    let f = &report.findings[index];
    let st = f.status.as_str();
    let resource = f.resource.as_deref().unwrap_or("-");
    writeln!(out, "<article class=\"finding\" data-status=\"{st}\" data-resource=\"{}\">", esc(resource))?;
    write!(
        out,
        "<p><span class=\"badge s-{st}\">{}</span><code>{}</code>",
        esc(&super::status_text(report, index, f.status)),
        esc(resource)
    )?;
    if let Some(region) = &f.region {
        write!(out, " <span class=\"muted\">in {}</span>", esc(region))?;
    }
    if let Some(account) = &f.account {
        write!(
            out,
            " <span class=\"muted\">account <code data-account=\"{}\">{}</code></span>",
            esc(account),
            esc(account)
        )?;
    }
    writeln!(out, "</p>\n<p class=\"message\">{}</p>", esc(&f.message))?;
    if let Some(w) = &f.waiver {
        let state = if w.expired { "expired" } else { "until" };
        writeln!(out, "<p class=\"waiver\">Waiver {} ({state} {}): {}</p>", esc(&w.source), w.expires, esc(&w.reason))?;
    }
    if !f.checks.is_empty() {
        let mut checks: Vec<&Check> = f.checks.iter().collect();
        checks.sort_by_key(|c| check_rank(c));
        writeln!(
            out,
            "<table class=\"checks\">\n<tr><th>field</th><th>expected</th><th>observed</th><th>result</th></tr>"
        )?;
        for c in checks {
            let (class, result) = match (c.ok, &c.error, &c.not_applicable) {
                (Some(true), _, _) => ("ok", "as expected".to_string()),
                (Some(false), _, _) => ("fail", "differs".to_string()),
                (None, Some(e), _) => ("unknown", format!("not observed: {e}")),
                (None, None, Some(why)) => ("na", format!("not applicable: {why}")),
                (None, None, None) => ("unknown", "not observed".to_string()),
            };
            writeln!(
                out,
                "<tr class=\"{class}\" data-field=\"{}\"><td><code>{}</code></td><td><code>{}</code></td><td><code>{}</code></td><td>{}</td></tr>",
                esc(&c.field),
                esc(&c.field),
                esc(&c.expected.to_string()),
                esc(&c.observed.to_string()),
                esc(&result)
            )?;
        }
        writeln!(out, "</table>")?;
    }
    writeln!(out, "</article>")
}

/// Failed fields first, then unread ones, then the rest.
fn check_rank(c: &Check) -> usize {
    match (c.ok, c.not_applicable.is_some()) {
        (Some(false), _) => 0,
        (None, false) => 1,
        (Some(true), _) => 2,
        (None, true) => 3,
    }
}

fn coverage(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let c = &report.coverage;
    writeln!(out, "<section id=\"coverage\">\n<h2>Coverage</h2>")?;
    writeln!(
        out,
        "<p data-read=\"{}\" data-unknown=\"{}\" data-listings-unread=\"{}\">{}</p>",
        c.read,
        c.unknown,
        c.listings_unread,
        esc(&super::Coverage::describe(c.read, c.unknown, c.listings_unread))
    )?;
    writeln!(
        out,
        "<table>\n<tr><th>requirement</th><th class=\"num\">read</th><th class=\"num\">unknown</th><th class=\"num\">listings unread</th></tr>"
    )?;
    for e in &c.requirements {
        writeln!(
            out,
            "<tr data-requirement=\"{}/{}\"><td>{}/{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&e.profile),
            esc(&e.requirement),
            esc(&e.profile),
            esc(&e.requirement),
            e.read,
            e.unknown,
            e.listings_unread
        )?;
    }
    writeln!(out, "</table>\n</section>")
}

fn errors(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    if report.errors.is_empty() {
        return Ok(());
    }
    writeln!(out, "<section id=\"errors\">\n<h2>Failed calls</h2>")?;
    writeln!(out, "<table>\n<tr><th>call</th><th>region</th><th>resource</th><th>code</th><th>message</th></tr>")?;
    for e in &report.errors {
        writeln!(
            out,
            "<tr class=\"error\"><td><code>{}:{}</code></td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
            esc(&e.service),
            esc(&e.operation),
            esc(&e.region),
            esc(e.resource.as_deref().unwrap_or("-")),
            esc(&e.code),
            esc(&e.message)
        )?;
    }
    writeln!(out, "</table>\n</section>")
}

fn stale_waivers(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let Some(stale) = report.stale_waivers.as_ref().filter(|s| !s.is_empty()) else { return Ok(()) };
    writeln!(out, "<section id=\"stale-waivers\">\n<h2>Stale waivers (covering no drift)</h2>\n<ul>")?;
    for w in stale {
        writeln!(out, "<li class=\"stale-waiver\">{}</li>", esc(&super::describe_waiver(w)))?;
    }
    writeln!(out, "</ul>\n</section>")
}
