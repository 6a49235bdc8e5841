//! The table: exact output at 100 columns, every line within the width at any
//! width, short names, fleet grouping, and the seed systems' pinned reports
//! rendered within 100 columns.

use super::super::table_cells::{display_names, short_name};
use super::*;
use crate::compare::Check;
use crate::report::tests::fixture;
use crate::report::{AccountResult, Coverage, Fleet};
use serde_json::{json, Value};
use unicode_width::UnicodeWidthStr;

fn render_at(report: &Report, width: Option<usize>) -> String {
    let mut out = Vec::new();
    render(report, &Style { color: false, width }, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// Every line of `text` that is wider than `width` columns, with its number.
fn too_wide(text: &str, width: usize) -> Vec<String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| UnicodeWidthStr::width(*l) > width)
        .map(|(i, l)| format!("{:>3} ({} cols): {l}", i + 1, UnicodeWidthStr::width(l)))
        .collect()
}

#[test]
fn table_fixture_at_100_columns_is_exact() {
    let got = render_at(&fixture(), Some(100));
    let want = "\
prod-webapp
  s3-private-kms · high · s3.bucket · us-east-1
    DRIFT    prod-logs    encryption: expected aws:kms, observed AES256
    UNKNOWN  prod-<x>&    encryption: not observed (s3:GetBucketEncryption in us-east-1 failed with
                          AccessDenied)
    PASS     prod-data
  tagged · high · s3.bucket
    N/A      -            no resource matches tag:Team=web|api
  versioned · high · s3.bucket · us-east-1
    WAIVED   prod-legacy  versioning: expected true, observed Suspended; waived by waivers.toml:1
                          until 2026-12-31: legacy <bucket> & its readers (owner web-team, ticket
                          OPS-42)
  prod-webapp: 1 pass, 1 drift, 1 waived, 1 unknown, 1 not applicable

1 pass, 1 drift, 1 waived, 1 unknown, 1 not applicable
— account 123456789012, regions us-east-1, us-west-2, 812 ms
coverage: 3 read, 1 unknown
  prod-webapp/s3-private-kms: 2 read, 1 unknown
  prod-webapp/tagged: 0 read, 0 unknown
  prod-webapp/versioned: 1 read, 0 unknown

1 stale waiver(s), covering no drift:
  waivers.toml:9 (requirement s3-*, resources old-*, expires 2027-01-15)

1 call(s) failed:
  s3:GetBucketEncryption in us-east-1 (prod-<x>&): AccessDenied Access Denied
";
    assert_eq!(got, want, "got:\n{got}");
    assert_eq!(too_wide(&got, 100), Vec::<String>::new());
}

#[test]
fn table_unbounded_keeps_one_line_per_resource() {
    let got = render_at(&fixture(), None);
    let lines: Vec<&str> = got.lines().filter(|l| l.starts_with("    ")).collect();
    assert_eq!(
        lines,
        [
            "    DRIFT    prod-logs    encryption: expected aws:kms, observed AES256",
            "    UNKNOWN  prod-<x>&    encryption: not observed (s3:GetBucketEncryption in us-east-1 failed with AccessDenied)",
            "    PASS     prod-data",
            "    N/A      -            no resource matches tag:Team=web|api",
            "    WAIVED   prod-legacy  versioning: expected true, observed Suspended; waived by waivers.toml:1 until 2026-12-31: legacy <bucket> & its readers (owner web-team, ticket OPS-42)",
        ]
    );
}

#[test]
fn table_fits_every_width_from_40_to_120() {
    let mut report = fixture();
    // a long name, a long unbreakable value, a wide character
    report.findings[1].resource = Some(format!("arn:aws:s3:::{}", "very-long-bucket-name-".repeat(3)));
    report.findings[0].checks[0].observed =
        json!({"account": null, "bucket": {"BlockPublicAcls": false, "RestrictPublicBuckets": false}});
    report.findings[3].message = "no resource matches tag:Team=ウェブ".into();
    for width in [40, 50, 60, 80, 100, 120] {
        let got = render_at(&report, Some(width));
        assert_eq!(too_wide(&got, width), Vec::<String>::new(), "at {width}:\n{got}");
    }
}

