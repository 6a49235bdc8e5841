//! Fills `Inventory::kms_keys`: per region, every key (ListKeys) with its aliases
//! and DescribeKey; rotation status, key policy and tags only when asked.

use super::{per_region, Need};
use crate::aws::{all_pages, Ctx};
use crate::inventory::{KmsKey, Observed};
use futures::future::join_all;
use std::collections::BTreeMap;

const SERVICE: &str = "kms";

pub const CALLS: &[super::permissions::Call] = &[
    super::permissions::Call { operation: "ListKeys", action: "kms:ListKeys", needed: |p| !p.kms.is_empty() },
    super::permissions::Call { operation: "ListAliases", action: "kms:ListAliases", needed: |p| !p.kms.is_empty() },
    super::permissions::Call {
        operation: "DescribeKey",
        action: "kms:DescribeKey",
        needed: |p| !p.kms.is_empty() || p.dynamodb.extra,
    },
    super::permissions::Call {
        operation: "GetKeyRotationStatus",
        action: "kms:GetKeyRotationStatus",
        needed: |p| p.kms.detail,
    },
    super::permissions::Call { operation: "GetKeyPolicy", action: "kms:GetKeyPolicy", needed: |p| p.kms.extra },
    super::permissions::Call { operation: "ListResourceTags", action: "kms:ListResourceTags", needed: |p| p.kms.tags },
];

async fn key(
    ctx: &Ctx,
    kms: &aws_sdk_kms::Client,
    region: &str,
    id: &str,
    aliases: Vec<String>,
    need: &Need,
) -> Result<KmsKey, crate::inventory::Gap> {
    let described = {
        let _permit = ctx.permit().await;
        kms.describe_key().key_id(id).send().await.map_err(|e| ctx.gap(&e, SERVICE, region, "DescribeKey", Some(id)))?
    };
    let Some(meta) = described.key_metadata() else {
        return Err(ctx.malformed(SERVICE, region, "DescribeKey", "KeyMetadata"));
    };
    let arn = meta.arn().unwrap_or(id).to_string();
    let rotation = async {
        if !need.detail {
            return Observed::default();
        }
        let _permit = ctx.permit().await;
        match kms.get_key_rotation_status().key_id(id).send().await {
            Ok(out) => Observed::Known(out.key_rotation_enabled()),
            Err(e) => Observed::Unknown(ctx.gap(&e, SERVICE, region, "GetKeyRotationStatus", Some(&arn))),
        }
    };
    let policy = async {
        if !need.extra {
            return Observed::default();
        }
        let _permit = ctx.permit().await;
        match kms.get_key_policy().key_id(id).policy_name("default").send().await {
            Ok(out) => Observed::Known(
                out.policy().and_then(|p| serde_json::from_str(p).ok()).unwrap_or(serde_json::Value::Null),
            ),
            Err(e) => Observed::Unknown(ctx.gap(&e, SERVICE, region, "GetKeyPolicy", Some(&arn))),
        }
    };
    let tags = async {
        if !need.tags {
            return Observed::default();
        }
        match all_pages(ctx, kms.list_resource_tags().key_id(id).into_paginator().send()).await {
            Ok(pages) => Observed::Known(
                pages
                    .iter()
                    .flat_map(|p| p.tags())
                    .map(|t| (t.tag_key().to_string(), t.tag_value().to_string()))
                    .collect(),
            ),
            Err(e) => Observed::Unknown(ctx.gap(&e, SERVICE, region, "ListResourceTags", Some(&arn))),
        }
    };
    let (rotation, policy, tags) = tokio::join!(rotation, policy, tags);
    Ok(KmsKey {
        id: id.to_string(),
        arn: arn.clone(),
        region: region.to_string(),
        aliases,
        manager: meta.key_manager().map(|m| m.as_str().to_string()),
        state: meta.key_state().map(|s| s.as_str().to_string()),
        rotation,
        policy,
        tags,
    })
}

async fn region_keys(ctx: &Ctx, region: &str, need: &Need) -> Observed<Vec<KmsKey>> {
    let kms = aws_sdk_kms::Client::new(&ctx.config(region));
    let (keys, aliases) = tokio::join!(
        all_pages(ctx, kms.list_keys().into_paginator().send()),
        all_pages(ctx, kms.list_aliases().into_paginator().send())
    );
    let keys = match keys {
        Ok(p) => p,
        Err(e) => return Observed::Unknown(ctx.gap(&e, SERVICE, region, "ListKeys", None)),
    };
    let aliases = match aliases {
        Ok(p) => p,
        Err(e) => return Observed::Unknown(ctx.gap(&e, SERVICE, region, "ListAliases", None)),
    };
    let mut by_key: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for a in aliases.iter().flat_map(|p| p.aliases()) {
        if let (Some(name), Some(target)) = (a.alias_name(), a.target_key_id()) {
            by_key.entry(target.to_string()).or_default().push(name.trim_start_matches("alias/").to_string());
        }
    }
    let mut ids = Vec::new();
    for k in keys.iter().flat_map(|p| p.keys()) {
        let Some(id) = k.key_id() else {
            return Observed::Unknown(ctx.malformed(SERVICE, region, "ListKeys", "a key's KeyId"));
        };
        ids.push(id.to_string());
    }
    let described =
        join_all(ids.iter().map(|id| key(ctx, &kms, region, id, by_key.remove(id).unwrap_or_default(), need))).await;
    let mut out = Vec::new();
    for k in described {
        match k {
            Ok(k) => out.push(k),
            // a key that cannot be described leaves the listing incomplete
            Err(gap) => return Observed::Unknown(gap),
        }
    }
    Observed::Known(out)
}

pub async fn collect(ctx: &Ctx, need: &Need) -> BTreeMap<String, Observed<Vec<KmsKey>>> {
    per_region(&need.regions, |r| region_keys(ctx, r, need)).await
}

/// KeyManager (`CUSTOMER` / `AWS`) of a key, for other collectors.
pub async fn key_manager(ctx: &Ctx, region: &str, key: &str) -> Observed<Option<String>> {
    let kms = aws_sdk_kms::Client::new(&ctx.config(region));
    let _permit = ctx.permit().await;
    match kms.describe_key().key_id(key).send().await {
        Ok(out) => Observed::Known(out.key_metadata().and_then(|m| m.key_manager()).map(|m| m.as_str().to_string())),
        Err(e) => Observed::Unknown(ctx.gap(&e, SERVICE, region, "DescribeKey", Some(key))),
    }
}
