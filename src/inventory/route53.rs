//! The inventory part of Route 53 records.

use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordSet {
    pub zone_id: String,
    pub zone_name: String,
    pub private_zone: bool,
    /// Fully qualified, without the trailing dot.
    pub name: String,
    pub record_type: String,
    pub alias_target: Option<String>,
    pub values: Vec<String>,
}
