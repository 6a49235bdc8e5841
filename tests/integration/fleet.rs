//! Fleet runs: five fresh accounts, each with its own buckets and its own drift,
//! audited in one run with `--accounts`. The caller's own account is read with its
//! own credentials; the four others through the role created in each (as AWS
//! requires a role to exist before it can be assumed). Then one account whose
//! AssumeRole is refused (fault proxy), and the fleet split in shards.

use crate::samples::{self, Env};
use crate::support::account;
use crate::support::audit::{self, Audit};
use crate::support::faults::{Fault, FaultProxy, Rule, When};
use serde_json::{json, Value};

pub(crate) const ROLE: &str = "driftwatch-audit";

const PROFILE: &str = r#"[profile]
name = "fleet-s3"

[[requirement]]
id = "fleet-buckets"
kind = "s3.bucket"
severity = "high"
select = { name_prefix = "fleet-" }
min_count = 1
[requirement.expect]
encryption = "aws:kms"
versioning = true
"#;

/// The role the audit assumes, trusting the caller's account.
pub(crate) async fn audit_role(acct: &Env, caller: &str) {
    let trust = json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{caller}:root")},
                       "Action": "sts:AssumeRole"}]
    });
    let iam = acct.iam();
    iam.create_role().role_name(ROLE).assume_role_policy_document(trust.to_string()).send().await.unwrap();
    iam.attach_role_policy().role_name(ROLE).policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess").send().await.unwrap();
}

/// A bucket `fleet-{stem}-{account}`: SSE-KMS with a key of its own or the default
/// SSE-S3, versioned or not.
pub(crate) async fn bucket(acct: &Env, stem: &str, kms: bool, versioned: bool) -> String {
    let s3 = acct.s3("us-east-1");
    let name = acct.bucket(&format!("fleet-{stem}"));
    s3.create_bucket().bucket(&name).send().await.unwrap();
    if kms {
        let key = acct.kms("us-east-1").create_key().send().await.unwrap();
        let arn = key.key_metadata().and_then(|m| m.arn()).unwrap().to_string();
        samples::encrypt_with_kms(&s3, &name, &arn, true).await.unwrap();
    }
    if versioned {
        samples::enable_versioning(&s3, &name).await.unwrap();
    }
    format!("arn:aws:s3:::{name}")
}

/// Five accounts, the first the caller; each account's expected findings as
/// (resource, status, failed fields).
pub(crate) struct Fleet {
    pub(crate) accts: Vec<Env>,
    expected: Vec<Vec<(Option<String>, &'static str, Vec<&'static str>)>>,
}

impl Fleet {
    pub(crate) fn ids(&self) -> Vec<String> {
        self.accts.iter().map(|a| a.id.clone()).collect()
    }
    pub(crate) fn caller(&self) -> &Env {
        &self.accts[0]
    }
}

pub(crate) async fn deploy() -> Fleet {
    let accts: Vec<Env> = (0..5).map(|_| account()).collect();
    let caller = accts[0].id.clone();
    for a in &accts[1..] {
        audit_role(a, &caller).await;
    }
    let expected = vec![
        // the caller's account: compliant
        vec![(Some(bucket(&accts[0], "a", true, true).await), "pass", vec![])],
        // default encryption, not versioned
        vec![(Some(bucket(&accts[1], "b", false, false).await), "drift", vec!["encryption", "versioning"])],
        // KMS but not versioned
        vec![(Some(bucket(&accts[2], "c", true, false).await), "drift", vec!["versioning"])],
        // no bucket at all: the minimum count drifts
        vec![(None, "drift", vec!["count"])],
        // one compliant bucket, one with the default encryption
        {
            let good = bucket(&accts[4], "e1", true, true).await;
            let bad = bucket(&accts[4], "e2", false, true).await;
            vec![(Some(good), "pass", vec![]), (Some(bad), "drift", vec!["encryption"])]
        },
    ];
    Fleet { accts, expected }
}

