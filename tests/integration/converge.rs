//! `audit --wait` end to end, through the fault proxy (no faults: it counts the
//! requests). A profile with two requirements: every `w-*` bucket versioned (one
//! bucket is, one is not), and a log group keeping events at least 7 days (it does).
//! - Without `--wait` the unversioned bucket is drift and the report has no
//!   `convergence`.
//! - With `--wait`, versioning is enabled a moment after the audit first read the
//!   bucket: a later round sees it Enabled and the audit passes. Only that bucket's
//!   versioning is read again: the other bucket and the log groups once each.
//! - A bucket that stays unversioned is reported at the deadline as not converged.
//!
//! S3 documents GetBucketVersioning's `Status` as Enabled or Suspended, absent for a
//! bucket never versioned; only Enabled meets `versioning = true`.

use crate::support::audit::{self, row};
use crate::support::faults::{FaultProxy, Seen};
use crate::support::{account, Account};
use aws_sdk_s3::types::{BucketVersioningStatus, VersioningConfiguration};
use serde_json::json;
use std::time::Duration;

fn profile(acct: &Account) -> String {
    format!(
        "[profile]\nname = \"settle\"\nregions = [\"us-east-1\"]\n\
         [[requirement]]\nid = \"versioned\"\nkind = \"s3.bucket\"\nselect = {{ name_glob = \"w-*-{id}\" }}\n\
         [requirement.expect]\nversioning = true\n\
         [[requirement]]\nid = \"kept\"\nkind = \"logs.log_group\"\n\
         [requirement.expect]\nretention_days = {{ at_least = 7 }}\n",
        id = acct.id
    )
}

async fn deploy(acct: &Account) -> (String, String) {
    let s3 = acct.s3("us-east-1");
    let (ok, late) = (acct.bucket("w-ok"), acct.bucket("w-late"));
    for name in [&ok, &late] {
        s3.create_bucket().bucket(name).send().await.expect("create bucket");
    }
    enable_versioning(acct, &ok).await;
    let logs = acct.logs("us-east-1");
    logs.create_log_group().log_group_name("/app/settle").send().await.expect("log group");
    logs.put_retention_policy().log_group_name("/app/settle").retention_in_days(14).send().await.expect("retention");
    (ok, late)
}

async fn enable_versioning(acct: &Account, bucket: &str) {
    let conf = VersioningConfiguration::builder().status(BucketVersioningStatus::Enabled).build();
    acct.s3("us-east-1")
        .put_bucket_versioning()
        .bucket(bucket)
        .versioning_configuration(conf)
        .send()
        .await
        .expect("enable versioning");
}

/// Requests of one operation, on one bucket when given.
fn count(seen: &[Seen], operation: &str, bucket: Option<&str>) -> usize {
    seen.iter()
        .filter(|s| s.operation == operation)
        .filter(|s| bucket.is_none_or(|b| s.uri.trim_start_matches('/').split(['/', '?']).next() == Some(b)))
        .count()
}

fn log_group_arn(acct: &Account) -> String {
    format!("arn:aws:logs:us-east-1:{}:log-group:/app/settle", acct.id)
}

