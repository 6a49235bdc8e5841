//! The AWS side: one `SdkConfig` loaded the way the AWS CLI resolves it, clients
//! per region derived from it, a bound on requests in flight, and the
//! classification of every failed call into a `Gap`.

pub mod call_log;

use crate::inventory::{ErrorClass, Gap};
use crate::partition::Partition;
use aws_config::retry::{RetryConfig, RetryMode};
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
pub use call_log::{CallLog, LoggedClient};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Semaphore, SemaphorePermit};

/// How failed calls are retried, resolved as the AWS CLI resolves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    pub mode: RetryMode,
    pub max_attempts: u32,
}

/// Attempts per call when neither a flag, `AWS_MAX_ATTEMPTS` nor the profile's
/// `max_attempts` says: more than the CLI's 3, because an audit sends bursts of
/// reads that AWS may throttle.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 6;

/// Resolves retries per setting: the flag, else the environment
/// (`AWS_RETRY_MODE`, `AWS_MAX_ATTEMPTS`), else the shared config profile
/// (`retry_mode`, `max_attempts`), else standard mode with
/// [`DEFAULT_MAX_ATTEMPTS`]. `legacy`, which the CLI also accepts, retries as
/// standard (the SDK has no legacy mode). A value that is not valid is an error
/// naming where it came from.
pub async fn resolve_retry(
    mode_flag: Option<RetryMode>,
    attempts_flag: Option<u32>,
    aws_profile: Option<&str>,
    env: &aws_types::os_shim_internal::Env,
) -> Result<Retry, String> {
    // the same files the SDK reads (AWS_CONFIG_FILE, ~/.aws/config), through the
    // given environment; an unreadable or invalid file is the SDK's to report
    let profile = aws_config::profile::load(
        &aws_types::os_shim_internal::Fs::real(),
        env,
        &aws_runtime::env_config::file::EnvConfigFiles::default(),
        aws_profile.map(|p| std::borrow::Cow::Owned(p.to_string())),
    )
    .await
    .ok();
    let setting = |var: &str, key: &str| -> Option<(String, String)> {
        if let Ok(v) = env.get(var) {
            return Some((v, var.to_string()));
        }
        let p = profile.as_ref()?;
        let v = p.get(key)?;
        Some((v.to_string(), format!("`{key}` of the AWS config profile `{}`", p.selected_profile())))
    };
    let mode = match mode_flag {
        Some(m) => m,
        None => match setting("AWS_RETRY_MODE", "retry_mode") {
            None => RetryMode::Standard,
            Some((v, from)) => match v.trim().to_ascii_lowercase().as_str() {
                "standard" | "legacy" => RetryMode::Standard,
                "adaptive" => RetryMode::Adaptive,
                _ => return Err(format!("{from} is `{v}`; expected standard, adaptive or legacy")),
            },
        },
    };
    let max_attempts = match attempts_flag {
        Some(n) => n,
        None => match setting("AWS_MAX_ATTEMPTS", "max_attempts") {
            None => DEFAULT_MAX_ATTEMPTS,
            Some((v, from)) => match v.trim().parse::<u32>() {
                Ok(n) if (1..=20).contains(&n) => n,
                _ => return Err(format!("{from} is `{v}`; expected a whole number from 1 to 20")),
            },
        },
    };
    Ok(Retry { mode, max_attempts })
}

/// How driftwatch talks to AWS.
#[derive(Debug, Clone)]
pub struct Settings {
    pub endpoint_url: Option<String>,
    pub aws_profile: Option<String>,
    pub concurrency: usize,
    pub retry: Retry,
    /// Per attempt of one call.
    pub attempt_timeout: Duration,
    /// One call with all its retries.
    pub operation_timeout: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            endpoint_url: None,
            aws_profile: None,
            concurrency: 64,
            retry: Retry { mode: RetryMode::Standard, max_attempts: DEFAULT_MAX_ATTEMPTS },
            attempt_timeout: Duration::from_secs(20),
            operation_timeout: Duration::from_secs(90),
        }
    }
}

/// One HTTP client for a whole run: every service client made from the loaded
/// configuration (every service, region and account of the run) shares its
/// connection pool and its TLS roots. Left to itself, the SDK gives each service
/// client a client of its own, which reads the system's certificate store again
/// and opens its own connections: 24 of them for six services in four regions, 24
/// per account again in a fleet run. It is the SDK's default client otherwise:
/// rustls with aws-lc, the connector settings (timeouts) of each call, and an
/// HTTP(S)_PROXY / NO_PROXY from the environment.
pub fn http_client() -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    use aws_smithy_http_client::proxy::ProxyConfig;
    use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
    aws_smithy_http_client::Builder::new().build_with_connector_fn(|settings, components| {
        let mut connector =
            aws_smithy_http_client::Connector::builder().tls_provider(tls::Provider::Rustls(CryptoMode::AwsLc));
        connector.set_connector_settings(settings.cloned());
        if let Some(components) = components {
            connector.set_sleep_impl(components.sleep_impl());
        }
        connector.set_proxy_config(Some(ProxyConfig::from_env()));
        connector.build()
    })
}

