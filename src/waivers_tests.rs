use super::*;
use crate::compare::{Check, Finding, Status};
use crate::profile::Severity;
use serde_json::json;

fn day(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn finding(req: &str, status: Status, resource: Option<&str>) -> Finding {
    let ok = match status {
        Status::Pass => Some(true),
        Status::Drift => Some(false),
        _ => None,
    };
    Finding {
        account: None,
        profile: "prod".into(),
        requirement: req.into(),
        kind: "s3.bucket",
        severity: Severity::High,
        status,
        resource: resource.map(str::to_string),
        region: Some("us-east-1".into()),
        checks: vec![Check {
            field: "versioning".into(),
            expected: json!(true),
            observed: json!(false),
            ok,
            error: None,
            not_applicable: None,
        }],
        message: "m".into(),
        waiver: None,
    }
}

fn waiver(line: usize, requirement: &str, resources: &[&str], expires: &str) -> Waiver {
    Waiver {
        source: format!("w.toml:{line}"),
        requirement: requirement.into(),
        resources: resources.iter().map(|r| r.to_string()).collect(),
        accounts: vec![],
        reason: format!("reason {line}"),
        expires: day(expires),
        owner: None,
        ticket: None,
    }
}

fn statuses(findings: &[Finding]) -> Vec<(&str, Option<&str>, Status)> {
    findings.iter().map(|f| (f.requirement.as_str(), f.resource.as_deref(), f.status)).collect()
}

const ACCT: Option<&str> = Some("111122223333");

#[test]
fn waiver_dates_parse_strictly() {
    assert_eq!(Date::parse("2028-02-29"), Some(Date { year: 2028, month: 2, day: 29 }));
    for bad in
        ["2027-02-29", "2026-13-01", "2026-04-31", "2026-1-01", "26-01-01", "2026-01-00", "2026/01/01", "+026-01-01"]
    {
        assert_eq!(Date::parse(bad), None, "{bad}");
    }
    assert_eq!(day("2026-03-04").to_string(), "2026-03-04");
    assert!(day("2026-12-31") < day("2027-01-01"));
}

#[test]
fn waiver_matches_requirement_by_id_glob_and_profile_and_resources_by_arn_or_name() {
    let f = finding("s3-versioning", Status::Drift, Some("arn:aws:s3:::legacy-logs"));
    assert!(waiver(1, "s3-versioning", &["legacy-logs"], "2030-01-01").covers(&f));
    assert!(waiver(1, "s3-*", &["legacy-*"], "2030-01-01").covers(&f));
    assert!(waiver(1, "prod/s3-versioning", &["arn:aws:s3:::legacy-*"], "2030-01-01").covers(&f));
    assert!(!waiver(1, "other/s3-versioning", &["legacy-logs"], "2030-01-01").covers(&f));
    assert!(!waiver(1, "s3-encryption", &["legacy-logs"], "2030-01-01").covers(&f));
    assert!(!waiver(1, "s3-versioning", &["legacy"], "2030-01-01").covers(&f));
    assert!(!waiver(1, "s3-versioning", &["arn:aws:s3:::other"], "2030-01-01").covers(&f));
    // a role ARN's name is after its path
    let role = finding("roles", Status::Drift, Some("arn:aws:iam::111122223333:role/ops/deployer"));
    assert!(waiver(1, "roles", &["deployer"], "2030-01-01").covers(&role));
    // a finding that names no resource is covered only by `*`
    let count = finding("s3-versioning", Status::Drift, None);
    assert!(!waiver(1, "s3-versioning", &["legacy-*"], "2030-01-01").covers(&count));
    assert!(waiver(1, "s3-versioning", &["*"], "2030-01-01").covers(&count));
}

#[test]
fn waiver_active_waives_drift_and_says_why() {
    let mut findings = vec![
        finding("s3-versioning", Status::Drift, Some("arn:aws:s3:::legacy-logs")),
        finding("s3-versioning", Status::Drift, Some("arn:aws:s3:::prod-data")),
    ];
    let mut w = waiver(3, "s3-versioning", &["legacy-*"], "2026-12-01");
    w.owner = Some("web".into());
    w.ticket = Some("OPS-1".into());
    // the expiry day itself still waives
    let stale = apply(&mut findings, &[w], ACCT, day("2026-12-01"));
    assert_eq!(stale, vec![]);
    assert_eq!(
        statuses(&findings),
        vec![
            ("s3-versioning", Some("arn:aws:s3:::legacy-logs"), Status::Waived),
            ("s3-versioning", Some("arn:aws:s3:::prod-data"), Status::Drift),
        ]
    );
    assert_eq!(findings[0].message, "m [waived by w.toml:3 until 2026-12-01: reason 3 (owner web, ticket OPS-1)]");
    assert_eq!(
        serde_json::to_value(&findings[0].waiver).unwrap(),
        json!({"source": "w.toml:3", "reason": "reason 3", "expires": "2026-12-01", "expired": false,
               "owner": "web", "ticket": "OPS-1"})
    );
    assert_eq!((findings[1].message.as_str(), &findings[1].waiver), ("m", &None));
    let s = crate::compare::Summary::of(&findings);
    assert_eq!((s.pass, s.drift, s.waived), (0, 1, 1));
}

#[test]
fn waiver_expired_leaves_drift_naming_the_waiver() {
    let mut findings = vec![finding("s3-versioning", Status::Drift, Some("arn:aws:s3:::legacy-logs"))];
    let waivers = [waiver(1, "s3-*", &["legacy-logs"], "2026-10-31"), waiver(8, "s3-versioning", &["*"], "2026-11-29")];
    let stale = apply(&mut findings, &waivers, ACCT, day("2026-11-30"));
    assert_eq!(stale, vec![]);
    assert_eq!(findings[0].status, Status::Drift);
    // the one that expired last is named
    assert_eq!(findings[0].message, "m [waiver w.toml:8 expired 2026-11-29]");
    assert_eq!(findings[0].waiver.as_ref().map(|w| (w.source.as_str(), w.expired)), Some(("w.toml:8", true)));
    // an active waiver wins over an expired one
    let mut again = vec![finding("s3-versioning", Status::Drift, Some("arn:aws:s3:::legacy-logs"))];
    let both = [waivers[0].clone(), waiver(9, "s3-versioning", &["legacy-logs"], "2027-01-01")];
    apply(&mut again, &both, ACCT, day("2026-11-30"));
    assert_eq!(
        (again[0].status, again[0].waiver.as_ref().map(|w| w.source.as_str())),
        (Status::Waived, Some("w.toml:9"))
    );
}

#[test]
fn waiver_never_changes_unknown_pass_or_not_applicable() {
    let mut findings = vec![
        finding("a", Status::Unknown, Some("arn:aws:s3:::x")),
        finding("b", Status::Pass, Some("arn:aws:s3:::x")),
        finding("c", Status::NotApplicable, None),
    ];
    let before = findings.clone();
    let waivers = [
        waiver(1, "a", &["*"], "2030-01-01"),
        waiver(2, "b", &["*"], "2030-01-01"),
        waiver(3, "c", &["*"], "2030-01-01"),
    ];
    let stale = apply(&mut findings, &waivers, ACCT, day("2026-11-30"));
    assert_eq!(findings, before);
    // the unknown may hide a drift, so its waiver is not stale; the others cover no drift
    assert_eq!(stale, vec![waivers[1].clone(), waivers[2].clone()]);
}

#[test]
fn waiver_stale_when_it_covers_no_finding_and_accounts_filter() {
    let mut findings = vec![finding("s3-versioning", Status::Drift, Some("arn:aws:s3:::legacy-logs"))];
    let mut other_acct = waiver(1, "s3-versioning", &["legacy-logs"], "2030-01-01");
    other_acct.accounts = vec!["999999999999".into()];
    let mut this_acct = waiver(2, "s3-versioning", &["gone-bucket"], "2030-01-01");
    this_acct.accounts = vec!["1111*".into()];
    let stale = apply(&mut findings, &[other_acct.clone(), this_acct.clone()], ACCT, day("2026-11-30"));
    // a waiver for another account neither waives nor is stale here
    assert_eq!(findings[0].status, Status::Drift);
    assert_eq!(stale, vec![this_acct.clone()]);
    // with the account unknown, a waiver that names accounts does not apply
    let mut mine = other_acct.clone();
    mine.accounts = vec!["111122223333".into()];
    let stale = apply(&mut findings, &[mine.clone()], None, day("2026-11-30"));
    assert_eq!((findings[0].status, stale), (Status::Drift, vec![]));
    let stale = apply(&mut findings, &[mine], ACCT, day("2026-11-30"));
    assert_eq!((findings[0].status, stale), (Status::Waived, vec![]));
}

#[test]
fn waiver_file_parses_dates_as_toml_dates_or_strings() {
    let text =
        "[[waiver]]\nrequirement = \"s3-*\"\nresources = [\"legacy-*\"]\nreason = \"old\"\nexpires = 2026-12-31\n\n\
                [[waiver]]\nrequirement = \"r\"\nresources = [\"*\"]\naccounts = [\"111122223333\"]\nreason = \"x\"\n\
                expires = \"2027-01-02\"\nowner = \"me\"\nticket = \"T-1\"\n";
    let w = parse("w.toml", text).unwrap();
    assert_eq!(w.len(), 2);
    assert_eq!(w[0], waiver(1, "s3-*", &["legacy-*"], "2026-12-31").with_reason("old"));
    assert_eq!(
        w[1],
        Waiver {
            source: "w.toml:7".into(),
            requirement: "r".into(),
            resources: vec!["*".into()],
            accounts: vec!["111122223333".into()],
            reason: "x".into(),
            expires: day("2027-01-02"),
            owner: Some("me".into()),
            ticket: Some("T-1".into()),
        }
    );
}

impl Waiver {
    fn with_reason(mut self, r: &str) -> Self {
        self.reason = r.into();
        self
    }
}

fn errors(text: &str) -> String {
    parse("w.toml", text).unwrap_err().to_string()
}

const HEAD: &str = "[[waiver]]\nrequirement = \"r\"\nresources = [\"a\"]\nreason = \"why\"\n";

#[test]
fn waiver_file_errors_are_located() {
    assert_eq!(errors("[[waiver]\n"), "w.toml:1:9: invalid TOML: invalid table header\nexpected `.`, `]]`");
    assert_eq!(errors(""), "w.toml:1:1: the waiver file declares no [[waiver]]");
    assert_eq!(
        errors("waiver = 3\n"),
        "w.toml:1:10: `waiver` must be an array of tables ([[waiver]]), found an integer"
    );
    assert_eq!(
        errors("x = 1\n[[waiver]]\nrequirement = \"r\"\nresources = [\"a\"]\nreason = \"w\"\nexpires = 2026-01-01\n"),
        "w.toml:1:1: unknown top-level key `x`; expected [[waiver]]"
    );
    assert_eq!(
        errors(&format!("{HEAD}expires = \"2026-02-30\"\n")),
        "w.toml:5:11: expires must be a date YYYY-MM-DD, found `2026-02-30`"
    );
    // TOML itself rejects a date literal that is no day
    assert_eq!(
        errors(&format!("{HEAD}expires = 2026-02-30\n")),
        "w.toml:5:19: invalid TOML: invalid date-time\nvalue is out of range"
    );
    assert_eq!(
        errors(&format!("{HEAD}expires = \"soon\"\n")),
        "w.toml:5:11: expires must be a date YYYY-MM-DD, found `soon`"
    );
    assert_eq!(
        errors(&format!("{HEAD}expires = 2026-01-01T10:00:00Z\n")),
        "w.toml:5:11: expires must be a date YYYY-MM-DD, found `2026-01-01T10:00:00Z`"
    );
    assert_eq!(
        errors(&format!("{HEAD}expires = 5\n")),
        "w.toml:5:11: expires must be a date (YYYY-MM-DD), found an integer"
    );
    assert_eq!(
        errors("[[waiver]]\nrequirement = \"r\"\nresources = [\"a\"]\nexpires = 2026-01-01\n"),
        "w.toml:1:1: this [[waiver]] has no `reason`"
    );
    assert_eq!(
        errors("[[waiver]]\nrequirement = \"r\"\nreason = \"\"\n"),
        "w.toml:3:10: reason must not be empty\nw.toml:1:1: this [[waiver]] has no `resources`\nw.toml:1:1: this [[waiver]] has no `expires`"
    );
    assert_eq!(
        errors(&format!("{HEAD}expires = 2026-01-01\nexpire = 1\n")),
        "w.toml:6:1: unknown key `expire` in [[waiver]]; expected requirement, resources, accounts, reason, expires, owner, ticket"
    );
    assert_eq!(
        errors("[[waiver]]\nrequirement = \"r\"\nresources = []\nreason = \"w\"\nexpires = 2026-01-01\n"),
        "w.toml:3:13: resources must name at least one entry"
    );
    assert_eq!(
        errors("[[waiver]]\nrequirement = \"r\"\nresources = [\"a\", 2]\nreason = \"w\"\nexpires = 2026-01-01\n"),
        "w.toml:3:19: each entry of resources must be a string, found an integer"
    );
    assert_eq!(
        errors(&format!("{HEAD}expires = 2026-01-01\naccounts = [\"111122223333\", \"prod\"]\n")),
        "w.toml:6:29: `prod` is not an account id (12 digits, or a glob of digits)"
    );
}

#[test]
fn waiver_file_load_reports_missing_file() {
    let err = load(std::path::Path::new("/nonexistent/w.toml")).unwrap_err().to_string();
    assert!(err.starts_with("/nonexistent/w.toml:1:1: cannot read the waiver file: "), "{err}");
}
