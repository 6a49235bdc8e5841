//! The side-by-side benchmark (issue 7): seeds a LocalStack account at scale, then
//! audits it with driftwatch and with Prowler through a counting proxy, and prints
//! one table (wall time, max RSS, HTTP requests, findings per area, ratios) and
//! where the two tools disagree. Run it through `bench/run`, which builds, installs
//! and starts what it needs:
//!
//!     bench/run                 # N = 200 and 1000 for both tools, 5000 for driftwatch
//!     bench/run --n 200 --solo 5000 --runs 5
//!
//! Options (all optional): `--endpoint URL` (default http://127.0.0.1:4566),
//! `--n N` (both tools; repeatable), `--solo N` (driftwatch alone; repeatable),
//! `--runs K` (default 3), `--prowler-runs K` (default: `--runs`),
//! `--delay-ms MS` (added by the proxy to every request of every run, both tools;
//! default 0), `--no-regions` (skip the regions comparison), `--seed-only`,
//! `--driftwatch PATH`, `--driftwatch-arg ARG` (added to every driftwatch run;
//! repeatable), `--prowler PATH` (no Prowler runs without it),
//! `--work DIR` (profiles and tool outputs), and the fleet case (see `fleet.rs`):
//! `--fleet K`, `--fleet-buckets B`, `--fleet-prowler P`, `--account-concurrency C`.

#[path = "../../localstack/samples/mod.rs"]
mod samples;

mod agreement;
mod args;
mod fleet;
mod proxy;
mod seed;

use agreement::*;
use args::{args, Args};

use samples::Env;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

type Error = Box<dyn std::error::Error + Send + Sync>;

/// The driftwatch profile equivalent to the Prowler checks below.
fn profile() -> String {
    let regions = seed::REGIONS.map(|r| format!("\"{r}\"")).join(", ");
    let mesh = seed::REGIONS
        .map(|r| format!("  {{ region = \"{r}\", vpc = {{ name = \"{}\" }} }},", seed::vpc_name(r)))
        .join("\n");
    format!(
        r#"[profile]
name = "bench"
description = "The benchmark's equivalent of Prowler's S3, IAM, CloudTrail, ACM, VPC peering and CloudWatch alarm checks"
regions = [{regions}]

[[requirement]]
id = "s3"
kind = "s3.bucket"
severity = "high"
select = {{ name_prefix = "bench-b-" }}
[requirement.expect]
encryption = "kms"
versioning = true
public_access_block = true

[[requirement]]
id = "iam"
kind = "iam.role"
severity = "critical"
[requirement.expect]
forbid_policies = ["arn:aws:iam::aws:policy/AdministratorAccess"]

[[requirement]]
id = "cloudtrail-multi-region"
kind = "cloudtrail.trail"
severity = "high"
match = "any"
min_count = 1
[requirement.expect]
multi_region = true
logging = true

[[requirement]]
id = "cloudtrail-logging"
kind = "cloudtrail.trail"
severity = "medium"
[requirement.expect]
logging = true
log_file_validation = true

[[requirement]]
id = "acm"
kind = "acm.certificate"
severity = "medium"
[requirement.expect]
days_to_expiry = {{ at_least = 7 }}

[[requirement]]
id = "vpc-peering"
kind = "ec2.vpc_peering"
severity = "high"
[requirement.expect]
routes = true
mesh = [
{mesh}
]

[[requirement]]
id = "cloudwatch"
kind = "cloudwatch.alarm"
severity = "medium"
select = {{ name_prefix = "bench-cpu-" }}
[requirement.expect]
actions_enabled = true
alarm_actions = true
"#
    )
}

/// The regional part of the profile (ACM, CloudWatch, CloudTrail status): audited
/// over one region and over all four, to show what regions add to the wall time.
fn regional_profile() -> String {
    let full = profile();
    let keep = ["cloudtrail-logging", "acm", "cloudwatch"];
    let mut parts = full.split("\n[[requirement]]\n");
    let mut out = parts.next().unwrap_or_default().to_string();
    for part in parts {
        if keep.iter().any(|id| part.starts_with(&format!("id = \"{id}\"\n"))) {
            out.push_str("\n[[requirement]]\n");
            out.push_str(part);
        }
    }
    out
}

