//! Every field of its kinds seen drifting on a resource that exists but is
//! misconfigured, next to one that passes, through the live collector.
//!
//! Each proof deploys a compliant resource (`…-ok…`) and one misconfigured in the
//! proven field only (`…-bad…`), both under a prefix of their own, and audits the
//! prefix. Fields that choose candidates (alarm namespace, metric and dimensions,
//! config rule source identifier) cannot drift on a resource: a resource that
//! does not match is no candidate, so their drift is the `count` finding of a
//! `match = "any"` requirement that names the misconfigured resource, next to
//! one that names the compliant resource and passes (see `chooser`).

mod deploy;

use super::{fresh, Proof};
use crate::support::audit::{self, row};
use crate::support::Account;
use deploy::{Alarm, Db, Table, Trail};
use serde_json::{json, Value};

/// (kind, field, the test in this file that proves it both ways live).
pub const PROVEN: &[(&str, &str, &str)] = &[
    ("cloudtrail.trail", "logging", "trail_logging"),
    ("cloudtrail.trail", "multi_region", "trail_multi_region"),
    ("cloudtrail.trail", "log_file_validation", "trail_log_file_validation"),
    ("cloudtrail.trail", "kms_encrypted", "trail_kms_encrypted"),
    ("cloudtrail.trail", "include_global_service_events", "trail_include_global_service_events"),
    ("cloudtrail.trail", "s3_bucket", "trail_s3_bucket"),
    ("cloudtrail.trail", "all_management_events", "trail_all_management_events"),
    ("cloudtrail.trail", "required_tags", "trail_required_tags"),
    ("cloudtrail.trail", "name_pattern", "trail_name_pattern"),
    ("cloudwatch.alarm", "namespace", "alarm_candidates"),
    ("cloudwatch.alarm", "metric_name", "alarm_candidates"),
    ("cloudwatch.alarm", "dimensions", "alarm_candidates"),
    ("cloudwatch.alarm", "statistic", "alarm_fields"),
    ("cloudwatch.alarm", "comparison", "alarm_fields"),
    ("cloudwatch.alarm", "threshold", "alarm_fields"),
    ("cloudwatch.alarm", "actions_enabled", "alarm_fields"),
    ("cloudwatch.alarm", "alarm_actions", "alarm_fields"),
    ("cloudwatch.alarm", "required_tags", "alarm_fields"),
    ("cloudwatch.alarm", "name_pattern", "alarm_fields"),
    ("config.rule", "source_identifier", "config_rule_fields"),
    ("config.rule", "recorder_on", "config_rule_fields"),
    ("config.rule", "required_tags", "config_rule_fields"),
    ("config.rule", "name_pattern", "config_rule_fields"),
    ("dynamodb.table", "sse_kms", "table_fields"),
    ("dynamodb.table", "kms_key_arn", "table_fields"),
    ("dynamodb.table", "point_in_time_recovery", "table_fields"),
    ("dynamodb.table", "deletion_protection", "table_fields"),
    ("dynamodb.table", "replica_regions", "table_fields"),
    ("dynamodb.table", "required_tags", "table_fields"),
    ("dynamodb.table", "name_pattern", "table_fields"),
    ("lambda.function", "runtime", "function_fields"),
    ("lambda.function", "env_encrypted_with_cmk", "function_fields"),
    ("lambda.function", "kms_key_arn", "function_fields"),
    ("lambda.function", "required_tags", "function_fields"),
    ("lambda.function", "name_pattern", "function_fields"),
    ("rds.instance", "engine", "db_fields"),
    ("rds.instance", "storage_encrypted", "db_fields"),
    ("rds.instance", "publicly_accessible", "db_fields"),
    ("rds.instance", "private_subnets", "db_fields"),
    ("rds.instance", "backup_retention_days", "db_fields"),
    ("rds.instance", "deletion_protection", "db_fields"),
    ("rds.instance", "multi_az", "db_fields"),
    ("rds.instance", "read_replicas", "db_fields"),
    ("rds.instance", "replica_regions", "db_fields"),
    ("rds.instance", "required_tags", "db_fields"),
    ("rds.instance", "name_pattern", "db_fields"),
];

const REGION: &str = "us-east-1";