/// (account, resource, status, failed fields) of every finding, in report order.
pub(crate) fn rows(a: &Audit) -> Vec<(String, Option<String>, String, Vec<String>)> {
    a.report["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings; stderr:\n{}\nstdout:\n{}", a.stderr, a.stdout))
        .iter()
        .map(|f| {
            let failed = audit::failed_fields(f);
            (
                f["account"].as_str().unwrap_or("-").to_string(),
                f["resource"].as_str().map(str::to_string),
                f["status"].as_str().unwrap().to_string(),
                failed,
            )
        })
        .collect()
}

fn expected_rows(fleet: &Fleet, accounts: &[usize]) -> Vec<(String, Option<String>, String, Vec<String>)> {
    let mut order: Vec<usize> = accounts.to_vec();
    order.sort_by_key(|i| fleet.accts[*i].id.clone());
    order
        .iter()
        .flat_map(|i| {
            let id = fleet.accts[*i].id.clone();
            fleet.expected[*i]
                .iter()
                .map(move |(r, s, f)| (id.clone(), r.clone(), s.to_string(), f.iter().map(|x| x.to_string()).collect()))
        })
        .collect()
}

pub(crate) fn summary(pass: u64, drift: u64, unknown: u64) -> Value {
    json!({"pass": pass, "drift": drift, "unknown": unknown, "not_applicable": 0, "waived": 0})
}

/// Each account's summary as the expected findings count it.
fn expected_summary(fleet: &Fleet, i: usize) -> Value {
    let count = |s: &str| fleet.expected[i].iter().filter(|(_, st, _)| *st == s).count() as u64;
    summary(count("pass"), count("drift"), 0)
}

pub(crate) fn run(fleet: &Fleet, endpoint: &str, extra: &[&str], env: &[(&str, &str)]) -> (Audit, audit::ProfileFile) {
    let profile = audit::profile_file(PROFILE);
    let ids = fleet.ids().join(",");
    let mut args = vec!["--accounts", ids.as_str(), "--role-name", ROLE];
    args.extend_from_slice(extra);
    let a = audit::run_at(fleet.caller(), endpoint, &[profile.path()], &args, env);
    (a, profile)
}

#[tokio::test]
async fn fleet_of_five_accounts_reports_each_accounts_own_findings() {
    let fleet = deploy().await;
    let (a, _p) = run(&fleet, &fleet.caller().endpoint, &[], &[]);
    a.assert_code(1);
    assert_eq!(rows(&a), expected_rows(&fleet, &[0, 1, 2, 3, 4]));
    let mut ids = fleet.ids();
    ids.sort();
    let accounts: Vec<Value> = ids
        .iter()
        .map(|id| {
            let i = fleet.accts.iter().position(|x| &x.id == id).unwrap();
            json!({"id": id, "summary": expected_summary(&fleet, i)})
        })
        .collect();
    assert_eq!(a.report["fleet"], json!({"accounts": accounts}));
    assert_eq!(a.report["summary"], summary(2, 4, 0));
    assert_eq!(a.report["account"], Value::Null);
    assert_eq!(a.report["errors"], json!([]));
    assert_eq!(
        a.report["coverage"]["requirements"],
        json!([{"profile": "fleet-s3", "requirement": "fleet-buckets", "read": 5, "unknown": 0, "listings_unread": 0}])
    );

    // another account than the caller's needs a role to assume: exit 2, no report
    let profile = audit::profile_file(PROFILE);
    let two = format!("{},{}", fleet.accts[0].id, fleet.accts[1].id);
    let no_role = audit::run(fleet.caller(), &[profile.path()], &["--accounts", &two]);
    no_role.assert_code(2);
    assert_eq!(no_role.stdout, "");
    assert_eq!(
        no_role.stderr.trim(),
        format!(
            "driftwatch: --role-name is needed to audit account {} (the caller's account is {}): the role to \
             assume in each account",
            fleet.accts[1].id, fleet.accts[0].id
        )
    );
    // a fleet with nothing left in it is not a clean fleet
    let none = audit::run(fleet.caller(), &[profile.path()], &["--accounts", &two, "--exclude-accounts", &two]);
    none.assert_code(2);
    assert_eq!(
        none.stderr.trim(),
        "driftwatch: no account to audit: the fleet is empty after --accounts and --exclude-accounts"
    );
    // a profile scoped by Organizations tags cannot be judged for accounts given by
    // --accounts alone (their tags were never read): refused, not left out
    let by_tag = audit::profile_file(&PROFILE.replacen(
        "[[requirement]]",
        "[profile.accounts]\ntags = { environment = \"prod\" }\n[[requirement]]",
        1,
    ));
    let unjudged = audit::run(fleet.caller(), &[by_tag.path()], &["--accounts", &two, "--role-name", ROLE]);
    unjudged.assert_code(2);
    assert_eq!(unjudged.stdout, "");
    assert_eq!(
        unjudged.stderr.trim(),
        format!(
            "driftwatch: profile `fleet-s3` ({}) is scoped by Organizations tags, which only --organization reads; \
             account {} was given by --accounts alone, so whether the profile applies to it is unknown: add \
             --organization (--accounts then narrows the organization's accounts) or scope the profile by `ids`",
            by_tag.path(),
            [&fleet.accts[0].id, &fleet.accts[1].id].into_iter().min().unwrap()
        )
    );
    // the caller's own account alone needs none
    let own = audit::run(fleet.caller(), &[profile.path()], &["--accounts", &fleet.accts[0].id]);
    own.assert_code(0);
    assert_eq!(rows(&own), expected_rows(&fleet, &[0]));

    // the table: a heading per account, its findings under it, its summary after them
    let (t, _p) = run(&fleet, &fleet.caller().endpoint, &["--format", "table"], &[]);
    t.assert_code(1);
    let headings: Vec<&str> = t.stdout.lines().filter(|l| l.starts_with("account ") && l.contains(" pass, ")).collect();
    let want: Vec<String> = ids
        .iter()
        .map(|id| {
            let i = fleet.accts.iter().position(|x| &x.id == id).unwrap();
            let s = expected_summary(&fleet, i);
            format!("account {id}: {} pass, {} drift, 0 waived, 0 unknown, 0 not applicable", s["pass"], s["drift"])
        })
        .collect();
    assert_eq!(headings, want, "{}", t.stdout);
    let last = t.stdout.lines().rev().find(|l| l.contains(" account(s)")).unwrap();
    assert!(
        last.starts_with("2 pass, 4 drift, 0 waived, 0 unknown, 0 not applicable — 5 account(s), regions -, "),
        "{last}"
    );
}

