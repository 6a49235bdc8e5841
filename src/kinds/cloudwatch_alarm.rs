//! `cloudwatch.alarm`: metric alarms matched on namespace, metric and dimensions.

use super::{Field, FieldType::*, Kind};
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::inventory::{Alarm, Inventory};
use crate::profile::Requirement;
use serde_json::json;

pub static KIND: Kind = Kind {
    name: "cloudwatch.alarm",
    summary: "CloudWatch metric alarms: metric, threshold, comparison, statistic, actions",
    doc: "Metric alarms in the requirement's regions. `namespace`, `metric_name` and \
`dimensions` choose which alarms are candidates (with the selector on the alarm name); the \
other fields are checked on them. \"An alarm on CPUUtilization >= 70\" is `match = \"any\"`, \
`min_count = 1`, `namespace = \"AWS/EC2\"`, `metric_name = \"CPUUtilization\"`, \
`comparison = \">=\"`, `threshold = 70`. For metric-math alarms the metric is taken from the \
query that returns data.",
    regional: true,
    tags: true,
    selectable: true,
    fields: &[
        Field::new("namespace", Str, "Metric namespace, e.g. AWS/EC2 (chooses candidates)."),
        Field::new("metric_name", Str, "Metric name, e.g. CPUUtilization (chooses candidates)."),
        Field::new("dimensions", StrMap, "Dimensions the alarm must have; value \"*\" = any (chooses candidates)."),
        Field::new("statistic", Str, "Statistic (Average, Sum, Maximum…) or extended statistic (p99)."),
        Field::new("comparison", Comparison, "Comparison operator: >=, >, <=, < or the AWS name."),
        Field::new("threshold", Number, "The alarm's Threshold, e.g. 70 or { at_most = 80 }."),
        Field::new("actions_enabled", Bool, "The alarm's actions are enabled."),
        Field::new("alarm_actions", Bool, "The alarm has at least one ALARM-state action."),
    ],
    plan: |req, plan| {
        plan.resources("cloudwatch", req);
    },
    evaluate,
};

fn is_candidate(req: &Requirement, a: &Alarm) -> bool {
    let e = &req.expect;
    e.cmp("namespace").is_none_or(|n| a.namespace.as_deref().is_some_and(|have| n.string(have)))
        && e.cmp("metric_name").is_none_or(|m| a.metric_name.as_deref().is_some_and(|have| m.string(have)))
        && e.map("dimensions")
            .is_none_or(|dims| dims.iter().all(|(k, v)| a.dimensions.get(k).is_some_and(|have| v == "*" || have == v)))
}

fn checks(req: &Requirement, a: &Alarm) -> Vec<Check> {
    let e = &req.expect;
    let mut out = Vec::new();
    // candidates were chosen by these two: shown, already satisfied
    if let Some(cmp) = e.cmp("namespace") {
        out.push(Check::new("namespace", cmp.expected(), json!(a.namespace), true));
    }
    if let Some(cmp) = e.cmp("metric_name") {
        out.push(Check::new("metric_name", cmp.expected(), json!(a.metric_name), true));
    }
    if let Some(want) = e.map("dimensions") {
        out.push(Check::new("dimensions", json!(want), json!(a.dimensions), true));
    }
    if let Some(cmp) = e.cmp("statistic") {
        let ok = a.statistic.as_deref().is_some_and(|s| cmp.string(s));
        out.push(Check::new("statistic", cmp.expected(), json!(a.statistic), ok));
    }
    if let Some(want) = e.text("comparison") {
        out.push(Check::new("comparison", json!(want), json!(a.comparison), a.comparison.as_deref() == Some(want)));
    }
    if let Some(cmp) = e.cmp("threshold") {
        let ok = a.threshold.is_some_and(|t| cmp.number(t));
        out.push(Check::new("threshold", cmp.expected(), json!(a.threshold), ok));
    }
    if let Some(want) = e.bool("actions_enabled") {
        out.push(Check::flag("actions_enabled", want, a.actions_enabled, "ActionsEnabled"));
    }
    if let Some(want) = e.bool("alarm_actions") {
        out.push(Check::new("alarm_actions", json!(want), json!(a.alarm_actions), a.alarm_actions.is_empty() != want));
    }
    out
}

fn evaluate(req: &Requirement, inv: &Inventory) -> Vec<Finding> {
    let mut listing = Listing::new();
    for region in &req.regions {
        listing.add(Inventory::regional(&inv.alarms, region, "CloudWatch alarms"));
    }
    listing.items.retain(|a| is_candidate(req, a));
    evaluate_resources(
        req,
        listing,
        |a| Meta {
            id: a.arn.as_str().into(),
            name: a.name.as_str().into(),
            region: Some(a.region.as_str().into()),
            tags: Some(&a.tags),
            path: None,
        },
        |a| checks(req, a),
    )
}

#[cfg(test)]
#[path = "cloudwatch_alarm_tests.rs"]
mod tests;