/// One field of a kind proven on the pair `{prefix}-ok…` / `{prefix}-bad…`.
fn proof(acct: &Account, kind: &str, prefix: &str, expect: &str, pass: &str, drift: &str, observed: Value) {
    let field = expect.split([' ', '=']).next().unwrap_or_default();
    Proof {
        kind,
        field,
        select: &format!("{{ name_prefix = \"{prefix}-\" }}"),
        expect,
        region: REGION,
        pass,
        drift,
        drift_observed: observed,
    }
    .check(acct);
}

/// Runs every proof, then fails with all that failed (one field's failure does
/// not hide another's).
fn all(proofs: Vec<(&str, Box<dyn FnOnce() + '_>)>) {
    let failed: Vec<String> = proofs
        .into_iter()
        .filter_map(|(field, run)| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).err().map(|e| {
                let msg = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                format!("{field}: {msg}")
            })
        })
        .collect();
    assert!(failed.is_empty(), "fields that failed:\n{}", failed.join("\n\n"));
}

/// A field that chooses candidates, proven both ways in one audit: requirement
/// `pass` names the compliant resource and passes on it; requirement `drift`
/// names the misconfigured one, which is then no candidate, so the requirement
/// (`match = "any"`, `min_count = 1`) drifts on its count: 0 seen.
fn chooser(acct: &Account, kind: &str, regions: &str, names: (&str, &str), expect: &str, pass_id: &str) {
    let req = |id: &str, name: &str| {
        format!(
            "[[requirement]]\nid = \"{id}\"\nkind = \"{kind}\"\nmatch = \"any\"\nmin_count = 1\nselect = {{ name = \"{name}\" }}\n[requirement.expect]\n{expect}\n"
        )
    };
    let text = format!(
        "[profile]\nname = \"fields\"\nregions = [{regions}]\n{}{}",
        req("drift", names.1),
        req("pass", names.0)
    );
    let profile = audit::profile_file(&text);
    let a = audit::run(acct, &[profile.path()], &[]);
    a.assert_code(1);
    assert_eq!(a.rows(), [row("drift", None, "drift"), row("pass", Some(pass_id), "pass")], "{kind}: {expect}");
    let checks = |req: &str, res: Option<&str>| -> Vec<(Value, Value, Value)> {
        a.finding(req, res)["checks"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|c| (c["field"].clone(), c["observed"].clone(), c["ok"].clone()))
            .collect()
    };
    assert_eq!(checks("drift", None), [(json!("count"), json!(0), json!(false))], "{kind}: {expect}");
    let field = expect.split([' ', '=']).next().unwrap_or_default();
    let passed: Vec<(Value, Value)> = checks("pass", Some(pass_id)).into_iter().map(|(f, _, ok)| (f, ok)).collect();
    assert_eq!(passed, [(json!(field), json!(true))], "{kind}: {expect}");
    assert_eq!(a.report["errors"], json!([]));
    assert_eq!(a.report["summary"], json!({"pass": 1, "drift": 1, "unknown": 0, "not_applicable": 0, "waived": 0}));
}

// ---- cloudtrail.trail: AWS allows five trails a region, so one account a field ----

/// Deploys `{p}-ok-us-east-1` (compliant in every field) and `{p}-bad-us-east-1`
/// (or `drift_name`), changed by `bad`, and proves `expect` on them.
async fn trail_proof(p: &str, expect: &str, bad: impl FnOnce(&mut Trail), drift_name: Option<&str>, observed: Value) {
    let acct = fresh();
    let ok = format!("{p}-ok-us-east-1");
    let drift = drift_name.map(str::to_string).unwrap_or_else(|| format!("{p}-bad-us-east-1"));
    let base = Trail::compliant(&acct).await;
    let mut other = base.clone();
    bad(&mut other);
    base.create(&acct, &ok).await;
    other.create(&acct, &drift).await;
    let arn = |n: &str| format!("arn:aws:cloudtrail:{REGION}:{}:trail/{n}", acct.id);
    proof(&acct, "cloudtrail.trail", p, expect, &arn(&ok), &arn(&drift), observed);
}

#[tokio::test]
async fn trail_logging() {
    trail_proof("log", "logging = true", |t| t.logging = false, None, json!(false)).await;
}

