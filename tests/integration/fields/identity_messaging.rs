//! Every field of its kinds seen drifting on a resource that exists but is
//! misconfigured, next to one that passes, through the live collector.
//!
//! One deployment per kind (a fresh account); each field has its own pair of
//! resources, picked by a name prefix, and its own audit. Every expected observed
//! value follows AWS's documented answers and the kind's doc, not the emulator.

use super::{fresh, Proof};
use crate::support::Account;
use serde_json::{json, Value};

/// (kind, field, the test in this file that proves it both ways live).
pub const PROVEN: &[(&str, &str, &str)] = &[
    ("iam.role", "forbid_policies", "iam_role_every_field"),
    ("iam.role", "require_policies", "iam_role_every_field"),
    ("iam.role", "attached_policies", "iam_role_every_field"),
    ("iam.role", "require_mfa", "iam_role_every_field"),
    ("iam.role", "required_tags", "iam_role_every_field"),
    ("iam.role", "name_pattern", "iam_role_every_field"),
    ("iam.user", "forbid_policies", "iam_user_every_field"),
    ("iam.user", "require_policies", "iam_user_every_field"),
    ("iam.user", "attached_policies", "iam_user_every_field"),
    ("iam.user", "require_mfa", "iam_user_every_field"),
    ("iam.user", "required_tags", "iam_user_every_field"),
    ("iam.user", "name_pattern", "iam_user_every_field"),
    ("iam.group", "forbid_policies", "iam_group_every_field"),
    ("iam.group", "require_policies", "iam_group_every_field"),
    ("iam.group", "attached_policies", "iam_group_every_field"),
    ("iam.group", "name_pattern", "iam_group_every_field"),
    ("kms.key", "rotation", "kms_key_every_field"),
    ("kms.key", "enabled", "kms_key_every_field"),
    ("kms.key", "policy_principals", "kms_key_every_field"),
    ("kms.key", "region_agnostic_principals", "kms_key_every_field"),
    ("kms.key", "required_tags", "kms_key_every_field"),
    ("kms.key", "name_pattern", "kms_key_every_field"),
    ("secretsmanager.secret", "rotation", "secretsmanager_secret_every_field"),
    ("secretsmanager.secret", "rotation_days", "secretsmanager_secret_every_field"),
    ("secretsmanager.secret", "customer_kms_key", "secretsmanager_secret_every_field"),
    ("secretsmanager.secret", "required_tags", "secretsmanager_secret_every_field"),
    ("secretsmanager.secret", "name_pattern", "secretsmanager_secret_every_field"),
    ("sns.topic", "alarms", "sns_topic_every_field"),
    ("sns.topic", "kms_encrypted", "sns_topic_every_field"),
    ("sns.topic", "required_tags", "sns_topic_every_field"),
    ("sns.topic", "name_pattern", "sns_topic_every_field"),
    ("sqs.queue", "encrypted", "sqs_queue_every_field"),
    ("sqs.queue", "customer_managed_key", "sqs_queue_every_field"),
    ("sqs.queue", "kms_key_arn", "sqs_queue_every_field"),
    ("sqs.queue", "dead_letter_queue", "sqs_queue_every_field"),
    ("sqs.queue", "private", "sqs_queue_every_field"),
    ("sqs.queue", "retention_days", "sqs_queue_every_field"),
    ("sqs.queue", "required_tags", "sqs_queue_every_field"),
    ("sqs.queue", "name_pattern", "sqs_queue_every_field"),
    ("logs.log_group", "retention_days", "logs_log_group_every_field"),
    ("logs.log_group", "kms_encrypted", "logs_log_group_every_field"),
    ("logs.log_group", "required_tags", "logs_log_group_every_field"),
    ("logs.log_group", "name_pattern", "logs_log_group_every_field"),
];

const REGION: &str = "us-east-1";

/// One field of `kind` proven on the pair whose names start with `prefix`.
#[allow(clippy::too_many_arguments)]
fn prove(
    acct: &Account,
    kind: &str,
    field: &str,
    prefix: &str,
    expect: &str,
    pass: &str,
    drift: &str,
    observed: Value,
) {
    let select = format!("{{ name_prefix = \"{prefix}\" }}");
    Proof { kind, field, select: &select, expect, region: REGION, pass, drift, drift_observed: observed }.check(acct);
}

