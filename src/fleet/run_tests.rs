use super::*;
use crate::compare::Status;
use serde_json::json;

const A: &str = "111111111111";
const B: &str = "222222222222";

fn requirement(id: &str) -> Requirement {
    let text = format!("[profile]\nname = \"p\"\n[[requirement]]\nid = \"{id}\"\nkind = \"s3.bucket\"\n");
    crate::profile::parse("p.toml", &text).unwrap().requirements.remove(0)
}

fn finding(account: &str, req: &str, resource: &str, status: Status) -> Finding {
    let check = Check::new("encryption", json!("aws:kms"), json!("AES256"), status == Status::Pass);
    let mut f = Finding::new(
        &requirement(req),
        status,
        Some(format!("arn:aws:s3:::{resource}")),
        Some("us-east-1".into()),
        vec![check],
        format!("{resource}: encryption"),
    );
    f.account = Some(account.into());
    f
}

fn member(id: &str, findings: Vec<Finding>) -> Member {
    Member {
        account: FleetAccount { id: id.into(), ..FleetAccount::default() },
        findings,
        gaps: Vec::new(),
        regions: BTreeSet::new(),
        error: None,
        requests: 0,
        convergence: None,
    }
}

#[test]
fn fleet_unreadable_account_gives_one_unknown_per_requirement() {
    let gap = Gap {
        service: "sts".into(),
        region: "us-east-1".into(),
        operation: "AssumeRole".into(),
        resource: Some(format!("arn:aws:iam::{B}:role/audit")),
        code: "AccessDenied".into(),
        message: "no".into(),
        class: crate::inventory::ErrorClass::AccessDenied,
    };
    let why = "sts:AssumeRole of arn:aws:iam::222222222222:role/audit failed with AccessDenied: no";
    let found = unreadable(B, &[requirement("r1"), requirement("r2")], &gap, why);
    let rows: Vec<(&str, Status, Option<&str>, &str)> =
        found.iter().map(|f| (f.requirement.as_str(), f.status, f.resource.as_deref(), f.message.as_str())).collect();
    let message = format!("account {B}: {why}; nothing in this account could be read");
    assert_eq!(
        rows,
        [("r1", Status::Unknown, None, message.as_str()), ("r2", Status::Unknown, None, message.as_str())]
    );
    assert_eq!(found[0].checks[0].error.as_deref(), Some("sts:AssumeRole in us-east-1 failed with AccessDenied"));
}

#[test]
fn fleet_coverage_sums_each_requirement_over_accounts() {
    let members = [
        member(A, vec![finding(A, "r1", "a", Status::Pass), finding(A, "r2", "b", Status::Drift)]),
        member(B, vec![finding(B, "r2", "c", Status::Unknown), finding(B, "r1", "d", Status::Pass)]),
    ];
    let c = fleet_coverage(&members);
    let per: Vec<(&str, usize, usize)> =
        c.requirements.iter().map(|e| (e.requirement.as_str(), e.read, e.unknown)).collect();
    assert_eq!(per, [("r1", 2, 0), ("r2", 1, 1)]);
    assert_eq!((c.read, c.unknown, c.listings_unread), (3, 1, 0));
}

#[test]
fn fleet_waivers_apply_per_account_and_baseline_marks_by_account() {
    let dir = tempfile::tempdir().unwrap();
    let waivers = dir.path().join("w.toml");
    std::fs::write(
        &waivers,
        format!(
            "[[waiver]]\nrequirement = \"r\"\nresources = [\"x\"]\nreason = \"any account\"\nexpires = 2999-01-01\n\n\
             [[waiver]]\nrequirement = \"r\"\nresources = [\"x\"]\naccounts = [\"{B}\"]\nreason = \"only B\"\nexpires = 2999-01-01\n\n\
             [[waiver]]\nrequirement = \"r\"\nresources = [\"y\"]\naccounts = [\"{B}\"]\nreason = \"B's y\"\nexpires = 2999-01-01\n"
        ),
    )
    .unwrap();
    // the baseline knows B's drift on z, and A's drift on z is new
    let baseline = dir.path().join("before.json");
    let before = json!({"schema": "driftwatch.report/v1", "account": null, "findings": [
        {"account": B, "profile": "p", "requirement": "r", "status": "drift", "resource": "arn:aws:s3:::z", "region": "us-east-1"}]});
    std::fs::write(&baseline, before.to_string()).unwrap();
    let extras = crate::finish::Extras::load(Some(&waivers), Some(&baseline)).unwrap();
    let mut findings = vec![
        finding(A, "r", "x", Status::Drift),
        finding(A, "r", "z", Status::Drift),
        finding(B, "r", "y", Status::Drift),
        finding(B, "r", "z", Status::Drift),
    ];
    let (stale, marks) = extras.apply_fleet(&mut findings, &[A.into(), B.into()]);
    let statuses: Vec<Status> = findings.iter().map(|f| f.status).collect();
    assert_eq!(statuses, [Status::Waived, Status::Drift, Status::Waived, Status::Drift]);
    // meant for B only, and B has no x: stale; the others covered a finding
    let stale: Vec<String> = stale.unwrap().into_iter().map(|w| w.source).collect();
    assert_eq!(stale, [format!("{}:7", waivers.display())]);
    let marks = marks.unwrap();
    let got: Vec<Option<&str>> = (0..4).map(|i| marks.get(i).map(|m| m.as_str())).collect();
    assert_eq!(got, [None, Some("new"), None, Some("known")]);
    assert_eq!((marks.new_drift, marks.known_drift), (1, 1));
}