#[tokio::test]
async fn trail_multi_region() {
    trail_proof("mr", "multi_region = true", |t| t.multi_region = false, None, json!(false)).await;
}

#[tokio::test]
async fn trail_log_file_validation() {
    trail_proof("lfv", "log_file_validation = true", |t| t.validation = false, None, json!(false)).await;
}

#[tokio::test]
async fn trail_kms_encrypted() {
    trail_proof("kms", "kms_encrypted = true", |t| t.kms_key = None, None, json!(false)).await;
}

#[tokio::test]
async fn trail_include_global_service_events() {
    let expect = "include_global_service_events = true";
    // AWS refuses a multi-region trail without global service events
    // (InvalidParameterCombinationException): the misconfigured one is single-region
    let bad = |t: &mut Trail| {
        t.global_events = false;
        t.multi_region = false;
    };
    trail_proof("glob", expect, bad, None, json!(false)).await;
}

#[tokio::test]
async fn trail_s3_bucket() {
    // the bucket names carry the account id: the expectation is built here
    let acct = fresh();
    let base = Trail::compliant(&acct).await;
    let mut other = base.clone();
    other.bucket = other.other_bucket.clone();
    let (ok, bad) = ("s3-ok-us-east-1", "s3-bad-us-east-1");
    base.create(&acct, ok).await;
    other.create(&acct, bad).await;
    let arn = |n: &str| format!("arn:aws:cloudtrail:{REGION}:{}:trail/{n}", acct.id);
    let expect = format!("s3_bucket = \"{}\"", base.bucket);
    proof(&acct, "cloudtrail.trail", "s3", &expect, &arn(ok), &arn(bad), json!(base.other_bucket));
}

#[tokio::test]
async fn trail_all_management_events() {
    let expect = "all_management_events = true";
    let observed = json!("read only management events");
    trail_proof("mgmt", expect, |t| t.read_only = true, None, observed).await;
}

#[tokio::test]
async fn trail_required_tags() {
    let expect = "required_tags = { Owner = \"platform\" }";
    let observed = json!({"Owner": "data"});
    trail_proof("tag", expect, |t| t.owner = "data".into(), None, observed).await;
}

#[tokio::test]
async fn trail_name_pattern() {
    // {region} must be the trail's own (home) region
    let expect = "name_pattern = \"np-{role}-{region}\"";
    let observed = json!("np-bad-eu-west-1");
    trail_proof("np", expect, |_| {}, Some("np-bad-eu-west-1"), observed).await;
}

// ---- cloudwatch.alarm ----

#[tokio::test]
async fn alarm_candidates() {
    let acct = fresh();
    let ok = Alarm::compliant(&acct);
    ok.put(&acct, "cand-ok").await;
    let mut ns = ok.clone();
    ns.namespace = "AWS/RDS".into();
    ns.put(&acct, "cand-ns").await;
    let mut metric = ok.clone();
    metric.metric = "NetworkIn".into();
    metric.put(&acct, "cand-metric").await;
    let mut dims = ok.clone();
    dims.dimension = ("AutoScalingGroupName".into(), "batch".into());
    dims.put(&acct, "cand-dims").await;
    let arn = format!("arn:aws:cloudwatch:{REGION}:{}:alarm:cand-ok", acct.id);
    let region = format!("\"{REGION}\"");
    all(vec![
        (
            "namespace",
            Box::new(|| {
                chooser(&acct, "cloudwatch.alarm", &region, ("cand-ok", "cand-ns"), "namespace = \"AWS/EC2\"", &arn)
            }),
        ),
        (
            "metric_name",
            Box::new(|| {
                let expect = "metric_name = \"CPUUtilization\"";
                chooser(&acct, "cloudwatch.alarm", &region, ("cand-ok", "cand-metric"), expect, &arn)
            }),
        ),
        (
            "dimensions",
            Box::new(|| {
                let expect = "dimensions = { AutoScalingGroupName = \"web\" }";
                chooser(&acct, "cloudwatch.alarm", &region, ("cand-ok", "cand-dims"), expect, &arn)
            }),
        ),
    ]);
}

