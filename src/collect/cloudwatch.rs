//! Fills `Inventory::alarms`: per region, every metric alarm (every page).

use crate::aws::{all_pages, Ctx};
use crate::inventory::{Alarm, Observed};
use aws_sdk_cloudwatch::types::{AlarmType, MetricAlarm};
use futures::future::join_all;
use std::collections::{BTreeMap, BTreeSet};

const SERVICE: &str = "cloudwatch";

pub const CALLS: &[super::permissions::Call] = &[super::permissions::Call {
    operation: "DescribeAlarms",
    action: "cloudwatch:DescribeAlarms",
    needed: |p| !p.alarms.is_empty(),
}];

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
        actions_enabled: a.actions_enabled().unwrap_or(false),
        alarm_actions: a.alarm_actions().to_vec(),
    }
}

async fn region_alarms(ctx: &Ctx, region: &str) -> Observed<Vec<Alarm>> {
    let cw = aws_sdk_cloudwatch::Client::new(&ctx.config(region));
    match all_pages(ctx, cw.describe_alarms().alarm_types(AlarmType::MetricAlarm).into_paginator().send()).await {
        Ok(pages) => Observed::Known(pages.iter().flat_map(|p| p.metric_alarms()).map(|a| alarm(region, a)).collect()),
        Err(err) => Observed::Unknown(ctx.gap(&err, SERVICE, region, "DescribeAlarms", None)),
    }
}

pub async fn collect(ctx: &Ctx, regions: &BTreeSet<String>) -> BTreeMap<String, Observed<Vec<Alarm>>> {
    join_all(regions.iter().map(|r| async move { (r.clone(), region_alarms(ctx, r).await) }))
        .await
        .into_iter()
        .collect()
}
