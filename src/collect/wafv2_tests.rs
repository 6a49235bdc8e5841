//! WAFv2 collection over recorded answers (JSON 1.1), written from the WAFV2 API
//! reference's response shapes (ListWebACLs, GetWebACL, DescribeManagedRuleGroup,
//! GetLoggingConfiguration), then evaluated against `wafv2.web_acl`.

use super::*;
use crate::collect::fake::{ctx_with, recording_ctx, Request};
use crate::compare::{evaluate, Finding, Status};
use crate::inventory::Inventory;
use serde_json::{json, Value};

fn acl_arn(name: &str) -> String {
    format!("arn:aws:wafv2:us-east-1:123456789012:regional/webacl/{name}/a1b2c3d4-5678-90ab-cdef-{name}")
}

fn visibility(name: &str) -> Value {
    json!({"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": name})
}

fn list(names: &[&str]) -> String {
    let acls: Vec<Value> = names
        .iter()
        .map(|n| json!({"Name": n, "Id": format!("id-{n}"), "Description": "", "LockToken": "t", "ARN": acl_arn(n)}))
        .collect();
    json!({"WebACLs": acls}).to_string()
}

fn get(name: &str, rules: Vec<Value>) -> String {
    json!({
        "WebACL": {
            "Name": name,
            "Id": format!("id-{name}"),
            "ARN": acl_arn(name),
            "DefaultAction": {"Allow": {}},
            "Description": "",
            "Rules": rules,
            "VisibilityConfig": visibility(name),
            "Capacity": 1000,
            "ManagedByFirewallManager": false,
            "LabelNamespace": format!("awswaf:123456789012:webacl:{name}:")
        },
        "LockToken": "t"
    })
    .to_string()
}

/// A rule whose statement is a managed rule group.
fn group_rule(name: &str, group: &str, statement_extra: Value, override_action: &str) -> Value {
    let mut statement = json!({"VendorName": "AWS", "Name": group});
    if let (Some(s), Some(extra)) = (statement.as_object_mut(), statement_extra.as_object()) {
        s.extend(extra.clone());
    }
    json!({
        "Name": name,
        "Priority": 1,
        "Statement": {"ManagedRuleGroupStatement": statement},
        "OverrideAction": {override_action: {}},
        "VisibilityConfig": visibility(name)
    })
}

fn rate_rule(name: &str, limit: i64, action: &str) -> Value {
    json!({
        "Name": name,
        "Priority": 2,
        "Statement": {"RateBasedStatement": {"Limit": limit, "EvaluationWindowSec": 300, "AggregateKeyType": "IP"}},
        "Action": {action: {}},
        "VisibilityConfig": visibility(name)
    })
}

fn counts(rules: &[&str]) -> Value {
    json!({"RuleActionOverrides": rules.iter().map(|r| json!({"Name": r, "ActionToUse": {"Count": {}}})).collect::<Vec<_>>()})
}

/// AWSManagedRulesKnownBadInputsRuleSet's rules as DescribeManagedRuleGroup lists them.
const BAD_INPUTS: &[&str] = &[
    "JavaDeserializationRCE_HEADER",
    "JavaDeserializationRCE_BODY",
    "Host_localhost_HEADER",
    "PROPFIND_METHOD",
    "ExploitablePaths_URIPATH",
    "Log4JRCE_HEADER",
];

fn describe_group(rules: &[&str]) -> String {
    json!({
        "VersionName": "Version_1.22",
        "SnsTopicArn": "arn:aws:sns:us-east-1:248400274283:aws-managed-waf-rule-notifications",
        "Capacity": 200,
        "Rules": rules.iter().map(|r| json!({"Name": r, "Action": {"Block": {}}})).collect::<Vec<_>>(),
        "LabelNamespace": "awswaf:managed:aws:known-bad-inputs:",
        "AvailableLabels": [],
        "ConsumedLabels": []
    })
    .to_string()
}

fn waf_error(code: &str) -> (u16, String) {
    (400, json!({"__type": code, "Message": format!("{code} here")}).to_string())
}

fn acl_name(r: &Request) -> String {
    serde_json::from_str::<Value>(&r.body).ok().and_then(|v| v["Name"].as_str().map(str::to_string)).unwrap_or_default()
}