#[tokio::test]
async fn alarm_fields() {
    let acct = fresh();
    let ok = Alarm::compliant(&acct);
    let cases: Vec<(&str, &str, Box<dyn Fn(&mut Alarm)>, Value)> = vec![
        ("st", "statistic = \"Average\"", Box::new(|a| a.statistic = "Maximum".into()), json!("Maximum")),
        ("cmp", "comparison = \">=\"", Box::new(|a| a.greater_only = true), json!("GreaterThanThreshold")),
        ("thr", "threshold = { at_most = 80 }", Box::new(|a| a.threshold = 95.0), json!(95.0)),
        ("ae", "actions_enabled = true", Box::new(|a| a.actions_enabled = false), json!(false)),
        ("aa", "alarm_actions = true", Box::new(|a| a.with_action = false), json!([])),
        (
            "tag",
            "required_tags = { Owner = \"platform\" }",
            Box::new(|a| a.owner = "data".into()),
            json!({"Owner": "data"}),
        ),
        ("np", "name_pattern = \"np-{role}-{region}\"", Box::new(|_| {}), json!("np-bad-eu-west-1")),
    ];
    let mut proofs: Vec<(&str, Box<dyn FnOnce() + '_>)> = Vec::new();
    for (p, expect, bad, observed) in cases {
        let okn = format!("{p}-ok-us-east-1");
        let badn = if p == "np" { "np-bad-eu-west-1".to_string() } else { format!("{p}-bad-us-east-1") };
        ok.put(&acct, &okn).await;
        let mut other = ok.clone();
        bad(&mut other);
        other.put(&acct, &badn).await;
        let arn = |n: &str| format!("arn:aws:cloudwatch:{REGION}:{}:alarm:{n}", acct.id);
        let (pass, drift) = (arn(&okn), arn(&badn));
        let acct = &acct;
        proofs.push((expect, Box::new(move || proof(acct, "cloudwatch.alarm", p, expect, &pass, &drift, observed))));
    }
    all(proofs);
}

// ---- config.rule ----

#[tokio::test]
async fn config_rule_fields() {
    let acct = fresh();
    // us-east-1 records; us-west-2 has a recorder (PutConfigRule needs one) that
    // was never started
    deploy::config_region(&acct, REGION, true).await;
    deploy::config_region(&acct, "us-west-2", false).await;
    let s3_rule = "S3_BUCKET_PUBLIC_READ_PROHIBITED";
    let rules = [
        ("si-ok", s3_rule, REGION, "platform"),
        ("si-bad", "ENCRYPTED_VOLUMES", REGION, "platform"),
        ("rec-ok", s3_rule, REGION, "platform"),
        ("rec-bad", s3_rule, "us-west-2", "platform"),
        ("tag-ok", s3_rule, REGION, "platform"),
        ("tag-bad", s3_rule, REGION, "data"),
        ("np-ok-us-east-1", s3_rule, REGION, "platform"),
        ("np-bad-eu-west-1", s3_rule, REGION, "platform"),
    ];
    for (name, source, region, owner) in rules {
        deploy::config_rule(&acct, region, name, source, owner).await;
    }
    let arn = deploy::config_rule_arns(&acct, &[REGION, "us-west-2"]).await;
    let both = format!("\"{REGION}\", \"us-west-2\"");
    all(vec![
        (
            "source_identifier",
            Box::new(|| {
                let expect = format!("source_identifier = \"{s3_rule}\"");
                chooser(&acct, "config.rule", &format!("\"{REGION}\""), ("si-ok", "si-bad"), &expect, &arn("si-ok"))
            }),
        ),
        (
            "recorder_on",
            Box::new(|| {
                // the Proof's one region is written into `regions = [...]`: both
                Proof {
                    kind: "config.rule",
                    field: "recorder_on",
                    select: "{ name_prefix = \"rec-\" }",
                    expect: "recorder_on = true",
                    region: &both[1..both.len() - 1],
                    pass: &arn("rec-ok"),
                    drift: &arn("rec-bad"),
                    drift_observed: json!(false),
                }
                .check(&acct);
            }),
        ),
        (
            "required_tags",
            Box::new(|| {
                let expect = "required_tags = { Owner = \"platform\" }";
                let (pass, drift) = (arn("tag-ok"), arn("tag-bad"));
                proof(&acct, "config.rule", "tag", expect, &pass, &drift, json!({"Owner": "data"}))
            }),
        ),
        (
            "name_pattern",
            Box::new(|| {
                let expect = "name_pattern = \"np-{role}-{region}\"";
                let (pass, drift) = (arn("np-ok-us-east-1"), arn("np-bad-eu-west-1"));
                proof(&acct, "config.rule", "np", expect, &pass, &drift, json!("np-bad-eu-west-1"))
            }),
        ),
    ]);
}

// ---- dynamodb.table ----
// customer_managed_key is proven over recorded answers only
// (src/collect/dynamodb_tests.rs::an_aws_managed_table_key_is_not_the_customers):
// the emulator's DynamoDB names an aws/dynamodb key its KMS does not know, and
// its KMS calls that key CUSTOMER.

#[tokio::test]
async fn table_fields() {
    let acct = fresh();
    let key = deploy::key(&acct, REGION).await;
    let other_key = deploy::key(&acct, REGION).await;
    let ok = Table { key: Some(key.clone()), ..Table::compliant() };
    let kms_arn = format!("kms_key_arn = \"{key}\"");
    let cases: Vec<(&str, &str, Box<dyn Fn(&mut Table)>, Value)> = vec![
        // the default (AWS owned key): DescribeTable reports no SSEDescription
        ("sse", "sse_kms = true", Box::new(|t| t.sse = false), json!(null)),
        ("key", &kms_arn, Box::new(|t| t.key = Some(other_key.clone())), json!(other_key)),
        ("pitr", "point_in_time_recovery = true", Box::new(|t| t.pitr = false), json!(false)),
        ("dp", "deletion_protection = true", Box::new(|t| t.protect = false), json!(false)),
        (
            "rr",
            "replica_regions = [\"us-east-1\", \"us-west-2\"]",
            Box::new(|t| t.replica = None),
            json!(["us-east-1"]),
        ),
        (
            "tag",
            "required_tags = { Owner = \"platform\" }",
            Box::new(|t| t.owner = "data".into()),
            json!({"Owner": "data"}),
        ),
        ("np", "name_pattern = \"np-{role}-{region}\"", Box::new(|_| {}), json!("np-bad-eu-west-1")),
    ];
    let mut proofs: Vec<(&str, Box<dyn FnOnce() + '_>)> = Vec::new();
    for (p, expect, bad, observed) in cases {
        let okn = format!("{p}-ok-us-east-1");
        let badn = if p == "np" { "np-bad-eu-west-1".to_string() } else { format!("{p}-bad-us-east-1") };
        let mut this_ok = ok.clone();
        if p == "rr" {
            // default encryption: a replica of a table under a customer key
            // would need a key of the replica's region
            this_ok = Table { sse: false, key: None, replica: Some("us-west-2".into()), ..this_ok };
        }
        this_ok.create(&acct, &okn).await;
        let mut other = this_ok.clone();
        bad(&mut other);
        other.create(&acct, &badn).await;
        let arn = |n: &str| format!("arn:aws:dynamodb:{REGION}:{}:table/{n}", acct.id);
        let (pass, drift) = (arn(&okn), arn(&badn));
        let acct = &acct;
        proofs.push((expect, Box::new(move || proof(acct, "dynamodb.table", p, expect, &pass, &drift, observed))));
    }
    all(proofs);
}

// ---- lambda.function ----

#[tokio::test]
async fn function_fields() {
    use aws_sdk_lambda::types::Runtime;
    let acct = fresh();
    let key = deploy::key(&acct, REGION).await;
    let other_key = deploy::key(&acct, REGION).await;
    let kms_arn = format!("kms_key_arn = \"{key}\"");
    // (prefix, expect, bad runtime, bad key, bad owner, observed)
    let cases: Vec<(&str, &str, Runtime, Option<String>, &str, Value)> = vec![
        ("rt", "runtime = \"python3.12\"", Runtime::Python311, Some(key.clone()), "platform", json!("python3.11")),
        ("cmk", "env_encrypted_with_cmk = true", Runtime::Python312, None, "platform", json!(null)),
        ("key", &kms_arn, Runtime::Python312, Some(other_key.clone()), "platform", json!(other_key)),
        (
            "tag",
            "required_tags = { Owner = \"platform\" }",
            Runtime::Python312,
            Some(key.clone()),
            "data",
            json!({"Owner": "data"}),
        ),
        (
            "np",
            "name_pattern = \"np-{role}-{region}\"",
            Runtime::Python312,
            Some(key.clone()),
            "platform",
            json!("np-bad-eu-west-1"),
        ),
    ];
    let mut proofs: Vec<(&str, Box<dyn FnOnce() + '_>)> = Vec::new();
    for (p, expect, runtime, bad_key, owner, observed) in cases {
        let okn = format!("{p}-ok-us-east-1");
        let badn = if p == "np" { "np-bad-eu-west-1".to_string() } else { format!("{p}-bad-us-east-1") };
        deploy::function(&acct, &okn, Runtime::Python312, Some(&key), "platform").await;
        deploy::function(&acct, &badn, runtime, bad_key.as_deref(), owner).await;
        let arn = |n: &str| format!("arn:aws:lambda:{REGION}:{}:function:{n}", acct.id);
        let (pass, drift) = (arn(&okn), arn(&badn));
        let acct = &acct;
        proofs.push((expect, Box::new(move || proof(acct, "lambda.function", p, expect, &pass, &drift, observed))));
    }
    all(proofs);
}

// ---- rds.instance ----

#[tokio::test]
async fn db_fields() {
    let acct = fresh();
    let net = deploy::db_network(&acct).await;
    let ok = Db::compliant();
    let cases: Vec<(&str, &str, Box<dyn Fn(&mut Db)>, Value)> = vec![
        ("eng", "engine = \"postgres\"", Box::new(|d| d.engine = "mysql".into()), json!("mysql")),
        ("enc", "storage_encrypted = true", Box::new(|d| d.encrypted = false), json!(false)),
        ("pub", "publicly_accessible = false", Box::new(|d| d.public = true), json!(true)),
        (
            "ps",
            "private_subnets = true",
            Box::new(|d| d.subnet_group = Some("mixed".into())),
            json!({"public": [net.public]}),
        ),
        ("bk", "backup_retention_days = { at_least = 7 }", Box::new(|d| d.backup_days = 1), json!(1)),
        ("dp", "deletion_protection = true", Box::new(|d| d.protect = false), json!(false)),
        ("maz", "multi_az = true", Box::new(|d| d.multi_az = false), json!(false)),
        ("rep", "read_replicas = { at_least = 1 }", Box::new(|d| d.replica = None), json!([])),
        ("rr", "replica_regions = [\"us-west-2\"]", Box::new(|d| d.replica = None), json!([])),
        (
            "tag",
            "required_tags = { Owner = \"platform\" }",
            Box::new(|d| d.owner = "data".into()),
            json!({"Owner": "data"}),
        ),
        ("np", "name_pattern = \"np-{role}-{region}\"", Box::new(|_| {}), json!("np-bad-eu-west-1")),
    ];
    let mut proofs: Vec<(&str, Box<dyn FnOnce() + '_>)> = Vec::new();
    for (p, expect, bad, observed) in cases {
        let okn = format!("{p}-ok-us-east-1");
        let badn = if p == "np" { "np-bad-eu-west-1".to_string() } else { format!("{p}-bad-us-east-1") };
        let mut this_ok = ok.clone();
        this_ok.replica = match p {
            "rep" => Some(REGION.into()),
            "rr" => Some("us-west-2".into()),
            _ => None,
        };
        if p == "ps" {
            this_ok.subnet_group = Some("private".into());
        }
        this_ok.create(&acct, &okn).await;
        let mut other = this_ok.clone();
        bad(&mut other);
        other.create(&acct, &badn).await;
        let arn = |n: &str| format!("arn:aws:rds:{REGION}:{}:db:{n}", acct.id);
        let (pass, drift) = (arn(&okn), arn(&badn));
        let acct = &acct;
        proofs.push((expect, Box::new(move || proof(acct, "rds.instance", p, expect, &pass, &drift, observed))));
    }
    all(proofs);
}
