//! `driftwatch diff` over two audits of one account changed in between: one bucket
//! fixed, one broken, one deleted, one created, a drifting tag value changed, one
//! bucket unreadable in the second audit only and one in the first only. Which
//! categories each change lands in follows from the two reports alone; the observed
//! values in them follow S3's documented answers (GetBucketVersioning Status,
//! GetBucketTagging TagSet).
//!
//! The emulator cannot deny one bucket's read, so each audit runs through the fault
//! proxy, which answers GetBucketVersioning for one bucket with AccessDenied (what S3
//! answers a caller without s3:GetBucketVersioning): that bucket's `versioning` is
//! unknown in that audit.

use crate::support::audit::{self, Audit};
use crate::support::{account, Account};
use aws_sdk_s3::types::{BucketVersioningStatus, Tag, Tagging, VersioningConfiguration};
use serde_json::{json, Value};

fn profile(acct: &Account) -> String {
    let id = &acct.id;
    format!(
        "[profile]\nname = \"diff\"\n\
         [[requirement]]\nid = \"versioned\"\nkind = \"s3.bucket\"\nselect = {{ name_glob = \"v-*-{id}\" }}\n\
         [requirement.expect]\nversioning = true\n\
         [[requirement]]\nid = \"tagged\"\nkind = \"s3.bucket\"\nselect = {{ name_glob = \"t-*-{id}\" }}\n\
         [requirement.expect]\nrequired_tags = {{ team = \"core\" }}\n\
"
    )
}

async fn create(acct: &Account, stem: &str) -> String {
    let name = acct.bucket(stem);
    acct.s3("us-east-1").create_bucket().bucket(&name).send().await.expect("create bucket");
    name
}

async fn versioning(acct: &Account, name: &str, status: BucketVersioningStatus) {
    let conf = VersioningConfiguration::builder().status(status).build();
    acct.s3("us-east-1")
        .put_bucket_versioning()
        .bucket(name)
        .versioning_configuration(conf)
        .send()
        .await
        .expect("put versioning");
}

async fn team(acct: &Account, name: &str, value: &str) {
    let tag = Tag::builder().key("team").value(value).build().expect("tag");
    let tagging = Tagging::builder().tag_set(tag).build().expect("tagging");
    acct.s3("us-east-1").put_bucket_tagging().bucket(name).tagging(tagging).send().await.expect("put tagging");
}

/// An audit through the fault proxy, with GetBucketVersioning denied for one bucket.
fn audit_hiding(acct: &Account, profile: &str, bucket: &str) -> Audit {
    use crate::support::faults::{Fault, FaultProxy, Rule, When};
    let rule =
        Rule::new(Fault::AccessDenied, When::Always).service("s3").operation("GetBucketVersioning").bucket(bucket);
    let proxy = FaultProxy::start(&acct.endpoint, vec![rule], 15);
    audit::run_at(acct, &proxy.url, &[profile], &[], &[])
}

fn save(a: &Audit, dir: &tempfile::TempDir, name: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, &a.stdout).expect("write report");
    path.to_str().expect("utf-8 path").to_string()
}

/// Each entry of a category as (requirement, bucket ARN, before, after).
fn rows(diff: &Value, category: &str) -> Vec<(String, String, String, String)> {
    diff[category]
        .as_array()
        .unwrap_or_else(|| panic!("no {category} in {diff:#}"))
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or("-").to_string();
            (s("requirement"), s("resource"), s("before"), s("after"))
        })
        .collect()
}

fn row(req: &str, bucket: &str, before: &str, after: &str) -> (String, String, String, String) {
    (req.into(), format!("arn:aws:s3:::{bucket}"), before.into(), after.into())
}

