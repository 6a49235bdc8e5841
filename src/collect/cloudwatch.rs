//! Fills `Inventory::alarms`: per region, every metric alarm (every page).

use crate::aws::{all_pages, Ctx};
use crate::inventory::{Alarm, Observed};
use aws_sdk_cloudwatch::types::{AlarmType, MetricAlarm};
use futures::future::join_all;
use std::collections::{BTreeMap, BTreeSet};

const SERVICE: &str = "cloudwatch";

pub const CALLS: &[super::permissions::Call] = &[
    super::permissions::Call { operation: "DescribeAlarms", action: "cloudwatch:DescribeAlarms", needed: |_| true },
    super::permissions::Call {
        operation: "ListTagsForResource",
        action: "cloudwatch:ListTagsForResource",
        needed: |n| n.has("tags"),
    },
];

pub static COLLECTOR: super::Collector = super::Collector {
    id: "cloudwatch",
    service: SERVICE,
    part: "alarms",
    reads: &[("tags", "tags of each alarm")],
    calls: CALLS,
    collect: |ctx, need| {
        Box::pin(async move {
            let part = collect(ctx, &need.regions(), need.has("tags")).await;
            Box::new(move |inv: &mut crate::inventory::Inventory| inv.alarms = part) as super::Fill
        })
    },
    cut_short: |need, gap, inv| inv.alarms = super::all_unknown(&need.regions(), gap),
};

fn alarm(region: &str, a: &MetricAlarm) -> Alarm {
    let dims = |d: &[aws_sdk_cloudwatch::types::Dimension]| super::tag_map(d, |x| (x.name(), x.value()));
    // metric-math alarms keep their metric in the query that returns data
    let query =
        a.metrics().iter().find(|m| m.return_data().unwrap_or(false) && m.metric_stat().is_some()).or_else(|| {
            let stats: Vec<_> = a.metrics().iter().filter(|m| m.metric_stat().is_some()).collect();
            if stats.len() == 1 {
                stats.first().copied()
            } else {
                None
            }
        });
    let stat = query.and_then(|q| q.metric_stat());
    let metric = stat.and_then(|s| s.metric());
    Alarm {
        name: a.alarm_name().unwrap_or_default().to_string(),
        arn: a.alarm_arn().unwrap_or_default().to_string(),
        region: region.to_string(),
        namespace: a.namespace().or(metric.and_then(|m| m.namespace())).map(str::to_string),
        metric_name: a.metric_name().or(metric.and_then(|m| m.metric_name())).map(str::to_string),
        statistic: a
            .statistic()
            .map(|s| s.as_str().to_string())
            .or(a.extended_statistic().map(str::to_string))
            .or(stat.and_then(|s| s.stat()).map(str::to_string)),
        comparison: a.comparison_operator().map(|c| c.as_str().to_string()),
        threshold: a.threshold(),
        dimensions: if a.dimensions().is_empty() {
            metric.map(|m| dims(m.dimensions())).unwrap_or_default()
        } else {
            dims(a.dimensions())
        },
        actions_enabled: a.actions_enabled(),
        alarm_actions: a.alarm_actions().to_vec(),
        tags: Observed::default(),
    }
}

async fn region_alarms(ctx: &Ctx, region: &str, with_tags: bool) -> Observed<Vec<Alarm>> {
    let cw = ctx.client::<aws_sdk_cloudwatch::Client>(region);
    let mut alarms: Vec<Alarm> =
        match all_pages(ctx, cw.describe_alarms().alarm_types(AlarmType::MetricAlarm).into_paginator().send()).await {
            Ok(pages) => pages.iter().flat_map(|p| p.metric_alarms()).map(|a| alarm(region, a)).collect(),
            Err(err) => return Observed::Unknown(ctx.gap(&err, SERVICE, region, "DescribeAlarms", None)),
        };
    if with_tags {
        let tags = join_all(alarms.iter().map(|a| {
            let cw = cw.clone();
            async move {
                let _permit = ctx.permit().await;
                super::per_resource(
                    ctx,
                    cw.list_tags_for_resource().resource_arn(&a.arn).send().await,
                    |o| super::tag_map(o.tags(), |t| (t.key(), t.value())),
                    (SERVICE, region, "ListTagsForResource", &a.arn),
                )
            }
        }))
        .await;
        super::apply_reads(&mut alarms, tags, |a, t| a.tags = t);
    }
    Observed::Known(alarms)
}

pub async fn collect(ctx: &Ctx, regions: &BTreeSet<String>, with_tags: bool) -> BTreeMap<String, Observed<Vec<Alarm>>> {
    super::per_region(regions, |r| region_alarms(ctx, r, with_tags)).await
}

#[cfg(test)]
#[path = "cloudwatch_tests.rs"]
mod tests;
