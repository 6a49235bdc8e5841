//! `iam.role`, `iam.user`, `iam.group`: attached and inline policies, MFA.

use super::policy::{
    action_matches, as_list, matches_every_action, matches_every_resource, statement_label, statements, strings,
};
use super::{Field, FieldType::*, Kind};
use crate::collect::Plan;
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::comparison::Comparison;
use crate::inventory::{Gap, IamPrincipal, Inventory, ManagedPolicy, Observed, Principal};
use crate::profile::Requirement;
use serde_json::{json, Value as Json};
use std::collections::BTreeMap;

const DOC: &str = "Read once for the whole account (IAM is global: called in the partition's \
global region) with GetAccountAuthorizationDetails, following every page: each role's, user's \
and group's `Path`, `AttachedManagedPolicies`, inline policies (`RolePolicyList`, \
`UserPolicyList`, `GroupPolicyList`), tags, a role's `AssumeRolePolicyDocument`, and the \
default version of each customer-managed policy. `forbid_policies` matches attached managed \
policies by ARN (in any partition) or name. A forbidden AdministratorAccess also matches any \
inline or customer-managed policy with an Allow statement that grants what it grants: `Action` \
`*` or `*:*` on `Resource` `*`; `NotAction` (every action not listed) on `Resource` `*`; or \
`Action` `*` with `NotResource` (every resource not listed). Action names compare \
case-insensitively, as IAM does; conditions are not taken to narrow the grant. The finding \
names the statement and why. A policy document that cannot be read makes the field unknown. \
Policies reached through group membership are not counted for users. The role's `Path` is \
matched by `path_prefix` selectors (service-linked roles live under `/aws-service-role/`).";

const FORBID: Field = Field::new("forbid_policies", Forbidden, "Policies that must not be attached (ARN or name); AdministratorAccess also matches inline or customer-managed Allow statements granting every action on every resource (`*`/`*:*` on `*`, NotAction on `*`, `*` with NotResource).");
const REQUIRE: Field = Field::new(
    "require_policies",
    StrList,
    "Policies that must be attached (managed, by ARN or name) or inline (by name). A table compares the \
names of the attached managed and inline policies (an ARN in it stands for its policy name).",
);
const MAX: Field = Field::new(
    "attached_policies",
    Int,
    "How many managed policies are attached (ListAttached*Policies), e.g. { at_most = 10 }.",
);

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
            "The trust policy (`AssumeRolePolicyDocument`) requires MFA: every Allow statement has `Bool {aws:MultiFactorAuthPresent: true}` (`BoolIfExists` does not count: the key is absent for long-term credentials and IfExists then matches), or a Deny statement covering the allowed principals and actions has only `BoolIfExists {aws:MultiFactorAuthPresent: false}` as its condition. The observed value says what was found.",
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
    fields: &[
        FORBID,
        REQUIRE,
        MAX,
        Field::new("require_mfa", Bool, "The user has at least one MFA device (ListMFADevices)."),
    ],
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
    plan.global("iam")
        .read_if(req.expect.has("forbid_policies"), "local_policies")
        .read_if(kind == Principal::User && req.expect.bool("require_mfa").is_some(), "user_mfa");
}

/// An ARN without its `arn:PARTITION:` head, so ARNs compare across partitions.
fn without_partition(arn: &str) -> &str {
    arn.strip_prefix("arn:").and_then(|rest| rest.split_once(':')).map_or(arn, |(_, rest)| rest)
}

/// An AWS managed policy (`arn:PARTITION:iam::aws:policy/…`).
fn aws_managed(arn: &str) -> bool {
    arn.starts_with("arn:") && without_partition(arn).starts_with("iam::aws:policy/")
}

fn names_admin(entry: &str) -> bool {
    entry == "AdministratorAccess"
        || (entry.starts_with("arn:") && without_partition(entry) == "iam::aws:policy/AdministratorAccess")
}

