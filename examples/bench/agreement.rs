//! Where driftwatch and Prowler agree: both tools' findings reduced to (area,
//! resource, region, failed) and compared area by area.

use super::{seed, Env, Error};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Prowler's checks for the same areas (all exist in Prowler 5.46.0). Its CloudTrail
/// checks include log file validation, so the profile above asks for it too.
pub(crate) const PROWLER_CHECKS: &[&str] = &[
    "s3_bucket_default_encryption",
    "s3_bucket_kms_encryption",
    "s3_bucket_object_versioning",
    "s3_bucket_level_public_access_block",
    "iam_role_administratoraccess_policy",
    "iam_aws_attached_policy_no_administrative_privileges",
    "iam_customer_attached_policy_no_administrative_privileges",
    "iam_inline_policy_no_administrative_privileges",
    "cloudtrail_multi_region_enabled",
    "cloudtrail_multi_region_enabled_logging_management_events",
    "cloudtrail_log_file_validation_enabled",
    "acm_certificates_expiration_check",
    "acm_certificates_transparency_logs_enabled",
    "vpc_peering_routing_tables_with_least_privilege",
    "cloudwatch_alarm_actions_enabled",
    "cloudwatch_alarm_actions_alarm_state_configured",
];

pub(crate) const AREAS: [&str; 6] = ["s3", "iam", "cloudtrail", "acm", "vpc", "cloudwatch"];

pub(crate) fn area_of(id: &str) -> &'static str {
    AREAS.iter().find(|a| id.starts_with(*a)).copied().unwrap_or("other")
}

/// One finding of either tool, reduced to what the comparison needs.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub(crate) area: &'static str,
    /// The resource's id as the tool reports it (ARN, name or pair).
    pub(crate) resource: String,
    pub(crate) region: String,
    pub(crate) fail: bool,
}

/// The short name of a resource id: a bucket, role, trail or alarm name, else the id.
pub(crate) fn short(id: &str) -> String {
    let id = id.strip_prefix("arn:aws:s3:::").unwrap_or(id);
    id.rsplit([':', '/']).next().unwrap_or(id).to_string()
}

pub(crate) fn driftwatch_items(report: &Path) -> Result<Vec<Item>, Error> {
    let v: Value = serde_json::from_slice(&std::fs::read(report)?)?;
    let mut out = Vec::new();
    for f in v["findings"].as_array().ok_or("no findings in the driftwatch report")? {
        let status = f["status"].as_str().unwrap_or("");
        if status == "not_applicable" {
            continue;
        }
        out.push(Item {
            area: area_of(f["requirement"].as_str().unwrap_or("")),
            resource: f["resource"].as_str().unwrap_or("(requirement)").to_string(),
            region: f["region"].as_str().unwrap_or("").to_string(),
            fail: status != "pass",
        });
    }
    Ok(out)
}

pub(crate) fn prowler_items(dir: &Path) -> Result<Vec<Item>, Error> {
    let file = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.to_string_lossy().ends_with(".ocsf.json"))
        .ok_or("Prowler wrote no .ocsf.json (see stderr.log in its output directory)")?;
    let v: Value = serde_json::from_slice(&std::fs::read(file)?)?;
    let mut out = Vec::new();
    for f in v.as_array().ok_or("Prowler's OCSF output is not a list")? {
        let status = f["status_code"].as_str().unwrap_or("");
        if status != "PASS" && status != "FAIL" {
            continue;
        }
        out.push(Item {
            area: area_of(f["metadata"]["event_code"].as_str().unwrap_or("")),
            resource: f["resources"][0]["uid"].as_str().unwrap_or("").to_string(),
            region: f["resources"][0]["region"].as_str().unwrap_or("").to_string(),
            fail: status == "FAIL",
        });
    }
    Ok(out)
}

pub(crate) fn failing(items: &[Item], area: &str, keep: impl Fn(&str) -> bool) -> BTreeSet<String> {
    items.iter().filter(|i| i.area == area && i.fail && keep(&i.resource)).map(|i| short(&i.resource)).collect()
}

/// The two regions of a peering as "a↔b" (sorted).
pub(crate) fn pair_key(a: &str, b: &str) -> String {
    let (x, y) = if a <= b { (a, b) } else { (b, a) };
    format!("{x}↔{y}")
}

