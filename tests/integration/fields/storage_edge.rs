//! Every field of its kinds seen drifting on a resource that exists but is
//! misconfigured, next to one that passes, through the live collector.
//!
//! Each test deploys the two resources of one field in a fresh account and runs
//! one audit. The expected drift values follow AWS's documented answers and the
//! kind's doc (`driftwatch kinds KIND`).

mod deploy;
mod s3;
mod waf;

use super::{fresh, Proof};
use crate::samples::{block_public_access, create_bucket_in, enable_versioning, encrypt_with_kms, upsert_record};
use crate::support::audit::{self, row};
use crate::support::Account;
use deploy::{Acl, Dist, EAST};
use s3::{kms_key, pair, replicate, s3_proof, s3_tag, sse_s3, Pair};
use serde_json::{json, Value};

/// (kind, field, the test in this file that proves it both ways live).
pub const PROVEN: &[(&str, &str, &str)] = &[
    ("s3.bucket", "encryption", "s3_encryption"),
    ("s3.bucket", "kms_key_arn", "s3_kms_key_arn"),
    ("s3.bucket", "bucket_key", "s3_bucket_key"),
    ("s3.bucket", "versioning", "s3_versioning"),
    ("s3.bucket", "public_access_block", "s3_public_access_block"),
    ("s3.bucket", "access_logging", "s3_access_logging"),
    ("s3.bucket", "replication", "s3_replication"),
    ("s3.bucket", "replication_cross_region", "s3_replication_cross_region"),
    ("s3.bucket", "private", "s3_private"),
    ("s3.bucket", "required_tags", "s3_required_tags"),
    ("s3.bucket", "name_pattern", "s3_name_pattern"),
    ("cloudfront.distribution", "oac", "cloudfront_oac"),
    ("cloudfront.distribution", "origin_failover", "cloudfront_origin_failover"),
    ("cloudfront.distribution", "failover_status_codes", "cloudfront_failover_status_codes"),
    ("cloudfront.distribution", "web_acl", "cloudfront_web_acl"),
    ("cloudfront.distribution", "logging", "cloudfront_logging"),
    ("cloudfront.distribution", "acm_certificate", "cloudfront_acm_certificate"),
    ("cloudfront.distribution", "min_tls", "cloudfront_min_tls"),
    ("cloudfront.distribution", "aliases", "cloudfront_aliases"),
    ("cloudfront.distribution", "compression", "cloudfront_compression"),
    ("cloudfront.distribution", "custom_error_codes", "cloudfront_custom_error_codes"),
    ("cloudfront.distribution", "required_tags", "cloudfront_required_tags"),
    ("cloudfront.distribution", "name_pattern", "cloudfront_name_pattern"),
    ("route53.record", "type", "route53_type"),
    ("route53.record", "alias_to", "route53_alias_to"),
    ("route53.record", "public_zone", "route53_public_zone"),
    ("route53.record", "name_pattern", "route53_name_pattern"),
    ("acm.certificate", "status", "acm_status"),
    ("acm.certificate", "dns_validation_records", "acm_dns_validation_records"),
    ("acm.certificate", "days_to_expiry", "acm_days_to_expiry"),
    ("acm.certificate", "required_tags", "acm_required_tags"),
    ("acm.certificate", "name_pattern", "acm_name_pattern"),
    ("wafv2.web_acl", "scope", "waf_scope"),
    ("wafv2.web_acl", "managed_rule_groups", "waf_managed_rule_groups"),
    ("wafv2.web_acl", "rate_limit", "waf_rate_limit"),
    ("wafv2.web_acl", "rate_limit_requests", "waf_rate_limit_requests"),
    ("wafv2.web_acl", "logging", "waf_logging"),
    ("wafv2.web_acl", "used_by_cloudfront", "waf_used_by_cloudfront"),
    ("wafv2.web_acl", "required_tags", "waf_required_tags"),
    ("wafv2.web_acl", "name_pattern", "waf_name_pattern"),
];