#[tokio::test]
async fn fleet_account_whose_role_is_refused_is_unknown_and_the_rest_complete() {
    let fleet = deploy().await;
    let denied = fleet.accts[3].id.clone();
    // STS refuses AssumeRole into that account only (its id is in the RoleArn)
    let rules =
        vec![Rule::new(Fault::AccessDenied, When::Contains(denied.clone())).service("sts").operation("AssumeRole")];
    let proxy = FaultProxy::start(&fleet.caller().endpoint, rules, 17);
    let (a, _p) = run(&fleet, &proxy.url, &[], &[]);
    a.assert_code(1);
    let role = format!("arn:aws:iam::{denied}:role/{ROLE}");
    let why = format!(
        "sts:AssumeRole of {role} failed with AccessDenied: AccessDenied injected by the driftwatch test proxy"
    );
    let mut fleet_expected = fleet.expected.clone();
    fleet_expected[3] = vec![(None, "unknown", vec![])];
    let f =
        Fleet { accts: fleet.accts.iter().map(|x| Env::new(&x.endpoint, &x.id)).collect(), expected: fleet_expected };
    assert_eq!(rows(&a), expected_rows(&f, &[0, 1, 2, 3, 4]));
    let finding = a.report["findings"].as_array().unwrap().iter().find(|x| x["account"] == denied.as_str()).unwrap();
    assert_eq!(finding["message"], json!(format!("account {denied}: {why}; nothing in this account could be read")));
    assert_eq!(
        finding["checks"],
        json!([{"field": "account", "expected": denied, "observed": null, "ok": null,
                "error": "sts:AssumeRole in us-east-1 failed with AccessDenied"}])
    );
    // the denied account names why; the four others are as in a clean run
    let mut ids = fleet.ids();
    ids.sort();
    let accounts: Vec<Value> = ids
        .iter()
        .map(|id| match fleet.accts.iter().position(|x| &x.id == id).unwrap() {
            3 => json!({"id": id, "summary": summary(0, 0, 1), "error": why}),
            i => json!({"id": id, "summary": expected_summary(&fleet, i)}),
        })
        .collect();
    assert_eq!(a.report["fleet"], json!({"accounts": accounts}));
    assert_eq!(
        a.report["errors"],
        json!([{"account": denied, "service": "sts", "region": "us-east-1", "operation": "AssumeRole",
                "resource": role, "code": "AccessDenied",
                "message": "AccessDenied injected by the driftwatch test proxy"}])
    );
    assert_eq!(a.report["summary"], summary(2, 3, 1));
}

