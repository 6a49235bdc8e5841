//! Every format rendered from one shared fixture and compared with its golden file
//! in `src/report/snapshots/` (regenerate with `UPDATE_SNAPSHOTS=1 cargo test`).

use super::*;
use crate::compare::{Check, Finding, Status};
use crate::profile::Severity;
use crate::waivers::{Date, Waiver, WaiverNote};
use serde_json::json;

fn finding(req: &str, status: Status, resource: Option<&str>, checks: Vec<Check>, message: &str) -> Finding {
    Finding {
        account: None,
        profile: "prod-webapp".into(),
        requirement: req.into(),
        kind: "s3.bucket",
        severity: Severity::High,
        status,
        resource: resource.map(str::to_string),
        region: resource.map(|_| "us-east-1".to_string()),
        checks,
        message: message.into(),
        waiver: None,
    }
}

pub(crate) fn fixture() -> Report {
    let findings = vec![
        finding(
            "s3-private-kms",
            Status::Drift,
            Some("arn:aws:s3:::prod-logs"),
            vec![
                Check::new("encryption", json!("aws:kms"), json!("AES256"), false),
                Check::new("versioning", json!(true), json!("Enabled"), true),
            ],
            "prod-logs: encryption is AES256, expected aws:kms",
        ),
        finding(
            "s3-private-kms",
            Status::Pass,
            Some("arn:aws:s3:::prod-data"),
            vec![Check::new("encryption", json!("aws:kms"), json!("aws:kms"), true)],
            "prod-data: as expected (encryption)",
        ),
        finding(
            "s3-private-kms",
            Status::Unknown,
            Some("arn:aws:s3:::prod-<x>&"),
            vec![Check {
                field: "encryption".into(),
                expected: json!("aws:kms"),
                observed: json!(null),
                ok: None,
                error: Some("s3:GetBucketEncryption in us-east-1 failed with AccessDenied".into()),
                not_applicable: None,
            }],
            "prod-<x>&: encryption not observed (s3:GetBucketEncryption in us-east-1 failed with AccessDenied)",
        ),
        finding("tagged", Status::NotApplicable, None, vec![], "no resource matches tag:Team=web|api"),
        Finding {
            account: None,
            waiver: Some(WaiverNote {
                source: "waivers.toml:1".into(),
                reason: "legacy <bucket> & its readers".into(),
                expires: Date { year: 2026, month: 12, day: 31 },
                expired: false,
                owner: Some("web-team".into()),
                ticket: Some("OPS-42".into()),
            }),
            ..finding(
                "versioned",
                Status::Waived,
                Some("arn:aws:s3:::prod-legacy"),
                vec![Check::new("versioning", json!(true), json!("Suspended"), false)],
                "prod-legacy: versioning is Suspended, expected true [waived by waivers.toml:1 until 2026-12-31: legacy <bucket> & its readers (owner web-team, ticket OPS-42)]",
            )
        },
    ];
    Report {
        account: Some("123456789012".into()),
        regions: vec!["us-east-1".into(), "us-west-2".into()],
        profiles: vec!["prod-webapp".into()],
        started_at: "2026-11-22T10:00:00Z".into(),
        duration_ms: 812,
        errors: vec![ErrorEntry {
            account: None,
            service: "s3".into(),
            region: "us-east-1".into(),
            operation: "GetBucketEncryption".into(),
            resource: Some("arn:aws:s3:::prod-<x>&".into()),
            code: "AccessDenied".into(),
            message: "Access Denied".into(),
        }],
        stale_waivers: Some(vec![Waiver {
            source: "waivers.toml:9".into(),
            requirement: "s3-*".into(),
            resources: vec!["old-*".into()],
            accounts: vec![],
            reason: "migration".into(),
            expires: Date { year: 2027, month: 1, day: 15 },
            owner: None,
            ticket: None,
        }]),
        ..Report::of(findings)
    }
}

fn snapshot(format: Format, color: bool, file: &str) {
    let mut out = Vec::new();
    render(&fixture(), format, &Style { color, width: Some(100) }, &mut out).unwrap();
    let got = String::from_utf8(out).unwrap();
    let path = format!("{}/src/report/snapshots/{file}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &got).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e} (run with UPDATE_SNAPSHOTS=1)"));
    assert_eq!(got, want, "{file} differs from its snapshot");
}

#[test]
fn report_table_snapshot() {
    snapshot(Format::Table, false, "table.txt");
}

#[test]
fn report_table_colored_snapshot() {
    snapshot(Format::Table, true, "table-color.txt");
}

#[test]
fn report_json_snapshot() {
    snapshot(Format::Json, false, "report.json");
}

#[test]
fn report_junit_snapshot() {
    snapshot(Format::Junit, false, "junit.xml");
}

#[test]
fn report_sarif_snapshot() {
    snapshot(Format::Sarif, false, "report.sarif");
}

#[test]
fn report_markdown_snapshot() {
    snapshot(Format::Markdown, false, "report.md");
}

#[test]
fn report_json_has_the_spec_shape() {
    let v = serde_json::to_value(fixture()).unwrap();
    assert_eq!(v["schema"], "driftwatch.report/v1");
    assert_eq!(v["summary"], json!({"pass": 1, "drift": 1, "unknown": 1, "not_applicable": 1, "waived": 1}));
    let keys: Vec<&str> = v["findings"][0].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["profile", "requirement", "kind", "severity", "status", "resource", "region", "checks", "message"]
    );
    assert_eq!(
        v["findings"][0]["checks"][0],
        json!({"field": "encryption", "expected": "aws:kms", "observed": "AES256", "ok": false})
    );
    assert_eq!(v["findings"][3]["resource"], json!(null));
    assert_eq!(v["errors"][0]["code"], "AccessDenied");
    assert_eq!(v["findings"][4]["status"], "waived");
    assert_eq!(
        v["findings"][4]["waiver"],
        json!({"source": "waivers.toml:1", "reason": "legacy <bucket> & its readers", "expires": "2026-12-31",
               "expired": false, "owner": "web-team", "ticket": "OPS-42"})
    );
    assert_eq!(
        v["stale_waivers"],
        json!([{"source": "waivers.toml:9", "requirement": "s3-*", "resources": ["old-*"], "reason": "migration",
                "expires": "2027-01-15"}])
    );
}

#[test]
fn xml_escape_handles_markup_and_control_characters() {
    assert_eq!(xml_escape("a<b>&\"'\u{1}c"), "a&lt;b&gt;&amp;&quot;&apos;c");
}
