//! `driftwatch diff BEFORE.json AFTER.json`: what changed between two JSON reports
//! (SPEC §5): new drift, resolved drift, drift whose observed values changed, newly
//! unknown, no longer unknown. Findings are matched by account, profile, requirement
//! and resource (by region when the finding names no resource). The reports are read
//! into structs of this module that ignore fields they do not know, so a report of a
//! later version with extra fields still diffs.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The `schema` of the diff document.
pub const SCHEMA: &str = "driftwatch.diff/v1";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The earlier JSON report (`audit --format json`).
    #[arg(value_name = "BEFORE.json")]
    pub before: PathBuf,
    /// The later JSON report.
    #[arg(value_name = "AFTER.json")]
    pub after: PathBuf,
    /// Output format: table for a terminal, json (schema driftwatch.diff/v1) for
    /// machines, markdown for a pull request comment.
    #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,
    /// Write the diff to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

// ---- input: the parts of a driftwatch.report/v1 document the diff reads ----

#[derive(Debug, Deserialize)]
pub(crate) struct ReportIn {
    #[serde(deserialize_with = "report_schema")]
    #[allow(dead_code)]
    schema: String,
    #[serde(default)]
    pub(crate) account: Option<String>,
    #[serde(default)]
    started_at: Option<String>,
    pub(crate) findings: Vec<FindingIn>,
}

