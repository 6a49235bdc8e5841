//! Evaluation tests of ec2_instance over hand-built inventories.

use crate::compare::{evaluate, Status};
use crate::inventory::*;
use crate::kinds::fixtures::*;
#[allow(unused_imports)]
use crate::kinds::*;
#[allow(unused_imports)]
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn ec2_instance_type_and_subnet() {
    let r = req("ec2.instance", "[requirement.expect]\ninstance_type = \"t3.micro\"\npublic_subnet = true");
    let inst = |id: &str, t: &str, subnet: &str, state: &str| Instance {
        id: id.into(),
        region: "us-east-1".into(),
        owner: Some("1".into()),
        instance_type: Some(t.into()),
        state: Some(state.into()),
        subnet_id: Some(subnet.into()),
        public_ip: None,
        tags: Observed::Known(BTreeMap::new()),
    };
    // a VPC whose main route table goes to the internet: subnet-a is public
    let mut net = network_with_public_subnet("subnet-x", &["subnet-a"]);
    if let Observed::Known(tables) = &mut net.route_tables {
        for t in tables.iter_mut() {
            t.routes = vec![Route {
                destination: "0.0.0.0/0".into(),
                peering_id: None,
                gateway_id: Some("igw-1".into()),
                state: Some("active".into()),
            }];
        }
    }
    let inv = Inventory {
        instances: one_region(vec![
            inst("i-1", "t3.micro", "subnet-a", "running"),
            inst("i-2", "m5.large", "subnet-a", "running"),
            inst("i-3", "m5.large", "subnet-a", "terminated"),
        ]),
        networks: BTreeMap::from([("us-east-1".into(), net.clone()), ("us-west-2".into(), net)]),
        ..Default::default()
    };
    let f = evaluate(&[r], &inv);
    assert_eq!(
        statuses(&f),
        [
            (Some("arn:aws:ec2:us-east-1:1:instance/i-1"), Status::Pass),
            (Some("arn:aws:ec2:us-east-1:1:instance/i-2"), Status::Drift)
        ]
    );
}

/// AWS reports a route whose internet gateway was detached or deleted with State
/// `blackhole` (EC2 API reference, Route.State: active | blackhole). Such a route
/// carries nothing, so the instance's subnet is not public. LocalStack keeps every
/// route `active`, so this case exists only here.
#[test]
fn ec2_instance_behind_a_blackhole_internet_route_is_not_public() {
    let r = req("ec2.instance", "[requirement.expect]\npublic_subnet = true");
    let inst = |id: &str, subnet: &str| Instance {
        id: id.into(),
        region: "us-east-1".into(),
        owner: Some("1".into()),
        instance_type: Some("t3.micro".into()),
        state: Some("running".into()),
        subnet_id: Some(subnet.into()),
        public_ip: None,
        tags: Observed::Known(BTreeMap::new()),
    };
    // subnet-pub has its own table with an active route to igw-1; subnet-gone
    // uses the main table, whose route to the gateway is a blackhole
    let mut net = network_with_public_subnet("subnet-pub", &["subnet-gone"]);
    if let Observed::Known(tables) = &mut net.route_tables {
        for t in tables.iter_mut().filter(|t| t.main) {
            t.routes = vec![Route {
                destination: "0.0.0.0/0".into(),
                peering_id: None,
                gateway_id: Some("igw-old".into()),
                state: Some("blackhole".into()),
            }];
        }
    }
    let inv = Inventory {
        instances: one_region(vec![inst("i-1", "subnet-pub"), inst("i-2", "subnet-gone")]),
        networks: BTreeMap::from([("us-east-1".into(), net)]),
        ..Default::default()
    };
    let f = evaluate(&[r], &inv);
    assert_eq!(
        statuses(&f),
        [
            (Some("arn:aws:ec2:us-east-1:1:instance/i-1"), Status::Pass),
            (Some("arn:aws:ec2:us-east-1:1:instance/i-2"), Status::Drift)
        ]
    );
    assert_eq!(observed(&f[0], "public_subnet"), &serde_json::json!({"subnet": "subnet-pub", "public": true}));
    assert_eq!(observed(&f[1], "public_subnet"), &serde_json::json!({"subnet": "subnet-gone", "public": false}));
    assert_eq!(
        f[1].checks.iter().filter(|c| c.ok != Some(true)).map(|c| c.field.as_ref()).collect::<Vec<_>>(),
        ["public_subnet"]
    );
}
