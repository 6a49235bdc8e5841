//! CloudFront distributions over recorded answers. CloudFront bodies follow the
//! CloudFront API reference (REST/XML: DistributionList of DistributionSummary,
//! DistributionConfig, Tags, ErrorResponse); CloudWatch Logs bodies follow the
//! CloudWatch Logs API reference (JSON 1.1: DescribeDeliverySources'
//! deliverySources[] {name, arn, resourceArns, service, logType, status},
//! DescribeDeliveries' deliveries[] {id, arn, deliverySourceName,
//! deliveryDestinationArn, deliveryDestinationType}).

use super::*;
use crate::collect::fake;
use crate::compare::{evaluate, Status};
use crate::inventory::{ErrorClass, Inventory};
use crate::kinds::tests::{observed, req, statuses};

const NS: &str = "http://cloudfront.amazonaws.com/doc/2020-05-31/";
const ACCT: &str = "111122223333";

fn arn(id: &str) -> String {
    format!("arn:aws:cloudfront::{ACCT}:distribution/{id}")
}

/// A distribution summary: an ACM certificate with `policy`, or the CloudFront
/// default certificate when `policy` is None.
fn summary(id: &str, policy: Option<&str>) -> String {
    let cert = match policy {
        Some(p) => format!(
            "<ACMCertificateArn>arn:aws:acm:us-east-1:{ACCT}:certificate/{id}</ACMCertificateArn>\
<SSLSupportMethod>sni-only</SSLSupportMethod><MinimumProtocolVersion>{p}</MinimumProtocolVersion>\
<CertificateSource>acm</CertificateSource>"
        ),
        None => "<CloudFrontDefaultCertificate>true</CloudFrontDefaultCertificate>\
<MinimumProtocolVersion>TLSv1.2_2021</MinimumProtocolVersion><CertificateSource>cloudfront</CertificateSource>"
            .to_string(),
    };
    format!(
        "<DistributionSummary><Id>{id}</Id><ARN>{}</ARN><Status>Deployed</Status>\
<LastModifiedTime>2025-06-01T00:00:00Z</LastModifiedTime><DomainName>{}.cloudfront.net</DomainName>\
<Aliases><Quantity>0</Quantity></Aliases>\
<Origins><Quantity>1</Quantity><Items><Origin><Id>site</Id><DomainName>site-{ACCT}.s3.us-east-1.amazonaws.com</DomainName>\
<OriginPath></OriginPath><S3OriginConfig><OriginAccessIdentity></OriginAccessIdentity></S3OriginConfig>\
<OriginAccessControlId>oac-1</OriginAccessControlId></Origin></Items></Origins>\
<DefaultCacheBehavior><TargetOriginId>site</TargetOriginId><ViewerProtocolPolicy>redirect-to-https</ViewerProtocolPolicy>\
<Compress>true</Compress></DefaultCacheBehavior><CacheBehaviors><Quantity>0</Quantity></CacheBehaviors>\
<CustomErrorResponses><Quantity>0</Quantity></CustomErrorResponses><Comment></Comment><PriceClass>PriceClass_All</PriceClass>\
<Enabled>true</Enabled><ViewerCertificate>{cert}</ViewerCertificate>\
<Restrictions><GeoRestriction><RestrictionType>none</RestrictionType><Quantity>0</Quantity></GeoRestriction></Restrictions>\
<WebACLId></WebACLId><HttpVersion>http2</HttpVersion><IsIPV6Enabled>true</IsIPV6Enabled><Staging>false</Staging>\
</DistributionSummary>",
        arn(id),
        id.to_ascii_lowercase()
    )
}

fn list(items: &[String]) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><DistributionList xmlns=\"{NS}\"><Marker></Marker><MaxItems>100</MaxItems>\
<IsTruncated>false</IsTruncated><Quantity>{}</Quantity><Items>{}</Items></DistributionList>",
        items.len(),
        items.concat()
    )
}

