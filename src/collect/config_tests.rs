//! The AWS Config collector over recorded answers (JSON 1.1 protocol). Bodies
//! follow the AWS Config API reference: DescribeConfigRules answers
//! `ConfigRules[]` (ConfigRuleName, ConfigRuleArn, ConfigRuleState, Source with
//! Owner and SourceIdentifier, the latter absent for a CUSTOM_POLICY rule) and a
//! `NextToken` while more remain; DescribeConfigurationRecorderStatus answers
//! `ConfigurationRecordersStatus[]` with `recording`; ListTagsForResource answers
//! `Tags[]` of Key/Value and a `NextToken`, and ResourceNotFoundException for a
//! rule that no longer exists; errors are `{"__type": …, "message": …}`.

use super::*;
use crate::collect::fake::{recording_ctx, Request};
use crate::inventory::{ErrorClass, Tags};

const ACCOUNT: &str = "111122223333";

fn arn(id: &str) -> String {
    format!("arn:aws:config:us-east-1:{ACCOUNT}:config-rule/config-rule-{id}")
}

fn need(tags: bool, recorder: bool) -> Regional {
    Regional { regions: ["us-east-1".to_string()].into(), tags, detail: recorder, ..Regional::default() }
}

/// A managed rule with every field the collector reads.
fn managed(name: &str) -> serde_json::Value {
    serde_json::json!({
        "ConfigRuleName": name, "ConfigRuleArn": arn(name), "ConfigRuleId": format!("config-rule-{name}"),
        "ConfigRuleState": "ACTIVE", "Description": "versioning on",
        "Source": {"Owner": "AWS", "SourceIdentifier": "S3_BUCKET_VERSIONING_ENABLED"},
        "EvaluationModes": [{"Mode": "DETECTIVE"}]
    })
}

/// A Guard policy rule: Source has no SourceIdentifier; the state is left out.
fn custom_policy(name: &str) -> serde_json::Value {
    serde_json::json!({
        "ConfigRuleName": name, "ConfigRuleArn": arn(name),
        "Source": {"Owner": "CUSTOM_POLICY", "CustomPolicyDetails": {"PolicyRuntime": "guard-2.x.x", "PolicyText": "rule x {}"}}
    })
}

fn rules(list: Vec<serde_json::Value>, next: Option<&str>) -> String {
    match next {
        Some(t) => serde_json::json!({"ConfigRules": list, "NextToken": t}),
        None => serde_json::json!({"ConfigRules": list}),
    }
    .to_string()
}

fn field(r: &Request, name: &str) -> String {
    serde_json::from_str::<serde_json::Value>(&r.body)
        .ok()
        .and_then(|b| b[name].as_str().map(str::to_string))
        .unwrap_or_default()
}

fn error(code: &str) -> (u16, String) {
    (400, serde_json::json!({"__type": code, "message": format!("{code} here")}).to_string())
}

const RECORDING: &str = r#"{"ConfigurationRecordersStatus": [
    {"name": "default", "recording": true, "lastStatus": "SUCCESS", "lastStartTime": 1.7e9}]}"#;

