//! The seed systems (../shared/seeds/): each shipped profile audits its ideal
//! deployment clean, and its generated deployment with exactly the failures the
//! seed's report lists — and nothing else.

use crate::samples::{secure_serverless, Variant};
use crate::support::account;
use crate::support::audit::{self, row};
use serde_json::json;

const SECURE_SERVERLESS: &str = "profiles/secure-serverless.toml";

#[tokio::test]
async fn seed_004_secure_serverless_ideal_is_clean() {
    let acct = account();
    secure_serverless::deploy(&acct, Variant::Compliant).await.unwrap();
    let a = audit::run(&acct, &[SECURE_SERVERLESS], &[]);
    a.assert_code(0);
    let rows = a.rows();
    let reqs: Vec<&str> = rows.iter().map(|(r, _, _)| r.as_str()).collect();
    assert_eq!(
        reqs,
        [
            "alarm-instance-cpu",
            "alarm-instance-status",
            "dynamodb-encrypted",
            "iam-roles-require-mfa",
            "kms-key-rotation",
            "lambda-env-encrypted",
            "s3-log-bucket-encrypted",
            "ssh-restricted",
            "vpc-public-private-subnets",
        ]
    );
    assert!(rows.iter().all(|(_, _, s)| s == "pass"), "{rows:#?}");
}

