//! `elbv2.listener` TLS judgement from the protocols of the policy.

use super::*;
#[allow(unused_imports)]
use crate::compare::Finding;
use crate::compare::{evaluate, Status};
#[allow(unused_imports)]
use crate::inventory::*;
#[allow(unused_imports)]
use crate::kinds::fixtures::*;
use crate::kinds::fixtures::{req, statuses};
use std::collections::BTreeMap;
#[allow(unused_imports)]
use std::collections::BTreeSet;

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

#[test]
fn listener_https_policy_and_http_redirect() {
    let https = req(
        "elbv2.listener",
        "match = \"any\"\nmin_count = 1\n[requirement.expect]\nprotocol = \"HTTPS\"\ntls_1_2_or_newer = true",
    );
    let redirect = req("elbv2.listener", "[requirement.expect]\nprotocol = \"HTTP\"\nredirects_to_https = true");
    let listener = |port: i32, protocol: &str, policy: Option<&str>, actions: &[&str], to: Option<&str>| Listener {
        arn: format!("l-{port}"),
        protocol: Some(protocol.into()),
        port: Some(port),
        ssl_policy: policy.map(str::to_string),
        // ELBSecurityPolicy-TLS13-1-2-2021-06 accepts TLS 1.2 and 1.3 (ALB guide, security policies)
        ssl_protocols: Observed::Known(if policy.is_some() {
            vec!["TLSv1.2".into(), "TLSv1.3".into()]
        } else {
            vec![]
        }),
        actions: actions.iter().map(|a| a.to_string()).collect(),
        redirect_protocol: to.map(str::to_string),
    };
    let lb = |listeners: Vec<Listener>| LoadBalancer {
        name: "web".into(),
        arn: "arn:lb".into(),
        region: "us-east-1".into(),
        lb_type: Some("application".into()),
        scheme: Some("internet-facing".into()),
        listeners: Observed::Known(listeners),
        tags: Observed::Known(BTreeMap::new()),
    };
    let good = lb(vec![
        listener(443, "HTTPS", Some("ELBSecurityPolicy-TLS13-1-2-2021-06"), &["forward"], None),
        listener(80, "HTTP", None, &["redirect"], Some("HTTPS")),
    ]);
    let f = evaluate(
        &[https.clone(), redirect.clone()],
        &Inventory { load_balancers: one_region(vec![good]), ..Default::default() },
    );
    assert!(f.iter().all(|f| f.status == Status::Pass), "{f:?}");
    // the seed 001 gap: a redirect with no HTTPS listener behind it, and an old policy elsewhere
    let gap = lb(vec![listener(80, "HTTP", None, &["forward"], None)]);
    let f = evaluate(&[https, redirect], &Inventory { load_balancers: one_region(vec![gap]), ..Default::default() });
    assert_eq!(
        f.iter().map(|f| (f.resource.as_deref(), f.status)).collect::<Vec<_>>(),
        [(None, Status::Drift), (Some("l-80"), Status::Drift)]
    );
}