// ---------------------------------------------------------------- s3.bucket

#[tokio::test]
async fn s3_encryption() {
    let acct = fresh();
    let p = pair(&acct).await;
    let key = kms_key(&acct).await;
    encrypt_with_kms(&acct.s3(EAST), &p.ok, &key, false).await.unwrap();
    // SSE-S3 where the requirement asks for KMS
    sse_s3(&acct, &p.bad).await;
    s3_proof(&acct, &p, "encryption", "encryption = \"kms\"", json!("AES256"));
}

#[tokio::test]
async fn s3_kms_key_arn() {
    let acct = fresh();
    let p = pair(&acct).await;
    let (wanted, other) = (kms_key(&acct).await, kms_key(&acct).await);
    encrypt_with_kms(&acct.s3(EAST), &p.ok, &wanted, false).await.unwrap();
    encrypt_with_kms(&acct.s3(EAST), &p.bad, &other, false).await.unwrap();
    s3_proof(&acct, &p, "kms_key_arn", &format!("kms_key_arn = \"{wanted}\""), json!(other));
}

#[tokio::test]
async fn s3_bucket_key() {
    let acct = fresh();
    let p = pair(&acct).await;
    let key = kms_key(&acct).await;
    encrypt_with_kms(&acct.s3(EAST), &p.ok, &key, true).await.unwrap();
    encrypt_with_kms(&acct.s3(EAST), &p.bad, &key, false).await.unwrap();
    s3_proof(&acct, &p, "bucket_key", "bucket_key = true", json!(false));
}

#[tokio::test]
async fn s3_versioning() {
    use aws_sdk_s3::types::{BucketVersioningStatus, VersioningConfiguration};
    let acct = fresh();
    let p = pair(&acct).await;
    let s3 = acct.s3(EAST);
    enable_versioning(&s3, &p.ok).await.unwrap();
    // once enabled, versioning can only be suspended (S3 user guide, "Using versioning")
    enable_versioning(&s3, &p.bad).await.unwrap();
    s3.put_bucket_versioning()
        .bucket(&p.bad)
        .versioning_configuration(VersioningConfiguration::builder().status(BucketVersioningStatus::Suspended).build())
        .send()
        .await
        .unwrap();
    s3_proof(&acct, &p, "versioning", "versioning = true", json!("Suspended"));
}

#[tokio::test]
async fn s3_public_access_block() {
    let acct = fresh();
    let p = pair(&acct).await;
    let s3 = acct.s3(EAST);
    block_public_access(&s3, &p.ok).await.unwrap();
    let partial = aws_sdk_s3::types::PublicAccessBlockConfiguration::builder()
        .block_public_acls(true)
        .ignore_public_acls(true)
        .block_public_policy(true)
        .restrict_public_buckets(false)
        .build();
    s3.put_public_access_block().bucket(&p.bad).public_access_block_configuration(partial).send().await.unwrap();
    // no account-level block in a fresh account: GetPublicAccessBlock answers
    // NoSuchPublicAccessBlockConfiguration, shown as null
    let observed = json!({"bucket": {"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": false}, "account": null});
    s3_proof(&acct, &p, "public_access_block", "public_access_block = true", observed);
}

#[tokio::test]
async fn s3_access_logging() {
    use aws_sdk_s3::types::{BucketLoggingStatus, LoggingEnabled};
    let acct = fresh();
    let p = pair(&acct).await;
    let s3 = acct.s3(EAST);
    let target = acct.bucket("aux-logs");
    create_bucket_in(&s3, &target, EAST).await.unwrap();
    let logging = LoggingEnabled::builder().target_bucket(&target).target_prefix("t-ok/").build().unwrap();
    s3.put_bucket_logging()
        .bucket(&p.ok)
        .bucket_logging_status(BucketLoggingStatus::builder().logging_enabled(logging).build())
        .send()
        .await
        .unwrap();
    // GetBucketLogging answers an empty BucketLoggingStatus when logging is off
    s3_proof(&acct, &p, "access_logging", "access_logging = true", json!(null));
}

