//! The inventory part of KMS keys.

use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KmsKey {
    pub id: String,
    pub arn: String,
    pub region: String,
    /// Alias names without the `alias/` prefix.
    pub aliases: Vec<String>,
    /// `CUSTOMER` or `AWS`.
    pub manager: Option<String>,
    pub state: Option<String>,
    /// DescribeKey's `KeySpec` (`SYMMETRIC_DEFAULT`, `RSA_2048`, `HMAC_256`…).
    #[serde(default)]
    pub key_spec: Option<String>,
    /// DescribeKey's `Origin` (`AWS_KMS`, `EXTERNAL`, `AWS_CLOUDHSM`, `EXTERNAL_KEY_STORE`).
    #[serde(default)]
    pub origin: Option<String>,
    /// Why DescribeKey failed for this key: its manager, state, spec and origin
    /// are then unknown (the key is still listed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata_gap: Option<Gap>,
    pub rotation: Observed<bool>,
    pub policy: Observed<serde_json::Value>,
    pub tags: Observed<Tags>,
}

impl KmsKey {
    /// The first alias, else the key id.
    pub fn name(&self) -> &str {
        self.aliases.first().map(String::as_str).unwrap_or(&self.id)
    }

    /// Why KMS cannot rotate this key automatically (AWS KMS supports automatic
    /// rotation only for symmetric encryption keys whose material KMS generated in
    /// its own key store, and not while a key is pending deletion): the observed
    /// setting and the reason; `None` for a rotation candidate, or when the
    /// metadata was not read.
    pub fn rotation_exemption(&self) -> Option<(String, String)> {
        if let Some(state @ ("PendingDeletion" | "PendingReplicaDeletion")) = self.state.as_deref() {
            return Some((format!("KeyState {state}"), "the key is pending deletion".into()));
        }
        match self.key_spec.as_deref() {
            Some(spec) if spec.starts_with("HMAC_") => {
                return Some((format!("KeySpec {spec}"), "HMAC keys cannot rotate automatically".into()));
            }
            Some(spec) if spec != "SYMMETRIC_DEFAULT" => {
                return Some((format!("KeySpec {spec}"), "asymmetric keys cannot rotate automatically".into()));
            }
            _ => {}
        }
        match self.origin.as_deref() {
            Some(o @ "EXTERNAL") => {
                Some((format!("Origin {o}"), "keys with imported key material cannot rotate automatically".into()))
            }
            Some(o @ ("AWS_CLOUDHSM" | "EXTERNAL_KEY_STORE")) => {
                Some((format!("Origin {o}"), "keys in a custom key store cannot rotate automatically".into()))
            }
            _ => None,
        }
    }
}
