//! `rds.instance`: engine, encryption, exposure, private subnets, backups, replicas.

use super::{Field, FieldType::*, Kind};
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::inventory::{DbInstance, Gap, Inventory, Observed};
use crate::profile::Requirement;
use serde_json::json;

pub static KIND: Kind = Kind {
    name: "rds.instance",
    summary: "RDS DB instances: engine, encryption at rest, not public, private subnets, backups, replicas",
    doc: "DB instances of the requirement's regions (DescribeDBInstances, every page), named by \
identifier. `private_subnets` asks that every subnet of the instance's DB subnet group is \
private (its route table sends no traffic to an internet gateway). `replica_regions` names \
regions that must each hold a read replica (cross-region replicas are listed by ARN).",
    regional: true,
    tags: true,
    selectable: true,
    fields: &[
        Field::new("engine", Str, "Database engine, e.g. postgres."),
        Field::new("storage_encrypted", Bool, "Storage is encrypted at rest."),
        Field::new("publicly_accessible", Bool, "Whether the instance is publicly accessible (usually false)."),
        Field::new("private_subnets", Bool, "Every subnet of its DB subnet group is private."),
        Field::new("backup_retention_at_least", Int, "Automated backups are kept at least this many days."),
        Field::new("deletion_protection", Bool, "Deletion protection is enabled."),
        Field::new("multi_az", Bool, "The instance is Multi-AZ."),
        Field::new("read_replicas_at_least", Int, "The instance has at least this many read replicas."),
        Field::new("replica_regions", StrList, "Regions that must each hold a read replica of the instance."),
    ],
    plan: |req, plan| {
        plan.rds.add(req);
        if req.expect.has("private_subnets") {
            plan.networks.extend(req.regions.iter().cloned());
            plan.network_subnets = true;
        }
    },
    evaluate,
};

fn replica_region(replica: &str, home: &str) -> String {
    // a cross-region replica is listed by ARN: arn:aws:rds:REGION:ACCOUNT:db:ID
    match replica.strip_prefix("arn:") {
        Some(rest) => rest.split(':').nth(2).unwrap_or(home).to_string(),
        None => home.to_string(),
    }
}

fn checks(req: &Requirement, d: &DbInstance, inv: &Inventory) -> Vec<Check> {
    let e = &req.expect;
    let mut out = Vec::new();
    if let Some(want) = e.str("engine") {
        out.push(Check::new("engine", json!(want), json!(d.engine), d.engine.as_deref() == Some(want)));
    }
    if let Some(want) = e.bool("storage_encrypted") {
        out.push(Check::flag("storage_encrypted", want, d.storage_encrypted, "StorageEncrypted"));
    }
    if let Some(want) = e.bool("publicly_accessible") {
        out.push(Check::flag("publicly_accessible", want, d.publicly_accessible, "PubliclyAccessible"));
    }
    if let Some(want) = e.bool("private_subnets") {
        let net = inv.networks.get(&d.region);
        let mut public = Vec::new();
        let mut gap: Option<Gap> = None;
        for s in &d.subnets {
            match net.map(|n| n.public_subnet(s)) {
                Some(Observed::Known(true)) => public.push(s.clone()),
                Some(Observed::Known(false)) => {}
                Some(Observed::Unknown(g)) => gap = Some(g),
                None => gap = Some(Gap::not_collected(&format!("subnets in {}", d.region))),
            }
        }
        let private = !d.subnets.is_empty() && public.is_empty();
        out.push(match gap {
            Some(g) if private == want => Check::unknown("private_subnets", json!(want), &g),
            _ => Check::new(
                "private_subnets",
                json!(want),
                json!(if public.is_empty() { json!(d.subnets) } else { json!({ "public": public }) }),
                private == want,
            ),
        });
    }
    if let Some(min) = e.int("backup_retention_at_least") {
        out.push(Check::new(
            "backup_retention_at_least",
            json!(format!(">= {min}")),
            json!(d.backup_retention_days),
            i64::from(d.backup_retention_days) >= min,
        ));
    }
    if let Some(want) = e.bool("deletion_protection") {
        out.push(Check::flag("deletion_protection", want, d.deletion_protection, "DeletionProtection"));
    }
    if let Some(want) = e.bool("multi_az") {
        out.push(Check::flag("multi_az", want, d.multi_az, "MultiAZ"));
    }
    if let Some(min) = e.int("read_replicas_at_least") {
        out.push(Check::new(
            "read_replicas_at_least",
            json!(format!(">= {min}")),
            json!(d.read_replicas),
            d.read_replicas.len() as i64 >= min,
        ));
    }
    if let Some(regions) = e.list("replica_regions") {
        let have: Vec<String> = d.read_replicas.iter().map(|r| replica_region(r, &d.region)).collect();
        out.push(Check::new("replica_regions", json!(regions), json!(have), regions.iter().all(|r| have.contains(r))));
    }
    out
}

fn evaluate(req: &Requirement, inv: &Inventory) -> Vec<Finding> {
    let mut listing = Listing::new();
    for region in &req.regions {
        listing.add(Inventory::regional(&inv.db_instances, region, "DB instances"));
    }
    evaluate_resources(
        req,
        listing,
        |d| Meta {
            id: d.arn.as_str().into(),
            name: d.id.as_str().into(),
            region: Some(d.region.as_str().into()),
            tags: Some(&d.tags),
            path: None,
        },
        |d| checks(req, d, inv),
    )
}
