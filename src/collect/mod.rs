//! Collection: the plan (what the loaded requirements need, where) and the
//! collectors that fill the inventory, all running concurrently under one bound on
//! requests in flight. Each collector file says which part of the inventory it fills.

mod acm;
mod cloudtrail;
mod cloudwatch;
mod ec2;
mod iam;
pub mod permissions;
mod s3;

use crate::aws::Ctx;
use crate::inventory::Inventory;
use crate::profile::{Requirement, Selector};
use std::collections::BTreeSet;
use std::sync::Arc;

/// Per-bucket reads an S3 requirement needs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct S3Details {
    pub encryption: bool,
    pub versioning: bool,
    pub public_access_block: bool,
    pub logging: bool,
    pub replication: bool,
    pub tags: bool,
}

impl S3Details {
    pub fn union(self, o: S3Details) -> S3Details {
        S3Details {
            encryption: self.encryption || o.encryption,
            versioning: self.versioning || o.versioning,
            public_access_block: self.public_access_block || o.public_access_block,
            logging: self.logging || o.logging,
            replication: self.replication || o.replication,
            tags: self.tags || o.tags,
        }
    }
}

/// What to collect: only what some loaded requirement reads, each once.
#[derive(Debug, Default)]
pub struct Plan {
    /// Buckets a selector may pick (by name) and the details it reads.
    pub s3: Vec<(Selector, S3Details)>,
    pub iam: bool,
    pub iam_local_policies: bool,
    pub iam_user_mfa: bool,
    pub trails: BTreeSet<String>,
    pub certificates: BTreeSet<String>,
    pub certificate_route53: bool,
    pub networks: BTreeSet<String>,
    pub alarms: BTreeSet<String>,
}

impl Plan {
    pub fn for_requirements<'a>(reqs: impl IntoIterator<Item = &'a Requirement>) -> Plan {
        let mut plan = Plan::default();
        for r in reqs {
            (r.kind.plan)(r, &mut plan);
        }
        plan
    }

    /// Every region some collector will call (for the report).
    pub fn regions(&self) -> BTreeSet<String> {
        let mut all = BTreeSet::new();
        for set in [&self.trails, &self.certificates, &self.networks, &self.alarms] {
            all.extend(set.iter().cloned());
        }
        all
    }
}

/// Runs every collector the plan asks for, concurrently.
pub async fn run(ctx: &Arc<Ctx>, plan: &Plan) -> Inventory {
    let s3 = async {
        if plan.s3.is_empty() {
            None
        } else {
            Some(s3::collect(ctx, &plan.s3).await)
        }
    };
    let iam = async {
        if plan.iam {
            Some(iam::collect(ctx, plan.iam_local_policies, plan.iam_user_mfa).await)
        } else {
            None
        }
    };
    let trails = cloudtrail::collect(ctx, &plan.trails);
    let certs = acm::collect(ctx, &plan.certificates, plan.certificate_route53);
    let nets = ec2::collect(ctx, &plan.networks);
    let alarms = cloudwatch::collect(ctx, &plan.alarms);
    let (buckets, iam, trails, certificates, networks, alarms) = tokio::join!(s3, iam, trails, certs, nets, alarms);
    Inventory { account: None, buckets, iam, trails, certificates, networks, alarms }
}

/// Tags as a map, from any SDK tag list.
pub fn tag_map<T>(tags: &[T], kv: impl Fn(&T) -> (Option<&str>, Option<&str>)) -> crate::inventory::Tags {
    tags.iter()
        .filter_map(|t| {
            let (k, v) = kv(t);
            Some((k?.to_string(), v.unwrap_or("").to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests;
