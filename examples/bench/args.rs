//! The benchmark's options (see main.rs and fleet.rs for what each one does).

use super::{fleet, Error};
use std::path::PathBuf;
use std::time::Duration;

pub(crate) struct Args {
    pub(crate) endpoint: String,
    pub(crate) both: Vec<usize>,
    pub(crate) solo: Vec<usize>,
    pub(crate) runs: usize,
    pub(crate) prowler_runs: usize,
    /// Added by the proxy to every request of every run, both tools.
    pub(crate) delay: Duration,
    pub(crate) regions: bool,
    pub(crate) seed_only: bool,
    pub(crate) driftwatch: PathBuf,
    pub(crate) driftwatch_args: Vec<String>,
    pub(crate) prowler: Option<PathBuf>,
    pub(crate) work: PathBuf,
    pub(crate) fleet: fleet::Options,
}

pub(crate) fn args() -> Result<Args, Error> {
    let mut a = Args {
        endpoint: "http://127.0.0.1:4566".into(),
        both: vec![],
        solo: vec![],
        runs: 3,
        prowler_runs: 0,
        delay: Duration::ZERO,
        regions: true,
        seed_only: false,
        driftwatch: "target/release/driftwatch".into(),
        driftwatch_args: vec![],
        prowler: None,
        work: std::env::temp_dir().join("driftwatch-bench"),
        fleet: fleet::Options::default(),
    };
    let mut prowler_runs = None;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        // `--flag value` or `--flag=value`
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg, None),
        };
        let mut value = || match &inline {
            Some(v) => Ok(v.clone()),
            None => it.next().ok_or_else(|| format!("{flag} needs a value")),
        };
        match flag.as_str() {
            "--endpoint" => a.endpoint = value()?,
            "--n" => a.both.push(value()?.parse()?),
            "--solo" => a.solo.push(value()?.parse()?),
            "--runs" => a.runs = value()?.parse()?,
            "--prowler-runs" => prowler_runs = Some(value()?.parse::<usize>()?),
            "--delay-ms" => a.delay = Duration::from_millis(value()?.parse()?),
            "--no-regions" => a.regions = false,
            "--seed-only" => a.seed_only = true,
            "--fleet" => a.fleet.accounts = value()?.parse()?,
            "--fleet-buckets" => a.fleet.buckets = value()?.parse()?,
            "--fleet-prowler" => a.fleet.prowler_accounts = value()?.parse()?,
            "--account-concurrency" => a.fleet.account_concurrency.push(value()?.parse()?),
            "--driftwatch" => a.driftwatch = value()?.into(),
            "--driftwatch-arg" => a.driftwatch_args.push(value()?),
            "--prowler" => a.prowler = Some(value()?.into()),
            "--work" => a.work = value()?.into(),
            other => return Err(format!("unknown option {other}").into()),
        }
    }
    if a.both.is_empty() && a.solo.is_empty() && a.fleet.accounts == 0 {
        a.both = vec![200, 1000];
        a.solo = vec![5000];
    }
    a.runs = a.runs.max(1);
    a.prowler_runs = prowler_runs.unwrap_or(a.runs).max(1);
    Ok(a)
}