fn req(expect: &str) -> crate::profile::Requirement {
    let text = format!(
        "[profile]\nname = \"t\"\nregions = [\"us-east-1\"]\n[[requirement]]\nid = \"r\"\nkind = \"wafv2.web_acl\"\n[requirement.expect]\n{expect}\n"
    );
    let mut p = crate::profile::parse("t.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    p.resolve_regions(&[], "us-east-1");
    p.requirements.remove(0)
}

async fn findings(ctx: &crate::aws::Ctx, expect: &str) -> Vec<Finding> {
    let wanted = BTreeSet::from([("REGIONAL".to_string(), "us-east-1".to_string())]);
    let got = collect(ctx, &wanted, false, false).await;
    evaluate(&[req(expect)], &Inventory { web_acls: got, ..Default::default() })
}

fn rows<'a>(f: &'a [Finding], field: &str) -> Vec<(Option<&'a str>, Status, Value)> {
    f.iter()
        .map(|f| {
            let c = f.checks.iter().find(|c| c.field == field).unwrap_or_else(|| panic!("no {field} in {f:?}"));
            (f.resource.as_deref(), f.status, c.observed.clone())
        })
        .collect()
}

const GROUPS: &str = "managed_rule_groups = [\"AWSManagedRulesKnownBadInputsRuleSet\"]";

#[tokio::test]
async fn managed_groups_that_only_count_block_nothing() {
    let (ctx, seen) = recording_ctx(|r| match (r.op.as_str(), acl_name(r).as_str()) {
        ("ListWebACLs", _) => (200, list(&["a-blocks", "b-override-count", "c-all-counted", "d-excluded", "e-some"])),
        ("GetWebACL", "a-blocks") => {
            (200, get("a-blocks", vec![group_rule("bad", "AWSManagedRulesKnownBadInputsRuleSet", json!({}), "None")]))
        }
        ("GetWebACL", "b-override-count") => (
            200,
            get(
                "b-override-count",
                vec![group_rule("bad", "AWSManagedRulesKnownBadInputsRuleSet", json!({}), "Count")],
            ),
        ),
        ("GetWebACL", "c-all-counted") => (
            200,
            get(
                "c-all-counted",
                vec![group_rule("bad", "AWSManagedRulesKnownBadInputsRuleSet", counts(BAD_INPUTS), "None")],
            ),
        ),
        ("GetWebACL", "d-excluded") => {
            let excluded = json!({"ExcludedRules": BAD_INPUTS.iter().map(|r| json!({"Name": r})).collect::<Vec<_>>()});
            (200, get("d-excluded", vec![group_rule("bad", "AWSManagedRulesKnownBadInputsRuleSet", excluded, "None")]))
        }
        ("GetWebACL", "e-some") => (
            200,
            get(
                "e-some",
                vec![group_rule("bad", "AWSManagedRulesKnownBadInputsRuleSet", counts(&["Log4JRCE_HEADER"]), "None")],
            ),
        ),
        ("DescribeManagedRuleGroup", _) => (200, describe_group(BAD_INPUTS)),
        (op, name) => panic!("unexpected {op} {name}"),
    });
    let f = findings(&ctx, GROUPS).await;
    let g = "AWS:AWSManagedRulesKnownBadInputsRuleSet";
    let (a, b, c, d, e) = (
        acl_arn("a-blocks"),
        acl_arn("b-override-count"),
        acl_arn("c-all-counted"),
        acl_arn("d-excluded"),
        acl_arn("e-some"),
    );
    assert_eq!(
        rows(&f, "managed_rule_groups"),
        [
            (Some(a.as_str()), Status::Pass, json!([g])),
            (
                Some(b.as_str()),
                Status::Drift,
                json!([format!("{g} (blocks nothing: the rule's OverrideAction is Count)")])
            ),
            (
                Some(c.as_str()),
                Status::Drift,
                json!([format!("{g} (blocks nothing: its rule overrides leave no rule that blocks)")])
            ),
            (
                Some(d.as_str()),
                Status::Drift,
                json!([format!("{g} (blocks nothing: its rule overrides leave no rule that blocks)")])
            ),
            (Some(e.as_str()), Status::Pass, json!([format!("{g} (counts only: Log4JRCE_HEADER)")])),
        ]
    );
    // the group's rules are read once, for the listing, and only where the overrides leave nothing blocking
    let described = seen.lock().unwrap().iter().filter(|r| r.op == "DescribeManagedRuleGroup").count();
    assert_eq!(described, 1);
    assert!(ctx.errors.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_group_whose_rules_cannot_be_read_is_unknown() {
    let ctx = ctx_with(|r| match r.op.as_str() {
        "ListWebACLs" => (200, list(&["site"])),
        "GetWebACL" => (
            200,
            get(
                "site",
                vec![group_rule("bad", "AWSManagedRulesKnownBadInputsRuleSet", counts(&["PROPFIND_METHOD"]), "None")],
            ),
        ),
        "DescribeManagedRuleGroup" => waf_error("AccessDeniedException"),
        op => panic!("unexpected {op}"),
    });
    let f = findings(&ctx, GROUPS).await;
    assert_eq!(f.iter().map(|f| f.status).collect::<Vec<_>>(), [Status::Unknown]);
    let c = &f[0].checks[0];
    assert_eq!(
        c.error.as_deref(),
        Some("AWSManagedRulesKnownBadInputsRuleSet: wafv2:DescribeManagedRuleGroup in us-east-1 failed with AccessDeniedException")
    );
}

#[tokio::test]
async fn rate_rules_that_count_limit_nothing() {
    let ctx = ctx_with(|r| match (r.op.as_str(), acl_name(r).as_str()) {
        ("ListWebACLs", _) => (200, list(&["block", "captcha", "count"])),
        ("GetWebACL", "block") => (200, get("block", vec![rate_rule("per-ip", 2000, "Block")])),
        ("GetWebACL", "captcha") => (200, get("captcha", vec![rate_rule("per-ip", 1000, "Captcha")])),
        ("GetWebACL", "count") => (200, get("count", vec![rate_rule("per-ip", 100, "Count")])),
        (op, name) => panic!("unexpected {op} {name}"),
    });
    let f = findings(&ctx, "rate_limit = true\nrate_limit_requests = { at_most = 2000 }").await;
    let (block, captcha, count) = (acl_arn("block"), acl_arn("captcha"), acl_arn("count"));
    assert_eq!(
        rows(&f, "rate_limit"),
        [
            (Some(block.as_str()), Status::Pass, json!(["per-ip: limit 2000, Block"])),
            (Some(captcha.as_str()), Status::Pass, json!(["per-ip: limit 1000, Captcha"])),
            (Some(count.as_str()), Status::Drift, json!(["per-ip: limit 100, Count (limits nothing)"])),
        ]
    );
    let failed: Vec<&str> = f[2].checks.iter().filter(|c| c.ok == Some(false)).map(|c| c.field.as_ref()).collect();
    assert_eq!(failed, ["rate_limit", "rate_limit_requests"]);
}

#[tokio::test]
async fn nested_statements_are_walked_but_only_top_level_ones_act() {
    // AWS accepts managed groups and rate-based statements only as a rule's own
    // statement; an answer that nests them is still read, and they do not count
    let nested = json!({
        "Name": "nested",
        "Priority": 3,
        "Statement": {"AndStatement": {"Statements": [
            {"NotStatement": {"Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": "AWSManagedRulesKnownBadInputsRuleSet"}}}},
            {"RateBasedStatement": {"Limit": 500, "AggregateKeyType": "IP"}}
        ]}},
        "Action": {"Block": {}},
        "VisibilityConfig": visibility("nested")
    });
    let ctx = ctx_with(move |r| match r.op.as_str() {
        "ListWebACLs" => (200, list(&["site"])),
        "GetWebACL" => (200, get("site", vec![nested.clone()])),
        op => panic!("unexpected {op}"),
    });
    let f = findings(&ctx, &format!("{GROUPS}\nrate_limit = true")).await;
    let site = acl_arn("site");
    assert_eq!(
        rows(&f, "managed_rule_groups"),
        [(
            Some(site.as_str()),
            Status::Drift,
            json!([
                "AWS:AWSManagedRulesKnownBadInputsRuleSet (blocks nothing: nested in another statement, where AWS does not run a managed rule group)"
            ])
        )]
    );
    assert_eq!(rows(&f, "rate_limit")[0].2, json!(["nested: limit 500, Block (nested: not run as a rate-based rule)"]));
    let failed: Vec<&str> = f[0].checks.iter().filter(|c| c.ok == Some(false)).map(|c| c.field.as_ref()).collect();
    assert_eq!(failed, ["managed_rule_groups", "rate_limit"]);
}

