//! `permissions --check` over recorded answers. The bodies follow the IAM and STS
//! API references' XML response shapes (GetCallerIdentity, GetRole,
//! SimulatePrincipalPolicy with IsTruncated/Marker); nothing here comes from an
//! emulator's output.
//!
//! No live test: LocalStack's IAM has a SimulatePrincipalPolicy
//! (`localstack/services/iam/resources/policy_simulator.py`) that fails with
//! InternalError unless `ResourceArns` is given (AWS documents it as optional, all
//! resources by default), answers `explicitDeny` where nothing matched (AWS:
//! `implicitDeny`), counts the role's trust policy as a permission policy and never
//! truncates, so it cannot stand in for IAM; these recorded answers do.

use super::*;
use crate::collect::fake::{self, Request};

const STS_NS: &str = "https://sts.amazonaws.com/doc/2011-06-15/";
const IAM_NS: &str = "https://iam.amazonaws.com/doc/2010-05-08/";

fn identity(arn: &str) -> String {
    format!(
        r#"<GetCallerIdentityResponse xmlns="{STS_NS}"><GetCallerIdentityResult><Arn>{arn}</Arn><UserId>AROAEXAMPLE:session</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"#
    )
}

fn role(arn: &str, path: &str, name: &str) -> String {
    format!(
        r#"<GetRoleResponse xmlns="{IAM_NS}"><GetRoleResult><Role><Path>{path}</Path><Arn>{arn}</Arn><RoleName>{name}</RoleName><AssumeRolePolicyDocument>%7B%7D</AssumeRolePolicyDocument><CreateDate>2026-01-08T23:34:01Z</CreateDate><RoleId>AROADBQP57FF2AEXAMPLE</RoleId></Role></GetRoleResult><ResponseMetadata><RequestId>r2</RequestId></ResponseMetadata></GetRoleResponse>"#
    )
}

/// One page of SimulatePrincipalPolicy results; `marker`: truncated, continue there.
fn simulation(results: &[(&str, &str)], marker: Option<&str>) -> String {
    let members: String = results
        .iter()
        .map(|(action, decision)| {
            format!("<member><EvalActionName>{action}</EvalActionName><EvalResourceName>*</EvalResourceName><EvalDecision>{decision}</EvalDecision><MatchedStatements/><MissingContextValues/></member>")
        })
        .collect();
    let tail = match marker {
        Some(m) => format!("<IsTruncated>true</IsTruncated><Marker>{m}</Marker>"),
        None => "<IsTruncated>false</IsTruncated>".to_string(),
    };
    format!(
        r#"<SimulatePrincipalPolicyResponse xmlns="{IAM_NS}"><SimulatePrincipalPolicyResult><EvaluationResults>{members}</EvaluationResults>{tail}</SimulatePrincipalPolicyResult><ResponseMetadata><RequestId>r3</RequestId></ResponseMetadata></SimulatePrincipalPolicyResponse>"#
    )
}

fn error(code: &str, message: &str) -> String {
    format!(
        r#"<ErrorResponse xmlns="{IAM_NS}"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>r4</RequestId></ErrorResponse>"#
    )
}

const ACTIONS: &[&str] = &["iam:GetAccountAuthorizationDetails", "s3:GetBucketVersioning", "s3:ListAllMyBuckets"];

fn run_check(
    route: impl Fn(&Request) -> (u16, String) + Send + Sync + 'static,
) -> (Result<Outcome, CheckError>, Vec<Request>) {
    let (ctx, seen) = fake::recording_ctx(route);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let result = rt.block_on(check(&ctx, ACTIONS));
    let seen = seen.lock().unwrap().clone();
    (result, seen)
}

fn printed(outcome: &Outcome) -> (Exit, String) {
    let mut out = Vec::new();
    let code = report(outcome, &mut out);
    (code, String::from_utf8(out).unwrap())
}

/// `PolicySourceArn=` of a SimulatePrincipalPolicy request, decoded.
fn source_arn(r: &Request) -> String {
    let raw = r.body.split('&').find_map(|kv| kv.strip_prefix("PolicySourceArn=")).unwrap_or("");
    percent_encoding::percent_decode_str(raw).decode_utf8_lossy().into_owned()
}

