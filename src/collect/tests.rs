//! Collector error paths against a fake HTTP endpoint (no network): which error
//! codes mean "absent", which make a value unknown, and that a failing page is
//! never taken for the end of a list.

use super::fake::ctx;
use super::s3::S3Details;
use super::*;
use crate::aws::classify_code;
use crate::inventory::{ErrorClass, Inventory, Observed};

fn s3_error(code: &str) -> String {
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{code} here</Message><RequestId>1</RequestId></Error>")
}

const ONE_BUCKET: &str = "<ListAllMyBucketsResult><Buckets><Bucket><Name>prod-a</Name><BucketRegion>us-east-1</BucketRegion></Bucket></Buckets></ListAllMyBucketsResult>";

fn wants(details: S3Details) -> Vec<(crate::profile::Selector, S3Details)> {
    vec![(crate::profile::Selector::default(), details)]
}

#[tokio::test]
async fn s3_encryption_not_configured_is_observed_absent() {
    let ctx = ctx(|uri, _| {
        if uri.contains("encryption") {
            (404, s3_error("ServerSideEncryptionConfigurationNotFoundError"))
        } else {
            (200, ONE_BUCKET.into())
        }
    });
    let got = s3::collect(&ctx, &wants(S3Details { encryption: true, ..Default::default() })).await;
    let buckets = got.known().expect("listing known");
    assert_eq!(buckets[0].encryption, Observed::Known(None));
    assert!(ctx.errors.lock().unwrap().is_empty());
}

