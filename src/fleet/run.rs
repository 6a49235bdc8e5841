//! A fleet run: the accounts found (Organizations or `--accounts`), narrowed and
//! sharded, each audited with its own credentials and its own request bound, up to
//! `--account-concurrency` at a time, into one report.

use super::assume::{self, RoleSpec};
use super::members::{self, Selection};
use super::FleetAccount;
use crate::audit::{audit_account, invalid, write_report, Session};
use crate::aws::{Ctx, Settings};
use crate::cli::{AuditArgs, Exit};
use crate::compare::{Check, Finding, Status, Summary};
use crate::inventory::Gap;
use crate::profile::{Profile, Requirement};
use crate::report::{AccountResult, Coverage, ErrorEntry, Fleet, Report, Shard};
use aws_config::SdkConfig;
use futures::StreamExt;
use std::collections::BTreeSet;
use std::io::Write;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What every account's audit shares.
struct Shared {
    sdk: SdkConfig,
    settings: Settings,
    verbose: bool,
    caller: Option<String>,
    partition: &'static str,
    role: Option<RoleSpec>,
    /// `--deadline`, counted from the start of the run.
    until: Option<Instant>,
    /// `--wait`: the run's start and the duration, for every account.
    wait: Option<(Instant, Duration)>,
    /// The accounts' contexts so far, whose counts the progress line adds up.
    audited: std::sync::Mutex<Vec<Arc<Ctx>>>,
}

/// One account's part of the report.
struct Member {
    account: FleetAccount,
    findings: Vec<Finding>,
    gaps: Vec<Gap>,
    regions: BTreeSet<String>,
    /// Why nothing of the account could be read.
    error: Option<String>,
    requests: usize,
    /// With `--wait`: how this account's rounds went.
    convergence: Option<crate::converge::Convergence>,
}

