//! `--format ocsf` over the fixed pipeline report, checked against the OCSF 1.8.0
//! Compliance Finding class (events/findings/compliance_finding.json and the
//! objects it uses, in the ocsf-schema repository).

use super::pipeline_tests::{finding, findings, fixture, rendered, report_of, Row};
use super::Format;
use crate::compare::Status;
use crate::profile::Severity;
use serde_json::{json, Value};

fn ocsf(report: &super::Report) -> Vec<Value> {
    serde_json::from_str(&rendered(report, Format::Ocsf)).expect("a JSON array")
}

/// 2026-11-22T10:00:00Z in milliseconds since the epoch.
const TIME: i64 = 1_795_341_600_000;

/// What every event of the fixture shares.
fn event(status_id: u8, status: &str, severity_id: u8, severity: &str, code: &str) -> Value {
    json!({
        "activity_id": 1, "activity_name": "Create",
        "category_uid": 2, "category_name": "Findings",
        "class_uid": 2003, "class_name": "Compliance Finding",
        "type_uid": 200301, "type_name": "Compliance Finding: Create",
        "severity_id": severity_id, "severity": severity,
        "status_id": status_id, "status": status, "status_code": code,
        "time": TIME,
        "metadata": {"version": "1.8.0", "profiles": ["cloud"],
                     "product": {"name": "driftwatch", "vendor_name": "driftwatch", "version": "0.1.0"}},
    })
}

fn merge(mut base: Value, rest: Value) -> Value {
    if let (Some(b), Value::Object(r)) = (base.as_object_mut(), rest) {
        b.extend(r);
    }
    base
}

#[test]
fn ocsf_fixture_is_the_exact_documented_events() {
    let cloud = json!({"provider": "AWS", "region": "eu-west-1",
                       "account": {"uid": "123456789012", "type_id": 10, "type": "AWS Account"}});
    let want = json!([
        merge(
            event(1, "New", 1, "Informational", "pass"),
            json!({
                "message": "logs: as expected (encryption)",
                "finding_info": {"uid": "driftwatch/123456789012/eu-west-1/base/s3-encrypted/arn:aws:s3:::logs",
                                 "title": "base/s3-encrypted: pass on arn:aws:s3:::logs",
                                 "desc": "logs: as expected (encryption)", "types": ["s3.bucket"]},
                "compliance": {"standards": ["base"], "control": "s3-encrypted", "requirements": ["base/s3-encrypted"],
                               "status_id": 1, "status": "Pass"},
                "cloud": cloud,
                "resources": [{"uid": "arn:aws:s3:::logs", "type": "s3.bucket", "cloud_partition": "aws", "region": "eu-west-1"}],
                "unmapped": {"driftwatch": {"kind": "s3.bucket", "status": "pass", "severity": "high", "checks": [
                    {"field": "encryption", "expected": "aws:kms", "observed": "aws:kms", "ok": true}]}},
            })
        ),
        merge(
            event(1, "New", 4, "High", "drift"),
            json!({
                "message": "data: encryption is AES256, expected aws:kms; versioning is false, expected true",
                "finding_info": {"uid": "driftwatch/123456789012/eu-west-1/base/s3-encrypted/arn:aws:s3:::data",
                                 "title": "base/s3-encrypted: drift on arn:aws:s3:::data",
                                 "desc": "data: encryption is AES256, expected aws:kms; versioning is false, expected true\n\
                                          encryption: expected \"aws:kms\", observed \"AES256\"\n\
                                          versioning: expected true, observed false",
                                 "types": ["s3.bucket"]},
                "compliance": {"standards": ["base"], "control": "s3-encrypted", "requirements": ["base/s3-encrypted"],
                               "status_id": 3, "status": "Fail",
                               "status_detail": "encryption: expected \"aws:kms\", observed \"AES256\"; versioning: expected true, observed false"},
                "cloud": cloud,
                "resources": [{"uid": "arn:aws:s3:::data", "type": "s3.bucket", "cloud_partition": "aws", "region": "eu-west-1"}],
                "unmapped": {"driftwatch": {"kind": "s3.bucket", "status": "drift", "severity": "high", "checks": [
                    {"field": "encryption", "expected": "aws:kms", "observed": "AES256", "ok": false},
                    {"field": "versioning", "expected": true, "observed": false, "ok": false}]}},
            })
        ),
        merge(
            event(1, "New", 5, "Critical", "unknown"),
            json!({
                "message": "ci: max_session_duration not observed (iam:GetRole in us-east-1 failed with AccessDenied)",
                "finding_info": {"uid": "driftwatch/123456789012/global/base/role-session/arn:aws:iam::123456789012:role/ci",
                                 "title": "base/role-session: unknown on arn:aws:iam::123456789012:role/ci",
                                 "desc": "ci: max_session_duration not observed (iam:GetRole in us-east-1 failed with AccessDenied)\n\
                                          max_session_duration: expected 3600, not observed (iam:GetRole in us-east-1 failed with AccessDenied)",
                                 "types": ["iam.role"]},
                "compliance": {"standards": ["base"], "control": "role-session", "requirements": ["base/role-session"],
                               "status_id": 0, "status": "Unknown",
                               "status_detail": "max_session_duration: expected 3600, not observed (iam:GetRole in us-east-1 failed with AccessDenied)"},
                "cloud": cloud,
                "resources": [{"uid": "arn:aws:iam::123456789012:role/ci", "type": "iam.role", "cloud_partition": "aws"}],
                "unmapped": {"driftwatch": {"kind": "iam.role", "status": "unknown", "severity": "critical", "checks": [
                    {"field": "max_session_duration", "expected": 3600, "observed": null, "ok": null,
                     "error": "iam:GetRole in us-east-1 failed with AccessDenied"}]}},
            })
        ),
        merge(
            event(3, "Suppressed", 3, "Medium", "waived"),
            json!({
                "message": "sg-0abc: ssh_open_to_world is true, expected false [waived by waivers.toml:3]",
                "finding_info": {"uid": "driftwatch/123456789012/eu-west-1/base/sg-no-open-ssh/arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0abc",
                                 "title": "base/sg-no-open-ssh: waived on arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0abc",
                                 "desc": "sg-0abc: ssh_open_to_world is true, expected false [waived by waivers.toml:3]\n\
                                          ssh_open_to_world: expected false, observed true",
                                 "types": ["ec2.security_group"]},
                "compliance": {"standards": ["base"], "control": "sg-no-open-ssh", "requirements": ["base/sg-no-open-ssh"],
                               "status_id": 3, "status": "Fail",
                               "status_detail": "ssh_open_to_world: expected false, observed true"},
                "cloud": cloud,
                "resources": [{"uid": "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0abc", "type": "ec2.security_group",
                               "cloud_partition": "aws", "region": "eu-west-1"}],
                "unmapped": {"driftwatch": {"kind": "ec2.security_group", "status": "waived", "severity": "medium",
                    "checks": [{"field": "ssh_open_to_world", "expected": false, "observed": true, "ok": false}],
                    "waiver": {"source": "waivers.toml:3", "reason": "bastion until the VPN lands", "expires": "2026-12-31",
                               "expired": false}}},
            })
        ),
    ]);
    assert_eq!(Value::Array(ocsf(&fixture())), want);
}

