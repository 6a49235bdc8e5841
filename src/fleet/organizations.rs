//! The fleet from AWS Organizations: every `ACTIVE` account of the organization,
//! or of one organizational unit and the units below it, each with its name, its
//! OU path and its tags.
//!
//! The accounts are found by walking the tree downward from the root (or from the
//! `--ou`): at each unit, `ListOrganizationalUnitsForParent` and
//! `ListAccountsForParent`. The walk gives every account's OU path as a side
//! effect, which `ListAccounts` cannot: it would need one `ListParents` per account
//! and per unit on top. Above an `--ou` the path is read upward with `ListParents`
//! (one call per level). Tags take one `ListTagsForResource` per account.
//!
//! Whether an account is active is read from its `State`: the API reference says
//! the older `Status` field is retired on 9 September 2026 and code should read
//! `State` (PENDING_ACTIVATION | ACTIVE | SUSPENDED | PENDING_CLOSURE | CLOSED).
//! An answer without `State` (from before that field existed) falls back to
//! `Status` (ACTIVE | SUSPENDED | PENDING_CLOSURE); an account with neither is an
//! error, not a guess.

use super::FleetAccount;
use crate::aws::{all_pages, classify, Ctx};
use aws_sdk_organizations::types::{Account, AccountState, AccountStatus, ParentType};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use futures::stream::{self, StreamExt, TryStreamExt};
use std::collections::BTreeMap;

/// The IAM actions [`discover`] calls (all read-only; allowed to the management
/// account and to a delegated administrator of Organizations).
pub const ACTIONS: &[&str] = &[
    "organizations:ListAccountsForParent",
    "organizations:ListOrganizationalUnitsForParent",
    "organizations:ListParents",
    "organizations:ListRoots",
    "organizations:ListTagsForResource",
];

/// Organizations calls in flight at once, at most (and at most `--concurrency`):
/// Organizations answers one caller at a low rate and throttles bursts with
/// `TooManyRequestsException`, which the SDK retries; a fleet of hundreds of
/// accounts needs no more to be read in seconds.
const IN_FLIGHT: usize = 8;

/// Whether `text` is an AWS account id: exactly 12 digits (API reference, `Account`).
pub fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `text` is an organizational unit id: `ou-`, 4 to 32 lowercase letters or
/// digits, `-`, 8 to 32 more (API reference, `OrganizationalUnit`:
/// `^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`).
pub fn is_ou_id(text: &str) -> bool {
    let part = |s: &str, min: usize| {
        (min..=32).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    match text.strip_prefix("ou-").and_then(|rest| rest.split_once('-')) {
        Some((root, unit)) => part(root, 4) && part(unit, 8),
        None => false,
    }
}

/// The active accounts of the organization (`ou` None) or of the unit `ou` and
/// every unit below it, in account id order. Any failed call (a page included)
/// fails the discovery with a message naming the operation and the error code:
/// a fleet with accounts silently missing would pass for a complete one.
pub async fn discover(ctx: &Ctx, ou: Option<&str>) -> Result<Vec<FleetAccount>, String> {
    let org: aws_sdk_organizations::Client = ctx.client(ctx.global_region());
    let starts: Vec<Unit> = match ou {
        None => roots(ctx, &org).await?.into_iter().map(|id| Unit { id, path: Vec::new() }).collect(),
        Some(ou) => {
            let mut path = ancestors(ctx, &org, ou).await?;
            path.push(ou.to_string());
            vec![Unit { id: ou.to_string(), path }]
        }
    };
    let placed = walk(ctx, &org, starts).await?;
    let mut active = BTreeMap::new();
    for (account, path) in placed {
        let id = account.id().ok_or("organizations:ListAccountsForParent answered an account without its Id")?;
        if is_active(&account)? {
            active.insert(id.to_string(), (account.name().map(str::to_string), path));
        }
    }
    let ids: Vec<String> = active.keys().cloned().collect();
    let tags: BTreeMap<String, BTreeMap<String, String>> = stream::iter(ids)
        .map(|id| async { tags_of(ctx, &org, &id).await.map(|t| (id, t)) })
        .buffer_unordered(ctx.concurrency.min(IN_FLIGHT))
        .try_collect()
        .await?;
    Ok(active
        .into_iter()
        .map(|(id, (name, path))| FleetAccount {
            tags: Some(tags.get(&id).cloned().unwrap_or_default()),
            id,
            name,
            ous: Some(path),
        })
        .collect())
}

/// An account as listed, with the OU ids above it (from the root down).
type Placed = (Account, Vec<String>);

/// A unit (or root) of the tree still to list, with the OU ids above it and
/// itself (roots are not OUs: a root's path is empty).
struct Unit {
    id: String,
    path: Vec<String>,
}

/// Whether the account is `ACTIVE`, from `State`, else the retired `Status`.
fn is_active(account: &Account) -> Result<bool, String> {
    match (account.state(), account.status()) {
        (Some(state), _) => Ok(*state == AccountState::Active),
        (None, Some(status)) => Ok(*status == AccountStatus::Active),
        (None, None) => Err(format!(
            "organizations: the answer gives neither State nor Status for account {}",
            account.id().unwrap_or("?")
        )),
    }
}

async fn roots(ctx: &Ctx, org: &aws_sdk_organizations::Client) -> Result<Vec<String>, String> {
    let pages =
        all_pages(ctx, org.list_roots().into_paginator().send()).await.map_err(|e| failure("ListRoots", None, &e))?;
    pages
        .iter()
        .flat_map(|p| p.roots())
        .map(|r| {
            r.id().map(str::to_string).ok_or_else(|| "organizations:ListRoots answered a root without its Id".into())
        })
        .collect()
}

/// The OU ids above `ou`, from the root down (the root itself left out), one
/// `ListParents` per level.
async fn ancestors(ctx: &Ctx, org: &aws_sdk_organizations::Client, ou: &str) -> Result<Vec<String>, String> {
    let mut path = Vec::new();
    let mut child = ou.to_string();
    // an OU tree is at most five levels deep below the root (Organizations quotas);
    // the bound only guards against an answer that loops
    for _ in 0..16 {
        let pages = all_pages(ctx, org.list_parents().child_id(&child).into_paginator().send())
            .await
            .map_err(|e| failure("ListParents", Some(&child), &e))?;
        let parent = pages
            .iter()
            .flat_map(|p| p.parents())
            .next()
            .ok_or_else(|| format!("organizations:ListParents answered no parent for {child}"))?;
        let id = parent.id().ok_or("organizations:ListParents answered a parent without its Id")?;
        if parent.r#type() == Some(&ParentType::Root) {
            path.reverse();
            return Ok(path);
        }
        path.push(id.to_string());
        child = id.to_string();
    }
    Err(format!("organizations:ListParents: no root found above {ou} within 16 levels"))
}

