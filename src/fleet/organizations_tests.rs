//! Discovery over recorded answers. The bodies follow the Organizations API
//! reference's response shapes (JSON 1.1: `Roots`, `OrganizationalUnits`,
//! `Accounts` with `State`/`Status`, `Parents`, `Tags`, `NextToken`; errors as
//! `{"__type": code, "Message": …}` with status 400). The emulator cannot
//! suspend an account nor fail one page of a listing, hence these tests.

use super::*;
use crate::collect::fake::{self, Request};
use serde_json::{json, Value};
use std::collections::BTreeMap;

fn account(id: &str, name: &str, state: Option<&str>, status: Option<&str>) -> Value {
    let mut a = json!({
        "Id": id,
        "Arn": format!("arn:aws:organizations::111111111111:account/o-exampleorgid/{id}"),
        "Email": format!("{name}@example.com"),
        "Name": name,
        "JoinedMethod": "CREATED",
        "JoinedTimestamp": 1.7e9,
    });
    if let Some(s) = state {
        a["State"] = json!(s);
    }
    if let Some(s) = status {
        a["Status"] = json!(s);
    }
    a
}

fn active(id: &str, name: &str) -> Value {
    account(id, name, Some("ACTIVE"), Some("ACTIVE"))
}

fn ou(id: &str) -> Value {
    json!({"Id": id, "Arn": format!("arn:aws:organizations::111111111111:ou/o-exampleorgid/{id}"), "Name": id})
}

fn ok(v: Value) -> (u16, String) {
    (200, v.to_string())
}

fn error(code: &str, message: &str) -> (u16, String) {
    (400, json!({"__type": code, "Message": message}).to_string())
}

fn arg(r: &Request, key: &str) -> String {
    serde_json::from_str::<Value>(&r.body).ok().and_then(|b| b[key].as_str().map(str::to_string)).unwrap_or_default()
}

fn no_tags() -> (u16, String) {
    ok(json!({"Tags": []}))
}

/// r-root
/// ├── 111111111111 (management)
/// ├── ou-root-prod ── 222222222222, 333333333333 (second page)
/// │   └── ou-root-web ── 444444444444, 555555555555 (SUSPENDED)
/// └── ou-root-sandbox (second page of units) ── 666666666666 (Status only)
fn organization(r: &Request) -> (u16, String) {
    let parent = arg(r, "ParentId");
    let token = arg(r, "NextToken");
    match (r.op.as_str(), parent.as_str(), token.as_str()) {
        ("ListRoots", _, _) => ok(
            json!({"Roots": [{"Id": "r-root", "Arn": "arn:aws:organizations::111111111111:root/o-exampleorgid/r-root", "Name": "Root", "PolicyTypes": []}]}),
        ),
        ("ListOrganizationalUnitsForParent", "r-root", "") => {
            ok(json!({"OrganizationalUnits": [ou("ou-root-prod")], "NextToken": "units-2"}))
        }
        ("ListOrganizationalUnitsForParent", "r-root", "units-2") => {
            ok(json!({"OrganizationalUnits": [ou("ou-root-sandbox")]}))
        }
        ("ListOrganizationalUnitsForParent", "ou-root-prod", "") => {
            ok(json!({"OrganizationalUnits": [ou("ou-root-web")]}))
        }
        ("ListOrganizationalUnitsForParent", _, "") => ok(json!({"OrganizationalUnits": []})),
        ("ListAccountsForParent", "r-root", "") => ok(json!({"Accounts": [active("111111111111", "management")]})),
        ("ListAccountsForParent", "ou-root-prod", "") => {
            ok(json!({"Accounts": [active("222222222222", "shop")], "NextToken": "accounts-2"}))
        }
        ("ListAccountsForParent", "ou-root-prod", "accounts-2") => {
            ok(json!({"Accounts": [active("333333333333", "billing")]}))
        }
        ("ListAccountsForParent", "ou-root-web", "") => ok(json!({"Accounts": [
            active("444444444444", "web"),
            account("555555555555", "closed-web", Some("SUSPENDED"), Some("SUSPENDED")),
        ]})),
        ("ListAccountsForParent", "ou-root-sandbox", "") => ok(json!({"Accounts": [
            account("666666666666", "sandbox", None, Some("ACTIVE")),
            account("777777777777", "leaving", Some("PENDING_CLOSURE"), None),
        ]})),
        ("ListParents", _, _) => match arg(r, "ChildId").as_str() {
            "ou-root-web" => ok(json!({"Parents": [{"Id": "ou-root-prod", "Type": "ORGANIZATIONAL_UNIT"}]})),
            "ou-root-prod" => ok(json!({"Parents": [{"Id": "r-root", "Type": "ROOT"}]})),
            other => error("ChildNotFoundException", &format!("no child {other}")),
        },
        ("ListTagsForResource", _, _) => match (arg(r, "ResourceId").as_str(), token.as_str()) {
            ("222222222222", "") => {
                ok(json!({"Tags": [{"Key": "environment", "Value": "prod"}], "NextToken": "tags-2"}))
            }
            ("222222222222", "tags-2") => ok(json!({"Tags": [{"Key": "team", "Value": "shop"}]})),
            ("444444444444", _) => ok(json!({"Tags": [{"Key": "environment", "Value": "prod"}]})),
            _ => no_tags(),
        },
        _ => error("InvalidInputException", &format!("unexpected {} {}", r.op, r.body)),
    }
}

