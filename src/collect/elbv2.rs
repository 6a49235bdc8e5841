//! Fills `Inventory::load_balancers`: per region, every load balancer
//! (DescribeLoadBalancers, every page); listeners (`Regional::detail`), the protocols
//! of their security policies (`Regional::extra`, DescribeSSLPolicies) and tags only
//! when asked. A load balancer deleted between the listing and a later read
//! (`LoadBalancerNotFound`) is left out, without an error.

use super::{per_region, Regional};
use crate::aws::{all_pages, Ctx};
use crate::inventory::{Listener, LoadBalancer, Observed, Tags};
use aws_sdk_elasticloadbalancingv2::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_elasticloadbalancingv2::operation::describe_ssl_policies::DescribeSSLPoliciesError;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use futures::future::join_all;
use std::collections::{BTreeMap, BTreeSet};

const SERVICE: &str = "elasticloadbalancing";

/// The code ELBv2 answers for a load balancer that no longer exists.
const GONE: &str = "LoadBalancerNotFound";

pub const CALLS: &[super::permissions::Call] = &[
    super::permissions::Call {
        operation: "DescribeLoadBalancers",
        action: "elasticloadbalancing:DescribeLoadBalancers",
        needed: |_| true,
    },
    super::permissions::Call {
        operation: "DescribeListeners",
        action: "elasticloadbalancing:DescribeListeners",
        needed: |n| n.has("listeners"),
    },
    super::permissions::Call {
        operation: "DescribeSSLPolicies",
        action: "elasticloadbalancing:DescribeSSLPolicies",
        needed: |n| n.has("ssl_policies"),
    },
    super::permissions::Call {
        operation: "DescribeTags",
        action: "elasticloadbalancing:DescribeTags",
        needed: |n| n.has("tags"),
    },
];

pub static COLLECTOR: super::Collector = super::Collector {
    id: "elbv2",
    service: SERVICE,
    part: "load_balancers",
    reads: &[
        ("tags", "tags of each resource"),
        ("listeners", "listeners of each load balancer"),
        ("ssl_policies", "the protocols of the listeners' security policies"),
    ],
    calls: CALLS,
    collect: |ctx, need| {
        Box::pin(async move {
            let part = collect(ctx, &super::Regional::of(need, "listeners", "ssl_policies")).await;
            Box::new(move |inv: &mut crate::inventory::Inventory| inv.load_balancers = part) as super::Fill
        })
    },
    cut_short: |need, gap, inv| inv.load_balancers = super::all_unknown(&need.regions(), gap),
};