/// The attributes OCSF 1.8.0 marks required for a Compliance Finding with the
/// cloud profile, with their enumerated values.
fn assert_documented_shape(e: &Value) {
    let required = [
        "activity_id",
        "category_uid",
        "class_uid",
        "type_uid",
        "severity_id",
        "time",
        "metadata",
        "finding_info",
        "compliance",
        "cloud",
    ];
    let missing: Vec<&str> = required.iter().copied().filter(|k| e.get(*k).is_none()).collect();
    assert_eq!(missing, Vec::<&str>::new(), "{e}");
    assert_eq!(e["class_uid"], 2003);
    assert_eq!(e["category_uid"], 2);
    let activity = e["activity_id"].as_u64().expect("activity_id");
    assert!([0, 1, 2, 3, 99].contains(&activity));
    assert_eq!(e["type_uid"].as_u64(), Some(2003 * 100 + activity));
    assert!([0, 1, 2, 3, 4, 5, 6, 99].contains(&e["severity_id"].as_u64().expect("severity_id")));
    assert!([0, 1, 2, 3, 4, 5, 6, 99].contains(&e["status_id"].as_u64().expect("status_id")));
    assert!(e["time"].as_i64().is_some_and(|t| t > 0));
    assert!(e["metadata"]["version"].is_string());
    assert!(e["metadata"]["product"]["name"].is_string() || e["metadata"]["product"]["uid"].is_string());
    assert!(e["finding_info"]["uid"].as_str().is_some_and(|s| !s.is_empty()));
    assert!([0, 1, 2, 3, 99].contains(&e["compliance"]["status_id"].as_u64().expect("compliance.status_id")));
    assert!(e["compliance"]["standards"].as_array().is_some_and(|s| !s.is_empty()));
    assert_eq!(e["cloud"]["provider"], "AWS");
    if let Some(resources) = e.get("resources") {
        for r in resources.as_array().expect("resources is a list") {
            assert!(r["uid"].is_string() || r["name"].is_string(), "{r}");
        }
    }
}

#[test]
fn ocsf_every_event_has_the_documented_shape() {
    let mut all = findings();
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
    let out = ocsf(&report_of(all));
    assert_eq!(out.len(), 5);
    for e in &out {
        assert_documented_shape(e);
    }
    let na = &out[4];
    assert_eq!((na["compliance"]["status_id"].clone(), na["status_id"].clone()), (json!(99), json!(5)));
    assert_eq!(na.get("resources"), None);
}

#[test]
fn ocsf_unknown_is_never_pass() {
    let out = ocsf(&fixture());
    let unknown: Vec<&Value> = out.iter().filter(|e| e["status_code"] == "unknown").collect();
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0]["compliance"]["status_id"], 0);
}

#[test]
fn ocsf_a_bad_start_time_is_an_error() {
    let mut report = fixture();
    report.started_at = "yesterday".into();
    let mut out = Vec::new();
    let err = super::render(&report, Format::Ocsf, &super::Style::plain(), &mut out).expect_err("bad time");
    assert_eq!(err.to_string(), "the report's start time `yesterday` is not an RFC 3339 time");
}
