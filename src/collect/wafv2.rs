//! Fills `Inventory::web_acls`: web ACLs per (scope, region) with the managed rule
//! groups and rate-based rules of their rules (ListWebACLs, GetWebACL), the rules of
//! managed groups whose overrides may leave nothing blocking
//! (DescribeManagedRuleGroup), and logging configuration and tags when asked.
//! CLOUDFRONT scope lives in the partition's global region. One ACL's failed read
//! is that ACL's gap; an ACL deleted after the listing is left out.

use crate::aws::Ctx;
use crate::inventory::{Gap, ManagedGroupUse, Observed, RateRule, WebAcl};
use aws_sdk_wafv2::error::ProvideErrorMetadata;
use aws_sdk_wafv2::types::{Rule, RuleAction, Scope, Statement};
use futures::future::join_all;
use std::collections::{BTreeMap, BTreeSet};

const SERVICE: &str = "wafv2";

/// The code WAF answers for a resource that does not exist (any more).
const GONE: &str = "WAFNonexistentItemException";

pub const CALLS: &[super::permissions::Call] = &[
    super::permissions::Call { operation: "ListWebACLs", action: "wafv2:ListWebACLs", needed: |_| true },
    super::permissions::Call { operation: "GetWebACL", action: "wafv2:GetWebACL", needed: |_| true },
    super::permissions::Call {
        operation: "DescribeManagedRuleGroup",
        action: "wafv2:DescribeManagedRuleGroup",
        needed: |_| true,
    },
    super::permissions::Call {
        operation: "GetLoggingConfiguration",
        action: "wafv2:GetLoggingConfiguration",
        needed: |n| n.has("logging"),
    },
    super::permissions::Call {
        operation: "ListTagsForResource",
        action: "wafv2:ListTagsForResource",
        needed: |n| n.has("tags"),
    },
];

/// The listings a need asks for: (scope, region); the `cloudfront` read asks for the
/// CLOUDFRONT scope in that place (the partition's global region), `regional` for
/// the REGIONAL one.
fn listings(need: &super::Need) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (region, reads) in &need.places {
        for (read, scope) in [("cloudfront", "CLOUDFRONT"), ("regional", "REGIONAL")] {
            if reads.contains(read) {
                out.insert((scope.to_string(), region.clone()));
            }
        }
    }
    out
}

/// Every tag of a web ACL: ListTagsForResource pages by NextMarker (the SDK has no
/// paginator for it), and a page that fails is a gap, never the end of the list.
async fn tags(ctx: &Ctx, waf: &aws_sdk_wafv2::Client, region: &str, arn: &str) -> Observed<crate::inventory::Tags> {
    let mut all = crate::inventory::Tags::new();
    let mut marker: Option<String> = None;
    loop {
        let _permit = ctx.permit().await;
        match waf.list_tags_for_resource().resource_arn(arn).set_next_marker(marker.take()).send().await {
            Ok(o) => {
                if let Some(info) = o.tag_info_for_resource() {
                    all.extend(super::tag_map(info.tag_list(), |t| (Some(t.key()), Some(t.value()))));
                }
                match o.next_marker().filter(|m| !m.is_empty()) {
                    Some(next) => marker = Some(next.to_string()),
                    None => return Observed::Known(all),
                }
            }
            Err(e) => return Observed::Unknown(ctx.gap(&e, SERVICE, region, "ListTagsForResource", Some(arn))),
        }
    }
}

pub static COLLECTOR: super::Collector = super::Collector {
    id: "wafv2",
    service: SERVICE,
    part: "web_acls",
    reads: &[
        ("regional", "the REGIONAL scope's web ACLs of the region"),
        ("cloudfront", "the CLOUDFRONT scope's web ACLs (in the partition's global region)"),
        ("logging", "logging configuration of each web ACL"),
        ("tags", "tags of each web ACL"),
    ],
    calls: CALLS,
    collect: |ctx, need| {
        Box::pin(async move {
            let part = collect(ctx, &listings(need), need.has("logging"), need.has("tags")).await;
            Box::new(move |inv: &mut crate::inventory::Inventory| inv.web_acls = part) as super::Fill
        })
    },
    cut_short: |need, gap, inv| {
        inv.web_acls = listings(need)
            .into_iter()
            .map(|(scope, region)| (format!("{scope}:{region}"), Observed::Unknown(gap.clone())))
            .collect()
    },
};

