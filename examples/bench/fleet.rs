//! The fleet case (issue 17): K small accounts audited in ONE driftwatch run
//! (`--accounts ID,… --role-name bench-audit`, from the first account's
//! credentials), against the same accounts audited one at a time, the way
//! Prowler's documentation scans several accounts
//! (docs/tutorials/aws/multiaccount.md, "Scanning Multiple Accounts Sequentially"):
//!
//!     for accountId in $ACCOUNTS_LIST; do
//!       prowler aws --role arn:aws:iam::$accountId:role/$ROLE_TO_ASSUME
//!     done
//!
//! driftwatch is looped the same way (`--accounts ID --role-name bench-audit`, one
//! process per account), and Prowler itself on the first `--fleet-prowler` accounts.
//! On LocalStack an account is its 12-digit access key id, and AssumeRole answers
//! with credentials of the role's account; each account gets the role.
//!
//! Then the single runs and the fleet runs are repeated with the proxy answering
//! from its record of the emulator's answers (see proxy.rs), so that the
//! emulator's throughput, a few hundred requests a second on these two cores, is
//! not what the fleet run is measured against.
//!
//! Options: `--fleet K` (accounts; 0 = no fleet case), `--fleet-buckets B`
//! (default 4), `--fleet-prowler P` (default 10), `--account-concurrency C`
//! (repeatable; default: driftwatch's own default, then K).

use super::proxy::{Mode, Proxy};
use super::{driftwatch_with, mib, prowler_with, secs, seed, stats, Args, Duration, Env, Error, Instant, Path, Run};
use futures::stream::{self, StreamExt, TryStreamExt};
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct Options {
    pub accounts: usize,
    pub buckets: usize,
    pub prowler_accounts: usize,
    pub account_concurrency: Vec<u16>,
}

impl Default for Options {
    fn default() -> Self {
        Options { accounts: 0, buckets: 4, prowler_accounts: 10, account_concurrency: vec![] }
    }
}

/// The role every fleet account holds for the auditor (trusted by the first account).
pub const ROLE: &str = "bench-audit";
/// Roles per fleet account besides the audit role (one with AdministratorAccess).
const ROLES: usize = 10;

fn account(a: &Args, i: usize) -> Env {
    Env::new(&a.endpoint, &format!("{:012}", 710_000_000_001u64 + i as u64))
}

/// The audit role, trusted by the caller's account (LocalStack does not enforce
/// the trust policy; AWS would).
async fn audit_role(env: &Env, caller: &str) -> Result<(), Error> {
    let iam = env.iam();
    if iam.get_role().role_name(ROLE).send().await.is_ok() {
        return Ok(());
    }
    let trust = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{caller}:root"}},"Action":"sts:AssumeRole"}}]}}"#
    );
    iam.create_role().role_name(ROLE).assume_role_policy_document(trust).send().await?;
    iam.attach_role_policy().role_name(ROLE).policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess").send().await?;
    Ok(())
}

async fn seed_fleet(envs: &[Env], buckets: usize) -> Result<(), Error> {
    let caller = envs[0].id.as_str();
    stream::iter(envs)
        .map(|env| async move {
            audit_role(env, caller).await?;
            seed::seed_stack(env, buckets, ROLES).await
        })
        .buffer_unordered(8)
        .try_collect::<Vec<()>>()
        .await?;
    Ok(())
}

/// Requests per second the emulator serves for the fleet's per-bucket reads, 96
/// in flight as in the single-account floor: the fleet's requests cannot be
/// served faster than this, whatever the concurrency.
async fn floor_throughput(envs: &[Env], endpoint: &str, buckets: usize) -> Result<f64, Error> {
    let mut clients = BTreeMap::new();
    let mut reads = Vec::new();
    for (k, env) in envs.iter().enumerate() {
        let at = Env::new(endpoint, &env.id);
        for r in seed::REGIONS {
            clients.insert((k, r), at.s3(r));
        }
        for i in 0..buckets {
            reads.push((k, seed::REGIONS[i % seed::REGIONS.len()], seed::bucket_name(env, i)));
        }
    }
    let clients = &clients;
    let start = Instant::now();
    stream::iter(reads.iter())
        .map(|(k, region, name)| async move {
            let s3 = &clients[&(*k, *region)];
            let (a, b, c) = tokio::join!(
                s3.get_bucket_encryption().bucket(name).send(),
                s3.get_bucket_versioning().bucket(name).send(),
                s3.get_public_access_block().bucket(name).send()
            );
            let _ = (a, b, c); // an absent configuration answers with an error; any answer counts
        })
        .buffer_unordered(32)
        .collect::<Vec<_>>()
        .await;
    Ok(3.0 * reads.len() as f64 / start.elapsed().as_secs_f64())
}

