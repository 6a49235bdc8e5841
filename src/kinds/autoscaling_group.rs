//! `autoscaling.group`: capacity bounds, launch template, subnets, instance types.

use super::{Field, FieldType::*, Kind};
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::inventory::{AutoScalingGroup, Inventory};
use crate::profile::Requirement;
use serde_json::json;

pub static KIND: Kind = Kind {
    name: "autoscaling.group",
    summary: "Auto Scaling groups: capacity bounds, launch template, subnets, mixed instance types",
    doc: "Groups of the requirement's regions (DescribeAutoScalingGroups, every page), named by \
group name. `launch_template = true` asks for a launch template (directly or through a mixed \
instances policy) and no launch configuration.",
    regional: true,
    tags: true,
    selectable: true,
    fields: &[
        Field::new("min_size", Int, "MinSize, e.g. { at_least = 2 }."),
        Field::new("max_size", Int, "MaxSize, e.g. { at_most = 10 }."),
        Field::new("desired_capacity", Int, "DesiredCapacity, e.g. { at_least = 2 }."),
        Field::new("launch_template", Bool, "Instances come from a launch template, not a launch configuration."),
        Field::new("subnets", Int, "How many subnets the group spans (VPCZoneIdentifier), e.g. { at_least = 2 }."),
        Field::new(
            "instance_types",
            Int,
            "How many instance types its mixed instances policy offers (LaunchTemplate Overrides; 0 without \
one), e.g. { at_least = 2 }.",
        ),
    ],
    plan: |req, plan| {
        plan.resources("autoscaling", req);
    },
    evaluate,
};

fn checks(req: &Requirement, g: &AutoScalingGroup) -> Vec<Check> {
    let e = &req.expect;
    let mut out = Vec::new();
    if let Some(cmp) = e.cmp("min_size") {
        out.push(Check::number("min_size", cmp, g.min_size.into()));
    }
    if let Some(cmp) = e.cmp("max_size") {
        out.push(Check::number("max_size", cmp, g.max_size.into()));
    }
    if let Some(cmp) = e.cmp("desired_capacity") {
        out.push(Check::number("desired_capacity", cmp, g.desired.into()));
    }
    if let Some(want) = e.bool("launch_template") {
        let observed = match (&g.launch_template, &g.launch_configuration) {
            (Some(t), _) => json!(format!("launch template {t}")),
            (None, Some(c)) => json!(format!("launch configuration {c}")),
            (None, None) => json!(null),
        };
        let uses = g.launch_template.is_some() && g.launch_configuration.is_none();
        out.push(Check::new("launch_template", json!(want), observed, uses == want));
    }
    // the lists are shown, their lengths compared
    if let Some(cmp) = e.cmp("subnets") {
        out.push(Check::new("subnets", cmp.expected(), json!(g.subnets), cmp.number(g.subnets.len() as f64)));
    }
    if let Some(cmp) = e.cmp("instance_types") {
        out.push(Check::new(
            "instance_types",
            cmp.expected(),
            json!(g.instance_types),
            cmp.number(g.instance_types.len() as f64),
        ));
    }
    out
}

fn evaluate(req: &Requirement, inv: &Inventory) -> Vec<Finding> {
    let mut listing = Listing::new();
    for region in &req.regions {
        listing.add(Inventory::regional(&inv.autoscaling_groups, region, "Auto Scaling groups"));
    }
    evaluate_resources(
        req,
        listing,
        |g| Meta {
            id: g.arn.as_str().into(),
            name: g.name.as_str().into(),
            region: Some(g.region.as_str().into()),
            tags: Some(&g.tags),
            path: None,
        },
        |g| checks(req, g),
    )
}

#[cfg(test)]
#[path = "autoscaling_group_tests.rs"]
mod tests;
