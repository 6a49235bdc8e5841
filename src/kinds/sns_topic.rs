//! `sns.topic`: presence by selector, alarms that notify it, encryption.

use super::{Field, FieldType::*, Kind};
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::inventory::{Inventory, Observed, Topic};
use crate::profile::Requirement;
use serde_json::json;

pub static KIND: Kind = Kind {
    name: "sns.topic",
    summary: "SNS topics: present, CloudWatch alarms route to them, KMS encryption",
    doc: "Topics of the requirement's regions (ListTopics, every page), named by the last part of \
their ARN. `alarms` counts the CloudWatch alarms of the topic's region whose ALARM \
actions include the topic's ARN (DescribeAlarms is read for those regions). Attributes \
(GetTopicAttributes) and tags are read only when a requirement needs them.",
    regional: true,
    tags: true,
    selectable: true,
    fields: &[
        Field::new(
            "alarms",
            Int,
            "How many alarms of the region send ALARM actions (AlarmActions) to it, e.g. { at_least = 1 }.",
        ),
        Field::new("kms_encrypted", Bool, "Server-side encryption with a KMS key (KmsMasterKeyId set)."),
    ],
    plan: |req, plan| {
        plan.resources("sns", req).read_if(req.expect.has("kms_encrypted"), "attributes");
        if req.expect.has("alarms") {
            plan.regional("cloudwatch", &req.regions);
        }
    },
    evaluate,
};

fn checks(req: &Requirement, t: &Topic, inv: &Inventory) -> Vec<Check> {
    let e = &req.expect;
    let mut out = Vec::new();
    if let Some(cmp) = e.cmp("alarms") {
        let expected = cmp.expected();
        out.push(match Inventory::regional(&inv.alarms, &t.region, "alarms") {
            Observed::Known(alarms) => {
                let routed: Vec<&str> = alarms
                    .iter()
                    .filter(|a| a.alarm_actions.iter().any(|x| x == &t.arn))
                    .map(|a| a.name.as_str())
                    .collect();
                // the alarms are shown, their number compared
                let ok = cmp.number(routed.len() as f64);
                Check::new("alarms", expected, json!(routed), ok)
            }
            Observed::Unknown(g) => Check::unknown("alarms", expected, &g),
        });
    }
    if let Some(want) = e.bool("kms_encrypted") {
        out.push(Check::of("kms_encrypted", json!(want), &t.kms_key, |k| json!(k), |k| k.is_some() == want));
    }
    out
}

fn evaluate(req: &Requirement, inv: &Inventory) -> Vec<Finding> {
    let mut listing = Listing::new();
    for region in &req.regions {
        listing.add(Inventory::regional(&inv.topics, region, "SNS topics"));
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
        |t| checks(req, t, inv),
    )
}

#[cfg(test)]
#[path = "sns_topic_tests.rs"]
mod tests;