/// GetDistributionConfig's body, legacy logging off or into `bucket`.
fn config(id: &str, bucket: Option<&str>) -> String {
    let logging = match bucket {
        Some(b) => format!(
            "<Enabled>true</Enabled><IncludeCookies>false</IncludeCookies><Bucket>{b}.s3.amazonaws.com</Bucket><Prefix>cdn/</Prefix>"
        ),
        None => "<Enabled>false</Enabled><IncludeCookies>false</IncludeCookies><Bucket></Bucket><Prefix></Prefix>".into(),
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><DistributionConfig xmlns=\"{NS}\"><CallerReference>ref-{id}</CallerReference>\
<Aliases><Quantity>0</Quantity></Aliases><DefaultRootObject>index.html</DefaultRootObject>\
<Origins><Quantity>1</Quantity><Items><Origin><Id>site</Id><DomainName>site-{ACCT}.s3.us-east-1.amazonaws.com</DomainName>\
<S3OriginConfig><OriginAccessIdentity></OriginAccessIdentity></S3OriginConfig></Origin></Items></Origins>\
<DefaultCacheBehavior><TargetOriginId>site</TargetOriginId><ViewerProtocolPolicy>redirect-to-https</ViewerProtocolPolicy>\
</DefaultCacheBehavior><Comment></Comment><Logging>{logging}</Logging><PriceClass>PriceClass_All</PriceClass>\
<Enabled>true</Enabled></DistributionConfig>"
    )
}

fn cf_error(status: u16, code: &str) -> (u16, String) {
    (
        status,
        format!(
            "<?xml version=\"1.0\"?><ErrorResponse xmlns=\"{NS}\"><Error><Type>Sender</Type><Code>{code}</Code>\
<Message>{code} here</Message></Error><RequestId>req-1</RequestId></ErrorResponse>"
        ),
    )
}

fn tags(value: &str) -> String {
    format!("<?xml version=\"1.0\"?><Tags xmlns=\"{NS}\"><Items><Tag><Key>team</Key><Value>{value}</Value></Tag></Items></Tags>")
}

/// Delivery sources: E1's access logs (active), E2's (INACTIVE, its resource
/// deleted) and a source of another service that names E2 too.
fn delivery_sources() -> String {
    serde_json::json!({"deliverySources": [
        {"name": "cf-e1", "arn": format!("arn:aws:logs:us-east-1:{ACCT}:delivery-source:cf-e1"),
         "resourceArns": [arn("E1")], "service": "cloudfront", "logType": "ACCESS_LOGS", "status": "ACTIVE"},
        {"name": "cf-e2", "arn": format!("arn:aws:logs:us-east-1:{ACCT}:delivery-source:cf-e2"),
         "resourceArns": [arn("E2")], "service": "cloudfront", "logType": "ACCESS_LOGS",
         "status": "INACTIVE", "statusReason": "RESOURCE_DELETED"},
        {"name": "other", "arn": format!("arn:aws:logs:us-east-1:{ACCT}:delivery-source:other"),
         "resourceArns": [arn("E2")], "service": "bedrock", "logType": "APPLICATION_LOGS"}
    ]})
    .to_string()
}

fn deliveries() -> String {
    let d = |id: &str, source: &str, dest: &str| {
        serde_json::json!({"id": id, "arn": format!("arn:aws:logs:us-east-1:{ACCT}:delivery:{id}"),
            "deliverySourceName": source,
            "deliveryDestinationArn": format!("arn:aws:logs:us-east-1:{ACCT}:delivery-destination:{dest}"),
            "deliveryDestinationType": "CWL"})
    };
    serde_json::json!({"deliveries": [d("d1", "cf-e1", "cdn-logs"), d("d2", "cf-e2", "cdn-logs"), d("d3", "other", "x")]})
        .to_string()
}

