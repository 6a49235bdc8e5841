//! Sharding a fleet over the jobs of an existing engine: which part of the fleet
//! this run audits, from `--shard I/N` or the index the engine gives each job.
//!
//! Indexes are 0-based, like both engines':
//! - Kubernetes Indexed Job: "the control plane automatically sets the downward API
//!   to expose the index in the JOB_COMPLETION_INDEX environment variable", indexes
//!   0 to `.spec.completions - 1`; the count is not exposed to the pod, hence
//!   `--shard-count` / `DRIFTWATCH_SHARD_COUNT`
//!   (https://kubernetes.io/docs/tasks/job/indexed-parallel-processing-static).
//! - AWS Batch array job: `AWS_BATCH_JOB_ARRAY_INDEX` "is only set in child array
//!   jobs. The array job index begins at 0"; `AWS_BATCH_JOB_ARRAY_SIZE` "is set to the
//!   size of the parent array job"
//!   (https://docs.aws.amazon.com/batch/latest/userguide/job_env_vars.html).

/// Shard `index` (0-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardSpec {
    pub index: u32,
    pub count: u32,
}

pub const K8S_INDEX: &str = "JOB_COMPLETION_INDEX";
pub const COUNT: &str = "DRIFTWATCH_SHARD_COUNT";
pub const BATCH_INDEX: &str = "AWS_BATCH_JOB_ARRAY_INDEX";
pub const BATCH_SIZE: &str = "AWS_BATCH_JOB_ARRAY_SIZE";

fn number(text: &str, what: &str) -> Result<u32, String> {
    text.trim().parse::<u32>().map_err(|_| format!("{what} is `{text}`; expected a whole number"))
}

fn checked(index: u32, count: u32, from: &str) -> Result<ShardSpec, String> {
    if count == 0 {
        return Err(format!("{from}: the shard count must be at least 1"));
    }
    if index >= count {
        return Err(format!("{from}: shard index {index} is not below the count {count} (indexes start at 0)"));
    }
    Ok(ShardSpec { index, count })
}

/// Parses `--shard I/N`.
pub fn parse_flag(text: &str) -> Result<ShardSpec, String> {
    let Some((i, n)) = text.split_once('/') else {
        return Err(format!("--shard {text}: expected I/N, like 0/3 (0-based index of N shards)"));
    };
    let index = number(i, &format!("--shard {text}: the index"))?;
    let count = number(n, &format!("--shard {text}: the count"))?;
    checked(index, count, &format!("--shard {text}"))
}

/// The shard this run audits: `--shard` wins; else `JOB_COMPLETION_INDEX` (count
/// from `--shard-count`, else `DRIFTWATCH_SHARD_COUNT`); else
/// `AWS_BATCH_JOB_ARRAY_INDEX` (count from `--shard-count`, else
/// `DRIFTWATCH_SHARD_COUNT`, else `AWS_BATCH_JOB_ARRAY_SIZE`); else the whole
/// fleet. `env` reads a variable (empty counts as unset).
pub fn resolve(
    flag: Option<&str>,
    count_flag: Option<u32>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Option<ShardSpec>, String> {
    if let Some(text) = flag {
        return parse_flag(text).map(Some);
    }
    let var = |name: &str| env(name).filter(|v| !v.trim().is_empty());
    let count_from = |fallback: Option<&str>| -> Result<Option<(u32, String)>, String> {
        if let Some(n) = count_flag {
            return Ok(Some((n, "--shard-count".into())));
        }
        for name in std::iter::once(COUNT).chain(fallback) {
            if let Some(v) = var(name) {
                return Ok(Some((number(&v, name)?, name.to_string())));
            }
        }
        Ok(None)
    };
    if let Some(v) = var(K8S_INDEX) {
        let index = number(&v, K8S_INDEX)?;
        let Some((count, from)) = count_from(None)? else {
            return Err(format!(
                "{K8S_INDEX} is set (Kubernetes Indexed Job) but not the shard count: pass --shard-count \
                 or set {COUNT} to the Job's .spec.completions"
            ));
        };
        return checked(index, count, &format!("{K8S_INDEX}={index} with {from}={count}")).map(Some);
    }
    if let Some(v) = var(BATCH_INDEX) {
        let index = number(&v, BATCH_INDEX)?;
        let Some((count, from)) = count_from(Some(BATCH_SIZE))? else {
            return Err(format!(
                "{BATCH_INDEX} is set (AWS Batch array job) but not {BATCH_SIZE}: pass --shard-count or set {COUNT}"
            ));
        };
        return checked(index, count, &format!("{BATCH_INDEX}={index} with {from}={count}")).map(Some);
    }
    if count_flag.is_some() {
        return Err(format!("--shard-count needs a shard index: --shard I/N, {K8S_INDEX} or {BATCH_INDEX}"));
    }
    Ok(None)
}

/// The ids of shard `spec` of the fleet: the ids sorted (and without repeats),
/// every `count`-th from position `index`. Deterministic, the same for every run
/// over the same fleet, and balanced: shard sizes differ by at most one account.
pub fn select(ids: &[String], spec: ShardSpec) -> Vec<String> {
    let mut sorted: Vec<&String> = ids.iter().collect();
    sorted.sort();
    sorted.dedup();
    sorted
        .into_iter()
        .enumerate()
        .filter(|(i, _)| (*i as u64) % u64::from(spec.count) == u64::from(spec.index))
        .map(|(_, id)| id.clone())
        .collect()
}

#[cfg(test)]
#[path = "shard_tests.rs"]
mod tests;
