//! A fleet report in every format, compared with its golden file in
//! `src/report/snapshots/fleet-*` (regenerate with `UPDATE_SNAPSHOTS=1 cargo test`):
//! the shared fixture's findings spread over two accounts, the second one's role
//! refused.

use super::*;
use crate::compare::{Check, Status, Summary};
use serde_json::json;

const A: &str = "111111111111";
const B: &str = "222222222222";

fn fleet_fixture() -> Report {
    let mut report = super::tests::fixture();
    let mut findings = std::mem::take(&mut report.findings);
    for (i, f) in findings.iter_mut().enumerate() {
        f.account = Some(if i < 3 { A } else { B }.to_string());
    }
    // the first account's first three findings, then the second's
    let gap = crate::inventory::Gap {
        service: "sts".into(),
        region: "us-east-1".into(),
        operation: "AssumeRole".into(),
        resource: Some(format!("arn:aws:iam::{B}:role/audit")),
        code: "AccessDenied".into(),
        message: "not authorized".into(),
        class: crate::inventory::ErrorClass::AccessDenied,
    };
    let why = format!("sts:AssumeRole of arn:aws:iam::{B}:role/audit failed with AccessDenied: not authorized");
    let mut denied = findings[0].clone();
    denied.account = Some(B.into());
    denied.requirement = "s3-private-kms".into();
    denied.status = Status::Unknown;
    denied.resource = None;
    denied.region = None;
    denied.checks = vec![Check::unknown("account", json!(B), &gap)];
    denied.message = format!("account {B}: {why}; nothing in this account could be read");
    findings.insert(3, denied);
    report.account = None;
    report.summary = Summary::of(&findings);
    report.coverage = Coverage::of(&findings);
    report.errors = vec![ErrorEntry {
        account: Some(B.into()),
        service: "sts".into(),
        region: "us-east-1".into(),
        operation: "AssumeRole".into(),
        resource: gap.resource.clone(),
        code: "AccessDenied".into(),
        message: "not authorized".into(),
    }];
    report.stale_waivers = None;
    report.fleet = Some(Fleet {
        accounts: vec![
            AccountResult {
                id: A.into(),
                name: Some("prod".into()),
                summary: Summary::of(&findings[..3]),
                error: None,
            },
            AccountResult { id: B.into(), name: None, summary: Summary::of(&findings[3..]), error: Some(why) },
        ],
        shard: Some(Shard { index: 1, count: 3, fleet_accounts: vec![A.into(), B.into(), "333333333333".into()] }),
    });
    report.findings = findings;
    report
}

fn snapshot(format: Format, file: &str) -> String {
    let mut out = Vec::new();
    render(&fleet_fixture(), format, &Style::plain(), &mut out).unwrap();
    let got = String::from_utf8(out).unwrap();
    let path = format!("{}/src/report/snapshots/{file}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &got).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e} (run with UPDATE_SNAPSHOTS=1)"));
    assert_eq!(got, want, "{file} differs from its snapshot");
    got
}

#[test]
fn fleet_table_groups_findings_under_a_heading_per_account() {
    let text = snapshot(Format::Table, "fleet-table.txt");
    let headings: Vec<&str> = text.lines().filter(|l| l.starts_with("account ")).collect();
    assert_eq!(
        headings,
        [
            "account 111111111111 (prod)",
            "account 111111111111: 1 pass, 1 drift, 0 waived, 1 unknown, 0 not applicable",
            "account 222222222222: nothing could be read: sts:AssumeRole of \
             arn:aws:iam::222222222222:role/audit failed with AccessDenied: not authorized",
            "account 222222222222: 0 pass, 0 drift, 1 waived, 1 unknown, 1 not applicable",
        ]
    );
}

#[test]
fn fleet_json_names_the_account_of_every_finding_and_error() {
    let text = snapshot(Format::Json, "fleet-report.json");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let accounts: Vec<&str> =
        v["findings"].as_array().unwrap().iter().map(|f| f["account"].as_str().unwrap()).collect();
    assert_eq!(accounts, [A, A, A, B, B, B]);
    assert_eq!(v["account"], json!(null));
    assert_eq!(v["errors"][0]["account"], json!(B));
    assert_eq!(v["fleet"]["shard"], json!({"index": 1, "count": 3, "fleet_accounts": [A, B, "333333333333"]}));
    assert_eq!(v["fleet"]["accounts"][0]["name"], json!("prod"));
    assert_eq!(v["fleet"]["accounts"][1].get("name"), None);
}

#[test]
fn fleet_junit_has_a_suite_per_account_and_profile() {
    let text = snapshot(Format::Junit, "fleet-junit.xml");
    let suites: Vec<&str> = text.lines().filter(|l| l.trim_start().starts_with("<testsuite ")).collect();
    assert_eq!(
        suites,
        [
            r#"  <testsuite name="111111111111/prod-webapp" tests="3" failures="1" errors="1" skipped="0">"#,
            r#"  <testsuite name="222222222222/prod-webapp" tests="3" failures="0" errors="1" skipped="2">"#,
        ]
    );
    assert!(text.contains(r#"<testcase classname="222222222222.prod-webapp.s3-private-kms" name="s3-private-kms">"#));
}

#[test]
fn fleet_sarif_carries_the_account_in_properties_and_message() {
    let text = snapshot(Format::Sarif, "fleet-report.sarif");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    let pairs: Vec<(&str, &str)> = results
        .iter()
        .map(|r| (r["properties"]["account"].as_str().unwrap(), r["message"]["text"].as_str().unwrap()))
        .collect();
    assert_eq!(pairs[0], (A, "account 111111111111: prod-logs: encryption is AES256, expected aws:kms"));
    // a message that names its account already is not prefixed twice
    assert!(pairs[2].1.starts_with("account 222222222222: sts:AssumeRole of "), "{}", pairs[2].1);
    assert_eq!(v["runs"][0]["properties"]["fleet"]["accounts"][1]["id"], json!(B));
}

#[test]
fn fleet_markdown_has_an_account_table_and_column() {
    let text = snapshot(Format::Markdown, "fleet-report.md");
    assert!(text.contains("Fleet of 2 account(s) (shard 1/3) · profiles prod-webapp"), "{text}");
    assert!(text.contains("| 111111111111 (prod) | 1 | 1 | 0 | 1 | 0 |  |"), "{text}");
    assert!(text.contains("| account | status | severity | requirement | resource | region | detail |"), "{text}");
    assert!(
        text.contains("| 222222222222 | unknown | high | prod-webapp/s3-private-kms | - | - | account 222222222222: ")
    );
}
