//! s3.bucket `private` over hand-built buckets: the ACL and the bucket policy.

use crate::compare::{evaluate, Status};
#[allow(unused_imports)]
use crate::inventory::*;
use crate::kinds::fixtures::*;
#[allow(unused_imports)]
use std::collections::BTreeMap;

#[test]
fn s3_bucket_private_reads_acl_and_policy() {
    let r = req("s3.bucket", "[requirement.expect]\nprivate = true");
    // no public access block anywhere, and a service that does not evaluate
    // policies: the policy rules decide
    let unblocked = |name: &str| {
        let mut b = bucket(name);
        b.public_access_block = Observed::Known(None);
        b.policy_status = Observed::Unknown(Gap {
            class: ErrorClass::NotAvailable,
            code: "NotImplemented".into(),
            ..denied("GetBucketPolicyStatus")
        });
        b
    };
    let mut public_acl = unblocked("a-acl");
    public_acl.acl_grants =
        Observed::Known(vec![("http://acs.amazonaws.com/groups/global/AllUsers".into(), "READ".into())]);
    public_acl.policy = Observed::Known(None);
    let mut oac = unblocked("b-oac");
    oac.acl_grants = Observed::Known(vec![("owner-id".into(), "FULL_CONTROL".into())]);
    oac.policy = Observed::Known(Some(
        serde_json::json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"AWS:SourceArn": "arn:aws:cloudfront::1:distribution/X"}}}]}),
    ));
    let mut any_cf = unblocked("c-any-cloudfront");
    any_cf.acl_grants = Observed::Known(vec![]);
    any_cf.policy = Observed::Known(Some(
        serde_json::json!({"Statement": {"Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject", "Resource": "*"}}),
    ));
    let mut star = unblocked("d-star");
    star.acl_grants = Observed::Known(vec![]);
    star.policy = Observed::Known(Some(
        serde_json::json!({"Statement": [{"Sid": "Open", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}),
    ));
    let mut unread = unblocked("e-unread");
    unread.acl_grants = Observed::Unknown(denied("GetBucketAcl"));
    unread.policy = Observed::Known(None);
    let f = evaluate(&[r], &with_buckets(vec![public_acl, oac, any_cf, star, unread]));
    assert_eq!(
        f.iter().map(|f| f.status).collect::<Vec<_>>(),
        [Status::Drift, Status::Pass, Status::Drift, Status::Drift, Status::Unknown]
    );
    assert_eq!(observed(&f[0], "private"), &serde_json::json!(["ACL grants READ to AllUsers"]));
    assert_eq!(
        observed(&f[2], "private"),
        &serde_json::json!(["policy statement #1 lets any CloudFront distribution read (no AWS:SourceArn condition)"])
    );
    assert_eq!(observed(&f[3], "private"), &serde_json::json!(["policy statement Open allows everyone"]));
}