/// Loads the shared SDK configuration: credentials and region from the standard
/// chain, `AWS_ENDPOINT_URL[_<SERVICE>]` honoured, `--endpoint-url` winning, and
/// one HTTP client for every service client of the run ([`http_client`]).
pub async fn load(settings: &Settings) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http_client())
        .retry_config(
            RetryConfig::standard()
                .with_retry_mode(settings.retry.mode)
                .with_max_attempts(settings.retry.max_attempts.max(1)),
        )
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(5))
                .operation_attempt_timeout(settings.attempt_timeout)
                .operation_timeout(settings.operation_timeout)
                .build(),
        );
    if let Some(name) = &settings.aws_profile {
        loader = loader.profile_name(name);
    }
    if let Some(url) = &settings.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    loader.load().await
}

/// Shared state of one audit's collection: config, request bound, the errors met.
pub struct Ctx {
    pub sdk: SdkConfig,
    limiter: Semaphore,
    /// S3 path-style addressing, used when a custom endpoint is configured (an
    /// emulator on 127.0.0.1 has no per-bucket host names).
    path_style: bool,
    pub errors: Mutex<Vec<Gap>>,
    pub requests: AtomicUsize,
    pub verbose: bool,
    /// The `--concurrency` bound, also the number of per-resource reads kept in
    /// progress at once (more would only hold memory while waiting for a slot).
    pub concurrency: usize,
    /// The partition of the configured region: ARNs and global services follow it.
    pub partition: Partition,
    /// The audited account, once STS has named it.
    pub account: std::sync::OnceLock<String>,
    /// Logs every call at debug level and counts throttled answers; on every
    /// client built by [`Ctx::client`], [`Ctx::s3`] and [`Ctx::s3control`].
    pub call_log: CallLog,
    /// Collectors planned and finished, for the progress bar.
    pub progress: crate::progress::Tracker,
    /// Names this audit's retry partitions apart from every other audit's of the
    /// process (see [`Ctx::retry_partition`]).
    retry_scope: u64,
}

/// A number for each [`Ctx`] of the process, for its retry partitions.
static RETRY_SCOPES: AtomicU64 = AtomicU64::new(0);

impl Ctx {
    pub fn new(sdk: SdkConfig, settings: &Settings, verbose: bool) -> Arc<Self> {
        let custom_endpoint = sdk.endpoint_url().is_some()
            || std::env::var_os("AWS_ENDPOINT_URL").is_some()
            || std::env::var_os("AWS_ENDPOINT_URL_S3").is_some();
        let partition = sdk.region().map(|r| Partition::of_region(r.as_ref())).unwrap_or_default();
        Arc::new(Ctx {
            sdk,
            limiter: Semaphore::new(settings.concurrency.max(1)),
            path_style: custom_endpoint,
            errors: Mutex::new(Vec::new()),
            requests: AtomicUsize::new(0),
            verbose,
            concurrency: settings.concurrency.max(1),
            partition,
            account: std::sync::OnceLock::new(),
            call_log: CallLog::default(),
            progress: crate::progress::Tracker::default(),
            retry_scope: RETRY_SCOPES.fetch_add(1, Ordering::Relaxed),
        })
    }

    /// The retry partition of `service` in `region` for this audit. The SDK keeps
    /// a retry quota (standard and adaptive modes) and, in adaptive mode, a
    /// client-side rate limiter per partition name for the whole process, and
    /// names a client's partition after its service and region only (`s3-us-east-1`).
    /// AWS throttles per account and region, so each audit (each account of a
    /// fleet run) has partitions of its own: a throttled or failing account uses
    /// up, and slows down, only its own.
    pub fn retry_partition(&self, service: &str, region: &str) -> call_log::RetryPartition {
        call_log::RetryPartition::new(format!("{service}-{region}-audit{}", self.retry_scope))
    }

