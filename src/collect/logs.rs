//! Fills `Inventory::log_groups`: per region, every log group (DescribeLogGroups,
//! every page) with retention and key; tags only when asked.

use super::{per_region, Regional};
use crate::aws::{all_pages, Ctx};
use crate::inventory::{LogGroup, Observed};
use futures::future::join_all;
use std::collections::BTreeMap;

const SERVICE: &str = "logs";

pub const CALLS: &[super::permissions::Call] = &[
    super::permissions::Call { operation: "DescribeLogGroups", action: "logs:DescribeLogGroups", needed: |_| true },
    super::permissions::Call {
        operation: "ListTagsForResource",
        action: "logs:ListTagsForResource",
        needed: |n| n.has("tags"),
    },
];

pub static COLLECTOR: super::Collector = super::Collector {
    id: "logs",
    service: SERVICE,
    part: "log_groups",
    reads: &[("tags", "tags of each resource")],
    calls: CALLS,
    collect: |ctx, need| {
        Box::pin(async move {
            let part = collect(ctx, &super::Regional::of(need, "", "")).await;
            Box::new(move |inv: &mut crate::inventory::Inventory| inv.log_groups = part) as super::Fill
        })
    },
    cut_short: |need, gap, inv| inv.log_groups = super::all_unknown(&need.regions(), gap),
};

async fn region_groups(ctx: &Ctx, region: &str, need: &Regional) -> Observed<Vec<LogGroup>> {
    let logs = ctx.client::<aws_sdk_cloudwatchlogs::Client>(region);
    let pages = match all_pages(ctx, logs.describe_log_groups().into_paginator().send()).await {
        Ok(p) => p,
        Err(e) => return Observed::Unknown(ctx.gap(&e, SERVICE, region, "DescribeLogGroups", None)),
    };
    let mut groups = Vec::new();
    for g in pages.iter().flat_map(|p| p.log_groups()) {
        let Some(name) = g.log_group_name() else {
            return Observed::Unknown(ctx.malformed(SERVICE, region, "DescribeLogGroups", "a logGroupName"));
        };
        // `arn` ends in `:*`; tagging APIs take the ARN without it (`logGroupArn`)
        let arn = g
            .log_group_arn()
            .map(str::to_string)
            .or_else(|| g.arn().map(|a| a.trim_end_matches(":*").to_string()))
            .unwrap_or_else(|| ctx.partition.arn("logs", region, "", &format!("log-group:{name}")));
        groups.push(LogGroup {
            name: name.to_string(),
            arn,
            region: region.to_string(),
            retention_days: g.retention_in_days(),
            kms_key: g.kms_key_id().map(str::to_string),
            tags: Observed::default(),
        });
    }
    if need.tags {
        let tags = join_all(groups.iter().map(|g| {
            let logs = logs.clone();
            async move {
                let _permit = ctx.permit().await;
                super::per_resource(
                    ctx,
                    logs.list_tags_for_resource().resource_arn(&g.arn).send().await,
                    |out| {
                        out.tags().map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default()
                    },
                    (SERVICE, region, "ListTagsForResource", &g.arn),
                )
            }
        }))
        .await;
        super::apply_reads(&mut groups, tags, |g, t| g.tags = t);
    }
    Observed::Known(groups)
}

pub async fn collect(ctx: &Ctx, need: &Regional) -> BTreeMap<String, Observed<Vec<LogGroup>>> {
    per_region(&need.regions, |r| region_groups(ctx, r, need)).await
}

#[cfg(test)]
#[path = "logs_tests.rs"]
mod tests;
