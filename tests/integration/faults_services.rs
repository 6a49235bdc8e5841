//! Faults for every collector through the fault proxy (issue 14): for each
//! service, a small deployment in a fresh account audited three times, clean,
//! with one operation persistently denied, and with a listing whose second page
//! fails. The expectations come from the clean run's rows (which are pinned
//! first) and from what each fault may touch: nothing else may change, and what
//! was not read is never `pass`.

use crate::samples::{self, Env, Result};
use crate::support::account;
use crate::support::audit::{self, profile_file, row, Audit};
use crate::support::faults::{Fault, FaultProxy, Rule, When, FAKE_TOKEN};
use serde_json::Value;
use std::io::{Read, Write};

mod data;
mod edge;
mod network;

const REGION: &str = "us-east-1";
type Row = (String, Option<String>, String);

/// One service's row of the table.
struct Case {
    /// The profile's text; its one requirement has the id `r`.
    profile: String,
    /// The deployed resources that the requirement selects, as text each
    /// resource id in the report contains, with its status in a clean run.
    resources: Vec<(String, &'static str)>,
    /// The signing name of the service (as the proxy and the report's errors name it).
    service: &'static str,
    /// The operation that is denied; with `target`, only its requests naming
    /// that text (one resource), else all of them.
    deny: &'static str,
    target: Option<String>,
    /// The resources (by `resources` text) the denial leaves unknown; none means
    /// the listing itself was denied and the requirement as a whole is unknown.
    denied: Vec<String>,
    /// What the error of a denied listing names as its resource (a zone).
    error_resource: Option<String>,
    /// The denied call reads several resources at once: one error, naming none.
    batched: bool,
    /// The fields of an affected finding that depend on the denied read.
    denied_fields: &'static [&'static str],
    /// A paginated per-resource read (of the `target` resource, or of all)
    /// whose second page fails, leaving the `denied` resources unknown.
    resource_page: Option<&'static str>,
    /// The paginated listing whose second page fails (None where the API has no
    /// pagination for the collector's listing).
    page: Option<&'static str>,
}

/// The name the service signs its requests with (the proxy's service), where it
/// is not the name the report gives it.
fn signing_name(service: &str) -> &str {
    match service {
        "cloudwatch" => "monitoring",
        other => other,
    }
}

/// The AccessDenied code of the service's protocol as the proxy answers it.
fn denied_code(service: &str) -> &'static str {
    match service {
        "s3" | "iam" | "sts" | "autoscaling" | "rds" | "elasticloadbalancing" | "sns" | "route53" | "cloudfront" => {
            "AccessDenied"
        }
        "ec2" => "UnauthorizedOperation",
        _ => "AccessDeniedException",
    }
}

fn sorted(mut rows: Vec<Row>) -> Vec<Row> {
    rows.sort();
    rows
}

/// (service, region, operation, code, resource) of every error, sorted.
fn errors(a: &Audit) -> Vec<(String, String, String, String, Option<String>)> {
    let list = a.report["errors"].as_array().unwrap_or_else(|| panic!("no errors list: {}", a.stderr));
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    let mut out: Vec<_> = list
        .iter()
        .map(|e| {
            (
                text(&e["service"]),
                text(&e["region"]),
                text(&e["operation"]),
                text(&e["code"]),
                e["resource"].as_str().map(str::to_string),
            )
        })
        .collect();
    out.sort();
    out
}

/// (field, error) of each check of a finding that carries an error.
fn check_errors(a: &Audit, resource: Option<&str>) -> Vec<(String, String)> {
    let f = a.finding("r", resource);
    f["checks"]
        .as_array()
        .map(|c| c.as_slice())
        .unwrap_or_default()
        .iter()
        .filter(|c| c["error"].is_string())
        .map(|c| (c["field"].as_str().unwrap_or("").to_string(), c["error"].as_str().unwrap_or("").to_string()))
        .collect()
}

/// Each finding as (status, region, [(field, ok, error)]), in report order.
fn shapes(a: &Audit) -> Vec<(String, Option<String>, Vec<(String, Value, Option<String>)>)> {
    let text = |v: &Value| v.as_str().map(str::to_string);
    a.report["findings"]
        .as_array()
        .map(|f| f.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|f| {
            let checks = f["checks"].as_array().map(|c| c.as_slice()).unwrap_or_default();
            let checks = checks
                .iter()
                .map(|c| (text(&c["field"]).unwrap_or_default(), c["ok"].clone(), text(&c["error"])))
                .collect();
            (text(&f["status"]).unwrap_or_default(), text(&f["region"]), checks)
        })
        .collect()
}

/// A listing that could not be read whole: the count is unknown, and the
/// region's resources are unknown with the failed call named.
fn assert_listing_unknown(a: &Audit, message: &str) {
    assert_eq!(a.rows(), [row("r", None, "unknown"), row("r", None, "unknown")], "{:#}", a.report);
    let count = ("count".to_string(), Value::Null, None);
    let listing = ("resources".to_string(), Value::Null, Some(message.to_string()));
    let want = vec![
        ("unknown".to_string(), None, vec![count]),
        ("unknown".to_string(), Some(REGION.to_string()), vec![listing]),
    ];
    assert_eq!(shapes(a), want, "{:#}", a.report);
}

