//! A fake AWS endpoint for collector tests over recorded answers: every request
//! is answered by a function of its URI and body, with no network. The bodies the
//! tests give it are written from the AWS API reference's documented response
//! shapes, never copied from what an emulator returned.
#![cfg(test)]

use crate::aws::{Ctx, Settings};
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_credential_types::Credentials;
use aws_smithy_types::body::SdkBody;
use std::sync::{Arc, Mutex};

/// One request as the fake endpoint sees it.
#[derive(Debug, Clone)]
pub struct Request {
    pub uri: String,
    pub body: String,
    /// The operation: the `X-Amz-Target` suffix (JSON protocols) or the body's
    /// `Action=` (query protocols); empty for REST protocols (route on the URI).
    #[allow(dead_code)]
    pub op: String,
}

type Handler = dyn Fn(&Request) -> (u16, String) + Send + Sync;

/// A context (region us-east-1) whose every request is answered by `route(uri, body)`.
pub fn ctx(route: impl Fn(&str, &str) -> (u16, String) + Send + Sync + 'static) -> Arc<Ctx> {
    ctx_with(move |r: &Request| route(&r.uri, &r.body))
}

/// A context (region us-east-1) whose every request is answered by `route(request)`.
pub fn ctx_with(route: impl Fn(&Request) -> (u16, String) + Send + Sync + 'static) -> Arc<Ctx> {
    let route: Arc<Handler> = Arc::new(route);
    let http = aws_smithy_http_client::test_util::infallible_client_fn(move |req: http::Request<SdkBody>| {
        let uri = req.uri().to_string();
        let body = req.body().bytes().map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_default();
        let target = req.headers().get("x-amz-target").and_then(|v| v.to_str().ok()).unwrap_or("");
        let op = match target.rsplit_once('.') {
            Some((_, op)) => op.to_string(),
            None if !target.is_empty() => target.to_string(),
            None => body.split('&').find_map(|kv| kv.strip_prefix("Action=")).unwrap_or("").to_string(),
        };
        let (status, text) = route(&Request { uri, body, op });
        http::Response::builder().status(status).body(SdkBody::from(text)).unwrap()
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
    Ctx::new(sdk, &Settings::default(), false)
}

/// Like [`ctx_with`], and also records every request for the test to assert which
/// calls were made.
#[allow(dead_code)]
pub fn recording_ctx(
    route: impl Fn(&Request) -> (u16, String) + Send + Sync + 'static,
) -> (Arc<Ctx>, Arc<Mutex<Vec<Request>>>) {
    let seen: Arc<Mutex<Vec<Request>>> = Arc::default();
    let log = seen.clone();
    let ctx = ctx_with(move |r| {
        log.lock().unwrap().push(r.clone());
        route(r)
    });
    (ctx, seen)
}
