//! `driftwatch audit`: profiles -> plan -> collect -> compare -> report -> exit code.

use crate::aws::{self, Ctx, Settings};
use crate::cli::{AuditArgs, Exit, FailOn};
use crate::collect::{self, Plan};
use crate::compare::{self, Finding, Summary};
use crate::inventory::{ErrorClass, Gap};
use crate::profile::{self, is_region_name, Profile, Requirement};
use crate::report::{Format, Report, Style};
use aws_credential_types::provider::ProvideCredentials;
use std::io::Write;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The exit code for a finished audit.
pub fn exit_code(summary: &Summary, fail_on: FailOn) -> Exit {
    match fail_on {
        FailOn::Never => Exit::Clean,
        _ if summary.drift > 0 => Exit::Drift,
        FailOn::Unknown if summary.unknown > 0 => Exit::Unknown,
        _ => Exit::Clean,
    }
}

fn now_rfc3339() -> String {
    aws_smithy_types::DateTime::from(std::time::SystemTime::now())
        .fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap_or_default()
}

pub(crate) fn invalid(stderr: &mut dyn Write, message: impl std::fmt::Display) -> Exit {
    let _ = writeln!(stderr, "driftwatch: {message}");
    Exit::Invalid
}

pub fn run(args: &AuditArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> Exit {
    let mut profiles = match profile::load_all(&args.profiles) {
        Ok(p) => p,
        Err(d) => {
            let _ = writeln!(stderr, "{d}");
            return Exit::Invalid;
        }
    };
    if args.wait.is_some() && args.save_inventory.is_some() {
        return invalid(
            stderr,
            "--save-inventory cannot be combined with --wait: the rounds read different parts at different \
             times, so no single inventory gives the report",
        );
    }
    if let Some(Err(e)) = args.save_inventory.as_deref().map(crate::saved::check_path) {
        return invalid(stderr, format!("--save-inventory: {e}"));
    }
    if let Some(bad) = args.regions.iter().find(|r| !is_region_name(r)) {
        return invalid(stderr, format!("--region {bad}: not an AWS region name (like us-east-1)"));
    }
    let extras = match crate::finish::Extras::load(args.waivers.as_deref(), args.baseline.as_deref()) {
        Ok(x) => x,
        Err(e) => {
            let _ = writeln!(stderr, "{e}");
            return Exit::Invalid;
        }
    };
    let fleet = match crate::fleet::members::selection(&args.fleet, args.save_inventory.is_some(), |name| {
        std::env::var(name).ok()
    }) {
        Ok(f) => f,
        Err(e) => return invalid(stderr, e),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return invalid(stderr, format!("cannot start the async runtime: {e}")),
    };
    runtime.block_on(audit(args, &mut profiles, &extras, fleet, stdout, stderr))
}

async fn audit(
    args: &AuditArgs,
    profiles: &mut [Profile],
    extras: &crate::finish::Extras,
    fleet: Option<crate::fleet::members::Selection>,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Exit {
    let started = Instant::now();
    let started_at = now_rfc3339();
    let retry = match aws::resolve_retry(
        args.retry_mode.map(Into::into),
        args.max_attempts,
        args.aws_profile.as_deref(),
        &aws_types::os_shim_internal::Env::real(),
    )
    .await
    {
        Ok(r) => r,
        Err(e) => return invalid(stderr, e),
    };
    let settings = Settings {
        endpoint_url: args.endpoint_url.clone(),
        aws_profile: args.aws_profile.clone(),
        concurrency: usize::from(args.concurrency),
        retry,
        attempt_timeout: Duration::from_secs(args.call_timeout),
        operation_timeout: Duration::from_secs(
            args.call_timeout.saturating_mul(u64::from(retry.max_attempts)).saturating_add(30),
        ),
    };
    let sdk = aws::load(&settings).await;

    // Regions: selector > --region > profile > the configured default region.
    let default_region = sdk.region().map(|r| r.to_string());
    let needs_default = args.regions.is_empty()
        && profiles.iter().any(|p| {
            p.regions.is_empty() && p.requirements.iter().any(|r| r.kind.regional && r.select.regions.is_none())
        });
    if needs_default && default_region.is_none() {
        return invalid(stderr, "no region: set `regions` in the profile, pass --region, or configure AWS_REGION");
    }
    let fallback = default_region.clone().unwrap_or_else(|| crate::partition::AWS.global_region.to_string());
    for p in profiles.iter_mut() {
        p.resolve_regions(&args.regions, &fallback);
    }

    // Credentials and reachability, before any check.
    let Some(creds) = sdk.credentials_provider() else {
        return invalid(stderr, "no AWS credentials configured");
    };
    if let Err(e) = creds.provide_credentials().await {
        return invalid(stderr, format!("no AWS credentials: {}", aws::source_chain(&e)));
    }
    // The partition follows the configured region, else the first audited one.
    let home_region = default_region
        .clone()
        .or_else(|| profiles.iter().flat_map(|p| &p.requirements).find_map(|r| r.regions.first().cloned()))
        .unwrap_or(fallback);
    let sdk = sdk.to_builder().region(aws_config::Region::new(home_region.clone())).build();
    let ctx = Ctx::new(sdk, &settings, args.verbose > 0);
    let sts = ctx.client::<aws_sdk_sts::Client>(&home_region);
    let account = match sts.get_caller_identity().send().await {
        Ok(out) => {
            if let Some(a) = out.account() {
                let _ = ctx.account.set(a.to_string());
            }
            out.account().map(str::to_string)
        }
        Err(err) => {
            let (class, code, message) = aws::classify(&err);
            match class {
                ErrorClass::Unreachable | ErrorClass::Timeout => {
                    let url =
                        ctx.sdk.endpoint_url().map(str::to_string).or_else(|| std::env::var("AWS_ENDPOINT_URL").ok());
                    let at = url.map(|u| format!(" at {u}")).unwrap_or_default();
                    return invalid(stderr, format!("cannot reach AWS{at}: {code}: {message}"));
                }
                ErrorClass::AccessDenied
                    if matches!(
                        code.as_str(),
                        "InvalidClientTokenId"
                            | "SignatureDoesNotMatch"
                            | "ExpiredToken"
                            | "UnrecognizedClientException"
                    ) =>
                {
                    return invalid(stderr, format!("the AWS credentials were rejected: {code}: {message}"));
                }
                _ => {
                    tracing::warn!("sts:GetCallerIdentity failed ({code}); the account id is unknown");
                    None
                }
            }
        }
    };

    let session = Session { settings, sdk: ctx.sdk.clone(), caller: account, started, started_at, default_region };
    if let Some(selection) = fleet {
        return crate::fleet::run::audit(args, &session, &ctx, profiles, extras, selection, stdout, stderr).await;
    }

    let requirements: Vec<_> = profiles.iter().flat_map(|p| p.requirements.iter().cloned()).collect();
    let progress = crate::progress::Progress::start(&ctx, crate::progress::wanted(args.quiet, args.verbose));
    let wait = args.wait.map(|w| (session.started, w));
    let audited = audit_account(&ctx, &requirements, args.deadline.map(Duration::from_secs), wait).await;
    progress.finish();
    let AccountAudit { plan, inventory, mut findings, gaps, convergence } = audited;

    if let Some(path) = &args.save_inventory {
        let saved = crate::saved::SavedInventory::new(
            inventory,
            &plan,
            gaps.clone(),
            session.default_region.clone(),
            session.started_at.clone(),
        );
        if let Err(e) = crate::saved::save(path, &saved) {
            return invalid(stderr, e);
        }
    }
    let account = session.caller.clone();
    let (stale_waivers, baseline) = extras.apply(&mut findings, account.as_deref());
    let mut regions: Vec<String> = plan.regions().into_iter().collect();
    regions.sort();
    let report = Report {
        account,
        regions,
        profiles: profiles.iter().map(|p| p.name.clone()).collect(),
        started_at: session.started_at.clone(),
        duration_ms: session.started.elapsed().as_millis() as u64,
        errors: Report::errors_from(&gaps),
        stale_waivers,
        baseline,
        convergence,
        ..Report::of(findings)
    };
    tracing::info!(
        "{} AWS request(s), {} throttled answer(s) retried, in {} ms",
        ctx.requests.load(Ordering::Relaxed),
        ctx.call_log.throttled(),
        report.duration_ms
    );
    write_report(args, &report, &session.sdk, stdout, stderr)
}

/// What every audit, of one account or a fleet, has resolved before it reads
/// anything: how to call AWS, with which credentials, and who the caller is.
pub struct Session {
    pub settings: Settings,
    /// The caller's configuration, in the home region (the partition follows it).
    pub sdk: aws_config::SdkConfig,
    /// The caller's account (sts:GetCallerIdentity), when STS named it.
    pub caller: Option<String>,
    pub started: Instant,
    pub started_at: String,
    /// The configured region, if any.
    pub default_region: Option<String>,
}

/// One account planned, collected and evaluated.
pub struct AccountAudit {
    pub plan: Plan,
    /// What was observed, in the account `ctx` names.
    pub inventory: crate::inventory::Inventory,
    pub findings: Vec<Finding>,
    /// Every failed call, as the report's errors list them.
    pub gaps: Vec<Gap>,
    /// With `--wait`: how the rounds after the first went.
    pub convergence: Option<crate::converge::Convergence>,
}

/// Plans the reads the requirements need, then collects and evaluates them in the
/// account `ctx` holds credentials for; with `wait` (the audit's start and the
/// `--wait` duration), reads again what has not converged. The single-account
/// audit and each account of a fleet run go through here.
pub async fn audit_account(
    ctx: &Arc<Ctx>,
    requirements: &[Requirement],
    deadline: Option<Duration>,
    wait: Option<(Instant, Duration)>,
) -> AccountAudit {
    let plan = Plan::for_requirements(requirements);
    tracing::info!("{}", crate::logging::describe_plan(&plan));
    let (inventory, mut findings) = collect_and_evaluate(ctx, &plan, requirements, deadline).await;
    let mut gaps = ctx.errors.lock().map(|e| e.clone()).unwrap_or_default();
    let convergence = match wait {
        Some((start, wait)) => {
            Some(crate::converge::converge(ctx, start, requirements, &mut findings, &mut gaps, wait, deadline).await)
        }
        None => None,
    };
    AccountAudit { plan, inventory, findings, gaps, convergence }
}

/// Reads what the plan needs and evaluates the requirements against it: the step
/// a convergence wait repeats.
pub async fn collect_and_evaluate(
    ctx: &Arc<Ctx>,
    plan: &Plan,
    requirements: &[Requirement],
    deadline: Option<Duration>,
) -> (crate::inventory::Inventory, Vec<Finding>) {
    let mut inventory = collect::run(ctx, plan, deadline).await;
    inventory.account = ctx.account.get().cloned();
    inventory.partition = ctx.partition;
    let findings = compare::evaluate(requirements, &inventory);
    (inventory, findings)
}

/// Writes the report where `--output`/`--format` say and gives the exit code.
/// `sdk` is the caller's configuration, for `--output s3://…`.
pub fn write_report(
    args: &AuditArgs,
    report: &Report,
    sdk: &aws_config::SdkConfig,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Exit {
    let style = Style::detect(args.format == Format::Table && args.output.is_none());
    if let Err(e) = crate::finish::write(report, args.format, args.output.as_deref(), &style, stdout, Some(sdk)) {
        return invalid(stderr, e);
    }
    exit_code(&crate::baseline::exit_summary(report), args.fail_on)
}
