use super::*;
use crate::audit::exit_code;
use crate::cli::{Exit, FailOn};
use crate::profile::Severity;
use crate::report::{self, Format, Report, Style};
use serde_json::json;

fn finding(req: &str, status: Status, resource: Option<&str>, region: &str) -> Finding {
    Finding {
        account: None,
        profile: "web".into(),
        requirement: req.into(),
        kind: "s3.bucket",
        severity: Severity::High,
        status,
        resource: resource.map(str::to_string),
        region: Some(region.into()),
        checks: vec![],
        message: format!("{req} {}", status.as_str()),
        waiver: None,
    }
}

/// A baseline report of account 111122223333 in the driftwatch.report/v1 shape.
fn baseline_text(findings: serde_json::Value) -> String {
    json!({"schema": "driftwatch.report/v1", "account": "111122223333", "findings": findings}).to_string()
}

fn bf(req: &str, status: &str, resource: Option<&str>) -> serde_json::Value {
    json!({"profile": "web", "requirement": req, "status": status, "resource": resource, "region": "us-east-1"})
}

fn report(findings: Vec<Finding>, marks: Option<Marks>) -> Report {
    Report {
        account: Some("111122223333".into()),
        regions: vec!["us-east-1".into()],
        profiles: vec!["web".into()],
        started_at: "2026-11-30T09:00:00Z".into(),
        duration_ms: 5,
        baseline: marks,
        ..Report::of(findings)
    }
}

fn render(r: &Report, format: Format) -> String {
    let mut out = Vec::new();
    report::render(r, format, &Style::plain(), &mut out).expect("render");
    String::from_utf8(out).expect("utf-8")
}

#[test]
fn drift_in_the_baseline_is_known_other_drift_is_new() {
    let b = from_text(
        "base.json",
        &baseline_text(json!([
            bf("versioned", "drift", Some("arn:aws:s3:::a")),
            bf("versioned", "pass", Some("arn:aws:s3:::b")),
            bf("encrypted", "unknown", Some("arn:aws:s3:::a")),
        ])),
    )
    .expect("baseline");
    let findings = vec![
        finding("versioned", Status::Drift, Some("arn:aws:s3:::a"), "us-east-1"),
        finding("versioned", Status::Drift, Some("arn:aws:s3:::b"), "us-east-1"),
        finding("encrypted", Status::Drift, Some("arn:aws:s3:::a"), "us-east-1"),
        finding("encrypted", Status::Unknown, Some("arn:aws:s3:::b"), "us-east-1"),
        finding("versioned", Status::Pass, Some("arn:aws:s3:::c"), "us-east-1"),
    ];
    let m = mark(&b, Some("111122223333"), &findings);
    assert_eq!(
        m,
        Marks {
            file: "base.json".into(),
            marks: vec![Some(Mark::Known), Some(Mark::New), Some(Mark::New), None, None],
            new_drift: 2,
            known_drift: 1,
        }
    );
}

#[test]
fn another_account_or_region_level_key_does_not_match() {
    // the baseline is of account 111122223333; a requirement-level finding is keyed by region
    let b = from_text(
        "base.json",
        &baseline_text(json!([bf("versioned", "drift", Some("arn:aws:s3:::a")), bf("tagged", "drift", None)])),
    )
    .expect("baseline");
    let other =
        mark(&b, Some("999999999999"), &[finding("versioned", Status::Drift, Some("arn:aws:s3:::a"), "us-east-1")]);
    assert_eq!((other.new_drift, other.known_drift), (1, 0));
    let regional = mark(
        &b,
        Some("111122223333"),
        &[finding("tagged", Status::Drift, None, "us-east-1"), finding("tagged", Status::Drift, None, "eu-west-1")],
    );
    assert_eq!(regional.marks, vec![Some(Mark::Known), Some(Mark::New)]);
}

/// A baseline whose one drift is bucket `a`'s versioning.
fn baseline_of_a() -> Baseline {
    from_text("base.json", &baseline_text(json!([bf("versioned", "drift", Some("arn:aws:s3:::a"))]))).expect("baseline")
}

/// Bucket `a` drifting (known to [`baseline_of_a`]), `b` drifting (new), `c` passing.
fn a_b_c() -> Vec<Finding> {
    vec![
        finding("versioned", Status::Drift, Some("arn:aws:s3:::a"), "us-east-1"),
        finding("versioned", Status::Drift, Some("arn:aws:s3:::b"), "us-east-1"),
        finding("versioned", Status::Pass, Some("arn:aws:s3:::c"), "us-east-1"),
    ]
}

/// The `type` of every JUnit `<failure>`, in order.
fn failure_types(junit: &str) -> Vec<&str> {
    junit.split("<failure type=\"").skip(1).map(|t| t.split('"').next().unwrap_or("")).collect()
}

