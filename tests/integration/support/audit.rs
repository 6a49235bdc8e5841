//! Runs the driftwatch binary as a test account and reads its JSON report.

use super::Account;
use serde_json::Value;
use std::process::Command;

pub struct Audit {
    pub code: i32,
    pub report: Value,
    pub stdout: String,
    pub stderr: String,
}

/// The repository path of a file (profiles are given relative to the root).
pub fn repo_path(rel: &str) -> String {
    format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"))
}

/// A command for the binary with only this account's credentials in its
/// environment (no shared config files, no instance metadata).
pub fn command(acct: &Account) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_driftwatch"));
    for var in [
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_ENDPOINT_URL",
        "AWS_DEFAULT_REGION",
        "NO_COLOR",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("AWS_CONFIG_FILE", "/nonexistent/driftwatch-test-config")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/driftwatch-test-credentials")
        .env("AWS_EC2_METADATA_DISABLED", "true");
    for (k, v) in acct.vars() {
        cmd.env(k, v);
    }
    cmd
}

/// A profile written for one test; the file lives as long as the handle.
pub struct ProfileFile(tempfile::NamedTempFile);

impl ProfileFile {
    pub fn path(&self) -> &str {
        self.0.path().to_str().expect("temporary paths are UTF-8")
    }
}

/// Writes a profile's text to a temporary `.toml` file.
pub fn profile_file(text: &str) -> ProfileFile {
    let file = tempfile::Builder::new().suffix(".toml").tempfile().expect("temporary profile");
    std::fs::write(file.path(), text).expect("write the profile");
    ProfileFile(file)
}

/// `driftwatch audit --format json` with the given profiles (repository-relative
/// or absolute) against the emulator.
pub fn run(acct: &Account, profiles: &[&str], extra: &[&str]) -> Audit {
    run_at(acct, &acct.endpoint, profiles, extra, &[])
}

/// Like `run`, against another endpoint (a fault proxy) and with extra environment.
pub fn run_at(acct: &Account, endpoint: &str, profiles: &[&str], extra: &[&str], env: &[(&str, &str)]) -> Audit {
    let mut cmd = command(acct);
    cmd.envs(env.iter().copied());
    cmd.arg("audit").arg("--endpoint-url").arg(endpoint);
    if !extra.contains(&"--format") {
        cmd.arg("--format").arg("json");
    }
    for p in profiles {
        let path = if p.starts_with('/') { p.to_string() } else { repo_path(p) };
        cmd.arg("--profile").arg(path);
    }
    cmd.args(extra);
    let out = cmd.output().expect("run driftwatch");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    Audit { code: out.status.code().unwrap_or(-1), report, stdout, stderr }
}

