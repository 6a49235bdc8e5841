//! `all_management_events` evaluated over hand-built inventories.

#[allow(unused_imports)]
use crate::compare::Finding;
use crate::compare::{evaluate, Status};
#[allow(unused_imports)]
use crate::inventory::*;
use crate::inventory::{Inventory, ManagementEvents, Observed};
#[allow(unused_imports)]
use crate::kinds::fixtures::*;
use crate::kinds::fixtures::{observed, one_region, req, statuses, trail};
#[allow(unused_imports)]
use std::collections::{BTreeMap, BTreeSet};

fn with_events(name: &str, events: Observed<ManagementEvents>) -> crate::inventory::Trail {
    let mut t = trail(name, true, Observed::Known(true));
    t.management_events = events;
    t
}

fn events(read: bool, write: bool, excluded: &[&str]) -> Observed<ManagementEvents> {
    Observed::Known(ManagementEvents { read, write, excluded: excluded.iter().map(|s| s.to_string()).collect() })
}

#[test]
fn all_management_events_needs_read_write_and_every_source() {
    let r = req("cloudtrail.trail", "[requirement.expect]\nall_management_events = true");
    let trails = vec![
        with_events("a-all", events(true, true, &[])),
        with_events("b-write", events(false, true, &[])),
        with_events("c-no-kms", events(true, true, &["kms.amazonaws.com"])),
        with_events("d-unread", Observed::default()),
    ];
    let f = evaluate(&[r], &Inventory { trails: one_region(trails), ..Default::default() });
    let arn = |n: &str| format!("arn:aws:cloudtrail:us-east-1:1:trail/{n}");
    let (a, b, c, d) = (arn("a-all"), arn("b-write"), arn("c-no-kms"), arn("d-unread"));
    assert_eq!(
        statuses(&f),
        [
            (Some(a.as_str()), Status::Pass),
            (Some(b.as_str()), Status::Drift),
            (Some(c.as_str()), Status::Drift),
            (Some(d.as_str()), Status::Unknown),
        ]
    );
    assert_eq!(observed(&f[1], "all_management_events"), &serde_json::json!("write only management events"));
    assert_eq!(
        observed(&f[2], "all_management_events"),
        &serde_json::json!("read and write management events, except kms.amazonaws.com")
    );
}

#[test]
fn all_management_events_false_is_the_negation() {
    let r = req("cloudtrail.trail", "[requirement.expect]\nall_management_events = false");
    let trails = vec![with_events("a-all", events(true, true, &[])), with_events("b-none", events(false, false, &[]))];
    let f = evaluate(&[r], &Inventory { trails: one_region(trails), ..Default::default() });
    assert_eq!(f.iter().map(|f| f.status).collect::<Vec<_>>(), [Status::Drift, Status::Pass]);
    assert_eq!(observed(&f[1], "all_management_events"), &serde_json::json!("no management events"));
}

#[test]
fn cloudtrail_multi_region_trail_seen_in_two_regions_counts_once() {
    let r = req(
        "cloudtrail.trail",
        "[requirement.expect]\nlogging = true\nmulti_region = true\nkms_encrypted = false\ns3_bucket = \"b\"",
    );
    let t = trail("org", true, Observed::Known(true));
    let inv = Inventory {
        trails: BTreeMap::from([
            ("us-east-1".into(), Observed::Known(vec![t.clone()])),
            ("us-west-2".into(), Observed::Known(vec![t])),
        ]),
        ..Default::default()
    };
    let f = evaluate(&[r], &inv);
    assert_eq!(statuses(&f), [(Some("arn:aws:cloudtrail:us-east-1:1:trail/org"), Status::Pass)]);
}

#[test]
fn cloudtrail_logging_unknown_and_region_unreadable() {
    let r = req("cloudtrail.trail", "match = \"any\"\nmin_count = 1\n[requirement.expect]\nlogging = true");
    let inv = Inventory {
        trails: BTreeMap::from([
            ("us-east-1".into(), Observed::Known(vec![trail("a", false, Observed::Unknown(denied("GetTrailStatus")))])),
            ("us-west-2".into(), Observed::Unknown(denied("DescribeTrails"))),
        ]),
        ..Default::default()
    };
    let f = evaluate(&[r], &inv);
    assert_eq!(statuses(&f), [(None, Status::Unknown)]);
}

#[test]
fn cloudtrail_one_logging_trail_satisfies_any_despite_unreadable_region() {
    let r = req("cloudtrail.trail", "match = \"any\"\nmin_count = 1\n[requirement.expect]\nlogging = true");
    let inv = Inventory {
        trails: BTreeMap::from([
            ("us-east-1".into(), Observed::Known(vec![trail("a", true, Observed::Known(true))])),
            ("us-west-2".into(), Observed::Unknown(denied("DescribeTrails"))),
        ]),
        ..Default::default()
    };
    let f = evaluate(&[r], &inv);
    assert_eq!(statuses(&f), [(Some("arn:aws:cloudtrail:us-east-1:1:trail/a"), Status::Pass)]);
}

#[test]
fn cloudtrail_every_field_can_drift() {
    let r = req(
        "cloudtrail.trail",
        "[requirement.expect]\nlogging = true\nmulti_region = true\nlog_file_validation = true\nkms_encrypted = true\ninclude_global_service_events = true\ns3_bucket = \"audit\"",
    );
    let mut t = trail("weak", false, Observed::Known(false));
    t.log_file_validation = Some(false);
    t.include_global_service_events = None;
    let inv = Inventory {
        trails: BTreeMap::from([
            ("us-east-1".into(), Observed::Known(vec![t])),
            ("us-west-2".into(), Observed::Known(vec![])),
        ]),
        ..Default::default()
    };
    let f = evaluate(&[r], &inv);
    let failed: Vec<&str> = f[0].checks.iter().filter(|c| c.ok == Some(false)).map(|c| c.field.as_ref()).collect();
    assert_eq!(failed, ["logging", "multi_region", "log_file_validation", "kms_encrypted", "s3_bucket"]);
    // a flag the answer left out is unknown, never taken for false
    let absent: Vec<&str> = f[0].checks.iter().filter(|c| c.ok.is_none()).map(|c| c.field.as_ref()).collect();
    assert_eq!(absent, ["include_global_service_events"]);
    assert_eq!(f[0].status, Status::Drift);
}

#[test]
fn absent_flags_are_unknown_even_when_false_is_expected() {
    let r = req(
        "cloudtrail.trail",
        "[requirement.expect]
log_file_validation = false",
    );
    let mut t = trail("t", true, Observed::Known(true));
    t.log_file_validation = None;
    let inv = Inventory { trails: one_region(vec![t]), ..Default::default() };
    assert_eq!(statuses(&evaluate(&[r], &inv)), [(Some("arn:aws:cloudtrail:us-east-1:1:trail/t"), Status::Unknown)]);
}
