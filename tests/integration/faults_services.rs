//! Faults for every collector through the fault proxy (issue 14): for each
//! service, a small deployment in a fresh account audited three times, clean,
//! with one operation persistently denied, and with a listing whose second page
//! fails. The expectations come from the clean run's rows (which are pinned
//! first) and from what each fault may touch: nothing else may change, and what
//! was not read is never `pass`.

use crate::samples::{self, Env, Result};
use crate::support::account;
use crate::support::audit::{self, profile_file, row, Audit};
use crate::support::faults::{Fault, FaultProxy, Rule, When, FAKE_TOKEN};
use serde_json::Value;
use std::io::{Read, Write};

const REGION: &str = "us-east-1";
type Row = (String, Option<String>, String);

/// One service's row of the table.
struct Case {
    /// The profile's text; its one requirement has the id `r`.
    profile: String,
    /// The deployed resources that the requirement selects, as text each
    /// resource id in the report contains, with its status in a clean run.
    resources: Vec<(String, &'static str)>,
    /// The signing name of the service (as the proxy and the report's errors name it).
    service: &'static str,
    /// The operation that is denied; with `target`, only its requests naming
    /// that text (one resource), else all of them.
    deny: &'static str,
    target: Option<String>,
    /// The resources (by `resources` text) the denial leaves unknown; none means
    /// the listing itself was denied and the requirement as a whole is unknown.
    denied: Vec<String>,
    /// What the error of a denied listing names as its resource (a zone).
    error_resource: Option<String>,
    /// The denied call reads several resources at once: one error, naming none.
    batched: bool,
    /// The fields of an affected finding that depend on the denied read.
    denied_fields: &'static [&'static str],
    /// A paginated per-resource read (of the `target` resource, or of all)
    /// whose second page fails, leaving the `denied` resources unknown.
    resource_page: Option<&'static str>,
    /// The paginated listing whose second page fails (None where the API has no
    /// pagination for the collector's listing).
    page: Option<&'static str>,
}

/// The name the service signs its requests with (the proxy's service), where it
/// is not the name the report gives it.
fn signing_name(service: &str) -> &str {
    match service {
        "cloudwatch" => "monitoring",
        other => other,
    }
}

/// The AccessDenied code of the service's protocol as the proxy answers it.
fn denied_code(service: &str) -> &'static str {
    match service {
        "s3" | "iam" | "sts" | "autoscaling" | "rds" | "elasticloadbalancing" | "sns" | "route53" | "cloudfront" => {
            "AccessDenied"
        }
        "ec2" => "UnauthorizedOperation",
        _ => "AccessDeniedException",
    }
}

fn sorted(mut rows: Vec<Row>) -> Vec<Row> {
    rows.sort();
    rows
}

/// (service, region, operation, code, resource) of every error, sorted.
fn errors(a: &Audit) -> Vec<(String, String, String, String, Option<String>)> {
    let list = a.report["errors"].as_array().unwrap_or_else(|| panic!("no errors list: {}", a.stderr));
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    let mut out: Vec<_> = list
        .iter()
        .map(|e| {
            (
                text(&e["service"]),
                text(&e["region"]),
                text(&e["operation"]),
                text(&e["code"]),
                e["resource"].as_str().map(str::to_string),
            )
        })
        .collect();
    out.sort();
    out
}

/// (field, error) of each check of a finding that carries an error.
fn check_errors(a: &Audit, resource: Option<&str>) -> Vec<(String, String)> {
    let f = a.finding("r", resource);
    f["checks"]
        .as_array()
        .map(|c| c.as_slice())
        .unwrap_or_default()
        .iter()
        .filter(|c| c["error"].is_string())
        .map(|c| (c["field"].as_str().unwrap_or("").to_string(), c["error"].as_str().unwrap_or("").to_string()))
        .collect()
}

/// Each finding as (status, region, [(field, ok, error)]), in report order.
fn shapes(a: &Audit) -> Vec<(String, Option<String>, Vec<(String, Value, Option<String>)>)> {
    let text = |v: &Value| v.as_str().map(str::to_string);
    a.report["findings"]
        .as_array()
        .map(|f| f.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|f| {
            let checks = f["checks"].as_array().map(|c| c.as_slice()).unwrap_or_default();
            let checks = checks
                .iter()
                .map(|c| (text(&c["field"]).unwrap_or_default(), c["ok"].clone(), text(&c["error"])))
                .collect();
            (text(&f["status"]).unwrap_or_default(), text(&f["region"]), checks)
        })
        .collect()
}

/// A listing that could not be read whole: the count is unknown, and the
/// region's resources are unknown with the failed call named.
fn assert_listing_unknown(a: &Audit, message: &str) {
    assert_eq!(a.rows(), [row("r", None, "unknown"), row("r", None, "unknown")], "{:#}", a.report);
    let count = ("count".to_string(), Value::Null, None);
    let listing = ("resources".to_string(), Value::Null, Some(message.to_string()));
    let want = vec![
        ("unknown".to_string(), None, vec![count]),
        ("unknown".to_string(), Some(REGION.to_string()), vec![listing]),
    ];
    assert_eq!(shapes(a), want, "{:#}", a.report);
}

/// Every request the proxy saw was named: a signed service and a known operation.
fn assert_classified(proxy: &FaultProxy) {
    let unnamed: Vec<(String, String, String)> = proxy
        .seen()
        .into_iter()
        .filter(|s| s.service.is_empty() || s.operation.is_empty() || s.operation == "Other")
        .map(|s| (s.service, s.operation, s.uri))
        .collect();
    assert_eq!(unnamed, [], "requests the proxy could not classify");
}

