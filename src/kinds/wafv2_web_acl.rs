//! `wafv2.web_acl`: managed rule groups, rate limiting, logging.

use super::{Field, FieldType::*, Kind};
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::comparison::Comparison;
use crate::inventory::{Inventory, ManagedGroupUse, Observed, RateRule, WebAcl};
use crate::partition::Partition;
use crate::profile::Requirement;
use serde_json::json;

pub static KIND: Kind = Kind {
    name: "wafv2.web_acl",
    summary: "WAFv2 web ACLs: managed rule groups, rate-based rule, logging",
    doc: "Web ACLs by name (ListWebACLs, GetWebACL). `scope = \"CLOUDFRONT\"` reads the global \
ACLs that CloudFront uses (they live in the partition's global region, us-east-1 for `aws`, \
whatever the profile's regions); `REGIONAL` (the default) reads each of the requirement's \
regions. Managed rule groups are named `Vendor:Name` or just `Name` (AWS), e.g. \
AWSManagedRulesCommonRuleSet. A group counts only when it acts on requests: it is a rule's \
top-level `ManagedRuleGroupStatement` (AWS runs managed groups nowhere else; nested ones, in \
and/or/not or scope-down statements, are reported and do not count), the rule's \
`OverrideAction` is not `Count` (Count turns the group's verdicts into counts), and at least \
one of its rules still blocks: `RuleActionOverrides[].ActionToUse` and the older \
`ExcludedRules` (which sets rules to Count) replace the rules' own actions, and when every \
override is Count (or Allow) the group's rules are read with DescribeManagedRuleGroup; if \
none is left with Block, CAPTCHA or Challenge the group blocks nothing. A group that overrides \
only some rules to Count still counts; `observed` names the counted rules. A rate-based rule \
limits only as a rule's top-level `RateBasedStatement` whose `Action` is Block, CAPTCHA or \
Challenge (CAPTCHA and Challenge stop requests over the limit that lack a valid token); \
Count only counts them and limits nothing. A web ACL whose GetWebACL failed leaves these \
fields unknown.",
    regional: true,
    tags: true,
    selectable: true,
    fields: &[
        Field::new(
            "scope",
            OneOf(&["CLOUDFRONT", "REGIONAL"]),
            "Which web ACLs: CloudFront's (us-east-1) or regional ones.",
        ),
        Field::new(
            "managed_rule_groups",
            StrList,
            "Managed rule groups (Vendor:Name; a bare name is AWS's) the ACL runs with at least one rule still \
blocking (not all Count); a plain list must all run, e.g. [\"AWSManagedRulesKnownBadInputsRuleSet\"]; a \
table compares the groups that block.",
        ),
        Field::new(
            "rate_limit",
            Bool,
            "The ACL has a top-level rate-based rule whose action is Block, CAPTCHA or Challenge (not Count).",
        ),
        Field::new(
            "rate_limit_requests",
            Int,
            "The Limit (requests per evaluation window) of a rate-based rule that limits as for rate_limit; \
satisfied when some such rule's Limit satisfies it, e.g. { at_most = 2000 }.",
        ),
        Field::new("logging", Bool, "A logging configuration exists for the ACL."),
        Field::new(
            "used_by_cloudfront",
            Bool,
            "At least one CloudFront distribution of the account uses this ACL (CLOUDFRONT scope).",
        ),
    ],
    plan: |req, plan| {
        let tags = crate::collect::wants_tags(req);
        for (scope, region) in keys(req) {
            let read = if scope == "CLOUDFRONT" { "cloudfront" } else { "regional" };
            plan.regional("wafv2", &[region])
                .read(read)
                .read_if(req.expect.has("logging"), "logging")
                .read_if(tags, "tags");
        }
        if req.expect.has("used_by_cloudfront") {
            plan.global("cloudfront");
        }
    },
    evaluate,
};

/// The (scope, region) listings a requirement reads. CloudFront's ACLs live in the
/// global region of the partition of the requirement's regions.
fn keys(req: &Requirement) -> Vec<(String, String)> {
    // a comparison may admit either scope, or both
    let scope = req.expect.cmp("scope");
    let mut out = Vec::new();
    if scope.is_some_and(|s| s.string("CLOUDFRONT")) {
        out.push(("CLOUDFRONT".into(), Partition::of_regions(&req.regions).global_region.into()));
    }
    if scope.is_none_or(|s| s.string("REGIONAL")) {
        out.extend(req.regions.iter().map(|r| ("REGIONAL".to_string(), r.clone())));
    }
    out
}

