//! `--format sarif`: SARIF 2.1.0 for code-scanning dashboards. One rule per
//! requirement; a result per drifted (error) or unknown (warning) finding. A waived
//! drift is a result with an external suppression whose justification is the reason.
//! With `--baseline`, a drift's properties say `baseline: new` or `known`.

use super::Report;
use crate::compare::Status;
use crate::profile::Severity;
use serde_json::json;
use std::collections::BTreeMap;
use std::io::Write;

/// Generic over the writer, like the JSON report (serde_json writes in small pieces).
pub fn render<W: Write>(report: &Report, out: &mut W) -> std::io::Result<()> {
    let coverage: BTreeMap<String, serde_json::Value> = report
        .coverage
        .requirements
        .iter()
        .map(|e| {
            let c = json!({ "read": e.read, "unknown": e.unknown, "listings_unread": e.listings_unread });
            (format!("{}/{}", e.profile, e.requirement), c)
        })
        .collect();
    let mut rules = BTreeMap::new();
    for f in &report.findings {
        let id = format!("{}/{}", f.profile, f.requirement);
        rules.entry(id.clone()).or_insert_with(|| {
            json!({
                "id": id,
                "name": f.requirement,
                "shortDescription": { "text": format!("{} ({})", f.requirement, f.kind) },
                "properties": { "kind": f.kind, "severity": f.severity, "coverage": coverage.get(&id) },
            })
        });
    }
    let results: Vec<_> = report
        .findings
        .iter()
        .enumerate()
        .filter(|(_, f)| matches!(f.status, Status::Drift | Status::Unknown | Status::Waived))
        .map(|(i, f)| {
            let level = match (f.status, f.severity) {
                (Status::Unknown, _) => "warning",
                (_, Severity::Critical | Severity::High) => "error",
                (_, Severity::Medium) => "warning",
                _ => "note",
            };
            // a fleet run names the account in the message and the properties
            let text = match &f.account {
                Some(a) if !f.message.starts_with(&format!("account {a}:")) => format!("account {a}: {}", f.message),
                _ => f.message.clone(),
            };
            let mut result = json!({
                "ruleId": format!("{}/{}", f.profile, f.requirement),
                "level": level,
                "message": { "text": text },
                "locations": [{ "logicalLocations": [{
                    "fullyQualifiedName": f.resource.clone().unwrap_or_else(|| f.requirement.clone()),
                    "kind": "resource",
                }]}],
                "properties": { "status": f.status, "region": f.region, "checks": f.checks },
            });
            if let Some(a) = &f.account {
                result["properties"]["account"] = json!(a);
            }
            // with --baseline: "new" or "known" drift, as in the JSON report
            if let Some(mark) = report.baseline.as_ref().and_then(|b| b.get(i)) {
                result["properties"]["baseline"] = json!(mark.as_str());
            }
            if let (Status::Waived, Some(w)) = (f.status, &f.waiver) {
                result["suppressions"] = json!([{
                    "kind": "external",
                    "status": "accepted",
                    "justification": w.reason,
                    "properties": { "waiver": w },
                }]);
            }
            result
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "driftwatch",
                "version": report.tool.version,
                "rules": rules.into_values().collect::<Vec<_>>(),
            }},
            "results": results,
            "properties": {
                "account": report.account,
                "summary": report.summary,
                "coverage": { "read": report.coverage.read, "unknown": report.coverage.unknown,
                              "listings_unread": report.coverage.listings_unread },
            },
        }],
    });
    let mut doc = doc;
    if let Some(fleet) = &report.fleet {
        doc["runs"][0]["properties"]["fleet"] = json!(fleet);
    }
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
