//! `elbv2.listener`: HTTPS with a TLS 1.2+ policy; HTTP only redirecting to HTTPS.

use super::{Field, FieldType::*, Kind};
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::inventory::{Inventory, Listener, LoadBalancer};
use crate::profile::Requirement;
use serde_json::json;

pub static KIND: Kind = Kind {
    name: "elbv2.listener",
    summary: "Load balancer listeners: HTTPS with a TLS 1.2+ policy, HTTP only redirecting to HTTPS",
    doc: "Listeners of the load balancers of the requirement's regions, named \
`LOAD_BALANCER:PORT` (the name the selector matches). `protocol` chooses the \
candidates, so \"an HTTPS listener with TLS 1.2+\" is `match = \"any\"`, `min_count = 1`, \
`protocol = \"HTTPS\"`, `tls_1_2_or_newer = true`, and \"HTTP only redirects\" is \
`protocol = \"HTTP\"`, `redirects_to_https = true`. TLS 1.2+ is judged from the AWS \
security policy name (ELBSecurityPolicy-TLS-1-2-*, -TLS13-*, -FS-1-2-*).",
    regional: true,
    tags: false,
    selectable: true,
    fields: &[
        Field::new(
            "protocol",
            OneOf(&["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP"]),
            "Listener protocol; chooses the candidates.",
        ),
        Field::new("tls_1_2_or_newer", Bool, "The listener's security policy allows nothing older than TLS 1.2."),
        Field::new("redirects_to_https", Bool, "The default action only redirects to HTTPS."),
    ],
    plan: |req, plan| {
        let need = plan.elbv2.add(req);
        need.detail = true;
    },
    evaluate,
};

/// AWS security policies that refuse TLS 1.0 and 1.1.
fn modern(policy: &str) -> bool {
    ["ELBSecurityPolicy-TLS-1-2", "ELBSecurityPolicy-TLS13", "ELBSecurityPolicy-FS-1-2"]
        .iter()
        .any(|p| policy.starts_with(p))
}

fn checks(req: &Requirement, l: &Listener) -> Vec<Check> {
    let e = &req.expect;
    let mut out = Vec::new();
    if let Some(want) = e.str("protocol") {
        out.push(Check::new("protocol", json!(want), json!(l.protocol), l.protocol.as_deref() == Some(want)));
    }
    if let Some(want) = e.bool("tls_1_2_or_newer") {
        out.push(Check::new(
            "tls_1_2_or_newer",
            json!(want),
            json!(l.ssl_policy),
            l.ssl_policy.as_deref().is_some_and(modern) == want,
        ));
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
            crate::inventory::Observed::Known(ls) => owned.extend(
                ls.iter().map(|l| (format!("{}:{}", lb.name, l.port.unwrap_or(0)), lb.region.clone(), l.clone())),
            ),
            crate::inventory::Observed::Unknown(g) => listing.gaps.push(g.clone()),
        }
    }
    if let Some(p) = req.expect.str("protocol") {
        owned.retain(|(_, _, l)| l.protocol.as_deref() == Some(p));
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
