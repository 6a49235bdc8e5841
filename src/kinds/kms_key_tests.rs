//! kms.key evaluation: which keys are rotation candidates (KMS developer guide,
//! "Rotating AWS KMS keys"; GetKeyRotationStatus: automatic rotation only for
//! symmetric encryption keys with KMS-generated material), and per-key gaps.

#[allow(unused_imports)]
use crate::compare::Finding;
use crate::compare::{evaluate, Status};
#[allow(unused_imports)]
use crate::inventory::*;
use crate::inventory::{Inventory, Observed};
#[allow(unused_imports)]
use crate::kinds::fixtures::*;
use crate::kinds::fixtures::{denied, key, one_region, req};
use serde_json::json;
#[allow(unused_imports)]
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn keys_that_cannot_rotate_are_not_applicable_with_the_reason() {
    let r = req("kms.key", "[requirement.expect]\nrotation = true");
    let mut keys = Vec::new();
    let variants: [(&str, &str, &str, &str); 8] = [
        ("a-symmetric-off", "SYMMETRIC_DEFAULT", "AWS_KMS", "Enabled"),
        ("b-rsa", "RSA_2048", "AWS_KMS", "Enabled"),
        ("c-hmac", "HMAC_256", "AWS_KMS", "Enabled"),
        ("d-imported", "SYMMETRIC_DEFAULT", "EXTERNAL", "Enabled"),
        ("e-cloudhsm", "SYMMETRIC_DEFAULT", "AWS_CLOUDHSM", "Enabled"),
        ("f-xks", "SYMMETRIC_DEFAULT", "EXTERNAL_KEY_STORE", "Enabled"),
        ("g-deleting", "SYMMETRIC_DEFAULT", "AWS_KMS", "PendingDeletion"),
        ("h-replica-deleting", "SYMMETRIC_DEFAULT", "AWS_KMS", "PendingReplicaDeletion"),
    ];
    for (alias, spec, origin, state) in variants {
        let mut k = key(alias, Observed::Known(false), json!({}));
        k.key_spec = Some(spec.into());
        k.origin = Some(origin.into());
        k.state = Some(state.into());
        keys.push(k);
    }
    let f = evaluate(&[r], &Inventory { kms_keys: one_region(keys), ..Default::default() });
    let got: Vec<(&str, Status, serde_json::Value, Option<&str>)> = f
        .iter()
        .map(|f| {
            let c = &f.checks[0];
            (f.message.split(':').next().unwrap_or(""), f.status, c.observed.clone(), c.not_applicable.as_deref())
        })
        .collect();
    assert_eq!(
        got,
        [
            ("a-symmetric-off", Status::Drift, json!(false), None),
            (
                "b-rsa",
                Status::NotApplicable,
                json!("KeySpec RSA_2048"),
                Some("asymmetric keys cannot rotate automatically")
            ),
            ("c-hmac", Status::NotApplicable, json!("KeySpec HMAC_256"), Some("HMAC keys cannot rotate automatically")),
            (
                "d-imported",
                Status::NotApplicable,
                json!("Origin EXTERNAL"),
                Some("keys with imported key material cannot rotate automatically")
            ),
            (
                "e-cloudhsm",
                Status::NotApplicable,
                json!("Origin AWS_CLOUDHSM"),
                Some("keys in a custom key store cannot rotate automatically")
            ),
            (
                "f-xks",
                Status::NotApplicable,
                json!("Origin EXTERNAL_KEY_STORE"),
                Some("keys in a custom key store cannot rotate automatically")
            ),
            (
                "g-deleting",
                Status::NotApplicable,
                json!("KeyState PendingDeletion"),
                Some("the key is pending deletion")
            ),
            (
                "h-replica-deleting",
                Status::NotApplicable,
                json!("KeyState PendingReplicaDeletion"),
                Some("the key is pending deletion")
            ),
        ]
    );
    assert_eq!(f[1].message, "b-rsa: rotation does not apply (asymmetric keys cannot rotate automatically)");
}

