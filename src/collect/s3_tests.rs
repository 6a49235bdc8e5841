//! The S3 collector over recorded answers written from the S3 and S3 Control API
//! references: GetBucketPolicyStatus, the account-level public access block read
//! through s3control (with the account host prefix dropped for a custom endpoint),
//! buckets deleted between the listing and their reads, and partitions.

use super::super::fake::{ctx_with, recording_ctx, Request};
use super::super::{run, Plan};
use super::S3Details;
use super::*;
use crate::aws::Settings;
use crate::compare::{evaluate, Status};
use crate::inventory::{ErrorClass, Observed};
use aws_config::Region;
use serde_json::json;

fn error(code: &str) -> String {
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{code} here</Message><RequestId>1</RequestId></Error>")
}

/// S3 Control wraps its errors in `ErrorResponse`.
fn control_error(code: &str) -> String {
    format!("<ErrorResponse><Error><Code>{code}</Code><Message>{code} here</Message></Error><RequestId>1</RequestId></ErrorResponse>")
}

const TWO_BUCKETS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListAllMyBucketsResult><Owner><ID>owner</ID></Owner><Buckets><Bucket><Name>prod-a</Name><CreationDate>2024-01-01T00:00:00.000Z</CreationDate><BucketRegion>us-east-1</BucketRegion></Bucket><Bucket><Name>prod-b</Name><CreationDate>2024-01-01T00:00:00.000Z</CreationDate><BucketRegion>us-east-1</BucketRegion></Bucket></Buckets></ListAllMyBucketsResult>";

const CALLER: &str = "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Arn>arn:aws:iam::111122223333:user/auditor</Arn><UserId>AIDAEXAMPLE</UserId><Account>111122223333</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>";

fn block_xml(acls: bool, ignore: bool, policy: bool, restrict: bool) -> String {
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><PublicAccessBlockConfiguration><BlockPublicAcls>{acls}</BlockPublicAcls><IgnorePublicAcls>{ignore}</IgnorePublicAcls><BlockPublicPolicy>{policy}</BlockPublicPolicy><RestrictPublicBuckets>{restrict}</RestrictPublicBuckets></PublicAccessBlockConfiguration>")
}

const NO_GRANTS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><AccessControlPolicy><Owner><ID>owner</ID></Owner><AccessControlList><Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"><ID>owner</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant></AccessControlList></AccessControlPolicy>";

const SECURE_TRANSPORT_ONLY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"TlsReaders","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::prod-a/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"#;

fn access() -> Vec<(crate::profile::Selector, S3Details)> {
    vec![(crate::profile::Selector::default(), S3Details { access: true, ..Default::default() })]
}

/// The bucket-level reads of one bucket, by the sub-resource in its URI.
fn bucket_read(r: &Request, status: (u16, String)) -> (u16, String) {
    if r.uri.contains("policyStatus") {
        status
    } else if r.uri.contains("?policy") {
        (200, SECURE_TRANSPORT_ONLY.into())
    } else if r.uri.contains("?acl") {
        (200, NO_GRANTS.into())
    } else if r.uri.contains("publicAccessBlock") {
        (404, error("NoSuchPublicAccessBlockConfiguration"))
    } else {
        (200, TWO_BUCKETS.into())
    }
}

#[tokio::test]
async fn policy_status_is_read_and_a_service_without_it_is_no_error() {
    let ctx = ctx_with(|r| {
        let status = if r.uri.contains("/prod-a") {
            (
                200,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><PolicyStatus><IsPublic>true</IsPublic></PolicyStatus>"
                    .into(),
            )
        } else {
            (501, error("NotImplemented"))
        };
        bucket_read(r, status)
    });
    let got = collect(&ctx, &access()).await;
    let b = got.known().expect("listing");
    assert_eq!(b[0].policy_status, Observed::Known(Some(true)));
    let gap = b[1].policy_status.gap().expect("not offered");
    assert_eq!((gap.class, gap.code.as_str()), (ErrorClass::NotAvailable, "NotImplemented"));
    assert_eq!(b[1].policy, Observed::Known(Some(serde_json::from_str(SECURE_TRANSPORT_ONLY).unwrap())));
    // the policy is evaluated instead: not a gap of the audit
    assert_eq!(*ctx.errors.lock().unwrap(), []);
}

