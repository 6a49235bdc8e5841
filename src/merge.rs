//! `driftwatch merge INPUT...`: the JSON reports of the shards of one fleet run
//! (`audit --shard I/N --format json`), from files or `s3://bucket/prefix/`, made
//! into the one report the unsharded run would have given, in any format and with
//! the same exit codes as `audit`.
//!
//! A shard whose report is missing is never skipped quietly: every fleet account
//! no shard report covers gets one `unknown` finding per requirement the other
//! shards evaluated, an error entry in its account result and one in the report's
//! errors, so the run cannot pass for a complete one.

use crate::cli::{Exit, FailOn};
use crate::compare::{Finding, Status, Summary};
use crate::report::{self, AccountResult, ErrorEntry, Fleet, Format, Report, Style};
use crate::waivers::Waiver;
use serde::{Deserialize, Deserializer};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Shard reports (`audit --shard I/N --format json`): files, or `s3://bucket/prefix/`
    /// for every `.json` object under the prefix.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Output format of the merged report.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the merged report to FILE, or to the S3 object s3://bucket/prefix/key,
    /// instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE", value_parser = crate::output::report_destination)]
    pub output: Option<std::path::PathBuf>,
    /// Which findings make the exit code non-zero (as for `audit`).
    #[arg(long, value_enum, default_value_t = FailOn::Unknown)]
    pub fail_on: FailOn,
    /// Endpoint for S3, e.g. http://127.0.0.1:4566 (wins over AWS_ENDPOINT_URL).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Named profile from ~/.aws/config and ~/.aws/credentials (for s3:// inputs and output).
    #[arg(long, value_name = "NAME")]
    pub aws_profile: Option<String>,
}

/// The parts of a shard's `driftwatch.report/v1` document the merge reads.
#[derive(Debug, Deserialize)]
pub struct ShardReport {
    #[serde(deserialize_with = "report_schema")]
    #[allow(dead_code)]
    schema: String,
    #[serde(default)]
    pub account: Option<String>,
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default)]
    pub profiles: Vec<String>,
    pub started_at: String,
    #[serde(default)]
    pub duration_ms: u64,
    pub findings: Vec<Finding>,
    #[serde(default)]
    pub errors: Vec<ErrorEntry>,
    #[serde(default)]
    pub stale_waivers: Option<Vec<Waiver>>,
    #[serde(default)]
    pub fleet: Option<Fleet>,
}

fn report_schema<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    if s == report::SCHEMA {
        Ok(s)
    } else {
        Err(serde::de::Error::custom(format!("schema is {s:?}, expected {:?}", report::SCHEMA)))
    }
}

/// Reads one report; JSON errors as `FILE:LINE:COL: message`.
pub fn parse(name: &str, text: &str) -> Result<ShardReport, String> {
    crate::json_input::parse_object(name, text)
}

