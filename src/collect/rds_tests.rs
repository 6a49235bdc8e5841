//! RDS collector over recorded answers (query protocol, XML), evaluated end to
//! end. Bodies follow the RDS API reference's DescribeDBInstances and
//! DescribeDBClusters response shapes.

use super::*;
use crate::collect::fake::{ctx_with, recording_ctx, Request};
use crate::compare::{evaluate, Finding, Status};
use crate::inventory::Inventory;
use crate::kinds::tests::{observed, req, statuses};
use serde_json::json;

const NS: &str = "http://rds.amazonaws.com/doc/2014-10-31/";

fn answer(op: &str, inner: &str) -> (u16, String) {
    (
        200,
        format!("<{op}Response xmlns=\"{NS}\"><{op}Result>{inner}</{op}Result><ResponseMetadata><RequestId>7c1e5b0e-0000-4000-8000-000000000001</RequestId></ResponseMetadata></{op}Response>"),
    )
}

fn rds_error(status: u16, code: &str) -> (u16, String) {
    (
        status,
        format!("<ErrorResponse xmlns=\"{NS}\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{code} here</Message></Error><RequestId>7c1e5b0e-0000-4000-8000-000000000002</RequestId></ErrorResponse>"),
    )
}

/// A DB instance as DescribeDBInstances lists it. Aurora instances report MultiAZ
/// false, their own (unused) retention and no deletion protection: AWS documents
/// those settings as the cluster's.
fn instance(id: &str, engine: &str, cluster: Option<&str>, multi_az: bool) -> String {
    let cluster = cluster.map(|c| format!("<DBClusterIdentifier>{c}</DBClusterIdentifier>")).unwrap_or_default();
    format!("<DBInstance><DBInstanceIdentifier>{id}</DBInstanceIdentifier><DBInstanceArn>arn:aws:rds:us-east-1:111122223333:db:{id}</DBInstanceArn><DBInstanceClass>db.r6g.large</DBInstanceClass><Engine>{engine}</Engine><DBInstanceStatus>available</DBInstanceStatus>{cluster}<MultiAZ>{multi_az}</MultiAZ><StorageEncrypted>true</StorageEncrypted><PubliclyAccessible>false</PubliclyAccessible><BackupRetentionPeriod>1</BackupRetentionPeriod><DeletionProtection>false</DeletionProtection><ReadReplicaDBInstanceIdentifiers/><DBSubnetGroup><DBSubnetGroupName>db</DBSubnetGroupName><VpcId>vpc-a</VpcId><SubnetGroupStatus>Complete</SubnetGroupStatus><Subnets><Subnet><SubnetIdentifier>subnet-a</SubnetIdentifier><SubnetAvailabilityZone><Name>us-east-1a</Name></SubnetAvailabilityZone><SubnetStatus>Active</SubnetStatus></Subnet></Subnets></DBSubnetGroup><TagList/></DBInstance>")
}

fn member(id: &str, writer: bool) -> String {
    format!("<DBClusterMember><DBInstanceIdentifier>{id}</DBInstanceIdentifier><IsClusterWriter>{writer}</IsClusterWriter><DBClusterParameterGroupStatus>in-sync</DBClusterParameterGroupStatus><PromotionTier>1</PromotionTier></DBClusterMember>")
}

fn cluster(id: &str, multi_az: bool, retention: i32, protected: bool, members: &[String], replicas: &[&str]) -> String {
    let replicas: String =
        replicas.iter().map(|r| format!("<ReadReplicaIdentifier>{r}</ReadReplicaIdentifier>")).collect();
    format!("<DBCluster><DBClusterIdentifier>{id}</DBClusterIdentifier><DBClusterArn>arn:aws:rds:us-east-1:111122223333:cluster:{id}</DBClusterArn><Engine>aurora-postgresql</Engine><Status>available</Status><MultiAZ>{multi_az}</MultiAZ><StorageEncrypted>true</StorageEncrypted><BackupRetentionPeriod>{retention}</BackupRetentionPeriod><DeletionProtection>{protected}</DeletionProtection><DBClusterMembers>{}</DBClusterMembers><ReadReplicaIdentifiers>{replicas}</ReadReplicaIdentifiers></DBCluster>", members.concat())
}

