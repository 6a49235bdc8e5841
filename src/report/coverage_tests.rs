//! Coverage counted over real evaluations of hand-built inventories.

use super::*;
use crate::compare::evaluate;
use crate::inventory::{Inventory, Observed};
use crate::kinds::tests::{bucket, denied, req, with_buckets};
use serde_json::json;

fn named(id: &str, kind: &str, body: &str) -> crate::profile::Requirement {
    let mut r = req(kind, body);
    r.id = id.into();
    r
}

fn entry(requirement: &str, read: usize, unknown: usize, listings_unread: usize) -> RequirementCoverage {
    RequirementCoverage { profile: "t".into(), requirement: requirement.into(), read, unknown, listings_unread }
}

#[test]
fn all_passing_requirement_reads_every_selected_resource() {
    let r = named("a", "s3.bucket", "[requirement.expect]\nversioning = true");
    let f = evaluate(&[r], &with_buckets(vec![bucket("one"), bucket("two")]));
    let c = Coverage::of(&f);
    assert_eq!(c.requirements, [entry("a", 2, 0, 0)]);
    assert_eq!((c.read, c.unknown, c.listings_unread), (2, 0, 0));
}

#[test]
fn per_resource_unknown_and_drift_are_counted_apart() {
    let r = named("a", "s3.bucket", "[requirement.expect]\nversioning = true");
    let mut unread = bucket("unread");
    unread.versioning = Observed::Unknown(denied("GetBucketVersioning"));
    let mut suspended = bucket("suspended");
    suspended.versioning = Observed::Known(Some("Suspended".into()));
    let f = evaluate(&[r], &with_buckets(vec![bucket("ok"), unread, suspended]));
    let c = Coverage::of(&f);
    // ok passes and suspended drifts: both read; unread is unknown
    assert_eq!(c.requirements, [entry("a", 2, 1, 0)]);
    assert_eq!((c.read, c.unknown, c.listings_unread), (2, 1, 0));
}

#[test]
fn unreadable_listing_counts_as_one_unknown_listing() {
    let r = named("a", "s3.bucket", "[requirement.expect]\nversioning = true");
    let inv = Inventory { buckets: Some(Observed::Unknown(denied("ListBuckets"))), ..Default::default() };
    let c = Coverage::of(&evaluate(&[r], &inv));
    assert_eq!(c.requirements, [entry("a", 0, 1, 1)]);
    assert_eq!((c.read, c.unknown, c.listings_unread), (0, 1, 1));
}

#[test]
fn unreadable_listing_with_min_count_counts_the_listing_not_the_count() {
    let r = named("a", "s3.bucket", "min_count = 2\n[requirement.expect]\nversioning = true");
    let inv = Inventory { buckets: Some(Observed::Unknown(denied("ListBuckets"))), ..Default::default() };
    let f = evaluate(&[r], &inv);
    assert_eq!(f.len(), 2, "{f:?}");
    assert_eq!(Coverage::of(&f).requirements, [entry("a", 0, 1, 1)]);
}

#[test]
fn nothing_selected_reads_nothing_and_totals_add_up() {
    let none =
        named("a-none", "s3.bucket", "select = { name_prefix = \"prod-\" }\n[requirement.expect]\nversioning = true");
    let all = named("b-all", "s3.bucket", "[requirement.expect]\nversioning = true");
    let f = evaluate(&[all, none], &with_buckets(vec![bucket("dev-a")]));
    let c = Coverage::of(&f);
    assert_eq!(c.requirements, [entry("a-none", 0, 0, 0), entry("b-all", 1, 0, 0)]);
    assert_eq!((c.read, c.unknown, c.listings_unread), (1, 0, 0));
}

#[test]
fn json_shape() {
    let c = Coverage { read: 3, unknown: 1, listings_unread: 0, requirements: vec![entry("a", 3, 1, 0)] };
    assert_eq!(
        serde_json::to_value(&c).unwrap(),
        json!({"read": 3, "unknown": 1, "listings_unread": 0, "requirements": [
            {"profile": "t", "requirement": "a", "read": 3, "unknown": 1, "listings_unread": 0}
        ]})
    );
    assert_eq!(Coverage::describe(3, 1, 0), "3 read, 1 unknown");
    assert_eq!(Coverage::describe(0, 2, 1), "0 read, 2 unknown (1 listing(s) unread)");
}
