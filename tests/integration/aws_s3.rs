//! Live tests against LocalStack for AWS-documented semantics (issue 12): bucket
//! policies judged by S3's "meaning of public", and the account-level public access
//! block combined with the bucket's. The emulator keeps bucket policies (NotPrincipal
//! included) and serves s3control Get/PutPublicAccessBlock; it does not offer
//! GetBucketPolicyStatus (InternalFailure, "not included in your current license
//! plan"), so these audits exercise driftwatch's own evaluation of the policy, and
//! the IsPublic paths are covered over recorded answers (src/collect/s3_tests.rs,
//! src/kinds/s3_bucket_tests.rs).

use crate::support::audit::{self, row, Audit};
use crate::support::{account, Account};
use serde_json::json;

/// Writes a one-requirement s3.bucket profile for the account's buckets and audits it.
fn audit_buckets(acct: &Account, id: &str, expect: &str) -> Audit {
    let text = format!(
        "[profile]\nname = \"aws-s3\"\n[[requirement]]\nid = \"{id}\"\nkind = \"s3.bucket\"\nselect = {{ name_glob = \"*-{}\" }}\n[requirement.expect]\n{expect}\n",
        acct.id
    );
    let profile = audit::profile_file(&text);
    audit::run(acct, &[profile.path()], &[])
}

/// A bucket with no bucket-level public access block (a new bucket has all four
/// flags on) and the given policy.
async fn bucket_with_policy(acct: &Account, stem: &str, policy: serde_json::Value) -> String {
    let s3 = acct.s3("us-east-1");
    let name = acct.bucket(stem);
    s3.create_bucket().bucket(&name).send().await.expect("create bucket");
    s3.delete_public_access_block().bucket(&name).send().await.expect("delete public access block");
    s3.put_bucket_policy().bucket(&name).policy(policy.to_string()).send().await.expect("put policy");
    name
}