    /// Waits for a slot: at most `--concurrency` requests are in flight.
    pub async fn permit(&self) -> SemaphorePermit<'_> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        self.slot().await
    }

    async fn slot(&self) -> SemaphorePermit<'_> {
        // the semaphore is never closed
        self.limiter.acquire().await.expect("request limiter closed")
    }

    /// The region global services (IAM, ListBuckets, Route 53, CloudFront) are
    /// called in, in the audited partition.
    pub fn global_region(&self) -> &'static str {
        self.partition.global_region
    }

    pub fn config(&self, region: &str) -> SdkConfig {
        self.sdk.to_builder().region(Region::new(region.to_string())).build()
    }

    /// A client of any SDK crate for `region`, with the call log:
    /// `ctx.client::<aws_sdk_kms::Client>(region)`.
    pub fn client<C: LoggedClient>(&self, region: &str) -> C {
        C::build(&self.config(region), &self.call_log, self.retry_partition(std::any::type_name::<C>(), region))
    }

    pub fn s3(&self, region: &str) -> aws_sdk_s3::Client {
        let conf = aws_sdk_s3::config::Builder::from(&self.config(region))
            .force_path_style(self.path_style)
            .interceptor(self.call_log.clone())
            .retry_partition(self.retry_partition("s3", region))
            .build();
        aws_sdk_s3::Client::from_conf(conf)
    }

    /// An S3 Control client (account-level settings such as the account's public
    /// access block). AWS addresses these calls to `{account}.s3-control.…`; with a
    /// custom endpoint (an emulator on 127.0.0.1) that host does not exist, so the
    /// account prefix is dropped and the request goes to the endpoint itself (the
    /// account still travels in the `x-amz-account-id` header).
    pub fn s3control(&self, region: &str) -> aws_sdk_s3control::Client {
        let mut conf = aws_sdk_s3control::config::Builder::from(&self.config(region))
            .interceptor(self.call_log.clone())
            .retry_partition(self.retry_partition("s3control", region));
        if self.path_style {
            conf = conf.endpoint_resolver(AccountlessHost::default());
        }
        aws_sdk_s3control::Client::from_conf(conf.build())
    }

    /// Records a failed call as a gap (and in the report's errors).
    pub fn gap<E>(
        &self,
        err: &SdkError<E, HttpResponse>,
        service: &str,
        region: &str,
        operation: &str,
        resource: Option<&str>,
    ) -> Gap
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let (class, code, message) = classify(err);
        let gap = Gap {
            service: service.into(),
            region: region.into(),
            operation: operation.into(),
            resource: resource.map(str::to_string),
            code,
            message,
            class,
        };
        tracing::info!("{} ({})", gap.describe(), gap.message);
        self.errors.lock().unwrap_or_else(|e| e.into_inner()).push(gap.clone());
        gap
    }
}

/// Codes with which AWS answers a read of one resource that no longer exists.
const GONE: &[&str] = &[
    "ResourceNotFoundException",
    "ResourceNotFound",
    "NotFound",
    "NotFoundException",
    "NoSuchEntity",
    "NoSuchBucket",
    "NoSuchConfigRuleException",
    "TrailNotFoundException",
    "WAFNonexistentItemException",
    "LoadBalancerNotFound",
    "ListenerNotFound",
    "DBInstanceNotFound",
    "DBInstanceNotFoundFault",
    "DBClusterNotFoundFault",
    "NoSuchDistribution",
    "NoSuchHostedZone",
    "QueueDoesNotExist",
    "AWS.SimpleQueueService.NonExistentQueue",
];

/// S3 Control's endpoint rules with the `{account}.` host prefix removed again (see
/// [`Ctx::s3control`]); used only when a custom endpoint is configured.
#[derive(Debug, Default)]
struct AccountlessHost(aws_sdk_s3control::config::endpoint::DefaultResolver);

impl aws_sdk_s3control::config::endpoint::ResolveEndpoint for AccountlessHost {
    fn resolve_endpoint<'a>(
        &'a self,
        params: &'a aws_sdk_s3control::config::endpoint::Params,
    ) -> aws_sdk_s3control::config::endpoint::EndpointFuture<'a> {
        let resolved = self.0.resolve_endpoint(params);
        aws_sdk_s3control::config::endpoint::EndpointFuture::new(Box::pin(async move {
            let endpoint = resolved.await?;
            let prefix = params.account_id().map(|a| format!("://{a}."));
            match prefix {
                Some(p) if endpoint.url().contains(&p) => {
                    let url = endpoint.url().replacen(&p, "://", 1);
                    Ok(endpoint.into_builder().url(url).build())
                }
                _ => Ok(endpoint),
            }
        }))
    }
}

impl Ctx {
    /// A failed read of one listed resource: `None` when AWS says the resource no
    /// longer exists (deleted since it was listed: it is simply gone, and no error
    /// is recorded), else the gap, recorded like any other.
    pub fn gap_unless_gone<E>(
        &self,
        err: &SdkError<E, HttpResponse>,
        service: &str,
        region: &str,
        operation: &str,
        resource: Option<&str>,
    ) -> Option<Gap>
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        match err {
            SdkError::ServiceError(e) if e.err().code().is_some_and(|c| GONE.contains(&c)) => None,
            _ => Some(self.gap(err, service, region, operation, resource)),
        }
    }

    /// Records an answer that lacks what AWS always sends (a required field): the
    /// listing it belongs to cannot be trusted to be complete.
    pub fn malformed(&self, service: &str, region: &str, operation: &str, what: &str) -> Gap {
        let gap = Gap {
            service: service.into(),
            region: region.into(),
            operation: operation.into(),
            resource: None,
            code: "MalformedResponse".into(),
            message: format!("the answer lacks {what}"),
            class: ErrorClass::Malformed,
        };
        self.errors.lock().unwrap_or_else(|e| e.into_inner()).push(gap.clone());
        gap
    }
}

