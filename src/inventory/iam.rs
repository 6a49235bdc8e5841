//! The inventory part of IAM principals and policies.

use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttachedPolicy {
    pub name: String,
    pub arn: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InlinePolicy {
    pub name: String,
    /// Decoded JSON policy document (`Null` when it could not be parsed).
    pub document: serde_json::Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Principal {
    Role,
    User,
    Group,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IamPrincipal {
    pub kind: Principal,
    pub name: String,
    pub arn: String,
    /// The IAM path (`/`, `/aws-service-role/`…) from the detail's `Path`.
    #[serde(default)]
    pub path: String,
    pub attached: Vec<AttachedPolicy>,
    pub inline: Vec<InlinePolicy>,
    pub tags: Observed<Tags>,
    /// Roles: the trust policy document.
    pub trust_policy: Option<serde_json::Value>,
    /// Users: whether an MFA device is registered (read only when a requirement asks).
    pub mfa_devices: Observed<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedPolicy {
    pub arn: String,
    pub name: String,
    pub document: serde_json::Value,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Iam {
    pub principals: Observed<Vec<IamPrincipal>>,
    /// Customer-managed policies' default versions, by ARN.
    pub local_policies: Observed<BTreeMap<String, ManagedPolicy>>,
}