/// Median wall time of `runs` audits of the regional profile over `regions`.
fn regional_wall(a: &Args, env: &Env, proxy: &proxy::Proxy, regions: &[&str]) -> Result<(Duration, usize), Error> {
    let profile = a.work.join("regional.toml");
    std::fs::write(&profile, regional_profile())?;
    let out = a.work.join("regional.json");
    let extra: Vec<&str> = regions.iter().flat_map(|r| ["--region", *r]).collect();
    let mut walls = Vec::new();
    let mut requests = 0;
    for _ in 0..a.runs.max(5) {
        let r = driftwatch_with(a, env, proxy, &profile, &out, &extra)?;
        if r.code > 1 {
            return Err(format!("driftwatch exited {} on the regional profile", r.code).into());
        }
        walls.push(r.wall);
        requests = r.requests;
    }
    walls.sort();
    Ok((walls[walls.len() / 2], requests))
}

/// One run of a tool.
struct Run {
    wall: Duration,
    rss_kib: i64,
    requests: usize,
    by_service: BTreeMap<String, usize>,
    /// Requests the proxy's record could not answer (replay mode only).
    missed: usize,
    /// User plus system CPU time.
    cpu: Duration,
    /// A few of the requests the record could not answer.
    missed_examples: Vec<String>,
    code: i32,
}

/// Runs `cmd` and waits for it: its exit status and `rusage`. Only for a process
/// that stays small (the helper below): a child's `ru_maxrss` starts at the peak
/// RSS of the process that spawned it, because Linux carries the parent's
/// high-water mark through fork/vfork and exec.
fn wait_measured(cmd: &mut std::process::Command) -> Result<(Duration, i64, i32, Duration), Error> {
    let start = Instant::now();
    let child = cmd.spawn()?;
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value, and wait4 writes into the
    // locals it is given for the child this process just spawned.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    if waited != pid {
        return Err(std::io::Error::last_os_error().into());
    }
    let code = if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { -1 };
    let time = |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    // ru_maxrss is in KiB on Linux
    Ok((wall, usage.ru_maxrss, code, time(usage.ru_utime) + time(usage.ru_stime)))
}

/// `bench --measure-child FILE -- PROGRAM ARGS...`: runs PROGRAM from this small,
/// freshly started process and writes "wall_ns max_rss_kib exit_code cpu_ns" to FILE
/// (cpu: user plus system time).
/// The driver itself grows to hundreds of MiB (Prowler's output, the floor loops);
/// measured from the driver directly, a 30 MiB driftwatch read as 230 MiB.
fn measure_child(args: &[String]) -> Result<(), Error> {
    let (file, rest) = match args {
        [file, dash, rest @ ..] if dash == "--" && !rest.is_empty() => (file, rest),
        _ => return Err("usage: --measure-child FILE -- PROGRAM ARGS...".into()),
    };
    let (wall, rss, code, cpu) = wait_measured(std::process::Command::new(&rest[0]).args(&rest[1..]))?;
    std::fs::write(file, format!("{} {rss} {code} {}", wall.as_nanos(), cpu.as_nanos()))?;
    Ok(())
}

/// A command that runs `program` through `--measure-child` (see there).
fn measured(program: &Path, file: &Path) -> Result<std::process::Command, Error> {
    let mut cmd = std::process::Command::new(std::env::current_exe()?);
    cmd.arg("--measure-child").arg(file).arg("--").arg(program);
    Ok(cmd)
}

/// Runs a command built by `measured` and reads what the helper wrote.
fn measure(cmd: &mut std::process::Command, file: &Path) -> Result<(Duration, i64, i32, Duration), Error> {
    let _ = std::fs::remove_file(file);
    let status = cmd.status()?;
    let text =
        std::fs::read_to_string(file).map_err(|e| format!("the measuring helper wrote nothing ({status}): {e}"))?;
    let parts: Vec<i64> = text.split_whitespace().filter_map(|p| p.parse().ok()).collect();
    match parts[..] {
        [wall, rss, code, cpu] => {
            Ok((Duration::from_nanos(wall as u64), rss, code as i32, Duration::from_nanos(cpu as u64)))
        }
        _ => Err(format!("the measuring helper wrote {text:?}").into()),
    }
}

/// The account seeded for size `n`: one per size, so every size seeds (and re-runs)
/// independently.
fn bench_account(a: &Args, n: usize) -> Env {
    Env::new(&a.endpoint, &format!("{:012}", 700_000_000_000u64 + n as u64))
}

fn tool_env(cmd: &mut std::process::Command, env: &Env, proxy: &str) {
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", std::env::var("HOME").unwrap_or_default())
        .env("AWS_ACCESS_KEY_ID", &env.id)
        .env("AWS_SECRET_ACCESS_KEY", "bench")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL", proxy)
        .env("NO_COLOR", "1");
}

