//! Fills `Inventory::kms_keys`: per region, every key (ListKeys, every page) with
//! its aliases (ListAliases, every page) and DescribeKey; rotation status, key
//! policy and tags only when asked. A page error fails the region's listing; a
//! failed read of one key is that key's gap; a key deleted after ListKeys
//! (NotFoundException) is dropped without an error.

use super::{per_region, Regional};
use crate::aws::{all_pages, Ctx};
use crate::inventory::{Gap, KmsKey, Observed};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use futures::future::join_all;
use std::collections::BTreeMap;

const SERVICE: &str = "kms";

pub const CALLS: &[super::permissions::Call] = &[
    super::permissions::Call { operation: "ListKeys", action: "kms:ListKeys", needed: |_| true },
    super::permissions::Call { operation: "ListAliases", action: "kms:ListAliases", needed: |_| true },
    super::permissions::Call { operation: "DescribeKey", action: "kms:DescribeKey", needed: |_| true },
    super::permissions::Call {
        operation: "GetKeyRotationStatus",
        action: "kms:GetKeyRotationStatus",
        needed: |n| n.has("rotation"),
    },
    super::permissions::Call { operation: "GetKeyPolicy", action: "kms:GetKeyPolicy", needed: |n| n.has("policy") },
    super::permissions::Call {
        operation: "ListResourceTags",
        action: "kms:ListResourceTags",
        needed: |n| n.has("tags"),
    },
];

pub static COLLECTOR: super::Collector = super::Collector {
    id: "kms",
    service: SERVICE,
    part: "kms_keys",
    reads: &[
        ("tags", "tags of each resource"),
        ("rotation", "automatic rotation status"),
        ("policy", "the key policy"),
    ],
    calls: CALLS,
    collect: |ctx, need| {
        Box::pin(async move {
            let part = collect(ctx, &super::Regional::of(need, "rotation", "policy")).await;
            Box::new(move |inv: &mut crate::inventory::Inventory| inv.kms_keys = part) as super::Fill
        })
    },
    cut_short: |need, gap, inv| inv.kms_keys = super::all_unknown(&need.regions(), gap),
};

/// A read of one key: its value, or `Gone` when KMS says the key no longer exists
/// (deleted between ListKeys and this call).
enum Read<T> {
    Got(T),
    Gone,
}

/// Whether an SDK error is KMS's `NotFoundException`.
fn not_found<E: ProvideErrorMetadata>(err: &SdkError<E, HttpResponse>) -> bool {
    err.as_service_error().and_then(|e| e.code()) == Some("NotFoundException")
}

