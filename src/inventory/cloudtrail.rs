//! The inventory part of CloudTrail trails.

use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trail {
    pub name: String,
    pub arn: String,
    pub home_region: String,
    pub multi_region: bool,
    pub organization: bool,
    pub log_file_validation: Option<bool>,
    pub kms_key: Option<String>,
    pub include_global_service_events: Option<bool>,
    pub s3_bucket: Option<String>,
    pub is_logging: Observed<bool>,
    #[serde(default)]
    pub tags: Observed<Tags>,
    /// Which management events the trail's event selectors log (GetEventSelectors),
    /// read only when a requirement asks.
    #[serde(default)]
    pub management_events: Observed<ManagementEvents>,
}

/// The management events a trail logs, summed over its event selectors (classic or
/// advanced).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagementEvents {
    /// Read-only management events are logged (from some event source at least).
    pub read: bool,
    /// Write management events are logged (from some event source at least).
    pub write: bool,
    /// What the selectors leave out of a logged type: excluded event sources
    /// (`kms.amazonaws.com`) or other conditions that narrow a selector. Empty when
    /// every logged type is logged from every source.
    pub excluded: Vec<String>,
}

impl ManagementEvents {
    /// Read and write management events of every event source: all API calls.
    pub fn all(&self) -> bool {
        self.read && self.write && self.excluded.is_empty()
    }
}
