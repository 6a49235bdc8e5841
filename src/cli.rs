//! Command-line flags (clap derive) and the entry point that turns a run into an
//! exit code. Commands write to injected writers so tests can run them in-process.

use crate::report::Format;
use clap::{Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit codes (SPEC §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Every requirement passed or was not applicable.
    Clean = 0,
    /// At least one requirement drifted.
    Drift = 1,
    /// Invalid input, no credentials, endpoint unreachable before any check.
    Invalid = 2,
    /// No drift, but something could not be evaluated.
    Unknown = 3,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Exit 1 on drift, 3 on unknown (default).
    Unknown,
    /// Exit 1 on drift; unknown findings are reported but exit 0.
    Drift,
    /// Exit 0 whenever the audit completed.
    Never,
}

#[derive(Debug, Parser)]
#[command(
    name = "driftwatch",
    version,
    about = "Audit a deployed AWS account against declared requirements and report drift",
    long_about = "driftwatch reads a deployed AWS account (or a LocalStack emulator) concurrently \
across services and regions, compares what it observes with the requirements declared in \
TOML profiles, and reports every drift with expected and observed values. Whatever could not \
be observed is reported as `unknown`, never as a pass.\n\nExit codes: 0 clean, 1 drift (new drift only with --baseline), \
2 invalid input or unreachable endpoint, 3 no drift but something unknown.",
    after_help = "Credentials and region come from the standard AWS chain (environment, \
~/.aws config and credentials, SSO, web identity, container and instance metadata). \
AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> are honoured; --endpoint-url wins.\n\
NO_COLOR disables colour in the table; COLUMNS sets its width (default: the terminal's, \
unbounded when stdout is not a terminal). RUST_LOG sets the log levels on stderr (see -v)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit the account against one or more profiles.
    Audit(AuditArgs),
    /// Evaluate profiles against an inventory saved by `audit --save-inventory`, with no AWS call.
    ///
    /// The report is the one the audit would have given for these profiles when the
    /// inventory was collected: the account and the collection errors come from the
    /// file, and requirements without regions use the audit's default region. A requirement needing data the audit did not collect (another kind, region
    /// or per-resource read) is `unknown`: "not in the saved inventory", never `pass`.
    Evaluate(EvaluateArgs),
    /// Validate profiles without calling AWS.
    CheckProfile {
        /// Profile files to validate.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Print the minimal read-only IAM policy an audit of these profiles needs, or
    /// with --check ask IAM whether the caller is allowed every action in it.
    Permissions(crate::preflight::PermissionsArgs),
    /// List requirement kinds, or show one kind's fields.
    Kinds {
        /// A kind name, e.g. s3.bucket.
        kind: Option<String>,
    },
    /// Compare two JSON reports: new drift, resolved drift, drift whose observed
    /// values changed, newly unknown, no longer unknown.
    #[command(long_about = "Compare two JSON reports (`audit --format json`) of the same account(s). Findings \
are matched by account, profile, requirement and resource (by region for a finding without a resource). \
Lists new drift (drift now, not before), resolved drift (drift before, not now: pass, not_applicable, \
unknown, or gone from the later report), drift whose failed fields' observed values changed, newly \
unknown and no longer unknown findings. A drift that became unknown is listed both as resolved drift \
(now unknown) and as newly unknown: it was not seen fixed.\n\nExit codes: 0 no new drift, 1 new drift, \
2 a file unreadable or not a driftwatch report (FILE:LINE:COL: message).")]
    Diff(crate::diff::DiffArgs),
    /// Combine the JSON reports of a sharded fleet run into one report.
    #[command(long_about = "Combine the JSON reports of the shards of one fleet run (`audit --shard I/N \
--format json`, e.g. one per Kubernetes Indexed Job pod or AWS Batch array child) into the report of the whole \
fleet, in any format. INPUTs are report files or `s3://bucket/prefix/` (every `.json` object under the prefix). \
Findings are concatenated and sorted, the accounts merged and the summary recomputed. A shard whose report is \
missing is reported, never skipped: each fleet account no shard covers gets one `unknown` finding per requirement \
of the other shards, naming the missing shard, and an error entry.\n\nExit codes as for `audit`: 0 clean, 1 drift, \
3 unknown (see --fail-on), 2 an input unreadable, not a shard report (FILE:LINE:COL: message), shards of different \
runs or the same shard twice.")]
    Merge(crate::merge::MergeArgs),
    /// Print a shell completion script to stdout.
    #[command(long_about = "Print a shell completion script to stdout, e.g. \
`driftwatch completions bash > ~/.local/share/bash-completion/completions/driftwatch`, \
`driftwatch completions zsh > ~/.zfunc/_driftwatch`, \
`driftwatch completions fish > ~/.config/fish/completions/driftwatch.fish`.")]
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to stdout: `driftwatch man > driftwatch.1; man ./driftwatch.1`.
    Man,
}

#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// Profile file (TOML); repeat for several.
    #[arg(long = "profile", short = 'p', required = true, value_name = "FILE")]
    pub profiles: Vec<PathBuf>,
    /// Region to audit; repeat for several. Overrides the profiles' `regions`.
    #[arg(long = "region", value_name = "REGION")]
    pub regions: Vec<String>,
    /// Endpoint for every AWS service, e.g. http://127.0.0.1:4566 (wins over AWS_ENDPOINT_URL).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Named profile from ~/.aws/config and ~/.aws/credentials.
    #[arg(long, value_name = "NAME")]
    pub aws_profile: Option<String>,
    /// Output format. Every format shows coverage: per requirement, the resources read
    /// (judged pass, drift or waived) and the findings left unknown, with unreadable
    /// listings counted apart (JSON: `coverage`).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the report to FILE, or to the S3 object s3://bucket/prefix/key, instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE", value_parser = crate::output::report_destination)]
    pub output: Option<PathBuf>,
    /// Which findings make the exit code non-zero.
    #[arg(long, value_enum, default_value_t = FailOn::Unknown)]
    pub fail_on: FailOn,
    /// Most AWS requests in flight at once.
    // 64: at a real endpoint's round trip (20-50 ms) that is 1,300-3,200 requests a
    // second, which S3's documented rates allow; the low-TPS APIs are held back by
    // retries, not by this bound (README, "Speed").
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub concurrency: u16,
    /// Seconds one attempt of one AWS call may take before it is retried.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=3600), value_name = "SECONDS")]
    pub call_timeout: u64,
    /// Stop collecting after this many seconds; whatever was not read by then is unknown.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=86_400), value_name = "SECONDS")]
    pub deadline: Option<u64>,
    /// Attempts per AWS call (throttling and transient errors are retried with backoff).
    /// Default: AWS_MAX_ATTEMPTS, else the AWS profile's `max_attempts`, else 6.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub max_attempts: Option<u32>,
    /// Retry mode: `standard`, or `adaptive` (also slows the client down when AWS throttles,
    /// per account, service and region). Default: AWS_RETRY_MODE, else the AWS profile's
    /// `retry_mode`, else standard.
    #[arg(long, value_enum)]
    pub retry_mode: Option<RetryModeArg>,
    /// Accepted exceptions (TOML `[[waiver]]` entries: requirement, resources, reason,
    /// expires YYYY-MM-DD, optional accounts, owner, ticket). A drift an unexpired waiver
    /// covers is reported `waived` with its reason and does not count as drift; an
    /// expired waiver waives nothing and is named on the drift; a waiver that covers no
    /// finding is listed as stale. Unknown findings are never waived.
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
    /// An earlier JSON report (`--format json`) to compare drift against: each drift is
    /// marked `new` (the baseline has no drift with the same account, profile,
    /// requirement and resource) or `known`. Only new drift makes the exit code 1;
    /// every drift is still listed. A file that is not a report exits 2 with FILE:LINE:COL.
    #[arg(long, value_name = "REPORT.json")]
    pub baseline: Option<PathBuf>,
    /// After a deploy: read again what is drift or unknown (only those requirements,
    /// regions and resources), with backoff (1 s, 2 s, 4 s … up to 30 s), until
    /// everything passes or DURATION (counted from the audit's start) is spent, e.g.
    /// `90s`, `5m`. The report says how many rounds it took and which findings never
    /// converged (JSON: `convergence`).
    #[arg(long, value_name = "DURATION", value_parser = parse_wait)]
    pub wait: Option<std::time::Duration>,
    /// More diagnostics on stderr: `-v` the plan (collectors, regions, reads), every
    /// failed call and the request count; `-vv` also one line per AWS call (service,
    /// region, operation, duration, attempts, HTTP status). `RUST_LOG` (e.g.
    /// `driftwatch=debug,aws_smithy_runtime=debug`) replaces these levels when set.
    /// Never a credential, signature or session token.
    #[arg(long, short = 'v', action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Only errors on stderr: no progress, no warnings.
    #[arg(long, short = 'q', conflicts_with = "verbose")]
    pub quiet: bool,
    #[command(flatten)]
    pub fleet: crate::fleet::FleetArgs,
    /// Also write the observed inventory (gaps and errors included) to FILE, for
    /// `driftwatch evaluate`; compressed when FILE ends in .gz (gzip) or .zst (zstd)
    /// (format: docs/inventory.md).
    #[arg(long, value_name = "FILE")]
    pub save_inventory: Option<PathBuf>,
}

