//! `ec2.vpc_peering`: a mesh of VPCs across regions, every pair peered and routed.

use super::{Field, FieldType::*, Kind};
use crate::compare::{combine, message, Check, Finding, Status};
use crate::inventory::{Gap, Inventory, Network, Observed, Peering, Vpc};
use crate::profile::{describe_selector, MeshNode, Requirement};
use serde_json::json;
use std::collections::BTreeMap;

pub static KIND: Kind = Kind {
    name: "ec2.vpc_peering",
    summary: "VPC peering mesh across regions: every pair active, optionally routed",
    doc: "`mesh` lists one VPC per region (chosen by Name tag or tags); every pair of them must be \
joined by an `active` peering connection. A cross-region connection is seen from both regions \
and counted once (DescribeVpcPeeringConnections, Status.Code). With `routes = true`, every \
route table of each VPC (DescribeRouteTables) must send the peer VPC's primary CIDR through \
that connection by a route whose State is `active`: a `blackhole` route (its connection \
deleted or rejected) carries nothing. One finding per pair, named by both ends, so a missing \
link is reported as exactly that pair.",
    regional: false,
    tags: false,
    selectable: false,
    fields: &[
        Field::required(
            "mesh",
            Mesh,
            "The VPCs that must be fully peered: [{ region = \"us-east-1\", vpc = { name = \"prod\" } }, …].",
        ),
        Field::new("routes", Bool, "Each side's route tables route the peer's CIDR via the connection (active route)."),
    ],
    plan: |req, plan| {
        let regions: Vec<String> =
            req.expect.mesh("mesh").unwrap_or_default().iter().map(|n| n.region.clone()).collect();
        plan.regional("ec2", &regions).read("networks");
    },
    evaluate,
};

/// One listing of a region's network, or why it is missing.
fn part<'a, T>(inv: &'a Inventory, region: &str, pick: impl Fn(&'a Network) -> &'a Observed<T>) -> Observed<&'a T> {
    match inv.networks.get(region) {
        Some(n) => pick(n).as_ref(),
        None => Observed::Unknown(Gap::not_collected(&format!("EC2 networking in {region}"))),
    }
}

/// Resolves a mesh node to exactly one VPC, or to the finding explaining why not.
fn resolve<'a>(req: &Requirement, inv: &'a Inventory, node: &MeshNode) -> Result<&'a Vpc, Box<Finding>> {
    let label = format!("{}:{}", node.region, describe_selector(&node.vpc));
    let vpcs = match part(inv, &node.region, |n| &n.vpcs) {
        Observed::Known(v) => v,
        Observed::Unknown(g) => {
            let c = Check::unknown("vpc", json!(label), &g);
            return Err(Box::new(Finding::new(
                req,
                Status::Unknown,
                Some(label.clone()),
                Some(node.region.clone()),
                vec![c.clone()],
                message(&label, &[c], Status::Unknown),
            )));
        }
    };
    let matched: Vec<&Vpc> = vpcs
        .iter()
        .filter(|v| (node.vpc.matches_name(v.name()) || node.vpc.matches_name(&v.id)) && node.vpc.matches_tags(&v.tags))
        .collect();
    if matched.len() == 1 {
        return Ok(matched[0]);
    }
    let observed: Vec<&str> = matched.iter().map(|v| v.id.as_str()).collect();
    let c = Check::new("vpc", json!("exactly one VPC"), json!(observed), false);
    let msg = if matched.is_empty() {
        format!("{label}: no VPC matches")
    } else {
        format!("{label}: {} VPCs match, expected exactly one", matched.len())
    };
    Err(Box::new(Finding::new(req, Status::Drift, Some(label), Some(node.region.clone()), vec![c], msg)))
}

fn peerings<'a>(inv: &'a Inventory, regions: &[&str]) -> (Vec<&'a Peering>, Vec<Gap>) {
    let mut seen = BTreeMap::new();
    let mut gaps = Vec::new();
    for region in regions {
        match part(inv, region, |n| &n.peerings) {
            Observed::Known(list) => {
                for p in list {
                    seen.entry(p.id.clone()).or_insert(p);
                }
            }
            Observed::Unknown(g) => gaps.push(g),
        }
    }
    (seen.into_values().collect(), gaps)
}

