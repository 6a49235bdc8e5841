//! rds.instance over hand-built inventories: Aurora fields whose cluster was not
//! (or only partly) observed are unknown.

#[allow(unused_imports)]
use crate::compare::Finding;
use crate::compare::{evaluate, Status};
#[allow(unused_imports)]
use crate::inventory::*;
use crate::inventory::{DbCluster, DbInstance, Inventory, Observed};
#[allow(unused_imports)]
use crate::kinds::fixtures::*;
use crate::kinds::fixtures::{observed, one_region, req, statuses};
use serde_json::json;
use std::collections::BTreeMap;
#[allow(unused_imports)]
use std::collections::BTreeSet;

fn aurora(id: &str, cluster: Option<Observed<DbCluster>>) -> DbInstance {
    DbInstance {
        id: id.into(),
        arn: format!("arn:aws:rds:us-east-1:1:db:{id}"),
        region: "us-east-1".into(),
        engine: Some("aurora-mysql".into()),
        storage_encrypted: Some(false),
        publicly_accessible: Some(false),
        backup_retention_days: Some(1),
        deletion_protection: Some(false),
        multi_az: Some(false),
        read_replicas: vec![],
        subnets: vec![],
        tags: Observed::Known(BTreeMap::new()),
        cluster_id: Some("c".into()),
        cluster,
    }
}

#[test]
fn aurora_cluster_not_read_or_silent_is_unknown() {
    let silent = DbCluster {
        id: "c".into(),
        multi_az: Some(true),
        storage_encrypted: None,
        deletion_protection: Some(true),
        backup_retention_days: None,
        members: vec![],
        read_replicas: vec![],
    };
    let dbs = vec![aurora("a-unread", None), aurora("b-silent", Some(Observed::Known(silent)))];
    let r = req(
        "rds.instance",
        "[requirement.expect]\nmulti_az = true\nstorage_encrypted = true\nbackup_retention_days = { at_least = 7 }",
    );
    let f = evaluate(&[r], &Inventory { db_instances: one_region(dbs), ..Default::default() });
    assert_eq!(
        statuses(&f),
        [
            (Some("arn:aws:rds:us-east-1:1:db:a-unread"), Status::Unknown),
            (Some("arn:aws:rds:us-east-1:1:db:b-silent"), Status::Unknown),
        ]
    );
    assert_eq!(f[0].checks[0].error.as_deref(), Some("DB cluster c was not collected"));
    let b: Vec<(&str, Option<bool>, Option<&str>)> =
        f[1].checks.iter().map(|c| (c.field.as_ref(), c.ok, c.error.as_deref())).collect();
    assert_eq!(
        b,
        [
            (
                "storage_encrypted",
                None,
                Some("StorageEncrypted (DescribeDBClusters c) (absent from the answer) was not collected")
            ),
            (
                "backup_retention_days",
                None,
                Some("BackupRetentionPeriod (DescribeDBClusters c; absent from the answer) was not collected")
            ),
            ("multi_az", Some(true), None),
        ]
    );
    assert_eq!(observed(&f[1], "multi_az"), &json!(true));
}

#[test]
fn rds_instance_fields_and_private_subnets() {
    let r = req(
        "rds.instance",
        "[requirement.expect]\nengine = \"postgres\"\nstorage_encrypted = true\npublicly_accessible = false\nprivate_subnets = true\nbackup_retention_days = { at_least = 7 }\nreplica_regions = [\"us-west-2\"]",
    );
    let db = |id: &str, subnet: &str, replicas: Vec<String>| DbInstance {
        id: id.into(),
        arn: format!("arn:aws:rds:us-east-1:1:db:{id}"),
        region: "us-east-1".into(),
        engine: Some("postgres".into()),
        storage_encrypted: Some(true),
        publicly_accessible: Some(false),
        backup_retention_days: Some(7),
        deletion_protection: Some(true),
        multi_az: Some(false),
        read_replicas: replicas,
        subnets: vec![subnet.into()],
        tags: Observed::Known(BTreeMap::new()),
        cluster_id: None,
        cluster: None,
    };
    let net = network_with_public_subnet("subnet-pub", &["subnet-priv"]);
    let west_replica = "arn:aws:rds:us-west-2:1:db:orders-replica".to_string();
    let inv = Inventory {
        db_instances: one_region(vec![
            db("a-good", "subnet-priv", vec![west_replica]),
            db("b-public-subnet", "subnet-pub", vec![]),
        ]),
        networks: BTreeMap::from([("us-east-1".into(), net.clone()), ("us-west-2".into(), net)]),
        ..Default::default()
    };
    let f = evaluate(&[r], &inv);
    assert_eq!(f.iter().map(|f| f.status).collect::<Vec<_>>(), [Status::Pass, Status::Drift]);
    let failed: Vec<&str> = f[1].checks.iter().filter(|c| c.ok == Some(false)).map(|c| c.field.as_ref()).collect();
    assert_eq!(failed, ["private_subnets", "replica_regions"]);
}