#[tokio::test]
async fn s3_replication() {
    let acct = fresh();
    let p = pair(&acct).await;
    let s3 = acct.s3(EAST);
    let dest = acct.bucket("aux-replica");
    create_bucket_in(&s3, &dest, EAST).await.unwrap();
    for b in [&p.ok, &p.bad, &dest] {
        enable_versioning(&s3, b).await.unwrap();
    }
    replicate(&acct, &p.ok, &dest, true).await;
    // a configuration whose only rule is Disabled replicates nothing
    replicate(&acct, &p.bad, &dest, false).await;
    s3_proof(&acct, &p, "replication", "replication = true", json!([]));
}

#[tokio::test]
async fn s3_replication_cross_region() {
    let acct = fresh();
    let p = pair(&acct).await;
    let (east, west) = (acct.bucket("aux-east"), acct.bucket("aux-west"));
    create_bucket_in(&acct.s3(EAST), &east, EAST).await.unwrap();
    create_bucket_in(&acct.s3("us-west-2"), &west, "us-west-2").await.unwrap();
    enable_versioning(&acct.s3("us-west-2"), &west).await.unwrap();
    for b in [&p.ok, &p.bad, &east] {
        enable_versioning(&acct.s3(EAST), b).await.unwrap();
    }
    replicate(&acct, &p.ok, &west, true).await;
    // replicates, but within its own region
    replicate(&acct, &p.bad, &east, true).await;
    s3_proof(
        &acct,
        &p,
        "replication_cross_region",
        "replication_cross_region = true",
        json!([{"bucket": east, "region": EAST, "versioning": "Enabled"}]),
    );
}

#[tokio::test]
async fn s3_private() {
    let acct = fresh();
    let p = pair(&acct).await;
    let s3 = acct.s3(EAST);
    block_public_access(&s3, &p.ok).await.unwrap();
    // a policy letting anyone read, with no public access block to stop it
    s3.delete_public_access_block().bucket(&p.bad).send().await.unwrap();
    let policy = json!({"Version": "2012-10-17", "Statement": [{
        "Sid": "Everyone", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
        "Resource": format!("arn:aws:s3:::{}/*", p.bad)}]});
    s3.put_bucket_policy().bucket(&p.bad).policy(policy.to_string()).send().await.unwrap();
    s3_proof(&acct, &p, "private", "private = true", json!(["policy statement Everyone allows everyone"]));
}

#[tokio::test]
async fn s3_required_tags() {
    let acct = fresh();
    let p = pair(&acct).await;
    s3_tag(&acct, &p.ok, "web").await;
    s3_tag(&acct, &p.bad, "data").await;
    s3_proof(&acct, &p, "required_tags", "required_tags = { team = \"web\" }", json!({"team": "data"}));
}

#[tokio::test]
async fn s3_name_pattern() {
    let acct = fresh();
    let s3 = acct.s3(EAST);
    // both in us-east-1; the second names another region
    let p = Pair { ok: acct.bucket("t-site-us-east-1"), bad: acct.bucket("t-site-eu-west-1") };
    for name in [&p.ok, &p.bad] {
        create_bucket_in(&s3, name, EAST).await.unwrap();
    }
    let pattern = format!("name_pattern = \"t-{{app}}-{{region}}-{}\"", acct.id);
    s3_proof(&acct, &p, "name_pattern", &pattern, json!(p.bad));
}

// -------------------------------------------------- cloudfront.distribution

/// The Proof of one distribution field; every distribution of the account is
/// selected (a fresh account holds only the two).
fn cf_proof(acct: &Account, field: &str, expect: &str, pass: &str, drift: &str, drift_observed: Value) {
    Proof {
        kind: "cloudfront.distribution",
        field,
        select: "{ name_glob = \"*\" }",
        expect,
        region: EAST,
        pass,
        drift,
        drift_observed,
    }
    .check(acct);
}

