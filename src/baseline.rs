//! `audit --baseline REPORT.json` (and `evaluate --baseline`): each drift finding is
//! marked `new` or `known` against an earlier JSON report. A drift is known when the
//! baseline holds a drift with the same key, the key `driftwatch diff` matches findings
//! by (account, profile, requirement, resource; region for a finding without a
//! resource). Only new drift counts towards the exit code; the report lists all drift.

use crate::compare::{Finding, Status, Summary};
use crate::diff::{self, InputError, Key};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// How a drift finding stands against the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    New,
    Known,
}

impl Mark {
    pub fn as_str(self) -> &'static str {
        match self {
            Mark::New => "new",
            Mark::Known => "known",
        }
    }
}

/// The drift findings of a baseline report, by key.
#[derive(Debug, Default)]
pub struct Baseline {
    file: String,
    drift: BTreeSet<Key>,
}

fn from_report(file: String, report: &diff::ReportIn) -> Baseline {
    let drift =
        diff::index(report).into_iter().filter(|(_, f)| f.status == diff::Status::Drift).map(|(k, _)| k).collect();
    Baseline { file, drift }
}

/// Reads a baseline report from text; errors are `FILE:LINE:COL: message`.
pub fn from_text(file: &str, text: &str) -> Result<Baseline, InputError> {
    let report = diff::parse(file, text)?;
    Ok(from_report(file.to_string(), &report))
}

/// Reads a baseline report file.
pub fn load(path: &Path) -> Result<Baseline, InputError> {
    let (file, report) = diff::read(path)?;
    Ok(from_report(file, &report))
}

/// The marks of one report's findings against a baseline.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Marks {
    /// The baseline file, as given.
    pub file: String,
    /// One entry per finding, in the report's order: a mark for drift, None otherwise.
    pub marks: Vec<Option<Mark>>,
    pub new_drift: usize,
    pub known_drift: usize,
}

impl Marks {
    /// The summary the exit code is computed from: only new drift is drift.
    pub fn exit_summary(&self, summary: &Summary) -> Summary {
        Summary { drift: self.new_drift, ..*summary }
    }

    /// The mark of the finding at `index`, if it is drift.
    pub fn get(&self, index: usize) -> Option<Mark> {
        self.marks.get(index).copied().flatten()
    }
}

/// Marks every drift finding `new` or `known`. `account` is the audited account,
/// which the keys of this report carry (as `diff` keys a report by its account).
pub fn mark(baseline: &Baseline, account: Option<&str>, findings: &[Finding]) -> Marks {
    let mut repeats: BTreeMap<Key, usize> = BTreeMap::new();
    let mut out = Marks { file: baseline.file.clone(), ..Marks::default() };
    for f in findings {
        // repeats of one key are numbered in report order, as `diff` numbers them
        // a fleet run's findings name their account
        let mut key = diff::key(
            f.account.clone().or_else(|| account.map(str::to_string)),
            &f.profile,
            &f.requirement,
            f.resource.as_deref(),
            f.region.as_deref(),
        );
        let n = repeats.entry(key.clone()).or_insert(0);
        key.5 = *n;
        *n += 1;
        let mark = (f.status == Status::Drift).then(|| {
            if baseline.drift.contains(&key) {
                out.known_drift += 1;
                Mark::Known
            } else {
                out.new_drift += 1;
                Mark::New
            }
        });
        out.marks.push(mark);
    }
    out
}

/// The summary a report's exit code follows: with a baseline, only new drift is drift.
pub fn exit_summary(report: &crate::report::Report) -> Summary {
    match &report.baseline {
        Some(m) => m.exit_summary(&report.summary),
        None => report.summary,
    }
}

/// The JSON report with the marks in it: `baseline` ("new"/"known") on each drift
/// finding, `new_drift` and `known_drift` in the summary, and the baseline file
/// under `baseline` at the top.
pub fn annotate(report: &mut serde_json::Value, marks: &Marks) {
    if let Some(findings) = report.get_mut("findings").and_then(|f| f.as_array_mut()) {
        for (i, f) in findings.iter_mut().enumerate() {
            if let (Some(m), Some(obj)) = (marks.get(i), f.as_object_mut()) {
                obj.insert("baseline".into(), m.as_str().into());
            }
        }
    }
    if let Some(summary) = report.get_mut("summary").and_then(|s| s.as_object_mut()) {
        summary.insert("new_drift".into(), marks.new_drift.into());
        summary.insert("known_drift".into(), marks.known_drift.into());
    }
    if let Some(obj) = report.as_object_mut() {
        obj.insert("baseline".into(), marks.file.clone().into());
    }
}

#[cfg(test)]
#[path = "baseline_tests.rs"]
mod tests;