/// Two Aurora clusters (`orders`: Multi-AZ, a reader and a replica cluster in
/// us-west-2; `solo`: one instance, no protection, one day of backups), the second
/// on the second page of DescribeDBClusters, and a plain PostgreSQL instance.
fn answers(r: &Request) -> (u16, String) {
    match r.op.as_str() {
        "DescribeDBInstances" => answer(
            "DescribeDBInstances",
            &format!(
                "<DBInstances>{}{}{}{}</DBInstances>",
                instance("orders-1", "aurora-postgresql", Some("orders"), false),
                instance("orders-2", "aurora-postgresql", Some("orders"), false),
                instance("solo-1", "aurora-postgresql", Some("solo"), false),
                instance("plain", "postgres", None, true),
            ),
        ),
        "DescribeDBClusters" if !r.body.contains("Marker=") => answer(
            "DescribeDBClusters",
            &format!(
                "<DBClusters>{}</DBClusters><Marker>page2</Marker>",
                cluster(
                    "orders",
                    true,
                    7,
                    true,
                    &[member("orders-1", true), member("orders-2", false)],
                    &["arn:aws:rds:us-west-2:111122223333:cluster:orders-west"]
                )
            ),
        ),
        "DescribeDBClusters" => answer(
            "DescribeDBClusters",
            &format!("<DBClusters>{}</DBClusters>", cluster("solo", false, 1, false, &[member("solo-1", true)], &[])),
        ),
        _ => rds_error(400, "InvalidAction"),
    }
}

async fn findings(ctx: &crate::aws::Ctx, body: &str) -> (Inventory, Vec<Finding>) {
    let r = req("rds.instance", body);
    let plan = crate::collect::Plan::for_requirements([&r]);
    let need = Regional::of(plan.need("rds").unwrap(), "clusters", "");
    let mut dbs = collect(ctx, &Regional { regions: ["us-east-1".to_string()].into(), ..need }).await;
    dbs.insert("us-west-2".into(), Observed::Known(vec![]));
    let inv = Inventory { db_instances: dbs, ..Default::default() };
    let f = evaluate(&[r], &inv);
    (inv, f)
}

const CLUSTER_EXPECT: &str = "[requirement.expect]\nengine = \"aurora-postgresql\"\nmulti_az = true\nbackup_retention_days = { at_least = 7 }\ndeletion_protection = true\nstorage_encrypted = true\nread_replicas = { at_least = 1 }\nreplica_regions = [\"us-west-2\"]";

#[tokio::test]
async fn aurora_settings_come_from_the_cluster() {
    let ctx = ctx_with(answers);
    let (_, f) = findings(&ctx, &CLUSTER_EXPECT.replace("engine = \"aurora-postgresql\"\n", "")).await;
    assert_eq!(
        statuses(&f),
        [
            (Some("arn:aws:rds:us-east-1:111122223333:db:orders-1"), Status::Pass),
            (Some("arn:aws:rds:us-east-1:111122223333:db:orders-2"), Status::Pass),
            (Some("arn:aws:rds:us-east-1:111122223333:db:plain"), Status::Drift),
            (Some("arn:aws:rds:us-east-1:111122223333:db:solo-1"), Status::Drift),
        ]
    );
    // the writer's replicas: the cluster's reader, and the replica cluster
    let west = "arn:aws:rds:us-west-2:111122223333:cluster:orders-west";
    assert_eq!(observed(&f[0], "read_replicas"), &json!(["orders-2", west]));
    assert_eq!(observed(&f[0], "multi_az"), &json!(true));
    assert_eq!(observed(&f[0], "backup_retention_days"), &json!(7));
    assert_eq!(observed(&f[1], "read_replicas"), &json!([west]));
    // a plain instance keeps its own settings
    let plain: Vec<(&str, Option<bool>)> = f[2].checks.iter().map(|c| (c.field.as_ref(), c.ok)).collect();
    assert_eq!(
        plain,
        [
            ("storage_encrypted", Some(true)),
            ("backup_retention_days", Some(false)),
            ("deletion_protection", Some(false)),
            ("multi_az", Some(true)),
            ("read_replicas", Some(false)),
            ("replica_regions", Some(false)),
        ]
    );
    // the single-instance cluster (second page) drifts on what its cluster says
    let solo: Vec<(&str, Option<bool>, &serde_json::Value)> =
        f[3].checks.iter().map(|c| (c.field.as_ref(), c.ok, &c.observed)).collect();
    assert_eq!(
        solo,
        [
            ("storage_encrypted", Some(true), &json!(true)),
            ("backup_retention_days", Some(false), &json!(1)),
            ("deletion_protection", Some(false), &json!(false)),
            ("multi_az", Some(false), &json!(false)),
            ("read_replicas", Some(false), &json!([])),
            ("replica_regions", Some(false), &json!([])),
        ]
    );
    assert!(ctx.errors.lock().unwrap().is_empty());
}