#[test]
fn table_colour_paints_only_the_status_and_counts() {
    let mut out = Vec::new();
    render(&fixture(), &Style { color: true, width: Some(100) }, &mut out).unwrap();
    let got = String::from_utf8(out).unwrap();
    let line = got.lines().find(|l| l.contains("prod-logs")).unwrap();
    assert_eq!(line, "    \x1b[31;1mDRIFT  \x1b[0m  prod-logs    encryption: expected aws:kms, observed AES256");
    let plain = render_at(&fixture(), Some(100));
    let stripped = got.replace("\x1b[31;1m", "").replace("\x1b[33m", "").replace("\x1b[32m", "");
    let stripped = stripped.replace("\x1b[2m", "").replace("\x1b[36m", "").replace("\x1b[0m", "");
    assert_eq!(stripped, plain);
}

#[test]
fn short_name_takes_the_arn_resource_tail() {
    let cases = [
        ("arn:aws:s3:::prod-logs", "prod-logs"),
        ("arn:aws:iam::123456789012:role/service/app/Admin", "Admin"),
        ("arn:aws:ec2:us-east-1:123456789012:security-group/sg-0a1b", "sg-0a1b"),
        ("arn:aws:lambda:us-east-1:123456789012:function:processor", "processor"),
        ("arn:aws:sns:us-east-1:123456789012:alerts", "alerts"),
        ("arn:aws:secretsmanager:us-east-1:1:secret:db-creds-AbCd", "db-creds-AbCd"),
        ("arn:aws:autoscaling:us-east-1:1:autoScalingGroup:u-u-i-d:autoScalingGroupName/web", "web"),
        ("arn:aws:logs:us-east-1:1:log-group:flow", "flow"),
        ("Z123/www.example.com/A", "Z123/www.example.com/A"),
        ("us-east-1:vpc-a <-> us-west-2:vpc-b", "us-east-1:vpc-a <-> us-west-2:vpc-b"),
        ("arn:aws:s3:::", "arn:aws:s3:::"),
        ("arn:aws:iam::1:role/", "role/"),
    ];
    for (id, want) in cases {
        assert_eq!(short_name(id), want, "{id}");
    }
}

fn sg(id: &str, region: &str, name: &str) -> Finding {
    Finding {
        resource: Some(format!("arn:aws:ec2:{region}:123456789012:{id}")),
        region: Some(region.into()),
        message: format!("{name}: world_open_ports is [22], expected []"),
        kind: "ec2.security_group",
        ..fixture().findings[0].clone()
    }
}

#[test]
fn display_names_add_the_name_and_stay_unambiguous() {
    let a = sg("security-group/sg-1", "us-east-1", "web");
    let b = sg("security-group/sg-2", "us-east-1", "sg-2");
    // same tail, different resources, same region: the resource parts tell them apart
    let c = sg("listener/app/alb-a/1/abc", "us-east-1", "abc");
    let d = sg("listener/app/alb-b/2/abc", "us-east-1", "abc");
    // the same name in two regions is told apart by the region column
    let e = sg("security-group/sg-3", "us-east-1", "db");
    let f = sg("security-group/sg-3", "us-west-2", "db");
    assert_eq!(
        display_names(&[&a, &b, &c, &d, &e, &f]),
        ["sg-1 (web)", "sg-2", "listener/app/alb-a/1/abc", "listener/app/alb-b/2/abc", "sg-3 (db)", "sg-3 (db)"]
    );
}