/// Combines the shards (each named by where it was read from) into one report.
/// Errors: a report that is no shard, shards of different fleets, two reports of
/// one shard, or one account in two shards.
pub fn merge(shards: Vec<(String, ShardReport)>) -> Result<Report, String> {
    let mut first: Option<(String, u32, Vec<String>)> = None;
    let mut by_index: BTreeMap<u32, String> = BTreeMap::new();
    for (name, r) in &shards {
        let Some(shard) = r.fleet.as_ref().and_then(|f| f.shard.as_ref()) else {
            return Err(format!(
                "{name}: not a shard's report (no fleet.shard): merge combines the reports of `audit --shard`"
            ));
        };
        let mut fleet_accounts = shard.fleet_accounts.clone();
        fleet_accounts.sort();
        match &first {
            None => first = Some((name.clone(), shard.count, fleet_accounts)),
            Some((other, count, accounts)) => {
                if *count != shard.count {
                    return Err(format!(
                        "{name} is shard {}/{} but {other} is one of {count} shards: not the same run",
                        shard.index, shard.count
                    ));
                }
                if *accounts != fleet_accounts {
                    return Err(format!(
                        "{name} and {other} were shards of different fleets (their fleet accounts differ)"
                    ));
                }
            }
        }
        if shard.index >= shard.count {
            return Err(format!("{name}: shard index {} is out of range for {} shards", shard.index, shard.count));
        }
        if let Some(other) = by_index.insert(shard.index, name.clone()) {
            return Err(format!("{other} and {name} are both shard {}/{}", shard.index, shard.count));
        }
    }
    let Some((_, count, fleet_accounts)) = first else {
        return Err("no shard reports to merge".into());
    };

    let mut accounts: BTreeMap<String, AccountResult> = BTreeMap::new();
    let mut seen_in: BTreeMap<String, String> = BTreeMap::new();
    let mut findings = Vec::new();
    let mut errors = BTreeSet::new();
    let mut regions = BTreeSet::new();
    let mut profiles: Vec<String> = Vec::new();
    let mut stale: Option<Vec<Waiver>> = None;
    let mut callers = BTreeSet::new();
    let mut started_at: Option<String> = None;
    let mut duration_ms = 0;
    for (name, r) in shards {
        for a in r.fleet.map(|f| f.accounts).unwrap_or_default() {
            if let Some(other) = seen_in.insert(a.id.clone(), name.clone()) {
                return Err(format!("account {} is in both {other} and {name}", a.id));
            }
            accounts.insert(a.id.clone(), a);
        }
        findings.extend(r.findings);
        errors.extend(r.errors);
        regions.extend(r.regions);
        for p in r.profiles {
            if !profiles.contains(&p) {
                profiles.push(p);
            }
        }
        // a waiver is stale for the fleet only when no shard used it
        if let Some(s) = r.stale_waivers {
            stale = Some(match stale {
                None => s,
                Some(kept) => kept.into_iter().filter(|w| s.iter().any(|x| x.source == w.source)).collect(),
            });
        }
        callers.insert(r.account);
        if started_at.as_ref().is_none_or(|s| r.started_at < *s) {
            started_at = Some(r.started_at);
        }
        duration_ms = duration_ms.max(r.duration_ms);
    }

    // what no shard covered: its accounts are unknown for every requirement seen
    let missing: Vec<u32> = (0..count).filter(|i| !by_index.contains_key(i)).collect();
    let uncovered: Vec<&String> = fleet_accounts.iter().filter(|a| !accounts.contains_key(*a)).collect();
    if !missing.is_empty() || !uncovered.is_empty() {
        let why = match missing.as_slice() {
            [] => "no shard report covers this account".to_string(),
            // shards are named as `--shard I/N` names them (from 0)
            [one] => format!("the report of shard {one}/{count} is missing"),
            many => format!(
                "the reports of shards {} of {count} are missing",
                many.iter().map(|i| format!("{i}/{count}")).collect::<Vec<_>>().join(", ")
            ),
        };
        let mut requirements: BTreeMap<(String, String), &Finding> = BTreeMap::new();
        for f in &findings {
            requirements.entry((f.profile.clone(), f.requirement.clone())).or_insert(f);
        }
        let mut unknown = Vec::new();
        for id in &uncovered {
            let mine: Vec<Finding> = requirements
                .values()
                .map(|f| Finding {
                    account: Some((*id).clone()),
                    profile: f.profile.clone(),
                    requirement: f.requirement.clone(),
                    kind: f.kind,
                    severity: f.severity,
                    status: Status::Unknown,
                    resource: None,
                    region: None,
                    checks: Vec::new(),
                    message: format!("not audited: {why}"),
                    waiver: None,
                })
                .collect();
            accounts.insert(
                (*id).clone(),
                AccountResult {
                    id: (*id).clone(),
                    name: None,
                    summary: Summary::of(&mine),
                    error: Some(format!("not audited: {why}")),
                },
            );
            unknown.extend(mine);
        }
        findings.extend(unknown);
        errors.insert(ErrorEntry {
            account: None,
            service: "driftwatch".into(),
            region: "-".into(),
            operation: "merge".into(),
            resource: None,
            code: if missing.is_empty() { "AccountsNotCovered".into() } else { "MissingShard".into() },
            message: {
                let ids = uncovered.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
                if missing.is_empty() {
                    format!("no shard report covers {} fleet account(s): {ids}", uncovered.len())
                } else {
                    format!("{why}; {} fleet account(s) not audited: {ids}", uncovered.len())
                }
            },
        });
    }

    findings.sort_by(|a, b| {
        (&a.profile, &a.requirement, &a.account, &a.region, &a.resource, a.status).cmp(&(
            &b.profile,
            &b.requirement,
            &b.account,
            &b.region,
            &b.resource,
            b.status,
        ))
    });
    let account = match callers.len() {
        1 => callers.into_iter().next().flatten(),
        _ => None,
    };
    Ok(Report {
        account,
        regions: regions.into_iter().collect(),
        profiles,
        started_at: started_at.unwrap_or_default(),
        duration_ms,
        errors: errors.into_iter().collect(),
        stale_waivers: stale,
        fleet: Some(Fleet { accounts: accounts.into_values().collect(), shard: None }),
        ..Report::of(findings)
    })
}

