//! Fills `Inventory::tables`: per region, every table (ListTables, DescribeTable);
//! point-in-time recovery, the SSE key's manager and tags only when asked.
//!
//! A table deleted between ListTables and DescribeTable (ResourceNotFoundException,
//! or TableNotFoundException from DescribeContinuousBackups) is simply gone. Any
//! other failure to describe one table is that table's gap, not the region's.

use super::{per_region, Regional};
use crate::aws::{all_pages, Ctx};
use crate::inventory::{Observed, Replica, Table, Tags};
use futures::future::join_all;
use std::collections::{BTreeMap, BTreeSet};

const SERVICE: &str = "dynamodb";

pub const CALLS: &[super::permissions::Call] = &[
    super::permissions::Call { operation: "ListTables", action: "dynamodb:ListTables", needed: |_| true },
    super::permissions::Call { operation: "DescribeTable", action: "dynamodb:DescribeTable", needed: |_| true },
    super::permissions::Call {
        operation: "DescribeContinuousBackups",
        action: "dynamodb:DescribeContinuousBackups",
        needed: |n| n.has("point_in_time_recovery"),
    },
    super::permissions::Call {
        operation: "ListTagsOfResource",
        action: "dynamodb:ListTagsOfResource",
        needed: |n| n.has("tags"),
    },
];

pub static COLLECTOR: super::Collector = super::Collector {
    id: "dynamodb",
    service: SERVICE,
    part: "tables",
    reads: &[
        ("tags", "tags of each resource"),
        ("point_in_time_recovery", "continuous backups (DescribeContinuousBackups)"),
        ("key_manager", "KeyManager of the table's SSE key (kms:DescribeKey)"),
    ],
    calls: CALLS,
    collect: |ctx, need| {
        Box::pin(async move {
            let part = collect(ctx, &super::Regional::of(need, "point_in_time_recovery", "key_manager")).await;
            Box::new(move |inv: &mut crate::inventory::Inventory| inv.tables = part) as super::Fill
        })
    },
    cut_short: |need, gap, inv| inv.tables = super::all_unknown(&need.regions(), gap),
};

/// Every tag of a table (every page); `None` when the table is gone.
async fn tags(ctx: &Ctx, ddb: &aws_sdk_dynamodb::Client, region: &str, arn: &str) -> Option<Observed<Tags>> {
    let mut tags = Tags::new();
    let mut token: Option<String> = None;
    loop {
        let _permit = ctx.permit().await;
        match ddb.list_tags_of_resource().resource_arn(arn).set_next_token(token.clone()).send().await {
            Ok(out) => {
                tags.extend(out.tags().iter().map(|t| (t.key().to_string(), t.value().to_string())));
                match out.next_token() {
                    Some(next) if Some(next) != token.as_deref() => token = Some(next.to_string()),
                    _ => return Some(Observed::Known(tags)),
                }
            }
            Err(e) => {
                return ctx.gap_unless_gone(&e, SERVICE, region, "ListTagsOfResource", Some(arn)).map(Observed::Unknown)
            }
        }
    }
}

/// What one listed table turned out to be.
enum Described {
    Table(Box<Table>),
    /// Deleted after ListTables.
    Gone,
}

/// A listed table whose DescribeTable failed: its name, and why nothing else is known.
fn unread(name: &str, region: &str, gap: crate::inventory::Gap) -> Table {
    Table {
        name: name.to_string(),
        arn: name.to_string(),
        region: region.to_string(),
        sse_type: None,
        kms_key: None,
        key_manager: Observed::Unknown(gap.clone()),
        point_in_time_recovery: Observed::Unknown(gap.clone()),
        deletion_protection: None,
        tags: Observed::Unknown(gap.clone()),
        replicas: Vec::new(),
        unread: Some(gap),
    }
}