// ---------------------------------------------------------------- IAM

const OPEN_TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::ACCOUNT:root"},"Action":"sts:AssumeRole"}]}"#;
const MFA_TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::ACCOUNT:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"#;
const READ_LOGS: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:GetLogEvents","Resource":"*"}]}"#;
const ADMIN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";
const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const SECURITY_AUDIT: &str = "arn:aws:iam::aws:policy/SecurityAudit";

/// An IAM principal of `kind` ("role", "user" or "group") with the given managed
/// policies, inline policies and tags (groups have no tags in IAM).
struct Iam<'a> {
    acct: &'a Account,
    client: aws_sdk_iam::Client,
    kind: &'static str,
}

impl Iam<'_> {
    fn arn(&self, name: &str) -> String {
        format!("arn:aws:iam::{}:{}/{name}", self.acct.id, self.kind)
    }

    async fn create(&self, name: &str, trust: &str, tags: &[(&str, &str)], managed: &[&str], inline: &[&str]) {
        let tags: Vec<aws_sdk_iam::types::Tag> =
            tags.iter().map(|(k, v)| aws_sdk_iam::types::Tag::builder().key(*k).value(*v).build().unwrap()).collect();
        let iam = &self.client;
        let trust = trust.replace("ACCOUNT", &self.acct.id);
        match self.kind {
            "role" => {
                iam.create_role()
                    .role_name(name)
                    .assume_role_policy_document(trust)
                    .set_tags(Some(tags))
                    .send()
                    .await
                    .unwrap();
            }
            "user" => {
                iam.create_user().user_name(name).set_tags(Some(tags)).send().await.unwrap();
            }
            _ => {
                iam.create_group().group_name(name).send().await.unwrap();
            }
        }
        for arn in managed {
            match self.kind {
                "role" => iam
                    .attach_role_policy()
                    .role_name(name)
                    .policy_arn(*arn)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| format!("{e:?}")),
                "user" => iam
                    .attach_user_policy()
                    .user_name(name)
                    .policy_arn(*arn)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| format!("{e:?}")),
                _ => iam
                    .attach_group_policy()
                    .group_name(name)
                    .policy_arn(*arn)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| format!("{e:?}")),
            }
            .unwrap();
        }
        for policy in inline {
            match self.kind {
                "role" => iam
                    .put_role_policy()
                    .role_name(name)
                    .policy_name(*policy)
                    .policy_document(READ_LOGS)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| format!("{e:?}")),
                "user" => iam
                    .put_user_policy()
                    .user_name(name)
                    .policy_name(*policy)
                    .policy_document(READ_LOGS)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| format!("{e:?}")),
                _ => iam
                    .put_group_policy()
                    .group_name(name)
                    .policy_name(*policy)
                    .policy_document(READ_LOGS)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| format!("{e:?}")),
            }
            .unwrap();
        }
    }

    /// The three policy fields every IAM principal kind has, each on its own pair.
    async fn deploy_policy_pairs(&self) {
        self.create("fp-ok", OPEN_TRUST, &[], &[READ_ONLY], &[]).await;
        self.create("fp-bad", OPEN_TRUST, &[], &[ADMIN], &[]).await;
        self.create("rp-ok", OPEN_TRUST, &[], &[READ_ONLY], &[]).await;
        self.create("rp-bad", OPEN_TRUST, &[], &[], &["audit-read"]).await;
        self.create("ap-ok", OPEN_TRUST, &[], &[READ_ONLY], &[]).await;
        self.create("ap-bad", OPEN_TRUST, &[], &[READ_ONLY, SECURITY_AUDIT], &[]).await;
    }

    fn prove_policy_fields(&self) {
        let (kind, acct) = (format!("iam.{}", self.kind), self.acct);
        // an attached AWS managed policy named by its ARN (ListAttached*Policies PolicyArn)
        let expect = format!("forbid_policies = [\"{ADMIN}\"]");
        let (ok, bad) = (self.arn("fp-ok"), self.arn("fp-bad"));
        prove(acct, &kind, "forbid_policies", "fp-", &expect, &ok, &bad, json!(["AdministratorAccess (attached)"]));
        // the names of attached managed and inline policies (PolicyName)
        let (ok, bad) = (self.arn("rp-ok"), self.arn("rp-bad"));
        let expect = "require_policies = [\"ReadOnlyAccess\"]";
        prove(acct, &kind, "require_policies", "rp-", expect, &ok, &bad, json!(["audit-read"]));
        // how many managed policies are attached
        let (ok, bad) = (self.arn("ap-ok"), self.arn("ap-bad"));
        prove(acct, &kind, "attached_policies", "ap-", "attached_policies = { at_most = 1 }", &ok, &bad, json!(2));
    }

    /// `required_tags` and `name_pattern` pairs (tags only where the kind has them).
    async fn deploy_tag_and_name_pairs(&self, tagged: bool) {
        if tagged {
            self.create("tg-ok", OPEN_TRUST, &[("team", "core")], &[], &[]).await;
            self.create("tg-bad", OPEN_TRUST, &[("team", "web")], &[], &[]).await;
        }
        self.create("np-api-prod", OPEN_TRUST, &[], &[], &[]).await;
        self.create("np-api-test", OPEN_TRUST, &[], &[], &[]).await;
    }

    fn prove_tag_and_name(&self, tagged: bool) {
        let (kind, acct) = (format!("iam.{}", self.kind), self.acct);
        if tagged {
            let (ok, bad) = (self.arn("tg-ok"), self.arn("tg-bad"));
            let expect = "required_tags = { team = \"core\" }";
            prove(acct, &kind, "required_tags", "tg-", expect, &ok, &bad, json!({"team": "web"}));
        }
        let (ok, bad) = (self.arn("np-api-prod"), self.arn("np-api-test"));
        let expect = "name_pattern = \"np-{service}-prod\"";
        prove(acct, &kind, "name_pattern", "np-", expect, &ok, &bad, json!("np-api-test"));
    }
}