#[tokio::test]
async fn cloudfront_oac() {
    let acct = fresh();
    let ok = deploy::distribution(&acct, Dist { oac: true, ..Dist::new(&acct, "oac") }).await.unwrap();
    // an S3 origin reached without origin access control
    let bad = deploy::distribution(&acct, Dist::new(&acct, "open")).await.unwrap();
    cf_proof(&acct, "oac", "oac = true", &ok, &bad, json!(["primary"]));
}

#[tokio::test]
async fn cloudfront_origin_failover() {
    let acct = fresh();
    let codes = Some(vec![500, 502, 503, 504]);
    let ok =
        deploy::distribution(&acct, Dist { group_codes: codes.clone(), target_group: true, ..Dist::new(&acct, "grp") })
            .await
            .unwrap();
    // the origin group exists, but the default behaviour targets one origin
    let bad = deploy::distribution(&acct, Dist { group_codes: codes, ..Dist::new(&acct, "single") }).await.unwrap();
    cf_proof(&acct, "origin_failover", "origin_failover = true", &ok, &bad, json!(null));
}

#[tokio::test]
async fn cloudfront_failover_status_codes() {
    let acct = fresh();
    let ok = deploy::distribution(
        &acct,
        Dist { group_codes: Some(vec![500, 502, 503, 504]), target_group: true, ..Dist::new(&acct, "5xx") },
    )
    .await
    .unwrap();
    let bad = deploy::distribution(
        &acct,
        Dist { group_codes: Some(vec![403, 404]), target_group: true, ..Dist::new(&acct, "4xx") },
    )
    .await
    .unwrap();
    let expect = "failover_status_codes = [\"500\", \"503\"]";
    cf_proof(&acct, "failover_status_codes", expect, &ok, &bad, json!(["403", "404"]));
}

#[tokio::test]
async fn cloudfront_web_acl() {
    let acct = fresh();
    let acl = deploy::web_acl(&acct, Acl { cloudfront: true, ..Acl::new("edge") }).await.unwrap();
    let ok = deploy::distribution(&acct, Dist { web_acl: Some(acl), ..Dist::new(&acct, "waf") }).await.unwrap();
    let bad = deploy::distribution(&acct, Dist::new(&acct, "nowaf")).await.unwrap();
    cf_proof(&acct, "web_acl", "web_acl = true", &ok, &bad, json!(null));
}

#[tokio::test]
async fn cloudfront_logging() {
    let acct = fresh();
    let logs = acct.bucket("aux-cdn-logs");
    create_bucket_in(&acct.s3(EAST), &logs, EAST).await.unwrap();
    let ok = deploy::distribution(
        &acct,
        Dist { log_bucket: Some(format!("{logs}.s3.amazonaws.com")), ..Dist::new(&acct, "logs") },
    )
    .await
    .unwrap();
    // legacy logging into a bucket name of another stack, absent from this account
    let elsewhere = "other-stack-cdn-logs.s3.amazonaws.com";
    let bad = deploy::distribution(&acct, Dist { log_bucket: Some(elsewhere.into()), ..Dist::new(&acct, "lost") })
        .await
        .unwrap();
    let observed = json!(format!("{elsewhere} (no such bucket in this account)"));
    cf_proof(&acct, "logging", "logging = true", &ok, &bad, observed);
}

#[tokio::test]
async fn cloudfront_acm_certificate() {
    let acct = fresh();
    let ok = deploy::distribution(&acct, Dist::new(&acct, "acm")).await.unwrap();
    // the CloudFront default certificate (*.cloudfront.net), which serves no alias
    let bad = deploy::distribution(&acct, Dist { policy: None, aliases: vec![], ..Dist::new(&acct, "default") })
        .await
        .unwrap();
    cf_proof(&acct, "acm_certificate", "acm_certificate = true", &ok, &bad, json!(null));
}

