//! Self-tests of the LocalStack extension in `localstack/ext`: each service the
//! community build lacks answers through LocalStack, and each patched setting
//! survives a write and a read through the real API, read the way driftwatch's
//! collectors will read it. Each test runs in an account of its own.

use crate::samples::zip_single_file;
use crate::support::{account, Account};

const TRUST_LAMBDA: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

#[tokio::test]
async fn cloudtrail_multi_region_trail_is_logging_seen_from_second_region() {
    let acct = account();
    let bucket = acct.bucket("dw-trail");
    acct.s3("us-east-1").create_bucket().bucket(&bucket).send().await.unwrap();
    // Patch under test: CreateTrail finds the bucket in LocalStack's S3, not moto's.
    let east = acct.cloudtrail("us-east-1");
    let created = east
        .create_trail()
        .name("org-audit")
        .s3_bucket_name(&bucket)
        .is_multi_region_trail(true)
        .enable_log_file_validation(true)
        .send()
        .await
        .unwrap();
    let arn = created.trail_arn().unwrap().to_string();
    east.start_logging().name("org-audit").send().await.unwrap();

    let west = acct.cloudtrail("us-west-2");
    let described = west.describe_trails().send().await.unwrap();
    let trails = described.trail_list();
    assert_eq!(trails.len(), 1, "{trails:?}");
    let trail = &trails[0];
    assert_eq!(trail.name(), Some("org-audit"));
    assert_eq!(trail.is_multi_region_trail(), Some(true));
    assert_eq!(trail.home_region(), Some("us-east-1"));
    assert_eq!(trail.s3_bucket_name(), Some(bucket.as_str()));
    assert_eq!(trail.log_file_validation_enabled(), Some(true));

    let status = west.get_trail_status().name(&arn).send().await.unwrap();
    assert_eq!(status.is_logging(), Some(true));
    east.stop_logging().name("org-audit").send().await.unwrap();
    let status = west.get_trail_status().name(&arn).send().await.unwrap();
    assert_eq!(status.is_logging(), Some(false));
}