#[tokio::test]
async fn iam_role_every_field() {
    let acct = fresh();
    let iam = Iam { acct: &acct, client: acct.iam(), kind: "role" };
    iam.deploy_policy_pairs().await;
    iam.deploy_tag_and_name_pairs(true).await;
    // trust policy: Bool aws:MultiFactorAuthPresent = true on the Allow, against none
    iam.create("mfa-ok", MFA_TRUST, &[], &[], &[]).await;
    iam.create("mfa-bad", OPEN_TRUST, &[], &[], &[]).await;

    iam.prove_policy_fields();
    iam.prove_tag_and_name(true);
    let (ok, bad) = (iam.arn("mfa-ok"), iam.arn("mfa-bad"));
    let observed = json!("statement 1: no aws:MultiFactorAuthPresent condition");
    prove(&acct, "iam.role", "require_mfa", "mfa-", "require_mfa = true", &ok, &bad, observed);
}

#[tokio::test]
async fn iam_user_every_field() {
    let acct = fresh();
    let iam = Iam { acct: &acct, client: acct.iam(), kind: "user" };
    iam.deploy_policy_pairs().await;
    iam.deploy_tag_and_name_pairs(true).await;
    // ListMFADevices: one enabled virtual device against none
    iam.create("mfa-ok", OPEN_TRUST, &[], &[], &[]).await;
    iam.create("mfa-bad", OPEN_TRUST, &[], &[], &[]).await;
    let device = iam.client.create_virtual_mfa_device().virtual_mfa_device_name("mfa-ok").send().await.unwrap();
    let serial = device.virtual_mfa_device().map(|d| d.serial_number().to_string()).unwrap();
    iam.client
        .enable_mfa_device()
        .user_name("mfa-ok")
        .serial_number(serial)
        .authentication_code1("123456")
        .authentication_code2("654321")
        .send()
        .await
        .unwrap();

    iam.prove_policy_fields();
    iam.prove_tag_and_name(true);
    let (ok, bad) = (iam.arn("mfa-ok"), iam.arn("mfa-bad"));
    prove(&acct, "iam.user", "require_mfa", "mfa-", "require_mfa = true", &ok, &bad, json!("0 MFA device(s)"));
}

#[tokio::test]
async fn iam_group_every_field() {
    let acct = fresh();
    let iam = Iam { acct: &acct, client: acct.iam(), kind: "group" };
    iam.deploy_policy_pairs().await;
    iam.deploy_tag_and_name_pairs(false).await;
    iam.prove_policy_fields();
    iam.prove_tag_and_name(false);
}

