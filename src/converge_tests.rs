use super::*;
use crate::kinds::tests::req;

fn finding(r: &Requirement, status: Status, resource: Option<&str>, region: Option<&str>) -> Finding {
    Finding::new(r, status, resource.map(str::to_string), region.map(str::to_string), vec![], String::new())
}

fn keys() -> Requirement {
    req("kms.key", "expect = { rotation = true }")
}

#[test]
fn only_the_open_regions_and_resources_are_read_again() {
    let r = keys();
    assert_eq!(r.regions, ["us-east-1", "us-west-2"]);
    let findings = vec![
        finding(&r, Status::Pass, Some("key-a"), Some("us-east-1")),
        finding(&r, Status::Drift, Some("key-b"), Some("us-west-2")),
        finding(&r, Status::Unknown, Some("key-c"), Some("us-west-2")),
    ];
    let todo = rereads(std::slice::from_ref(&r), &findings);
    assert_eq!(todo.len(), 1);
    assert_eq!(todo[0].requirement.regions, ["us-west-2"]);
    assert_eq!(todo[0].resources, Some(["key-b".to_string(), "key-c".to_string()].into()));
    // only S3 narrows its reads by name
    assert_eq!(todo[0].requirement.select.only_names, None);
}

#[test]
fn settled_requirements_are_not_read_again() {
    let r = keys();
    let other = req("kms.key", "expect = { rotation = false }");
    let findings = vec![
        finding(&r, Status::Pass, Some("key-a"), Some("us-east-1")),
        finding(&r, Status::NotApplicable, Some("key-b"), Some("us-west-2")),
        finding(&r, Status::Waived, Some("key-c"), Some("us-west-2")),
    ];
    assert!(rereads(&[r, other], &findings).is_empty());
}

#[test]
fn a_requirement_judged_as_a_whole_is_read_whole() {
    let any = req("kms.key", "match = \"any\"\nexpect = { rotation = true }");
    let findings = vec![finding(&any, Status::Drift, None, Some("us-east-1"))];
    let todo = rereads(std::slice::from_ref(&any), &findings);
    assert_eq!(todo.len(), 1);
    assert_eq!(todo[0].requirement.regions, ["us-east-1"]);
    assert_eq!(todo[0].resources, None);

    // a finding outside the requirement's regions (no region at all) keeps them all
    let r = keys();
    let findings = vec![finding(&r, Status::Unknown, None, None)];
    let todo = rereads(std::slice::from_ref(&r), &findings);
    assert_eq!(todo[0].requirement.regions, ["us-east-1", "us-west-2"]);
    assert_eq!(todo[0].resources, None);
}

#[test]
fn buckets_are_narrowed_by_name() {
    let r = req("s3.bucket", "expect = { versioning = true }");
    let findings = vec![
        finding(&r, Status::Pass, Some("arn:aws:s3:::ok"), Some("us-east-1")),
        finding(&r, Status::Drift, Some("arn:aws:s3:::bad"), Some("us-east-1")),
    ];
    let todo = rereads(std::slice::from_ref(&r), &findings);
    assert_eq!(todo[0].requirement.select.only_names, Some(["bad".to_string()].into()));
    assert!(todo[0].requirement.select.matches_name("bad"));
    assert!(!todo[0].requirement.select.matches_name("ok"));
}

#[test]
fn fresh_findings_replace_only_what_was_read_again() {
    let r = keys();
    let mut findings = vec![
        finding(&r, Status::Pass, Some("key-a"), Some("us-east-1")),
        finding(&r, Status::Drift, Some("key-b"), Some("us-west-2")),
        finding(&r, Status::Unknown, Some("key-c"), Some("us-west-2")),
        finding(&r, Status::Pass, Some("key-d"), Some("us-west-2")),
    ];
    let todo = rereads(std::slice::from_ref(&r), &findings);
    let fresh = vec![
        finding(&r, Status::Pass, Some("key-b"), Some("us-west-2")),
        finding(&r, Status::Drift, Some("key-c"), Some("us-west-2")),
        // read again with the others but settled before: its old finding stays
        finding(&r, Status::Drift, Some("key-d"), Some("us-west-2")),
    ];
    replace(&mut findings, &todo, fresh);
    let got: Vec<_> = findings.iter().map(|f| (f.resource.as_deref(), f.region.as_deref(), f.status)).collect();
    assert_eq!(
        got,
        [
            (Some("key-a"), Some("us-east-1"), Status::Pass),
            (Some("key-b"), Some("us-west-2"), Status::Pass),
            (Some("key-c"), Some("us-west-2"), Status::Drift),
            (Some("key-d"), Some("us-west-2"), Status::Pass),
        ]
    );
}

