//! `cloudtrail.trail`: trails that apply to the audited regions.

use super::{Field, FieldType::*, Kind};
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::inventory::{Inventory, ManagementEvents, Observed, Trail};
use crate::profile::Requirement;
use serde_json::json;
use std::collections::BTreeSet;

pub static KIND: Kind = Kind {
    name: "cloudtrail.trail",
    summary: "CloudTrail trails: logging, management events, multi-region, validation, KMS, global events, bucket",
    doc: "Every trail that applies to an audited region: trails whose home region it is, and \
multi-region or organization trails created in any other region (DescribeTrails with shadow \
trails). A trail seen from several regions is evaluated once. IsLogging comes from \
GetTrailStatus in the trail's home region. `all_management_events` reads GetEventSelectors \
there (only when a requirement asks for it; DescribeTrails' HasCustomEventSelectors is not \
used): CloudTrail logs an event that matches any selector, and the trail logs all API calls \
only if its selectors log read and write management events from every event source. An \
organization trail that another account owns (its TrailARN names another account: a member \
account's view) is asked by its full ARN, as AWS documents for member accounts; a read that \
still fails there (member accounts have been answered CloudTrailARNInvalidException or \
TrailNotFoundException) makes the field unknown, \"organization trail owned by account N: \
OPERATION from this member account failed with CODE\", never gone. The audited account is the \
one STS GetCallerIdentity named for the audit. Any other trail deleted while it is read is \
left out. Typical use: `match = \"any\"`, `min_count = 1`, `multi_region = true`, \
`logging = true`, `all_management_events = true`.",
    regional: true,
    tags: true,
    selectable: true,
    fields: &[
        Field::new("logging", Bool, "GetTrailStatus.IsLogging: the trail is delivering events."),
        Field::new("multi_region", Bool, "The trail applies to all regions."),
        Field::new("log_file_validation", Bool, "Log file integrity validation is enabled."),
        Field::new("kms_encrypted", Bool, "Logs are encrypted with a KMS key (SSE-KMS)."),
        Field::new(
            "include_global_service_events",
            Bool,
            "Events of global services (IAM, STS, CloudFront) are included.",
        ),
        Field::new("s3_bucket", Str, "Name of the bucket the trail delivers to."),
        Field::new(
            "all_management_events",
            Bool,
            "The event selectors (GetEventSelectors) log read and write management events from every \
event source: a classic selector with IncludeManagementEvents true, ReadWriteType All and no \
ExcludeManagementEventSources, or an advanced selector with eventCategory Management and no \
readOnly or eventSource condition (or several selectors that together cover read and write). \
ReadOnly/WriteOnly, readOnly true/false, excluded sources (kms.amazonaws.com, \
rdsdata.amazonaws.com), data-event-only selectors or no selector at all are not all API calls.",
        ),
    ],
    plan: |req, plan| {
        plan.resources("cloudtrail", req).read_if(req.expect.has("all_management_events"), "selectors");
    },
    evaluate,
};

fn checks(req: &Requirement, t: &Trail) -> Vec<Check> {
    let e = &req.expect;
    let mut out = Vec::new();
    let plain = |field: &'static str, want: bool, have: bool| Check::new(field, json!(want), json!(have), want == have);
    if let Some(want) = e.bool("logging") {
        out.push(Check::of("logging", json!(want), &t.is_logging, |v| json!(v), |v| *v == want));
    }
    if let Some(want) = e.bool("multi_region") {
        out.push(plain("multi_region", want, t.multi_region));
    }
    if let Some(want) = e.bool("log_file_validation") {
        out.push(Check::flag("log_file_validation", want, t.log_file_validation, "LogFileValidationEnabled"));
    }
    if let Some(want) = e.bool("kms_encrypted") {
        out.push(plain("kms_encrypted", want, t.kms_key.is_some()));
    }
    if let Some(want) = e.bool("include_global_service_events") {
        out.push(Check::flag(
            "include_global_service_events",
            want,
            t.include_global_service_events,
            "IncludeGlobalServiceEvents",
        ));
    }
    if let Some(cmp) = e.cmp("s3_bucket") {
        let ok = t.s3_bucket.as_deref().is_some_and(|b| cmp.string(b));
        out.push(Check::new("s3_bucket", cmp.expected(), json!(t.s3_bucket), ok));
    }
    if let Some(want) = e.bool("all_management_events") {
        out.push(Check::of(
            "all_management_events",
            json!(want),
            &t.management_events,
            |m| json!(shown(m)),
            |m| m.all() == want,
        ));
    }
    out
}

/// What the selectors log, as a finding shows it: `read and write`, `read only`,
/// `write only` or `no` (management events), then what they leave out.
fn shown(m: &ManagementEvents) -> String {
    let kinds = match (m.read, m.write) {
        (true, true) => "read and write",
        (true, false) => "read only",
        (false, true) => "write only",
        (false, false) => "no",
    };
    if m.excluded.is_empty() {
        format!("{kinds} management events")
    } else {
        format!("{kinds} management events, except {}", m.excluded.join(", "))
    }
}

fn evaluate(req: &Requirement, inv: &Inventory) -> Vec<Finding> {
    let mut listing: Listing<Trail> = Listing::new();
    let mut seen = BTreeSet::new();
    for region in &req.regions {
        match Inventory::regional(&inv.trails, region, "CloudTrail trails") {
            Observed::Known(trails) => {
                listing.items.extend(trails.iter().filter(|t| seen.insert(t.arn.clone())));
            }
            Observed::Unknown(g) => listing.gaps.push(g),
        }
    }
    evaluate_resources(
        req,
        listing,
        |t| Meta {
            id: t.arn.as_str().into(),
            name: t.name.as_str().into(),
            region: Some(t.home_region.as_str().into()),
            tags: Some(&t.tags),
            path: None,
        },
        |t| checks(req, t),
    )
}

#[cfg(test)]
#[path = "cloudtrail_trail_tests.rs"]
mod tests;
