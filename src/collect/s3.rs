//! Fills `Inventory::buckets`: one global ListBuckets, then per bucket, in the
//! bucket's own region, only the reads some requirement needs; and
//! `Inventory::s3_account_block`, the account-level public access block. A bucket
//! deleted between the listing and its reads (`NoSuchBucket`) is simply gone.

use crate::aws::{all_pages, Ctx};
use crate::inventory::Gap;
use crate::inventory::{Bucket, BucketEncryption, ErrorClass, Observed, PublicAccessBlock, ReplicationRule};
use crate::profile::Selector;
use aws_sdk_s3::error::ProvideErrorMetadata;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use futures::StreamExt;
use std::collections::HashMap;

const SERVICE: &str = "s3";
/// The error code of a bucket that no longer exists.
const GONE: &str = "NoSuchBucket";

use super::permissions::Call;

/// Per-bucket reads a requirement may ask (scoped to the buckets its selector may
/// pick), with what each adds.
const READS: &[(&str, &str)] = &[
    ("encryption", "default encryption (GetBucketEncryption)"),
    ("versioning", "versioning status (GetBucketVersioning)"),
    ("public_access_block", "bucket- and account-level public access block"),
    ("logging", "server access logging (GetBucketLogging)"),
    ("replication", "replication rules (GetBucketReplication)"),
    ("replica_targets", "region and versioning of the buckets enabled replication rules target"),
    ("tags", "bucket tags (GetBucketTagging)"),
    ("access", "ACL, bucket policy and policy status, and the public access blocks that neutralise them"),
];

pub static COLLECTOR: super::Collector = super::Collector {
    id: "s3",
    service: SERVICE,
    part: "buckets, s3_account_block",
    reads: READS,
    calls: CALLS,
    collect: |ctx, need| {
        Box::pin(async move {
            let wants: Vec<(Selector, S3Details)> =
                need.scoped.iter().map(|(sel, reads)| (sel.clone(), S3Details::of(reads))).collect();
            let (buckets, account) = tokio::join!(collect(ctx, &wants), account_block(ctx, &wants));
            Box::new(move |inv: &mut crate::inventory::Inventory| {
                inv.buckets = Some(buckets);
                inv.s3_account_block = account;
            }) as super::Fill
        })
    },
    cut_short: |need, gap, inv| {
        inv.buckets = Some(Observed::Unknown(gap.clone()));
        if any_detail(need, |d| d.public_access_block || d.access) {
            inv.s3_account_block = Some(Observed::Unknown(gap.clone()));
        }
    },
};

/// Per-bucket reads an S3 requirement needs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct S3Details {
    pub encryption: bool,
    pub versioning: bool,
    pub public_access_block: bool,
    pub logging: bool,
    pub replication: bool,
    /// Region and versioning of the buckets that enabled replication rules target.
    pub replica_targets: bool,
    pub tags: bool,
    /// ACL, bucket policy and its status, and the public access block (bucket and
    /// account level) that may neutralise them.
    pub access: bool,
}

impl S3Details {
    /// The details named by a need's scoped reads.
    pub fn of(reads: &std::collections::BTreeSet<&'static str>) -> S3Details {
        S3Details {
            encryption: reads.contains("encryption"),
            versioning: reads.contains("versioning"),
            public_access_block: reads.contains("public_access_block"),
            logging: reads.contains("logging"),
            replication: reads.contains("replication"),
            replica_targets: reads.contains("replica_targets"),
            tags: reads.contains("tags"),
            access: reads.contains("access"),
        }
    }
    pub fn union(self, o: S3Details) -> S3Details {
        S3Details {
            encryption: self.encryption || o.encryption,
            versioning: self.versioning || o.versioning,
            public_access_block: self.public_access_block || o.public_access_block,
            logging: self.logging || o.logging,
            replication: self.replication || o.replication,
            replica_targets: self.replica_targets || o.replica_targets,
            tags: self.tags || o.tags,
            access: self.access || o.access,
        }
    }
}

fn any_detail(need: &super::Need, f: fn(&S3Details) -> bool) -> bool {
    need.scoped.iter().any(|(_, reads)| f(&S3Details::of(reads)))
}

