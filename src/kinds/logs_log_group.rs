//! `logs.log_group`: retention (exact or minimum) and encryption of log groups.

use super::{Field, FieldType::*, Kind};
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::inventory::{Inventory, LogGroup};
use crate::profile::Requirement;
use serde_json::json;

pub static KIND: Kind = Kind {
    name: "logs.log_group",
    summary: "CloudWatch Logs log groups: retention days (exact or minimum), KMS encryption",
    doc: "Log groups of the requirement's regions (DescribeLogGroups, every page), named by \
their name. A group without retentionInDays keeps events forever: that meets \
`retention_days = { at_least = N }` but never a plain `retention_days`. Tags are read (ListTagsForResource) \
only when a requirement selects on or expects them.",
    regional: true,
    tags: true,
    selectable: true,
    fields: &[
        Field::new(
            "retention_days",
            Int,
            "Days events are kept (retentionInDays). A group without retentionInDays never expires: it \
counts as longer than any number (it satisfies at_least, never at_most, between or a plain number).",
        ),
        Field::new("kms_encrypted", Bool, "The group is encrypted with a KMS key (kmsKeyId set)."),
    ],
    plan: |req, plan| {
        plan.resources("logs", req);
    },
    evaluate,
};

fn checks(req: &Requirement, g: &LogGroup) -> Vec<Check> {
    let e = &req.expect;
    let mut out = Vec::new();
    let observed = json!(g.retention_days.map_or_else(|| json!("never expire"), |d| json!(d)));
    if let Some(cmp) = e.cmp("retention_days") {
        // never expiring is longer than every number of days
        let days = g.retention_days.map_or(f64::INFINITY, f64::from);
        out.push(Check::new("retention_days", cmp.expected(), observed, cmp.number(days)));
    }
    if let Some(want) = e.bool("kms_encrypted") {
        out.push(Check::new("kms_encrypted", json!(want), json!(g.kms_key), g.kms_key.is_some() == want));
    }
    out
}

fn evaluate(req: &Requirement, inv: &Inventory) -> Vec<Finding> {
    let mut listing = Listing::new();
    for region in &req.regions {
        listing.add(Inventory::regional(&inv.log_groups, region, "log groups"));
    }
    evaluate_resources(
        req,
        listing,
        |g| Meta {
            id: g.arn.as_str().into(),
            name: g.name.as_str().into(),
            region: Some(g.region.as_str().into()),
            tags: Some(&g.tags),
            path: None,
        },
        |g| checks(req, g),
    )
}

#[cfg(test)]
#[path = "logs_log_group_tests.rs"]
mod tests;
