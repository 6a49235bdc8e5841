//! wafv2.web_acl: each field seen drifting live next to a web ACL that passes.

use super::super::{fresh, Proof};
use super::deploy::{self, Acl, Dist, EAST};
use crate::support::audit::{self, row};
use crate::support::Account;
use serde_json::{json, Value};

fn waf_proof(acct: &Account, field: &str, expect: &str, pass: &str, drift: &str, drift_observed: Value) {
    Proof {
        kind: "wafv2.web_acl",
        field,
        select: "{ name_glob = \"*\" }",
        expect,
        region: EAST,
        pass,
        drift,
        drift_observed,
    }
    .check(acct);
}

/// `scope` chooses which listings are read (wafv2.web_acl doc), so a web ACL of the
/// other scope drifts as a `count` finding: `edge` is REGIONAL where CloudFront's
/// scope is required, next to `cdn`, a CLOUDFRONT one.
#[tokio::test]
async fn waf_scope() {
    let acct = fresh();
    let cdn = deploy::web_acl(&acct, Acl { cloudfront: true, ..Acl::new("cdn") }).await.unwrap();
    deploy::web_acl(&acct, Acl::new("edge")).await.unwrap();
    let text = "[profile]\nname = \"fields\"\nregions = [\"us-east-1\"]\n\
        [[requirement]]\nid = \"cdn\"\nkind = \"wafv2.web_acl\"\nselect = { name = \"cdn\" }\nmin_count = 1\n[requirement.expect]\nscope = \"CLOUDFRONT\"\n\
        [[requirement]]\nid = \"edge\"\nkind = \"wafv2.web_acl\"\nselect = { name = \"edge\" }\nmin_count = 1\n[requirement.expect]\nscope = \"CLOUDFRONT\"\n";
    let profile = audit::profile_file(text);
    let a = audit::run(&acct, &[profile.path()], &[]);
    a.assert_code(1);
    let mut rows = a.rows();
    rows.sort();
    assert_eq!(rows, [row("cdn", Some(&cdn), "pass"), row("edge", None, "drift")]);
    let checks = |req: &str, res: Option<&str>| deploy::checks(&a, req, res);
    assert_eq!(checks("edge", None), [(json!("count"), json!(0), json!(false))]);
    assert_eq!(checks("cdn", Some(&cdn)), [(json!("scope"), json!("CLOUDFRONT"), json!(true))]);
    assert_eq!(a.report["errors"], json!([]));
    assert_eq!(a.report["summary"], json!({"pass": 1, "drift": 1, "unknown": 0, "not_applicable": 0, "waived": 0}));
}

#[tokio::test]
async fn waf_managed_rule_groups() {
    let acct = fresh();
    let ok = deploy::web_acl(&acct, Acl { group: Some(false), ..Acl::new("blocks") }).await.unwrap();
    // the group runs with OverrideAction Count: its verdicts only count
    let bad = deploy::web_acl(&acct, Acl { group: Some(true), ..Acl::new("counts") }).await.unwrap();
    let observed = json!(["AWS:AWSManagedRulesCommonRuleSet (blocks nothing: the rule's OverrideAction is Count)"]);
    let expect = "managed_rule_groups = [\"AWSManagedRulesCommonRuleSet\"]";
    waf_proof(&acct, "managed_rule_groups", expect, &ok, &bad, observed);
}

#[tokio::test]
async fn waf_rate_limit() {
    let acct = fresh();
    let ok = deploy::web_acl(&acct, Acl { rate: Some((2000, false)), ..Acl::new("limits") }).await.unwrap();
    let bad = deploy::web_acl(&acct, Acl { rate: Some((2000, true)), ..Acl::new("counts") }).await.unwrap();
    let observed = json!(["per-ip: limit 2000, Count (limits nothing)"]);
    waf_proof(&acct, "rate_limit", "rate_limit = true", &ok, &bad, observed);
}

