//! `sqs.queue`: encryption (SSE-SQS or a KMS key), the customer key, a dead-letter
//! queue, a policy that is not public, retention, tags.

use super::{Field, FieldType::*, Kind};
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::inventory::{Inventory, Observed, Queue, QueueAttributes};
use crate::profile::Requirement;
use serde_json::{json, Value as Json};

pub static KIND: Kind = Kind {
    name: "sqs.queue",
    summary: "SQS queues: encryption, customer key, dead-letter queue, not public, retention, tags",
    doc: "Queues of the requirement's regions (ListQueues, every page), named by the last part of \
their URL, read with GetQueueAttributes. SQS encrypts a queue either with SQS-owned keys \
(SqsManagedSseEnabled = true, SSE-SQS) or with a KMS key (KmsMasterKeyId, SSE-KMS; \
alias/aws/sqs is the AWS managed key); a queue with neither is not encrypted, and an answer that \
says neither way is unknown. `customer_managed_key` asks KMS (DescribeKey) whether the key is \
customer managed. `dead_letter_queue` needs a RedrivePolicy naming a deadLetterTargetArn. \
`private` reads the queue policy the way S3 documents \"public\" for resource policies: an Allow \
for every principal (or with NotPrincipal) is public unless a condition limits it to fixed \
values of aws:SourceArn, aws:SourceVpc, aws:SourceVpce, aws:SourceOwner, aws:SourceAccount or \
aws:userid, or to narrow aws:SourceIp ranges. `retention_days` compares MessageRetentionPeriod \
in days (AWS allows 60 seconds to 14 days; the default is 4 days). A queue deleted while it is \
read is left out.",
    regional: true,
    tags: true,
    selectable: true,
    fields: &[
        Field::new("encrypted", Bool, "Server-side encryption is on: SSE-SQS or SSE-KMS."),
        Field::new("customer_managed_key", Bool, "SSE-KMS with a customer managed KMS key."),
        Field::new(
            "kms_key_arn",
            Str,
            "The KMS key of SSE-KMS (ARN, key id or alias, matched against KmsMasterKeyId).",
        ),
        Field::new("dead_letter_queue", Bool, "A redrive policy sends failed messages to a dead-letter queue."),
        Field::new("private", Bool, "No statement of the queue policy opens the queue to everyone."),
        Field::new("retention_days", Number, "MessageRetentionPeriod, in days, e.g. { at_least = 4 }."),
    ],
    plan: |req, plan| {
        plan.resources("sqs", req).read("attributes").read_if(req.expect.has("customer_managed_key"), "key_manager");
    },
    evaluate,
};

/// One check over the queue's attributes: unknown when they could not be read.
fn of_attributes(
    field: &'static str,
    expected: Json,
    q: &Queue,
    read: impl Fn(&QueueAttributes) -> Result<(Json, bool), &'static str>,
) -> Check {
    match &q.attributes {
        Observed::Unknown(g) => Check::unknown(field, expected, g),
        Observed::Known(a) => match read(a) {
            Ok((observed, ok)) => Check::new(field, expected, observed, ok),
            Err(why) => Check::unknown(field, expected, &crate::inventory::Gap::not_collected(why)),
        },
    }
}

fn checks(req: &Requirement, q: &Queue) -> Vec<Check> {
    let e = &req.expect;
    let mut out = Vec::new();
    if let Some(want) = e.bool("encrypted") {
        out.push(of_attributes("encrypted", json!(want), q, |a| match (&a.kms_key, a.sse_sqs) {
            (Some(k), _) => Ok((json!(format!("SSE-KMS ({k})")), want)),
            (None, Some(true)) => Ok((json!("SSE-SQS"), want)),
            (None, Some(false)) => Ok((json!("none"), !want)),
            (None, None) => Err("SqsManagedSseEnabled (absent from the answer)"),
        }));
    }
    if let Some(want) = e.bool("customer_managed_key") {
        out.push(match (&q.attributes, &q.key_manager) {
            (Observed::Unknown(g), _) => Check::unknown("customer_managed_key", json!(want), g),
            (Observed::Known(a), _) if a.kms_key.is_none() => {
                Check::new("customer_managed_key", json!(want), json!("no KMS key"), !want)
            }
            (_, manager) => Check::of(
                "customer_managed_key",
                json!(want),
                manager,
                |m| json!(m),
                |m| (m.as_deref() == Some("CUSTOMER")) == want,
            ),
        });
    }
    if let Some(want) = e.cmp("kms_key_arn") {
        out.push(of_attributes("kms_key_arn", want.expected(), q, |a| {
            Ok((json!(a.kms_key), a.kms_key.as_deref().is_some_and(|k| super::key_matches(want, k))))
        }));
    }
    if let Some(want) = e.bool("dead_letter_queue") {
        out.push(of_attributes("dead_letter_queue", json!(want), q, |a| match &a.redrive_policy {
            None => Ok((Json::Null, !want)),
            Some(Json::Null) => Err("RedrivePolicy (not JSON)"),
            Some(p) => {
                let target = p.get("deadLetterTargetArn").and_then(Json::as_str).filter(|t| !t.is_empty());
                Ok((json!(target), target.is_some() == want))
            }
        }));
    }
    if let Some(want) = e.bool("private") {
        out.push(of_attributes("private", json!(want), q, |a| match &a.policy {
            None => Ok((json!([]), want)),
            Some(Json::Null) => Err("Policy (not JSON)"),
            Some(p) => {
                let open: Vec<String> =
                    super::public_policy::openings(p).iter().map(|o| o.text().to_string()).collect();
                let ok = open.is_empty() == want;
                Ok((json!(open), ok))
            }
        }));
    }
    if let Some(days) = e.cmp("retention_days") {
        out.push(of_attributes("retention_days", days.expected(), q, |a| match a.retention_seconds {
            Some(s) => {
                let have = s as f64 / 86_400.0;
                Ok((crate::compare::number_json(have), days.number(have)))
            }
            None => Err("MessageRetentionPeriod (absent from the answer)"),
        }));
    }
    out
}

fn evaluate(req: &Requirement, inv: &Inventory) -> Vec<Finding> {
    let mut listing = Listing::new();
    for region in &req.regions {
        listing.add(Inventory::regional(&inv.queues, region, "SQS queues"));
    }
    evaluate_resources(
        req,
        listing,
        |q| Meta {
            id: q.arn.as_str().into(),
            name: q.name.as_str().into(),
            region: Some(q.region.as_str().into()),
            tags: Some(&q.tags),
            path: None,
        },
        |q| checks(req, q),
    )
}

#[cfg(test)]
#[path = "sqs_queue_tests.rs"]
mod tests;
