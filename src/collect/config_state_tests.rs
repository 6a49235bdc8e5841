//! The Config collector over recorded answers written from the AWS Config API
//! reference (DescribeConfigRules' ConfigRule shape). A rule's ConfigRuleState is
//! ACTIVE, DELETING, DELETING_RESULTS or EVALUATING; PutConfigRule only creates
//! ACTIVE rules and the emulator drops a deleted rule at once, so a rule that is
//! not ACTIVE is tested here only.

use super::collect;
use crate::collect::fake::{ctx_with, Request};
use crate::collect::Plan;
use crate::compare::{evaluate, Status};
use crate::inventory::Inventory;
use crate::kinds::tests::{observed, req, statuses};

const ARN: &str = "arn:aws:config:us-east-1:111122223333:config-rule";

fn answers(r: &Request) -> (u16, String) {
    let rule = |name: &str, id: &str, state: &str| {
        format!(
            r#"{{"ConfigRuleName":"{name}","ConfigRuleArn":"{ARN}/{id}","ConfigRuleId":"{id}","Source":{{"Owner":"AWS","SourceIdentifier":"S3_BUCKET_PUBLIC_READ_PROHIBITED"}},"ConfigRuleState":"{state}"}}"#
        )
    };
    match r.op.as_str() {
        "DescribeConfigRules" => (
            200,
            format!(
                r#"{{"ConfigRules":[{},{}]}}"#,
                rule("a-active", "config-rule-aaaaaa", "ACTIVE"),
                rule("b-deleting", "config-rule-bbbbbb", "DELETING")
            ),
        ),
        op => panic!("unexpected call {op} {}", r.body),
    }
}

#[tokio::test]
async fn a_rule_being_deleted_is_not_active() {
    let r = req("config.rule", "select = { regions = [\"us-east-1\"] }\n[requirement.expect]\nactive = true");
    let mut plan = Plan::default();
    (r.kind.plan)(&r, &mut plan);
    let ctx = ctx_with(answers);
    let need = plan.need("config").unwrap();
    let rules = collect(&ctx, &crate::collect::Regional::of(need, "recorder", "")).await;
    assert!(ctx.errors.lock().unwrap().is_empty());
    let f = evaluate(&[r], &Inventory { config_rules: rules, ..Default::default() });
    let (a, b) = (format!("{ARN}/config-rule-aaaaaa"), format!("{ARN}/config-rule-bbbbbb"));
    assert_eq!(statuses(&f), [(Some(a.as_str()), Status::Pass), (Some(b.as_str()), Status::Drift)]);
    assert_eq!(observed(&f[0], "active"), &serde_json::json!("ACTIVE"));
    assert_eq!(observed(&f[1], "active"), &serde_json::json!("DELETING"));
    let failed: Vec<&str> = f[1].checks.iter().filter(|c| c.ok != Some(true)).map(|c| c.field.as_ref()).collect();
    assert_eq!(failed, ["active"]);
}
