//! The call log over recorded answers (STS's documented XML shapes): one debug
//! line per call with its attempts and status, throttles counted, and nothing of
//! the credentials in any log line even at trace level.

use super::*;
use crate::aws::{Ctx, Settings};
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_credential_types::Credentials;
use aws_smithy_types::body::SdkBody;
use std::sync::Mutex;

const SECRET: &str = "SECRETsentinel/9f2c+KEYmaterial";
const TOKEN: &str = "TOKENsentinel-session-7d41";

/// From the STS API reference (GetCallerIdentity, "Response Elements").
const IDENTITY: &str = r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::123456789012:user/Alice</Arn>
    <UserId>AIDACKCEVSQ6C2EXAMPLE</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>"#;

/// The query protocol's error shape, with the throttling code AWS sends.
const THROTTLED: &str = r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>
  <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>
</ErrorResponse>"#;

/// A context whose endpoint answers the `n`th request with `answers[n]` (the
/// last one repeated), retrying up to three attempts without waiting.
fn ctx(answers: Vec<(u16, &'static str)>) -> Arc<Ctx> {
    let seen = Arc::new(AtomicUsize::new(0));
    let http = aws_smithy_http_client::test_util::infallible_client_fn(move |_req: http::Request<SdkBody>| {
        let n = seen.fetch_add(1, Ordering::SeqCst).min(answers.len() - 1);
        let (status, body) = answers[n];
        http::Response::builder().status(status).body(SdkBody::from(body)).unwrap()
    });
    let sdk = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("eu-west-3"))
        .endpoint_url("http://aws.test")
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "AKIDTEST",
            SECRET,
            Some(TOKEN.to_string()),
            None,
            "test",
        )))
        .http_client(http)
        .retry_config(
            aws_config::retry::RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(std::time::Duration::from_millis(1)),
        )
        .sleep_impl(aws_smithy_async::rt::sleep::default_async_sleep().unwrap())
        .build();
    Ctx::new(sdk, &Settings::default(), false)
}

/// Runs `f` with a subscriber filtering as `filter` says, returning what it logged.
fn logged(filter: tracing_subscriber::EnvFilter, f: impl FnOnce()) -> String {
    let buf: Arc<Mutex<Vec<u8>>> = Arc::default();
    let sink = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(move || Sink(sink.clone()))
        .finish();
    tracing::subscriber::with_default(subscriber, f);
    let text = String::from_utf8_lossy(&buf.lock().unwrap()).into_owned();
    text
}

struct Sink(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn call(ctx: &Ctx) -> bool {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async { ctx.client::<aws_sdk_sts::Client>("eu-west-3").get_caller_identity().send().await.is_ok() })
}

fn call_lines(log: &str) -> Vec<String> {
    // drop the timestamp before the level
    log.lines().filter(|l| l.contains("AWS call")).map(|l| l[l.find("DEBUG").unwrap_or(0)..].to_string()).collect()
}

#[test]
fn call_log_one_debug_line_per_call_with_attempts_and_status() {
    let ctx = ctx(vec![(400, THROTTLED), (200, IDENTITY)]);
    let log = logged(crate::logging::filter(2, false, None), || assert!(call(&ctx)));
    let lines = call_lines(&log);
    assert_eq!(lines.len(), 1, "{log}");
    let line = &lines[0];
    let duration = regex_lite::Regex::new(r" duration_ms=\d+ ").unwrap();
    assert_eq!(
        duration.replace(line, " duration_ms=N "),
        "DEBUG driftwatch::aws: AWS call service=\"STS\" region=eu-west-3 operation=GetCallerIdentity duration_ms=N attempts=2 status=200"
    );
    assert_eq!((ctx.call_log.throttled(), ctx.call_log.calls()), (1, 1));
}

#[test]
fn call_log_counts_every_throttled_attempt_of_a_call_that_fails() {
    let ctx = ctx(vec![(400, THROTTLED)]);
    let log = logged(crate::logging::filter(2, false, None), || assert!(!call(&ctx)));
    let lines = call_lines(&log);
    assert_eq!(lines.len(), 1, "{log}");
    assert!(lines[0].ends_with(" attempts=3 status=400"), "{}", lines[0]);
    assert_eq!((ctx.call_log.throttled(), ctx.call_log.calls()), (3, 1));
}

/// `-vv` as the binary sets it up: driftwatch at debug, the SDK at warn.
#[test]
fn call_log_is_silent_below_debug_but_still_counts() {
    let ctx = ctx(vec![(400, THROTTLED), (200, IDENTITY)]);
    let log = logged(crate::logging::filter(1, false, None), || assert!(call(&ctx)));
    assert_eq!(call_lines(&log), Vec::<String>::new());
    assert_eq!(ctx.call_log.throttled(), 1);
}