fn tags(pairs: &[(&str, &str)]) -> Tags {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[tokio::test]
async fn config_rules_every_field_parsed_and_second_page_read() {
    let (ctx, seen) = recording_ctx(|r| match r.op.as_str() {
        "DescribeConfigRules" if field(r, "NextToken") == "page-2" => (200, rules(vec![custom_policy("guard")], None)),
        "DescribeConfigRules" => (200, rules(vec![managed("versioning")], Some("page-2"))),
        "DescribeConfigurationRecorderStatus" => (200, RECORDING.into()),
        other => panic!("unexpected call {other}"),
    });
    let got = collect(&ctx, &need(false, true)).await;
    let list = got["us-east-1"].known().expect("both pages were read");
    assert_eq!(
        list,
        &vec![
            ConfigRule {
                name: "versioning".into(),
                arn: arn("versioning"),
                region: "us-east-1".into(),
                owner: Some("AWS".into()),
                source_identifier: Some("S3_BUCKET_VERSIONING_ENABLED".into()),
                state: Some("ACTIVE".into()),
                recorder_on: Observed::Known(true),
                tags: Observed::default(),
            },
            // absent SourceIdentifier and ConfigRuleState stay None
            ConfigRule {
                name: "guard".into(),
                arn: arn("guard"),
                region: "us-east-1".into(),
                owner: Some("CUSTOM_POLICY".into()),
                source_identifier: None,
                state: None,
                recorder_on: Observed::Known(true),
                tags: Observed::default(),
            },
        ]
    );
    let mut ops: Vec<String> = seen.lock().unwrap().iter().map(|r| r.op.clone()).collect();
    ops.sort();
    assert_eq!(ops, ["DescribeConfigRules", "DescribeConfigRules", "DescribeConfigurationRecorderStatus"]);
    assert!(ctx.errors.lock().unwrap().is_empty());
}

#[tokio::test]
async fn config_recorder_absent_is_not_recording_and_denied_is_unknown() {
    // no recorder at all: AWS answers an empty list; a stopped one `recording: false`
    for (answer, expect) in [
        ((200, r#"{"ConfigurationRecordersStatus": []}"#.to_string()), Some(false)),
        (
            (200, r#"{"ConfigurationRecordersStatus": [{"name": "default", "recording": false}]}"#.to_string()),
            Some(false),
        ),
        (error("AccessDeniedException"), None),
    ] {
        let (ctx, _) = recording_ctx(move |r| match r.op.as_str() {
            "DescribeConfigRules" => (200, rules(vec![managed("versioning")], None)),
            "DescribeConfigurationRecorderStatus" => answer.clone(),
            other => panic!("unexpected call {other}"),
        });
        let got = collect(&ctx, &need(false, true)).await;
        let list = got["us-east-1"].known().expect("the rules were read");
        assert_eq!(list.len(), 1);
        match expect {
            Some(v) => assert_eq!(list[0].recorder_on, Observed::Known(v)),
            None => {
                let gap = list[0].recorder_on.gap().expect("a denied recorder read is unknown");
                assert_eq!(
                    (gap.operation.as_str(), gap.code.as_str(), gap.class),
                    ("DescribeConfigurationRecorderStatus", "AccessDeniedException", ErrorClass::AccessDenied)
                );
            }
        }
    }
}

#[tokio::test]
async fn config_rules_failed_second_page_fails_the_listing() {
    let (ctx, _) = recording_ctx(|r| match r.op.as_str() {
        "DescribeConfigRules" if field(r, "NextToken") == "page-2" => error("ThrottlingException"),
        "DescribeConfigRules" => (200, rules(vec![managed("versioning")], Some("page-2"))),
        other => panic!("unexpected call {other}"),
    });
    let got = collect(&ctx, &need(true, false)).await;
    let gap = got["us-east-1"].gap().expect("a short listing is never passed on as complete");
    assert_eq!(
        (gap.service.as_str(), gap.region.as_str(), gap.operation.as_str(), gap.code.as_str(), gap.class),
        ("config", "us-east-1", "DescribeConfigRules", "ThrottlingException", ErrorClass::Throttled)
    );
    let errors: Vec<(String, String)> =
        ctx.errors.lock().unwrap().iter().map(|g| (g.operation.clone(), g.code.clone())).collect();
    assert_eq!(errors, [("DescribeConfigRules".to_string(), "ThrottlingException".to_string())]);
}

#[tokio::test]
async fn config_rule_tags_every_page_gone_rule_dropped_denied_one_unknown() {
    let (ctx, _) = recording_ctx(|r| match r.op.as_str() {
        "DescribeConfigRules" => (200, rules(vec![managed("tagged"), managed("gone"), managed("locked")], None)),
        "ListTagsForResource" => match field(r, "ResourceArn") {
            a if a == arn("tagged") && field(r, "NextToken") == "tags-2" => {
                (200, r#"{"Tags": [{"Key": "env", "Value": "prod"}]}"#.into())
            }
            a if a == arn("tagged") => {
                (200, r#"{"Tags": [{"Key": "team", "Value": "sec"}], "NextToken": "tags-2"}"#.into())
            }
            a if a == arn("gone") => error("ResourceNotFoundException"),
            a if a == arn("locked") => error("AccessDeniedException"),
            a => panic!("tags asked for an unexpected ARN {a}"),
        },
        other => panic!("unexpected call {other}"),
    });
    let got = collect(&ctx, &need(true, false)).await;
    let list = got["us-east-1"].known().expect("the listing was read");
    let names: Vec<&str> = list.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["tagged", "locked"]);
    assert_eq!(list[0].tags, Observed::Known(tags(&[("env", "prod"), ("team", "sec")])));
    let gap = list[1].tags.gap().expect("the denied rule's tags are unknown");
    assert_eq!(
        (gap.operation.as_str(), gap.code.as_str(), gap.class, gap.resource.clone()),
        ("ListTagsForResource", "AccessDeniedException", ErrorClass::AccessDenied, Some(arn("locked")))
    );
    let errors: Vec<(String, String)> =
        ctx.errors.lock().unwrap().iter().map(|g| (g.operation.clone(), g.code.clone())).collect();
    assert_eq!(errors, [("ListTagsForResource".to_string(), "AccessDeniedException".to_string())]);
}