pub const CALLS: &[Call] = &[
    Call { operation: "ListBuckets", action: "s3:ListAllMyBuckets", needed: |_| true },
    Call { operation: "GetBucketLocation", action: "s3:GetBucketLocation", needed: |n| !n.scoped.is_empty() },
    Call {
        operation: "GetBucketEncryption",
        action: "s3:GetEncryptionConfiguration",
        needed: |p| any_detail(p, |d| d.encryption),
    },
    Call {
        operation: "GetBucketVersioning",
        action: "s3:GetBucketVersioning",
        needed: |p| any_detail(p, |d| d.versioning || d.replica_targets),
    },
    Call {
        operation: "GetPublicAccessBlock",
        action: "s3:GetBucketPublicAccessBlock",
        needed: |p| any_detail(p, |d| d.public_access_block || d.access),
    },
    // s3control GetPublicAccessBlock (same operation name, account level)
    Call {
        operation: "GetPublicAccessBlock",
        action: "s3:GetAccountPublicAccessBlock",
        needed: |p| any_detail(p, |d| d.public_access_block || d.access),
    },
    Call { operation: "GetBucketLogging", action: "s3:GetBucketLogging", needed: |p| any_detail(p, |d| d.logging) },
    Call {
        operation: "GetBucketReplication",
        action: "s3:GetReplicationConfiguration",
        needed: |p| any_detail(p, |d| d.replication),
    },
    Call { operation: "GetBucketTagging", action: "s3:GetBucketTagging", needed: |p| any_detail(p, |d| d.tags) },
    Call { operation: "GetBucketAcl", action: "s3:GetBucketAcl", needed: |p| any_detail(p, |d| d.access) },
    Call { operation: "GetBucketPolicy", action: "s3:GetBucketPolicy", needed: |p| any_detail(p, |d| d.access) },
    Call {
        operation: "GetBucketPolicyStatus",
        action: "s3:GetBucketPolicyStatus",
        needed: |p| any_detail(p, |d| d.access),
    },
];

/// A failed call as a gap, not recorded among the audit's errors: a bucket that is
/// gone, or a call the service does not offer where driftwatch has a fallback.
fn unrecorded<E>(err: &SdkError<E, HttpResponse>, region: &str, operation: &str, resource: &str) -> Gap
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let (class, code, message) = crate::aws::classify(err);
    Gap {
        service: SERVICE.into(),
        region: region.into(),
        operation: operation.into(),
        resource: Some(resource.to_string()),
        code,
        message,
        class,
    }
}

/// Whether a read found the bucket deleted.
fn gone<T>(o: &Observed<T>) -> bool {
    o.gap().is_some_and(|g| g.code == GONE)
}

/// Reads one optional per-bucket configuration: `absent_code` (how S3 says the
/// configuration does not exist) becomes `None`, any other error a gap.
macro_rules! read {
    ($ctx:expr, $region:expr, $bucket:expr, $op:literal, $absent:expr, $call:expr, $map:expr) => {{
        let _permit = $ctx.permit().await;
        match $call.await {
            Ok(out) => Observed::Known($map(out)),
            Err(err) => {
                let absent: &[&str] = $absent;
                let arn = $ctx.partition.bucket_arn($bucket);
                if err.code().is_some_and(|c| absent.contains(&c)) {
                    Observed::Known(None)
                } else if err.code() == Some(GONE) {
                    Observed::Unknown(unrecorded(&err, $region, $op, &arn))
                } else {
                    Observed::Unknown($ctx.gap(&err, SERVICE, $region, $op, Some(&arn)))
                }
            }
        }
    }};
}

