//! Diffs over hand-written report pairs: every category, each output format whole,
//! the exit codes, and files that are not driftwatch reports.

use super::*;
use serde_json::json;

fn check(field: &str, expected: Value, observed: Value, ok: bool) -> Value {
    json!({"field": field, "expected": expected, "observed": observed, "ok": ok})
}

fn finding(req: &str, resource: Option<&str>, status: &str, checks: Vec<Value>) -> Value {
    json!({
        "profile": "prod",
        "requirement": req,
        "kind": "s3.bucket",
        "severity": "high",
        "status": status,
        "resource": resource.map(|r| format!("arn:aws:s3:::{r}")),
        "region": "us-east-1",
        "checks": checks,
        "message": format!("{req} {status}"),
        "added_in_a_later_version": {"x": 1}
    })
}

fn report(findings: Vec<Value>) -> String {
    json!({
        "schema": "driftwatch.report/v1",
        "tool": {"name": "driftwatch", "version": "0.1.0"},
        "account": "111122223333",
        "regions": ["us-east-1"],
        "profiles": ["prod"],
        "started_at": "2026-11-29T10:00:00Z",
        "duration_ms": 5,
        "summary": {"pass": 0, "drift": 0, "unknown": 0, "not_applicable": 0},
        "findings": findings,
        "errors": [],
        "some_new_top_level_field": true
    })
    .to_string()
}

fn versioning(on: bool) -> Vec<Value> {
    vec![check("versioning", json!(true), json!(on), on)]
}

fn tags(team: &str) -> Vec<Value> {
    vec![
        check("required_tags", json!({"team": "core"}), json!({"team": team}), false),
        check("versioning", json!(true), json!(true), true),
    ]
}

/// One pair holding every category once, plus a drift and a pass that did not change.
fn pair() -> (String, String) {
    let before = report(vec![
        finding("private", Some("hidden"), "pass", vec![]),
        finding("private", Some("seen"), "unknown", vec![]),
        finding("tagged", Some("same"), "drift", tags("a")),
        finding("tagged", Some("tags"), "drift", tags("a")),
        finding("trail", None, "drift", vec![check("logging", json!(true), json!(false), false)]),
        finding("versioned", Some("broken"), "pass", versioning(true)),
        finding("versioned", Some("deleted"), "drift", versioning(false)),
        finding("versioned", Some("fixed"), "drift", versioning(false)),
        finding("versioned", Some("steady"), "pass", versioning(true)),
    ]);
    let after = report(vec![
        finding("private", Some("hidden"), "unknown", vec![]),
        finding("private", Some("seen"), "pass", vec![]),
        finding("tagged", Some("same"), "drift", tags("a")),
        finding("tagged", Some("tags"), "drift", tags("b")),
        finding("trail", None, "unknown", vec![]),
        finding("versioned", Some("broken"), "drift", versioning(false)),
        finding("versioned", Some("created"), "drift", versioning(false)),
        finding("versioned", Some("fixed"), "pass", versioning(true)),
        finding("versioned", Some("steady"), "pass", versioning(true)),
    ]);
    (before, after)
}

fn entry(req: &str, resource: Option<&str>, before: &str, after: &str, fields: Value, message: &str) -> Value {
    json!({
        "account": "111122223333",
        "profile": "prod",
        "requirement": req,
        "resource": resource.map(|r| format!("arn:aws:s3:::{r}")),
        "region": "us-east-1",
        "kind": "s3.bucket",
        "severity": "high",
        "before": before,
        "after": after,
        "fields": fields,
        "message": message
    })
}

fn field(name: &str, expected: Value, before: Value, after: Value) -> Value {
    json!({"field": name, "expected": expected, "before": before, "after": after})
}