/// (account, requirement, resource, status) of every finding of a driftwatch
/// report, sorted; findings without an account belong to `default_account`.
fn findings(report: &Path, default_account: &str) -> Result<Vec<(String, String, String, String)>, Error> {
    let v: Value = serde_json::from_slice(&std::fs::read(report)?)?;
    let text = |f: &Value, k: &str| f[k].as_str().unwrap_or("").to_string();
    let mut out: Vec<_> = v["findings"]
        .as_array()
        .ok_or("no findings in the driftwatch report")?
        .iter()
        .map(|f| {
            let account = f["account"].as_str().unwrap_or(default_account).to_string();
            (account, text(f, "requirement"), text(f, "resource"), text(f, "status"))
        })
        .collect();
    out.sort();
    Ok(out)
}

/// The account Prowler's OCSF findings name (all must name the same one).
fn prowler_account(dir: &Path) -> Result<String, Error> {
    let file = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.to_string_lossy().ends_with(".ocsf.json"))
        .ok_or("Prowler wrote no .ocsf.json")?;
    let v: Value = serde_json::from_slice(&std::fs::read(file)?)?;
    let mut ids: Vec<&str> =
        v.as_array().into_iter().flatten().filter_map(|f| f["cloud"]["account"]["uid"].as_str()).collect();
    ids.sort();
    ids.dedup();
    match ids[..] {
        [one] => Ok(one.to_string()),
        _ => Err(format!("Prowler's findings name the accounts {ids:?}").into()),
    }
}

/// A titled table of runs, then its notes, as printed lines.
fn table(title: String, rows: Vec<String>, notes: Vec<String>) -> Vec<String> {
    let mut out = vec![
        String::new(),
        title,
        String::new(),
        "| run | accounts | wall | CPU (user + system) | max RSS | HTTP requests |".into(),
        "|---|---|---|---|---|---|".into(),
    ];
    out.extend(rows);
    out.push(String::new());
    out.extend(notes.into_iter().map(|n| format!("- {n}")));
    out
}

fn concurrency_label(c: Option<u16>) -> String {
    c.map(|c| format!("--account-concurrency {c}")).unwrap_or_else(|| "default account concurrency".into())
}

/// driftwatch once per account, one after another, as the documented loop does;
/// the runs and their findings put together (sorted).
#[allow(clippy::type_complexity)]
fn one_at_a_time(
    a: &Args,
    proxy: &Proxy,
    profile: &Path,
    envs: &[Env],
) -> Result<(Vec<Run>, Vec<(String, String, String, String)>), Error> {
    let caller = &envs[0];
    let mut singles = Vec::new();
    let mut single_findings = Vec::new();
    for env in envs {
        let out = a.work.join(format!("fleet-single-{}.json", env.id));
        let r = driftwatch_with(a, caller, proxy, profile, &out, &["--accounts", &env.id, "--role-name", ROLE])?;
        if r.code > 1 {
            return Err(
                format!("driftwatch exited {} on account {} (see driftwatch-stderr.log)", r.code, env.id).into()
            );
        }
        single_findings.extend(findings(&out, &env.id)?);
        singles.push(r);
    }
    single_findings.sort();
    Ok((singles, single_findings))
}

/// The whole fleet in one driftwatch run, `a.runs` times; the runs, and whether
/// the last one's findings equal `single_findings`.
fn one_fleet_run(
    a: &Args,
    proxy: &Proxy,
    profile: &Path,
    envs: &[Env],
    c: Option<u16>,
    single_findings: &[(String, String, String, String)],
) -> Result<(Vec<Run>, bool), Error> {
    let caller = &envs[0];
    let joined = envs.iter().map(|e| e.id.as_str()).collect::<Vec<_>>().join(",");
    let mut runs = Vec::new();
    let out = a.work.join("fleet.json");
    let c_text = c.map(|c| c.to_string()).unwrap_or_default();
    for _ in 0..a.runs {
        let mut extra = vec!["--accounts", &joined, "--role-name", ROLE];
        if c.is_some() {
            extra.extend(["--account-concurrency", c_text.as_str()]);
        }
        let r = driftwatch_with(a, caller, proxy, profile, &out, &extra)?;
        if r.code > 1 {
            return Err(format!("driftwatch exited {} on the fleet (see driftwatch-stderr.log)", r.code).into());
        }
        eprintln!(
            "bench: fleet: one run, account concurrency {c:?}: {} ({} requests, CPU {}, {} not in the record {:?})",
            secs(r.wall),
            r.requests,
            secs(r.cpu),
            r.missed,
            r.missed_examples
        );
        runs.push(r);
    }
    let got = findings(&out, &caller.id)?;
    let same = got == single_findings;
    if !same {
        let only_fleet: Vec<_> = got.iter().filter(|f| !single_findings.contains(f)).take(10).collect();
        let only_single: Vec<_> = single_findings.iter().filter(|f| !got.contains(f)).take(10).collect();
        eprintln!("bench: fleet: findings differ: only in the fleet run {only_fleet:?}; only in the single runs {only_single:?}");
        let _ = std::fs::copy(&out, a.work.join(format!("fleet-differs-{}.json", c.unwrap_or(0))));
    }
    Ok((runs, same))
}

