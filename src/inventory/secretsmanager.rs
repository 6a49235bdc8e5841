//! The inventory part of Secrets Manager secrets.

use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Secret {
    pub name: String,
    pub arn: String,
    pub region: String,
    /// AWS returns no RotationEnabled for a secret never configured for rotation.
    pub rotation_enabled: bool,
    pub rotation_days: Option<i64>,
    pub rotation_schedule: Option<String>,
    pub kms_key: Option<String>,
    pub tags: Observed<Tags>,
}
