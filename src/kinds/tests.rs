//! Registry invariants: every kind documented, the comparison vocabulary honoured
//! by every field, shared fields applied everywhere. Each kind's own evaluation
//! tests live next to it (`<kind>_tests.rs`); fixtures in `fixtures.rs`.

use super::*;
use crate::compare::{evaluate, Status};
use crate::inventory::*;
use std::collections::{BTreeMap, BTreeSet};

// the fixtures, where other modules' tests have always found them
pub(crate) use super::fixtures::*;

#[test]
fn registry_names_unique_and_documented() {
    let mut names = BTreeSet::new();
    for k in REGISTRY {
        assert!(names.insert(k.name), "duplicate kind {}", k.name);
        let (service, resource) = k.name.split_once('.').expect("service.resource");
        assert!(!service.is_empty() && !resource.is_empty(), "{}", k.name);
        assert!(!k.summary.is_empty() && k.doc.len() > 40, "{} needs docs", k.name);
        let mut fields = BTreeSet::new();
        for f in k.all_fields() {
            assert!(fields.insert(f.name), "{}: duplicate field {}", k.name, f.name);
            assert!(f.doc.len() > 10, "{}.{} needs a doc", k.name, f.name);
        }
        assert!(describe(Some(k)).contains(k.summary));
    }
    for core in [
        "s3.bucket",
        "iam.role",
        "iam.user",
        "iam.group",
        "cloudtrail.trail",
        "acm.certificate",
        "ec2.vpc_peering",
        "cloudwatch.alarm",
    ] {
        assert!(find(core).is_some(), "{core} missing");
    }
}

#[test]
fn comparison_symbols_map_to_aws_names() {
    assert_eq!(comparison_operator(">="), Some("GreaterThanOrEqualToThreshold"));
    assert_eq!(comparison_operator("<"), Some("LessThanThreshold"));
    assert_eq!(comparison_operator("LessThanOrEqualToThreshold"), Some("LessThanOrEqualToThreshold"));
    assert_eq!(comparison_operator("=="), None);
}

#[test]
fn name_pattern_applies_to_every_named_kind() {
    let r = req("s3.bucket", "[requirement.expect]\nname_pattern = \"prod-{name}-{region}\"");
    let mut good = bucket("prod-logs-us-east-1");
    good.region = Observed::Known("us-east-1".into());
    let mut wrong_region = bucket("prod-logs-us-west-2");
    wrong_region.region = Observed::Known("us-east-1".into());
    let f = evaluate(&[r], &with_buckets(vec![good, wrong_region]));
    assert_eq!(
        statuses(&f),
        [
            (Some("arn:aws:s3:::prod-logs-us-east-1"), Status::Pass),
            (Some("arn:aws:s3:::prod-logs-us-west-2"), Status::Drift)
        ]
    );
    assert_eq!(observed(&f[1], "name_pattern"), "prod-logs-us-west-2");
    for k in REGISTRY {
        assert_eq!(k.field("name_pattern").is_some(), k.selectable, "{}", k.name);
    }
}

#[test]
fn docs_kinds_md_matches_the_registry() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/kinds.md");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(path, markdown()).unwrap();
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(on_disk == markdown(), "docs/kinds.md is stale: run UPDATE_SNAPSHOTS=1 cargo test --lib docs_kinds");
}

#[test]
fn required_tags_on_trails_alarms_and_acls() {
    let r = req("cloudtrail.trail", "[requirement.expect]\nrequired_tags = { Team = \"*\" }");
    let mut tagged = trail("a", true, Observed::Known(true));
    tagged.tags = Observed::Known(BTreeMap::from([("Team".into(), "sec".into())]));
    let mut unread = trail("b", true, Observed::Known(true));
    unread.tags = Observed::Unknown(denied("ListTags"));
    let inv = Inventory {
        trails: BTreeMap::from([
            ("us-east-1".into(), Observed::Known(vec![tagged, unread, trail("c", true, Observed::Known(true))])),
            ("us-west-2".into(), Observed::Known(vec![])),
        ]),
        ..Default::default()
    };
    let f = evaluate(&[r], &inv);
    assert_eq!(f.iter().map(|f| f.status).collect::<Vec<_>>(), [Status::Pass, Status::Unknown, Status::Drift]);
    for kind in ["cloudtrail.trail", "acm.certificate", "cloudwatch.alarm", "config.rule", "wafv2.web_acl"] {
        assert!(find(kind).unwrap().field("required_tags").is_some(), "{kind}");
    }
}

#[test]
fn absent_fields_never_pass_an_expected_false() {
    let r = req("rds.instance", "[requirement.expect]\npublicly_accessible = false");
    let db = DbInstance {
        id: "db".into(),
        arn: "arn:aws:rds:us-east-1:1:db:db".into(),
        region: "us-east-1".into(),
        engine: None,
        storage_encrypted: Some(true),
        publicly_accessible: None,
        backup_retention_days: 0,
        deletion_protection: Some(false),
        multi_az: Some(false),
        read_replicas: vec![],
        subnets: vec![],
        tags: Observed::Known(BTreeMap::new()),
        cluster_id: None,
        cluster: None,
    };
    let f = evaluate(&[r], &Inventory { db_instances: one_region(vec![db]), ..Default::default() });
    assert_eq!(f[0].status, Status::Unknown);

    let r = req("ec2.instance", "[requirement.expect]\npublic_subnet = false");
    let i = Instance {
        id: "i-1".into(),
        region: "us-east-1".into(),
        owner: None,
        instance_type: None,
        state: Some("running".into()),
        subnet_id: None,
        public_ip: None,
        tags: Observed::Known(BTreeMap::new()),
    };
    let f = evaluate(&[r], &Inventory { instances: one_region(vec![i]), ..Default::default() });
    assert_eq!(f[0].status, Status::Unknown);
}