fn driftwatch(a: &Args, env: &Env, proxy: &proxy::Proxy, profile: &Path, out: &Path) -> Result<Run, Error> {
    driftwatch_with(a, env, proxy, profile, out, &[])
}

fn driftwatch_with(
    a: &Args,
    env: &Env,
    proxy: &proxy::Proxy,
    profile: &Path,
    out: &Path,
    extra: &[&str],
) -> Result<Run, Error> {
    let measured_in = a.work.join("measured-driftwatch");
    let mut cmd = measured(&a.driftwatch, &measured_in)?;
    tool_env(&mut cmd, env, &proxy.url);
    cmd.args(["audit", "--format", "json", "--output"])
        .arg(out)
        .arg("--profile")
        .arg(profile)
        .args(extra)
        .args(&a.driftwatch_args)
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(a.work.join("driftwatch-stderr.log"))?);
    run_counted(&mut cmd, &measured_in, proxy)
}

/// Runs a command built by `measured` with the proxy's counts taken around it.
fn run_counted(cmd: &mut std::process::Command, measured_in: &Path, proxy: &proxy::Proxy) -> Result<Run, Error> {
    proxy.take();
    let (wall, rss_kib, code, cpu) = measure(cmd, measured_in)?;
    let counts = proxy.take();
    Ok(Run {
        wall,
        rss_kib,
        requests: counts.total,
        by_service: counts.by_service,
        missed: counts.missed,
        missed_examples: counts.missed_examples,
        cpu,
        code,
    })
}

fn prowler(bin: &Path, env: &Env, proxy: &proxy::Proxy, dir: &Path) -> Result<Run, Error> {
    prowler_with(bin, env, proxy, dir, &[])
}

fn prowler_with(bin: &Path, env: &Env, proxy: &proxy::Proxy, dir: &Path, extra: &[String]) -> Result<Run, Error> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir)?;
    let measured_in = dir.with_extension("measured");
    let mut cmd = measured(bin, &measured_in)?;
    tool_env(&mut cmd, env, &proxy.url);
    cmd.args(["aws", "--no-banner", "--ignore-exit-code-3", "--output-formats", "json-ocsf", "--output-filename"])
        .arg("prowler")
        .arg("--output-directory")
        .arg(dir)
        .arg("--checks")
        .args(PROWLER_CHECKS)
        .arg("--region")
        .args(seed::REGIONS)
        .args(extra)
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(dir.join("stderr.log"))?);
    run_counted(&mut cmd, &measured_in, proxy)
}

/// The requests a perfect collector needs for the profile on the seeded account.
fn minimum_requests(n: usize, buckets_in_account: usize) -> usize {
    let regions = seed::REGIONS.len();
    let list_pages = buckets_in_account.div_ceil(1000).max(1);
    let s3 = list_pages + 3 * n;
    let iam = 1; // GetAccountAuthorizationDetails: 100 roles fit one page
    let cloudtrail = regions + 2; // DescribeTrails per region, GetTrailStatus per trail
    let acm = regions + regions; // ListCertificates per region, DescribeCertificate per certificate
    let ec2 = 3 * regions; // VPCs, peering connections, route tables
    let cloudwatch = regions; // DescribeAlarms per region (20 alarms fit one page)
    let sts = 1;
    s3 + iam + cloudtrail + acm + ec2 + cloudwatch + sts
}

/// Requests per second the emulator serves for the profile's bulk (ListBuckets, then
/// three reads per bucket, 32 buckets at a time: up to 96 requests in flight, more
/// than driftwatch's default bound of 64) at `endpoint`: a plain concurrent loop with
/// nothing else to do, the best any auditor can reach there.
async fn floor_throughput(env: &Env, endpoint: &str, n: usize) -> Result<f64, Error> {
    use futures::stream::{self, StreamExt};
    let at = Env::new(endpoint, &env.id);
    let names: Vec<(String, &str)> =
        (0..n).map(|i| (seed::bucket_name(env, i), seed::REGIONS[i % seed::REGIONS.len()])).collect();
    let clients: BTreeMap<&str, aws_sdk_s3::Client> = seed::REGIONS.iter().map(|r| (*r, at.s3(r))).collect();
    let start = Instant::now();
    let mut requests = 3 * n;
    let mut pages = at.s3("us-east-1").list_buckets().max_buckets(1000).into_paginator().send();
    while let Some(p) = pages.next().await {
        p?;
        requests += 1;
    }
    let clients = &clients;
    stream::iter(names.iter())
        .map(|(name, region)| async move {
            let s3 = &clients[region];
            let (a, b, c) = tokio::join!(
                s3.get_bucket_encryption().bucket(name).send(),
                s3.get_bucket_versioning().bucket(name).send(),
                s3.get_public_access_block().bucket(name).send()
            );
            // absent configurations answer with an error; any answer counts
            let _ = (a, b, c);
        })
        .buffer_unordered(32)
        .collect::<Vec<_>>()
        .await;
    Ok(requests as f64 / start.elapsed().as_secs_f64())
}