fn fleet_account(id: &str, name: &str, ous: &[&str], tags: &[(&str, &str)]) -> FleetAccount {
    FleetAccount {
        id: id.into(),
        name: Some(name.into()),
        ous: Some(ous.iter().map(|s| s.to_string()).collect()),
        tags: Some(tags.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<BTreeMap<_, _>>()),
    }
}

#[tokio::test]
async fn organizations_whole_tree_every_page_active_only() {
    let (ctx, seen) = fake::recording_ctx(organization);
    let found = discover(&ctx, None).await.unwrap();
    assert_eq!(
        found,
        vec![
            fleet_account("111111111111", "management", &[], &[]),
            fleet_account("222222222222", "shop", &["ou-root-prod"], &[("environment", "prod"), ("team", "shop")]),
            fleet_account("333333333333", "billing", &["ou-root-prod"], &[]),
            fleet_account("444444444444", "web", &["ou-root-prod", "ou-root-web"], &[("environment", "prod")]),
            fleet_account("666666666666", "sandbox", &["ou-root-sandbox"], &[]),
        ]
    );
    // SUSPENDED (555…) and PENDING_CLOSURE (777…) accounts are neither listed nor tag-read
    let mut tag_reads: Vec<String> =
        seen.lock().unwrap().iter().filter(|r| r.op == "ListTagsForResource").map(|r| arg(r, "ResourceId")).collect();
    tag_reads.sort();
    // five accounts, one of them over two pages
    let expected = ["111111111111", "222222222222", "222222222222", "333333333333", "444444444444", "666666666666"];
    assert_eq!(tag_reads, expected);
}

#[tokio::test]
async fn organizations_under_ou_recurses_and_reads_the_path_above() {
    let ctx = fake::ctx_with(organization);
    let found = discover(&ctx, Some("ou-root-web")).await.unwrap();
    assert_eq!(
        found,
        vec![fleet_account("444444444444", "web", &["ou-root-prod", "ou-root-web"], &[("environment", "prod")])]
    );

    let found = discover(&ctx, Some("ou-root-prod")).await.unwrap();
    let ids: Vec<&str> = found.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["222222222222", "333333333333", "444444444444"]);
}

#[tokio::test]
async fn organizations_page_error_fails_the_discovery() {
    let ctx = fake::ctx_with(|r| {
        if r.op == "ListAccountsForParent" && arg(r, "NextToken") == "accounts-2" {
            return error("TooManyRequestsException", "Rate exceeded");
        }
        organization(r)
    });
    let err = discover(&ctx, None).await.unwrap_err();
    assert_eq!(
        err,
        "organizations:ListAccountsForParent for ou-root-prod failed: TooManyRequestsException: Rate exceeded"
    );
}

#[tokio::test]
async fn organizations_tag_read_error_fails_the_discovery() {
    let ctx = fake::ctx_with(|r| {
        if r.op == "ListTagsForResource" && arg(r, "ResourceId") == "444444444444" {
            return error("ServiceException", "internal");
        }
        organization(r)
    });
    let err = discover(&ctx, None).await.unwrap_err();
    assert_eq!(err, "organizations:ListTagsForResource for 444444444444 failed: ServiceException: internal");
}

#[tokio::test]
async fn organizations_denied_or_not_in_use_says_why() {
    let ctx = fake::ctx_with(|_| error("AccessDeniedException", "You don't have permissions to access this resource."));
    assert_eq!(
        discover(&ctx, None).await.unwrap_err(),
        "organizations:ListRoots failed: AccessDeniedException: You don't have permissions to access this resource. \
         (discovering the organization's accounts needs the management account or a delegated administrator of AWS Organizations)"
    );
    let ctx = fake::ctx_with(|_| {
        error("AWSOrganizationsNotInUseException", "Your account is not a member of an organization.")
    });
    assert_eq!(
        discover(&ctx, Some("ou-root-web")).await.unwrap_err(),
        "organizations:ListParents for ou-root-web failed: AWSOrganizationsNotInUseException: Your account is not a \
         member of an organization. (the caller's account is not a member of an organization)"
    );
}

#[tokio::test]
async fn organizations_account_without_state_or_status_is_an_error() {
    let ctx = fake::ctx_with(|r| match r.op.as_str() {
        "ListRoots" => ok(json!({"Roots": [{"Id": "r-root"}]})),
        "ListOrganizationalUnitsForParent" => ok(json!({"OrganizationalUnits": []})),
        "ListAccountsForParent" => ok(json!({"Accounts": [account("888888888888", "odd", None, None)]})),
        _ => no_tags(),
    });
    assert_eq!(
        discover(&ctx, None).await.unwrap_err(),
        "organizations: the answer gives neither State nor Status for account 888888888888"
    );
}

#[test]
fn organizations_id_shapes() {
    for (text, account, ou) in [
        ("123456789012", true, false),
        ("12345678901", false, false),
        ("1234567890123", false, false),
        ("12345678901a", false, false),
        ("ou-ab12-cd34ef56", false, true),
        ("ou-igki-2u4ysi6p", false, true),
        ("ou-ab1-cd34ef56", false, false),
        ("ou-ab12-cd34ef5", false, false),
        ("ou-AB12-cd34ef56", false, false),
        ("r-ab12", false, false),
        ("ou-ab12cd34ef56", false, false),
    ] {
        assert_eq!((is_account_id(text), is_ou_id(text)), (account, ou), "{text}");
    }
}