#[test]
fn non_rotatable_key_still_judged_on_other_fields() {
    let r = req("kms.key", "[requirement.expect]\nrotation = true\nenabled = true");
    let mut rsa = key("rsa", Observed::Unknown(denied("GetKeyRotationStatus")), json!({}));
    rsa.key_spec = Some("ECC_NIST_P256".into());
    let mut disabled = rsa.clone();
    disabled.aliases = vec!["rsa-off".into()];
    disabled.arn = "arn:aws:kms:us-east-1:1:key/id-rsa-off".into();
    disabled.state = Some("Disabled".into());
    let f = evaluate(&[r], &Inventory { kms_keys: one_region(vec![rsa, disabled]), ..Default::default() });
    let got: Vec<(&str, Status)> = f.iter().map(|f| (f.resource.as_deref().unwrap_or(""), f.status)).collect();
    assert_eq!(
        got,
        [
            ("arn:aws:kms:us-east-1:1:key/id-rsa", Status::Pass),
            ("arn:aws:kms:us-east-1:1:key/id-rsa-off", Status::Drift)
        ]
    );
    assert_eq!(f[1].checks[1].observed, json!("Disabled"));
}

#[test]
fn a_key_that_could_not_be_described_is_unknown_alone() {
    let r = req("kms.key", "[requirement.expect]\nrotation = true\ncustomer_managed = true\nenabled = true");
    let mut gap = denied("DescribeKey");
    gap.service = "kms".into();
    let mut hidden = key("hidden", Observed::Unknown(gap.clone()), json!({}));
    hidden.metadata_gap = Some(gap);
    hidden.manager = None;
    hidden.state = None;
    hidden.key_spec = None;
    hidden.origin = None;
    let seen = key("seen", Observed::Known(true), json!({}));
    let f = evaluate(&[r], &Inventory { kms_keys: one_region(vec![hidden, seen]), ..Default::default() });
    let got: Vec<(&str, Status)> = f.iter().map(|f| (f.resource.as_deref().unwrap_or(""), f.status)).collect();
    assert_eq!(
        got,
        [
            ("arn:aws:kms:us-east-1:1:key/id-hidden", Status::Unknown),
            ("arn:aws:kms:us-east-1:1:key/id-seen", Status::Pass)
        ]
    );
    let errors: Vec<Option<&str>> = f[0].checks.iter().map(|c| c.error.as_deref()).collect();
    let e = Some("kms:DescribeKey in us-east-1 failed with AccessDenied");
    assert_eq!(errors, [e, e, e]);
}

#[test]
fn kms_key_rotation_principals_and_unknown() {
    let r = req(
        "kms.key",
        "select = { name_prefix = \"app\" }\n[requirement.expect]\nrotation = true\ncustomer_managed = true\nenabled = true\npolicy_principals = [\"111122223333\"]\nregion_agnostic_principals = true",
    );
    let good_policy = serde_json::json!({"Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"Service": "logs.amazonaws.com"}, "Action": "kms:Encrypt*", "Resource": "*"}]});
    let regional_policy = serde_json::json!({"Statement": [
        {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root"]}, "Action": "kms:*", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"Service": ["logs.us-east-1.amazonaws.com"]}, "Action": "kms:Encrypt*", "Resource": "*"}]});
    let keys = vec![
        key("app-good", Observed::Known(true), good_policy.clone()),
        key("app-regional", Observed::Known(true), regional_policy),
        key("app-norotate", Observed::Known(false), good_policy.clone()),
        key("app-unread", Observed::Unknown(denied("GetKeyRotationStatus")), good_policy),
    ];
    let inv = Inventory { kms_keys: one_region(keys), ..Default::default() };
    let f = evaluate(&[r], &inv);
    let by_name: Vec<(&str, Status)> = f.iter().map(|f| (f.message.split(':').next().unwrap(), f.status)).collect();
    assert_eq!(
        by_name,
        [
            ("app-good", Status::Pass),
            ("app-norotate", Status::Drift),
            ("app-regional", Status::Drift),
            ("app-unread", Status::Unknown)
        ]
    );
    assert_eq!(observed(&f[2], "region_agnostic_principals"), &serde_json::json!(["logs.us-east-1.amazonaws.com"]));
}