/// A fleet run: many accounts in one audit (README "Fleet runs").

#[derive(Debug, clap::Args)]
pub struct EvaluateArgs {
    /// Inventory file written by `audit --save-inventory` (plain, gzip or zstd JSON).
    #[arg(long, value_name = "FILE")]
    pub inventory: PathBuf,
    /// Profile file (TOML); repeat for several.
    #[arg(long = "profile", short = 'p', required = true, value_name = "FILE")]
    pub profiles: Vec<PathBuf>,
    /// Output format. Every format shows coverage: per requirement, the resources read
    /// (judged pass, drift or waived) and the findings left unknown, with unreadable
    /// listings counted apart (JSON: `coverage`).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the report to FILE, or to the S3 object s3://bucket/prefix/key, instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE", value_parser = crate::output::report_destination)]
    pub output: Option<PathBuf>,
    /// Which findings make the exit code non-zero.
    #[arg(long, value_enum, default_value_t = FailOn::Unknown)]
    pub fail_on: FailOn,
    /// Accepted exceptions (TOML `[[waiver]]` entries), applied as `audit --waivers` does.
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
    /// An earlier JSON report (`--format json`) to compare drift against: each drift is
    /// marked `new` (the baseline has no drift with the same account, profile,
    /// requirement and resource) or `known`. Only new drift makes the exit code 1;
    /// every drift is still listed. A file that is not a report exits 2 with FILE:LINE:COL.
    #[arg(long, value_name = "REPORT.json")]
    pub baseline: Option<PathBuf>,
}

