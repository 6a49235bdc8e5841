//! Fills `Inventory::iam`: roles, users and groups with their attached and inline
//! policies, from GetAccountAuthorizationDetails (every page), plus MFA devices of
//! users when a requirement asks. IAM is global: read once, from the partition's
//! global region.

use crate::aws::{all_pages, Ctx};
use crate::inventory::{AttachedPolicy, Iam, IamPrincipal, InlinePolicy, ManagedPolicy, Observed, Principal};
use aws_sdk_iam::types::{EntityType, PolicyDetail};
use futures::future::join_all;
use std::collections::BTreeMap;

const SERVICE: &str = "iam";

pub const CALLS: &[super::permissions::Call] = &[
    super::permissions::Call {
        operation: "GetAccountAuthorizationDetails",
        action: "iam:GetAccountAuthorizationDetails",
        needed: |_| true,
    },
    super::permissions::Call {
        operation: "ListMFADevices",
        action: "iam:ListMFADevices",
        needed: |n| n.has("user_mfa"),
    },
];

pub static COLLECTOR: super::Collector = super::Collector {
    id: "iam",
    service: SERVICE,
    part: "iam",
    reads: &[
        ("local_policies", "default versions of customer-managed policies"),
        ("user_mfa", "MFA devices of each user (ListMFADevices)"),
    ],
    calls: CALLS,
    collect: |ctx, need| {
        Box::pin(async move {
            let part = collect(ctx, need.has("local_policies"), need.has("user_mfa")).await;
            Box::new(move |inv: &mut crate::inventory::Inventory| inv.iam = Some(part)) as super::Fill
        })
    },
    cut_short: |_, gap, inv| {
        inv.iam =
            Some(Iam { principals: Observed::Unknown(gap.clone()), local_policies: Observed::Unknown(gap.clone()) })
    },
};

/// IAM returns policy documents URL-encoded (RFC 3986); decode and parse them.
pub fn decode_document(raw: &str) -> serde_json::Value {
    let decoded = percent_encoding::percent_decode_str(raw).decode_utf8_lossy();
    serde_json::from_str(&decoded).or_else(|_| serde_json::from_str(raw)).unwrap_or(serde_json::Value::Null)
}

fn inline(list: &[PolicyDetail]) -> Vec<InlinePolicy> {
    list.iter()
        .map(|p| InlinePolicy {
            name: p.policy_name().unwrap_or_default().to_string(),
            document: p.policy_document().map(decode_document).unwrap_or(serde_json::Value::Null),
        })
        .collect()
}

fn attached(list: &[aws_sdk_iam::types::AttachedPolicy]) -> Vec<AttachedPolicy> {
    list.iter()
        .map(|p| AttachedPolicy {
            name: p.policy_name().unwrap_or_default().to_string(),
            arn: p.policy_arn().unwrap_or_default().to_string(),
        })
        .collect()
}

fn tags(list: &[aws_sdk_iam::types::Tag]) -> Observed<crate::inventory::Tags> {
    Observed::Known(super::tag_map(list, |t| (Some(t.key()), Some(t.value()))))
}

pub async fn collect(ctx: &Ctx, local_policies: bool, user_mfa: bool) -> Iam {
    let region = ctx.global_region();
    let client = ctx.client::<aws_sdk_iam::Client>(region);
    let mut filter = vec![EntityType::Role, EntityType::User, EntityType::Group];
    if local_policies {
        filter.push(EntityType::LocalManagedPolicy);
    }
    let pages = match all_pages(
        ctx,
        client.get_account_authorization_details().set_filter(Some(filter)).into_paginator().send(),
    )
    .await
    {
        Ok(p) => p,
        Err(err) => {
            let gap = ctx.gap(&err, SERVICE, region, "GetAccountAuthorizationDetails", None);
            return Iam { principals: Observed::Unknown(gap.clone()), local_policies: Observed::Unknown(gap) };
        }
    };
    let mut principals = Vec::new();
    let mut policies = BTreeMap::new();
    for page in &pages {
        for r in page.role_detail_list() {
            principals.push(IamPrincipal {
                kind: Principal::Role,
                name: r.role_name().unwrap_or_default().to_string(),
                arn: r.arn().unwrap_or_default().to_string(),
                path: r.path().unwrap_or_default().to_string(),
                attached: attached(r.attached_managed_policies()),
                inline: inline(r.role_policy_list()),
                tags: tags(r.tags()),
                trust_policy: r.assume_role_policy_document().map(decode_document),
                mfa_devices: Observed::default(),
            });
        }
        for u in page.user_detail_list() {
            principals.push(IamPrincipal {
                kind: Principal::User,
                name: u.user_name().unwrap_or_default().to_string(),
                arn: u.arn().unwrap_or_default().to_string(),
                path: u.path().unwrap_or_default().to_string(),
                attached: attached(u.attached_managed_policies()),
                inline: inline(u.user_policy_list()),
                tags: tags(u.tags()),
                trust_policy: None,
                mfa_devices: Observed::default(),
            });
        }
        for g in page.group_detail_list() {
            principals.push(IamPrincipal {
                kind: Principal::Group,
                name: g.group_name().unwrap_or_default().to_string(),
                arn: g.arn().unwrap_or_default().to_string(),
                path: g.path().unwrap_or_default().to_string(),
                attached: attached(g.attached_managed_policies()),
                inline: inline(g.group_policy_list()),
                tags: Observed::Known(Default::default()),
                trust_policy: None,
                mfa_devices: Observed::default(),
            });
        }
        for p in page.policies() {
            let Some(arn) = p.arn() else { continue };
            let document = p
                .policy_version_list()
                .iter()
                .find(|v| v.is_default_version())
                .and_then(|v| v.document())
                .map(decode_document)
                .unwrap_or(serde_json::Value::Null);
            policies.insert(
                arn.to_string(),
                ManagedPolicy { arn: arn.to_string(), name: p.policy_name().unwrap_or_default().to_string(), document },
            );
        }
    }
    if user_mfa {
        let counts = join_all(principals.iter().filter(|p| p.kind == Principal::User).map(|u| {
            let client = client.clone();
            let name = u.name.clone();
            let arn = u.arn.clone();
            async move {
                super::per_resource(
                    ctx,
                    all_pages(ctx, client.list_mfa_devices().user_name(&name).into_paginator().send()).await,
                    |pages| pages.iter().map(|p| p.mfa_devices().len()).sum(),
                    (SERVICE, region, "ListMFADevices", &arn),
                )
            }
        }))
        .await;
        // a user deleted since the listing (NoSuchEntity) is gone
        let mut counts = counts.into_iter();
        principals.retain_mut(|p| {
            if p.kind != Principal::User {
                return true;
            }
            match counts.next().flatten() {
                Some(n) => {
                    p.mfa_devices = n;
                    true
                }
                None => false,
            }
        });
    }
    let local = if local_policies { Observed::Known(policies) } else { Observed::default() };
    Iam { principals: Observed::Known(principals), local_policies: local }
}

#[cfg(test)]
#[path = "iam_tests.rs"]
mod tests;