#[tokio::test]
async fn fleet_shards_cover_the_unsharded_findings_each_account_once() {
    let fleet = deploy().await;
    let (whole, _p) = run(&fleet, &fleet.caller().endpoint, &[], &[]);
    whole.assert_code(1);
    let mut ids = fleet.ids();
    ids.sort();
    // the flag, a Kubernetes Indexed Job's variables, an AWS Batch array job's
    for by_env in ["flag", "kubernetes", "batch"] {
        let mut union = Vec::new();
        let mut audited: Vec<String> = Vec::new();
        for index in 0..3 {
            let flag = format!("{index}/3");
            let i = index.to_string();
            let (a, _p) = match by_env {
                "flag" => run(&fleet, &fleet.caller().endpoint, &["--shard", &flag], &[]),
                "kubernetes" => {
                    let env = [("JOB_COMPLETION_INDEX", i.as_str()), ("DRIFTWATCH_SHARD_COUNT", "3")];
                    run(&fleet, &fleet.caller().endpoint, &[], &env)
                }
                _ => {
                    let env = [("AWS_BATCH_JOB_ARRAY_INDEX", i.as_str()), ("AWS_BATCH_JOB_ARRAY_SIZE", "3")];
                    run(&fleet, &fleet.caller().endpoint, &[], &env)
                }
            };
            let shard = &a.report["fleet"]["shard"];
            assert_eq!(shard, &json!({"index": index, "count": 3, "fleet_accounts": ids}), "{}", a.stderr);
            // shard i holds the sorted ids at positions i, i+3
            let want: Vec<String> = ids.iter().skip(index).step_by(3).cloned().collect();
            let got: Vec<String> = a.report["fleet"]["accounts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["id"].as_str().unwrap().to_string())
                .collect();
            assert_eq!(got, want, "shard {index}/3 (env {by_env})");
            audited.extend(got);
            union.extend(rows(&a));
        }
        audited.sort();
        assert_eq!(audited, ids, "each account in exactly one shard (env {by_env})");
        union.sort();
        let mut all = rows(&whole);
        all.sort();
        assert_eq!(union, all, "the shards' findings are the unsharded run's (env {by_env})");
    }
}

/// Each account has its own request bound: with one request in flight per account
/// (`--concurrency 1`), two accounts whose bucket read each takes 3 s are read at
/// the same time, and the other accounts are not held up behind them. Were the
/// bound shared, the two slow reads alone would take 6 s in a row.
#[tokio::test]
async fn fleet_slow_accounts_do_not_hold_up_the_others() {
    let fleet = deploy().await;
    let slow = [fleet.accts[1].bucket("fleet-b"), fleet.accts[2].bucket("fleet-c")];
    let rules = slow
        .iter()
        .map(|b| {
            Rule::new(Fault::Hang(std::time::Duration::from_secs(3)), When::Always)
                .service("s3")
                .bucket(b)
                .operation("GetBucketEncryption")
        })
        .collect();
    let proxy = FaultProxy::start(&fleet.caller().endpoint, rules, 5);
    let (a, _p) = run(&fleet, &proxy.url, &["--concurrency", "1", "--account-concurrency", "5"], &[]);
    a.assert_code(1);
    assert_eq!(rows(&a), expected_rows(&fleet, &[0, 1, 2, 3, 4]));
    let hung = proxy.seen().iter().filter(|s| s.faulted.is_some()).count();
    assert_eq!(hung, 2, "both slow reads were made");
    let ms = a.report["duration_ms"].as_u64().unwrap();
    assert!((3000..5800).contains(&ms), "the slow accounts were read at the same time: {ms} ms");
}
