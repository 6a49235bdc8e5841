//! Fills `Inventory::distributions`: every CloudFront distribution
//! (ListDistributions, every page); its logging configuration and tags only when
//! asked. CloudFront is global; its API lives in us-east-1.

use crate::aws::{all_pages, Ctx};
use crate::inventory::{DistOrigin, DistOriginGroup, Distribution, Observed};
use futures::future::join_all;

const SERVICE: &str = "cloudfront";
const REGION: &str = "us-east-1";

pub const CALLS: &[super::permissions::Call] = &[
    super::permissions::Call {
        operation: "ListDistributions",
        action: "cloudfront:ListDistributions",
        needed: |p| p.cloudfront,
    },
    super::permissions::Call {
        operation: "GetDistributionConfig",
        action: "cloudfront:GetDistributionConfig",
        needed: |p| p.cloudfront_logging,
    },
    super::permissions::Call {
        operation: "ListTagsForResource",
        action: "cloudfront:ListTagsForResource",
        needed: |p| p.cloudfront_tags,
    },
];

pub async fn collect(ctx: &Ctx, logging: bool, tags: bool) -> Observed<Vec<Distribution>> {
    let cf = aws_sdk_cloudfront::Client::new(&ctx.config(REGION));
    let pages = match all_pages(ctx, cf.list_distributions().into_paginator().send()).await {
        Ok(p) => p,
        Err(e) => return Observed::Unknown(ctx.gap(&e, SERVICE, REGION, "ListDistributions", None)),
    };
    let mut out: Vec<Distribution> = pages
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
            error_codes: d
                .custom_error_responses()
                .map(|c| c.items().iter().map(|r| r.error_code()).collect())
                .unwrap_or_default(),
            logging: Observed::default(),
            tags: Observed::default(),
        })
        .collect();
    let ids: Vec<(String, String)> = out.iter().map(|d| (d.id.clone(), d.arn.clone())).collect();
    let details = join_all(ids.iter().map(|(id, arn)| {
        let cf = cf.clone();
        async move {
            let log = async {
                if !logging {
                    return Observed::default();
                }
                let _permit = ctx.permit().await;
                match cf.get_distribution_config().id(id).send().await {
                    Ok(o) => Observed::Known(
                        o.distribution_config()
                            .and_then(|c| c.logging())
                            .filter(|l| l.enabled())
                            .map(|l| l.bucket().to_string()),
                    ),
                    Err(e) => Observed::Unknown(ctx.gap(&e, SERVICE, REGION, "GetDistributionConfig", Some(arn))),
                }
            };
            let tag = async {
                if !tags {
                    return Observed::default();
                }
                let _permit = ctx.permit().await;
                match cf.list_tags_for_resource().resource(arn).send().await {
                    Ok(o) => Observed::Known(
                        o.tags().map(|t| super::tag_map(t.items(), |x| (Some(x.key()), x.value()))).unwrap_or_default(),
                    ),
                    Err(e) => Observed::Unknown(ctx.gap(&e, SERVICE, REGION, "ListTagsForResource", Some(arn))),
                }
            };
            tokio::join!(log, tag)
        }
    }))
    .await;
    for (d, (log, tag)) in out.iter_mut().zip(details) {
        d.logging = log;
        d.tags = tag;
    }
    Observed::Known(out)
}
