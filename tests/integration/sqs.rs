//! `sqs.queue` end to end: a hardened queue passes and a queue that exists but is
//! misconfigured in every field drifts, with the observed values, in an account
//! of its own.

use crate::support::account;
use crate::support::audit::{self, row};
use aws_sdk_sqs::types::QueueAttributeName as Attr;
use serde_json::json;

const PROFILE: &str = "localstack/samples/sqs/queues.toml";

#[tokio::test]
async fn sqs_queue_hardened_passes_and_misconfigured_drifts_on_every_field() {
    let acct = account();
    let sqs = acct.sqs("us-east-1");
    let key = acct.kms("us-east-1").create_key().send().await.unwrap();
    let key_arn = key.key_metadata().unwrap().arn().unwrap().to_string();
    let dlq = sqs.create_queue().queue_name("orders-dlq").send().await.unwrap();
    let dlq_url = dlq.queue_url().unwrap();
    let dlq_arn = format!("arn:aws:sqs:us-east-1:{}:orders-dlq", acct.id);
    assert_eq!(
        sqs.get_queue_attributes()
            .queue_url(dlq_url)
            .attribute_names(Attr::QueueArn)
            .send()
            .await
            .unwrap()
            .attributes()
            .unwrap()[&Attr::QueueArn],
        dlq_arn
    );
    let orders_arn = format!("arn:aws:sqs:us-east-1:{}:orders", acct.id);
    let from_topic = json!({"Version": "2012-10-17", "Statement": [{"Sid": "FromOrdersTopic", "Effect": "Allow",
        "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": orders_arn,
        "Condition": {"ArnEquals": {"aws:SourceArn": format!("arn:aws:sns:us-east-1:{}:orders", acct.id)}}}]});
    sqs.create_queue()
        .queue_name("orders")
        .attributes(Attr::KmsMasterKeyId, &key_arn)
        .attributes(Attr::RedrivePolicy, json!({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "5"}).to_string())
        .attributes(Attr::MessageRetentionPeriod, "345600")
        .attributes(Attr::Policy, from_topic.to_string())
        .send()
        .await
        .unwrap();
    let anyone = json!({"Version": "2012-10-17", "Statement": [{"Sid": "Anyone", "Effect": "Allow", "Principal": "*",
        "Action": "sqs:SendMessage", "Resource": "*"}]});
    sqs.create_queue()
        .queue_name("legacy")
        .attributes(Attr::SqsManagedSseEnabled, "false")
        .attributes(Attr::MessageRetentionPeriod, "3600")
        .attributes(Attr::Policy, anyone.to_string())
        .send()
        .await
        .unwrap();

    let a = audit::run(&acct, &[PROFILE], &[]);
    a.assert_code(1);
    let legacy = format!("arn:aws:sqs:us-east-1:{}:legacy", acct.id);
    let req = "queues-hardened";
    assert_eq!(a.rows(), [row(req, Some(&legacy), "drift"), row(req, Some(&orders_arn), "pass")]);
    let checks = &a.finding(req, Some(&legacy))["checks"];
    assert_eq!(
        checks,
        &json!([
            {"field": "encrypted", "expected": true, "observed": "none", "ok": false},
            {"field": "customer_managed_key", "expected": true, "observed": "no KMS key", "ok": false},
            {"field": "dead_letter_queue", "expected": true, "observed": null, "ok": false},
            {"field": "private", "expected": true, "observed": ["policy statement Anyone allows everyone"], "ok": false},
            {"field": "retention_days", "expected": ">= 4", "observed": 1.0 / 24.0, "ok": false}
        ])
    );
    assert_eq!(a.observed(req, Some(&orders_arn), "encrypted"), json!(format!("SSE-KMS ({key_arn})")));
    assert_eq!(a.observed(req, Some(&orders_arn), "customer_managed_key"), json!("CUSTOMER"));
    assert_eq!(a.observed(req, Some(&orders_arn), "dead_letter_queue"), json!(dlq_arn));
    assert_eq!(a.report["errors"], json!([]));
    assert_eq!(a.report["summary"], json!({"pass": 1, "drift": 1, "unknown": 0, "not_applicable": 0, "waived": 0}));
}
