//! The inventory part of S3 buckets and the account-level public access block.

use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BucketEncryption {
    /// `AES256`, `aws:kms` or `aws:kms:dsse`.
    pub algorithm: String,
    pub kms_key: Option<String>,
    pub bucket_key: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicAccessBlock {
    pub block_public_acls: bool,
    pub ignore_public_acls: bool,
    pub block_public_policy: bool,
    pub restrict_public_buckets: bool,
}

impl PublicAccessBlock {
    pub fn all(&self) -> bool {
        self.block_public_acls && self.ignore_public_acls && self.block_public_policy && self.restrict_public_buckets
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplicationRule {
    pub id: Option<String>,
    pub enabled: bool,
    pub destination_bucket: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    pub name: String,
    pub arn: String,
    pub region: Observed<String>,
    /// `None`: the bucket has no default encryption configuration.
    pub encryption: Observed<Option<BucketEncryption>>,
    /// `Enabled`, `Suspended`, or `None` for never enabled.
    pub versioning: Observed<Option<String>>,
    /// `None`: no public access block configuration on the bucket.
    pub public_access_block: Observed<Option<PublicAccessBlock>>,
    /// Target bucket of server access logging, `None` when off.
    pub logging_target: Observed<Option<String>>,
    /// `None`: no replication configuration.
    pub replication: Observed<Option<Vec<ReplicationRule>>>,
    pub tags: Observed<Tags>,
    /// ACL grants as (grantee, permission); the grantee is a group URI or an id.
    #[serde(default)]
    pub acl_grants: Observed<Vec<(String, String)>>,
    /// The bucket policy; `None` when the bucket has none.
    #[serde(default)]
    pub policy: Observed<Option<serde_json::Value>>,
    /// `PolicyStatus.IsPublic` from GetBucketPolicyStatus: S3's own verdict on the
    /// policy; `None` when the bucket has no policy (NoSuchBucketPolicy). A service
    /// that does not offer the call leaves a `NotAvailable` gap.
    #[serde(default)]
    pub policy_status: Observed<Option<bool>>,
}
