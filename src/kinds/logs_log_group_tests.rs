//! Evaluation tests of logs_log_group over hand-built inventories.

use crate::compare::{evaluate, Status};
use crate::inventory::*;
use crate::kinds::fixtures::*;
#[allow(unused_imports)]
use crate::kinds::*;
#[allow(unused_imports)]
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn logs_retention_exact_and_minimum() {
    let inv = Inventory {
        log_groups: one_region(vec![log_group("a", Some(30)), log_group("b", Some(7)), log_group("c", None)]),
        ..Default::default()
    };
    let exact = evaluate(&[req("logs.log_group", "[requirement.expect]\nretention_days = 30")], &inv);
    assert_eq!(exact.iter().map(|f| f.status).collect::<Vec<_>>(), [Status::Pass, Status::Drift, Status::Drift]);
    assert_eq!(observed(&exact[2], "retention_days"), "never expire");
    let min = evaluate(&[req("logs.log_group", "[requirement.expect]\nretention_days = { at_least = 14 }")], &inv);
    assert_eq!(min.iter().map(|f| f.status).collect::<Vec<_>>(), [Status::Pass, Status::Drift, Status::Pass]);
    // tags that could not be read make a tag requirement unknown, never a pass
    let tags = evaluate(&[req("logs.log_group", "[requirement.expect]\nrequired_tags = { Env = \"prod\" }")], &inv);
    assert!(tags.iter().all(|f| f.status == Status::Unknown), "{tags:?}");
}

#[test]
fn logs_never_expiring_group_is_longer_than_any_bound() {
    // DescribeLogGroups leaves retentionInDays out for a group whose events never expire
    let inv = Inventory { log_groups: one_region(vec![log_group("forever", None)]), ..Default::default() };
    let rows = [
        ("{ at_least = 3653 }", Status::Pass),
        ("{ at_most = 3653 }", Status::Drift),
        ("{ between = [1, 3653] }", Status::Drift),
        ("3653", Status::Drift),
    ];
    for (cmp, want) in rows {
        let f = evaluate(&[req("logs.log_group", &format!("[requirement.expect]\nretention_days = {cmp}"))], &inv);
        assert_eq!(statuses(&f), [(Some("arn:aws:logs:us-east-1:1:log-group:forever"), want)], "{cmp}");
        assert_eq!(observed(&f[0], "retention_days"), "never expire", "{cmp}");
    }
}