#[tokio::test]
async fn unreadable_clusters_leave_only_cluster_fields_unknown() {
    let ctx = ctx_with(|r| match r.op.as_str() {
        "DescribeDBClusters" => rds_error(403, "AccessDenied"),
        _ => answers(r),
    });
    let (inv, f) = findings(&ctx, "[requirement.expect]\npublicly_accessible = false\nmulti_az = true").await;
    assert_eq!(
        statuses(&f),
        [
            (Some("arn:aws:rds:us-east-1:111122223333:db:orders-1"), Status::Unknown),
            (Some("arn:aws:rds:us-east-1:111122223333:db:orders-2"), Status::Unknown),
            (Some("arn:aws:rds:us-east-1:111122223333:db:plain"), Status::Pass),
            (Some("arn:aws:rds:us-east-1:111122223333:db:solo-1"), Status::Unknown),
        ]
    );
    let checks: Vec<(&str, Option<bool>, Option<&str>)> =
        f[0].checks.iter().map(|c| (c.field.as_ref(), c.ok, c.error.as_deref())).collect();
    assert_eq!(
        checks,
        [
            ("publicly_accessible", Some(true), None),
            ("multi_az", None, Some("rds:DescribeDBClusters in us-east-1 failed with AccessDenied")),
        ]
    );
    let gap = inv.db_instances["us-east-1"].known().expect("instances")[0].cluster.as_ref().expect("read").gap();
    assert_eq!(gap.and_then(|g| g.resource.as_deref()), Some("orders"));
    assert_eq!(ctx.errors.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn clusters_are_read_only_when_a_cluster_field_is_expected() {
    let (ctx, seen) = recording_ctx(answers);
    let (_, f) =
        findings(&ctx, "[requirement.expect]\nengine = \"aurora-postgresql\"\npublicly_accessible = false").await;
    assert_eq!(
        f.iter().map(|f| f.status).collect::<Vec<_>>(),
        [Status::Pass, Status::Pass, Status::Drift, Status::Pass]
    );
    let ops: Vec<String> = seen.lock().unwrap().iter().map(|r| r.op.clone()).collect();
    assert_eq!(ops, ["DescribeDBInstances"]);

    // and with such a field, every page of DescribeDBClusters
    let (ctx, seen) = recording_ctx(answers);
    findings(&ctx, "[requirement.expect]\nmulti_az = true").await;
    let ops: Vec<String> = seen.lock().unwrap().iter().map(|r| r.op.clone()).collect();
    assert_eq!(ops, ["DescribeDBInstances", "DescribeDBClusters", "DescribeDBClusters"]);
}

#[tokio::test]
async fn blackhole_default_route_leaves_the_db_subnet_private() {
    // the instance's only subnet is routed to a detached internet gateway (AWS:
    // State blackhole); LocalStack cannot produce this state
    let ctx = ctx_with(|r| {
        match r.op.as_str() {
        "DescribeDBInstances" => answers(r),
        "DescribeSubnets" => (
            200,
            "<DescribeSubnetsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>1</requestId><subnetSet><item><subnetId>subnet-a</subnetId><state>available</state><vpcId>vpc-a</vpcId><cidrBlock>10.0.1.0/24</cidrBlock><availabilityZone>us-east-1a</availabilityZone><tagSet/></item></subnetSet></DescribeSubnetsResponse>".into(),
        ),
        "DescribeRouteTables" => (
            200,
            (
                "<DescribeRouteTablesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>1</requestId><routeTableSet><item><routeTableId>rtb-db</routeTableId><vpcId>vpc-a</vpcId><ownerId>111122223333</ownerId><routeSet><item><destinationCidrBlock>10.0.0.0/16</destinationCidrBlock><gatewayId>local</gatewayId><state>active</state><origin>CreateRouteTable</origin></item><item><destinationCidrBlock>0.0.0.0/0</destinationCidrBlock><gatewayId>igw-0d1e</gatewayId><state>blackhole</state><origin>CreateRoute</origin></item></routeSet><associationSet><item><routeTableAssociationId>rtbassoc-1</routeTableAssociationId><routeTableId>rtb-db</routeTableId><main>true</main><associationState><state>associated</state></associationState></item></associationSet><tagSet/></item></routeTableSet></DescribeRouteTablesResponse>".to_string()
            ),
        ),
        "DescribeVpcs" => (200, "<DescribeVpcsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>1</requestId><vpcSet/></DescribeVpcsResponse>".into()),
        "DescribeVpcPeeringConnections" => (200, "<DescribeVpcPeeringConnectionsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>1</requestId><vpcPeeringConnectionSet/></DescribeVpcPeeringConnectionsResponse>".into()),
        _ => rds_error(400, "InvalidAction"),
    }
    });
    let r = req("rds.instance", "select = { name = \"plain\" }\n[requirement.expect]\nprivate_subnets = true");
    let mut dbs = collect(&ctx, &Regional { regions: ["us-east-1".to_string()].into(), ..Default::default() }).await;
    dbs.insert("us-west-2".into(), Observed::Known(vec![]));
    let mut networks = super::super::ec2::collect(&ctx, &["us-east-1".to_string()].into(), true, false).await;
    let mut west = networks["us-east-1"].clone();
    west.subnets = Observed::Known(vec![]);
    networks.insert("us-west-2".into(), west);
    let inv = Inventory { db_instances: dbs, networks, ..Default::default() };
    let f = evaluate(&[r], &inv);
    assert_eq!(statuses(&f), [(Some("arn:aws:rds:us-east-1:111122223333:db:plain"), Status::Pass)]);
    assert_eq!(observed(&f[0], "private_subnets"), &json!(["subnet-a"]));
}

#[tokio::test]
async fn multi_az_db_cluster_members_are_judged_by_their_cluster() {
    // a Multi-AZ DB cluster (engine postgres): its instances cannot be modified on
    // their own; MultiAZ, retention and protection are the cluster's
    let ctx = ctx_with(|r| match r.op.as_str() {
        "DescribeDBInstances" => answer(
            "DescribeDBInstances",
            &format!(
                "<DBInstances>{}{}</DBInstances>",
                instance("maz-1", "postgres", Some("maz"), false),
                instance("maz-2", "postgres", Some("maz"), false)
            ),
        ),
        "DescribeDBClusters" => answer(
            "DescribeDBClusters",
            &format!(
                "<DBClusters>{}</DBClusters>",
                cluster("maz", true, 7, false, &[member("maz-1", true), member("maz-2", false)], &[])
            ),
        ),
        _ => rds_error(400, "InvalidAction"),
    });
    let (_, f) = findings(
        &ctx,
        "[requirement.expect]\nmulti_az = true\nbackup_retention_days = { at_least = 7 }\ndeletion_protection = true",
    )
    .await;
    assert_eq!(
        statuses(&f),
        [
            (Some("arn:aws:rds:us-east-1:111122223333:db:maz-1"), Status::Drift),
            (Some("arn:aws:rds:us-east-1:111122223333:db:maz-2"), Status::Drift),
        ]
    );
    let checks: Vec<(&str, Option<bool>, &serde_json::Value)> =
        f[0].checks.iter().map(|c| (c.field.as_ref(), c.ok, &c.observed)).collect();
    assert_eq!(
        checks,
        [
            ("backup_retention_days", Some(true), &json!(7)),
            ("deletion_protection", Some(false), &json!(false)),
            ("multi_az", Some(true), &json!(true)),
        ]
    );
}

#[tokio::test]
async fn db_instances_follow_marker_and_absent_settings_stay_unset() {
    // the second page's instance leaves out the optional settings AWS may omit:
    // StorageEncrypted, PubliclyAccessible, DeletionProtection, MultiAZ, the
    // subnet group and the tags
    let bare = "<DBInstance><DBInstanceIdentifier>bare</DBInstanceIdentifier><DBInstanceArn>arn:aws:rds:us-east-1:111122223333:db:bare</DBInstanceArn>\
<DBInstanceClass>db.t3.micro</DBInstanceClass><Engine>mysql</Engine><DBInstanceStatus>available</DBInstanceStatus>\
<BackupRetentionPeriod>7</BackupRetentionPeriod></DBInstance>";
    let first = format!(
        "<DBInstances>{}</DBInstances><Marker>db-page-2</Marker>",
        instance("pg", "postgres", None, true)
            .replace("<TagList/>", "<TagList><Tag><Key>team</Key><Value>data</Value></Tag></TagList>")
    );
    let second = format!("<DBInstances>{bare}</DBInstances>");
    let (ctx, seen) = recording_ctx(move |r| match r.op.as_str() {
        "DescribeDBInstances" if r.body.contains("Marker=db-page-2") => answer("DescribeDBInstances", &second),
        "DescribeDBInstances" => answer("DescribeDBInstances", &first),
        other => panic!("unexpected call {other}"),
    });
    let need = Regional { regions: ["us-east-1".to_string()].into(), ..Regional::default() };
    let got = collect(&ctx, &need).await;
    let dbs = got["us-east-1"].known().expect("both pages were read");
    type Row<'a> = (
        &'a str,
        Option<bool>,
        Option<bool>,
        Option<i32>,
        Option<bool>,
        Option<bool>,
        Vec<String>,
        Observed<crate::inventory::Tags>,
    );
    let rows: Vec<Row> = dbs
        .iter()
        .map(|d| {
            (
                d.id.as_str(),
                d.storage_encrypted,
                d.publicly_accessible,
                d.backup_retention_days,
                d.deletion_protection,
                d.multi_az,
                d.subnets.clone(),
                d.tags.clone(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "pg",
                Some(true),
                Some(false),
                Some(1),
                Some(false),
                Some(true),
                vec!["subnet-a".to_string()],
                Observed::Known([("team".to_string(), "data".to_string())].into())
            ),
            ("bare", None, None, Some(7), None, None, vec![], Observed::Known(Default::default())),
        ]
    );
    assert_eq!(seen.lock().unwrap().len(), 2, "two instance pages; no cluster asked for");
    assert!(ctx.errors.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_failing_db_instances_page_fails_the_listing() {
    let first =
        format!("<DBInstances>{}</DBInstances><Marker>db-page-2</Marker>", instance("pg", "postgres", None, true));
    let ctx = ctx_with(move |r| match r.op.as_str() {
        "DescribeDBInstances" if r.body.contains("Marker=db-page-2") => rds_error(400, "Throttling"),
        "DescribeDBInstances" => answer("DescribeDBInstances", &first),
        other => panic!("unexpected call {other}"),
    });
    let need = Regional { regions: ["us-east-1".to_string()].into(), ..Regional::default() };
    let got = collect(&ctx, &need).await;
    let gap = got["us-east-1"].gap().expect("a short listing is never passed on as complete");
    assert_eq!(
        (gap.operation.as_str(), gap.code.as_str(), gap.class),
        ("DescribeDBInstances", "Throttling", crate::inventory::ErrorClass::Throttled)
    );
    let errors: Vec<String> = ctx.errors.lock().unwrap().iter().map(|g| g.operation.clone()).collect();
    assert_eq!(errors, ["DescribeDBInstances"]);
}
