//! `--format asff` over the fixed pipeline report, checked against the shape the
//! Security Hub API reference documents for AwsSecurityFinding.

use super::asff::*;
use super::pipeline_tests::{finding, findings, fixture, rendered, report_of, Row};
use super::Format;
use crate::compare::{Check, Status};
use crate::profile::Severity;
use serde_json::{json, Value};

fn asff(report: &super::Report) -> Vec<Value> {
    serde_json::from_str(&rendered(report, Format::Asff)).expect("a JSON array")
}

const TYPE: &str = "Software and Configuration Checks/Industry and Regulatory Standards";
const ARN: &str = "arn:aws:securityhub:eu-west-1:123456789012:product/123456789012/default";

#[test]
fn asff_fixture_is_the_exact_documented_findings() {
    let sev = |label: &str, original: &str| json!({"Label": label, "Original": original});
    let want = json!([
        {
            "SchemaVersion": "2018-10-08",
            "Id": "driftwatch/123456789012/eu-west-1/base/s3-encrypted/arn:aws:s3:::logs",
            "ProductArn": ARN, "ProductName": "driftwatch", "CompanyName": "driftwatch",
            "GeneratorId": "driftwatch/base/s3-encrypted",
            "AwsAccountId": "123456789012",
            "Types": [TYPE],
            "CreatedAt": "2026-11-22T10:00:00Z", "UpdatedAt": "2026-11-22T10:00:00Z",
            "Severity": sev("INFORMATIONAL", "high"),
            "Title": "base/s3-encrypted: pass on arn:aws:s3:::logs",
            "Description": "logs: as expected (encryption)",
            "Resources": [{"Type": "AwsS3Bucket", "Id": "arn:aws:s3:::logs", "Partition": "aws", "Region": "eu-west-1"}],
            "Compliance": {"Status": "PASSED", "RelatedRequirements": ["base/s3-encrypted"]},
            "Workflow": {"Status": "RESOLVED"},
            "RecordState": "ACTIVE",
            "ProductFields": {"driftwatch/profile": "base", "driftwatch/requirement": "s3-encrypted",
                              "driftwatch/kind": "s3.bucket", "driftwatch/status": "pass"},
            "FindingProviderFields": {"Severity": sev("INFORMATIONAL", "high"), "Types": [TYPE]},
        },
        {
            "SchemaVersion": "2018-10-08",
            "Id": "driftwatch/123456789012/eu-west-1/base/s3-encrypted/arn:aws:s3:::data",
            "ProductArn": ARN, "ProductName": "driftwatch", "CompanyName": "driftwatch",
            "GeneratorId": "driftwatch/base/s3-encrypted",
            "AwsAccountId": "123456789012",
            "Types": [TYPE],
            "CreatedAt": "2026-11-22T10:00:00Z", "UpdatedAt": "2026-11-22T10:00:00Z",
            "Severity": sev("HIGH", "high"),
            "Title": "base/s3-encrypted: drift on arn:aws:s3:::data",
            "Description": "data: encryption is AES256, expected aws:kms; versioning is false, expected true\n\
                            encryption: expected \"aws:kms\", observed \"AES256\"\n\
                            versioning: expected true, observed false",
            "Resources": [{"Type": "AwsS3Bucket", "Id": "arn:aws:s3:::data", "Partition": "aws", "Region": "eu-west-1"}],
            "Compliance": {"Status": "FAILED", "RelatedRequirements": ["base/s3-encrypted"]},
            "Workflow": {"Status": "NEW"},
            "RecordState": "ACTIVE",
            "ProductFields": {"driftwatch/profile": "base", "driftwatch/requirement": "s3-encrypted",
                              "driftwatch/kind": "s3.bucket", "driftwatch/status": "drift"},
            "FindingProviderFields": {"Severity": sev("HIGH", "high"), "Types": [TYPE]},
        },
        {
            "SchemaVersion": "2018-10-08",
            "Id": "driftwatch/123456789012/global/base/role-session/arn:aws:iam::123456789012:role/ci",
            "ProductArn": ARN, "ProductName": "driftwatch", "CompanyName": "driftwatch",
            "GeneratorId": "driftwatch/base/role-session",
            "AwsAccountId": "123456789012",
            "Types": [TYPE],
            "CreatedAt": "2026-11-22T10:00:00Z", "UpdatedAt": "2026-11-22T10:00:00Z",
            "Severity": sev("CRITICAL", "critical"),
            "Title": "base/role-session: unknown on arn:aws:iam::123456789012:role/ci",
            "Description": "ci: max_session_duration not observed (iam:GetRole in us-east-1 failed with AccessDenied)\n\
                            max_session_duration: expected 3600, not observed (iam:GetRole in us-east-1 failed with AccessDenied)",
            "Resources": [{"Type": "AwsIamRole", "Id": "arn:aws:iam::123456789012:role/ci", "Partition": "aws"}],
            "Compliance": {"Status": "NOT_AVAILABLE", "RelatedRequirements": ["base/role-session"]},
            "Workflow": {"Status": "NEW"},
            "RecordState": "ACTIVE",
            "ProductFields": {"driftwatch/profile": "base", "driftwatch/requirement": "role-session",
                              "driftwatch/kind": "iam.role", "driftwatch/status": "unknown"},
            "FindingProviderFields": {"Severity": sev("CRITICAL", "critical"), "Types": [TYPE]},
        },
        {
            "SchemaVersion": "2018-10-08",
            "Id": "driftwatch/123456789012/eu-west-1/base/sg-no-open-ssh/arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0abc",
            "ProductArn": ARN, "ProductName": "driftwatch", "CompanyName": "driftwatch",
            "GeneratorId": "driftwatch/base/sg-no-open-ssh",
            "AwsAccountId": "123456789012",
            "Types": [TYPE],
            "CreatedAt": "2026-11-22T10:00:00Z", "UpdatedAt": "2026-11-22T10:00:00Z",
            "Severity": sev("MEDIUM", "medium"),
            "Title": "base/sg-no-open-ssh: waived on arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0abc",
            "Description": "sg-0abc: ssh_open_to_world is true, expected false [waived by waivers.toml:3]\n\
                            ssh_open_to_world: expected false, observed true",
            "Resources": [{"Type": "AwsEc2SecurityGroup", "Id": "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0abc",
                           "Partition": "aws", "Region": "eu-west-1"}],
            "Compliance": {"Status": "FAILED", "RelatedRequirements": ["base/sg-no-open-ssh"]},
            "Workflow": {"Status": "SUPPRESSED"},
            "RecordState": "ACTIVE",
            "ProductFields": {"driftwatch/profile": "base", "driftwatch/requirement": "sg-no-open-ssh",
                              "driftwatch/kind": "ec2.security_group", "driftwatch/status": "waived",
                              "driftwatch/waiver": "waivers.toml:3 (until 2026-12-31): bastion until the VPN lands"},
            "FindingProviderFields": {"Severity": sev("MEDIUM", "medium"), "Types": [TYPE]},
        },
    ]);
    assert_eq!(Value::Array(asff(&fixture())), want);
}