fn no_panic(a: &Audit) {
    assert!(!a.stderr.contains("panicked"), "driftwatch panicked:\n{}", a.stderr);
    assert!(a.report.is_object(), "no JSON report; stderr:\n{}", a.stderr);
}

/// Audits through a proxy with `rules` that make `op` fail with `code`, and
/// asserts that exactly the case's affected resources (or, with none, the
/// listing) turned unknown, naming the call, and that nothing else changed.
#[allow(clippy::too_many_arguments)]
fn read_fault(
    acct: &Env,
    profile: &audit::ProfileFile,
    case: &Case,
    rows: &[Row],
    id_of: &dyn Fn(&str) -> String,
    rules: Vec<Rule>,
    op: &str,
    code: &str,
) {
    let message = format!("{}:{op} in {REGION} failed with {code}", case.service);
    let proxy = FaultProxy::start(&acct.endpoint, rules, 14);
    let faulted = audit::run_at(acct, &proxy.url, &[profile.path()], &["--max-attempts", "2"], &[]);
    no_panic(&faulted);
    assert_classified(&proxy);
    let (want_rows, want_errors) = if case.denied.is_empty() {
        let err = (case.service.into(), REGION.into(), op.into(), code.into(), case.error_resource.clone());
        (vec![row("r", None, "unknown"), row("r", None, "unknown")], vec![err])
    } else {
        let affected: Vec<String> = case.denied.iter().map(|t| id_of(t)).collect();
        let rows = rows
            .iter()
            .map(|(r, res, s)| match res {
                Some(id) if affected.contains(id) => row(r, Some(id), "unknown"),
                _ => (r.clone(), res.clone(), s.clone()),
            })
            .collect();
        let errs = if case.batched {
            vec![(case.service.into(), REGION.into(), op.into(), code.into(), None)]
        } else {
            affected
                .iter()
                .map(|id| (case.service.into(), REGION.into(), op.into(), code.into(), Some(id.clone())))
                .collect()
        };
        (rows, errs)
    };
    // a drift anywhere makes the exit code 1, else the unknowns make it 3
    faulted.assert_code(if want_rows.iter().any(|r| r.2 == "drift") { 1 } else { 3 });
    assert_eq!(
        sorted(faulted.rows()),
        sorted(want_rows),
        "rows with {} failing: {:#} {:?}",
        op,
        faulted.report,
        proxy.seen()
    );
    assert_eq!(errors(&faulted), sorted_errs(want_errors), "errors with {op} failing");
    for t in &case.denied {
        let id = id_of(t);
        let want: Vec<(String, String)> = case.denied_fields.iter().map(|f| (f.to_string(), message.clone())).collect();
        assert_eq!(check_errors(&faulted, Some(&id)), want, "checks of {id}");
    }
    if case.denied.is_empty() {
        assert_listing_unknown(&faulted, &message);
    }
}

/// Runs the three audits of one case and asserts their exact rows and errors.
fn check(acct: &Env, case: Case) {
    let profile = profile_file(&case.profile);
    let clean = audit::run(acct, &[profile.path()], &["--max-attempts", "2"]);
    no_panic(&clean);
    // the clean rows: one per deployed resource, with the pinned status
    let rows = sorted(clean.rows());
    assert_eq!(rows.len(), case.resources.len(), "clean rows {rows:?} {:#}", clean.report);
    let mut ids = Vec::new();
    for (text, status) in &case.resources {
        let found: Vec<&Row> =
            rows.iter().filter(|(_, res, _)| res.as_deref().is_some_and(|r| r.contains(text.as_str()))).collect();
        assert_eq!(found.len(), 1, "one clean row for {text}: {rows:?} {:#}", clean.report);
        let id = found[0].1.clone().unwrap_or_default();
        assert_eq!(found[0], &row("r", Some(&id), status), "clean row of {text}");
        ids.push((text.clone(), id));
    }
    assert_eq!(errors(&clean), [], "clean run errors {:#}", clean.report);
    let id_of = |text: &str| ids.iter().find(|(t, _)| t.as_str() == text).map(|(_, id)| id.clone()).unwrap_or_default();

    // (a) persistent AccessDenied on one operation
    let when = case.target.clone().map_or(When::Always, When::Contains);
    let rule = Rule::new(Fault::AccessDenied, when).service(signing_name(case.service)).operation(case.deny);
    read_fault(acct, &profile, &case, &rows, &id_of, vec![rule], case.deny, denied_code(case.service));

    // (c) a per-resource read whose second page fails: its resources are unknown
    if let Some(op) = case.resource_page {
        let when = case.target.clone().map_or(When::Always, When::Contains);
        let rules = vec![
            Rule::new(Fault::Status(500), When::Contains(FAKE_TOKEN.into())),
            Rule::new(Fault::FakeNextPage, when).service(signing_name(case.service)).operation(op),
        ];
        read_fault(acct, &profile, &case, &rows, &id_of, rules, op, "InternalError");
    }

    // (b) the listing's first page announces a second one, whose fetch fails
    let Some(page) = case.page else { return };
    let rules = vec![
        Rule::new(Fault::Status(500), When::Contains(FAKE_TOKEN.into())),
        Rule::new(Fault::FakeNextPage, When::FirstN(1)).service(signing_name(case.service)).operation(page),
    ];
    let proxy = FaultProxy::start(&acct.endpoint, rules, 15);
    let paged = audit::run_at(acct, &proxy.url, &[profile.path()], &["--max-attempts", "2"], &[]);
    no_panic(&paged);
    assert_classified(&proxy);
    paged.assert_code(3);
    let faked: Vec<String> = proxy
        .seen()
        .iter()
        .filter(|s| s.faulted.as_deref() == Some("FakeNextPage"))
        .map(|s| s.operation.clone())
        .collect();
    assert_eq!(faked, [page], "the proxy rewrote the first page");
    assert_listing_unknown(&paged, &format!("{}:{page} in {REGION} failed with InternalError", case.service));
    let err = (case.service.to_string(), REGION.to_string(), page.to_string(), "InternalError".to_string(), None);
    assert_eq!(errors(&paged), [err], "errors with {page}'s second page failing");
}

