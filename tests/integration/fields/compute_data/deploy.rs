//! Deployments of the compute_data proofs: one compliant resource per kind,
//! cloned and changed in one setting for the misconfigured one. Each is made the
//! way AWS accepts it (a trail's bucket carries the policy CloudTrail needs; a
//! multi-region trail includes global service events; an encrypted cross-region
//! read replica names a KMS key of its own region).

use crate::samples::{allow_cloudtrail, create_bucket_in, serverless};
use crate::support::Account;
use std::collections::BTreeMap;

const REGION: &str = "us-east-1";

/// A customer managed KMS key in `region`; returns its ARN.
pub async fn key(acct: &Account, region: &str) -> String {
    let created = acct.kms(region).create_key().description("fields proof key").send().await.expect("CreateKey");
    created.key_metadata().and_then(|m| m.arn()).expect("key ARN").to_string()
}

/// A key CloudTrail may encrypt with: AWS refuses a trail whose key policy does
/// not let `cloudtrail.amazonaws.com` call GenerateDataKey* (CloudTrail User
/// Guide, "Configure AWS KMS key policies for CloudTrail").
async fn trail_key(acct: &Account) -> String {
    let policy = serde_json::json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "Owner", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{}:root", acct.id)},
         "Action": "kms:*", "Resource": "*"},
        {"Sid": "CloudTrailEncrypt", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
         "Action": ["kms:GenerateDataKey*", "kms:DescribeKey"], "Resource": "*",
         "Condition": {"StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn":
             format!("arn:aws:cloudtrail:*:{}:trail/*", acct.id)}}}]});
    let created = acct
        .kms(REGION)
        .create_key()
        .description("trail logs key")
        .policy(policy.to_string())
        .send()
        .await
        .expect("CreateKey");
    created.key_metadata().and_then(|m| m.arn()).expect("key ARN").to_string()
}

#[derive(Clone)]
pub struct Trail {
    pub bucket: String,
    pub other_bucket: String,
    pub kms_key: Option<String>,
    pub multi_region: bool,
    pub validation: bool,
    pub global_events: bool,
    pub logging: bool,
    pub read_only: bool,
    pub owner: String,
}

impl Trail {
    /// Logging, multi-region, validated, KMS-encrypted, with global events, all
    /// management events, tagged Owner = platform; two buckets of the account.
    pub async fn compliant(acct: &Account) -> Trail {
        let (bucket, other_bucket) = (acct.bucket("dw-fields-trail"), acct.bucket("dw-fields-other"));
        for b in [&bucket, &other_bucket] {
            acct.s3(REGION).create_bucket().bucket(b).send().await.expect("CreateBucket");
        }
        Trail {
            bucket,
            other_bucket,
            kms_key: Some(trail_key(acct).await),
            multi_region: true,
            validation: true,
            global_events: true,
            logging: true,
            read_only: false,
            owner: "platform".into(),
        }
    }

    pub async fn create(&self, acct: &Account, name: &str) {
        use aws_sdk_cloudtrail::types::{EventSelector, ReadWriteType, Tag};
        allow_cloudtrail(acct, REGION, &self.bucket, name).await.expect("bucket policy");
        let ct = acct.cloudtrail(REGION);
        ct.create_trail()
            .name(name)
            .s3_bucket_name(&self.bucket)
            .is_multi_region_trail(self.multi_region)
            .enable_log_file_validation(self.validation)
            .include_global_service_events(self.global_events)
            .set_kms_key_id(self.kms_key.clone())
            .tags_list(Tag::builder().key("Owner").value(&self.owner).build().expect("tag"))
            .send()
            .await
            .expect("CreateTrail");
        if self.logging {
            ct.start_logging().name(name).send().await.expect("StartLogging");
        }
        let rw = if self.read_only { ReadWriteType::ReadOnly } else { ReadWriteType::All };
        let selector = EventSelector::builder().read_write_type(rw).include_management_events(true).build();
        ct.put_event_selectors().trail_name(name).event_selectors(selector).send().await.expect("PutEventSelectors");
    }
}

