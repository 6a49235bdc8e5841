//! `kms.key`: rotation, customer management, state, key policy principals.

use super::{Field, FieldType::*, Kind};
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::inventory::{Inventory, KmsKey};
use crate::profile::Requirement;
use serde_json::{json, Value as Json};

pub static KIND: Kind = Kind {
    name: "kms.key",
    summary: "KMS keys: rotation, customer-managed, enabled, key policy principals",
    doc: "Keys of the requirement's regions (ListKeys and ListAliases, every page), named by \
their first alias (without `alias/`) or their key id. DescribeKey gives `KeyManager`, \
`KeyState`, `KeySpec` and `Origin`; when it fails for one key, that key's fields are unknown \
and the other keys are still judged, and a key deleted after ListKeys is simply gone. \
Rotation status, the key policy and tags are read only when a requirement asks. AWS KMS \
rotates automatically only symmetric encryption keys (`KeySpec` SYMMETRIC_DEFAULT) whose key \
material it generated (`Origin` AWS_KMS): for asymmetric and HMAC keys, keys with imported \
material (`Origin` EXTERNAL), keys in a custom key store (`Origin` AWS_CLOUDHSM or \
EXTERNAL_KEY_STORE) and keys pending deletion, `rotation` does not apply (not_applicable, with \
the reason) and GetKeyRotationStatus is not called. \
`region_agnostic_principals` checks that service principals in the key policy carry no region \
(`logs.amazonaws.com`, not `logs.us-east-1.amazonaws.com`), so the policy holds in every \
region, opt-in ones included.",
    regional: true,
    tags: true,
    selectable: true,
    fields: &[
        Field::new(
            "rotation",
            Bool,
            "Automatic key rotation is enabled (GetKeyRotationStatus `KeyRotationEnabled`); not applicable to keys KMS cannot rotate automatically (asymmetric, HMAC, imported material, custom key store, pending deletion).",
        ),
        Field::new("customer_managed", Bool, "DescribeKey `KeyManager` is CUSTOMER (not an AWS managed key)."),
        Field::new("enabled", Bool, "DescribeKey `KeyState` is Enabled."),
        Field::new(
            "policy_principals",
            StrList,
            "Principals (ARNs, account ids or service names) named by Allow statements of the key policy; a \
plain list must all be named. An account id and its `arn:PARTITION:iam::ID:root` are the same.",
        ),
        Field::new("region_agnostic_principals", Bool, "No service principal of the key policy names a region."),
    ],
    plan: |req, plan| {
        let e = &req.expect;
        plan.resources("kms", req)
            .read_if(e.has("rotation"), "rotation")
            .read_if(e.has("policy_principals") || e.has("region_agnostic_principals"), "policy");
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

/// `arn:PARTITION:iam::ACCOUNT:root` as its account id; anything else unchanged.
fn account_of_root(v: &str) -> String {
    let parts: Vec<&str> = v.split(':').collect();
    match parts.as_slice() {
        ["arn", _, "iam", "", account, "root"] => account.to_string(),
        _ => v.to_string(),
    }
}

fn checks(req: &Requirement, k: &KmsKey) -> Vec<Check> {
    let e = &req.expect;
    let mut out = Vec::new();
    if let Some(want) = e.bool("rotation") {
        out.push(match (&k.metadata_gap, k.rotation_exemption()) {
            (Some(gap), _) => Check::unknown("rotation", json!(want), gap),
            (None, Some((observed, why))) => Check::not_applicable("rotation", json!(want), json!(observed), why),
            (None, None) => Check::of("rotation", json!(want), &k.rotation, |v| json!(v), |v| *v == want),
        });
    }
    if let Some(want) = e.bool("customer_managed") {
        out.push(match &k.metadata_gap {
            Some(gap) => Check::unknown("customer_managed", json!(want), gap),
            None => Check::new(
                "customer_managed",
                json!(want),
                json!(k.manager),
                (k.manager.as_deref() == Some("CUSTOMER")) == want,
            ),
        });
    }
    if let Some(want) = e.bool("enabled") {
        out.push(match &k.metadata_gap {
            Some(gap) => Check::unknown("enabled", json!(want), gap),
            None => Check::new("enabled", json!(want), json!(k.state), (k.state.as_deref() == Some("Enabled")) == want),
        });
    }
    if let Some(cmp) = e.cmp("policy_principals") {
        // an account's root ARN and its bare account id name the same principal
        let wanted = cmp.map_strings(account_of_root);
        out.push(Check::of(
            "policy_principals",
            cmp.expected(),
            &k.policy,
            |p| json!(principals(p).into_iter().map(|(_, v)| v).collect::<Vec<_>>()),
            |p| {
                let named: Vec<String> = principals(p).into_iter().map(|(_, v)| account_of_root(&v)).collect();
                wanted.list(&named)
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

#[cfg(test)]
#[path = "kms_key_tests.rs"]
mod tests;
