//! Fleet runs: many accounts audited in one run. The accounts come from AWS
//! Organizations (`--organization`, `--ou`) or a plain `--accounts` list; each
//! profile may scope itself to some of them ([`AccountScope`]).

mod assume;
mod flags;
pub mod members;
pub mod organizations;
pub mod run;
mod scope;
pub mod shard;

pub use flags::{FleetArgs, DEFAULT_ACCOUNT_CONCURRENCY};
pub use scope::AccountScope;
use std::collections::BTreeMap;

/// One account of the fleet, with what Organizations says about it (nothing for
/// an account given by `--accounts` alone).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FleetAccount {
    /// 12-digit account id.
    pub id: String,
    /// Its name in Organizations.
    pub name: Option<String>,
    /// The organizational units it sits under, from the root down (ids `ou-…`),
    /// `None` when not discovered through Organizations.
    pub ous: Option<Vec<String>>,
    /// Its tags in Organizations (`ListTagsForResource`), `None` when not read.
    pub tags: Option<BTreeMap<String, String>>,
}
