//! Fills `Inventory::db_instances`: per region, every DB instance
//! (DescribeDBInstances, every page) with its subnets, replicas and tags.

use super::{per_region, Need};
use crate::aws::{all_pages, Ctx};
use crate::inventory::{DbInstance, Observed};
use std::collections::BTreeMap;

const SERVICE: &str = "rds";

pub const CALLS: &[super::permissions::Call] = &[super::permissions::Call {
    operation: "DescribeDBInstances",
    action: "rds:DescribeDBInstances",
    needed: |p| !p.rds.is_empty(),
}];

async fn region_instances(ctx: &Ctx, region: &str) -> Observed<Vec<DbInstance>> {
    let rds = aws_sdk_rds::Client::new(&ctx.config(region));
    let pages = match all_pages(ctx, rds.describe_db_instances().into_paginator().send()).await {
        Ok(p) => p,
        Err(e) => return Observed::Unknown(ctx.gap(&e, SERVICE, region, "DescribeDBInstances", None)),
    };
    let mut out = Vec::new();
    for d in pages.iter().flat_map(|p| p.db_instances()) {
        let Some(id) = d.db_instance_identifier() else {
            return Observed::Unknown(ctx.malformed(SERVICE, region, "DescribeDBInstances", "a DBInstanceIdentifier"));
        };
        out.push(DbInstance {
            id: id.to_string(),
            arn: d.db_instance_arn().unwrap_or(id).to_string(),
            region: region.to_string(),
            engine: d.engine().map(str::to_string),
            storage_encrypted: d.storage_encrypted(),
            publicly_accessible: d.publicly_accessible(),
            backup_retention_days: d.backup_retention_period().unwrap_or(0),
            deletion_protection: d.deletion_protection(),
            multi_az: d.multi_az(),
            read_replicas: d.read_replica_db_instance_identifiers().to_vec(),
            subnets: d
                .db_subnet_group()
                .map(|g| g.subnets().iter().filter_map(|s| s.subnet_identifier().map(str::to_string)).collect())
                .unwrap_or_default(),
            tags: Observed::Known(super::tag_map(d.tag_list(), |t| (t.key(), t.value()))),
        });
    }
    Observed::Known(out)
}

pub async fn collect(ctx: &Ctx, need: &Need) -> BTreeMap<String, Observed<Vec<DbInstance>>> {
    per_region(&need.regions, |r| region_instances(ctx, r)).await
}
