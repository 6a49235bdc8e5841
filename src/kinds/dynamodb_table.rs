//! `dynamodb.table`: encryption with a customer key, point-in-time recovery,
//! deletion protection.

use super::{Field, FieldType::*, Kind};
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::comparison::Comparison;
use crate::inventory::{Gap, Inventory, Table};
use crate::profile::Requirement;
use serde_json::json;

pub static KIND: Kind = Kind {
    name: "dynamodb.table",
    summary: "DynamoDB tables: SSE-KMS with a customer key, point-in-time recovery, deletion protection",
    doc: "Tables of the requirement's regions (ListTables, DescribeTable). A table encrypted with \
the default AWS owned key reports no SSE type. `customer_managed_key` asks KMS which manages \
the table's key, so an AWS managed `aws/dynamodb` key does not count as the customer's. \
`replica_regions` reads DescribeTable's Replicas: only a replica whose ReplicaStatus is ACTIVE \
holds the table; CREATING, UPDATING, DELETING, CREATION_FAILED, REGION_DISABLED, \
INACCESSIBLE_ENCRYPTION_CREDENTIALS and the like are shown with their status and do not count. \
A table deleted between ListTables and DescribeTable is left out; a table that could not be \
described is unknown on every field.",
    regional: true,
    tags: true,
    selectable: true,
    fields: &[
        Field::new("sse_kms", Bool, "Server-side encryption uses KMS (SSEType KMS)."),
        Field::new("customer_managed_key", Bool, "The KMS key is customer-managed (KeyManager CUSTOMER)."),
        Field::new(
            "kms_key_arn",
            Str,
            "The KMS key encrypting the table (ARN, or key id matched against its last part).",
        ),
        Field::new("point_in_time_recovery", Bool, "Point-in-time recovery is enabled."),
        Field::new("deletion_protection", Bool, "Deletion protection is enabled."),
        Field::new(
            "replica_regions",
            StrList,
            "Regions that must hold an ACTIVE replica of the global table (Replicas[].ReplicaStatus; the \
table's own region counts).",
        ),
    ],
    plan: |req, plan| {
        let e = &req.expect;
        plan.resources("dynamodb", req)
            .read_if(e.has("point_in_time_recovery"), "point_in_time_recovery")
            .read_if(e.has("customer_managed_key"), "key_manager");
    },
    evaluate,
};

/// Every expected field unknown: the table was listed but could not be described.
fn unread(req: &Requirement, gap: &Gap) -> Vec<Check> {
    const FIELDS: &[&str] = &[
        "sse_kms",
        "customer_managed_key",
        "kms_key_arn",
        "point_in_time_recovery",
        "replica_regions",
        "deletion_protection",
    ];
    FIELDS.iter().filter_map(|f| req.expect.get(f).map(|want| Check::unknown(*f, want.to_json(), gap))).collect()
}

/// The `replica_regions` check: the table's own region, and ACTIVE replicas, hold
/// it. A replica with no status in the answer leaves its region unknown.
fn replica_check(cmp: &Comparison, t: &Table) -> Check {
    let mut shown = vec![json!(t.region)];
    for r in t.replicas.iter().filter(|r| r.region != t.region) {
        shown.push(match r.status.as_deref() {
            Some("ACTIVE") => json!(r.region),
            Some(status) => json!(format!("{} ({status})", r.region)),
            None => json!(format!("{} (status absent)", r.region)),
        });
    }
    let others = || t.replicas.iter().filter(|r| r.region != t.region);
    let mut active = vec![t.region.clone()];
    active.extend(others().filter(|r| r.status.as_deref() == Some("ACTIVE")).map(|r| r.region.clone()));
    let unsure: Vec<String> = others().filter(|r| r.status.is_none()).map(|r| r.region.clone()).collect();
    Check::list_unsure(
        "replica_regions",
        cmp,
        &active,
        &unsure,
        json!(shown),
        "DescribeTable gave a required replica no ReplicaStatus",
    )
}

fn checks(req: &Requirement, t: &Table) -> Vec<Check> {
    let e = &req.expect;
    if let Some(gap) = &t.unread {
        return unread(req, gap);
    }
    let mut out = Vec::new();
    if let Some(want) = e.bool("sse_kms") {
        out.push(Check::new("sse_kms", json!(want), json!(t.sse_type), (t.sse_type.as_deref() == Some("KMS")) == want));
    }
    if let Some(want) = e.bool("customer_managed_key") {
        out.push(Check::of(
            "customer_managed_key",
            json!(want),
            &t.key_manager,
            |m| json!(m),
            |m| (m.as_deref() == Some("CUSTOMER")) == want,
        ));
    }
    if let Some(cmp) = e.cmp("kms_key_arn") {
        let ok = t.kms_key.as_deref().is_some_and(|k| super::key_matches(cmp, k));
        out.push(Check::new("kms_key_arn", cmp.expected(), json!(t.kms_key), ok));
    }
    if let Some(want) = e.bool("point_in_time_recovery") {
        out.push(Check::of(
            "point_in_time_recovery",
            json!(want),
            &t.point_in_time_recovery,
            |v| json!(v),
            |v| *v == want,
        ));
    }
    if let Some(cmp) = e.cmp("replica_regions") {
        out.push(replica_check(cmp, t));
    }
    if let Some(want) = e.bool("deletion_protection") {
        out.push(Check::flag("deletion_protection", want, t.deletion_protection, "DeletionProtectionEnabled"));
    }
    out
}

fn evaluate(req: &Requirement, inv: &Inventory) -> Vec<Finding> {
    let mut listing = Listing::new();
    for region in &req.regions {
        listing.add(Inventory::regional(&inv.tables, region, "DynamoDB tables"));
    }
    evaluate_resources(
        req,
        listing,
        |t| Meta {
            id: t.arn.as_str().into(),
            name: t.name.as_str().into(),
            region: Some(t.region.as_str().into()),
            tags: Some(&t.tags),
            path: None,
        },
        |t| checks(req, t),
    )
}

#[cfg(test)]
#[path = "dynamodb_table_tests.rs"]
mod tests;