#[test]
fn every_category_in_json() {
    let (b, a) = pair();
    let d = diff_texts("before.json", &b, "after.json", &a).expect("both are reports");
    let got = serde_json::to_value(&d).expect("serialises");
    let vfield = |before: Value, after: Value| json!([field("versioning", json!(true), before, after)]);
    let want = json!({
        "schema": "driftwatch.diff/v1",
        "before": {"file": "before.json", "account": "111122223333", "started_at": "2026-11-29T10:00:00Z"},
        "after": {"file": "after.json", "account": "111122223333", "started_at": "2026-11-29T10:00:00Z"},
        "summary": {"new_drift": 2, "resolved_drift": 3, "changed_drift": 1, "newly_unknown": 2, "no_longer_unknown": 1},
        "new_drift": [
            entry("versioned", Some("broken"), "pass", "drift", vfield(json!(true), json!(false)), "versioned drift"),
            entry("versioned", Some("created"), "absent", "drift", vfield(json!(null), json!(false)), "versioned drift"),
        ],
        "resolved_drift": [
            entry("trail", None, "drift", "unknown",
                json!([field("logging", json!(true), json!(false), json!(null))]), "trail unknown"),
            entry("versioned", Some("deleted"), "drift", "gone", vfield(json!(false), json!(null)), "versioned drift"),
            entry("versioned", Some("fixed"), "drift", "pass", vfield(json!(false), json!(true)), "versioned pass"),
        ],
        "changed_drift": [
            entry("tagged", Some("tags"), "drift", "drift",
                json!([field("required_tags", json!({"team": "core"}), json!({"team": "a"}), json!({"team": "b"}))]),
                "tagged drift"),
        ],
        "newly_unknown": [
            entry("private", Some("hidden"), "pass", "unknown", json!([]), "private unknown"),
            entry("trail", None, "drift", "unknown", json!([]), "trail unknown"),
        ],
        "no_longer_unknown": [
            entry("private", Some("seen"), "unknown", "pass", json!([]), "private pass"),
        ],
    });
    assert_eq!(got, want);
}

fn rendered(format: DiffFormat) -> String {
    let (b, a) = pair();
    let d = diff_texts("before.json", &b, "after.json", &a).expect("both are reports");
    let mut out = Vec::new();
    render(&d, format, &mut out).expect("renders");
    String::from_utf8(out).expect("utf-8")
}

