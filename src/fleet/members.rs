//! Which accounts a fleet run audits, and which requirements apply to each: the
//! flags checked before any call, the discovered or listed accounts narrowed by
//! `--accounts` / `--exclude-accounts` and the shard, and each profile's
//! `[profile.accounts]` scope.

use super::shard::{self, ShardSpec};
use super::FleetAccount;
use crate::fleet::FleetArgs;
use crate::profile::{Profile, Requirement};
use std::collections::BTreeSet;

/// The fleet flags, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    pub organization: bool,
    pub ou: Option<String>,
    /// `--accounts`: the fleet itself, or with `--organization` the ones kept.
    pub include: Option<Vec<String>>,
    pub exclude: BTreeSet<String>,
    pub shard: Option<ShardSpec>,
}

/// An AWS account id is 12 digits.
fn account_id(flag: &str, text: &str) -> Result<String, String> {
    let id = text.trim();
    if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
        Ok(id.to_string())
    } else {
        Err(format!("{flag} {text}: an AWS account id is 12 digits"))
    }
}

/// Checks the fleet flags before any call: `None` for a single-account audit
/// (and then no fleet-only flag may be given), else what to audit. The shard comes
/// from `--shard` or the engines' variables, read through `env`.
pub fn selection(
    args: &FleetArgs,
    save_inventory: bool,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Option<Selection>, String> {
    if !args.is_fleet() {
        let only_fleet = [
            (!args.exclude_accounts.is_empty(), "--exclude-accounts"),
            (args.role_name.is_some(), "--role-name"),
            (args.external_id.is_some(), "--external-id"),
            (args.shard.is_some(), "--shard"),
            (args.shard_count.is_some(), "--shard-count"),
        ];
        if let Some((_, flag)) = only_fleet.iter().find(|(given, _)| *given) {
            return Err(format!("{flag} is for fleet runs: add --accounts ID,… or --organization"));
        }
        // an engine's index variables alone do not make a fleet run
        return Ok(None);
    }
    if save_inventory {
        return Err("--save-inventory saves one account's inventory; it cannot be used with a fleet run".into());
    }
    if args.role_name.as_deref().is_some_and(|r| r.trim().is_empty()) {
        return Err("--role-name must not be empty".into());
    }
    let include = match &args.accounts {
        None => None,
        Some(list) => {
            let ids = list.iter().map(|a| account_id("--accounts", a)).collect::<Result<Vec<_>, _>>()?;
            if ids.is_empty() {
                return Err("--accounts needs at least one account id".into());
            }
            Some(ids)
        }
    };
    let exclude =
        args.exclude_accounts.iter().map(|a| account_id("--exclude-accounts", a)).collect::<Result<_, _>>()?;
    let shard = shard::resolve(args.shard.as_deref(), args.shard_count, env)?;
    Ok(Some(Selection { organization: args.organization, ou: args.ou.clone(), include, exclude, shard }))
}

/// The fleet: the organization's accounts (when discovered) kept by `--accounts`,
/// else the `--accounts` list; without the excluded ones; sorted by id, no repeats.
/// The second list names `--accounts` ids the organization does not hold (left out).
pub fn narrow(discovered: Option<Vec<FleetAccount>>, sel: &Selection) -> (Vec<FleetAccount>, Vec<String>) {
    let mut missing = Vec::new();
    let mut fleet: Vec<FleetAccount> = match discovered {
        Some(found) => {
            if let Some(want) = &sel.include {
                let have: BTreeSet<&str> = found.iter().map(|a| a.id.as_str()).collect();
                missing = want.iter().filter(|id| !have.contains(id.as_str())).cloned().collect();
            }
            found.into_iter().filter(|a| sel.include.as_ref().is_none_or(|want| want.contains(&a.id))).collect()
        }
        None => {
            sel.include.iter().flatten().map(|id| FleetAccount { id: id.clone(), ..FleetAccount::default() }).collect()
        }
    };
    fleet.retain(|a| !sel.exclude.contains(&a.id));
    fleet.sort_by(|a, b| a.id.cmp(&b.id));
    fleet.dedup_by(|a, b| a.id == b.id);
    missing.sort();
    missing.dedup();
    (fleet, missing)
}

/// This run's part of the fleet: the shard's accounts, or all of them.
pub fn shard_of(fleet: Vec<FleetAccount>, spec: Option<ShardSpec>) -> Vec<FleetAccount> {
    match spec {
        None => fleet,
        Some(spec) => {
            let ids: Vec<String> = fleet.iter().map(|a| a.id.clone()).collect();
            let keep: BTreeSet<String> = shard::select(&ids, spec).into_iter().collect();
            fleet.into_iter().filter(|a| keep.contains(&a.id)).collect()
        }
    }
}

/// The requirements of the profiles that apply to `account`: a profile without
/// an `accounts` scope applies to every account. A scope that cannot be judged
/// for the account is an error, never a profile silently left out.
pub fn requirements_for(profiles: &[Profile], account: &FleetAccount) -> Result<Vec<Requirement>, String> {
    let mut out = Vec::new();
    for p in profiles {
        let applies = match &p.accounts {
            None => true,
            Some(scope) => scope.applies(account).map_err(|unread| {
                format!(
                    "profile `{}` ({}) is scoped by {unread}, which only --organization reads; account {} was given \
                     by --accounts alone, so whether the profile applies to it is unknown: add --organization \
                     (--accounts then narrows the organization's accounts) or scope the profile by `ids`",
                    p.name, p.path, account.id
                )
            })?,
        };
        if applies {
            out.extend(p.requirements.iter().cloned());
        }
    }
    Ok(out)
}

#[cfg(test)]
#[path = "members_tests.rs"]
mod tests;
