//! Fills `Inventory::records`: every record set of every hosted zone
//! (ListHostedZones, ListResourceRecordSets, every page). Route 53 is global.

use crate::aws::{all_pages, Ctx};
use crate::inventory::{Observed, RecordSet};
use futures::future::join_all;

const SERVICE: &str = "route53";
const REGION: &str = "us-east-1";

pub const CALLS: &[super::permissions::Call] = &[
    super::permissions::Call { operation: "ListHostedZones", action: "route53:ListHostedZones", needed: |p| p.records },
    super::permissions::Call {
        operation: "ListResourceRecordSets",
        action: "route53:ListResourceRecordSets",
        needed: |p| p.records,
    },
];

fn bare(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

async fn zone_records(
    ctx: &Ctx,
    r53: &aws_sdk_route53::Client,
    id: &str,
    zone: &str,
    private: bool,
) -> Result<Vec<RecordSet>, crate::inventory::Gap> {
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
            call.send().await.map_err(|e| ctx.gap(&e, SERVICE, REGION, "ListResourceRecordSets", Some(zone)))?
        };
        out.extend(page.resource_record_sets().iter().map(|r| RecordSet {
            zone_id: id.to_string(),
            zone_name: bare(zone),
            private_zone: private,
            name: bare(r.name()),
            record_type: r.r#type().as_str().to_string(),
            alias_target: r.alias_target().map(|a| bare(a.dns_name())),
            values: r.resource_records().iter().map(|v| v.value().to_string()).collect(),
        }));
        match (page.is_truncated(), page.next_record_name(), page.next_record_type()) {
            (true, Some(n), Some(t)) => {
                let next = (n.to_string(), t.clone(), page.next_record_identifier().map(str::to_string));
                if start.as_ref() == Some(&next) {
                    return Err(ctx.malformed(
                        SERVICE,
                        REGION,
                        "ListResourceRecordSets",
                        "progress (the same page twice)",
                    ));
                }
                start = Some(next);
            }
            (true, _, _) => {
                return Err(ctx.malformed(
                    SERVICE,
                    REGION,
                    "ListResourceRecordSets",
                    "NextRecordName on a truncated page",
                ))
            }
            _ => return Ok(out),
        }
    }
}

pub async fn collect(ctx: &Ctx) -> Observed<Vec<RecordSet>> {
    let r53 = aws_sdk_route53::Client::new(&ctx.config(REGION));
    let zones = match all_pages(ctx, r53.list_hosted_zones().into_paginator().send()).await {
        Ok(p) => p,
        Err(e) => return Observed::Unknown(ctx.gap(&e, SERVICE, REGION, "ListHostedZones", None)),
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
            Ok(records) => out.extend(records),
            Err(g) => return Observed::Unknown(g),
        }
    }
    Observed::Known(out)
}