#[tokio::test]
async fn cloudfront_min_tls() {
    use aws_sdk_cloudfront::types::MinimumProtocolVersion as P;
    let acct = fresh();
    let ok = deploy::distribution(&acct, Dist::new(&acct, "tls12")).await.unwrap();
    let bad =
        deploy::distribution(&acct, Dist { policy: Some(P::TlSv112016), ..Dist::new(&acct, "tls11") }).await.unwrap();
    cf_proof(&acct, "min_tls", "min_tls = \"TLSv1.2_2021\"", &ok, &bad, json!("TLSv1.1_2016"));
}

#[tokio::test]
async fn cloudfront_aliases() {
    let acct = fresh();
    let ok = deploy::distribution(&acct, Dist::new(&acct, "shop")).await.unwrap();
    let bad = deploy::distribution(&acct, Dist::new(&acct, "blog")).await.unwrap();
    let expect = format!("aliases = [\"shop-{}.cdn.example\"]", acct.id);
    cf_proof(&acct, "aliases", &expect, &ok, &bad, json!([format!("blog-{}.cdn.example", acct.id)]));
}

#[tokio::test]
async fn cloudfront_compression() {
    let acct = fresh();
    let ok = deploy::distribution(&acct, Dist { compress: true, ..Dist::new(&acct, "gz") }).await.unwrap();
    let bad = deploy::distribution(&acct, Dist::new(&acct, "raw")).await.unwrap();
    cf_proof(&acct, "compression", "compression = true", &ok, &bad, json!(false));
}

#[tokio::test]
async fn cloudfront_custom_error_codes() {
    let acct = fresh();
    let ok =
        deploy::distribution(&acct, Dist { error_codes: vec![403, 404], ..Dist::new(&acct, "pages") }).await.unwrap();
    let bad = deploy::distribution(&acct, Dist { error_codes: vec![403], ..Dist::new(&acct, "no404") }).await.unwrap();
    cf_proof(&acct, "custom_error_codes", "custom_error_codes = [\"404\"]", &ok, &bad, json!(["403"]));
}

#[tokio::test]
async fn cloudfront_required_tags() {
    let acct = fresh();
    let ok =
        deploy::distribution(&acct, Dist { tags: vec![("team", "web")], ..Dist::new(&acct, "web") }).await.unwrap();
    let bad =
        deploy::distribution(&acct, Dist { tags: vec![("team", "data")], ..Dist::new(&acct, "data") }).await.unwrap();
    cf_proof(&acct, "required_tags", "required_tags = { team = \"web\" }", &ok, &bad, json!({"team": "data"}));
}

#[tokio::test]
async fn cloudfront_name_pattern() {
    let acct = fresh();
    // a distribution is named by its first alias
    let prod = format!("shop-{}.prod.example", acct.id);
    let staging = format!("shop-{}.staging.example", acct.id);
    let ok = deploy::distribution(&acct, Dist { aliases: vec![prod], ..Dist::new(&acct, "prod") }).await.unwrap();
    let bad = deploy::distribution(&acct, Dist { aliases: vec![staging.clone()], ..Dist::new(&acct, "staging") })
        .await
        .unwrap();
    cf_proof(&acct, "name_pattern", "name_pattern = \"{app}.prod.example\"", &ok, &bad, json!(staging));
}

// ----------------------------------------------------------- route53.record

/// The report id of a record: zone id, name, type.
fn record_id(zone: &str, name: &str, kind: &str) -> String {
    format!("{zone}/{name}/{kind}")
}