fn action_name(a: &RuleAction) -> &'static str {
    if a.block().is_some() {
        "Block"
    } else if a.count().is_some() {
        "Count"
    } else if a.captcha().is_some() {
        "Captcha"
    } else if a.challenge().is_some() {
        "Challenge"
    } else if a.allow().is_some() {
        "Allow"
    } else {
        "Other"
    }
}

/// Managed rule group and rate-based statements anywhere in a rule's statement
/// tree: and/or/not and scope-down statements included. `top` says whether `s` is
/// the rule's own statement; AWS runs both kinds only there.
fn walk(rule: &Rule, s: &Statement, top: bool, groups: &mut Vec<ManagedGroupUse>, rates: &mut Vec<RateRule>) {
    if let Some(m) = s.managed_rule_group_statement() {
        // ExcludedRules is the older way of setting rules to Count
        let mut overrides: BTreeMap<String, String> =
            m.excluded_rules().iter().map(|e| (e.name().to_string(), "Count".to_string())).collect();
        for o in m.rule_action_overrides() {
            let action = o.action_to_use().map_or("Other", action_name);
            overrides.insert(o.name().to_string(), action.to_string());
        }
        let override_action = rule.override_action().map(|o| {
            if o.count().is_some() {
                "Count"
            } else if o.none().is_some() {
                "None"
            } else {
                "Other"
            }
            .to_string()
        });
        groups.push(ManagedGroupUse {
            rule: rule.name().to_string(),
            group: format!("{}:{}", m.vendor_name(), m.name()),
            version: m.version().map(str::to_string),
            top_level: top,
            override_action,
            rule_overrides: overrides,
            group_rules: None,
        });
        if let Some(inner) = m.scope_down_statement() {
            walk(rule, inner, false, groups, rates);
        }
    }
    if let Some(r) = s.rate_based_statement() {
        rates.push(RateRule {
            rule: rule.name().to_string(),
            limit: r.limit(),
            action: rule.action().map(|a| action_name(a).to_string()),
            top_level: top,
        });
        if let Some(inner) = r.scope_down_statement() {
            walk(rule, inner, false, groups, rates);
        }
    }
    let nested = s
        .and_statement()
        .map(|a| a.statements())
        .into_iter()
        .chain(s.or_statement().map(|o| o.statements()))
        .flatten()
        .chain(s.not_statement().and_then(|n| n.statement()));
    for n in nested {
        walk(rule, n, false, groups, rates);
    }
}

/// A group whose every override keeps its rules from acting, and that otherwise
/// acts: whether anything still blocks depends on the group's own rules.
fn needs_group_rules(g: &ManagedGroupUse) -> bool {
    g.top_level
        && g.override_action.as_deref() != Some("Count")
        && !g.rule_overrides.is_empty()
        && !g.rule_overrides.values().any(|a| crate::inventory::waf_action_stops(a))
}

/// One web ACL as ListWebACLs names it.
struct Summary {
    name: String,
    id: String,
    arn: String,
}

/// One web ACL; `None` when it is gone.
async fn acl(
    ctx: &Ctx,
    waf: &aws_sdk_wafv2::Client,
    scope: &Scope,
    region: &str,
    s: &Summary,
    reads: Reads,
) -> Option<WebAcl> {
    let Reads { logging, tags: with_tags } = reads;
    let got = {
        let _permit = ctx.permit().await;
        waf.get_web_acl().name(&s.name).scope(scope.clone()).id(&s.id).send().await
    };
    let rules: Result<(Vec<ManagedGroupUse>, Vec<RateRule>), Gap> = match got {
        Err(e) if e.code() == Some(GONE) => return None,
        Err(e) => Err(ctx.gap(&e, SERVICE, region, "GetWebACL", Some(&s.arn))),
        Ok(o) => match o.web_acl() {
            None => Err(ctx.malformed(SERVICE, region, "GetWebACL", "the WebACL")),
            Some(acl) => {
                let (mut groups, mut rates) = (Vec::new(), Vec::new());
                for rule in acl.rules() {
                    if let Some(st) = rule.statement() {
                        walk(rule, st, true, &mut groups, &mut rates);
                    }
                }
                Ok((groups, rates))
            }
        },
    };
    let tags = if with_tags { tags(ctx, &waf, region, &s.arn).await } else { Observed::default() };
    let log = if logging {
        let _permit = ctx.permit().await;
        match waf.get_logging_configuration().resource_arn(&s.arn).send().await {
            Ok(o) => Observed::Known(o.logging_configuration().is_some()),
            // WAF answers a web ACL without logging with this code: "none", not an error
            Err(e) if e.code() == Some(GONE) => Observed::Known(false),
            Err(e) => Observed::Unknown(ctx.gap(&e, SERVICE, region, "GetLoggingConfiguration", Some(&s.arn))),
        }
    } else {
        Observed::default()
    };
    let (managed_groups, rate_rules) = match rules {
        Ok((g, r)) => (Observed::Known(g), Observed::Known(r)),
        Err(gap) => (Observed::Unknown(gap.clone()), Observed::Unknown(gap)),
    };
    Some(WebAcl {
        name: s.name.clone(),
        id: s.id.clone(),
        arn: s.arn.clone(),
        scope: scope.as_str().to_string(),
        region: region.to_string(),
        managed_groups,
        rate_rules,
        logging: log,
        tags,
    })
}

