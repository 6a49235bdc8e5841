//! `audit --waivers FILE` end to end: the core sample's drifting bucket (SSE-S3,
//! unversioned, no public access block) deployed in a fresh account, audited with a
//! waiver file that covers it (waived, exit 0), covered it until a past date (drift
//! naming the expired waiver), or names a bucket that does not exist (stale).

use crate::samples::{core, Variant};
use crate::support::account;
use crate::support::audit::{self, profile_file, row};
use serde_json::json;

const S3: &str = "localstack/samples/core/s3.toml";
const REQ: &str = "prod-buckets-encrypted";

/// The drift message of the same audit without waivers: a waiver only appends to it.
fn plain_message(acct: &crate::support::Account, arn: &str) -> String {
    let plain = audit::run(acct, &[S3], &[]);
    plain.assert_code(1);
    let msg = plain.finding(REQ, Some(arn))["message"].as_str().unwrap_or_default().to_string();
    assert!(
        msg.starts_with(&format!(
            "{}: encryption is AES256, expected aws:kms; versioning is Disabled",
            acct.bucket("prod-logs")
        )),
        "{msg}"
    );
    msg
}

fn waiver_text(resource: &str, account: &str, expires: &str) -> String {
    format!(
        "[[waiver]]\nrequirement = \"prod-buckets-*\"\nresources = [\"{resource}\"]\naccounts = [\"{account}\"]\n\
         reason = \"legacy log bucket, moving to KMS\"\nexpires = {expires}\nowner = \"platform\"\nticket = \"OPS-7\"\n"
    )
}

#[tokio::test]
async fn waivers_active_waiver_waives_the_drift_and_exits_0() {
    let acct = account();
    core::s3(&acct, Variant::Drifted).await.unwrap();
    let bucket = acct.bucket("prod-logs");
    let file = profile_file(&waiver_text(&bucket, &acct.id, "2099-12-31"));
    let a = audit::run(&acct, &[S3], &["--waivers", file.path()]);
    a.assert_code(0);
    let arn = format!("arn:aws:s3:::{bucket}");
    assert_eq!(a.rows(), [row(REQ, Some(&arn), "waived")]);
    let f = a.finding(REQ, Some(&arn));
    let source = format!("{}:1", file.path());
    assert_eq!(
        f["waiver"],
        json!({"source": source, "reason": "legacy log bucket, moving to KMS", "expires": "2099-12-31",
               "expired": false, "owner": "platform", "ticket": "OPS-7"})
    );
    assert_eq!(
        f["message"],
        json!(format!(
            "{} [waived by {source} until 2099-12-31: legacy log bucket, moving to KMS (owner platform, ticket OPS-7)]",
            plain_message(&acct, &arn)
        ))
    );
    // the drift is still shown in the checks
    assert_eq!(a.observed(REQ, Some(&arn), "encryption"), json!("AES256"));
    assert_eq!(a.report["summary"], json!({"pass": 0, "drift": 0, "unknown": 0, "not_applicable": 0, "waived": 1}));
    assert_eq!(a.report["stale_waivers"], json!([]));
    assert_eq!(a.report["errors"], json!([]));
}

#[tokio::test]
async fn waivers_expired_waiver_leaves_the_drift_and_names_it() {
    let acct = account();
    core::s3(&acct, Variant::Drifted).await.unwrap();
    let bucket = acct.bucket("prod-logs");
    let file = profile_file(&waiver_text(&format!("arn:aws:s3:::{bucket}"), &acct.id, "2020-01-31"));
    let a = audit::run(&acct, &[S3], &["--waivers", file.path()]);
    a.assert_code(1);
    let arn = format!("arn:aws:s3:::{bucket}");
    assert_eq!(a.rows(), [row(REQ, Some(&arn), "drift")]);
    let f = a.finding(REQ, Some(&arn));
    let source = format!("{}:1", file.path());
    assert_eq!(f["message"], json!(format!("{} [waiver {source} expired 2020-01-31]", plain_message(&acct, &arn))));
    assert_eq!(f["waiver"]["expired"], json!(true));
    assert_eq!(f["waiver"]["source"], json!(source));
    assert_eq!(a.report["summary"], json!({"pass": 0, "drift": 1, "unknown": 0, "not_applicable": 0, "waived": 0}));
    assert_eq!(a.report["stale_waivers"], json!([]));
}

#[tokio::test]
async fn waivers_for_a_missing_bucket_is_stale_and_waives_nothing() {
    let acct = account();
    core::s3(&acct, Variant::Drifted).await.unwrap();
    let gone = acct.bucket("prod-gone");
    let text = format!(
        "{}\n[[waiver]]\nrequirement = \"{REQ}\"\nresources = [\"*\"]\naccounts = [\"000000000000\"]\n\
         reason = \"another account's exception\"\nexpires = \"2099-01-01\"\n",
        waiver_text(&gone, &acct.id, "2099-12-31")
    );
    let file = profile_file(&text);
    let a = audit::run(&acct, &[S3], &["--waivers", file.path()]);
    a.assert_code(1);
    let arn = format!("arn:aws:s3:::{}", acct.bucket("prod-logs"));
    assert_eq!(a.rows(), [row(REQ, Some(&arn), "drift")]);
    assert_eq!(a.finding(REQ, Some(&arn)).get("waiver"), None);
    // the waiver for another account is neither applied nor stale here
    assert_eq!(
        a.report["stale_waivers"],
        json!([{"source": format!("{}:1", file.path()), "requirement": "prod-buckets-*", "resources": [gone],
                "accounts": [acct.id], "reason": "legacy log bucket, moving to KMS", "expires": "2099-12-31",
                "owner": "platform", "ticket": "OPS-7"}])
    );
    // the table says so too
    let t = audit::run(&acct, &[S3], &["--waivers", file.path(), "--format", "table"]);
    t.assert_code(1);
    let stale = format!(
        "1 stale waiver(s), covering no drift:\n  {}:1 (requirement prod-buckets-*, resources {gone}, expires 2099-12-31)\n",
        file.path()
    );
    assert!(t.stdout.ends_with(&stale), "{}", t.stdout);
}

#[tokio::test]
async fn waivers_bad_file_exits_2_with_its_place() {
    let acct = account();
    let file = profile_file(
        "[[waiver]]\nrequirement = \"r\"\nresources = [\"a\"]\nreason = \"why\"\nexpires = \"31/12/2026\"\n",
    );
    let a = audit::run(&acct, &[S3], &["--waivers", file.path()]);
    a.assert_code(2);
    assert_eq!(a.stdout, "");
    assert_eq!(a.stderr.trim(), format!("{}:5:11: expires must be a date YYYY-MM-DD, found `31/12/2026`", file.path()));
}