/// Every request the proxy saw was named: a signed service and a known operation.
fn assert_classified(proxy: &FaultProxy) {
    let unnamed: Vec<(String, String, String)> = proxy
        .seen()
        .into_iter()
        .filter(|s| s.service.is_empty() || s.operation.is_empty() || s.operation == "Other")
        .map(|s| (s.service, s.operation, s.uri))
        .collect();
    assert_eq!(unnamed, [], "requests the proxy could not classify");
}

fn no_panic(a: &Audit) {
    assert!(!a.stderr.contains("panicked"), "driftwatch panicked:\n{}", a.stderr);
    assert!(a.report.is_object(), "no JSON report; stderr:\n{}", a.stderr);
}

/// Audits through a proxy with `rules` that make `op` fail with `code`, and
/// asserts that exactly the case's affected resources (or, with none, the
/// listing) turned unknown, naming the call, and that nothing else changed.
#[allow(clippy::too_many_arguments)]
fn read_fault(
    acct: &Env,
    profile: &audit::ProfileFile,
    case: &Case,
    rows: &[Row],
    id_of: &dyn Fn(&str) -> String,
    rules: Vec<Rule>,
    op: &str,
    code: &str,
) {
    let message = format!("{}:{op} in {REGION} failed with {code}", case.service);
    let proxy = FaultProxy::start(&acct.endpoint, rules, 14);
    let faulted = audit::run_at(acct, &proxy.url, &[profile.path()], &["--max-attempts", "2"], &[]);
    no_panic(&faulted);
    assert_classified(&proxy);
    let (want_rows, want_errors) = if case.denied.is_empty() {
        let err = (case.service.into(), REGION.into(), op.into(), code.into(), case.error_resource.clone());
        (vec![row("r", None, "unknown"), row("r", None, "unknown")], vec![err])
    } else {
        let affected: Vec<String> = case.denied.iter().map(|t| id_of(t)).collect();
        let rows = rows
            .iter()
            .map(|(r, res, s)| match res {
                Some(id) if affected.contains(id) => row(r, Some(id), "unknown"),
                _ => (r.clone(), res.clone(), s.clone()),
            })
            .collect();
        let errs = if case.batched {
            vec![(case.service.into(), REGION.into(), op.into(), code.into(), None)]
        } else {
            affected
                .iter()
                .map(|id| (case.service.into(), REGION.into(), op.into(), code.into(), Some(id.clone())))
                .collect()
        };
        (rows, errs)
    };
    assert_eq!(
        sorted(faulted.rows()),
        sorted(want_rows.clone()),
        "rows with {} failing: {:#} {:?}",
        op,
        faulted.report,
        proxy.seen()
    );
    assert_eq!(errors(&faulted), sorted_errs(want_errors), "errors with {op} failing");
    // a drift anywhere makes the exit code 1, else the unknowns make it 3
    faulted.assert_code(if want_rows.iter().any(|r| r.2 == "drift") { 1 } else { 3 });
    for t in &case.denied {
        let id = id_of(t);
        let want: Vec<(String, String)> = case.denied_fields.iter().map(|f| (f.to_string(), message.clone())).collect();
        assert_eq!(check_errors(&faulted, Some(&id)), want, "checks of {id}");
    }
    if case.denied.is_empty() {
        assert_listing_unknown(&faulted, &message);
    }
}

