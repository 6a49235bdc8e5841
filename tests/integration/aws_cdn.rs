//! Live tests against LocalStack for AWS-documented semantics (issue 12): ACM
//! validation records judged by their value, Route 53 names decoded, CloudFront
//! standard logging v2 and the TLSv1.2_2025 security policy. Each test deploys
//! in its own account through the SDK and runs the real binary.
//!
//! LocalStack answers every certificate with the same validation record scheme
//! (`_<fixed>.<domain>.` → one fixed value), so the value a test writes into
//! Route 53 is read back from DescribeCertificate, as a deployment would.

use crate::samples::upsert_record;
use crate::support::account;
use crate::support::audit::{self, row};
use crate::support::Account;
use serde_json::{json, Value};

const ACM_VALUES: &str = "localstack/samples/cdn/acm_values.toml";
const WILDCARD: &str = "localstack/samples/cdn/wildcard.toml";
const CLOUDFRONT: &str = "localstack/samples/cdn/cloudfront.toml";
const ZONE: &str = "cdn.example";

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

async fn zone(acct: &Account) -> Result<String> {
    let z = acct.route53().create_hosted_zone().name(ZONE).caller_reference(format!("cdn-{}", acct.id)).send().await?;
    Ok(z.hosted_zone().map(|z| z.id().to_string()).ok_or("CreateHostedZone returned no zone")?)
}

/// Requests a DNS-validated certificate: (ARN, validation record name, value).
async fn certificate(acct: &Account, domain: &str) -> Result<(String, String, String)> {
    let acm = acct.acm("us-east-1");
    let arn = acm
        .request_certificate()
        .domain_name(domain)
        .validation_method(aws_sdk_acm::types::ValidationMethod::Dns)
        .send()
        .await?
        .certificate_arn()
        .ok_or("RequestCertificate returned no ARN")?
        .to_string();
    let described = acm.describe_certificate().certificate_arn(&arn).send().await?;
    let record = described
        .certificate()
        .and_then(|c| c.domain_validation_options().first())
        .and_then(|o| o.resource_record())
        .ok_or("no validation record")?;
    Ok((arn, record.name().to_string(), record.value().to_string()))
}

#[tokio::test]
async fn acm_validation_cname_with_a_wrong_value_drifts_and_the_right_value_passes() {
    let acct = account();
    let zone = zone(&acct).await.unwrap();
    let (good, good_name, good_value) = certificate(&acct, "ok.cdn.example").await.unwrap();
    let (bad, bad_name, bad_value) = certificate(&acct, "bad.cdn.example").await.unwrap();
    upsert_record(&acct, &zone, &good_name, aws_sdk_route53::types::RrType::Cname, &good_value).await.unwrap();
    // the right name, a value ACM never issued
    upsert_record(&acct, &zone, &bad_name, aws_sdk_route53::types::RrType::Cname, "_stale.acm-validations.aws.")
        .await
        .unwrap();

    let a = audit::run(&acct, &[ACM_VALUES], &[]);
    a.assert_code(1);
    let req = "cdn-certs-validated";
    let mut rows = a.rows();
    rows.sort();
    let mut want = vec![row(req, Some(&bad), "drift"), row(req, Some(&good), "pass")];
    want.sort();
    assert_eq!(rows, want);
    assert_eq!(
        a.observed(req, Some(&bad), "dns_validation_records"),
        json!([{"domain": "bad.cdn.example", "record": bad_name, "value": bad_value,
                "state": "wrong value in Route 53", "found": ["_stale.acm-validations.aws"]}])
    );
    assert_eq!(
        a.observed(req, Some(&good), "dns_validation_records"),
        json!([{"domain": "ok.cdn.example", "record": good_name, "value": good_value, "state": "present in Route 53"}])
    );
    assert_eq!(a.report["errors"], json!([]));
}

/// AWS lists this record as `\052.cdn.example.` (Route 53 "DNS domain name
/// format"); LocalStack answers `*.cdn.example.` unescaped, so the decoding of
/// the escape itself is tested over recorded answers (collect/route53_tests.rs)
/// and this test holds the round trip through the real binary.
#[tokio::test]
async fn route53_wildcard_record_is_matched_by_its_decoded_name() {
    let acct = account();
    let zone = zone(&acct).await.unwrap();
    upsert_record(&acct, &zone, "*.cdn.example", aws_sdk_route53::types::RrType::A, "192.0.2.10").await.unwrap();
    upsert_record(&acct, &zone, "www.cdn.example", aws_sdk_route53::types::RrType::A, "192.0.2.11").await.unwrap();
    let a = audit::run(&acct, &[WILDCARD], &[]);
    a.assert_code(0);
    let id = format!("{}/*.cdn.example/A", zone.trim_start_matches("/hostedzone/"));
    assert_eq!(a.rows(), [row("wildcard-a", Some(&id), "pass")]);
    assert_eq!(a.observed("wildcard-a", Some(&id), "type"), json!("A"));
}

