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