// ---------------------------------------------------------------- KMS

/// A key policy whose one Allow statement names `principal` (of `kind`).
fn key_policy(kind: &str, principal: &str) -> String {
    json!({"Version": "2012-10-17", "Statement": [{"Sid": "Use", "Effect": "Allow",
        "Principal": {kind: principal}, "Action": "kms:*", "Resource": "*"}]})
    .to_string()
}

#[tokio::test]
async fn kms_key_every_field() {
    use aws_sdk_kms::types::Tag;
    let acct = fresh();
    let kms = acct.kms(REGION);
    let root = format!("arn:aws:iam::{}:root", acct.id);
    let mut arns = std::collections::BTreeMap::new();
    let keys: [(&str, Option<String>, Option<&str>); 12] = [
        ("rot-on", None, None),
        ("rot-off", None, None),
        ("en-on", None, None),
        ("en-off", None, None),
        ("pp-ok", Some(key_policy("AWS", "arn:aws:iam::111122223333:root")), None),
        ("pp-bad", Some(key_policy("AWS", &root)), None),
        ("ra-ok", Some(key_policy("Service", "logs.amazonaws.com")), None),
        ("ra-bad", Some(key_policy("Service", "logs.us-east-1.amazonaws.com")), None),
        ("tg-ok", None, Some("core")),
        ("tg-bad", None, Some("web")),
        ("np-api-us-east-1", None, None),
        ("np-api-us-west-2", None, None),
    ];
    for (alias, policy, team) in keys {
        let tags = team.map(|t| vec![Tag::builder().tag_key("team").tag_value(t).build().unwrap()]);
        let out = kms.create_key().set_policy(policy).set_tags(tags).send().await.unwrap();
        let meta = out.key_metadata().unwrap();
        kms.create_alias().alias_name(format!("alias/{alias}")).target_key_id(meta.key_id()).send().await.unwrap();
        arns.insert(alias, meta.arn().unwrap().to_string());
    }
    kms.enable_key_rotation().key_id(&arns["rot-on"]).send().await.unwrap();
    kms.disable_key().key_id(&arns["en-off"]).send().await.unwrap();

    let p = |field: &str, prefix: &str, expect: &str, ok: &str, bad: &str, observed: Value| {
        prove(&acct, "kms.key", field, prefix, expect, &arns[ok], &arns[bad], observed)
    };
    // GetKeyRotationStatus KeyRotationEnabled false on a symmetric AWS_KMS key
    p("rotation", "rot-", "rotation = true", "rot-on", "rot-off", json!(false));
    // DescribeKey KeyState after DisableKey is Disabled
    p("enabled", "en-", "enabled = true", "en-on", "en-off", json!("Disabled"));
    // the Allow statement names only the key's own account, not 111122223333
    let observed = json!([root]);
    p("policy_principals", "pp-", "policy_principals = [\"111122223333\"]", "pp-ok", "pp-bad", observed);
    // a regional service principal
    let observed = json!(["logs.us-east-1.amazonaws.com"]);
    p("region_agnostic_principals", "ra-", "region_agnostic_principals = true", "ra-ok", "ra-bad", observed);
    // ListResourceTags TagKey/TagValue
    p("required_tags", "tg-", "required_tags = { team = \"core\" }", "tg-ok", "tg-bad", json!({"team": "web"}));
    // the alias names another region than the key's own
    let expect = "name_pattern = \"np-{app}-{region}\"";
    p("name_pattern", "np-", expect, "np-api-us-east-1", "np-api-us-west-2", json!("np-api-us-west-2"));
}

// ---------------------------------------------------------------- Secrets Manager