/// Whether a policy document grants what AdministratorAccess grants, and how: the
/// first Allow statement that does. AdministratorAccess is Allow `*` on `*`; the
/// IAM policy reference says an Allow with `NotAction` allows every action not
/// listed, and one with `NotResource` every resource not listed, so with the
/// other element open they grant (nearly) the same, and count here.
pub fn admin_equivalence(doc: &Json) -> Option<String> {
    for (i, s) in statements(doc).into_iter().enumerate() {
        if s.get("Effect").and_then(Json::as_str) != Some("Allow") {
            continue;
        }
        let every_action = s.get("Action").is_some_and(|a| strings(a).into_iter().any(matches_every_action));
        let every_resource = s.get("Resource").is_some_and(|r| strings(r).into_iter().any(matches_every_resource));
        let not_action = s.get("NotAction").map(strings);
        let not_resource = s.get("NotResource").map(strings);
        // a NotAction or NotResource that excludes everything grants nothing
        if not_action.as_ref().is_some_and(|l| l.iter().any(|a| matches_every_action(a)))
            || not_resource.as_ref().is_some_and(|l| l.iter().any(|r| matches_every_resource(r)))
        {
            continue;
        }
        let not_action = not_action.map(|l| json!(l));
        let not_resource = not_resource.map(|l| json!(l));
        let label = statement_label(i, s);
        let why = match (every_action, &not_action, every_resource, &not_resource) {
            (true, _, true, _) => return Some("Allow * on *".into()),
            (false, Some(na), true, _) => {
                format!("Allow with NotAction {na} on Resource *: every action not listed, on every resource")
            }
            (true, _, false, Some(nr)) => {
                format!("Allow * with NotResource {nr}: every action, on every resource not listed")
            }
            (false, Some(na), false, Some(nr)) => {
                format!("Allow with NotAction {na} and NotResource {nr}: every action and resource not listed")
            }
            _ => continue,
        };
        return Some(format!("{label}: {why}"));
    }
    None
}

/// `aws:MultiFactorAuthPresent` values of a condition block under one operator.
fn mfa_values<'a>(cond: &'a Json, operator: &str) -> Option<Vec<&'a Json>> {
    let block = cond.get(operator)?.as_object()?;
    block.iter().find(|(k, _)| k.eq_ignore_ascii_case("aws:MultiFactorAuthPresent")).map(|(_, v)| as_list(v))
}

fn is_bool(v: &Json, want: bool) -> bool {
    v.as_bool() == Some(want) || v.as_str().is_some_and(|t| t.eq_ignore_ascii_case(if want { "true" } else { "false" }))
}

/// Every principal value a statement names (`*` for `"Principal": "*"`).
fn principal_values(s: &Json) -> Vec<&str> {
    match s.get("Principal") {
        Some(Json::String(p)) => vec![p.as_str()],
        Some(Json::Object(map)) => map.values().flat_map(strings).collect(),
        _ => Vec::new(),
    }
}

/// Whether a Deny statement covers what the Allow statements let in (it names
/// every allowed principal, or `*`, and every allowed action) and its only
/// condition is `operator {aws:MultiFactorAuthPresent: false}`. With
/// `BoolIfExists` it refuses every request without MFA (the IAM docs: a
/// long-term credential's request lacks the key, IfExists then matches, and the
/// Deny applies); with plain `Bool` it does not match a missing key and lets
/// those requests through.
fn deny_enforces_mfa(deny: &Json, allows: &[&Json], operator: &str) -> bool {
    let Some(cond) = deny.get("Condition").and_then(Json::as_object) else { return false };
    let only_mfa = cond.len() == 1
        && cond.get(operator).and_then(Json::as_object).is_some_and(|b| b.len() == 1)
        && deny
            .get("Condition")
            .and_then(|c| mfa_values(c, operator))
            .is_some_and(|v| !v.is_empty() && v.iter().all(|x| is_bool(x, false)));
    if !only_mfa || deny.get("NotPrincipal").is_some() {
        return false;
    }
    let named = principal_values(deny);
    let principals_covered =
        named.contains(&"*") || allows.iter().all(|a| principal_values(a).iter().all(|p| named.contains(p)));
    let covers = |action: &str| match (deny.get("Action"), deny.get("NotAction")) {
        (Some(list), _) => strings(list).into_iter().any(|p| action_matches(p, action)),
        (None, Some(list)) => !strings(list).into_iter().any(|p| action_matches(p, action)),
        (None, None) => false,
    };
    let actions_covered = allows.iter().all(|a| {
        a.get("Action").is_some_and(|list| {
            let wanted = strings(list);
            !wanted.is_empty() && wanted.into_iter().all(covers)
        })
    });
    principals_covered && actions_covered
}