#[tokio::test]
async fn cloudtrail_bucket_missing_is_rejected() {
    let acct = account();
    let err = acct
        .cloudtrail("us-east-1")
        .create_trail()
        .name("no-bucket")
        .s3_bucket_name(acct.bucket("dw-does-not-exist"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(aws_sdk_cloudtrail::error::ProvideErrorMetadata::code(&err), Some("S3BucketDoesNotExistException"));
}

#[tokio::test]
async fn cloudfront_distribution_keeps_origin_group_oac_and_web_acl() {
    use aws_sdk_cloudfront::types::*;
    use aws_sdk_wafv2::types as waf;
    let acct = account();
    let cf = acct.cloudfront();
    let wafc = acct.wafv2("us-east-1");

    let visibility = waf::VisibilityConfig::builder()
        .sampled_requests_enabled(true)
        .cloud_watch_metrics_enabled(true)
        .metric_name("site")
        .build()
        .unwrap();
    let common = waf::Rule::builder()
        .name("common")
        .priority(0)
        .statement(
            waf::Statement::builder()
                .managed_rule_group_statement(
                    waf::ManagedRuleGroupStatement::builder()
                        .vendor_name("AWS")
                        .name("AWSManagedRulesCommonRuleSet")
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .override_action(waf::OverrideAction::builder().none(waf::NoneAction::builder().build()).build())
        .visibility_config(visibility.clone())
        .build()
        .unwrap();
    let acl = wafc
        .create_web_acl()
        .name("site-acl")
        .scope(waf::Scope::Cloudfront)
        .default_action(waf::DefaultAction::builder().allow(waf::AllowAction::builder().build()).build())
        .visibility_config(visibility)
        .rules(common)
        .send()
        .await
        .unwrap();
    let acl_summary = acl.summary().unwrap();
    let acl_arn = acl_summary.arn().unwrap().to_string();

    let oac = cf
        .create_origin_access_control()
        .origin_access_control_config(
            OriginAccessControlConfig::builder()
                .name("site-oac")
                .signing_protocol(OriginAccessControlSigningProtocols::Sigv4)
                .signing_behavior(OriginAccessControlSigningBehaviors::Always)
                .origin_access_control_origin_type(OriginAccessControlOriginTypes::S3)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let oac_id = oac.origin_access_control().unwrap().id().to_string();

    let origin = |id: &str, bucket: &str| {
        Origin::builder()
            .id(id)
            .domain_name(format!("{bucket}.s3.us-east-1.amazonaws.com"))
            .s3_origin_config(S3OriginConfig::builder().origin_access_identity("").build())
            .origin_access_control_id(&oac_id)
            .build()
            .unwrap()
    };
    let group = OriginGroup::builder()
        .id("site-failover")
        .failover_criteria(
            OriginGroupFailoverCriteria::builder()
                .status_codes(StatusCodes::builder().quantity(2).items(500).items(503).build().unwrap())
                .build(),
        )
        .members(
            OriginGroupMembers::builder()
                .quantity(2)
                .items(OriginGroupMember::builder().origin_id("primary").build().unwrap())
                .items(OriginGroupMember::builder().origin_id("secondary").build().unwrap())
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let config = DistributionConfig::builder()
        .caller_reference(format!("ref-{}", acct.id))
        .comment("site")
        .enabled(true)
        .origins(
            Origins::builder()
                .quantity(2)
                .items(origin("primary", &acct.bucket("site-a")))
                .items(origin("secondary", &acct.bucket("site-b")))
                .build()
                .unwrap(),
        )
        .origin_groups(OriginGroups::builder().quantity(1).items(group).build().unwrap())
        .default_cache_behavior(
            DefaultCacheBehavior::builder()
                .target_origin_id("site-failover")
                .viewer_protocol_policy(ViewerProtocolPolicy::RedirectToHttps)
                .compress(true)
                .build()
                .unwrap(),
        )
        .custom_error_responses(
            CustomErrorResponses::builder()
                .quantity(1)
                .items(
                    CustomErrorResponse::builder()
                        .error_code(404)
                        .response_code("200")
                        .response_page_path("/index.html")
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .web_acl_id(&acl_arn)
        .build()
        .unwrap();
    let created = cf.create_distribution().distribution_config(config).send().await.unwrap();
    let id = created.distribution().unwrap().id().to_string();

    let got = cf.get_distribution().id(&id).send().await.unwrap();
    let config = got.distribution().unwrap().distribution_config().unwrap();
    assert_eq!(config.web_acl_id(), Some(acl_arn.as_str()));
    let origins = config.origins().unwrap().items();
    assert_eq!(origins.len(), 2);
    for o in origins {
        assert_eq!(o.origin_access_control_id(), Some(oac_id.as_str()), "origin {}", o.id());
    }
    let groups = config.origin_groups().unwrap();
    assert_eq!(groups.quantity(), 1);
    let group = &groups.items()[0];
    assert_eq!(group.id(), "site-failover");
    let members: Vec<&str> = group.members().unwrap().items().iter().map(|m| m.origin_id()).collect();
    assert_eq!(members, ["primary", "secondary"]);
    let codes = group.failover_criteria().unwrap().status_codes().unwrap().items();
    assert_eq!(codes, [500, 503]);
    assert_eq!(config.default_cache_behavior().unwrap().target_origin_id(), "site-failover");
    let errors = config.custom_error_responses().unwrap().items();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].error_code(), 404);
    assert_eq!(errors[0].response_page_path(), Some("/index.html"));

    let listed = wafc
        .get_web_acl()
        .name("site-acl")
        .scope(waf::Scope::Cloudfront)
        .id(acl_summary.id().unwrap())
        .send()
        .await
        .unwrap();
    let rules = listed.web_acl().unwrap().rules();
    let managed = rules[0].statement().unwrap().managed_rule_group_statement().unwrap();
    assert_eq!((managed.vendor_name(), managed.name()), ("AWS", "AWSManagedRulesCommonRuleSet"));
}

#[tokio::test]
async fn rds_instance_keeps_storage_encryption() {
    let acct = account();
    let rds = acct.rds("us-east-1");
    rds.create_db_instance()
        .db_instance_identifier("app-db")
        .db_instance_class("db.t3.micro")
        .engine("postgres")
        .master_username("appadmin")
        .master_user_password("not-a-real-password-1")
        .allocated_storage(20)
        .storage_encrypted(true)
        .backup_retention_period(7)
        .publicly_accessible(false)
        .send()
        .await
        .unwrap();
    let got = rds.describe_db_instances().db_instance_identifier("app-db").send().await.unwrap();
    let db = &got.db_instances()[0];
    assert_eq!(db.engine(), Some("postgres"));
    assert_eq!(db.storage_encrypted(), Some(true));
    assert_eq!(db.backup_retention_period(), Some(7));
    assert_eq!(db.publicly_accessible(), Some(false));
}

async fn vpc_with_two_subnets(acct: &Account, region: &str, cidr_prefix: &str) -> (String, String, String) {
    let ec2 = acct.ec2(region);
    let vpc = ec2.create_vpc().cidr_block(format!("{cidr_prefix}.0.0/16")).send().await.unwrap();
    let vpc_id = vpc.vpc().unwrap().vpc_id().unwrap().to_string();
    let mut subnets = Vec::new();
    for (i, az) in ["a", "b"].iter().enumerate() {
        let s = ec2
            .create_subnet()
            .vpc_id(&vpc_id)
            .cidr_block(format!("{cidr_prefix}.{}.0/24", i + 1))
            .availability_zone(format!("{region}{az}"))
            .send()
            .await
            .unwrap();
        subnets.push(s.subnet().unwrap().subnet_id().unwrap().to_string());
    }
    (vpc_id, subnets[0].clone(), subnets[1].clone())
}

#[tokio::test]
async fn elbv2_internet_facing_alb_in_new_vpc() {
    use aws_sdk_elasticloadbalancingv2::types::{LoadBalancerSchemeEnum, LoadBalancerTypeEnum};
    let acct = account();
    let (vpc_id, a, b) = vpc_with_two_subnets(&acct, "us-east-1", "10.20").await;
    let elb = acct.elbv2("us-east-1");
    elb.create_load_balancer()
        .name("prod-web-alb")
        .subnets(a)
        .subnets(b)
        .scheme(LoadBalancerSchemeEnum::InternetFacing)
        .r#type(LoadBalancerTypeEnum::Application)
        .send()
        .await
        .unwrap();
    let got = elb.describe_load_balancers().names("prod-web-alb").send().await.unwrap();
    let lb = &got.load_balancers()[0];
    assert_eq!(lb.scheme(), Some(&LoadBalancerSchemeEnum::InternetFacing));
    assert_eq!(lb.r#type(), Some(&LoadBalancerTypeEnum::Application));
    assert_eq!(lb.vpc_id(), Some(vpc_id.as_str()));
}

#[tokio::test]
async fn autoscaling_group_from_launch_template() {
    use aws_sdk_autoscaling::types::LaunchTemplateSpecification;
    use aws_sdk_ec2::types::{InstanceType, RequestLaunchTemplateData};
    let acct = account();
    let (_, a, b) = vpc_with_two_subnets(&acct, "us-east-1", "10.30").await;
    let lt = acct
        .ec2("us-east-1")
        .create_launch_template()
        .launch_template_name("prod-web-lt")
        .launch_template_data(
            RequestLaunchTemplateData::builder().image_id("ami-12c6146b").instance_type(InstanceType::T3Micro).build(),
        )
        .send()
        .await
        .unwrap();
    let lt_id = lt.launch_template().unwrap().launch_template_id().unwrap().to_string();
    let asg = acct.autoscaling("us-east-1");
    asg.create_auto_scaling_group()
        .auto_scaling_group_name("prod-web-asg")
        .min_size(2)
        .max_size(4)
        .desired_capacity(2)
        .launch_template(LaunchTemplateSpecification::builder().launch_template_id(&lt_id).version("$Latest").build())
        .vpc_zone_identifier(format!("{a},{b}"))
        .send()
        .await
        .unwrap();
    let got = asg.describe_auto_scaling_groups().auto_scaling_group_names("prod-web-asg").send().await.unwrap();
    let group = &got.auto_scaling_groups()[0];
    assert_eq!(group.min_size(), Some(2));
    assert_eq!(group.max_size(), Some(4));
    assert_eq!(group.launch_template().and_then(|t| t.launch_template_id()), Some(lt_id.as_str()));
    assert_eq!(group.launch_configuration_name(), None);
}

#[tokio::test]
async fn dynamodb_table_encrypted_with_customer_key() {
    use aws_sdk_dynamodb::types::*;
    let acct = account();
    let key = acct.kms("us-east-1").create_key().description("table key").send().await.unwrap();
    let key_arn = key.key_metadata().unwrap().arn().unwrap().to_string();
    let ddb = acct.dynamodb("us-east-1");
    ddb.create_table()
        .table_name("sessions")
        .attribute_definitions(
            AttributeDefinition::builder().attribute_name("pk").attribute_type(ScalarAttributeType::S).build().unwrap(),
        )
        .key_schema(KeySchemaElement::builder().attribute_name("pk").key_type(KeyType::Hash).build().unwrap())
        .billing_mode(BillingMode::PayPerRequest)
        .sse_specification(
            SseSpecification::builder().enabled(true).sse_type(SseType::Kms).kms_master_key_id(&key_arn).build(),
        )
        .deletion_protection_enabled(true)
        .send()
        .await
        .unwrap();
    ddb.update_continuous_backups()
        .table_name("sessions")
        .point_in_time_recovery_specification(
            PointInTimeRecoverySpecification::builder().point_in_time_recovery_enabled(true).build().unwrap(),
        )
        .send()
        .await
        .unwrap();
    let got = ddb.describe_table().table_name("sessions").send().await.unwrap();
    let table = got.table().unwrap();
    let sse = table.sse_description().unwrap();
    assert_eq!(sse.status(), Some(&SseStatus::Enabled));
    assert_eq!(sse.sse_type(), Some(&SseType::Kms));
    assert_eq!(sse.kms_master_key_arn(), Some(key_arn.as_str()));
    assert_eq!(table.deletion_protection_enabled(), Some(true));
    let backups = ddb.describe_continuous_backups().table_name("sessions").send().await.unwrap();
    let pitr = backups
        .continuous_backups_description()
        .and_then(|d| d.point_in_time_recovery_description())
        .and_then(|p| p.point_in_time_recovery_status());
    assert_eq!(pitr, Some(&PointInTimeRecoveryStatus::Enabled));
}

#[tokio::test]
async fn lambda_function_environment_encrypted_with_kms_key() {
    use aws_sdk_lambda::primitives::Blob;
    use aws_sdk_lambda::types::{Environment, FunctionCode, Runtime, State};
    let acct = account();
    let role =
        acct.iam().create_role().role_name("fn-exec").assume_role_policy_document(TRUST_LAMBDA).send().await.unwrap();
    let role_arn = role.role().unwrap().arn().to_string();
    let key = acct.kms("us-east-1").create_key().send().await.unwrap();
    let key_arn = key.key_metadata().unwrap().arn().unwrap().to_string();
    let lambda = acct.lambda("us-east-1");
    let code = zip_single_file("handler.py", b"def handle(event, context):\n    return 1\n");
    // Patch under test: moto keeps KMSKeyArn for the function's environment.
    lambda
        .create_function()
        .function_name("prod-processor")
        .runtime(Runtime::Python312)
        .role(&role_arn)
        .handler("handler.handle")
        .code(FunctionCode::builder().zip_file(Blob::new(code)).build())
        .environment(Environment::builder().variables("TABLE", "sessions").build())
        .kms_key_arn(&key_arn)
        .send()
        .await
        .unwrap();
    let got = lambda.get_function_configuration().function_name("prod-processor").send().await.unwrap();
    assert_eq!(got.runtime(), Some(&Runtime::Python312));
    assert_eq!(got.kms_key_arn(), Some(key_arn.as_str()));
    assert_eq!(got.state(), Some(&State::Active));
    let vars = got.environment().and_then(|e| e.variables()).unwrap();
    assert_eq!(vars.get("TABLE").map(String::as_str), Some("sessions"));
}

#[test]
fn crc32_of_check_string_is_standard() {
    assert_eq!(crate::samples::crc32(b"123456789"), 0xCBF4_3926);
}

#[tokio::test]
async fn dynamodb_global_table_replicas_are_created_and_listed() {
    use aws_sdk_dynamodb::types::*;
    let acct = account();
    let ddb = acct.dynamodb("us-east-1");
    ddb.create_table()
        .table_name("sessions")
        .attribute_definitions(
            AttributeDefinition::builder().attribute_name("id").attribute_type(ScalarAttributeType::S).build().unwrap(),
        )
        .key_schema(KeySchemaElement::builder().attribute_name("id").key_type(KeyType::Hash).build().unwrap())
        .billing_mode(BillingMode::PayPerRequest)
        .send()
        .await
        .unwrap();
    // Patch under test: moto ignores ReplicaUpdates; the replica must exist in its
    // region and every member must list the others under Replicas.
    for (region, action) in [("us-west-2", "create"), ("ap-south-1", "create"), ("ap-south-1", "delete")] {
        let update = match action {
            "create" => ReplicationGroupUpdate::builder()
                .create(CreateReplicationGroupMemberAction::builder().region_name(region).build().unwrap()),
            _ => ReplicationGroupUpdate::builder()
                .delete(DeleteReplicationGroupMemberAction::builder().region_name(region).build().unwrap()),
        };
        ddb.update_table().table_name("sessions").replica_updates(update.build()).send().await.unwrap();
    }
    let regions = |t: &TableDescription| -> Vec<String> {
        t.replicas().iter().filter_map(|r| r.region_name().map(str::to_string)).collect()
    };
    let home = ddb.describe_table().table_name("sessions").send().await.unwrap();
    assert_eq!(regions(home.table().unwrap()), ["us-west-2"]);
    let west = acct.dynamodb("us-west-2").describe_table().table_name("sessions").send().await.unwrap();
    assert_eq!(regions(west.table().unwrap()), ["us-east-1"]);
    // the deleted replica's table is gone from its region, as in AWS: no phantom
    // member keeps the old replica list
    let south = acct.dynamodb("ap-south-1").describe_table().table_name("sessions").send().await;
    let code = south.err().and_then(|e| e.into_service_error().meta().code().map(str::to_string));
    assert_eq!(code.as_deref(), Some("ResourceNotFoundException"));
    let listed = acct.dynamodb("ap-south-1").list_tables().send().await.unwrap();
    assert_eq!(listed.table_names(), [] as [String; 0]);
}

#[tokio::test]
async fn dynamodb_replica_status_can_be_set_by_a_test_tag() {
    use aws_sdk_dynamodb::types::*;
    let acct = account();
    let ddb = acct.dynamodb("us-east-1");
    ddb.create_table()
        .table_name("orders")
        .attribute_definitions(
            AttributeDefinition::builder().attribute_name("id").attribute_type(ScalarAttributeType::S).build().unwrap(),
        )
        .key_schema(KeySchemaElement::builder().attribute_name("id").key_type(KeyType::Hash).build().unwrap())
        .billing_mode(BillingMode::PayPerRequest)
        .send()
        .await
        .unwrap();
    let create = |region: &str| {
        ReplicationGroupUpdate::builder()
            .create(CreateReplicationGroupMemberAction::builder().region_name(region).build().unwrap())
            .build()
    };
    ddb.update_table().table_name("orders").replica_updates(create("us-west-2")).send().await.unwrap();
    // the test hook: a tag on the replica's own table sets the status every member reports
    let west = acct.dynamodb("us-west-2");
    let arn = format!("arn:aws:dynamodb:us-west-2:{}:table/orders", acct.id);
    let tag = Tag::builder().key("driftwatch-test:replica-status").value("CREATING").build().unwrap();
    west.tag_resource().resource_arn(&arn).tags(tag).send().await.unwrap();
    let home = ddb.describe_table().table_name("orders").send().await.unwrap();
    let statuses: Vec<(String, String)> = home
        .table()
        .unwrap()
        .replicas()
        .iter()
        .map(|r| (r.region_name().unwrap().to_string(), r.replica_status().unwrap().as_str().to_string()))
        .collect();
    assert_eq!(statuses, [("us-west-2".to_string(), "CREATING".to_string())]);
}

#[tokio::test]
async fn secretsmanager_rotation_finds_the_lambda_of_the_callers_account() {
    use aws_sdk_secretsmanager::types::RotationRulesType;
    let acct = account();
    crate::samples::serverless::function(&acct, "rotator", aws_sdk_lambda::types::Runtime::Python312, None)
        .await
        .unwrap();
    let sm = acct.secretsmanager("us-east-1");
    sm.create_secret().name("db").secret_string("{}").send().await.unwrap();
    // Patches under test: the rotation function is looked up in this account (not
    // LocalStack's default one), and RotateImmediately=false answers instead of
    // failing on its way out.
    sm.rotate_secret()
        .secret_id("db")
        .rotation_lambda_arn(format!("arn:aws:lambda:us-east-1:{}:function:rotator", acct.id))
        .rotation_rules(RotationRulesType::builder().automatically_after_days(30).build())
        .rotate_immediately(false)
        .send()
        .await
        .unwrap();
    let listed = sm.list_secrets().send().await.unwrap();
    let s = listed.secret_list().iter().find(|s| s.name() == Some("db")).unwrap();
    assert_eq!(s.rotation_enabled(), Some(true));
    assert_eq!(s.rotation_rules().and_then(|r| r.automatically_after_days()), Some(30));
    // a function that does not exist is still refused, as in AWS
    let missing = sm
        .rotate_secret()
        .secret_id("db")
        .rotation_lambda_arn(format!("arn:aws:lambda:us-east-1:{}:function:nope", acct.id))
        .rotate_immediately(false)
        .send()
        .await;
    assert!(missing.is_err());
}

/// Listening sockets on `port` from /proc/net/tcp{,6}: (local address in the
/// kernel's hex notation, e.g. `0100007F` for 127.0.0.1).
fn listeners(port: u16) -> Vec<String> {
    let mut out = Vec::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let text = std::fs::read_to_string(table).unwrap_or_default();
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split_whitespace().collect();
            // sl local_address rem_address st ...; st 0A is LISTEN
            let (Some(local), Some(state)) = (cols.get(1), cols.get(3)) else { continue };
            let Some((addr, hex_port)) = local.split_once(':') else { continue };
            if *state == "0A" && u16::from_str_radix(hex_port, 16) == Ok(port) {
                out.push(addr.to_string());
            }
        }
    }
    out
}

#[test]
fn gateway_listens_on_loopback_only() {
    // GATEWAY_SERVER=driftwatch: LocalStack's stock twisted server would listen on
    // 0.0.0.0 whatever GATEWAY_LISTEN says.
    let _ = account();
    let url = crate::support::emulator::endpoint_url();
    let port: u16 = url.rsplit(':').next().and_then(|p| p.trim_end_matches('/').parse().ok()).unwrap_or(4566);
    assert!(
        url.starts_with("http://127.0.0.1:") || url.starts_with("http://localhost:"),
        "this test checks the emulator localstack/start runs on this machine; the endpoint is {url}"
    );
    let found = listeners(port);
    assert!(!found.is_empty(), "nothing listens on port {port}");
    assert_eq!(found, vec!["0100007F".to_string()], "listening addresses on port {port}");
}