#[test]
fn exit_code_counts_new_drift_only_and_unknown_as_before() {
    let b = baseline_of_a();
    let known = vec![finding("versioned", Status::Drift, Some("arn:aws:s3:::a"), "us-east-1")];
    let r = report(known.clone(), Some(mark(&b, Some("111122223333"), &known)));
    assert_eq!(exit_code(&exit_summary(&r), FailOn::Unknown), Exit::Clean);
    assert_eq!(r.summary.drift, 1, "the known drift is still reported as drift");
    // without a baseline the same report exits 1
    assert_eq!(exit_code(&exit_summary(&report(known.clone(), None)), FailOn::Unknown), Exit::Drift);

    let mut with_unknown = known.clone();
    with_unknown.push(finding("encrypted", Status::Unknown, Some("arn:aws:s3:::a"), "us-east-1"));
    let r = report(with_unknown.clone(), Some(mark(&b, Some("111122223333"), &with_unknown)));
    assert_eq!(exit_code(&exit_summary(&r), FailOn::Unknown), Exit::Unknown);
    assert_eq!(exit_code(&exit_summary(&r), FailOn::Drift), Exit::Clean);

    let mut with_new = known.clone();
    with_new.push(finding("versioned", Status::Drift, Some("arn:aws:s3:::b"), "us-east-1"));
    let r = report(with_new.clone(), Some(mark(&b, Some("111122223333"), &with_new)));
    assert_eq!(exit_code(&exit_summary(&r), FailOn::Unknown), Exit::Drift);
}

#[test]
fn waived_drift_in_the_baseline_does_not_make_drift_known() {
    let b = from_text("base.json", &baseline_text(json!([bf("versioned", "waived", Some("arn:aws:s3:::a"))])))
        .expect("baseline");
    let f = vec![
        finding("versioned", Status::Drift, Some("arn:aws:s3:::a"), "us-east-1"),
        finding("versioned", Status::Waived, Some("arn:aws:s3:::b"), "us-east-1"),
    ];
    let m = mark(&b, Some("111122223333"), &f);
    assert_eq!(m.marks, vec![Some(Mark::New), None]);
}

#[test]
fn json_table_and_markdown_show_the_marks() {
    let b = baseline_of_a();
    let f = a_b_c();
    let r = report(f.clone(), Some(mark(&b, Some("111122223333"), &f)));
    let doc: serde_json::Value = serde_json::from_str(&render(&r, Format::Json)).expect("json");
    let marks: Vec<_> = doc["findings"].as_array().expect("findings").iter().map(|f| f.get("baseline")).collect();
    assert_eq!(marks, vec![Some(&json!("known")), Some(&json!("new")), None]);
    assert_eq!(
        doc["summary"],
        json!({"pass": 1, "drift": 2, "unknown": 0, "not_applicable": 0, "waived": 0, "new_drift": 1, "known_drift": 1})
    );
    assert_eq!(doc["baseline"], json!("base.json"));

    // no baseline: the JSON document is unchanged
    let plain: serde_json::Value = serde_json::from_str(&render(&report(f, None), Format::Json)).expect("json");
    assert_eq!(plain["summary"], json!({"pass": 1, "drift": 2, "unknown": 0, "not_applicable": 0, "waived": 0}));
    assert_eq!(plain.get("baseline"), None);
    assert_eq!(plain["findings"][0].get("baseline"), None);

    let table = render(&r, Format::Table);
    let lines: Vec<&str> = table.lines().filter(|l| l.starts_with("    ")).collect();
    assert_eq!(
        lines,
        vec!["    DRIFT known  a  versioned drift", "    DRIFT new    b  versioned drift", "    PASS         c"],
        "{table}"
    );
    assert!(table.contains("\nagainst baseline base.json: 1 new drift, 1 known drift\n"), "{table}");

    let md = render(&r, Format::Markdown);
    assert!(md.contains("\n| drift (known) | high | web/versioned | arn:aws:s3:::a | us-east-1 |"), "{md}");
    assert!(md.contains("\n| drift (new) | high | web/versioned | arn:aws:s3:::b | us-east-1 |"), "{md}");
    assert!(md.contains("Against baseline `base.json`: 1 new drift, 1 known drift\n"), "{md}");
}

#[test]
fn a_bad_baseline_is_refused_with_its_position() {
    let err = from_text(
        "base.json",
        "{\n  \"schema\": \"driftwatch.report/v1\",\n  \"findings\": [\n    {\"profile\": 3}\n  ]\n}",
    )
    .expect_err("bad");
    assert!(err.0.starts_with("base.json:4:17: "), "{err}");
    let err = from_text("base.json", "[]").expect_err("array");
    assert_eq!(err.0, "base.json:1:1: expected a JSON object (a report), found `[`");
    let err = from_text("base.json", "{\"schema\": \"driftwatch.diff/v1\", \"findings\": []}").expect_err("schema");
    assert!(err.0.starts_with("base.json:1:"), "{err}");
    let err = load(Path::new("/nonexistent/base.json")).expect_err("missing");
    assert!(err.0.starts_with("/nonexistent/base.json: cannot read the report: "), "{err}");
}

