//! The inventory part of SNS topics.

use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Topic {
    pub name: String,
    pub arn: String,
    pub region: String,
    /// KmsMasterKeyId from GetTopicAttributes; `None` when the topic is not encrypted.
    pub kms_key: Observed<Option<String>>,
    pub tags: Observed<Tags>,
}
