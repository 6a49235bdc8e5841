//! The inventory part of DynamoDB tables.

use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub name: String,
    pub arn: String,
    pub region: String,
    /// `KMS` or `AES256` from SSEDescription; `None` for the default (AWS owned key).
    pub sse_type: Option<String>,
    pub kms_key: Option<String>,
    /// KeyManager of `kms_key` (`CUSTOMER` / `AWS`), read when a requirement asks.
    pub key_manager: Observed<Option<String>>,
    pub point_in_time_recovery: Observed<bool>,
    pub deletion_protection: Option<bool>,
    pub tags: Observed<Tags>,
    /// The global table's replicas (version 2019.11.21), with their status.
    #[serde(default)]
    pub replicas: Vec<Replica>,
    /// Why DescribeTable failed for this table (it was listed, but none of its
    /// settings could be read); `None` when it was described.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unread: Option<Gap>,
}

/// One replica of a global table: its region and `ReplicaStatus` (`ACTIVE`,
/// `CREATING`, `UPDATING`, `DELETING`, `CREATION_FAILED`, `REGION_DISABLED`,
/// `INACCESSIBLE_ENCRYPTION_CREDENTIALS`, …; `None` when the answer did not say).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replica {
    pub region: String,
    pub status: Option<String>,
}
