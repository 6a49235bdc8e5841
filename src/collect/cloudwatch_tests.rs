//! The CloudWatch collector over recorded answers. This SDK speaks the Smithy RPC
//! v2 CBOR protocol to CloudWatch (`POST /service/GraniteServiceVersion20100801/
//! operation/{Op}`, CBOR bodies), so the answers here are CBOR, encoded from JSON
//! values by a small encoder below, and served by a local fake endpoint that,
//! unlike `fake::ctx_with`, can carry binary bodies and headers. Bodies follow the
//! CloudWatch API reference: DescribeAlarms answers `MetricAlarms[]` (AlarmName,
//! AlarmArn, Namespace, MetricName, Statistic or ExtendedStatistic, Dimensions of
//! Name/Value, ComparisonOperator, Threshold, ActionsEnabled, AlarmActions; a
//! metric-math or anomaly-detection alarm gives its metric in `Metrics[]` of
//! MetricDataQuery with MetricStat and ReturnData, and ThresholdMetricId instead
//! of Threshold) and a `NextToken` while more remain. ListTagsForResource answers
//! `Tags[]` of Key/Value and ResourceNotFoundException for a deleted alarm.
//! CloudWatch is query-compatible: its errors carry the query error code in the
//! `x-amzn-query-error` header (`Code;Sender`) besides `__type` in the body.

use super::*;
use crate::aws::Settings;
use crate::inventory::{ErrorClass, Tags};
use aws_smithy_types::body::SdkBody;
use std::sync::{Arc, Mutex};

const ACCOUNT: &str = "111122223333";

/// One request: its URI and body (lossy text; CBOR text strings stay readable).
#[derive(Debug, Clone)]
struct Req {
    uri: String,
    body: String,
}

impl Req {
    fn op(&self) -> &str {
        self.uri.rsplit("/operation/").next().unwrap_or("")
    }
}

/// An answer: status, CBOR body, and the query error header when it is an error.
type Answer = (u16, Vec<u8>, Option<&'static str>);

/// A context (us-east-1) whose requests `route` answers with CBOR, recording them.
fn cbor_ctx(route: impl Fn(&Req) -> Answer + Send + Sync + 'static) -> (Arc<Ctx>, Arc<Mutex<Vec<Req>>>) {
    use aws_config::{BehaviorVersion, Region, SdkConfig};
    use aws_credential_types::provider::SharedCredentialsProvider;
    use aws_credential_types::Credentials;
    let seen: Arc<Mutex<Vec<Req>>> = Arc::default();
    let log = seen.clone();
    let http = aws_smithy_http_client::test_util::infallible_client_fn(move |req: http::Request<SdkBody>| {
        let r = Req {
            uri: req.uri().to_string(),
            body: req.body().bytes().map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_default(),
        };
        log.lock().unwrap().push(r.clone());
        let (status, body, query_error) = route(&r);
        let mut resp = http::Response::builder()
            .status(status)
            .header("content-type", "application/cbor")
            .header("smithy-protocol", "rpc-v2-cbor");
        if let Some(q) = query_error {
            resp = resp.header("x-amzn-query-error", q);
        }
        resp.body(SdkBody::from(body)).unwrap()
    });
    let sdk = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url("http://aws.test")
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "AKIDTEST", "secret", None, None, "test",
        )))
        .http_client(http)
        .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(1))
        .sleep_impl(aws_smithy_async::rt::sleep::default_async_sleep().unwrap())
        .build();
    (Ctx::new(sdk, &Settings::default(), false), seen)
}