fn res(list: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
    list.iter().map(|(t, s)| (t.to_string(), *s)).collect()
}

fn strs(list: &[&str]) -> Vec<String> {
    list.iter().map(|t| t.to_string()).collect()
}

fn sorted_errs<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v
}

/// A profile of one requirement `r` in us-east-1.
fn profile(kind: &str, select: &str, expect: &str) -> String {
    format!(
        "[profile]\nname = \"faults\"\nregions = [\"{REGION}\"]\n\n[[requirement]]\nid = \"r\"\nkind = \"{kind}\"\n\
         severity = \"high\"\n{select}min_count = 1\n[requirement.expect]\n{expect}\n"
    )
}

const TAGGED: &str = "required_tags = { team = \"core\" }";
const PREFIX: &str = "select = { name_prefix = \"fa-\" }\n";

// ---------------------------------------------------------------- deployers

async fn s3(env: &Env) -> Result {
    use aws_sdk_s3::types::{Tag, Tagging};
    let s3 = env.s3(REGION);
    for (stem, team) in [("fa-one", "core"), ("fa-two", "core"), ("fa-three", "web")] {
        let name = env.bucket(stem);
        samples::create_bucket_in(&s3, &name, REGION).await?;
        let tags = Tagging::builder().tag_set(Tag::builder().key("team").value(team).build()?).build()?;
        s3.put_bucket_tagging().bucket(&name).tagging(tags).send().await?;
    }
    Ok(())
}

#[tokio::test]
async fn s3_bucket_tags_denied_and_bucket_list_cut() {
    let acct = account();
    s3(&acct).await.unwrap();
    let one = acct.bucket("fa-one");
    check(
        &acct,
        Case {
            profile: profile("s3.bucket", PREFIX, TAGGED),
            resources: res(&[("fa-one", "pass"), ("fa-two", "pass"), ("fa-three", "drift")]),
            service: "s3",
            deny: "GetBucketTagging",
            target: Some(format!("/{one}/")),
            denied: strs(&["fa-one"]),
            batched: false,
            error_resource: None,
            denied_fields: &["required_tags"],
            resource_page: None,
            page: Some("ListBuckets"),
        },
    );
}

async fn iam(env: &Env) -> Result {
    let iam = env.iam();
    for name in ["fa-one", "fa-two"] {
        iam.create_user().user_name(name).send().await?;
    }
    Ok(())
}

#[tokio::test]
async fn iam_mfa_devices_denied_and_authorization_details_cut() {
    let acct = account();
    iam(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("iam.user", PREFIX, "require_mfa = true"),
            resources: res(&[("user/fa-one", "drift"), ("user/fa-two", "drift")]),
            service: "iam",
            deny: "ListMFADevices",
            target: Some("UserName=fa-one".into()),
            denied: strs(&["user/fa-one"]),
            batched: false,
            error_resource: None,
            denied_fields: &["require_mfa"],
            resource_page: Some("ListMFADevices"),
            page: Some("GetAccountAuthorizationDetails"),
        },
    );
}

async fn kms(env: &Env) -> Result<String> {
    use aws_sdk_kms::types::Tag;
    let kms = env.kms(REGION);
    let mut first = String::new();
    for team in ["core", "web"] {
        let tag = Tag::builder().tag_key("team").tag_value(team).build()?;
        let key = kms.create_key().description(format!("fa-{team}")).tags(tag).send().await?;
        let id = key.key_metadata().map(|m| m.key_id().to_string()).unwrap_or_default();
        kms.create_alias().alias_name(format!("alias/fa-{team}")).target_key_id(&id).send().await?;
        if first.is_empty() {
            first = id;
        }
    }
    Ok(first)
}

#[tokio::test]
async fn kms_key_tags_denied_and_key_list_cut() {
    let acct = account();
    let core = kms(&acct).await.unwrap();
    let web_id = {
        let keys = acct.kms(REGION).list_keys().send().await.unwrap();
        keys.keys().iter().filter_map(|k| k.key_id()).find(|k| *k != core).unwrap_or_default().to_string()
    };
    check(
        &acct,
        Case {
            profile: profile("kms.key", "", TAGGED),
            resources: vec![(core.clone(), "pass"), (web_id, "drift")],
            service: "kms",
            deny: "ListResourceTags",
            target: Some(core.clone()),
            denied: vec![core.clone()],
            batched: false,
            error_resource: None,
            denied_fields: &["required_tags"],
            resource_page: Some("ListResourceTags"),
            page: Some("ListKeys"),
        },
    );
}