#[test]
fn table_regions_become_a_column_when_a_requirement_spans_several() {
    let mut report = fixture();
    report.findings =
        vec![sg("security-group/sg-1", "us-east-1", "web"), sg("security-group/sg-9", "ap-south-1", "web")];
    report.summary = Summary::of(&report.findings);
    report.coverage = Coverage::of(&report.findings);
    let got = render_at(&report, Some(100));
    let lines: Vec<&str> = got.lines().take(4).collect();
    assert_eq!(
        lines,
        [
            "prod-webapp",
            "  s3-private-kms · high · ec2.security_group",
            "    DRIFT  sg-1 (web)  us-east-1   encryption: expected aws:kms, observed AES256",
            "    DRIFT  sg-9 (web)  ap-south-1  encryption: expected aws:kms, observed AES256",
        ]
    );
}

#[test]
fn table_groups_a_fleet_by_account_with_a_summary_each() {
    let mut report = fixture();
    let mut findings = vec![report.findings[0].clone(), report.findings[1].clone(), report.findings[0].clone()];
    findings[0].account = Some("111111111111".into());
    findings[1].account = Some("111111111111".into());
    findings[2].account = Some("222222222222".into());
    let summary = |f: &[Finding]| Summary::of(f);
    report.fleet = Some(Fleet {
        accounts: vec![
            AccountResult {
                id: "111111111111".into(),
                name: Some("prod".into()),
                summary: summary(&findings[..2]),
                error: None,
            },
            AccountResult { id: "222222222222".into(), name: None, summary: summary(&findings[2..]), error: None },
            AccountResult {
                id: "333333333333".into(),
                name: None,
                summary: Summary::default(),
                error: Some("sts:AssumeRole denied".into()),
            },
        ],
        shard: None,
    });
    report.summary = Summary::of(&findings);
    report.coverage = Coverage::of(&findings);
    report.findings = findings;
    report.stale_waivers = None;
    report.errors.clear();
    let got = render_at(&report, Some(100));
    let want = "\
account 111111111111 (prod)
prod-webapp
  s3-private-kms · high · s3.bucket · us-east-1
    DRIFT  prod-logs  encryption: expected aws:kms, observed AES256
    PASS   prod-data
  prod-webapp: 1 pass, 1 drift, 0 waived, 0 unknown, 0 not applicable
account 111111111111: 1 pass, 1 drift, 0 waived, 0 unknown, 0 not applicable

account 222222222222
prod-webapp
  s3-private-kms · high · s3.bucket · us-east-1
    DRIFT  prod-logs  encryption: expected aws:kms, observed AES256
  prod-webapp: 0 pass, 1 drift, 0 waived, 0 unknown, 0 not applicable
account 222222222222: 0 pass, 1 drift, 0 waived, 0 unknown, 0 not applicable

account 333333333333: no finding (sts:AssumeRole denied)

1 pass, 2 drift, 0 waived, 0 unknown, 0 not applicable
— 3 account(s) (1 unreadable), regions us-east-1, us-west-2, 812 ms
coverage: 3 read, 0 unknown
  prod-webapp/s3-private-kms: 3 read, 0 unknown
";
    assert_eq!(got, want, "got:\n{got}");
}

/// The profile file each seed system's pinned reports were audited with.
const SEED_PROFILES: &[(&str, &str)] = &[
    ("seed_000_static_site", "static-site-cdn"),
    ("seed_001_multi_region_enterprise", "multi-region-enterprise"),
    ("seed_002_prod_webapp", "prod-webapp"),
    ("seed_003_webapp_cdk", "webapp-cdk"),
    ("seed_004_secure_serverless", "secure-serverless"),
];