/// E1: legacy logging off, a v2 delivery, TLSv1.2_2025. E2: legacy off, only an
/// inactive v2 source, default certificate, tags denied. E3: deleted before its
/// configuration is read. E4: configuration denied. E5: legacy logging on.
fn account(v2_denied: bool) -> std::sync::Arc<crate::aws::Ctx> {
    fake::ctx_with(move |r| match r.op.as_str() {
        "DescribeDeliverySources" if v2_denied => {
            (400, "{\"__type\":\"AccessDeniedException\",\"message\":\"not allowed\"}".into())
        }
        "DescribeDeliverySources" => (200, delivery_sources()),
        "DescribeDeliveries" => (200, deliveries()),
        _ if r.uri.ends_with("/distribution") || r.uri.contains("/distribution?") => (
            200,
            list(&[
                summary("E1", Some("TLSv1.2_2025")),
                summary("E2", None),
                summary("E3", Some("TLSv1.2_2021")),
                summary("E4", Some("TLSv1_2016")),
                summary("E5", Some("TLSv1.2_2021")),
            ]),
        ),
        _ if r.uri.contains("/distribution/E3/") => cf_error(404, "NoSuchDistribution"),
        _ if r.uri.contains("/distribution/E4/config") => cf_error(403, "AccessDenied"),
        _ if r.uri.contains("/distribution/E5/config") => (200, config("E5", Some(&format!("logs-{ACCT}")))),
        _ if r.uri.contains("/config") => (200, config("E", None)),
        _ if r.uri.contains("tagging") && r.uri.contains("E2") => cf_error(403, "AccessDenied"),
        _ if r.uri.contains("tagging") && r.uri.contains("E3") => cf_error(404, "NoSuchResource"),
        _ if r.uri.contains("tagging") => (200, tags("web")),
        _ => (500, format!("unexpected {} {}", r.op, r.uri)),
    })
}

#[tokio::test]
async fn cloudfront_v2_delivery_default_certificate_and_per_distribution_gaps() {
    let ctx = account(false);
    let got = collect(&ctx, true, true).await;
    let dists = got.known().expect("listing known");
    let ids: Vec<&str> = dists.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["E1", "E2", "E4", "E5"]);
    let dest = format!("arn:aws:logs:us-east-1:{ACCT}:delivery-destination:cdn-logs");
    assert_eq!(dists[0].logging, Observed::Known(None));
    assert_eq!(dists[0].log_deliveries, Observed::Known(vec![dest]));
    assert_eq!((dists[0].min_tls.as_deref(), dists[0].default_certificate), (Some("TLSv1.2_2025"), false));
    assert_eq!(dists[1].log_deliveries, Observed::Known(vec![]));
    assert!(dists[1].default_certificate);
    assert_eq!(dists[1].tags.gap().map(|g| g.operation.as_str()), Some("ListTagsForResource"));
    assert_eq!(dists[0].tags.known().and_then(|t| t.get("team")).map(String::as_str), Some("web"));
    let g = dists[2].logging.gap().expect("E4 logging unknown");
    assert_eq!(
        (g.operation.as_str(), g.class, g.resource.clone()),
        ("GetDistributionConfig", ErrorClass::AccessDenied, Some(arn("E4")))
    );
    assert_eq!(dists[3].logging, Observed::Known(Some(format!("logs-{ACCT}.s3.amazonaws.com"))));
    // the deleted distribution is no error; the reads run concurrently, so sorted
    let mut errors: Vec<String> =
        ctx.errors.lock().unwrap().iter().map(|g| format!("{}:{}", g.operation, g.code)).collect();
    errors.sort();
    assert_eq!(errors, ["GetDistributionConfig:AccessDenied", "ListTagsForResource:AccessDenied"]);
}

