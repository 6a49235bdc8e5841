//! Live tests against LocalStack for AWS-documented semantics (issue 12): EC2
//! networking and RDS on Aurora. Each test deploys through the SDK in an account
//! of its own and asserts the binary's exact findings. What the emulator cannot
//! hold (a `blackhole` route: LocalStack reports every route `active`) is tested
//! over recorded answers in src/collect/ec2_tests.rs and src/collect/rds_tests.rs.

use crate::support::account;
use crate::support::audit::{self, row};
use aws_sdk_ec2::types::{AddPrefixListEntry, IpPermission, PrefixListId, ResourceType, Tag, TagSpecification};
use serde_json::json;

fn named(resource: ResourceType, name: &str) -> TagSpecification {
    TagSpecification::builder().resource_type(resource).tags(Tag::builder().key("Name").value(name).build()).build()
}

async fn prefix_list(ec2: &aws_sdk_ec2::Client, name: &str, cidrs: &[&str]) -> String {
    let mut req = ec2.create_managed_prefix_list().prefix_list_name(name).address_family("IPv4").max_entries(5);
    for c in cidrs {
        req = req.entries(AddPrefixListEntry::builder().cidr(*c).build());
    }
    let out = req.send().await.unwrap();
    out.prefix_list().and_then(|p| p.prefix_list_id()).unwrap().to_string()
}

/// A security group whose only ingress rule admits tcp/22 from a prefix list.
async fn ssh_from_list(ec2: &aws_sdk_ec2::Client, vpc: &str, name: &str, list: &str) -> String {
    let g = ec2.create_security_group().group_name(name).description("ssh").vpc_id(vpc).send().await.unwrap();
    let id = g.group_id().unwrap().to_string();
    let rule = IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(22)
        .to_port(22)
        .prefix_list_ids(PrefixListId::builder().prefix_list_id(list).build())
        .build();
    ec2.authorize_security_group_ingress().group_id(&id).ip_permissions(rule).send().await.unwrap();
    id
}

const SSH_PROFILE: &str = r#"[profile]
name = "prefix-lists"
regions = ["us-east-1"]

[[requirement]]
id = "ssh-internal-only"
kind = "ec2.security_group"
select = { name_prefix = "ssh-" }
[requirement.expect]
restrict_ports = { "22" = ["10.0.0.0/8"] }
world_open_ports = ["443"]
"#;

#[tokio::test]
async fn security_group_open_through_a_prefix_list_drifts() {
    let acct = account();
    let ec2 = acct.ec2("us-east-1");
    let world = prefix_list(&ec2, "anywhere", &["10.0.0.0/16", "0.0.0.0/0"]).await;
    let private = prefix_list(&ec2, "offices", &["10.1.0.0/16", "10.2.0.0/16"]).await;
    let vpc = ec2.create_vpc().cidr_block("10.0.0.0/16").send().await.unwrap();
    let vpc = vpc.vpc().and_then(|v| v.vpc_id()).unwrap().to_string();
    let open = ssh_from_list(&ec2, &vpc, "ssh-open", &world).await;
    let closed = ssh_from_list(&ec2, &vpc, "ssh-closed", &private).await;

    let p = audit::profile_file(SSH_PROFILE);
    let a = audit::run(&acct, &[p.path()], &[]);
    a.assert_code(1);
    let arn = |id: &str| format!("arn:aws:ec2:us-east-1:{}:security-group/{id}", acct.id);
    let (open, closed) = (arn(&open), arn(&closed));
    let mut expected =
        vec![row("ssh-internal-only", Some(&open), "drift"), row("ssh-internal-only", Some(&closed), "pass")];
    expected.sort();
    let mut rows = a.rows();
    rows.sort();
    assert_eq!(rows, expected);
    let offending = json!([format!("tcp/22 from 0.0.0.0/0 (prefix list {world})")]);
    assert_eq!(a.observed("ssh-internal-only", Some(&open), "world_open_ports"), offending);
    assert_eq!(a.observed("ssh-internal-only", Some(&open), "restrict_ports"), offending);
    assert_eq!(a.observed("ssh-internal-only", Some(&closed), "restrict_ports"), json!([]));
    assert_eq!(a.report["errors"], json!([]));
}