fn stats(runs: &[Run]) -> (Duration, Duration, i64, usize) {
    let mut walls: Vec<Duration> = runs.iter().map(|r| r.wall).collect();
    walls.sort();
    let rss = runs.iter().map(|r| r.rss_kib).max().unwrap_or(0);
    let requests = runs.last().map(|r| r.requests).unwrap_or(0);
    (walls[0], walls[walls.len() / 2], rss, requests)
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn millis(d: Duration) -> String {
    format!("{} ms", d.as_millis())
}

fn mib(kib: i64) -> String {
    format!("{:.0} MiB", kib as f64 / 1024.0)
}

fn main() -> std::process::ExitCode {
    let argv: Vec<String> = std::env::args().collect();
    if argv.get(1).map(String::as_str) == Some("--measure-child") {
        // before any runtime or allocation of note: this process must stay small
        return match measure_child(&argv[2..]) {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("bench --measure-child: {e}");
                std::process::ExitCode::FAILURE
            }
        };
    }
    driver()
}

#[tokio::main]
async fn driver() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench: {}", samples::error_chain(e.as_ref()));
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Error> {
    let a = args()?;
    std::fs::create_dir_all(&a.work)?;
    let profile_path = a.work.join("bench.toml");
    std::fs::write(&profile_path, profile())?;
    let upstream = a.endpoint.trim_start_matches("http://").trim_end_matches('/').to_string();
    let proxy = proxy::Proxy::start(&upstream).await?;
    proxy.set_delay(a.delay);
    let mut rows: Vec<String> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut ratios: Vec<String> = Vec::new();
    let sizes: Vec<(usize, bool)> =
        a.both.iter().map(|n| (*n, a.prowler.is_some())).chain(a.solo.iter().map(|n| (*n, false))).collect();
    for (n, with_prowler) in sizes {
        let env = bench_account(&a, n);
        let t = Instant::now();
        seed::seed(&env, n).await?;
        eprintln!("bench: N={n}: account {} seeded in {:.1} s", env.id, t.elapsed().as_secs_f64());
        if a.seed_only {
            continue;
        }
        let buckets_in_account = n + 3; // plus two trail buckets and the marker
        let minimum = minimum_requests(n, buckets_in_account);
        // The emulator's throughput drifts during a run (it slows as it serves
        // more), so each driftwatch run is compared with a floor measured through
        // the proxy just before it; the direct figure shows what the proxy costs.
        let direct = floor_throughput(&env, &a.endpoint, n).await?;
        let mut dw_runs = Vec::new();
        let mut floors = Vec::new();
        let report = a.work.join(format!("driftwatch-{n}.json"));
        for _ in 0..a.runs {
            let throughput = floor_throughput(&env, &proxy.url, n).await?;
            proxy.take();
            let floor = Duration::from_secs_f64(minimum as f64 / throughput);
            let r = driftwatch(&a, &env, &proxy, &profile_path, &report)?;
            if r.code > 1 {
                return Err(format!("driftwatch exited {} at N={n} (report: {})", r.code, report.display()).into());
            }
            eprintln!(
                "bench: N={n}: floor {} ({throughput:.0} req/s through the proxy), driftwatch {} ({:.2}×), max RSS {}",
                secs(floor),
                secs(r.wall),
                r.wall.as_secs_f64() / floor.as_secs_f64(),
                mib(r.rss_kib)
            );
            floors.push((floor, throughput, r.wall.as_secs_f64() / floor.as_secs_f64()));
            dw_runs.push(r);
        }
        floors.sort_by(|x, y| x.2.total_cmp(&y.2));
        let (floor, throughput, ratio) = floors[floors.len() / 2];
        let dw_items = driftwatch_items(&report)?;
        let (dmin, dmed, drss, dreq) = stats(&dw_runs);
        eprintln!("bench: N={n}: driftwatch requests by service {:?}", dw_runs[0].by_service);
        rows.push(format!(
            "| driftwatch | {n} | {} / {} | {} | {dreq} ({:.2}× the minimum {minimum}) | {} |",
            secs(dmin),
            secs(dmed),
            mib(drss),
            dreq as f64 / minimum as f64,
            findings_cell(&dw_items)
        ));
        notes.push(format!(
            "N={n}: driftwatch {ratio:.2}× the emulator floor (median over runs, each against the floor measured just \
             before it; the median run's floor {}: {minimum} requests at {throughput:.0} req/s through the proxy; \
             {direct:.0} req/s direct)",
            secs(floor)
        ));
        if !with_prowler {
            continue;
        }
        let bin = a.prowler.as_ref().ok_or("no --prowler")?;
        let dir = a.work.join(format!("prowler-{n}"));
        let mut pr_runs = Vec::new();
        for _ in 0..a.prowler_runs {
            let r = prowler(bin, &env, &proxy, &dir)?;
            if r.code != 0 {
                return Err(
                    format!("prowler exited {} at N={n} (see {})", r.code, dir.join("stderr.log").display()).into()
                );
            }
            eprintln!("bench: N={n}: prowler {} ({} requests), max RSS {}", secs(r.wall), r.requests, mib(r.rss_kib));
            pr_runs.push(r);
        }
        eprintln!("bench: N={n}: prowler requests by service {:?}", pr_runs[0].by_service);
        let pr_items = prowler_items(&dir)?;
        let (pmin, pmed, prss, preq) = stats(&pr_runs);
        rows.push(format!(
            "| Prowler 5.46.0 | {n} | {} / {} | {} | {preq} | {} |",
            secs(pmin),
            secs(pmed),
            mib(prss),
            findings_cell(&pr_items)
        ));
        ratios.push(format!(
            "| {n} | {:.1}× faster (median) | {:.1}× less | {:.1}× fewer |",
            pmed.as_secs_f64() / dmed.as_secs_f64(),
            prss as f64 / drss.max(1) as f64,
            preq as f64 / dreq.max(1) as f64
        ));
        notes.extend(compare(n, &dw_items, &pr_items, &peering_pairs(&env).await?));
    }
    // Regions: the regional requirements over one region, then over all four, on
    // the smallest account. On the emulator every request costs the same single
    // Python process, so more regions cost more requests' worth of its time; with a
    // round trip like a real endpoint's added by the proxy, the regions' requests
    // overlap (read one after another, four regions would take about four times one).
    let smallest = a.both.iter().chain(a.solo.iter()).min().filter(|_| a.regions && !a.seed_only);
    if let Some(n) = smallest {
        let env = bench_account(&a, *n);
        for delay in [Duration::ZERO, Duration::from_millis(50)] {
            proxy.set_delay(delay);
            let (one, one_req) = regional_wall(&a, &env, &proxy, &seed::REGIONS[..1])?;
            let (all, all_req) = regional_wall(&a, &env, &proxy, &seed::REGIONS)?;
            notes.push(format!(
                "regions (ACM, CloudWatch, CloudTrail status; {} added per request; median of {} runs): \
                 1 region {} ({one_req} requests), {} regions {} ({all_req} requests), {:.2}×",
                millis(delay),
                a.runs.max(5),
                millis(one),
                seed::REGIONS.len(),
                millis(all),
                all.as_secs_f64() / one.as_secs_f64()
            ));
        }
        proxy.set_delay(a.delay);
    }
    let fleet_lines = if a.fleet.accounts > 0 { fleet::run(&a, &proxy, &profile_path).await? } else { vec![] };
    if a.seed_only {
        return Ok(());
    }
    if !a.delay.is_zero() && !rows.is_empty() {
        notes.insert(0, format!("every request of the runs above had {} added by the proxy", millis(a.delay)));
    }
    if !rows.is_empty() {
        println!(
            "| tool | N | wall min / median | max RSS | HTTP requests | findings (drift or fail / total) by area |"
        );
        println!("|---|---|---|---|---|---|");
    }
    for r in &rows {
        println!("{r}");
    }
    if !ratios.is_empty() {
        println!();
        println!("| N | driftwatch vs Prowler: wall | max RSS | requests |");
        println!("|---|---|---|---|");
        for r in &ratios {
            println!("{r}");
        }
    }
    println!();
    for n in &notes {
        println!("- {n}");
    }
    for line in &fleet_lines {
        println!("{line}");
    }
    Ok(())
}
