//! Seed 001, the three-region enterprise platform
//! (`profiles/multi-region-enterprise.toml`). `Compliant` is the ideal stack;
//! `Drifted` reproduces the generated `tap_stack.py` as its failure report
//! describes it:
//!
//! | report | compliant | drifted |
//! |---|---|---|
//! | A-1 peering | full mesh, routes both ways | east–west and east–south only, no routes |
//! | A-2 S3 | versioned, replicated to a versioned bucket in us-west-2 | versioned, no replication |
//! | A-3 RDS | PostgreSQL, encrypted, private, 7-day backups, replicas in us-west-2 and ap-south-1 | none |
//! | A-4 DynamoDB | global table in all three regions | none |
//! | A-5 Secrets Manager | DB secret rotated every 30 days | none |
//! | A-6 TLS | HTTP redirects to an HTTPS listener (TLS 1.3/1.2 policy) | HTTP redirect, no HTTPS listener |
//! | A-7 IPv6 | dual-stack VPCs | IPv4-only VPCs |
//! | B-1 CloudTrail | multi-region trail, logging | none |
//! | B-2 Config | ENCRYPTED_VOLUMES, S3_BUCKET_PUBLIC_READ_PROHIBITED | none |
//! | B-3 SNS | alerts topic both alarms notify | none |
//! | B-4 SSH | 22 from the admin CIDR only | 22 from 10.0.0.0/8 |
//! | B-5 KMS | `logs.amazonaws.com` | `logs.REGION.amazonaws.com` |
//! | C-1 alarms | CPU >= 70 and ALB 5xx | none |
//! | C-2 flow logs | to a log group kept 30 days | same (passes) |
//! | D-1 Lambda | python3.12 | python3.9 |
//! | D-2 ASG | mixed instances, three types | t3.micro only |
//! | G-1 names | `PROD-{service}-{identifier}-{region}` | same |
//! | G-2 tags | every resource, route tables included | route tables untagged |

use super::{Env, Result, Variant};

pub const REGIONS: [(&str, &str); 3] = [("us-east-1", "10.11"), ("us-west-2", "10.12"), ("ap-south-1", "10.13")];
pub const HOME: &str = "us-east-1";
pub const PROJECT: &str = "enterprise-platform";
pub const ADMIN_CIDR: &str = "203.0.113.0/24";
const TRUST_FLOW_LOGS: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"vpc-flow-logs.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

/// The stack's tags, as (key, value).
pub fn tags() -> [(&'static str, &'static str); 3] {
    [("Environment", "Production"), ("Project", PROJECT), ("Owner", "platform-team")]
}

fn ec2_tags(name: &str, kind: aws_sdk_ec2::types::ResourceType) -> aws_sdk_ec2::types::TagSpecification {
    use aws_sdk_ec2::types::{Tag, TagSpecification};
    let mut spec = TagSpecification::builder().resource_type(kind).tags(Tag::builder().key("Name").value(name).build());
    for (k, v) in tags() {
        spec = spec.tags(Tag::builder().key(k).value(v).build());
    }
    spec.build()
}

/// What one region's network holds.
pub struct RegionNet {
    pub region: &'static str,
    pub vpc: String,
    pub cidr: String,
    pub public: String,
    pub private: [String; 2],
}

async fn kms_key(env: &Env, v: Variant, region: &str) -> Result<String> {
    let logs = match v {
        Variant::Compliant => "logs.amazonaws.com".to_string(),
        Variant::Drifted => format!("logs.{region}.amazonaws.com"),
    };
    let policy = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [
            { "Sid": "Account", "Effect": "Allow", "Principal": { "AWS": format!("arn:aws:iam::{}:root", env.id) },
              "Action": "kms:*", "Resource": "*" },
            { "Sid": "Logs", "Effect": "Allow", "Principal": { "Service": logs },
              "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*", "kms:Describe*"], "Resource": "*" }
        ]
    });
    let kms = env.kms(region);
    let key = kms.create_key().policy(policy.to_string()).description("flow log key").send().await?;
    let meta = key.key_metadata().ok_or("CreateKey returned no metadata")?;
    kms.create_alias().alias_name(format!("alias/PROD-kms-logs-{region}")).target_key_id(meta.key_id()).send().await?;
    kms.enable_key_rotation().key_id(meta.key_id()).send().await?;
    Ok(meta.arn().unwrap_or_default().to_string())
}

