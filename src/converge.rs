//! `audit --wait`: after a deploy, AWS settles over seconds to minutes. The audit
//! re-reads only what has not converged — the requirements with `drift` or
//! `unknown` findings, in the regions of those findings, and, where a
//! requirement judges each resource on its own, only those resources — with
//! backoff, until everything passes or the time is spent.

use crate::aws::Ctx;
use crate::collect::{self, Plan};
use crate::compare::{self, Finding, Status};
use crate::inventory::Gap;
use crate::profile::{MatchMode, Requirement};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The first pause between rounds; it doubles up to [`MAX_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_secs(1);
const MAX_PAUSE: Duration = Duration::from_secs(30);

/// What the report says about the wait.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Convergence {
    /// The `--wait` duration.
    pub wait_ms: u64,
    /// Collection rounds, the first full one included.
    pub attempts: u32,
    /// Whether every finding ended pass, not applicable or waived.
    pub converged: bool,
    /// From the audit's start to the end of the round that converged (or of the
    /// last round, when it did not converge).
    pub elapsed_ms: u64,
    /// The findings still drift or unknown at the end (account, profile,
    /// requirement, resource, region, status).
    pub not_converged: Vec<Unsettled>,
}

/// A finding that had not converged when the wait ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unsettled {
    /// The finding's account, in a fleet run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    pub profile: String,
    pub requirement: String,
    pub resource: Option<String>,
    pub region: Option<String>,
    pub status: Status,
}

impl Convergence {
    /// One line for the table and Markdown: "converged after 3 rounds in 7.2 s",
    /// or what is still open at the end of the wait.
    pub fn describe(&self) -> String {
        let rounds = if self.attempts == 1 { "1 round".to_string() } else { format!("{} rounds", self.attempts) };
        let secs = self.elapsed_ms as f64 / 1000.0;
        if self.converged {
            format!("--wait: converged after {rounds} in {secs:.1} s")
        } else {
            let open = self.not_converged.len();
            format!(
                "--wait: not converged after {rounds} in {secs:.1} s (waited up to {:.0} s); {open} finding(s) still drift or unknown",
                self.wait_ms as f64 / 1000.0
            )
        }
    }
}

impl Convergence {
    /// A fleet's convergence from its accounts': the most rounds and the longest
    /// time any account took, converged only when every account did, and every
    /// account's open findings named by account. `None` without `--wait`.
    pub fn of_fleet<'a>(accounts: impl IntoIterator<Item = (&'a str, Convergence)>) -> Option<Convergence> {
        let mut out: Option<Convergence> = None;
        for (id, c) in accounts {
            let open = c.not_converged.into_iter().map(|u| Unsettled { account: Some(id.to_string()), ..u });
            match &mut out {
                None => {
                    out = Some(Convergence { not_converged: open.collect(), ..c });
                }
                Some(all) => {
                    all.attempts = all.attempts.max(c.attempts);
                    all.converged &= c.converged;
                    all.elapsed_ms = all.elapsed_ms.max(c.elapsed_ms);
                    all.not_converged.extend(open);
                }
            }
        }
        out
    }
}

fn unsettled(f: &Finding) -> bool {
    matches!(f.status, Status::Drift | Status::Unknown)
}

/// One requirement to read again: narrowed to the regions (and resources) that
/// had not converged.
#[derive(Debug, Clone)]
pub struct Reread {
    pub requirement: Requirement,
    /// Only the findings of these resources are replaced; `None`: every finding
    /// of the requirement in its (narrowed) regions.
    pub resources: Option<BTreeSet<String>>,
}

/// What to read again, from the current findings: nothing for a requirement
/// whose findings all settled.
pub fn rereads(requirements: &[Requirement], findings: &[Finding]) -> Vec<Reread> {
    let mut failing: BTreeMap<(&str, &str), Vec<&Finding>> = BTreeMap::new();
    for f in findings.iter().filter(|f| unsettled(f)) {
        failing.entry((f.profile.as_str(), f.requirement.as_str())).or_default().push(f);
    }
    requirements
        .iter()
        .filter_map(|req| {
            let open = failing.get(&(req.profile.as_str(), req.id.as_str()))?;
            let mut requirement = req.clone();
            // Regions: those of the open findings, when each is one of the
            // requirement's own (a finding judged in its region); otherwise all.
            let regions: BTreeSet<&String> = open.iter().filter_map(|f| f.region.as_ref()).collect();
            let regional = open.iter().all(|f| f.region.as_ref().is_some_and(|r| req.regions.contains(r)));
            if req.kind.regional && regional {
                requirement.regions.retain(|r| regions.contains(r));
            }
            // Resources: only where each resource is judged on its own.
            let per_resource = req.match_mode == MatchMode::All && req.min_count.is_none();
            let resources: Option<BTreeSet<String>> = if per_resource && open.iter().all(|f| f.resource.is_some()) {
                Some(open.iter().filter_map(|f| f.resource.clone()).collect())
            } else {
                None
            };
            if let (Some(only), "s3.bucket") = (&resources, req.kind.name) {
                // A bucket's ARN ends in its name: its per-bucket reads are
                // narrowed to these buckets.
                let names = only.iter().filter_map(|arn| arn.rsplit(":::").next().map(str::to_string)).collect();
                requirement.select.only_names = Some(names);
            }
            Some(Reread { requirement, resources })
        })
        .collect()
}

/// Replaces the findings the rereads cover with the new ones (in the report's order).
/// A new unknown finding that names no resource (a listing that could not be read
/// this time) is kept even where the reread was narrowed to resources: it stands for
/// them, and they must not drop out of the report unseen.
fn unread_listing(f: &Finding) -> bool {
    f.resource.is_none() && f.status == Status::Unknown
}

pub fn replace(findings: &mut Vec<Finding>, rereads: &[Reread], fresh: Vec<Finding>) {
    let same_place = |f: &Finding, r: &Reread| {
        f.profile == r.requirement.profile
            && f.requirement == r.requirement.id
            && (!r.requirement.kind.regional
                || f.region.as_ref().is_none_or(|region| r.requirement.regions.contains(region)))
    };
    let named = |f: &Finding, r: &Reread| {
        r.resources.as_ref().is_none_or(|only| f.resource.as_ref().is_some_and(|res| only.contains(res)))
    };
    findings.retain(|f| !rereads.iter().any(|r| same_place(f, r) && named(f, r)));
    findings.extend(
        fresh.into_iter().filter(|f| rereads.iter().any(|r| same_place(f, r) && (unread_listing(f) || named(f, r)))),
    );
    findings.sort_by(|a, b| {
        (&a.profile, &a.requirement, &a.region, &a.resource, a.status).cmp(&(
            &b.profile,
            &b.requirement,
            &b.region,
            &b.resource,
            b.status,
        ))
    });
}

/// The pauses between rounds: 1 s, 2 s, 4 s … up to 30 s, never past the end.
pub fn pause(round: u32, left: Duration) -> Duration {
    let doubled = FIRST_PAUSE.saturating_mul(1u32 << round.min(16));
    doubled.min(MAX_PAUSE).min(left)
}

/// The errors of a round replace those of the parts it read again.
fn replace_errors(errors: &mut Vec<Gap>, plan: &Plan, global_region: &str, fresh: Vec<Gap>) {
    let reread = |g: &Gap| {
        plan.needs().any(|(id, need)| {
            collect::find(id).is_some_and(|c| c.service == g.service)
                && (g.region.is_empty()
                    || need
                        .places
                        .keys()
                        .any(|p| p == &g.region || (p == collect::GLOBAL && g.region == global_region)))
        })
    };
    errors.retain(|g| !reread(g));
    errors.extend(fresh);
}

/// Reads again what has not converged until it does or `wait`, counted from
/// `start` (the audit's start), is spent. `findings` and `errors` are those of
/// the first round and are updated in place.
pub async fn converge(
    ctx: &Arc<Ctx>,
    start: Instant,
    requirements: &[Requirement],
    findings: &mut Vec<Finding>,
    errors: &mut Vec<Gap>,
    wait: Duration,
    deadline: Option<Duration>,
) -> Convergence {
    let mut attempts = 1;
    loop {
        let todo = rereads(requirements, findings);
        let left = wait.saturating_sub(start.elapsed());
        if todo.is_empty() || left.is_zero() {
            break;
        }
        tokio::time::sleep(pause(attempts - 1, left)).await;
        let narrowed: Vec<Requirement> = todo.iter().map(|r| r.requirement.clone()).collect();
        let plan = Plan::for_requirements(&narrowed);
        if let Ok(mut e) = ctx.errors.lock() {
            e.clear();
        }
        let inventory = collect::run(ctx, &plan, deadline).await;
        let fresh_errors = ctx.errors.lock().map(|e| e.clone()).unwrap_or_default();
        replace_errors(errors, &plan, ctx.global_region(), fresh_errors);
        replace(findings, &todo, compare::evaluate(&narrowed, &inventory));
        attempts += 1;
    }
    Convergence {
        wait_ms: wait.as_millis() as u64,
        attempts,
        converged: !findings.iter().any(unsettled),
        elapsed_ms: start.elapsed().as_millis() as u64,
        not_converged: findings
            .iter()
            .filter(|f| unsettled(f))
            .map(|f| Unsettled {
                account: None,
                profile: f.profile.clone(),
                requirement: f.requirement.clone(),
                resource: f.resource.clone(),
                region: f.region.clone(),
                status: f.status,
            })
            .collect(),
    }
}

#[cfg(test)]
#[path = "converge_tests.rs"]
mod tests;
