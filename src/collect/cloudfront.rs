//! Fills `Inventory::distributions`: every CloudFront distribution
//! (ListDistributions, every page); its logging configuration and tags only when
//! asked. CloudFront is global: its API, and the CloudWatch Logs deliveries of its
//! standard logging v2, live in the partition's global region.
//!
//! One distribution whose configuration or tags cannot be read is that
//! distribution's gap; one deleted between the listing and those reads
//! (NoSuchDistribution / NoSuchResource) is gone.

use crate::aws::{all_pages, Ctx};
use crate::inventory::{DistOrigin, DistOriginGroup, Distribution, Gap, Observed};
use aws_sdk_cloudfront::error::ProvideErrorMetadata;
use futures::future::join_all;
use std::collections::BTreeMap;

const SERVICE: &str = "cloudfront";

pub const CALLS: &[super::permissions::Call] = &[
    super::permissions::Call {
        operation: "ListDistributions",
        action: "cloudfront:ListDistributions",
        needed: |_| true,
    },
    super::permissions::Call {
        operation: "GetDistributionConfig",
        action: "cloudfront:GetDistributionConfig",
        needed: |n| n.has("logging"),
    },
    super::permissions::Call {
        operation: "DescribeDeliverySources",
        action: "logs:DescribeDeliverySources",
        needed: |n| n.has("logging"),
    },
    super::permissions::Call {
        operation: "DescribeDeliveries",
        action: "logs:DescribeDeliveries",
        needed: |n| n.has("logging"),
    },
    super::permissions::Call {
        operation: "ListTagsForResource",
        action: "cloudfront:ListTagsForResource",
        needed: |n| n.has("tags"),
    },
];

pub static COLLECTOR: super::Collector = super::Collector {
    id: "cloudfront",
    service: SERVICE,
    part: "distributions",
    reads: &[
        ("logging", "standard logging (legacy and v2 CloudWatch Logs deliveries)"),
        ("tags", "tags of each distribution"),
    ],
    calls: CALLS,
    collect: |ctx, need| {
        Box::pin(async move {
            let part = collect(ctx, need.has("logging"), need.has("tags")).await;
            Box::new(move |inv: &mut crate::inventory::Inventory| inv.distributions = Some(part)) as super::Fill
        })
    },
    cut_short: |_, gap, inv| inv.distributions = Some(Observed::Unknown(gap.clone())),
};

/// Whether an error says the distribution no longer exists.
fn gone<E: ProvideErrorMetadata>(err: &aws_sdk_cloudfront::error::SdkError<E>) -> bool {
    matches!(err.as_service_error().and_then(|e| e.code()), Some("NoSuchDistribution" | "NoSuchResource"))
}

/// Standard logging v2: per distribution ARN, the destinations of the deliveries
/// whose source sends that distribution's access logs. A delivery source names the
/// resources it reads (`resourceArns`), its `service` (`cloudfront`) and `logType`
/// (`ACCESS_LOGS`); a delivery pairs one source (`deliverySourceName`) with one
/// destination. DescribeDeliveries takes no filter: every page is read and matched
/// by source name. A source reported INACTIVE (its resource deleted) sends nothing.
async fn v2_deliveries(ctx: &Ctx) -> Result<BTreeMap<String, Vec<String>>, Gap> {
    let region = ctx.global_region();
    let logs = ctx.client::<aws_sdk_cloudwatchlogs::Client>(region);
    let sources = all_pages(ctx, logs.describe_delivery_sources().into_paginator().send())
        .await
        .map_err(|e| ctx.gap(&e, "logs", region, "DescribeDeliverySources", None))?;
    let deliveries = all_pages(ctx, logs.describe_deliveries().into_paginator().send())
        .await
        .map_err(|e| ctx.gap(&e, "logs", region, "DescribeDeliveries", None))?;
    let mut by_source: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for d in deliveries.iter().flat_map(|p| p.deliveries()) {
        if let (Some(source), Some(dest)) = (d.delivery_source_name(), d.delivery_destination_arn()) {
            by_source.entry(source).or_default().push(dest.to_string());
        }
    }
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for s in sources.iter().flat_map(|p| p.delivery_sources()) {
        let access_logs = s.service().is_some_and(|v| v.eq_ignore_ascii_case("cloudfront"))
            && s.log_type() == Some("ACCESS_LOGS")
            && s.status().is_none_or(|st| st.as_str() == "ACTIVE");
        let dests = s.name().and_then(|n| by_source.get(n));
        if let (true, Some(dests)) = (access_logs, dests) {
            for arn in s.resource_arns() {
                out.entry(arn.clone()).or_default().extend(dests.iter().cloned());
            }
        }
    }
    Ok(out)
}