#[test]
fn cli_audit_with_a_bad_baseline_exits_2_before_calling_aws() {
    let dir = tempfile::tempdir().expect("tempdir");
    let profile = dir.path().join("p.toml");
    std::fs::write(
        &profile,
        "[profile]\nname = \"web\"\nregions = [\"us-east-1\"]\n\n[[requirement]]\nid = \"versioned\"\nkind = \"s3.bucket\"\n\n[requirement.expect]\nversioning = true\n",
    )
    .expect("write");
    let base = dir.path().join("base.json");
    std::fs::write(&base, "{\n  \"schema\": 1\n}").expect("write");
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = crate::cli::run(
        [
            "driftwatch",
            "audit",
            "--profile",
            &profile.display().to_string(),
            "--baseline",
            &base.display().to_string(),
            "--endpoint-url",
            "http://127.0.0.1:9",
        ],
        &mut out,
        &mut err,
    );
    let err = String::from_utf8_lossy(&err);
    assert_eq!((code, out.len()), (Exit::Invalid, 0), "{err}");
    assert!(err.starts_with(&format!("driftwatch: --baseline: {}:2:13: ", base.display())), "{err}");
}

#[test]
fn cli_evaluate_takes_a_baseline_and_refuses_a_bad_one() {
    // an empty saved inventory: the bucket requirement is unknown ("not in the saved inventory")
    let dir = tempfile::tempdir().expect("tempdir");
    let inv = dir.path().join("inv.json");
    let saved = crate::saved::SavedInventory::new(
        crate::inventory::Inventory::default(),
        &crate::collect::Plan::for_requirements(&[]),
        vec![],
        Some("us-east-1".into()),
        String::new(),
    );
    crate::saved::save(&inv, &saved).expect("save");
    let profile = dir.path().join("p.toml");
    std::fs::write(
        &profile,
        "[profile]\nname = \"web\"\n\n[[requirement]]\nid = \"versioned\"\nkind = \"s3.bucket\"\n\n[requirement.expect]\nversioning = true\n",
    )
    .expect("write");
    let base = dir.path().join("base.json");
    std::fs::write(&base, baseline_text(json!([bf("versioned", "drift", Some("arn:aws:s3:::a"))]))).expect("write");
    let run = |baseline: &Path| {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let args = [
            "driftwatch".to_string(),
            "evaluate".into(),
            "--inventory".into(),
            inv.display().to_string(),
            "-p".into(),
            profile.display().to_string(),
            "--format".into(),
            "json".into(),
            "--baseline".into(),
            baseline.display().to_string(),
        ];
        let code = crate::cli::run(args, &mut out, &mut err);
        (code, String::from_utf8_lossy(&out).into_owned(), String::from_utf8_lossy(&err).into_owned())
    };
    let (code, out, err) = run(&base);
    assert_eq!((code, err.as_str()), (Exit::Unknown, ""));
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(
        doc["summary"],
        json!({"pass": 0, "drift": 0, "unknown": 1, "not_applicable": 0, "waived": 0, "new_drift": 0, "known_drift": 0})
    );
    assert_eq!(doc["findings"][0].get("baseline"), None, "an unknown finding is not marked");

    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"schema\": \"driftwatch.report/v1\", \"findings\": [}").expect("write");
    let (code, out, err) = run(&bad);
    assert_eq!((code, out.as_str()), (Exit::Invalid, ""));
    assert_eq!(err, format!("driftwatch: --baseline: {}:1:49: expected value\n", bad.display()));
}

#[test]
fn junit_and_sarif_carry_the_marks() {
    let b = baseline_of_a();
    let f = a_b_c();
    let r = report(f.clone(), Some(mark(&b, Some("111122223333"), &f)));
    let junit = render(&r, Format::Junit);
    let types = failure_types(&junit);
    assert_eq!(types, ["known drift", "new drift"]);
    let plain = render(&report(f.clone(), None), Format::Junit);
    let types = failure_types(&plain);
    assert_eq!(types, ["drift", "drift"]);

    let sarif: serde_json::Value = serde_json::from_str(&render(&r, Format::Sarif)).expect("sarif");
    let marks: Vec<_> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            (
                r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].clone(),
                r["properties"]["baseline"].clone(),
            )
        })
        .collect();
    assert_eq!(marks, [(json!("arn:aws:s3:::a"), json!("known")), (json!("arn:aws:s3:::b"), json!("new"))]);
}
