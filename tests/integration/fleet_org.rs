//! A fleet discovered in AWS Organizations (served from the emulator's bundled moto
//! by the project's extension), end to end: a management account (the caller)
//! with five member accounts in two OUs, each member with its own bucket and its
//! own drift. The prod profile scopes itself to the prod OU, the sandbox profile to
//! accounts tagged `environment = sandbox`; one member is left out with
//! `--exclude-accounts`. Then the same run with AssumeRole into one prod account
//! refused: that account is unknown, the others are unaffected.

use super::fleet::{audit_role, bucket, rows, summary, ROLE};
use super::organizations::{create_account, create_ou, move_to};
use crate::samples::Env;
use crate::support::account;
use crate::support::audit::{self, Audit};
use crate::support::faults::{Fault, FaultProxy, Rule, When};
use aws_sdk_organizations::types::{OrganizationFeatureSet, Tag};
use serde_json::{json, Value};

struct Org {
    management: Env,
    prod_ou: String,
    /// prod-1 (compliant), prod-2 (drift), sandbox-1 (compliant), sandbox-2 (drift), other
    members: Vec<Env>,
    buckets: Vec<String>,
}

/// A new member account, moved from the root into `ou` unless that is the root.
async fn member(org: &aws_sdk_organizations::Client, name: &str, root: &str, ou: &str) -> String {
    let id = create_account(org, name).await;
    if ou != root {
        move_to(org, &id, root, ou).await;
    }
    id
}

async fn deploy() -> Org {
    let management = account();
    let org = management.organizations();
    org.create_organization().feature_set(OrganizationFeatureSet::All).send().await.expect("CreateOrganization");
    let root = org.list_roots().send().await.expect("ListRoots").roots()[0].id().expect("root id").to_string();
    let (prod_ou, sandbox_ou) = (create_ou(&org, &root, "prod").await, create_ou(&org, &root, "sandbox").await);
    let mut ids = Vec::new();
    for (name, parent) in [
        ("prod-1", &prod_ou),
        ("prod-2", &prod_ou),
        ("sandbox-1", &sandbox_ou),
        ("sandbox-2", &sandbox_ou),
        ("other", &root),
    ] {
        ids.push(member(&org, name, &root, parent).await);
    }
    for id in &ids[2..4] {
        let tag = Tag::builder().key("environment").value("sandbox").build().expect("tag");
        org.tag_resource().resource_id(id.as_str()).tags(tag).send().await.expect("TagResource");
    }
    let members: Vec<Env> = ids.iter().map(|id| Env::new(&management.endpoint, id)).collect();
    for m in &members {
        audit_role(m, &management.id).await;
    }
    let buckets = vec![
        bucket(&members[0], "p1", true, false).await,  // KMS: prod passes
        bucket(&members[1], "p2", false, true).await,  // SSE-S3: prod drifts
        bucket(&members[2], "s1", false, true).await,  // versioned: sandbox passes
        bucket(&members[3], "s2", true, false).await,  // not versioned: sandbox drifts
        bucket(&members[4], "o1", false, false).await, // excluded
    ];
    Org { management, prod_ou, members, buckets }
}

fn profiles(org: &Org) -> (audit::ProfileFile, audit::ProfileFile) {
    let prod = format!(
        "[profile]\nname = \"prod\"\n[profile.accounts]\nous = [\"{}\"]\n\
         [[requirement]]\nid = \"kms\"\nkind = \"s3.bucket\"\nselect = {{ name_prefix = \"fleet-\" }}\n\
         [requirement.expect]\nencryption = \"aws:kms\"\n",
        org.prod_ou
    );
    let sandbox = "[profile]\nname = \"sandbox\"\n[profile.accounts]\ntags = { environment = \"sandbox\" }\n\
         [[requirement]]\nid = \"versioned\"\nkind = \"s3.bucket\"\nselect = { name_prefix = \"fleet-\" }\n\
         [requirement.expect]\nversioning = true\n";
    (audit::profile_file(&prod), audit::profile_file(sandbox))
}