/// `type` chooses the candidates (route53.record doc), so a record of another type
/// drifts as a `count` finding: `api` exists as a CNAME where an A record is
/// required, next to `www`, an A record.
#[tokio::test]
async fn route53_type() {
    use aws_sdk_route53::types::RrType;
    let acct = fresh();
    let zone = deploy::zone(&acct, "r53.example", false).await.unwrap();
    upsert_record(&acct, &zone, "www.r53.example", RrType::A, "192.0.2.10").await.unwrap();
    upsert_record(&acct, &zone, "api.r53.example", RrType::Cname, "api.elsewhere.example").await.unwrap();
    let text = "[profile]\nname = \"fields\"\nregions = [\"us-east-1\"]\n\
        [[requirement]]\nid = \"www-a\"\nkind = \"route53.record\"\nselect = { name = \"www.r53.example\" }\nmin_count = 1\n[requirement.expect]\ntype = \"A\"\n\
        [[requirement]]\nid = \"api-a\"\nkind = \"route53.record\"\nselect = { name = \"api.r53.example\" }\nmin_count = 1\n[requirement.expect]\ntype = \"A\"\n";
    let profile = audit::profile_file(text);
    let a = audit::run(&acct, &[profile.path()], &[]);
    a.assert_code(1);
    let www = record_id(&zone, "www.r53.example", "A");
    let mut rows = a.rows();
    rows.sort();
    assert_eq!(rows, [row("api-a", None, "drift"), row("www-a", Some(&www), "pass")]);
    let checks = |req: &str, res: Option<&str>| deploy::checks(&a, req, res);
    assert_eq!(checks("api-a", None), [(json!("count"), json!(0), json!(false))]);
    assert_eq!(checks("www-a", Some(&www)), [(json!("type"), json!("A"), json!(true))]);
    assert_eq!(a.report["errors"], json!([]));
    assert_eq!(a.report["summary"], json!({"pass": 1, "drift": 1, "unknown": 0, "not_applicable": 0, "waived": 0}));
}

#[tokio::test]
async fn route53_alias_to() {
    let acct = fresh();
    let zone = deploy::zone(&acct, "r53.example", false).await.unwrap();
    // CloudFront's alias zone is Z2FDTNDATAQYW2; us-east-1 ALBs use Z35SXDOTRQ7X7K
    deploy::alias(&acct, &zone, "cdn.r53.example", "Z2FDTNDATAQYW2", "d111111abcdef8.cloudfront.net").await.unwrap();
    let lb = "dualstack.web-1234567890.us-east-1.elb.amazonaws.com";
    deploy::alias(&acct, &zone, "lb.r53.example", "Z35SXDOTRQ7X7K", lb).await.unwrap();
    Proof {
        kind: "route53.record",
        field: "alias_to",
        select: "{ name_glob = \"*.r53.example\" }",
        expect: "alias_to = \"cloudfront.net\"",
        region: EAST,
        pass: &record_id(&zone, "cdn.r53.example", "A"),
        drift: &record_id(&zone, "lb.r53.example", "A"),
        drift_observed: json!(lb),
    }
    .check(&acct);
}

#[tokio::test]
async fn route53_public_zone() {
    use aws_sdk_route53::types::RrType;
    let acct = fresh();
    let public = deploy::zone(&acct, "pub.r53.example", false).await.unwrap();
    let private = deploy::zone(&acct, "priv.r53.example", true).await.unwrap();
    upsert_record(&acct, &public, "www.pub.r53.example", RrType::A, "192.0.2.10").await.unwrap();
    upsert_record(&acct, &private, "www.priv.r53.example", RrType::A, "10.40.0.10").await.unwrap();
    Proof {
        kind: "route53.record",
        field: "public_zone",
        select: "{ name_prefix = \"www.\" }",
        expect: "public_zone = true",
        region: EAST,
        pass: &record_id(&public, "www.pub.r53.example", "A"),
        drift: &record_id(&private, "www.priv.r53.example", "A"),
        drift_observed: json!(false),
    }
    .check(&acct);
}

#[tokio::test]
async fn route53_name_pattern() {
    use aws_sdk_route53::types::RrType;
    let acct = fresh();
    let zone = deploy::zone(&acct, "r53.example", false).await.unwrap();
    upsert_record(&acct, &zone, "api.prod.r53.example", RrType::A, "192.0.2.10").await.unwrap();
    upsert_record(&acct, &zone, "api.staging.r53.example", RrType::A, "192.0.2.11").await.unwrap();
    Proof {
        kind: "route53.record",
        field: "name_pattern",
        select: "{ name_glob = \"api.*.r53.example\" }",
        expect: "name_pattern = \"{service}.prod.r53.example\"",
        region: EAST,
        pass: &record_id(&zone, "api.prod.r53.example", "A"),
        drift: &record_id(&zone, "api.staging.r53.example", "A"),
        drift_observed: json!("api.staging.r53.example"),
    }
    .check(&acct);
}

