//! `wafv2.web_acl`: which managed group statements act, and where CloudFront's
//! ACLs are read.

use super::*;
#[allow(unused_imports)]
use crate::compare::{evaluate, Finding, Status};
#[allow(unused_imports)]
use crate::inventory::*;
use crate::kinds::fixtures::req;
#[allow(unused_imports)]
use crate::kinds::fixtures::*;
use std::collections::BTreeMap;
#[allow(unused_imports)]
use std::collections::BTreeSet;

fn group(overrides: &[(&str, &str)], rules: Option<&[(&str, &str)]>) -> ManagedGroupUse {
    ManagedGroupUse {
        rule: "r".into(),
        group: "AWS:AWSManagedRulesCommonRuleSet".into(),
        version: None,
        top_level: true,
        override_action: Some("None".into()),
        rule_overrides: overrides.iter().map(|(r, a)| (r.to_string(), a.to_string())).collect(),
        group_rules: rules.map(|rs| {
            Observed::Known(rs.iter().map(|(r, a)| (r.to_string(), a.to_string())).collect::<BTreeMap<_, _>>())
        }),
    }
}

#[test]
fn overrides_decide_whether_a_group_blocks() {
    // a Block override keeps the group acting, whatever its own rules do
    let g = group(&[("A", "Block"), ("B", "Count")], None);
    assert_eq!(show_group(&g), "AWS:AWSManagedRulesCommonRuleSet (counts only: B)");
    // Allow lets requests through as Count does
    let g = group(&[("A", "Allow"), ("B", "Count")], Some(&[("A", "Block"), ("B", "Block")]));
    assert_eq!(
        show_group(&g),
        "AWS:AWSManagedRulesCommonRuleSet (blocks nothing: its rule overrides leave no rule that blocks)"
    );
    // a rule left alone still blocks with its own action
    let g = group(&[("A", "Count")], Some(&[("A", "Block"), ("C", "Challenge")]));
    assert_eq!(show_group(&g), "AWS:AWSManagedRulesCommonRuleSet (counts only: A)");
    // a rule the vendor set to Count, the others overridden: nothing blocks
    let g = group(&[("A", "Count")], Some(&[("A", "Block"), ("C", "Count")]));
    assert!(matches!(effect(&g), Effect::Inert(_)));
    let g = group(&[("A", "Count")], Some(&[]));
    assert!(matches!(effect(&g), Effect::Unknown(_)));
    let g = group(&[("A", "Count")], None);
    assert!(matches!(effect(&g), Effect::Unknown(_)));
}

#[test]
fn cloudfront_acls_are_read_in_the_partition_global_region() {
    let cloudfront = |regions: &str| {
        let text = format!("[profile]\nname = \"t\"\nregions = [{regions}]\n[[requirement]]\nid = \"r\"\nkind = \"wafv2.web_acl\"\n[requirement.expect]\nscope = \"CLOUDFRONT\"\n");
        let mut p = crate::profile::parse("t.toml", &text).unwrap_or_else(|e| panic!("{e}"));
        p.resolve_regions(&[], "us-east-1");
        keys(&p.requirements[0])
    };
    assert_eq!(cloudfront("\"eu-west-1\", \"us-west-2\""), [("CLOUDFRONT".to_string(), "us-east-1".to_string())]);
    assert_eq!(cloudfront("\"cn-north-1\""), [("CLOUDFRONT".to_string(), "cn-northwest-1".to_string())]);
    let regional = req("wafv2.web_acl", "[requirement.expect]\nrate_limit = true");
    assert_eq!(
        keys(&regional),
        [("REGIONAL".to_string(), "us-east-1".to_string()), ("REGIONAL".to_string(), "us-west-2".to_string())]
    );
}

#[test]
fn waf_acl_rule_groups_rate_limit_logging() {
    let r = req(
        "wafv2.web_acl",
        "[requirement.expect]\nscope = \"CLOUDFRONT\"\nmanaged_rule_groups = [\"AWSManagedRulesCommonRuleSet\", \"AWS:AWSManagedRulesKnownBadInputsRuleSet\"]\nrate_limit = true\nrate_limit_requests = { at_most = 2000 }\nlogging = true",
    );
    let acl = |name: &str, groups: &[&str], limits: Vec<i64>, logging: bool| WebAcl {
        name: name.into(),
        id: name.into(),
        arn: format!("arn:aws:wafv2:us-east-1:1:global/webacl/{name}/x"),
        scope: "CLOUDFRONT".into(),
        region: "us-east-1".into(),
        managed_groups: Observed::Known(
            groups
                .iter()
                .map(|g| ManagedGroupUse {
                    rule: g.to_string(),
                    group: g.to_string(),
                    version: None,
                    top_level: true,
                    override_action: Some("None".into()),
                    rule_overrides: BTreeMap::new(),
                    group_rules: None,
                })
                .collect(),
        ),
        rate_rules: Observed::Known(
            limits
                .into_iter()
                .map(|limit| RateRule { rule: "rate".into(), limit, action: Some("Block".into()), top_level: true })
                .collect(),
        ),
        logging: Observed::Known(logging),
        tags: Observed::Known(BTreeMap::new()),
    };
    let all = ["AWS:AWSManagedRulesCommonRuleSet", "AWS:AWSManagedRulesKnownBadInputsRuleSet"];
    let acls = vec![acl("a-good", &all, vec![2000], true), acl("b-weak", &all[..1], vec![], false)];
    let inv = Inventory {
        web_acls: BTreeMap::from([("CLOUDFRONT:us-east-1".into(), Observed::Known(acls))]),
        ..Default::default()
    };
    let f = evaluate(&[r], &inv);
    assert_eq!(f.iter().map(|f| f.status).collect::<Vec<_>>(), [Status::Pass, Status::Drift]);
    let failed: Vec<&str> = f[1].checks.iter().filter(|c| c.ok == Some(false)).map(|c| c.field.as_ref()).collect();
    assert_eq!(failed, ["managed_rule_groups", "rate_limit", "rate_limit_requests", "logging"]);
}