#[test]
fn every_category_in_the_table() {
    let want = "\
driftwatch diff: before.json -> after.json
new drift 2 · resolved drift 3 · changed drift 1 · newly unknown 2 · no longer unknown 1

New drift (2)
  prod/versioned  pass -> drift
    arn:aws:s3:::broken
    versioning: true -> false (expected true)
  prod/versioned  absent -> drift
    arn:aws:s3:::created
    versioning: null -> false (expected true)

Resolved drift (3)
  prod/trail  drift -> unknown
    (requirement) us-east-1
    logging: false -> null (expected true)
  prod/versioned  drift -> gone
    arn:aws:s3:::deleted
    versioning: false -> null (expected true)
  prod/versioned  drift -> pass
    arn:aws:s3:::fixed
    versioning: false -> true (expected true)

Drift with changed values (1)
  prod/tagged  drift -> drift
    arn:aws:s3:::tags
    required_tags: {\"team\":\"a\"} -> {\"team\":\"b\"} (expected {\"team\":\"core\"})

Newly unknown (2)
  prod/private  pass -> unknown
    arn:aws:s3:::hidden
    private unknown
  prod/trail  drift -> unknown
    (requirement) us-east-1
    trail unknown

No longer unknown (1)
  prod/private  unknown -> pass
    arn:aws:s3:::seen
    private pass
";
    let got = rendered(DiffFormat::Table);
    assert_eq!(got, want);
    assert!(got.lines().all(|l| l.chars().count() <= 100), "{got}");
}

#[test]
fn every_category_in_markdown() {
    let want = "\
## driftwatch diff

`before.json` → `after.json`

| new drift | resolved drift | changed drift | newly unknown | no longer unknown |
|---:|---:|---:|---:|---:|
| 2 | 3 | 1 | 2 | 1 |

### New drift (2)

| requirement | resource | region | before | after | detail |
|---|---|---|---|---|---|
| `prod/versioned` | `arn:aws:s3:::broken` | us-east-1 | pass | drift | versioning: `true` → `false` |
| `prod/versioned` | `arn:aws:s3:::created` | us-east-1 | absent | drift | versioning: `null` → `false` |

### Resolved drift (3)

| requirement | resource | region | before | after | detail |
|---|---|---|---|---|---|
| `prod/trail` | - | us-east-1 | drift | unknown | logging: `false` → `null` |
| `prod/versioned` | `arn:aws:s3:::deleted` | us-east-1 | drift | gone | versioning: `false` → `null` |
| `prod/versioned` | `arn:aws:s3:::fixed` | us-east-1 | drift | pass | versioning: `false` → `true` |

### Drift with changed values (1)

| requirement | resource | region | before | after | detail |
|---|---|---|---|---|---|
| `prod/tagged` | `arn:aws:s3:::tags` | us-east-1 | drift | drift | required_tags: `{\"team\":\"a\"}` → `{\"team\":\"b\"}` |

### Newly unknown (2)

| requirement | resource | region | before | after | detail |
|---|---|---|---|---|---|
| `prod/private` | `arn:aws:s3:::hidden` | us-east-1 | pass | unknown | private unknown |
| `prod/trail` | - | us-east-1 | drift | unknown | trail unknown |

### No longer unknown (1)

| requirement | resource | region | before | after | detail |
|---|---|---|---|---|---|
| `prod/private` | `arn:aws:s3:::seen` | us-east-1 | unknown | pass | private pass |
";
    assert_eq!(rendered(DiffFormat::Markdown), want);
}

#[test]
fn identical_reports_have_no_change() {
    let (b, _) = pair();
    let d = diff_texts("x.json", &b, "y.json", &b).expect("reports");
    assert_eq!(d.summary, Counts::default());
    let mut out = Vec::new();
    render(&d, DiffFormat::Table, &mut out).expect("renders");
    assert_eq!(
        String::from_utf8(out).expect("utf-8"),
        "driftwatch diff: x.json -> y.json\n\
         new drift 0 · resolved drift 0 · changed drift 0 · newly unknown 0 · no longer unknown 0\n"
    );
}

/// A finding of a fleet report names its own account: the same resource in two
/// accounts is two findings.
#[test]
fn findings_are_keyed_by_their_own_account() {
    let mut f1 = finding("versioned", Some("b"), "drift", versioning(false));
    f1["account"] = json!("222233334444");
    let mut f2 = f1.clone();
    f2["account"] = json!("555566667777");
    let b = report(vec![f1.clone()]);
    let a = report(vec![f1, f2]);
    let d = diff_texts("b", &b, "a", &a).expect("reports");
    assert_eq!(d.new_drift.len(), 1);
    assert_eq!(d.new_drift[0].account.as_deref(), Some("555566667777"));
    assert_eq!(d.new_drift[0].before, "absent");
    assert_eq!(d.summary, Counts { new_drift: 1, ..Counts::default() });
}

/// Two requirement-level findings of one requirement in two regions stay apart.
#[test]
fn findings_without_resource_are_keyed_by_region() {
    let mut east = finding("trail", None, "drift", vec![]);
    let mut west = east.clone();
    west["region"] = json!("us-west-2");
    let b = report(vec![east.clone(), west.clone()]);
    east["status"] = json!("pass");
    let a = report(vec![east, west]);
    let d = diff_texts("b", &b, "a", &a).expect("reports");
    assert_eq!(d.summary, Counts { resolved_drift: 1, ..Counts::default() });
    assert_eq!(d.resolved_drift[0].region.as_deref(), Some("us-east-1"));
    assert_eq!(d.resolved_drift[0].after, "pass");
}

#[test]
fn invalid_json_names_file_line_and_column() {
    let err = diff_texts("b.json", "{\n  \"schema\": \"driftwatch.report/v1\",\n  \"findings\": [,]\n}", "a", "{}")
        .expect_err("not JSON");
    assert_eq!(err.0, "b.json:3:16: expected value");
}

#[test]
fn another_schema_is_refused() {
    let text = "{\"schema\": \"driftwatch.diff/v1\", \"findings\": []}";
    let err = diff_texts("b.json", &report(vec![]), "a.json", text).expect_err("a diff is not a report");
    assert_eq!(err.0, "a.json:1:31: schema is \"driftwatch.diff/v1\", expected \"driftwatch.report/v1\"");
}

#[test]
fn an_unknown_status_is_refused() {
    let mut f = finding("x", Some("b"), "drift", vec![]);
    f["status"] = json!("fine");
    let text =
        serde_json::to_string_pretty(&json!({"schema": "driftwatch.report/v1", "findings": [f]})).expect("serialises");
    let err = diff_texts("b.json", &text, "a.json", &report(vec![])).expect_err("bad status");
    assert_eq!(
        err.0,
        "b.json:9:22: unknown variant `fine`, expected one of `pass`, `drift`, `unknown`, `not_applicable`, `waived`"
    );
}

#[test]
fn a_document_that_is_not_an_object_is_refused() {
    let err = diff_texts("b.json", "\n  [1, 2]", "a", "{}").expect_err("an array");
    assert_eq!(err.0, "b.json:2:3: expected a JSON object (a report), found `[`");
}

#[test]
fn a_report_without_findings_is_refused() {
    let err = diff_texts("b.json", "{\"schema\": \"driftwatch.report/v1\"}", "a", "{}").expect_err("no findings");
    assert_eq!(err.0, "b.json:1:34: missing field `findings`");
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let p = dir.path().join(name);
    std::fs::write(&p, text).expect("write");
    p.to_str().expect("utf-8 path").to_string()
}

fn cli(args: &[&str]) -> (crate::cli::Exit, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut argv = vec!["driftwatch", "diff"];
    argv.extend_from_slice(args);
    let code = crate::cli::run(argv, &mut out, &mut err);
    (code, String::from_utf8_lossy(&out).into_owned(), String::from_utf8_lossy(&err).into_owned())
}

#[test]
fn exit_codes_of_the_command() {
    use crate::cli::Exit;
    let dir = tempfile::tempdir().expect("temp dir");
    let (b, a) = pair();
    let before = write(&dir, "before.json", &b);
    let after = write(&dir, "after.json", &a);
    // new drift: 1
    let (code, out, err) = cli(&[&before, &after, "--format", "json"]);
    assert_eq!((code, err.as_str()), (Exit::Drift, ""));
    let v: Value = serde_json::from_str(&out).expect("JSON on stdout");
    assert_eq!(v["summary"]["new_drift"], json!(2));
    // no new drift: 0 (the other way round, "deleted" and "fixed" would be new drift)
    let (code, _, err) = cli(&[&before, &before]);
    assert_eq!((code, err.as_str()), (Exit::Clean, ""));
    // --output writes the file, nothing on stdout
    let md = dir.path().join("diff.md");
    let md_s = md.to_str().expect("utf-8 path");
    let (code, out, _) = cli(&[&before, &after, "--format", "markdown", "--output", md_s]);
    assert_eq!((code, out.as_str()), (Exit::Drift, ""));
    let want = rendered(DiffFormat::Markdown)
        .replace("`before.json`", &format!("`{before}`"))
        .replace("`after.json`", &format!("`{after}`"));
    assert_eq!(std::fs::read_to_string(&md).expect("written"), want);
    // unreadable and invalid files: 2, with the file named
    let missing = dir.path().join("missing.json");
    let missing_s = missing.to_str().expect("utf-8 path");
    let (code, out, err) = cli(&[missing_s, &after]);
    assert_eq!((code, out.as_str()), (Exit::Invalid, ""));
    assert!(err.starts_with(&format!("{missing_s}: cannot read the report: ")), "{err}");
    let bad = write(&dir, "bad.json", "{\"schema\": [1, 2");
    let (code, _, err) = cli(&[&before, &bad]);
    assert_eq!(code, Exit::Invalid);
    assert_eq!(err, format!("{bad}:1:11: invalid type: sequence, expected a string\n"));
}

#[test]
fn long_values_are_cut_in_the_table() {
    let long = "x".repeat(300);
    let b = report(vec![finding("tagged", Some("b"), "drift", vec![check("policy", json!("p"), json!(long), false)])]);
    let a = report(vec![finding("tagged", Some("b"), "drift", vec![check("policy", json!("p"), json!("y"), false)])]);
    let d = diff_texts("b", &b, "a", &a).expect("reports");
    let mut out = Vec::new();
    render(&d, DiffFormat::Table, &mut out).expect("renders");
    let text = String::from_utf8(out).expect("utf-8");
    let line = text.lines().find(|l| l.contains("policy:")).expect("the field line");
    assert_eq!(line, format!("    policy: \"{}… -> \"y\" (expected \"p\")", "x".repeat(22)));
}

/// Still drifting, but one of two failed fields passes now: a change, shown per field.
#[test]
fn a_field_fixed_while_another_still_drifts_is_a_change() {
    let both = vec![
        check("encryption", json!("aws:kms"), json!("AES256"), false),
        check("versioning", json!(true), json!(false), false),
    ];
    let one = vec![
        check("encryption", json!("aws:kms"), json!("AES256"), false),
        check("versioning", json!(true), json!(true), true),
    ];
    let b = report(vec![finding("s", Some("b"), "drift", both)]);
    let a = report(vec![finding("s", Some("b"), "drift", one)]);
    let d = diff_texts("b", &b, "a", &a).expect("reports");
    assert_eq!(d.summary, Counts { changed_drift: 1, ..Counts::default() });
    assert_eq!(
        serde_json::to_value(&d.changed_drift[0].fields).expect("serialises"),
        json!([
            field("encryption", json!("aws:kms"), json!("AES256"), json!("AES256")),
            field("versioning", json!(true), json!(false), json!(true)),
        ])
    );
}

/// A drift that a waiver now covers is resolved (it became `waived`), and a waived
/// finding whose waiver expired is new drift again.
#[test]
fn waived_findings_are_accepted_not_drift() {
    let before = report(vec![
        finding("tagged", Some("accepted"), "drift", tags("a")),
        finding("tagged", Some("expired"), "waived", tags("a")),
    ]);
    let after = report(vec![
        finding("tagged", Some("accepted"), "waived", tags("a")),
        finding("tagged", Some("expired"), "drift", tags("a")),
    ]);
    let d = diff_texts("x.json", &before, "y.json", &after).expect("reports with waived findings are read");
    assert_eq!((d.summary.new_drift, d.summary.resolved_drift, d.summary.changed_drift), (1, 1, 0));
}

#[test]
fn compressed_reports_are_read_by_their_magic_bytes() {
    use std::io::Write as _;
    let (before, _) = pair();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(before.as_bytes()).expect("gzip");
    let files = [
        ("plain.json", before.as_bytes().to_vec()),
        ("report.json.gz", gz.finish().expect("gzip")),
        ("report.json.zst", zstd::encode_all(before.as_bytes(), 0).expect("zstd")),
    ];
    let mut read = Vec::new();
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let (_, report) = super::read(&path).unwrap_or_else(|e| panic!("{name}: {}", e.0));
        read.push(index(&report).len());
    }
    assert_eq!(read, [read[0]; 3]);
    assert!(read[0] > 0);

    let broken = dir.path().join("broken.gz");
    std::fs::write(&broken, [0x1f, 0x8b, 0, 1]).expect("write");
    let err = super::read(&broken).err().expect("a broken gzip file is refused").0;
    assert!(err.starts_with(&format!("{}: cannot decompress the report: ", broken.display())), "{err}");
}
