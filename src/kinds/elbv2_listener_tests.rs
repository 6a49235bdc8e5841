//! `elbv2.listener` TLS judgement from the protocols of the policy.

use super::*;
use crate::compare::{evaluate, Status};
use crate::kinds::tests::{req, statuses};
use std::collections::BTreeMap;

fn protocols(list: &[&str]) -> Vec<String> {
    list.iter().map(|p| p.to_string()).collect()
}

#[test]
fn protocol_names_are_read_as_versions() {
    assert!(tls_1_2_or_newer(&protocols(&["TLSv1.2", "TLSv1.3"])));
    assert!(tls_1_2_or_newer(&protocols(&["TLSv1.3"])));
    assert!(!tls_1_2_or_newer(&protocols(&["TLSv1", "TLSv1.2"])));
    assert!(!tls_1_2_or_newer(&protocols(&["TLSv1.1", "TLSv1.2"])));
    // classic load balancers' SSLv3, and a name that cannot be read, count as old
    assert!(!tls_1_2_or_newer(&protocols(&["SSLv3", "TLSv1.2"])));
    assert!(!tls_1_2_or_newer(&protocols(&["TLSv1.x"])));
    assert!(!tls_1_2_or_newer(&[]));
}

#[test]
fn a_saved_listener_without_protocols_is_unknown_never_judged_by_name() {
    // an inventory saved before the protocols were collected has only the name
    let listener: Listener = serde_json::from_value(serde_json::json!({
        "arn": "l-443",
        "protocol": "HTTPS",
        "port": 443,
        "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "actions": ["forward"],
        "redirect_protocol": null
    }))
    .unwrap();
    let lb = LoadBalancer {
        name: "web".into(),
        arn: "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/web/1".into(),
        region: "us-east-1".into(),
        lb_type: Some("application".into()),
        scheme: Some("internet-facing".into()),
        listeners: Observed::Known(vec![listener]),
        tags: Observed::Known(BTreeMap::new()),
    };
    let r = req("elbv2.listener", "[requirement.expect]\ntls_1_2_or_newer = true");
    let inv = Inventory {
        load_balancers: BTreeMap::from([
            ("us-east-1".into(), Observed::Known(vec![lb])),
            ("us-west-2".into(), Observed::Known(vec![])),
        ]),
        ..Default::default()
    };
    let f = evaluate(&[r], &inv);
    assert_eq!(statuses(&f), [(Some("l-443"), Status::Unknown)]);
    assert_eq!(f[0].checks[0].observed, serde_json::json!({"policy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}));
}