/// CBOR (RFC 8949) of a JSON value: integers as major types 0/1, other numbers
/// as 64-bit floats, strings, arrays and maps of definite length.
fn cbor(v: &serde_json::Value) -> Vec<u8> {
    fn head(out: &mut Vec<u8>, major: u8, n: u64) {
        let m = major << 5;
        match n {
            0..=23 => out.push(m | n as u8),
            24..=0xff => out.extend_from_slice(&[m | 24, n as u8]),
            0x100..=0xffff => {
                out.push(m | 25);
                out.extend_from_slice(&(n as u16).to_be_bytes());
            }
            0x1_0000..=0xffff_ffff => {
                out.push(m | 26);
                out.extend_from_slice(&(n as u32).to_be_bytes());
            }
            _ => {
                out.push(m | 27);
                out.extend_from_slice(&n.to_be_bytes());
            }
        }
    }
    fn put(out: &mut Vec<u8>, v: &serde_json::Value) {
        use serde_json::Value;
        match v {
            Value::Null => out.push(0xf6),
            Value::Bool(b) => out.push(if *b { 0xf5 } else { 0xf4 }),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    head(out, 0, u);
                } else if let Some(i) = n.as_i64() {
                    head(out, 1, (-1 - i) as u64);
                } else {
                    out.push(0xfb);
                    out.extend_from_slice(&n.as_f64().unwrap_or_default().to_be_bytes());
                }
            }
            Value::String(s) => {
                head(out, 3, s.len() as u64);
                out.extend_from_slice(s.as_bytes());
            }
            Value::Array(items) => {
                head(out, 4, items.len() as u64);
                items.iter().for_each(|i| put(out, i));
            }
            Value::Object(map) => {
                head(out, 5, map.len() as u64);
                for (k, v) in map {
                    head(out, 3, k.len() as u64);
                    out.extend_from_slice(k.as_bytes());
                    put(out, v);
                }
            }
        }
    }
    let mut out = Vec::new();
    put(&mut out, v);
    out
}

fn ok(v: serde_json::Value) -> Answer {
    (200, cbor(&v), None)
}

fn error(status: u16, code: &str, query_error: &'static str) -> Answer {
    let body =
        serde_json::json!({"__type": format!("com.amazonaws.cloudwatch#{code}"), "message": format!("{code} here")});
    (status, cbor(&body), Some(query_error))
}

fn arn(name: &str) -> String {
    format!("arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:{name}")
}

const TOPIC: &str = "arn:aws:sns:us-east-1:111122223333:oncall";

/// A static-threshold alarm on one metric, with every top-level field.
fn simple() -> serde_json::Value {
    serde_json::json!({
        "AlarmName": "cpu-high", "AlarmArn": arn("cpu-high"), "ActionsEnabled": true,
        "OKActions": [], "AlarmActions": [TOPIC], "InsufficientDataActions": [],
        "StateValue": "OK", "StateReason": "fine",
        "MetricName": "CPUUtilization", "Namespace": "AWS/EC2", "Statistic": "Average",
        "Dimensions": [{"Name": "InstanceId", "Value": "i-0123456789abcdef0"}],
        "Period": 300, "EvaluationPeriods": 2, "Threshold": 80.0,
        "ComparisonOperator": "GreaterThanThreshold", "TreatMissingData": "missing"
    })
}

/// A metric-math alarm: no top-level metric; one MetricStat query (not returning
/// data) feeds the expression that returns data.
fn math() -> serde_json::Value {
    serde_json::json!({
        "AlarmName": "errors-rate", "AlarmArn": arn("errors-rate"), "ActionsEnabled": false,
        "AlarmActions": [], "StateValue": "INSUFFICIENT_DATA", "StateReason": "new",
        "EvaluationPeriods": 1, "Threshold": 5.0, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "Metrics": [
            {"Id": "m1", "ReturnData": false, "MetricStat": {
                "Metric": {"Namespace": "AWS/Lambda", "MetricName": "Errors",
                           "Dimensions": [{"Name": "FunctionName", "Value": "api"}]},
                "Period": 60, "Stat": "Sum"}},
            {"Id": "e1", "Expression": "m1 * 100", "Label": "rate", "ReturnData": true}
        ]
    })
}