fn reader(
    name: &str,
    sid: &str,
    principal: (&str, serde_json::Value),
    condition: Option<serde_json::Value>,
) -> serde_json::Value {
    let mut statement = json!({
        "Sid": sid,
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": format!("arn:aws:s3:::{name}/*"),
    });
    statement[principal.0] = principal.1;
    if let Some(c) = condition {
        statement["Condition"] = c;
    }
    json!({"Version": "2012-10-17", "Statement": [statement]})
}

#[tokio::test]
async fn bucket_policies_follow_s3s_meaning_of_public() {
    let acct = account();
    let tls = acct.bucket("tls-only");
    let vpce = acct.bucket("vpce-only");
    let not_principal = acct.bucket("not-principal");
    let everyone = ("Principal", json!("*"));
    bucket_with_policy(
        &acct,
        "tls-only",
        reader(&tls, "TlsOnly", everyone.clone(), Some(json!({"Bool": {"aws:SecureTransport": "true"}}))),
    )
    .await;
    bucket_with_policy(
        &acct,
        "vpce-only",
        reader(
            &vpce,
            "VpceOnly",
            ("Principal", json!({"AWS": "*"})),
            Some(json!({"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}})),
        ),
    )
    .await;
    bucket_with_policy(
        &acct,
        "not-principal",
        reader(
            &not_principal,
            "AllButOne",
            ("NotPrincipal", json!({"AWS": format!("arn:aws:iam::{}:root", acct.id)})),
            None,
        ),
    )
    .await;

    let a = audit_buckets(&acct, "private-buckets", "private = true");
    a.assert_code(1);
    let arn = |n: &str| format!("arn:aws:s3:::{n}");
    let mut rows = a.rows();
    rows.sort();
    let mut want = vec![
        row("private-buckets", Some(&arn(&not_principal)), "drift"),
        row("private-buckets", Some(&arn(&tls)), "drift"),
        row("private-buckets", Some(&arn(&vpce)), "pass"),
    ];
    want.sort();
    assert_eq!(rows, want);
    assert_eq!(
        a.observed("private-buckets", Some(&arn(&tls)), "private"),
        json!(["policy statement TlsOnly allows everyone: its conditions (aws:SecureTransport) do not limit it to fixed callers"])
    );
    assert_eq!(a.observed("private-buckets", Some(&arn(&vpce)), "private"), json!([]));
    assert_eq!(
        a.observed("private-buckets", Some(&arn(&not_principal)), "private"),
        json!(["policy statement AllButOne allows everyone but its NotPrincipal (NotPrincipal with Allow)"])
    );
    // the emulator's missing GetBucketPolicyStatus is no error of the audit
    assert_eq!(a.report["errors"], json!([]));
}

#[tokio::test]
async fn account_level_block_completes_a_partial_bucket_block() {
    use aws_sdk_s3::types::PublicAccessBlockConfiguration;
    let acct = account();
    let s3 = acct.s3("us-east-1");
    let half = acct.bucket("half-blocked");
    let none = acct.bucket("unblocked");
    for name in [&half, &none] {
        s3.create_bucket().bucket(name).send().await.expect("create bucket");
        s3.delete_public_access_block().bucket(name).send().await.expect("delete public access block");
    }
    let acls_only = PublicAccessBlockConfiguration::builder()
        .block_public_acls(true)
        .ignore_public_acls(true)
        .block_public_policy(false)
        .restrict_public_buckets(false)
        .build();
    s3.put_public_access_block()
        .bucket(&half)
        .public_access_block_configuration(acls_only)
        .send()
        .await
        .expect("bucket block");
    // the account blocks and restricts public policies; s3control is addressed
    // through driftwatch's own client, which reaches the emulator's endpoint
    let ctx = driftwatch::aws::Ctx::new(acct.config("us-east-1"), &driftwatch::aws::Settings::default(), false);
    let policies_only = aws_sdk_s3control::types::PublicAccessBlockConfiguration::builder()
        .block_public_acls(false)
        .ignore_public_acls(false)
        .block_public_policy(true)
        .restrict_public_buckets(true)
        .build();
    ctx.s3control("us-east-1")
        .put_public_access_block()
        .account_id(&acct.id)
        .public_access_block_configuration(policies_only)
        .send()
        .await
        .expect("account block");

    let a = audit_buckets(&acct, "blocked", "public_access_block = true");
    a.assert_code(1);
    let arn = |n: &str| format!("arn:aws:s3:::{n}");
    let mut rows = a.rows();
    rows.sort();
    assert_eq!(rows, [row("blocked", Some(&arn(&half)), "pass"), row("blocked", Some(&arn(&none)), "drift")]);
    let account = json!({"BlockPublicAcls": false, "IgnorePublicAcls": false, "BlockPublicPolicy": true, "RestrictPublicBuckets": true});
    assert_eq!(
        a.observed("blocked", Some(&arn(&half)), "public_access_block"),
        json!({"bucket": {"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": false, "RestrictPublicBuckets": false}, "account": account})
    );
    assert_eq!(
        a.observed("blocked", Some(&arn(&none)), "public_access_block"),
        json!({"bucket": null, "account": account})
    );
    assert_eq!(a.report["errors"], json!([]));
}

#[tokio::test]
async fn account_level_block_neutralises_a_public_acl_and_policy() {
    use aws_sdk_s3::types::{BucketCannedAcl, ObjectOwnership, OwnershipControls, OwnershipControlsRule};
    let acct = account();
    let name = acct.bucket("open-but-blocked");
    let policy = reader(&name, "Everyone", ("Principal", json!("*")), None);
    bucket_with_policy(&acct, "open-but-blocked", policy).await;
    let s3 = acct.s3("us-east-1");
    let owner = OwnershipControlsRule::builder().object_ownership(ObjectOwnership::ObjectWriter).build().expect("rule");
    s3.put_bucket_ownership_controls()
        .bucket(&name)
        .ownership_controls(OwnershipControls::builder().rules(owner).build().expect("controls"))
        .send()
        .await
        .expect("ownership controls");
    s3.put_bucket_acl().bucket(&name).acl(BucketCannedAcl::PublicRead).send().await.expect("public-read ACL");

    // before any block: both the ACL and the policy open the bucket
    let a = audit_buckets(&acct, "private", "private = true");
    a.assert_code(1);
    let arn = format!("arn:aws:s3:::{name}");
    assert_eq!(a.rows(), [row("private", Some(&arn), "drift")]);
    assert_eq!(
        a.observed("private", Some(&arn), "private"),
        json!(["ACL grants READ to AllUsers", "policy statement Everyone allows everyone"])
    );

    // the account ignores public ACLs and restricts public buckets: S3 serves neither
    let ctx = driftwatch::aws::Ctx::new(acct.config("us-east-1"), &driftwatch::aws::Settings::default(), false);
    let ignore_and_restrict = aws_sdk_s3control::types::PublicAccessBlockConfiguration::builder()
        .block_public_acls(false)
        .ignore_public_acls(true)
        .block_public_policy(false)
        .restrict_public_buckets(true)
        .build();
    ctx.s3control("us-east-1")
        .put_public_access_block()
        .account_id(&acct.id)
        .public_access_block_configuration(ignore_and_restrict)
        .send()
        .await
        .expect("account block");
    let a = audit_buckets(&acct, "private", "private = true");
    a.assert_code(0);
    assert_eq!(a.rows(), [row("private", Some(&arn), "pass")]);
    assert_eq!(
        a.observed("private", Some(&arn), "private"),
        json!([
            "ACL grants READ to AllUsers (neutralised: IgnorePublicAcls is on at account level)",
            "policy statement Everyone allows everyone (neutralised: RestrictPublicBuckets is on at account level)"
        ])
    );
    assert_eq!(a.report["errors"], json!([]));
}
