//! Proof for every field (issue 14): each (kind, field) of the registry is seen
//! drifting on a resource that exists but is misconfigured, next to one that
//! passes, through its live collector against LocalStack; or, where the emulator
//! cannot hold the state AWS can, is listed here with the reason and the
//! recorded-answer test that proves it instead.
//!
//! Each group file declares `PROVEN`: (kind, field, test). The coverage test walks
//! the kind registry and fails for a pair that is neither proven live nor listed,
//! and for a claim whose test does not exist in its file.

mod compute_data;
mod identity_messaging;
mod network;
mod storage_edge;

use crate::support::account;
use crate::support::audit::{self, Audit};
use crate::support::Account;
use serde_json::{json, Value};

/// Pairs the emulator cannot represent: (kind, field, why, recorded-answer test as
/// `path::fn`), proven over AWS-shaped recorded answers instead. Keep it short
/// and honest.
pub const RECORDED_ONLY: &[(&str, &str, &str, &str)] = &[
    (
        "config.rule",
        "active",
        "PutConfigRule only creates ACTIVE rules and the emulator drops a deleted rule at once: no DELETING or EVALUATING state",
        "src/collect/config_state_tests.rs::a_rule_being_deleted_is_not_active",
    ),
    (
        "dynamodb.table",
        "customer_managed_key",
        "the emulator's DynamoDB names an aws/dynamodb key its KMS does not know, and its alias/aws/dynamodb key says KeyManager CUSTOMER",
        "src/collect/dynamodb_tests.rs::an_aws_managed_table_key_is_not_the_customers",
    ),
    (
        "acm.certificate",
        "validation_method",
        "the emulator reports ValidationMethod DNS for every certificate, even one requested with EMAIL",
        "src/collect/acm_tests.rs::acm_email_validated_certificate_drifts_from_dns_validation",
    ),
    (
        "kms.key",
        "customer_managed",
        "LocalStack creates the keys behind the reserved alias/aws/* names with KeyManager CUSTOMER: no AWS managed key exists live",
        "src/collect/kms_tests.rs::an_aws_managed_key_drifts_on_customer_managed_next_to_a_customer_key",
    ),
];

/// One field proven both ways in one audit: the profile asks `expect` of the
/// resources `select` picks in `region`; the account holds exactly one compliant
/// resource (`pass`) and one misconfigured one (`drift`), both by their report
/// ids. Asserts the two exact rows, the one failed check with its observed value,
/// the passing check, no errors and the summary.
pub struct Proof<'a> {
    pub kind: &'a str,
    pub field: &'a str,
    pub select: &'a str,
    pub expect: &'a str,
    pub region: &'a str,
    pub pass: &'a str,
    pub drift: &'a str,
    pub drift_observed: Value,
}

impl Proof<'_> {
    pub fn check(&self, acct: &Account) -> Audit {
        let text = format!(
            "[profile]\nname = \"fields\"\nregions = [\"{}\"]\n[[requirement]]\nid = \"r\"\nkind = \"{}\"\nselect = {}\n[requirement.expect]\n{}\n",
            self.region, self.kind, self.select, self.expect
        );
        let profile = audit::profile_file(&text);
        let a = audit::run(acct, &[profile.path()], &[]);
        a.assert_code(1);
        let mut want = vec![(self.drift, "drift"), (self.pass, "pass")];
        want.sort();
        let rows: Vec<(String, String)> =
            a.rows().into_iter().map(|(_, res, status)| (res.unwrap_or_else(|| "-".into()), status)).collect();
        let want: Vec<(String, String)> = want.into_iter().map(|(r, s)| (r.to_string(), s.to_string())).collect();
        assert_eq!(rows, want, "{}.{}: rows", self.kind, self.field);
        let checks = |res: &str| a.finding("r", Some(res))["checks"].as_array().cloned().unwrap_or_default();
        let failed: Vec<(String, Value)> = checks(self.drift)
            .iter()
            .filter(|c| c["ok"] != true)
            .map(|c| (c["field"].as_str().unwrap_or_default().to_string(), c["observed"].clone()))
            .collect();
        assert_eq!(
            failed,
            [(self.field.to_string(), self.drift_observed.clone())],
            "{}.{}: drift",
            self.kind,
            self.field
        );
        let passed: Vec<(String, Value)> = checks(self.pass)
            .iter()
            .map(|c| (c["field"].as_str().unwrap_or_default().to_string(), c["ok"].clone()))
            .collect();
        assert_eq!(passed, [(self.field.to_string(), json!(true))], "{}.{}: pass", self.kind, self.field);
        assert_eq!(a.report["errors"], json!([]), "{}.{}: errors", self.kind, self.field);
        assert_eq!(a.report["summary"], json!({"pass": 1, "drift": 1, "unknown": 0, "not_applicable": 0, "waived": 0}));
        a
    }
}

/// A fresh account for one proof.
pub fn fresh() -> Account {
    account()
}

/// The source of each group file, to check that every claimed test exists.
const GROUPS: &[(&str, &str, &[(&str, &str, &str)])] = &[
    ("compute_data.rs", include_str!("compute_data.rs"), compute_data::PROVEN),
    ("identity_messaging.rs", include_str!("identity_messaging.rs"), identity_messaging::PROVEN),
    ("network.rs", include_str!("network.rs"), network::PROVEN),
    (
        "storage_edge.rs",
        concat!(include_str!("storage_edge.rs"), include_str!("storage_edge/waf.rs")),
        storage_edge::PROVEN,
    ),
];

/// Prints the (kind, field) matrix with how each is proven, and fails for a pair
/// proven neither live nor over recorded answers, or for a claim without its test.
#[test]
fn every_field_of_every_kind_is_proven_both_ways() {
    let mut missing = Vec::new();
    let mut matrix = String::new();
    for kind in driftwatch::kinds::REGISTRY {
        for field in kind.all_fields() {
            let live: Vec<String> = GROUPS
                .iter()
                .flat_map(|(file, source, proven)| {
                    proven.iter().filter(|(k, f, _)| *k == kind.name && *f == field.name).map(move |(_, _, test)| {
                        assert!(
                            source.contains(&format!("fn {test}(")),
                            "{}.{} claims {file}::{test}, which does not exist",
                            kind.name,
                            field.name
                        );
                        format!("live {file}::{test}")
                    })
                })
                .collect();
            let recorded: Vec<String> = RECORDED_ONLY
                .iter()
                .filter(|(k, f, _, _)| *k == kind.name && *f == field.name)
                .map(|(_, _, why, test)| {
                    let (file, name) = test.split_once("::").expect("a recorded test is path::fn");
                    let source = std::fs::read_to_string(format!("{}/{file}", env!("CARGO_MANIFEST_DIR")))
                        .unwrap_or_else(|e| panic!("{}.{}: {file}: {e}", kind.name, field.name));
                    assert!(source.contains(&format!("fn {name}(")), "{}.{}: no test {test}", kind.name, field.name);
                    format!("recorded {test} ({why})")
                })
                .collect();
            let how = live.into_iter().chain(recorded).collect::<Vec<_>>().join("; ");
            if how.is_empty() {
                missing.push(format!("{}.{}", kind.name, field.name));
            }
            matrix.push_str(&format!(
                "{:<26} {:<32} {}\n",
                kind.name,
                field.name,
                if how.is_empty() { "MISSING" } else { &how }
            ));
        }
    }
    println!("{matrix}");
    assert!(
        missing.is_empty(),
        "fields proven neither live nor over recorded answers:\n{}\n\n{matrix}",
        missing.join("\n")
    );
}