/// An anomaly-detection alarm: ThresholdMetricId instead of Threshold, and (as
/// the field is optional) no ActionsEnabled and no actions.
fn anomaly() -> serde_json::Value {
    serde_json::json!({
        "AlarmName": "latency-band", "AlarmArn": arn("latency-band"),
        "StateValue": "OK", "StateReason": "fine", "EvaluationPeriods": 3,
        "ComparisonOperator": "LessThanLowerOrGreaterThanUpperThreshold", "ThresholdMetricId": "ad1",
        "Metrics": [
            {"Id": "m1", "ReturnData": true, "MetricStat": {
                "Metric": {"Namespace": "AWS/ApplicationELB", "MetricName": "TargetResponseTime"},
                "Period": 300, "Stat": "p90"}},
            {"Id": "ad1", "Expression": "ANOMALY_DETECTION_BAND(m1, 2)", "ReturnData": true}
        ]
    })
}

/// A percentile alarm: ExtendedStatistic instead of Statistic, no dimensions.
fn percentile() -> serde_json::Value {
    serde_json::json!({
        "AlarmName": "p99", "AlarmArn": arn("p99"), "ActionsEnabled": true, "AlarmActions": [TOPIC],
        "StateValue": "ALARM", "StateReason": "slow", "MetricName": "Latency", "Namespace": "App",
        "ExtendedStatistic": "p99", "Period": 60, "EvaluationPeriods": 5, "Threshold": 500.0,
        "ComparisonOperator": "GreaterThanThreshold"
    })
}

fn alarms(list: Vec<serde_json::Value>, next: Option<&str>) -> Answer {
    ok(match next {
        Some(t) => serde_json::json!({"MetricAlarms": list, "CompositeAlarms": [], "NextToken": t}),
        None => serde_json::json!({"MetricAlarms": list, "CompositeAlarms": []}),
    })
}

fn regions() -> std::collections::BTreeSet<String> {
    ["us-east-1".to_string()].into()
}

