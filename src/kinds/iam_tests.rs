//! iam.* evaluation over AWS-shaped policy documents (IAM JSON policy reference:
//! NotAction, NotResource, action names case-insensitive; condition operators
//! Bool / BoolIfExists and aws:MultiFactorAuthPresent).

#[allow(unused_imports)]
use crate::compare::Finding;
use crate::compare::{evaluate, Status};
#[allow(unused_imports)]
use crate::inventory::*;
use crate::inventory::{AttachedPolicy, InlinePolicy, ManagedPolicy, Observed, Principal};
#[allow(unused_imports)]
use crate::kinds::fixtures::*;
use crate::kinds::fixtures::{denied, observed, principal, req, statuses, with_iam};
use serde_json::{json, Value as Json};
use std::collections::BTreeMap;
#[allow(unused_imports)]
use std::collections::BTreeSet;

fn role_with_inline(name: &str, document: Json) -> crate::inventory::IamPrincipal {
    let mut r = principal(Principal::Role, name);
    r.inline.push(InlinePolicy { name: "p".into(), document });
    r
}

fn role_arn(name: &str) -> String {
    format!("arn:aws:iam::1:role/{name}")
}

#[test]
fn forbid_admin_matches_notaction_notresource_and_star_forms() {
    let r = req("iam.role", "[requirement.expect]\nforbid_policies = [\"AdministratorAccess\"]");
    let roles = vec![
        role_with_inline(
            "a-notaction",
            json!({"Version": "2012-10-17", "Statement": {"Sid": "Broad", "Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}}),
        ),
        role_with_inline(
            "b-notresource",
            json!({"Statement": [
                {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"},
                {"Effect": "Allow", "Action": ["s3:GetObject", "*"], "NotResource": "arn:aws:s3:::secret"}]}),
        ),
        role_with_inline(
            "c-starstar",
            json!({"Statement": [{"Effect": "Allow", "Action": "*:*", "Resource": ["arn:aws:s3:::x", "*"]}]}),
        ),
        role_with_inline(
            "d-arn-wildcard",
            json!({"Statement": [{"Effect": "Allow", "Action": ["*"], "Resource": "arn:aws:*:*:*:*"}]}),
        ),
        role_with_inline(
            "e-scoped-notaction",
            json!({"Statement": [{"Effect": "Allow", "NotAction": "s3:DeleteBucket", "Resource": "arn:aws:s3:::*"}]}),
        ),
        role_with_inline(
            "f-deny-notaction",
            json!({"Statement": [{"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"}]}),
        ),
        role_with_inline(
            "g-service-star",
            json!({"Statement": [
                {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
                {"Effect": "Allow", "NotAction": "*", "Resource": "*"},
                {"Effect": "Allow", "Action": "*", "NotResource": "*"}]}),
        ),
        role_with_inline(
            "h-both-not",
            json!({"Statement": [{"Effect": "Allow", "NotAction": ["iam:*"], "NotResource": ["arn:aws:s3:::x"]}]}),
        ),
    ];
    let f = evaluate(&[r], &with_iam(roles, Observed::Known(BTreeMap::new())));
    let names = ["a-notaction", "b-notresource", "c-starstar", "d-arn-wildcard", "e-scoped-notaction"];
    let expected_status = [Status::Drift, Status::Drift, Status::Drift, Status::Drift, Status::Pass];
    let arns: Vec<String> = names.iter().map(|n| role_arn(n)).collect();
    let more: Vec<String> = ["f-deny-notaction", "g-service-star", "h-both-not"].iter().map(|n| role_arn(n)).collect();
    let mut want: Vec<(Option<&str>, Status)> =
        arns.iter().zip(expected_status).map(|(a, s)| (Some(a.as_str()), s)).collect();
    want.extend([
        (Some(more[0].as_str()), Status::Pass),
        (Some(more[1].as_str()), Status::Pass),
        (Some(more[2].as_str()), Status::Drift),
    ]);
    assert_eq!(statuses(&f), want);
    assert_eq!(
        observed(&f[0], "forbid_policies"),
        &json!([
            "inline p (statement 1 \"Broad\": Allow with NotAction [\"iam:*\"] on Resource *: every action not listed, on every resource)"
        ])
    );
    assert_eq!(
        observed(&f[1], "forbid_policies"),
        &json!([
            "inline p (statement 2: Allow * with NotResource [\"arn:aws:s3:::secret\"]: every action, on every resource not listed)"
        ])
    );
    assert_eq!(observed(&f[2], "forbid_policies"), &json!(["inline p (Allow * on *)"]));
    assert_eq!(observed(&f[3], "forbid_policies"), &json!(["inline p (Allow * on *)"]));
    assert_eq!(observed(&f[4], "forbid_policies"), &json!([]));
    assert_eq!(
        observed(&f[7], "forbid_policies"),
        &json!([
            "inline p (statement 1: Allow with NotAction [\"iam:*\"] and NotResource [\"arn:aws:s3:::x\"]: every action and resource not listed)"
        ])
    );
}

#[test]
fn forbid_admin_in_customer_managed_policy_and_any_partition() {
    let r =
        req("iam.role", "[requirement.expect]\nforbid_policies = [\"arn:aws:iam::aws:policy/AdministratorAccess\"]");
    let mut custom = principal(Principal::Role, "a-custom");
    custom.attached.push(AttachedPolicy { name: "Ops".into(), arn: "arn:aws:iam::1:policy/Ops".into() });
    let mut china = principal(Principal::Role, "b-china");
    china.arn = "arn:aws-cn:iam::1:role/b-china".into();
    china.attached.push(AttachedPolicy {
        name: "AdministratorAccess".into(),
        arn: "arn:aws-cn:iam::aws:policy/AdministratorAccess".into(),
    });
    let mut gov_reader = principal(Principal::Role, "c-gov-reader");
    gov_reader.attached.push(AttachedPolicy {
        name: "ReadOnlyAccess".into(),
        arn: "arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess".into(),
    });
    let local = BTreeMap::from([(
        "arn:aws:iam::1:policy/Ops".to_string(),
        ManagedPolicy {
            arn: "arn:aws:iam::1:policy/Ops".into(),
            name: "Ops".into(),
            document: json!({"Statement": [{"Sid": "AllButIam", "Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"}]}),
        },
    )]);
    let f = evaluate(&[r], &with_iam(vec![custom, china, gov_reader], Observed::Known(local)));
    assert_eq!(
        statuses(&f),
        [
            (Some("arn:aws-cn:iam::1:role/b-china"), Status::Drift),
            (Some("arn:aws:iam::1:role/a-custom"), Status::Drift),
            (Some("arn:aws:iam::1:role/c-gov-reader"), Status::Pass),
        ]
    );
    assert_eq!(observed(&f[0], "forbid_policies"), &json!(["AdministratorAccess (attached)"]));
    assert_eq!(
        observed(&f[1], "forbid_policies"),
        &json!([
            "Ops (customer-managed, statement 1 \"AllButIam\": Allow with NotAction [\"iam:*\",\"organizations:*\"] on Resource *: every action not listed, on every resource)"
        ])
    );
}

#[test]
fn forbid_admin_with_unreadable_documents_is_unknown() {
    let r = req("iam.role", "[requirement.expect]\nforbid_policies = [\"AdministratorAccess\"]");
    let unreadable = role_with_inline("a-unreadable", Json::Null);
    let mut missing = principal(Principal::Role, "b-missing");
    missing.attached.push(AttachedPolicy { name: "Gone".into(), arn: "arn:aws:iam::1:policy/Gone".into() });
    let mut denied_local = principal(Principal::Role, "c-denied");
    denied_local.attached.push(AttachedPolicy { name: "X".into(), arn: "arn:aws:iam::1:policy/X".into() });
    let f = evaluate(&[r.clone()], &with_iam(vec![unreadable, missing], Observed::Known(BTreeMap::new())));
    assert_eq!(
        statuses(&f),
        [
            (Some(role_arn("a-unreadable").as_str()), Status::Unknown),
            (Some(role_arn("b-missing").as_str()), Status::Unknown)
        ]
    );
    let f = evaluate(&[r], &with_iam(vec![denied_local], Observed::Unknown(denied("GetAccountAuthorizationDetails"))));
    assert_eq!(statuses(&f), [(Some(role_arn("c-denied").as_str()), Status::Unknown)]);
}

fn trusted(name: &str, trust: Json) -> crate::inventory::IamPrincipal {
    let mut r = principal(Principal::Role, name);
    r.trust_policy = Some(trust);
    r
}

fn allow(condition: Json) -> Json {
    json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "sts:AssumeRole", "Condition": condition})
}

#[test]
fn require_mfa_bool_passes_bool_if_exists_drifts_deny_if_exists_enforces() {
    let r = req("iam.role", "[requirement.expect]\nrequire_mfa = true");
    let plain_allow =
        json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "sts:AssumeRole"});
    let roles = vec![
        trusted("a-bool", json!({"Statement": [allow(json!({"Bool": {"aws:MultiFactorAuthPresent": "true"}}))]})),
        trusted(
            "b-ifexists",
            json!({"Statement": allow(json!({"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}))}),
        ),
        trusted(
            "c-deny-ifexists",
            json!({"Statement": [plain_allow.clone(), {"Sid": "DenyNoMfa", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "STS:assumerole", "Condition": {"BoolIfExists": {"aws:multifactorauthpresent": false}}}]}),
        ),
        trusted(
            "d-deny-bool",
            json!({"Statement": [plain_allow.clone(), {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}]}),
        ),
        trusted(
            "e-deny-other-action",
            json!({"Statement": [plain_allow.clone(), {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "sts:TagSession", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}),
        ),
        trusted(
            "f-either-value",
            json!({"Statement": [allow(json!({"Bool": {"aws:MultiFactorAuthPresent": ["true", "false"]}}))]}),
        ),
        trusted(
            "g-second-allow-open",
            json!({"Statement": [allow(json!({"Bool": {"aws:MultiFactorAuthPresent": true}})), {"Sid": "Ci", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::2:root"}, "Action": "sts:AssumeRole"}]}),
        ),
        principal(Principal::Role, "h-no-trust"),
    ];
    let f = evaluate(&[r], &with_iam(roles, Observed::default()));
    let got: Vec<(String, Status, Json)> =
        f.iter().map(|f| (f.resource.clone().unwrap_or_default(), f.status, f.checks[0].observed.clone())).collect();
    let row = |n: &str, s: Status, o: Json| (role_arn(n), s, o);
    assert_eq!(
        got,
        [
            row("a-bool", Status::Pass, json!("every Allow statement has Bool aws:MultiFactorAuthPresent = true")),
            row(
                "b-ifexists",
                Status::Drift,
                json!("statement 1: BoolIfExists does not require MFA (the key is absent for long-term credentials, and IfExists then matches)")
            ),
            row(
                "c-deny-ifexists",
                Status::Pass,
                json!("statement 2 \"DenyNoMfa\": Deny with BoolIfExists aws:MultiFactorAuthPresent = false refuses requests without MFA")
            ),
            row(
                "d-deny-bool",
                Status::Drift,
                json!("statement 1: no aws:MultiFactorAuthPresent condition; statement 2: a Deny with Bool (not BoolIfExists) aws:MultiFactorAuthPresent = false does not match requests without the key (long-term credentials)")
            ),
            row("e-deny-other-action", Status::Drift, json!("statement 1: no aws:MultiFactorAuthPresent condition")),
            row("f-either-value", Status::Drift, json!("statement 1: Bool aws:MultiFactorAuthPresent is not only true")),
            row("g-second-allow-open", Status::Drift, json!("statement 2 \"Ci\": no aws:MultiFactorAuthPresent condition")),
            row("h-no-trust", Status::Unknown, Json::Null),
        ]
    );
}

#[test]
fn path_prefix_exclude_leaves_service_linked_roles_out() {
    let r = req(
        "iam.role",
        "select = { exclude = { path_prefix = \"/aws-service-role/\" } }\n[requirement.expect]\nforbid_policies = [\"AdministratorAccess\"]",
    );
    let mut linked = role_with_inline(
        "AWSServiceRoleForSupport",
        json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}),
    );
    linked.path = "/aws-service-role/support.amazonaws.com/".into();
    let own = role_with_inline("app", json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}));
    let f = evaluate(&[r], &with_iam(vec![linked, own], Observed::Known(BTreeMap::new())));
    assert_eq!(statuses(&f), [(Some(role_arn("app").as_str()), Status::Drift)]);
}

#[test]
fn iam_role_admin_attached_inline_or_customer_managed_drifts() {
    let r = req("iam.role", "[requirement.expect]\nforbid_policies = [\"AdministratorAccess\"]");
    let mut attached = principal(Principal::Role, "a");
    attached.attached.push(AttachedPolicy {
        name: "AdministratorAccess".into(),
        arn: "arn:aws:iam::aws:policy/AdministratorAccess".into(),
    });
    let mut inline = principal(Principal::Role, "b");
    inline.inline.push(InlinePolicy {
        name: "all".into(),
        document: serde_json::json!({"Statement": [{"Effect": "Allow", "Action": ["*"], "Resource": "*"}]}),
    });
    let mut custom = principal(Principal::Role, "c");
    custom.attached.push(AttachedPolicy { name: "Mine".into(), arn: "arn:aws:iam::1:policy/Mine".into() });
    let mut fine = principal(Principal::Role, "d");
    fine.inline.push(InlinePolicy {
        name: "read".into(),
        document: serde_json::json!({"Statement": {"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}}),
    });
    let user = principal(Principal::User, "u");
    let local = BTreeMap::from([(
        "arn:aws:iam::1:policy/Mine".to_string(),
        ManagedPolicy {
            arn: "arn:aws:iam::1:policy/Mine".into(),
            name: "Mine".into(),
            document: serde_json::json!({"Statement": [{"Effect": "Allow", "Action": "*:*", "Resource": ["*"]}]}),
        },
    )]);
    let f = evaluate(&[r], &with_iam(vec![attached, inline, custom, fine, user], Observed::Known(local)));
    let s: Vec<Status> = f.iter().map(|f| f.status).collect();
    assert_eq!(s, [Status::Drift, Status::Drift, Status::Drift, Status::Pass]);
    assert_eq!(observed(&f[0], "forbid_policies"), &serde_json::json!(["AdministratorAccess (attached)"]));
    assert_eq!(observed(&f[1], "forbid_policies"), &serde_json::json!(["inline all (Allow * on *)"]));
    assert_eq!(observed(&f[2], "forbid_policies"), &serde_json::json!(["Mine (customer-managed, Allow * on *)"]));
}

#[test]
fn iam_role_customer_policy_unreadable_is_unknown() {
    let r =
        req("iam.role", "[requirement.expect]\nforbid_policies = [\"arn:aws:iam::aws:policy/AdministratorAccess\"]");
    let mut custom = principal(Principal::Role, "c");
    custom.attached.push(AttachedPolicy { name: "Mine".into(), arn: "arn:aws:iam::1:policy/Mine".into() });
    let f = evaluate(&[r], &with_iam(vec![custom], Observed::Unknown(denied("GetAccountAuthorizationDetails"))));
    assert_eq!(f[0].status, Status::Unknown);
}

#[test]
fn iam_require_policies_and_max_attached() {
    let r = req(
        "iam.role",
        "[requirement.expect]\nrequire_policies = [\"ReadOnlyAccess\", \"logs\"]\nattached_policies = { at_most = 1 }",
    );
    let mut ok = principal(Principal::Role, "ok");
    ok.attached
        .push(AttachedPolicy { name: "ReadOnlyAccess".into(), arn: "arn:aws:iam::aws:policy/ReadOnlyAccess".into() });
    ok.inline.push(InlinePolicy { name: "logs".into(), document: serde_json::Value::Null });
    let mut bad = principal(Principal::Role, "bad");
    bad.attached
        .push(AttachedPolicy { name: "ReadOnlyAccess".into(), arn: "arn:aws:iam::aws:policy/ReadOnlyAccess".into() });
    bad.attached.push(AttachedPolicy { name: "X".into(), arn: "arn:aws:iam::1:policy/X".into() });
    let f = evaluate(&[r], &with_iam(vec![ok, bad], Observed::default()));
    assert_eq!(
        statuses(&f),
        [(Some("arn:aws:iam::1:role/bad"), Status::Drift), (Some("arn:aws:iam::1:role/ok"), Status::Pass)]
    );
    let failed: Vec<&str> = f[0].checks.iter().filter(|c| c.ok == Some(false)).map(|c| c.field.as_ref()).collect();
    assert_eq!(failed, ["require_policies", "attached_policies"]);
}

#[test]
fn iam_require_mfa_for_users_and_roles() {
    let users = req("iam.user", "[requirement.expect]\nrequire_mfa = true");
    let mut with = principal(Principal::User, "with");
    with.mfa_devices = Observed::Known(1);
    let without = principal(Principal::User, "without");
    let mut unread = principal(Principal::User, "unread");
    unread.mfa_devices = Observed::Unknown(denied("ListMFADevices"));
    let f = evaluate(&[users], &with_iam(vec![with, without, unread], Observed::default()));
    assert_eq!(f.iter().map(|f| f.status).collect::<Vec<_>>(), [Status::Unknown, Status::Pass, Status::Drift]);

    let roles = req("iam.role", "[requirement.expect]\nrequire_mfa = true");
    let mut mfa = principal(Principal::Role, "mfa");
    mfa.trust_policy = Some(
        serde_json::json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "sts:AssumeRole", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}),
    );
    let mut plain = principal(Principal::Role, "plain");
    plain.trust_policy = Some(
        serde_json::json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "sts:AssumeRole"}]}),
    );
    let f = evaluate(&[roles], &with_iam(vec![mfa, plain], Observed::default()));
    assert_eq!(f.iter().map(|f| f.status).collect::<Vec<_>>(), [Status::Pass, Status::Drift]);
}