#[tokio::test]
async fn secretsmanager_secret_every_field() {
    use aws_sdk_secretsmanager::types::{RotationRulesType, Tag};
    let acct = fresh();
    crate::samples::serverless::function(&acct, "rotator", aws_sdk_lambda::types::Runtime::Python312, None)
        .await
        .unwrap();
    let rotator = format!("arn:aws:lambda:{REGION}:{}:function:rotator", acct.id);
    let key = acct.kms(REGION).create_key().send().await.unwrap();
    let key_arn = key.key_metadata().unwrap().arn().unwrap().to_string();
    let sm = acct.secretsmanager(REGION);
    let mut arns = std::collections::BTreeMap::new();
    let secrets: [(&str, Option<i64>, bool, Option<&str>); 10] = [
        ("ro-on", Some(30), false, None),
        ("ro-off", Some(30), false, None),
        ("rd-ok", Some(30), false, None),
        ("rd-bad", Some(90), false, None),
        ("ck-ok", None, true, None),
        ("ck-bad", None, false, None),
        ("tg-ok", None, false, Some("core")),
        ("tg-bad", None, false, Some("web")),
        ("np-db-prod", None, false, None),
        ("np-db-test", None, false, None),
    ];
    for (name, days, customer_key, team) in secrets {
        let tags = team.map(|t| vec![Tag::builder().key("team").value(t).build()]);
        let kms_key = customer_key.then(|| key_arn.clone());
        let out = sm
            .create_secret()
            .name(name)
            .secret_string("{}")
            .set_kms_key_id(kms_key)
            .set_tags(tags)
            .send()
            .await
            .unwrap();
        arns.insert(name, out.arn().unwrap().to_string());
        if let Some(days) = days {
            sm.rotate_secret()
                .secret_id(name)
                .rotation_lambda_arn(&rotator)
                .rotation_rules(RotationRulesType::builder().automatically_after_days(days).build())
                .rotate_immediately(false)
                .send()
                .await
                .unwrap();
        }
    }
    // rotation configured, then turned off (CancelRotateSecret: RotationEnabled false)
    sm.cancel_rotate_secret().secret_id("ro-off").send().await.unwrap();

    let p = |field: &str, prefix: &str, expect: &str, ok: &str, bad: &str, observed: Value| {
        prove(&acct, "secretsmanager.secret", field, prefix, expect, &arns[ok], &arns[bad], observed)
    };
    p("rotation", "ro-", "rotation = true", "ro-on", "ro-off", json!(false));
    // RotationRules AutomaticallyAfterDays 90 against at most 30
    p("rotation_days", "rd-", "rotation_days = { at_most = 30 }", "rd-ok", "rd-bad", json!("90 days"));
    // rotation turned off (CancelRotateSecret) never satisfies a bound, whatever its old rules
    p("rotation_days", "ro-", "rotation_days = { at_most = 30 }", "ro-on", "ro-off", json!("rotation off"));
    // ListSecrets omits KmsKeyId for a secret under the AWS managed aws/secretsmanager key
    p("customer_kms_key", "ck-", "customer_kms_key = true", "ck-ok", "ck-bad", Value::Null);
    p("required_tags", "tg-", "required_tags = { team = \"core\" }", "tg-ok", "tg-bad", json!({"team": "web"}));
    let expect = "name_pattern = \"np-{app}-prod\"";
    p("name_pattern", "np-", expect, "np-db-prod", "np-db-test", json!("np-db-test"));
}

// ---------------------------------------------------------------- SNS

#[tokio::test]
async fn sns_topic_every_field() {
    use aws_sdk_cloudwatch::types::{ComparisonOperator, Statistic};
    use aws_sdk_sns::types::Tag;
    let acct = fresh();
    let sns = acct.sns(REGION);
    let mut arns = std::collections::BTreeMap::new();
    let topics: [(&str, bool, Option<&str>); 8] = [
        ("al-ok", false, None),
        ("al-bad", false, None),
        ("ke-ok", true, None),
        ("ke-bad", false, None),
        ("tg-ok", false, Some("core")),
        ("tg-bad", false, Some("web")),
        ("np-alerts-prod", false, None),
        ("np-alerts-test", false, None),
    ];
    for (name, encrypted, team) in topics {
        let tags = team.map(|t| vec![Tag::builder().key("team").value(t).build().unwrap()]);
        let mut create = sns.create_topic().name(name).set_tags(tags);
        if encrypted {
            create = create.attributes("KmsMasterKeyId", "alias/aws/sns");
        }
        let out = create.send().await.unwrap();
        arns.insert(name, out.topic_arn().unwrap().to_string());
    }
    // one alarm sends its ALARM actions to al-ok; the other names al-bad only in
    // its OK actions, which `alarms` does not count
    let cw = acct.cloudwatch(REGION);
    for (alarm, alarm_topic, ok_topic) in
        [("cpu-high", Some(&arns["al-ok"]), None), ("cpu-ok", None, Some(&arns["al-bad"]))]
    {
        cw.put_metric_alarm()
            .alarm_name(alarm)
            .namespace("AWS/EC2")
            .metric_name("CPUUtilization")
            .statistic(Statistic::Average)
            .period(300)
            .evaluation_periods(1)
            .threshold(80.0)
            .comparison_operator(ComparisonOperator::GreaterThanThreshold)
            .set_alarm_actions(alarm_topic.map(|t| vec![t.clone()]))
            .set_ok_actions(ok_topic.map(|t| vec![t.clone()]))
            .send()
            .await
            .unwrap();
    }

    let p = |field: &str, prefix: &str, expect: &str, ok: &str, bad: &str, observed: Value| {
        prove(&acct, "sns.topic", field, prefix, expect, &arns[ok], &arns[bad], observed)
    };
    p("alarms", "al-", "alarms = { at_least = 1 }", "al-ok", "al-bad", json!([]));
    // GetTopicAttributes has no KmsMasterKeyId for a topic without SSE
    p("kms_encrypted", "ke-", "kms_encrypted = true", "ke-ok", "ke-bad", Value::Null);
    p("required_tags", "tg-", "required_tags = { team = \"core\" }", "tg-ok", "tg-bad", json!({"team": "web"}));
    let expect = "name_pattern = \"np-{use}-prod\"";
    p("name_pattern", "np-", expect, "np-alerts-prod", "np-alerts-test", json!("np-alerts-test"));
}

