use super::*;
use crate::fleet::AccountScope;
use std::collections::BTreeMap;

const A: &str = "111111111111";
const B: &str = "222222222222";
const C: &str = "333333333333";

fn args(accounts: Option<&[&str]>, exclude: &[&str]) -> FleetArgs {
    FleetArgs {
        accounts: accounts.map(|a| a.iter().map(|s| s.to_string()).collect()),
        exclude_accounts: exclude.iter().map(|s| s.to_string()).collect(),
        account_concurrency: 8,
        ..FleetArgs::default()
    }
}

fn no_env(_: &str) -> Option<String> {
    None
}

fn account(id: &str, ous: Option<&[&str]>, tags: Option<&[(&str, &str)]>) -> FleetAccount {
    FleetAccount {
        id: id.into(),
        name: None,
        ous: ous.map(|o| o.iter().map(|s| s.to_string()).collect()),
        tags: tags.map(|t| t.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<BTreeMap<_, _>>()),
    }
}

fn profile(name: &str, scope: Option<AccountScope>) -> Profile {
    let text = format!("[profile]\nname = \"{name}\"\n[[requirement]]\nid = \"{name}-req\"\nkind = \"iam.role\"\n");
    let mut p = crate::profile::parse("p.toml", &text).unwrap();
    p.accounts = scope;
    p
}

#[test]
fn fleet_flags_are_checked_before_any_call() {
    assert_eq!(selection(&args(None, &[]), false, no_env), Ok(None));
    // the engines' variables alone do not make a fleet run
    let k8s = |n: &str| (n == "JOB_COMPLETION_INDEX").then(|| "1".to_string());
    assert_eq!(selection(&args(None, &[]), false, k8s), Ok(None));
    assert_eq!(
        selection(&args(None, &[A]), false, no_env),
        Err("--exclude-accounts is for fleet runs: add --accounts ID,… or --organization".into())
    );
    let shard_only = FleetArgs { shard: Some("0/2".into()), ..args(None, &[]) };
    assert_eq!(
        selection(&shard_only, false, no_env),
        Err("--shard is for fleet runs: add --accounts ID,… or --organization".into())
    );
    assert_eq!(
        selection(&args(Some(&[A, "12345"]), &[]), false, no_env),
        Err("--accounts 12345: an AWS account id is 12 digits".into())
    );
    assert_eq!(
        selection(&args(Some(&[A]), &["x"]), false, no_env),
        Err("--exclude-accounts x: an AWS account id is 12 digits".into())
    );
    assert_eq!(
        selection(&args(Some(&[A]), &[]), true, no_env),
        Err("--save-inventory saves one account's inventory; it cannot be used with a fleet run".into())
    );
    let sel = selection(&args(Some(&[B, A]), &[C]), false, k8s);
    assert_eq!(
        sel,
        Err("JOB_COMPLETION_INDEX is set (Kubernetes Indexed Job) but not the shard count: pass --shard-count \
             or set DRIFTWATCH_SHARD_COUNT to the Job's .spec.completions"
            .into())
    );
    let with_count = FleetArgs { shard_count: Some(2), ..args(Some(&[B, A]), &[C]) };
    assert_eq!(
        selection(&with_count, false, k8s),
        Ok(Some(Selection {
            organization: false,
            ou: None,
            include: Some(vec![B.into(), A.into()]),
            exclude: [C.to_string()].into(),
            shard: Some(ShardSpec { index: 1, count: 2 }),
        }))
    );
}

#[test]
fn fleet_is_the_list_or_the_organization_narrowed() {
    let sel = selection(&args(Some(&[C, A, B, A]), &[B]), false, no_env).unwrap().unwrap();
    let (fleet, missing) = narrow(None, &sel);
    assert_eq!(fleet.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), [A, C]);
    assert!(missing.is_empty());
    // with Organizations, --accounts keeps only those, and names the ones it lacks
    let org = vec![account(B, Some(&["ou-1"]), None), account(A, Some(&["ou-1"]), None)];
    let sel = Selection { organization: true, ..selection(&args(Some(&[A, C]), &[]), false, no_env).unwrap().unwrap() };
    let (fleet, missing) = narrow(Some(org.clone()), &sel);
    assert_eq!(fleet, [org[1].clone()]);
    assert_eq!(missing, [C]);
    let everything = Selection { include: None, ..sel };
    assert_eq!(narrow(Some(org.clone()), &everything).0, [org[1].clone(), org[0].clone()]);
}

#[test]
fn shard_of_the_fleet_keeps_its_accounts_details() {
    let fleet = vec![account(A, Some(&["ou-1"]), None), account(B, None, None), account(C, None, None)];
    let part = shard_of(fleet.clone(), Some(ShardSpec { index: 0, count: 2 }));
    assert_eq!(part, [fleet[0].clone(), fleet[2].clone()]);
    assert_eq!(shard_of(fleet.clone(), None), fleet);
}

/// The requirement ids of `requirements_for`'s answer.
fn req_ids(r: Result<Vec<crate::profile::Requirement>, String>) -> Result<Vec<String>, String> {
    r.map(|reqs| reqs.into_iter().map(|r| r.id).collect())
}