#[tokio::test]
async fn one_acl_denied_or_deleted_does_not_blind_the_listing() {
    let ctx = ctx_with(|r| match (r.op.as_str(), acl_name(r).as_str()) {
        ("ListWebACLs", _) => (200, list(&["denied", "gone", "ok"])),
        ("GetWebACL", "denied") => waf_error("AccessDeniedException"),
        ("GetWebACL", "gone") => waf_error("WAFNonexistentItemException"),
        ("GetWebACL", "ok") => (200, get("ok", vec![rate_rule("per-ip", 2000, "Block")])),
        (op, name) => panic!("unexpected {op} {name}"),
    });
    let f = findings(&ctx, "rate_limit = true").await;
    let (denied, ok) = (acl_arn("denied"), acl_arn("ok"));
    assert_eq!(
        f.iter().map(|f| (f.resource.as_deref(), f.status)).collect::<Vec<_>>(),
        [(Some(denied.as_str()), Status::Unknown), (Some(ok.as_str()), Status::Pass)]
    );
    assert_eq!(f[0].checks[0].error.as_deref(), Some("wafv2:GetWebACL in us-east-1 failed with AccessDeniedException"));
    let errors: Vec<(String, Option<String>)> =
        ctx.errors.lock().unwrap().iter().map(|g| (g.operation.clone(), g.resource.clone())).collect();
    assert_eq!(errors, [("GetWebACL".to_string(), Some(denied.clone()))]);
}

