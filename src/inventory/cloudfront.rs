//! The inventory part of CloudFront distributions.

use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DistOrigin {
    pub id: String,
    pub domain: String,
    pub s3: bool,
    pub oac_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DistOriginGroup {
    pub id: String,
    pub members: Vec<String>,
    pub status_codes: Vec<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    pub id: String,
    pub arn: String,
    pub domain_name: String,
    pub aliases: Vec<String>,
    pub origins: Vec<DistOrigin>,
    pub origin_groups: Vec<DistOriginGroup>,
    /// Target of the default cache behaviour (an origin or an origin group).
    pub default_target: Option<String>,
    pub compress: bool,
    pub web_acl: Option<String>,
    pub acm_certificate: Option<String>,
    pub min_tls: Option<String>,
    /// ViewerCertificate.CloudFrontDefaultCertificate with no ACM or IAM
    /// certificate: CloudFront then applies TLSv1 whatever MinimumProtocolVersion says.
    #[serde(default)]
    pub default_certificate: bool,
    pub error_codes: Vec<i32>,
    /// Bucket of standard logging (legacy) when enabled (`name.s3.amazonaws.com`).
    pub logging: Observed<Option<String>>,
    /// Standard logging v2: the destinations of the CloudWatch Logs deliveries whose
    /// source is this distribution's access logs (read only when legacy logging is off).
    #[serde(default)]
    pub log_deliveries: Observed<Vec<String>>,
    pub tags: Observed<Tags>,
}