#[test]
fn a_resource_gone_when_read_again_leaves_no_finding() {
    let r = keys();
    let mut findings = vec![finding(&r, Status::Drift, Some("key-b"), Some("us-west-2"))];
    let todo = rereads(std::slice::from_ref(&r), &findings);
    replace(&mut findings, &todo, vec![]);
    assert!(findings.is_empty());
}

#[test]
fn pauses_double_up_to_thirty_seconds_and_never_pass_the_end() {
    let long = Duration::from_secs(3600);
    let got: Vec<u64> = (0..7).map(|round| pause(round, long).as_secs()).collect();
    assert_eq!(got, [1, 2, 4, 8, 16, 30, 30]);
    assert_eq!(pause(3, Duration::from_millis(2500)), Duration::from_millis(2500));
    assert_eq!(pause(40, long), Duration::from_secs(30));
}

#[test]
fn the_line_says_rounds_time_and_what_is_open() {
    let mut c = Convergence { wait_ms: 20_000, attempts: 3, converged: true, elapsed_ms: 7_240, not_converged: vec![] };
    assert_eq!(c.describe(), "--wait: converged after 3 rounds in 7.2 s");
    c.converged = false;
    c.attempts = 1;
    c.not_converged = vec![Unsettled {
        account: None,
        profile: "p".into(),
        requirement: "r".into(),
        resource: None,
        region: None,
        status: Status::Drift,
    }];
    assert_eq!(
        c.describe(),
        "--wait: not converged after 1 round in 7.2 s (waited up to 20 s); 1 finding(s) still drift or unknown"
    );
}

#[test]
fn a_fleet_converges_when_every_account_does() {
    let open = |req: &str| Unsettled {
        account: None,
        profile: "p".into(),
        requirement: req.into(),
        resource: None,
        region: None,
        status: Status::Unknown,
    };
    let a = Convergence { wait_ms: 9_000, attempts: 2, converged: true, elapsed_ms: 1_500, not_converged: vec![] };
    let b = Convergence {
        wait_ms: 9_000,
        attempts: 4,
        converged: false,
        elapsed_ms: 9_100,
        not_converged: vec![open("r")],
    };
    let all = Convergence::of_fleet([("111111111111", a.clone()), ("222222222222", b)]).expect("two accounts");
    assert_eq!(
        all,
        Convergence {
            wait_ms: 9_000,
            attempts: 4,
            converged: false,
            elapsed_ms: 9_100,
            not_converged: vec![Unsettled { account: Some("222222222222".into()), ..open("r") }],
        }
    );
    assert_eq!(Convergence::of_fleet([("111111111111", a.clone())]).map(|c| c.converged), Some(true));
    assert_eq!(Convergence::of_fleet(std::iter::empty()), None);
}

#[test]
fn a_listing_unread_when_read_again_stands_for_its_resources() {
    let r = keys();
    let mut findings = vec![
        finding(&r, Status::Pass, Some("key-a"), Some("us-west-2")),
        finding(&r, Status::Drift, Some("key-b"), Some("us-west-2")),
    ];
    let todo = rereads(std::slice::from_ref(&r), &findings);
    assert_eq!(todo[0].resources, Some(["key-b".to_string()].into()));
    // the listing failed this round: one unknown finding without a resource
    replace(&mut findings, &todo, vec![finding(&r, Status::Unknown, None, Some("us-west-2"))]);
    let got: Vec<_> = findings.iter().map(|f| (f.resource.as_deref(), f.status)).collect();
    assert_eq!(got, [(None, Status::Unknown), (Some("key-a"), Status::Pass)]);
}

#[test]
fn a_narrowed_reread_that_finds_nothing_adds_no_requirement_level_finding() {
    let r = keys();
    let mut findings = vec![
        finding(&r, Status::Pass, Some("key-a"), Some("us-west-2")),
        finding(&r, Status::Drift, Some("key-b"), Some("us-west-2")),
    ];
    let todo = rereads(std::slice::from_ref(&r), &findings);
    // key-b is gone: the narrowed evaluation selects nothing
    replace(&mut findings, &todo, vec![finding(&r, Status::NotApplicable, None, Some("us-west-2"))]);
    let got: Vec<_> = findings.iter().map(|f| (f.resource.as_deref(), f.status)).collect();
    assert_eq!(got, [(Some("key-a"), Status::Pass)]);
}