/// Every attribute the API reference marks required (and the user guide's
/// required Severity and Types), each within its documented limits.
fn assert_documented_shape(f: &Value) {
    let required = [
        "SchemaVersion",
        "Id",
        "ProductArn",
        "GeneratorId",
        "AwsAccountId",
        "Types",
        "CreatedAt",
        "UpdatedAt",
        "Severity",
        "Title",
        "Description",
        "Resources",
    ];
    let missing: Vec<&str> = required.iter().copied().filter(|k| f.get(*k).is_none()).collect();
    assert_eq!(missing, Vec::<&str>::new(), "{f}");
    let text = |k: &str| f[k].as_str().unwrap_or_else(|| panic!("{k} is not a string: {f}"));
    // NonEmptyString: pattern `.*\S.*`.
    for k in [
        "SchemaVersion",
        "Id",
        "ProductArn",
        "GeneratorId",
        "AwsAccountId",
        "CreatedAt",
        "UpdatedAt",
        "Title",
        "Description",
    ] {
        assert!(!text(k).trim().is_empty(), "{k} is blank");
    }
    assert_eq!(text("SchemaVersion"), "2018-10-08");
    assert!(text("Id").chars().count() <= ID_MAX, "Id {}", text("Id"));
    assert!((12..=2048).contains(&text("ProductArn").len()));
    assert!(text("GeneratorId").chars().count() <= GENERATOR_ID_MAX);
    assert_eq!(text("AwsAccountId").len(), 12);
    assert!(text("Title").chars().count() <= TITLE_MAX, "Title has {} characters", text("Title").chars().count());
    assert!(text("Description").chars().count() <= DESCRIPTION_MAX);
    assert!(
        aws_smithy_types::DateTime::from_str(text("CreatedAt"), aws_smithy_types::date_time::Format::DateTime).is_ok()
    );
    let labels = ["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"];
    assert!(labels.contains(&f["Severity"]["Label"].as_str().unwrap_or("")), "{}", f["Severity"]);
    let statuses = ["PASSED", "WARNING", "FAILED", "NOT_AVAILABLE"];
    assert!(statuses.contains(&f["Compliance"]["Status"].as_str().unwrap_or("")));
    assert!(["NEW", "NOTIFIED", "RESOLVED", "SUPPRESSED"].contains(&f["Workflow"]["Status"].as_str().unwrap_or("")));
    assert!(["ACTIVE", "ARCHIVED"].contains(&f["RecordState"].as_str().unwrap_or("")));
    let resources = f["Resources"].as_array().expect("Resources is a list");
    assert_eq!(resources.len(), 1);
    for r in resources {
        assert!(r["Type"].as_str().is_some_and(|s| !s.trim().is_empty()) && r["Id"].as_str().is_some());
        if let Some(p) = r.get("Partition") {
            assert!(["aws", "aws-cn", "aws-us-gov"].contains(&p.as_str().unwrap_or("")), "{p}");
        }
    }
    let fields = f["ProductFields"].as_object().expect("ProductFields is a map");
    assert!(fields.len() <= PRODUCT_FIELDS_MAX);
    for (k, v) in fields {
        assert!(k.chars().count() <= PRODUCT_FIELD_KEY_MAX);
        assert!(v.as_str().is_some_and(|v| v.chars().count() <= PRODUCT_FIELD_VALUE_MAX && !v.trim().is_empty()));
    }
}