fn marker(r: &Request) -> String {
    serde_json::from_str::<Value>(&r.body)
        .ok()
        .and_then(|v| v["NextMarker"].as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The web ACL a request names: ListTagsForResource spells it `ResourceARN`,
/// GetLoggingConfiguration `ResourceArn`.
fn resource(r: &Request) -> String {
    serde_json::from_str::<Value>(&r.body)
        .ok()
        .and_then(|v| v["ResourceARN"].as_str().or(v["ResourceArn"].as_str()).map(str::to_string))
        .unwrap_or_default()
}

/// A ListWebACLs page with a NextMarker.
fn list_page(names: &[&str], next: &str) -> String {
    let mut v: Value = serde_json::from_str(&list(names)).unwrap_or_default();
    v["NextMarker"] = json!(next);
    v.to_string()
}

fn regional() -> BTreeSet<(String, String)> {
    [("REGIONAL".to_string(), "us-east-1".to_string())].into()
}

#[tokio::test]
async fn web_acls_follow_next_marker_to_the_end_with_paged_tags_and_logging() {
    // WAF may hand back a NextMarker with the last entries: the listing ends at
    // the empty page that follows
    let (ctx, seen) = recording_ctx(|r| {
        match r.op.as_str() {
        "ListWebACLs" if marker(r) == "m2" => (200, list_page(&["second"], "m3")),
        "ListWebACLs" if marker(r) == "m3" => (200, json!({"WebACLs": [], "NextMarker": "m3"}).to_string()),
        "ListWebACLs" => (200, list_page(&["first"], "m2")),
        "GetWebACL" => (200, get(&acl_name(r), vec![])),
        "ListTagsForResource" if resource(r) == acl_arn("first") && marker(r) == "t2" => (
            200,
            json!({"TagInfoForResource": {"ResourceARN": acl_arn("first"), "TagList": [{"Key": "env", "Value": "prod"}]}})
                .to_string(),
        ),
        "ListTagsForResource" if resource(r) == acl_arn("first") => (
            200,
            json!({"NextMarker": "t2", "TagInfoForResource": {"ResourceARN": acl_arn("first"), "TagList": [{"Key": "team", "Value": "edge"}]}})
                .to_string(),
        ),
        "ListTagsForResource" => {
            (200, json!({"TagInfoForResource": {"ResourceARN": resource(r), "TagList": []}}).to_string())
        }
        // logging on for the first ACL; none for the second (WAF's NonexistentItem)
        "GetLoggingConfiguration" if resource(r) == acl_arn("first") => (
            200,
            json!({"LoggingConfiguration": {"ResourceArn": acl_arn("first"),
                "LogDestinationConfigs": ["arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-first"]}})
            .to_string(),
        ),
        "GetLoggingConfiguration" => waf_error("WAFNonexistentItemException"),
        other => panic!("unexpected call {other}"),
    }
    });
    let got = collect(&ctx, &regional(), true, true).await;
    let acls = got["REGIONAL:us-east-1"].known().expect("every page was read");
    let summary: Vec<(&str, Observed<bool>, Observed<crate::inventory::Tags>)> =
        acls.iter().map(|a| (a.name.as_str(), a.logging.clone(), a.tags.clone())).collect();
    assert_eq!(
        summary,
        [
            (
                "first",
                Observed::Known(true),
                Observed::Known([("env".into(), "prod".into()), ("team".into(), "edge".into())].into())
            ),
            ("second", Observed::Known(false), Observed::Known(Default::default())),
        ]
    );
    let lists = seen.lock().unwrap().iter().filter(|r| r.op == "ListWebACLs").count();
    assert_eq!(lists, 3);
    assert!(ctx.errors.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_failing_web_acl_page_fails_the_listing() {
    let ctx = ctx_with(|r| match r.op.as_str() {
        "ListWebACLs" if marker(r) == "m2" => waf_error("WAFInternalErrorException"),
        "ListWebACLs" => (200, list_page(&["first"], "m2")),
        other => panic!("unexpected call {other}"),
    });
    let got = collect(&ctx, &regional(), false, false).await;
    let gap = got["REGIONAL:us-east-1"].gap().expect("a short listing is never passed on as complete");
    assert_eq!(
        (gap.service.as_str(), gap.operation.as_str(), gap.code.as_str()),
        ("wafv2", "ListWebACLs", "WAFInternalErrorException")
    );
    let errors: Vec<String> = ctx.errors.lock().unwrap().iter().map(|g| g.operation.clone()).collect();
    assert_eq!(errors, ["ListWebACLs"]);
}
