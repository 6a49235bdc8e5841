//! Credentials for one account of the fleet: the caller's own for its own
//! account, else an assumed role (`sts:AssumeRole`).

use crate::inventory::{ErrorClass, Gap};
use aws_config::SdkConfig;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_sdk_sts::operation::assume_role::AssumeRoleError;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;

/// `arn:{partition}:iam::{account}:role/{name}`.
pub fn role_arn(partition: &str, account: &str, name: &str) -> String {
    format!("arn:{partition}:iam::{account}:role/{name}")
}

/// The role session name, as the account's CloudTrail shows it:
/// `driftwatch-audit-{account}`. The STS API reference allows 2 to 64 characters
/// of `[\w+=,.@-]`; anything else is replaced by `-` and the name is cut at 64.
pub fn session_name(account: &str) -> String {
    let name: String = format!("driftwatch-audit-{account}")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || "_+=,.@-".contains(c) { c } else { '-' })
        .take(64)
        .collect();
    name
}

/// What to assume in the other accounts of the fleet.
#[derive(Debug, Clone)]
pub struct RoleSpec {
    pub name: String,
    pub external_id: Option<String>,
}

/// The SDK configuration for `account`: `base` with the role assumed in it. The
/// provider asks STS again before the credentials expire: the identity cache of
/// `base` (the SDK's lazy cache, shared by every client made from the result, keyed
/// by this provider) refreshes them, so a long audit keeps working.
///
/// The role is assumed once here so that a refusal is known before any read: the
/// error is a gap naming `sts:AssumeRole`, the role and AWS's error code.
pub async fn account_config(
    base: &SdkConfig,
    partition: &str,
    account: &str,
    role: &RoleSpec,
) -> Result<SdkConfig, Gap> {
    let arn = role_arn(partition, account, &role.name);
    let mut builder =
        aws_config::sts::AssumeRoleProvider::builder(arn.clone()).session_name(session_name(account)).configure(base);
    if let Some(id) = &role.external_id {
        builder = builder.external_id(id.clone());
    }
    let provider = builder.build().await;
    if let Err(e) = provider.provide_credentials().await {
        return Err(assume_gap(&e, base, &arn));
    }
    Ok(base.to_builder().credentials_provider(SharedCredentialsProvider::new(provider)).build())
}

/// The gap of a refused or failed AssumeRole: the STS error's class and code when
/// the provider passes it on (it does for every answered call), else the provider's own.
fn assume_gap(err: &aws_credential_types::provider::error::CredentialsError, base: &SdkConfig, arn: &str) -> Gap {
    let sdk_error =
        std::error::Error::source(err).and_then(|s| s.downcast_ref::<SdkError<AssumeRoleError, HttpResponse>>());
    let (class, code, message) = match sdk_error {
        Some(e) => crate::aws::classify(e),
        None => (ErrorClass::Other, "CredentialsError".to_string(), crate::aws::source_chain(err)),
    };
    Gap {
        service: "sts".into(),
        region: base.region().map(|r| r.to_string()).unwrap_or_default(),
        operation: "AssumeRole".into(),
        resource: Some(arn.to_string()),
        code,
        message,
        class,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_names_fit_sts_limits() {
        assert_eq!(session_name("123456789012"), "driftwatch-audit-123456789012");
        let odd = session_name("12 34/56:78");
        assert_eq!(odd, "driftwatch-audit-12-34-56-78");
        let long = session_name(&"9".repeat(80));
        assert_eq!(long.len(), 64);
        assert!(long.starts_with("driftwatch-audit-999"));
        let allowed = |c: char| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c);
        assert!(long.chars().chain(odd.chars()).all(allowed));
    }

    #[test]
    fn role_arns_follow_the_partition() {
        assert_eq!(role_arn("aws", "123456789012", "Audit"), "arn:aws:iam::123456789012:role/Audit");
        assert_eq!(role_arn("aws-cn", "123456789012", "a/b"), "arn:aws-cn:iam::123456789012:role/a/b");
    }
}
