//! What a live audit and an offline evaluation end with, written once: the
//! accepted exceptions (waivers) and the earlier report (baseline) read before any
//! work, applied to the findings, the report written, and the exit code.

use crate::baseline::{Baseline, Marks};
use crate::compare::Finding;
use crate::report::{self, Report, Style};
use crate::waivers::{Date, Waiver};
use std::io::Write;
use std::path::Path;

/// The files a run reads besides its profiles, loaded and checked up front.
pub struct Extras {
    waivers: Option<(Vec<Waiver>, Date)>,
    baseline: Option<Baseline>,
}

impl Extras {
    /// Reads `--waivers` and `--baseline`; the error is the text to print (the
    /// waiver file's located diagnostics, or the baseline's position).
    pub fn load(waivers: Option<&Path>, baseline: Option<&Path>) -> Result<Extras, String> {
        let waivers = waivers.map(crate::waivers::load).transpose().map_err(|d| d.to_string())?;
        let baseline =
            baseline.map(crate::baseline::load).transpose().map_err(|e| format!("driftwatch: --baseline: {e}"))?;
        let waivers = match waivers {
            None => None,
            Some(w) => {
                let today = Date::today_utc().ok_or("driftwatch: cannot read today's date from the system clock")?;
                Some((w, today))
            }
        };
        Ok(Extras { waivers, baseline })
    }

    /// Applies the waivers to the findings (the stale ones come back) and marks
    /// drift against the baseline.
    pub fn apply(&self, findings: &mut [Finding], account: Option<&str>) -> (Option<Vec<Waiver>>, Option<Marks>) {
        let stale = self.waivers.as_ref().map(|(w, today)| crate::waivers::apply(findings, w, account, *today));
        let marks = self.baseline.as_ref().map(|b| crate::baseline::mark(b, account, findings));
        (stale, marks)
    }
}

impl Extras {
    /// A fleet run's findings, grouped by account in `accounts` order: each
    /// account's findings get the waivers meant for it; a waiver is stale when it is
    /// meant for some audited account and covered nothing in any. Drift is marked
    /// against the baseline by each finding's own account.
    pub fn apply_fleet(&self, findings: &mut [Finding], accounts: &[String]) -> (Option<Vec<Waiver>>, Option<Marks>) {
        let stale = self.waivers.as_ref().map(|(waivers, today)| {
            let (mut meant, mut used) = (vec![false; waivers.len()], vec![false; waivers.len()]);
            let mut start = 0;
            for id in accounts {
                let len = findings[start..].iter().take_while(|f| f.account.as_deref() == Some(id.as_str())).count();
                let stale_here = crate::waivers::apply(&mut findings[start..start + len], waivers, Some(id), *today);
                start += len;
                for (i, w) in waivers.iter().enumerate().filter(|(_, w)| w.for_account(Some(id))) {
                    meant[i] = true;
                    used[i] |= !stale_here.iter().any(|s| s.source == w.source);
                }
            }
            waivers.iter().enumerate().filter(|(i, _)| meant[*i] && !used[*i]).map(|(_, w)| w.clone()).collect()
        });
        let marks = self.baseline.as_ref().map(|b| crate::baseline::mark(b, None, findings));
        (stale, marks)
    }
}

/// Writes the report to the file, to the S3 object (`s3://bucket/key`, with the
/// run's AWS configuration, else the default one), else to `stdout`; a reader that
/// stopped early (`| head`) is not an error of the run.
pub fn write(
    report: &Report,
    format: report::Format,
    output: Option<&Path>,
    style: &Style,
    stdout: &mut dyn Write,
    aws: Option<&aws_config::SdkConfig>,
) -> Result<(), String> {
    if let Some(url) = output.and_then(|p| p.to_str()).and_then(crate::output::parse_s3) {
        let url = url?;
        let mut body = Vec::new();
        report::render(report, format, &Style::plain(), &mut body)
            .map_err(|e| format!("cannot render the report: {e}"))?;
        return crate::output::block_on(async {
            let sdk = match aws {
                Some(sdk) => sdk.clone(),
                None => crate::aws::load(&crate::aws::Settings::default()).await,
            };
            crate::output::put(&sdk, &url, body).await
        })
        .map_err(|e| format!("cannot write the report: {e}"));
    }
    let written = match output {
        Some(path) => std::fs::File::create(path).and_then(|mut f| {
            report::render(report, format, &Style::plain(), &mut f)?;
            f.flush()
        }),
        None => report::render(report, format, style, stdout),
    };
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("cannot write the report: {e}")),
        _ => Ok(()),
    }
}