/// Audits the fleet `sel` describes and writes one report.
#[allow(clippy::too_many_arguments)]
pub async fn audit(
    args: &AuditArgs,
    session: &Session,
    caller_ctx: &Arc<Ctx>,
    profiles: &[Profile],
    extras: &crate::finish::Extras,
    sel: Selection,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Exit {
    let discovered = if sel.organization {
        match super::organizations::discover(caller_ctx, sel.ou.as_deref()).await {
            Ok(found) => Some(found),
            Err(e) => return invalid(stderr, format!("--organization: cannot list the organization's accounts: {e}")),
        }
    } else {
        None
    };
    let (fleet, missing) = members::narrow(discovered, &sel);
    for id in &missing {
        let _ = writeln!(
            stderr,
            "driftwatch: warning: --accounts {id}: not an ACTIVE account of the organization; left out"
        );
    }
    if fleet.is_empty() {
        // nothing audited must not read as a clean fleet (an empty shard of a
        // non-empty fleet is fine: its report says which shard it is)
        return invalid(stderr, "no account to audit: the fleet is empty after --accounts and --exclude-accounts");
    }
    let fleet_ids: Vec<String> = fleet.iter().map(|a| a.id.clone()).collect();
    let part = members::shard_of(fleet, sel.shard);

    let caller = session.caller.clone();
    let role = args.fleet.role_name.clone().map(|name| RoleSpec { name, external_id: args.fleet.external_id.clone() });
    if role.is_none() {
        if let Some(other) = part.iter().find(|a| caller.as_deref() != Some(a.id.as_str())) {
            let who = caller
                .as_deref()
                .map(|c| format!("the caller's account is {c}"))
                .unwrap_or("the caller's account is unknown".into());
            return invalid(
                stderr,
                format!(
                    "--role-name is needed to audit account {} ({who}): the role to assume in each account",
                    other.id
                ),
            );
        }
    }
    let shared = Arc::new(Shared {
        sdk: session.sdk.clone(),
        settings: session.settings.clone(),
        verbose: args.verbose > 0,
        caller,
        partition: caller_ctx.partition.name,
        role,
        until: args.deadline.map(|d| session.started + Duration::from_secs(d)),
        wait: args.wait.map(|w| (session.started, w)),
        audited: std::sync::Mutex::new(Vec::new()),
    });
    let progress = {
        let shared = Arc::clone(&shared);
        let target = if crate::progress::wanted(args.quiet, args.verbose) {
            indicatif::ProgressDrawTarget::stderr()
        } else {
            indicatif::ProgressDrawTarget::hidden()
        };
        crate::progress::Progress::with_target(target, move || {
            let ctxs = shared.audited.lock().map(|c| c.clone()).unwrap_or_default();
            ctxs.iter().fold(crate::progress::Counts::default(), |all, c| all + crate::progress::Counts::of(c))
        })
    };

    // Up to --account-concurrency accounts are audited at once, each with its own
    // request bound (its own Ctx), so an account waiting on throttled calls holds
    // only its own slots. Each account runs as a task of its own, so that the
    // runtime's worker threads share the accounts' signing and parsing.
    let mut work: Vec<(FleetAccount, Vec<Requirement>)> = Vec::new();
    for account in part {
        match members::requirements_for(profiles, &account) {
            Ok(requirements) => work.push((account, requirements)),
            Err(e) => return invalid(stderr, e),
        }
    }
    let mut done: Vec<(usize, Member)> = futures::stream::iter(work.into_iter().enumerate())
        .map(|(i, (account, requirements))| {
            let shared = Arc::clone(&shared);
            async move { (i, audit_member_task(shared, account, requirements).await) }
        })
        .buffer_unordered(usize::from(args.fleet.account_concurrency))
        .collect()
        .await;
    done.sort_by_key(|(i, _)| *i);
    let members: Vec<Member> = done.into_iter().map(|(_, m)| m).collect();
    progress.finish();

    // the accounts' requests, and the caller's own (identity, Organizations)
    let requests = caller_ctx.requests.load(Ordering::Relaxed) + members.iter().map(|m| m.requests).sum::<usize>();
    let report = build_report(session, profiles, extras, members, fleet_ids, sel.shard);
    tracing::info!(
        "{} account(s), {requests} AWS request(s) in {} ms",
        report.fleet.as_ref().map_or(0, |f| f.accounts.len()),
        report.duration_ms,
    );
    write_report(args, &report, &session.sdk, stdout, stderr)
}

/// [`audit_member`] on a task of its own. A panic in it is the run's panic, as it
/// would be on the caller's task; a task cancelled (only when the runtime shuts
/// down) leaves its account unread.
async fn audit_member_task(shared: Arc<Shared>, account: FleetAccount, requirements: Vec<Requirement>) -> Member {
    let (kept, applicable) = (account.clone(), requirements.clone());
    match tokio::spawn(async move { audit_member(&shared, account, requirements).await }).await {
        Ok(member) => member,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(_) => {
            let gap = Gap::not_collected("this account (its task was cancelled)");
            let findings = unreadable(&kept.id, &applicable, &gap, "its audit was cancelled");
            Member {
                account: kept,
                findings,
                gaps: Vec::new(),
                regions: BTreeSet::new(),
                error: Some("the account's audit was cancelled".into()),
                requests: 0,
                convergence: None,
            }
        }
    }
}

/// Audits one account: its credentials (its own for the caller's account, else the
/// assumed role), its own request bound, then the shared plan, collect, evaluate.
async fn audit_member(shared: &Shared, account: FleetAccount, requirements: Vec<Requirement>) -> Member {
    let mut member = Member {
        account,
        findings: Vec::new(),
        gaps: Vec::new(),
        regions: BTreeSet::new(),
        error: None,
        requests: 0,
        convergence: None,
    };
    if requirements.is_empty() {
        // no profile applies to this account: nothing to read
        return member;
    }
    let id = member.account.id.clone();
    let sdk = match (&shared.role, shared.caller.as_deref() == Some(id.as_str())) {
        (_, true) => shared.sdk.clone(),
        (Some(role), false) => match assume::account_config(&shared.sdk, shared.partition, &id, role).await {
            Ok(sdk) => sdk,
            Err(gap) => {
                let why = format!(
                    "sts:AssumeRole of {} failed with {}: {}",
                    gap.resource.as_deref().unwrap_or("the role"),
                    gap.code,
                    gap.message
                );
                tracing::warn!("account {id}: {why}");
                member.findings = unreadable(&id, &requirements, &gap, &why);
                member.gaps = vec![gap];
                member.error = Some(why);
                return member;
            }
        },
        // refused before any account is audited; kept as an error, never a panic
        (None, false) => {
            member.error = Some("no --role-name to assume in this account".into());
            let gap = Gap::not_collected("this account (no --role-name)");
            member.findings = unreadable(&id, &requirements, &gap, "no --role-name was given to assume in it");
            return member;
        }
    };
    let ctx = Ctx::new(sdk, &shared.settings, shared.verbose);
    let _ = ctx.account.set(id.clone());
    if let Ok(mut all) = shared.audited.lock() {
        all.push(Arc::clone(&ctx));
    }
    let deadline = shared.until.map(|u| u.saturating_duration_since(Instant::now()));
    let started = Instant::now();
    let audited = audit_account(&ctx, &requirements, deadline, shared.wait).await;
    tracing::info!(
        "account {id}: {} finding(s), {} request(s) in {} ms",
        audited.findings.len(),
        ctx.requests.load(Ordering::Relaxed),
        started.elapsed().as_millis()
    );
    member.regions = audited.plan.regions();
    member.findings = audited.findings;
    member.gaps = audited.gaps;
    member.convergence = audited.convergence;
    member.requests = ctx.requests.load(Ordering::Relaxed);
    member
}

/// An account nothing could be read from: one unknown finding per requirement
/// that applies to it, saying why.
fn unreadable(account: &str, requirements: &[Requirement], gap: &Gap, why: &str) -> Vec<Finding> {
    requirements
        .iter()
        .map(|r| {
            let check = Check::unknown("account", serde_json::json!(account), gap);
            let message = format!("account {account}: {why}; nothing in this account could be read");
            Finding::new(r, Status::Unknown, None, None, vec![check], message)
        })
        .collect()
}

/// Coverage over accounts: each requirement's counts summed over the accounts it
/// applies to, in the order the requirements first appear.
fn fleet_coverage(members: &[Member]) -> Coverage {
    let mut total = Coverage::default();
    for m in members {
        for e in Coverage::of(&m.findings).requirements {
            match total.requirements.iter_mut().find(|t| t.profile == e.profile && t.requirement == e.requirement) {
                Some(t) => {
                    t.read += e.read;
                    t.unknown += e.unknown;
                    t.listings_unread += e.listings_unread;
                }
                None => total.requirements.push(e),
            }
        }
    }
    for e in &total.requirements {
        total.read += e.read;
        total.unknown += e.unknown;
        total.listings_unread += e.listings_unread;
    }
    total
}

fn build_report(
    session: &Session,
    profiles: &[Profile],
    extras: &crate::finish::Extras,
    mut members: Vec<Member>,
    fleet_ids: Vec<String>,
    shard: Option<super::shard::ShardSpec>,
) -> Report {
    let ids: Vec<String> = members.iter().map(|m| m.account.id.clone()).collect();
    let mut findings: Vec<Finding> = Vec::new();
    let mut errors: Vec<ErrorEntry> = Vec::new();
    let mut regions: BTreeSet<String> = BTreeSet::new();
    for m in &mut members {
        for f in &mut m.findings {
            f.account = Some(m.account.id.clone());
        }
        findings.extend(m.findings.iter().cloned());
        errors.extend(
            Report::errors_from(&m.gaps).into_iter().map(|e| ErrorEntry { account: Some(m.account.id.clone()), ..e }),
        );
        regions.extend(m.regions.iter().cloned());
    }
    let (stale_waivers, baseline) = extras.apply_fleet(&mut findings, &ids);
    // each account's findings after waivers, for its summary and coverage
    let mut start = 0;
    for m in &mut members {
        let len = m.findings.len();
        m.findings = findings[start..start + len].to_vec();
        start += len;
    }
    let accounts = members
        .iter()
        .map(|m| AccountResult {
            id: m.account.id.clone(),
            name: m.account.name.clone(),
            summary: Summary::of(&m.findings),
            error: m.error.clone(),
        })
        .collect();
    let shard = shard.map(|s| Shard { index: s.index, count: s.count, fleet_accounts: fleet_ids });
    let convergence = crate::converge::Convergence::of_fleet(
        members.iter().filter_map(|m| m.convergence.clone().map(|c| (m.account.id.as_str(), c))),
    );
    Report {
        account: None,
        regions: regions.into_iter().collect(),
        profiles: profiles.iter().map(|p| p.name.clone()).collect(),
        started_at: session.started_at.clone(),
        duration_ms: session.started.elapsed().as_millis() as u64,
        coverage: fleet_coverage(&members),
        errors,
        stale_waivers,
        baseline,
        fleet: Some(Fleet { accounts, shard }),
        convergence,
        ..Report::of(findings)
    }
}

#[cfg(test)]
#[path = "run_tests.rs"]
mod tests;
