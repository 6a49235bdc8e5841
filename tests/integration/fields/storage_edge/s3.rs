//! S3 deployments for the s3.bucket field proofs: a pair of buckets per field,
//! with the settings S3's API sets.

use super::super::Proof;
use super::EAST;
use crate::samples::create_bucket_in;
use crate::support::Account;
use serde_json::Value;

/// Buckets `t-ok-<id>` (compliant) and `t-bad-<id>` (misconfigured); helper
/// buckets are named `aux-…` and stay out of the selection.
pub struct Pair {
    pub ok: String,
    pub bad: String,
}

pub async fn pair(acct: &Account) -> Pair {
    let s3 = acct.s3(EAST);
    let p = Pair { ok: acct.bucket("t-ok"), bad: acct.bucket("t-bad") };
    for name in [&p.ok, &p.bad] {
        create_bucket_in(&s3, name, EAST).await.expect("create bucket");
    }
    p
}

/// The Proof of one s3.bucket field over the pair.
pub fn s3_proof(acct: &Account, p: &Pair, field: &str, expect: &str, drift_observed: Value) {
    let arn = |n: &str| format!("arn:aws:s3:::{n}");
    Proof {
        kind: "s3.bucket",
        field,
        select: &format!("{{ name_glob = \"t-*-{}\" }}", acct.id),
        expect,
        region: EAST,
        pass: &arn(&p.ok),
        drift: &arn(&p.bad),
        drift_observed,
    }
    .check(acct);
}

pub async fn kms_key(acct: &Account) -> String {
    let key = acct.kms(EAST).create_key().description("fields").send().await.expect("create key");
    key.key_metadata().map(|m| m.arn().unwrap_or_default().to_string()).expect("key ARN")
}

pub async fn sse_s3(acct: &Account, bucket: &str) {
    use aws_sdk_s3::types::*;
    let default = ServerSideEncryptionByDefault::builder().sse_algorithm(ServerSideEncryption::Aes256).build().unwrap();
    let rule = ServerSideEncryptionRule::builder().apply_server_side_encryption_by_default(default).build();
    acct.s3(EAST)
        .put_bucket_encryption()
        .bucket(bucket)
        .server_side_encryption_configuration(ServerSideEncryptionConfiguration::builder().rules(rule).build().unwrap())
        .send()
        .await
        .expect("SSE-S3");
}

/// A replication configuration of `source` with one rule, Enabled or Disabled,
/// to `dest` (S3 needs versioning on both).
pub async fn replicate(acct: &Account, source: &str, dest: &str, enabled: bool) {
    use aws_sdk_s3::types::*;
    let status = if enabled { ReplicationRuleStatus::Enabled } else { ReplicationRuleStatus::Disabled };
    let rule = ReplicationRule::builder()
        .id("all")
        .status(status)
        .priority(1)
        .filter(ReplicationRuleFilter::builder().prefix("").build())
        .delete_marker_replication(
            DeleteMarkerReplication::builder().status(DeleteMarkerReplicationStatus::Disabled).build(),
        )
        .destination(Destination::builder().bucket(format!("arn:aws:s3:::{dest}")).build().unwrap())
        .build()
        .unwrap();
    let config = ReplicationConfiguration::builder()
        .role(format!("arn:aws:iam::{}:role/replication", acct.id))
        .rules(rule)
        .build()
        .unwrap();
    acct.s3(EAST).put_bucket_replication().bucket(source).replication_configuration(config).send().await.unwrap();
}

pub async fn s3_tag(acct: &Account, bucket: &str, team: &str) {
    use aws_sdk_s3::types::{Tag, Tagging};
    let tagging = Tagging::builder().tag_set(Tag::builder().key("team").value(team).build().unwrap()).build().unwrap();
    acct.s3(EAST).put_bucket_tagging().bucket(bucket).tagging(tagging).send().await.unwrap();
}
