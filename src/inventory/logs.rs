//! The inventory part of CloudWatch Logs log groups.

use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogGroup {
    pub name: String,
    pub arn: String,
    pub region: String,
    /// `None`: events never expire.
    pub retention_days: Option<i32>,
    pub kms_key: Option<String>,
    pub tags: Observed<Tags>,
}
