//! kms.key, dynamodb.table, lambda.function and ec2.security_group end to end: the
//! serverless sample (localstack/samples/serverless.rs) in a fresh account.

use crate::samples::{serverless, Variant};
use crate::support::account;
use crate::support::audit;
use serde_json::json;

const PROFILE: &str = "localstack/samples/serverless/serverless.toml";

/// Findings of one requirement: (resource, status).
fn of<'a>(rows: &'a [(String, Option<String>, String)], req: &str) -> Vec<(Option<&'a str>, &'a str)> {
    rows.iter().filter(|(r, _, _)| r == req).map(|(_, res, s)| (res.as_deref(), s.as_str())).collect()
}

#[tokio::test]
async fn serverless_compliant_passes() {
    let acct = account();
    serverless::deploy(&acct, Variant::Compliant).await.unwrap();
    let a = audit::run(&acct, &[PROFILE], &[]);
    a.assert_code(0);
    // every finding, exactly: four passes, no errors
    a.assert_pinned(&acct, "serverless_compliant");
    let fn_arn = format!("arn:aws:lambda:us-east-1:{}:function:prod-processor", acct.id);
    let table_arn = format!("arn:aws:dynamodb:us-east-1:{}:table/prod-sessions", acct.id);
    assert_eq!(of(&a.rows(), "functions-current-and-encrypted"), [(Some(fn_arn.as_str()), "pass")]);
    assert_eq!(of(&a.rows(), "tables-encrypted"), [(Some(table_arn.as_str()), "pass")]);
}

#[tokio::test]
async fn serverless_drifted_reports_each_gap() {
    let acct = account();
    serverless::deploy(&acct, Variant::Drifted).await.unwrap();
    let a = audit::run(&acct, &[PROFILE], &[]);
    a.assert_code(1);
    // every finding, exactly: four drifts with what did not pass, no errors
    a.assert_pinned(&acct, "serverless_drifted");
    let rows = a.rows();

    let key = of(&rows, "kms-rotation")[0].0.unwrap().to_string();
    assert!(key.starts_with(&format!("arn:aws:kms:us-east-1:{}:key/", acct.id)), "{key}");
    assert_eq!(a.observed("kms-rotation", Some(&key), "rotation"), json!(false));

    let table = format!("arn:aws:dynamodb:us-east-1:{}:table/prod-events", acct.id);
    assert_eq!(a.observed("tables-encrypted", Some(&table), "sse_kms"), json!(null));
    assert_eq!(a.observed("tables-encrypted", Some(&table), "point_in_time_recovery"), json!(false));
    assert_eq!(a.observed("tables-encrypted", Some(&table), "deletion_protection"), json!(false));

    let function = format!("arn:aws:lambda:us-east-1:{}:function:prod-legacy", acct.id);
    assert_eq!(a.observed("functions-current-and-encrypted", Some(&function), "runtime"), json!("python3.9"));
    assert_eq!(a.observed("functions-current-and-encrypted", Some(&function), "env_encrypted_with_cmk"), json!(null));

    let sg = of(&rows, "ssh-restricted")[0].0.unwrap().to_string();
    assert!(sg.starts_with(&format!("arn:aws:ec2:us-east-1:{}:security-group/sg-", acct.id)), "{sg}");
    assert_eq!(a.observed("ssh-restricted", Some(&sg), "restrict_ports"), json!(["tcp/22 from 0.0.0.0/0"]));
    assert_eq!(
        a.observed("ssh-restricted", Some(&sg), "world_open_ports"),
        json!(["tcp/22 from 0.0.0.0/0", "tcp/80 from 0.0.0.0/0"])
    );
}
