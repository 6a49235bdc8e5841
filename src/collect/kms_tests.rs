//! The KMS collector over recorded answers (JSON 1.1 protocol). Bodies follow the
//! KMS API reference: ListKeys `Keys[].KeyId/KeyArn`, `Truncated`, `NextMarker`;
//! DescribeKey `KeyMetadata` (KeyId, Arn, KeyManager, KeyState, KeySpec, Origin);
//! GetKeyRotationStatus `KeyRotationEnabled`; errors `{"__type": …, "message": …}`.

use super::*;
use crate::collect::fake::{ctx_with, recording_ctx, Request};
use crate::inventory::ErrorClass;

const ACCOUNT: &str = "111122223333";

fn arn(id: &str) -> String {
    format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/{id}")
}

fn list_keys(ids: &[&str], next: Option<&str>) -> String {
    let keys: Vec<serde_json::Value> =
        ids.iter().map(|id| serde_json::json!({"KeyId": id, "KeyArn": arn(id)})).collect();
    match next {
        Some(m) => serde_json::json!({"Keys": keys, "Truncated": true, "NextMarker": m}),
        None => serde_json::json!({"Keys": keys, "Truncated": false}),
    }
    .to_string()
}

fn metadata(id: &str, spec: &str, origin: &str, state: &str) -> String {
    serde_json::json!({"KeyMetadata": {
        "AWSAccountId": ACCOUNT, "KeyId": id, "Arn": arn(id), "CreationDate": 1.7e9,
        "Enabled": state == "Enabled", "KeyUsage": "ENCRYPT_DECRYPT", "KeyManager": "CUSTOMER",
        "KeyState": state, "KeySpec": spec, "Origin": origin, "MultiRegion": false}})
    .to_string()
}

fn error(code: &str) -> (u16, String) {
    (400, serde_json::json!({"__type": code, "message": format!("{code} for this key")}).to_string())
}

const NO_ALIASES: &str = r#"{"Aliases": [], "Truncated": false}"#;

fn need(rotation: bool) -> Regional {
    Regional { regions: ["us-east-1".to_string()].into(), detail: rotation, ..Default::default() }
}

fn keys_of(got: &BTreeMap<String, Observed<Vec<KmsKey>>>) -> &Vec<KmsKey> {
    got["us-east-1"].known().expect("the region's listing is known")
}

/// The key id a request names (`"KeyId": "…"` in the JSON body).
fn key_of(r: &Request) -> String {
    serde_json::from_str::<serde_json::Value>(&r.body)
        .ok()
        .and_then(|b| b["KeyId"].as_str().map(str::to_string))
        .unwrap_or_default()
}

