//! `secretsmanager.secret`: presence by selector, rotation on a schedule, key.

use super::{Field, FieldType::*, Kind};
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::inventory::{Gap, Inventory, Secret};
use crate::profile::Requirement;
use serde_json::json;

pub static KIND: Kind = Kind {
    name: "secretsmanager.secret",
    summary: "Secrets Manager secrets: present, rotation enabled on a schedule, customer KMS key",
    doc: "Secrets of the requirement's regions (ListSecrets, every page; rotation settings, key and \
tags come with the listing). AWS reports no RotationEnabled for a secret never configured for \
rotation, which is read as rotation off. `rotation_days` compares AutomaticallyAfterDays \
or a `rate(N days)` / `rate(N hours)` schedule no longer than the bound; a cron schedule is \
reported unknown rather than guessed.",
    regional: true,
    tags: true,
    selectable: true,
    fields: &[
        Field::new("rotation", Bool, "Automatic rotation is enabled (RotationEnabled)."),
        Field::new(
            "rotation_days",
            Int,
            "Days between rotations (RotationRules AutomaticallyAfterDays or a rate() schedule), e.g. \
{ at_most = 30 }; rotation off or no schedule never satisfies it.",
        ),
        Field::new("customer_kms_key", Bool, "The secret is encrypted with a customer key (KmsKeyId set)."),
    ],
    plan: |req, plan| {
        plan.resources("secretsmanager", req);
    },
    evaluate,
};

/// The rotation interval in days, from AutomaticallyAfterDays or a rate() schedule.
fn interval_days(s: &Secret) -> Result<Option<f64>, String> {
    if let Some(d) = s.rotation_days {
        return Ok(Some(d as f64));
    }
    let Some(expr) = s.rotation_schedule.as_deref() else { return Ok(None) };
    let inner = expr.strip_prefix("rate(").and_then(|r| r.strip_suffix(')'));
    let parsed = inner.and_then(|i| {
        let (n, unit) = i.trim().split_once(' ')?;
        let n: f64 = n.parse().ok()?;
        match unit.trim() {
            "day" | "days" => Some(n),
            "hour" | "hours" => Some(n / 24.0),
            _ => None,
        }
    });
    parsed.map(Some).ok_or_else(|| expr.to_string())
}

fn checks(req: &Requirement, s: &Secret) -> Vec<Check> {
    let e = &req.expect;
    let mut out = Vec::new();
    if let Some(want) = e.bool("rotation") {
        out.push(Check::new("rotation", json!(want), json!(s.rotation_enabled), s.rotation_enabled == want));
    }
    if let Some(cmp) = e.cmp("rotation_days") {
        let expected = cmp.expected();
        out.push(match interval_days(s) {
            _ if !s.rotation_enabled => Check::new("rotation_days", expected, json!("rotation off"), false),
            Ok(Some(days)) => Check::new(
                "rotation_days",
                expected,
                json!(s.rotation_schedule.clone().unwrap_or_else(|| format!("{days} days"))),
                cmp.number(days),
            ),
            Ok(None) => Check::new("rotation_days", expected, json!("no schedule"), false),
            Err(expr) => Check::unknown(
                "rotation_days",
                expected,
                &Gap::not_collected(&format!("the interval of schedule {expr} (not evaluated)")),
            ),
        });
    }
    if let Some(want) = e.bool("customer_kms_key") {
        out.push(Check::new("customer_kms_key", json!(want), json!(s.kms_key), s.kms_key.is_some() == want));
    }
    out
}

fn evaluate(req: &Requirement, inv: &Inventory) -> Vec<Finding> {
    let mut listing = Listing::new();
    for region in &req.regions {
        listing.add(Inventory::regional(&inv.secrets, region, "secrets"));
    }
    evaluate_resources(
        req,
        listing,
        |s| Meta {
            id: s.arn.as_str().into(),
            name: s.name.as_str().into(),
            region: Some(s.region.as_str().into()),
            tags: Some(&s.tags),
            path: None,
        },
        |s| checks(req, s),
    )
}

#[cfg(test)]
#[path = "secretsmanager_secret_tests.rs"]
mod tests;