#[test]
fn profiles_apply_to_the_accounts_their_scope_matches() {
    let ids = |i: &[&str]| Some(i.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let profiles = [
        profile("everywhere", None),
        profile("by-id", Some(AccountScope { ids: ids(&[A]), ..AccountScope::default() })),
        profile("by-ou", Some(AccountScope { ous: ids(&["ou-prod"]), ..AccountScope::default() })),
        profile(
            "by-tag",
            Some(AccountScope {
                tags: Some([("environment".to_string(), "prod".to_string())].into()),
                ..AccountScope::default()
            }),
        ),
    ];
    let names = |acct: &FleetAccount| -> Vec<String> {
        requirements_for(&profiles, acct).expect("decidable").into_iter().map(|r| r.id).collect()
    };
    let prod = account(C, Some(&["r-root", "ou-prod", "ou-web"]), Some(&[("environment", "prod")]));
    assert_eq!(names(&prod), ["everywhere-req", "by-ou-req", "by-tag-req"]);
    let sandbox = account(B, Some(&["r-root", "ou-sandbox"]), Some(&[("environment", "sandbox")]));
    assert_eq!(names(&sandbox), ["everywhere-req"]);

    // an account given by --accounts alone has no OUs or tags: an ids scope is
    // decided; an OU or tag scope is an error naming the profile, never a profile
    // silently left out (which would read as nothing to find there)
    let by_ids = [profiles[0].clone(), profiles[1].clone()];
    let bare = |id: &str| req_ids(requirements_for(&by_ids, &account(id, None, None)));
    assert_eq!(bare(A), Ok(vec!["everywhere-req".to_string(), "by-id-req".to_string()]));
    assert_eq!(bare(B), Ok(vec!["everywhere-req".to_string()]));
    let unknown = |scoped: &Profile, what: &str| {
        format!(
            "profile `{}` (p.toml) is scoped by {what}, which only --organization reads; account {B} was given by \
             --accounts alone, so whether the profile applies to it is unknown: add --organization (--accounts then \
             narrows the organization's accounts) or scope the profile by `ids`",
            scoped.name
        )
    };
    assert_eq!(
        req_ids(requirements_for(&profiles[..3], &account(B, None, None))),
        Err(unknown(&profiles[2], "organizational units"))
    );
    assert_eq!(
        req_ids(requirements_for(&profiles[3..], &account(B, None, None))),
        Err(unknown(&profiles[3], "Organizations tags"))
    );
    // an ids scope that leaves the account out settles it before OUs are asked for
    let ids_and_ou =
        profile("prod-a", Some(AccountScope { ids: ids(&[A]), ous: ids(&["ou-prod"]), ..AccountScope::default() }));
    assert_eq!(req_ids(requirements_for(&[ids_and_ou], &account(B, None, None))), Ok(vec![]));
}

#[test]
fn fleet_bad_flags_exit_2_before_any_call() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.toml");
    std::fs::write(&good, "[profile]\nname = \"g\"\n[[requirement]]\nid = \"a\"\nkind = \"iam.role\"\n").unwrap();
    let good = good.display().to_string();
    let run = |extra: &[&str]| {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        // an endpoint nothing listens on: a call would fail differently
        let mut args = vec!["driftwatch", "audit", "--profile", &good, "--endpoint-url", "http://127.0.0.1:9"];
        args.extend_from_slice(extra);
        let code = crate::cli::run(args, &mut out, &mut err);
        (code, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
    };
    let invalid = |extra: &[&str], message: &str| {
        let (code, out, err) = run(extra);
        assert_eq!((code, out.as_str(), err.trim()), (crate::cli::Exit::Invalid, "", message), "{extra:?}");
    };
    invalid(&["--accounts", "1234"], "driftwatch: --accounts 1234: an AWS account id is 12 digits");
    invalid(
        &["--accounts", A, "--shard", "3/3"],
        "driftwatch: --shard 3/3: shard index 3 is not below the count 3 (indexes start at 0)",
    );
    invalid(&["--role-name", "r"], "driftwatch: --role-name is for fleet runs: add --accounts ID,… or --organization");
    let (code, _, err) = run(&["--ou", "ou-1"]);
    assert_eq!(code, crate::cli::Exit::Invalid);
    assert!(err.contains("the following required arguments were not provided:\n  --organization"), "{err}");
    let (code, _, err) = run(&["--accounts", A, "--shard", "0/2", "--shard-count", "2"]);
    assert_eq!(code, crate::cli::Exit::Invalid);
    assert!(err.contains("'--shard <I/N>' cannot be used with '--shard-count <N>'"), "{err}");
}

#[test]
fn fleet_flags_are_in_audit_help() {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = crate::cli::run(["driftwatch", "audit", "--help"], &mut out, &mut err);
    assert_eq!(code, crate::cli::Exit::Clean);
    let help = String::from_utf8(out).unwrap();
    for flag in [
        "Fleet (many accounts):",
        "--organization",
        "--ou <OU_ID>",
        "--accounts <ID,...>",
        "--exclude-accounts <ID,...>",
        "--role-name <NAME>",
        "--external-id <ID>",
        "--account-concurrency <N>",
        "--shard <I/N>",
        "--shard-count <N>",
        "JOB_COMPLETION_INDEX",
        "AWS_BATCH_JOB_ARRAY_INDEX",
    ] {
        assert!(help.contains(flag), "{flag} missing from audit --help:\n{help}");
    }
}
