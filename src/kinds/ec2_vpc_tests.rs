//! ec2.vpc over hand-built inventories: association and route states that AWS
//! may leave out are never guessed.

#[allow(unused_imports)]
use crate::compare::Finding;
use crate::compare::{evaluate, Status};
#[allow(unused_imports)]
use crate::inventory::*;
use crate::inventory::{CidrAssociation, Inventory, Network, Observed};
#[allow(unused_imports)]
use crate::kinds::fixtures::*;
use crate::kinds::fixtures::{network_with_public_subnet, observed, req, statuses, vpc};
use serde_json::json;
use std::collections::BTreeMap;
#[allow(unused_imports)]
use std::collections::BTreeSet;

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

#[test]
fn vpc_public_and_private_subnets_by_route_table() {
    let r = req("ec2.vpc", "select = { tags = { Environment = \"Production\" } }\nmin_count = 1\n[requirement.expect]\npublic_subnets = { at_least = 1 }\nprivate_subnets = { at_least = 2 }\nrequired_tags = { Environment = \"Production\" }");
    let mut prod = vpc("us-east-1", "vpc-p", "prod", "10.0.0.0/16");
    prod.tags.insert("Environment".into(), "Production".into());
    let dev = vpc("us-east-1", "vpc-d", "dev", "10.9.0.0/16");
    let subnet = |id: &str, vpc: &str| Subnet {
        id: id.into(),
        vpc_id: vpc.into(),
        cidr: None,
        ipv6_cidrs: vec![],
        availability_zone: None,
        tags: BTreeMap::new(),
    };
    let igw = Route {
        destination: "0.0.0.0/0".into(),
        peering_id: None,
        gateway_id: Some("igw-1".into()),
        state: Some("active".into()),
    };
    let tables = vec![
        RouteTable {
            id: "rtb-main".into(),
            vpc_id: "vpc-p".into(),
            routes: vec![],
            main: true,
            subnets: vec![],
            ..Default::default()
        },
        RouteTable {
            id: "rtb-pub".into(),
            vpc_id: "vpc-p".into(),
            routes: vec![igw],
            main: false,
            subnets: vec!["subnet-a".into()],
            ..Default::default()
        },
    ];
    let network = |subnets: Observed<Vec<Subnet>>| Network {
        vpcs: Observed::Known(vec![prod.clone(), dev.clone()]),
        peerings: Observed::Known(vec![]),
        route_tables: Observed::Known(tables.clone()),
        subnets,
        flow_logs: Observed::default(),
    };
    let all = vec![
        subnet("subnet-a", "vpc-p"),
        subnet("subnet-b", "vpc-p"),
        subnet("subnet-c", "vpc-p"),
        subnet("subnet-x", "vpc-d"),
    ];
    let single = |n: Network| Inventory {
        networks: BTreeMap::from([
            ("us-east-1".into(), n.clone()),
            ("us-west-2".into(), Network { vpcs: Observed::Known(vec![]), ..n }),
        ]),
        ..Default::default()
    };
    let f = evaluate(std::slice::from_ref(&r), &single(network(Observed::Known(all))));
    assert_eq!(statuses(&f), [(Some("arn:aws:ec2:us-east-1:1:vpc/vpc-p"), Status::Pass)]);
    assert_eq!(observed(&f[0], "public_subnets"), &serde_json::json!(["subnet-a"]));
    assert_eq!(observed(&f[0], "private_subnets"), &serde_json::json!(["subnet-b", "subnet-c"]));
    let f = evaluate(std::slice::from_ref(&r), &single(network(Observed::Known(vec![subnet("subnet-b", "vpc-p")]))));
    assert_eq!(f[0].status, Status::Drift);
    let f = evaluate(&[r], &single(network(Observed::Unknown(denied("DescribeSubnets")))));
    assert_eq!(f[0].status, Status::Unknown);
}

#[test]
fn vpc_flow_logs_active_or_unknown() {
    let r = req("ec2.vpc", "[requirement.expect]\nflow_logs = true");
    let v = vpc("us-east-1", "vpc-a", "a", "10.0.0.0/16");
    let log = |resource: &str, status: &str| FlowLog {
        id: format!("fl-{resource}"),
        resource_id: resource.into(),
        status: Some(status.into()),
        destination: None,
    };
    let inv = |logs: Observed<Vec<FlowLog>>| Inventory {
        networks: BTreeMap::from([
            (
                "us-east-1".into(),
                Network {
                    vpcs: Observed::Known(vec![v.clone()]),
                    peerings: Observed::Known(vec![]),
                    route_tables: Observed::Known(vec![]),
                    subnets: Observed::default(),
                    flow_logs: logs,
                },
            ),
            (
                "us-west-2".into(),
                Network {
                    vpcs: Observed::Known(vec![]),
                    peerings: Observed::Known(vec![]),
                    route_tables: Observed::Known(vec![]),
                    subnets: Observed::default(),
                    flow_logs: Observed::Known(vec![]),
                },
            ),
        ]),
        ..Default::default()
    };
    let status = |logs| evaluate(std::slice::from_ref(&r), &inv(logs))[0].status;
    assert_eq!(status(Observed::Known(vec![log("vpc-a", "ACTIVE")])), Status::Pass);
    assert_eq!(status(Observed::Known(vec![log("vpc-b", "ACTIVE")])), Status::Drift);
    assert_eq!(status(Observed::Unknown(denied("DescribeFlowLogs"))), Status::Unknown);
}