#[tokio::test]
async fn waf_rate_limit_requests() {
    let acct = fresh();
    let ok = deploy::web_acl(&acct, Acl { rate: Some((1000, false)), ..Acl::new("tight") }).await.unwrap();
    let bad = deploy::web_acl(&acct, Acl { rate: Some((10000, false)), ..Acl::new("loose") }).await.unwrap();
    let expect = "rate_limit_requests = { at_most = 2000 }";
    waf_proof(&acct, "rate_limit_requests", expect, &ok, &bad, json!(["per-ip: limit 10000, Block"]));
}

#[tokio::test]
async fn waf_logging() {
    let acct = fresh();
    let ok = deploy::web_acl(&acct, Acl::new("logged")).await.unwrap();
    deploy::waf_logging(&acct, &ok).await.unwrap();
    let bad = deploy::web_acl(&acct, Acl::new("silent")).await.unwrap();
    waf_proof(&acct, "logging", "logging = true", &ok, &bad, json!(false));
}

/// `used_by_cloudfront` asks of CloudFront's web ACLs, so the profile also says
/// `scope = "CLOUDFRONT"`: the pass row has both checks, the drift row fails only
/// `used_by_cloudfront`.
#[tokio::test]
async fn waf_used_by_cloudfront() {
    let acct = fresh();
    let used = deploy::web_acl(&acct, Acl { cloudfront: true, ..Acl::new("used") }).await.unwrap();
    let idle = deploy::web_acl(&acct, Acl { cloudfront: true, ..Acl::new("idle") }).await.unwrap();
    deploy::distribution(&acct, Dist { web_acl: Some(used.clone()), ..Dist::new(&acct, "site") }).await.unwrap();
    let text = "[profile]\nname = \"fields\"\nregions = [\"us-east-1\"]\n[[requirement]]\nid = \"r\"\nkind = \"wafv2.web_acl\"\nselect = { name_glob = \"*\" }\n[requirement.expect]\nscope = \"CLOUDFRONT\"\nused_by_cloudfront = true\n";
    let profile = audit::profile_file(text);
    let a = audit::run(&acct, &[profile.path()], &[]);
    a.assert_code(1);
    let mut rows = a.rows();
    rows.sort();
    let mut want = vec![row("r", Some(&used), "pass"), row("r", Some(&idle), "drift")];
    want.sort();
    assert_eq!(rows, want);
    let checks = |res: &str| deploy::checks(&a, "r", Some(res));
    assert_eq!(
        checks(&idle),
        [(json!("scope"), json!("CLOUDFRONT"), json!(true)), (json!("used_by_cloudfront"), json!([]), json!(false))]
    );
    let pass: Vec<(Value, Value)> = checks(&used).into_iter().map(|(f, _, ok)| (f, ok)).collect();
    assert_eq!(pass, [(json!("scope"), json!(true)), (json!("used_by_cloudfront"), json!(true))]);
    assert_eq!(a.report["errors"], json!([]));
    assert_eq!(a.report["summary"], json!({"pass": 1, "drift": 1, "unknown": 0, "not_applicable": 0, "waived": 0}));
}

#[tokio::test]
async fn waf_required_tags() {
    let acct = fresh();
    let ok = deploy::web_acl(&acct, Acl { tags: vec![("team", "web")], ..Acl::new("web") }).await.unwrap();
    let bad = deploy::web_acl(&acct, Acl { tags: vec![("team", "data")], ..Acl::new("data") }).await.unwrap();
    waf_proof(&acct, "required_tags", "required_tags = { team = \"web\" }", &ok, &bad, json!({"team": "data"}));
}

#[tokio::test]
async fn waf_name_pattern() {
    let acct = fresh();
    // both in us-east-1; the second names another region
    let ok = deploy::web_acl(&acct, Acl::new("shop-us-east-1")).await.unwrap();
    let bad = deploy::web_acl(&acct, Acl::new("shop-eu-west-1")).await.unwrap();
    waf_proof(&acct, "name_pattern", "name_pattern = \"{app}-{region}\"", &ok, &bad, json!("shop-eu-west-1"));
}
