//! `--format json`: the `driftwatch.report/v1` document (SPEC §5).

use super::Report;
use std::io::Write;

/// Generic over the writer: serde_json writes a document in thousands of pieces of a
/// few bytes, each a call through `dyn Write` otherwise.
pub fn render<W: Write>(report: &Report, out: &mut W) -> std::io::Result<()> {
    match &report.baseline {
        Some(marks) => {
            let mut doc = serde_json::to_value(report)?;
            crate::baseline::annotate(&mut doc, marks);
            serde_json::to_writer_pretty(&mut *out, &doc)?;
        }
        None => serde_json::to_writer_pretty(&mut *out, report)?,
    }
    writeln!(out)
}
