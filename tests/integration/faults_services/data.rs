//! Fault cases for the storage, identity, key, queue, topic, log, secret, alarm
//! and Config collectors.

use super::*;

async fn s3(env: &Env) -> Result {
    use aws_sdk_s3::types::{Tag, Tagging};
    let s3 = env.s3(REGION);
    for (stem, team) in [("fa-one", "core"), ("fa-two", "core"), ("fa-three", "web")] {
        let name = env.bucket(stem);
        samples::create_bucket_in(&s3, &name, REGION).await?;
        let tags = Tagging::builder().tag_set(Tag::builder().key("team").value(team).build()?).build()?;
        s3.put_bucket_tagging().bucket(&name).tagging(tags).send().await?;
    }
    Ok(())
}

#[tokio::test]
async fn s3_bucket_tags_denied_and_bucket_list_cut() {
    let acct = account();
    s3(&acct).await.unwrap();
    let one = acct.bucket("fa-one");
    check(
        &acct,
        Case {
            profile: profile("s3.bucket", PREFIX, TAGGED),
            resources: res(&[("fa-one", "pass"), ("fa-two", "pass"), ("fa-three", "drift")]),
            service: "s3",
            deny: "GetBucketTagging",
            target: Some(format!("/{one}/")),
            denied: strs(&["fa-one"]),
            batched: false,
            error_resource: None,
            denied_fields: &["required_tags"],
            resource_page: None,
            page: Some("ListBuckets"),
        },
    );
}

async fn iam(env: &Env) -> Result {
    let iam = env.iam();
    for name in ["fa-one", "fa-two"] {
        iam.create_user().user_name(name).send().await?;
    }
    Ok(())
}

#[tokio::test]
async fn iam_mfa_devices_denied_and_authorization_details_cut() {
    let acct = account();
    iam(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("iam.user", PREFIX, "require_mfa = true"),
            resources: res(&[("user/fa-one", "drift"), ("user/fa-two", "drift")]),
            service: "iam",
            deny: "ListMFADevices",
            target: Some("UserName=fa-one".into()),
            denied: strs(&["user/fa-one"]),
            batched: false,
            error_resource: None,
            denied_fields: &["require_mfa"],
            resource_page: Some("ListMFADevices"),
            page: Some("GetAccountAuthorizationDetails"),
        },
    );
}

async fn kms(env: &Env) -> Result<String> {
    use aws_sdk_kms::types::Tag;
    let kms = env.kms(REGION);
    let mut first = String::new();
    for team in ["core", "web"] {
        let tag = Tag::builder().tag_key("team").tag_value(team).build()?;
        let key = kms.create_key().description(format!("fa-{team}")).tags(tag).send().await?;
        let id = key.key_metadata().map(|m| m.key_id().to_string()).unwrap_or_default();
        kms.create_alias().alias_name(format!("alias/fa-{team}")).target_key_id(&id).send().await?;
        if first.is_empty() {
            first = id;
        }
    }
    Ok(first)
}

#[tokio::test]
async fn kms_key_tags_denied_and_key_list_cut() {
    let acct = account();
    let core = kms(&acct).await.unwrap();
    let web_id = {
        let keys = acct.kms(REGION).list_keys().send().await.unwrap();
        keys.keys().iter().filter_map(|k| k.key_id()).find(|k| *k != core).unwrap_or_default().to_string()
    };
    check(
        &acct,
        Case {
            profile: profile("kms.key", "", TAGGED),
            resources: vec![(core.clone(), "pass"), (web_id, "drift")],
            service: "kms",
            deny: "ListResourceTags",
            target: Some(core.clone()),
            denied: vec![core.clone()],
            batched: false,
            error_resource: None,
            denied_fields: &["required_tags"],
            resource_page: Some("ListResourceTags"),
            page: Some("ListKeys"),
        },
    );
}

async fn dynamodb(env: &Env) -> Result {
    use aws_sdk_dynamodb::types::*;
    let ddb = env.dynamodb(REGION);
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        ddb.create_table()
            .table_name(name)
            .attribute_definitions(
                AttributeDefinition::builder().attribute_name("pk").attribute_type(ScalarAttributeType::S).build()?,
            )
            .key_schema(KeySchemaElement::builder().attribute_name("pk").key_type(KeyType::Hash).build()?)
            .billing_mode(BillingMode::PayPerRequest)
            .tags(Tag::builder().key("team").value(team).build()?)
            .send()
            .await?;
    }
    Ok(())
}

#[tokio::test]
async fn dynamodb_table_tags_denied_and_table_list_cut() {
    let acct = account();
    dynamodb(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("dynamodb.table", PREFIX, TAGGED),
            resources: res(&[("table/fa-one", "pass"), ("table/fa-two", "drift")]),
            service: "dynamodb",
            deny: "ListTagsOfResource",
            target: Some("table/fa-one".into()),
            denied: strs(&["table/fa-one"]),
            batched: false,
            error_resource: None,
            denied_fields: &["required_tags"],
            resource_page: Some("ListTagsOfResource"),
            page: Some("ListTables"),
        },
    );
}

async fn sqs(env: &Env) -> Result {
    let sqs = env.sqs(REGION);
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        sqs.create_queue().queue_name(name).tags("team", team).send().await?;
    }
    Ok(())
}

#[tokio::test]
async fn sqs_queue_tags_denied_and_queue_list_cut() {
    let acct = account();
    sqs(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("sqs.queue", PREFIX, TAGGED),
            resources: res(&[(":fa-one", "pass"), (":fa-two", "drift")]),
            service: "sqs",
            deny: "ListQueueTags",
            target: Some("/fa-one".into()),
            denied: strs(&[":fa-one"]),
            batched: false,
            error_resource: None,
            denied_fields: &["required_tags"],
            resource_page: None,
            page: Some("ListQueues"),
        },
    );
}

