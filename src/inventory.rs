//! The observed state of an account: what the collectors read, as plain serde
//! types. Anything that could not be read is `Observed::Unknown` with the reason;
//! evaluation reads only this, so a saved inventory can be re-evaluated offline.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub type Tags = BTreeMap<String, String>;

/// Why something could not be observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorClass {
    AccessDenied,
    Throttled,
    NotAvailable,
    Timeout,
    Unreachable,
    Malformed,
    NotCollected,
    /// The resource belongs to another account (an organization trail seen from a
    /// member account) and this account could not read it.
    OtherAccount,
    Other,
}

/// A failed read: which call, where, and the error code AWS gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gap {
    pub service: String,
    pub region: String,
    pub operation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    pub code: String,
    pub message: String,
    pub class: ErrorClass,
}

impl Gap {
    /// A value the plan did not collect: a bug if evaluation ever reads it, and
    /// reported as unknown rather than guessed.
    pub fn not_collected(what: &str) -> Self {
        Gap {
            service: String::new(),
            region: String::new(),
            operation: what.to_string(),
            resource: None,
            code: "NotCollected".into(),
            message: format!("{what} was not collected"),
            class: ErrorClass::NotCollected,
        }
    }

    pub fn describe(&self) -> String {
        if matches!(self.class, ErrorClass::NotCollected | ErrorClass::OtherAccount) {
            return self.message.clone();
        }
        format!("{}:{} in {} failed with {}", self.service, self.operation, self.region, self.code)
    }
}

/// A value that was either read, or could not be (and why).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Observed<T> {
    Known(T),
    Unknown(Gap),
}

impl<T> Default for Observed<T> {
    fn default() -> Self {
        Observed::Unknown(Gap::not_collected("value"))
    }
}

impl<T> Observed<T> {
    pub fn known(&self) -> Option<&T> {
        match self {
            Observed::Known(v) => Some(v),
            Observed::Unknown(_) => None,
        }
    }
    pub fn gap(&self) -> Option<&Gap> {
        match self {
            Observed::Known(_) => None,
            Observed::Unknown(g) => Some(g),
        }
    }
    pub fn as_ref(&self) -> Observed<&T> {
        match self {
            Observed::Known(v) => Observed::Known(v),
            Observed::Unknown(g) => Observed::Unknown(g.clone()),
        }
    }
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Observed<U> {
        match self {
            Observed::Known(v) => Observed::Known(f(v)),
            Observed::Unknown(g) => Observed::Unknown(g),
        }
    }
}

// ---- S3 ----------------------------------------------------------------------

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

// ---- IAM ---------------------------------------------------------------------

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

// ---- CloudTrail ----------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trail {
    pub name: String,
    pub arn: String,
    pub home_region: String,
    pub multi_region: bool,
    pub organization: bool,
    pub log_file_validation: Option<bool>,
    pub kms_key: Option<String>,
    pub include_global_service_events: Option<bool>,
    pub s3_bucket: Option<String>,
    pub is_logging: Observed<bool>,
    #[serde(default)]
    pub tags: Observed<Tags>,
    /// Which management events the trail's event selectors log (GetEventSelectors),
    /// read only when a requirement asks.
    #[serde(default)]
    pub management_events: Observed<ManagementEvents>,
}

/// The management events a trail logs, summed over its event selectors (classic or
/// advanced).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagementEvents {
    /// Read-only management events are logged (from some event source at least).
    pub read: bool,
    /// Write management events are logged (from some event source at least).
    pub write: bool,
    /// What the selectors leave out of a logged type: excluded event sources
    /// (`kms.amazonaws.com`) or other conditions that narrow a selector. Empty when
    /// every logged type is logged from every source.
    pub excluded: Vec<String>,
}

impl ManagementEvents {
    /// Read and write management events of every event source: all API calls.
    pub fn all(&self) -> bool {
        self.read && self.write && self.excluded.is_empty()
    }
}

// ---- ACM -------------------------------------------------------------------------

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

// ---- EC2 networking --------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vpc {
    pub id: String,
    pub region: String,
    pub owner: Option<String>,
    /// IPv4 CIDRs that carry traffic: the primary `CidrBlock`, then every
    /// `CidrBlockAssociationSet` entry whose state is `associated`.
    pub cidrs: Vec<String>,
    /// Every `Ipv6CidrBlockAssociationSet` entry, with its state: only `associated`
    /// ones are in use (a disassociated block stays listed for a while).
    pub ipv6_cidrs: Vec<CidrAssociation>,
    pub tags: Tags,
}

