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
