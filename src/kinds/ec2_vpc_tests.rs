//! ec2.vpc over hand-built inventories: association and route states that AWS
//! may leave out are never guessed.

use crate::compare::{evaluate, Status};
use crate::inventory::{CidrAssociation, Inventory, Network, Observed};
use crate::kinds::tests::{network_with_public_subnet, observed, req, statuses, vpc};
use serde_json::json;
use std::collections::BTreeMap;

fn assoc(cidr: &str, state: Option<&str>) -> CidrAssociation {
    CidrAssociation { cidr: cidr.into(), state: state.map(str::to_string) }
}

fn inventory(net: Network) -> Inventory {
    let west = Network { vpcs: Observed::Known(vec![]), ..net.clone() };
    Inventory {
        networks: BTreeMap::from([("us-east-1".into(), net), ("us-west-2".into(), west)]),
        ..Default::default()
    }
}

#[test]
fn ipv6_without_a_state_is_unknown_and_disassociated_is_no_ipv6() {
    let mut net = network_with_public_subnet("subnet-pub", &[]);
    let mut a = vpc("us-east-1", "vpc-a", "a", "10.0.0.0/16");
    a.ipv6_cidrs = vec![assoc("2600:1f18:1::/56", None)];
    let mut b = vpc("us-east-1", "vpc-b", "b", "10.1.0.0/16");
    b.ipv6_cidrs = vec![assoc("2600:1f18:2::/56", None), assoc("2600:1f18:3::/56", Some("associated"))];
    let mut c = vpc("us-east-1", "vpc-c", "c", "10.2.0.0/16");
    c.ipv6_cidrs = vec![assoc("2600:1f18:4::/56", Some("disassociated"))];
    net.vpcs = Observed::Known(vec![a, b, c]);
    let inv = inventory(net);
    let f = evaluate(&[req("ec2.vpc", "[requirement.expect]\nipv6 = true")], &inv);
    assert_eq!(
        statuses(&f),
        [
            (Some("arn:aws:ec2:us-east-1:1:vpc/vpc-a"), Status::Unknown),
            (Some("arn:aws:ec2:us-east-1:1:vpc/vpc-b"), Status::Pass),
            (Some("arn:aws:ec2:us-east-1:1:vpc/vpc-c"), Status::Drift),
        ]
    );
    assert_eq!(observed(&f[1], "ipv6"), &json!(["2600:1f18:2::/56 (state not reported)", "2600:1f18:3::/56"]));
    // a VPC that must be IPv4-only passes with only a disassociated block
    let f = evaluate(&[req("ec2.vpc", "select = { name = \"c\" }\n[requirement.expect]\nipv6 = false")], &inv);
    assert_eq!(statuses(&f), [(Some("arn:aws:ec2:us-east-1:1:vpc/vpc-c"), Status::Pass)]);
}

#[test]
fn internet_route_without_a_state_leaves_the_subnet_side_unknown() {
    let mut net = network_with_public_subnet("subnet-pub", &["subnet-priv"]);
    net.vpcs = Observed::Known(vec![vpc("us-east-1", "vpc-p", "p", "10.0.0.0/16")]);
    if let Observed::Known(tables) = &mut net.route_tables {
        tables[1].routes[0].state = None;
    }
    assert!(net.public_subnet("subnet-pub").gap().is_some());
    assert_eq!(net.public_subnet("subnet-priv"), Observed::Known(false));
    let f = evaluate(&[req("ec2.vpc", "[requirement.expect]\npublic_subnets = { at_least = 1 }")], &inventory(net));
    assert_eq!(statuses(&f), [(Some("arn:aws:ec2:us-east-1:1:vpc/vpc-p"), Status::Unknown)]);
    assert_eq!(
        f[0].checks[0].error.as_deref(),
        Some("State of route 0.0.0.0/0 in rtb-pub (absent from the answer) was not collected")
    );
}