/// A CIDR block associated (or once associated) with a VPC or subnet, with the
/// association's `CidrBlockState.State` (`associating`, `associated`,
/// `disassociating`, `disassociated`, `failing`, `failed`; `None` when absent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CidrAssociation {
    pub cidr: String,
    pub state: Option<String>,
}

impl CidrAssociation {
    /// Whether AWS says the block is associated (in use); `None` when no state was given.
    pub fn associated(&self) -> Option<bool> {
        self.state.as_deref().map(|s| s == "associated")
    }

    /// The block with its state, e.g. `2600:1f18::/56 (disassociated)`.
    pub fn label(&self) -> String {
        match self.state.as_deref() {
            Some("associated") => self.cidr.clone(),
            Some(s) => format!("{} ({s})", self.cidr),
            None => format!("{} (state not reported)", self.cidr),
        }
    }
}

impl Vpc {
    /// The `Name` tag, else the id.
    pub fn name(&self) -> &str {
        self.tags.get("Name").map(String::as_str).unwrap_or(&self.id)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeeringSide {
    pub vpc_id: String,
    pub region: String,
    pub owner: Option<String>,
    pub cidrs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Peering {
    pub id: String,
    pub status: String,
    pub requester: PeeringSide,
    pub accepter: PeeringSide,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Route {
    pub destination: String,
    pub peering_id: Option<String>,
    pub gateway_id: Option<String>,
    /// `active`, or `blackhole` when the target is gone (a detached internet
    /// gateway, a deleted peering connection). AWS always sends it; `None` (absent)
    /// is never taken for `active`.
    #[serde(default)]
    pub state: Option<String>,
}

impl Route {
    /// Whether the route carries traffic: `Some(false)` for `blackhole`, `None` when
    /// the answer gave no state.
    pub fn active(&self) -> Option<bool> {
        self.state.as_deref().map(|s| s == "active")
    }

    /// The destination, with the state when it is not `active`.
    pub fn label(&self) -> String {
        match self.state.as_deref() {
            Some("active") => self.destination.clone(),
            Some(s) => format!("{} ({s})", self.destination),
            None => format!("{} (state not reported)", self.destination),
        }
    }

    fn to_internet_gateway(&self) -> bool {
        (self.destination == "0.0.0.0/0" || self.destination == "::/0")
            && self.gateway_id.as_deref().is_some_and(|g| g.starts_with("igw-"))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct RouteTable {
    pub id: String,
    pub vpc_id: String,
    pub routes: Vec<Route>,
    /// The VPC's main route table (used by subnets without an explicit association).
    #[serde(default)]
    pub main: bool,
    /// Subnets explicitly associated with this table.
    #[serde(default)]
    pub subnets: Vec<String>,
    /// Tags, as DescribeRouteTables returns them.
    #[serde(default)]
    pub tags: Tags,
    #[serde(default)]
    pub owner: Option<String>,
}

impl RouteTable {
    /// The `Name` tag, else the id.
    pub fn name(&self) -> &str {
        self.tags.get("Name").map(String::as_str).unwrap_or(&self.id)
    }
}

impl RouteTable {
    /// Routes that send all traffic (0.0.0.0/0 or ::/0) to an internet gateway,
    /// whatever their state.
    pub fn internet_routes(&self) -> impl Iterator<Item = &Route> {
        self.routes.iter().filter(|r| r.to_internet_gateway())
    }

    /// Whether the table sends all traffic to an internet gateway through an
    /// `active` route. A `blackhole` route is no path; a route without a state
    /// leaves the answer unknown unless another route is active.
    pub fn routes_to_internet(&self) -> Observed<bool> {
        let mut unsure = None;
        for r in self.internet_routes() {
            match r.active() {
                Some(true) => return Observed::Known(true),
                Some(false) => {}
                None => unsure = Some(r),
            }
        }
        match unsure {
            Some(r) => Observed::Unknown(Gap::not_collected(&format!(
                "State of route {} in {} (absent from the answer)",
                r.destination, self.id
            ))),
            None => Observed::Known(false),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subnet {
    pub id: String,
    pub vpc_id: String,
    pub cidr: Option<String>,
    /// `Ipv6CidrBlockAssociationSet`, with each association's state.
    pub ipv6_cidrs: Vec<CidrAssociation>,
    pub availability_zone: Option<String>,
    pub tags: Tags,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Network {
    pub vpcs: Observed<Vec<Vpc>>,
    pub peerings: Observed<Vec<Peering>>,
    pub route_tables: Observed<Vec<RouteTable>>,
    /// Read only when a requirement needs subnets.
    #[serde(default)]
    pub subnets: Observed<Vec<Subnet>>,
    /// Read only when a requirement needs flow logs.
    #[serde(default)]
    pub flow_logs: Observed<Vec<FlowLog>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowLog {
    pub id: String,
    /// The VPC, subnet or interface it watches.
    pub resource_id: String,
    pub status: Option<String>,
    /// Log group (CloudWatch Logs) or bucket ARN it delivers to.
    pub destination: Option<String>,
}

// ---- CloudWatch ---------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alarm {
    pub name: String,
    pub arn: String,
    pub region: String,
    pub namespace: Option<String>,
    pub metric_name: Option<String>,
    pub statistic: Option<String>,
    pub comparison: Option<String>,
    pub threshold: Option<f64>,
    pub dimensions: Tags,
    pub actions_enabled: Option<bool>,
    pub alarm_actions: Vec<String>,
    #[serde(default)]
    pub tags: Observed<Tags>,
}

// ---- KMS, DynamoDB, Lambda, security groups --------------------------------------------

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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub name: String,
    pub arn: String,
    pub region: String,
    /// `KMS` or `AES256` from SSEDescription; `None` for the default (AWS owned key).
    pub sse_type: Option<String>,
    pub kms_key: Option<String>,
    /// KeyManager of `kms_key` (`CUSTOMER` / `AWS`), read when a requirement asks.
    pub key_manager: Observed<Option<String>>,
    pub point_in_time_recovery: Observed<bool>,
    pub deletion_protection: Option<bool>,
    pub tags: Observed<Tags>,
    /// The global table's replicas (version 2019.11.21), with their status.
    #[serde(default)]
    pub replicas: Vec<Replica>,
    /// Why DescribeTable failed for this table (it was listed, but none of its
    /// settings could be read); `None` when it was described.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unread: Option<Gap>,
}

/// One replica of a global table: its region and `ReplicaStatus` (`ACTIVE`,
/// `CREATING`, `UPDATING`, `DELETING`, `CREATION_FAILED`, `REGION_DISABLED`,
/// `INACCESSIBLE_ENCRYPTION_CREDENTIALS`, …; `None` when the answer did not say).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replica {
    pub region: String,
    pub status: Option<String>,
}

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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IngressRule {
    /// `tcp`, `udp`, `icmp`, … or `-1` for every protocol.
    pub protocol: String,
    pub from_port: Option<i32>,
    pub to_port: Option<i32>,
    /// IPv4 and IPv6 source ranges.
    pub cidrs: Vec<String>,
    /// Source security groups.
    pub groups: Vec<String>,
    /// Source managed prefix lists (`PrefixListIds`), each with its entries.
    #[serde(default)]
    pub prefix_lists: Vec<PrefixListSource>,
}

/// A managed prefix list a rule admits traffic from, and the CIDRs it holds
/// (GetManagedPrefixListEntries, current version), or why they are unknown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrefixListSource {
    pub id: String,
    pub entries: Observed<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub region: String,
    pub vpc_id: Option<String>,
    pub owner: Option<String>,
    pub ingress: Vec<IngressRule>,
    pub tags: Observed<Tags>,
}

// ---- Auto Scaling, ELBv2, Config ------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AutoScalingGroup {
    pub name: String,
    pub arn: String,
    pub region: String,
    pub min_size: i32,
    pub max_size: i32,
    pub desired: i32,
    /// Launch template id or name, directly or through a mixed instances policy.
    pub launch_template: Option<String>,
    pub launch_configuration: Option<String>,
    /// Instance types of a mixed instances policy's overrides.
    pub instance_types: Vec<String>,
    pub subnets: Vec<String>,
    pub tags: Observed<Tags>,
}

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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigRule {
    pub name: String,
    pub arn: String,
    pub region: String,
    pub owner: Option<String>,
    pub source_identifier: Option<String>,
    pub state: Option<String>,
    /// Whether a configuration recorder of the rule's region is recording.
    pub recorder_on: Observed<bool>,
    #[serde(default)]
    pub tags: Observed<Tags>,
}

// ---- CloudFront, WAFv2, Route 53 ------------------------------------------------------------

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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebAcl {
    pub name: String,
    pub id: String,
    pub arn: String,
    pub scope: String,
    pub region: String,
    /// The managed rule group statements of the ACL's rules (GetWebACL), unknown when
    /// GetWebACL failed for this ACL.
    #[serde(default)]
    pub managed_groups: Observed<Vec<ManagedGroupUse>>,
    /// The rate-based statements of the ACL's rules (GetWebACL).
    #[serde(default)]
    pub rate_rules: Observed<Vec<RateRule>>,
    pub logging: Observed<bool>,
    #[serde(default)]
    pub tags: Observed<Tags>,
}

/// WAF rule actions that stop a request (CAPTCHA and Challenge stop the requests
/// that lack a valid token); Count and Allow let it through to the next rules.
pub fn waf_action_stops(action: &str) -> bool {
    matches!(action, "Block" | "Captcha" | "Challenge")
}

/// One `ManagedRuleGroupStatement` in a web ACL, with the settings that decide
/// whether it acts on requests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedGroupUse {
    /// The web ACL rule that holds the statement.
    pub rule: String,
    /// `Vendor:Name`.
    pub group: String,
    /// The version the statement pins, if any.
    #[serde(default)]
    pub version: Option<String>,
    /// The statement is the rule's own statement, not nested inside another one.
    pub top_level: bool,
    /// The rule's `OverrideAction` (`Count` or `None`), if it has one.
    pub override_action: Option<String>,
    /// Rule name -> action the ACL sets in its place (`RuleActionOverrides`
    /// `ActionToUse`; the older `ExcludedRules` set `Count`).
    pub rule_overrides: BTreeMap<String, String>,
    /// Rule name -> the group's own action for it (DescribeManagedRuleGroup); read
    /// only when every override keeps rules from blocking, else `None`.
    pub group_rules: Option<Observed<BTreeMap<String, String>>>,
}

/// One `RateBasedStatement` in a web ACL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RateRule {
    /// The web ACL rule that holds the statement.
    pub rule: String,
    pub limit: i64,
    /// The rule's action (`Block`, `Count`, `Captcha`, `Challenge`), if it has one.
    pub action: Option<String>,
    /// The statement is the rule's own statement, not nested inside another one.
    pub top_level: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordSet {
    pub zone_id: String,
    pub zone_name: String,
    pub private_zone: bool,
    /// Fully qualified, without the trailing dot.
    pub name: String,
    pub record_type: String,
    pub alias_target: Option<String>,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Instance {
    pub id: String,
    pub region: String,
    pub owner: Option<String>,
    pub instance_type: Option<String>,
    pub state: Option<String>,
    pub subnet_id: Option<String>,
    pub public_ip: Option<String>,
    pub tags: Observed<Tags>,
}

impl Instance {
    /// The `Name` tag, else the id.
    pub fn name(&self) -> &str {
        self.tags.known().and_then(|t| t.get("Name")).map(String::as_str).unwrap_or(&self.id)
    }
}

// ---- RDS ---------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DbInstance {
    pub id: String,
    pub arn: String,
    pub region: String,
    pub engine: Option<String>,
    pub storage_encrypted: Option<bool>,
    /// `None` when the answer did not say: never taken for "not public".
    pub publicly_accessible: Option<bool>,
    pub backup_retention_days: i32,
    pub deletion_protection: Option<bool>,
    pub multi_az: Option<bool>,
    /// Identifiers (or ARNs, for other regions) of its read replicas.
    pub read_replicas: Vec<String>,
    pub subnets: Vec<String>,
    pub tags: Observed<Tags>,
    /// `DBClusterIdentifier`: the cluster the instance belongs to (Aurora, Multi-AZ DB cluster).
    #[serde(default)]
    pub cluster_id: Option<String>,
    /// The cluster, read (DescribeDBClusters) for cluster members when a
    /// requirement expects a setting AWS keeps on the cluster; `None` when not read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<Observed<DbCluster>>,
}

impl DbInstance {
    /// Whether Multi-AZ, replicas, encryption, backups and deletion protection
    /// live on a DB cluster: Aurora engines (`aurora-mysql`, `aurora-postgresql`, …)
    /// and members of a Multi-AZ DB cluster (whose instances AWS does not let one
    /// modify, only the cluster).
    pub fn cluster_managed(&self) -> bool {
        self.cluster_id.is_some() || self.engine.as_deref().is_some_and(|e| e.starts_with("aurora"))
    }
}

/// The cluster-level settings of a DB cluster (DescribeDBClusters).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DbCluster {
    pub id: String,
    pub multi_az: Option<bool>,
    pub storage_encrypted: Option<bool>,
    pub deletion_protection: Option<bool>,
    pub backup_retention_days: Option<i32>,
    /// `DBClusterMembers`: instance identifier and whether it is the writer.
    pub members: Vec<DbClusterMember>,
    /// `ReadReplicaIdentifiers`: replica clusters (ARNs when in another region).
    pub read_replicas: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DbClusterMember {
    pub id: String,
    pub writer: Option<bool>,
}

// ---- Secrets Manager, CloudWatch Logs, SNS ---------------------------------------------

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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogGroup {
    pub name: String,
    pub arn: String,
    pub region: String,
    /// `None`: events never expire.
    pub retention_days: Option<i32>,
    pub kms_key: Option<String>,
    pub tags: Observed<Tags>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Topic {
    pub name: String,
    pub arn: String,
    pub region: String,
    /// KmsMasterKeyId from GetTopicAttributes; `None` when the topic is not encrypted.
    pub kms_key: Observed<Option<String>>,
    pub tags: Observed<Tags>,
}

/// Everything observed in one audit.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Inventory {
    pub account: Option<String>,
    /// The audited partition (ARNs built during evaluation use it).
    #[serde(default)]
    pub partition: crate::partition::Partition,
    pub buckets: Option<Observed<Vec<Bucket>>>,
    /// The account-level S3 public access block (s3control GetPublicAccessBlock);
    /// `Known(None)` when none is configured, `None` when not collected.
    #[serde(default)]
    pub s3_account_block: Option<Observed<Option<PublicAccessBlock>>>,
    pub iam: Option<Iam>,
    /// Trails that apply to each collected region, by region; a multi-region trail
    /// appears under every region (the same ARN).
    pub trails: BTreeMap<String, Observed<Vec<Trail>>>,
    pub certificates: BTreeMap<String, Observed<Vec<Certificate>>>,
    pub networks: BTreeMap<String, Network>,
    pub alarms: BTreeMap<String, Observed<Vec<Alarm>>>,
    #[serde(default)]
    pub kms_keys: BTreeMap<String, Observed<Vec<KmsKey>>>,
    #[serde(default)]
    pub tables: BTreeMap<String, Observed<Vec<Table>>>,
    #[serde(default)]
    pub functions: BTreeMap<String, Observed<Vec<Function>>>,
    #[serde(default)]
    pub security_groups: BTreeMap<String, Observed<Vec<SecurityGroup>>>,
    #[serde(default)]
    pub autoscaling_groups: BTreeMap<String, Observed<Vec<AutoScalingGroup>>>,
    #[serde(default)]
    pub load_balancers: BTreeMap<String, Observed<Vec<LoadBalancer>>>,
    #[serde(default)]
    pub config_rules: BTreeMap<String, Observed<Vec<ConfigRule>>>,
    #[serde(default)]
    pub distributions: Option<Observed<Vec<Distribution>>>,
    /// Web ACLs by `SCOPE:region` (CloudFront ACLs are `CLOUDFRONT:us-east-1`).
    #[serde(default)]
    pub web_acls: BTreeMap<String, Observed<Vec<WebAcl>>>,
    #[serde(default)]
    pub records: Option<Observed<Vec<RecordSet>>>,
    #[serde(default)]
    pub db_instances: BTreeMap<String, Observed<Vec<DbInstance>>>,
    #[serde(default)]
    pub instances: BTreeMap<String, Observed<Vec<Instance>>>,
    #[serde(default)]
    pub secrets: BTreeMap<String, Observed<Vec<Secret>>>,
    #[serde(default)]
    pub log_groups: BTreeMap<String, Observed<Vec<LogGroup>>>,
    #[serde(default)]
    pub topics: BTreeMap<String, Observed<Vec<Topic>>>,
}

impl Network {
    /// Whether a subnet is public: its route table (explicit association, else the
    /// VPC's main table) sends all traffic to an internet gateway through an
    /// `active` route (a `blackhole` route is no path).
    pub fn public_subnet(&self, subnet_id: &str) -> Observed<bool> {
        let (subnets, tables) = match (&self.subnets, &self.route_tables) {
            (Observed::Known(s), Observed::Known(t)) => (s, t),
            (Observed::Unknown(g), _) | (_, Observed::Unknown(g)) => return Observed::Unknown(g.clone()),
        };
        let Some(subnet) = subnets.iter().find(|s| s.id == subnet_id) else {
            return Observed::Unknown(Gap::not_collected(&format!("subnet {subnet_id}")));
        };
        let own: Vec<&RouteTable> = tables.iter().filter(|t| t.vpc_id == subnet.vpc_id).collect();
        let table =
            own.iter().find(|t| t.subnets.iter().any(|s| s == subnet_id)).or_else(|| own.iter().find(|t| t.main));
        match table {
            Some(t) => t.routes_to_internet(),
            None => Observed::Known(false),
        }
    }
}

impl Inventory {
    /// A regional listing, or the reason it is missing.
    pub fn regional<'a, T>(map: &'a BTreeMap<String, Observed<T>>, region: &str, what: &str) -> Observed<&'a T> {
        match map.get(region) {
            Some(o) => o.as_ref(),
            None => Observed::Unknown(Gap::not_collected(&format!("{what} in {region}"))),
        }
    }
}
