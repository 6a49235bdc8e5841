//! ec2.security_group over hand-built inventories: prefix-list sources.

use crate::compare::{evaluate, Status};
use crate::inventory::{Gap, Inventory, Observed, PrefixListSource};
use crate::kinds::tests::{denied, observed, one_region, req, rule, sg, statuses};
use serde_json::json;

fn via_list(protocol: &str, port: i32, id: &str, entries: Observed<Vec<String>>) -> crate::inventory::IngressRule {
    let mut r = rule(protocol, port, port, "10.0.0.0/16");
    r.cidrs.clear();
    r.prefix_lists.push(PrefixListSource { id: id.into(), entries });
    r
}

#[test]
fn aws_managed_list_is_judged_by_its_service_ranges() {
    // com.amazonaws.global.cloudfront.origin-facing holds CloudFront's public
    // origin-facing ranges: not the world, but not the allowed private range either
    let cloudfront = Observed::Known(vec!["120.52.22.96/27".to_string(), "205.251.249.0/24".to_string()]);
    let r = req(
        "ec2.security_group",
        "[requirement.expect]\nworld_open_ports = []\nrestrict_ports = { \"80\" = [\"10.0.0.0/8\"] }",
    );
    let groups = vec![sg("origin", vec![via_list("tcp", 80, "pl-3b927c52", cloudfront)])];
    let f = evaluate(&[r], &Inventory { security_groups: one_region(groups), ..Default::default() });
    assert_eq!(statuses(&f), [(Some("arn:aws:ec2:us-east-1:1:security-group/sg-origin"), Status::Drift)]);
    let checks: Vec<(&str, Option<bool>)> = f[0].checks.iter().map(|c| (c.field.as_ref(), c.ok)).collect();
    assert_eq!(checks, [("restrict_ports", Some(false)), ("world_open_ports", Some(true))]);
    assert_eq!(
        observed(&f[0], "restrict_ports"),
        &json!([
            "tcp/80 from 120.52.22.96/27 (prefix list pl-3b927c52)",
            "tcp/80 from 205.251.249.0/24 (prefix list pl-3b927c52)"
        ])
    );
}

#[test]
fn unknown_list_never_hides_a_drift_and_ipv6_world_counts() {
    let r = req("ec2.security_group", "[requirement.expect]\nworld_open_ports = [\"443\"]");
    let groups = vec![
        sg(
            "mixed",
            vec![
                via_list("tcp", 22, "pl-denied", Observed::Unknown(denied("GetManagedPrefixListEntries"))),
                via_list("tcp", 3389, "pl-v6", Observed::Known(vec!["::/0".into()])),
            ],
        ),
        sg("unread", vec![via_list("-1", -1, "pl-gone", Observed::Unknown(Gap::not_collected("pl-gone")))]),
    ];
    let mut inv = Inventory { security_groups: one_region(groups), ..Default::default() };
    inv.partition = crate::partition::Partition::of_region("us-gov-west-1");
    let f = evaluate(&[r], &inv);
    assert_eq!(
        statuses(&f),
        [
            (Some("arn:aws-us-gov:ec2:us-east-1:1:security-group/sg-mixed"), Status::Drift),
            (Some("arn:aws-us-gov:ec2:us-east-1:1:security-group/sg-unread"), Status::Unknown),
        ]
    );
    assert_eq!(observed(&f[0], "world_open_ports"), &json!(["tcp/3389 from ::/0 (prefix list pl-v6)"]));
    assert_eq!(f[1].checks[0].error.as_deref(), Some("pl-gone was not collected"));
}
