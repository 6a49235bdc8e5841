//! `config.rule`: AWS Config rules present (by name or managed identifier), and
//! the configuration recorder on.

use super::{Field, FieldType::*, Kind};
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::inventory::{ConfigRule, Inventory};
use crate::profile::Requirement;
use serde_json::json;

pub static KIND: Kind = Kind {
    name: "config.rule",
    summary: "AWS Config rules: present by name or managed identifier, active, recorder on",
    doc: "Config rules of the requirement's regions (DescribeConfigRules, every page). \
`source_identifier` chooses the candidates (e.g. S3_BUCKET_PUBLIC_READ_PROHIBITED), so \"this \
managed rule is deployed\" is `match = \"any\"`, `min_count = 1`, `source_identifier = …`. \
`recorder_on` asks that a configuration recorder of the region is recording — without it no \
rule evaluates anything.",
    regional: true,
    tags: true,
    selectable: true,
    fields: &[
        Field::new("source_identifier", Str, "Managed rule identifier or custom rule source (chooses candidates)."),
        Field::new("active", Bool, "ConfigRuleState is ACTIVE."),
        Field::new("recorder_on", Bool, "A configuration recorder of the rule's region is recording."),
    ],
    plan: |req, plan| {
        plan.resources("config", req).read_if(req.expect.has("recorder_on"), "recorder");
    },
    evaluate,
};

fn checks(req: &Requirement, r: &ConfigRule) -> Vec<Check> {
    let e = &req.expect;
    let mut out = Vec::new();
    if let Some(cmp) = e.cmp("source_identifier") {
        let ok = r.source_identifier.as_deref().is_some_and(|s| cmp.string(s));
        out.push(Check::new("source_identifier", cmp.expected(), json!(r.source_identifier), ok));
    }
    if let Some(want) = e.bool("active") {
        out.push(Check::new("active", json!(want), json!(r.state), (r.state.as_deref() == Some("ACTIVE")) == want));
    }
    if let Some(want) = e.bool("recorder_on") {
        out.push(Check::of("recorder_on", json!(want), &r.recorder_on, |v| json!(v), |v| *v == want));
    }
    out
}

fn evaluate(req: &Requirement, inv: &Inventory) -> Vec<Finding> {
    let mut listing = Listing::new();
    for region in &req.regions {
        listing.add(Inventory::regional(&inv.config_rules, region, "Config rules"));
    }
    if let Some(cmp) = req.expect.cmp("source_identifier") {
        listing.items.retain(|r| r.source_identifier.as_deref().is_some_and(|s| cmp.string(s)));
    }
    evaluate_resources(
        req,
        listing,
        |r| Meta {
            id: r.arn.as_str().into(),
            name: r.name.as_str().into(),
            region: Some(r.region.as_str().into()),
            tags: Some(&r.tags),
            path: None,
        },
        |r| checks(req, r),
    )
}

#[cfg(test)]
#[path = "config_rule_tests.rs"]
mod tests;
