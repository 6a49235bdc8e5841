//! `sqs.queue` over hand-built queues: every field passes on a compliant queue and
//! drifts on one that exists but is misconfigured; what was not read is unknown.

use super::*;
use crate::compare::{evaluate, Status};
use crate::inventory::Gap;
use crate::kinds::tests::{observed, req, statuses};
use std::collections::BTreeMap;

fn queue(name: &str, attributes: QueueAttributes, key_manager: Option<&str>) -> Queue {
    Queue {
        name: name.into(),
        url: format!("https://sqs.us-east-1.amazonaws.com/111122223333/{name}"),
        arn: format!("arn:aws:sqs:us-east-1:111122223333:{name}"),
        region: "us-east-1".into(),
        attributes: Observed::Known(attributes),
        key_manager: Observed::Known(key_manager.map(str::to_string)),
        tags: Observed::Known(BTreeMap::new()),
    }
}

const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn compliant() -> QueueAttributes {
    QueueAttributes {
        sse_sqs: Some(false),
        kms_key: Some(KEY.into()),
        redrive_policy: Some(
            json!({"deadLetterTargetArn": "arn:aws:sqs:us-east-1:111122223333:orders-dlq", "maxReceiveCount": 5}),
        ),
        policy: Some(json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
            "Action": "sqs:SendMessage", "Resource": "*",
            "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:orders"}}}]})),
        retention_seconds: Some(4 * 86_400),
    }
}

fn misconfigured() -> QueueAttributes {
    QueueAttributes {
        sse_sqs: Some(false),
        kms_key: None,
        redrive_policy: None,
        policy: Some(
            json!({"Statement": [{"Sid": "Anyone", "Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "*"}]}),
        ),
        retention_seconds: Some(3_600),
    }
}

fn with(queues: Vec<Queue>) -> Inventory {
    Inventory {
        queues: BTreeMap::from([
            ("us-east-1".into(), Observed::Known(queues)),
            ("us-west-2".into(), Observed::Known(Vec::new())),
        ]),
        ..Default::default()
    }
}

const EXPECT: &str = "[requirement.expect]\nencrypted = true\ncustomer_managed_key = true\nkms_key_arn = \"1234abcd-12ab-34cd-56ef-1234567890ab\"\ndead_letter_queue = true\nprivate = true\nretention_days = { at_least = 4 }";

#[test]
fn sqs_queue_every_field_passes_on_a_compliant_queue_and_drifts_on_a_misconfigured_one() {
    let r = req("sqs.queue", EXPECT);
    let f = evaluate(
        &[r],
        &with(vec![queue("orders", compliant(), Some("CUSTOMER")), queue("legacy", misconfigured(), None)]),
    );
    let legacy = "arn:aws:sqs:us-east-1:111122223333:legacy";
    let orders = "arn:aws:sqs:us-east-1:111122223333:orders";
    assert_eq!(statuses(&f), [(Some(legacy), Status::Drift), (Some(orders), Status::Pass)]);
    let failed: Vec<(&str, &serde_json::Value)> =
        f[0].checks.iter().filter(|c| c.ok == Some(false)).map(|c| (c.field.as_ref(), &c.observed)).collect();
    assert_eq!(
        failed,
        [
            ("encrypted", &json!("none")),
            ("customer_managed_key", &json!("no KMS key")),
            ("kms_key_arn", &json!(null)),
            ("dead_letter_queue", &json!(null)),
            ("private", &json!(["policy statement Anyone allows everyone"])),
            ("retention_days", &json!(1.0 / 24.0)),
        ]
    );
    assert_eq!(observed(&f[1], "encrypted"), &json!(format!("SSE-KMS ({KEY})")));
}

#[test]
fn sqs_queue_sse_sqs_counts_as_encrypted_and_the_aws_managed_key_is_not_customer_managed() {
    let sse_sqs = QueueAttributes { sse_sqs: Some(true), kms_key: None, ..compliant() };
    let aws_key = QueueAttributes { kms_key: Some("alias/aws/sqs".into()), ..compliant() };
    let r = req("sqs.queue", "[requirement.expect]\nencrypted = true\ncustomer_managed_key = true");
    let f = evaluate(&[r], &with(vec![queue("a", sse_sqs, None), queue("b", aws_key, Some("AWS"))]));
    assert_eq!(
        f.iter()
            .map(|f| (f.status, f.checks.iter().map(|c| (c.field.as_ref(), c.ok)).collect::<Vec<_>>()))
            .collect::<Vec<_>>(),
        [
            (Status::Drift, vec![("encrypted", Some(true)), ("customer_managed_key", Some(false))]),
            (Status::Drift, vec![("encrypted", Some(true)), ("customer_managed_key", Some(false))]),
        ]
    );
}

#[test]
fn sqs_queue_what_was_not_read_is_unknown_never_pass() {
    let gap = Gap {
        service: "sqs".into(),
        region: "us-east-1".into(),
        operation: "GetQueueAttributes".into(),
        resource: None,
        code: "AccessDenied".into(),
        message: "denied".into(),
        class: crate::inventory::ErrorClass::AccessDenied,
    };
    let mut denied = queue("denied", compliant(), None);
    denied.attributes = Observed::Unknown(gap);
    let silent = QueueAttributes { sse_sqs: None, kms_key: None, policy: Some(Json::Null), ..compliant() };
    let r = req("sqs.queue", "[requirement.expect]\nencrypted = false\nprivate = true\ndead_letter_queue = true");
    let f = evaluate(&[r], &with(vec![denied, queue("silent", silent, None)]));
    assert_eq!(
        f.iter()
            .map(|f| (f.status, f.checks.iter().map(|c| (c.field.as_ref(), c.ok)).collect::<Vec<_>>()))
            .collect::<Vec<_>>(),
        [
            (Status::Unknown, vec![("encrypted", None), ("dead_letter_queue", None), ("private", None)]),
            (Status::Unknown, vec![("encrypted", None), ("dead_letter_queue", Some(true)), ("private", None)]),
        ]
    );
    assert_eq!(
        f[1].message,
        "silent: encrypted not observed (SqsManagedSseEnabled (absent from the answer) was not collected); private not observed (Policy (not JSON) was not collected)"
    );
}
