//! Fills `Inventory::autoscaling_groups`: per region, every group
//! (DescribeAutoScalingGroups, every page) with its launch source and tags.

use super::{per_region, Regional};
use crate::aws::{all_pages, Ctx};
use crate::inventory::{AutoScalingGroup, Observed};
use std::collections::BTreeMap;

const SERVICE: &str = "autoscaling";

pub const CALLS: &[super::permissions::Call] = &[super::permissions::Call {
    operation: "DescribeAutoScalingGroups",
    action: "autoscaling:DescribeAutoScalingGroups",
    needed: |_| true,
}];

pub static COLLECTOR: super::Collector = super::Collector {
    id: "autoscaling",
    service: SERVICE,
    part: "autoscaling_groups",
    reads: &[("tags", "tags of each resource")],
    calls: CALLS,
    collect: |ctx, need| {
        Box::pin(async move {
            let part = collect(ctx, &super::Regional::of(need, "", "")).await;
            Box::new(move |inv: &mut crate::inventory::Inventory| inv.autoscaling_groups = part) as super::Fill
        })
    },
    cut_short: |need, gap, inv| inv.autoscaling_groups = super::all_unknown(&need.regions(), gap),
};

async fn region_groups(ctx: &Ctx, region: &str) -> Observed<Vec<AutoScalingGroup>> {
    let client = ctx.client::<aws_sdk_autoscaling::Client>(region);
    let pages = match all_pages(ctx, client.describe_auto_scaling_groups().into_paginator().send()).await {
        Ok(p) => p,
        Err(e) => return Observed::Unknown(ctx.gap(&e, SERVICE, region, "DescribeAutoScalingGroups", None)),
    };
    let mut groups = Vec::new();
    for g in pages.iter().flat_map(|p| p.auto_scaling_groups()) {
        let mixed = g.mixed_instances_policy().and_then(|m| m.launch_template());
        let template = g
            .launch_template()
            .or(mixed.and_then(|t| t.launch_template_specification()))
            .and_then(|t| t.launch_template_id().or(t.launch_template_name()))
            .map(str::to_string);
        // The SDK fills a required member the answer left out with its zero value
        // (client error correction): an empty name is how a missing one shows.
        // MinSize and MaxSize left out read as 0, which cannot be told from a real
        // 0; AWS always sends them (API reference: Required).
        let name = g.auto_scaling_group_name().filter(|n| !n.is_empty());
        let (Some(name), Some(min), Some(max)) = (name, g.min_size(), g.max_size()) else {
            return Observed::Unknown(ctx.malformed(
                SERVICE,
                region,
                "DescribeAutoScalingGroups",
                "a group's name, MinSize or MaxSize",
            ));
        };
        groups.push(AutoScalingGroup {
            name: name.to_string(),
            arn: g.auto_scaling_group_arn().unwrap_or(name).to_string(),
            region: region.to_string(),
            min_size: min,
            max_size: max,
            desired: g.desired_capacity().unwrap_or(min),
            launch_template: template,
            launch_configuration: g.launch_configuration_name().map(str::to_string),
            instance_types: mixed
                .map(|t| t.overrides().iter().filter_map(|o| o.instance_type().map(str::to_string)).collect())
                .unwrap_or_default(),
            subnets: g
                .vpc_zone_identifier()
                .unwrap_or("")
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            tags: Observed::Known(super::tag_map(g.tags(), |t| (t.key(), t.value()))),
        });
    }
    Observed::Known(groups)
}

pub async fn collect(ctx: &Ctx, need: &Regional) -> BTreeMap<String, Observed<Vec<AutoScalingGroup>>> {
    per_region(&need.regions, |r| region_groups(ctx, r)).await
}

#[cfg(test)]
#[path = "autoscaling_tests.rs"]
mod tests;