async fn network(env: &Env, v: Variant, region: &'static str, prefix: &str) -> Result<RegionNet> {
    use aws_sdk_ec2::types::{IpPermission, IpRange, LogDestinationType, ResourceType, TrafficType};
    let ec2 = env.ec2(region);
    let cidr = format!("{prefix}.0.0/16");
    let vpc = ec2
        .create_vpc()
        .cidr_block(&cidr)
        .amazon_provided_ipv6_cidr_block(v == Variant::Compliant)
        .tag_specifications(ec2_tags(&format!("PROD-vpc-main-{region}"), ResourceType::Vpc))
        .send()
        .await?;
    let vpc = vpc.vpc().and_then(|x| x.vpc_id()).unwrap_or_default().to_string();
    let subnets = super::three_subnets(&ec2, &vpc, region, prefix, |role, az| {
        ec2_tags(&format!("PROD-subnet-{role}{az}-{region}"), ResourceType::Subnet)
    })
    .await?;
    let igw = ec2
        .create_internet_gateway()
        .tag_specifications(ec2_tags(&format!("PROD-igw-main-{region}"), ResourceType::InternetGateway))
        .send()
        .await?;
    let igw = igw.internet_gateway().and_then(|g| g.internet_gateway_id()).unwrap_or_default().to_string();
    ec2.attach_internet_gateway().internet_gateway_id(&igw).vpc_id(&vpc).send().await?;
    // the generator's tagging helper never reached the route-table layer
    let mut table = ec2.create_route_table().vpc_id(&vpc);
    if v == Variant::Compliant {
        table = table.tag_specifications(ec2_tags(&format!("PROD-rt-public-{region}"), ResourceType::RouteTable));
    }
    let table = table.send().await?;
    let table = table.route_table().and_then(|t| t.route_table_id()).unwrap_or_default().to_string();
    ec2.create_route().route_table_id(&table).destination_cidr_block("0.0.0.0/0").gateway_id(&igw).send().await?;
    ec2.associate_route_table().route_table_id(&table).subnet_id(&subnets[0]).send().await?;

    let ssh_from = if v == Variant::Compliant { ADMIN_CIDR } else { "10.0.0.0/8" };
    let sg = ec2
        .create_security_group()
        .group_name(format!("PROD-sg-web-{region}"))
        .description("web tier")
        .vpc_id(&vpc)
        .tag_specifications(ec2_tags(&format!("PROD-sg-web-{region}"), ResourceType::SecurityGroup))
        .send()
        .await?;
    let sg = sg.group_id().unwrap_or_default().to_string();
    for (port, from) in [(22, ssh_from), (443, "0.0.0.0/0")] {
        let perm = IpPermission::builder()
            .ip_protocol("tcp")
            .from_port(port)
            .to_port(port)
            .ip_ranges(IpRange::builder().cidr_ip(from).build())
            .build();
        ec2.authorize_security_group_ingress().group_id(&sg).ip_permissions(perm).send().await?;
    }

    let key = kms_key(env, v, region).await?;
    let group = format!("PROD-logs-flow-{region}");
    let logs = env.logs(region);
    // LocalStack has no AssociateKmsKey; the key is given at creation
    let mut create = logs.create_log_group().log_group_name(&group).kms_key_id(&key);
    for (k, val) in tags() {
        create = create.tags(k, val);
    }
    create.send().await?;
    logs.put_retention_policy().log_group_name(&group).retention_in_days(30).send().await?;
    let role = format!("arn:aws:iam::{}:role/PROD-role-flowlogs-{HOME}", env.id);
    ec2.create_flow_logs()
        .resource_ids(&vpc)
        .resource_type(aws_sdk_ec2::types::FlowLogsResourceType::Vpc)
        .traffic_type(TrafficType::All)
        .log_destination_type(LogDestinationType::CloudWatchLogs)
        .log_group_name(&group)
        .deliver_logs_permission_arn(role)
        .send()
        .await?;
    let [public, a, b] = subnets;
    Ok(RegionNet { region, vpc, cidr, public, private: [a, b] })
}

async fn mesh(env: &Env, v: Variant, nets: &[RegionNet]) -> Result {
    let pairs: &[(usize, usize)] = match v {
        Variant::Compliant => &[(0, 1), (0, 2), (1, 2)],
        Variant::Drifted => &[(0, 1), (0, 2)],
    };
    for &(i, j) in pairs {
        let (a, b) = (&nets[i], &nets[j]);
        let pcx = super::core::peer(env, (a.region, &a.vpc), (b.region, &b.vpc)).await?;
        if v == Variant::Compliant {
            super::core::route_all(env, a.region, &a.vpc, &b.cidr, &pcx).await?;
            super::core::route_all(env, b.region, &b.vpc, &a.cidr, &pcx).await?;
        }
    }
    Ok(())
}

