//! `elbv2.load_balancer`: type, scheme, listeners.

use super::{Field, FieldType::*, Kind};
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::inventory::{Inventory, LoadBalancer};
use crate::profile::Requirement;
use serde_json::json;

pub static KIND: Kind = Kind {
    name: "elbv2.load_balancer",
    summary: "Application/network load balancers: type, scheme, listeners",
    doc: "Load balancers of the requirement's regions (DescribeLoadBalancers, every page), named \
by load balancer name. Listeners are read only when `listeners` is asked (DescribeListeners, \
every page); each entry is PROTOCOL:PORT (e.g. \"HTTPS:443\") and must exist. One load \
balancer whose listeners cannot be read leaves only its own `listeners` unknown; a load \
balancer deleted between the listing and a later read (LoadBalancerNotFound) is left out.",
    regional: true,
    tags: true,
    selectable: true,
    fields: &[
        Field::new(
            "type",
            OneOf(&["application", "network", "gateway"]),
            "Load balancer type (application, network or gateway).",
        ),
        Field::new(
            "scheme",
            OneOf(&["internet-facing", "internal"]),
            "Whether the load balancer faces the internet or is internal.",
        ),
        Field::new(
            "listeners",
            StrList,
            "The listeners, as PROTOCOL:PORT (DescribeListeners), case-insensitive; a plain list must all exist, \
e.g. [\"HTTPS:443\"].",
        ),
    ],
    plan: |req, plan| {
        plan.resources("elbv2", req).read_if(req.expect.has("listeners"), "listeners");
    },
    evaluate,
};

fn checks(req: &Requirement, lb: &LoadBalancer) -> Vec<Check> {
    let e = &req.expect;
    let mut out = Vec::new();
    if let Some(cmp) = e.cmp("type") {
        let ok = lb.lb_type.as_deref().is_some_and(|t| cmp.string(t));
        out.push(Check::new("type", cmp.expected(), json!(lb.lb_type), ok));
    }
    if let Some(cmp) = e.cmp("scheme") {
        let ok = lb.scheme.as_deref().is_some_and(|s| cmp.string(s));
        out.push(Check::new("scheme", cmp.expected(), json!(lb.scheme), ok));
    }
    if let Some(cmp) = e.cmp("listeners") {
        // PROTOCOL:PORT, compared without regard to case
        let upper = cmp.to_upper();
        let labels = |ls: &Vec<crate::inventory::Listener>| -> Vec<String> {
            ls.iter()
                .map(|l| format!("{}:{}", l.protocol.as_deref().unwrap_or("?"), l.port.unwrap_or(0)).to_uppercase())
                .collect()
        };
        out.push(Check::of(
            "listeners",
            cmp.expected(),
            &lb.listeners,
            |ls| json!(labels(ls)),
            |ls| upper.list(&labels(ls)),
        ));
    }
    out
}

fn evaluate(req: &Requirement, inv: &Inventory) -> Vec<Finding> {
    let mut listing = Listing::new();
    for region in &req.regions {
        listing.add(Inventory::regional(&inv.load_balancers, region, "load balancers"));
    }
    evaluate_resources(
        req,
        listing,
        |lb| Meta {
            id: lb.arn.as_str().into(),
            name: lb.name.as_str().into(),
            region: Some(lb.region.as_str().into()),
            tags: Some(&lb.tags),
            path: None,
        },
        |lb| checks(req, lb),
    )
}

#[cfg(test)]
#[path = "elbv2_load_balancer_tests.rs"]
mod tests;
