//! `all_management_events` evaluated over hand-built inventories.

use crate::compare::{evaluate, Status};
use crate::inventory::{Inventory, ManagementEvents, Observed};
use crate::kinds::tests::{observed, one_region, req, statuses, trail};

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
