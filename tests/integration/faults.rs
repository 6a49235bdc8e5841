//! Faults between driftwatch and the emulator (support::faults::FaultProxy): a
//! finding that depends on a read that failed is `unknown`, never `pass`; every
//! other finding is what a clean run reports.

use crate::samples::{core, Env, Variant};
use crate::support::account;
use crate::support::audit::{self, row, Audit};
use crate::support::faults::{Fault, FaultProxy, Rule, When, FAKE_TOKEN};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const S3: &str = "localstack/samples/core/s3.toml";
const IAM: &str = "localstack/samples/core/iam.toml";
const TRAIL: &str = "localstack/samples/core/trail.toml";
const ACM: &str = "localstack/samples/core/acm.toml";
const ALARM: &str = "localstack/samples/core/alarm.toml";
const ALL: &[&str] = &[S3, IAM, TRAIL, ACM, ALARM];

async fn deploy_mixed(acct: &Env) {
    for v in [Variant::Compliant, Variant::Drifted] {
        core::all(acct, v).await.unwrap();
    }
}

fn no_panic(a: &Audit) {
    assert!(!a.stderr.contains("panicked"), "driftwatch panicked:\n{}", a.stderr);
    assert!(a.report.is_object(), "no JSON report; stderr:\n{}", a.stderr);
}

/// (service, region, operation, code, resource) of every error, in report order.
fn errors(a: &Audit) -> Vec<(String, String, String, String, Option<String>)> {
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    a.report["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors list: {}", a.stderr))
        .iter()
        .map(|e| {
            let resource = e["resource"].as_str().map(str::to_string);
            (text(&e["service"]), text(&e["region"]), text(&e["operation"]), text(&e["code"]), resource)
        })
        .collect()
}

fn err(
    service: &str,
    region: &str,
    op: &str,
    code: &str,
    resource: Option<&str>,
) -> (String, String, String, String, Option<String>) {
    (service.into(), region.into(), op.into(), code.into(), resource.map(str::to_string))
}

/// Prints what a run found, for pinning (shown when an assertion fails).
fn dump(a: &Audit) -> String {
    format!("rows {:#?}\nerrors {:#?}", a.rows(), errors(a))
}

#[tokio::test]
async fn throttling_30_percent_of_every_call_changes_no_finding() {
    let acct = account();
    deploy_mixed(&acct).await;
    let clean = audit::run(&acct, ALL, &[]);
    clean.assert_code(1);
    // every service's first request is throttled for certain, then 30 % of all
    // requests (a retry is a new attempt, with a draw of its own)
    const SERVICES: [&str; 7] = ["acm", "cloudtrail", "iam", "monitoring", "route53", "s3", "sts"];
    let mut rules: Vec<Rule> =
        SERVICES.iter().map(|s| Rule::new(Fault::Throttle, When::FirstN(1)).service(s)).collect();
    rules.push(Rule::new(Fault::Throttle, When::Chance(0.3)));
    let proxy = FaultProxy::start(&acct.endpoint, rules, 0x7e57);
    let faulty = audit::run_at(&acct, &proxy.url, ALL, &["--max-attempts", "12"], &[]);
    no_panic(&faulty);
    faulty.assert_code(1);
    let seen = proxy.seen();
    let called: std::collections::BTreeSet<&str> = seen.iter().map(|s| s.service.as_str()).collect();
    let throttled: std::collections::BTreeSet<&str> =
        seen.iter().filter(|s| s.faulted.is_some()).map(|s| s.service.as_str()).collect();
    assert_eq!(called.into_iter().collect::<Vec<_>>(), SERVICES, "the services the audit called");
    assert_eq!(throttled.into_iter().collect::<Vec<_>>(), SERVICES, "every one of them was throttled");
    // the proxy saw the per-bucket reads: one answered GetBucketEncryption for each
    // of the two prod- buckets the profile selects
    let answered = seen.iter().filter(|s| s.operation == "GetBucketEncryption" && s.faulted.is_none()).count();
    assert_eq!(answered, 2, "answered GetBucketEncryption calls");
    assert_eq!(faulty.report["findings"], clean.report["findings"]);
    assert_eq!(faulty.report["errors"], json!([]));
}

