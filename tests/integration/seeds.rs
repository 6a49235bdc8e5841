//! The seed systems (../shared/seeds/): each shipped profile audits its ideal
//! deployment clean, and its generated deployment with exactly the failures the
//! seed's report lists — and nothing else.

use crate::samples::{secure_serverless, Variant};
use crate::support::account;
use crate::support::audit::{self, row};
use serde_json::json;

const SECURE_SERVERLESS: &str = "profiles/secure-serverless.toml";

#[tokio::test]
async fn seed_004_secure_serverless_ideal_is_clean() {
    let acct = account();
    secure_serverless::deploy(&acct, Variant::Compliant).await.unwrap();
    let a = audit::run(&acct, &[SECURE_SERVERLESS], &[]);
    a.assert_code(0);
    let rows = a.rows();
    let reqs: Vec<&str> = rows.iter().map(|(r, _, _)| r.as_str()).collect();
    assert_eq!(
        reqs,
        [
            "alarm-instance-cpu",
            "alarm-instance-status",
            "dynamodb-encrypted",
            "iam-roles-require-mfa",
            "kms-key-rotation",
            "lambda-env-encrypted",
            "s3-log-bucket-encrypted",
            "ssh-restricted",
            "vpc-public-private-subnets",
        ]
    );
    assert!(rows.iter().all(|(_, _, s)| s == "pass"), "{rows:#?}");
}

#[tokio::test]
async fn seed_004_secure_serverless_generated_reports_exactly_the_seed_failures() {
    let acct = account();
    secure_serverless::deploy(&acct, Variant::Drifted).await.unwrap();
    let a = audit::run(&acct, &[SECURE_SERVERLESS], &[]);
    a.assert_code(1);
    let table = format!("arn:aws:dynamodb:us-east-1:{}:table/TurnAroundPromptTable", acct.id);
    // every missing resource is one "count" drift; the one table drifts on its settings
    assert_eq!(
        a.rows(),
        [
            row("alarm-instance-cpu", None, "drift"),
            row("alarm-instance-status", None, "drift"),
            row("dynamodb-encrypted", Some(&table), "drift"),
            row("iam-roles-require-mfa", None, "drift"),
            row("kms-key-rotation", None, "drift"),
            row("lambda-env-encrypted", None, "drift"),
            row("s3-log-bucket-encrypted", None, "drift"),
            row("ssh-restricted", None, "drift"),
            row("vpc-public-private-subnets", None, "drift"),
        ]
    );
    for req in [
        "alarm-instance-cpu",
        "kms-key-rotation",
        "lambda-env-encrypted",
        "s3-log-bucket-encrypted",
        "ssh-restricted",
        "vpc-public-private-subnets",
        "iam-roles-require-mfa",
    ] {
        assert_eq!(a.observed(req, None, "count"), json!(0), "{req}");
    }
    let failed: Vec<(String, serde_json::Value)> = a.finding("dynamodb-encrypted", Some(&table))["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["ok"] == json!(false))
        .map(|c| (c["field"].as_str().unwrap().to_string(), c["observed"].clone()))
        .collect();
    assert_eq!(
        failed,
        [
            ("sse_kms".to_string(), json!(null)),
            ("customer_managed_key".to_string(), json!(null)),
            ("deletion_protection".to_string(), json!(false)),
            ("required_tags".to_string(), json!({})),
        ]
    );
}