#[test]
fn asff_every_finding_has_the_documented_shape_and_limits() {
    let long = "x".repeat(700);
    let long_resource: &'static str = Box::leak(format!("arn:aws-us-gov:s3:::{long}").into_boxed_str());
    let long_message: &'static str = Box::leak("y".repeat(3000).into_boxed_str());
    let mut all = findings();
    all.push(finding(Row {
        requirement: "long",
        kind: "config.rule",
        severity: Severity::Low,
        status: Status::Drift,
        resource: Some(long_resource),
        region: Some("us-gov-west-1"),
        checks: vec![Check::new("name", json!(long), json!("z".repeat(2000)), false)],
        message: long_message,
    }));
    all.push(finding(Row {
        requirement: "tagged",
        kind: "s3.bucket",
        severity: Severity::Info,
        status: Status::NotApplicable,
        resource: None,
        region: None,
        checks: vec![],
        message: "no resource matches tag:Team=web",
    }));
    let out = asff(&report_of(all));
    assert_eq!(out.len(), 6);
    for f in &out {
        assert_documented_shape(f);
    }
    let long = &out[4];
    assert_eq!(long["Id"].as_str().map(|s| s.chars().count()), Some(ID_MAX));
    assert_eq!(long["Title"].as_str().map(|s| s.chars().count()), Some(TITLE_MAX));
    assert_eq!(long["Description"].as_str().map(|s| s.chars().count()), Some(DESCRIPTION_MAX));
    assert!(long["Description"].as_str().is_some_and(|s| s.ends_with('…')));
    assert_eq!(long["Resources"][0]["Type"], "Other");
    assert_eq!(long["Resources"][0]["Partition"], "aws-us-gov");
    let account_wide = &out[5];
    assert_eq!(
        account_wide["Resources"],
        json!([{"Type": "AwsAccount", "Id": "AWS::::Account:123456789012", "Partition": "aws"}])
    );
    assert_eq!(account_wide["Compliance"]["Status"], "NOT_AVAILABLE");
    assert_eq!(account_wide["RecordState"], "ARCHIVED");
}

#[test]
fn asff_unknown_is_never_passed() {
    let out = asff(&fixture());
    let unknown: Vec<&Value> = out.iter().filter(|f| f["ProductFields"]["driftwatch/status"] == "unknown").collect();
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0]["Compliance"]["Status"], "NOT_AVAILABLE");
}

#[test]
fn asff_ids_are_stable_across_runs_and_distinct_per_resource() {
    let first = asff(&fixture());
    let mut later = fixture();
    later.started_at = "2026-11-23T08:30:00Z".into();
    later.findings[1].message = "data: other words".into();
    later.findings[1].status = Status::Pass;
    let second = asff(&later);
    let ids = |v: &[Value]| v.iter().map(|f| f["Id"].as_str().unwrap_or("").to_string()).collect::<Vec<_>>();
    assert_eq!(ids(&first), ids(&second));
    let mut unique = ids(&first);
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 4);
    assert_eq!(second[1]["UpdatedAt"], "2026-11-23T08:30:00Z");
}

#[test]
fn asff_uses_the_partition_of_the_audited_regions() {
    let mut report = fixture();
    report.regions = vec!["cn-north-1".into()];
    let out = asff(&report);
    assert_eq!(out[0]["ProductArn"], "arn:aws-cn:securityhub:cn-north-1:123456789012:product/123456789012/default");
}

#[test]
fn asff_fleet_findings_carry_their_own_account() {
    let mut report = fixture();
    report.account = None;
    for f in &mut report.findings {
        f.account = Some("210987654321".into());
    }
    let out = asff(&report);
    assert_eq!(out[0]["AwsAccountId"], "210987654321");
    assert_eq!(out[0]["ProductArn"], "arn:aws:securityhub:eu-west-1:210987654321:product/210987654321/default");
    assert_eq!(out[0]["Id"], "driftwatch/210987654321/eu-west-1/base/s3-encrypted/arn:aws:s3:::logs");
}

#[test]
fn asff_without_an_account_is_an_error_not_a_guess() {
    let mut report = fixture();
    report.account = None;
    let mut out = Vec::new();
    let err = super::render(&report, Format::Asff, &super::Style::plain(), &mut out).expect_err("no account");
    assert_eq!(err.to_string(), "ASFF needs the 12-digit account id of every finding; base/s3-encrypted has none");
}

#[test]
fn asff_without_audited_regions_imports_to_the_first_finding_region() {
    let mut report = fixture();
    report.regions = vec![];
    for f in &mut report.findings {
        f.region = f.region.as_ref().map(|_| "us-gov-west-1".to_string());
    }
    let out = asff(&report);
    assert_eq!(
        out[0]["ProductArn"],
        "arn:aws-us-gov:securityhub:us-gov-west-1:123456789012:product/123456789012/default"
    );
}
