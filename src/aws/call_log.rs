//! One log line per AWS call, and the count of throttled answers, from an SDK
//! interceptor registered on every client driftwatch builds ([`Ctx::client`]).
//!
//! At debug level (`-vv`, or `RUST_LOG=driftwatch=debug`) each call logs its
//! service, region, operation, duration, attempts and the last HTTP status code.
//! Nothing else of the request or answer is read: no header (so no signature,
//! credential or session token), no body.
//!
//! [`Ctx::client`]: super::Ctx::client

use aws_smithy_runtime::client::retries::classifiers::run_classifiers_on_ctx;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::retries::classifiers::{RetryAction, RetryReason};
use aws_smithy_runtime_api::client::retries::RequestAttempts;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};
use aws_smithy_types::retry::ErrorKind;
use aws_types::region::Region;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// The interceptor; clones share their counters.
#[derive(Debug, Clone, Default)]
pub struct CallLog {
    throttled: Arc<AtomicUsize>,
    calls: Arc<AtomicUsize>,
}

impl CallLog {
    /// Attempts AWS answered with a throttling error (each retried while attempts
    /// remain).
    pub fn throttled(&self) -> usize {
        self.throttled.load(Ordering::Relaxed)
    }

    /// Calls finished (each with all its attempts).
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::Relaxed)
    }
}

/// When the call started, kept in the call's own config bag.
#[derive(Debug, Clone)]
struct Started(Instant);

impl Storable for Started {
    type Storer = StoreReplace<Self>;
}

/// Whether the retry classifiers the SDK itself uses call this attempt's answer a
/// throttle.
fn is_throttle(action: &RetryAction) -> bool {
    matches!(action, RetryAction::RetryIndicated(RetryReason::RetryableError { kind: ErrorKind::ThrottlingError, .. }))
}

impl Intercept for CallLog {
    fn name(&self) -> &'static str {
        "driftwatch::CallLog"
    }

    fn read_before_execution(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        cfg.interceptor_state().store_put(Started(Instant::now()));
        Ok(())
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if context.output_or_error().is_some_and(|r| r.is_err())
            && is_throttle(&run_classifiers_on_ctx(runtime_components.retry_classifiers(), context.inner()))
        {
            self.throttled.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }

    fn read_after_execution(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        if !tracing::enabled!(tracing::Level::DEBUG) {
            return Ok(());
        }
        let (service, operation) = cfg.load::<Metadata>().map(|m| (m.service(), m.name())).unwrap_or(("?", "?"));
        let region = cfg.load::<Region>().map(|r| r.as_ref()).unwrap_or("-");
        let duration_ms = cfg.load::<Started>().map(|s| s.0.elapsed().as_millis() as u64).unwrap_or(0);
        let attempts = cfg.load::<RequestAttempts>().map(|a| a.attempts()).unwrap_or(0);
        let status = context.response().map(|r| r.status().as_u16().to_string()).unwrap_or_else(|| "none".into());
        tracing::debug!(
            target: "driftwatch::aws",
            service,
            region = %region,
            operation = %operation,
            duration_ms,
            attempts,
            status = %status,
            "AWS call"
        );
        Ok(())
    }
}

/// SDK clients that can be built with the call log (see [`super::Ctx::client`]),
/// in a retry partition of their own audit (see [`super::Ctx::retry_partition`]).
pub trait LoggedClient {
    fn build(config: &aws_types::SdkConfig, log: &CallLog, retry: RetryPartition) -> Self;
}

pub use aws_smithy_runtime::client::retries::RetryPartition;

macro_rules! logged_clients {
    ($($sdk:ident),* $(,)?) => {$(
        impl LoggedClient for $sdk::Client {
            fn build(config: &aws_types::SdkConfig, log: &CallLog, retry: RetryPartition) -> Self {
                $sdk::Client::from_conf(
                    $sdk::config::Builder::from(config).interceptor(log.clone()).retry_partition(retry).build(),
                )
            }
        }
    )*};
}

logged_clients!(
    aws_sdk_acm,
    aws_sdk_autoscaling,
    aws_sdk_cloudfront,
    aws_sdk_cloudtrail,
    aws_sdk_cloudwatch,
    aws_sdk_cloudwatchlogs,
    aws_sdk_config,
    aws_sdk_dynamodb,
    aws_sdk_ec2,
    aws_sdk_elasticloadbalancingv2,
    aws_sdk_iam,
    aws_sdk_kms,
    aws_sdk_lambda,
    aws_sdk_organizations,
    aws_sdk_rds,
    aws_sdk_route53,
    aws_sdk_secretsmanager,
    aws_sdk_sns,
    aws_sdk_sqs,
    aws_sdk_sts,
    aws_sdk_wafv2,
);

#[cfg(test)]
#[path = "call_log_tests.rs"]
mod tests;
