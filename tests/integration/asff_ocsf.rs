//! `audit --format asff` and `--format ocsf` over a real audit: the core sample's
//! compliant bucket (prod-data) and drifting bucket (prod-logs) in a fresh account.
//! The ASFF output is validated as BatchImportFindings input against Security
//! Hub's service model in botocore (tests/tools/install makes the venv,
//! tests/tools/validate_asff.py validates), and its ids must be the same in two runs.

use crate::samples::{core, Variant};
use crate::support::account;
use crate::support::audit::{self, repo_path};
use serde_json::Value;
use std::process::Command;

const S3: &str = "localstack/samples/core/s3.toml";

fn tools_python() -> String {
    let out = Command::new(repo_path("tests/tools/install")).output().expect("run tests/tools/install");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "tests/tools/install failed: {stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    stdout.lines().last().unwrap_or_default().trim().to_string()
}

/// (exit code, stdout) of the botocore validation of an ASFF array.
fn validate(python: &str, findings: &Value) -> (i32, String) {
    let file = tempfile::Builder::new().suffix(".json").tempfile().expect("temporary file");
    std::fs::write(file.path(), findings.to_string()).expect("write findings");
    let out = Command::new(python)
        .arg(repo_path("tests/tools/validate_asff.py"))
        .arg(file.path())
        .output()
        .expect("run validate_asff.py");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr, "", "validate_asff.py wrote to stderr");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

fn run(acct: &crate::support::Account, format: &str) -> Value {
    let a = audit::run(acct, &[S3], &["--format", format]);
    a.assert_code(1);
    serde_json::from_str(&a.stdout).unwrap_or_else(|e| panic!("{format} output is not JSON ({e}): {}", a.stdout))
}

fn sorted(mut rows: Vec<String>) -> Vec<String> {
    rows.sort();
    rows
}

#[tokio::test]
async fn asff_ocsf_real_audit_validates_against_the_security_hub_model() {
    let python = tools_python();
    let acct = account();
    core::s3(&acct, Variant::Compliant).await.unwrap();
    core::s3(&acct, Variant::Drifted).await.unwrap();
    let logs = format!("arn:aws:s3:::{}", acct.bucket("prod-logs"));
    let data = format!("arn:aws:s3:::{}", acct.bucket("prod-data"));

    let first = run(&acct, "asff");
    let findings = first.as_array().expect("an array");
    let rows: Vec<String> = findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {} {}",
                f["Resources"][0]["Id"].as_str().unwrap_or("-"),
                f["Resources"][0]["Type"].as_str().unwrap_or("-"),
                f["Compliance"]["Status"].as_str().unwrap_or("-"),
                f["Workflow"]["Status"].as_str().unwrap_or("-"),
                f["Severity"]["Label"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(
        sorted(rows),
        sorted(vec![
            format!("{data} AwsS3Bucket PASSED RESOLVED INFORMATIONAL"),
            format!("{logs} AwsS3Bucket FAILED NEW HIGH"),
        ])
    );
    let product = format!("arn:aws:securityhub:us-east-1:{0}:product/{0}/default", acct.id);
    let accounts: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f["AwsAccountId"].as_str().unwrap_or("-"), f["ProductArn"].as_str().unwrap_or("-")))
        .collect();
    assert_eq!(accounts, [(acct.id.as_str(), product.as_str()); 2]);
    let ids =
        |v: &Value| sorted(v.as_array().unwrap().iter().map(|f| f["Id"].as_str().unwrap_or("").to_string()).collect());
    assert_eq!(
        ids(&first),
        sorted(vec![
            format!("driftwatch/{}/us-east-1/core-s3/prod-buckets-encrypted/{data}", acct.id),
            format!("driftwatch/{}/us-east-1/core-s3/prod-buckets-encrypted/{logs}", acct.id),
        ])
    );
    assert_eq!(ids(&run(&acct, "asff")), ids(&first), "ids change between runs");

    assert_eq!(validate(&python, &first), (0, "2 findings valid\n".to_string()));
    // The validator can fail: a finding without its required AwsAccountId.
    let mut broken = first.clone();
    broken[0].as_object_mut().unwrap().remove("AwsAccountId");
    let (code, out) = validate(&python, &broken);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("Missing required parameter in Findings[0]: \"AwsAccountId\""), "{out}");

    let events = run(&acct, "ocsf");
    let rows: Vec<String> = events
        .as_array()
        .expect("an array")
        .iter()
        .map(|e| {
            format!(
                "{} {} {} {} {}",
                e["class_uid"],
                e["type_uid"],
                e["resources"][0]["uid"].as_str().unwrap_or("-"),
                e["compliance"]["status_id"],
                e["cloud"]["account"]["uid"].as_str().unwrap_or("-")
            )
        })
        .collect();
    assert_eq!(
        sorted(rows),
        sorted(vec![format!("2003 200301 {data} 1 {}", acct.id), format!("2003 200301 {logs} 3 {}", acct.id)])
    );
}

/// Every status (and a finding without a resource, and texts over the documented
/// lengths) rendered from a report built in the test, validated the same way.
#[test]
fn asff_ocsf_every_status_validates_against_the_security_hub_model() {
    use driftwatch::compare::{Check, Finding, Status};
    use driftwatch::profile::Severity;
    use driftwatch::report::{render, Format, Report, Style};
    use driftwatch::waivers::{Date, WaiverNote};
    use serde_json::json;

    let python = tools_python();
    let finding = |status: Status, resource: Option<String>, message: String| Finding {
        account: None,
        profile: "base".into(),
        requirement: format!("req-{}", status.as_str()),
        kind: "s3.bucket",
        severity: Severity::High,
        status,
        resource,
        region: Some("eu-west-1".into()),
        checks: vec![Check::new("encryption", json!("aws:kms"), json!("x".repeat(3000)), false)],
        message,
        waiver: None,
    };
    let mut findings = vec![
        finding(Status::Pass, Some("arn:aws:s3:::a".into()), "a: as expected".into()),
        finding(Status::Drift, Some(format!("arn:aws:s3:::{}", "b".repeat(600))), "b".repeat(2000)),
        finding(Status::Unknown, Some("arn:aws:s3:::c".into()), "c: encryption not observed".into()),
        finding(Status::NotApplicable, None, "no bucket matches".into()),
        Finding {
            waiver: Some(WaiverNote {
                source: "waivers.toml:1".into(),
                reason: "r".repeat(3000),
                expires: Date { year: 2099, month: 1, day: 1 },
                expired: false,
                owner: None,
                ticket: None,
            }),
            ..finding(Status::Waived, Some("arn:aws:s3:::d".into()), "d: waived".into())
        },
    ];
    findings[2].checks[0].ok = None;
    let report = Report {
        account: Some("123456789012".into()),
        regions: vec!["eu-west-1".into()],
        profiles: vec!["base".into()],
        started_at: "2026-11-22T10:00:00Z".into(),
        duration_ms: 1,
        ..Report::of(findings)
    };
    let mut out = Vec::new();
    render(&report, Format::Asff, &Style::plain(), &mut out).expect("renders");
    let asff: Value = serde_json::from_slice(&out).expect("JSON");
    let statuses: Vec<&str> =
        asff.as_array().unwrap().iter().map(|f| f["Compliance"]["Status"].as_str().unwrap_or("-")).collect();
    assert_eq!(statuses, ["PASSED", "FAILED", "NOT_AVAILABLE", "NOT_AVAILABLE", "FAILED"]);
    assert_eq!(validate(&python, &asff), (0, "5 findings valid\n".to_string()));
}