/// One key: DescribeKey, then the rotation status (only for keys KMS can rotate),
/// key policy and tags when asked. A failed read is this key's gap; a key KMS no
/// longer knows is dropped.
async fn key(
    ctx: &Ctx,
    kms: &aws_sdk_kms::Client,
    region: &str,
    listed: (String, Option<String>),
    aliases: Vec<String>,
    need: &Regional,
) -> Option<KmsKey> {
    let (id, listed_arn) = listed;
    let mut k = KmsKey {
        arn: listed_arn.unwrap_or_else(|| id.clone()),
        id,
        region: region.to_string(),
        aliases,
        manager: None,
        state: None,
        key_spec: None,
        origin: None,
        metadata_gap: None,
        rotation: Observed::default(),
        policy: Observed::default(),
        tags: Observed::default(),
    };
    let described = {
        let _permit = ctx.permit().await;
        kms.describe_key().key_id(&k.id).send().await
    };
    match described {
        Ok(out) => match out.key_metadata() {
            Some(meta) => {
                if let Some(arn) = meta.arn() {
                    k.arn = arn.to_string();
                }
                k.manager = meta.key_manager().map(|m| m.as_str().to_string());
                k.state = meta.key_state().map(|s| s.as_str().to_string());
                k.key_spec = meta.key_spec().map(|s| s.as_str().to_string());
                k.origin = meta.origin().map(|o| o.as_str().to_string());
            }
            None => {
                let mut gap = ctx.malformed(SERVICE, region, "DescribeKey", "KeyMetadata");
                gap.resource = Some(k.arn.clone());
                k.metadata_gap = Some(gap);
            }
        },
        Err(e) if not_found(&e) => return None,
        Err(e) => k.metadata_gap = Some(ctx.gap(&e, SERVICE, region, "DescribeKey", Some(&k.arn))),
    }
    let (id, arn) = (k.id.as_str(), k.arn.as_str());
    let rotation = async {
        if !need.detail {
            return Read::Got(Observed::default());
        }
        if let Some(gap) = &k.metadata_gap {
            // without the metadata it is unknown whether the key can rotate at all
            return Read::Got(Observed::Unknown(gap.clone()));
        }
        if let Some((_, why)) = k.rotation_exemption() {
            // AWS answers GetKeyRotationStatus with an error for these keys
            return Read::Got(Observed::Unknown(Gap::not_collected(&format!("rotation status ({why})"))));
        }
        let _permit = ctx.permit().await;
        match kms.get_key_rotation_status().key_id(id).send().await {
            Ok(out) => Read::Got(Observed::Known(out.key_rotation_enabled())),
            Err(e) if not_found(&e) => Read::Gone,
            Err(e) => Read::Got(Observed::Unknown(ctx.gap(&e, SERVICE, region, "GetKeyRotationStatus", Some(arn)))),
        }
    };
    let policy = async {
        if !need.extra {
            return Read::Got(Observed::default());
        }
        let _permit = ctx.permit().await;
        match kms.get_key_policy().key_id(id).policy_name("default").send().await {
            Ok(out) => Read::Got(Observed::Known(
                out.policy().and_then(|p| serde_json::from_str(p).ok()).unwrap_or(serde_json::Value::Null),
            )),
            Err(e) if not_found(&e) => Read::Gone,
            Err(e) => Read::Got(Observed::Unknown(ctx.gap(&e, SERVICE, region, "GetKeyPolicy", Some(arn)))),
        }
    };
    let tags = async {
        if !need.tags {
            return Read::Got(Observed::default());
        }
        match all_pages(ctx, kms.list_resource_tags().key_id(id).into_paginator().send()).await {
            Ok(pages) => Read::Got(Observed::Known(
                pages
                    .iter()
                    .flat_map(|p| p.tags())
                    .map(|t| (t.tag_key().to_string(), t.tag_value().to_string()))
                    .collect(),
            )),
            Err(e) if not_found(&e) => Read::Gone,
            Err(e) => Read::Got(Observed::Unknown(ctx.gap(&e, SERVICE, region, "ListResourceTags", Some(arn)))),
        }
    };
    let (Read::Got(rotation), Read::Got(policy), Read::Got(tags)) = tokio::join!(rotation, policy, tags) else {
        return None;
    };
    k.rotation = rotation;
    k.policy = policy;
    k.tags = tags;
    Some(k)
}

async fn region_keys(ctx: &Ctx, region: &str, need: &Regional) -> Observed<Vec<KmsKey>> {
    let kms = ctx.client::<aws_sdk_kms::Client>(region);
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
    let mut listed = Vec::new();
    for k in keys.iter().flat_map(|p| p.keys()) {
        let Some(id) = k.key_id() else {
            return Observed::Unknown(ctx.malformed(SERVICE, region, "ListKeys", "a key's KeyId"));
        };
        listed.push((id.to_string(), k.key_arn().map(str::to_string)));
    }
    let described = join_all(listed.into_iter().map(|l| {
        let aliases = by_key.remove(&l.0).unwrap_or_default();
        key(ctx, &kms, region, l, aliases, need)
    }))
    .await;
    Observed::Known(described.into_iter().flatten().collect())
}

pub async fn collect(ctx: &Ctx, need: &Regional) -> BTreeMap<String, Observed<Vec<KmsKey>>> {
    per_region(&need.regions, |r| region_keys(ctx, r, need)).await
}

/// KeyManager (`CUSTOMER` / `AWS`) of a key, for other collectors.
pub async fn key_manager(ctx: &Ctx, region: &str, key: &str) -> Observed<Option<String>> {
    let kms = ctx.client::<aws_sdk_kms::Client>(region);
    let _permit = ctx.permit().await;
    match kms.describe_key().key_id(key).send().await {
        Ok(out) => Observed::Known(out.key_metadata().and_then(|m| m.key_manager()).map(|m| m.as_str().to_string())),
        Err(e) => Observed::Unknown(ctx.gap(&e, SERVICE, region, "DescribeKey", Some(key))),
    }
}

#[cfg(test)]
#[path = "kms_tests.rs"]
mod tests;
