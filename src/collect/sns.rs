//! Fills `Inventory::topics`: per region, every topic (ListTopics, every page);
//! its attributes (encryption key) and tags only when asked.

use super::{apply_reads, per_region, per_resource, Regional};
use crate::aws::{all_pages, Ctx};
use crate::inventory::{Observed, Topic};
use futures::future::join_all;
use std::collections::BTreeMap;

const SERVICE: &str = "sns";

pub const CALLS: &[super::permissions::Call] = &[
    super::permissions::Call { operation: "ListTopics", action: "sns:ListTopics", needed: |_| true },
    super::permissions::Call {
        operation: "GetTopicAttributes",
        action: "sns:GetTopicAttributes",
        needed: |n| n.has("attributes"),
    },
    super::permissions::Call {
        operation: "ListTagsForResource",
        action: "sns:ListTagsForResource",
        needed: |n| n.has("tags"),
    },
];

pub static COLLECTOR: super::Collector = super::Collector {
    id: "sns",
    service: SERVICE,
    part: "topics",
    reads: &[("tags", "tags of each resource"), ("attributes", "topic attributes (GetTopicAttributes)")],
    calls: CALLS,
    collect: |ctx, need| {
        Box::pin(async move {
            let part = collect(ctx, &super::Regional::of(need, "attributes", "")).await;
            Box::new(move |inv: &mut crate::inventory::Inventory| inv.topics = part) as super::Fill
        })
    },
    cut_short: |need, gap, inv| inv.topics = super::all_unknown(&need.regions(), gap),
};

async fn region_topics(ctx: &Ctx, region: &str, need: &Regional) -> Observed<Vec<Topic>> {
    let sns = ctx.client::<aws_sdk_sns::Client>(region);
    let pages = match all_pages(ctx, sns.list_topics().into_paginator().send()).await {
        Ok(p) => p,
        Err(e) => return Observed::Unknown(ctx.gap(&e, SERVICE, region, "ListTopics", None)),
    };
    let mut topics = Vec::new();
    for t in pages.iter().flat_map(|p| p.topics()) {
        let Some(arn) = t.topic_arn() else {
            return Observed::Unknown(ctx.malformed(SERVICE, region, "ListTopics", "a TopicArn"));
        };
        topics.push(Topic {
            name: arn.rsplit(':').next().unwrap_or(arn).to_string(),
            arn: arn.to_string(),
            region: region.to_string(),
            kms_key: Observed::default(),
            tags: Observed::default(),
        });
    }
    let reads = join_all(topics.iter().map(|t| {
        let sns = sns.clone();
        async move {
            let key = if need.detail {
                let _permit = ctx.permit().await;
                per_resource(
                    ctx,
                    sns.get_topic_attributes().topic_arn(&t.arn).send().await,
                    |out| out.attributes().and_then(|a| a.get("KmsMasterKeyId")).filter(|k| !k.is_empty()).cloned(),
                    (SERVICE, region, "GetTopicAttributes", &t.arn),
                )?
            } else {
                Observed::default()
            };
            let tags = if need.tags {
                let _permit = ctx.permit().await;
                per_resource(
                    ctx,
                    sns.list_tags_for_resource().resource_arn(&t.arn).send().await,
                    |out| super::tag_map(out.tags(), |x| (Some(x.key()), Some(x.value()))),
                    (SERVICE, region, "ListTagsForResource", &t.arn),
                )?
            } else {
                Observed::default()
            };
            Some((key, tags))
        }
    }))
    .await;
    apply_reads(&mut topics, reads, |t, (key, tags)| {
        t.kms_key = key;
        t.tags = tags;
    });
    Observed::Known(topics)
}

pub async fn collect(ctx: &Ctx, need: &Regional) -> BTreeMap<String, Observed<Vec<Topic>>> {
    per_region(&need.regions, |r| region_topics(ctx, r, need)).await
}

#[cfg(test)]
#[path = "sns_tests.rs"]
mod tests;