async fn dynamodb(env: &Env) -> Result {
    use aws_sdk_dynamodb::types::*;
    let ddb = env.dynamodb(REGION);
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        ddb.create_table()
            .table_name(name)
            .attribute_definitions(
                AttributeDefinition::builder().attribute_name("pk").attribute_type(ScalarAttributeType::S).build()?,
            )
            .key_schema(KeySchemaElement::builder().attribute_name("pk").key_type(KeyType::Hash).build()?)
            .billing_mode(BillingMode::PayPerRequest)
            .tags(Tag::builder().key("team").value(team).build()?)
            .send()
            .await?;
    }
    Ok(())
}

#[tokio::test]
async fn dynamodb_table_tags_denied_and_table_list_cut() {
    let acct = account();
    dynamodb(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("dynamodb.table", PREFIX, TAGGED),
            resources: res(&[("table/fa-one", "pass"), ("table/fa-two", "drift")]),
            service: "dynamodb",
            deny: "ListTagsOfResource",
            target: Some("table/fa-one".into()),
            denied: strs(&["table/fa-one"]),
            batched: false,
            error_resource: None,
            denied_fields: &["required_tags"],
            resource_page: Some("ListTagsOfResource"),
            page: Some("ListTables"),
        },
    );
}

async fn sqs(env: &Env) -> Result {
    let sqs = env.sqs(REGION);
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        sqs.create_queue().queue_name(name).tags("team", team).send().await?;
    }
    Ok(())
}

#[tokio::test]
async fn sqs_queue_tags_denied_and_queue_list_cut() {
    let acct = account();
    sqs(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("sqs.queue", PREFIX, TAGGED),
            resources: res(&[(":fa-one", "pass"), (":fa-two", "drift")]),
            service: "sqs",
            deny: "ListQueueTags",
            target: Some("/fa-one".into()),
            denied: strs(&[":fa-one"]),
            batched: false,
            error_resource: None,
            denied_fields: &["required_tags"],
            resource_page: None,
            page: Some("ListQueues"),
        },
    );
}

async fn sns(env: &Env) -> Result {
    let sns = env.sns(REGION);
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        let tag = aws_sdk_sns::types::Tag::builder().key("team").value(team).build()?;
        sns.create_topic().name(name).tags(tag).send().await?;
    }
    Ok(())
}

#[tokio::test]
async fn sns_topic_tags_denied_and_topic_list_cut() {
    let acct = account();
    sns(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("sns.topic", PREFIX, TAGGED),
            resources: res(&[(":fa-one", "pass"), (":fa-two", "drift")]),
            service: "sns",
            deny: "ListTagsForResource",
            target: Some("%3Afa-one".into()),
            denied: strs(&[":fa-one"]),
            batched: false,
            error_resource: None,
            denied_fields: &["required_tags"],
            resource_page: None,
            page: Some("ListTopics"),
        },
    );
}

async fn logs(env: &Env) -> Result {
    let logs = env.logs(REGION);
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        logs.create_log_group().log_group_name(name).tags("team", team).send().await?;
    }
    Ok(())
}

#[tokio::test]
async fn logs_group_tags_denied_and_group_list_cut() {
    let acct = account();
    logs(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("logs.log_group", PREFIX, TAGGED),
            resources: res(&[(":fa-one", "pass"), (":fa-two", "drift")]),
            service: "logs",
            deny: "ListTagsForResource",
            target: Some("log-group:fa-one".into()),
            denied: strs(&[":fa-one"]),
            batched: false,
            error_resource: None,
            denied_fields: &["required_tags"],
            resource_page: None,
            page: Some("DescribeLogGroups"),
        },
    );
}

async fn secrets(env: &Env) -> Result {
    let sm = env.secretsmanager(REGION);
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        let tag = aws_sdk_secretsmanager::types::Tag::builder().key("team").value(team).build();
        sm.create_secret().name(name).secret_string("not-a-secret").tags(tag).send().await?;
    }
    Ok(())
}

#[tokio::test]
async fn secretsmanager_list_denied_and_cut() {
    let acct = account();
    secrets(&acct).await.unwrap();
    // ListSecrets carries the tags: it is the collector's only read
    check(
        &acct,
        Case {
            profile: profile("secretsmanager.secret", PREFIX, TAGGED),
            resources: res(&[(":fa-one", "pass"), (":fa-two", "drift")]),
            service: "secretsmanager",
            deny: "ListSecrets",
            target: None,
            denied: strs(&[]),
            batched: false,
            error_resource: None,
            denied_fields: &[],
            resource_page: None,
            page: Some("ListSecrets"),
        },
    );
}

async fn alarms(env: &Env) -> Result {
    use aws_sdk_cloudwatch::types::*;
    let cw = env.cloudwatch(REGION);
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        cw.put_metric_alarm()
            .alarm_name(name)
            .namespace("AWS/EC2")
            .metric_name("CPUUtilization")
            .dimensions(Dimension::builder().name("AutoScalingGroupName").value(name).build())
            .statistic(Statistic::Average)
            .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
            .threshold(80.0)
            .period(300)
            .evaluation_periods(1)
            .send()
            .await?;
        let arn = format!("arn:aws:cloudwatch:{REGION}:{}:alarm:{name}", env.id);
        cw.tag_resource().resource_arn(arn).tags(Tag::builder().key("team").value(team).build()).send().await?;
    }
    Ok(())
}