const IPV6_PROFILE: &str = r#"[profile]
name = "dual-stack"
regions = ["us-east-1"]

[[requirement]]
id = "dual-stack"
kind = "ec2.vpc"
select = { name_prefix = "net-" }
[requirement.expect]
ipv6 = true
"#;

#[tokio::test]
async fn vpc_whose_ipv6_block_was_disassociated_drifts() {
    let acct = account();
    let ec2 = acct.ec2("us-east-1");
    let mut made = Vec::new();
    for name in ["net-dual", "net-dropped"] {
        let v = ec2
            .create_vpc()
            .cidr_block("10.0.0.0/16")
            .amazon_provided_ipv6_cidr_block(true)
            .tag_specifications(named(ResourceType::Vpc, name))
            .send()
            .await
            .unwrap();
        let v = v.vpc().unwrap();
        made.push(v.vpc_id().unwrap().to_string());
    }
    // the block of each VPC, as EC2 assigned it
    let got = ec2.describe_vpcs().vpc_ids(&made[0]).vpc_ids(&made[1]).send().await.unwrap();
    let block = |id: &str| {
        let v = got.vpcs().iter().find(|v| v.vpc_id() == Some(id)).unwrap();
        let a = &v.ipv6_cidr_block_association_set()[0];
        (a.ipv6_cidr_block().unwrap().to_string(), a.association_id().unwrap().to_string())
    };
    let (dual_block, _) = block(&made[0]);
    let (dropped_block, dropped_assoc) = block(&made[1]);
    ec2.disassociate_vpc_cidr_block().association_id(dropped_assoc).send().await.unwrap();

    let p = audit::profile_file(IPV6_PROFILE);
    let a = audit::run(&acct, &[p.path()], &[]);
    a.assert_code(1);
    let arn = |id: &str| format!("arn:aws:ec2:us-east-1:{}:vpc/{id}", acct.id);
    let (dual, dropped) = (arn(&made[0]), arn(&made[1]));
    let mut expected = vec![row("dual-stack", Some(&dual), "pass"), row("dual-stack", Some(&dropped), "drift")];
    expected.sort();
    let mut rows = a.rows();
    rows.sort();
    assert_eq!(rows, expected);
    assert_eq!(a.observed("dual-stack", Some(&dual), "ipv6"), json!([dual_block]));
    assert_eq!(a.observed("dual-stack", Some(&dropped), "ipv6"), json!([format!("{dropped_block} (disassociated)")]));
}

const AURORA_PROFILE: &str = r#"[profile]
name = "aurora"
regions = ["us-east-1"]

[[requirement]]
id = "aurora-resilient"
kind = "rds.instance"
[requirement.expect]
engine = "aurora-postgresql"
multi_az = true
deletion_protection = true
backup_retention_days = { at_least = 7 }
storage_encrypted = true

[[requirement]]
id = "writer-has-reader"
kind = "rds.instance"
select = { name = "orders-1" }
[requirement.expect]
read_replicas = { at_least = 1 }
"#;