/// `--wait`: a duration like `90s`, `5m` or `1h 30m`, from 1 s to 24 h.
fn parse_wait(text: &str) -> Result<std::time::Duration, String> {
    let d = humantime::parse_duration(text).map_err(|e| format!("{e} (expected e.g. 90s, 5m, 1h)"))?;
    if d < std::time::Duration::from_secs(1) || d > std::time::Duration::from_secs(86_400) {
        return Err("expected a duration from 1s to 24h".into());
    }
    Ok(d)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RetryModeArg {
    Standard,
    Adaptive,
}

impl From<RetryModeArg> for aws_config::retry::RetryMode {
    fn from(m: RetryModeArg) -> Self {
        match m {
            RetryModeArg::Standard => aws_config::retry::RetryMode::Standard,
            RetryModeArg::Adaptive => aws_config::retry::RetryMode::Adaptive,
        }
    }
}

/// Parses arguments and runs the command, writing to the given streams.
pub fn run<I, T>(args: I, stdout: &mut dyn Write, stderr: &mut dyn Write) -> Exit
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { Exit::Invalid } else { Exit::Clean };
            let text = e.render();
            let _ = if e.use_stderr() { write!(stderr, "{text}") } else { write!(stdout, "{text}") };
            return code;
        }
    };
    match &cli.command {
        Command::Audit(args) => crate::logging::init(args.verbose, args.quiet),
        _ => crate::logging::init(0, false),
    }
    match cli.command {
        Command::Audit(args) => crate::audit::run(&args, stdout, stderr),
        Command::Evaluate(args) => crate::evaluate::run(&args, stdout, stderr),
        Command::CheckProfile { files } => check_profiles(&files, stdout, stderr),
        Command::Kinds { kind } => kinds(kind.as_deref(), stdout, stderr),
        Command::Permissions(args) if args.check => crate::preflight::run(&args, stdout, stderr),
        Command::Permissions(args) => permissions(&args, stdout, stderr),
        Command::Completions { shell } => crate::shell::completions(shell, stdout, stderr),
        Command::Man => crate::shell::man(stdout, stderr),
        Command::Diff(args) => crate::diff::run(&args, stdout, stderr),
        Command::Merge(args) => crate::merge::run(&args, stdout, stderr),
    }
}