#[tokio::test]
async fn a_bucket_fixed_during_the_wait_passes_and_only_it_is_read_again() {
    let acct = account();
    let (ok, late) = deploy(&acct).await;
    let prof = audit::profile_file(&profile(&acct));
    let (ok_arn, late_arn) = (format!("arn:aws:s3:::{ok}"), format!("arn:aws:s3:::{late}"));

    // without --wait: drift, and no convergence in the report
    let once = audit::run(&acct, &[prof.path()], &[]);
    once.assert_code(1);
    assert_eq!(
        once.rows(),
        [
            row("kept", Some(&log_group_arn(&acct)), "pass"),
            row("versioned", Some(&late_arn), "drift"),
            row("versioned", Some(&ok_arn), "pass")
        ]
    );
    assert_eq!(once.report.get("convergence"), None);

    // with --wait: the bucket is fixed once the audit has read it
    let proxy = FaultProxy::start(&acct.endpoint, vec![], 1);
    let (url, path) = (proxy.url.clone(), prof.path().to_string());
    let worker = acct.clone();
    let run = std::thread::spawn(move || audit::run_at(&worker, &url, &[&path], &["--wait", "30s"], &[]));
    let mut polls = 0;
    while count(&proxy.seen(), "GetBucketVersioning", Some(&late)) == 0 {
        polls += 1;
        assert!(polls < 600, "the audit never read the bucket's versioning");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    enable_versioning(&acct, &late).await;
    let waited = run.join().expect("the audit thread");

    waited.assert_code(0);
    assert_eq!(
        waited.rows(),
        [
            row("kept", Some(&log_group_arn(&acct)), "pass"),
            row("versioned", Some(&late_arn), "pass"),
            row("versioned", Some(&ok_arn), "pass")
        ]
    );
    assert_eq!(waited.report["errors"], json!([]));
    assert_eq!(
        waited.report["summary"],
        json!({"pass": 3, "drift": 0, "unknown": 0, "not_applicable": 0, "waived": 0})
    );
    let conv = &waited.report["convergence"];
    assert_eq!(conv["converged"], json!(true));
    assert_eq!(conv["wait_ms"], json!(30_000));
    assert_eq!(conv["not_converged"], json!([]));
    let seen = proxy.seen();
    let attempts = conv["attempts"].as_u64().expect("attempts") as usize;
    // one round per read of the late bucket; the first saw it unversioned
    assert!(attempts > 1, "{conv}");
    assert_eq!(count(&seen, "GetBucketVersioning", Some(&late)), attempts);
    // what had passed is not read again: the other bucket, the log groups
    assert_eq!(count(&seen, "GetBucketVersioning", Some(&ok)), 1);
    assert_eq!(count(&seen, "DescribeLogGroups", None), 1);
    assert_eq!(count(&seen, "ListBuckets", None), attempts);
    assert!(conv["elapsed_ms"].as_u64().expect("elapsed") < 30_000, "{conv}");
}

#[tokio::test]
async fn a_drift_that_never_settles_is_reported_at_the_deadline() {
    let acct = account();
    let (_, late) = deploy(&acct).await;
    let prof = audit::profile_file(&profile(&acct));
    let proxy = FaultProxy::start(&acct.endpoint, vec![], 1);
    let waited = audit::run_at(&acct, &proxy.url, &[prof.path()], &["--wait", "3s"], &[]);

    waited.assert_code(1);
    let conv = &waited.report["convergence"];
    assert_eq!(conv["converged"], json!(false));
    assert_eq!(
        conv["not_converged"],
        json!([{
            "profile": "settle",
            "requirement": "versioned",
            "resource": format!("arn:aws:s3:::{late}"),
            "region": "us-east-1",
            "status": "drift"
        }])
    );
    // the wait is counted from the audit's start and is spent before it gives up
    assert!(conv["elapsed_ms"].as_u64().expect("elapsed") >= 3_000, "{conv}");
    let attempts = conv["attempts"].as_u64().expect("attempts") as usize;
    assert_eq!(count(&proxy.seen(), "GetBucketVersioning", Some(&late)), attempts);
    assert_eq!(count(&proxy.seen(), "DescribeLogGroups", None), 1);
    assert_eq!(waited.report["summary"]["drift"], json!(1));

    // the table says it too
    let table = audit::run_at(&acct, &proxy.url, &[prof.path()], &["--wait", "2s", "--format", "table"], &[]);
    table.assert_code(1);
    let line = table.stdout.lines().find(|l| l.starts_with("--wait:")).unwrap_or_default().to_string();
    assert!(
        line.starts_with("--wait: not converged after ")
            && line.ends_with("(waited up to 2 s); 1 finding(s) still drift or unknown"),
        "{}",
        table.stdout
    );
}

#[test]
fn wait_rejects_bad_durations_and_save_inventory() {
    let acct = crate::support::Account::new("http://127.0.0.1:9", "000000000001");
    let prof = audit::profile_file(&profile(&acct));
    for (args, expected) in [
        (vec!["--wait", "soon"], "invalid value 'soon' for '--wait <DURATION>'"),
        (vec!["--wait", "0s"], "expected a duration from 1s to 24h"),
        (vec!["--wait", "5s", "--save-inventory", "/tmp/x.json"], "--save-inventory cannot be combined with --wait"),
    ] {
        let out = audit::run(&acct, &[prof.path()], &args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(expected), "{args:?}: {}", out.stderr);
    }
}

#[tokio::test]
async fn an_unknown_read_again_successfully_leaves_no_error() {
    use crate::support::faults::{Fault, Rule, When};
    let acct = account();
    let (_, late) = deploy(&acct).await;
    enable_versioning(&acct, &late).await;
    let prof = audit::profile_file(&profile(&acct));
    // the first read of the bucket's versioning is denied (not retried): unknown
    let deny = Rule::new(Fault::AccessDenied, When::FirstN(1)).operation("GetBucketVersioning").bucket(&late);
    let proxy = FaultProxy::start(&acct.endpoint, vec![deny], 1);
    let waited = audit::run_at(&acct, &proxy.url, &[prof.path()], &["--wait", "20s"], &[]);

    waited.assert_code(0);
    assert_eq!(waited.report["errors"], json!([]));
    assert_eq!(
        waited.report["summary"],
        json!({"pass": 3, "drift": 0, "unknown": 0, "not_applicable": 0, "waived": 0})
    );
    assert_eq!(waited.report["convergence"]["attempts"], json!(2));
    assert_eq!(waited.report["convergence"]["converged"], json!(true));
    assert_eq!(count(&proxy.seen(), "GetBucketVersioning", Some(&late)), 2);

    // without --wait the same fault leaves the bucket unknown, with its error
    let proxy = FaultProxy::start(
        &acct.endpoint,
        vec![Rule::new(Fault::AccessDenied, When::FirstN(1)).operation("GetBucketVersioning").bucket(&late)],
        1,
    );
    let once = audit::run_at(&acct, &proxy.url, &[prof.path()], &[], &[]);
    once.assert_code(3);
    assert_eq!(once.report["errors"].as_array().map(Vec::len), Some(1), "{}", once.report["errors"]);
    assert_eq!(once.report["errors"][0]["operation"], json!("GetBucketVersioning"));
    assert_eq!(once.report["errors"][0]["code"], json!("AccessDenied"));
}

/// In a fleet run each account converges on its own: the settled account is not
/// read again, the open one is, and the report names the account of what never
/// converged.
#[tokio::test]
async fn a_fleet_waits_per_account() {
    use super::fleet::{audit_role, bucket, ROLE};
    let (settled, open) = (account(), account());
    audit_role(&open, &settled.id).await;
    let good = bucket(&settled, "good", true, true).await;
    let bad = bucket(&open, "bad", true, false).await;
    let prof = audit::profile_file(
        "[profile]\nname = \"fleet-wait\"\n[[requirement]]\nid = \"versioned\"\nkind = \"s3.bucket\"\n\
         select = { name_prefix = \"fleet-\" }\n[requirement.expect]\nversioning = true\n",
    );
    let proxy = FaultProxy::start(&settled.endpoint, vec![], 3);
    let ids = format!("{},{}", settled.id, open.id);
    // long enough that the first reading of both accounts (an AssumeRole, then the
    // reads) ends well before it even while the whole suite loads the emulator: once,
    // with 3 s, the first reading alone took 4.6 s and nothing was read again
    let args = ["--accounts", ids.as_str(), "--role-name", ROLE, "--wait", "8s"];
    let waited = audit::run_at(&settled, &proxy.url, &[prof.path()], &args, &[]);

    waited.assert_code(1);
    let conv = &waited.report["convergence"];
    assert_eq!(conv["converged"], json!(false));
    assert_eq!(
        conv["not_converged"],
        json!([{"account": open.id, "profile": "fleet-wait", "requirement": "versioned", "resource": bad,
                "region": "us-east-1", "status": "drift"}])
    );
    let attempts = conv["attempts"].as_u64().expect("attempts") as usize;
    assert!(attempts > 1, "{conv}");
    let name = |arn: &str| arn.trim_start_matches("arn:aws:s3:::").to_string();
    assert_eq!(count(&proxy.seen(), "GetBucketVersioning", Some(&name(&bad))), attempts);
    assert_eq!(count(&proxy.seen(), "GetBucketVersioning", Some(&name(&good))), 1);
}
