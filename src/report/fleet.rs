//! What a fleet run adds to the report: the accounts it audited, each with its own
//! summary, and, for a shard of a larger fleet, which part of the fleet this is.
//! A single-account run has no `fleet` object and its report is unchanged.

use crate::compare::Summary;
use serde::{Deserialize, Serialize};

/// The fleet a run audited (`--organization` or `--accounts`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fleet {
    /// Every account this report covers, in account id order.
    pub accounts: Vec<AccountResult>,
    /// With `--shard` (or the engines' index variables): which part of the whole fleet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<Shard>,
}

/// One audited account of the fleet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountResult {
    /// 12-digit account id.
    pub id: String,
    /// The account's name in AWS Organizations, when discovered there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// This account's findings counted.
    pub summary: Summary,
    /// Why nothing of this account could be read (e.g. `sts:AssumeRole` denied):
    /// its findings are then all unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A deterministic part of a fleet: shard `index` (0-based) of `count`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
    /// Every account id of the whole fleet, before sharding, so that `merge` can
    /// name the accounts of a shard whose report is missing.
    pub fleet_accounts: Vec<String>,
}