// ---------------------------------------------------------------- SQS

#[tokio::test]
async fn sqs_queue_every_field() {
    use aws_sdk_sqs::types::QueueAttributeName as Attr;
    let acct = fresh();
    let sqs = acct.sqs(REGION);
    let kms = acct.kms(REGION);
    let mut keys = Vec::new();
    for _ in 0..2 {
        let key = kms.create_key().send().await.unwrap();
        keys.push(key.key_metadata().unwrap().arn().unwrap().to_string());
    }
    let arn = |name: &str| format!("arn:aws:sqs:{REGION}:{}:{name}", acct.id);
    sqs.create_queue().queue_name("target-dlq").send().await.unwrap();
    let scoped = json!({"Version": "2012-10-17", "Statement": [{"Sid": "FromTopic", "Effect": "Allow",
        "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": arn("pr-ok"),
        "Condition": {"ArnEquals": {"aws:SourceArn": format!("arn:aws:sns:{REGION}:{}:orders", acct.id)}}}]});
    let anyone = json!({"Version": "2012-10-17", "Statement": [{"Sid": "Anyone", "Effect": "Allow", "Principal": "*",
        "Action": "sqs:SendMessage", "Resource": arn("pr-bad")}]});
    let redrive = json!({"deadLetterTargetArn": arn("target-dlq"), "maxReceiveCount": "5"}).to_string();
    let sse_sqs = |on: bool| vec![(Attr::SqsManagedSseEnabled, on.to_string())];
    let queues: Vec<(&str, Vec<(Attr, String)>, Option<&str>)> = vec![
        ("en-ok", sse_sqs(true), None),
        ("en-bad", sse_sqs(false), None),
        ("cm-ok", vec![(Attr::KmsMasterKeyId, keys[0].clone())], None),
        ("cm-bad", sse_sqs(true), None),
        ("ka-ok", vec![(Attr::KmsMasterKeyId, keys[0].clone())], None),
        ("ka-bad", vec![(Attr::KmsMasterKeyId, keys[1].clone())], None),
        ("dl-ok", vec![(Attr::RedrivePolicy, redrive)], None),
        ("dl-bad", vec![], None),
        ("pr-ok", vec![(Attr::Policy, scoped.to_string())], None),
        ("pr-bad", vec![(Attr::Policy, anyone.to_string())], None),
        ("rt-ok", vec![(Attr::MessageRetentionPeriod, "345600".into())], None),
        ("rt-bad", vec![(Attr::MessageRetentionPeriod, "3600".into())], None),
        ("tg-ok", vec![], Some("core")),
        ("tg-bad", vec![], Some("web")),
        ("np-jobs-prod", vec![], None),
        ("np-jobs-test", vec![], None),
    ];
    for (name, attributes, team) in queues {
        let mut create = sqs.create_queue().queue_name(name);
        for (k, v) in attributes {
            create = create.attributes(k, v);
        }
        if let Some(t) = team {
            create = create.tags("team", t);
        }
        create.send().await.unwrap();
    }

    let p = |field: &str, prefix: &str, expect: &str, ok: &str, bad: &str, observed: Value| {
        prove(&acct, "sqs.queue", field, prefix, expect, &arn(ok), &arn(bad), observed)
    };
    // SqsManagedSseEnabled false and no KmsMasterKeyId: not encrypted
    p("encrypted", "en-", "encrypted = true", "en-ok", "en-bad", json!("none"));
    // SSE-SQS uses SQS-owned keys, no KMS key at all
    p("customer_managed_key", "cm-", "customer_managed_key = true", "cm-ok", "cm-bad", json!("no KMS key"));
    let expect = format!("kms_key_arn = \"{}\"", keys[0]);
    p("kms_key_arn", "ka-", &expect, "ka-ok", "ka-bad", json!(keys[1]));
    // no RedrivePolicy attribute
    p("dead_letter_queue", "dl-", "dead_letter_queue = true", "dl-ok", "dl-bad", Value::Null);
    p("private", "pr-", "private = true", "pr-ok", "pr-bad", json!(["policy statement Anyone allows everyone"]));
    // MessageRetentionPeriod 3600 s is 1/24 day
    p("retention_days", "rt-", "retention_days = { at_least = 4 }", "rt-ok", "rt-bad", json!(1.0 / 24.0));
    p("required_tags", "tg-", "required_tags = { team = \"core\" }", "tg-ok", "tg-bad", json!({"team": "web"}));
    let expect = "name_pattern = \"np-{use}-prod\"";
    p("name_pattern", "np-", expect, "np-jobs-prod", "np-jobs-test", json!("np-jobs-test"));
}

