//! The six core kinds, end to end: the core sample (localstack/samples/core.rs)
//! deployed in a fresh account, audited by the real binary, and the exact findings
//! asserted — requirement, resource, status and observed values — with nothing
//! else drifting.

use crate::samples::{core, Variant};
use crate::support::account;
use crate::support::audit::{self, row};
use serde_json::json;

const S3: &str = "localstack/samples/core/s3.toml";
const IAM: &str = "localstack/samples/core/iam.toml";
const TRAIL: &str = "localstack/samples/core/trail.toml";
const ACM: &str = "localstack/samples/core/acm.toml";
const PEERING: &str = "localstack/samples/core/peering.toml";
const ALARM: &str = "localstack/samples/core/alarm.toml";

#[tokio::test]
async fn s3_bucket_compliant_passes() {
    let acct = account();
    core::s3(&acct, Variant::Compliant).await.unwrap();
    let a = audit::run(&acct, &[S3], &[]);
    a.assert_code(0);
    let arn = format!("arn:aws:s3:::{}", acct.bucket("prod-data"));
    assert_eq!(a.rows(), [row("prod-buckets-encrypted", Some(&arn), "pass")]);
    assert_eq!(a.observed("prod-buckets-encrypted", Some(&arn), "encryption"), json!("aws:kms"));
    assert_eq!(a.report["summary"], json!({"pass": 1, "drift": 0, "unknown": 0, "not_applicable": 0, "waived": 0}));
}

#[tokio::test]
async fn s3_bucket_drifted_reports_encryption_versioning_and_missing_pab() {
    let acct = account();
    core::s3(&acct, Variant::Drifted).await.unwrap();
    let a = audit::run(&acct, &[S3], &[]);
    a.assert_code(1);
    let arn = format!("arn:aws:s3:::{}", acct.bucket("prod-logs"));
    let req = "prod-buckets-encrypted";
    assert_eq!(a.rows(), [row(req, Some(&arn), "drift")]);
    assert_eq!(a.observed(req, Some(&arn), "encryption"), json!("AES256"));
    assert_eq!(a.observed(req, Some(&arn), "versioning"), json!("Disabled"));
    // NoSuchPublicAccessBlockConfiguration means "none", observed as absent
    assert_eq!(a.observed(req, Some(&arn), "public_access_block"), json!({"bucket": null, "account": null}));
    assert_eq!(a.finding(req, Some(&arn))["region"], json!("us-east-1"));
    assert_eq!(a.report["errors"], json!([]));
}

#[tokio::test]
async fn s3_bucket_none_selected_with_min_count_drifts() {
    let acct = account();
    let a = audit::run(&acct, &[S3], &[]);
    a.assert_code(1);
    assert_eq!(a.rows(), [row("prod-buckets-encrypted", None, "drift")]);
    assert_eq!(a.observed("prod-buckets-encrypted", None, "count"), json!(0));
}

#[tokio::test]
async fn iam_role_compliant_passes() {
    let acct = account();
    core::iam(&acct, Variant::Compliant).await.unwrap();
    let a = audit::run(&acct, &[IAM], &[]);
    a.assert_code(0);
    let arn = format!("arn:aws:iam::{}:role/app-reader", acct.id);
    assert_eq!(a.rows(), [row("no-admin-roles", Some(&arn), "pass")]);
}

#[tokio::test]
async fn iam_role_with_administrator_access_drifts() {
    let acct = account();
    core::iam(&acct, Variant::Drifted).await.unwrap();
    let a = audit::run(&acct, &[IAM], &[]);
    a.assert_code(1);
    let admin = format!("arn:aws:iam::{}:role/app-admin", acct.id);
    let inline = format!("arn:aws:iam::{}:role/ops-inline", acct.id);
    assert_eq!(a.rows(), [row("no-admin-roles", Some(&admin), "drift"), row("no-admin-roles", Some(&inline), "drift")]);
    assert_eq!(
        a.observed("no-admin-roles", Some(&admin), "forbid_policies"),
        json!(["AdministratorAccess (attached)"])
    );
    assert_eq!(
        a.observed("no-admin-roles", Some(&inline), "forbid_policies"),
        json!(["inline everything (Allow * on *)"])
    );
}

#[tokio::test]
async fn cloudtrail_compliant_multi_region_trail_counted_once() {
    let acct = account();
    core::trail(&acct, Variant::Compliant).await.unwrap();
    // the profile audits us-east-1 and us-west-2: the trail is seen from both
    let a = audit::run(&acct, &[TRAIL], &[]);
    a.assert_code(0);
    let arn = format!("arn:aws:cloudtrail:us-east-1:{}:trail/org-trail", acct.id);
    assert_eq!(a.rows(), [row("multi-region-trail", Some(&arn), "pass"), row("trails-logging", Some(&arn), "pass")]);
}

#[tokio::test]
async fn cloudtrail_multi_region_trail_seen_from_another_region_passes() {
    let acct = account();
    core::trail(&acct, Variant::Compliant).await.unwrap();
    let a = audit::run(&acct, &[TRAIL], &["--region", "us-west-2"]);
    a.assert_code(0);
    let arn = format!("arn:aws:cloudtrail:us-east-1:{}:trail/org-trail", acct.id);
    assert_eq!(a.rows(), [row("multi-region-trail", Some(&arn), "pass"), row("trails-logging", Some(&arn), "pass")]);
    assert_eq!(a.report["regions"], json!(["us-west-2"]));
}