#[tokio::test]
async fn seed_004_secure_serverless_generated_reports_exactly_the_seed_failures() {
    let acct = account();
    secure_serverless::deploy(&acct, Variant::Drifted).await.unwrap();
    let a = audit::run(&acct, &[SECURE_SERVERLESS], &[]);
    a.assert_code(1);
    let table = format!("arn:aws:dynamodb:us-east-1:{}:table/TurnAroundPromptTable", acct.id);
    // every missing resource is one "count" drift; the one table drifts on its settings
    assert_eq!(
        a.rows(),
        [
            row("alarm-instance-cpu", None, "drift"),
            row("alarm-instance-status", None, "drift"),
            row("dynamodb-encrypted", Some(&table), "drift"),
            row("iam-roles-require-mfa", None, "drift"),
            row("kms-key-rotation", None, "drift"),
            row("lambda-env-encrypted", None, "drift"),
            row("s3-log-bucket-encrypted", None, "drift"),
            row("ssh-restricted", None, "drift"),
            row("vpc-public-private-subnets", None, "drift"),
        ]
    );
    for req in [
        "alarm-instance-cpu",
        "kms-key-rotation",
        "lambda-env-encrypted",
        "s3-log-bucket-encrypted",
        "ssh-restricted",
        "vpc-public-private-subnets",
        "iam-roles-require-mfa",
    ] {
        assert_eq!(a.observed(req, None, "count"), json!(0), "{req}");
    }
    let failed: Vec<(String, serde_json::Value)> = a.finding("dynamodb-encrypted", Some(&table))["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["ok"] == json!(false))
        .map(|c| (c["field"].as_str().unwrap().to_string(), c["observed"].clone()))
        .collect();
    assert_eq!(
        failed,
        [
            ("sse_kms".to_string(), json!(null)),
            ("customer_managed_key".to_string(), json!(null)),
            ("deletion_protection".to_string(), json!(false)),
            ("required_tags".to_string(), json!({})),
        ]
    );
}

const PROD_WEBAPP: &str = "profiles/prod-webapp.toml";

#[tokio::test]
async fn seed_002_prod_webapp_ideal_is_clean() {
    let acct = account();
    crate::samples::prod_webapp::deploy(&acct, Variant::Compliant).await.unwrap();
    let a = audit::run(&acct, &[PROD_WEBAPP], &[]);
    a.assert_code(0);
    let rows = a.rows();
    let reqs: Vec<&str> = rows.iter().map(|(r, _, _)| r.as_str()).collect();
    assert_eq!(
        reqs,
        [
            "alb-internet-facing",
            "asg-min-two-from-template",
            "cloudtrail-logging",
            "config-rules",
            "no-admin-roles",
            "s3-private-kms",
            "tags-autoscaling",
            "tags-buckets",
            "tags-load-balancers",
        ]
    );
    assert!(rows.iter().all(|(_, _, s)| s == "pass"), "{rows:#?}");
}

#[tokio::test]
async fn seed_002_prod_webapp_generated_reports_exactly_the_seed_failures() {
    let acct = account();
    crate::samples::prod_webapp::deploy(&acct, Variant::Drifted).await.unwrap();
    let a = audit::run(&acct, &[PROD_WEBAPP], &[]);
    a.assert_code(1);
    let id = &acct.id;
    let bucket = format!("arn:aws:s3:::{}", acct.bucket("iac-nova-prod-trail-bucket"));
    let role = format!("arn:aws:iam::{id}:role/ProdEC2Role");
    let rows = a.rows();
    let alb = rows.iter().find(|(r, _, _)| r == "alb-internet-facing").and_then(|(_, res, _)| res.clone()).unwrap();
    let asg =
        rows.iter().find(|(r, _, _)| r == "asg-min-two-from-template").and_then(|(_, res, _)| res.clone()).unwrap();
    assert!(
        alb.starts_with(&format!("arn:aws:elasticloadbalancing:us-east-1:{id}:loadbalancer/app/iac-nova-alb/")),
        "{alb}"
    );
    assert!(asg.contains("autoScalingGroupName/iac-nova-asg"), "{asg}");
    assert_eq!(
        rows,
        [
            row("alb-internet-facing", Some(&alb), "drift"),
            row("asg-min-two-from-template", Some(&asg), "drift"),
            row("cloudtrail-logging", None, "drift"),
            row("config-rules", None, "drift"),
            row("no-admin-roles", Some(&role), "drift"),
            row("s3-private-kms", Some(&bucket), "drift"),
            row("tags-autoscaling", Some(&asg), "drift"),
            row("tags-buckets", Some(&bucket), "drift"),
            row("tags-load-balancers", Some(&alb), "drift"),
        ]
    );
    // Failure 1: public-read ACL, no KMS
    assert_eq!(a.observed("s3-private-kms", Some(&bucket), "private"), json!(["ACL grants READ to AllUsers"]));
    assert_eq!(a.observed("s3-private-kms", Some(&bucket), "encryption"), json!("AES256"));
    // Failure 2
    assert_eq!(a.observed("no-admin-roles", Some(&role), "forbid_policies"), json!(["AdministratorAccess (attached)"]));
    // Failure 3
    assert_eq!(a.observed("asg-min-two-from-template", Some(&asg), "min_size_at_least"), json!(1));
    assert_eq!(
        a.observed("asg-min-two-from-template", Some(&asg), "launch_template"),
        json!("launch configuration iac-nova-lc")
    );
    // Failure 4
    assert_eq!(a.observed("alb-internet-facing", Some(&alb), "scheme"), json!("internal"));
    // Failure 5
    assert!(a.finding("cloudtrail-logging", None)["message"].as_str().unwrap().contains("logging is false"));
    assert_eq!(a.observed("config-rules", None, "count"), json!(0));
    // Failure 6
    let dev = json!({"Environment": "Dev", "Project": "IaC-Project"});
    assert_eq!(a.observed("tags-buckets", Some(&bucket), "required_tags"), dev);
    assert_eq!(a.observed("tags-load-balancers", Some(&alb), "name_pattern"), json!("iac-nova-alb"));
    assert_eq!(a.observed("tags-autoscaling", Some(&asg), "name_pattern"), json!("iac-nova-asg"));
}

const STATIC_SITE: &str = "profiles/static-site-cdn.toml";

#[tokio::test]
async fn seed_000_static_site_ideal_is_clean() {
    let acct = account();
    crate::samples::static_site::deploy(&acct, Variant::Compliant).await.unwrap();
    let a = audit::run(&acct, &[STATIC_SITE], &[]);
    a.assert_code(0);
    let rows = a.rows();
    assert!(rows.iter().all(|(_, _, s)| s == "pass"), "{rows:#?}");
    let per_req = |req: &str| rows.iter().filter(|(r, _, _)| r == req).count();
    assert_eq!(
        [
            "acm-dns-validated",
            "alarm-cloudfront-errors",
            "alarm-waf-blocked",
            "cloudfront-distribution",
            "dns-a-aliases",
            "dns-aaaa-aliases",
            "s3-site-buckets",
            "waf-managed-rules"
        ]
        .map(per_req),
        [1, 1, 1, 1, 2, 2, 2, 1]
    );
}

#[tokio::test]
async fn seed_000_static_site_generated_reports_exactly_the_seed_failures() {
    let acct = account();
    crate::samples::static_site::deploy(&acct, Variant::Drifted).await.unwrap();
    let a = audit::run(&acct, &[STATIC_SITE], &[]);
    a.assert_code(1);
    let rows = a.rows();
    let drifted: Vec<(&str, &str)> =
        rows.iter().filter(|(_, _, s)| s != "pass").map(|(r, _, s)| (r.as_str(), s.as_str())).collect();
    assert_eq!(drifted, [("acm-dns-validated", "drift"), ("cloudfront-distribution", "drift")], "{rows:#?}");
    let cert = rows.iter().find(|(r, _, _)| r == "acm-dns-validated").and_then(|(_, res, _)| res.clone()).unwrap();
    let records = a.observed("acm-dns-validated", Some(&cert), "dns_validation_records");
    let states: Vec<&str> = records.as_array().unwrap().iter().map(|r| r["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["missing from Route 53", "missing from Route 53"]);
    let dist =
        rows.iter().find(|(r, _, _)| r == "cloudfront-distribution").and_then(|(_, res, _)| res.clone()).unwrap();
    let failed: Vec<String> = a.finding("cloudfront-distribution", Some(&dist))["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["ok"] == json!(false))
        .map(|c| format!("{}: {}", c["field"].as_str().unwrap(), c["observed"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(failed, ["logging: project-stack-cloudfront-logs.s3.amazonaws.com (no such bucket in this account)"]);
}