// ---------------------------------------------------------------- CloudWatch Logs

#[tokio::test]
async fn logs_log_group_every_field() {
    let acct = fresh();
    let logs = acct.logs(REGION);
    let key = acct.kms(REGION).create_key().send().await.unwrap();
    let key_arn = key.key_metadata().unwrap().arn().unwrap().to_string();
    let groups: [(&str, Option<i32>, bool, Option<&str>); 10] = [
        ("rd-ok", Some(30), false, None),
        ("rd-bad", Some(7), false, None),
        ("rx-ok", Some(30), false, None),
        ("rx-bad", None, false, None),
        ("ke-ok", None, true, None),
        ("ke-bad", None, false, None),
        ("tg-ok", None, false, Some("core")),
        ("tg-bad", None, false, Some("web")),
        ("np-app-us-east-1", None, false, None),
        ("np-app-eu-west-1", None, false, None),
    ];
    for (name, days, encrypted, team) in groups {
        let mut create =
            logs.create_log_group().log_group_name(name).set_kms_key_id(encrypted.then(|| key_arn.clone()));
        if let Some(t) = team {
            create = create.tags("team", t);
        }
        create.send().await.unwrap();
        if let Some(days) = days {
            logs.put_retention_policy().log_group_name(name).retention_in_days(days).send().await.unwrap();
        }
    }
    let arn = |name: &str| format!("arn:aws:logs:{REGION}:{}:log-group:{name}", acct.id);
    let p = |field: &str, prefix: &str, expect: &str, ok: &str, bad: &str, observed: Value| {
        prove(&acct, "logs.log_group", field, prefix, expect, &arn(ok), &arn(bad), observed)
    };
    p("retention_days", "rd-", "retention_days = { at_least = 30 }", "rd-ok", "rd-bad", json!(7));
    // no retentionInDays: events never expire, which no upper bound allows
    p("retention_days", "rx-", "retention_days = { at_most = 30 }", "rx-ok", "rx-bad", json!("never expire"));
    // DescribeLogGroups has no kmsKeyId for a group without a KMS key
    p("kms_encrypted", "ke-", "kms_encrypted = true", "ke-ok", "ke-bad", Value::Null);
    p("required_tags", "tg-", "required_tags = { team = \"core\" }", "tg-ok", "tg-bad", json!({"team": "web"}));
    let expect = "name_pattern = \"np-{app}-{region}\"";
    p("name_pattern", "np-", expect, "np-app-us-east-1", "np-app-eu-west-1", json!("np-app-eu-west-1"));
}
