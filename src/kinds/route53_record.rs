//! `route53.record`: records by name and type, alias targets.

use super::{Field, FieldType::*, Kind};
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::inventory::{Gap, Inventory, RecordSet};
use crate::profile::Requirement;
use serde_json::json;

pub static KIND: Kind = Kind {
    name: "route53.record",
    summary: "Route 53 records: present by name and type, alias targets, public zone",
    doc: "Every record set of every hosted zone of the account (Route 53 is global; read with \
ListHostedZones and ListResourceRecordSets: Name, Type, AliasTarget.DNSName, ResourceRecords), \
named by its fully qualified name without the trailing dot. Route 53 lists every character of \
a name other than a-z, 0-9, `-` and `_` as a `\\NNN` octal escape (`\\052` for `*`); names, \
zone names and alias targets are decoded before they are selected, compared or reported, so \
a wildcard record is `*.example.com` (escapes of a dot inside a label, spaces and bytes above \
126 stay escaped). `type` chooses the candidates, so \"an A alias for the apex pointing at \
CloudFront\" is `select = { name = \"example.com\" }`, `min_count = 1`, `type = \"A\"`, \
`alias_to = \"cloudfront.net\"`.",
    regional: false,
    tags: false,
    selectable: true,
    fields: &[
        Field::new("type", Str, "Record type (A, AAAA, CNAME, …); chooses the candidates."),
        Field::new(
            "alias_to",
            Str,
            "The record is an alias whose target ends with this, e.g. cloudfront.net or a distribution's domain.",
        ),
        Field::new("public_zone", Bool, "The record lives in a public hosted zone."),
    ],
    plan: |_, plan| {
        plan.global("route53");
    },
    evaluate,
};

fn checks(req: &Requirement, r: &RecordSet) -> Vec<Check> {
    let e = &req.expect;
    let mut out = Vec::new();
    if let Some(want) = e.str("type") {
        out.push(Check::new("type", json!(want), json!(r.record_type), r.record_type == want));
    }
    if let Some(want) = e.str("alias_to") {
        let want = want.trim_end_matches('.').to_ascii_lowercase();
        let ok = r.alias_target.as_deref().is_some_and(|t| t == want || t.ends_with(&format!(".{want}")));
        out.push(Check::new("alias_to", json!(want), json!(r.alias_target), ok));
    }
    if let Some(want) = e.bool("public_zone") {
        out.push(Check::new("public_zone", json!(want), json!(!r.private_zone), r.private_zone != want));
    }
    out
}

fn evaluate(req: &Requirement, inv: &Inventory) -> Vec<Finding> {
    let mut listing = Listing::new();
    match &inv.records {
        Some(list) => listing.add(list.as_ref()),
        None => listing.gaps.push(Gap::not_collected("Route 53 records")),
    }
    if let Some(t) = req.expect.str("type") {
        listing.items.retain(|r| r.record_type == t);
    }
    evaluate_resources(
        req,
        listing,
        |r| Meta {
            id: format!("{}/{}/{}", r.zone_id, r.name, r.record_type).into(),
            name: r.name.as_str().into(),
            region: None,
            tags: None,
            path: None,
        },
        |r| checks(req, r),
    )
}
