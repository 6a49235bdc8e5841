//! Saved inventories end to end: an audit of the core S3 sample writes its
//! inventory, and `driftwatch evaluate` on that file, with no AWS endpoint
//! reachable, gives the same report; a profile needing more than was saved gets
//! `unknown` ("not in the saved inventory") for exactly those requirements.

use crate::samples::{core, Variant};
use crate::support::account;
use crate::support::audit::{self, profile_file, repo_path, Audit};
use serde_json::{json, Value};

const S3: &str = "localstack/samples/core/s3.toml";

/// `driftwatch evaluate --format json` with an endpoint nobody listens on, so any
/// AWS call would fail.
fn evaluate(acct: &crate::support::Account, inventory: &str, profiles: &[&str]) -> Audit {
    let mut cmd = audit::command(acct);
    cmd.env("AWS_ENDPOINT_URL", "http://127.0.0.1:9").arg("evaluate").arg("--inventory").arg(inventory);
    cmd.args(["--format", "json"]);
    for p in profiles {
        cmd.arg("--profile").arg(if p.starts_with('/') { p.to_string() } else { repo_path(p) });
    }
    let out = cmd.output().expect("run driftwatch");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    Audit { code: out.status.code().unwrap_or(-1), report, stdout, stderr }
}

/// The report without what differs between two runs.
fn timeless(report: &Value) -> Value {
    let mut r = report.clone();
    if let Some(o) = r.as_object_mut() {
        o.remove("started_at");
        o.remove("duration_ms");
    }
    r
}

#[tokio::test]
async fn saved_inventory_evaluates_offline_to_the_same_report() {
    let acct = account();
    core::s3(&acct, Variant::Drifted).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    for name in ["inv.json", "inv.json.gz", "inv.json.zst"] {
        let file = dir.path().join(name).display().to_string();
        let live = audit::run(&acct, &[S3], &["--save-inventory", &file]);
        live.assert_code(1);
        let saved: Value = if !name.ends_with(".json") {
            let raw = std::fs::read(&file).unwrap();
            let magic: &[u8] = if name.ends_with(".gz") { &[0x1f, 0x8b] } else { &[0x28, 0xb5, 0x2f, 0xfd] };
            assert!(raw.starts_with(magic), "{name} is compressed");
            Value::Null
        } else {
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap()
        };
        if !saved.is_null() {
            assert_eq!(saved["schema"], json!("driftwatch.inventory/v1"));
            assert_eq!(saved["account"], json!(acct.id));
            assert_eq!(saved["partition"], json!("aws"));
            assert_eq!(saved["default_region"], json!("us-east-1"));
            assert_eq!(saved["plan"]["s3"]["places"], json!({"global": []}));
            assert_eq!(
                saved["plan"]["s3"]["scoped"][0]["reads"],
                json!(["encryption", "public_access_block", "versioning"])
            );
        }
        let offline = evaluate(&acct, &file, &[S3]);
        assert_eq!((offline.code, offline.stderr.as_str()), (1, ""), "{name}");
        assert_eq!(timeless(&offline.report), timeless(&live.report), "{name}");
    }
}

const MORE: &str = r#"
[profile]
name = "more"

[[requirement]]
id = "prod-buckets-encrypted"
kind = "s3.bucket"
select = { name_prefix = "prod-" }
[requirement.expect]
encryption = "aws:kms"

[[requirement]]
id = "prod-buckets-tagged"
kind = "s3.bucket"
select = { name_prefix = "prod-" }
[requirement.expect]
required_tags = { team = "*" }

[[requirement]]
id = "queues-encrypted"
kind = "sqs.queue"
[requirement.expect]
encrypted = true
"#;

#[tokio::test]
async fn saved_inventory_needs_not_saved_are_unknown() {
    let acct = account();
    core::s3(&acct, Variant::Drifted).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("inv.json").display().to_string();
    audit::run(&acct, &[S3], &["--save-inventory", &file]).assert_code(1);
    let more = profile_file(MORE);
    let a = evaluate(&acct, &file, &[more.path()]);
    assert_eq!((a.code, a.stderr.as_str()), (1, ""));
    let arn = format!("arn:aws:s3:::{}", acct.bucket("prod-logs"));
    assert_eq!(
        a.rows(),
        [
            audit::row("prod-buckets-encrypted", Some(&arn), "drift"),
            audit::row("prod-buckets-tagged", Some(&arn), "unknown"),
            audit::row("queues-encrypted", None, "unknown"),
        ]
    );
    assert_eq!(a.observed("prod-buckets-encrypted", Some(&arn), "encryption"), json!("AES256"));
    let tagged = a.finding("prod-buckets-tagged", Some(&arn));
    assert_eq!(
        tagged["checks"],
        json!([{"field": "required_tags", "expected": {"team": "*"}, "observed": null, "ok": null,
                "error": "value not in the saved inventory"}])
    );
    let queues = a.finding("queues-encrypted", None);
    assert_eq!(
        queues["message"],
        json!("could not list the resources: sqs data in us-east-1 not in the saved inventory")
    );
    assert_eq!(a.report["summary"], json!({"pass": 0, "drift": 1, "unknown": 2, "not_applicable": 0, "waived": 0}));
    assert_eq!(a.report["errors"], json!([]));
    assert_eq!(a.report["account"], json!(acct.id));
    assert_eq!(a.report["regions"], json!(["us-east-1"]));
}
