//! Evaluation tests of config_rule over hand-built inventories.

use crate::compare::{evaluate, Status};
use crate::inventory::*;
use crate::kinds::fixtures::*;
#[allow(unused_imports)]
use crate::kinds::*;
#[allow(unused_imports)]
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn config_rule_by_managed_identifier_and_recorder() {
    let r = req("config.rule", "match = \"any\"\nmin_count = 1\n[requirement.expect]\nsource_identifier = \"S3_BUCKET_PUBLIC_READ_PROHIBITED\"\nrecorder_on = true");
    let rule = |name: &str, id: &str, recording: bool| ConfigRule {
        name: name.into(),
        arn: format!("arn:aws:config:us-east-1:1:config-rule/{name}"),
        region: "us-east-1".into(),
        owner: Some("AWS".into()),
        source_identifier: Some(id.into()),
        state: Some("ACTIVE".into()),
        recorder_on: Observed::Known(recording),
        tags: Observed::Known(BTreeMap::new()),
    };
    let ok =
        vec![rule("other", "ENCRYPTED_VOLUMES", true), rule("public-read", "S3_BUCKET_PUBLIC_READ_PROHIBITED", true)];
    let f = evaluate(std::slice::from_ref(&r), &Inventory { config_rules: one_region(ok), ..Default::default() });
    assert_eq!(statuses(&f), [(Some("arn:aws:config:us-east-1:1:config-rule/public-read"), Status::Pass)]);
    let off = vec![rule("public-read", "S3_BUCKET_PUBLIC_READ_PROHIBITED", false)];
    let f = evaluate(std::slice::from_ref(&r), &Inventory { config_rules: one_region(off), ..Default::default() });
    assert_eq!(f[0].status, Status::Drift);
    let none = vec![rule("other", "ENCRYPTED_VOLUMES", true)];
    let f = evaluate(&[r], &Inventory { config_rules: one_region(none), ..Default::default() });
    assert_eq!(statuses(&f), [(None, Status::Drift)]);
}