pub async fn collect(ctx: &Ctx, wants: &[(Selector, S3Details)]) -> Observed<Vec<Bucket>> {
    let list_region = ctx.global_region();
    let client = ctx.s3(list_region);
    let pages = match all_pages(ctx, client.list_buckets().max_buckets(1000).into_paginator().send()).await {
        Ok(p) => p,
        Err(err) => return Observed::Unknown(ctx.gap(&err, SERVICE, list_region, "ListBuckets", None)),
    };
    let mut listed: Vec<(String, Option<String>)> = Vec::new();
    for b in pages.iter().flat_map(|p| p.buckets()) {
        let Some(name) = b.name() else {
            return Observed::Unknown(ctx.malformed(SERVICE, list_region, "ListBuckets", "a bucket's Name"));
        };
        listed.push((name.to_string(), b.bucket_region().map(str::to_string)));
    }
    let mut clients: HashMap<String, aws_sdk_s3::Client> = HashMap::new();
    for region in listed.iter().filter_map(|(_, r)| r.clone()) {
        clients.entry(region.clone()).or_insert_with(|| ctx.s3(&region));
    }
    // a bounded window of buckets in progress, in listing order: each bucket's
    // future is large, and thousands of them waiting for a request slot at once
    // would hold hundreds of MiB for nothing
    let read = |which: Vec<(String, Option<String>, S3Details)>| {
        futures::stream::iter(which.into_iter().map(|(name, region, details)| {
            let client = region.as_ref().and_then(|r| clients.get(r).cloned());
            bucket(ctx, name, region, client, details)
        }))
        .buffered(ctx.concurrency)
        .collect::<Vec<Option<Bucket>>>()
    };
    let mut buckets = read(
        listed
            .iter()
            .map(|(name, region)| {
                let details = wants
                    .iter()
                    .filter(|(sel, _)| sel.matches_name(name))
                    .fold(S3Details::default(), |acc, (_, d)| acc.union(*d));
                (name.clone(), region.clone(), details)
            })
            .collect(),
    )
    .await;
    if wants.iter().any(|(_, d)| d.replica_targets) {
        // second pass: region and versioning of the buckets replication rules target,
        // read only for targets no requirement had already read
        let targets: std::collections::BTreeSet<String> = buckets
            .iter()
            .flatten()
            .filter_map(|b| b.replication.known().cloned().flatten())
            .flatten()
            .filter(|r| r.enabled)
            .map(|r| crate::partition::bucket_name(&r.destination_bucket).to_string())
            .collect();
        let reread: Vec<usize> = buckets
            .iter()
            .enumerate()
            .filter(|(_, b)| b.as_ref().is_some_and(|b| targets.contains(&b.name) && b.versioning.known().is_none()))
            .map(|(i, _)| i)
            .collect();
        let details = S3Details { versioning: true, ..S3Details::default() };
        let again = read(
            reread
                .iter()
                .map(|&i| {
                    let (name, region) = listed[i].clone();
                    (name, region, details)
                })
                .collect(),
        )
        .await;
        for (i, b) in reread.into_iter().zip(again) {
            match (buckets[i].as_mut(), b) {
                (Some(old), Some(b)) => {
                    old.region = b.region;
                    old.versioning = b.versioning;
                }
                // deleted since its first read
                (_, None) => buckets[i] = None,
                (None, Some(_)) => {}
            }
        }
    }
    Observed::Known(buckets.into_iter().flatten().collect())
}

/// A per-bucket field before its read: unknown for the given reason, else not collected.
fn unread<T>(reason: &Option<crate::inventory::Gap>) -> Observed<T> {
    reason.clone().map(Observed::Unknown).unwrap_or_default()
}

async fn locate(ctx: &Ctx, name: &str) -> Observed<String> {
    let _permit = ctx.permit().await;
    let region = ctx.global_region();
    let arn = ctx.partition.bucket_arn(name);
    match ctx.s3(region).get_bucket_location().bucket(name).send().await {
        Ok(out) => match out.location_constraint().map(|c| c.as_str()) {
            // an empty constraint is us-east-1, which exists only in the aws partition
            None | Some("") if ctx.partition.name == "aws" => Observed::Known("us-east-1".to_string()),
            None | Some("") => Observed::Unknown(Gap {
                resource: Some(arn),
                ..ctx.malformed(SERVICE, region, "GetBucketLocation", "a LocationConstraint")
            }),
            Some("EU") => Observed::Known("eu-west-1".to_string()),
            Some(other) => Observed::Known(other.to_string()),
        },
        Err(err) if err.code() == Some(GONE) => Observed::Unknown(unrecorded(&err, region, "GetBucketLocation", &arn)),
        Err(err) => Observed::Unknown(ctx.gap(&err, SERVICE, region, "GetBucketLocation", Some(&arn))),
    }
}

