//! rds.instance over hand-built inventories: Aurora fields whose cluster was not
//! (or only partly) observed are unknown.

use crate::compare::{evaluate, Status};
use crate::inventory::{DbCluster, DbInstance, Inventory, Observed};
use crate::kinds::tests::{observed, one_region, req, statuses};
use serde_json::json;
use std::collections::BTreeMap;

fn aurora(id: &str, cluster: Option<Observed<DbCluster>>) -> DbInstance {
    DbInstance {
        id: id.into(),
        arn: format!("arn:aws:rds:us-east-1:1:db:{id}"),
        region: "us-east-1".into(),
        engine: Some("aurora-mysql".into()),
        storage_encrypted: Some(false),
        publicly_accessible: Some(false),
        backup_retention_days: 1,
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
