use super::*;
use serde_json::{json, Value};

const FLEET: [&str; 4] = ["111111111111", "222222222222", "333333333333", "444444444444"];

fn finding(account: &str, requirement: &str, kind: &str, status: &str, resource: Option<&str>) -> Value {
    json!({
        "account": account,
        "profile": "baseline",
        "requirement": requirement,
        "kind": kind,
        "severity": "high",
        "status": status,
        "resource": resource,
        "region": "us-east-1",
        "checks": [{"field": "encryption", "expected": "aws:kms", "observed": if status == "drift" { json!("AES256") } else { json!("aws:kms") }, "ok": status != "drift"}],
        "message": format!("{requirement} {status}"),
    })
}

fn summary(pass: usize, drift: usize, unknown: usize) -> Value {
    json!({"pass": pass, "drift": drift, "unknown": unknown, "not_applicable": 0, "waived": 0})
}

fn shard(index: u32, count: u32, accounts: &[(&str, Value)], findings: Vec<Value>) -> Value {
    json!({
        "schema": "driftwatch.report/v1",
        "tool": {"name": "driftwatch", "version": "0.1.0"},
        "account": "999999999999",
        "regions": ["us-east-1"],
        "profiles": ["baseline"],
        "started_at": format!("2026-11-30T10:0{index}:00Z"),
        "duration_ms": 1000 + u64::from(index),
        "summary": summary(0, 0, 0),
        "coverage": {"read": 0, "unknown": 0, "listings_unread": 0, "requirements": []},
        "findings": findings,
        "errors": [],
        "fleet": {
            "accounts": accounts.iter().map(|(id, s)| json!({"id": id, "summary": s})).collect::<Vec<_>>(),
            "shard": {"index": index, "count": count, "fleet_accounts": FLEET},
        },
    })
}

fn shard0() -> Value {
    shard(
        0,
        3,
        &[("111111111111", summary(1, 1, 0)), ("444444444444", summary(1, 0, 0))],
        vec![
            finding("111111111111", "s3-encrypted", "s3.bucket", "drift", Some("arn:aws:s3:::a")),
            finding("444444444444", "s3-encrypted", "s3.bucket", "pass", Some("arn:aws:s3:::d")),
            finding("111111111111", "trail-on", "cloudtrail.trail", "pass", None),
        ],
    )
}

fn shard1() -> Value {
    shard(
        1,
        3,
        &[("222222222222", summary(1, 0, 0))],
        vec![finding("222222222222", "s3-encrypted", "s3.bucket", "pass", Some("arn:aws:s3:::b"))],
    )
}

fn shard2() -> Value {
    shard(
        2,
        3,
        &[("333333333333", summary(0, 0, 1))],
        vec![finding("333333333333", "s3-encrypted", "s3.bucket", "unknown", None)],
    )
}

fn read(name: &str, v: &Value) -> (String, ShardReport) {
    (name.to_string(), parse(name, &v.to_string()).unwrap())
}

/// (account, requirement, status, resource, message) of each finding, in order.
fn rows(r: &Report) -> Vec<(String, String, &'static str, Option<String>, String)> {
    r.findings
        .iter()
        .map(|f| {
            (
                f.account.clone().unwrap_or_default(),
                f.requirement.clone(),
                f.status.as_str(),
                f.resource.clone(),
                f.message.clone(),
            )
        })
        .collect()
}

fn row(
    a: &str,
    req: &str,
    status: &'static str,
    res: Option<&str>,
    msg: &str,
) -> (String, String, &'static str, Option<String>, String) {
    (a.into(), req.into(), status, res.map(str::to_string), msg.into())
}