/// Whether a role's trust policy requires MFA, and what was found. An Allow
/// statement requires it with `Bool {aws:MultiFactorAuthPresent: true}`;
/// `BoolIfExists` does not (the key is absent for long-term credentials, and
/// IfExists then matches). A Deny with `BoolIfExists {…: false}` covering the
/// allowed principals and actions enforces it for every Allow.
pub fn trust_mfa(doc: &Json) -> (bool, String) {
    let all = statements(doc);
    let allows: Vec<&Json> =
        all.iter().copied().filter(|s| s.get("Effect").and_then(Json::as_str) == Some("Allow")).collect();
    if allows.is_empty() {
        return (false, "no Allow statement".into());
    }
    for (i, s) in all.iter().enumerate() {
        if s.get("Effect").and_then(Json::as_str) == Some("Deny") && deny_enforces_mfa(s, &allows, "BoolIfExists") {
            let label = statement_label(i, s);
            return (
                true,
                format!(
                    "{label}: Deny with BoolIfExists aws:MultiFactorAuthPresent = false refuses requests without MFA"
                ),
            );
        }
    }
    for (i, s) in all.iter().enumerate() {
        if s.get("Effect").and_then(Json::as_str) != Some("Allow") {
            continue;
        }
        let cond = s.get("Condition").unwrap_or(&Json::Null);
        let why = match (mfa_values(cond, "Bool"), mfa_values(cond, "BoolIfExists")) {
            (Some(v), _) if !v.is_empty() && v.iter().all(|x| is_bool(x, true)) => continue,
            (_, Some(v)) if v.iter().any(|x| is_bool(x, true)) => {
                "BoolIfExists does not require MFA (the key is absent for long-term credentials, and IfExists then matches)"
            }
            (Some(_), _) => "Bool aws:MultiFactorAuthPresent is not only true",
            (None, _) => "no aws:MultiFactorAuthPresent condition",
        };
        let mut found = format!("{}: {why}", statement_label(i, s));
        let near_miss = all.iter().enumerate().find(|(_, d)| {
            d.get("Effect").and_then(Json::as_str) == Some("Deny") && deny_enforces_mfa(d, &allows, "Bool")
        });
        if let Some((j, d)) = near_miss {
            found.push_str(&format!(
                "; {}: a Deny with Bool (not BoolIfExists) aws:MultiFactorAuthPresent = false does not match requests without the key (long-term credentials)",
                statement_label(j, d)
            ));
        }
        return (false, found);
    }
    (true, "every Allow statement has Bool aws:MultiFactorAuthPresent = true".into())
}

fn matches_policy(entry: &str, name: &str, arn: &str) -> bool {
    if entry.starts_with("arn:") {
        without_partition(entry) == without_partition(arn)
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
        if !names_admin(e) {
            continue;
        }
        for i in &p.inline {
            if i.document.is_null() {
                gap = Some(Gap::not_collected(&format!("inline policy {} (unreadable document)", i.name)));
            } else if let Some(why) = admin_equivalence(&i.document) {
                found.push(format!("inline {} ({why})", i.name));
            }
        }
        for a in p.attached.iter().filter(|a| !aws_managed(&a.arn)) {
            match local {
                Observed::Known(policies) => match policies.get(&a.arn) {
                    Some(m) if !m.document.is_null() => {
                        if let Some(why) = admin_equivalence(&m.document) {
                            found.push(format!("{} (customer-managed, {why})", a.name));
                        }
                    }
                    _ => gap = Some(Gap::not_collected(&format!("customer-managed policy {}", a.arn))),
                },
                Observed::Unknown(g) => gap = Some(g.clone()),
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
    if let Some(entries) = e.strings("forbid_policies") {
        out.push(forbid_check(entries, p, local));
    }
    if let Some(cmp) = e.cmp("require_policies") {
        let observed: Vec<String> =
            p.attached.iter().map(|a| &a.name).chain(p.inline.iter().map(|i| &i.name)).cloned().collect();
        let ok = match cmp {
            Comparison::List(entries) => entries.iter().all(|e| {
                p.attached.iter().any(|a| matches_policy(e, &a.name, &a.arn)) || p.inline.iter().any(|i| &i.name == e)
            }),
            // tables compare names; an ARN stands for its policy's name
            _ => cmp
                .map_strings(|s| if s.starts_with("arn:") { s.rsplit('/').next().unwrap_or(s) } else { s }.to_string())
                .list(&observed),
        };
        out.push(Check::new("require_policies", cmp.expected(), json!(observed), ok));
    }
    if let Some(cmp) = e.cmp("attached_policies") {
        out.push(Check::number("attached_policies", cmp, p.attached.len() as f64));
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
            _ => match p.trust_policy.as_ref().filter(|d| !d.is_null()) {
                Some(doc) => {
                    let (have, why) = trust_mfa(doc);
                    Check::new("require_mfa", json!(want), json!(why), have == want)
                }
                None => Check::unknown(
                    "require_mfa",
                    json!(want),
                    &Gap::not_collected("the role's trust policy (absent or unreadable)"),
                ),
            },
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
            path: (!p.path.is_empty()).then(|| p.path.as_str().into()),
        },
        |p| checks(req, p, local),
    )
}

#[cfg(test)]
#[path = "iam_tests.rs"]
mod tests;