/// Lists every unit from `starts` downward, level by level, each level's units
/// concurrently; returns every account met with its OU path.
async fn walk(ctx: &Ctx, org: &aws_sdk_organizations::Client, starts: Vec<Unit>) -> Result<Vec<Placed>, String> {
    let mut level = starts;
    let mut found = Vec::new();
    while !level.is_empty() {
        let listed: Vec<(Vec<Unit>, Vec<Placed>)> = stream::iter(level)
            .map(|unit| list_unit(ctx, org, unit))
            // each unit lists its units and its accounts at once: two calls
            .buffer_unordered((ctx.concurrency.min(IN_FLIGHT) / 2).max(1))
            .try_collect()
            .await?;
        level = Vec::new();
        for (children, accounts) in listed {
            level.extend(children);
            found.extend(accounts);
        }
    }
    Ok(found)
}

async fn list_unit(
    ctx: &Ctx,
    org: &aws_sdk_organizations::Client,
    unit: Unit,
) -> Result<(Vec<Unit>, Vec<Placed>), String> {
    let ous = all_pages(ctx, org.list_organizational_units_for_parent().parent_id(&unit.id).into_paginator().send());
    let accounts = all_pages(ctx, org.list_accounts_for_parent().parent_id(&unit.id).into_paginator().send());
    let (ous, accounts) = futures::join!(ous, accounts);
    let ous = ous.map_err(|e| failure("ListOrganizationalUnitsForParent", Some(&unit.id), &e))?;
    let accounts = accounts.map_err(|e| failure("ListAccountsForParent", Some(&unit.id), &e))?;
    let mut children = Vec::new();
    for ou in ous.iter().flat_map(|p| p.organizational_units()) {
        let id = ou.id().ok_or("organizations:ListOrganizationalUnitsForParent answered a unit without its Id")?;
        let mut path = unit.path.clone();
        path.push(id.to_string());
        children.push(Unit { id: id.to_string(), path });
    }
    let accounts = accounts.iter().flat_map(|p| p.accounts()).map(|a| (a.clone(), unit.path.clone())).collect();
    Ok((children, accounts))
}

async fn tags_of(
    ctx: &Ctx,
    org: &aws_sdk_organizations::Client,
    account: &str,
) -> Result<BTreeMap<String, String>, String> {
    let pages = all_pages(ctx, org.list_tags_for_resource().resource_id(account).into_paginator().send())
        .await
        .map_err(|e| failure("ListTagsForResource", Some(account), &e))?;
    Ok(pages.iter().flat_map(|p| p.tags()).map(|t| (t.key().to_string(), t.value().to_string())).collect())
}

/// One line naming the call, what it was about, the code and AWS's message, and
/// for the two codes a user can act on, what they mean.
fn failure<E>(operation: &str, about: Option<&str>, err: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let (_, code, message) = classify(err);
    let about = about.map(|a| format!(" for {a}")).unwrap_or_default();
    let hint = match code.as_str() {
        "AccessDeniedException" | "AccessDenied" => {
            " (discovering the organization's accounts needs the management account or a delegated administrator of AWS Organizations)"
        }
        "AWSOrganizationsNotInUseException" => " (the caller's account is not a member of an organization)",
        _ => "",
    };
    format!("organizations:{operation}{about} failed: {code}: {message}{hint}")
}

#[cfg(test)]
#[path = "organizations_tests.rs"]
mod tests;
