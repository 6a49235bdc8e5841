//! Saved inventories: round trips (plain and gzip), located errors for bad files,
//! and needs the saved plan does not cover evaluating to unknown.

use super::*;
use crate::compare;
use crate::inventory::{Bucket, BucketEncryption, Observed};
use crate::profile::Requirement;
use serde_json::{json, Value};

const ENC: &str = r#"
[profile]
name = "t"
[[requirement]]
id = "enc"
kind = "s3.bucket"
[requirement.expect]
encryption = "aws:kms"
"#;

const MORE: &str = r#"
[profile]
name = "t"
[[requirement]]
id = "enc"
kind = "s3.bucket"
[requirement.expect]
encryption = "aws:kms"
[[requirement]]
id = "ver"
kind = "s3.bucket"
[requirement.expect]
versioning = true
[[requirement]]
id = "queues"
kind = "sqs.queue"
select = { regions = ["eu-west-1"] }
[requirement.expect]
encrypted = true
"#;

fn requirements(text: &str) -> Vec<Requirement> {
    let mut p = crate::profile::parse("t.toml", text).unwrap_or_else(|d| panic!("{d}"));
    p.resolve_regions(&[], "us-east-1");
    p.requirements
}

fn bucket(name: &str, algorithm: &str) -> Bucket {
    Bucket {
        name: name.into(),
        arn: format!("arn:aws:s3:::{name}"),
        region: Observed::Known("us-east-1".into()),
        encryption: Observed::Known(Some(BucketEncryption {
            algorithm: algorithm.into(),
            kms_key: None,
            bucket_key: false,
        })),
        versioning: Observed::default(),
        public_access_block: Observed::default(),
        logging_target: Observed::default(),
        replication: Observed::default(),
        tags: Observed::default(),
        acl_grants: Observed::default(),
        policy: Observed::default(),
        policy_status: Observed::default(),
    }
}

/// An inventory as an audit of ENC would have saved it.
fn saved() -> SavedInventory {
    let plan = Plan::for_requirements(&requirements(ENC));
    let inv = Inventory {
        account: Some("123456789012".into()),
        buckets: Some(Observed::Known(vec![bucket("good", "aws:kms"), bucket("bad", "AES256")])),
        ..Inventory::default()
    };
    let error = Gap {
        service: "s3".into(),
        region: "us-east-1".into(),
        operation: "GetBucketTagging".into(),
        resource: Some("other".into()),
        code: "AccessDenied".into(),
        message: "denied".into(),
        class: ErrorClass::AccessDenied,
    };
    SavedInventory::new(inv, &plan, vec![error], Some("us-east-1".into()), "2026-11-30T08:00:00Z".into())
}

fn findings(reqs: &[Requirement], inv: &Inventory) -> Vec<Value> {
    compare::evaluate(reqs, inv)
        .iter()
        .map(|f| {
            let v = serde_json::to_value(f).unwrap();
            let errors: Vec<Value> = v["checks"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| c["ok"].is_null())
                .map(|c| json!([c["field"], c["error"]]))
                .collect();
            json!([v["requirement"], v["resource"], v["status"], errors])
        })
        .collect()
}

#[test]
fn saved_round_trip_plain_and_gzip() {
    let dir = tempfile::tempdir().unwrap();
    let original = serde_json::to_value(saved()).unwrap();
    assert_eq!(original["schema"], json!("driftwatch.inventory/v1"));
    assert_eq!(
        original["plan"],
        json!({"s3": {"places": {"global": []}, "scoped": [{
            "select": "Selector { name: None, name_prefix: None, name_glob: None, tags: {}, regions: None, path_prefix: None, exclude: [], only_names: None }",
            "reads": ["encryption"]
        }]}})
    );
    for (name, magic) in
        [("inv.json", &b"{"[..]), ("inv.json.gz", &[0x1f, 0x8b][..]), ("inv.zst", &[0x28, 0xb5, 0x2f, 0xfd][..])]
    {
        let path = dir.path().join(name);
        save(&path, &saved()).unwrap();
        let raw = std::fs::read(&path).unwrap();
        assert!(raw.starts_with(magic), "{name}");
        let back = load(&path).unwrap();
        assert_eq!(serde_json::to_value(&back).unwrap(), original, "{name}");
    }
    let err = save(&dir.path().join("none").join("inv.json"), &saved()).unwrap_err();
    assert!(err.starts_with("cannot write the inventory to "), "{err}");
}

