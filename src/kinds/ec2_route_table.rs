//! `ec2.route_table`: route tables by selector or by VPC, with their tags and
//! whether they route to the internet.

use super::{Field, FieldType::*, Kind};
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::inventory::{Gap, Inventory, Observed, RouteTable, Tags};
use crate::profile::Requirement;
use serde_json::json;

pub static KIND: Kind = Kind {
    name: "ec2.route_table",
    summary: "VPC route tables: tags and names (tables are easy to leave untagged), internet routes",
    doc: "Route tables of the requirement's regions (DescribeRouteTables, every page; tags come \
with it), named by their Name tag, else their id. `vpc` and `include_main` choose the \
candidates: `vpc` keeps tables of VPCs whose Name tag (or id) matches the glob, and the VPC's \
main table, which AWS creates untagged with the VPC, is left out unless `include_main = true`. \
Subnet associations have no tags of their own in AWS; the table they bind is what carries them. \
`routes_to_internet` reads Routes[]: a route for 0.0.0.0/0 or ::/0 whose GatewayId is an \
internet gateway counts only while its State is `active` (`blackhole`: the gateway is gone).",
    regional: true,
    tags: true,
    selectable: true,
    fields: &[
        Field::new("vpc", Str, "The Name tag (or id) of the table's VPC, as a glob when plain (chooses candidates)."),
        Field::new("include_main", Bool, "Also check each VPC's main route table (chooses candidates)."),
        Field::new(
            "routes_to_internet",
            Bool,
            "The table sends 0.0.0.0/0 or ::/0 to an internet gateway through an active route.",
        ),
    ],
    plan: |req, plan| {
        plan.regional("ec2", &req.regions).read("networks");
    },
    evaluate,
};

/// `vpc`: the name of the table's VPC that chose it, when `vpc` was given.
fn checks(req: &Requirement, t: &RouteTable, vpc: Option<&str>) -> Vec<Check> {
    let mut out = Vec::new();
    if let (Some(cmp), Some(name)) = (req.expect.cmp("vpc"), vpc) {
        // already chose the table: shown, satisfied
        out.push(Check::new("vpc", cmp.expected(), json!(name), true));
    }
    if let Some(want) = req.expect.bool("routes_to_internet") {
        let routes: Vec<String> = t.internet_routes().map(|r| r.label()).collect();
        out.push(Check::of(
            "routes_to_internet",
            json!(want),
            &t.routes_to_internet(),
            |_| json!(routes),
            |r| *r == want,
        ));
    }
    out
}

fn evaluate(req: &Requirement, inv: &Inventory) -> Vec<Finding> {
    let vpc_glob = req.expect.cmp("vpc");
    let include_main = req.expect.bool("include_main").unwrap_or(false);
    let mut owned: Vec<(&RouteTable, String, Observed<Tags>, Option<String>)> = Vec::new();
    let mut gaps = Vec::new();
    for region in &req.regions {
        let Some(net) = inv.networks.get(region) else {
            gaps.push(Gap::not_collected(&format!("route tables in {region}")));
            continue;
        };
        let tables = match &net.route_tables {
            Observed::Known(t) => t,
            Observed::Unknown(g) => {
                gaps.push(g.clone());
                continue;
            }
        };
        let vpcs = match (&net.vpcs, vpc_glob) {
            (_, None) => None,
            (Observed::Known(v), Some(_)) => Some(v),
            (Observed::Unknown(g), Some(_)) => {
                gaps.push(g.clone());
                continue;
            }
        };
        for t in tables.iter().filter(|t| include_main || !t.main) {
            let mut vpc_name = None;
            if let (Some(glob), Some(vpcs)) = (vpc_glob, vpcs) {
                let name = vpcs.iter().find(|v| v.id == t.vpc_id).map_or(t.vpc_id.as_str(), |v| v.name());
                // a plain value is already a glob
                let chosen = match glob {
                    crate::comparison::Comparison::Text(g) => crate::profile::glob_match(g, name),
                    other => other.string(name),
                };
                if !chosen {
                    continue;
                }
                vpc_name = Some(name.to_string());
            }
            owned.push((t, region.clone(), Observed::Known(t.tags.clone()), vpc_name));
        }
    }
    let listing = Listing { items: owned.iter().collect(), gaps };
    evaluate_resources(
        req,
        listing,
        |(t, region, tags, _)| Meta {
            id: inv
                .partition
                .arn("ec2", region, t.owner.as_deref().unwrap_or(""), &format!("route-table/{}", t.id))
                .into(),
            name: t.name().into(),
            region: Some(region.as_str().into()),
            tags: Some(tags),
            path: None,
        },
        |(t, _, _, vpc)| checks(req, t, vpc.as_deref()),
    )
}

#[cfg(test)]
#[path = "ec2_route_table_tests.rs"]
mod tests;