#[tokio::test]
async fn cloudfront_logging_and_tls_findings_over_recorded_answers() {
    let ctx = account(false);
    let inv = Inventory {
        distributions: Some(collect(&ctx, true, false).await),
        buckets: Some(Observed::Known(vec![crate::kinds::tests::bucket(&format!("logs-{ACCT}"))])),
        ..Default::default()
    };
    let logging = req("cloudfront.distribution", "[requirement.expect]\nlogging = true");
    let f = evaluate(&[logging], &inv);
    assert_eq!(
        statuses(&f),
        [
            (Some(arn("E1").as_str()), Status::Pass),
            (Some(arn("E2").as_str()), Status::Drift),
            (Some(arn("E4").as_str()), Status::Unknown),
            (Some(arn("E5").as_str()), Status::Pass),
        ]
    );
    let dest = format!("arn:aws:logs:us-east-1:{ACCT}:delivery-destination:cdn-logs");
    assert_eq!(observed(&f[0], "logging"), &serde_json::json!(format!("v2 delivery to {dest}")));
    assert_eq!(observed(&f[1], "logging"), &serde_json::Value::Null);

    let tls = req("cloudfront.distribution", "[requirement.expect]\nmin_tls = \"TLSv1.2_2021\"");
    let f = evaluate(&[tls], &inv);
    assert_eq!(
        statuses(&f),
        [
            (Some(arn("E1").as_str()), Status::Pass),
            (Some(arn("E2").as_str()), Status::Drift),
            (Some(arn("E4").as_str()), Status::Drift),
            (Some(arn("E5").as_str()), Status::Pass),
        ]
    );
    assert_eq!(
        observed(&f[1], "min_tls"),
        "TLSv1 (CloudFront default certificate; MinimumProtocolVersion TLSv1.2_2021 not applied)"
    );
    assert_eq!(observed(&f[2], "min_tls"), "TLSv1_2016");
}

#[tokio::test]
async fn cloudfront_delivery_sources_denied_leaves_v2_logging_unknown() {
    let ctx = account(true);
    let inv = Inventory {
        distributions: Some(collect(&ctx, true, false).await),
        buckets: Some(Observed::Known(vec![crate::kinds::tests::bucket(&format!("logs-{ACCT}"))])),
        ..Default::default()
    };
    let f = evaluate(&[req("cloudfront.distribution", "[requirement.expect]\nlogging = true")], &inv);
    assert_eq!(
        statuses(&f),
        [
            (Some(arn("E1").as_str()), Status::Unknown),
            (Some(arn("E2").as_str()), Status::Unknown),
            (Some(arn("E4").as_str()), Status::Unknown),
            (Some(arn("E5").as_str()), Status::Pass),
        ]
    );
    let err = f[0].checks[0].error.as_deref();
    assert_eq!(err, Some("logs:DescribeDeliverySources in us-east-1 failed with AccessDeniedException"));
}

#[tokio::test]
async fn cloudfront_list_follows_next_marker_and_a_failing_page_fails_the_listing() {
    // the first page says more remain; the second is read with its marker
    let first = list(&[summary("E1FIRST", Some("TLSv1.2_2021"))])
        .replace("<IsTruncated>false</IsTruncated>", "<IsTruncated>true</IsTruncated><NextMarker>E2NEXT</NextMarker>");
    let (ctx, seen) = fake::recording_ctx({
        let first = first.clone();
        move |r| {
            if r.uri.contains("Marker=E2NEXT") {
                (200, list(&[summary("E2NEXT", None)]))
            } else {
                (200, first.clone())
            }
        }
    });
    let got = collect(&ctx, false, false).await;
    let dists = got.known().expect("both pages were read");
    let summary: Vec<(&str, Option<&str>, Option<&str>, bool)> = dists
        .iter()
        .map(|d| (d.id.as_str(), d.acm_certificate.as_deref(), d.min_tls.as_deref(), d.default_certificate))
        .collect();
    let cert = format!("arn:aws:acm:us-east-1:{ACCT}:certificate/E1FIRST");
    assert_eq!(
        summary,
        [("E1FIRST", Some(cert.as_str()), Some("TLSv1.2_2021"), false), ("E2NEXT", None, Some("TLSv1.2_2021"), true),]
    );
    assert_eq!(seen.lock().unwrap().len(), 2);
    assert!(ctx.errors.lock().unwrap().is_empty());

    let failing = fake::ctx_with(move |r| {
        if r.uri.contains("Marker=E2NEXT") {
            cf_error(400, "Throttling")
        } else {
            (200, first.clone())
        }
    });
    let got = collect(&failing, false, false).await;
    let gap = got.gap().expect("a short listing is never passed on as complete");
    assert_eq!(
        (gap.operation.as_str(), gap.code.as_str(), gap.class),
        ("ListDistributions", "Throttling", ErrorClass::Throttled)
    );
    let errors: Vec<String> = failing.errors.lock().unwrap().iter().map(|g| g.operation.clone()).collect();
    assert_eq!(errors, ["ListDistributions"]);
}