#[derive(Clone)]
pub struct Alarm {
    pub namespace: String,
    pub metric: String,
    pub dimension: (String, String),
    pub statistic: String,
    pub greater_only: bool,
    pub threshold: f64,
    pub actions_enabled: bool,
    pub with_action: bool,
    pub topic: String,
    pub owner: String,
}

impl Alarm {
    /// CPUUtilization of the `web` group, Average >= 70, actions on, notifying a topic.
    pub fn compliant(acct: &Account) -> Alarm {
        Alarm {
            namespace: "AWS/EC2".into(),
            metric: "CPUUtilization".into(),
            dimension: ("AutoScalingGroupName".into(), "web".into()),
            statistic: "Average".into(),
            greater_only: false,
            threshold: 70.0,
            actions_enabled: true,
            with_action: true,
            topic: format!("arn:aws:sns:{REGION}:{}:alerts", acct.id),
            owner: "platform".into(),
        }
    }

    pub async fn put(&self, acct: &Account, name: &str) {
        use aws_sdk_cloudwatch::types::{ComparisonOperator, Dimension, Statistic, Tag};
        let op = if self.greater_only {
            ComparisonOperator::GreaterThanThreshold
        } else {
            ComparisonOperator::GreaterThanOrEqualToThreshold
        };
        acct.cloudwatch(REGION)
            .put_metric_alarm()
            .alarm_name(name)
            .namespace(&self.namespace)
            .metric_name(&self.metric)
            .dimensions(Dimension::builder().name(&self.dimension.0).value(&self.dimension.1).build())
            .statistic(Statistic::from(self.statistic.as_str()))
            .period(300)
            .evaluation_periods(1)
            .comparison_operator(op)
            .threshold(self.threshold)
            .actions_enabled(self.actions_enabled)
            .set_alarm_actions(self.with_action.then(|| vec![self.topic.clone()]))
            .send()
            .await
            .expect("PutMetricAlarm");
        // tagged afterwards: the emulator then fails DescribeAlarms (CBOR) for an
        // alarm given Tags in PutMetricAlarm; TagResource is AWS's other way
        let arn = format!("arn:aws:cloudwatch:{REGION}:{}:alarm:{name}", acct.id);
        acct.cloudwatch(REGION)
            .tag_resource()
            .resource_arn(arn)
            .tags(Tag::builder().key("Owner").value(&self.owner).build())
            .send()
            .await
            .expect("TagResource");
    }
}

/// A configuration recorder and delivery channel in `region`, recording or not.
pub async fn config_region(acct: &Account, region: &str, recording: bool) {
    use aws_sdk_config::types::{ConfigurationRecorder, DeliveryChannel};
    let bucket = acct.bucket(&format!("dw-fields-config-{region}"));
    create_bucket_in(&acct.s3(region), &bucket, region).await.expect("CreateBucket");
    let cfg = acct.config_service(region);
    let role = format!("arn:aws:iam::{}:role/aws-config", acct.id);
    cfg.put_configuration_recorder()
        .configuration_recorder(ConfigurationRecorder::builder().name("default").role_arn(role).build())
        .send()
        .await
        .expect("PutConfigurationRecorder");
    cfg.put_delivery_channel()
        .delivery_channel(DeliveryChannel::builder().name("default").s3_bucket_name(bucket).build())
        .send()
        .await
        .expect("PutDeliveryChannel");
    if recording {
        cfg.start_configuration_recorder().configuration_recorder_name("default").send().await.expect("start");
    }
}

/// A managed rule tagged Owner = `owner`.
pub async fn config_rule(acct: &Account, region: &str, name: &str, source: &str, owner: &str) {
    use aws_sdk_config::types::{ConfigRule, Owner, Source, Tag};
    let source = Source::builder().owner(Owner::Aws).source_identifier(source).build().expect("source");
    acct.config_service(region)
        .put_config_rule()
        .config_rule(ConfigRule::builder().config_rule_name(name).source(source).build())
        .tags(Tag::builder().key("Owner").value(owner).build())
        .send()
        .await
        .expect("PutConfigRule");
}