#[tokio::test]
async fn cloudwatch_alarm_tags_denied_and_alarm_list_cut() {
    let acct = account();
    alarms(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("cloudwatch.alarm", PREFIX, TAGGED),
            resources: res(&[(":fa-one", "pass"), (":fa-two", "drift")]),
            service: "cloudwatch",
            deny: "ListTagsForResource",
            target: Some("alarm:fa-one".into()),
            denied: strs(&[":fa-one"]),
            batched: false,
            error_resource: None,
            denied_fields: &["required_tags"],
            resource_page: None,
            page: Some("DescribeAlarms"),
        },
    );
}

/// A managed rule tagged team=core; returns its ARN.
async fn config_rule(env: &Env) -> Result<String> {
    let bucket = env.bucket("fa-config");
    samples::create_bucket_in(&env.s3(REGION), &bucket, REGION).await?;
    samples::config_rules(env, REGION, &bucket, &[("fa-one", "S3_BUCKET_VERSIONING_ENABLED")]).await?;
    let cfg = env.config_service(REGION);
    let rules = cfg.describe_config_rules().config_rule_names("fa-one").send().await?;
    let arn = rules.config_rules().first().and_then(|r| r.config_rule_arn()).unwrap_or_default().to_string();
    let tag = aws_sdk_config::types::Tag::builder().key("team").value("core").build();
    cfg.tag_resource().resource_arn(&arn).tags(tag).send().await?;
    Ok(arn)
}

#[tokio::test]
async fn config_rule_tags_denied_and_rule_list_cut() {
    let acct = account();
    let arn = config_rule(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("config.rule", PREFIX, TAGGED),
            resources: vec![(arn.clone(), "pass")],
            service: "config",
            deny: "ListTagsForResource",
            target: None,
            denied: vec![arn.clone()],
            batched: false,
            error_resource: None,
            denied_fields: &["required_tags"],
            resource_page: Some("ListTagsForResource"),
            page: Some("DescribeConfigRules"),
        },
    );
}

/// Two VPCs with a security group each; returns (VPC ids, group ids).
async fn vpcs(env: &Env) -> Result<(Vec<String>, Vec<String>)> {
    use aws_sdk_ec2::types::*;
    let ec2 = env.ec2(REGION);
    let (mut vpc_ids, mut group_ids) = (Vec::new(), Vec::new());
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        let tags = TagSpecification::builder()
            .resource_type(ResourceType::Vpc)
            .tags(Tag::builder().key("Name").value(name).build())
            .tags(Tag::builder().key("team").value(team).build())
            .build();
        let cidr = if name == "fa-one" { "10.41.0.0/16" } else { "10.42.0.0/16" };
        let vpc = ec2.create_vpc().cidr_block(cidr).tag_specifications(tags).send().await?;
        let id = vpc.vpc().and_then(|v| v.vpc_id()).unwrap_or_default().to_string();
        let tags = TagSpecification::builder()
            .resource_type(ResourceType::SecurityGroup)
            .tags(Tag::builder().key("team").value(team).build())
            .build();
        let group = ec2
            .create_security_group()
            .group_name(name)
            .description("faults")
            .vpc_id(&id)
            .tag_specifications(tags)
            .send()
            .await?;
        group_ids.push(group.group_id().unwrap_or_default().to_string());
        vpc_ids.push(id);
    }
    Ok((vpc_ids, group_ids))
}

#[tokio::test]
async fn ec2_vpc_list_denied_and_cut() {
    let acct = account();
    let (v, _) = vpcs(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("ec2.vpc", PREFIX, TAGGED),
            resources: vec![(v[0].clone(), "pass"), (v[1].clone(), "drift")],
            service: "ec2",
            deny: "DescribeVpcs",
            target: None,
            denied: strs(&[]),
            batched: false,
            error_resource: None,
            denied_fields: &[],
            resource_page: None,
            page: Some("DescribeVpcs"),
        },
    );
}

#[tokio::test]
async fn ec2_flow_logs_denied_and_cut() {
    use aws_sdk_ec2::types::{FlowLogsResourceType, TrafficType};
    let acct = account();
    let (v, _) = vpcs(&acct).await.unwrap();
    acct.ec2(REGION)
        .create_flow_logs()
        .resource_ids(&v[0])
        .resource_type(FlowLogsResourceType::Vpc)
        .traffic_type(TrafficType::All)
        .log_group_name("fa-flow")
        .deliver_logs_permission_arn(format!("arn:aws:iam::{}:role/fa-flow", acct.id))
        .send()
        .await
        .unwrap();
    // DescribeFlowLogs reads the region's flow logs at once: one error, and
    // every VPC's flow_logs unknown
    check(
        &acct,
        Case {
            profile: profile("ec2.vpc", PREFIX, "flow_logs = true"),
            resources: vec![(v[0].clone(), "pass"), (v[1].clone(), "drift")],
            service: "ec2",
            deny: "DescribeFlowLogs",
            target: None,
            denied: vec![v[0].clone(), v[1].clone()],
            batched: true,
            error_resource: None,
            denied_fields: &["flow_logs"],
            resource_page: Some("DescribeFlowLogs"),
            page: None,
        },
    );
}

#[tokio::test]
async fn ec2_security_group_list_denied_and_cut() {
    let acct = account();
    let (_, g) = vpcs(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("ec2.security_group", PREFIX, TAGGED),
            resources: vec![(g[0].clone(), "pass"), (g[1].clone(), "drift")],
            service: "ec2",
            deny: "DescribeSecurityGroups",
            target: None,
            denied: strs(&[]),
            batched: false,
            error_resource: None,
            denied_fields: &[],
            resource_page: None,
            page: Some("DescribeSecurityGroups"),
        },
    );
}

