//! Selection and statuses end to end: `exclude` by IAM path, `match = "any"`
//! with no candidate, and retry settings from the environment and the AWS config
//! file, each in an account of its own.

use crate::support::account;
use crate::support::audit::{self, row};
use serde_json::json;
use std::io::Write;

const TAGGED_ROLES: &str = r#"[profile]
name = "owners"
[[requirement]]
id = "roles-owned"
kind = "iam.role"
select = { exclude = { path_prefix = "/aws-service-role/" } }
[requirement.expect]
required_tags = { Owner = "*" }
"#;

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

#[tokio::test]
async fn exclude_leaves_out_service_linked_roles_and_nothing_else() {
    let acct = account();
    let iam = acct.iam();
    iam.create_service_linked_role().aws_service_name("elasticbeanstalk.amazonaws.com").send().await.unwrap();
    let tag = |k: &str, v: &str| aws_sdk_iam::types::Tag::builder().key(k).value(v).build().unwrap();
    iam.create_role()
        .role_name("app-web")
        .assume_role_policy_document(TRUST)
        .tags(tag("Owner", "web"))
        .send()
        .await
        .unwrap();
    iam.create_role().role_name("app-batch").assume_role_policy_document(TRUST).send().await.unwrap();

    let p = audit::profile_file(TAGGED_ROLES);
    let a = audit::run(&acct, &[p.path()], &[]);
    a.assert_code(1);
    let web = format!("arn:aws:iam::{}:role/app-web", acct.id);
    let batch = format!("arn:aws:iam::{}:role/app-batch", acct.id);
    // the service-linked role (untagged, like every one) is not among the rows
    assert_eq!(a.rows(), [row("roles-owned", Some(&batch), "drift"), row("roles-owned", Some(&web), "pass")]);
    assert_eq!(a.observed("roles-owned", Some(&batch), "required_tags"), json!({}));
    assert_eq!(a.report["errors"], json!([]));
    assert_eq!(a.report["summary"], json!({"pass": 1, "drift": 1, "unknown": 0, "not_applicable": 0, "waived": 0}));

    // without the exclusion the service-linked role drifts too
    let p = audit::profile_file(
        &TAGGED_ROLES.replace("select = { exclude = { path_prefix = \"/aws-service-role/\" } }\n", ""),
    );
    let a = audit::run(&acct, &[p.path()], &[]);
    let slr = format!(
        "arn:aws:iam::{}:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk",
        acct.id
    );
    assert_eq!(
        a.rows(),
        [
            row("roles-owned", Some(&batch), "drift"),
            row("roles-owned", Some(&web), "pass"),
            row("roles-owned", Some(&slr), "drift"),
        ]
    );
}

const ANY_ALARM: &str = r#"[profile]
name = "cpu"
regions = ["us-east-1"]
[[requirement]]
id = "cpu-alarm"
kind = "cloudwatch.alarm"
match = "any"
[requirement.expect]
metric_name = "CPUUtilization"
comparison = ">="
threshold = 70
"#;

#[tokio::test]
async fn match_any_with_no_candidate_drifts() {
    let acct = account();
    let p = audit::profile_file(ANY_ALARM);
    let a = audit::run(&acct, &[p.path()], &[]);
    a.assert_code(1);
    assert_eq!(a.rows(), [row("cpu-alarm", None, "drift")]);
    assert_eq!(
        a.finding("cpu-alarm", None)["checks"],
        json!([{"field": "count", "expected": ">= 1", "observed": 0, "ok": false}])
    );
    assert_eq!(a.report["errors"], json!([]));
    assert_eq!(a.report["summary"], json!({"pass": 0, "drift": 1, "unknown": 0, "not_applicable": 0, "waived": 0}));
}

#[tokio::test]
async fn retry_settings_from_environment_and_config_file() {
    let acct = account();
    let p = audit::profile_file(ANY_ALARM);
    let path = p.path();
    let bad = audit::run_at(&acct, &acct.endpoint, &[path], &[], &[("AWS_MAX_ATTEMPTS", "0")]);
    bad.assert_code(2);
    assert_eq!(
        bad.stderr.trim(),
        "driftwatch: AWS_MAX_ATTEMPTS is `0`; expected a whole number from 1 to 20",
        "stdout: {}",
        bad.stdout
    );
    // adaptive from the config file, and from the flag: the audit runs the same
    let mut config = tempfile::NamedTempFile::new().unwrap();
    config.write_all(b"[default]\nretry_mode = adaptive\nmax_attempts = 2\n").unwrap();
    let env = [("AWS_CONFIG_FILE", config.path().to_str().unwrap())];
    let a = audit::run_at(&acct, &acct.endpoint, &[path], &[], &env);
    a.assert_code(1);
    assert_eq!(a.rows(), [row("cpu-alarm", None, "drift")]);
    let a = audit::run(&acct, &[path], &["--retry-mode", "adaptive", "--max-attempts", "3"]);
    a.assert_code(1);
    assert_eq!(a.rows(), [row("cpu-alarm", None, "drift")]);
}