/// The median of the runs' CPU times (user plus system).
fn median_cpu(runs: &[Run]) -> Duration {
    let mut cpu: Vec<Duration> = runs.iter().map(|r| r.cpu).collect();
    cpu.sort();
    cpu.get(cpu.len() / 2).copied().unwrap_or_default()
}

fn fleet_row(label: &str, accounts: usize, runs: &[Run]) -> String {
    let (fmin, fmed, frss, freq) = stats(runs);
    format!(
        "| driftwatch, one fleet run ({label}) | {accounts} | {} / {} | {} | {} | {freq} |",
        secs(fmin),
        secs(fmed),
        secs(median_cpu(runs)),
        mib(frss)
    )
}

fn singles_row(accounts: usize, singles: &[Run], suffix: &str) -> String {
    let (sum, median, slowest) = spread(singles);
    let rss = singles.iter().map(|r| r.rss_kib).max().unwrap_or(0);
    let requests: usize = singles.iter().map(|r| r.requests).sum();
    let cpu: Duration = singles.iter().map(|r| r.cpu).sum();
    format!(
        "| driftwatch, one account at a time{suffix} | {accounts} | {} in all (median account {}, slowest {}) | {} in all | {} | {requests} |",
        secs(sum),
        secs(median),
        secs(slowest),
        secs(cpu),
        mib(rss)
    )
}

fn spread(runs: &[Run]) -> (Duration, Duration, Duration) {
    let mut walls: Vec<Duration> = runs.iter().map(|r| r.wall).collect();
    walls.sort();
    (walls.iter().sum(), walls[walls.len() / 2], walls[walls.len() - 1])
}