async fn functions(env: &Env) -> Result {
    use aws_sdk_lambda::types::Runtime;
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        samples::serverless::function(env, name, Runtime::Python312, None).await?;
        let arn = format!("arn:aws:lambda:{REGION}:{}:function:{name}", env.id);
        env.lambda(REGION).tag_resource().resource(arn).tags("team", team).send().await?;
    }
    Ok(())
}

#[tokio::test]
async fn lambda_function_tags_denied_and_function_list_cut() {
    let acct = account();
    functions(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("lambda.function", PREFIX, TAGGED),
            resources: res(&[(":fa-one", "pass"), (":fa-two", "drift")]),
            service: "lambda",
            deny: "ListTags",
            target: Some("fa-one".into()),
            denied: strs(&[":fa-one"]),
            batched: false,
            error_resource: None,
            denied_fields: &["required_tags"],
            resource_page: None,
            page: Some("ListFunctions"),
        },
    );
}

async fn certificates(env: &Env) -> Result<Vec<String>> {
    let acm = env.acm(REGION);
    let mut arns = Vec::new();
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        let tag = aws_sdk_acm::types::Tag::builder().key("team").value(team).build()?;
        let out = acm
            .request_certificate()
            .domain_name(format!("{name}.example.com"))
            .validation_method(aws_sdk_acm::types::ValidationMethod::Dns)
            .tags(tag)
            .send()
            .await?;
        arns.push(out.certificate_arn().unwrap_or_default().to_string());
    }
    Ok(arns)
}

#[tokio::test]
async fn acm_certificate_tags_denied_and_certificate_list_cut() {
    let acct = account();
    let arns = certificates(&acct).await.unwrap();
    let one = arns[0].clone();
    check(
        &acct,
        Case {
            profile: profile("acm.certificate", "select = { name_prefix = \"fa-\" }\n", TAGGED),
            resources: vec![(one.clone(), "pass"), (arns[1].clone(), "drift")],
            service: "acm",
            deny: "ListTagsForCertificate",
            target: Some(one.clone()),
            denied: vec![one.clone()],
            batched: false,
            error_resource: None,
            denied_fields: &["required_tags"],
            resource_page: None,
            page: Some("ListCertificates"),
        },
    );
}

async fn zone(env: &Env) -> Result {
    let r53 = env.route53();
    let zone =
        r53.create_hosted_zone().name("faults.example.com").caller_reference(format!("fa-{}", env.id)).send().await?;
    let id = zone.hosted_zone().map(|z| z.id().to_string()).unwrap_or_default();
    let id = id.trim_start_matches("/hostedzone/");
    samples::upsert_record(env, id, "fa-one.faults.example.com", aws_sdk_route53::types::RrType::A, "192.0.2.1")
        .await?;
    Ok(())
}

#[tokio::test]
async fn route53_record_sets_denied_and_zone_list_cut() {
    let acct = account();
    zone(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("route53.record", PREFIX, "public_zone = true"),
            resources: res(&[("fa-one", "pass")]),
            service: "route53",
            deny: "ListResourceRecordSets",
            target: None,
            denied: strs(&[]),
            batched: false,
            error_resource: Some("faults.example.com.".into()),
            denied_fields: &[],
            resource_page: Some("ListResourceRecordSets"),
            page: Some("ListHostedZones"),
        },
    );
}

async fn trails(env: &Env) -> Result {
    let bucket = env.bucket("fa-trail");
    samples::create_bucket_in(&env.s3(REGION), &bucket, REGION).await?;
    let ct = env.cloudtrail(REGION);
    for name in ["fa-one", "fa-two"] {
        ct.create_trail().name(name).s3_bucket_name(&bucket).send().await?;
    }
    ct.start_logging().name("fa-one").send().await?;
    Ok(())
}

#[tokio::test]
async fn cloudtrail_status_denied() {
    let acct = account();
    trails(&acct).await.unwrap();
    // DescribeTrails has no pagination (its answer is trailList alone, per the
    // CloudTrail API reference), so there is no second page to fail
    check(
        &acct,
        Case {
            profile: profile("cloudtrail.trail", PREFIX, "logging = true"),
            resources: res(&[("trail/fa-one", "pass"), ("trail/fa-two", "drift")]),
            service: "cloudtrail",
            deny: "GetTrailStatus",
            target: Some("trail/fa-one".into()),
            denied: strs(&["trail/fa-one"]),
            batched: false,
            error_resource: None,
            denied_fields: &["logging"],
            resource_page: None,
            page: None,
        },
    );
}

/// A VPC with two subnets in two zones; returns the subnet ids.
async fn network(env: &Env, cidr: &str) -> Result<Vec<String>> {
    let ec2 = env.ec2(REGION);
    let vpc = ec2.create_vpc().cidr_block(format!("{cidr}.0.0/16")).send().await?;
    let vpc = vpc.vpc().and_then(|v| v.vpc_id()).unwrap_or_default().to_string();
    let mut subnets = Vec::new();
    for (i, zone) in ["a", "b"].iter().enumerate() {
        let s = ec2
            .create_subnet()
            .vpc_id(&vpc)
            .cidr_block(format!("{cidr}.{}.0/24", i + 1))
            .availability_zone(format!("{REGION}{zone}"))
            .send()
            .await?;
        subnets.push(s.subnet().and_then(|s| s.subnet_id()).unwrap_or_default().to_string());
    }
    Ok(subnets)
}