async fn versioned_bucket(env: &Env, name: &str, region: &str) -> Result {
    let s3 = env.s3(region);
    super::create_bucket_in(&s3, name, region).await?;
    super::enable_versioning(&s3, name).await
}

async fn storage(env: &Env, v: Variant) -> Result {
    use aws_sdk_s3::types::*;
    let source = env.bucket(&format!("prod-s3-data-{HOME}"));
    versioned_bucket(env, &source, HOME).await?;
    if v == Variant::Drifted {
        return Ok(());
    }
    let replica = env.bucket("prod-s3-replica-us-west-2");
    versioned_bucket(env, &replica, "us-west-2").await?;
    let rule = ReplicationRule::builder()
        .id("to-us-west-2")
        .status(ReplicationRuleStatus::Enabled)
        .priority(1)
        .filter(ReplicationRuleFilter::builder().prefix("").build())
        .delete_marker_replication(
            DeleteMarkerReplication::builder().status(DeleteMarkerReplicationStatus::Disabled).build(),
        )
        .destination(Destination::builder().bucket(format!("arn:aws:s3:::{replica}")).build()?)
        .build()?;
    env.s3(HOME)
        .put_bucket_replication()
        .bucket(&source)
        .replication_configuration(
            ReplicationConfiguration::builder()
                .role(format!("arn:aws:iam::{}:role/PROD-role-replication-{HOME}", env.id))
                .rules(rule)
                .build()?,
        )
        .send()
        .await?;
    Ok(())
}

async fn database(env: &Env, net: &RegionNet) -> Result {
    use aws_sdk_rds::types::Tag;
    let rds = env.rds(HOME);
    rds.create_db_subnet_group()
        .db_subnet_group_name("prod-rds-subnets-us-east-1")
        .db_subnet_group_description("private subnets")
        .set_subnet_ids(Some(net.private.to_vec()))
        .send()
        .await?;
    let primary = "prod-rds-main-us-east-1";
    let mut create = rds
        .create_db_instance()
        .db_instance_identifier(primary)
        .engine("postgres")
        .db_instance_class("db.t3.medium")
        .allocated_storage(20)
        .master_username("platform")
        .master_user_password("not-a-real-password-1")
        .storage_encrypted(true)
        .publicly_accessible(false)
        .backup_retention_period(7)
        .deletion_protection(true)
        .db_subnet_group_name("prod-rds-subnets-us-east-1");
    for (k, val) in tags() {
        create = create.tags(Tag::builder().key(k).value(val).build());
    }
    let created = create.send().await?;
    let arn = created.db_instance().and_then(|d| d.db_instance_arn()).unwrap_or_default().to_string();
    for region in ["us-west-2", "ap-south-1"] {
        // an encrypted cross-region replica needs a KMS key of its own region
        // (CreateDBInstanceReadReplica, KmsKeyId)
        let key = env.kms(region).create_key().description("rds replica key").send().await?;
        let key = key.key_metadata().and_then(|m| m.arn()).ok_or("CreateKey returned no key")?.to_string();
        env.rds(region)
            .create_db_instance_read_replica()
            .db_instance_identifier(format!("prod-rds-replica-{region}"))
            .source_db_instance_identifier(&arn)
            .db_instance_class("db.t3.medium")
            .kms_key_id(key)
            .send()
            .await?;
    }
    Ok(())
}

async fn global_table(env: &Env) -> Result {
    use aws_sdk_dynamodb::types::*;
    let name = "PROD-dynamodb-sessions-us-east-1";
    let ddb = env.dynamodb(HOME);
    ddb.create_table()
        .table_name(name)
        .attribute_definitions(
            AttributeDefinition::builder().attribute_name("id").attribute_type(ScalarAttributeType::S).build()?,
        )
        .key_schema(KeySchemaElement::builder().attribute_name("id").key_type(KeyType::Hash).build()?)
        .billing_mode(BillingMode::PayPerRequest)
        .stream_specification(
            StreamSpecification::builder()
                .stream_enabled(true)
                .stream_view_type(StreamViewType::NewAndOldImages)
                .build()?,
        )
        .send()
        .await?;
    for region in ["us-west-2", "ap-south-1"] {
        ddb.update_table()
            .table_name(name)
            .replica_updates(
                ReplicationGroupUpdate::builder()
                    .create(CreateReplicationGroupMemberAction::builder().region_name(region).build()?)
                    .build(),
            )
            .send()
            .await?;
    }
    Ok(())
}

