//! Fills `Inventory::load_balancers`: per region, every load balancer
//! (DescribeLoadBalancers, every page); listeners and tags only when asked.

use super::{per_region, Need};
use crate::aws::{all_pages, Ctx};
use crate::inventory::{Listener, LoadBalancer, Observed, Tags};
use futures::future::join_all;
use std::collections::BTreeMap;

const SERVICE: &str = "elasticloadbalancing";

pub const CALLS: &[super::permissions::Call] = &[
    super::permissions::Call {
        operation: "DescribeLoadBalancers",
        action: "elasticloadbalancing:DescribeLoadBalancers",
        needed: |p| !p.elbv2.is_empty(),
    },
    super::permissions::Call {
        operation: "DescribeListeners",
        action: "elasticloadbalancing:DescribeListeners",
        needed: |p| p.elbv2.detail,
    },
    super::permissions::Call {
        operation: "DescribeTags",
        action: "elasticloadbalancing:DescribeTags",
        needed: |p| p.elbv2.tags,
    },
];

async fn listeners(
    ctx: &Ctx,
    client: &aws_sdk_elasticloadbalancingv2::Client,
    region: &str,
    arn: &str,
) -> Observed<Vec<Listener>> {
    match all_pages(ctx, client.describe_listeners().load_balancer_arn(arn).into_paginator().send()).await {
        Ok(pages) => Observed::Known(
            pages
                .iter()
                .flat_map(|p| p.listeners())
                .map(|l| Listener {
                    arn: l.listener_arn().unwrap_or_default().to_string(),
                    protocol: l.protocol().map(|p| p.as_str().to_string()),
                    port: l.port(),
                    ssl_policy: l.ssl_policy().map(str::to_string),
                    actions: l
                        .default_actions()
                        .iter()
                        .filter_map(|a| a.r#type().map(|t| t.as_str().to_string()))
                        .collect(),
                    redirect_protocol: l
                        .default_actions()
                        .iter()
                        .find_map(|a| a.redirect_config().and_then(|r| r.protocol()).map(str::to_string)),
                })
                .collect(),
        ),
        Err(e) => Observed::Unknown(ctx.gap(&e, SERVICE, region, "DescribeListeners", Some(arn))),
    }
}

/// Tags of load balancers, 20 ARNs per call (the API's limit).
async fn tags(
    ctx: &Ctx,
    client: &aws_sdk_elasticloadbalancingv2::Client,
    region: &str,
    arns: &[String],
) -> BTreeMap<String, Observed<Tags>> {
    let chunks = join_all(arns.chunks(20).map(|chunk| async move {
        let _permit = ctx.permit().await;
        let result = client.describe_tags().set_resource_arns(Some(chunk.to_vec())).send().await;
        (chunk, result)
    }))
    .await;
    let mut out = BTreeMap::new();
    for (chunk, result) in chunks {
        match result {
            Ok(o) => {
                for d in o.tag_descriptions() {
                    let tags = super::tag_map(d.tags(), |t| (t.key(), t.value()));
                    out.insert(d.resource_arn().unwrap_or_default().to_string(), Observed::Known(tags));
                }
            }
            Err(e) => {
                let gap = ctx.gap(&e, SERVICE, region, "DescribeTags", None);
                out.extend(chunk.iter().map(|a| (a.clone(), Observed::Unknown(gap.clone()))));
            }
        }
    }
    out
}

async fn region_balancers(ctx: &Ctx, region: &str, need: &Need) -> Observed<Vec<LoadBalancer>> {
    let client = aws_sdk_elasticloadbalancingv2::Client::new(&ctx.config(region));
    let pages = match all_pages(ctx, client.describe_load_balancers().into_paginator().send()).await {
        Ok(p) => p,
        Err(e) => return Observed::Unknown(ctx.gap(&e, SERVICE, region, "DescribeLoadBalancers", None)),
    };
    let mut lbs = Vec::new();
    for lb in pages.iter().flat_map(|p| p.load_balancers()) {
        let (Some(name), Some(arn)) = (lb.load_balancer_name(), lb.load_balancer_arn()) else {
            return Observed::Unknown(ctx.malformed(
                SERVICE,
                region,
                "DescribeLoadBalancers",
                "a LoadBalancerName or LoadBalancerArn",
            ));
        };
        lbs.push(LoadBalancer {
            name: name.to_string(),
            arn: arn.to_string(),
            region: region.to_string(),
            lb_type: lb.r#type().map(|t| t.as_str().to_string()),
            scheme: lb.scheme().map(|s| s.as_str().to_string()),
            listeners: Observed::default(),
            tags: Observed::default(),
        });
    }
    if need.detail {
        let found = join_all(lbs.iter().map(|lb| listeners(ctx, &client, region, &lb.arn))).await;
        for (lb, l) in lbs.iter_mut().zip(found) {
            lb.listeners = l;
        }
    }
    if need.tags && !lbs.is_empty() {
        let arns: Vec<String> = lbs.iter().map(|l| l.arn.clone()).collect();
        let mut by_arn = tags(ctx, &client, region, &arns).await;
        for lb in &mut lbs {
            lb.tags = by_arn.remove(&lb.arn).unwrap_or_else(|| Observed::Known(Tags::new()));
        }
    }
    Observed::Known(lbs)
}

pub async fn collect(ctx: &Ctx, need: &Need) -> BTreeMap<String, Observed<Vec<LoadBalancer>>> {
    per_region(&need.regions, |r| region_balancers(ctx, r, need)).await
}
