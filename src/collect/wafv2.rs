//! Fills `Inventory::web_acls`: web ACLs per (scope, region) with their rules
//! (ListWebACLs, GetWebACL), and logging configuration when asked. CLOUDFRONT
//! scope lives in us-east-1.

use crate::aws::Ctx;
use crate::inventory::{Gap, Observed, WebAcl};
use aws_sdk_wafv2::error::ProvideErrorMetadata;
use aws_sdk_wafv2::types::{Scope, Statement};
use futures::future::join_all;
use std::collections::{BTreeMap, BTreeSet};

const SERVICE: &str = "wafv2";

pub const CALLS: &[super::permissions::Call] = &[
    super::permissions::Call {
        operation: "ListWebACLs",
        action: "wafv2:ListWebACLs",
        needed: |p| !p.web_acls.is_empty(),
    },
    super::permissions::Call { operation: "GetWebACL", action: "wafv2:GetWebACL", needed: |p| !p.web_acls.is_empty() },
    super::permissions::Call {
        operation: "GetLoggingConfiguration",
        action: "wafv2:GetLoggingConfiguration",
        needed: |p| p.web_acl_logging,
    },
    super::permissions::Call {
        operation: "ListTagsForResource",
        action: "wafv2:ListTagsForResource",
        needed: |p| p.web_acl_tags,
    },
];

/// Managed rule groups and rate limits anywhere in a statement tree.
fn walk(s: &Statement, groups: &mut Vec<String>, limits: &mut Vec<i64>) {
    if let Some(m) = s.managed_rule_group_statement() {
        groups.push(format!("{}:{}", m.vendor_name(), m.name()));
    }
    if let Some(r) = s.rate_based_statement() {
        limits.push(r.limit());
    }
    let nested =
        s.and_statement().map(|a| a.statements()).into_iter().chain(s.or_statement().map(|o| o.statements())).flatten();
    for n in nested {
        walk(n, groups, limits);
    }
}

async fn acl(
    ctx: &Ctx,
    waf: &aws_sdk_wafv2::Client,
    scope: &Scope,
    region: &str,
    name: &str,
    id: &str,
    reads: Reads,
) -> Result<WebAcl, Gap> {
    let Reads { logging, tags: with_tags } = reads;
    let got = {
        let _permit = ctx.permit().await;
        waf.get_web_acl()
            .name(name)
            .scope(scope.clone())
            .id(id)
            .send()
            .await
            .map_err(|e| ctx.gap(&e, SERVICE, region, "GetWebACL", Some(name)))?
    };
    let Some(acl) = got.web_acl() else { return Err(ctx.malformed(SERVICE, region, "GetWebACL", "the WebACL")) };
    let (mut groups, mut limits) = (Vec::new(), Vec::new());
    for rule in acl.rules() {
        if let Some(s) = rule.statement() {
            walk(s, &mut groups, &mut limits);
        }
    }
    let tags = if with_tags {
        let _permit = ctx.permit().await;
        match waf.list_tags_for_resource().resource_arn(acl.arn()).send().await {
            Ok(o) => Observed::Known(
                o.tag_info_for_resource()
                    .map(|i| super::tag_map(i.tag_list(), |t| (Some(t.key()), Some(t.value()))))
                    .unwrap_or_default(),
            ),
            Err(e) => Observed::Unknown(ctx.gap(&e, SERVICE, region, "ListTagsForResource", Some(acl.arn()))),
        }
    } else {
        Observed::default()
    };
    let log = if logging {
        let _permit = ctx.permit().await;
        match waf.get_logging_configuration().resource_arn(acl.arn()).send().await {
            Ok(o) => Observed::Known(o.logging_configuration().is_some()),
            // WAF answers a web ACL without logging with this code: "none", not an error
            Err(e) if e.code() == Some("WAFNonexistentItemException") => Observed::Known(false),
            Err(e) => Observed::Unknown(ctx.gap(&e, SERVICE, region, "GetLoggingConfiguration", Some(acl.arn()))),
        }
    } else {
        Observed::default()
    };
    Ok(WebAcl {
        name: acl.name().to_string(),
        id: acl.id().to_string(),
        arn: acl.arn().to_string(),
        scope: scope.as_str().to_string(),
        region: region.to_string(),
        managed_groups: groups,
        rate_limits: limits,
        logging: log,
        tags,
    })
}

/// The optional reads of each web ACL.
#[derive(Debug, Clone, Copy)]
struct Reads {
    logging: bool,
    tags: bool,
}

async fn listing(ctx: &Ctx, scope: &str, region: &str, reads: Reads) -> Observed<Vec<WebAcl>> {
    let waf = aws_sdk_wafv2::Client::new(&ctx.config(region));
    let scope = Scope::from(scope);
    let mut summaries = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let page = {
            let _permit = ctx.permit().await;
            waf.list_web_acls().scope(scope.clone()).set_next_marker(marker.clone()).send().await
        };
        match page {
            Ok(o) => {
                summaries.extend(
                    o.web_acls()
                        .iter()
                        .map(|s| (s.name().unwrap_or_default().to_string(), s.id().unwrap_or_default().to_string())),
                );
                // WAF returns a marker even on the last page; an empty page ends the list
                match o.next_marker() {
                    Some(m) if !o.web_acls().is_empty() && Some(m) != marker.as_deref() => marker = Some(m.to_string()),
                    _ => break,
                }
            }
            Err(e) => return Observed::Unknown(ctx.gap(&e, SERVICE, region, "ListWebACLs", None)),
        }
    }
    let mut out = Vec::new();
    for r in join_all(summaries.iter().map(|(name, id)| acl(ctx, &waf, &scope, region, name, id, reads))).await {
        match r {
            Ok(a) => out.push(a),
            Err(g) => return Observed::Unknown(g),
        }
    }
    Observed::Known(out)
}

pub async fn collect(
    ctx: &Ctx,
    wanted: &BTreeSet<(String, String)>,
    logging: bool,
    tags: bool,
) -> BTreeMap<String, Observed<Vec<WebAcl>>> {
    let reads = Reads { logging, tags };
    join_all(
        wanted.iter().map(|(scope, region)| async move {
            (format!("{scope}:{region}"), listing(ctx, scope, region, reads).await)
        }),
    )
    .await
    .into_iter()
    .collect()
}