#[test]
fn merge_every_shard_gives_the_whole_fleet() {
    let merged =
        merge(vec![read("s1.json", &shard1()), read("s2.json", &shard2()), read("s0.json", &shard0())]).unwrap();
    assert_eq!(
        rows(&merged),
        vec![
            row("111111111111", "s3-encrypted", "drift", Some("arn:aws:s3:::a"), "s3-encrypted drift"),
            row("222222222222", "s3-encrypted", "pass", Some("arn:aws:s3:::b"), "s3-encrypted pass"),
            row("333333333333", "s3-encrypted", "unknown", None, "s3-encrypted unknown"),
            row("444444444444", "s3-encrypted", "pass", Some("arn:aws:s3:::d"), "s3-encrypted pass"),
            row("111111111111", "trail-on", "pass", None, "trail-on pass"),
        ]
    );
    assert_eq!(merged.summary, Summary { pass: 3, drift: 1, unknown: 1, not_applicable: 0, waived: 0 });
    let fleet = merged.fleet.as_ref().unwrap();
    let ids: Vec<&str> = fleet.accounts.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, FLEET);
    assert_eq!(fleet.shard, None);
    assert!(merged.errors.is_empty());
    assert_eq!(merged.account.as_deref(), Some("999999999999"));
    assert_eq!(merged.started_at, "2026-11-30T10:00:00Z");
    assert_eq!(merged.duration_ms, 1002);
    assert_eq!(crate::audit::exit_code(&merged.summary, FailOn::Unknown), Exit::Drift);
}

#[test]
fn merge_missing_shard_makes_its_accounts_unknown() {
    let merged = merge(vec![read("s0.json", &shard0()), read("s1.json", &shard1())]).unwrap();
    let why = "not audited: the report of shard 2/3 is missing";
    assert_eq!(
        rows(&merged),
        vec![
            row("111111111111", "s3-encrypted", "drift", Some("arn:aws:s3:::a"), "s3-encrypted drift"),
            row("222222222222", "s3-encrypted", "pass", Some("arn:aws:s3:::b"), "s3-encrypted pass"),
            row("333333333333", "s3-encrypted", "unknown", None, why),
            row("444444444444", "s3-encrypted", "pass", Some("arn:aws:s3:::d"), "s3-encrypted pass"),
            row("111111111111", "trail-on", "pass", None, "trail-on pass"),
            row("333333333333", "trail-on", "unknown", None, why),
        ]
    );
    let trail = merged.findings.iter().find(|f| f.requirement == "trail-on" && f.status == Status::Unknown).unwrap();
    assert_eq!(trail.kind, "cloudtrail.trail");
    assert_eq!(merged.summary, Summary { pass: 3, drift: 1, unknown: 2, not_applicable: 0, waived: 0 });
    let fleet = merged.fleet.as_ref().unwrap();
    let missing = fleet.accounts.iter().find(|a| a.id == "333333333333").unwrap();
    assert_eq!(
        missing,
        &AccountResult {
            id: "333333333333".into(),
            name: None,
            summary: Summary { pass: 0, drift: 0, unknown: 2, not_applicable: 0, waived: 0 },
            error: Some(why.into()),
        }
    );
    assert_eq!(
        merged.errors,
        vec![ErrorEntry {
            account: None,
            service: "driftwatch".into(),
            region: "-".into(),
            operation: "merge".into(),
            resource: None,
            code: "MissingShard".into(),
            message: "the report of shard 2/3 is missing; 1 fleet account(s) not audited: 333333333333".into(),
        }]
    );
}

#[test]
fn merge_refuses_what_is_not_one_run() {
    let mut other_count = shard1();
    other_count["fleet"]["shard"]["count"] = json!(4);
    let mut other_fleet = shard1();
    other_fleet["fleet"]["shard"]["fleet_accounts"] = json!(["111111111111"]);
    let mut unsharded = shard1();
    unsharded["fleet"].as_object_mut().unwrap().remove("shard");
    let mut out_of_range = shard1();
    out_of_range["fleet"]["shard"]["index"] = json!(3);
    let mut twice = shard1();
    twice["fleet"]["accounts"] = json!([{"id": "111111111111", "summary": summary(0, 0, 0)}]);
    let cases: Vec<(Vec<(String, ShardReport)>, &str)> = vec![
        (
            vec![read("a.json", &shard0()), read("b.json", &other_count)],
            "b.json is shard 1/4 but a.json is one of 3 shards: not the same run",
        ),
        (
            vec![read("a.json", &shard0()), read("b.json", &other_fleet)],
            "b.json and a.json were shards of different fleets (their fleet accounts differ)",
        ),
        (vec![read("a.json", &shard1()), read("b.json", &shard1())], "a.json and b.json are both shard 1/3"),
        (
            vec![read("a.json", &unsharded)],
            "a.json: not a shard's report (no fleet.shard): merge combines the reports of `audit --shard`",
        ),
        (vec![read("a.json", &out_of_range)], "a.json: shard index 3 is out of range for 3 shards"),
        (vec![read("a.json", &shard0()), read("b.json", &twice)], "account 111111111111 is in both a.json and b.json"),
        (vec![], "no shard reports to merge"),
    ];
    for (shards, expected) in cases {
        assert_eq!(merge(shards).unwrap_err(), expected);
    }
}