async fn sns(env: &Env) -> Result {
    let sns = env.sns(REGION);
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        let tag = aws_sdk_sns::types::Tag::builder().key("team").value(team).build()?;
        sns.create_topic().name(name).tags(tag).send().await?;
    }
    Ok(())
}

#[tokio::test]
async fn sns_topic_tags_denied_and_topic_list_cut() {
    let acct = account();
    sns(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("sns.topic", PREFIX, TAGGED),
            resources: res(&[(":fa-one", "pass"), (":fa-two", "drift")]),
            service: "sns",
            deny: "ListTagsForResource",
            target: Some("%3Afa-one".into()),
            denied: strs(&[":fa-one"]),
            batched: false,
            error_resource: None,
            denied_fields: &["required_tags"],
            resource_page: None,
            page: Some("ListTopics"),
        },
    );
}

async fn logs(env: &Env) -> Result {
    let logs = env.logs(REGION);
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        logs.create_log_group().log_group_name(name).tags("team", team).send().await?;
    }
    Ok(())
}

#[tokio::test]
async fn logs_group_tags_denied_and_group_list_cut() {
    let acct = account();
    logs(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("logs.log_group", PREFIX, TAGGED),
            resources: res(&[(":fa-one", "pass"), (":fa-two", "drift")]),
            service: "logs",
            deny: "ListTagsForResource",
            target: Some("log-group:fa-one".into()),
            denied: strs(&[":fa-one"]),
            batched: false,
            error_resource: None,
            denied_fields: &["required_tags"],
            resource_page: None,
            page: Some("DescribeLogGroups"),
        },
    );
}

async fn secrets(env: &Env) -> Result {
    let sm = env.secretsmanager(REGION);
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        let tag = aws_sdk_secretsmanager::types::Tag::builder().key("team").value(team).build();
        sm.create_secret().name(name).secret_string("not-a-secret").tags(tag).send().await?;
    }
    Ok(())
}

#[tokio::test]
async fn secretsmanager_list_denied_and_cut() {
    let acct = account();
    secrets(&acct).await.unwrap();
    // ListSecrets carries the tags: it is the collector's only read
    check(
        &acct,
        Case {
            profile: profile("secretsmanager.secret", PREFIX, TAGGED),
            resources: res(&[(":fa-one", "pass"), (":fa-two", "drift")]),
            service: "secretsmanager",
            deny: "ListSecrets",
            target: None,
            denied: strs(&[]),
            batched: false,
            error_resource: None,
            denied_fields: &[],
            resource_page: None,
            page: Some("ListSecrets"),
        },
    );
}

async fn alarms(env: &Env) -> Result {
    use aws_sdk_cloudwatch::types::*;
    let cw = env.cloudwatch(REGION);
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        cw.put_metric_alarm()
            .alarm_name(name)
            .namespace("AWS/EC2")
            .metric_name("CPUUtilization")
            .dimensions(Dimension::builder().name("AutoScalingGroupName").value(name).build())
            .statistic(Statistic::Average)
            .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
            .threshold(80.0)
            .period(300)
            .evaluation_periods(1)
            .send()
            .await?;
        let arn = format!("arn:aws:cloudwatch:{REGION}:{}:alarm:{name}", env.id);
        cw.tag_resource().resource_arn(arn).tags(Tag::builder().key("team").value(team).build()).send().await?;
    }
    Ok(())
}

#[tokio::test]
async fn cloudwatch_alarm_tags_denied_and_alarm_list_cut() {
    let acct = account();
    alarms(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("cloudwatch.alarm", PREFIX, TAGGED),
            resources: res(&[(":fa-one", "pass"), (":fa-two", "drift")]),
            service: "cloudwatch",
            deny: "ListTagsForResource",
            target: Some("alarm:fa-one".into()),
            denied: strs(&[":fa-one"]),
            batched: false,
            error_resource: None,
            denied_fields: &["required_tags"],
            resource_page: None,
            page: Some("DescribeAlarms"),
        },
    );
}

/// A managed rule tagged team=core; returns its ARN.
async fn config_rule(env: &Env) -> Result<String> {
    let bucket = env.bucket("fa-config");
    samples::create_bucket_in(&env.s3(REGION), &bucket, REGION).await?;
    samples::config_rules(env, REGION, &bucket, &[("fa-one", "S3_BUCKET_VERSIONING_ENABLED")]).await?;
    let cfg = env.config_service(REGION);
    let rules = cfg.describe_config_rules().config_rule_names("fa-one").send().await?;
    let arn = rules.config_rules().first().and_then(|r| r.config_rule_arn()).unwrap_or_default().to_string();
    let tag = aws_sdk_config::types::Tag::builder().key("team").value("core").build();
    cfg.tag_resource().resource_arn(&arn).tags(tag).send().await?;
    Ok(arn)
}

#[tokio::test]
async fn config_rule_tags_denied_and_rule_list_cut() {
    let acct = account();
    let arn = config_rule(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("config.rule", PREFIX, TAGGED),
            resources: vec![(arn.clone(), "pass")],
            service: "config",
            deny: "ListTagsForResource",
            target: None,
            denied: vec![arn.clone()],
            batched: false,
            error_resource: None,
            denied_fields: &["required_tags"],
            resource_page: Some("ListTagsForResource"),
            page: Some("DescribeConfigRules"),
        },
    );
}