#[tokio::test]
async fn diff_of_two_audits_of_a_changed_account() {
    let acct = account();
    let s3 = acct.s3("us-east-1");
    let fixed = create(&acct, "v-fixed").await;
    let broken = create(&acct, "v-broken").await;
    versioning(&acct, &broken, BucketVersioningStatus::Enabled).await;
    let deleted = create(&acct, "v-deleted").await;
    let steady = create(&acct, "v-steady").await;
    let tags = create(&acct, "t-changed").await;
    team(&acct, &tags, "a").await;
    let hidden = create(&acct, "v-hidden").await;
    versioning(&acct, &hidden, BucketVersioningStatus::Enabled).await;
    let seen = create(&acct, "v-seen").await;
    versioning(&acct, &seen, BucketVersioningStatus::Enabled).await;

    let profile = audit::profile_file(&profile(&acct));
    let dir = tempfile::tempdir().expect("temp dir");
    let first = audit_hiding(&acct, profile.path(), &seen);
    first.assert_code(1);
    let before = save(&first, &dir, "before.json");

    versioning(&acct, &fixed, BucketVersioningStatus::Enabled).await;
    versioning(&acct, &broken, BucketVersioningStatus::Suspended).await;
    s3.delete_bucket().bucket(&deleted).send().await.expect("delete bucket");
    let created = create(&acct, "v-created").await;
    team(&acct, &tags, "b").await;

    let second = audit_hiding(&acct, profile.path(), &hidden);
    second.assert_code(1);
    let after = save(&second, &dir, "after.json");

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_driftwatch"))
        .args(["diff", &before, &after, "--format", "json"])
        .output()
        .expect("run driftwatch diff");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!((out.status.code(), stderr.as_ref()), (Some(1), ""), "new drift exits 1");
    let diff: Value = serde_json::from_slice(&out.stdout).expect("a JSON diff");
    assert_eq!(diff["schema"], "driftwatch.diff/v1");
    assert_eq!(
        diff["summary"],
        json!({"new_drift": 2, "resolved_drift": 2, "changed_drift": 1, "newly_unknown": 1, "no_longer_unknown": 1})
    );
    assert_eq!(
        rows(&diff, "new_drift"),
        [row("versioned", &broken, "pass", "drift"), row("versioned", &created, "absent", "drift")]
    );
    assert_eq!(
        rows(&diff, "resolved_drift"),
        [row("versioned", &deleted, "drift", "gone"), row("versioned", &fixed, "drift", "pass")]
    );
    assert_eq!(rows(&diff, "changed_drift"), [row("tagged", &tags, "drift", "drift")]);
    assert_eq!(rows(&diff, "newly_unknown"), [row("versioned", &hidden, "pass", "unknown")]);
    assert_eq!(rows(&diff, "no_longer_unknown"), [row("versioned", &seen, "unknown", "pass")]);
    // the unchanged drift of v-steady is in no category
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&steady));
    // the failed field with its observed value in each report: S3 answers Status
    // Enabled or Suspended, and no Status for a bucket never versioned (driftwatch
    // shows "Disabled"); null where the bucket is not in that report
    let versioning = |before: Value, after: Value| json!([{"field": "versioning", "expected": true, "before": before, "after": after}]);
    let fields = |category: &str| -> Vec<Value> {
        diff[category].as_array().expect("a list").iter().map(|e| e["fields"].clone()).collect()
    };
    assert_eq!(
        fields("new_drift"),
        [versioning(json!("Enabled"), json!("Suspended")), versioning(json!(null), json!("Disabled"))]
    );
    assert_eq!(
        fields("resolved_drift"),
        [versioning(json!("Disabled"), json!(null)), versioning(json!("Disabled"), json!("Enabled"))]
    );
    assert_eq!(
        fields("changed_drift"),
        [
            json!([{"field": "required_tags", "expected": {"team": "core"}, "before": {"team": "a"}, "after": {"team": "b"}}])
        ]
    );
    assert_eq!(fields("newly_unknown"), [json!([])]);
    assert_eq!(fields("no_longer_unknown"), [json!([])]);
}
