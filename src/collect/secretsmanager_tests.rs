//! The Secrets Manager collector over recorded answers (JSON 1.1 protocol). Bodies
//! follow the Secrets Manager API reference: ListSecrets answers `SecretList[]` of
//! SecretListEntry (ARN, Name, KmsKeyId, RotationEnabled, RotationRules with
//! AutomaticallyAfterDays / ScheduleExpression, Tags[] of Key/Value) and a
//! `NextToken` while more remain. KmsKeyId is omitted for a secret under the AWS
//! managed key aws/secretsmanager; errors are `{"__type": …, "message": …}`.

use super::*;
use crate::collect::fake::recording_ctx;
use crate::inventory::{ErrorClass, Tags};

const ACCOUNT: &str = "111122223333";

fn arn(name: &str) -> String {
    format!("arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:{name}-AbCdEf")
}

fn need() -> Regional {
    Regional { regions: ["us-east-1".to_string()].into(), ..Regional::default() }
}

fn tags(pairs: &[(&str, &str)]) -> Tags {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// A secret with every field the collector reads.
fn full_entry() -> serde_json::Value {
    serde_json::json!({
        "ARN": arn("db-password"), "Name": "db-password", "Description": "primary db",
        "KmsKeyId": format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
        "RotationEnabled": true,
        "RotationLambdaARN": format!("arn:aws:lambda:us-east-1:{ACCOUNT}:function:rotate"),
        "RotationRules": {"AutomaticallyAfterDays": 30, "Duration": "2h", "ScheduleExpression": "rate(30 days)"},
        "LastChangedDate": 1.7e9, "CreatedDate": 1.69e9,
        "Tags": [{"Key": "team", "Value": "payments"}, {"Key": "env", "Value": "prod"}],
        "SecretVersionsToStages": {"v1": ["AWSCURRENT"]}
    })
}

/// A secret never configured for rotation, under the AWS managed key, untagged:
/// AWS omits RotationEnabled, RotationRules, KmsKeyId and Tags.
fn bare_entry() -> serde_json::Value {
    serde_json::json!({"ARN": arn("plain"), "Name": "plain", "LastChangedDate": 1.7e9})
}

fn page(entries: Vec<serde_json::Value>, next: Option<&str>) -> String {
    match next {
        Some(t) => serde_json::json!({"SecretList": entries, "NextToken": t}),
        None => serde_json::json!({"SecretList": entries}),
    }
    .to_string()
}

fn asks_for(body: &str, token: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(body).ok().and_then(|b| b["NextToken"].as_str().map(|t| t == token))
        == Some(true)
}

#[tokio::test]
async fn secrets_every_field_parsed_and_second_page_read() {
    let (ctx, seen) = recording_ctx(|r| match r.op.as_str() {
        "ListSecrets" if asks_for(&r.body, "page-2") => (200, page(vec![bare_entry()], None)),
        "ListSecrets" => (200, page(vec![full_entry()], Some("page-2"))),
        other => panic!("unexpected call {other}"),
    });
    let got = collect(&ctx, &need()).await;
    let secrets = got["us-east-1"].known().expect("both pages were read");
    assert_eq!(
        secrets,
        &vec![
            Secret {
                name: "db-password".into(),
                arn: arn("db-password"),
                region: "us-east-1".into(),
                rotation_enabled: true,
                rotation_days: Some(30),
                rotation_schedule: Some("rate(30 days)".into()),
                kms_key: Some(format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab")),
                tags: Observed::Known(tags(&[("env", "prod"), ("team", "payments")])),
            },
            // absent fields: no rotation configured (AWS omits RotationEnabled), no
            // customer key (KmsKeyId omitted for aws/secretsmanager), no tags
            Secret {
                name: "plain".into(),
                arn: arn("plain"),
                region: "us-east-1".into(),
                rotation_enabled: false,
                rotation_days: None,
                rotation_schedule: None,
                kms_key: None,
                tags: Observed::Known(Tags::new()),
            },
        ]
    );
    let ops: Vec<String> = seen.lock().unwrap().iter().map(|r| r.op.clone()).collect();
    assert_eq!(ops, ["ListSecrets", "ListSecrets"]);
    assert!(ctx.errors.lock().unwrap().is_empty());
}

#[tokio::test]
async fn secrets_failed_second_page_fails_the_listing() {
    let (ctx, _) = recording_ctx(|r| match r.op.as_str() {
        "ListSecrets" if asks_for(&r.body, "page-2") => {
            (400, serde_json::json!({"__type": "AccessDeniedException", "message": "not allowed"}).to_string())
        }
        "ListSecrets" => (200, page(vec![full_entry()], Some("page-2"))),
        other => panic!("unexpected call {other}"),
    });
    let got = collect(&ctx, &need()).await;
    let gap = got["us-east-1"].gap().expect("a short listing is never passed on as complete");
    assert_eq!(
        (gap.service.as_str(), gap.region.as_str(), gap.operation.as_str(), gap.code.as_str(), gap.class),
        ("secretsmanager", "us-east-1", "ListSecrets", "AccessDeniedException", ErrorClass::AccessDenied)
    );
    assert_eq!(gap.resource, None);
    let errors: Vec<(String, String)> =
        ctx.errors.lock().unwrap().iter().map(|g| (g.operation.clone(), g.code.clone())).collect();
    assert_eq!(errors, [("ListSecrets".to_string(), "AccessDeniedException".to_string())]);
}

#[tokio::test]
async fn secrets_entry_without_name_is_a_malformed_listing() {
    let (ctx, _) = recording_ctx(|r| match r.op.as_str() {
        "ListSecrets" => (200, page(vec![serde_json::json!({"ARN": arn("nameless")})], None)),
        other => panic!("unexpected call {other}"),
    });
    let got = collect(&ctx, &need()).await;
    let gap = got["us-east-1"].gap().expect("an entry without its Name cannot be trusted");
    assert_eq!(
        (gap.operation.as_str(), gap.code.as_str(), gap.class),
        ("ListSecrets", "MalformedResponse", ErrorClass::Malformed)
    );
}
