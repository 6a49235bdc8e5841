//! `route53.record`: records by name and type, alias targets.

use super::{Field, FieldType::*, Kind};
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::comparison::Comparison;
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
            "The record is an alias (AliasTarget.DNSName) whose target ends with this, e.g. cloudfront.net or a \
distribution's domain; a table compares the whole target name.",
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
    if let Some(cmp) = e.cmp("type") {
        out.push(Check::string("type", cmp, &r.record_type));
    }
    if let Some(cmp) = e.cmp("alias_to") {
        // a plain name is a suffix of the target; a table compares the whole target
        let (expected, ok) = match cmp {
            Comparison::Text(want) => {
                let want = want.trim_end_matches('.').to_ascii_lowercase();
                let ok = r.alias_target.as_deref().is_some_and(|t| t == want || t.ends_with(&format!(".{want}")));
                (json!(want), ok)
            }
            _ => (cmp.expected(), r.alias_target.as_deref().is_some_and(|t| cmp.string(t))),
        };
        out.push(Check::new("alias_to", expected, json!(r.alias_target), ok));
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
    if let Some(cmp) = req.expect.cmp("type") {
        listing.items.retain(|r| cmp.string(&r.record_type));
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

#[cfg(test)]
#[path = "route53_record_tests.rs"]
mod tests;