/// Whether one managed group statement acts on requests.
enum Effect {
    /// It blocks; the rules it only counts (or allows), if any.
    Acts(Vec<String>),
    /// It blocks nothing, and why.
    Inert(&'static str),
    /// Cannot tell, and why.
    Unknown(String),
}

fn acting(action: &str) -> bool {
    crate::inventory::waf_action_stops(action)
}

fn effect(g: &ManagedGroupUse) -> Effect {
    if !g.top_level {
        return Effect::Inert("nested in another statement, where AWS does not run a managed rule group");
    }
    if g.override_action.as_deref() == Some("Count") {
        return Effect::Inert("the rule's OverrideAction is Count");
    }
    let counted: Vec<String> = g
        .rule_overrides
        .iter()
        .filter(|(_, a)| !acting(a))
        .map(|(r, a)| if a == "Count" { r.clone() } else { format!("{r} ({a})") })
        .collect();
    if g.rule_overrides.is_empty() || g.rule_overrides.values().any(|a| acting(a)) {
        return Effect::Acts(counted);
    }
    match &g.group_rules {
        None => Effect::Unknown("the group's rules were not read".into()),
        Some(Observed::Unknown(gap)) => Effect::Unknown(gap.describe()),
        Some(Observed::Known(rules)) if rules.is_empty() => {
            Effect::Unknown("DescribeManagedRuleGroup lists no rules for the group".into())
        }
        Some(Observed::Known(rules)) => {
            if rules.iter().any(|(name, own)| acting(g.rule_overrides.get(name).unwrap_or(own))) {
                Effect::Acts(counted)
            } else {
                Effect::Inert("its rule overrides leave no rule that blocks")
            }
        }
    }
}

fn show_group(g: &ManagedGroupUse) -> String {
    match effect(g) {
        Effect::Acts(c) if c.is_empty() => g.group.clone(),
        Effect::Acts(c) => format!("{} (counts only: {})", g.group, c.join(", ")),
        Effect::Inert(why) => format!("{} (blocks nothing: {why})", g.group),
        Effect::Unknown(why) => format!("{} (not known whether it blocks: {why})", g.group),
    }
}

fn names_group(g: &ManagedGroupUse, wanted: &str) -> bool {
    g.group == wanted || g.group.split_once(':').is_some_and(|(v, n)| v == "AWS" && n == wanted)
}

fn groups_check(wanted: &[String], uses: &Observed<Vec<ManagedGroupUse>>) -> Check {
    const FIELD: &str = "managed_rule_groups";
    let Observed::Known(uses) = uses else {
        return Check::of(FIELD, json!(wanted), uses, |_| json!(null), |_| false);
    };
    let observed = json!(uses.iter().map(show_group).collect::<Vec<_>>());
    let (mut missing, mut unsure) = (false, Vec::new());
    for w in wanted {
        let effects: Vec<Effect> = uses.iter().filter(|g| names_group(g, w)).map(effect).collect();
        if effects.iter().any(|e| matches!(e, Effect::Acts(_))) {
            continue;
        }
        match effects.into_iter().find_map(|e| if let Effect::Unknown(why) = e { Some(why) } else { None }) {
            Some(why) => unsure.push(format!("{w}: {why}")),
            None => missing = true,
        }
    }
    if missing || unsure.is_empty() {
        return Check::new(FIELD, json!(wanted), observed, !missing);
    }
    Check {
        field: FIELD.into(),
        expected: json!(wanted),
        observed,
        ok: None,
        error: Some(unsure.join("; ")),
        not_applicable: None,
    }
}

/// A table over the groups that act: a name without `Vendor:` is AWS's. A group
/// whose effect could not be told may or may not count.
fn groups_compared(cmp: &Comparison, uses: &Observed<Vec<ManagedGroupUse>>) -> Check {
    const FIELD: &str = "managed_rule_groups";
    let Observed::Known(uses) = uses else {
        return Check::of(FIELD, cmp.expected(), uses, |_| json!(null), |_| false);
    };
    let expected = cmp.expected();
    let cmp = cmp.map_strings(|s| if s.contains(':') { s.to_string() } else { format!("AWS:{s}") });
    let (mut sure, mut unsure, mut why) = (Vec::new(), Vec::new(), Vec::new());
    for g in uses {
        let effects: Vec<Effect> = uses.iter().filter(|u| u.group == g.group).map(effect).collect();
        if effects.iter().any(|e| matches!(e, Effect::Acts(_))) {
            sure.push(g.group.clone());
        } else if let Some(w) =
            effects.into_iter().find_map(|e| if let Effect::Unknown(w) = e { Some(w) } else { None })
        {
            unsure.push(g.group.clone());
            why.push(format!("{}: {w}", g.group));
        }
    }
    sure.dedup();
    unsure.dedup();
    let observed = json!(uses.iter().map(show_group).collect::<Vec<_>>());
    let mut check = Check::list_unsure(FIELD, &cmp, &sure, &unsure, observed, &why.join("; "));
    check.expected = expected;
    check
}

/// The rate-based rules that limit: top-level, with an action that stops requests.
fn limiting(r: &RateRule) -> bool {
    r.top_level && r.action.as_deref().is_some_and(acting)
}

fn show_rates(rates: &[RateRule]) -> serde_json::Value {
    json!(rates
        .iter()
        .map(|r| {
            let action = r.action.as_deref().unwrap_or("no action");
            let note = if !r.top_level {
                " (nested: not run as a rate-based rule)"
            } else if !limiting(r) {
                " (limits nothing)"
            } else {
                ""
            };
            format!("{}: limit {}, {action}{note}", r.rule, r.limit)
        })
        .collect::<Vec<_>>())
}

fn checks(req: &Requirement, a: &WebAcl, inv: &Inventory) -> Vec<Check> {
    let e = &req.expect;
    let mut out = Vec::new();
    // the scope chose the listings read; the ACL's own scope is checked too
    if let Some(cmp) = e.cmp("scope") {
        out.push(Check::string("scope", cmp, &a.scope));
    }
    if let Some(cmp) = e.cmp("managed_rule_groups") {
        out.push(match cmp {
            Comparison::List(groups) => groups_check(groups, &a.managed_groups),
            _ => groups_compared(cmp, &a.managed_groups),
        });
    }
    if let Some(want) = e.bool("rate_limit") {
        out.push(Check::of(
            "rate_limit",
            json!(want),
            &a.rate_rules,
            |r| show_rates(r),
            |r| r.iter().any(limiting) == want,
        ));
    }
    if let Some(cmp) = e.cmp("rate_limit_requests") {
        out.push(Check::of(
            "rate_limit_requests",
            cmp.expected(),
            &a.rate_rules,
            |r| show_rates(r),
            |r| r.iter().any(|r| limiting(r) && cmp.number(r.limit as f64)),
        ));
    }
    if let Some(want) = e.bool("logging") {
        out.push(Check::of("logging", json!(want), &a.logging, |v| json!(v), |v| *v == want));
    }
    if let Some(want) = e.bool("used_by_cloudfront") {
        let users = match &inv.distributions {
            Some(d) => d.as_ref(),
            None => Observed::Unknown(crate::inventory::Gap::not_collected("CloudFront distributions")),
        };
        out.push(Check::of(
            "used_by_cloudfront",
            json!(want),
            &users,
            |ds| {
                json!(ds
                    .iter()
                    .filter(|d| d.web_acl.as_deref().is_some_and(|w| w == a.arn || w == a.id))
                    .map(|d| &d.id)
                    .collect::<Vec<_>>())
            },
            |ds| ds.iter().any(|d| d.web_acl.as_deref().is_some_and(|w| w == a.arn || w == a.id)) == want,
        ));
    }
    out
}

fn evaluate(req: &Requirement, inv: &Inventory) -> Vec<Finding> {
    let mut listing = Listing::new();
    for (scope, region) in keys(req) {
        listing.add(Inventory::regional(&inv.web_acls, &format!("{scope}:{region}"), "web ACLs"));
    }
    evaluate_resources(
        req,
        listing,
        |a| Meta {
            id: a.arn.as_str().into(),
            name: a.name.as_str().into(),
            region: Some(a.region.as_str().into()),
            tags: Some(&a.tags),
            path: None,
        },
        |a| checks(req, a, inv),
    )
}

#[cfg(test)]
#[path = "wafv2_web_acl_tests.rs"]
mod tests;