/// Reads every input: a file, or every `.json` object under an `s3://` prefix.
async fn read_inputs(inputs: &[String], sdk: &aws_config::SdkConfig) -> Result<Vec<(String, ShardReport)>, String> {
    let mut out = Vec::new();
    for input in inputs {
        match crate::output::parse_s3(input) {
            Some(url) => {
                let url = url?;
                let (keys, region) = crate::output::list_json(sdk, &url).await?;
                if keys.is_empty() {
                    return Err(format!("{input}: no .json object under this prefix"));
                }
                for key in keys {
                    let object = crate::output::S3Url { bucket: url.bucket.clone(), key };
                    let bytes = crate::output::get(sdk, &object, region.as_deref()).await?;
                    let name = object.to_string();
                    let text = String::from_utf8(bytes).map_err(|_| format!("{name}: not UTF-8 text"))?;
                    out.push((name.clone(), parse(&name, &text)?));
                }
            }
            None => {
                let text = crate::compressed::read_text(std::path::Path::new(input), "the report")?;
                out.push((input.clone(), parse(input, &text)?));
            }
        }
    }
    Ok(out)
}

pub fn run(args: &MergeArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> Exit {
    let needs_aws = args.inputs.iter().any(|i| i.starts_with("s3://"))
        || args.output.as_ref().and_then(|p| p.to_str()).is_some_and(|p| p.starts_with("s3://"));
    let settings = crate::aws::Settings {
        endpoint_url: args.endpoint_url.clone(),
        aws_profile: args.aws_profile.clone(),
        ..Default::default()
    };
    let merged = crate::output::block_on(async {
        let sdk = if needs_aws { Some(crate::aws::load(&settings).await) } else { None };
        let empty = aws_config::SdkConfig::builder().build();
        let shards = read_inputs(&args.inputs, sdk.as_ref().unwrap_or(&empty)).await?;
        merge(shards).map(|r| (r, sdk))
    });
    let (report, sdk) = match merged {
        Ok(x) => x,
        Err(e) => {
            let _ = writeln!(stderr, "driftwatch: merge: {e}");
            return Exit::Invalid;
        }
    };
    if let Err(e) =
        crate::finish::write(&report, args.format, args.output.as_deref(), &Style::plain(), stdout, sdk.as_ref())
    {
        let _ = writeln!(stderr, "driftwatch: {e}");
        return Exit::Invalid;
    }
    crate::audit::exit_code(&report.summary, args.fail_on)
}

#[cfg(test)]
#[path = "merge_tests.rs"]
mod tests;