async fn instances(env: &Env) -> Result<Vec<String>> {
    use aws_sdk_ec2::types::*;
    let subnets = network(env, "10.43").await?;
    let ec2 = env.ec2(REGION);
    let mut ids = Vec::new();
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        let tags = TagSpecification::builder()
            .resource_type(ResourceType::Instance)
            .tags(Tag::builder().key("Name").value(name).build())
            .tags(Tag::builder().key("team").value(team).build())
            .build();
        let out = ec2
            .run_instances()
            .image_id("ami-12c6146b")
            .instance_type(InstanceType::T3Micro)
            .min_count(1)
            .max_count(1)
            .subnet_id(&subnets[0])
            .tag_specifications(tags)
            .send()
            .await?;
        ids.push(out.instances().first().and_then(|i| i.instance_id()).unwrap_or_default().to_string());
    }
    Ok(ids)
}

#[tokio::test]
async fn ec2_instance_list_denied_and_cut() {
    let acct = account();
    let ids = instances(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("ec2.instance", PREFIX, TAGGED),
            resources: vec![(ids[0].clone(), "pass"), (ids[1].clone(), "drift")],
            service: "ec2",
            deny: "DescribeInstances",
            target: None,
            denied: vec![],
            batched: false,
            error_resource: None,
            denied_fields: &[],
            resource_page: None,
            page: Some("DescribeInstances"),
        },
    );
}

async fn groups(env: &Env) -> Result {
    use aws_sdk_autoscaling::types::{LaunchTemplateSpecification, Tag};
    use aws_sdk_ec2::types::{InstanceType, RequestLaunchTemplateData};
    let subnets = network(env, "10.44").await?;
    let lt = env
        .ec2(REGION)
        .create_launch_template()
        .launch_template_name("fa-lt")
        .launch_template_data(
            RequestLaunchTemplateData::builder().image_id("ami-12c6146b").instance_type(InstanceType::T3Micro).build(),
        )
        .send()
        .await?;
    let lt = lt.launch_template().and_then(|t| t.launch_template_id()).unwrap_or_default().to_string();
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        env.autoscaling(REGION)
            .create_auto_scaling_group()
            .auto_scaling_group_name(name)
            .min_size(0)
            .max_size(1)
            .launch_template(LaunchTemplateSpecification::builder().launch_template_id(&lt).version("$Latest").build())
            .vpc_zone_identifier(subnets.join(","))
            .tags(Tag::builder().key("team").value(team).propagate_at_launch(false).build())
            .send()
            .await?;
    }
    Ok(())
}

#[tokio::test]
async fn autoscaling_group_list_denied_and_cut() {
    let acct = account();
    groups(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("autoscaling.group", PREFIX, TAGGED),
            resources: res(&[("/fa-one", "pass"), ("/fa-two", "drift")]),
            service: "autoscaling",
            deny: "DescribeAutoScalingGroups",
            target: None,
            denied: vec![],
            batched: false,
            error_resource: None,
            denied_fields: &[],
            resource_page: None,
            page: Some("DescribeAutoScalingGroups"),
        },
    );
}

async fn balancers(env: &Env) -> Result {
    use aws_sdk_elasticloadbalancingv2::types::{LoadBalancerTypeEnum, Tag};
    let subnets = network(env, "10.45").await?;
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        env.elbv2(REGION)
            .create_load_balancer()
            .name(name)
            .set_subnets(Some(subnets.clone()))
            .r#type(LoadBalancerTypeEnum::Application)
            .tags(Tag::builder().key("team").value(team).build())
            .send()
            .await?;
    }
    Ok(())
}

#[tokio::test]
async fn elbv2_tags_denied_and_balancer_list_cut() {
    let acct = account();
    balancers(&acct).await.unwrap();
    // DescribeTags reads the tags of up to 20 balancers in one call: the denial
    // leaves both unknown
    check(
        &acct,
        Case {
            profile: profile("elbv2.load_balancer", PREFIX, TAGGED),
            resources: res(&[("/fa-one/", "pass"), ("/fa-two/", "drift")]),
            service: "elasticloadbalancing",
            deny: "DescribeTags",
            target: None,
            denied: strs(&["/fa-one/", "/fa-two/"]),
            batched: true,
            error_resource: None,
            denied_fields: &["required_tags"],
            resource_page: None,
            page: Some("DescribeLoadBalancers"),
        },
    );
}

async fn web_acls(env: &Env) -> Result {
    use aws_sdk_wafv2::types::*;
    let waf = env.wafv2(REGION);
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        let visibility = VisibilityConfig::builder()
            .sampled_requests_enabled(true)
            .cloud_watch_metrics_enabled(true)
            .metric_name(name)
            .build()?;
        waf.create_web_acl()
            .name(name)
            .scope(Scope::Regional)
            .default_action(DefaultAction::builder().allow(AllowAction::builder().build()).build())
            .visibility_config(visibility)
            .tags(Tag::builder().key("team").value(team).build()?)
            .send()
            .await?;
    }
    Ok(())
}

#[tokio::test]
async fn wafv2_tags_denied_and_acl_list_cut() {
    let acct = account();
    web_acls(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("wafv2.web_acl", PREFIX, TAGGED),
            resources: res(&[("/fa-one/", "pass"), ("/fa-two/", "drift")]),
            service: "wafv2",
            deny: "ListTagsForResource",
            target: Some("/fa-one/".into()),
            denied: strs(&["/fa-one/"]),
            batched: false,
            error_resource: None,
            denied_fields: &["required_tags"],
            resource_page: Some("ListTagsForResource"),
            page: Some("ListWebACLs"),
        },
    );
}

