//! Fills `Inventory::records`: every record set of every hosted zone
//! (ListHostedZones, ListResourceRecordSets, every page). Route 53 is global: it
//! is called in the partition's global region.
//!
//! Route 53 answers names in its own escaped form (Developer Guide, "DNS domain
//! name format"): every character of a zone or record name other than a-z, 0-9,
//! `-` and `_` comes back as `\` and three octal digits, so `*.example.com.` is
//! listed as `\052.example.com.`. Names are decoded before they are compared or
//! reported; see [`decode_name`].

use crate::aws::{all_pages, Ctx};
use crate::inventory::{Gap, Observed, RecordSet};
use futures::future::join_all;

const SERVICE: &str = "route53";

pub const CALLS: &[super::permissions::Call] = &[
    super::permissions::Call { operation: "ListHostedZones", action: "route53:ListHostedZones", needed: |_| true },
    super::permissions::Call {
        operation: "ListResourceRecordSets",
        action: "route53:ListResourceRecordSets",
        needed: |_| true,
    },
];

pub static COLLECTOR: super::Collector = super::Collector {
    id: "route53",
    service: SERVICE,
    part: "records",
    reads: &[],
    calls: CALLS,
    collect: |ctx, _| {
        Box::pin(async move {
            let part = collect(ctx).await;
            Box::new(move |inv: &mut crate::inventory::Inventory| inv.records = Some(part)) as super::Fill
        })
    },
    cut_short: |_, gap, inv| inv.records = Some(Observed::Unknown(gap.clone())),
};

/// A name as Route 53 lists it, made readable: `\NNN` octal escapes of printable
/// characters become the characters (`\052` → `*`), letters are lower-cased and
/// the trailing dot is dropped. Escapes that stand for a dot inside a label, a
/// space, a control character or a byte above 126 stay escaped: decoding them
/// would make the name ambiguous (`a\056b.example` is not `a.b.example`).
pub fn decode_name(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.trim().chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        let digits: String = chars.clone().take(3).collect();
        let code = (digits.len() == 3 && digits.chars().all(|d| d.is_digit(8)))
            .then(|| u32::from_str_radix(&digits, 8).ok())
            .flatten();
        match code.and_then(char::from_u32) {
            Some(ch) if ch.is_ascii_graphic() && ch != '.' => {
                out.push(ch.to_ascii_lowercase());
                for _ in 0..3 {
                    chars.next();
                }
            }
            // kept as written: an ambiguous or unprintable escape, or a lone backslash
            _ => out.push('\\'),
        }
    }
    if out.ends_with('.') {
        out.pop();
    }
    out
}

/// Whether an error says the hosted zone no longer exists (deleted between
/// ListHostedZones and the read of its records): the zone is simply gone.
fn zone_gone<E: aws_sdk_route53::error::ProvideErrorMetadata>(err: &aws_sdk_route53::error::SdkError<E>) -> bool {
    err.as_service_error().and_then(|e| e.code()) == Some("NoSuchHostedZone")
}

/// Every record set of one zone, or `None` when the zone is gone.
async fn zone_records(
    ctx: &Ctx,
    r53: &aws_sdk_route53::Client,
    id: &str,
    zone: &str,
    private: bool,
) -> Result<Option<Vec<RecordSet>>, Gap> {
    let region = ctx.global_region();
    let mut out = Vec::new();
    let mut start: Option<(String, aws_sdk_route53::types::RrType, Option<String>)> = None;
    loop {
        let mut call = r53.list_resource_record_sets().hosted_zone_id(id);
        if let Some((name, rtype, ident)) = &start {
            call = call
                .start_record_name(name)
                .start_record_type(rtype.clone())
                .set_start_record_identifier(ident.clone());
        }
        let page = {
            let _permit = ctx.permit().await;
            match call.send().await {
                Ok(page) => page,
                Err(e) if zone_gone(&e) => return Ok(None),
                Err(e) => return Err(ctx.gap(&e, SERVICE, region, "ListResourceRecordSets", Some(zone))),
            }
        };
        out.extend(page.resource_record_sets().iter().map(|r| RecordSet {
            zone_id: id.to_string(),
            zone_name: decode_name(zone),
            private_zone: private,
            name: decode_name(r.name()),
            record_type: r.r#type().as_str().to_string(),
            alias_target: r.alias_target().map(|a| decode_name(a.dns_name())),
            values: r.resource_records().iter().map(|v| v.value().to_string()).collect(),
        }));
        match (page.is_truncated(), page.next_record_name(), page.next_record_type()) {
            (true, Some(n), Some(t)) => {
                let next = (n.to_string(), t.clone(), page.next_record_identifier().map(str::to_string));
                if start.as_ref() == Some(&next) {
                    return Err(ctx.malformed(
                        SERVICE,
                        region,
                        "ListResourceRecordSets",
                        "progress (the same page twice)",
                    ));
                }
                start = Some(next);
            }
            (true, _, _) => {
                return Err(ctx.malformed(
                    SERVICE,
                    region,
                    "ListResourceRecordSets",
                    "NextRecordName on a truncated page",
                ))
            }
            _ => return Ok(Some(out)),
        }
    }
}

pub async fn collect(ctx: &Ctx) -> Observed<Vec<RecordSet>> {
    let region = ctx.global_region();
    let r53 = ctx.client::<aws_sdk_route53::Client>(region);
    let zones = match all_pages(ctx, r53.list_hosted_zones().into_paginator().send()).await {
        Ok(p) => p,
        Err(e) => return Observed::Unknown(ctx.gap(&e, SERVICE, region, "ListHostedZones", None)),
    };
    let zones: Vec<(String, String, bool)> = zones
        .iter()
        .flat_map(|p| p.hosted_zones())
        .map(|z| {
            (
                z.id().trim_start_matches("/hostedzone/").to_string(),
                z.name().to_string(),
                z.config().is_some_and(|c| c.private_zone()),
            )
        })
        .collect();
    let mut out = Vec::new();
    for r in join_all(zones.iter().map(|(id, name, private)| zone_records(ctx, &r53, id, name, *private))).await {
        match r {
            Ok(records) => out.extend(records.unwrap_or_default()),
            // a zone whose records cannot be read leaves the set of records incomplete
            Err(g) => return Observed::Unknown(g),
        }
    }
    Observed::Known(out)
}

#[cfg(test)]
#[path = "route53_tests.rs"]
pub(crate) mod tests;