fn report_schema<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    if s == crate::report::SCHEMA {
        Ok(s)
    } else {
        Err(serde::de::Error::custom(format!("schema is {s:?}, expected {:?}", crate::report::SCHEMA)))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Status {
    Pass,
    Drift,
    Unknown,
    NotApplicable,
    /// Drift an unexpired waiver covers: accepted, so never new drift.
    Waived,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Drift => "drift",
            Status::Unknown => "unknown",
            Status::NotApplicable => "not_applicable",
            Status::Waived => "waived",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct FindingIn {
    /// Fleet reports name the account on each finding; otherwise the report's.
    #[serde(default)]
    account: Option<String>,
    profile: String,
    requirement: String,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    severity: Option<String>,
    pub(crate) status: Status,
    #[serde(default)]
    resource: Option<String>,
    #[serde(default)]
    region: Option<String>,
    #[serde(default)]
    checks: Vec<CheckIn>,
    #[serde(default)]
    message: String,
}

#[derive(Debug, Clone, Deserialize)]
struct CheckIn {
    field: String,
    #[serde(default)]
    expected: Value,
    #[serde(default)]
    observed: Value,
    #[serde(default)]
    ok: Option<bool>,
}

// ---- output: the driftwatch.diff/v1 document ----

/// One side of the diff: which report, of which account, taken when.
#[derive(Debug, Serialize, PartialEq)]
pub struct Side {
    pub file: String,
    pub account: Option<String>,
    pub started_at: Option<String>,
}

#[derive(Debug, Serialize, PartialEq, Default)]
pub struct Counts {
    pub new_drift: usize,
    pub resolved_drift: usize,
    pub changed_drift: usize,
    pub newly_unknown: usize,
    pub no_longer_unknown: usize,
}

/// One field of a finding: its observed value in each report (null when the
/// finding or the check is absent there).
#[derive(Debug, Serialize, PartialEq)]
pub struct FieldChange {
    pub field: String,
    pub expected: Value,
    pub before: Value,
    pub after: Value,
}

/// One finding that changed. `before` is a status or "absent" (not in the earlier
/// report); `after` is a status or "gone" (not in the later report).
#[derive(Debug, Serialize, PartialEq)]
pub struct Entry {
    pub account: Option<String>,
    pub profile: String,
    pub requirement: String,
    pub resource: Option<String>,
    pub region: Option<String>,
    pub kind: Option<String>,
    pub severity: Option<String>,
    pub before: String,
    pub after: String,
    pub fields: Vec<FieldChange>,
    pub message: String,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct Diff {
    pub schema: &'static str,
    pub before: Side,
    pub after: Side,
    pub summary: Counts,
    pub new_drift: Vec<Entry>,
    pub resolved_drift: Vec<Entry>,
    pub changed_drift: Vec<Entry>,
    pub newly_unknown: Vec<Entry>,
    pub no_longer_unknown: Vec<Entry>,
}

/// A file that could not be read or is not a driftwatch report, in
/// `FILE:LINE:COL: message` form when the position is known.
#[derive(Debug, PartialEq)]
pub struct InputError(pub String);

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub(crate) fn parse(file: &str, text: &str) -> Result<ReportIn, InputError> {
    crate::json_input::parse_object(file, text).map_err(InputError)
}

pub(crate) fn read(path: &Path) -> Result<(String, ReportIn), InputError> {
    let file = path.display().to_string();
    let text = crate::compressed::read_text(path, "the report").map_err(InputError)?;
    let report = parse(&file, &text)?;
    Ok((file, report))
}

/// The key a finding is matched by. A finding without a resource (a requirement-level
/// finding) is keyed by its region too; the last part counts repeats of the same key
/// within one report, in the report's order, so that nothing is merged away.
pub(crate) type Key = (Option<String>, String, String, Option<String>, Option<String>, usize);

/// The first key of a finding (repeat count 0): the region counts only for a
/// finding that names no resource.
pub(crate) fn key(
    account: Option<String>,
    profile: &str,
    requirement: &str,
    resource: Option<&str>,
    region: Option<&str>,
) -> Key {
    let region = if resource.is_none() { region.map(str::to_string) } else { None };
    (account, profile.to_string(), requirement.to_string(), resource.map(str::to_string), region, 0)
}

pub(crate) fn index(report: &ReportIn) -> BTreeMap<Key, FindingIn> {
    let mut out = BTreeMap::new();
    for f in &report.findings {
        let account = f.account.clone().or_else(|| report.account.clone());
        let mut key = key(account, &f.profile, &f.requirement, f.resource.as_deref(), f.region.as_deref());
        while out.contains_key(&key) {
            key.5 += 1;
        }
        let mut f = f.clone();
        f.account = key.0.clone();
        out.insert(key, f);
    }
    out
}

fn failed(f: &FindingIn) -> impl Iterator<Item = &CheckIn> {
    f.checks.iter().filter(|c| c.ok == Some(false))
}

fn observed(f: Option<&FindingIn>, field: &str) -> Value {
    f.and_then(|f| f.checks.iter().find(|c| c.field == field)).map(|c| c.observed.clone()).unwrap_or(Value::Null)
}

/// The fields that failed in either report, in the order they first appear,
/// with their observed values in both.
fn fields(before: Option<&FindingIn>, after: Option<&FindingIn>) -> Vec<FieldChange> {
    let mut out: Vec<FieldChange> = Vec::new();
    for c in after.into_iter().flat_map(failed).chain(before.into_iter().flat_map(failed)) {
        if out.iter().any(|o| o.field == c.field) {
            continue;
        }
        out.push(FieldChange {
            field: c.field.clone(),
            expected: c.expected.clone(),
            before: observed(before, &c.field),
            after: observed(after, &c.field),
        });
    }
    out
}

/// Whether a field that failed in either report has another observed value, or
/// passes, in the other.
fn drift_changed(before: &FindingIn, after: &FindingIn) -> bool {
    let state =
        |f: &FindingIn, field: &str| f.checks.iter().find(|c| c.field == field).map(|c| (c.ok, c.observed.clone()));
    failed(before).chain(failed(after)).any(|c| state(before, &c.field) != state(after, &c.field))
}

fn entry(before: Option<&FindingIn>, after: Option<&FindingIn>, with_fields: bool) -> Option<Entry> {
    let f = after.or(before)?;
    Some(Entry {
        account: f.account.clone(),
        profile: f.profile.clone(),
        requirement: f.requirement.clone(),
        resource: f.resource.clone(),
        region: f.region.clone(),
        kind: f.kind.clone(),
        severity: f.severity.clone(),
        before: before.map_or("absent", |f| f.status.as_str()).to_string(),
        after: after.map_or("gone", |f| f.status.as_str()).to_string(),
        fields: if with_fields { fields(before, after) } else { Vec::new() },
        message: f.message.clone(),
    })
}

fn side(file: &str, r: &ReportIn) -> Side {
    Side { file: file.to_string(), account: r.account.clone(), started_at: r.started_at.clone() }
}

fn compute(before_file: &str, before: &ReportIn, after_file: &str, after: &ReportIn) -> Diff {
    let b = index(before);
    let a = index(after);
    let mut keys: Vec<&Key> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut d = Diff {
        schema: SCHEMA,
        before: side(before_file, before),
        after: side(after_file, after),
        summary: Counts::default(),
        new_drift: Vec::new(),
        resolved_drift: Vec::new(),
        changed_drift: Vec::new(),
        newly_unknown: Vec::new(),
        no_longer_unknown: Vec::new(),
    };
    for k in keys {
        let (fb, fa) = (b.get(k), a.get(k));
        let is = |f: Option<&FindingIn>, s: Status| f.is_some_and(|f| f.status == s);
        let push = |list: &mut Vec<Entry>, with_fields: bool| list.extend(entry(fb, fa, with_fields));
        let (drift_b, drift_a) = (is(fb, Status::Drift), is(fa, Status::Drift));
        if drift_a && !drift_b {
            push(&mut d.new_drift, true);
        }
        if drift_b && !drift_a {
            push(&mut d.resolved_drift, true);
        }
        if let (true, true, Some(x), Some(y)) = (drift_b, drift_a, fb, fa) {
            if drift_changed(x, y) {
                push(&mut d.changed_drift, true);
            }
        }
        let (unknown_b, unknown_a) = (is(fb, Status::Unknown), is(fa, Status::Unknown));
        if unknown_a && !unknown_b {
            push(&mut d.newly_unknown, false);
        }
        if unknown_b && !unknown_a {
            push(&mut d.no_longer_unknown, false);
        }
    }
    d.summary = Counts {
        new_drift: d.new_drift.len(),
        resolved_drift: d.resolved_drift.len(),
        changed_drift: d.changed_drift.len(),
        newly_unknown: d.newly_unknown.len(),
        no_longer_unknown: d.no_longer_unknown.len(),
    };
    d
}

/// Diffs two report texts (the names are used in messages and in the output).
pub fn diff_texts(before_file: &str, before: &str, after_file: &str, after: &str) -> Result<Diff, InputError> {
    let b = parse(before_file, before)?;
    let a = parse(after_file, after)?;
    Ok(compute(before_file, &b, after_file, &a))
}

/// Diffs two report files.
pub fn diff_files(before: &Path, after: &Path) -> Result<Diff, InputError> {
    let (bf, b) = read(before)?;
    let (af, a) = read(after)?;
    Ok(compute(&bf, &b, &af, &a))
}

impl Diff {
    fn sections(&self) -> [(&'static str, &Vec<Entry>); 5] {
        [
            ("New drift", &self.new_drift),
            ("Resolved drift", &self.resolved_drift),
            ("Drift with changed values", &self.changed_drift),
            ("Newly unknown", &self.newly_unknown),
            ("No longer unknown", &self.no_longer_unknown),
        ]
    }
}

/// A JSON value on one line, cut to `max` characters.
fn short(v: &Value, max: usize) -> String {
    cut(&v.to_string(), max)
}

fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn render_table(d: &Diff, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "driftwatch diff: {} -> {}", d.before.file, d.after.file)?;
    let s = &d.summary;
    writeln!(
        out,
        "new drift {} · resolved drift {} · changed drift {} · newly unknown {} · no longer unknown {}",
        s.new_drift, s.resolved_drift, s.changed_drift, s.newly_unknown, s.no_longer_unknown
    )?;
    for (title, list) in d.sections() {
        if list.is_empty() {
            continue;
        }
        writeln!(out, "\n{title} ({})", list.len())?;
        for e in list {
            writeln!(out, "  {}/{}  {} -> {}", e.profile, e.requirement, e.before, e.after)?;
            let place = match (&e.resource, &e.region) {
                (Some(r), _) => r.clone(),
                (None, Some(g)) => format!("(requirement) {g}"),
                (None, None) => "(requirement)".to_string(),
            };
            writeln!(out, "    {place}")?;
            if e.fields.is_empty() && !e.message.is_empty() {
                // an unknown says why in its message
                writeln!(out, "    {}", cut(&e.message.replace('\n', " "), 94))?;
            }
            for c in &e.fields {
                writeln!(
                    out,
                    "    {}: {} -> {} (expected {})",
                    c.field,
                    short(&c.before, 24),
                    short(&c.after, 24),
                    short(&c.expected, 16)
                )?;
            }
        }
    }
    Ok(())
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn code(s: &str) -> String {
    format!("`{}`", cell(s).replace('`', "'"))
}

fn render_markdown(d: &Diff, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "## driftwatch diff\n")?;
    writeln!(out, "{} → {}\n", code(&d.before.file), code(&d.after.file))?;
    let s = &d.summary;
    writeln!(out, "| new drift | resolved drift | changed drift | newly unknown | no longer unknown |")?;
    writeln!(out, "|---:|---:|---:|---:|---:|")?;
    writeln!(
        out,
        "| {} | {} | {} | {} | {} |",
        s.new_drift, s.resolved_drift, s.changed_drift, s.newly_unknown, s.no_longer_unknown
    )?;
    for (title, list) in d.sections() {
        if list.is_empty() {
            continue;
        }
        writeln!(out, "\n### {title} ({})\n", list.len())?;
        writeln!(out, "| requirement | resource | region | before | after | detail |\n|---|---|---|---|---|---|")?;
        for e in list {
            let fields: Vec<String> = e
                .fields
                .iter()
                .map(|c| {
                    format!("{}: {} → {}", cell(&c.field), code(&short(&c.before, 60)), code(&short(&c.after, 60)))
                })
                .collect();
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                code(&format!("{}/{}", e.profile, e.requirement)),
                e.resource.as_deref().map_or("-".to_string(), code),
                e.region.as_deref().unwrap_or("-"),
                e.before,
                e.after,
                if fields.is_empty() { cell(&e.message) } else { fields.join("<br>") }
            )?;
        }
    }
    Ok(())
}

/// Writes the diff in the given format.
pub fn render(d: &Diff, format: DiffFormat, out: &mut dyn Write) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(out);
    match format {
        DiffFormat::Table => render_table(d, &mut out)?,
        DiffFormat::Json => {
            serde_json::to_writer_pretty(&mut out, d)?;
            writeln!(out)?;
        }
        DiffFormat::Markdown => render_markdown(d, &mut out)?,
    }
    out.flush()
}

/// `driftwatch diff`: exit 1 when there is new drift, 0 otherwise, 2 when a file
/// cannot be read, is not a driftwatch report, or the output cannot be written.
pub fn run(args: &DiffArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> crate::cli::Exit {
    use crate::cli::Exit;
    let d = match diff_files(&args.before, &args.after) {
        Ok(d) => d,
        Err(e) => {
            let _ = writeln!(stderr, "{e}");
            return Exit::Invalid;
        }
    };
    let written = match &args.output {
        Some(path) => std::fs::File::create(path).and_then(|mut f| render(&d, args.format, &mut f)),
        None => render(&d, args.format, stdout),
    };
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => {
            let _ = writeln!(stderr, "driftwatch: cannot write the diff: {e}");
            return Exit::Invalid;
        }
        Ok(()) => {}
    }
    if d.new_drift.is_empty() {
        Exit::Clean
    } else {
        Exit::Drift
    }
}

#[cfg(test)]
#[path = "diff_tests.rs"]
mod tests;
