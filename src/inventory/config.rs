//! The inventory part of AWS Config rules.

use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigRule {
    pub name: String,
    pub arn: String,
    pub region: String,
    pub owner: Option<String>,
    pub source_identifier: Option<String>,
    pub state: Option<String>,
    /// Whether a configuration recorder of the rule's region is recording.
    pub recorder_on: Observed<bool>,
    #[serde(default)]
    pub tags: Observed<Tags>,
}