/// A report rebuilt from a pinned seed snapshot (requirement, resource, region,
/// status and the checks that did not pass) and its profile (kind, severity,
/// expected values); messages are written as the comparator writes them.
fn seed_report(snapshot: &Value, profile: &crate::profile::Profile) -> Report {
    let findings: Vec<Finding> = snapshot["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let id = f["requirement"].as_str().expect("requirement");
            let req = profile.requirements.iter().find(|r| r.id == id).unwrap_or_else(|| panic!("{id} not in profile"));
            let status = [Status::Pass, Status::Drift, Status::Unknown, Status::NotApplicable, Status::Waived]
                .into_iter()
                .find(|s| f["status"] == s.as_str())
                .unwrap_or_else(|| panic!("status {}", f["status"]));
            let checks: Vec<Check> = f["not_passed"]
                .as_array()
                .expect("not_passed")
                .iter()
                .map(|c| {
                    let field = c["field"].as_str().expect("field").to_string();
                    let expected = match (field.as_str(), req.expect.get(&field)) {
                        ("count", _) => json!(format!(">= {}", req.min_count.unwrap_or(1))),
                        (_, Some(v)) => v.to_json(),
                        (_, None) => Value::Null,
                    };
                    let error = c["error"].as_str().map(str::to_string);
                    let (ok, not_applicable, error) = match c["ok"].as_bool() {
                        Some(ok) => (Some(ok), None, None),
                        None if status == Status::NotApplicable => (None, error, None),
                        None => (None, None, error),
                    };
                    Check { field: field.into(), expected, observed: c["observed"].clone(), ok, error, not_applicable }
                })
                .collect();
            let resource = f["resource"].as_str().map(str::to_string);
            let selector = crate::profile::describe_selector(&req.select);
            let message = match (&resource, checks.first()) {
                (Some(r), _) => crate::compare::message(short_name(r), &checks, status),
                (None, Some(c)) if c.field == "count" => {
                    format!(
                        "{} resource(s) match {selector}, at least {} required",
                        c.observed,
                        req.min_count.unwrap_or(1)
                    )
                }
                (None, Some(c)) if status == Status::Unknown => {
                    format!("could not list the resources: {}", c.error.as_deref().unwrap_or(""))
                }
                (None, Some(_)) => format!(
                    "no matching resource satisfies every expectation; closest: {}",
                    crate::compare::message("one", &checks, status)
                ),
                (None, None) => format!("no resource matches {selector}"),
            };
            let region = f["region"].as_str().map(str::to_string);
            Finding::new(req, status, resource, region, checks, message)
        })
        .collect();
    Report {
        schema: crate::report::SCHEMA,
        tool: crate::report::Tool { name: "driftwatch", version: "0.1.0" },
        account: Some("000000000000".into()),
        regions: profile.regions.clone(),
        profiles: vec![profile.name.clone()],
        started_at: "2026-11-30T10:00:00Z".into(),
        duration_ms: 1234,
        errors: Vec::new(),
        ..Report::of(findings)
    }
}

#[test]
fn table_of_every_seed_audit_fits_100_columns() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut rendered = 0;
    for (seed, profile_name) in SEED_PROFILES {
        let profile = crate::profile::load(std::path::Path::new(&format!("{root}/profiles/{profile_name}.toml")))
            .unwrap_or_else(|d| panic!("{d}"));
        for run in ["ideal_is_clean", "generated_reports_exactly_the_seed_failures"] {
            let path = format!("{root}/tests/integration/snapshots/{seed}_{run}.json");
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            let snapshot: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
            let report = seed_report(&snapshot, &profile);
            assert_eq!(
                serde_json::to_value(&report.summary).unwrap(),
                snapshot["summary"],
                "{path}: the rebuilt report counts differently"
            );
            let got = render_at(&report, Some(100));
            assert_eq!(too_wide(&got, 100), Vec::<String>::new(), "{path}:\n{got}");
            // one line at least per finding: nothing was dropped
            let statuses = got.lines().filter(|l| l.starts_with("    ") && !l.starts_with("     ")).count();
            assert_eq!(statuses, report.findings.len(), "{path}:\n{got}");
            rendered += 1;
        }
    }
    assert_eq!(rendered, 10);
}