/// Seeds the fleet, runs the three cases and returns the lines to print (a table
/// and notes).
pub async fn run(a: &Args, proxy: &Proxy, profile: &Path) -> Result<Vec<String>, Error> {
    let o = &a.fleet;
    let envs: Vec<Env> = (0..o.accounts).map(|i| account(a, i)).collect();
    let t = Instant::now();
    seed_fleet(&envs, o.buckets).await?;
    eprintln!("bench: fleet: {} accounts seeded in {:.1} s", envs.len(), t.elapsed().as_secs_f64());
    if a.seed_only {
        return Ok(vec![]);
    }
    let caller = &envs[0];

    // Every answer is recorded while the emulator serves the runs below, so that
    // they can be run again answered from the record (see proxy.rs).
    proxy.set_mode(Mode::Record);
    let (singles, single_findings) = one_at_a_time(a, proxy, profile, &envs)?;
    let (sum, _, slowest) = spread(&singles);
    eprintln!("bench: fleet: one at a time: {} in all, slowest {}", secs(sum), secs(slowest));

    // the whole fleet in one run
    proxy.set_mode(Mode::Pass);
    let throughput = floor_throughput(&envs, &proxy.url, o.buckets).await?;
    proxy.take();
    proxy.set_mode(Mode::Record);
    let concurrencies: Vec<Option<u16>> = if o.account_concurrency.is_empty() {
        vec![None, Some(o.accounts as u16)]
    } else {
        o.account_concurrency.iter().map(|c| Some(*c)).collect()
    };
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    for c in &concurrencies {
        let (runs, same) = one_fleet_run(a, proxy, profile, &envs, *c, &single_findings)?;
        let (_, fmed, _, freq) = stats(&runs);
        let label = concurrency_label(*c);
        rows.push(fleet_row(&label, envs.len(), &runs));
        let floor = freq as f64 / throughput;
        notes.push(format!(
            "fleet run ({label}): median {} = {:.2}× the slowest single account, {:.2}× the emulator's floor for \
             its {freq} requests ({} at {throughput:.0} req/s, the fleet's per-bucket reads through the proxy); \
             its findings {} the {} single runs' ({} findings)",
            secs(fmed),
            fmed.as_secs_f64() / slowest.as_secs_f64(),
            fmed.as_secs_f64() / floor,
            secs(Duration::from_secs_f64(floor)),
            if same { "equal" } else { "DIFFER FROM" },
            envs.len(),
            single_findings.len()
        ));
    }
    rows.push(singles_row(envs.len(), &singles, ""));

    // The same runs answered from the record: the emulator's throughput is no
    // longer the floor, only the added round trip and the tool itself are left.
    proxy.set_mode(Mode::Replay);
    let mut replay_rows = Vec::new();
    let (rsingles, rsingle_findings) = one_at_a_time(a, proxy, profile, &envs)?;
    let (_, _, rslowest) = spread(&rsingles);
    let missed_singles: usize = rsingles.iter().map(|r| r.missed).sum();
    let mut replay_notes = vec![format!(
        "one account at a time, replayed: findings {} those of the emulator's runs; {missed_singles} request(s) not in the record",
        if rsingle_findings == single_findings { "equal" } else { "DIFFER FROM" }
    )];
    for c in &concurrencies {
        let (runs, same) = one_fleet_run(a, proxy, profile, &envs, *c, &single_findings)?;
        let (_, fmed, _, _) = stats(&runs);
        let label = concurrency_label(*c);
        replay_rows.push(fleet_row(&label, envs.len(), &runs));
        let waves = envs.len().div_ceil(usize::from(c.unwrap_or(driftwatch::fleet::DEFAULT_ACCOUNT_CONCURRENCY)));
        replay_notes.push(format!(
            "fleet run ({label}), replayed: median {} = {:.2}× the slowest single account ({}), {:.2}× that account \
             times the {waves} round(s) of accounts the concurrency allows ({}); findings {} the single runs'; \
             {} request(s) not in the record",
            secs(fmed),
            fmed.as_secs_f64() / rslowest.as_secs_f64(),
            secs(rslowest),
            fmed.as_secs_f64() / (rslowest.as_secs_f64() * waves as f64),
            secs(rslowest.mul_f64(waves as f64)),
            if same { "equal" } else { "DIFFER FROM" },
            runs.iter().map(|r| r.missed).sum::<usize>()
        ));
    }
    replay_rows.push(singles_row(envs.len(), &rsingles, ", replayed"));
    proxy.set_mode(Mode::Pass);

    // Prowler, one account at a time, on the first accounts
    if let (Some(bin), true) = (&a.prowler, o.prowler_accounts > 0) {
        let mut runs = Vec::new();
        for env in envs.iter().take(o.prowler_accounts) {
            let dir = a.work.join(format!("fleet-prowler-{}", env.id));
            let role = format!("arn:aws:iam::{}:role/{ROLE}", env.id);
            let r = prowler_with(bin, caller, proxy, &dir, &["--role".to_string(), role])?;
            if r.code != 0 {
                return Err(format!("prowler exited {} (see {})", r.code, dir.join("stderr.log").display()).into());
            }
            let seen = prowler_account(&dir)?;
            if seen != env.id {
                return Err(format!("Prowler, given the role of {}, audited {seen}", env.id).into());
            }
            eprintln!("bench: fleet: prowler on {}: {} ({} requests)", env.id, secs(r.wall), r.requests);
            runs.push(r);
        }
        let (psum, pmed, pslow) = spread(&runs);
        let prss = runs.iter().map(|r| r.rss_kib).max().unwrap_or(0);
        let preq: usize = runs.iter().map(|r| r.requests).sum();
        let pcpu: Duration = runs.iter().map(|r| r.cpu).sum();
        rows.push(format!(
            "| Prowler 5.46.0, one account at a time | {} | {} in all (median account {}, slowest {}) | {} in all | {} | {preq} |",
            runs.len(),
            secs(psum),
            secs(pmed),
            secs(pslow),
            secs(pcpu),
            mib(prss)
        ));
        notes.push(format!(
            "Prowler one account at a time over all {} accounts, from its {} runs: about {} ({} per account)",
            envs.len(),
            runs.len(),
            secs(psum.mul_f64(envs.len() as f64 / runs.len() as f64)),
            secs(psum.div_f64(runs.len() as f64))
        ));
    }
    let mut out = table(
        format!(
            "Fleet: {} accounts, each {} buckets, {} roles and the rest of the stack; {} added per request",
            envs.len(),
            o.buckets,
            ROLES + 1,
            super::millis(a.delay)
        ),
        rows,
        notes,
    );
    out.extend(table(
        format!(
            "The same runs answered from the proxy's record of the emulator's answers, {} added per request \
             (no request reaches the emulator):",
            super::millis(a.delay)
        ),
        replay_rows,
        replay_notes,
    ));
    Ok(out)
}