#[tokio::test]
async fn cloudtrail_stopped_single_region_trail_drifts() {
    let acct = account();
    core::trail(&acct, Variant::Drifted).await.unwrap();
    let a = audit::run(&acct, &[TRAIL], &[]);
    a.assert_code(1);
    let arn = format!("arn:aws:cloudtrail:us-east-1:{}:trail/app-trail", acct.id);
    assert_eq!(a.rows(), [row("multi-region-trail", None, "drift"), row("trails-logging", Some(&arn), "drift")]);
    assert_eq!(a.observed("trails-logging", Some(&arn), "logging"), json!(false));
    let any = a.finding("multi-region-trail", None);
    assert!(any["message"].as_str().unwrap().contains("app-trail"), "{any:#}");
}

#[tokio::test]
async fn acm_certificate_with_validation_cname_passes() {
    let acct = account();
    core::certificate(&acct, Variant::Compliant).await.unwrap();
    let a = audit::run(&acct, &[ACM], &[]);
    a.assert_code(0);
    let rows = a.rows();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].2, "pass");
    let resource = rows[0].1.clone().unwrap();
    assert!(resource.starts_with(&format!("arn:aws:acm:us-east-1:{}:certificate/", acct.id)));
    let observed = a.observed("certs-dns-validated", Some(&resource), "dns_validation_records");
    assert_eq!(observed[0]["state"], json!("present in Route 53"));
}

#[tokio::test]
async fn acm_certificate_pending_without_cname_drifts() {
    let acct = account();
    core::certificate(&acct, Variant::Drifted).await.unwrap();
    let a = audit::run(&acct, &[ACM], &[]);
    a.assert_code(1);
    let rows = a.rows();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].2, "drift");
    let resource = rows[0].1.clone().unwrap();
    let observed = a.observed("certs-dns-validated", Some(&resource), "dns_validation_records");
    assert_eq!(observed[0]["domain"], json!("api.demo.example"));
    assert_eq!(observed[0]["state"], json!("missing from Route 53"));
    // LocalStack issues the same validation name scheme as ACM: _<hash>.<domain>.
    assert!(observed[0]["record"].as_str().unwrap().ends_with(".api.demo.example."));
}

#[tokio::test]
async fn vpc_peering_full_mesh_with_routes_passes() {
    let acct = account();
    core::mesh(&acct, Variant::Compliant).await.unwrap();
    let a = audit::run(&acct, &[PEERING], &[]);
    a.assert_code(0);
    let req = "vpc-full-mesh";
    assert_eq!(
        a.rows(),
        [
            row(req, Some("us-east-1:mesh-east <-> ap-south-1:mesh-south"), "pass"),
            row(req, Some("us-east-1:mesh-east <-> us-west-2:mesh-west"), "pass"),
            row(req, Some("us-west-2:mesh-west <-> ap-south-1:mesh-south"), "pass"),
        ]
    );
}

#[tokio::test]
async fn vpc_peering_missing_link_and_unrouted_link_drift() {
    let acct = account();
    core::mesh(&acct, Variant::Drifted).await.unwrap();
    let a = audit::run(&acct, &[PEERING], &[]);
    a.assert_code(1);
    let req = "vpc-full-mesh";
    let unrouted = "us-east-1:mesh-east <-> ap-south-1:mesh-south";
    let missing = "us-west-2:mesh-west <-> ap-south-1:mesh-south";
    assert_eq!(
        a.rows(),
        [
            row(req, Some(unrouted), "drift"),
            row(req, Some("us-east-1:mesh-east <-> us-west-2:mesh-west"), "pass"),
            row(req, Some(missing), "drift")
        ]
    );
    assert_eq!(a.observed(req, Some(missing), "peering"), json!("no peering connection"));
    let routed = a.finding(req, Some(unrouted));
    let statuses: Vec<(&str, bool)> = routed["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["field"].as_str().unwrap(), c["ok"].as_bool().unwrap()))
        .collect();
    assert_eq!(statuses, [("peering", true), ("routes.us-east-1", false), ("routes.ap-south-1", false)]);
}

#[tokio::test]
async fn cloudwatch_cpu_alarm_compliant_passes() {
    let acct = account();
    core::alarm(&acct, Variant::Compliant).await.unwrap();
    let a = audit::run(&acct, &[ALARM], &[]);
    a.assert_code(0);
    let arn = format!("arn:aws:cloudwatch:us-east-1:{}:alarm:web-cpu-high", acct.id);
    assert_eq!(a.rows(), [row("cpu-alarms", Some(&arn), "pass")]);
}

#[tokio::test]
async fn cloudwatch_alarm_wrong_threshold_and_no_action_drifts() {
    let acct = account();
    core::alarm(&acct, Variant::Drifted).await.unwrap();
    let a = audit::run(&acct, &[ALARM], &[]);
    a.assert_code(1);
    let arn = format!("arn:aws:cloudwatch:us-east-1:{}:alarm:api-cpu-high", acct.id);
    assert_eq!(a.rows(), [row("cpu-alarms", Some(&arn), "drift")]);
    assert_eq!(a.observed("cpu-alarms", Some(&arn), "comparison"), json!("GreaterThanThreshold"));
    assert_eq!(a.observed("cpu-alarms", Some(&arn), "threshold"), json!(90.0));
    assert_eq!(a.observed("cpu-alarms", Some(&arn), "alarm_actions"), json!([]));
}

#[tokio::test]
async fn audit_unreachable_endpoint_exits_2_before_any_check() {
    let acct = crate::samples::Env::new("http://127.0.0.1:9", "111122223333");
    let a = audit::run(&acct, &[S3], &["--max-attempts", "1"]);
    a.assert_code(2);
    assert_eq!(a.stdout, "");
    assert!(a.stderr.contains("cannot reach AWS at http://127.0.0.1:9"), "{}", a.stderr);
    assert_eq!(a.stderr.lines().count(), 1, "{}", a.stderr);
}