fn map(pairs: &[(&str, &str)]) -> Tags {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[tokio::test]
async fn alarms_every_field_parsed_and_second_page_read() {
    let (ctx, seen) = cbor_ctx(|r| match r.op() {
        "DescribeAlarms" if r.body.contains("page-2") => alarms(vec![anomaly(), percentile()], None),
        "DescribeAlarms" => alarms(vec![simple(), math()], Some("page-2")),
        other => panic!("unexpected call {other}"),
    });
    let got = collect(&ctx, &regions(), false).await;
    let list = got["us-east-1"].known().expect("both pages were read");
    let alarm = |name: &str| Alarm {
        name: name.into(),
        arn: arn(name),
        region: "us-east-1".into(),
        namespace: None,
        metric_name: None,
        statistic: None,
        comparison: None,
        threshold: None,
        dimensions: Tags::new(),
        actions_enabled: None,
        alarm_actions: vec![],
        tags: Observed::default(),
    };
    assert_eq!(
        list,
        &vec![
            Alarm {
                namespace: Some("AWS/EC2".into()),
                metric_name: Some("CPUUtilization".into()),
                statistic: Some("Average".into()),
                comparison: Some("GreaterThanThreshold".into()),
                threshold: Some(80.0),
                dimensions: map(&[("InstanceId", "i-0123456789abcdef0")]),
                actions_enabled: Some(true),
                alarm_actions: vec![TOPIC.into()],
                ..alarm("cpu-high")
            },
            // the metric comes from the one MetricStat query
            Alarm {
                namespace: Some("AWS/Lambda".into()),
                metric_name: Some("Errors".into()),
                statistic: Some("Sum".into()),
                comparison: Some("GreaterThanOrEqualToThreshold".into()),
                threshold: Some(5.0),
                dimensions: map(&[("FunctionName", "api")]),
                actions_enabled: Some(false),
                ..alarm("errors-rate")
            },
            // no Threshold and no ActionsEnabled: None, never 0 / false
            Alarm {
                namespace: Some("AWS/ApplicationELB".into()),
                metric_name: Some("TargetResponseTime".into()),
                statistic: Some("p90".into()),
                comparison: Some("LessThanLowerOrGreaterThanUpperThreshold".into()),
                ..alarm("latency-band")
            },
            Alarm {
                namespace: Some("App".into()),
                metric_name: Some("Latency".into()),
                statistic: Some("p99".into()),
                comparison: Some("GreaterThanThreshold".into()),
                threshold: Some(500.0),
                actions_enabled: Some(true),
                alarm_actions: vec![TOPIC.into()],
                ..alarm("p99")
            },
        ]
    );
    let ops: Vec<String> = seen.lock().unwrap().iter().map(|r| r.op().to_string()).collect();
    assert_eq!(ops, ["DescribeAlarms", "DescribeAlarms"]);
    assert!(ctx.errors.lock().unwrap().is_empty());
}

#[tokio::test]
async fn alarms_failed_second_page_fails_the_listing() {
    let (ctx, _) = cbor_ctx(|r| match r.op() {
        "DescribeAlarms" if r.body.contains("page-2") => error(400, "InvalidNextToken", "InvalidNextToken;Sender"),
        "DescribeAlarms" => alarms(vec![simple()], Some("page-2")),
        other => panic!("unexpected call {other}"),
    });
    let got = collect(&ctx, &regions(), true).await;
    let gap = got["us-east-1"].gap().expect("a short listing is never passed on as complete");
    assert_eq!(
        (gap.service.as_str(), gap.region.as_str(), gap.operation.as_str(), gap.code.as_str(), gap.class),
        ("cloudwatch", "us-east-1", "DescribeAlarms", "InvalidNextToken", ErrorClass::Other)
    );
    let errors: Vec<(String, String)> =
        ctx.errors.lock().unwrap().iter().map(|g| (g.operation.clone(), g.code.clone())).collect();
    assert_eq!(errors, [("DescribeAlarms".to_string(), "InvalidNextToken".to_string())]);
}

#[tokio::test]
async fn alarm_tags_gone_alarm_dropped_denied_one_unknown() {
    let (ctx, _) = cbor_ctx(|r| match r.op() {
        "DescribeAlarms" => {
            let named = |n: &str| {
                let mut a = simple();
                a["AlarmName"] = n.into();
                a["AlarmArn"] = arn(n).into();
                a
            };
            alarms(vec![named("tagged"), named("untagged"), named("vanished"), named("locked")], None)
        }
        "ListTagsForResource" if r.body.contains(&arn("tagged")) => {
            ok(serde_json::json!({"Tags": [{"Key": "team", "Value": "ops"}, {"Key": "env", "Value": "prod"}]}))
        }
        "ListTagsForResource" if r.body.contains(&arn("untagged")) => ok(serde_json::json!({"Tags": []})),
        "ListTagsForResource" if r.body.contains(&arn("vanished")) => {
            error(404, "ResourceNotFoundException", "ResourceNotFoundException;Sender")
        }
        "ListTagsForResource" if r.body.contains(&arn("locked")) => error(403, "AccessDenied", "AccessDenied;Sender"),
        other => panic!("unexpected call {other}: {}", r.body),
    });
    let got = collect(&ctx, &regions(), true).await;
    let list = got["us-east-1"].known().expect("the listing was read");
    let names: Vec<&str> = list.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["tagged", "untagged", "locked"]);
    assert_eq!(list[0].tags, Observed::Known(map(&[("env", "prod"), ("team", "ops")])));
    assert_eq!(list[1].tags, Observed::Known(Tags::new()));
    let gap = list[2].tags.gap().expect("the denied alarm's tags are unknown");
    assert_eq!(
        (gap.operation.as_str(), gap.code.as_str(), gap.class, gap.resource.clone()),
        ("ListTagsForResource", "AccessDenied", ErrorClass::AccessDenied, Some(arn("locked")))
    );
    let errors: Vec<(String, String)> =
        ctx.errors.lock().unwrap().iter().map(|g| (g.operation.clone(), g.code.clone())).collect();
    assert_eq!(errors, [("ListTagsForResource".to_string(), "AccessDenied".to_string())]);
}
