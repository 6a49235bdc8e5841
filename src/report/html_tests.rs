//! `--format html` over a fixed report: exact counts, escaping of what AWS
//! returned, nothing loaded from the network, drift listed first.

use super::pipeline_tests::{finding, findings, rendered, report_of, Row};
use super::{ErrorEntry, Format};
use crate::compare::{Check, Status};
use crate::profile::Severity;
use crate::waivers::{Date, Waiver};
use serde_json::json;

fn page() -> String {
    let mut all = findings();
    all.push(finding(Row {
        requirement: "s3-encrypted",
        kind: "s3.bucket",
        severity: Severity::High,
        status: Status::Drift,
        resource: Some("arn:aws:s3:::<script>alert(1)</script>"),
        region: Some("eu-west-1"),
        checks: vec![Check::new("encryption", json!("aws:kms"), json!("<img src=x onerror=alert(2)>"), false)],
        message: "<script>alert(1)</script>: encryption differs & \"quoted\"",
    }));
    all.push(finding(Row {
        requirement: "tagged",
        kind: "s3.bucket",
        severity: Severity::Low,
        status: Status::NotApplicable,
        resource: None,
        region: None,
        checks: vec![],
        message: "no resource matches tag:Team=web",
    }));
    let mut report = report_of(all);
    report.errors = vec![ErrorEntry {
        account: None,
        service: "iam".into(),
        region: "us-east-1".into(),
        operation: "GetRole".into(),
        resource: Some("arn:aws:iam::123456789012:role/ci".into()),
        code: "AccessDenied".into(),
        message: "User: x is not authorized <to>".into(),
    }];
    report.stale_waivers = Some(vec![Waiver {
        source: "waivers.toml:9".into(),
        requirement: "old-*".into(),
        resources: vec!["legacy-*".into()],
        accounts: vec![],
        reason: "migration".into(),
        expires: Date { year: 2027, month: 1, day: 15 },
        owner: None,
        ticket: None,
    }]);
    rendered(&report, Format::Html)
}

fn attr_values(html: &str, pattern: &str) -> Vec<(String, String)> {
    let re = regex_lite::Regex::new(pattern).expect("pattern");
    re.captures_iter(html).map(|c| (c[1].to_string(), c[2].to_string())).collect()
}