#[tokio::test]
async fn describe_denied_for_one_key_is_that_keys_gap_only() {
    let ctx = ctx_with(|r| {
        match r.op.as_str() {
        "ListKeys" => (200, list_keys(&["k-open", "k-locked"], None)),
        "ListAliases" => (
            200,
            r#"{"Aliases": [{"AliasName": "alias/app", "AliasArn": "arn:aws:kms:us-east-1:111122223333:alias/app", "TargetKeyId": "k-open"}], "Truncated": false}"#
                .into(),
        ),
        "DescribeKey" if key_of(r) == "k-locked" => error("AccessDeniedException"),
        "DescribeKey" => (200, metadata("k-open", "SYMMETRIC_DEFAULT", "AWS_KMS", "Enabled")),
        "GetKeyRotationStatus" => (200, r#"{"KeyRotationEnabled": true}"#.into()),
        other => panic!("unexpected call {other}"),
    }
    });
    let got = collect(&ctx, &need(true)).await;
    let keys = keys_of(&got);
    let summary: Vec<(&str, &str, Option<&str>, Option<&str>)> =
        keys.iter().map(|k| (k.id.as_str(), k.name(), k.key_spec.as_deref(), k.state.as_deref())).collect();
    assert_eq!(
        summary,
        [("k-open", "app", Some("SYMMETRIC_DEFAULT"), Some("Enabled")), ("k-locked", "k-locked", None, None)]
    );
    assert_eq!(keys[0].rotation, Observed::Known(true));
    assert_eq!(keys[0].metadata_gap, None);
    let gap = keys[1].metadata_gap.as_ref().expect("the locked key's metadata is unknown");
    assert_eq!(
        (gap.operation.as_str(), gap.code.as_str(), gap.class, gap.resource.as_deref()),
        ("DescribeKey", "AccessDeniedException", ErrorClass::AccessDenied, Some(arn("k-locked").as_str()))
    );
    assert_eq!(keys[1].rotation.gap(), Some(gap));
    let errors: Vec<(String, Option<String>)> =
        ctx.errors.lock().unwrap().iter().map(|g| (g.operation.clone(), g.resource.clone())).collect();
    assert_eq!(errors, [("DescribeKey".to_string(), Some(arn("k-locked")))]);
}

#[tokio::test]
async fn key_deleted_between_list_and_describe_is_gone_without_error() {
    let ctx = ctx_with(|r| match r.op.as_str() {
        "ListKeys" => (200, list_keys(&["k-1", "k-gone"], None)),
        "ListAliases" => (200, NO_ALIASES.into()),
        "DescribeKey" if key_of(r) == "k-gone" => error("NotFoundException"),
        "DescribeKey" => (200, metadata("k-1", "SYMMETRIC_DEFAULT", "AWS_KMS", "Enabled")),
        "GetKeyRotationStatus" => (200, r#"{"KeyRotationEnabled": false}"#.into()),
        other => panic!("unexpected call {other}"),
    });
    let got = collect(&ctx, &need(true)).await;
    let ids: Vec<&str> = keys_of(&got).iter().map(|k| k.id.as_str()).collect();
    assert_eq!(ids, ["k-1"]);
    assert!(ctx.errors.lock().unwrap().is_empty(), "{:?}", ctx.errors.lock().unwrap());
}

#[tokio::test]
async fn key_deleted_before_rotation_status_is_gone_without_error() {
    let ctx = ctx_with(|r| match r.op.as_str() {
        "ListKeys" => (200, list_keys(&["k-gone"], None)),
        "ListAliases" => (200, NO_ALIASES.into()),
        "DescribeKey" => (200, metadata("k-gone", "SYMMETRIC_DEFAULT", "AWS_KMS", "Enabled")),
        "GetKeyRotationStatus" => error("NotFoundException"),
        other => panic!("unexpected call {other}"),
    });
    let got = collect(&ctx, &need(true)).await;
    assert_eq!(keys_of(&got), &Vec::<KmsKey>::new());
    assert!(ctx.errors.lock().unwrap().is_empty());
}

#[tokio::test]
async fn rotation_status_is_asked_only_of_keys_that_can_rotate() {
    let (ctx, seen) = recording_ctx(|r| match r.op.as_str() {
        "ListKeys" => {
            (200, list_keys(&["sym", "rsa", "hmac", "imported", "hsm", "xks", "deleting", "replica-deleting"], None))
        }
        "ListAliases" => (200, NO_ALIASES.into()),
        "DescribeKey" => {
            let id = key_of(r);
            let (spec, origin, state) = match id.as_str() {
                "rsa" => ("RSA_2048", "AWS_KMS", "Enabled"),
                "hmac" => ("HMAC_256", "AWS_KMS", "Enabled"),
                "imported" => ("SYMMETRIC_DEFAULT", "EXTERNAL", "Enabled"),
                "hsm" => ("SYMMETRIC_DEFAULT", "AWS_CLOUDHSM", "Enabled"),
                "xks" => ("SYMMETRIC_DEFAULT", "EXTERNAL_KEY_STORE", "Enabled"),
                "deleting" => ("SYMMETRIC_DEFAULT", "AWS_KMS", "PendingDeletion"),
                "replica-deleting" => ("SYMMETRIC_DEFAULT", "AWS_KMS", "PendingReplicaDeletion"),
                _ => ("SYMMETRIC_DEFAULT", "AWS_KMS", "Enabled"),
            };
            (200, metadata(&id, spec, origin, state))
        }
        // AWS answers UnsupportedOperationException / KMSInvalidStateException for the others
        "GetKeyRotationStatus" if key_of(r) == "sym" => (200, r#"{"KeyRotationEnabled": false}"#.into()),
        "GetKeyRotationStatus" => error("UnsupportedOperationException"),
        other => panic!("unexpected call {other}"),
    });
    let got = collect(&ctx, &need(true)).await;
    let keys = keys_of(&got);
    assert_eq!(keys.len(), 8);
    let exempt: Vec<(&str, Option<String>)> =
        keys.iter().map(|k| (k.id.as_str(), k.rotation_exemption().map(|(o, _)| o))).collect();
    assert_eq!(
        exempt,
        [
            ("sym", None),
            ("rsa", Some("KeySpec RSA_2048".into())),
            ("hmac", Some("KeySpec HMAC_256".into())),
            ("imported", Some("Origin EXTERNAL".into())),
            ("hsm", Some("Origin AWS_CLOUDHSM".into())),
            ("xks", Some("Origin EXTERNAL_KEY_STORE".into())),
            ("deleting", Some("KeyState PendingDeletion".into())),
            ("replica-deleting", Some("KeyState PendingReplicaDeletion".into())),
        ]
    );
    assert_eq!(keys[0].rotation, Observed::Known(false));
    let asked: Vec<String> =
        seen.lock().unwrap().iter().filter(|r| r.op == "GetKeyRotationStatus").map(key_of).collect();
    assert_eq!(asked, ["sym"]);
    assert!(ctx.errors.lock().unwrap().is_empty());
}

#[tokio::test]
async fn list_keys_follows_every_page() {
    let ctx = ctx_with(|r| match r.op.as_str() {
        "ListKeys" if r.body.contains("\"Marker\":\"m2\"") => (200, list_keys(&["k-2"], None)),
        "ListKeys" => (200, list_keys(&["k-1"], Some("m2"))),
        "ListAliases" => (200, NO_ALIASES.into()),
        "DescribeKey" => (200, metadata(&key_of(r), "SYMMETRIC_DEFAULT", "AWS_KMS", "Enabled")),
        other => panic!("unexpected call {other}"),
    });
    let got = collect(&ctx, &need(false)).await;
    let ids: Vec<&str> = keys_of(&got).iter().map(|k| k.id.as_str()).collect();
    assert_eq!(ids, ["k-1", "k-2"]);
}

#[tokio::test]
async fn a_failing_list_page_fails_the_region_listing() {
    let ctx = ctx_with(|r| match r.op.as_str() {
        "ListKeys" if r.body.contains("\"Marker\":\"m2\"") => error("ThrottlingException"),
        "ListKeys" => (200, list_keys(&["k-1"], Some("m2"))),
        "ListAliases" => (200, NO_ALIASES.into()),
        "DescribeKey" => (200, metadata(&key_of(r), "SYMMETRIC_DEFAULT", "AWS_KMS", "Enabled")),
        other => panic!("unexpected call {other}"),
    });
    let got = collect(&ctx, &need(false)).await;
    let gap = got["us-east-1"].gap().expect("a failed page fails the listing");
    assert_eq!((gap.operation.as_str(), gap.code.as_str()), ("ListKeys", "ThrottlingException"));
}

#[tokio::test]
async fn a_failing_alias_page_fails_the_region_listing() {
    let ctx = ctx_with(|r| match r.op.as_str() {
        "ListKeys" => (200, list_keys(&["k-1"], None)),
        "ListAliases" if r.body.contains("\"Marker\":\"a2\"") => error("KMSInternalException"),
        "ListAliases" => (200, r#"{"Aliases": [], "Truncated": true, "NextMarker": "a2"}"#.into()),
        "DescribeKey" => (200, metadata(&key_of(r), "SYMMETRIC_DEFAULT", "AWS_KMS", "Enabled")),
        other => panic!("unexpected call {other}"),
    });
    let got = collect(&ctx, &need(false)).await;
    let gap = got["us-east-1"].gap().expect("a failed page fails the listing");
    assert_eq!((gap.operation.as_str(), gap.code.as_str()), ("ListAliases", "KMSInternalException"));
}

#[tokio::test]
async fn key_policy_and_tags_denied_for_one_key_stay_with_that_key() {
    let ctx = ctx_with(|r| match r.op.as_str() {
        "ListKeys" => (200, list_keys(&["k-a", "k-b"], None)),
        "ListAliases" => (200, NO_ALIASES.into()),
        "DescribeKey" => (200, metadata(&key_of(r), "SYMMETRIC_DEFAULT", "AWS_KMS", "Enabled")),
        "GetKeyPolicy" if key_of(r) == "k-b" => error("AccessDeniedException"),
        "GetKeyPolicy" => (200, r#"{"Policy": "{\"Statement\": []}", "PolicyName": "default"}"#.into()),
        "ListResourceTags" if key_of(r) == "k-a" => error("AccessDeniedException"),
        "ListResourceTags" => (200, r#"{"Tags": [{"TagKey": "team", "TagValue": "core"}], "Truncated": false}"#.into()),
        other => panic!("unexpected call {other}"),
    });
    let need = Regional { regions: ["us-east-1".to_string()].into(), extra: true, tags: true, ..Default::default() };
    let got = collect(&ctx, &need).await;
    let keys = keys_of(&got);
    let seen: Vec<(&str, Option<&str>, Option<&str>)> = keys
        .iter()
        .map(|k| {
            (k.id.as_str(), k.policy.gap().map(|g| g.operation.as_str()), k.tags.gap().map(|g| g.operation.as_str()))
        })
        .collect();
    assert_eq!(seen, [("k-a", None, Some("ListResourceTags")), ("k-b", Some("GetKeyPolicy"), None)]);
    assert_eq!(keys[0].policy, Observed::Known(serde_json::json!({"Statement": []})));
    assert_eq!(keys[1].tags, Observed::Known([("team".to_string(), "core".to_string())].into()));
    assert_eq!(ctx.errors.lock().unwrap().len(), 2);
}

/// `customer_managed` over AWS-shaped answers: LocalStack creates the keys behind
/// reserved `alias/aws/…` names with KeyManager CUSTOMER, so an AWS managed key
/// (DescribeKey `KeyManager: AWS`, KMS API reference, KeyMetadata) exists only here.
/// ListAliases also lists predefined AWS aliases without a TargetKeyId (API
/// reference, ListAliases), which name no key.
#[tokio::test]
async fn an_aws_managed_key_drifts_on_customer_managed_next_to_a_customer_key() {
    use crate::compare::{evaluate, Status};
    use crate::inventory::Inventory;
    let ctx = ctx_with(|r| {
        match r.op.as_str() {
        "ListKeys" => (200, list_keys(&["k-aws", "k-app"], None)),
        "ListAliases" => (
            200,
            serde_json::json!({"Aliases": [
                {"AliasName": "alias/aws/ebs", "AliasArn": format!("arn:aws:kms:us-east-1:{ACCOUNT}:alias/aws/ebs")},
                {"AliasName": "alias/aws/sns", "AliasArn": format!("arn:aws:kms:us-east-1:{ACCOUNT}:alias/aws/sns"), "TargetKeyId": "k-aws"},
                {"AliasName": "alias/app", "AliasArn": format!("arn:aws:kms:us-east-1:{ACCOUNT}:alias/app"), "TargetKeyId": "k-app"}],
                "Truncated": false})
            .to_string(),
        ),
        "DescribeKey" => {
            let id = key_of(r);
            let body = metadata(&id, "SYMMETRIC_DEFAULT", "AWS_KMS", "Enabled");
            (200, if id == "k-aws" { body.replace("\"CUSTOMER\"", "\"AWS\"") } else { body })
        }
        other => panic!("unexpected call {other}"),
    }
    });
    let mut got = collect(&ctx, &need(false)).await;
    assert!(ctx.errors.lock().unwrap().is_empty());
    got.insert("us-west-2".into(), Observed::Known(Vec::new()));
    let r = crate::kinds::fixtures::req("kms.key", "[requirement.expect]\ncustomer_managed = true");
    let f = evaluate(&[r], &Inventory { kms_keys: got, ..Default::default() });
    let rows: Vec<(&str, &str, Status, &serde_json::Value)> = f
        .iter()
        .map(|f| {
            (
                f.resource.as_deref().unwrap_or(""),
                f.message.split(':').next().unwrap_or(""),
                f.status,
                &f.checks[0].observed,
            )
        })
        .collect();
    let (app, aws) = (arn("k-app"), arn("k-aws"));
    assert_eq!(
        rows,
        [
            (app.as_str(), "app", Status::Pass, &serde_json::json!("CUSTOMER")),
            (aws.as_str(), "aws/sns", Status::Drift, &serde_json::json!("AWS")),
        ]
    );
    assert_eq!(f[1].checks.len(), 1);
    assert_eq!(f[1].checks[0].field, "customer_managed");
}

#[tokio::test]
async fn aliases_and_tags_follow_every_page_and_unattached_aliases_name_no_key() {
    let ctx = ctx_with(|r| {
        match r.op.as_str() {
        "ListKeys" => (200, list_keys(&["k-1"], None)),
        // page one: an alias of k-1 and an AWS-managed alias not yet attached to a
        // key (AWS leaves TargetKeyId out); page two: a second alias of k-1
        "ListAliases" if r.body.contains("\"Marker\":\"a2\"") => (
            200,
            r#"{"Aliases": [{"AliasName": "alias/orders", "AliasArn": "arn:aws:kms:us-east-1:111122223333:alias/orders", "TargetKeyId": "k-1"}], "Truncated": false}"#.into(),
        ),
        "ListAliases" => (
            200,
            r#"{"Aliases": [{"AliasName": "alias/app", "AliasArn": "arn:aws:kms:us-east-1:111122223333:alias/app", "TargetKeyId": "k-1"},
                {"AliasName": "alias/aws/ebs", "AliasArn": "arn:aws:kms:us-east-1:111122223333:alias/aws/ebs"}],
                "Truncated": true, "NextMarker": "a2"}"#
                .into(),
        ),
        "DescribeKey" => (200, metadata(&key_of(r), "SYMMETRIC_DEFAULT", "AWS_KMS", "Enabled")),
        "ListResourceTags" if r.body.contains("\"Marker\":\"t2\"") => {
            (200, r#"{"Tags": [{"TagKey": "env", "TagValue": "prod"}], "Truncated": false}"#.into())
        }
        "ListResourceTags" => {
            (200, r#"{"Tags": [{"TagKey": "team", "TagValue": "core"}], "Truncated": true, "NextMarker": "t2"}"#.into())
        }
        other => panic!("unexpected call {other}"),
    }
    });
    let need = Regional { regions: ["us-east-1".to_string()].into(), tags: true, ..Default::default() };
    let got = collect(&ctx, &need).await;
    let keys = keys_of(&got);
    let summary: Vec<(&str, Vec<String>, Observed<crate::inventory::Tags>)> =
        keys.iter().map(|k| (k.id.as_str(), k.aliases.clone(), k.tags.clone())).collect();
    assert_eq!(
        summary,
        [(
            "k-1",
            vec!["app".to_string(), "orders".to_string()],
            Observed::Known([("env".to_string(), "prod".to_string()), ("team".to_string(), "core".to_string())].into())
        )]
    );
    assert!(ctx.errors.lock().unwrap().is_empty());
}
