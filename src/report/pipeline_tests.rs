//! A small fixed report for the pipeline formats (ASFF, OCSF) and the HTML page:
//! one pass, one drift with two failed fields, one unknown, one waived drift.

use super::*;
use crate::compare::{Check, Finding, Status};
use crate::profile::Severity;
use crate::waivers::{Date, WaiverNote};
use serde_json::json;

pub struct Row {
    pub requirement: &'static str,
    pub kind: &'static str,
    pub severity: Severity,
    pub status: Status,
    pub resource: Option<&'static str>,
    pub region: Option<&'static str>,
    pub checks: Vec<Check>,
    pub message: &'static str,
}

pub fn finding(r: Row) -> Finding {
    Finding {
        account: None,
        profile: "base".into(),
        requirement: r.requirement.into(),
        kind: r.kind,
        severity: r.severity,
        status: r.status,
        resource: r.resource.map(str::to_string),
        region: r.region.map(str::to_string),
        checks: r.checks,
        message: r.message.into(),
        waiver: None,
    }
}

pub fn findings() -> Vec<Finding> {
    let waived = Finding {
        waiver: Some(WaiverNote {
            source: "waivers.toml:3".into(),
            reason: "bastion until the VPN lands".into(),
            expires: Date { year: 2026, month: 12, day: 31 },
            expired: false,
            owner: None,
            ticket: None,
        }),
        ..finding(Row {
            requirement: "sg-no-open-ssh",
            kind: "ec2.security_group",
            severity: Severity::Medium,
            status: Status::Waived,
            resource: Some("arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0abc"),
            region: Some("eu-west-1"),
            checks: vec![Check::new("ssh_open_to_world", json!(false), json!(true), false)],
            message: "sg-0abc: ssh_open_to_world is true, expected false [waived by waivers.toml:3]",
        })
    };
    vec![
        finding(Row {
            requirement: "s3-encrypted",
            kind: "s3.bucket",
            severity: Severity::High,
            status: Status::Pass,
            resource: Some("arn:aws:s3:::logs"),
            region: Some("eu-west-1"),
            checks: vec![Check::new("encryption", json!("aws:kms"), json!("aws:kms"), true)],
            message: "logs: as expected (encryption)",
        }),
        finding(Row {
            requirement: "s3-encrypted",
            kind: "s3.bucket",
            severity: Severity::High,
            status: Status::Drift,
            resource: Some("arn:aws:s3:::data"),
            region: Some("eu-west-1"),
            checks: vec![
                Check::new("encryption", json!("aws:kms"), json!("AES256"), false),
                Check::new("versioning", json!(true), json!(false), false),
            ],
            message: "data: encryption is AES256, expected aws:kms; versioning is false, expected true",
        }),
        finding(Row {
            requirement: "role-session",
            kind: "iam.role",
            severity: Severity::Critical,
            status: Status::Unknown,
            resource: Some("arn:aws:iam::123456789012:role/ci"),
            region: None,
            checks: vec![Check {
                field: "max_session_duration".into(),
                expected: json!(3600),
                observed: json!(null),
                ok: None,
                error: Some("iam:GetRole in us-east-1 failed with AccessDenied".into()),
                not_applicable: None,
            }],
            message: "ci: max_session_duration not observed (iam:GetRole in us-east-1 failed with AccessDenied)",
        }),
        waived,
    ]
}

pub fn report_of(findings: Vec<Finding>) -> Report {
    Report {
        account: Some("123456789012".into()),
        regions: vec!["eu-west-1".into()],
        profiles: vec!["base".into()],
        started_at: "2026-11-22T10:00:00Z".into(),
        duration_ms: 812,
        ..Report::of(findings)
    }
}

pub fn fixture() -> Report {
    report_of(findings())
}

pub fn rendered(report: &Report, format: Format) -> String {
    let mut out = Vec::new();
    render(report, format, &Style::plain(), &mut out).expect("renders");
    String::from_utf8(out).expect("utf-8")
}
