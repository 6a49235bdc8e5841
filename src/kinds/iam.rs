//! `iam.role`, `iam.user`, `iam.group`: attached and inline policies, MFA.

use super::policy::{allow_statements, as_list};
use super::{Field, FieldType::*, Kind};
use crate::collect::Plan;
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::inventory::{Gap, IamPrincipal, Inventory, ManagedPolicy, Observed, Principal};
use crate::profile::Requirement;
use serde_json::{json, Value as Json};
use std::collections::BTreeMap;

const DOC: &str = "Read once for the whole account (IAM is global) with \
GetAccountAuthorizationDetails, following every page. `forbid_policies` matches attached \
managed policies by ARN or name; a forbidden AdministratorAccess also matches any inline or \
customer-managed policy that allows Action \"*\" on Resource \"*\", since it grants the same. \
Policies reached through group membership are not counted for users.";

const FORBID: Field = Field::new("forbid_policies", StrList, "Policies that must not be attached (ARN or name); AdministratorAccess also matches inline or customer-managed \"*\" on \"*\".");
const REQUIRE: Field = Field::new(
    "require_policies",
    StrList,
    "Policies that must be attached (managed, by ARN or name) or inline (by name).",
);
const MAX: Field = Field::new("max_attached_policies", Int, "At most this many attached managed policies.");

pub static ROLE: Kind = Kind {
    name: "iam.role",
    summary: "IAM roles: forbidden/required policies, MFA in the trust policy",
    doc: DOC,
    regional: false,
    tags: true,
    selectable: true,
    fields: &[
        FORBID,
        REQUIRE,
        MAX,
        Field::new(
            "require_mfa",
            Bool,
            "Every Allow statement of the trust policy requires aws:MultiFactorAuthPresent = true.",
        ),
    ],
    plan: |req, plan| plan_for(req, plan, Principal::Role),
    evaluate: |req, inv| evaluate(req, inv, Principal::Role),
};

pub static USER: Kind = Kind {
    name: "iam.user",
    summary: "IAM users: forbidden/required policies, an MFA device",
    doc: DOC,
    regional: false,
    tags: true,
    selectable: true,
    fields: &[FORBID, REQUIRE, MAX, Field::new("require_mfa", Bool, "The user has at least one MFA device.")],
    plan: |req, plan| plan_for(req, plan, Principal::User),
    evaluate: |req, inv| evaluate(req, inv, Principal::User),
};

pub static GROUP: Kind = Kind {
    name: "iam.group",
    summary: "IAM groups: forbidden/required policies",
    doc: DOC,
    regional: false,
    tags: false,
    selectable: true,
    fields: &[FORBID, REQUIRE, MAX],
    plan: |req, plan| plan_for(req, plan, Principal::Group),
    evaluate: |req, inv| evaluate(req, inv, Principal::Group),
};

fn plan_for(req: &Requirement, plan: &mut Plan, kind: Principal) {
    plan.iam = true;
    if req.expect.has("forbid_policies") {
        plan.iam_local_policies = true;
    }
    if kind == Principal::User && req.expect.bool("require_mfa").is_some() {
        plan.iam_user_mfa = true;
    }
}

const ADMIN_ARN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

fn names_admin(entry: &str) -> bool {
    entry == "AdministratorAccess" || entry.ends_with(":policy/AdministratorAccess")
}

fn has_star(v: &Json) -> bool {
    as_list(v).iter().any(|x| matches!(x.as_str(), Some("*") | Some("*:*")))
}

/// Whether a policy document allows every action on every resource.
pub fn grants_full_admin(doc: &Json) -> bool {
    allow_statements(doc)
        .iter()
        .any(|s| s.get("Action").is_some_and(has_star) && s.get("Resource").is_some_and(has_star))
}

/// Whether every Allow statement of a trust policy requires MFA.
pub fn trust_requires_mfa(doc: &Json) -> bool {
    let statements = allow_statements(doc);
    !statements.is_empty()
        && statements.iter().all(|s| {
            let Some(Json::Object(cond)) = s.get("Condition") else { return false };
            cond.iter().any(|(op, block)| {
                (op == "Bool" || op == "BoolIfExists")
                    && block.as_object().is_some_and(|b| {
                        b.iter().any(|(k, v)| {
                            k.eq_ignore_ascii_case("aws:MultiFactorAuthPresent")
                                && as_list(v).iter().any(|x| x.as_str() == Some("true") || x.as_bool() == Some(true))
                        })
                    })
            })
        })
}

