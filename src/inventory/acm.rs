//! The inventory part of ACM certificates.

use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DomainValidation {
    pub domain: String,
    pub method: Option<String>,
    pub status: Option<String>,
    /// The CNAME ACM asks for: (name, value).
    pub record: Option<(String, String)>,
    /// The values of the CNAME record sets at that name in the public hosted zone
    /// of the account that holds it (decoded, lower case, no trailing dot; empty
    /// when there is none): `Known(None)` when no zone of the account holds it.
    pub route53_values: Observed<Option<Vec<String>>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Certificate {
    pub arn: String,
    pub domain: String,
    pub region: String,
    pub status: Option<String>,
    /// From DescribeCertificate; unknown when that call failed for this certificate
    /// (its status and expiry then come from the ListCertificates summary).
    pub validations: Observed<Vec<DomainValidation>>,
    /// Seconds since the epoch.
    pub not_after: Option<i64>,
    pub tags: Observed<Tags>,
}
