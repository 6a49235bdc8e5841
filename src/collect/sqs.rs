//! Fills `Inventory::queues`: per region, every queue (ListQueues, every page)
//! with its attributes (GetQueueAttributes: QueueArn, SqsManagedSseEnabled,
//! KmsMasterKeyId, RedrivePolicy, Policy, MessageRetentionPeriod); the key manager
//! of a KMS key and the tags only when asked. One queue's failed read is that
//! queue's gap; a queue deleted since the listing is gone.

use super::{apply_reads, per_region, per_resource, Need};
use crate::aws::{all_pages, Ctx};
use crate::inventory::{Observed, Queue, QueueAttributes};
use aws_sdk_sqs::types::QueueAttributeName;
use futures::future::join_all;
use std::collections::BTreeMap;

const SERVICE: &str = "sqs";
/// The AWS managed key of SQS, by its alias.
const AWS_MANAGED_KEY: &str = "alias/aws/sqs";

pub const CALLS: &[super::Call] = &[
    super::Call { operation: "ListQueues", action: "sqs:ListQueues", needed: |_| true },
    super::Call { operation: "GetQueueAttributes", action: "sqs:GetQueueAttributes", needed: |n| n.has("attributes") },
    super::Call { operation: "ListQueueTags", action: "sqs:ListQueueTags", needed: |n| n.has("tags") },
    super::Call { operation: "DescribeKey", action: "kms:DescribeKey", needed: |n| n.has("key_manager") },
];

pub static COLLECTOR: super::Collector = super::Collector {
    id: "sqs",
    service: SERVICE,
    part: "queues",
    reads: &[
        ("attributes", "encryption, dead-letter queue, policy and retention (GetQueueAttributes)"),
        ("key_manager", "whether the queue's KMS key is customer managed (kms:DescribeKey)"),
        ("tags", "tags of each queue (ListQueueTags)"),
    ],
    calls: CALLS,
    collect: |ctx, need| {
        Box::pin(async move {
            let part = collect(ctx, need).await;
            Box::new(move |inv: &mut crate::inventory::Inventory| inv.queues = part) as super::Fill
        })
    },
    cut_short: |need, gap, inv| inv.queues = super::all_unknown(&need.regions(), gap),
};

/// The attributes AWS answers as strings, read into their meaning. A policy or
/// redrive policy that is not JSON is kept as `Null` (evaluated as unknown).
fn attributes(map: &std::collections::HashMap<QueueAttributeName, String>) -> QueueAttributes {
    let get = |name: QueueAttributeName| map.get(&name).map(String::as_str);
    let json = |name: QueueAttributeName| get(name).map(|t| serde_json::from_str(t).unwrap_or(serde_json::Value::Null));
    QueueAttributes {
        sse_sqs: get(QueueAttributeName::SqsManagedSseEnabled).map(|v| v.eq_ignore_ascii_case("true")),
        kms_key: get(QueueAttributeName::KmsMasterKeyId).filter(|k| !k.is_empty()).map(str::to_string),
        redrive_policy: json(QueueAttributeName::RedrivePolicy),
        policy: json(QueueAttributeName::Policy),
        retention_seconds: get(QueueAttributeName::MessageRetentionPeriod).and_then(|v| v.parse().ok()),
    }
}

async fn region_queues(ctx: &Ctx, region: &str, need: &Need) -> Observed<Vec<Queue>> {
    let sqs = ctx.client::<aws_sdk_sqs::Client>(region);
    let urls: Vec<String> = match all_pages(ctx, sqs.list_queues().max_results(1000).into_paginator().send()).await {
        Ok(pages) => pages.iter().flat_map(|p| p.queue_urls().iter().cloned()).collect(),
        Err(e) => return Observed::Unknown(ctx.gap(&e, SERVICE, region, "ListQueues", None)),
    };
    let mut queues: Vec<Queue> = urls
        .into_iter()
        .map(|url| {
            // the ARN AWS gives every queue, arn:PARTITION:sqs:REGION:ACCOUNT:NAME, the
            // account being the URL's path segment before the name (QueueArn, when
            // read, replaces it)
            let mut path = url.rsplit('/');
            let name = path.next().unwrap_or_default().to_string();
            let account = path.next().unwrap_or_default();
            Queue {
                arn: ctx.partition.arn("sqs", region, account, &name),
                name,
                url,
                region: region.to_string(),
                attributes: Observed::default(),
                key_manager: Observed::default(),
                tags: Observed::default(),
            }
        })
        .collect();
    let (attrs, keys, tags) = (need.has("attributes"), need.has("key_manager"), need.has("tags"));
    let reads = join_all(queues.iter().map(|q| {
        let sqs = sqs.clone();
        async move {
            let attributes = if attrs || keys {
                let _permit = ctx.permit().await;
                per_resource(
                    ctx,
                    sqs.get_queue_attributes().queue_url(&q.url).attribute_names(QueueAttributeName::All).send().await,
                    |out| out.attributes().cloned().unwrap_or_default(),
                    (SERVICE, region, "GetQueueAttributes", &q.arn),
                )?
            } else {
                Observed::default()
            };
            let key_manager = match attributes.known().map(self::attributes) {
                Some(a) if keys => match a.kms_key.as_deref() {
                    None => Observed::Known(None),
                    Some(AWS_MANAGED_KEY) => Observed::Known(Some("AWS".to_string())),
                    Some(key) => super::kms::key_manager(ctx, region, key).await,
                },
                _ => Observed::default(),
            };
            let tags = if tags {
                let _permit = ctx.permit().await;
                per_resource(
                    ctx,
                    sqs.list_queue_tags().queue_url(&q.url).send().await,
                    |out| {
                        out.tags().map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default()
                    },
                    (SERVICE, region, "ListQueueTags", &q.arn),
                )?
            } else {
                Observed::default()
            };
            Some((attributes, key_manager, tags))
        }
    }))
    .await;
    apply_reads(&mut queues, reads, |q, (raw, key_manager, tags)| {
        if let Some(arn) = raw.known().and_then(|m| m.get(&QueueAttributeName::QueueArn)) {
            q.arn = arn.clone();
        }
        q.attributes = raw.map(|m| attributes(&m));
        q.key_manager = key_manager;
        q.tags = tags;
    });
    Observed::Known(queues)
}

pub async fn collect(ctx: &Ctx, need: &Need) -> BTreeMap<String, Observed<Vec<Queue>>> {
    per_region(&need.regions(), |r| region_queues(ctx, r, need)).await
}

#[cfg(test)]
#[path = "sqs_tests.rs"]
mod tests;