#[test]
fn check_all_allowed_for_a_user_exits_0() {
    let (result, seen) = run_check(|r| match r.op.as_str() {
        "GetCallerIdentity" => (200, identity("arn:aws:iam::123456789012:user/ci/auditor")),
        "SimulatePrincipalPolicy" => {
            (200, simulation(&[(ACTIONS[0], "allowed"), (ACTIONS[1], "allowed"), (ACTIONS[2], "allowed")], None))
        }
        op => (400, error("InvalidAction", op)),
    });
    let outcome = result.unwrap();
    assert_eq!(
        seen.iter().map(|r| r.op.as_str()).collect::<Vec<_>>(),
        ["GetCallerIdentity", "SimulatePrincipalPolicy"]
    );
    assert_eq!(source_arn(&seen[1]), "arn:aws:iam::123456789012:user/ci/auditor");
    // every action asked for, in one request
    for (i, a) in ACTIONS.iter().enumerate() {
        let encoded = a.replace(':', "%3A");
        assert!(seen[1].body.contains(&format!("ActionNames.member.{}={encoded}", i + 1)), "{}", seen[1].body);
    }
    assert_eq!(
        printed(&outcome),
        (
            Exit::Clean,
            "all 3 action(s) the profiles need are allowed for arn:aws:iam::123456789012:user/ci/auditor\n".into()
        )
    );
}

#[test]
fn check_lists_denied_actions_with_their_decision_and_exits_1() {
    let (result, _) = run_check(|r| match r.op.as_str() {
        "GetCallerIdentity" => (200, identity("arn:aws:iam::123456789012:user/auditor")),
        _ => (
            200,
            simulation(&[(ACTIONS[0], "explicitDeny"), (ACTIONS[1], "implicitDeny"), (ACTIONS[2], "allowed")], None),
        ),
    });
    let outcome = result.unwrap();
    assert_eq!(outcome.refused(), [(ACTIONS[0], "explicitDeny"), (ACTIONS[1], "implicitDeny")]);
    assert_eq!(
        printed(&outcome),
        (
            Exit::Drift,
            "2 of 3 action(s) the profiles need are not allowed for arn:aws:iam::123456789012:user/auditor:\n  \
             iam:GetAccountAuthorizationDetails  explicitDeny\n  \
             s3:GetBucketVersioning              implicitDeny\n"
                .into()
        )
    );
}

#[test]
fn check_reads_every_page_and_passes_the_marker() {
    let (result, seen) = run_check(|r| match (r.op.as_str(), r.body.contains("Marker=page-2")) {
        ("GetCallerIdentity", _) => (200, identity("arn:aws:iam::123456789012:role/auditor")),
        ("SimulatePrincipalPolicy", false) => (200, simulation(&[(ACTIONS[0], "allowed")], Some("page-2"))),
        ("SimulatePrincipalPolicy", true) => {
            (200, simulation(&[(ACTIONS[1], "allowed"), (ACTIONS[2], "implicitDeny")], None))
        }
        (op, _) => (400, error("InvalidAction", op)),
    });
    let outcome = result.unwrap();
    let ops: Vec<&str> = seen.iter().map(|r| r.op.as_str()).collect();
    assert_eq!(ops, ["GetCallerIdentity", "SimulatePrincipalPolicy", "SimulatePrincipalPolicy"]);
    assert!(!seen[1].body.contains("Marker="), "{}", seen[1].body);
    // the decision on the second page counts: not taken as allowed
    assert_eq!(outcome.refused(), [(ACTIONS[2], "implicitDeny")]);
}

#[test]
fn check_of_an_assumed_role_simulates_the_role_with_its_path() {
    let (result, seen) = run_check(|r| match r.op.as_str() {
        "GetCallerIdentity" => (200, identity("arn:aws:sts::123456789012:assumed-role/Auditor/ci-run-42")),
        "GetRole" => (200, role("arn:aws:iam::123456789012:role/ops/audit/Auditor", "/ops/audit/", "Auditor")),
        _ => (200, simulation(&[(ACTIONS[0], "allowed"), (ACTIONS[1], "allowed"), (ACTIONS[2], "allowed")], None)),
    });
    let outcome = result.unwrap();
    assert_eq!(seen[1].op, "GetRole");
    assert!(seen[1].body.contains("RoleName=Auditor"), "{}", seen[1].body);
    assert_eq!(source_arn(&seen[2]), "arn:aws:iam::123456789012:role/ops/audit/Auditor");
    assert_eq!(outcome.principal, "arn:aws:iam::123456789012:role/ops/audit/Auditor");
    assert_eq!(outcome.refused(), Vec::<(&str, &str)>::new());
}

#[test]
fn check_takes_an_action_missing_from_the_results_as_not_allowed() {
    let (result, _) = run_check(|r| match r.op.as_str() {
        "GetCallerIdentity" => (200, identity("arn:aws:iam::123456789012:user/auditor")),
        _ => (200, simulation(&[(ACTIONS[0], "allowed"), (ACTIONS[2], "allowed")], None)),
    });
    assert_eq!(result.unwrap().refused(), [(ACTIONS[1], "not evaluated")]);
}