pub async fn collect(ctx: &Ctx, logging: bool, tags: bool) -> Observed<Vec<Distribution>> {
    let region = ctx.global_region();
    let cf = ctx.client::<aws_sdk_cloudfront::Client>(region);
    let pages = match all_pages(ctx, cf.list_distributions().into_paginator().send()).await {
        Ok(p) => p,
        Err(e) => return Observed::Unknown(ctx.gap(&e, SERVICE, region, "ListDistributions", None)),
    };
    let out: Vec<Distribution> = pages
        .iter()
        .filter_map(|p| p.distribution_list())
        .flat_map(|l| l.items())
        .map(|d| Distribution {
            id: d.id().to_string(),
            arn: d.arn().to_string(),
            domain_name: d.domain_name().to_string(),
            aliases: d.aliases().map(|a| a.items().to_vec()).unwrap_or_default(),
            origins: d
                .origins()
                .map(|o| o.items())
                .unwrap_or_default()
                .iter()
                .map(|o| DistOrigin {
                    id: o.id().to_string(),
                    domain: o.domain_name().to_string(),
                    s3: o.s3_origin_config().is_some() || o.domain_name().contains(".s3."),
                    oac_id: o.origin_access_control_id().filter(|s| !s.is_empty()).map(str::to_string),
                })
                .collect(),
            origin_groups: d
                .origin_groups()
                .map(|g| g.items())
                .unwrap_or_default()
                .iter()
                .map(|g| DistOriginGroup {
                    id: g.id().to_string(),
                    members: g
                        .members()
                        .map(|m| m.items().iter().map(|x| x.origin_id().to_string()).collect())
                        .unwrap_or_default(),
                    status_codes: g
                        .failover_criteria()
                        .and_then(|f| f.status_codes())
                        .map(|s| s.items().to_vec())
                        .unwrap_or_default(),
                })
                .collect(),
            default_target: d.default_cache_behavior().map(|b| b.target_origin_id().to_string()),
            compress: d.default_cache_behavior().and_then(|b| b.compress()).unwrap_or(false),
            web_acl: Some(d.web_acl_id()).filter(|s| !s.is_empty()).map(str::to_string),
            acm_certificate: d
                .viewer_certificate()
                .and_then(|v| v.acm_certificate_arn())
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            min_tls: d.viewer_certificate().and_then(|v| v.minimum_protocol_version()).map(|v| v.as_str().to_string()),
            default_certificate: d.viewer_certificate().is_some_and(|v| {
                v.cloud_front_default_certificate() == Some(true)
                    && v.acm_certificate_arn().is_none_or(str::is_empty)
                    && v.iam_certificate_id().is_none_or(str::is_empty)
            }),
            error_codes: d
                .custom_error_responses()
                .map(|c| c.items().iter().map(|r| r.error_code()).collect())
                .unwrap_or_default(),
            logging: Observed::default(),
            log_deliveries: Observed::default(),
            tags: Observed::default(),
        })
        .collect();
    let ids: Vec<(String, String)> = out.iter().map(|d| (d.id.clone(), d.arn.clone())).collect();
    let details = join_all(ids.iter().map(|(id, arn)| {
        let cf = cf.clone();
        async move {
            let log = async {
                if !logging {
                    return Some(Observed::default());
                }
                let _permit = ctx.permit().await;
                match cf.get_distribution_config().id(id).send().await {
                    Ok(o) => match o.distribution_config() {
                        Some(c) => {
                            Some(Observed::Known(c.logging().filter(|l| l.enabled()).map(|l| l.bucket().to_string())))
                        }
                        None => Some(Observed::Unknown(ctx.malformed(
                            SERVICE,
                            region,
                            "GetDistributionConfig",
                            "the DistributionConfig",
                        ))),
                    },
                    Err(e) if gone(&e) => None,
                    Err(e) => Some(Observed::Unknown(ctx.gap(&e, SERVICE, region, "GetDistributionConfig", Some(arn)))),
                }
            };
            let tag = async {
                if !tags {
                    return Some(Observed::default());
                }
                let _permit = ctx.permit().await;
                match cf.list_tags_for_resource().resource(arn).send().await {
                    Ok(o) => Some(Observed::Known(
                        o.tags().map(|t| super::tag_map(t.items(), |x| (Some(x.key()), x.value()))).unwrap_or_default(),
                    )),
                    Err(e) if gone(&e) => None,
                    Err(e) => Some(Observed::Unknown(ctx.gap(&e, SERVICE, region, "ListTagsForResource", Some(arn)))),
                }
            };
            tokio::join!(log, tag)
        }
    }))
    .await;
    let mut kept = Vec::with_capacity(out.len());
    for (mut d, details) in out.into_iter().zip(details) {
        // deleted since the listing: simply gone
        if let (Some(log), Some(tag)) = details {
            d.logging = log;
            d.tags = tag;
            kept.push(d);
        }
    }
    let mut out = kept;
    // standard logging v2 only matters where legacy logging is off
    if logging && out.iter().any(|d| matches!(d.logging, Observed::Known(None))) {
        let v2 = v2_deliveries(ctx).await;
        for d in out.iter_mut().filter(|d| matches!(d.logging, Observed::Known(None))) {
            d.log_deliveries = match &v2 {
                Ok(map) => Observed::Known(map.get(&d.arn).cloned().unwrap_or_default()),
                Err(g) => Observed::Unknown(g.clone()),
            };
        }
    }
    Observed::Known(out)
}

#[cfg(test)]
#[path = "cloudfront_tests.rs"]
mod tests;