#[test]
fn saved_same_profile_gives_the_same_findings() {
    let reqs = requirements(ENC);
    let s = saved();
    let live = findings(&reqs, &s.inventory);
    let offline = findings(&reqs, &for_plan(&s, &Plan::for_requirements(&reqs)));
    assert_eq!(live, offline);
    assert_eq!(
        live,
        [json!(["enc", "arn:aws:s3:::bad", "drift", []]), json!(["enc", "arn:aws:s3:::good", "pass", []])]
    );
}

#[test]
fn saved_needs_not_covered_are_unknown_not_in_the_saved_inventory() {
    let reqs = requirements(MORE);
    let s = saved();
    let got = findings(&reqs, &for_plan(&s, &Plan::for_requirements(&reqs)));
    assert_eq!(
        got,
        [
            json!(["enc", "arn:aws:s3:::bad", "drift", []]),
            json!(["enc", "arn:aws:s3:::good", "pass", []]),
            json!(["queues", null, "unknown", [["resources", "sqs data in eu-west-1 not in the saved inventory"]]]),
            json!(["ver", "arn:aws:s3:::bad", "unknown", [["versioning", "value not in the saved inventory"]]]),
            json!(["ver", "arn:aws:s3:::good", "unknown", [["versioning", "value not in the saved inventory"]]]),
        ]
    );
    let queues = compare::evaluate(&reqs, &for_plan(&s, &Plan::for_requirements(&reqs)));
    let queues = queues.iter().find(|f| f.requirement == "queues").unwrap();
    assert_eq!(
        (queues.region.as_deref(), queues.message.as_str()),
        (Some("eu-west-1"), "could not list the resources: sqs data in eu-west-1 not in the saved inventory")
    );
}

#[test]
fn saved_bad_files_are_located() {
    let cases = [
        ("{\"schema\": ", "f.json:1:11: EOF while parsing a value"),
        ("[1, 2]", "f.json: not a driftwatch inventory (no \"schema\": \"driftwatch.inventory/v1\")"),
        ("{\"report\": 1}", "f.json: not a driftwatch inventory (no \"schema\": \"driftwatch.inventory/v1\")"),
        ("{\"schema\": \"driftwatch.report/v1\"}", "f.json: not a driftwatch inventory (no \"schema\": \"driftwatch.inventory/v1\")"),
        (
            "{\"schema\": \"driftwatch.inventory/v2\"}",
            "f.json: inventory schema `driftwatch.inventory/v2` is not supported (this driftwatch reads driftwatch.inventory/v1)",
        ),
    ];
    for (text, want) in cases {
        assert_eq!(parse("f.json", text).unwrap_err(), want, "{text}");
    }
    // a typed error deep in the inventory keeps its position
    let mut v = serde_json::to_value(saved()).unwrap();
    v["inventory"]["buckets"]["known"][0]["encryption"] = json!(7);
    let text = serde_json::to_string_pretty(&v).unwrap();
    let err = parse("f.json", &text).unwrap_err();
    assert_eq!(err, "f.json:48:25: expected value");
}

fn mesh(regions: &[&str]) -> String {
    let entries: Vec<String> =
        regions.iter().map(|r| format!("{{ region = \"{r}\", vpc = {{ name = \"v-{r}\" }} }}")).collect();
    format!(
        "[profile]\nname = \"m\"\n[[requirement]]\nid = \"mesh\"\nkind = \"ec2.vpc_peering\"\n\
         [requirement.expect]\nmesh = [{}]\n",
        entries.join(", ")
    )
}