#[tokio::test]
async fn policy_status_denied_is_recorded_and_no_policy_is_none() {
    let ctx = ctx_with(|r| {
        let status =
            if r.uri.contains("/prod-a") { (403, error("AccessDenied")) } else { (404, error("NoSuchBucketPolicy")) };
        bucket_read(r, status)
    });
    let got = collect(&ctx, &access()).await;
    let b = got.known().expect("listing");
    let gap = b[0].policy_status.gap().expect("denied");
    assert_eq!(gap.describe(), "s3:GetBucketPolicyStatus in us-east-1 failed with AccessDenied");
    assert_eq!(gap.resource.as_deref(), Some("arn:aws:s3:::prod-a"));
    assert_eq!(b[1].policy_status, Observed::Known(None));
    let errors: Vec<String> = ctx.errors.lock().unwrap().iter().map(|g| g.describe()).collect();
    assert_eq!(errors, ["s3:GetBucketPolicyStatus in us-east-1 failed with AccessDenied"]);
}

#[tokio::test]
async fn account_block_is_read_from_s3control_at_the_endpoint_itself() {
    let (ctx, seen) = recording_ctx(|r| {
        if r.op == "GetCallerIdentity" {
            (200, CALLER.into())
        } else if r.uri.contains("/v20180820/configuration/publicAccessBlock") {
            (200, block_xml(false, true, false, true))
        } else {
            (500, error("InternalError"))
        }
    });
    let got = account_block(&ctx, &access()).await;
    assert_eq!(
        got,
        Some(Observed::Known(Some(PublicAccessBlock {
            block_public_acls: false,
            ignore_public_acls: true,
            block_public_policy: false,
            restrict_public_buckets: true,
        })))
    );
    let control: Vec<String> =
        seen.lock().unwrap().iter().filter(|r| r.uri.contains("v20180820")).map(|r| r.uri.clone()).collect();
    // no `111122223333.` host prefix: a custom endpoint has no per-account hosts
    assert_eq!(control, ["http://aws.test/v20180820/configuration/publicAccessBlock"]);
    // not needed by a plan without public access block or private
    let versioning = vec![(crate::profile::Selector::default(), S3Details { versioning: true, ..Default::default() })];
    assert_eq!(account_block(&ctx, &versioning).await, None);
}

#[tokio::test]
async fn account_block_absent_is_none_and_denied_is_unknown() {
    let ctx = ctx_with(|r| {
        if r.op == "GetCallerIdentity" {
            (200, CALLER.into())
        } else {
            (404, control_error("NoSuchPublicAccessBlockConfiguration"))
        }
    });
    assert_eq!(account_block(&ctx, &access()).await, Some(Observed::Known(None)));
    let ctx =
        ctx_with(
            |r| {
                if r.op == "GetCallerIdentity" {
                    (200, CALLER.into())
                } else {
                    (403, control_error("AccessDenied"))
                }
            },
        );
    let got = account_block(&ctx, &access()).await.expect("read");
    assert_eq!(
        got.gap().map(|g| (g.describe(), g.class)),
        Some(("s3control:GetPublicAccessBlock in us-east-1 failed with AccessDenied".into(), ErrorClass::AccessDenied))
    );
}

#[tokio::test]
async fn a_bucket_deleted_after_the_listing_is_gone_not_an_error() {
    let ctx = ctx_with(|r| {
        if r.uri.contains("/prod-b") {
            (404, error("NoSuchBucket"))
        } else if r.uri.contains("versioning") {
            (200, "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>".into())
        } else {
            (200, TWO_BUCKETS.into())
        }
    });
    let want = vec![(crate::profile::Selector::default(), S3Details { versioning: true, ..Default::default() })];
    let got = collect(&ctx, &want).await;
    let names: Vec<&str> = got.known().expect("listing").iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["prod-a"]);
    assert_eq!(*ctx.errors.lock().unwrap(), []);
}