fn run(org: &Org, endpoint: &str) -> Audit {
    let (prod, sandbox) = profiles(org);
    let args = ["--organization", "--role-name", ROLE, "--exclude-accounts", org.members[4].id.as_str()];
    audit::run_at(&org.management, endpoint, &[prod.path(), sandbox.path()], &args, &[])
}

/// The expected (account, resource, status, failed fields), in account id order;
/// `refused` is the member whose role cannot be assumed.
fn expected(org: &Org, refused: Option<usize>) -> Vec<(String, Option<String>, String, Vec<String>)> {
    let mut rows: Vec<(String, Option<String>, String, Vec<String>)> = (0..4)
        .map(|i| {
            let id = org.members[i].id.clone();
            if refused == Some(i) {
                return (id, None, "unknown".to_string(), vec![]);
            }
            let failed: Vec<String> = match i {
                1 => vec!["encryption".into()],
                3 => vec!["versioning".into()],
                _ => vec![],
            };
            let status = if failed.is_empty() { "pass" } else { "drift" };
            (id, Some(org.buckets[i].clone()), status.to_string(), failed)
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    rows
}

/// `fleet.accounts` ids: the management account (no profile applies to it: no
/// findings) and the four members not excluded.
fn fleet_ids(a: &Audit) -> Vec<String> {
    a.report["fleet"]["accounts"]
        .as_array()
        .unwrap_or_else(|| panic!("no fleet; stderr:\n{}", a.stderr))
        .iter()
        .map(|x| x["id"].as_str().unwrap_or("").to_string())
        .collect()
}

#[tokio::test]
async fn organization_fleet_applies_each_profile_to_its_accounts() {
    let org = deploy().await;
    let a = run(&org, &org.management.endpoint);
    a.assert_code(1);
    assert_eq!(rows(&a), expected(&org, None));
    assert_eq!(a.report["errors"], json!([]));
    assert_eq!(a.report["summary"], summary(2, 2, 0));
    let mut ids: Vec<String> = org.members[..4].iter().map(|m| m.id.clone()).collect();
    ids.push(org.management.id.clone());
    ids.sort();
    assert_eq!(fleet_ids(&a), ids);
    // each finding names its profile: prod for the prod OU, sandbox for the tagged ones
    let profiles: Vec<(String, String)> = a.report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| (f["account"].as_str().unwrap_or("").to_string(), f["profile"].as_str().unwrap_or("").to_string()))
        .collect();
    let mut want: Vec<(String, String)> = vec![
        (org.members[0].id.clone(), "prod".into()),
        (org.members[1].id.clone(), "prod".into()),
        (org.members[2].id.clone(), "sandbox".into()),
        (org.members[3].id.clone(), "sandbox".into()),
    ];
    want.sort();
    assert_eq!(profiles, want);
}

#[tokio::test]
async fn organization_fleet_member_whose_role_is_refused_is_unknown() {
    let org = deploy().await;
    let refused = org.members[1].id.clone();
    let rules =
        vec![Rule::new(Fault::AccessDenied, When::Contains(refused.clone())).service("sts").operation("AssumeRole")];
    let proxy = FaultProxy::start(&org.management.endpoint, rules, 5);
    let a = run(&org, &proxy.url);
    a.assert_code(1);
    assert_eq!(rows(&a), expected(&org, Some(1)));
    let role = format!("arn:aws:iam::{refused}:role/{ROLE}");
    assert_eq!(
        a.report["errors"],
        json!([{"account": refused, "service": "sts", "region": "us-east-1", "operation": "AssumeRole",
                "resource": role, "code": "AccessDenied",
                "message": "AccessDenied injected by the driftwatch test proxy"}])
    );
    let entry: Vec<&Value> = a.report["fleet"]["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .filter(|x| x["id"] == refused.as_str())
        .collect();
    assert_eq!(
        entry,
        [&json!({"id": refused, "name": "prod-2", "summary": summary(0, 0, 1),
                 "error": format!("sts:AssumeRole of {role} failed with AccessDenied: AccessDenied injected by the driftwatch test proxy")})]
    );
    assert_eq!(a.report["summary"], summary(2, 1, 1));
}