#[test]
fn html_summary_shows_the_exact_counts() {
    let html = page();
    let counts = attr_values(&html, r#"data-status-count="([a-z_]+)" data-count="(\d+)""#);
    let want = [("drift", "2"), ("unknown", "1"), ("waived", "1"), ("pass", "1"), ("not_applicable", "1")];
    assert_eq!(counts, want.map(|(a, b)| (a.to_string(), b.to_string())).to_vec());
    let articles = attr_values(&html, r#"<article class="finding" data-status="([a-z_]+)" data-resource="([^"]*)""#);
    let statuses: Vec<&str> = articles.iter().map(|(s, _)| s.as_str()).collect();
    // Requirements with drift first; within s3-encrypted, both drifts before the pass.
    assert_eq!(statuses, ["drift", "drift", "pass", "unknown", "waived", "not_applicable"]);
}

#[test]
fn html_charts_count_per_profile_and_per_severity() {
    let html = page();
    let rows = attr_values(&html, r#"data-chart="([a-z-]+)" data-row="([a-z]+)""#);
    let want = [
        ("by-profile", "base"),
        ("by-severity", "critical"),
        ("by-severity", "high"),
        ("by-severity", "medium"),
        ("by-severity", "low"),
        ("by-severity", "info"),
    ];
    assert_eq!(rows, want.map(|(a, b)| (a.to_string(), b.to_string())).to_vec());
    let bars = attr_values(&html, r#"<rect class="s-[a-z_]+" data-status="([a-z_]+)" data-count="(\d+)""#);
    let bars: Vec<String> = bars.iter().map(|(s, n)| format!("{s}={n}")).collect();
    #[rustfmt::skip]
    let want = [
        // base
        "drift=2", "unknown=1", "waived=1", "pass=1", "not_applicable=1",
        // critical, high, medium, low, info
        "drift=0", "unknown=1", "waived=0", "pass=0", "not_applicable=0",
        "drift=2", "unknown=0", "waived=0", "pass=1", "not_applicable=0",
        "drift=0", "unknown=0", "waived=1", "pass=0", "not_applicable=0",
        "drift=0", "unknown=0", "waived=0", "pass=0", "not_applicable=1",
        "drift=0", "unknown=0", "waived=0", "pass=0", "not_applicable=0",
    ];
    assert_eq!(bars, want);
}

#[test]
fn html_escapes_every_text_from_aws() {
    let html = page();
    assert_eq!(html.matches("<script").count(), 1, "only the page's own script");
    assert!(!html.contains("<img"));
    assert!(html.contains("arn:aws:s3:::&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&quot;&lt;img src=x onerror=alert(2)&gt;&quot;"));
    assert!(html.contains("encryption differs &amp; &quot;quoted&quot;"));
    assert!(html.contains("User: x is not authorized &lt;to&gt;"));
}

#[test]
fn html_loads_nothing_from_the_network() {
    let html = page();
    for needle in ["http://", "https://", "src=\"", "href=", "url(", "@import", "<link", "<iframe"] {
        assert!(!html.contains(needle), "the page contains {needle}");
    }
    assert!(html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\""));
}

#[test]
fn html_lists_errors_stale_waivers_coverage_and_expected_vs_observed() {
    let html = page();
    assert!(html.contains("<tr class=\"error\"><td><code>iam:GetRole</code></td><td>us-east-1</td>"));
    assert!(html.contains(
        "<li class=\"stale-waiver\">waivers.toml:9 (requirement old-*, resources legacy-*, expires 2027-01-15)</li>"
    ));
    assert!(html.contains("<p data-read=\"4\" data-unknown=\"1\" data-listings-unread=\"0\">"), "{html}");
    assert!(html.contains(
        "<tr class=\"fail\" data-field=\"versioning\"><td><code>versioning</code></td><td><code>true</code></td><td><code>false</code></td><td>differs</td></tr>"
    ));
    assert!(
        html.contains("<p class=\"waiver\">Waiver waivers.toml:3 (until 2026-12-31): bastion until the VPN lands</p>")
    );
    assert!(html.contains("<dd id=\"run-account\">123456789012</dd>"));
    assert!(html.contains("<dd id=\"run-regions\">eu-west-1</dd>"));
}

#[test]
fn html_shows_fleet_accounts_and_baseline_marks() {
    use super::{AccountResult, Fleet};
    use crate::baseline::{Mark, Marks};
    use crate::compare::Summary;
    let mut all = findings();
    for f in &mut all {
        f.account = Some("210987654321".into());
    }
    let mut report = report_of(all);
    report.account = None;
    report.fleet = Some(Fleet {
        accounts: vec![AccountResult {
            id: "210987654321".into(),
            name: Some("prod <main>".into()),
            summary: Summary { pass: 1, drift: 1, unknown: 1, not_applicable: 0, waived: 1 },
            error: None,
        }],
        shard: None,
    });
    report.baseline = Some(Marks {
        file: "before.json".into(),
        marks: vec![None, Some(Mark::New), None, None],
        new_drift: 1,
        known_drift: 0,
    });
    let html = rendered(&report, Format::Html);
    assert!(html.contains(
        "<tr data-account=\"210987654321\"><td class=\"mono\">210987654321</td><td>prod &lt;main&gt;</td>\
         <td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">0</td>"
    ));
    assert_eq!(html.matches("account <code data-account=\"210987654321\">210987654321</code>").count(), 4);
    assert!(html.contains("<span class=\"badge s-drift\">drift (new)</span>"));
    assert!(html.contains("<p id=\"baseline\" data-new-drift=\"1\" data-known-drift=\"0\">Against baseline <code>before.json</code>: 1 new drift, 0 known drift</p>"));
    assert!(html.contains("<dd id=\"run-account\">1 accounts (fleet)</dd>"));
}
