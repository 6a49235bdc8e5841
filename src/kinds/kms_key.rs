//! `kms.key`: rotation, customer management, state, key policy principals.

use super::{Field, FieldType::*, Kind};
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::inventory::{Inventory, KmsKey};
use crate::profile::Requirement;
use serde_json::{json, Value as Json};

pub static KIND: Kind = Kind {
    name: "kms.key",
    summary: "KMS keys: rotation, customer-managed, enabled, key policy principals",
    doc: "Keys of the requirement's regions, named by their first alias (without `alias/`) or \
their key id. Rotation status, the key policy and tags are read only when a requirement asks. \
`region_agnostic_principals` checks that service principals in the key policy carry no region \
(`logs.amazonaws.com`, not `logs.us-east-1.amazonaws.com`), so the policy holds in every \
region, opt-in ones included.",
    regional: true,
    tags: true,
    selectable: true,
    fields: &[
        Field::new("rotation", Bool, "Automatic key rotation is enabled (GetKeyRotationStatus)."),
        Field::new("customer_managed", Bool, "KeyManager is CUSTOMER (not an AWS managed key)."),
        Field::new("enabled", Bool, "KeyState is Enabled."),
        Field::new(
            "policy_principals",
            StrList,
            "Principals (ARNs, account ids or service names) that an Allow statement of the key policy must name.",
        ),
        Field::new("region_agnostic_principals", Bool, "No service principal of the key policy names a region."),
    ],
    plan: |req, plan| {
        let e = &req.expect;
        let need = plan.kms.add(req);
        need.detail |= e.has("rotation");
        need.extra |= e.has("policy_principals") || e.has("region_agnostic_principals");
    },
    evaluate,
};

/// Every principal named in Allow statements: (kind, value), e.g. ("Service", "logs.amazonaws.com").
fn principals(policy: &Json) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for s in super::policy::allow_statements(policy) {
        match s.get("Principal") {
            Some(Json::String(p)) => out.push(("AWS".to_string(), p.clone())),
            Some(Json::Object(map)) => {
                for (kind, v) in map {
                    let named = super::policy::as_list(v).into_iter().filter_map(Json::as_str);
                    out.extend(named.map(|p| (kind.clone(), p.to_string())));
                }
            }
            _ => {}
        }
    }
    out
}

/// A service principal with a region in it (`logs.us-east-1.amazonaws.com`).
fn regional_service(name: &str) -> bool {
    name.split('.').any(crate::profile::is_region_name)
}

fn checks(req: &Requirement, k: &KmsKey) -> Vec<Check> {
    let e = &req.expect;
    let mut out = Vec::new();
    if let Some(want) = e.bool("rotation") {
        out.push(Check::of("rotation", json!(want), &k.rotation, |v| json!(v), |v| *v == want));
    }
    if let Some(want) = e.bool("customer_managed") {
        out.push(Check::new(
            "customer_managed",
            json!(want),
            json!(k.manager),
            (k.manager.as_deref() == Some("CUSTOMER")) == want,
        ));
    }
    if let Some(want) = e.bool("enabled") {
        out.push(Check::new("enabled", json!(want), json!(k.state), (k.state.as_deref() == Some("Enabled")) == want));
    }
    if let Some(wanted) = e.list("policy_principals") {
        out.push(Check::of(
            "policy_principals",
            json!(wanted),
            &k.policy,
            |p| json!(principals(p).into_iter().map(|(_, v)| v).collect::<Vec<_>>()),
            |p| {
                let named = principals(p);
                wanted.iter().all(|w| {
                    named.iter().any(|(_, v)| {
                        v == w || v.ends_with(&format!(":{w}:root")) || v.ends_with(&format!("::{w}:root"))
                    })
                })
            },
        ));
    }
    if let Some(want) = e.bool("region_agnostic_principals") {
        out.push(Check::of(
            "region_agnostic_principals",
            json!(want),
            &k.policy,
            |p| {
                json!(principals(p)
                    .into_iter()
                    .filter(|(kind, v)| kind == "Service" && regional_service(v))
                    .map(|(_, v)| v)
                    .collect::<Vec<_>>())
            },
            |p| principals(p).iter().all(|(kind, v)| kind != "Service" || !regional_service(v)) == want,
        ));
    }
    out
}

fn evaluate(req: &Requirement, inv: &Inventory) -> Vec<Finding> {
    let mut listing = Listing::new();
    for region in &req.regions {
        listing.add(Inventory::regional(&inv.kms_keys, region, "KMS keys"));
    }
    evaluate_resources(
        req,
        listing,
        |k| Meta {
            id: k.arn.as_str().into(),
            name: k.name().into(),
            region: Some(k.region.as_str().into()),
            tags: Some(&k.tags),
            path: None,
        },
        |k| checks(req, k),
    )
}
