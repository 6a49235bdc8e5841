//! The SQS collector over recorded answers written from the SQS API reference
//! (JSON 1.0 protocol: ListQueues with NextToken, GetQueueAttributes' string
//! attributes, ListQueueTags) and the KMS one (DescribeKey's KeyMetadata).

use super::*;
use crate::collect::fake::{recording_ctx, Request};
use crate::inventory::ErrorClass;

const URL: &str = "https://sqs.us-east-1.amazonaws.com/111122223333";
const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn error(code: &str) -> (u16, String) {
    (400, format!(r#"{{"__type":"com.amazonaws.sqs#{code}","message":"{code}"}}"#))
}

fn queue_named(r: &Request) -> String {
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap_or_default();
    v["QueueUrl"].as_str().unwrap_or_default().rsplit('/').next().unwrap_or_default().to_string()
}

fn answers(r: &Request) -> (u16, String) {
    match r.op.as_str() {
        "ListQueues" if r.body.contains("\"NextToken\":\"t2\"") => {
            (200, format!(r#"{{"QueueUrls":["{URL}/gone","{URL}/locked","{URL}/legacy"]}}"#))
        }
        "ListQueues" if r.body.contains("\"NextToken\":\"t3\"") => error("InternalError"),
        "ListQueues" => (200, format!(r#"{{"QueueUrls":["{URL}/orders"],"NextToken":"t2"}}"#)),
        "GetQueueAttributes" => match queue_named(r).as_str() {
            "gone" => error("QueueDoesNotExist"),
            "locked" => error("AccessDenied"),
            "orders" => (
                200,
                format!(
                    r#"{{"Attributes":{{"QueueArn":"arn:aws:sqs:us-east-1:111122223333:orders","KmsMasterKeyId":"{KEY}","SqsManagedSseEnabled":"false","RedrivePolicy":"{{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:111122223333:orders-dlq\",\"maxReceiveCount\":5}}","MessageRetentionPeriod":"345600"}}}}"#
                ),
            ),
            name => (
                200,
                format!(
                    r#"{{"Attributes":{{"QueueArn":"arn:aws:sqs:us-east-1:111122223333:{name}","SqsManagedSseEnabled":"true","Policy":"not json","MessageRetentionPeriod":"60"}}}}"#
                ),
            ),
        },
        "DescribeKey" => (
            200,
            format!(
                r#"{{"KeyMetadata":{{"KeyId":"1234abcd-12ab-34cd-56ef-1234567890ab","Arn":"{KEY}","KeyManager":"CUSTOMER"}}}}"#
            ),
        ),
        "ListQueueTags" => (200, r#"{"Tags":{"Env":"prod"}}"#.into()),
        other => panic!("unexpected call {other}"),
    }
}

fn need(reads: &[&'static str]) -> Need {
    let mut need = Need::default();
    need.places.insert("us-east-1".into(), reads.iter().copied().collect());
    need
}

#[tokio::test]
async fn sqs_queues_follow_every_page_and_each_queue_keeps_its_own_gap() {
    let (ctx, seen) = recording_ctx(answers);
    let got = collect(&ctx, &need(&["attributes", "key_manager", "tags"])).await;
    let queues = got["us-east-1"].known().expect("the listing was read");
    let names: Vec<&str> = queues.iter().map(|q| q.name.as_str()).collect();
    // `gone` was deleted between the listing and its read: simply left out
    assert_eq!(names, ["orders", "locked", "legacy"]);
    let orders = &queues[0];
    assert_eq!(orders.arn, "arn:aws:sqs:us-east-1:111122223333:orders");
    assert_eq!(
        orders.attributes,
        Observed::Known(QueueAttributes {
            sse_sqs: Some(false),
            kms_key: Some(KEY.into()),
            redrive_policy: Some(
                serde_json::json!({"deadLetterTargetArn": "arn:aws:sqs:us-east-1:111122223333:orders-dlq", "maxReceiveCount": 5})
            ),
            policy: None,
            retention_seconds: Some(345_600),
        })
    );
    assert_eq!(orders.key_manager, Observed::Known(Some("CUSTOMER".into())));
    assert_eq!(orders.tags, Observed::Known([("Env".to_string(), "prod".to_string())].into()));
    let locked = &queues[1];
    let gap = locked.attributes.gap().expect("the denied queue's attributes are unknown");
    assert_eq!(
        (gap.operation.as_str(), gap.code.as_str(), gap.class),
        ("GetQueueAttributes", "AccessDenied", ErrorClass::AccessDenied)
    );
    // its ARN still follows from its URL, in the audited partition
    assert_eq!(locked.arn, "arn:aws:sqs:us-east-1:111122223333:locked");
    let legacy = queues[2].attributes.known().unwrap();
    assert_eq!(
        (legacy.sse_sqs, legacy.policy.clone(), legacy.retention_seconds),
        (Some(true), Some(serde_json::Value::Null), Some(60))
    );
    assert_eq!(queues[2].key_manager, Observed::Known(None));
    let errors: Vec<(String, String)> =
        ctx.errors.lock().unwrap().iter().map(|g| (g.operation.clone(), g.code.clone())).collect();
    assert_eq!(errors, [("GetQueueAttributes".to_string(), "AccessDenied".to_string())]);
    // DescribeKey only for the queue with a KMS key
    let ops: Vec<String> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|r| r.op.clone())
        .filter(|op| op == "DescribeKey" || op == "ListQueues")
        .collect();
    assert_eq!(ops, ["ListQueues", "ListQueues", "DescribeKey"]);
}

#[tokio::test]
async fn sqs_failing_page_fails_the_region_listing() {
    let (ctx, _) = recording_ctx(|r: &Request| match r.op.as_str() {
        "ListQueues" if !r.body.contains("NextToken") => {
            (200, format!(r#"{{"QueueUrls":["{URL}/orders"],"NextToken":"t3"}}"#))
        }
        _ => answers(r),
    });
    let got = collect(&ctx, &need(&[])).await;
    let gap = got["us-east-1"].gap().expect("a failed page is never the end of the list");
    assert_eq!((gap.operation.as_str(), gap.code.as_str()), ("ListQueues", "InternalError"));
}

#[tokio::test]
async fn sqs_reads_only_what_is_asked() {
    let (ctx, seen) = recording_ctx(answers);
    let got = collect(&ctx, &need(&[])).await;
    assert_eq!(got["us-east-1"].known().map(Vec::len), Some(4));
    let ops: std::collections::BTreeSet<String> = seen.lock().unwrap().iter().map(|r| r.op.clone()).collect();
    assert_eq!(ops, ["ListQueues".to_string()].into());
}

#[tokio::test]
async fn sqs_absent_attributes_and_tags_stay_unset() {
    // a queue with neither SSE-SQS nor a KMS key, no policy, no redrive policy:
    // GetQueueAttributes leaves those attributes out; ListQueueTags of an
    // untagged queue leaves Tags out
    let (ctx, _) = recording_ctx(|r| {
        match r.op.as_str() {
        "ListQueues" => (200, format!(r#"{{"QueueUrls":["{URL}/plain"]}}"#)),
        "GetQueueAttributes" => (
            200,
            r#"{"Attributes":{"QueueArn":"arn:aws:sqs:us-east-1:111122223333:plain","MessageRetentionPeriod":"86400","VisibilityTimeout":"30"}}"#.into(),
        ),
        "ListQueueTags" => (200, "{}".into()),
        other => panic!("unexpected call {other}"),
    }
    });
    let got = collect(&ctx, &need(&["attributes", "key_manager", "tags"])).await;
    let queues = got["us-east-1"].known().expect("the listing was read");
    assert_eq!(queues.len(), 1);
    let q = &queues[0];
    assert_eq!(
        q.attributes,
        Observed::Known(QueueAttributes {
            sse_sqs: None,
            kms_key: None,
            redrive_policy: None,
            policy: None,
            retention_seconds: Some(86400),
        })
    );
    // no key at all: nobody manages one
    assert_eq!(q.key_manager, Observed::Known(None));
    assert_eq!(q.tags, Observed::Known(Default::default()));
    assert!(ctx.errors.lock().unwrap().is_empty());
}