/// Runs the three audits of one case and asserts their exact rows and errors.
fn check(acct: &Env, case: Case) {
    let profile = profile_file(&case.profile);
    let clean = audit::run(acct, &[profile.path()], &["--max-attempts", "2"]);
    no_panic(&clean);
    // the clean rows: one per deployed resource, with the pinned status
    let rows = sorted(clean.rows());
    assert_eq!(rows.len(), case.resources.len(), "clean rows {rows:?} {:#}", clean.report);
    let mut ids = Vec::new();
    for (text, status) in &case.resources {
        let found: Vec<&Row> =
            rows.iter().filter(|(_, res, _)| res.as_deref().is_some_and(|r| r.contains(text.as_str()))).collect();
        assert_eq!(found.len(), 1, "one clean row for {text}: {rows:?} {:#}", clean.report);
        let id = found[0].1.clone().unwrap_or_default();
        assert_eq!(found[0], &row("r", Some(&id), status), "clean row of {text}");
        ids.push((text.clone(), id));
    }
    assert_eq!(errors(&clean), [], "clean run errors {:#}", clean.report);
    let id_of = |text: &str| ids.iter().find(|(t, _)| t.as_str() == text).map(|(_, id)| id.clone()).unwrap_or_default();

    // (a) persistent AccessDenied on one operation
    let when = case.target.clone().map_or(When::Always, When::Contains);
    let rule = Rule::new(Fault::AccessDenied, when).service(signing_name(case.service)).operation(case.deny);
    read_fault(acct, &profile, &case, &rows, &id_of, vec![rule], case.deny, denied_code(case.service));

    // (c) a per-resource read whose second page fails: its resources are unknown
    if let Some(op) = case.resource_page {
        let when = case.target.clone().map_or(When::Always, When::Contains);
        let rules = vec![
            Rule::new(Fault::Status(500), When::Contains(FAKE_TOKEN.into())),
            Rule::new(Fault::FakeNextPage, when).service(signing_name(case.service)).operation(op),
        ];
        read_fault(acct, &profile, &case, &rows, &id_of, rules, op, "InternalError");
    }

    // (b) the listing's first page announces a second one, whose fetch fails
    let Some(page) = case.page else { return };
    let rules = vec![
        Rule::new(Fault::Status(500), When::Contains(FAKE_TOKEN.into())),
        Rule::new(Fault::FakeNextPage, When::FirstN(1)).service(signing_name(case.service)).operation(page),
    ];
    let proxy = FaultProxy::start(&acct.endpoint, rules, 15);
    let paged = audit::run_at(acct, &proxy.url, &[profile.path()], &["--max-attempts", "2"], &[]);
    no_panic(&paged);
    assert_classified(&proxy);
    paged.assert_code(3);
    let faked: Vec<String> = proxy
        .seen()
        .iter()
        .filter(|s| s.faulted.as_deref() == Some("FakeNextPage"))
        .map(|s| s.operation.clone())
        .collect();
    assert_eq!(faked, [page], "the proxy rewrote the first page");
    assert_listing_unknown(&paged, &format!("{}:{page} in {REGION} failed with InternalError", case.service));
    let err = (case.service.to_string(), REGION.to_string(), page.to_string(), "InternalError".to_string(), None);
    assert_eq!(errors(&paged), [err], "errors with {page}'s second page failing");
}

fn res(list: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
    list.iter().map(|(t, s)| (t.to_string(), *s)).collect()
}

fn strs(list: &[&str]) -> Vec<String> {
    list.iter().map(|t| t.to_string()).collect()
}

fn sorted_errs<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v
}

/// A profile of one requirement `r` in us-east-1.
fn profile(kind: &str, select: &str, expect: &str) -> String {
    format!(
        "[profile]\nname = \"faults\"\nregions = [\"{REGION}\"]\n\n[[requirement]]\nid = \"r\"\nkind = \"{kind}\"\n\
         severity = \"high\"\n{select}min_count = 1\n[requirement.expect]\n{expect}\n"
    )
}

const TAGGED: &str = "required_tags = { team = \"core\" }";
const PREFIX: &str = "select = { name_prefix = \"fa-\" }\n";

// ------------------------------------------------- the proxy's reproducibility

/// Sends one unsigned request to the proxy and waits for its end.
fn poke(url: &str, path: &str) {
    let addr = url.trim_start_matches("http://");
    let Ok(mut s) = std::net::TcpStream::connect(addr) else { return };
    let _ = s.set_read_timeout(Some(std::time::Duration::from_secs(10)));
    let req = format!("GET {path} HTTP/1.1\r\nhost: {addr}\r\ncontent-length: 0\r\n\r\n");
    let _ = s.write_all(req.as_bytes());
    let mut sink = Vec::new();
    let _ = s.read_to_end(&mut sink);
}

/// Which of the paths a proxy with `Chance(0.5)` and this seed faulted, when the
/// requests arrive in the given order, `threads` at a time.
fn chance_outcome(seed: u64, paths: &[String], threads: usize) -> Vec<(String, bool)> {
    // the upstream is a closed port: unfaulted requests end without an answer
    let proxy = FaultProxy::start("http://127.0.0.1:9", vec![Rule::new(Fault::Throttle, When::Chance(0.5))], seed);
    std::thread::scope(|scope| {
        for chunk in paths.chunks(paths.len().div_ceil(threads)) {
            let url = proxy.url.clone();
            scope.spawn(move || chunk.iter().for_each(|p| poke(&url, p)));
        }
    });
    let mut out: Vec<(String, bool)> = proxy.seen().into_iter().map(|s| (s.uri, s.faulted.is_some())).collect();
    out.sort();
    out
}

#[test]
fn chance_faults_follow_the_request_not_the_arrival_order() {
    let paths: Vec<String> = (0..40).map(|i| format!("/probe/{i:02}")).collect();
    let mut reversed = paths.clone();
    reversed.reverse();
    let first = chance_outcome(7, &paths, 1);
    let concurrent = chance_outcome(7, &reversed, 4);
    assert_eq!(first.len(), 40);
    assert_eq!(first, concurrent, "same seed, same requests: same faults whatever the order");
    let faulted = first.iter().filter(|(_, f)| *f).count();
    // a coin, not a constant: the count is fixed by the seed and the paths
    assert_eq!(faulted, 21, "faulted of 40");
    let other_seed = chance_outcome(8, &paths, 2);
    assert_ne!(first, other_seed, "the seed chooses the faults");
}