impl Audit {
    /// (requirement, resource, status) of every finding, in report order.
    pub fn rows(&self) -> Vec<(String, Option<String>, String)> {
        self.report["findings"]
            .as_array()
            .unwrap_or_else(|| panic!("no findings in report; stderr: {}\nstdout: {}", self.stderr, self.stdout))
            .iter()
            .map(|f| {
                (
                    f["requirement"].as_str().unwrap().to_string(),
                    f["resource"].as_str().map(str::to_string),
                    f["status"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    /// The one finding of a requirement on a resource.
    pub fn finding(&self, requirement: &str, resource: Option<&str>) -> &Value {
        let all: Vec<&Value> = self.report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["requirement"] == requirement && f["resource"].as_str() == resource)
            .collect();
        assert_eq!(all.len(), 1, "findings for {requirement} on {resource:?}: {all:#?}");
        all[0]
    }

    /// The observed value of a check of a finding.
    pub fn observed(&self, requirement: &str, resource: Option<&str>, field: &str) -> Value {
        let f = self.finding(requirement, resource);
        f["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["field"] == field)
            .unwrap_or_else(|| panic!("no check {field} in {f:#}"))["observed"]
            .clone()
    }

    /// Every drift finding as (requirement, region, resource name, failed fields),
    /// in report order. The name is the one the message starts with; findings of
    /// the requirement as a whole (a count) have "-" for region and name.
    pub fn drifts(&self) -> Vec<(String, String, String, Vec<String>)> {
        self.report["findings"]
            .as_array()
            .unwrap_or_else(|| panic!("no findings in report; stderr: {}", self.stderr))
            .iter()
            .filter(|f| f["status"] == "drift")
            .map(|f| {
                let on_resource = f["resource"].is_string();
                let message = f["message"].as_str().unwrap_or_default();
                let name = if on_resource { message.split(": ").next().unwrap_or_default() } else { "-" };
                let failed = failed_fields(f);
                (
                    f["requirement"].as_str().unwrap().to_string(),
                    f["region"].as_str().unwrap_or("-").to_string(),
                    name.to_string(),
                    failed,
                )
            })
            .collect()
    }

    pub fn assert_code(&self, code: i32) {
        assert_eq!(self.code, code, "exit code; stderr:\n{}\nstdout:\n{}", self.stderr, self.stdout);
    }
}

/// Stands in for what changes from run to run: the account id, and the ids AWS
/// generates (VPCs, subnets, groups, route tables, UUIDs, load balancer and
/// distribution suffixes).
fn normalise(text: &str, account: &str) -> String {
    let text = text.replace(account, "ACCOUNT");
    let rules: &[(&str, &str)] = &[
        (r"\b(vpc|subnet|sg|rtb|igw|pcx|i|eni|pl|acl|nat|vpce|lt|fl|ami)-[0-9a-f]{8,17}\b", "$1-ID"),
        (r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "UUID"),
        (r"/(app|net)/([A-Za-z0-9-]+)/[0-9a-f]{16}", "/$1/$2/ID"),
        (r"/ID/[0-9a-f]{16}\b", "/ID/ID"),
        (r"config-rule/config-rule-[a-z0-9]{6}\b", "config-rule/config-rule-ID"),
        (r"(:secret:[A-Za-z0-9/_+=.@-]+)-[A-Za-z0-9]{6}\b", "$1-ID"),
        (r"distribution/[0-9A-Z]{12,14}\b", "distribution/ID"),
        (r#""[0-9A-Z]{14,32}/"#, "\"ZONE/"),
        (r"hostedzone/[0-9A-Z]{14,32}\b", "hostedzone/ZONE"),
    ];
    let mut out = text;
    for (pattern, with) in rules {
        out = regex_lite::Regex::new(pattern).expect("pattern").replace_all(&out, *with).into_owned();
    }
    out
}

impl Audit {
    /// The whole report as a test pins it: every finding (requirement, resource,
    /// region, status, and each check that did not pass with its observed value or
    /// why it is unknown), the errors and the summary.
    pub fn pinned(&self, acct: &Account) -> Value {
        let findings: Vec<Value> = self.report["findings"]
            .as_array()
            .unwrap_or_else(|| panic!("no findings in report; stderr: {}\nstdout: {}", self.stderr, self.stdout))
            .iter()
            .map(|f| {
                let not_passed: Vec<Value> = f["checks"]
                    .as_array()
                    .map(|cs| {
                        cs.iter()
                            .filter(|c| c["ok"] != true)
                            .map(|c| {
                                serde_json::json!({"field": c["field"], "ok": c["ok"], "observed": c["observed"],
                                    "error": c.get("error").or(c.get("not_applicable")).cloned().unwrap_or(Value::Null)})
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                serde_json::json!({"requirement": f["requirement"], "resource": f["resource"], "region": f["region"],
                    "status": f["status"], "not_passed": not_passed})
            })
            .collect();
        let pinned = serde_json::json!({"findings": findings, "errors": self.report["errors"], "summary": self.report["summary"]});
        serde_json::from_str(&normalise(&pinned.to_string(), &acct.id)).expect("normalised JSON")
    }

    /// Compares the pinned report with `tests/integration/snapshots/NAME.json`
    /// (written afresh with `UPDATE_SNAPSHOTS=1`; a missing snapshot fails).
    pub fn assert_pinned(&self, acct: &Account, name: &str) {
        let path = format!("{}/tests/integration/snapshots/{name}.json", env!("CARGO_MANIFEST_DIR"));
        let got = self.pinned(acct);
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            std::fs::create_dir_all(std::path::Path::new(&path).parent().unwrap()).unwrap();
            std::fs::write(&path, serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
        }
        let want: Value = serde_json::from_str(
            &std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e} (UPDATE_SNAPSHOTS=1 writes it)")),
        )
        .unwrap_or_else(|e| panic!("{path}: {e}"));
        if got != want {
            // the lines that differ, each side's in order
            let (g, w) = (serde_json::to_string_pretty(&got).unwrap(), serde_json::to_string_pretty(&want).unwrap());
            let only = |a: &str, b: &str| -> Vec<String> {
                let other: Vec<&str> = b.lines().collect();
                a.lines()
                    .enumerate()
                    .filter(|(_, l)| !other.contains(l))
                    .map(|(i, l)| format!("{:>4}: {l}", i + 1))
                    .collect()
            };
            panic!(
                "{name}: the report differs from {path}\nonly in this run:\n{}\nonly in the snapshot:\n{}",
                only(&g, &w).join("\n"),
                only(&w, &g).join("\n")
            );
        }
    }
}

/// The fields a finding's checks failed, in the report's order.
pub fn failed_fields(finding: &Value) -> Vec<String> {
    finding["checks"]
        .as_array()
        .expect("a finding has checks")
        .iter()
        .filter(|c| c["ok"] == false)
        .map(|c| c["field"].as_str().expect("a check names its field").to_string())
        .collect()
}

pub fn row(req: &str, resource: Option<&str>, status: &str) -> (String, Option<String>, String) {
    (req.to_string(), resource.map(str::to_string), status.to_string())
}
