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
        Field::new("min_size_at_least", Int, "MinSize is at least this."),
        Field::new("max_size_at_most", Int, "MaxSize is at most this."),
        Field::new("desired_at_least", Int, "DesiredCapacity is at least this."),
        Field::new("launch_template", Bool, "Instances come from a launch template, not a launch configuration."),
        Field::new("min_subnets", Int, "The group spans at least this many subnets."),
        Field::new("min_instance_types", Int, "A mixed instances policy offers at least this many instance types."),
    ],
    plan: |req, plan| {
        plan.resources("autoscaling", req);
    },
    evaluate,
};

fn checks(req: &Requirement, g: &AutoScalingGroup) -> Vec<Check> {
    let e = &req.expect;
    let mut out = Vec::new();
    let at_least = |field: &'static str, min: i64, have: i64| {
        Check::new(field, json!(format!(">= {min}")), json!(have), have >= min)
    };
    if let Some(min) = e.int("min_size_at_least") {
        out.push(at_least("min_size_at_least", min, g.min_size.into()));
    }
    if let Some(max) = e.int("max_size_at_most") {
        out.push(Check::new(
            "max_size_at_most",
            json!(format!("<= {max}")),
            json!(g.max_size),
            i64::from(g.max_size) <= max,
        ));
    }
    if let Some(min) = e.int("desired_at_least") {
        out.push(at_least("desired_at_least", min, g.desired.into()));
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
    if let Some(min) = e.int("min_subnets") {
        out.push(Check::new(
            "min_subnets",
            json!(format!(">= {min}")),
            json!(g.subnets),
            g.subnets.len() as i64 >= min,
        ));
    }
    if let Some(min) = e.int("min_instance_types") {
        out.push(Check::new(
            "min_instance_types",
            json!(format!(">= {min}")),
            json!(g.instance_types),
            g.instance_types.len() as i64 >= min,
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