fn matches_policy(entry: &str, name: &str, arn: &str) -> bool {
    if entry.starts_with("arn:") {
        entry == arn
    } else {
        entry == name
    }
}

fn forbid_check(entries: &[String], p: &IamPrincipal, local: &Observed<BTreeMap<String, ManagedPolicy>>) -> Check {
    let mut found: Vec<String> = Vec::new();
    let mut gap: Option<Gap> = None;
    for e in entries {
        for a in &p.attached {
            if matches_policy(e, &a.name, &a.arn) {
                found.push(format!("{} (attached)", a.name));
            }
        }
        if names_admin(e) {
            for i in &p.inline {
                if grants_full_admin(&i.document) {
                    found.push(format!("inline {} (Allow * on *)", i.name));
                }
            }
            for a in p.attached.iter().filter(|a| !a.arn.contains(":aws:policy/") && a.arn != ADMIN_ARN) {
                match local {
                    Observed::Known(policies) => {
                        if policies.get(&a.arn).is_some_and(|m| grants_full_admin(&m.document)) {
                            found.push(format!("{} (customer-managed, Allow * on *)", a.name));
                        }
                    }
                    Observed::Unknown(g) => gap = Some(g.clone()),
                }
            }
        }
    }
    found.sort();
    found.dedup();
    let expected = json!(format!("none of {}", entries.join(", ")));
    if !found.is_empty() {
        return Check::new("forbid_policies", expected, json!(found), false);
    }
    match gap {
        Some(g) => Check::unknown("forbid_policies", expected, &g),
        None => Check::new("forbid_policies", expected, json!(found), true),
    }
}

fn checks(req: &Requirement, p: &IamPrincipal, local: &Observed<BTreeMap<String, ManagedPolicy>>) -> Vec<Check> {
    let e = &req.expect;
    let mut out = Vec::new();
    if let Some(entries) = e.list("forbid_policies") {
        out.push(forbid_check(entries, p, local));
    }
    if let Some(entries) = e.list("require_policies") {
        let missing: Vec<&String> = entries
            .iter()
            .filter(|e| {
                !p.attached.iter().any(|a| matches_policy(e, &a.name, &a.arn))
                    && !p.inline.iter().any(|i| &&i.name == e)
            })
            .collect();
        let observed: Vec<&String> =
            p.attached.iter().map(|a| &a.name).chain(p.inline.iter().map(|i| &i.name)).collect();
        out.push(Check::new("require_policies", json!(entries), json!(observed), missing.is_empty()));
    }
    if let Some(max) = e.int("max_attached_policies") {
        let n = p.attached.len() as i64;
        out.push(Check::new("max_attached_policies", json!(format!("<= {max}")), json!(n), n <= max));
    }
    if let Some(want) = e.bool("require_mfa") {
        out.push(match p.kind {
            Principal::User => Check::of(
                "require_mfa",
                json!(want),
                &p.mfa_devices,
                |n| json!(format!("{n} MFA device(s)")),
                |n| (*n > 0) == want,
            ),
            _ => {
                let have = p.trust_policy.as_ref().is_some_and(trust_requires_mfa);
                Check::new("require_mfa", json!(want), json!(have), have == want)
            }
        });
    }
    out
}

fn evaluate(req: &Requirement, inv: &Inventory, kind: Principal) -> Vec<Finding> {
    let mut listing = Listing::new();
    let not_collected = Observed::default();
    let local = inv.iam.as_ref().map(|i| &i.local_policies).unwrap_or(&not_collected);
    match inv.iam.as_ref().map(|i| i.principals.as_ref()) {
        Some(Observed::Known(all)) => listing.items.extend(all.iter().filter(|p| p.kind == kind)),
        Some(Observed::Unknown(g)) => listing.gaps.push(g),
        None => listing.gaps.push(Gap::not_collected("IAM principals")),
    }
    let tagged = req.kind.tags;
    evaluate_resources(
        req,
        listing,
        |p| Meta {
            id: p.arn.as_str().into(),
            name: p.name.as_str().into(),
            region: None,
            tags: if tagged { Some(&p.tags) } else { None },
            path: None,
        },
        |p| checks(req, p, local),
    )
}
