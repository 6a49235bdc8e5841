//! ec2.security_group over hand-built inventories: prefix-list sources.

use super::{Cidr, PortSpec};
#[allow(unused_imports)]
use crate::compare::Finding;
use crate::compare::{evaluate, Status};
#[allow(unused_imports)]
use crate::inventory::*;
use crate::inventory::{Gap, Inventory, Observed, PrefixListSource};
#[allow(unused_imports)]
use crate::kinds::fixtures::*;
use crate::kinds::fixtures::{denied, observed, one_region, req, rule, sg, statuses};
use serde_json::json;
#[allow(unused_imports)]
use std::collections::{BTreeMap, BTreeSet};

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

#[test]
fn security_group_ssh_restriction_and_world_ports() {
    let r = req(
        "ec2.security_group",
        "[requirement.expect]\nrestrict_ports = { \"22\" = [\"10.0.0.0/16\", \"2001:db8::/32\"] }\nworld_open_ports = [\"443\"]",
    );
    let groups = vec![
        sg(
            "a-ok",
            vec![
                rule("tcp", 443, 443, "0.0.0.0/0"),
                rule("tcp", 22, 22, "10.0.1.0/24"),
                rule("tcp", 22, 22, "2001:db8:1::/48"),
            ],
        ),
        sg("b-wide-ssh", vec![rule("tcp", 22, 22, "10.0.0.0/8")]),
        sg("c-http", vec![rule("tcp", 443, 443, "0.0.0.0/0"), rule("tcp", 80, 80, "0.0.0.0/0")]),
        sg("d-all", vec![rule("-1", -1, -1, "::/0")]),
        sg("e-range", vec![rule("tcp", 0, 1024, "10.0.0.0/16")]),
    ];
    let f = evaluate(&[r], &Inventory { security_groups: one_region(groups), ..Default::default() });
    assert_eq!(
        f.iter().map(|f| f.status).collect::<Vec<_>>(),
        [Status::Pass, Status::Drift, Status::Drift, Status::Drift, Status::Pass]
    );
    assert_eq!(observed(&f[1], "restrict_ports"), &serde_json::json!(["tcp/22 from 10.0.0.0/8"]));
    assert_eq!(observed(&f[2], "world_open_ports"), &serde_json::json!(["tcp/80 from 0.0.0.0/0"]));
    assert_eq!(observed(&f[3], "world_open_ports"), &serde_json::json!(["all traffic from ::/0"]));
    assert_eq!(observed(&f[3], "restrict_ports"), &serde_json::json!(["all traffic from ::/0"]));
    assert_eq!(f[0].resource.as_deref(), Some("arn:aws:ec2:us-east-1:1:security-group/sg-a-ok"));
}

#[test]
fn cidr_containment_and_port_specs() {
    let c = |s: &str| Cidr::parse(s).unwrap();
    assert!(c("10.0.1.0/24").within(&c("10.0.0.0/16")));
    assert!(!c("10.0.0.0/8").within(&c("10.0.0.0/16")));
    assert!(c("0.0.0.0/0").within(&c("0.0.0.0/0")));
    assert!(c("192.168.1.7/32").within(&c("0.0.0.0/0")));
    assert!(!c("::/0").within(&c("0.0.0.0/0")));
    assert!(c("2001:db8:1::/48").within(&c("::/0")));
    assert!(Cidr::parse("10.0.0.0/33").is_none() && Cidr::parse("10.0.0/8").is_none());
    assert_eq!(PortSpec::parse("22"), Ok(PortSpec { protocol: "tcp", port: 22 }));
    assert_eq!(PortSpec::parse("udp/53"), Ok(PortSpec { protocol: "udp", port: 53 }));
    assert!(PortSpec::parse("ssh").is_err() && PortSpec::parse("tcp/70000").is_err());
}

#[test]
fn security_group_profile_mistakes_are_located() {
    let text = "[profile]\nname = \"t\"\n[[requirement]]\nid = \"r\"\nkind = \"ec2.security_group\"\nexpect = { restrict_ports = { ssh = [\"10.0.0.0/8\"] } }\n";
    let d = crate::profile::parse("t.toml", text).unwrap_err().0;
    assert_eq!(d[0].to_string(), "t.toml:6:31: expect.restrict_ports: `ssh` must be a port like 22, tcp/22 or udp/53");
    let text = "[profile]\nname = \"t\"\n[[requirement]]\nid = \"r\"\nkind = \"ec2.security_group\"\nexpect = { restrict_ports = { \"22\" = [\"10.0.0/8\"] } }\n";
    let d = crate::profile::parse("t.toml", text).unwrap_err().0;
    assert_eq!(
        d[0].to_string(),
        "t.toml:6:38: expect.restrict_ports.22: `10.0.0/8` is not a CIDR block like 10.0.0.0/16"
    );
}
