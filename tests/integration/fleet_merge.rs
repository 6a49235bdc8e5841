//! The fleet split over an engine, end to end: three shards of a five-account fleet,
//! each picked by a Kubernetes Indexed Job's variables (`JOB_COMPLETION_INDEX`,
//! `DRIFTWATCH_SHARD_COUNT`), each writing its JSON report to S3 on the emulator
//! (`--output s3://…`); `driftwatch merge` of the S3 prefix gives the same findings
//! as the unsharded run. With one shard's report deleted, its accounts are unknown
//! and the merge says which shard is missing.

use super::fleet::{deploy, rows, run};
use crate::support::audit;
use serde_json::{json, Value};

fn merge(fleet: &super::fleet::Fleet, prefix: &str) -> (i32, Value, String) {
    let caller = fleet.caller();
    let out = audit::command(caller)
        .args(["merge", prefix, "--format", "json", "--endpoint-url", &caller.endpoint])
        .output()
        .expect("run merge");
    let report = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), report, String::from_utf8_lossy(&out.stderr).into_owned())
}

#[tokio::test]
async fn shards_written_to_s3_merge_into_the_unsharded_findings() {
    let fleet = deploy().await;
    let (whole, _p) = run(&fleet, &fleet.caller().endpoint, &[], &[]);
    whole.assert_code(1);

    let caller = fleet.caller();
    let bucket = caller.bucket("reports");
    let s3 = caller.s3("us-east-1");
    s3.create_bucket().bucket(&bucket).send().await.expect("report bucket");
    for index in 0..3 {
        let i = index.to_string();
        let url = format!("s3://{bucket}/nightly/shard-{index}.json");
        let env = [("JOB_COMPLETION_INDEX", i.as_str()), ("DRIFTWATCH_SHARD_COUNT", "3")];
        let (a, _p) = run(&fleet, &caller.endpoint, &["--output", &url], &env);
        assert_eq!(a.stdout, "", "the report goes to S3: {}", a.stderr);
        assert!(matches!(a.code, 0 | 1), "shard {index}: exit {}: {}", a.code, a.stderr);
    }

    let (code, merged, stderr) = merge(&fleet, &format!("s3://{bucket}/nightly/"));
    assert_eq!(code, 1, "{stderr}");
    let merged_audit = audit::Audit { code, report: merged.clone(), stdout: String::new(), stderr };
    assert_eq!(rows(&merged_audit), rows(&whole));
    assert_eq!(merged["summary"], whole.report["summary"]);
    assert_eq!(merged["errors"], json!([]));
    assert_eq!(merged["fleet"]["accounts"], whole.report["fleet"]["accounts"]);

    // shard 1 lost: its accounts (sorted ids at positions 1 and 4) are unknown
    s3.delete_object().bucket(&bucket).key("nightly/shard-1.json").send().await.expect("delete");
    let (code, partial, stderr) = merge(&fleet, &format!("s3://{bucket}/nightly/"));
    assert_eq!(code, 1, "{stderr}");
    let mut ids = fleet.ids();
    ids.sort();
    let lost = [ids[1].clone(), ids[4].clone()];
    let unknown: Vec<String> = partial["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["status"] == "unknown")
        .map(|f| f["account"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(unknown, lost);
    let errors = partial["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["code"], json!("MissingShard"));
    assert_eq!(
        errors[0]["message"],
        json!(format!("the report of shard 1/3 is missing; 2 fleet account(s) not audited: {}, {}", lost[0], lost[1]))
    );
}