async fn bucket(
    ctx: &Ctx,
    name: String,
    listed_region: Option<String>,
    client: Option<aws_sdk_s3::Client>,
    want: S3Details,
) -> Option<Bucket> {
    let arn = ctx.partition.bucket_arn(&name);
    let region = match listed_region {
        Some(r) => Observed::Known(r),
        None if want == S3Details::default() => {
            Observed::Unknown(crate::inventory::Gap::not_collected("bucket region"))
        }
        None => locate(ctx, &name).await,
    };
    // every per-bucket field starts as "not collected"; without the bucket's region
    // none can be read, so all take the region's gap
    let missing = region.gap().cloned();
    let mut b = Bucket {
        name: name.clone(),
        arn,
        region: region.clone(),
        encryption: unread(&missing),
        versioning: unread(&missing),
        public_access_block: unread(&missing),
        logging_target: unread(&missing),
        replication: unread(&missing),
        tags: unread(&missing),
        acl_grants: unread(&missing),
        policy: unread(&missing),
        policy_status: unread(&missing),
    };
    let Observed::Known(region) = region else {
        return (!gone(&b.region)).then_some(b);
    };
    let s3 = client.unwrap_or_else(|| ctx.s3(&region));
    let r = region.as_str();
    let n = name.as_str();
    let encryption = async {
        if !want.encryption {
            return Observed::default();
        }
        read!(
            ctx,
            r,
            n,
            "GetBucketEncryption",
            &["ServerSideEncryptionConfigurationNotFoundError"],
            s3.get_bucket_encryption().bucket(n).send(),
            |out: aws_sdk_s3::operation::get_bucket_encryption::GetBucketEncryptionOutput| {
                let rule = out.server_side_encryption_configuration().and_then(|c| c.rules().first().cloned());
                rule.and_then(|rule| {
                    let d = rule.apply_server_side_encryption_by_default()?;
                    Some(BucketEncryption {
                        algorithm: d.sse_algorithm().as_str().to_string(),
                        kms_key: d.kms_master_key_id().map(str::to_string),
                        bucket_key: rule.bucket_key_enabled().unwrap_or(false),
                    })
                })
            }
        )
    };
    let versioning = async {
        if !want.versioning {
            return Observed::default();
        }
        read!(
            ctx,
            r,
            n,
            "GetBucketVersioning",
            &[],
            s3.get_bucket_versioning().bucket(n).send(),
            |out: aws_sdk_s3::operation::get_bucket_versioning::GetBucketVersioningOutput| {
                out.status().map(|s| s.as_str().to_string())
            }
        )
    };
    let pab = async {
        if !want.public_access_block && !want.access {
            return Observed::default();
        }
        read!(
            ctx,
            r,
            n,
            "GetPublicAccessBlock",
            &["NoSuchPublicAccessBlockConfiguration"],
            s3.get_public_access_block().bucket(n).send(),
            |out: aws_sdk_s3::operation::get_public_access_block::GetPublicAccessBlockOutput| {
                out.public_access_block_configuration().map(|c| PublicAccessBlock {
                    block_public_acls: c.block_public_acls().unwrap_or(false),
                    ignore_public_acls: c.ignore_public_acls().unwrap_or(false),
                    block_public_policy: c.block_public_policy().unwrap_or(false),
                    restrict_public_buckets: c.restrict_public_buckets().unwrap_or(false),
                })
            }
        )
    };
    let logging = async {
        if !want.logging {
            return Observed::default();
        }
        read!(
            ctx,
            r,
            n,
            "GetBucketLogging",
            &[],
            s3.get_bucket_logging().bucket(n).send(),
            |out: aws_sdk_s3::operation::get_bucket_logging::GetBucketLoggingOutput| {
                out.logging_enabled().map(|l| l.target_bucket().to_string())
            }
        )
    };
    let replication = async {
        if !want.replication {
            return Observed::default();
        }
        read!(
            ctx,
            r,
            n,
            "GetBucketReplication",
            &["ReplicationConfigurationNotFoundError"],
            s3.get_bucket_replication().bucket(n).send(),
            |out: aws_sdk_s3::operation::get_bucket_replication::GetBucketReplicationOutput| {
                out.replication_configuration().map(|c| {
                    c.rules()
                        .iter()
                        .map(|rule| ReplicationRule {
                            id: rule.id().map(str::to_string),
                            enabled: rule.status().as_str() == "Enabled",
                            destination_bucket: rule.destination().map(|d| d.bucket().to_string()).unwrap_or_default(),
                        })
                        .collect()
                })
            }
        )
    };
    let tags = async {
        if !want.tags {
            return Observed::default();
        }
        let t: Observed<Option<crate::inventory::Tags>> = read!(
            ctx,
            r,
            n,
            "GetBucketTagging",
            &["NoSuchTagSet", "NoSuchTagSetError"],
            s3.get_bucket_tagging().bucket(n).send(),
            |out: aws_sdk_s3::operation::get_bucket_tagging::GetBucketTaggingOutput| {
                Some(super::tag_map(out.tag_set(), |t| (Some(t.key()), Some(t.value()))))
            }
        );
        t.map(Option::unwrap_or_default)
    };
    let acl = async {
        if !want.access {
            return Observed::default();
        }
        let acl: Observed<Option<Vec<(String, String)>>> = read!(
            ctx,
            r,
            n,
            "GetBucketAcl",
            &[],
            s3.get_bucket_acl().bucket(n).send(),
            |out: aws_sdk_s3::operation::get_bucket_acl::GetBucketAclOutput| {
                Some(
                    out.grants()
                        .iter()
                        .map(|g| {
                            let who = g
                                .grantee()
                                .map(|w| w.uri().or(w.id()).unwrap_or(w.r#type().as_str()).to_string())
                                .unwrap_or_default();
                            (who, g.permission().map(|p| p.as_str().to_string()).unwrap_or_default())
                        })
                        .collect(),
                )
            }
        );
        acl.map(Option::unwrap_or_default)
    };
    let policy = async {
        if !want.access {
            return Observed::default();
        }
        read!(
            ctx,
            r,
            n,
            "GetBucketPolicy",
            &["NoSuchBucketPolicy"],
            s3.get_bucket_policy().bucket(n).send(),
            |out: aws_sdk_s3::operation::get_bucket_policy::GetBucketPolicyOutput| {
                Some(out.policy().and_then(|p| serde_json::from_str(p).ok()).unwrap_or(serde_json::Value::Null))
            }
        )
    };
    let status = async {
        if !want.access {
            return Observed::default();
        }
        let _permit = ctx.permit().await;
        let op = "GetBucketPolicyStatus";
        match s3.get_bucket_policy_status().bucket(n).send().await {
            Ok(out) => match out.policy_status().and_then(|p| p.is_public()) {
                Some(public) => Observed::Known(Some(public)),
                None => Observed::Unknown(Gap {
                    resource: Some(b.arn.clone()),
                    ..ctx.malformed(SERVICE, r, op, "PolicyStatus.IsPublic")
                }),
            },
            Err(err) if err.code() == Some("NoSuchBucketPolicy") => Observed::Known(None),
            Err(err) => {
                // where the service does not evaluate policies, the policy itself is
                // evaluated instead: that is no gap in the audit
                let quiet = err.code() == Some(GONE) || crate::aws::classify(&err).0 == ErrorClass::NotAvailable;
                if quiet {
                    Observed::Unknown(unrecorded(&err, r, op, &b.arn))
                } else {
                    Observed::Unknown(ctx.gap(&err, SERVICE, r, op, Some(&b.arn)))
                }
            }
        }
    };
    let ((encryption, versioning, pab), (logging, replication, tags), (acl, policy, status)) = tokio::join!(
        async { tokio::join!(encryption, versioning, pab) },
        async { tokio::join!(logging, replication, tags) },
        async { tokio::join!(acl, policy, status) }
    );
    b.acl_grants = acl;
    // a policy that does not parse is unread, never an empty (private) one
    b.policy = match policy {
        Observed::Known(Some(serde_json::Value::Null)) => Observed::Unknown(Gap {
            resource: Some(b.arn.clone()),
            ..ctx.malformed(SERVICE, r, "GetBucketPolicy", "a policy document that parses as JSON")
        }),
        other => other,
    };
    b.encryption = encryption;
    b.versioning = versioning;
    b.public_access_block = pab;
    b.logging_target = logging;
    b.replication = replication;
    b.tags = tags;
    b.policy_status = status;
    let vanished = gone(&b.encryption)
        || gone(&b.versioning)
        || gone(&b.public_access_block)
        || gone(&b.logging_target)
        || gone(&b.replication)
        || gone(&b.tags)
        || gone(&b.acl_grants)
        || gone(&b.policy)
        || gone(&b.policy_status);
    (!vanished).then_some(b)
}

/// The account-level public access block, when some requirement needs it: the
/// account comes from STS, the block from s3control GetPublicAccessBlock;
/// `NoSuchPublicAccessBlockConfiguration` means none is configured.
pub async fn account_block(ctx: &Ctx, wants: &[(Selector, S3Details)]) -> Option<Observed<Option<PublicAccessBlock>>> {
    if !wants.iter().any(|(_, d)| d.public_access_block || d.access) {
        return None;
    }
    let region = ctx.global_region();
    let account = match super::caller_account(ctx, region).await {
        Ok(a) => a,
        Err(g) => return Some(Observed::Unknown(g)),
    };
    let _permit = ctx.permit().await;
    Some(match ctx.s3control(region).get_public_access_block().account_id(&account).send().await {
        Ok(out) => Observed::Known(out.public_access_block_configuration().map(|c| PublicAccessBlock {
            block_public_acls: c.block_public_acls().unwrap_or(false),
            ignore_public_acls: c.ignore_public_acls().unwrap_or(false),
            block_public_policy: c.block_public_policy().unwrap_or(false),
            restrict_public_buckets: c.restrict_public_buckets().unwrap_or(false),
        })),
        Err(err) if err.code() == Some("NoSuchPublicAccessBlockConfiguration") => Observed::Known(None),
        Err(err) => Observed::Unknown(ctx.gap(&err, "s3control", region, "GetPublicAccessBlock", None)),
    })
}

#[cfg(test)]
#[path = "s3_tests.rs"]
mod tests;