async fn table(ctx: &Ctx, ddb: &aws_sdk_dynamodb::Client, region: &str, name: &str, need: &Regional) -> Described {
    let described = {
        let _permit = ctx.permit().await;
        match ddb.describe_table().table_name(name).send().await {
            Ok(out) => out,
            Err(e) if e.as_service_error().is_some_and(|e| e.is_resource_not_found_exception()) => {
                return Described::Gone
            }
            Err(e) => {
                let gap = ctx.gap(&e, SERVICE, region, "DescribeTable", Some(name));
                return Described::Table(Box::new(unread(name, region, gap)));
            }
        }
    };
    let Some(t) = described.table() else {
        let gap = ctx.malformed(SERVICE, region, "DescribeTable", "the Table");
        return Described::Table(Box::new(unread(name, region, gap)));
    };
    let arn = t.table_arn().unwrap_or(name).to_string();
    let sse = t
        .sse_description()
        .filter(|s| s.status().is_none_or(|st| st.as_str() == "ENABLED" || st.as_str() == "UPDATING"));
    let kms_key = sse.and_then(|s| s.kms_master_key_arn()).map(str::to_string);
    let pitr = async {
        if !need.detail {
            return Ok(Observed::default());
        }
        let _permit = ctx.permit().await;
        match ddb.describe_continuous_backups().table_name(name).send().await {
            Ok(out) => Ok(Observed::Known(
                out.continuous_backups_description()
                    .and_then(|d| d.point_in_time_recovery_description())
                    .and_then(|p| p.point_in_time_recovery_status())
                    .is_some_and(|s| s.as_str() == "ENABLED"),
            )),
            Err(e) if e.as_service_error().is_some_and(|e| e.is_table_not_found_exception()) => Err(()),
            Err(e) => Ok(Observed::Unknown(ctx.gap(&e, SERVICE, region, "DescribeContinuousBackups", Some(&arn)))),
        }
    };
    let tags = async {
        if need.tags {
            tags(ctx, ddb, region, &arn).await
        } else {
            Some(Observed::default())
        }
    };
    let (pitr, tags) = tokio::join!(pitr, tags);
    let (Ok(pitr), Some(tags)) = (pitr, tags) else { return Described::Gone };
    Described::Table(Box::new(Table {
        name: name.to_string(),
        arn,
        region: region.to_string(),
        sse_type: sse.and_then(|s| s.sse_type()).map(|t| t.as_str().to_string()),
        kms_key,
        key_manager: Observed::default(),
        point_in_time_recovery: pitr,
        deletion_protection: t.deletion_protection_enabled(),
        replicas: t
            .replicas()
            .iter()
            .filter_map(|r| {
                Some(Replica {
                    region: r.region_name()?.to_string(),
                    status: r.replica_status().map(|s| s.as_str().to_string()),
                })
            })
            .collect(),
        tags,
        unread: None,
    }))
}

async fn region_tables(ctx: &Ctx, region: &str, need: &Regional) -> Observed<Vec<Table>> {
    let ddb = ctx.client::<aws_sdk_dynamodb::Client>(region);
    let names: Vec<String> = match all_pages(ctx, ddb.list_tables().into_paginator().send()).await {
        Ok(pages) => pages.iter().flat_map(|p| p.table_names()).cloned().collect(),
        Err(e) => return Observed::Unknown(ctx.gap(&e, SERVICE, region, "ListTables", None)),
    };
    let mut out = Vec::new();
    for t in join_all(names.iter().map(|n| table(ctx, &ddb, region, n, need))).await {
        if let Described::Table(t) = t {
            out.push(*t);
        }
    }
    if need.extra {
        // tables often share a key: ask KMS once per distinct key
        let keys: BTreeSet<&str> = out.iter().filter_map(|t| t.kms_key.as_deref()).collect();
        let managers: BTreeMap<String, Observed<Option<String>>> = join_all(
            keys.into_iter().map(|k| async move { (k.to_string(), super::kms::key_manager(ctx, region, k).await) }),
        )
        .await
        .into_iter()
        .collect();
        for t in out.iter_mut().filter(|t| t.unread.is_none()) {
            t.key_manager = match &t.kms_key {
                None => Observed::Known(None),
                Some(k) => managers.get(k).cloned().unwrap_or_default(),
            };
        }
    }
    Observed::Known(out)
}

pub async fn collect(ctx: &Ctx, need: &Regional) -> BTreeMap<String, Observed<Vec<Table>>> {
    per_region(&need.regions, |r| region_tables(ctx, r, need)).await
}

#[cfg(test)]
#[path = "dynamodb_tests.rs"]
mod tests;
