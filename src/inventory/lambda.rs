//! The inventory part of Lambda functions.

use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Function {
    pub name: String,
    pub arn: String,
    pub region: String,
    pub runtime: Option<String>,
    /// The customer KMS key encrypting the environment variables, if any.
    pub kms_key: Option<String>,
    pub has_environment: bool,
    pub tags: Observed<Tags>,
}