fn joins(p: &Peering, a: &Vpc, b: &Vpc) -> bool {
    let side = |s: &crate::inventory::PeeringSide, v: &Vpc| s.vpc_id == v.id && s.region == v.region;
    (side(&p.requester, a) && side(&p.accepter, b)) || (side(&p.requester, b) && side(&p.accepter, a))
}

/// Checks that every route table of `vpc` sends `peer`'s primary CIDR through `pcx`.
fn routes_check(inv: &Inventory, vpc: &Vpc, peer: &Vpc, pcx: &str) -> Check {
    let field = format!("routes.{}", vpc.region);
    let cidr = peer.cidrs.first().cloned().unwrap_or_default();
    let expected = json!(format!("every route table of {} routes {cidr} via {pcx}", vpc.id));
    let tables = match part(inv, &vpc.region, |n| &n.route_tables) {
        Observed::Known(t) => t,
        Observed::Unknown(g) => return Check::unknown(field, expected, &g),
    };
    let own: Vec<_> = tables.iter().filter(|t| t.vpc_id == vpc.id).collect();
    let mut missing: Vec<String> = Vec::new();
    let mut unsure: Option<Gap> = None;
    for t in &own {
        let via: Vec<&crate::inventory::Route> =
            t.routes.iter().filter(|r| r.destination == cidr && r.peering_id.as_deref() == Some(pcx)).collect();
        if via.iter().any(|r| r.active() == Some(true)) {
            continue;
        }
        match via.first() {
            Some(r) if r.active().is_none() => {
                unsure =
                    Some(Gap::not_collected(&format!("State of route {cidr} in {} (absent from the answer)", t.id)))
            }
            Some(r) => missing.push(format!("{} ({})", t.id, r.state.as_deref().unwrap_or_default())),
            None => missing.push(t.id.clone()),
        }
    }
    if let (Some(g), true) = (&unsure, missing.is_empty()) {
        return Check::unknown(field, expected, g);
    }
    let observed = if own.is_empty() {
        json!("no route tables")
    } else if missing.is_empty() {
        json!(format!("{} route table(s) route {cidr} via {pcx}", own.len()))
    } else {
        json!(format!("no active route to {cidr} via {pcx} in {}", missing.join(", ")))
    };
    Check::new(field, expected, observed, !own.is_empty() && missing.is_empty())
}

fn evaluate(req: &Requirement, inv: &Inventory) -> Vec<Finding> {
    let nodes = req.expect.mesh("mesh").unwrap_or_default();
    let want_routes = req.expect.bool("routes") == Some(true);
    let mut findings = Vec::new();
    let mut resolved: Vec<&Vpc> = Vec::new();
    for node in nodes {
        match resolve(req, inv, node) {
            Ok(v) => resolved.push(v),
            Err(f) => findings.push(*f),
        }
    }
    for (i, a) in resolved.iter().enumerate() {
        for b in &resolved[i + 1..] {
            let label = format!("{}:{} <-> {}:{}", a.region, a.name(), b.region, b.name());
            let (all, gaps) = peerings(inv, &[a.region.as_str(), b.region.as_str()]);
            let between: Vec<&&Peering> = all.iter().filter(|p| joins(p, a, b)).collect();
            let active = between.iter().find(|p| p.status == "active");
            let mut checks = Vec::new();
            let expected = json!("active");
            match (active, gaps.first()) {
                (Some(p), _) => checks.push(Check::new("peering", expected, json!(format!("{} active", p.id)), true)),
                (None, Some(g)) => checks.push(Check::unknown("peering", expected, g)),
                (None, None) => {
                    let observed: Vec<String> = between.iter().map(|p| format!("{} {}", p.id, p.status)).collect();
                    let observed =
                        if observed.is_empty() { json!("no peering connection") } else { json!(observed.join(", ")) };
                    checks.push(Check::new("peering", expected, observed, false));
                }
            }
            if want_routes {
                if let Some(p) = active {
                    checks.push(routes_check(inv, a, b, &p.id));
                    checks.push(routes_check(inv, b, a, &p.id));
                }
            }
            let status = combine(&checks);
            findings.push(Finding::new(
                req,
                status,
                Some(label.clone()),
                Some(a.region.clone()),
                checks.clone(),
                message(&label, &checks, status),
            ));
        }
    }
    findings
}

#[cfg(test)]
#[path = "ec2_vpc_peering_tests.rs"]
mod tests;