#[tokio::test]
async fn s3_encryption_access_denied_is_unknown_and_recorded() {
    let ctx = ctx(|uri, _| {
        if uri.contains("encryption") {
            (403, s3_error("AccessDenied"))
        } else if uri.contains("versioning") {
            (200, "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>".into())
        } else {
            (200, ONE_BUCKET.into())
        }
    });
    let got = s3::collect(&ctx, &wants(S3Details { encryption: true, versioning: true, ..Default::default() })).await;
    let b = &got.known().unwrap()[0];
    let gap = b.encryption.gap().expect("unknown");
    assert_eq!(
        (gap.code.as_str(), gap.class, gap.operation.as_str()),
        ("AccessDenied", ErrorClass::AccessDenied, "GetBucketEncryption")
    );
    assert_eq!(gap.resource.as_deref(), Some("arn:aws:s3:::prod-a"));
    assert_eq!(b.versioning, Observed::Known(Some("Enabled".into())));
    assert_eq!(ctx.errors.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn s3_public_access_block_and_tags_absent_codes() {
    let ctx = ctx(|uri, _| {
        if uri.contains("publicAccessBlock") {
            (404, s3_error("NoSuchPublicAccessBlockConfiguration"))
        } else if uri.contains("tagging") {
            (404, s3_error("NoSuchTagSet"))
        } else if uri.contains("replication") {
            (404, s3_error("ReplicationConfigurationNotFoundError"))
        } else {
            (200, ONE_BUCKET.into())
        }
    });
    let got = s3::collect(
        &ctx,
        &wants(S3Details { public_access_block: true, tags: true, replication: true, ..Default::default() }),
    )
    .await;
    let b = &got.known().unwrap()[0];
    assert_eq!(b.public_access_block, Observed::Known(None));
    assert_eq!(b.tags, Observed::Known(Default::default()));
    assert_eq!(b.replication, Observed::Known(None));
}

#[tokio::test]
async fn s3_list_page_failing_mid_pagination_is_unknown_not_short() {
    let ctx = ctx(|uri, _| {
        if uri.contains("continuation-token=page2") {
            (503, s3_error("ServiceUnavailable"))
        } else {
            (200, ONE_BUCKET.replace("</Buckets>", "</Buckets><ContinuationToken>page2</ContinuationToken>"))
        }
    });
    let got = s3::collect(&ctx, &wants(S3Details::default())).await;
    let gap = got.gap().expect("a failed page must fail the whole listing");
    assert_eq!((gap.operation.as_str(), gap.code.as_str()), ("ListBuckets", "ServiceUnavailable"));
}

const IAM_PAGE: &str = "<GetAccountAuthorizationDetailsResponse><GetAccountAuthorizationDetailsResult><IsTruncated>true</IsTruncated><Marker>m2</Marker><RoleDetailList><member><RoleName>r</RoleName><Arn>arn:aws:iam::1:role/r</Arn><AssumeRolePolicyDocument>%7B%22Statement%22%3A%5B%5D%7D</AssumeRolePolicyDocument></member></RoleDetailList><UserDetailList/><GroupDetailList/><Policies/></GetAccountAuthorizationDetailsResult></GetAccountAuthorizationDetailsResponse>";

#[tokio::test]
async fn iam_page_failing_mid_pagination_is_unknown() {
    let ctx = ctx(|_, body| {
        if body.contains("Marker=m2") {
            (400, "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>".into())
        } else {
            (200, IAM_PAGE.into())
        }
    });
    let iam = iam::collect(&ctx, false, false).await;
    let gap = iam.principals.gap().expect("unknown");
    assert_eq!((gap.code.as_str(), gap.class), ("Throttling", ErrorClass::Throttled));
}

#[tokio::test]
async fn iam_documents_are_url_decoded() {
    let ctx = ctx(|_, _| {
        (
            200,
            IAM_PAGE.replace("<IsTruncated>true</IsTruncated><Marker>m2</Marker>", "<IsTruncated>false</IsTruncated>"),
        )
    });
    let iam = iam::collect(&ctx, false, false).await;
    let roles = iam.principals.known().unwrap();
    assert_eq!(roles[0].trust_policy, Some(serde_json::json!({"Statement": []})));
}

#[test]
fn error_codes_are_classified() {
    assert_eq!(classify_code("AccessDenied", "", Some(403)), ErrorClass::AccessDenied);
    assert_eq!(classify_code("UnauthorizedOperation", "", Some(403)), ErrorClass::AccessDenied);
    assert_eq!(classify_code("SlowDown", "", Some(503)), ErrorClass::Throttled);
    assert_eq!(classify_code("Whatever", "", Some(429)), ErrorClass::Throttled);
    assert_eq!(classify_code("InternalFailure", "API for service 'cloudtrail' not yet implemented or pro feature - please check https://... not included in your current license plan", Some(501)), ErrorClass::NotAvailable);
    assert_eq!(classify_code("RequestTimeout", "", Some(400)), ErrorClass::Timeout);
    assert_eq!(classify_code("InternalError", "", Some(500)), ErrorClass::Other);
}

#[test]
fn plan_collects_only_what_requirements_read() {
    let text = "[profile]\nname = \"t\"\nregions = [\"eu-west-1\"]\n[[requirement]]\nid = \"a\"\nkind = \"s3.bucket\"\nselect = { name_prefix = \"prod-\" }\nexpect = { versioning = true }\n[[requirement]]\nid = \"b\"\nkind = \"cloudtrail.trail\"\nexpect = { logging = true }\n";
    let mut p = crate::profile::parse("t.toml", text).unwrap();
    p.resolve_regions(&[], "us-east-1");
    let plan = Plan::for_requirements(&p.requirements);
    let ids: Vec<&str> = plan.needs().map(|(id, _)| id).collect();
    assert_eq!(ids, ["cloudtrail", "s3"]);
    let s3 = plan.need("s3").unwrap();
    assert_eq!(s3.scoped.len(), 1);
    assert_eq!(s3.scoped[0].0.name_prefix.as_deref(), Some("prod-"));
    assert_eq!(s3.scoped[0].1, ["versioning"].into());
    assert_eq!(s3.places, [(GLOBAL.to_string(), Default::default())].into());
    let trails = plan.need("cloudtrail").unwrap();
    assert_eq!(trails.places, [("eu-west-1".to_string(), Default::default())].into());
    assert_eq!(plan.regions(), ["eu-west-1".to_string()].into());
}

#[tokio::test]
async fn s3_malformed_body_is_unknown_never_pass() {
    let ctx =
        ctx(|uri, _| if uri.contains("encryption") { (200, "<<< not xml {".into()) } else { (200, ONE_BUCKET.into()) });
    let got = s3::collect(&ctx, &wants(S3Details { encryption: true, ..Default::default() })).await;
    let gap = got.known().unwrap()[0].encryption.gap().cloned().expect("a malformed answer is unknown");
    assert_eq!((gap.class, gap.operation.as_str()), (ErrorClass::Malformed, "GetBucketEncryption"), "{gap:?}");
}

#[tokio::test]
async fn s3_unexpected_enum_value_is_kept_and_cannot_pass() {
    let body = "<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:quantum</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>";
    let ctx = ctx(move |uri, _| if uri.contains("encryption") { (200, body.into()) } else { (200, ONE_BUCKET.into()) });
    let got = s3::collect(&ctx, &wants(S3Details { encryption: true, ..Default::default() })).await;
    let enc = got.known().unwrap()[0].encryption.known().cloned().flatten().expect("observed");
    assert_eq!(enc.algorithm, "aws:quantum");
    let text = "[profile]\nname = \"t\"\n[[requirement]]\nid = \"a\"\nkind = \"s3.bucket\"\nexpect = { encryption = \"kms\" }\n";
    let p = crate::profile::parse("t.toml", text).unwrap();
    let inv = Inventory { buckets: Some(got), ..Default::default() };
    let findings = crate::compare::evaluate(&p.requirements, &inv);
    assert_eq!(findings[0].status, crate::compare::Status::Drift);
}

#[tokio::test]
async fn cloudtrail_wrong_types_and_missing_fields_are_unknown() {
    let regions: std::collections::BTreeSet<String> = ["us-east-1".to_string()].into();
    let wrong_type = ctx(|_, _| (200, r#"{"trailList": "not a list"}"#.into()));
    let got = cloudtrail::collect(&wrong_type, &regions, false, false).await;
    assert!(got["us-east-1"].gap().is_some(), "{got:?}");

    // a trail without HomeRegion cannot be placed: the listing is not trusted
    let missing = ctx(|_, _| {
        (200, r#"{"trailList": [{"Name": "t", "TrailARN": "arn:aws:cloudtrail:us-east-1:1:trail/t"}]}"#.into())
    });
    let got = cloudtrail::collect(&missing, &regions, false, false).await;
    let gap = got["us-east-1"].gap().expect("unknown");
    assert_eq!((gap.code.as_str(), gap.class), ("MalformedResponse", ErrorClass::Malformed));
}
