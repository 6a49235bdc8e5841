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
    // the whole report: every finding with what did not pass, errors and summary
    a.assert_pinned(&acct, "seed_004_secure_serverless_ideal_is_clean");
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
}

#[tokio::test]
async fn seed_004_secure_serverless_generated_reports_exactly_the_seed_failures() {
    let acct = account();
    secure_serverless::deploy(&acct, Variant::Drifted).await.unwrap();
    let a = audit::run(&acct, &[SECURE_SERVERLESS], &[]);
    a.assert_code(1);
    // the whole report: every finding with what did not pass, errors and summary
    a.assert_pinned(&acct, "seed_004_secure_serverless_generated_reports_exactly_the_seed_failures");
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
    // the whole report: every finding with what did not pass, errors and summary
    a.assert_pinned(&acct, "seed_002_prod_webapp_ideal_is_clean");
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
}

#[tokio::test]
async fn seed_002_prod_webapp_generated_reports_exactly_the_seed_failures() {
    let acct = account();
    crate::samples::prod_webapp::deploy(&acct, Variant::Drifted).await.unwrap();
    let a = audit::run(&acct, &[PROD_WEBAPP], &[]);
    a.assert_code(1);
    // the whole report: every finding with what did not pass, errors and summary
    a.assert_pinned(&acct, "seed_002_prod_webapp_generated_reports_exactly_the_seed_failures");
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
    assert_eq!(a.observed("asg-min-two-from-template", Some(&asg), "min_size"), json!(1));
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
    // the whole report: every finding with what did not pass, errors and summary
    a.assert_pinned(&acct, "seed_000_static_site_ideal_is_clean");
    let rows = a.rows();
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
    // the whole report: every finding with what did not pass, errors and summary
    a.assert_pinned(&acct, "seed_000_static_site_generated_reports_exactly_the_seed_failures");
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

const ENTERPRISE: &str = "profiles/multi-region-enterprise.toml";

#[tokio::test]
async fn seed_001_multi_region_enterprise_ideal_is_clean() {
    let acct = account();
    crate::samples::enterprise::deploy(&acct, Variant::Compliant).await.unwrap();
    let a = audit::run(&acct, &[ENTERPRISE], &[]);
    a.assert_code(0);
    // the whole report: every finding with what did not pass, errors and summary
    a.assert_pinned(&acct, "seed_001_multi_region_enterprise_ideal_is_clean");
    let rows = a.rows();
    // every one of the profile's 24 requirements has at least one passing finding
    let reqs: std::collections::BTreeSet<&str> = rows.iter().map(|(r, _, _)| r.as_str()).collect();
    assert_eq!(reqs.len(), 24, "{reqs:?}");
    assert_eq!(rows.len(), 44, "{rows:#?}");
    // the replication target is described as observed, in its own region, versioned
    let source = format!("arn:aws:s3:::prod-s3-data-us-east-1-{}", acct.id);
    assert_eq!(
        a.observed("s3-versioned-replicated", Some(&source), "replication_cross_region"),
        json!([{ "bucket": format!("prod-s3-replica-us-west-2-{}", acct.id), "region": "us-west-2", "versioning": "Enabled" }])
    );
    let db = format!("arn:aws:rds:us-east-1:{}:db:prod-rds-main-us-east-1", acct.id);
    assert_eq!(
        a.observed("rds-postgres-with-replicas", Some(&db), "replica_regions"),
        json!(["us-west-2", "ap-south-1"])
    );
}

#[tokio::test]
async fn seed_001_multi_region_enterprise_generated_reports_exactly_the_seed_failures() {
    let acct = account();
    crate::samples::enterprise::deploy(&acct, Variant::Drifted).await.unwrap();
    let a = audit::run(&acct, &[ENTERPRISE], &[]);
    a.assert_code(1);
    // the whole report: every finding with what did not pass, errors and summary
    a.assert_pinned(&acct, "seed_001_multi_region_enterprise_generated_reports_exactly_the_seed_failures");
    let fields = |f: &[&str]| f.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut got = a.drifts();
    // route tables are named by their (random) id: they have no Name tag to show
    for d in &mut got {
        if d.2.starts_with("rtb-") {
            d.2 = "rtb-…".into();
        }
    }
    let want = |req: &str, region: &str, name: &str, f: &[&str]| {
        (req.to_string(), region.to_string(), name.to_string(), fields(f))
    };
    let regional = |req: &str, name: &str, f: &[&str]| {
        ["ap-south-1", "us-east-1", "us-west-2"].map(|r| want(req, r, &name.replace("{region}", r), f))
    };
    let mut expected = vec![
        // C-1: no metric alarms
        want("alarm-alb-5xx", "-", "-", &["count"]),
        want("alarm-cpu-70", "-", "-", &["count"]),
        // the HTTP listener redirects (that passes), but there is no HTTPS listener
        want("alb-https-tls12", "-", "-", &["count"]),
        // D-2: fixed t3.micro
        want("asg-mixed-instances", "us-east-1", "PROD-asg-web-us-east-1", &["instance_types"]),
        // B-1, B-2: no trail, no Config rules
        want("cloudtrail-multi-region", "-", "-", &["count"]),
        want("config-encrypted-volumes", "-", "-", &["count"]),
        want("config-s3-public-read", "-", "-", &["count"]),
        // no secret, no global table
        want("db-secret-rotated", "-", "-", &["count"]),
        want("dynamodb-global-sessions", "-", "-", &["count"]),
    ];
    // B-5: logs.REGION.amazonaws.com in every key policy
    expected.extend(regional(
        "kms-region-agnostic-principals",
        "PROD-kms-logs-{region}",
        &["region_agnostic_principals"],
    ));
    expected.extend([
        // D-1: python3.9
        want("lambda-python312", "us-east-1", "PROD-lambda-processor-us-east-1", &["runtime"]),
        // no RDS
        want("rds-postgres-with-replicas", "-", "-", &["count"]),
        // versioned, never replicated
        want(
            "s3-versioned-replicated",
            "us-east-1",
            &format!("prod-s3-data-us-east-1-{}", acct.id),
            &["replication", "replication_cross_region"],
        ),
        // B-3: no topic
        want("sns-alerting", "-", "-", &["count"]),
    ]);
    // B-4: SSH from 10.0.0.0/8
    expected.extend(regional("ssh-admin-cidr-only", "PROD-sg-web-{region}", &["restrict_ports"]));
    // G-2: the route tables the associations bind carry no tags
    expected.extend(regional("tags-route-tables", "rtb-…", &["required_tags"]));
    // IPv4 only (the flow logs of C-2 pass)
    expected.extend(regional("vpc-dual-stack-flow-logs", "PROD-vpc-main-{region}", &["ipv6"]));
    // two of three pairs, neither routed
    expected.extend([
        want(
            "vpc-peering-full-mesh",
            "us-east-1",
            "us-east-1:PROD-vpc-main-us-east-1 <-> ap-south-1:PROD-vpc-main-ap-south-1",
            &["routes.us-east-1", "routes.ap-south-1"],
        ),
        want(
            "vpc-peering-full-mesh",
            "us-east-1",
            "us-east-1:PROD-vpc-main-us-east-1 <-> us-west-2:PROD-vpc-main-us-west-2",
            &["routes.us-east-1", "routes.us-west-2"],
        ),
        want(
            "vpc-peering-full-mesh",
            "us-west-2",
            "us-west-2:PROD-vpc-main-us-west-2 <-> ap-south-1:PROD-vpc-main-ap-south-1",
            &["peering"],
        ),
    ]);
    assert_eq!(got, expected);

    // observed values, as the report words them
    let sg = |region: &str| {
        let f = a.report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["requirement"] == "ssh-admin-cidr-only" && f["region"] == region)
            .unwrap();
        f["resource"].as_str().unwrap().to_string()
    };
    for region in ["us-east-1", "us-west-2", "ap-south-1"] {
        assert_eq!(
            a.observed("ssh-admin-cidr-only", Some(&sg(region)), "restrict_ports"),
            json!(["tcp/22 from 10.0.0.0/8"])
        );
    }
    let f = format!("arn:aws:lambda:us-east-1:{}:function:PROD-lambda-processor-us-east-1", acct.id);
    assert_eq!(a.observed("lambda-python312", Some(&f), "runtime"), json!("python3.9"));
    let bucket = format!("arn:aws:s3:::prod-s3-data-us-east-1-{}", acct.id);
    assert_eq!(a.observed("s3-versioned-replicated", Some(&bucket), "replication"), json!(null));
    assert_eq!(a.observed("s3-versioned-replicated", Some(&bucket), "versioning"), json!("Enabled"));
    // C-2 passes in every region: flow logs kept exactly 30 days
    let retention: Vec<&str> = a.report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["requirement"] == "flow-log-retention-30")
        .map(|f| f["status"].as_str().unwrap())
        .collect();
    assert_eq!(retention, ["pass", "pass", "pass"]);
}

