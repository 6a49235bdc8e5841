//! The progress counts without a terminal: the tracker's arithmetic, the text, and
//! a hidden bar showing what the tracker says.

use super::*;
use crate::collect::{Need, GLOBAL};

fn need(places: &[&str]) -> Need {
    Need { places: places.iter().map(|p| (p.to_string(), Default::default())).collect(), scoped: Vec::new() }
}

#[test]
fn tracker_counts_a_region_done_when_its_last_collector_finishes() {
    let t = Tracker::default();
    let (s3, ec2, kms) = (need(&[GLOBAL, "us-east-1"]), need(&["us-east-1", "eu-west-1"]), need(&["eu-west-1"]));
    t.planned([&s3, &ec2, &kms]);
    let c =
        |done, regions_done| Counts { services_done: done, services: 3, regions_done, regions: 2, ..Counts::default() };
    assert_eq!(t.counts(), c(0, 0));
    t.finished(&s3);
    assert_eq!(t.counts(), c(1, 0), "ec2 still reads us-east-1");
    t.finished(&ec2);
    assert_eq!(t.counts(), c(2, 1), "us-east-1 done, eu-west-1 waits for kms");
    t.finished(&kms);
    assert_eq!(t.counts(), c(3, 2));
}

#[test]
fn tracker_with_only_global_collectors_plans_no_region() {
    let t = Tracker::default();
    let iam = need(&[GLOBAL]);
    t.planned([&iam]);
    t.finished(&iam);
    assert_eq!(t.counts(), Counts { services_done: 1, services: 1, ..Counts::default() });
}

#[test]
fn counts_describe_and_add_up() {
    let a = Counts { services_done: 7, services: 12, regions_done: 1, regions: 3, requests: 212, throttled: 4 };
    assert_eq!(a.describe(), "services 7/12, regions 1/3, 212 requests, 4 throttled");
    let one = Counts { requests: 1, ..Counts::default() };
    assert_eq!(one.describe(), "services 0/0, regions 0/0, 1 request, 0 throttled");
    assert_eq!((a + one).describe(), "services 7/12, regions 1/3, 213 requests, 4 throttled");
}

#[test]
fn hidden_progress_shows_the_tracker_and_finishes_quietly() {
    let tracker = Arc::new(Tracker::default());
    let (s3, ec2) = (need(&[GLOBAL, "us-east-1"]), need(&["us-east-1"]));
    tracker.planned([&s3, &ec2]);
    let seen = tracker.clone();
    let p = Progress::with_target(ProgressDrawTarget::hidden(), move || Counts { requests: 5, ..seen.counts() });
    assert_eq!(p.message(), "services 0/2, regions 0/1, 5 requests, 0 throttled");
    tracker.finished(&s3);
    tracker.finished(&ec2);
    p.refresh();
    assert_eq!(p.message(), "services 2/2, regions 1/1, 5 requests, 0 throttled");
    p.finish();
}

#[test]
fn progress_of_a_context_reads_its_requests_and_throttles() {
    let ctx = crate::collect::fake::ctx(|_, _| (200, String::new()));
    ctx.requests.store(9, std::sync::atomic::Ordering::Relaxed);
    ctx.progress.planned([&need(&["us-east-1"])]);
    let p = Progress::start(&ctx, false);
    assert_eq!(p.message(), "services 0/1, regions 0/1, 9 requests, 0 throttled");
    p.finish();
}
