//! `replica_regions` and unread tables evaluated over hand-built inventories.

#[allow(unused_imports)]
use crate::compare::Finding;
use crate::compare::{evaluate, Status};
#[allow(unused_imports)]
use crate::inventory::*;
use crate::inventory::{ErrorClass, Gap, Inventory, Observed, Replica, Table};
#[allow(unused_imports)]
use crate::kinds::fixtures::*;
use crate::kinds::fixtures::{observed, one_region, req, statuses};
use std::collections::BTreeMap;
#[allow(unused_imports)]
use std::collections::BTreeSet;

fn table(name: &str, replicas: &[(&str, Option<&str>)]) -> Table {
    Table {
        name: name.into(),
        arn: format!("arn:aws:dynamodb:us-east-1:1:table/{name}"),
        region: "us-east-1".into(),
        sse_type: None,
        kms_key: None,
        key_manager: Observed::default(),
        point_in_time_recovery: Observed::Known(true),
        deletion_protection: Some(true),
        tags: Observed::Known(BTreeMap::new()),
        replicas: replicas
            .iter()
            .map(|(r, s)| Replica { region: r.to_string(), status: s.map(str::to_string) })
            .collect(),
        unread: None,
    }
}

#[test]
fn replicas_count_only_when_active() {
    let r = req("dynamodb.table", "[requirement.expect]\nreplica_regions = [\"us-west-2\"]");
    let tables = vec![
        table("a", &[("us-west-2", Some("ACTIVE"))]),
        table("b", &[("us-west-2", Some("REGION_DISABLED"))]),
        table("c", &[("us-west-2", Some("INACCESSIBLE_ENCRYPTION_CREDENTIALS")), ("eu-west-1", Some("ACTIVE"))]),
        table("d", &[("us-west-2", None)]),
        // an unwanted replica that is not active does not matter
        table("e", &[("us-west-2", Some("ACTIVE")), ("eu-west-1", Some("DELETING"))]),
    ];
    let f = evaluate(&[r], &Inventory { tables: one_region(tables), ..Default::default() });
    let arn = |n: &str| format!("arn:aws:dynamodb:us-east-1:1:table/{n}");
    let (a, b, c, d, e) = (arn("a"), arn("b"), arn("c"), arn("d"), arn("e"));
    assert_eq!(
        statuses(&f),
        [
            (Some(a.as_str()), Status::Pass),
            (Some(b.as_str()), Status::Drift),
            (Some(c.as_str()), Status::Drift),
            (Some(d.as_str()), Status::Unknown),
            (Some(e.as_str()), Status::Pass),
        ]
    );
    assert_eq!(observed(&f[1], "replica_regions"), &serde_json::json!(["us-east-1", "us-west-2 (REGION_DISABLED)"]));
    assert_eq!(
        observed(&f[2], "replica_regions"),
        &serde_json::json!(["us-east-1", "us-west-2 (INACCESSIBLE_ENCRYPTION_CREDENTIALS)", "eu-west-1"])
    );
    assert_eq!(observed(&f[3], "replica_regions"), &serde_json::json!(["us-east-1", "us-west-2 (status absent)"]));
    assert_eq!(
        observed(&f[4], "replica_regions"),
        &serde_json::json!(["us-east-1", "us-west-2", "eu-west-1 (DELETING)"])
    );
}

#[test]
fn a_table_that_could_not_be_described_is_unknown_on_every_field() {
    let r = req("dynamodb.table", "[requirement.expect]\ndeletion_protection = true\nsse_kms = true");
    let gap = Gap {
        service: "dynamodb".into(),
        region: "us-east-1".into(),
        operation: "DescribeTable".into(),
        resource: Some("x".into()),
        code: "AccessDeniedException".into(),
        message: "not authorized".into(),
        class: ErrorClass::AccessDenied,
    };
    let mut t = table("x", &[]);
    t.unread = Some(gap.clone());
    t.deletion_protection = None;
    let f = evaluate(&[r], &Inventory { tables: one_region(vec![t]), ..Default::default() });
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].status, Status::Unknown);
    let fields: Vec<(&str, Option<bool>)> = f[0].checks.iter().map(|c| (c.field.as_ref(), c.ok)).collect();
    assert_eq!(fields, [("sse_kms", None), ("deletion_protection", None)]);
    assert_eq!(
        f[0].message,
        "x: sse_kms not observed (dynamodb:DescribeTable in us-east-1 failed with AccessDeniedException); \
deletion_protection not observed (dynamodb:DescribeTable in us-east-1 failed with AccessDeniedException)"
    );
}

#[test]
fn dynamodb_table_fields() {
    let r = req(
        "dynamodb.table",
        "[requirement.expect]\nsse_kms = true\ncustomer_managed_key = true\npoint_in_time_recovery = true\ndeletion_protection = true",
    );
    let table = |name: &str, sse: Option<&str>, manager: Observed<Option<String>>, pitr: bool, protect: bool| Table {
        name: name.into(),
        arn: format!("arn:aws:dynamodb:us-east-1:1:table/{name}"),
        region: "us-east-1".into(),
        sse_type: sse.map(str::to_string),
        kms_key: sse.map(|_| "arn:aws:kms:us-east-1:1:key/k".to_string()),
        key_manager: manager,
        point_in_time_recovery: Observed::Known(pitr),
        deletion_protection: Some(protect),
        tags: Observed::Known(BTreeMap::new()),
        replicas: vec![],
        unread: None,
    };
    let tables = vec![
        table("a-good", Some("KMS"), Observed::Known(Some("CUSTOMER".into())), true, true),
        table("b-aws-key", Some("KMS"), Observed::Known(Some("AWS".into())), true, true),
        table("c-default", None, Observed::Known(None), false, false),
        table("d-unread", Some("KMS"), Observed::Unknown(denied("DescribeKey")), true, true),
    ];
    let f = evaluate(&[r], &Inventory { tables: one_region(tables), ..Default::default() });
    assert_eq!(
        f.iter().map(|f| f.status).collect::<Vec<_>>(),
        [Status::Pass, Status::Drift, Status::Drift, Status::Unknown]
    );
    let failed: Vec<&str> = f[2].checks.iter().filter(|c| c.ok == Some(false)).map(|c| c.field.as_ref()).collect();
    assert_eq!(failed, ["sse_kms", "customer_managed_key", "point_in_time_recovery", "deletion_protection"]);
}

#[test]
fn dynamodb_global_table_replica_regions() {
    let r =
        req("dynamodb.table", "[requirement.expect]\nreplica_regions = [\"us-east-1\", \"us-west-2\", \"ap-south-1\"]");
    let t = |name: &str, replicas: &[&str]| Table {
        name: name.into(),
        arn: format!("arn:aws:dynamodb:us-east-1:1:table/{name}"),
        region: "us-east-1".into(),
        sse_type: None,
        kms_key: None,
        key_manager: Observed::default(),
        point_in_time_recovery: Observed::default(),
        deletion_protection: Some(false),
        tags: Observed::Known(BTreeMap::new()),
        replicas: replicas
            .iter()
            .map(|r| crate::inventory::Replica { region: r.to_string(), status: Some("ACTIVE".into()) })
            .collect(),
        unread: None,
    };
    let tables = vec![t("global", &["us-west-2", "ap-south-1"]), t("local", &[])];
    let f = evaluate(&[r], &Inventory { tables: one_region(tables), ..Default::default() });
    assert_eq!(f.iter().map(|f| f.status).collect::<Vec<_>>(), [Status::Pass, Status::Drift]);
    assert_eq!(observed(&f[1], "replica_regions"), &serde_json::json!(["us-east-1"]));
}
