//! Coverage in the report: the core sample's two buckets (one compliant, one
//! drifted) audited clean, with one bucket's encryption unreadable, and with the
//! bucket list unreadable; `coverage` counts what was judged and what was not.

use crate::samples::{core, Variant};
use crate::support::account;
use crate::support::audit::{self, row};
use crate::support::faults::{Fault, FaultProxy, Rule, When};
use serde_json::json;

const S3: &str = "localstack/samples/core/s3.toml";
const REQ: &str = "prod-buckets-encrypted";

fn coverage(read: u64, unknown: u64, listings: u64) -> serde_json::Value {
    json!({"read": read, "unknown": unknown, "listings_unread": listings, "requirements": [
        {"profile": "core-s3", "requirement": REQ, "read": read, "unknown": unknown, "listings_unread": listings}
    ]})
}

#[tokio::test]
async fn coverage_counts_read_unknown_and_unread_listings() {
    let acct = account();
    core::s3(&acct, Variant::Compliant).await.unwrap();
    core::s3(&acct, Variant::Drifted).await.unwrap();
    let data = format!("arn:aws:s3:::{}", acct.bucket("prod-data"));
    let logs = format!("arn:aws:s3:::{}", acct.bucket("prod-logs"));

    // everything read: both buckets judged
    let a = audit::run(&acct, &[S3], &[]);
    a.assert_code(1);
    assert_eq!(a.rows(), [row(REQ, Some(&data), "pass"), row(REQ, Some(&logs), "drift")]);
    assert_eq!(a.report["coverage"], coverage(2, 0, 0));
    let t = audit::run(&acct, &[S3], &["--format", "table"]);
    assert!(
        t.stdout.contains("\ncoverage: 2 read, 0 unknown\n  core-s3/prod-buckets-encrypted: 2 read, 0 unknown\n"),
        "{}",
        t.stdout
    );

    // one bucket's encryption denied: that bucket is unknown, the other still read
    let rule = Rule::new(Fault::AccessDenied, When::Always)
        .service("s3")
        .operation("GetBucketEncryption")
        .bucket(&acct.bucket("prod-data"));
    let proxy = FaultProxy::start(&acct.endpoint, vec![rule], 11);
    let a = audit::run_at(&acct, &proxy.url, &[S3], &[], &[]);
    a.assert_code(1);
    assert_eq!(a.rows(), [row(REQ, Some(&data), "unknown"), row(REQ, Some(&logs), "drift")]);
    assert_eq!(a.report["coverage"], coverage(1, 1, 0));

    // the bucket list denied: nothing read, one listing unread (min_count's own
    // unknown finding is not a resource and is not counted)
    let rule = Rule::new(Fault::AccessDenied, When::Always).service("s3").operation("ListBuckets");
    let proxy = FaultProxy::start(&acct.endpoint, vec![rule], 12);
    let a = audit::run_at(&acct, &proxy.url, &[S3], &[], &[]);
    a.assert_code(3);
    assert_eq!(a.rows(), [row(REQ, None, "unknown"), row(REQ, None, "unknown")]);
    assert_eq!(a.report["coverage"], coverage(0, 1, 1));
    let t = audit::run_at(&acct, &proxy.url, &[S3], &["--format", "table"], &[]);
    assert!(t.stdout.contains("\ncoverage: 0 read, 1 unknown (1 listing(s) unread)\n"), "{}", t.stdout);
}
