//! Evaluation tests of ec2_vpc_peering over hand-built inventories.

use crate::compare::{evaluate, Status};
use crate::inventory::*;
use crate::kinds::fixtures::*;
#[allow(unused_imports)]
use crate::kinds::*;
#[allow(unused_imports)]
use std::collections::{BTreeMap, BTreeSet};

const MESH: &str = "[requirement.expect]\nroutes = true\nmesh = [{ region = \"us-east-1\", vpc = { name = \"e\" } }, { region = \"us-west-2\", vpc = { name = \"w\" } }, { region = \"ap-south-1\", vpc = { name = \"s\" } }]";

#[test]
fn vpc_peering_reports_exactly_the_missing_and_unrouted_pairs() {
    let (e, w, s) = (
        vpc("us-east-1", "vpc-e", "e", "10.1.0.0/16"),
        vpc("us-west-2", "vpc-w", "w", "10.2.0.0/16"),
        vpc("ap-south-1", "vpc-s", "s", "10.3.0.0/16"),
    );
    let ew = pcx("pcx-ew", &e, &w, "active");
    let es = pcx("pcx-es", &e, &s, "active");
    let net = |v: &Vpc, peerings: Vec<Peering>, tables: Vec<RouteTable>| Network {
        vpcs: Observed::Known(vec![v.clone()]),
        peerings: Observed::Known(peerings),
        route_tables: Observed::Known(tables),
        subnets: Observed::default(),
        flow_logs: Observed::default(),
    };
    let inv = Inventory {
        networks: BTreeMap::from([
            // a cross-region connection is listed in both of its regions
            (
                "us-east-1".into(),
                net(
                    &e,
                    vec![ew.clone(), es.clone()],
                    vec![table("rtb-e", &e, &[("10.2.0.0/16", "pcx-ew"), ("10.3.0.0/16", "pcx-es")])],
                ),
            ),
            ("us-west-2".into(), net(&w, vec![ew.clone()], vec![table("rtb-w", &w, &[("10.1.0.0/16", "pcx-ew")])])),
            ("ap-south-1".into(), net(&s, vec![es], vec![table("rtb-s", &s, &[])])),
        ]),
        ..Default::default()
    };
    let f = evaluate(&[req("ec2.vpc_peering", MESH)], &inv);
    assert_eq!(
        statuses(&f),
        [
            (Some("us-east-1:e <-> ap-south-1:s"), Status::Drift),
            (Some("us-east-1:e <-> us-west-2:w"), Status::Pass),
            (Some("us-west-2:w <-> ap-south-1:s"), Status::Drift)
        ]
    );
    let oks: Vec<(&str, Option<bool>)> = f[0].checks.iter().map(|c| (c.field.as_ref(), c.ok)).collect();
    assert_eq!(oks, [("peering", Some(true)), ("routes.us-east-1", Some(true)), ("routes.ap-south-1", Some(false))]);
    assert_eq!(observed(&f[2], "peering"), "no peering connection");
}

#[test]
fn vpc_peering_unreadable_region_and_ambiguous_vpc() {
    let e = vpc("us-east-1", "vpc-e", "e", "10.1.0.0/16");
    let w1 = vpc("us-west-2", "vpc-w1", "w", "10.2.0.0/16");
    let w2 = vpc("us-west-2", "vpc-w2", "w", "10.4.0.0/16");
    let inv = Inventory {
        networks: BTreeMap::from([
            (
                "us-east-1".into(),
                Network {
                    vpcs: Observed::Known(vec![e]),
                    peerings: Observed::Known(vec![]),
                    route_tables: Observed::Known(vec![]),
                    subnets: Observed::default(),
                    flow_logs: Observed::default(),
                },
            ),
            (
                "us-west-2".into(),
                Network {
                    vpcs: Observed::Known(vec![w1, w2]),
                    peerings: Observed::Known(vec![]),
                    route_tables: Observed::Known(vec![]),
                    subnets: Observed::default(),
                    flow_logs: Observed::default(),
                },
            ),
            (
                "ap-south-1".into(),
                Network {
                    vpcs: Observed::Unknown(denied("DescribeVpcs")),
                    peerings: Observed::Known(vec![]),
                    route_tables: Observed::Known(vec![]),
                    subnets: Observed::default(),
                    flow_logs: Observed::default(),
                },
            ),
        ]),
        ..Default::default()
    };
    let f = evaluate(&[req("ec2.vpc_peering", MESH)], &inv);
    assert_eq!(statuses(&f), [(Some("ap-south-1:name=s"), Status::Unknown), (Some("us-west-2:name=w"), Status::Drift)]);
}

#[test]
fn vpc_peering_list_unreadable_is_unknown_not_missing() {
    let (e, w) = (vpc("us-east-1", "vpc-e", "e", "10.1.0.0/16"), vpc("us-west-2", "vpc-w", "w", "10.2.0.0/16"));
    let mesh = "[requirement.expect]\nmesh = [{ region = \"us-east-1\", vpc = { name = \"e\" } }, { region = \"us-west-2\", vpc = { name = \"w\" } }]";
    let inv = Inventory {
        networks: BTreeMap::from([
            (
                "us-east-1".into(),
                Network {
                    vpcs: Observed::Known(vec![e]),
                    peerings: Observed::Unknown(denied("DescribeVpcPeeringConnections")),
                    route_tables: Observed::Known(vec![]),
                    subnets: Observed::default(),
                    flow_logs: Observed::default(),
                },
            ),
            (
                "us-west-2".into(),
                Network {
                    vpcs: Observed::Known(vec![w]),
                    peerings: Observed::Known(vec![]),
                    route_tables: Observed::Known(vec![]),
                    subnets: Observed::default(),
                    flow_logs: Observed::default(),
                },
            ),
        ]),
        ..Default::default()
    };
    let f = evaluate(&[req("ec2.vpc_peering", mesh)], &inv);
    assert_eq!(statuses(&f), [(Some("us-east-1:e <-> us-west-2:w"), Status::Unknown)]);
}