const ACCESS_DENIED: &[&str] = &[
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "AuthorizationError",
    "UnauthorizedAccess",
    "Forbidden",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "SignatureDoesNotMatch",
    "ExpiredToken",
    "ExpiredTokenException",
];
const THROTTLED: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestLimitExceeded",
    "TooManyRequestsException",
    "SlowDown",
    "RequestThrottled",
    "RequestThrottledException",
    "PriorRequestNotComplete",
    "BandwidthLimitExceeded",
    "EC2ThrottledException",
];
const NOT_AVAILABLE: &[&str] =
    &["NotImplemented", "UnknownOperationException", "InvalidAction", "OptInRequired", "UnsupportedOperation"];
const TIMEOUT: &[&str] = &["RequestTimeout", "RequestTimeoutException"];

/// Sorts a service error code into a class.
pub fn classify_code(code: &str, message: &str, status: Option<u16>) -> ErrorClass {
    if ACCESS_DENIED.contains(&code) {
        ErrorClass::AccessDenied
    } else if THROTTLED.contains(&code) || status == Some(429) {
        ErrorClass::Throttled
    } else if NOT_AVAILABLE.contains(&code)
        || status == Some(501)
        || message.contains("not included in your current license plan")
        || message.contains("not yet implemented")
    {
        ErrorClass::NotAvailable
    } else if TIMEOUT.contains(&code) {
        ErrorClass::Timeout
    } else {
        ErrorClass::Other
    }
}

/// Class, code and message of a failed SDK call. Messages come from AWS or the
/// transport; neither ever contains the credentials.
pub fn classify<E>(err: &SdkError<E, HttpResponse>) -> (ErrorClass, String, String)
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match err {
        SdkError::ServiceError(ctx) => {
            let e = ctx.err();
            let status = ctx.raw().status().as_u16();
            if (200..300).contains(&status) {
                // a success status whose body could not be read as the protocol promises
                return (ErrorClass::Malformed, "MalformedResponse".into(), source_chain(err));
            }
            let code = e.code().unwrap_or("Unknown").to_string();
            let message = e.message().map(str::to_string).unwrap_or_else(|| source_chain(err));
            (classify_code(&code, &message, Some(status)), code, message)
        }
        SdkError::TimeoutError(_) => {
            (ErrorClass::Timeout, "Timeout".into(), "the call did not finish within the operation timeout".into())
        }
        SdkError::DispatchFailure(d) => {
            let text = source_chain(err);
            if d.is_timeout() {
                (ErrorClass::Timeout, "Timeout".into(), text)
            } else if d.is_io() {
                (ErrorClass::Unreachable, "ConnectionError".into(), text)
            } else {
                (ErrorClass::Other, "DispatchFailure".into(), text)
            }
        }
        SdkError::ResponseError(_) => (ErrorClass::Malformed, "MalformedResponse".into(), source_chain(err)),
        SdkError::ConstructionFailure(_) => (ErrorClass::Other, "RequestConstructionFailure".into(), source_chain(err)),
        _ => (ErrorClass::Other, "Unknown".into(), source_chain(err)),
    }
}

/// The error and its sources, one line.
pub fn source_chain(err: &dyn std::error::Error) -> String {
    let mut parts = vec![err.to_string()];
    let mut cur = err.source();
    while let Some(e) = cur {
        let s = e.to_string();
        if !parts.contains(&s) {
            parts.push(s);
        }
        cur = e.source();
    }
    parts.join(": ")
}

/// Follows every page of a paginated call, each page under a permit. A page that
/// fails fails the whole listing: a short list is never passed on as complete.
pub async fn all_pages<O, E>(
    ctx: &Ctx,
    mut stream: aws_smithy_async::future::pagination_stream::PaginationStream<Result<O, E>>,
) -> Result<Vec<O>, E> {
    let mut pages = Vec::new();
    loop {
        let _permit = ctx.slot().await;
        let next = stream.next().await;
        if next.is_some() {
            ctx.requests.fetch_add(1, Ordering::Relaxed);
        }
        match next {
            None => return Ok(pages),
            Some(Ok(page)) => pages.push(page),
            Some(Err(e)) => return Err(e),
        }
    }
}

#[cfg(test)]
#[path = "retry_tests.rs"]
mod retry_tests;
