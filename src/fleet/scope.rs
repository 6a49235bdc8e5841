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
    /// Whether the profile applies to this account. `Err` names what the scope asks
    /// for that was not read for the account (its OUs or its tags: an account given
    /// by `--accounts` alone has neither), when its id does not already settle it.
    pub fn applies(&self, account: &FleetAccount) -> Result<bool, &'static str> {
        if self.ids.as_ref().is_some_and(|ids| !ids.contains(&account.id)) {
            return Ok(false);
        }
        let ous = match (&self.ous, &account.ous) {
            (None, _) => true,
            (Some(_), None) => return Err("organizational units"),
            (Some(want), Some(have)) => want.iter().any(|ou| have.contains(ou)),
        };
        let tags = match (&self.tags, &account.tags) {
            (None, _) => true,
            (Some(_), None) => return Err("Organizations tags"),
            (Some(want), Some(have)) => want.iter().all(|(k, v)| have.get(k) == Some(v)),
        };
        Ok(ous && tags)
    }
}
