//! `audit --format html` rendered by a real browser: the core sample's compliant
//! bucket (prod-data) and drifting bucket (prod-logs) deployed in a fresh account,
//! the report written to a file and opened in headless Chromium (Debian's
//! `chromium`, installed by tests/browser/install when missing). The DOM the
//! browser ends with must say that the page's script ran (`data-rendered="ok"`),
//! that the findings listed agree with the summary, and show exactly one pass and
//! one drift; the browser's log must hold no console message (a script error or a
//! refused load would be one).

use crate::samples::{core, Variant};
use crate::support::account;
use crate::support::audit::{self, repo_path};
use std::process::Command;

const S3: &str = "localstack/samples/core/s3.toml";

/// The browser to run, installed by the project's script when missing.
fn chromium() -> String {
    let out = Command::new(repo_path("tests/browser/install")).output().expect("run tests/browser/install");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "tests/browser/install failed: {}\n{}", stdout, String::from_utf8_lossy(&out.stderr));
    stdout.lines().last().unwrap_or_default().trim().to_string()
}

/// (DOM after load, browser log) of a local file opened in headless Chromium.
fn render(browser: &str, file: &std::path::Path) -> (String, String) {
    let profile = tempfile::tempdir().expect("browser profile dir");
    let out = Command::new("timeout")
        .arg("120")
        .arg(browser)
        .args(["--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--enable-logging=stderr", "--v=0"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--virtual-time-budget=5000")
        .arg("--dump-dom")
        .arg(format!("file://{}", file.display()))
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    let log = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "chromium exited with {:?}\n{log}", out.status.code());
    (dom, log)
}

fn captures(dom: &str, pattern: &str) -> Vec<String> {
    let re = regex_lite::Regex::new(pattern).expect("pattern");
    re.captures_iter(dom)
        .map(|c| c.iter().skip(1).flatten().map(|m| m.as_str()).collect::<Vec<_>>().join("="))
        .collect()
}

#[tokio::test]
async fn html_report_renders_in_chromium_with_the_exact_counts() {
    let browser = chromium();
    let acct = account();
    core::s3(&acct, Variant::Compliant).await.unwrap();
    core::s3(&acct, Variant::Drifted).await.unwrap();
    let dir = tempfile::tempdir().expect("temporary dir");
    let file = dir.path().join("report.html");
    let path = file.to_str().expect("UTF-8 path");
    let a = audit::run(&acct, &[S3], &["--format", "html", "-o", path]);
    a.assert_code(1);
    assert_eq!(a.stdout, "");

    let (dom, log) = render(&browser, &file);
    let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert_eq!(console, Vec::<&str>::new(), "the page logged to the console");
    assert_eq!(captures(&dom, r#"<html[^>]* data-rendered="([^"]*)""#), ["ok"], "{dom}");
    assert_eq!(captures(&dom, r#"<html[^>]* data-consistent="([^"]*)""#), ["true"]);
    assert_eq!(
        captures(&dom, r#"data-status-count="([a-z_]+)" data-count="(\d+)""#),
        ["drift=1", "unknown=0", "waived=0", "pass=1", "not_applicable=0"]
    );
    assert_eq!(captures(&dom, r#"<g data-chart="by-profile" data-row="([^"]+)" data-total="(\d+)""#), ["core-s3=2"]);
    let logs = format!("arn:aws:s3:::{}", acct.bucket("prod-logs"));
    let data = format!("arn:aws:s3:::{}", acct.bucket("prod-data"));
    assert_eq!(
        captures(&dom, r#"<article class="finding" data-status="([a-z_]+)" data-resource="([^"]+)""#),
        [format!("drift={logs}"), format!("pass={data}")]
    );
    assert_eq!(
        captures(
            &dom,
            r#"<tr class="(fail|unknown)" data-field="([a-z_]+)"><td><code>[a-z_]+</code></td><td><code>([^<]*)</code></td><td><code>([^<]*)</code></td>"#
        ),
        [
            "fail=encryption=\"aws:kms\"=\"AES256\"",
            "fail=versioning=true=\"Disabled\"",
            // neither a bucket nor an account block: the emulator's bucket had its block deleted
            "fail=public_access_block=true={\"bucket\":null,\"account\":null}",
        ]
    );
    assert_eq!(captures(&dom, r#"<dd id="run-account">(\d+)</dd>"#), [acct.id.as_str()]);
    assert_eq!(captures(&dom, r#"<p data-read="(\d+)" data-unknown="(\d+)""#), ["2=0"]);
}
