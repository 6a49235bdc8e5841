//! `audit --baseline REPORT.json` end to end: an account with one drifting bucket is
//! audited and its JSON report saved; audited again against that report, the drift is
//! `known` and the exit code is 0. Then a second bucket's versioning is suspended (S3's
//! GetBucketVersioning then answers Status=Suspended, which is not Enabled: drift), and
//! the audit against the same baseline has exactly one `new` drift and exits 1.

use crate::support::audit::{self, row};
use crate::support::{account, Account};
use aws_sdk_s3::types::{BucketVersioningStatus, VersioningConfiguration};
use serde_json::json;

fn profile(acct: &Account) -> String {
    format!(
        "[profile]\nname = \"base\"\n\
         [[requirement]]\nid = \"versioned\"\nkind = \"s3.bucket\"\nselect = {{ name_glob = \"v-*-{}\" }}\n\
         [requirement.expect]\nversioning = true\n",
        acct.id
    )
}

async fn bucket(acct: &Account, stem: &str, status: Option<BucketVersioningStatus>) -> String {
    let name = acct.bucket(stem);
    let s3 = acct.s3("us-east-1");
    s3.create_bucket().bucket(&name).send().await.expect("create bucket");
    if let Some(status) = status {
        let conf = VersioningConfiguration::builder().status(status).build();
        s3.put_bucket_versioning().bucket(&name).versioning_configuration(conf).send().await.expect("versioning");
    }
    name
}

fn baseline_marks(a: &audit::Audit) -> Vec<Option<String>> {
    a.report["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings; stderr: {}", a.stderr))
        .iter()
        .map(|f| f.get("baseline").and_then(|m| m.as_str()).map(str::to_string))
        .collect()
}

#[tokio::test]
async fn baseline_marks_known_and_new_drift_and_exits_on_new_only() {
    let acct = account();
    let old = format!("arn:aws:s3:::{}", bucket(&acct, "v-old", None).await);
    let fixed_name = bucket(&acct, "v-fixed", Some(BucketVersioningStatus::Enabled)).await;
    let fixed = format!("arn:aws:s3:::{fixed_name}");
    let prof = audit::profile_file(&profile(&acct));

    // the first audit: one drift, saved as the baseline
    let first = audit::run(&acct, &[prof.path()], &[]);
    first.assert_code(1);
    assert_eq!(first.rows(), [row("versioned", Some(&fixed), "pass"), row("versioned", Some(&old), "drift")]);
    assert_eq!(baseline_marks(&first), [None, None]);
    assert_eq!(first.report.get("baseline"), None);
    let saved = tempfile::Builder::new().suffix(".json").tempfile().expect("temp file");
    std::fs::write(saved.path(), &first.stdout).expect("save the report");
    let base = saved.path().to_str().expect("utf-8 path");

    // nothing changed: the drift is known, exit 0, and still listed
    let same = audit::run(&acct, &[prof.path()], &["--baseline", base]);
    same.assert_code(0);
    assert_eq!(same.rows(), [row("versioned", Some(&fixed), "pass"), row("versioned", Some(&old), "drift")]);
    assert_eq!(baseline_marks(&same), [None, Some("known".to_string())]);
    assert_eq!(
        same.report["summary"],
        json!({"pass": 1, "drift": 1, "unknown": 0, "not_applicable": 0, "waived": 0, "new_drift": 0, "known_drift": 1})
    );
    assert_eq!(same.report["baseline"], json!(base));

    // one more drift: versioning suspended on the compliant bucket
    let conf = VersioningConfiguration::builder().status(BucketVersioningStatus::Suspended).build();
    acct.s3("us-east-1")
        .put_bucket_versioning()
        .bucket(&fixed_name)
        .versioning_configuration(conf)
        .send()
        .await
        .expect("suspend versioning");
    let after = audit::run(&acct, &[prof.path()], &["--baseline", base]);
    after.assert_code(1);
    assert_eq!(after.rows(), [row("versioned", Some(&fixed), "drift"), row("versioned", Some(&old), "drift")]);
    assert_eq!(baseline_marks(&after), [Some("new".to_string()), Some("known".to_string())]);
    assert_eq!(
        after.report["summary"],
        json!({"pass": 0, "drift": 2, "unknown": 0, "not_applicable": 0, "waived": 0, "new_drift": 1, "known_drift": 1})
    );
    assert_eq!(after.observed("versioned", Some(&fixed), "versioning"), json!("Suspended"));

    // the table says which drift is new
    let table = audit::run(&acct, &[prof.path()], &["--baseline", base, "--format", "table"]);
    table.assert_code(1);
    let statuses: Vec<&str> = table
        .stdout
        .lines()
        .filter(|l| l.starts_with("    "))
        .map(|l| l.trim_start().split("  ").next().unwrap_or_default())
        .collect();
    assert_eq!(statuses, ["DRIFT new", "DRIFT known"], "{}", table.stdout);
}

#[tokio::test]
async fn baseline_that_is_not_a_report_exits_2() {
    let acct = account();
    let prof = audit::profile_file(&profile(&acct));
    let bad = tempfile::Builder::new().suffix(".json").tempfile().expect("temp file");
    std::fs::write(bad.path(), "{\n  \"schema\": \"driftwatch.report/v1\",\n  \"findings\": {}\n}\n").expect("write");
    let path = bad.path().to_str().expect("utf-8 path");
    let a = audit::run(&acct, &[prof.path()], &["--baseline", path]);
    a.assert_code(2);
    assert_eq!(a.stdout, "");
    assert_eq!(a.stderr, format!("driftwatch: --baseline: {path}:3:14: invalid type: map, expected a sequence\n"));
}