#[tokio::test]
async fn aurora_instances_are_judged_by_their_cluster() {
    let acct = account();
    let rds = acct.rds("us-east-1");
    // `orders`: protected, a week of backups, writer and reader in two zones (AWS:
    // the cluster's MultiAZ is true); `solo`: one instance, no protection, one day
    for (cluster, protect, days) in [("orders", true, 7), ("solo", false, 1)] {
        rds.create_db_cluster()
            .db_cluster_identifier(cluster)
            .engine("aurora-postgresql")
            .master_username("app")
            .master_user_password("not-a-secret-1")
            .storage_encrypted(true)
            .deletion_protection(protect)
            .backup_retention_period(days)
            .send()
            .await
            .unwrap();
    }
    for (id, cluster, zone) in
        [("orders-1", "orders", "us-east-1a"), ("orders-2", "orders", "us-east-1b"), ("solo-1", "solo", "us-east-1a")]
    {
        rds.create_db_instance()
            .db_instance_identifier(id)
            .db_cluster_identifier(cluster)
            .engine("aurora-postgresql")
            .db_instance_class("db.r6g.large")
            .availability_zone(zone)
            .send()
            .await
            .unwrap();
    }

    let p = audit::profile_file(AURORA_PROFILE);
    let a = audit::run(&acct, &[p.path()], &[]);
    a.assert_code(1);
    let arn = |id: &str| format!("arn:aws:rds:us-east-1:{}:db:{id}", acct.id);
    assert_eq!(
        a.rows(),
        [
            row("aurora-resilient", Some(&arn("orders-1")), "pass"),
            row("aurora-resilient", Some(&arn("orders-2")), "pass"),
            row("aurora-resilient", Some(&arn("solo-1")), "drift"),
            row("writer-has-reader", Some(&arn("orders-1")), "pass"),
        ]
    );
    let solo = arn("solo-1");
    assert_eq!(a.observed("aurora-resilient", Some(&solo), "multi_az"), json!(false));
    assert_eq!(a.observed("aurora-resilient", Some(&solo), "deletion_protection"), json!(false));
    assert_eq!(a.observed("aurora-resilient", Some(&solo), "backup_retention_days"), json!(1));
    assert_eq!(a.observed("aurora-resilient", Some(&arn("orders-1")), "multi_az"), json!(true));
    assert_eq!(a.observed("writer-has-reader", Some(&arn("orders-1")), "read_replicas"), json!(["orders-2"]));
    assert_eq!(a.report["errors"], json!([]));
}

const ORIGIN_PROFILE: &str = r#"[profile]
name = "origin"
regions = ["us-east-1"]

[[requirement]]
id = "origin-not-world"
kind = "ec2.security_group"
select = { name = "origin" }
[requirement.expect]
world_open_ports = []

[[requirement]]
id = "origin-internal-only"
kind = "ec2.security_group"
select = { name = "origin" }
[requirement.expect]
restrict_ports = { "443" = ["10.0.0.0/8"] }
"#;

#[tokio::test]
async fn aws_managed_prefix_list_is_judged_by_its_service_ranges() {
    // AWS-managed lists hold the public ranges of an AWS service (here CloudFront's
    // origin-facing servers): not the whole internet, but not internal sources either
    let acct = account();
    let ec2 = acct.ec2("us-east-1");
    let lists = ec2
        .describe_managed_prefix_lists()
        .filters(
            aws_sdk_ec2::types::Filter::builder()
                .name("prefix-list-name")
                .values("com.amazonaws.global.cloudfront.origin-facing")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let list = lists
        .prefix_lists()
        .iter()
        .find(|l| l.prefix_list_name() == Some("com.amazonaws.global.cloudfront.origin-facing"))
        .and_then(|l| l.prefix_list_id())
        .unwrap()
        .to_string();
    let entries = ec2.get_managed_prefix_list_entries().prefix_list_id(&list).send().await.unwrap();
    let mut expected: Vec<String> =
        entries.entries().iter().map(|e| format!("tcp/443 from {} (prefix list {list})", e.cidr().unwrap())).collect();
    expected.sort();
    expected.dedup();
    assert!(!expected.is_empty(), "the emulator lists CloudFront's ranges");
    let vpc = ec2.create_vpc().cidr_block("10.0.0.0/16").send().await.unwrap();
    let vpc = vpc.vpc().and_then(|v| v.vpc_id()).unwrap().to_string();
    let g = ec2.create_security_group().group_name("origin").description("cdn").vpc_id(&vpc).send().await.unwrap();
    let id = g.group_id().unwrap().to_string();
    let rule = IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(443)
        .to_port(443)
        .prefix_list_ids(PrefixListId::builder().prefix_list_id(&list).build())
        .build();
    ec2.authorize_security_group_ingress().group_id(&id).ip_permissions(rule).send().await.unwrap();

    let p = audit::profile_file(ORIGIN_PROFILE);
    let a = audit::run(&acct, &[p.path()], &[]);
    a.assert_code(1);
    let arn = format!("arn:aws:ec2:us-east-1:{}:security-group/{id}", acct.id);
    assert_eq!(
        a.rows(),
        [row("origin-internal-only", Some(&arn), "drift"), row("origin-not-world", Some(&arn), "pass")]
    );
    assert_eq!(a.observed("origin-not-world", Some(&arn), "world_open_ports"), json!([]));
    assert_eq!(a.observed("origin-internal-only", Some(&arn), "restrict_ports"), json!(expected));
}