/// The ARN AWS gave each rule (it ends in a generated id), by rule name.
pub async fn config_rule_arns(acct: &Account, regions: &[&str]) -> impl Fn(&str) -> String {
    let mut arns = BTreeMap::new();
    for region in regions {
        let out = acct.config_service(region).describe_config_rules().send().await.expect("DescribeConfigRules");
        for r in out.config_rules() {
            arns.insert(
                r.config_rule_name().unwrap_or_default().to_string(),
                r.config_rule_arn().unwrap_or_default().to_string(),
            );
        }
    }
    move |name: &str| arns.get(name).cloned().unwrap_or_else(|| panic!("no rule {name}"))
}

#[derive(Clone)]
pub struct Table {
    pub sse: bool,
    pub key: Option<String>,
    pub pitr: bool,
    pub protect: bool,
    pub replica: Option<String>,
    pub owner: String,
}

impl Table {
    /// SSE-KMS (key set by the caller), PITR, deletion protection, Owner = platform.
    pub fn compliant() -> Table {
        Table { sse: true, key: None, pitr: true, protect: true, replica: None, owner: "platform".into() }
    }

    pub async fn create(&self, acct: &Account, name: &str) {
        use aws_sdk_dynamodb::types::*;
        let ddb = acct.dynamodb(REGION);
        let mut create = ddb
            .create_table()
            .table_name(name)
            .attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name("pk")
                    .attribute_type(ScalarAttributeType::S)
                    .build()
                    .expect("attr"),
            )
            .key_schema(KeySchemaElement::builder().attribute_name("pk").key_type(KeyType::Hash).build().expect("key"))
            .billing_mode(BillingMode::PayPerRequest)
            .deletion_protection_enabled(self.protect)
            .tags(Tag::builder().key("Owner").value(&self.owner).build().expect("tag"));
        if self.sse {
            let sse = SseSpecification::builder()
                .enabled(true)
                .sse_type(SseType::Kms)
                .set_kms_master_key_id(self.key.clone());
            create = create.sse_specification(sse.build());
        }
        if self.replica.is_some() {
            // global tables (version 2019.11.21) need a stream of new and old images
            create = create.stream_specification(
                StreamSpecification::builder()
                    .stream_enabled(true)
                    .stream_view_type(StreamViewType::NewAndOldImages)
                    .build()
                    .expect("stream"),
            );
        }
        create.send().await.expect("CreateTable");
        if self.pitr {
            let spec =
                PointInTimeRecoverySpecification::builder().point_in_time_recovery_enabled(true).build().expect("pitr");
            ddb.update_continuous_backups()
                .table_name(name)
                .point_in_time_recovery_specification(spec)
                .send()
                .await
                .expect("PITR");
        }
        if let Some(region) = &self.replica {
            let add = CreateReplicationGroupMemberAction::builder().region_name(region).build().expect("replica");
            ddb.update_table()
                .table_name(name)
                .replica_updates(ReplicationGroupUpdate::builder().create(add).build())
                .send()
                .await
                .expect("UpdateTable replica");
        }
    }
}

/// A function (with its execution role) tagged Owner = `owner`.
pub async fn function(
    acct: &Account,
    name: &str,
    runtime: aws_sdk_lambda::types::Runtime,
    key: Option<&str>,
    owner: &str,
) {
    serverless::function_in(acct, REGION, name, runtime, key).await.expect("CreateFunction");
    let arn = format!("arn:aws:lambda:{REGION}:{}:function:{name}", acct.id);
    acct.lambda(REGION).tag_resource().resource(arn).tags("Owner", owner).send().await.expect("TagResource");
}

/// A VPC with a public subnet (route 0.0.0.0/0 to an internet gateway, zone a)
/// and two private ones (zones a, b); DB subnet groups `private` (both private)
/// and `mixed` (the public one and private b).
pub struct DbNetwork {
    pub public: String,
}

