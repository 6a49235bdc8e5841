//! Fills `Inventory::db_instances`: per region, every DB instance
//! (DescribeDBInstances, every page) with its subnets, replicas and tags, and,
//! when a requirement expects a setting AWS keeps on the cluster, the cluster of
//! each instance that has one (DescribeDBClusters, every page).

use super::{per_region, Regional};
use crate::aws::{all_pages, Ctx};
use crate::inventory::{DbCluster, DbClusterMember, DbInstance, Gap, Observed};
use std::collections::BTreeMap;

const SERVICE: &str = "rds";

pub const CALLS: &[super::permissions::Call] = &[
    super::permissions::Call { operation: "DescribeDBInstances", action: "rds:DescribeDBInstances", needed: |_| true },
    super::permissions::Call {
        operation: "DescribeDBClusters",
        action: "rds:DescribeDBClusters",
        needed: |n| n.has("clusters"),
    },
];

pub static COLLECTOR: super::Collector = super::Collector {
    id: "rds",
    service: SERVICE,
    part: "db_instances",
    reads: &[("tags", "tags of each resource"), ("clusters", "the DB clusters of Aurora and Multi-AZ cluster members")],
    calls: CALLS,
    collect: |ctx, need| {
        Box::pin(async move {
            let part = collect(ctx, &super::Regional::of(need, "clusters", "")).await;
            Box::new(move |inv: &mut crate::inventory::Inventory| inv.db_instances = part) as super::Fill
        })
    },
    cut_short: |need, gap, inv| inv.db_instances = super::all_unknown(&need.regions(), gap),
};

fn cluster(c: &aws_sdk_rds::types::DbCluster) -> Option<DbCluster> {
    Some(DbCluster {
        id: c.db_cluster_identifier()?.to_string(),
        multi_az: c.multi_az(),
        storage_encrypted: c.storage_encrypted(),
        deletion_protection: c.deletion_protection(),
        backup_retention_days: c.backup_retention_period(),
        members: c
            .db_cluster_members()
            .iter()
            .filter_map(|m| {
                Some(DbClusterMember { id: m.db_instance_identifier()?.to_string(), writer: m.is_cluster_writer() })
            })
            .collect(),
        read_replicas: c.read_replica_identifiers().to_vec(),
    })
}

/// Every DB cluster of the region by identifier, or why they could not be read.
async fn region_clusters(
    ctx: &Ctx,
    rds: &aws_sdk_rds::Client,
    region: &str,
) -> Result<BTreeMap<String, DbCluster>, Gap> {
    match all_pages(ctx, rds.describe_db_clusters().into_paginator().send()).await {
        Ok(pages) => {
            Ok(pages.iter().flat_map(|p| p.db_clusters()).filter_map(cluster).map(|c| (c.id.clone(), c)).collect())
        }
        Err(e) => Err(ctx.gap(&e, SERVICE, region, "DescribeDBClusters", None)),
    }
}

async fn region_instances(ctx: &Ctx, region: &str, with_clusters: bool) -> Observed<Vec<DbInstance>> {
    let rds = ctx.client::<aws_sdk_rds::Client>(region);
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
            backup_retention_days: d.backup_retention_period(),
            deletion_protection: d.deletion_protection(),
            multi_az: d.multi_az(),
            read_replicas: d.read_replica_db_instance_identifiers().to_vec(),
            subnets: d
                .db_subnet_group()
                .map(|g| g.subnets().iter().filter_map(|s| s.subnet_identifier().map(str::to_string)).collect())
                .unwrap_or_default(),
            tags: Observed::Known(super::tag_map(d.tag_list(), |t| (t.key(), t.value()))),
            cluster_id: d.db_cluster_identifier().map(str::to_string),
            cluster: None,
        });
    }
    // the cluster listing is read only when some cluster member needs it
    if with_clusters && out.iter().any(|d| d.cluster_id.is_some()) {
        let clusters = region_clusters(ctx, &rds, region).await;
        for d in out.iter_mut() {
            let Some(cid) = d.cluster_id.as_deref() else { continue };
            d.cluster = Some(match &clusters {
                Ok(all) => match all.get(cid) {
                    Some(c) => Observed::Known(c.clone()),
                    // an instance cannot outlive its cluster: this one was being deleted
                    None => Observed::Unknown(Gap::not_collected(&format!(
                        "DB cluster {cid} (absent from DescribeDBClusters)"
                    ))),
                },
                Err(g) => Observed::Unknown(Gap { resource: Some(cid.to_string()), ..g.clone() }),
            });
        }
    }
    Observed::Known(out)
}

pub async fn collect(ctx: &Ctx, need: &Regional) -> BTreeMap<String, Observed<Vec<DbInstance>>> {
    per_region(&need.regions, |r| region_instances(ctx, r, need.detail)).await
}

#[cfg(test)]
#[path = "rds_tests.rs"]
mod tests;