// ---------------------------------------------------------- acm.certificate

fn acm_proof(acct: &Account, field: &str, expect: &str, pass: &str, drift: &str, drift_observed: Value) {
    Proof {
        kind: "acm.certificate",
        field,
        select: "{ name_glob = \"*.acm.example\" }",
        expect,
        region: EAST,
        pass,
        drift,
        drift_observed,
    }
    .check(acct);
}

#[tokio::test]
async fn acm_status() {
    let acct = fresh();
    // ACM marks an imported certificate ISSUED; a requested one waits in
    // PENDING_VALIDATION until its validation record resolves
    let ok = deploy::import_certificate(&acct, "imported.acm.example", 400).await.unwrap();
    let bad = deploy::request_certificate(&acct, "pending.acm.example", &[]).await.unwrap();
    acm_proof(&acct, "status", "status = \"ISSUED\"", &ok, &bad, json!("PENDING_VALIDATION"));
}

#[tokio::test]
async fn acm_dns_validation_records() {
    use aws_sdk_route53::types::RrType;
    let acct = fresh();
    let zone = deploy::zone(&acct, "acm.example", false).await.unwrap();
    let ok = deploy::request_certificate(&acct, "ok.acm.example", &[]).await.unwrap();
    let bad = deploy::request_certificate(&acct, "bad.acm.example", &[]).await.unwrap();
    let (ok_name, ok_value) = deploy::validation_record(&acct, &ok).await.unwrap();
    let (bad_name, bad_value) = deploy::validation_record(&acct, &bad).await.unwrap();
    upsert_record(&acct, &zone, &ok_name, RrType::Cname, &ok_value).await.unwrap();
    // the record ACM asked for, holding a value ACM never issued
    upsert_record(&acct, &zone, &bad_name, RrType::Cname, "_stale.acm-validations.aws.").await.unwrap();
    let observed = json!([{"domain": "bad.acm.example", "record": bad_name, "value": bad_value,
        "state": "wrong value in Route 53", "found": ["_stale.acm-validations.aws"]}]);
    acm_proof(&acct, "dns_validation_records", "dns_validation_records = true", &ok, &bad, observed);
}

#[tokio::test]
async fn acm_days_to_expiry() {
    let acct = fresh();
    let ok = deploy::import_certificate(&acct, "long.acm.example", 400).await.unwrap();
    // NotAfter is 10 days after the import (to the second); once a second has
    // passed, the whole days left are 9
    let bad = deploy::import_certificate(&acct, "short.acm.example", 10).await.unwrap();
    // the audit's clock is then at least a second past the import
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    acm_proof(&acct, "days_to_expiry", "days_to_expiry = { at_least = 30 }", &ok, &bad, json!(9));
}

#[tokio::test]
async fn acm_required_tags() {
    let acct = fresh();
    let ok = deploy::request_certificate(&acct, "web.acm.example", &[("team", "web")]).await.unwrap();
    let bad = deploy::request_certificate(&acct, "data.acm.example", &[("team", "data")]).await.unwrap();
    acm_proof(&acct, "required_tags", "required_tags = { team = \"web\" }", &ok, &bad, json!({"team": "data"}));
}

#[tokio::test]
async fn acm_name_pattern() {
    let acct = fresh();
    let ok = deploy::request_certificate(&acct, "api.prod.acm.example", &[]).await.unwrap();
    let bad = deploy::request_certificate(&acct, "api.staging.acm.example", &[]).await.unwrap();
    let expect = "name_pattern = \"{service}.prod.acm.example\"";
    acm_proof(&acct, "name_pattern", expect, &ok, &bad, json!("api.staging.acm.example"));
}

// ------------------------------------------------------------ wafv2.web_acl
