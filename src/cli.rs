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
be observed is reported as `unknown`, never as a pass.\n\nExit codes: 0 clean, 1 drift, \
2 invalid input or unreachable endpoint, 3 no drift but something unknown.",
    after_help = "Credentials and region come from the standard AWS chain (environment, \
~/.aws config and credentials, SSO, web identity, container and instance metadata). \
AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> are honoured; --endpoint-url wins.\n\
NO_COLOR disables colour in the table."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit the account against one or more profiles.
    Audit(AuditArgs),
    /// Validate profiles without calling AWS.
    CheckProfile {
        /// Profile files to validate.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// List requirement kinds, or show one kind's fields.
    Kinds {
        /// A kind name, e.g. s3.bucket.
        kind: Option<String>,
    },
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
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Which findings make the exit code non-zero.
    #[arg(long, value_enum, default_value_t = FailOn::Unknown)]
    pub fail_on: FailOn,
    /// Most AWS requests in flight at once.
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub concurrency: u16,
    /// Seconds one attempt of one AWS call may take before it is retried.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=3600), value_name = "SECONDS")]
    pub call_timeout: u64,
    /// Attempts per AWS call (throttling and transient errors are retried with backoff).
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub max_attempts: u32,
    /// Print the plan and every failed call to stderr.
    #[arg(long, short = 'v')]
    pub verbose: bool,
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
    match cli.command {
        Command::Audit(args) => crate::audit::run(&args, stdout, stderr),
        Command::CheckProfile { files } => check_profiles(&files, stdout, stderr),
        Command::Kinds { kind } => kinds(kind.as_deref(), stdout, stderr),
    }
}

fn check_profiles(files: &[PathBuf], stdout: &mut dyn Write, stderr: &mut dyn Write) -> Exit {
    let mut status = Exit::Clean;
    for f in files {
        match crate::profile::load(f) {
            Ok(p) => {
                let _ = writeln!(stdout, "{}: ok, profile `{}` with {} requirement(s)", f.display(), p.name, p.requirements.len());
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
    let mut stderr = std::io::stderr().lock();
    let code = run(std::env::args_os(), &mut stdout, &mut stderr);
    let _ = stdout.flush();
    ExitCode::from(code as u8)
}
