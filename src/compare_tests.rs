//! The generic evaluation: `match = "any"` without candidates, checks that do not
//! apply, and `exclude` / `path_prefix` selection. Kind-specific fields are tested
//! beside their kinds.

use super::*;
use crate::inventory::{Bucket, Inventory, Observed};
use crate::kinds::tests::{bucket, denied, req, statuses, with_buckets};
use std::collections::BTreeMap;

fn checks_of(statuses: &[Option<bool>]) -> Vec<Check> {
    statuses
        .iter()
        .enumerate()
        .map(|(i, ok)| match ok {
            Some(ok) => Check::new(format!("f{i}"), json!(true), json!(ok), *ok),
            None => Check::not_applicable(format!("f{i}"), json!(true), json!("HMAC_256"), "cannot rotate"),
        })
        .collect()
}

#[test]
fn match_any_with_no_candidate_is_drift_not_not_applicable() {
    let r = req(
        "s3.bucket",
        "select = { name_prefix = \"prod-\" }\nmatch = \"any\"\n[requirement.expect]\nversioning = true",
    );
    let f = evaluate(std::slice::from_ref(&r), &with_buckets(vec![bucket("dev-a")]));
    assert_eq!(statuses(&f), [(None, Status::Drift)]);
    assert_eq!(f[0].checks, [Check::new("count", json!(">= 1"), json!(0), false)]);
    assert_eq!(f[0].message, "no resource matches name_prefix=prod-; at least one must");
    // an unreadable listing leaves it unknown, never drift or pass
    let mut inv = Inventory::default();
    inv.buckets = Some(Observed::Unknown(denied("ListBuckets")));
    let f = evaluate(&[r], &inv);
    assert_eq!(statuses(&f), [(None, Status::Unknown)]);
}

#[test]
fn match_all_without_min_count_and_no_candidate_stays_not_applicable() {
    let r = req("s3.bucket", "select = { name_prefix = \"prod-\" }\n[requirement.expect]\nversioning = true");
    let f = evaluate(&[r], &with_buckets(vec![bucket("dev-a")]));
    assert_eq!(statuses(&f), [(None, Status::NotApplicable)]);
    assert_eq!(f[0].message, "no resource matches name_prefix=prod-");
}

#[test]
fn checks_that_do_not_apply_count_for_nothing() {
    assert_eq!(combine(&checks_of(&[None])), Status::NotApplicable);
    assert_eq!(combine(&checks_of(&[None, Some(true)])), Status::Pass);
    assert_eq!(combine(&checks_of(&[None, Some(false)])), Status::Drift);
    assert_eq!(combine(&[Check::unknown("f", json!(true), &denied("GetKeyRotationStatus"))]), Status::Unknown);
    assert_eq!(combine(&[]), Status::Pass);
    let only_na = checks_of(&[None]);
    assert_eq!(message("k", &only_na, Status::NotApplicable), "k: f0 does not apply (cannot rotate)");
    let mixed = checks_of(&[None, Some(true)]);
    assert_eq!(message("k", &mixed, Status::Pass), "k: as expected (f1)");
    let serialized = serde_json::to_value(&only_na[0]).unwrap();
    assert_eq!(
        serialized,
        json!({"field": "f0", "expected": true, "observed": "HMAC_256", "ok": null, "not_applicable": "cannot rotate"})
    );
}

fn tagged(name: &str, tags: &[(&str, &str)]) -> Bucket {
    let mut b = bucket(name);
    b.tags = Observed::Known(tags.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect());
    b
}

#[test]
fn exclude_leaves_out_by_name_or_tags_after_the_includes() {
    let r = req(
        "s3.bucket",
        "select = { name_prefix = \"prod-\", exclude = [{ name = \"prod-legacy\" }, { tags = { Exception = \"*\" } }] }\n[requirement.expect]\nversioning = true",
    );
    let inv = with_buckets(vec![
        tagged("prod-a", &[]),
        tagged("prod-legacy", &[]),
        tagged("prod-b", &[("Exception", "INC-1")]),
        tagged("dev-c", &[]),
    ]);
    let f = evaluate(&[r], &inv);
    assert_eq!(statuses(&f), [(Some("arn:aws:s3:::prod-a"), Status::Pass)]);
}

#[test]
fn exclude_entry_needs_every_key_to_match() {
    let r = req(
        "s3.bucket",
        "select = { exclude = { name_prefix = \"prod-\", tags = { Team = \"data\" } } }\n[requirement.expect]\nversioning = true",
    );
    let inv = with_buckets(vec![tagged("prod-a", &[("Team", "data")]), tagged("prod-b", &[("Team", "web")])]);
    let f = evaluate(&[r], &inv);
    assert_eq!(statuses(&f), [(Some("arn:aws:s3:::prod-b"), Status::Pass)]);
}

#[test]
fn exclude_on_unreadable_tags_is_unknown_never_silently_dropped_or_passed() {
    let r = req("s3.bucket", "select = { exclude = { tags = { Exception = \"*\" } } }\nmin_count = 2\n[requirement.expect]\nversioning = true");
    let mut hidden = bucket("a");
    hidden.tags = Observed::Unknown(denied("GetBucketTagging"));
    let f = evaluate(&[r], &with_buckets(vec![hidden, tagged("b", &[])]));
    assert_eq!(
        statuses(&f),
        [(None, Status::Unknown), (Some("arn:aws:s3:::a"), Status::Unknown), (Some("arn:aws:s3:::b"), Status::Pass)]
    );
    let a = f.iter().find(|x| x.resource.as_deref() == Some("arn:aws:s3:::a")).unwrap();
    assert_eq!(a.checks[0].field, "select.exclude");
    assert_eq!(a.checks[0].expected, json!("not(tag:Exception=*)"));
    // the count cannot be judged while a resource may or may not be selected
    assert_eq!(f[0].checks[0].ok, None);
}

#[test]
fn path_prefix_selects_and_excludes_by_iam_path() {
    let sel = |text: &str| req("iam.role", text).select;
    let s = sel("select = { exclude = { path_prefix = \"/aws-service-role/\" } }");
    assert!(s.excludes_by_name("AWSServiceRoleForSupport", Some("/aws-service-role/support.amazonaws.com/")));
    assert!(!s.excludes_by_name("app", Some("/")));
    let s = sel("select = { path_prefix = \"/app/\" }");
    assert!(s.matches_path(Some("/app/web/")) && !s.matches_path(Some("/")) && !s.matches_path(None));
    assert_eq!(crate::profile::describe_selector(&s), "path_prefix=/app/");
}

#[test]
fn selection_reports_the_tags_it_could_not_read() {
    let r = req("s3.bucket", "select = { tags = { Env = \"prod\" } }\n[requirement.expect]\nversioning = true");
    let mut b = bucket("a");
    b.tags = Observed::Unknown(denied("GetBucketTagging"));
    let f = evaluate(&[r], &with_buckets(vec![b]));
    assert_eq!(statuses(&f), [(Some("arn:aws:s3:::a"), Status::Unknown)]);
    assert_eq!((f[0].checks[0].field.as_ref(), &f[0].checks[0].expected), ("select.tags", &json!("tag:Env=prod")));
    let _ = BTreeMap::<String, String>::new();
}
