//! `ec2.vpc`: VPCs by selector, with public and private subnets, IPv6.

use super::{Field, FieldType::*, Kind};
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::inventory::{Gap, Inventory, Network, Observed, RouteTable, Subnet, Tags, Vpc};
use crate::profile::Requirement;
use serde_json::json;

pub static KIND: Kind = Kind {
    name: "ec2.vpc",
    summary: "VPCs: public and private subnets, IPv6 (dual stack)",
    doc: "VPCs of the requirement's regions (DescribeVpcs, every page), named by their Name tag \
(else their id). Subnets come from DescribeSubnets and routes from DescribeRouteTables. A \
subnet is public when its route table — the one explicitly associated with it, else the \
VPC's main table — sends 0.0.0.0/0 or ::/0 to an internet gateway (`igw-…`) through a route \
whose State is `active`; a `blackhole` route (its gateway detached or deleted) is no path. \
Every other subnet is private. A route without a State (AWS always sends one) leaves the \
subnet's side unknown. `ipv6` reads Ipv6CidrBlockAssociationSet: only blocks whose \
Ipv6CidrBlockState.State is `associated` count; `associating`, `disassociating`, \
`disassociated`, `failing` and `failed` blocks carry no traffic (they are shown with their \
state). Flow logs come from DescribeFlowLogs (FlowLogStatus `ACTIVE`, ResourceId the VPC).",
    regional: true,
    tags: true,
    selectable: true,
    fields: &[
        Field::new(
            "public_subnets",
            Int,
            "How many public subnets (an active route to an internet gateway), e.g. { at_least = 2 }; a plain \
number is an exact count.",
        ),
        Field::new(
            "private_subnets",
            Int,
            "How many private subnets (no such route), e.g. { at_least = 2 }; a plain number is an exact count.",
        ),
        Field::new("ipv6", Bool, "An IPv6 CIDR block is associated with the VPC (state `associated`; dual stack)."),
        Field::new("flow_logs", Bool, "An active flow log watches the VPC."),
    ],
    plan: |req, plan| {
        let e = &req.expect;
        plan.regional("ec2", &req.regions)
            .read("networks")
            .read_if(e.has("public_subnets") || e.has("private_subnets"), "subnets")
            .read_if(e.has("flow_logs"), "flow_logs");
    },
    evaluate,
};

/// The table that routes a subnet: its explicit association, else the main table.
fn table_of<'a>(subnet: &Subnet, tables: &'a [RouteTable]) -> Option<&'a RouteTable> {
    let own = tables.iter().filter(|t| t.vpc_id == subnet.vpc_id);
    let mut main = None;
    for t in own {
        if t.subnets.iter().any(|s| s == &subnet.id) {
            return Some(t);
        }
        if t.main {
            main = Some(t);
        }
    }
    main
}

/// (public, private) subnet ids of a VPC.
fn split(vpc: &Vpc, net: &Network) -> Observed<(Vec<String>, Vec<String>)> {
    let (subnets, tables) = match (&net.subnets, &net.route_tables) {
        (Observed::Known(s), Observed::Known(t)) => (s, t),
        (Observed::Unknown(g), _) | (_, Observed::Unknown(g)) => return Observed::Unknown(g.clone()),
    };
    let (mut public, mut private) = (Vec::new(), Vec::new());
    for s in subnets.iter().filter(|s| s.vpc_id == vpc.id) {
        let internet = match table_of(s, tables) {
            Some(t) => t.routes_to_internet(),
            None => Observed::Known(false),
        };
        match internet {
            Observed::Known(true) => public.push(s.id.clone()),
            Observed::Known(false) => private.push(s.id.clone()),
            // a subnet whose side is not known makes both counts unknown
            Observed::Unknown(g) => return Observed::Unknown(g),
        }
    }
    Observed::Known((public, private))
}

/// Whether the VPC has an `associated` IPv6 block. Observed lists every block,
/// with its state when it is not `associated`; a block without a state is unknown.
fn ipv6_check(want: bool, vpc: &Vpc) -> Check {
    let labels: Vec<String> = vpc.ipv6_cidrs.iter().map(|a| a.label()).collect();
    let associated = vpc.ipv6_cidrs.iter().any(|a| a.associated() == Some(true));
    match vpc.ipv6_cidrs.iter().find(|a| a.associated().is_none()) {
        Some(a) if !associated => Check::unknown(
            "ipv6",
            json!(want),
            &Gap::not_collected(&format!("Ipv6CidrBlockState of {} in {} (absent from the answer)", a.cidr, vpc.id)),
        ),
        _ => Check::new("ipv6", json!(want), json!(labels), associated == want),
    }
}

fn checks(req: &Requirement, vpc: &Vpc, net: &Network) -> Vec<Check> {
    let e = &req.expect;
    let mut out = Vec::new();
    let split = split(vpc, net);
    // the subnets are shown, their number compared
    if let Some(cmp) = e.cmp("public_subnets") {
        out.push(Check::of(
            "public_subnets",
            cmp.expected(),
            &split,
            |(p, _)| json!(p),
            |(p, _)| cmp.number(p.len() as f64),
        ));
    }
    if let Some(cmp) = e.cmp("private_subnets") {
        out.push(Check::of(
            "private_subnets",
            cmp.expected(),
            &split,
            |(_, p)| json!(p),
            |(_, p)| cmp.number(p.len() as f64),
        ));
    }
    if let Some(want) = e.bool("flow_logs") {
        out.push(Check::of(
            "flow_logs",
            json!(want),
            &net.flow_logs,
            |logs| json!(logs.iter().filter(|f| f.resource_id == vpc.id).map(|f| &f.id).collect::<Vec<_>>()),
            |logs| logs.iter().any(|f| f.resource_id == vpc.id && f.status.as_deref() == Some("ACTIVE")) == want,
        ));
    }
    if let Some(want) = e.bool("ipv6") {
        out.push(ipv6_check(want, vpc));
    }
    out
}

fn evaluate(req: &Requirement, inv: &Inventory) -> Vec<Finding> {
    // each VPC travels with its region's network, so its checks always have their
    // inputs; the tags come with DescribeVpcs and are wrapped for the shared selector
    let mut owned: Vec<(&Vpc, &Network, Observed<Tags>)> = Vec::new();
    let mut gaps = Vec::new();
    for region in &req.regions {
        match inv.networks.get(region) {
            Some(net) => match &net.vpcs {
                Observed::Known(vpcs) => owned.extend(vpcs.iter().map(|v| (v, net, Observed::Known(v.tags.clone())))),
                Observed::Unknown(g) => gaps.push(g.clone()),
            },
            None => gaps.push(Gap::not_collected(&format!("VPCs in {region}"))),
        }
    }
    let listing = Listing { items: owned.iter().collect(), gaps };
    evaluate_resources(
        req,
        listing,
        |(v, _, tags)| Meta {
            id: inv.partition.arn("ec2", &v.region, v.owner.as_deref().unwrap_or(""), &format!("vpc/{}", v.id)).into(),
            name: v.name().into(),
            region: Some(v.region.as_str().into()),
            tags: Some(tags),
            path: None,
        },
        |(v, net, _)| checks(req, v, net),
    )
}

#[cfg(test)]
#[path = "ec2_vpc_tests.rs"]
mod tests;
