//! Fills `Inventory::secrets`: per region, every secret (ListSecrets, every page)
//! with its rotation settings, key and tags, all from the listing itself.

use super::{per_region, Regional};
use crate::aws::{all_pages, Ctx};
use crate::inventory::{Observed, Secret};
use std::collections::BTreeMap;

const SERVICE: &str = "secretsmanager";

pub const CALLS: &[super::permissions::Call] =
    &[super::permissions::Call { operation: "ListSecrets", action: "secretsmanager:ListSecrets", needed: |_| true }];

pub static COLLECTOR: super::Collector = super::Collector {
    id: "secretsmanager",
    service: SERVICE,
    part: "secrets",
    reads: &[("tags", "tags of each resource")],
    calls: CALLS,
    collect: |ctx, need| {
        Box::pin(async move {
            let part = collect(ctx, &super::Regional::of(need, "", "")).await;
            Box::new(move |inv: &mut crate::inventory::Inventory| inv.secrets = part) as super::Fill
        })
    },
    cut_short: |need, gap, inv| inv.secrets = super::all_unknown(&need.regions(), gap),
};

async fn region_secrets(ctx: &Ctx, region: &str) -> Observed<Vec<Secret>> {
    let sm = ctx.client::<aws_sdk_secretsmanager::Client>(region);
    let pages = match all_pages(ctx, sm.list_secrets().max_results(100).into_paginator().send()).await {
        Ok(p) => p,
        Err(e) => return Observed::Unknown(ctx.gap(&e, SERVICE, region, "ListSecrets", None)),
    };
    let mut out = Vec::new();
    for s in pages.iter().flat_map(|p| p.secret_list()) {
        let (Some(name), Some(arn)) = (s.name(), s.arn()) else {
            return Observed::Unknown(ctx.malformed(SERVICE, region, "ListSecrets", "a secret's Name or ARN"));
        };
        let rules = s.rotation_rules();
        out.push(Secret {
            name: name.to_string(),
            arn: arn.to_string(),
            region: region.to_string(),
            rotation_enabled: s.rotation_enabled().unwrap_or(false),
            rotation_days: rules.and_then(|r| r.automatically_after_days()),
            rotation_schedule: rules.and_then(|r| r.schedule_expression()).map(str::to_string),
            kms_key: s.kms_key_id().map(str::to_string),
            // ListSecrets carries the tags; an untagged secret has none
            tags: Observed::Known(super::tag_map(s.tags(), |t| (t.key(), t.value()))),
        });
    }
    Observed::Known(out)
}

pub async fn collect(ctx: &Ctx, need: &Regional) -> BTreeMap<String, Observed<Vec<Secret>>> {
    per_region(&need.regions, |r| region_secrets(ctx, r)).await
}

#[cfg(test)]
#[path = "secretsmanager_tests.rs"]
mod tests;
