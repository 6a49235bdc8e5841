//! `wafv2.web_acl`: managed rule groups, rate limiting, logging.

use super::{Field, FieldType::*, Kind};
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::inventory::{Inventory, WebAcl};
use crate::profile::Requirement;
use serde_json::json;

pub static KIND: Kind = Kind {
    name: "wafv2.web_acl",
    summary: "WAFv2 web ACLs: managed rule groups, rate-based rule, logging",
    doc: "Web ACLs by name. `scope = \"CLOUDFRONT\"` reads the global ACLs that CloudFront uses \
(they live in us-east-1, whatever the profile's regions); `REGIONAL` (the default) reads each \
of the requirement's regions. Managed rule groups are named `Vendor:Name` or just `Name` \
(AWS), e.g. AWSManagedRulesCommonRuleSet.",
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
            "Managed rule groups the ACL must use, e.g. [\"AWSManagedRulesKnownBadInputsRuleSet\"].",
        ),
        Field::new("rate_limit", Bool, "The ACL has a rate-based rule."),
        Field::new("rate_limit_at_most", Int, "Some rate-based rule's limit is at most this many requests."),
        Field::new("logging", Bool, "A logging configuration exists for the ACL."),
        Field::new(
            "used_by_cloudfront",
            Bool,
            "At least one CloudFront distribution of the account uses this ACL (CLOUDFRONT scope).",
        ),
    ],
    plan: |req, plan| {
        for key in keys(req) {
            plan.web_acls.insert(key);
        }
        plan.web_acl_logging |= req.expect.has("logging");
        plan.cloudfront |= req.expect.has("used_by_cloudfront");
        plan.web_acl_tags |= crate::collect::wants_tags(req);
    },
    evaluate,
};

fn keys(req: &Requirement) -> Vec<(String, String)> {
    if req.expect.str("scope") == Some("CLOUDFRONT") {
        vec![("CLOUDFRONT".into(), "us-east-1".into())]
    } else {
        req.regions.iter().map(|r| ("REGIONAL".to_string(), r.clone())).collect()
    }
}

fn checks(req: &Requirement, a: &WebAcl, inv: &Inventory) -> Vec<Check> {
    let e = &req.expect;
    let mut out = Vec::new();
    if let Some(groups) = e.list("managed_rule_groups") {
        let has = |g: &str| {
            a.managed_groups.iter().any(|m| m == g || m.split_once(':').is_some_and(|(v, n)| v == "AWS" && n == g))
        };
        out.push(Check::new(
            "managed_rule_groups",
            json!(groups),
            json!(a.managed_groups),
            groups.iter().all(|g| has(g)),
        ));
    }
    if let Some(want) = e.bool("rate_limit") {
        out.push(Check::new("rate_limit", json!(want), json!(a.rate_limits), a.rate_limits.is_empty() != want));
    }
    if let Some(max) = e.int("rate_limit_at_most") {
        out.push(Check::new(
            "rate_limit_at_most",
            json!(format!("<= {max}")),
            json!(a.rate_limits),
            a.rate_limits.iter().any(|l| *l <= max),
        ));
    }
    if let Some(want) = e.bool("logging") {
        out.push(Check::of("logging", json!(want), &a.logging, |v| json!(v), |v| *v == want));
    }
    if let Some(want) = e.bool("used_by_cloudfront") {
        let users = match &inv.distributions {
            Some(d) => d.as_ref(),
            None => {
                crate::inventory::Observed::Unknown(crate::inventory::Gap::not_collected("CloudFront distributions"))
            }
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
