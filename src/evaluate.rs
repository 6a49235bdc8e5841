//! `driftwatch evaluate`: profiles against a saved inventory, with no AWS call.
//! The report is the one a live audit of the same profiles would have given at
//! collection time; what the saved inventory does not hold is unknown.

use crate::audit::exit_code;
use crate::cli::{EvaluateArgs, Exit};
use crate::collect::Plan;
use crate::compare::{self};
use crate::report::{self, Report, Style};
use std::io::Write;
use std::time::Instant;

pub fn run(args: &EvaluateArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> Exit {
    let started = Instant::now();
    let started_at = aws_smithy_types::DateTime::from(std::time::SystemTime::now())
        .fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap_or_default();
    let mut profiles = match crate::profile::load_all(&args.profiles) {
        Ok(p) => p,
        Err(d) => {
            let _ = writeln!(stderr, "{d}");
            return Exit::Invalid;
        }
    };
    let saved = match crate::saved::load(&args.inventory) {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(stderr, "driftwatch: {e}");
            return Exit::Invalid;
        }
    };
    // Regions resolve as in the audit that saved the file.
    let fallback = saved.default_region.clone().unwrap_or_else(|| saved.partition.global_region.to_string());
    for p in profiles.iter_mut() {
        p.resolve_regions(&[], &fallback);
    }
    let requirements: Vec<_> = profiles.iter().flat_map(|p| p.requirements.iter().cloned()).collect();
    let plan = Plan::for_requirements(&requirements);
    let inventory = crate::saved::for_plan(&saved, &plan);
    let extras = match crate::finish::Extras::load(args.waivers.as_deref(), args.baseline.as_deref()) {
        Ok(x) => x,
        Err(e) => {
            let _ = writeln!(stderr, "{e}");
            return Exit::Invalid;
        }
    };
    let mut findings = compare::evaluate(&requirements, &inventory);
    let (stale_waivers, baseline) = extras.apply(&mut findings, saved.account.as_deref());
    let mut regions: Vec<String> = plan.regions().into_iter().collect();
    regions.sort();
    let report = Report {
        account: saved.account.clone(),
        regions,
        profiles: profiles.iter().map(|p| p.name.clone()).collect(),
        started_at,
        duration_ms: started.elapsed().as_millis() as u64,
        errors: Report::errors_from(&saved.errors),
        stale_waivers,
        baseline,
        ..Report::of(findings)
    };
    if let Err(e) = crate::finish::write(
        &report,
        args.format,
        args.output.as_deref(),
        &Style::detect(args.format == report::Format::Table && args.output.is_none()),
        stdout,
        None,
    ) {
        let _ = writeln!(stderr, "driftwatch: {e}");
        return Exit::Invalid;
    }
    exit_code(&crate::baseline::exit_summary(&report), args.fail_on)
}
