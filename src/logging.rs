//! Diagnostics on stderr through `tracing`: what `-q`, `-v`, `-vv` and `RUST_LOG`
//! turn on. The report itself never goes through here.
//!
//! | flags      | driftwatch's own lines                        | the AWS SDK's |
//! |------------|-----------------------------------------------|---------------|
//! | `-q`       | errors                                        | errors        |
//! | (none)     | warnings                                      | errors        |
//! | `-v`       | + the plan, failed calls, the request count   | warnings      |
//! | `-vv`      | + one line per AWS call                       | warnings      |
//! | `-vvv`     | + trace                                       | warnings      |
//!
//! `RUST_LOG` (an `EnvFilter` directive such as `driftwatch=debug,aws_smithy_runtime=trace`)
//! replaces the table when set. The SDK redacts credentials, signatures and session
//! tokens from its own lines; driftwatch's lines never read them.

use crate::collect::Plan;
use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

/// The filter for the flags, unless `rust_log` (the environment's `RUST_LOG`)
/// says otherwise.
pub fn filter(verbose: u8, quiet: bool, rust_log: Option<&str>) -> EnvFilter {
    if let Some(directives) = rust_log.filter(|s| !s.trim().is_empty()) {
        if let Ok(f) = EnvFilter::builder().parse(directives) {
            return f;
        }
    }
    let own = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, 2) => "debug",
        (false, _) => "trace",
    };
    // the SDK's warnings (a config file named but missing...) only from -v on
    let base = if quiet || verbose == 0 { "error" } else { "warn" };
    EnvFilter::new(format!("{base},driftwatch={own}"))
}

/// Installs the subscriber for this process (once; later calls change nothing).
pub fn init(verbose: u8, quiet: bool) {
    let rust_log = std::env::var("RUST_LOG").ok();
    let bad_rust_log = rust_log
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .and_then(|s| EnvFilter::builder().parse(s).err().map(|e| format!("RUST_LOG ignored: {e}")));
    let ansi = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter(verbose, quiet, rust_log.as_deref()))
        .with_writer(std::io::stderr)
        .with_ansi(ansi);
    // without -v or RUST_LOG only warnings and errors show: a plain "WARN message"
    // reads better there than a timestamped log line
    let installed = if verbose == 0 && rust_log.is_none() {
        builder.without_time().with_target(false).try_init().is_ok()
    } else {
        builder.try_init().is_ok()
    };
    if let (true, Some(why)) = (installed, bad_rust_log) {
        tracing::warn!("{why}");
    }
}

/// The plan in one line: collectors, regions and the optional reads each was asked for.
pub fn describe_plan(plan: &Plan) -> String {
    let collectors: Vec<String> = plan
        .needs()
        .map(|(id, need)| {
            let reads: Vec<&str> = need.reads().into_iter().collect();
            if reads.is_empty() {
                id.to_string()
            } else {
                format!("{id} ({})", reads.join(", "))
            }
        })
        .collect();
    let regions: Vec<String> = plan.regions().into_iter().collect();
    format!(
        "plan: {} collector(s): {}; region(s): {}",
        collectors.len(),
        if collectors.is_empty() { "-".to_string() } else { collectors.join(", ") },
        if regions.is_empty() { "-".to_string() } else { regions.join(", ") }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_follows_the_flags_unless_rust_log_is_set() {
        let f = |v, q, env| filter(v, q, env).to_string();
        assert_eq!(f(0, false, None), "driftwatch=warn,error");
        assert_eq!(f(1, false, None), "driftwatch=info,warn");
        assert_eq!(f(2, false, None), "driftwatch=debug,warn");
        assert_eq!(f(5, false, None), "driftwatch=trace,warn");
        assert_eq!(f(2, true, None), "driftwatch=error,error");
        assert_eq!(f(0, false, Some("aws_smithy_runtime=trace")), "aws_smithy_runtime=trace");
        // an empty or invalid RUST_LOG leaves the flags in charge
        assert_eq!(f(1, false, Some(" ")), "driftwatch=info,warn");
        assert_eq!(f(1, false, Some("driftwatch=loud")), "driftwatch=info,warn");
    }

    #[test]
    fn describe_plan_names_collectors_reads_and_regions() {
        let dir = env!("CARGO_MANIFEST_DIR");
        let mut p = crate::profile::load(std::path::Path::new(&format!("{dir}/localstack/samples/core/s3.toml")))
            .unwrap_or_else(|d| panic!("{d}"));
        p.resolve_regions(&[], "us-east-1");
        let plan = Plan::for_requirements(&p.requirements);
        assert_eq!(
            describe_plan(&plan),
            "plan: 1 collector(s): s3 (encryption, public_access_block, versioning); region(s): -"
        );
        assert_eq!(describe_plan(&Plan::default()), "plan: 0 collector(s): -; region(s): -");
    }
}
