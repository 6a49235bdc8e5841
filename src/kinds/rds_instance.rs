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
identifier. `private_subnets` asks that every subnet of the instance's DB subnet group \
(DBSubnetGroup.Subnets) is private: its route table has no `active` route sending 0.0.0.0/0 \
or ::/0 to an internet gateway (a `blackhole` route is no path). `replica_regions` names \
regions that must each hold a read replica (cross-region replicas are listed by ARN). \
Aurora instances (Engine `aurora*`) and members of Multi-AZ DB clusters: AWS documents \
MultiAZ, StorageEncrypted, BackupRetentionPeriod and DeletionProtection as managed by the \
DB cluster (a Multi-AZ DB cluster's instances cannot be modified at all), and their \
replicas are the cluster's reader instances, so those fields are read from the instance's \
cluster (DBClusterIdentifier; DescribeDBClusters, every page, called only when such a field \
is expected): MultiAZ, StorageEncrypted, BackupRetentionPeriod, DeletionProtection, \
DBClusterMembers whose IsClusterWriter is false (other than the instance itself) and \
ReadReplicaIdentifiers (replica clusters). A cluster that cannot be read makes those fields \
unknown. Engine, PubliclyAccessible and the subnets stay the instance's own.",
    regional: true,
    tags: true,
    selectable: true,
    fields: &[
        Field::new("engine", Str, "Database engine, e.g. postgres."),
        Field::new(
            "storage_encrypted",
            Bool,
            "Storage is encrypted at rest (StorageEncrypted; in a cluster: the cluster's).",
        ),
        Field::new("publicly_accessible", Bool, "Whether the instance is publicly accessible (usually false)."),
        Field::new("private_subnets", Bool, "Every subnet of its DB subnet group is private."),
        Field::new(
            "backup_retention_days",
            Int,
            "Days automated backups are kept (BackupRetentionPeriod; in a cluster: the cluster's; 0 = no automated \
backups), e.g. { at_least = 7 }.",
        ),
        Field::new(
            "deletion_protection",
            Bool,
            "Deletion protection is enabled (DeletionProtection; in a cluster: the cluster's).",
        ),
        Field::new(
            "multi_az",
            Bool,
            "The instance is Multi-AZ (MultiAZ; in a cluster: the cluster has instances in several zones).",
        ),
        Field::new(
            "read_replicas",
            Int,
            "How many read replicas (ReadReplicaDBInstanceIdentifiers; in a cluster: its readers, replica clusters), \
e.g. { at_least = 1 }.",
        ),
        Field::new(
            "replica_regions",
            StrList,
            "Regions holding a read replica of the instance; a plain list must each hold one.",
        ),
    ],
    plan: |req, plan| {
        plan.resources("rds", req).read_if(CLUSTER_FIELDS.iter().any(|f| req.expect.has(f)), "clusters");
        if req.expect.has("private_subnets") {
            plan.regional("ec2", &req.regions).read("networks").read("subnets");
        }
    },
    evaluate,
};

/// Fields AWS keeps on the DB cluster for Aurora instances and cluster members.
const CLUSTER_FIELDS: &[&str] = &[
    "storage_encrypted",
    "backup_retention_days",
    "deletion_protection",
    "multi_az",
    "read_replicas",
    "replica_regions",
];

/// The settings a check reads: the instance's own, or its cluster's.
struct Settings {
    storage_encrypted: Option<bool>,
    backup_retention_days: Option<i32>,
    deletion_protection: Option<bool>,
    multi_az: Option<bool>,
    read_replicas: Vec<String>,
    /// Where the values come from, for checks that find them absent.
    source: String,
}

fn settings(d: &DbInstance) -> Observed<Settings> {
    if !d.cluster_managed() {
        return Observed::Known(Settings {
            storage_encrypted: d.storage_encrypted,
            backup_retention_days: d.backup_retention_days,
            deletion_protection: d.deletion_protection,
            multi_az: d.multi_az,
            read_replicas: d.read_replicas.clone(),
            source: "DescribeDBInstances".into(),
        });
    }
    let cluster = match (&d.cluster_id, &d.cluster) {
        (_, Some(Observed::Known(c))) => c,
        (_, Some(Observed::Unknown(g))) => return Observed::Unknown(g.clone()),
        (Some(cid), None) => return Observed::Unknown(Gap::not_collected(&format!("DB cluster {cid}"))),
        (None, None) => {
            return Observed::Unknown(Gap::not_collected(&format!(
                "DB cluster of Aurora instance {} (no DBClusterIdentifier in the answer)",
                d.id
            )))
        }
    };
    // a cluster's replicas: its readers, and replica clusters
    let readers = cluster.members.iter().filter(|m| m.writer == Some(false) && m.id != d.id).map(|m| m.id.clone());
    Observed::Known(Settings {
        storage_encrypted: cluster.storage_encrypted,
        backup_retention_days: cluster.backup_retention_days,
        deletion_protection: cluster.deletion_protection,
        multi_az: cluster.multi_az,
        read_replicas: readers.chain(cluster.read_replicas.iter().cloned()).collect(),
        source: format!("DescribeDBClusters {}", cluster.id),
    })
}

/// A boolean setting, from the instance or its cluster.
fn flag(
    field: &'static str,
    want: bool,
    s: &Observed<Settings>,
    get: fn(&Settings) -> Option<bool>,
    name: &str,
) -> Check {
    match s {
        Observed::Known(s) => Check::flag(field, want, get(s), &format!("{name} ({})", s.source)),
        Observed::Unknown(g) => Check::unknown(field, json!(want), g),
    }
}

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
    if let Some(cmp) = e.cmp("engine") {
        let ok = d.engine.as_deref().is_some_and(|x| cmp.string(x));
        out.push(Check::new("engine", cmp.expected(), json!(d.engine), ok));
    }
    let s = settings(d);
    if let Some(want) = e.bool("storage_encrypted") {
        out.push(flag("storage_encrypted", want, &s, |s| s.storage_encrypted, "StorageEncrypted"));
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
    if let Some(cmp) = e.cmp("backup_retention_days") {
        let expected = cmp.expected();
        out.push(match &s {
            Observed::Known(Settings { backup_retention_days: Some(days), .. }) => {
                Check::number("backup_retention_days", cmp, f64::from(*days))
            }
            Observed::Known(s) => Check::unknown(
                "backup_retention_days",
                expected,
                &Gap::not_collected(&format!("BackupRetentionPeriod ({}; absent from the answer)", s.source)),
            ),
            Observed::Unknown(g) => Check::unknown("backup_retention_days", expected, g),
        });
    }
    if let Some(want) = e.bool("deletion_protection") {
        out.push(flag("deletion_protection", want, &s, |s| s.deletion_protection, "DeletionProtection"));
    }
    if let Some(want) = e.bool("multi_az") {
        out.push(flag("multi_az", want, &s, |s| s.multi_az, "MultiAZ"));
    }
    // the replicas are shown, their number compared
    if let Some(cmp) = e.cmp("read_replicas") {
        out.push(Check::of(
            "read_replicas",
            cmp.expected(),
            &s,
            |s| json!(s.read_replicas),
            |s| cmp.number(s.read_replicas.len() as f64),
        ));
    }
    if let Some(cmp) = e.cmp("replica_regions") {
        let have = s.as_ref().map(|s| s.read_replicas.iter().map(|r| replica_region(r, &d.region)).collect::<Vec<_>>());
        out.push(Check::of("replica_regions", cmp.expected(), &have, |h| json!(h), |h| cmp.list(h)));
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

#[cfg(test)]
#[path = "rds_instance_tests.rs"]
mod tests;
