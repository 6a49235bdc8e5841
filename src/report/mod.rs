//! Renderers: one file per format, each writing one `Report` to a writer.

pub mod asff;
mod coverage;
mod fleet;
mod html;
mod identity;
mod json;
mod junit;
mod markdown;
pub mod ocsf;
mod sarif;
mod table;
mod table_cells;
mod terminal;

use crate::compare::{Finding, Summary};
use crate::inventory::{ErrorClass, Gap};
use serde::Serialize;
use std::io::Write;

pub use coverage::{Coverage, RequirementCoverage};
pub use fleet::{AccountResult, Fleet, Shard};
pub use table_cells::short_name;
pub use terminal::Style;

pub const SCHEMA: &str = "driftwatch.report/v1";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Findings grouped for a terminal.
    Table,
    /// The driftwatch.report/v1 document.
    Json,
    /// JUnit XML, a test case per finding.
    Junit,
    /// SARIF 2.1.0 for code-scanning dashboards.
    Sarif,
    /// A summary and a findings table for pull requests.
    Markdown,
    /// AWS Security Finding Format: a JSON array for `aws securityhub batch-import-findings` (100 a call).
    Asff,
    /// OCSF 1.8.0 Compliance Finding events (class 2003), a JSON array.
    Ocsf,
    /// One self-contained HTML page: summary, charts, expected vs observed (no network).
    Html,
}

#[derive(Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

/// One error met while collecting, as the JSON report lists it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
pub struct ErrorEntry {
    /// In a fleet run, the account the call was made in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    pub service: String,
    pub region: String,
    pub operation: String,
    pub resource: Option<String>,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub tool: Tool,
    pub account: Option<String>,
    pub regions: Vec<String>,
    pub profiles: Vec<String>,
    pub started_at: String,
    pub duration_ms: u64,
    pub summary: Summary,
    /// Per requirement and in total: resources judged and findings left unknown
    /// (`Coverage::of` the findings).
    pub coverage: Coverage,
    pub findings: Vec<Finding>,
    pub errors: Vec<ErrorEntry>,
    /// With `--waivers`: the waivers meant for this account that covered no drift
    /// or unknown finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stale_waivers: Option<Vec<crate::waivers::Waiver>>,
    /// With `--baseline`: each drift marked new or known (the JSON renderer adds
    /// them to the findings and the summary).
    #[serde(skip)]
    pub baseline: Option<crate::baseline::Marks>,
    /// A fleet run's accounts, each with its summary (absent for one account).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fleet: Option<Fleet>,
    /// With `audit --wait`: the rounds read and whether everything settled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub convergence: Option<crate::converge::Convergence>,
}

impl Report {
    /// A report of `findings` with their summary and coverage, this build's tool
    /// and schema, and nothing else: the rest comes with struct update
    /// (`Report { account, regions, ..Report::of(findings) }`).
    pub fn of(findings: Vec<Finding>) -> Report {
        Report {
            schema: SCHEMA,
            tool: Tool { name: "driftwatch", version: env!("CARGO_PKG_VERSION") },
            account: None,
            regions: Vec::new(),
            profiles: Vec::new(),
            started_at: String::new(),
            duration_ms: 0,
            summary: Summary::of(&findings),
            coverage: Coverage::of(&findings),
            findings,
            errors: Vec::new(),
            stale_waivers: None,
            baseline: None,
            fleet: None,
            convergence: None,
        }
    }

    pub fn errors_from(gaps: &[Gap]) -> Vec<ErrorEntry> {
        let mut out: Vec<ErrorEntry> = gaps
            .iter()
            .filter(|g| g.class != ErrorClass::NotCollected)
            .map(|g| ErrorEntry {
                account: None,
                service: g.service.clone(),
                region: g.region.clone(),
                operation: g.operation.clone(),
                resource: g.resource.clone(),
                code: g.code.clone(),
                message: g.message.clone(),
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

pub fn render(report: &Report, format: Format, style: &Style, out: &mut dyn Write) -> std::io::Result<()> {
    // The formats write in many small pieces; a file or a line-buffered stdout
    // would turn each into a system call.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    match format {
        Format::Table => table::render(report, style, &mut out),
        Format::Json => json::render(report, &mut out),
        Format::Junit => junit::render(report, &mut out),
        Format::Sarif => sarif::render(report, &mut out),
        Format::Markdown => markdown::render(report, &mut out),
        Format::Asff => asff::render(report, &mut out),
        Format::Ocsf => ocsf::render(report, &mut out),
        Format::Html => html::render(report, style, &mut out),
    }?;
    out.flush()
}

/// "FILE:LINE (requirement R, resources A, B, expires D)": a stale waiver as the
/// table and Markdown list it.
/// A finding's status as the table and Markdown show it: "drift (new)" or
/// "drift (known)" with a baseline.
pub fn status_text(report: &Report, index: usize, status: crate::compare::Status) -> String {
    match report.baseline.as_ref().and_then(|m| m.get(index)) {
        Some(mark) => format!("{} ({})", status.as_str(), mark.as_str()),
        None => status.as_str().to_string(),
    }
}

pub fn describe_waiver(w: &crate::waivers::Waiver) -> String {
    format!("{} (requirement {}, resources {}, expires {})", w.source, w.requirement, w.resources.join(", "), w.expires)
}

/// Escapes text for XML attributes and content.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod asff_tests;
#[cfg(test)]
mod html_tests;
#[cfg(test)]
mod ocsf_tests;
#[cfg(test)]
mod pipeline_tests;
#[cfg(test)]
mod tests;

#[cfg(test)]
#[path = "fleet_tests.rs"]
mod fleet_tests;