#[tokio::test]
async fn access_denied_on_one_bucket_encryption_is_unknown_and_nothing_else_changes() {
    let acct = account();
    core::s3(&acct, Variant::Compliant).await.unwrap();
    core::iam(&acct, Variant::Compliant).await.unwrap();
    let bucket = acct.bucket("prod-data");
    let arn = format!("arn:aws:s3:::{bucket}");
    let rule =
        Rule::new(Fault::AccessDenied, When::Always).service("s3").operation("GetBucketEncryption").bucket(&bucket);
    let proxy = FaultProxy::start(&acct.endpoint, vec![rule], 1);
    let a = audit::run_at(&acct, &proxy.url, &[S3, IAM], &[], &[]);
    no_panic(&a);
    a.assert_code(3);
    let role = format!("arn:aws:iam::{}:role/app-reader", acct.id);
    assert_eq!(
        a.rows(),
        [row("no-admin-roles", Some(&role), "pass"), row("prod-buckets-encrypted", Some(&arn), "unknown")]
    );
    let checks: Vec<(String, Value)> = a.finding("prod-buckets-encrypted", Some(&arn))["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["field"].as_str().unwrap().to_string(), c["ok"].clone()))
        .collect();
    assert_eq!(
        checks,
        [
            ("encryption".to_string(), json!(null)),
            ("versioning".to_string(), json!(true)),
            ("public_access_block".to_string(), json!(true))
        ]
    );
    let check = &a.finding("prod-buckets-encrypted", Some(&arn))["checks"][0];
    assert_eq!(check["error"], "s3:GetBucketEncryption in us-east-1 failed with AccessDenied");
    assert_eq!(errors(&a), [err("s3", "us-east-1", "GetBucketEncryption", "AccessDenied", Some(&arn))]);
    // --fail-on drift tolerates the unknown
    let tolerant = audit::run_at(&acct, &proxy.url, &[S3, IAM], &["--fail-on", "drift"], &[]);
    tolerant.assert_code(0);
}

#[tokio::test]
async fn page_error_mid_pagination_makes_the_listing_unknown_not_short() {
    let acct = account();
    core::s3(&acct, Variant::Compliant).await.unwrap();
    core::iam(&acct, Variant::Drifted).await.unwrap();
    let rules = vec![
        // the first page announces a second one, whose fetch then always fails
        Rule::new(Fault::Status(500), When::Contains(FAKE_TOKEN.into())),
        Rule::new(Fault::FakeNextPage, When::FirstN(1)).service("s3").operation("ListBuckets"),
        Rule::new(Fault::FakeNextPage, When::FirstN(1)).service("iam").operation("GetAccountAuthorizationDetails"),
    ];
    let proxy = FaultProxy::start(&acct.endpoint, rules, 2);
    let a = audit::run_at(&acct, &proxy.url, &[S3, IAM], &["--max-attempts", "2"], &[]);
    no_panic(&a);
    a.assert_code(3);
    // the first pages held a compliant bucket and two admin roles: none may be
    // reported from a list known to be incomplete
    assert_eq!(
        a.rows(),
        [
            row("no-admin-roles", None, "unknown"),
            row("prod-buckets-encrypted", None, "unknown"),
            row("prod-buckets-encrypted", None, "unknown")
        ],
        "{}",
        dump(&a)
    );
    assert_eq!(
        errors(&a),
        [
            err("iam", "us-east-1", "GetAccountAuthorizationDetails", "InternalError", None),
            err("s3", "us-east-1", "ListBuckets", "InternalError", None)
        ]
    );
}

#[tokio::test]
async fn hung_responses_end_in_bounded_time_as_unknown() {
    let acct = account();
    core::trail(&acct, Variant::Compliant).await.unwrap();
    core::iam(&acct, Variant::Compliant).await.unwrap();
    let hang = || Rule::new(Fault::Hang(Duration::from_secs(120)), When::Always).service("cloudtrail");
    let proxy = FaultProxy::start(&acct.endpoint, vec![hang()], 3);

    // per-call timeout: each attempt gives up after 2 s
    let started = Instant::now();
    let a = audit::run_at(&acct, &proxy.url, &[TRAIL, IAM], &["--call-timeout", "2", "--max-attempts", "2"], &[]);
    let took = started.elapsed();
    no_panic(&a);
    a.assert_code(3);
    assert!(took < Duration::from_secs(60), "took {took:?}");
    let role = format!("arn:aws:iam::{}:role/app-reader", acct.id);
    // both trail requirements, in both regions of the profile, are unknown
    let trails_unknown = [
        row("multi-region-trail", None, "unknown"),
        row("trails-logging", None, "unknown"),
        row("trails-logging", None, "unknown"),
    ];
    let mut want = vec![row("no-admin-roles", Some(&role), "pass")];
    want.extend(trails_unknown.iter().cloned());
    assert_eq!(a.rows(), want, "{}", dump(&a));
    assert_eq!(
        errors(&a),
        [
            err("cloudtrail", "us-east-1", "DescribeTrails", "Timeout", None),
            err("cloudtrail", "us-west-2", "DescribeTrails", "Timeout", None)
        ]
    );

    // overall deadline: calls that would wait 100 s each are abandoned at 3 s
    let started = Instant::now();
    let a = audit::run_at(&acct, &proxy.url, &[TRAIL, IAM], &["--call-timeout", "100", "--deadline", "3"], &[]);
    let took = started.elapsed();
    no_panic(&a);
    a.assert_code(3);
    assert!(took < Duration::from_secs(60), "took {took:?}");
    assert_eq!(a.rows(), want, "{}", dump(&a));
    assert_eq!(errors(&a), [err("cloudtrail", "", "collection", "DeadlineExceeded", None)], "{}", dump(&a));
}

#[tokio::test]
async fn endpoint_dying_mid_audit_keeps_completed_findings() {
    let acct = account();
    deploy_mixed(&acct).await;
    let clean = audit::run(&acct, ALL, &[]);
    let rules = vec![
        // IAM is read before the endpoint "dies"; everything after the first
        // request (sts:GetCallerIdentity) finds the connection reset
        Rule::new(Fault::Pass, When::Always).service("iam"),
        Rule::new(Fault::Reset, When::AfterN(1)),
    ];
    let proxy = FaultProxy::start(&acct.endpoint, rules, 4);
    let a = audit::run_at(&acct, &proxy.url, ALL, &["--max-attempts", "2"], &[]);
    no_panic(&a);
    // the IAM sample drifts, so the exit code is 1 even with unknowns
    a.assert_code(1);
    // the IAM rows are the clean run's; every other requirement is unknown as a whole
    let iam: Vec<_> = clean.rows().into_iter().filter(|(r, _, _)| r == "no-admin-roles").collect();
    assert_eq!(iam.len(), 3, "the clean run's IAM rows: {}", dump(&clean));
    let unknown = |r: &str| row(r, None, "unknown");
    let mut want = vec![unknown("certs-dns-validated"), unknown("certs-dns-validated")];
    want.extend([unknown("cpu-alarms"), unknown("cpu-alarms")]);
    want.extend(iam);
    want.extend([unknown("prod-buckets-encrypted"), unknown("prod-buckets-encrypted")]);
    want.extend([unknown("multi-region-trail"), unknown("trails-logging"), unknown("trails-logging")]);
    assert_eq!(a.rows(), want, "{}", dump(&a));
    let lost = |service: &str, region: &str, op: &str| err(service, region, op, "ConnectionError", None);
    assert_eq!(
        errors(&a),
        [
            lost("acm", "us-east-1", "ListCertificates"),
            lost("cloudtrail", "us-east-1", "DescribeTrails"),
            lost("cloudtrail", "us-west-2", "DescribeTrails"),
            lost("cloudwatch", "us-east-1", "DescribeAlarms"),
            lost("s3", "us-east-1", "ListBuckets"),
            lost("s3control", "us-east-1", "GetPublicAccessBlock"),
        ],
        "{}",
        dump(&a)
    );
}

#[tokio::test]
async fn malformed_and_truncated_answers_are_unknown() {
    let acct = account();
    core::s3(&acct, Variant::Compliant).await.unwrap();
    core::trail(&acct, Variant::Compliant).await.unwrap();
    let rules = vec![
        Rule::new(Fault::Malformed, When::Always).service("s3").operation("GetBucketVersioning"),
        Rule::new(Fault::Truncate, When::Always).service("cloudtrail").operation("DescribeTrails"),
        Rule::new(Fault::TooManyRequests, When::Always).service("s3").operation("GetPublicAccessBlock"),
    ];
    let proxy = FaultProxy::start(&acct.endpoint, rules, 5);
    let a = audit::run_at(&acct, &proxy.url, &[S3, TRAIL], &["--max-attempts", "2"], &[]);
    no_panic(&a);
    a.assert_code(3);
    let arn = format!("arn:aws:s3:::{}", acct.bucket("prod-data"));
    let f = a.finding("prod-buckets-encrypted", Some(&arn));
    let oks: Vec<Value> = f["checks"].as_array().unwrap().iter().map(|c| c["ok"].clone()).collect();
    assert_eq!(oks, [json!(true), json!(null), json!(null)], "{f:#}");
    assert_eq!(
        a.rows(),
        [
            row("prod-buckets-encrypted", Some(&arn), "unknown"),
            row("multi-region-trail", None, "unknown"),
            row("trails-logging", None, "unknown"),
            row("trails-logging", None, "unknown"),
        ],
        "{}",
        dump(&a)
    );
    assert_eq!(
        errors(&a),
        [
            err("cloudtrail", "us-east-1", "DescribeTrails", "MalformedResponse", None),
            err("cloudtrail", "us-west-2", "DescribeTrails", "MalformedResponse", None),
            err("s3", "us-east-1", "GetBucketVersioning", "MalformedResponse", Some(&arn)),
            // a bare 429 carries no error code
            err("s3", "us-east-1", "GetPublicAccessBlock", "Unknown", Some(&arn)),
        ],
        "{}",
        dump(&a)
    );
}

#[tokio::test]
async fn secrets_never_appear_in_any_output() {
    let acct = account();
    core::s3(&acct, Variant::Compliant).await.unwrap();
    let secret = "SECRETsentinel/9f2c+KEYmaterial0000000000";
    let token = "TOKENsentinel-session-7d41-deadbeef";
    let rules = vec![Rule::new(Fault::AccessDenied, When::Always).service("s3").operation("GetBucketEncryption")];
    let proxy = FaultProxy::start(&acct.endpoint, rules, 6);
    let dir = tempfile::tempdir().unwrap();
    for format in ["json", "table", "junit", "sarif", "markdown"] {
        let out = dir.path().join(format!("report.{format}"));
        let out_str = out.display().to_string();
        let env = [("AWS_SECRET_ACCESS_KEY", secret), ("AWS_SESSION_TOKEN", token), ("RUST_LOG", "trace")];
        let a = audit::run_at(&acct, &proxy.url, &[S3], &["-v", "--format", format, "--output", &out_str], &env);
        assert_eq!(a.code, 3, "{format}: {}", a.stderr);
        let written = std::fs::read_to_string(&out).unwrap();
        for text in [&a.stdout, &a.stderr, &written] {
            assert!(!text.contains(secret) && !text.contains(token), "{format}: a credential was printed");
        }
        assert!(a.stderr.contains("AccessDenied"), "-v shows the failed call: {}", a.stderr);
        // the subscriber is installed at trace: the SDK's own lines and the call log
        // were written, and still no credential among them
        assert!(a.stderr.contains(" TRACE "), "no SDK trace line: {}", a.stderr);
        assert!(
            a.stderr.contains("AWS call service=\"S3\"") && a.stderr.contains("operation=GetBucketEncryption"),
            "no call log line: {}",
            a.stderr
        );
    }
}
