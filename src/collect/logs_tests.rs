//! The CloudWatch Logs collector over recorded answers (JSON 1.1 protocol). Bodies
//! follow the CloudWatch Logs API reference: DescribeLogGroups answers
//! `logGroups[]` (logGroupName, arn ending in `:*`, logGroupArn without it,
//! retentionInDays, kmsKeyId) and a `nextToken` while more remain; a group without
//! retentionInDays keeps its events forever. ListTagsForResource (by the ARN
//! without `:*`) answers `{"tags": {key: value}}`; a deleted group answers
//! ResourceNotFoundException; errors are `{"__type": …, "message": …}`.

use super::*;
use crate::collect::fake::{recording_ctx, Request};
use crate::inventory::{ErrorClass, Tags};

const ACCOUNT: &str = "111122223333";

fn arn(name: &str) -> String {
    format!("arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{name}")
}

fn need(tags: bool) -> Regional {
    Regional { regions: ["us-east-1".to_string()].into(), tags, ..Regional::default() }
}

/// A group with every field the collector reads.
fn full(name: &str) -> serde_json::Value {
    serde_json::json!({
        "logGroupName": name, "creationTime": 1700000000000_i64, "retentionInDays": 365,
        "metricFilterCount": 0, "arn": format!("{}:*", arn(name)), "logGroupArn": arn(name),
        "storedBytes": 1024, "logGroupClass": "STANDARD",
        "kmsKeyId": format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab")
    })
}

/// A group that never expires its events and has no key: AWS omits
/// retentionInDays and kmsKeyId. Only the older `arn` (with `:*`) is given.
fn bare(name: &str) -> serde_json::Value {
    serde_json::json!({"logGroupName": name, "creationTime": 1700000000000_i64, "arn": format!("{}:*", arn(name)), "storedBytes": 0})
}

fn page(groups: Vec<serde_json::Value>, next: Option<&str>) -> String {
    match next {
        Some(t) => serde_json::json!({"logGroups": groups, "nextToken": t}),
        None => serde_json::json!({"logGroups": groups}),
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

fn tags(pairs: &[(&str, &str)]) -> Tags {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[tokio::test]
async fn log_groups_every_field_parsed_and_second_page_read() {
    let (ctx, seen) = recording_ctx(|r| match r.op.as_str() {
        "DescribeLogGroups" if field(r, "nextToken") == "page-2" => (200, page(vec![bare("/app/debug")], None)),
        "DescribeLogGroups" => (200, page(vec![full("/app/audit")], Some("page-2"))),
        other => panic!("unexpected call {other}"),
    });
    let got = collect(&ctx, &need(false)).await;
    let groups = got["us-east-1"].known().expect("both pages were read");
    assert_eq!(
        groups,
        &vec![
            LogGroup {
                name: "/app/audit".into(),
                arn: arn("/app/audit"),
                region: "us-east-1".into(),
                retention_days: Some(365),
                kms_key: Some(format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab")),
                tags: Observed::default(),
            },
            // absent retentionInDays: never expires (None, not zero); no key
            LogGroup {
                name: "/app/debug".into(),
                arn: arn("/app/debug"),
                region: "us-east-1".into(),
                retention_days: None,
                kms_key: None,
                tags: Observed::default(),
            },
        ]
    );
    let ops: Vec<String> = seen.lock().unwrap().iter().map(|r| r.op.clone()).collect();
    assert_eq!(ops, ["DescribeLogGroups", "DescribeLogGroups"]);
    assert!(ctx.errors.lock().unwrap().is_empty());
}

#[tokio::test]
async fn log_groups_failed_second_page_fails_the_listing() {
    let (ctx, _) = recording_ctx(|r| match r.op.as_str() {
        "DescribeLogGroups" if field(r, "nextToken") == "page-2" => error("ThrottlingException"),
        "DescribeLogGroups" => (200, page(vec![full("/app/audit")], Some("page-2"))),
        other => panic!("unexpected call {other}"),
    });
    let got = collect(&ctx, &need(true)).await;
    let gap = got["us-east-1"].gap().expect("a short listing is never passed on as complete");
    assert_eq!(
        (gap.service.as_str(), gap.region.as_str(), gap.operation.as_str(), gap.code.as_str(), gap.class),
        ("logs", "us-east-1", "DescribeLogGroups", "ThrottlingException", ErrorClass::Throttled)
    );
    let errors: Vec<(String, String)> =
        ctx.errors.lock().unwrap().iter().map(|g| (g.operation.clone(), g.code.clone())).collect();
    assert_eq!(errors, [("DescribeLogGroups".to_string(), "ThrottlingException".to_string())]);
}

#[tokio::test]
async fn log_group_tags_read_by_arn_gone_group_dropped_denied_one_unknown() {
    let (ctx, seen) = recording_ctx(|r| match r.op.as_str() {
        "DescribeLogGroups" => (200, page(vec![full("tagged"), bare("untagged"), full("gone"), full("locked")], None)),
        "ListTagsForResource" => match field(r, "resourceArn") {
            a if a == arn("tagged") => (200, r#"{"tags": {"team": "sec", "env": "prod"}}"#.into()),
            a if a == arn("untagged") => (200, r#"{"tags": {}}"#.into()),
            a if a == arn("gone") => error("ResourceNotFoundException"),
            a if a == arn("locked") => error("AccessDeniedException"),
            a => panic!("tags asked for an unexpected ARN {a}"),
        },
        other => panic!("unexpected call {other}"),
    });
    let got = collect(&ctx, &need(true)).await;
    let groups = got["us-east-1"].known().expect("the listing was read");
    let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["tagged", "untagged", "locked"]);
    assert_eq!(groups[0].tags, Observed::Known(tags(&[("env", "prod"), ("team", "sec")])));
    assert_eq!(groups[1].tags, Observed::Known(Tags::new()));
    let gap = groups[2].tags.gap().expect("the denied group's tags are unknown");
    assert_eq!(
        (gap.operation.as_str(), gap.code.as_str(), gap.class, gap.resource.clone()),
        ("ListTagsForResource", "AccessDeniedException", ErrorClass::AccessDenied, Some(arn("locked")))
    );
    // the group that only carried `arn` was asked for by that ARN without `:*`
    let asked: Vec<String> = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|r| r.op == "ListTagsForResource")
        .map(|r| field(r, "resourceArn"))
        .collect();
    assert_eq!(asked.len(), 4);
    assert!(asked.contains(&arn("untagged")), "asked {asked:?}");
    let errors: Vec<(String, String)> =
        ctx.errors.lock().unwrap().iter().map(|g| (g.operation.clone(), g.code.clone())).collect();
    assert_eq!(errors, [("ListTagsForResource".to_string(), "AccessDeniedException".to_string())]);
}