const WEBAPP_CDK: &str = "profiles/webapp-cdk.toml";

#[tokio::test]
async fn seed_003_webapp_cdk_ideal_is_clean() {
    let acct = account();
    crate::samples::webapp_cdk::deploy(&acct, Variant::Compliant).await.unwrap();
    let a = audit::run(&acct, &[WEBAPP_CDK], &[]);
    a.assert_code(0);
    // the whole report: every finding with what did not pass, errors and summary
    a.assert_pinned(&acct, "seed_003_webapp_cdk_ideal_is_clean");
    let rows = a.rows();
    let reqs: Vec<&str> = rows.iter().map(|(r, _, _)| r.as_str()).collect();
    assert_eq!(
        reqs,
        [
            "cloudtrail-all-api-calls",
            "db-credentials-in-secrets-manager",
            "rds-encrypted-private",
            "tags-database",
            "tags-secrets",
            "tags-security-groups",
            "tags-vpc",
            "web-instance-t3-micro",
            "web-sg-https-only",
        ]
    );
}

#[tokio::test]
async fn seed_003_webapp_cdk_generated_reports_exactly_the_seed_failures() {
    let acct = account();
    crate::samples::webapp_cdk::deploy(&acct, Variant::Drifted).await.unwrap();
    let a = audit::run(&acct, &[WEBAPP_CDK], &[]);
    a.assert_code(1);
    // the whole report: every finding with what did not pass, errors and summary
    a.assert_pinned(&acct, "seed_003_webapp_cdk_generated_reports_exactly_the_seed_failures");
    let d = |req: &str, region: &str, name: &str, f: &str| {
        (req.to_string(), region.to_string(), name.to_string(), vec![f.to_string()])
    };
    assert_eq!(
        a.drifts(),
        [
            // 1: no trail
            d("cloudtrail-all-api-calls", "-", "-", "count"),
            // 2: Project/Environment/ManagedBy instead of Department=IT
            d("tags-database", "us-east-1", "webapp-db", "required_tags"),
            d("tags-secrets", "us-east-1", "webapp-db-credentials", "required_tags"),
            d("tags-security-groups", "us-east-1", "webapp-web-sg", "required_tags"),
            d("tags-vpc", "us-east-1", "webapp-vpc", "required_tags"),
            // 3: an auto scaling group instead of the one t3.micro instance
            d("web-instance-t3-micro", "-", "-", "count"),
            // 4: port 80 open beside 443
            d("web-sg-https-only", "us-east-1", "webapp-web-sg", "world_open_ports"),
        ]
    );
    let db = format!("arn:aws:rds:us-east-1:{}:db:webapp-db", acct.id);
    assert_eq!(
        a.observed("tags-database", Some(&db), "required_tags"),
        json!({ "Environment": "Production", "ManagedBy": "CDK", "Project": "WebApp" })
    );
    let sg = a.rows().into_iter().find(|(r, _, _)| r == "web-sg-https-only").and_then(|(_, res, _)| res).unwrap();
    assert_eq!(a.observed("web-sg-https-only", Some(&sg), "world_open_ports"), json!(["tcp/80 from 0.0.0.0/0"]));
    // what the report lists as met still passes
    let passing: Vec<String> = a.rows().into_iter().filter(|(_, _, s)| s == "pass").map(|(r, _, _)| r).collect();
    assert_eq!(passing, ["db-credentials-in-secrets-manager", "rds-encrypted-private"]);
}