#[test]
fn saved_regions_are_kept_when_another_region_is_missing() {
    use crate::inventory::Network;
    let old = requirements(&mesh(&["us-east-1", "us-west-2"]));
    let network = Network {
        vpcs: Observed::Known(vec![]),
        peerings: Observed::Known(vec![]),
        route_tables: Observed::Known(vec![]),
        subnets: Observed::default(),
        flow_logs: Observed::default(),
    };
    let inv = Inventory {
        networks: [("us-east-1".to_string(), network.clone()), ("us-west-2".to_string(), network.clone())].into(),
        ..Inventory::default()
    };
    let s = SavedInventory::new(inv, &Plan::for_requirements(&old), vec![], None, String::new());
    let new = requirements(&mesh(&["us-east-1", "us-west-2", "ap-south-1"]));
    let got = for_plan(&s, &Plan::for_requirements(&new));
    assert_eq!(got.networks.keys().collect::<Vec<_>>(), ["ap-south-1", "us-east-1", "us-west-2"]);
    for region in ["us-east-1", "us-west-2"] {
        let kept = &got.networks[region];
        assert_eq!(
            (&kept.vpcs, &kept.peerings, &kept.route_tables),
            (&network.vpcs, &network.peerings, &network.route_tables)
        );
    }
    let gap = got.networks["ap-south-1"].vpcs.gap().unwrap();
    assert_eq!(
        (gap.code.as_str(), gap.describe(), gap.region.as_str(), gap.class),
        (
            NOT_SAVED,
            "ec2 data in ap-south-1 not in the saved inventory".to_string(),
            "ap-south-1",
            ErrorClass::NotCollected
        )
    );
    // fields the saved audit did not read say so
    let unread = got.networks["us-east-1"].subnets.gap().unwrap();
    assert_eq!((unread.code.as_str(), unread.describe()), (NOT_SAVED, "value not in the saved inventory".to_string()));
}

#[test]
fn saved_reads_not_done_in_a_saved_region_are_unknown_and_the_rest_kept() {
    use crate::inventory::Network;
    let old = requirements(&mesh(&["us-east-1", "us-west-2"]));
    let network = Network {
        vpcs: Observed::Known(vec![]),
        peerings: Observed::Known(vec![]),
        route_tables: Observed::Known(vec![]),
        subnets: Observed::default(),
        flow_logs: Observed::default(),
    };
    let inv = Inventory {
        networks: [("us-east-1".to_string(), network.clone()), ("us-west-2".to_string(), network.clone())].into(),
        ..Inventory::default()
    };
    let s = SavedInventory::new(inv, &Plan::for_requirements(&old), vec![], None, String::new());
    let groups = "[profile]\nname = \"g\"\n[[requirement]]\nid = \"sg\"\nkind = \"ec2.security_group\"\n\
                  select = { regions = [\"us-east-1\"] }\n[requirement.expect]\nworld_open_ports = []\n";
    let new = requirements(groups);
    let got = for_plan(&s, &Plan::for_requirements(&new));
    assert_eq!(got.networks.keys().collect::<Vec<_>>(), ["us-east-1", "us-west-2"]);
    assert_eq!(got.networks["us-east-1"].vpcs, network.vpcs);
    assert_eq!(got.security_groups.keys().collect::<Vec<_>>(), ["us-east-1"]);
    let gap = got.security_groups["us-east-1"].gap().unwrap();
    assert_eq!(
        (gap.code.as_str(), gap.describe()),
        (NOT_SAVED, "ec2 security_groups in us-east-1 not in the saved inventory".to_string())
    );
}

#[test]
fn saved_evaluate_reports_the_saved_account_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("inv.json.gz");
    save(&file, &saved()).unwrap();
    let profile = dir.path().join("p.toml");
    std::fs::write(&profile, ENC).unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let args = ["driftwatch", "evaluate", "--inventory", file.to_str().unwrap(), "-p", profile.to_str().unwrap()];
    let code = crate::cli::run(args.iter().copied().chain(["--format", "json"]), &mut out, &mut err);
    assert_eq!((code, String::from_utf8(err).unwrap()), (crate::cli::Exit::Drift, String::new()));
    let report: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["account"], json!("123456789012"));
    assert_eq!(report["profiles"], json!(["t"]));
    assert_eq!(report["regions"], json!([]));
    assert_eq!(report["summary"], json!({"pass": 1, "drift": 1, "unknown": 0, "not_applicable": 0, "waived": 0}));
    assert_eq!(
        report["errors"],
        json!([{"service": "s3", "region": "us-east-1", "operation": "GetBucketTagging", "resource": "other",
                "code": "AccessDenied", "message": "denied"}])
    );
}
