//! Reports in S3 on the emulator: `audit --output s3://…` writes the report as an
//! object, and `merge s3://bucket/prefix/` combines the shard reports found under
//! the prefix (every page of ListObjectsV2, `.json` objects only), reporting a
//! missing shard as unknown findings.

use crate::support::{self, audit};
use serde_json::{json, Value};

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const FLEET: [&str; 3] = ["111111111111", "222222222222", "333333333333"];

async fn put(s3: &aws_sdk_s3::Client, bucket: &str, key: &str, body: String) {
    s3.put_object()
        .bucket(bucket)
        .key(key)
        .body(aws_sdk_s3::primitives::ByteStream::from(body.into_bytes()))
        .send()
        .await
        .expect("PutObject");
}

async fn get_json(s3: &aws_sdk_s3::Client, bucket: &str, key: &str) -> Value {
    let out = s3.get_object().bucket(bucket).key(key).send().await.expect("GetObject");
    let bytes = out.body.collect().await.expect("object body").into_bytes();
    serde_json::from_slice(&bytes).expect("the object is JSON")
}

/// (account, requirement, status, message) of each finding of a JSON report.
fn rows(report: &Value) -> Vec<(String, String, String, String)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (s("account"), s("requirement"), s("status"), s("message"))
        })
        .collect()
}

fn row(account: &str, requirement: &str, status: &str, message: &str) -> (String, String, String, String) {
    (account.into(), requirement.into(), status.into(), message.into())
}

fn shard(index: u32, account: &str, status: &str) -> String {
    let finding = json!({
        "account": account, "profile": "fleet", "requirement": "no-admin", "kind": "iam.role",
        "severity": "high", "status": status, "resource": format!("arn:aws:iam::{account}:role/app"),
        "region": null, "checks": [], "message": format!("role app: {status}"),
    });
    let summary = json!({"pass": usize::from(status == "pass"), "drift": usize::from(status == "drift"),
        "unknown": 0, "not_applicable": 0, "waived": 0});
    json!({
        "schema": "driftwatch.report/v1", "tool": {"name": "driftwatch", "version": "0.1.0"},
        "account": "999999999999", "regions": ["us-east-1"], "profiles": ["fleet"],
        "started_at": "2026-11-30T10:00:00Z", "duration_ms": 10, "summary": summary,
        "coverage": {"read": 1, "unknown": 0, "listings_unread": 0, "requirements": []},
        "findings": [finding], "errors": [],
        "fleet": {"accounts": [{"id": account, "summary": summary}],
                  "shard": {"index": index, "count": 3, "fleet_accounts": FLEET}},
    })
    .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_output_s3_writes_the_report_object() {
    let acct = support::account();
    let s3 = acct.s3("us-east-1");
    let bucket = acct.bucket("reports");
    s3.create_bucket().bucket(&bucket).send().await.expect("CreateBucket");
    let iam = acct.iam();
    iam.create_role().role_name("out-admin").assume_role_policy_document(TRUST).send().await.expect("CreateRole");
    iam.attach_role_policy()
        .role_name("out-admin")
        .policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
        .send()
        .await
        .expect("AttachRolePolicy");
    let profile = audit::profile_file(
        "[profile]\nname = \"out\"\n\n[[requirement]]\nid = \"no-admin\"\nkind = \"iam.role\"\n\
         select = { name_prefix = \"out-\" }\n[requirement.expect]\n\
         forbid_policies = [\"arn:aws:iam::aws:policy/AdministratorAccess\"]\n",
    );
    let url = format!("s3://{bucket}/runs/single/report.json");
    let a = audit::run(&acct, &[profile.path()], &["--output", &url]);
    assert_eq!((a.code, a.stdout.as_str()), (1, ""), "{}", a.stderr);
    let report = get_json(&s3, &bucket, "runs/single/report.json").await;
    assert_eq!(report["schema"], "driftwatch.report/v1");
    assert_eq!(report["account"], acct.id.as_str());
    let findings: Vec<(String, String)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["resource"].as_str().unwrap_or_default().to_string(),
                f["status"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(findings, [(format!("arn:aws:iam::{}:role/out-admin", acct.id), "drift".to_string())]);

    // a bucket that does not exist: exit 2 naming the call and the code
    let a = audit::run(&acct, &[profile.path()], &["--output", &format!("s3://{bucket}-missing/r.json")]);
    assert_eq!(a.code, 2);
    assert!(
        a.stderr.contains(&format!("s3:PutObject s3://{bucket}-missing/r.json failed: NoSuchBucket")),
        "{}",
        a.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn merge_reads_shards_from_an_s3_prefix() {
    let acct = support::account();
    let s3 = acct.s3("us-east-1");
    let bucket = acct.bucket("shards");
    s3.create_bucket().bucket(&bucket).send().await.expect("CreateBucket");
    put(&s3, &bucket, "runs/r1/shard-0.json", shard(0, "111111111111", "drift")).await;
    put(&s3, &bucket, "runs/r1/shard-1.json", shard(1, "222222222222", "pass")).await;
    put(&s3, &bucket, "runs/r1/notes.txt", "not a report".into()).await;
    put(&s3, &bucket, "runs/r2/shard-0.json", "{ not json".into()).await;

    // shard 2/3 missing: its account is unknown (drift wins the exit code: 1); the
    // merged report goes to S3
    let merged_url = format!("s3://{bucket}/merged/fleet.json");
    let out = audit::command(&acct)
        .args(["merge", &format!("s3://{bucket}/runs/r1/"), "--format", "json", "--output", &merged_url])
        .args(["--endpoint-url", &acct.endpoint])
        .output()
        .expect("run merge");
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let merged = get_json(&s3, &bucket, "merged/fleet.json").await;
    assert_eq!(
        rows(&merged),
        [
            row("111111111111", "no-admin", "drift", "role app: drift"),
            row("222222222222", "no-admin", "pass", "role app: pass"),
            row("333333333333", "no-admin", "unknown", "not audited: the report of shard 2/3 is missing"),
        ]
    );
    assert_eq!(merged["summary"], json!({"pass": 1, "drift": 1, "unknown": 1, "not_applicable": 0, "waived": 0}));
    assert_eq!(merged["errors"][0]["code"], "MissingShard");

    // with the third shard the fleet is complete
    put(&s3, &bucket, "runs/r1/shard-2.json", shard(2, "333333333333", "pass")).await;
    let out = audit::command(&acct)
        .args(["merge", &format!("s3://{bucket}/runs/r1/"), "--format", "json", "--fail-on", "never"])
        .args(["--endpoint-url", &acct.endpoint])
        .output()
        .expect("run merge");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let merged: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(
        rows(&merged),
        [
            row("111111111111", "no-admin", "drift", "role app: drift"),
            row("222222222222", "no-admin", "pass", "role app: pass"),
            row("333333333333", "no-admin", "pass", "role app: pass"),
        ]
    );
    assert_eq!(merged["errors"], json!([]));

    // an object that is not JSON: exit 2 with its position
    let out = audit::command(&acct)
        .args(["merge", &format!("s3://{bucket}/runs/r2/"), "--endpoint-url", &acct.endpoint])
        .output()
        .expect("run merge");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!("driftwatch: merge: s3://{bucket}/runs/r2/shard-0.json:1:3: key must be a string\n")
    );
}