async fn databases(env: &Env) -> Result {
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        env.rds(REGION)
            .create_db_instance()
            .db_instance_identifier(name)
            .engine("postgres")
            .db_instance_class("db.t3.micro")
            .allocated_storage(20)
            .master_username("app")
            .master_user_password("not-a-secret-1")
            .tags(aws_sdk_rds::types::Tag::builder().key("team").value(team).build())
            .send()
            .await?;
    }
    Ok(())
}

#[tokio::test]
async fn rds_instance_list_denied_and_cut() {
    let acct = account();
    databases(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("rds.instance", PREFIX, TAGGED),
            resources: res(&[(":fa-one", "pass"), (":fa-two", "drift")]),
            service: "rds",
            deny: "DescribeDBInstances",
            target: None,
            denied: vec![],
            batched: false,
            error_resource: None,
            denied_fields: &[],
            resource_page: None,
            page: Some("DescribeDBInstances"),
        },
    );
}

async fn distributions(env: &Env) -> Result<Vec<String>> {
    use aws_sdk_cloudfront::types::*;
    let cf = env.cloudfront();
    let mut out = Vec::new();
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        let origin = Origin::builder()
            .id("site")
            .domain_name(format!("{}.s3.us-east-1.amazonaws.com", env.bucket(name)))
            .s3_origin_config(S3OriginConfig::builder().origin_access_identity("").build())
            .build()?;
        let config = DistributionConfig::builder()
            .caller_reference(format!("{name}-{}", env.id))
            .comment(name)
            .enabled(true)
            .origins(Origins::builder().quantity(1).items(origin).build()?)
            .default_cache_behavior(
                DefaultCacheBehavior::builder()
                    .target_origin_id("site")
                    .viewer_protocol_policy(ViewerProtocolPolicy::RedirectToHttps)
                    .build()?,
            )
            .build()?;
        let created = cf.create_distribution().distribution_config(config).send().await?;
        let arn = created.distribution().map(|d| d.arn().to_string()).unwrap_or_default();
        let tags = Tags::builder().items(Tag::builder().key("team").value(team).build()?).build();
        cf.tag_resource().resource(&arn).tags(tags).send().await?;
        out.push(arn);
    }
    Ok(out)
}

#[tokio::test]
async fn cloudfront_tags_denied_and_distribution_list_cut() {
    let acct = account();
    let arns = distributions(&acct).await.unwrap();
    let id = arns[0].rsplit('/').next().unwrap_or_default().to_string();
    check(
        &acct,
        Case {
            profile: profile("cloudfront.distribution", "", TAGGED),
            resources: vec![(arns[0].clone(), "pass"), (arns[1].clone(), "drift")],
            service: "cloudfront",
            deny: "ListTagsForResource",
            target: Some(id),
            denied: vec![arns[0].clone()],
            batched: false,
            error_resource: None,
            denied_fields: &["required_tags"],
            resource_page: None,
            page: Some("ListDistributions"),
        },
    );
}

// ------------------------------------------------- the proxy's reproducibility

/// Sends one unsigned request to the proxy and waits for its end.
fn poke(url: &str, path: &str) {
    let addr = url.trim_start_matches("http://");
    let Ok(mut s) = std::net::TcpStream::connect(addr) else { return };
    let _ = s.set_read_timeout(Some(std::time::Duration::from_secs(10)));
    let req = format!("GET {path} HTTP/1.1\r\nhost: {addr}\r\ncontent-length: 0\r\n\r\n");
    let _ = s.write_all(req.as_bytes());
    let mut sink = Vec::new();
    let _ = s.read_to_end(&mut sink);
}

/// Which of the paths a proxy with `Chance(0.5)` and this seed faulted, when the
/// requests arrive in the given order, `threads` at a time.
fn chance_outcome(seed: u64, paths: &[String], threads: usize) -> Vec<(String, bool)> {
    // the upstream is a closed port: unfaulted requests end without an answer
    let proxy = FaultProxy::start("http://127.0.0.1:9", vec![Rule::new(Fault::Throttle, When::Chance(0.5))], seed);
    std::thread::scope(|scope| {
        for chunk in paths.chunks(paths.len().div_ceil(threads)) {
            let url = proxy.url.clone();
            scope.spawn(move || chunk.iter().for_each(|p| poke(&url, p)));
        }
    });
    let mut out: Vec<(String, bool)> = proxy.seen().into_iter().map(|s| (s.uri, s.faulted.is_some())).collect();
    out.sort();
    out
}

#[test]
fn chance_faults_follow_the_request_not_the_arrival_order() {
    let paths: Vec<String> = (0..40).map(|i| format!("/probe/{i:02}")).collect();
    let mut reversed = paths.clone();
    reversed.reverse();
    let first = chance_outcome(7, &paths, 1);
    let concurrent = chance_outcome(7, &reversed, 4);
    assert_eq!(first.len(), 40);
    assert_eq!(first, concurrent, "same seed, same requests: same faults whatever the order");
    let faulted = first.iter().filter(|(_, f)| *f).count();
    // a coin, not a constant: the count is fixed by the seed and the paths
    assert_eq!(faulted, 21, "faulted of 40");
    let other_seed = chance_outcome(8, &paths, 2);
    assert_ne!(first, other_seed, "the seed chooses the faults");
}
