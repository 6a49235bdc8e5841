//! `elbv2.listener`: HTTPS with a TLS 1.2+ policy (judged from the policy's protocols);
//! HTTP only redirecting to HTTPS.

use super::{Field, FieldType::*, Kind};
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::inventory::{Inventory, Listener, LoadBalancer, Observed};
use crate::profile::Requirement;
use serde_json::json;

pub static KIND: Kind = Kind {
    name: "elbv2.listener",
    summary: "Load balancer listeners: HTTPS with a TLS 1.2+ policy, HTTP only redirecting to HTTPS",
    doc: "Listeners of the load balancers of the requirement's regions (DescribeLoadBalancers, \
DescribeListeners), named `LOAD_BALANCER:PORT` (the name the selector matches). `protocol` \
chooses the candidates, so \"an HTTPS listener with TLS 1.2+\" is `match = \"any\"`, \
`min_count = 1`, `protocol = \"HTTPS\"`, `tls_1_2_or_newer = true`, and \"HTTP only \
redirects\" is `protocol = \"HTTP\"`, `redirects_to_https = true`. TLS 1.2+ is judged from \
what the listener's security policy (`SslPolicy`) accepts, never from its name: \
DescribeSSLPolicies `SslProtocols` must list only TLSv1.2 or newer (AWS's \
ELBSecurityPolicy-TLS13-1-0-2021-06 and -TLS13-1-1-2021-06, FIPS variants included, also \
accept TLSv1 and TLSv1.1). The ELBv2 API has no call that creates a policy (custom policies \
exist only for Classic Load Balancers), so every HTTPS (ALB) or TLS (NLB) listener names one \
of AWS's predefined policies, all of which DescribeSSLPolicies describes. A listener without a \
policy (HTTP, TCP, UDP) has no TLS and does not satisfy `tls_1_2_or_newer = true`; a policy \
that could not be read leaves the field unknown. Observed: the policy name and its protocols.",
    regional: true,
    tags: false,
    selectable: true,
    fields: &[
        Field::new(
            "protocol",
            OneOf(&["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP"]),
            "Listener protocol; chooses the candidates.",
        ),
        Field::new(
            "tls_1_2_or_newer",
            Bool,
            "Every protocol the listener's security policy accepts (DescribeSSLPolicies SslProtocols) is TLSv1.2 or newer.",
        ),
        Field::new("redirects_to_https", Bool, "The default action only redirects to HTTPS."),
    ],
    plan: |req, plan| {
        plan.resources("elbv2", req).read("listeners").read_if(req.expect.has("tls_1_2_or_newer"), "ssl_policies");
    },
    evaluate,
};

/// The version a protocol name of DescribeSSLPolicies stands for: `TLSv1` is 1.0,
/// `TLSv1.2` is 1.2. Anything else (`SSLv3`, a name we cannot read) counts as old.
fn tls_version(protocol: &str) -> (u32, u32) {
    let Some(v) = protocol.strip_prefix("TLSv") else { return (0, 0) };
    let mut parts = v.split('.');
    let major = parts.next().and_then(|p| p.parse().ok());
    let minor = parts.next().map_or(Some(0), |p| p.parse().ok());
    match (major, minor, parts.next()) {
        (Some(major), Some(minor), None) => (major, minor),
        _ => (0, 0),
    }
}

/// The policy accepts nothing older than TLS 1.2.
pub(crate) fn tls_1_2_or_newer(protocols: &[String]) -> bool {
    !protocols.is_empty() && protocols.iter().all(|p| tls_version(p) >= (1, 2))
}

fn tls_check(want: bool, l: &Listener) -> Check {
    const FIELD: &str = "tls_1_2_or_newer";
    let Some(policy) = &l.ssl_policy else {
        return Check::new(FIELD, json!(want), json!({"policy": null, "protocols": []}), !want);
    };
    let unknown = |error: String| Check {
        field: FIELD.into(),
        expected: json!(want),
        observed: json!({ "policy": policy }),
        ok: None,
        error: Some(error),
        not_applicable: None,
    };
    match &l.ssl_protocols {
        Observed::Known(p) if p.is_empty() => {
            unknown(format!("DescribeSSLPolicies lists no SslProtocols for {policy}"))
        }
        Observed::Known(p) => {
            Check::new(FIELD, json!(want), json!({"policy": policy, "protocols": p}), tls_1_2_or_newer(p) == want)
        }
        Observed::Unknown(gap) => unknown(gap.describe()),
    }
}

fn checks(req: &Requirement, l: &Listener) -> Vec<Check> {
    let e = &req.expect;
    let mut out = Vec::new();
    if let Some(cmp) = e.cmp("protocol") {
        let ok = l.protocol.as_deref().is_some_and(|p| cmp.string(p));
        out.push(Check::new("protocol", cmp.expected(), json!(l.protocol), ok));
    }
    if let Some(want) = e.bool("tls_1_2_or_newer") {
        out.push(tls_check(want, l));
    }
    if let Some(want) = e.bool("redirects_to_https") {
        let only_redirect =
            l.actions.len() == 1 && l.actions[0] == "redirect" && l.redirect_protocol.as_deref() == Some("HTTPS");
        out.push(Check::new(
            "redirects_to_https",
            json!(want),
            json!({"actions": l.actions, "redirect_protocol": l.redirect_protocol}),
            only_redirect == want,
        ));
    }
    out
}

fn evaluate(req: &Requirement, inv: &Inventory) -> Vec<Finding> {
    let mut balancers: Listing<LoadBalancer> = Listing::new();
    for region in &req.regions {
        balancers.add(Inventory::regional(&inv.load_balancers, region, "load balancers"));
    }
    let mut listing: Listing<(String, String, Listener)> = Listing { items: Vec::new(), gaps: balancers.gaps };
    let mut owned = Vec::new();
    for lb in balancers.items {
        match &lb.listeners {
            Observed::Known(ls) => owned.extend(
                ls.iter().map(|l| (format!("{}:{}", lb.name, l.port.unwrap_or(0)), lb.region.clone(), l.clone())),
            ),
            Observed::Unknown(g) => listing.gaps.push(g.clone()),
        }
    }
    if let Some(cmp) = req.expect.cmp("protocol") {
        owned.retain(|(_, _, l)| l.protocol.as_deref().is_some_and(|p| cmp.string(p)));
    }
    listing.items.extend(owned.iter());
    evaluate_resources(
        req,
        listing,
        |(name, region, l)| Meta {
            id: l.arn.as_str().into(),
            name: name.as_str().into(),
            region: Some(region.as_str().into()),
            tags: None,
            path: None,
        },
        |(_, _, l)| checks(req, l),
    )
}

#[cfg(test)]
#[path = "elbv2_listener_tests.rs"]
mod tests;
