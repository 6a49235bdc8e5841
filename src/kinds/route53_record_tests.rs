//! Evaluation tests of route53_record over hand-built inventories.

use crate::compare::{evaluate, Status};
use crate::inventory::*;
use crate::kinds::fixtures::*;
#[allow(unused_imports)]
use crate::kinds::*;
#[allow(unused_imports)]
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn route53_alias_records_by_type() {
    let r = req("route53.record", "select = { name = \"example.com\" }\nmin_count = 1\n[requirement.expect]\ntype = \"AAAA\"\nalias_to = \"cloudfront.net\"");
    let rec = |t: &str, alias: Option<&str>| RecordSet {
        zone_id: "Z1".into(),
        zone_name: "example.com".into(),
        private_zone: false,
        name: "example.com".into(),
        record_type: t.into(),
        alias_target: alias.map(str::to_string),
        values: vec![],
    };
    let inv = |records: Vec<RecordSet>| Inventory { records: Some(Observed::Known(records)), ..Default::default() };
    let f = evaluate(
        std::slice::from_ref(&r),
        &inv(vec![rec("A", Some("d1.cloudfront.net")), rec("AAAA", Some("d1.cloudfront.net"))]),
    );
    assert_eq!(statuses(&f), [(Some("Z1/example.com/AAAA"), Status::Pass)]);
    let f = evaluate(&[r], &inv(vec![rec("A", Some("d1.cloudfront.net"))]));
    assert_eq!(statuses(&f), [(None, Status::Drift)]);
}
