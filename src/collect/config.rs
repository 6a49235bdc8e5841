//! Fills `Inventory::config_rules`: per region, every AWS Config rule
//! (DescribeConfigRules, every page); whether a recorder is recording when asked.

use super::{per_region, Regional};
use crate::aws::{all_pages, Ctx};
use crate::inventory::{ConfigRule, Observed};
use futures::future::join_all;
use std::collections::BTreeMap;

const SERVICE: &str = "config";

pub const CALLS: &[super::permissions::Call] = &[
    super::permissions::Call {
        operation: "DescribeConfigRules",
        action: "config:DescribeConfigRules",
        needed: |_| true,
    },
    super::permissions::Call {
        operation: "DescribeConfigurationRecorderStatus",
        action: "config:DescribeConfigurationRecorderStatus",
        needed: |n| n.has("recorder"),
    },
    super::permissions::Call {
        operation: "ListTagsForResource",
        action: "config:ListTagsForResource",
        needed: |n| n.has("tags"),
    },
];

pub static COLLECTOR: super::Collector = super::Collector {
    id: "config",
    service: SERVICE,
    part: "config_rules",
    reads: &[
        ("tags", "tags of each resource"),
        ("recorder", "whether a configuration recorder of the region is recording"),
    ],
    calls: CALLS,
    collect: |ctx, need| {
        Box::pin(async move {
            let part = collect(ctx, &super::Regional::of(need, "recorder", "")).await;
            Box::new(move |inv: &mut crate::inventory::Inventory| inv.config_rules = part) as super::Fill
        })
    },
    cut_short: |need, gap, inv| inv.config_rules = super::all_unknown(&need.regions(), gap),
};

async fn region_rules(ctx: &Ctx, region: &str, need: &Regional) -> Observed<Vec<ConfigRule>> {
    let client = ctx.client::<aws_sdk_config::Client>(region);
    let recorder = async {
        if !need.detail {
            return Observed::default();
        }
        let _permit = ctx.permit().await;
        match client.describe_configuration_recorder_status().send().await {
            Ok(out) => Observed::Known(out.configuration_recorders_status().iter().any(|s| s.recording())),
            Err(e) => Observed::Unknown(ctx.gap(&e, SERVICE, region, "DescribeConfigurationRecorderStatus", None)),
        }
    };
    let (pages, recorder) =
        tokio::join!(all_pages(ctx, client.describe_config_rules().into_paginator().send()), recorder);
    let pages = match pages {
        Ok(p) => p,
        Err(e) => return Observed::Unknown(ctx.gap(&e, SERVICE, region, "DescribeConfigRules", None)),
    };
    let mut rules = Vec::new();
    for r in pages.iter().flat_map(|p| p.config_rules()) {
        let Some(name) = r.config_rule_name() else {
            return Observed::Unknown(ctx.malformed(SERVICE, region, "DescribeConfigRules", "a ConfigRuleName"));
        };
        rules.push(ConfigRule {
            name: name.to_string(),
            arn: r.config_rule_arn().unwrap_or(name).to_string(),
            region: region.to_string(),
            owner: r.source().map(|s| s.owner().as_str().to_string()),
            source_identifier: r.source().and_then(|s| s.source_identifier()).map(str::to_string),
            state: r.config_rule_state().map(|s| s.as_str().to_string()),
            recorder_on: recorder.clone(),
            tags: Observed::default(),
        });
    }
    if need.tags {
        let tags = join_all(rules.iter().map(|r| {
            let client = client.clone();
            async move {
                // every page (NextToken, up to 50 tags a page); a failed page is a gap
                super::per_resource(
                    ctx,
                    all_pages(ctx, client.list_tags_for_resource().resource_arn(&r.arn).into_paginator().send()).await,
                    |pages| {
                        let all: Vec<_> = pages.iter().flat_map(|o| o.tags()).collect();
                        super::tag_map(&all, |t| (t.key(), t.value()))
                    },
                    (SERVICE, region, "ListTagsForResource", &r.arn),
                )
            }
        }))
        .await;
        super::apply_reads(&mut rules, tags, |r, t| r.tags = t);
    }
    Observed::Known(rules)
}

pub async fn collect(ctx: &Ctx, need: &Regional) -> BTreeMap<String, Observed<Vec<ConfigRule>>> {
    per_region(&need.regions, |r| region_rules(ctx, r, need)).await
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "config_state_tests.rs"]
mod state_tests;