async fn function(env: &Env, name: &str, runtime: aws_sdk_lambda::types::Runtime) -> Result<String> {
    super::serverless::function_in(env, HOME, name, runtime, None).await?;
    let arn = format!("arn:aws:lambda:{HOME}:{}:function:{name}", env.id);
    let lambda = env.lambda(HOME);
    let mut tag = lambda.tag_resource().resource(&arn);
    for (k, v) in tags() {
        tag = tag.tags(k, v);
    }
    tag.send().await?;
    Ok(arn)
}

async fn secret(env: &Env) -> Result {
    use aws_sdk_lambda::types::Runtime;
    use aws_sdk_secretsmanager::types::{RotationRulesType, Tag};
    let rotation = function(env, "PROD-lambda-rotation-us-east-1", Runtime::Python312).await?;
    let sm = env.secretsmanager(HOME);
    let mut create = sm
        .create_secret()
        .name("PROD-secret-dbcredentials-us-east-1")
        .secret_string(r#"{"username":"platform","password":"not-a-real-password-1"}"#);
    for (k, v) in tags() {
        create = create.tags(Tag::builder().key(k).value(v).build());
    }
    create.send().await?;
    sm.rotate_secret()
        .secret_id("PROD-secret-dbcredentials-us-east-1")
        .rotation_lambda_arn(rotation)
        .rotation_rules(RotationRulesType::builder().automatically_after_days(30).build())
        .rotate_immediately(false)
        .send()
        .await?;
    Ok(())
}

async fn web(env: &Env, v: Variant, net: &RegionNet) -> Result<String> {
    use aws_sdk_autoscaling::types::*;
    use aws_sdk_ec2::types::{InstanceType, RequestLaunchTemplateData};
    use aws_sdk_elasticloadbalancingv2::types::*;
    let lt = env
        .ec2(HOME)
        .create_launch_template()
        .launch_template_name("PROD-lt-web-us-east-1")
        .launch_template_data(
            RequestLaunchTemplateData::builder().image_id("ami-12c6146b").instance_type(InstanceType::T3Micro).build(),
        )
        .send()
        .await?;
    let lt = lt.launch_template().and_then(|t| t.launch_template_id()).unwrap_or_default().to_string();
    let spec = LaunchTemplateSpecification::builder().launch_template_id(&lt).version("$Latest").build();
    let mut asg = env
        .autoscaling(HOME)
        .create_auto_scaling_group()
        .auto_scaling_group_name("PROD-asg-web-us-east-1")
        .min_size(0)
        .max_size(4)
        .desired_capacity(0)
        .vpc_zone_identifier(net.private.join(","));
    for (k, val) in tags() {
        asg = asg.tags(aws_sdk_autoscaling::types::Tag::builder().key(k).value(val).propagate_at_launch(true).build());
    }
    asg = match v {
        Variant::Compliant => {
            let overrides = ["t3.micro", "t3a.micro", "t3.small"]
                .map(|t| LaunchTemplateOverrides::builder().instance_type(t).build());
            asg.mixed_instances_policy(
                MixedInstancesPolicy::builder()
                    .launch_template(
                        LaunchTemplate::builder()
                            .launch_template_specification(spec)
                            .set_overrides(Some(overrides.to_vec()))
                            .build(),
                    )
                    .build(),
            )
        }
        Variant::Drifted => asg.launch_template(spec),
    };
    asg.send().await?;

    let elb = env.elbv2(HOME);
    let lb = elb
        .create_load_balancer()
        .name("PROD-alb-web-us-east-1")
        .subnets(&net.public)
        .subnets(&net.private[1])
        .r#type(LoadBalancerTypeEnum::Application)
        .scheme(LoadBalancerSchemeEnum::InternetFacing)
        .set_tags(Some(
            tags()
                .iter()
                .map(|(k, val)| aws_sdk_elasticloadbalancingv2::types::Tag::builder().key(*k).value(*val).build())
                .collect(),
        ))
        .send()
        .await?;
    let lb = lb.load_balancers().first().and_then(|l| l.load_balancer_arn()).unwrap_or_default().to_string();
    let redirect = Action::builder()
        .r#type(ActionTypeEnum::Redirect)
        .redirect_config(
            RedirectActionConfig::builder()
                .protocol("HTTPS")
                .port("443")
                .status_code(RedirectActionStatusCodeEnum::Http301)
                .build(),
        )
        .build();
    elb.create_listener()
        .load_balancer_arn(&lb)
        .protocol(ProtocolEnum::Http)
        .port(80)
        .default_actions(redirect)
        .send()
        .await?;
    if v == Variant::Compliant {
        let cert = env
            .acm(HOME)
            .request_certificate()
            .domain_name("app.platform.example")
            .validation_method(aws_sdk_acm::types::ValidationMethod::Dns)
            .send()
            .await?;
        let forward = Action::builder()
            .r#type(ActionTypeEnum::FixedResponse)
            .fixed_response_config(FixedResponseActionConfig::builder().status_code("200").build())
            .build();
        elb.create_listener()
            .load_balancer_arn(&lb)
            .protocol(ProtocolEnum::Https)
            .port(443)
            .ssl_policy("ELBSecurityPolicy-TLS13-1-2-2021-06")
            .certificates(Certificate::builder().set_certificate_arn(cert.certificate_arn).build())
            .default_actions(forward)
            .send()
            .await?;
    }
    // the ALB's dimension value: the part of its ARN after "loadbalancer/"
    Ok(lb.split_once("loadbalancer/").map(|(_, d)| d.to_string()).unwrap_or_default())
}

async fn monitoring(env: &Env, alb_dimension: &str) -> Result {
    use aws_sdk_cloudwatch::types::*;
    let sns = env.sns(HOME);
    let mut topic = sns.create_topic().name("PROD-sns-alerts-us-east-1");
    for (k, v) in tags() {
        topic = topic.tags(aws_sdk_sns::types::Tag::builder().key(k).value(v).build()?);
    }
    let topic = topic.send().await?.topic_arn.unwrap_or_default();
    let cw = env.cloudwatch(HOME);
    cw.put_metric_alarm()
        .alarm_name("PROD-alarm-cpu-us-east-1")
        .namespace("AWS/EC2")
        .metric_name("CPUUtilization")
        .dimensions(Dimension::builder().name("AutoScalingGroupName").value("PROD-asg-web-us-east-1").build())
        .statistic(Statistic::Average)
        .period(300)
        .evaluation_periods(2)
        .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
        .threshold(70.0)
        .alarm_actions(&topic)
        .send()
        .await?;
    cw.put_metric_alarm()
        .alarm_name("PROD-alarm-alb5xx-us-east-1")
        .namespace("AWS/ApplicationELB")
        .metric_name("HTTPCode_ELB_5XX_Count")
        .dimensions(Dimension::builder().name("LoadBalancer").value(alb_dimension).build())
        .statistic(Statistic::Sum)
        .period(60)
        .evaluation_periods(5)
        .comparison_operator(ComparisonOperator::GreaterThanThreshold)
        .threshold(10.0)
        .alarm_actions(&topic)
        .send()
        .await?;
    Ok(())
}

async fn governance(env: &Env) -> Result {
    let bucket = env.bucket("prod-s3-audit-us-east-1");
    env.s3(HOME).create_bucket().bucket(&bucket).send().await?;
    super::allow_cloudtrail(env, HOME, &bucket, "PROD-trail-audit-us-east-1").await?;
    let ct = env.cloudtrail(HOME);
    ct.create_trail()
        .name("PROD-trail-audit-us-east-1")
        .s3_bucket_name(&bucket)
        .is_multi_region_trail(true)
        .enable_log_file_validation(true)
        .send()
        .await?;
    ct.start_logging().name("PROD-trail-audit-us-east-1").send().await?;
    super::config_rules(
        env,
        HOME,
        &bucket,
        &[
            ("PROD-config-encryptedvolumes-us-east-1", "ENCRYPTED_VOLUMES"),
            ("PROD-config-s3publicread-us-east-1", "S3_BUCKET_PUBLIC_READ_PROHIBITED"),
        ],
    )
    .await
}

pub async fn deploy(env: &Env, v: Variant) -> Result {
    use aws_sdk_lambda::types::Runtime;
    let role = env
        .iam()
        .create_role()
        .role_name(format!("PROD-role-flowlogs-{HOME}"))
        .assume_role_policy_document(TRUST_FLOW_LOGS)
        .send();
    role.await?;
    let mut nets = Vec::new();
    for (region, prefix) in REGIONS {
        nets.push(network(env, v, region, prefix).await?);
    }
    mesh(env, v, &nets).await?;
    storage(env, v).await?;
    let runtime = if v == Variant::Compliant { Runtime::Python312 } else { Runtime::Python39 };
    function(env, "PROD-lambda-processor-us-east-1", runtime).await?;
    let alb = web(env, v, &nets[0]).await?;
    if v == Variant::Compliant {
        database(env, &nets[0]).await?;
        global_table(env).await?;
        secret(env).await?;
        monitoring(env, &alb).await?;
        governance(env).await?;
    }
    Ok(())
}
