//! The inventory part of ELBv2 load balancers and listeners.

use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listener {
    pub arn: String,
    pub protocol: Option<String>,
    pub port: Option<i32>,
    pub ssl_policy: Option<String>,
    /// The protocols `ssl_policy` accepts (DescribeSSLPolicies `SslProtocols`, e.g.
    /// `TLSv1.2`); empty when the listener has no policy. Unknown when the policy
    /// could not be read (and in inventories saved before it was collected).
    #[serde(default)]
    pub ssl_protocols: Observed<Vec<String>>,
    /// Types of the default actions (`forward`, `redirect`, …).
    pub actions: Vec<String>,
    /// Protocol a redirect action sends to (`HTTPS`), if any.
    pub redirect_protocol: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadBalancer {
    pub name: String,
    pub arn: String,
    pub region: String,
    pub lb_type: Option<String>,
    pub scheme: Option<String>,
    pub listeners: Observed<Vec<Listener>>,
    pub tags: Observed<Tags>,
}
