//! `--format ocsf`: the findings as OCSF Compliance Finding events (schema 1.8.0,
//! class `compliance_finding`, uid 2003 in category 2 "Findings"), written as one
//! JSON array of events, the report's findings in order.
//!
//! Attributes the schema requires (base_event, finding, compliance_finding):
//! activity_id, category_uid, class_uid, type_uid (class_uid * 100 + activity_id),
//! severity_id, time (epoch milliseconds), metadata {product, version},
//! finding_info {uid}, compliance; the `cloud` profile adds cloud {provider}.
//! Each run reports what it observed, so every event is activity 1 "Create".
//!
//! | driftwatch     | compliance.status_id | status_id (finding) | severity_id      |
//! |----------------|----------------------|---------------------|------------------|
//! | drift          | 3 Fail               | 1 New               | requirement's    |
//! | unknown        | 0 Unknown            | 1 New               | requirement's    |
//! | waived         | 3 Fail               | 3 Suppressed        | requirement's    |
//! | pass           | 1 Pass               | 1 New               | 1 Informational  |
//! | not_applicable | 99 Other             | 5 Archived          | 1 Informational  |
//!
//! `unknown` is never Pass: the check read nothing, so its result is Unknown, with
//! the reason in `compliance.status_detail`. A waived drift still fails the control;
//! the schema's finding status "Suppressed" ("reviewed, determined to be benign ...
//! and is now suppressed") says that someone accepted it. A pass needs no action,
//! the schema's "Informational"; the requirement's severity is kept in
//! `unmapped.driftwatch.severity`. Expected and observed values of every field are
//! in `unmapped.driftwatch.checks` (the schema has no place for them).

use super::identity;
use super::Report;
use crate::compare::{Finding, Status};
use crate::partition::Partition;
use crate::profile::Severity;
use serde_json::{json, Map, Value};
use std::io::Write;

pub const SCHEMA_VERSION: &str = "1.8.0";
pub const CATEGORY_UID: u32 = 2;
pub const CLASS_UID: u32 = 2003;
/// Activity 1, "Create".
pub const ACTIVITY_ID: u32 = 1;

pub fn render<W: Write>(report: &Report, out: &mut W) -> std::io::Result<()> {
    let events = events(report).map_err(std::io::Error::other)?;
    serde_json::to_writer_pretty(&mut *out, &events)?;
    writeln!(out)
}

pub fn events(report: &Report) -> Result<Vec<Value>, String> {
    let time = aws_smithy_types::DateTime::from_str(&report.started_at, aws_smithy_types::date_time::Format::DateTime)
        .ok()
        .and_then(|t| t.to_millis().ok())
        .ok_or_else(|| format!("the report's start time `{}` is not an RFC 3339 time", report.started_at))?;
    let partition = Partition::of_regions(&report.regions);
    Ok(report.findings.iter().enumerate().map(|(i, f)| event(report, i, f, time, partition)).collect())
}

fn event(report: &Report, index: usize, f: &Finding, time: i64, partition: Partition) -> Value {
    let (compliance_id, compliance, status_id, status) = match f.status {
        Status::Drift => (3, "Fail", 1, "New"),
        Status::Unknown => (0, "Unknown", 1, "New"),
        Status::Waived => (3, "Fail", 3, "Suppressed"),
        Status::Pass => (1, "Pass", 1, "New"),
        Status::NotApplicable => (99, "Not Applicable", 5, "Archived"),
    };
    let (severity_id, severity) = match f.status {
        Status::Pass | Status::NotApplicable => (1, "Informational"),
        _ => severity(f.severity),
    };
    let account = identity::account(report, f);
    let failed = identity::failed_checks(f);
    let mut compliance_obj = json!({
        "standards": [f.profile],
        "control": f.requirement,
        "requirements": [format!("{}/{}", f.profile, f.requirement)],
        "status_id": compliance_id,
        "status": compliance,
    });
    if !failed.is_empty() {
        compliance_obj["status_detail"] = failed.join("; ").into();
    }
    let mut cloud = Map::new();
    cloud.insert("provider".into(), "AWS".into());
    if let Some(a) = account {
        cloud.insert("account".into(), json!({ "uid": a, "type_id": 10, "type": "AWS Account" }));
    }
    if let Some(region) = f.region.as_ref().or(report.regions.first()) {
        cloud.insert("region".into(), region.clone().into());
    }
    let mut unmapped = json!({ "kind": f.kind, "status": f.status, "severity": f.severity, "checks": f.checks });
    if let Some(w) = &f.waiver {
        unmapped["waiver"] = json!(w);
    }
    if let Some(mark) = report.baseline.as_ref().and_then(|m| m.get(index)) {
        unmapped["baseline"] = mark.as_str().into();
    }
    let mut event = json!({
        "activity_id": ACTIVITY_ID,
        "activity_name": "Create",
        "category_uid": CATEGORY_UID,
        "category_name": "Findings",
        "class_uid": CLASS_UID,
        "class_name": "Compliance Finding",
        "type_uid": CLASS_UID * 100 + ACTIVITY_ID,
        "type_name": "Compliance Finding: Create",
        "severity_id": severity_id,
        "severity": severity,
        "status_id": status_id,
        "status": status,
        "status_code": f.status.as_str(),
        "time": time,
        "message": f.message,
        "metadata": {
            "version": SCHEMA_VERSION,
            "product": { "name": "driftwatch", "vendor_name": "driftwatch", "version": report.tool.version },
            "profiles": ["cloud"],
        },
        "finding_info": {
            "uid": identity::stable_id(account.unwrap_or("unknown-account"), f, usize::MAX),
            "title": identity::title(f),
            "desc": identity::description(f),
            "types": [f.kind],
        },
        "compliance": compliance_obj,
        "cloud": Value::Object(cloud),
        "unmapped": { "driftwatch": unmapped },
    });
    if let Some(uid) = &f.resource {
        let part =
            Partition::of_arn(uid).or_else(|| f.region.as_deref().map(Partition::of_region)).unwrap_or(partition);
        let mut r = json!({ "uid": uid, "type": f.kind, "cloud_partition": part.name });
        if let Some(region) = &f.region {
            r["region"] = region.clone().into();
        }
        event["resources"] = json!([r]);
    }
    event
}

fn severity(s: Severity) -> (u8, &'static str) {
    match s {
        Severity::Info => (1, "Informational"),
        Severity::Low => (2, "Low"),
        Severity::Medium => (3, "Medium"),
        Severity::High => (4, "High"),
        Severity::Critical => (5, "Critical"),
    }
}
