//! `ec2.instance`: instance type, public or private placement, tags.

use super::{Field, FieldType::*, Kind};
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::inventory::{Gap, Instance, Inventory, Observed};
use crate::profile::Requirement;
use serde_json::json;

pub static KIND: Kind = Kind {
    name: "ec2.instance",
    summary: "EC2 instances: instance type, public or private subnet, tags",
    doc: "Instances of the requirement's regions that are not terminated (DescribeInstances, \
every page), named by their Name tag, else their id. `public_subnet` judges the instance's \
subnet (SubnetId) by its route table, as ec2.vpc does: public when an `active` route sends \
0.0.0.0/0 or ::/0 to an internet gateway (a `blackhole` route is no path).",
    regional: true,
    tags: true,
    selectable: true,
    fields: &[
        Field::new("instance_type", Str, "Instance type, e.g. t3.micro."),
        Field::new(
            "public_subnet",
            Bool,
            "true: the instance's subnet has an active route to an internet gateway; false: it has none.",
        ),
    ],
    plan: |req, plan| {
        plan.resources("ec2", req).read("instances");
        if req.expect.has("public_subnet") {
            plan.regional("ec2", &req.regions).read("networks").read("subnets");
        }
    },
    evaluate,
};

fn checks(req: &Requirement, i: &Instance, inv: &Inventory) -> Vec<Check> {
    let e = &req.expect;
    let mut out = Vec::new();
    if let Some(cmp) = e.cmp("instance_type") {
        let ok = i.instance_type.as_deref().is_some_and(|t| cmp.string(t));
        out.push(Check::new("instance_type", cmp.expected(), json!(i.instance_type), ok));
    }
    if let Some(want) = e.bool("public_subnet") {
        let public = match (&i.subnet_id, inv.networks.get(&i.region)) {
            (Some(s), Some(net)) => net.public_subnet(s),
            // no subnet in the answer: where the instance runs was not observed
            (None, _) => Observed::Unknown(Gap::not_collected(&format!("subnet of {}", i.id))),
            (Some(_), None) => Observed::Unknown(Gap::not_collected(&format!("subnets in {}", i.region))),
        };
        out.push(Check::of(
            "public_subnet",
            json!(want),
            &public,
            |p| json!({"subnet": i.subnet_id, "public": p}),
            |p| *p == want,
        ));
    }
    out
}

fn evaluate(req: &Requirement, inv: &Inventory) -> Vec<Finding> {
    let mut listing = Listing::new();
    for region in &req.regions {
        listing.add(Inventory::regional(&inv.instances, region, "EC2 instances"));
    }
    listing.items.retain(|i| i.state.as_deref() != Some("terminated"));
    evaluate_resources(
        req,
        listing,
        |i| Meta {
            id: inv
                .partition
                .arn("ec2", &i.region, i.owner.as_deref().unwrap_or(""), &format!("instance/{}", i.id))
                .into(),
            name: i.name().into(),
            region: Some(i.region.as_str().into()),
            tags: Some(&i.tags),
            path: None,
        },
        |i| checks(req, i, inv),
    )
}

#[cfg(test)]
#[path = "ec2_instance_tests.rs"]
mod tests;