/// A distribution on an ACM certificate with `policy`, legacy logging off.
async fn distribution(
    acct: &Account,
    name: &str,
    policy: aws_sdk_cloudfront::types::MinimumProtocolVersion,
) -> Result<String> {
    use aws_sdk_cloudfront::types::*;
    let origin = Origin::builder()
        .id("site")
        .domain_name(format!("{}.s3.us-east-1.amazonaws.com", acct.bucket(name)))
        .s3_origin_config(S3OriginConfig::builder().origin_access_identity("").build())
        .build()?;
    let config = DistributionConfig::builder()
        .caller_reference(format!("{name}-{}", acct.id))
        .comment(name)
        .enabled(true)
        .origins(Origins::builder().quantity(1).items(origin).build()?)
        .default_cache_behavior(
            DefaultCacheBehavior::builder()
                .target_origin_id("site")
                .viewer_protocol_policy(ViewerProtocolPolicy::RedirectToHttps)
                .build()?,
        )
        .viewer_certificate(
            ViewerCertificate::builder()
                .cloud_front_default_certificate(false)
                .acm_certificate_arn(format!("arn:aws:acm:us-east-1:{}:certificate/{name}", acct.id))
                .ssl_support_method(SslSupportMethod::SniOnly)
                .minimum_protocol_version(policy)
                .build(),
        )
        .build()?;
    let created = acct.cloudfront().create_distribution().distribution_config(config).send().await?;
    Ok(created.distribution().map(|d| d.arn().to_string()).ok_or("CreateDistribution returned no distribution")?)
}

/// Standard logging v2 of a distribution into a log group: source, destination, delivery.
async fn v2_logging(acct: &Account, dist_arn: &str, name: &str) -> Result {
    let logs = acct.logs("us-east-1");
    logs.put_delivery_source().name(name).resource_arn(dist_arn).log_type("ACCESS_LOGS").send().await?;
    let group = format!("arn:aws:logs:us-east-1:{}:log-group:{name}", acct.id);
    let dest = logs
        .put_delivery_destination()
        .name(format!("{name}-dest"))
        .delivery_destination_configuration(
            aws_sdk_cloudwatchlogs::types::DeliveryDestinationConfiguration::builder()
                .destination_resource_arn(group)
                .build()?,
        )
        .send()
        .await?;
    let dest_arn = dest.delivery_destination().and_then(|d| d.arn()).ok_or("no destination ARN")?;
    logs.create_delivery().delivery_source_name(name).delivery_destination_arn(dest_arn).send().await?;
    Ok(())
}

#[tokio::test]
async fn cloudfront_logging_v2_passes_and_tls_policies_compare_by_strength() {
    use aws_sdk_cloudfront::types::MinimumProtocolVersion as P;
    let acct = account();
    // logs through v2 and uses the 2025 TLS 1.2 policy: compliant
    let v2 = distribution(&acct, "cdn-v2", P::TlSv122025).await.unwrap();
    v2_logging(&acct, &v2, "cdn-v2-access").await.unwrap();
    // no logging of either kind, and a 2016 policy (TLS 1.0 accepted)
    let bare = distribution(&acct, "cdn-bare", P::TlSv12016).await.unwrap();

    let a = audit::run(&acct, &[CLOUDFRONT], &[]);
    a.assert_code(1);
    let req = "cdn-logging-tls";
    let mut rows = a.rows();
    rows.sort();
    let mut want = vec![row(req, Some(&v2), "pass"), row(req, Some(&bare), "drift")];
    want.sort();
    assert_eq!(rows, want);
    let dest = format!("arn:aws:logs:us-east-1:{}:delivery-destination:cdn-v2-access-dest", acct.id);
    assert_eq!(a.observed(req, Some(&v2), "logging"), json!(format!("v2 delivery to {dest}")));
    assert_eq!(a.observed(req, Some(&v2), "min_tls"), json!("TLSv1.2_2025"));
    assert_eq!(a.observed(req, Some(&bare), "logging"), json!(null));
    assert_eq!(a.observed(req, Some(&bare), "min_tls"), json!("TLSv1_2016"));
    assert_eq!(a.report["errors"], json!([]));
}

/// The emulator cannot deny one certificate's read: the fault proxy answers
/// DescribeCertificate for that ARN with ACM's AccessDeniedException.
#[tokio::test]
async fn acm_describe_denied_for_one_certificate_leaves_only_that_one_unknown() {
    use crate::support::faults::{Fault, FaultProxy, Rule, When};
    let acct = account();
    let zone = zone(&acct).await.unwrap();
    let (good, good_name, good_value) = certificate(&acct, "ok.cdn.example").await.unwrap();
    let (hidden, hidden_name, hidden_value) = certificate(&acct, "hidden.cdn.example").await.unwrap();
    upsert_record(&acct, &zone, &good_name, aws_sdk_route53::types::RrType::Cname, &good_value).await.unwrap();
    upsert_record(&acct, &zone, &hidden_name, aws_sdk_route53::types::RrType::Cname, &hidden_value).await.unwrap();
    let rule =
        Rule::new(Fault::AccessDenied, When::Contains(hidden.clone())).service("acm").operation("DescribeCertificate");
    let proxy = FaultProxy::start(&acct.endpoint, vec![rule], 12);
    let a = audit::run_at(&acct, &proxy.url, &[ACM_VALUES], &[], &[]);
    a.assert_code(3);
    let req = "cdn-certs-validated";
    let mut rows = a.rows();
    rows.sort();
    let mut want = vec![row(req, Some(&good), "pass"), row(req, Some(&hidden), "unknown")];
    want.sort();
    assert_eq!(rows, want);
    let checks: Vec<(String, Value)> = a.finding(req, Some(&hidden))["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["field"].as_str().unwrap().to_string(), c["ok"].clone()))
        .collect();
    assert_eq!(
        checks,
        [("validation_method".to_string(), Value::Null), ("dns_validation_records".to_string(), Value::Null)]
    );
    let errors = a.report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        (&errors[0]["service"], &errors[0]["operation"], &errors[0]["resource"]),
        (&json!("acm"), &json!("DescribeCertificate"), &json!(hidden))
    );
}