/// The group's rules and their own actions (DescribeManagedRuleGroup).
async fn group_rules(
    ctx: &Ctx,
    waf: &aws_sdk_wafv2::Client,
    scope: &Scope,
    region: &str,
    group: &str,
    version: Option<&str>,
) -> Observed<BTreeMap<String, String>> {
    let Some((vendor, name)) = group.split_once(':') else {
        return Observed::Unknown(ctx.malformed(SERVICE, region, "GetWebACL", "a managed rule group's VendorName"));
    };
    let got = {
        let _permit = ctx.permit().await;
        waf.describe_managed_rule_group()
            .vendor_name(vendor)
            .name(name)
            .scope(scope.clone())
            .set_version_name(version.map(str::to_string))
            .send()
            .await
    };
    match got {
        Ok(o) => Observed::Known(
            o.rules()
                .iter()
                .filter_map(|r| Some((r.name()?.to_string(), r.action().map_or("Other", action_name).to_string())))
                .collect(),
        ),
        Err(e) => Observed::Unknown(ctx.gap(&e, SERVICE, region, "DescribeManagedRuleGroup", Some(group))),
    }
}

/// The optional reads of each web ACL.
#[derive(Debug, Clone, Copy)]
struct Reads {
    logging: bool,
    tags: bool,
}

async fn listing(ctx: &Ctx, scope: &str, region: &str, reads: Reads) -> Observed<Vec<WebAcl>> {
    let waf = ctx.client::<aws_sdk_wafv2::Client>(region);
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
                for s in o.web_acls() {
                    let (Some(name), Some(id), Some(arn)) = (s.name(), s.id(), s.arn()) else {
                        return Observed::Unknown(ctx.malformed(SERVICE, region, "ListWebACLs", "a Name, Id or ARN"));
                    };
                    summaries.push(Summary { name: name.to_string(), id: id.to_string(), arn: arn.to_string() });
                }
                // WAF returns a marker even on the last page; an empty page ends the list
                match o.next_marker() {
                    Some(m) if !o.web_acls().is_empty() && Some(m) != marker.as_deref() => marker = Some(m.to_string()),
                    _ => break,
                }
            }
            Err(e) => return Observed::Unknown(ctx.gap(&e, SERVICE, region, "ListWebACLs", None)),
        }
    }
    let mut acls: Vec<WebAcl> = join_all(summaries.iter().map(|s| acl(ctx, &waf, &scope, region, s, reads)))
        .await
        .into_iter()
        .flatten()
        .collect();
    // each group (and version) is described once per listing
    let wanted: BTreeSet<(String, Option<String>)> = acls
        .iter()
        .filter_map(|a| a.managed_groups.known())
        .flatten()
        .filter(|g| needs_group_rules(g))
        .map(|g| (g.group.clone(), g.version.clone()))
        .collect();
    let described: BTreeMap<(String, Option<String>), Observed<BTreeMap<String, String>>> =
        join_all(wanted.into_iter().map(|key| {
            let (waf, scope) = (&waf, &scope);
            async move {
                let rules = group_rules(ctx, waf, scope, region, &key.0, key.1.as_deref()).await;
                (key, rules)
            }
        }))
        .await
        .into_iter()
        .collect();
    for a in &mut acls {
        if let Observed::Known(groups) = &mut a.managed_groups {
            for g in groups.iter_mut().filter(|g| needs_group_rules(g)) {
                g.group_rules = described.get(&(g.group.clone(), g.version.clone())).cloned();
            }
        }
    }
    Observed::Known(acls)
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

#[cfg(test)]
#[path = "wafv2_tests.rs"]
mod tests;