/// The listeners of one load balancer; `None` when it is gone.
async fn listeners(
    ctx: &Ctx,
    client: &aws_sdk_elasticloadbalancingv2::Client,
    region: &str,
    arn: &str,
) -> Option<Observed<Vec<Listener>>> {
    match all_pages(ctx, client.describe_listeners().load_balancer_arn(arn).into_paginator().send()).await {
        Ok(pages) => Some(Observed::Known(
            pages
                .iter()
                .flat_map(|p| p.listeners())
                .map(|l| Listener {
                    arn: l.listener_arn().unwrap_or_default().to_string(),
                    protocol: l.protocol().map(|p| p.as_str().to_string()),
                    port: l.port(),
                    ssl_policy: l.ssl_policy().map(str::to_string),
                    ssl_protocols: Observed::default(),
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
        )),
        Err(e) if e.code() == Some(GONE) => None,
        Err(e) => Some(Observed::Unknown(ctx.gap(&e, SERVICE, region, "DescribeListeners", Some(arn)))),
    }
}

/// Name -> protocols of the named policies, every page (the Rust SDK has no
/// paginator for this call: `Marker` / `NextMarker` by hand). No
/// `LoadBalancerType`: AWS then describes the policies of every load balancer
/// type, so ALB (HTTPS) and NLB (TLS) policies come back alike.
async fn describe_policies(
    ctx: &Ctx,
    client: &aws_sdk_elasticloadbalancingv2::Client,
    names: &[String],
) -> Result<BTreeMap<String, Vec<String>>, SdkError<DescribeSSLPoliciesError, HttpResponse>> {
    let mut out = BTreeMap::new();
    let mut marker: Option<String> = None;
    loop {
        let page = {
            let _permit = ctx.permit().await;
            client.describe_ssl_policies().set_names(Some(names.to_vec())).set_marker(marker.clone()).send().await?
        };
        for p in page.ssl_policies() {
            if let Some(name) = p.name() {
                out.insert(name.to_string(), p.ssl_protocols().to_vec());
            }
        }
        match page.next_marker() {
            Some(m) if !m.is_empty() && Some(m) != marker.as_deref() => marker = Some(m.to_string()),
            _ => return Ok(out),
        }
    }
}

/// The protocols of each policy in use in a region: one DescribeSSLPolicies for
/// all of them. It fails as a whole when one name is unknown (`SSLPolicyNotFound`);
/// then each name is asked alone, so only that one listener's field is unknown.
async fn ssl_policies(
    ctx: &Ctx,
    client: &aws_sdk_elasticloadbalancingv2::Client,
    region: &str,
    names: &[String],
) -> BTreeMap<String, Observed<Vec<String>>> {
    let answer = |found: &BTreeMap<String, Vec<String>>, name: &String| match found.get(name) {
        Some(protocols) => Observed::Known(protocols.clone()),
        None => Observed::Unknown(ctx.malformed(SERVICE, region, "DescribeSSLPolicies", &format!("the policy {name}"))),
    };
    match describe_policies(ctx, client, names).await {
        Ok(found) => names.iter().map(|n| (n.clone(), answer(&found, n))).collect(),
        Err(e) if e.code() == Some("SSLPolicyNotFound") && names.len() > 1 => {
            let one_by_one = join_all(names.iter().map(|n| async move {
                let got = match describe_policies(ctx, client, std::slice::from_ref(n)).await {
                    Ok(found) => answer(&found, n),
                    Err(e) => Observed::Unknown(ctx.gap(&e, SERVICE, region, "DescribeSSLPolicies", Some(n))),
                };
                (n.clone(), got)
            }));
            one_by_one.await.into_iter().collect()
        }
        Err(e) => {
            let gap = ctx.gap(&e, SERVICE, region, "DescribeSSLPolicies", None);
            names.iter().map(|n| (n.clone(), Observed::Unknown(gap.clone()))).collect()
        }
    }
}

/// Fills every listener's `ssl_protocols` from its policy.
async fn policy_protocols(
    ctx: &Ctx,
    client: &aws_sdk_elasticloadbalancingv2::Client,
    region: &str,
    lbs: &mut [LoadBalancer],
) {
    let in_use: BTreeSet<String> =
        lbs.iter().filter_map(|lb| lb.listeners.known()).flatten().filter_map(|l| l.ssl_policy.clone()).collect();
    let by_name = if in_use.is_empty() {
        BTreeMap::new()
    } else {
        ssl_policies(ctx, client, region, &in_use.into_iter().collect::<Vec<_>>()).await
    };
    for lb in lbs {
        if let Observed::Known(ls) = &mut lb.listeners {
            for l in ls {
                l.ssl_protocols = match &l.ssl_policy {
                    None => Observed::Known(Vec::new()),
                    Some(name) => by_name.get(name).cloned().unwrap_or_default(),
                };
            }
        }
    }
}

/// Tags of one batch of load balancers (at most 20 ARNs, the API's limit). `None`
/// marks a load balancer that is gone.
async fn tag_batch(
    ctx: &Ctx,
    client: &aws_sdk_elasticloadbalancingv2::Client,
    region: &str,
    chunk: &[String],
) -> BTreeMap<String, Option<Observed<Tags>>> {
    let result = {
        let _permit = ctx.permit().await;
        client.describe_tags().set_resource_arns(Some(chunk.to_vec())).send().await
    };
    match result {
        // a resource the answer leaves out has no tags
        Ok(o) => {
            let mut out: BTreeMap<String, Option<Observed<Tags>>> =
                chunk.iter().map(|a| (a.clone(), Some(Observed::Known(Tags::new())))).collect();
            for d in o.tag_descriptions() {
                let tags = super::tag_map(d.tags(), |t| (t.key(), t.value()));
                if let Some(arn) = d.resource_arn() {
                    out.insert(arn.to_string(), Some(Observed::Known(tags)));
                }
            }
            out
        }
        Err(e) if e.code() == Some(GONE) && chunk.len() == 1 => chunk.iter().map(|a| (a.clone(), None)).collect(),
        // one deleted load balancer fails the whole batch: ask for each alone
        Err(e) if e.code() == Some(GONE) => {
            let alone =
                join_all(chunk.iter().map(|a| Box::pin(tag_batch(ctx, client, region, std::slice::from_ref(a)))));
            alone.await.into_iter().flatten().collect()
        }
        Err(e) => {
            let gap = ctx.gap(&e, SERVICE, region, "DescribeTags", None);
            chunk.iter().map(|a| (a.clone(), Some(Observed::Unknown(gap.clone())))).collect()
        }
    }
}

async fn region_balancers(ctx: &Ctx, region: &str, need: &Regional) -> Observed<Vec<LoadBalancer>> {
    let client = ctx.client::<aws_sdk_elasticloadbalancingv2::Client>(region);
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
        let mut kept = Vec::with_capacity(lbs.len());
        for (mut lb, l) in lbs.into_iter().zip(found) {
            if let Some(l) = l {
                lb.listeners = l;
                kept.push(lb);
            }
        }
        lbs = kept;
        if need.extra {
            policy_protocols(ctx, &client, region, &mut lbs).await;
        }
    }
    if need.tags && !lbs.is_empty() {
        let arns: Vec<String> = lbs.iter().map(|l| l.arn.clone()).collect();
        let batches = join_all(arns.chunks(20).map(|c| tag_batch(ctx, &client, region, c))).await;
        let mut by_arn: BTreeMap<String, Option<Observed<Tags>>> = batches.into_iter().flatten().collect();
        lbs.retain_mut(|lb| match by_arn.remove(&lb.arn) {
            Some(Some(tags)) => {
                lb.tags = tags;
                true
            }
            Some(None) => false,
            None => {
                lb.tags = Observed::Known(Tags::new());
                true
            }
        });
    }
    Observed::Known(lbs)
}

pub async fn collect(ctx: &Ctx, need: &Regional) -> BTreeMap<String, Observed<Vec<LoadBalancer>>> {
    per_region(&need.regions, |r| region_balancers(ctx, r, need)).await
}

#[cfg(test)]
#[path = "elbv2_tests.rs"]
mod tests;