#[test]
fn merge_parse_errors_are_located() {
    let cases = [
        ("{\n  \"schema\": \"driftwatch.report/v1\",\n  \"findings\": [\n}", "r.json:4:1: expected value"),
        ("\n  [1]", "r.json:2:3: expected a JSON object (a report), found `[`"),
        (
            "{\"schema\": \"driftwatch.diff/v1\"}",
            "r.json:1:32: schema is \"driftwatch.diff/v1\", expected \"driftwatch.report/v1\"",
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(parse("r.json", text).unwrap_err(), expected);
    }
    let mut bad_kind = shard0();
    bad_kind["findings"][0]["kind"] = json!("s3.buckets");
    let err = parse("r.json", &serde_json::to_string_pretty(&bad_kind).unwrap()).unwrap_err();
    assert!(err.starts_with("r.json:") && err.ends_with(": unknown requirement kind `s3.buckets`"), "{err}");
}

#[test]
fn merge_command_writes_the_report_and_exits_like_audit() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("shard-0.json");
    let b = dir.path().join("shard-1.json");
    std::fs::write(&a, shard0().to_string()).unwrap();
    std::fs::write(&b, shard1().to_string()).unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let args = ["driftwatch", "merge", a.to_str().unwrap(), b.to_str().unwrap(), "--format", "json"];
    let code = crate::cli::run(args, &mut out, &mut err);
    assert_eq!(code, Exit::Drift, "{}", String::from_utf8_lossy(&err));
    let doc: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["schema"], "driftwatch.report/v1");
    assert_eq!(doc["summary"], summary(3, 1, 2));
    assert_eq!(doc["findings"].as_array().unwrap().len(), 6);

    // a merged report is not a shard's: merging it again is refused, exit 2
    let merged = dir.path().join("merged.json");
    std::fs::write(&merged, &out).unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = crate::cli::run(["driftwatch", "merge", merged.to_str().unwrap()], &mut out, &mut err);
    assert_eq!(code, Exit::Invalid);
    assert_eq!(
        String::from_utf8_lossy(&err),
        format!(
            "driftwatch: merge: {}: not a shard's report (no fleet.shard): merge combines the reports of `audit --shard`\n",
            merged.display()
        )
    );
}

#[test]
fn merge_account_no_shard_covered_is_unknown() {
    // every shard is there, yet one fleet account is in none of them
    let with_extra = |mut v: Value| {
        v["fleet"]["shard"]["fleet_accounts"] =
            json!(["111111111111", "222222222222", "333333333333", "444444444444", "555555555555"]);
        v
    };
    let merged = merge(vec![
        read("s0.json", &with_extra(shard0())),
        read("s1.json", &with_extra(shard1())),
        read("s2.json", &with_extra(shard2())),
    ])
    .unwrap();
    let extra: Vec<_> = rows(&merged).into_iter().filter(|r| r.0 == "555555555555").collect();
    let why = "not audited: no shard report covers this account";
    assert_eq!(
        extra,
        vec![
            row("555555555555", "s3-encrypted", "unknown", None, why),
            row("555555555555", "trail-on", "unknown", None, why)
        ]
    );
    assert_eq!(merged.errors.len(), 1);
    assert_eq!(merged.errors[0].code, "AccountsNotCovered");
    assert_eq!(merged.errors[0].message, "no shard report covers 1 fleet account(s): 555555555555");
}