#[test]
fn call_log_and_the_sdk_trace_never_show_a_credential() {
    let ctx = ctx(vec![(400, THROTTLED), (200, IDENTITY)]);
    let log = logged(tracing_subscriber::EnvFilter::new("trace"), || assert!(call(&ctx)));
    // the SDK's own trace lines are there (so the check means something)...
    assert!(log.contains("TRACE") && log.contains("AWS call"), "{log}");
    // ...and none shows the secret key or the session token
    assert!(!log.contains(SECRET) && !log.contains(TOKEN), "a credential was logged:\n{log}");
}

/// Every SDK client outside the tests is built through `Ctx::client` (or `Ctx::s3`
/// and `Ctx::s3control`, which add the interceptor themselves): a client built
/// straight from the config would make calls that no log line shows.
#[test]
fn every_client_is_built_with_the_call_log() {
    fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if p.is_dir() {
                walk(&p, out);
            } else if name.ends_with(".rs") && !name.ends_with("tests.rs") && name != "fake.rs" {
                let text = std::fs::read_to_string(&p).unwrap();
                let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
                for (i, line) in code.lines().enumerate() {
                    if line.contains("::Client::new(") || line.contains("::Client::from_conf(") {
                        out.push(format!("{}:{}: {}", p.display(), i + 1, line.trim()));
                    }
                }
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    walk(&root, &mut found);
    let allowed = |l: &String| l.contains("src/aws/call_log.rs:") || l.contains("src/aws/mod.rs:");
    let outside: Vec<&String> = found.iter().filter(|l| !allowed(l)).collect();
    assert_eq!(outside, Vec::<&String>::new(), "build these with ctx.client::<...>(region)");
    assert_eq!(found.len(), 3, "{found:#?}");
}

/// Calls STS through a client of `ctx` in the retry partition `retry`.
fn call_in(ctx: &Ctx, retry: RetryPartition) -> bool {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client = <aws_sdk_sts::Client as LoggedClient>::build(&ctx.config("eu-west-3"), &ctx.call_log, retry);
    rt.block_on(async { client.get_caller_identity().send().await.is_ok() })
}

/// AWS throttles per account, and the SDK's retry quota (500 tokens, 5 per retry
/// in standard mode) is kept per partition name for the whole process. One audit
/// (one account of a fleet run) that spends its quota on throttled calls must not
/// take another audit's retries with it: each Ctx has partitions of its own.
#[test]
fn an_audit_that_spends_its_retry_quota_leaves_another_audits_retries_alone() {
    let spent = ctx(vec![(400, THROTTLED)]);
    // 60 calls of 3 attempts through one client: 120 retries wanted, the quota
    // allows 100 (a retry's tokens come back only when a call succeeds)
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client = spent.client::<aws_sdk_sts::Client>("eu-west-3");
    for _ in 0..60 {
        assert!(rt.block_on(client.get_caller_identity().send()).is_err());
    }
    assert_eq!(spent.call_log.calls(), 60);
    let throttled = spent.call_log.throttled();
    assert!((100..180).contains(&throttled), "the quota did not run out: {throttled} throttled attempts");

    // a throttled first attempt, then the answer: retried in its own partition
    let other = ctx(vec![(400, THROTTLED), (200, IDENTITY)]);
    assert!(call(&other));
    assert_eq!((other.call_log.throttled(), other.call_log.calls()), (1, 1));

    // the same answers in the spent audit's partition get no retry: what sharing
    // one partition per service and region (the SDK's default) would do
    let shared = ctx(vec![(400, THROTTLED), (200, IDENTITY)]);
    assert!(!call_in(&shared, spent.retry_partition(std::any::type_name::<aws_sdk_sts::Client>(), "eu-west-3")));
    assert_eq!((shared.call_log.throttled(), shared.call_log.calls()), (1, 1));
}

#[test]
fn retry_partitions_are_one_per_audit_service_and_region() {
    let (a, b) = (ctx(vec![(200, IDENTITY)]), ctx(vec![(200, IDENTITY)]));
    assert_eq!(a.retry_partition("s3", "us-east-1"), a.retry_partition("s3", "us-east-1"));
    assert_ne!(a.retry_partition("s3", "us-east-1"), b.retry_partition("s3", "us-east-1"));
    assert_ne!(a.retry_partition("s3", "us-east-1"), a.retry_partition("s3", "us-west-2"));
    assert_ne!(a.retry_partition("s3", "us-east-1"), a.retry_partition("kms", "us-east-1"));
}

/// Every service client of a run shares the one HTTP client [`crate::aws::load`] sets.
#[tokio::test]
async fn the_loaded_configuration_carries_one_http_client() {
    let sdk =
        crate::aws::load(&Settings { endpoint_url: Some("http://127.0.0.1:9".into()), ..Settings::default() }).await;
    assert!(sdk.http_client().is_some(), "no shared HTTP client: each service client would build its own");
}