#[tokio::test]
async fn arns_and_regions_follow_the_partition() {
    // a bucket listed without BucketRegion is located; an empty LocationConstraint
    // means us-east-1 only in the aws partition
    let list = "<ListAllMyBucketsResult><Buckets><Bucket><Name>logs</Name></Bucket></Buckets></ListAllMyBucketsResult>";
    let route = move |r: &Request| {
        if r.uri.contains("location") {
            (200, "<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>".to_string())
        } else if r.uri.contains("versioning") {
            (403, error("AccessDenied"))
        } else {
            (200, list.to_string())
        }
    };
    let want = vec![(crate::profile::Selector::default(), S3Details { versioning: true, ..Default::default() })];
    let aws = ctx_with(route);
    let got = collect(&aws, &want).await;
    let b = &got.known().expect("listing")[0];
    assert_eq!((b.arn.as_str(), b.region.known().map(String::as_str)), ("arn:aws:s3:::logs", Some("us-east-1")));
    assert_eq!(b.versioning.gap().and_then(|g| g.resource.as_deref()), Some("arn:aws:s3:::logs"));

    let china = ctx_with(route);
    let sdk = china.sdk.to_builder().region(Region::new("cn-north-1")).build();
    let china = crate::aws::Ctx::new(sdk, &Settings::default(), false);
    assert_eq!(china.global_region(), "cn-northwest-1");
    let got = collect(&china, &want).await;
    let b = &got.known().expect("listing")[0];
    assert_eq!(b.arn, "arn:aws-cn:s3:::logs");
    let gap = b.region.gap().expect("no us-east-1 in aws-cn");
    assert_eq!(
        (gap.describe(), gap.resource.as_deref()),
        ("s3:GetBucketLocation in cn-northwest-1 failed with MalformedResponse".into(), Some("arn:aws-cn:s3:::logs"))
    );
}

/// The glue end to end: plan, collection (bucket and account level), evaluation.
#[tokio::test]
async fn collected_policy_and_blocks_evaluate_to_exact_findings() {
    let ctx = ctx_with(|r| {
        if r.op == "GetCallerIdentity" {
            (200, CALLER.into())
        } else if r.uri.contains("v20180820") {
            // the account blocks public policies and restricts public buckets
            (200, block_xml(false, false, true, true))
        } else if r.uri.contains("/prod-b") && r.uri.contains("publicAccessBlock") {
            (200, block_xml(true, true, false, false))
        } else {
            bucket_read(r, (501, error("NotImplemented")))
        }
    });
    let text = "[profile]\nname = \"t\"\n[[requirement]]\nid = \"pab\"\nkind = \"s3.bucket\"\nexpect = { public_access_block = true }\n[[requirement]]\nid = \"private\"\nkind = \"s3.bucket\"\nexpect = { private = true }\n";
    let mut profile = crate::profile::parse("t.toml", text).unwrap_or_else(|e| panic!("{e}"));
    profile.resolve_regions(&[], "us-east-1");
    let plan = Plan::for_requirements(profile.requirements.iter());
    let inv = run(&ctx, &plan, None).await;
    let findings = evaluate(&profile.requirements, &inv);
    let rows: Vec<(&str, &str, Status, serde_json::Value)> = findings
        .iter()
        .map(|f| (f.requirement.as_str(), f.resource.as_deref().unwrap_or(""), f.status, f.checks[0].observed.clone()))
        .collect();
    let account = json!({"BlockPublicAcls": false, "IgnorePublicAcls": false, "BlockPublicPolicy": true, "RestrictPublicBuckets": true});
    let neutralised = "policy statement TlsReaders allows everyone: its conditions (aws:SecureTransport) do not limit it to fixed callers (neutralised: RestrictPublicBuckets is on at account level)";
    assert_eq!(
        rows,
        [
            ("pab", "arn:aws:s3:::prod-a", Status::Drift, json!({"bucket": null, "account": account})),
            (
                "pab",
                "arn:aws:s3:::prod-b",
                Status::Pass,
                json!({"bucket": {"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": false, "RestrictPublicBuckets": false}, "account": account})
            ),
            ("private", "arn:aws:s3:::prod-a", Status::Pass, json!([neutralised])),
            ("private", "arn:aws:s3:::prod-b", Status::Pass, json!([neutralised])),
        ]
    );
    assert_eq!(*ctx.errors.lock().unwrap(), []);
}