#[test]
fn check_fails_when_a_page_fails_or_truncation_has_no_marker() {
    let (result, _) = run_check(|r| match (r.op.as_str(), r.body.contains("Marker=")) {
        ("GetCallerIdentity", _) => (200, identity("arn:aws:iam::123456789012:user/auditor")),
        (_, false) => (200, simulation(&[(ACTIONS[0], "allowed")], Some("next"))),
        (_, true) => (403, error("AccessDenied", "not authorized to perform iam:SimulatePrincipalPolicy")),
    });
    assert_eq!(
        result,
        Err(CheckError::Call {
            operation: "iam:SimulatePrincipalPolicy",
            code: "AccessDenied".into(),
            message: "not authorized to perform iam:SimulatePrincipalPolicy".into()
        })
    );
    let truncated = simulation(&[(ACTIONS[0], "allowed")], None).replace("false", "true");
    let (result, _) = run_check(move |r| match r.op.as_str() {
        "GetCallerIdentity" => (200, identity("arn:aws:iam::123456789012:user/auditor")),
        _ => (200, truncated.clone()),
    });
    assert_eq!(
        result.unwrap_err().to_string(),
        "iam:SimulatePrincipalPolicy failed: MalformedResponse: IsTruncated is true but the answer has no Marker"
    );
}

#[test]
fn principal_of_accepts_users_roles_and_sessions_only() {
    let ok = |arn: &str| principal_of(arn).unwrap();
    assert_eq!(
        ok("arn:aws:iam::123456789012:user/alice"),
        Principal::Iam("arn:aws:iam::123456789012:user/alice".into())
    );
    assert_eq!(
        ok("arn:aws:iam::123456789012:role/a/b/R"),
        Principal::Iam("arn:aws:iam::123456789012:role/a/b/R".into())
    );
    assert_eq!(ok("arn:aws-cn:sts::123456789012:assumed-role/Auditor/s"), Principal::AssumedRole("Auditor".into()));
    let refused = |arn: &str| principal_of(arn).unwrap_err().to_string();
    assert_eq!(
        refused("arn:aws:iam::123456789012:root"),
        "the caller is the account's root user (arn:aws:iam::123456789012:root); SimulatePrincipalPolicy takes a user, group or role"
    );
    assert_eq!(
        refused("arn:aws:sts::123456789012:federated-user/bob"),
        "the caller is a federated user (arn:aws:sts::123456789012:federated-user/bob), which SimulatePrincipalPolicy cannot simulate"
    );
    assert_eq!(refused("not-an-arn"), "`not-an-arn` is not an ARN");
    assert_eq!(
        refused("arn:aws:sts::123456789012:assumed-role/OnlyRole"),
        "cannot simulate the caller `arn:aws:sts::123456789012:assumed-role/OnlyRole`: not a user or a role"
    );
}

/// `permissions` for a fleet's caller: the audit statement, then discovering the
/// accounts (Organizations) and entering them (sts:AssumeRole on the role, in the
/// profiles' partition).
#[test]
fn permissions_policy_adds_the_fleet_callers_statements() {
    let dir = tempfile::tempdir().expect("temp dir");
    let profile = dir.path().join("p.toml");
    std::fs::write(
        &profile,
        "[profile]\nname = \"p\"\nregions = [\"cn-north-1\"]\n[[requirement]]\nid = \"r\"\nkind = \"s3.bucket\"\n\
         [requirement.expect]\nversioning = true\n",
    )
    .expect("write");
    let path = profile.to_str().expect("utf-8");
    let run = |extra: &[&str]| {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut argv = vec!["driftwatch", "permissions", "-p", path];
        argv.extend_from_slice(extra);
        let code = crate::cli::run(argv, &mut out, &mut err);
        assert_eq!(code, crate::cli::Exit::Clean, "{}", String::from_utf8_lossy(&err));
        serde_json::from_slice::<serde_json::Value>(&out).expect("a policy")
    };
    let sids = |p: &serde_json::Value| -> Vec<String> {
        p["Statement"].as_array().expect("statements").iter().map(|s| s["Sid"].as_str().unwrap_or("").into()).collect()
    };
    assert_eq!(sids(&run(&[])), ["DriftwatchReadOnlyAudit"]);
    let fleet = run(&["--organization", "--role-name", "audit"]);
    assert_eq!(sids(&fleet), ["DriftwatchReadOnlyAudit", "DriftwatchDiscoverAccounts", "DriftwatchEnterAccounts"]);
    assert_eq!(fleet["Statement"][1]["Action"], serde_json::json!(crate::fleet::organizations::ACTIONS));
    assert_eq!(
        fleet["Statement"][2],
        serde_json::json!({"Sid": "DriftwatchEnterAccounts", "Effect": "Allow", "Action": "sts:AssumeRole",
                           "Resource": "arn:aws-cn:iam::*:role/audit"})
    );
}
