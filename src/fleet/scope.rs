//! A profile's `[profile.accounts]` scope: which accounts of a fleet it applies to.

use super::FleetAccount;
use std::collections::BTreeMap;

/// Account ids, organizational units and Organizations tags a profile applies to.
/// Each given part must match (AND); inside `ids` or `ous` any one entry matches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountScope {
    pub ids: Option<Vec<String>>,
    /// An account matches when one of these OUs is among its ancestors.
    pub ous: Option<Vec<String>>,
    pub tags: Option<BTreeMap<String, String>>,
}

impl AccountScope {
    /// Whether the profile applies to this account. An account whose OUs or tags
    /// were not read does not match a scope that asks for them.
    pub fn matches(&self, account: &FleetAccount) -> bool {
        let ids = self.ids.as_ref().is_none_or(|ids| ids.iter().any(|i| *i == account.id));
        let ous = self
            .ous
            .as_ref()
            .is_none_or(|want| account.ous.as_ref().is_some_and(|have| want.iter().any(|ou| have.contains(ou))));
        let tags = self.tags.as_ref().is_none_or(|want| {
            account.tags.as_ref().is_some_and(|have| want.iter().all(|(k, v)| have.get(k) == Some(v)))
        });
        ids && ous && tags
    }
}
