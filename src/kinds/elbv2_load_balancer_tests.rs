//! Evaluation tests of elbv2_load_balancer over hand-built inventories.

use crate::compare::{evaluate, Status};
use crate::inventory::*;
use crate::kinds::fixtures::*;
#[allow(unused_imports)]
use crate::kinds::*;
#[allow(unused_imports)]
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn load_balancer_scheme_and_listeners() {
    let r =
        req("elbv2.load_balancer", "[requirement.expect]\nscheme = \"internet-facing\"\nlisteners = [\"HTTPS:443\"]");
    let lb = |name: &str, scheme: &str, listeners: Observed<Vec<Listener>>| LoadBalancer {
        name: name.into(),
        arn: format!("arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/{name}/1"),
        region: "us-east-1".into(),
        lb_type: Some("application".into()),
        scheme: Some(scheme.into()),
        listeners,
        tags: Observed::Known(BTreeMap::new()),
    };
    let https = Listener {
        arn: "l".into(),
        protocol: Some("HTTPS".into()),
        port: Some(443),
        ssl_policy: None,
        ssl_protocols: Observed::Known(vec![]),
        actions: vec!["forward".into()],
        redirect_protocol: None,
    };
    let lbs = vec![
        lb("a", "internet-facing", Observed::Known(vec![https])),
        lb("b", "internal", Observed::Known(vec![])),
        lb("c", "internet-facing", Observed::Unknown(denied("DescribeListeners"))),
    ];
    let f = evaluate(&[r], &Inventory { load_balancers: one_region(lbs), ..Default::default() });
    assert_eq!(f.iter().map(|f| f.status).collect::<Vec<_>>(), [Status::Pass, Status::Drift, Status::Unknown]);
}