fn permissions(args: &crate::preflight::PermissionsArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> Exit {
    let (profiles, plan) = match args.plan() {
        Ok(loaded) => loaded,
        Err(d) => {
            let _ = writeln!(stderr, "{d}");
            return Exit::Invalid;
        }
    };
    let mut policy = crate::collect::permissions::policy(&plan);
    // a fleet's caller: discovering the accounts, entering them
    let regions: Vec<String> = profiles.iter().flat_map(|p| p.regions.iter().cloned()).collect();
    let partition = crate::partition::Partition::of_regions(&regions);
    let mut extra = Vec::new();
    if args.organization {
        extra.push(serde_json::json!({
            "Sid": "DriftwatchDiscoverAccounts",
            "Effect": "Allow",
            "Action": crate::fleet::organizations::ACTIONS,
            "Resource": "*",
        }));
    }
    if let Some(role) = &args.role_name {
        extra.push(serde_json::json!({
            "Sid": "DriftwatchEnterAccounts",
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Resource": format!("arn:{}:iam::*:role/{role}", partition.name),
        }));
    }
    if let Some(statements) = policy.get_mut("Statement").and_then(|s| s.as_array_mut()) {
        statements.extend(extra);
    }
    let _ = writeln!(stdout, "{}", serde_json::to_string_pretty(&policy).unwrap_or_default());
    Exit::Clean
}

fn check_profiles(files: &[PathBuf], stdout: &mut dyn Write, stderr: &mut dyn Write) -> Exit {
    let mut status = Exit::Clean;
    for f in files {
        match crate::profile::load(f) {
            Ok(p) => {
                let _ = writeln!(
                    stdout,
                    "{}: ok, profile `{}` with {} requirement(s)",
                    f.display(),
                    p.name,
                    p.requirements.len()
                );
            }
            Err(d) => {
                let _ = writeln!(stderr, "{d}");
                status = Exit::Invalid;
            }
        }
    }
    status
}

fn kinds(kind: Option<&str>, stdout: &mut dyn Write, stderr: &mut dyn Write) -> Exit {
    match kind {
        None => {
            let _ = write!(stdout, "{}", crate::kinds::describe(None));
            Exit::Clean
        }
        Some(name) => match crate::kinds::find(name) {
            Some(k) => {
                let _ = write!(stdout, "{}", crate::kinds::describe(Some(k)));
                Exit::Clean
            }
            None => {
                let hint = crate::kinds::closest(name, crate::kinds::REGISTRY.iter().map(|k| k.name))
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                let _ = writeln!(stderr, "driftwatch: unknown kind `{name}`{hint}; `driftwatch kinds` lists them");
                Exit::Invalid
            }
        },
    }
}

/// The binary's entry point.
pub fn main() -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    // not locked for the whole run: the log subscriber writes to stderr from the
    // runtime's worker threads, which would wait on this thread's lock forever
    let mut stderr = std::io::stderr();
    let code = run(std::env::args_os(), &mut stdout, &mut stderr);
    let _ = stdout.flush();
    ExitCode::from(code as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::Summary;

    fn run_args(args: &[&str]) -> (Exit, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut full = vec!["driftwatch"];
        full.extend_from_slice(args);
        let code = run(full, &mut out, &mut err);
        (code, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
    }

    fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    }

    #[test]
    fn cli_version_and_help() {
        let (code, out, _) = run_args(&["--version"]);
        assert_eq!((code, out.trim()), (Exit::Clean, concat!("driftwatch ", env!("CARGO_PKG_VERSION"))));
        let (code, out, _) = run_args(&["--help"]);
        assert_eq!(code, Exit::Clean);
        assert!(out.contains("Exit codes: 0 clean, 1 drift"), "{out}");
        let (code, out, _) = run_args(&["audit", "--help"]);
        assert_eq!(code, Exit::Clean);
        for flag in [
            "--profile",
            "--region",
            "--endpoint-url",
            "--aws-profile",
            "--format",
            "--output",
            "--fail-on",
            "--concurrency",
            "--waivers",
        ] {
            assert!(out.contains(flag), "{flag} missing from audit --help");
        }
    }

    #[test]
    fn cli_verbose_counts_and_quiet_excludes_it() {
        let parse = |args: &[&str]| Cli::try_parse_from(args.iter().copied());
        let Ok(Cli { command: Command::Audit(a) }) = parse(&["driftwatch", "audit", "-p", "x.toml", "-vv"]) else {
            panic!("-vv does not parse")
        };
        assert_eq!((a.verbose, a.quiet), (2, false));
        let Ok(Cli { command: Command::Audit(a) }) = parse(&["driftwatch", "audit", "-p", "x.toml", "-q"]) else {
            panic!("-q does not parse")
        };
        assert_eq!((a.verbose, a.quiet), (0, true));
        let err = parse(&["driftwatch", "audit", "-p", "x.toml", "-q", "-v"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::ArgumentConflict);
        // --endpoint-url of `permissions` only makes sense with --check
        let err = parse(&["driftwatch", "permissions", "-p", "x.toml", "--endpoint-url", "http://h"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::MissingRequiredArgument);
    }

    #[test]
    fn cli_bad_flag_exits_2() {
        let (code, _, err) = run_args(&["audit", "--profile", "x.toml", "--format", "yaml"]);
        assert_eq!(code, Exit::Invalid);
        assert!(err.contains("invalid value 'yaml'"), "{err}");
    }

    #[test]
    fn cli_kinds_lists_and_describes() {
        let (code, out, _) = run_args(&["kinds"]);
        assert_eq!(code, Exit::Clean);
        for k in crate::kinds::REGISTRY {
            assert!(out.contains(k.name), "{} missing", k.name);
        }
        let (code, out, _) = run_args(&["kinds", "s3.bucket"]);
        assert_eq!(code, Exit::Clean);
        assert!(out.contains("public_access_block") && out.contains("required_tags"), "{out}");
        let (code, _, err) = run_args(&["kinds", "s3.buckt"]);
        assert_eq!(code, Exit::Invalid);
        assert_eq!(
            err.trim(),
            "driftwatch: unknown kind `s3.buckt` (did you mean `s3.bucket`?); `driftwatch kinds` lists them"
        );
    }

    #[test]
    fn cli_check_profile_reports_file_line_col() {
        let dir = tempfile::tempdir().unwrap();
        let good =
            write(&dir, "good.toml", "[profile]\nname = \"g\"\n[[requirement]]\nid = \"a\"\nkind = \"iam.role\"\n");
        let bad = write(&dir, "bad.toml", "[profile]\nname = \"b\"\n[[requirement]]\nid = \"a\"\nkind = \"iam.role\"\nexpect = { require_mfa = \"yes\" }\n");
        let (code, out, err) = run_args(&["check-profile", &good, &bad]);
        assert_eq!(code, Exit::Invalid);
        assert_eq!(out.trim(), format!("{good}: ok, profile `g` with 1 requirement(s)"));
        assert_eq!(err.trim(), format!("{bad}:6:26: expect.require_mfa must be a boolean, found a string"));
    }

    #[test]
    fn cli_audit_with_invalid_profile_exits_2_without_calling_aws() {
        let dir = tempfile::tempdir().unwrap();
        let bad = write(&dir, "bad.toml", "[profile]\nname = \"b\"\n");
        let (code, out, err) = run_args(&["audit", "--profile", &bad, "--endpoint-url", "http://127.0.0.1:9"]);
        assert_eq!(code, Exit::Invalid);
        assert_eq!(out, "");
        assert_eq!(err.trim(), format!("{bad}:1:1: the profile declares no [[requirement]]"));
        let (code, _, err) = run_args(&["audit", "--profile", &dir.path().join("missing.toml").display().to_string()]);
        assert_eq!(code, Exit::Invalid);
        assert!(err.contains("cannot read the profile"), "{err}");
    }

    #[test]
    fn cli_audit_bad_region_exits_2() {
        let dir = tempfile::tempdir().unwrap();
        let good =
            write(&dir, "good.toml", "[profile]\nname = \"g\"\n[[requirement]]\nid = \"a\"\nkind = \"iam.role\"\n");
        let (code, _, err) = run_args(&["audit", "--profile", &good, "--region", "mars-1"]);
        assert_eq!(code, Exit::Invalid);
        assert_eq!(err.trim(), "driftwatch: --region mars-1: not an AWS region name (like us-east-1)");
    }

    #[test]
    fn cli_permissions_prints_the_policy_for_the_profiles() {
        let root = env!("CARGO_MANIFEST_DIR");
        let (code, out, _) = run_args(&[
            "permissions",
            "--profile",
            &format!("{root}/localstack/samples/core/s3.toml"),
            "-p",
            &format!("{root}/localstack/samples/core/iam.toml"),
        ]);
        assert_eq!(code, Exit::Clean);
        let policy: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            policy["Statement"][0]["Action"],
            serde_json::json!([
                "iam:GetAccountAuthorizationDetails",
                "s3:GetAccountPublicAccessBlock",
                "s3:GetBucketLocation",
                "s3:GetBucketPublicAccessBlock",
                "s3:GetBucketVersioning",
                "s3:GetEncryptionConfiguration",
                "s3:ListAllMyBuckets"
            ])
        );
        assert_eq!(policy["Statement"][0]["Resource"], "*");
    }

    #[test]
    fn cli_evaluate_refuses_bad_inventories_with_their_position() {
        let dir = tempfile::tempdir().unwrap();
        let good =
            write(&dir, "good.toml", "[profile]\nname = \"g\"\n[[requirement]]\nid = \"a\"\nkind = \"iam.role\"\n");
        let bad = write(&dir, "inv.json", "{\n  \"schema\": \"driftwatch.inventory/v1\",\n  \"tool\": 3\n}\n");
        let (code, out, err) = run_args(&["evaluate", "--inventory", &bad, "--profile", &good]);
        assert_eq!((code, out.as_str()), (Exit::Invalid, ""));
        assert_eq!(err.trim(), format!("driftwatch: {bad}:3:11: invalid type: integer `3`, expected struct SavedTool"));
        let (code, _, err) = run_args(&["audit", "--profile", &good, "--save-inventory", ""]);
        assert_eq!(code, Exit::Invalid);
        assert_eq!(
            err.trim(),
            "error: a value is required for '--save-inventory <FILE>' but none was supplied\n\nFor more information, try '--help'."
        );
    }

    #[test]
    fn exit_codes_follow_fail_on() {
        use crate::audit::exit_code;
        let s = |drift, unknown| Summary { pass: 1, drift, unknown, not_applicable: 0, waived: 0 };
        assert_eq!(exit_code(&s(0, 0), FailOn::Unknown), Exit::Clean);
        assert_eq!(exit_code(&s(1, 1), FailOn::Unknown), Exit::Drift);
        assert_eq!(exit_code(&s(0, 1), FailOn::Unknown), Exit::Unknown);
        assert_eq!(exit_code(&s(0, 1), FailOn::Drift), Exit::Clean);
        assert_eq!(exit_code(&s(1, 0), FailOn::Drift), Exit::Drift);
        assert_eq!(exit_code(&s(1, 1), FailOn::Never), Exit::Clean);
    }

    #[test]
    fn every_shipped_profile_parses() {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut count = 0;
        for dir in ["profiles", "localstack/samples/core", "localstack/samples/serverless"] {
            let Ok(entries) = std::fs::read_dir(format!("{root}/{dir}")) else { continue };
            for e in entries.flatten().filter(|e| e.path().extension().is_some_and(|x| x == "toml")) {
                crate::profile::load(&e.path()).unwrap_or_else(|d| panic!("{d}"));
                count += 1;
            }
        }
        assert!(count >= 6, "found only {count} profiles");
    }
}