/// Every peering connection of the account by id, as its pair of regions.
pub(crate) async fn peering_pairs(env: &Env) -> Result<BTreeMap<String, String>, Error> {
    let mut out = BTreeMap::new();
    for region in seed::REGIONS {
        let listed = env.ec2(region).describe_vpc_peering_connections().send().await?;
        for p in listed.vpc_peering_connections() {
            let (Some(id), Some(a), Some(b)) = (
                p.vpc_peering_connection_id(),
                p.requester_vpc_info().and_then(|i| i.region()),
                p.accepter_vpc_info().and_then(|i| i.region()),
            ) else {
                continue;
            };
            out.insert(id.to_string(), pair_key(a, b));
        }
    }
    Ok(out)
}

/// Where the two tools' findings differ, area by area, with the reason.
pub(crate) fn compare(n: usize, dw: &[Item], pr: &[Item], pairs: &BTreeMap<String, String>) -> Vec<String> {
    let mut notes = Vec::new();
    let sample = |v: &BTreeSet<String>| {
        let mut s: Vec<&str> = v.iter().take(3).map(String::as_str).collect();
        if v.len() > 3 {
            s.push("…");
        }
        format!("{} [{}]", v.len(), s.join(", "))
    };
    let mut sets = |area: &str, keep: &dyn Fn(&str) -> bool, reason: &str| {
        let (d, p) = (failing(dw, area, keep), failing(pr, area, keep));
        if d == p {
            notes.push(format!("N={n} {area}: agree, {} failing", d.len()));
        } else {
            let only_d: BTreeSet<String> = d.difference(&p).cloned().collect();
            let only_p: BTreeSet<String> = p.difference(&d).cloned().collect();
            notes.push(format!(
                "N={n} {area}: only driftwatch flags {}; only Prowler flags {} — {reason}",
                sample(&only_d),
                sample(&only_p)
            ));
        }
    };
    sets("s3", &|r| r.contains("bench-b-"), "the benchmark's own buckets compared; no difference expected");
    sets(
        "iam",
        &|r| r.contains(":role/"),
        "Prowler's iam_role_administratoraccess_policy skips service roles (these trust ec2.amazonaws.com), so \
         an instance role with AdministratorAccess passes; it reports the AWS-managed policy itself instead",
    );
    sets(
        "cloudtrail",
        &|r| r.contains(":trail/"),
        "Prowler's regional findings name no trail (uid `…:trail`); the stopped single-region trail is \
         covered for Prowler by the multi-region one",
    );
    sets("cloudwatch", &|r| r.contains(":alarm:"), "alarm checks compared alarm by alarm");
    let certs = |items: &[Item]| items.iter().filter(|i| i.area == "acm").count();
    notes.push(format!(
        "N={n} acm: driftwatch judged {} certificates, Prowler {} — Prowler skips certificates not in use \
         (no load balancer or distribution) unless --scan-unused-services",
        certs(dw),
        certs(pr)
    ));
    // peering: per pair of regions, driftwatch's verdict and Prowler's (one per region it saw it from)
    let mut by_pair: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    for i in dw.iter().filter(|i| i.area == "vpc") {
        let regions: Vec<&str> = i.resource.split(" <-> ").filter_map(|side| side.split(':').next()).collect();
        if let [a, b] = regions[..] {
            by_pair.entry(pair_key(a, b)).or_default().0 = if i.fail { "drift" } else { "pass" }.into();
        }
    }
    for i in pr.iter().filter(|i| i.area == "vpc") {
        let pair = pairs.get(&short(&i.resource)).cloned().unwrap_or_else(|| short(&i.resource));
        by_pair.entry(pair).or_default().1.push(format!("{}@{}", if i.fail { "FAIL" } else { "PASS" }, i.region));
    }
    for (pair, (d, p)) in by_pair {
        let d = if d.is_empty() { "-".to_string() } else { d };
        let p = if p.is_empty() { "no finding".to_string() } else { p.join(" ") };
        notes.push(format!("N={n} vpc peering {pair}: driftwatch {d}; Prowler {p}"));
    }
    notes.push(format!(
        "N={n} vpc: the tools ask different questions — driftwatch: is every mesh pair peered and routed both ways \
         (a missing pair is drift); Prowler: does any route send a whole VPC CIDR over the connection (so a routed \
         pair FAILs, an unrouted one PASSes, a missing one has no finding); it reports a cross-region connection \
         once from each region, and the two verdicts can contradict each other (it compares routes with the \
         CIDRs it sees from that side only)"
    ));
    notes
}

pub(crate) fn findings_cell(items: &[Item]) -> String {
    AREAS
        .iter()
        .map(|a| {
            let all = items.iter().filter(|i| i.area == *a).count();
            let fail = items.iter().filter(|i| i.area == *a && i.fail).count();
            format!("{a} {fail}/{all}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}