#[tokio::test]
async fn a_policy_that_does_not_parse_is_unknown_not_empty() {
    let ctx = ctx_with(|r| {
        if r.uri.contains("?policy") && !r.uri.contains("policyStatus") {
            (200, "{\"Statement\": [".into())
        } else {
            bucket_read(r, (501, error("NotImplemented")))
        }
    });
    let got = collect(&ctx, &access()).await;
    let gap = got.known().expect("listing")[0].policy.gap().cloned().expect("unknown");
    assert_eq!(
        (gap.describe(), gap.resource.as_deref()),
        ("s3:GetBucketPolicy in us-east-1 failed with MalformedResponse".into(), Some("arn:aws:s3:::prod-a"))
    );
}

/// A ListBuckets page (ListAllMyBucketsResult) with its buckets and, while more
/// remain, a ContinuationToken.
fn buckets_page(names: &[&str], token: Option<&str>) -> String {
    let buckets: String = names
        .iter()
        .map(|n| format!("<Bucket><Name>{n}</Name><CreationDate>2024-01-01T00:00:00.000Z</CreationDate><BucketRegion>eu-west-1</BucketRegion></Bucket>"))
        .collect();
    let token = token.map(|t| format!("<ContinuationToken>{t}</ContinuationToken>")).unwrap_or_default();
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListAllMyBucketsResult><Owner><ID>owner</ID></Owner><Buckets>{buckets}</Buckets>{token}</ListAllMyBucketsResult>")
}

#[tokio::test]
async fn list_buckets_follows_the_continuation_token_to_the_end() {
    let (ctx, seen) = recording_ctx(|r| {
        if r.uri.contains("continuation-token=tok-2") {
            (200, buckets_page(&["logs-b"], None))
        } else {
            (200, buckets_page(&["data-a"], Some("tok-2")))
        }
    });
    let got = collect(&ctx, &[]).await;
    let buckets = got.known().expect("both pages were read");
    let summary: Vec<(&str, &str, Observed<String>)> =
        buckets.iter().map(|b| (b.name.as_str(), b.arn.as_str(), b.region.clone())).collect();
    assert_eq!(
        summary,
        [
            ("data-a", "arn:aws:s3:::data-a", Observed::Known("eu-west-1".to_string())),
            ("logs-b", "arn:aws:s3:::logs-b", Observed::Known("eu-west-1".to_string())),
        ]
    );
    // nothing but the two pages: no requirement asked for a bucket's settings
    assert_eq!(seen.lock().unwrap().len(), 2);
    assert!(ctx.errors.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_failing_list_buckets_page_fails_the_listing() {
    let ctx = ctx_with(|r| {
        if r.uri.contains("continuation-token=tok-2") {
            (503, error("SlowDown"))
        } else {
            (200, buckets_page(&["data-a"], Some("tok-2")))
        }
    });
    let got = collect(&ctx, &[]).await;
    let gap = got.gap().expect("a short listing is never passed on as complete");
    assert_eq!(
        (gap.service.as_str(), gap.operation.as_str(), gap.code.as_str(), gap.class),
        ("s3", "ListBuckets", "SlowDown", ErrorClass::Throttled)
    );
    let errors: Vec<String> = ctx.errors.lock().unwrap().iter().map(|g| g.operation.clone()).collect();
    assert_eq!(errors, ["ListBuckets"]);
}
