//! s3.bucket `private` and `public_access_block` over hand-built inventories: S3's
//! documented meaning of public for policy statements, GetBucketPolicyStatus and
//! how it combines with the rules, and the account-level public access block.

#[allow(unused_imports)]
use crate::compare::Finding;
use crate::compare::{evaluate, Status};
#[allow(unused_imports)]
use crate::inventory::*;
use crate::inventory::{Bucket, ErrorClass, Gap, Inventory, Observed, PublicAccessBlock};
#[allow(unused_imports)]
use crate::kinds::fixtures::*;
use crate::kinds::fixtures::{bucket, denied, req, with_buckets};
use crate::kinds::public_policy::{openings, Opening};
use serde_json::{json, Value as Json};
#[allow(unused_imports)]
use std::collections::{BTreeMap, BTreeSet};

fn statement(principal: Json, condition: Option<Json>) -> Json {
    let mut s = json!({"Sid": "S", "Effect": "Allow", "Principal": principal, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"});
    if let Some(c) = condition {
        s["Condition"] = c;
    }
    json!({"Version": "2012-10-17", "Statement": [s]})
}

/// Whether a `Principal: "*"` statement under `condition` is public.
fn public_under(condition: Json) -> bool {
    !openings(&statement(json!("*"), Some(condition))).is_empty()
}

#[test]
fn conditions_that_limit_a_public_statement_follow_s3() {
    let limiting = [
        json!({"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}),
        json!({"StringEquals": {"AWS:SOURCEVPCE": "vpce-1a2b3c4d"}}),
        json!({"StringEquals": {"aws:sourcevpc": "vpc-111bbb22"}}),
        json!({"ArnEquals": {"aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111122223333:trail/t"}}),
        json!({"ArnLike": {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:topic"}}),
        json!({"StringEquals": {"aws:SourceAccount": ["111122223333", "444455556666"]}}),
        json!({"StringEquals": {"aws:SourceOwner": "111122223333"}}),
        json!({"StringEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id": "arn:aws:kms:us-east-1:111122223333:key/k"}}),
        json!({"StringEquals": {"aws:userid": "AIDAEXAMPLEUSERID"}}),
        json!({"ForAnyValue:StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}),
        json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}),
        json!({"IpAddress": {"aws:SourceIp": ["198.51.100.7", "10.0.0.0/8", "2001:db8::/32"]}}),
        // one limiting key is enough: conditions are all required
        json!({"Bool": {"aws:SecureTransport": "true"}, "StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}),
    ];
    for c in limiting {
        assert!(!public_under(c.clone()), "{c} limits access");
    }
    let open = [
        json!({"Bool": {"aws:SecureTransport": "true"}}),
        json!({"StringLike": {"aws:UserAgent": "MyApp/*"}}),
        json!({"StringEquals": {"aws:Referer": "https://example.com/"}}),
        // wildcards and policy variables are not fixed values
        json!({"StringLike": {"aws:SourceVpce": "vpce-*"}}),
        json!({"StringEquals": {"aws:SourceAccount": ["111122223333", "*"]}}),
        json!({"ArnLike": {"aws:SourceArn": "arn:aws:sns:us-east-1:*:topic"}}),
        json!({"StringEquals": {"aws:SourceVpce": "${aws:SourceVpc}"}}),
        json!({"StringLike": {"aws:userid": "AROAEXAMPLEROLEID:*"}}),
        json!({"StringEquals": {"aws:SourceVpce": "vpce-1?2b3c4d"}}),
        // IfExists passes a request without the key; ForAllValues passes an empty set
        json!({"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1a2b3c4d"}}),
        json!({"ForAllValues:StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}),
        // negated operators allow everything but the values
        json!({"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}),
        json!({"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}),
        json!({"IpAddressIfExists": {"aws:SourceIp": "203.0.113.0/24"}}),
        json!({"Null": {"aws:SourceVpce": "false"}}),
        // every address, or a range broader than /8 (IPv4) or /32 (IPv6)
        json!({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}),
        json!({"IpAddress": {"aws:SourceIp": "::/0"}}),
        json!({"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "0.0.0.0/0"]}}),
        json!({"IpAddress": {"aws:SourceIp": "0.0.0.0/1"}}),
        json!({"IpAddress": {"aws:SourceIp": "2001:db8::/16"}}),
        json!({"IpAddress": {"aws:SourceIp": "not-an-address"}}),
        json!({}),
    ];
    for c in open {
        assert!(public_under(c.clone()), "{c} leaves the statement public");
    }
}

#[test]
fn public_statements_are_named_with_why() {
    let secure = statement(json!({"AWS": "*"}), Some(json!({"Bool": {"aws:SecureTransport": "true"}})));
    assert_eq!(
        openings(&secure),
        [Opening::Public(
            "policy statement S allows everyone: its conditions (aws:SecureTransport) do not limit it to fixed callers"
                .into()
        )]
    );
    let listed = json!({"Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "*"]}, "Action": "s3:GetObject", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:*", "Resource": "*"},
        {"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "*"},
        {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:*", "Resource": "*"}
    ]});
    assert_eq!(
        openings(&listed),
        [
            Opening::Public("policy statement #2 allows everyone".into()),
            Opening::Public(
                "policy statement #4 allows everyone but its NotPrincipal (NotPrincipal with Allow)".into()
            ),
        ]
    );
}

fn block(acls: bool, ignore: bool, policy: bool, restrict: bool) -> Option<PublicAccessBlock> {
    Some(PublicAccessBlock {
        block_public_acls: acls,
        ignore_public_acls: ignore,
        block_public_policy: policy,
        restrict_public_buckets: restrict,
    })
}

fn not_available() -> Gap {
    Gap { class: ErrorClass::NotAvailable, code: "NotImplemented".into(), ..denied("GetBucketPolicyStatus") }
}

/// A bucket with no bucket-level block, the given policy and policy status, no ACL grants.
fn with_policy(name: &str, policy: Json, status: Observed<Option<bool>>) -> Bucket {
    let mut b = bucket(name);
    b.public_access_block = Observed::Known(None);
    b.acl_grants = Observed::Known(vec![]);
    b.policy = Observed::Known(Some(policy));
    b.policy_status = status;
    b
}

fn inventory(buckets: Vec<Bucket>, account: Observed<Option<PublicAccessBlock>>) -> Inventory {
    Inventory { s3_account_block: Some(account), ..with_buckets(buckets) }
}

/// (resource, status, observed `field`, error) of every finding.
fn rows(field: &str, inv: &Inventory, expect: &str) -> Vec<(String, Status, Json, Option<String>)> {
    let r = req("s3.bucket", &format!("[requirement.expect]\n{expect}"));
    evaluate(&[r], inv)
        .iter()
        .map(|f| {
            let c = f.checks.iter().find(|c| c.field == field).expect("check");
            (f.resource.clone().unwrap_or_default(), f.status, c.observed.clone(), c.error.clone())
        })
        .collect()
}

#[test]
fn policy_status_is_s3s_verdict_and_the_rules_fill_in_where_it_is_not_offered() {
    let secure = statement(json!("*"), Some(json!({"Bool": {"aws:SecureTransport": "true"}})));
    let vpce = statement(json!("*"), Some(json!({"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}})));
    let secure_text =
        "policy statement S allows everyone: its conditions (aws:SecureTransport) do not limit it to fixed callers";
    let denied_status = Observed::Unknown(denied("GetBucketPolicyStatus"));
    let buckets = vec![
        with_policy("a-public-by-s3", vpce.clone(), Observed::Known(Some(true))),
        with_policy("b-public-both", secure.clone(), Observed::Known(Some(true))),
        with_policy("c-private-by-s3", secure.clone(), Observed::Known(Some(false))),
        with_policy("d-rules-public", secure.clone(), Observed::Unknown(not_available())),
        with_policy("e-rules-private", vpce.clone(), Observed::Unknown(not_available())),
        with_policy("f-denied-public", secure, denied_status.clone()),
        with_policy("g-denied-private", vpce, denied_status),
    ];
    let got = rows("private", &inventory(buckets, Observed::Known(None)), "private = true");
    let arn = |n: &str| format!("arn:aws:s3:::{n}");
    assert_eq!(
        got,
        [
            (
                arn("a-public-by-s3"),
                Status::Drift,
                json!(["S3 reports the bucket policy public (GetBucketPolicyStatus IsPublic)"]),
                None
            ),
            (arn("b-public-both"), Status::Drift, json!([secure_text]), None),
            (arn("c-private-by-s3"), Status::Pass, json!([]), None),
            (arn("d-rules-public"), Status::Drift, json!([secure_text]), None),
            (arn("e-rules-private"), Status::Pass, json!([]), None),
            (arn("f-denied-public"), Status::Drift, json!([secure_text]), None),
            // the rules find nothing, but S3's verdict was not read: not a pass
            (
                arn("g-denied-private"),
                Status::Unknown,
                json!([]),
                Some("s3:GetBucketPolicyStatus in us-east-1 failed with AccessDenied".into())
            ),
        ]
    );
}

#[test]
fn account_level_block_completes_the_bucket_level_one() {
    let partial = |name: &str, level: Option<PublicAccessBlock>| {
        let mut b = bucket(name);
        b.public_access_block = Observed::Known(level);
        b
    };
    let buckets = || {
        vec![
            partial("a-half", block(true, true, false, false)),
            partial("b-full", block(true, true, true, true)),
            partial("c-none", None),
        ]
    };
    let half = json!({"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": false, "RestrictPublicBuckets": false});
    let full = json!({"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true});
    let other_half = json!({"BlockPublicAcls": false, "IgnorePublicAcls": false, "BlockPublicPolicy": true, "RestrictPublicBuckets": true});
    let arn = |n: &str| format!("arn:aws:s3:::{n}");

    // the account sets the other two flags: the half bucket is covered
    let inv = inventory(buckets(), Observed::Known(block(false, false, true, true)));
    assert_eq!(
        rows("public_access_block", &inv, "public_access_block = true"),
        [
            (arn("a-half"), Status::Pass, json!({"bucket": half, "account": other_half}), None),
            (arn("b-full"), Status::Pass, json!({"bucket": full, "account": other_half}), None),
            (arn("c-none"), Status::Drift, json!({"bucket": null, "account": other_half}), None),
        ]
    );

    // no account-level block: only the full bucket passes
    let inv = inventory(buckets(), Observed::Known(None));
    assert_eq!(
        rows("public_access_block", &inv, "public_access_block = true"),
        [
            (arn("a-half"), Status::Drift, json!({"bucket": half, "account": null}), None),
            (arn("b-full"), Status::Pass, json!({"bucket": full, "account": null}), None),
            (arn("c-none"), Status::Drift, json!({"bucket": null, "account": null}), None),
        ]
    );

    // account level unreadable: the full bucket still passes on its own, the
    // others cannot be decided
    let gap = Gap { service: "s3control".into(), ..denied("GetPublicAccessBlock") };
    let unread = json!({"not_observed": "s3control:GetPublicAccessBlock in us-east-1 failed with AccessDenied"});
    let error = Some("s3control:GetPublicAccessBlock in us-east-1 failed with AccessDenied".to_string());
    let inv = inventory(buckets(), Observed::Unknown(gap));
    assert_eq!(
        rows("public_access_block", &inv, "public_access_block = true"),
        [
            (arn("a-half"), Status::Unknown, json!({"bucket": half, "account": unread}), error.clone()),
            (arn("b-full"), Status::Pass, json!({"bucket": full, "account": unread}), None),
            (arn("c-none"), Status::Unknown, json!({"bucket": null, "account": unread}), error),
        ]
    );

    // bucket level unreadable, account level complete: covered
    let mut b = bucket("d-unread");
    b.public_access_block = Observed::Unknown(denied("GetPublicAccessBlock"));
    let inv = inventory(vec![b], Observed::Known(block(true, true, true, true)));
    assert_eq!(
        rows("public_access_block", &inv, "public_access_block = true"),
        [(
            arn("d-unread"),
            Status::Pass,
            json!({"bucket": {"not_observed": "s3:GetPublicAccessBlock in us-east-1 failed with AccessDenied"}, "account": full}),
            None
        )]
    );
}

#[test]
fn block_settings_neutralise_public_acls_and_policies() {
    let open = statement(json!("*"), None);
    let acl = |b: &mut Bucket| {
        b.acl_grants = Observed::Known(vec![("http://acs.amazonaws.com/groups/global/AllUsers".into(), "READ".into())]);
    };
    // public ACL, IgnorePublicAcls at account level
    let mut a = with_policy("a-acl", json!({"Statement": []}), Observed::Known(Some(false)));
    acl(&mut a);
    // public policy, RestrictPublicBuckets at bucket level
    let mut b = with_policy("b-policy", open.clone(), Observed::Known(Some(true)));
    b.public_access_block = Observed::Known(block(false, false, false, true));
    // any CloudFront distribution: a service principal, which no block setting stops
    let mut c = with_policy(
        "c-cloudfront",
        json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject", "Resource": "*"}]}),
        Observed::Known(Some(false)),
    );
    c.public_access_block = Observed::Known(block(true, true, true, true));
    // neutralised ACL, public policy in force
    let mut d = with_policy("d-both", open, Observed::Known(Some(true)));
    acl(&mut d);
    let inv = inventory(vec![a, b, c, d], Observed::Known(block(false, true, false, false)));
    let arn = |n: &str| format!("arn:aws:s3:::{n}");
    assert_eq!(
        rows("private", &inv, "private = true"),
        [
            (
                arn("a-acl"),
                Status::Pass,
                json!(["ACL grants READ to AllUsers (neutralised: IgnorePublicAcls is on at account level)"]),
                None
            ),
            (
                arn("b-policy"),
                Status::Pass,
                json!([
                    "policy statement S allows everyone (neutralised: RestrictPublicBuckets is on at bucket level)"
                ]),
                None
            ),
            (
                arn("c-cloudfront"),
                Status::Drift,
                json!(["policy statement #1 lets any CloudFront distribution read (no AWS:SourceArn condition)"]),
                None
            ),
            (
                arn("d-both"),
                Status::Drift,
                json!([
                    "ACL grants READ to AllUsers (neutralised: IgnorePublicAcls is on at account level)",
                    "policy statement S allows everyone"
                ]),
                None
            ),
        ]
    );
}

#[test]
fn an_unread_account_block_never_turns_an_opening_into_a_pass() {
    let mut a = with_policy("a-open", statement(json!("*"), None), Observed::Known(Some(true)));
    a.public_access_block = Observed::Known(block(true, true, true, false));
    let mut b = with_policy("b-restricted", statement(json!("*"), None), Observed::Known(Some(true)));
    b.public_access_block = Observed::Known(block(false, false, false, true));
    let gap = Gap { service: "s3control".into(), ..denied("GetPublicAccessBlock") };
    let inv = inventory(vec![a, b], Observed::Unknown(gap));
    let arn = |n: &str| format!("arn:aws:s3:::{n}");
    assert_eq!(
        rows("private", &inv, "private = true"),
        [
            (
                arn("a-open"),
                Status::Unknown,
                json!(["policy statement S allows everyone (RestrictPublicBuckets not observed)"]),
                Some("s3control:GetPublicAccessBlock in us-east-1 failed with AccessDenied".into())
            ),
            // the bucket level settles it without the account level
            (
                arn("b-restricted"),
                Status::Pass,
                json!([
                    "policy statement S allows everyone (neutralised: RestrictPublicBuckets is on at bucket level)"
                ]),
                None
            ),
        ]
    );
    // and a bucket with no opening is private whatever the block settings
    let mut c = with_policy("c-closed", json!({"Statement": []}), Observed::Known(None));
    c.public_access_block = Observed::Unknown(denied("GetPublicAccessBlock"));
    let gap = Gap { service: "s3control".into(), ..denied("GetPublicAccessBlock") };
    let inv = inventory(vec![c], Observed::Unknown(gap));
    assert_eq!(rows("private", &inv, "private = true"), [(arn("c-closed"), Status::Pass, json!([]), None)]);
}

#[test]
fn private_false_expects_an_opening() {
    let mut a = with_policy("a-open", statement(json!("*"), None), Observed::Unknown(not_available()));
    a.public_access_block = Observed::Known(None);
    let b = with_policy("b-closed", json!({"Statement": []}), Observed::Known(Some(false)));
    let inv = inventory(vec![a, b], Observed::Known(None));
    let f = rows("private", &inv, "private = false");
    assert_eq!(
        f.iter().map(|(r, s, _, _)| (r.as_str(), *s)).collect::<Vec<_>>(),
        [("arn:aws:s3:::a-open", Status::Pass), ("arn:aws:s3:::b-closed", Status::Drift)]
    );
}

const S3_EXPECT: &str = "select = { name_prefix = \"prod-\" }\n[requirement.expect]\nencryption = \"kms\"\nkms_key_arn = \"abc\"\nbucket_key = true\nversioning = true\npublic_access_block = true\naccess_logging = true\nreplication = false\nrequired_tags = { Env = \"prod\" }";

#[test]
fn s3_bucket_every_field_satisfied_passes() {
    let r = req("s3.bucket", S3_EXPECT);
    let f = evaluate(&[r], &with_buckets(vec![bucket("prod-a"), bucket("dev-b")]));
    assert_eq!(statuses(&f), [(Some("arn:aws:s3:::prod-a"), Status::Pass)]);
    assert_eq!(f[0].checks.len(), 8);
}

#[test]
fn s3_bucket_each_field_can_drift() {
    let r = req("s3.bucket", S3_EXPECT);
    let mut b = bucket("prod-a");
    b.encryption =
        Observed::Known(Some(BucketEncryption { algorithm: "AES256".into(), kms_key: None, bucket_key: false }));
    b.versioning = Observed::Known(Some("Suspended".into()));
    b.public_access_block = Observed::Known(None);
    b.logging_target = Observed::Known(None);
    b.replication = Observed::Known(Some(vec![ReplicationRule {
        id: None,
        enabled: true,
        destination_bucket: "arn:aws:s3:::x".into(),
    }]));
    b.tags = Observed::Known(BTreeMap::from([("Env".into(), "dev".into())]));
    let f = evaluate(&[r], &with_buckets(vec![b]));
    assert_eq!(f[0].status, Status::Drift);
    let failed: Vec<&str> = f[0].checks.iter().filter(|c| c.ok == Some(false)).map(|c| c.field.as_ref()).collect();
    assert_eq!(
        failed,
        [
            "encryption",
            "kms_key_arn",
            "bucket_key",
            "versioning",
            "public_access_block",
            "access_logging",
            "replication",
            "required_tags"
        ]
    );
    assert_eq!(observed(&f[0], "encryption"), "AES256");
    assert_eq!(observed(&f[0], "versioning"), "Suspended");
    assert!(f[0].message.starts_with("prod-a: encryption is AES256, expected kms"), "{}", f[0].message);
}

#[test]
fn s3_bucket_access_denied_is_unknown_never_pass() {
    let r = req("s3.bucket", "[requirement.expect]\nencryption = \"aws:kms\"");
    let mut b = bucket("prod-a");
    b.encryption = Observed::Unknown(denied("GetBucketEncryption"));
    let f = evaluate(&[r], &with_buckets(vec![b]));
    assert_eq!(f[0].status, Status::Unknown);
    assert_eq!(f[0].checks[0].ok, None);
    assert_eq!(f[0].checks[0].error.as_deref(), Some("s3:GetBucketEncryption in us-east-1 failed with AccessDenied"));
}

#[test]
fn s3_bucket_drift_wins_over_unknown() {
    let r = req("s3.bucket", "[requirement.expect]\nencryption = \"aws:kms\"\nversioning = true");
    let mut b = bucket("prod-a");
    b.encryption = Observed::Unknown(denied("GetBucketEncryption"));
    b.versioning = Observed::Known(None);
    let f = evaluate(&[r], &with_buckets(vec![b]));
    assert_eq!(f[0].status, Status::Drift);
}

#[test]
fn s3_bucket_list_failure_is_unknown() {
    let r = req("s3.bucket", "min_count = 1\n[requirement.expect]\nversioning = true");
    let inv = Inventory { buckets: Some(Observed::Unknown(denied("ListBuckets"))), ..Default::default() };
    let f = evaluate(&[r], &inv);
    assert_eq!(statuses(&f), [(None, Status::Unknown), (None, Status::Unknown)]);
}

#[test]
fn s3_bucket_not_collected_is_unknown() {
    let r = req("s3.bucket", "[requirement.expect]\nversioning = true");
    let f = evaluate(&[r], &Inventory::default());
    assert_eq!(statuses(&f), [(None, Status::Unknown)]);
}

#[test]
fn s3_bucket_no_match_is_not_applicable_or_drift_with_min_count() {
    let inv = with_buckets(vec![bucket("dev-a")]);
    let f =
        evaluate(&[req("s3.bucket", "select = { name = \"prod-x\" }\n[requirement.expect]\nversioning = true")], &inv);
    assert_eq!(statuses(&f), [(None, Status::NotApplicable)]);
    let f = evaluate(
        &[req("s3.bucket", "select = { name = \"prod-x\" }\nmin_count = 1\n[requirement.expect]\nversioning = true")],
        &inv,
    );
    assert_eq!(statuses(&f), [(None, Status::Drift)]);
    assert_eq!(observed(&f[0], "count"), 0);
}

#[test]
fn s3_bucket_tag_selector_with_unreadable_tags_is_unknown() {
    let r = req("s3.bucket", "select = { tags = { Env = \"prod\" } }\n[requirement.expect]\nversioning = true");
    let mut a = bucket("a");
    a.tags = Observed::Unknown(denied("GetBucketTagging"));
    let mut b = bucket("b");
    b.tags = Observed::Known(BTreeMap::new());
    let f = evaluate(&[r], &with_buckets(vec![a, b, bucket("c")]));
    assert_eq!(statuses(&f), [(Some("arn:aws:s3:::a"), Status::Unknown), (Some("arn:aws:s3:::c"), Status::Pass)]);
}

#[test]
fn s3_bucket_match_any_names_the_satisfying_bucket_or_candidates() {
    let r = req("s3.bucket", "match = \"any\"\n[requirement.expect]\nencryption = \"AES256\"");
    let mut ok = bucket("b-ok");
    ok.encryption =
        Observed::Known(Some(BucketEncryption { algorithm: "AES256".into(), kms_key: None, bucket_key: false }));
    let f = evaluate(std::slice::from_ref(&r), &with_buckets(vec![bucket("a-kms"), ok]));
    assert_eq!(statuses(&f), [(Some("arn:aws:s3:::b-ok"), Status::Pass)]);
    let f = evaluate(&[r], &with_buckets(vec![bucket("a-kms")]));
    assert_eq!(statuses(&f), [(None, Status::Drift)]);
    assert!(f[0].message.contains("a-kms: encryption is aws:kms, expected AES256"), "{}", f[0].message);
}

#[test]
fn s3_bucket_match_any_with_unknown_candidate_is_unknown() {
    let r = req("s3.bucket", "match = \"any\"\n[requirement.expect]\nencryption = \"AES256\"");
    let mut b = bucket("a");
    b.encryption = Observed::Unknown(denied("GetBucketEncryption"));
    let f = evaluate(&[r], &with_buckets(vec![b, bucket("c")]));
    assert_eq!(statuses(&f), [(None, Status::Unknown)]);
}

fn replicating(name: &str, to: &str) -> Bucket {
    let mut b = bucket(name);
    b.replication = Observed::Known(Some(vec![ReplicationRule {
        id: Some("r".into()),
        enabled: true,
        destination_bucket: format!("arn:aws:s3:::{to}"),
    }]));
    b
}

#[test]
fn s3_replication_cross_region_needs_a_versioned_bucket_elsewhere() {
    let r =
        req("s3.bucket", "select = { name_prefix = \"src-\" }\n[requirement.expect]\nreplication_cross_region = true");
    let mut west = bucket("dst-west");
    west.region = Observed::Known("us-west-2".into());
    let mut unversioned = west.clone();
    unversioned.name = "dst-plain".into();
    unversioned.versioning = Observed::Known(None);
    let mut unread = west.clone();
    unread.name = "dst-unread".into();
    unread.versioning = Observed::Unknown(denied("GetBucketVersioning"));
    let inv = with_buckets(vec![
        replicating("src-ok", "dst-west"),
        replicating("src-same-region", "dst-east"),
        bucket("dst-east"),
        replicating("src-gone", "dst-elsewhere"),
        replicating("src-plain", "dst-plain"),
        replicating("src-unread", "dst-unread"),
        bucket("src-none"),
        west,
        unversioned,
        unread,
    ]);
    let f = evaluate(&[r], &inv);
    let by = |n: &str| f.iter().find(|x| x.resource.as_deref() == Some(&format!("arn:aws:s3:::{n}"))).unwrap();
    assert_eq!(by("src-ok").status, Status::Pass);
    assert_eq!(
        observed(by("src-ok"), "replication_cross_region"),
        &serde_json::json!([{ "bucket": "dst-west", "region": "us-west-2", "versioning": "Enabled" }])
    );
    assert_eq!(by("src-same-region").status, Status::Drift);
    assert_eq!(by("src-gone").status, Status::Drift);
    assert_eq!(
        observed(by("src-gone"), "replication_cross_region"),
        &serde_json::json!([{ "bucket": "dst-elsewhere", "found": "no such bucket in this account" }])
    );
    assert_eq!(by("src-plain").status, Status::Drift);
    assert_eq!(by("src-unread").status, Status::Unknown);
    assert_eq!(by("src-none").status, Status::Drift);
    assert_eq!(observed(by("src-none"), "replication_cross_region"), &serde_json::json!([]));
}