pub async fn db_network(acct: &Account) -> DbNetwork {
    let ec2 = acct.ec2(REGION);
    let vpc = ec2.create_vpc().cidr_block("10.20.0.0/16").send().await.expect("CreateVpc");
    let vpc = vpc.vpc().and_then(|v| v.vpc_id()).expect("vpc id").to_string();
    let mut ids = Vec::new();
    for (cidr, zone) in [("10.20.1.0/24", "a"), ("10.20.2.0/24", "a"), ("10.20.3.0/24", "b")] {
        let s = ec2
            .create_subnet()
            .vpc_id(&vpc)
            .cidr_block(cidr)
            .availability_zone(format!("{REGION}{zone}"))
            .send()
            .await
            .expect("CreateSubnet");
        ids.push(s.subnet().and_then(|x| x.subnet_id()).expect("subnet id").to_string());
    }
    let igw = ec2.create_internet_gateway().send().await.expect("CreateInternetGateway");
    let igw = igw.internet_gateway().and_then(|g| g.internet_gateway_id()).expect("igw id").to_string();
    ec2.attach_internet_gateway().internet_gateway_id(&igw).vpc_id(&vpc).send().await.expect("attach");
    let rt = ec2.create_route_table().vpc_id(&vpc).send().await.expect("CreateRouteTable");
    let rt = rt.route_table().and_then(|t| t.route_table_id()).expect("rtb id").to_string();
    ec2.create_route()
        .route_table_id(&rt)
        .destination_cidr_block("0.0.0.0/0")
        .gateway_id(&igw)
        .send()
        .await
        .expect("route");
    ec2.associate_route_table().route_table_id(&rt).subnet_id(&ids[0]).send().await.expect("associate");
    let rds = acct.rds(REGION);
    for (group, subnets) in [("private", [&ids[1], &ids[2]]), ("mixed", [&ids[0], &ids[2]])] {
        rds.create_db_subnet_group()
            .db_subnet_group_name(group)
            .db_subnet_group_description(format!("{group} subnets"))
            .subnet_ids(subnets[0])
            .subnet_ids(subnets[1])
            .send()
            .await
            .expect("CreateDBSubnetGroup");
    }
    DbNetwork { public: ids[0].clone() }
}

#[derive(Clone)]
pub struct Db {
    pub engine: String,
    pub encrypted: bool,
    pub public: bool,
    pub subnet_group: Option<String>,
    pub backup_days: i32,
    pub protect: bool,
    pub multi_az: bool,
    /// The region of one read replica, if any.
    pub replica: Option<String>,
    pub owner: String,
}

impl Db {
    /// postgres, encrypted, private, 7 days of backups, protected, Multi-AZ.
    pub fn compliant() -> Db {
        Db {
            engine: "postgres".into(),
            encrypted: true,
            public: false,
            subnet_group: None,
            backup_days: 7,
            protect: true,
            multi_az: true,
            replica: None,
            owner: "platform".into(),
        }
    }

    pub async fn create(&self, acct: &Account, id: &str) {
        use aws_sdk_rds::types::Tag;
        let created = acct
            .rds(REGION)
            .create_db_instance()
            .db_instance_identifier(id)
            .engine(&self.engine)
            .db_instance_class("db.t3.medium")
            .allocated_storage(20)
            .master_username("platform")
            .master_user_password("not-a-real-password-1")
            .storage_encrypted(self.encrypted)
            .publicly_accessible(self.public)
            .backup_retention_period(self.backup_days)
            .deletion_protection(self.protect)
            .multi_az(self.multi_az)
            .set_db_subnet_group_name(self.subnet_group.clone())
            .tags(Tag::builder().key("Owner").value(&self.owner).build())
            .send()
            .await
            .expect("CreateDBInstance");
        let arn = created.db_instance().and_then(|d| d.db_instance_arn()).expect("instance ARN").to_string();
        let Some(region) = &self.replica else { return };
        // outside the proofs' name prefixes
        let replica =
            acct.rds(region).create_db_instance_read_replica().db_instance_identifier(format!("zz-replica-{id}"));
        let replica = if region == REGION {
            replica.source_db_instance_identifier(id)
        } else {
            // an encrypted cross-region replica names a key of its own region
            replica.source_db_instance_identifier(arn).kms_key_id(key(acct, region).await)
        };
        replica.db_instance_class("db.t3.medium").send().await.expect("CreateDBInstanceReadReplica");
    }
}
