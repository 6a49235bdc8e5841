//! The observed state of an account: what the collectors read, as plain serde
//! types. Anything that could not be read is `Observed::Unknown` with the reason;
//! evaluation reads only this, so a saved inventory can be re-evaluated offline.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod acm;
mod autoscaling;
mod cloudfront;
mod cloudtrail;
mod cloudwatch;
mod config;
mod dynamodb;
mod ec2;
mod elbv2;
mod iam;
mod kms;
mod lambda;
mod logs;
mod rds;
mod route53;
mod s3;
mod secretsmanager;
mod sns;
mod sqs;
mod wafv2;

pub use acm::*;
pub use autoscaling::*;
pub use cloudfront::*;
pub use cloudtrail::*;
pub use cloudwatch::*;
pub use config::*;
pub use dynamodb::*;
pub use ec2::*;
pub use elbv2::*;
pub use iam::*;
pub use kms::*;
pub use lambda::*;
pub use logs::*;
pub use rds::*;
pub use route53::*;
pub use s3::*;
pub use secretsmanager::*;
pub use sns::*;
pub use sqs::*;
pub use wafv2::*;

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
    #[serde(default)]
    pub queues: BTreeMap<String, Observed<Vec<Queue>>>,
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
