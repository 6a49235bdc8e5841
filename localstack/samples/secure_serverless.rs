//! Seed 004, the secure serverless platform (`profiles/secure-serverless.toml`).
//! `Compliant` is the ideal stack; `Drifted` is what the generated template
//! deployed: one DynamoDB table and nothing else.

use super::serverless::{function, key, table};
use super::{Env, Result, Variant};

const REGION: &str = "us-east-1";
const TRUST_WITH_MFA: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::ACCOUNT:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"#;

fn production() -> (&'static str, &'static str) {
    ("Environment", "Production")
}

async fn tagged_vpc(env: &Env) -> Result<(String, String)> {
    use aws_sdk_ec2::types::*;
    let ec2 = env.ec2(REGION);
    let (k, v) = production();
    let tag = |name: &str| vec![Tag::builder().key(k).value(v).build(), Tag::builder().key("Name").value(name).build()];
    let spec =
        |rt: ResourceType, name: &str| TagSpecification::builder().resource_type(rt).set_tags(Some(tag(name))).build();
    let vpc = ec2
        .create_vpc()
        .cidr_block("10.10.0.0/16")
        .tag_specifications(spec(ResourceType::Vpc, "secure-vpc"))
        .send()
        .await?;
    let vpc_id = vpc.vpc().and_then(|v| v.vpc_id()).unwrap_or_default().to_string();
    let subnet = |cidr: &'static str, name: &'static str| {
        ec2.create_subnet()
            .vpc_id(&vpc_id)
            .cidr_block(cidr)
            .availability_zone("us-east-1a")
            .tag_specifications(spec(ResourceType::Subnet, name))
            .send()
    };
    let public = subnet("10.10.1.0/24", "secure-public")
        .await?
        .subnet()
        .and_then(|s| s.subnet_id())
        .unwrap_or_default()
        .to_string();
    subnet("10.10.2.0/24", "secure-private").await?;
    let igw = ec2.create_internet_gateway().send().await?;
    let igw_id = igw.internet_gateway().and_then(|g| g.internet_gateway_id()).unwrap_or_default().to_string();
    ec2.attach_internet_gateway().internet_gateway_id(&igw_id).vpc_id(&vpc_id).send().await?;
    let rt = ec2.create_route_table().vpc_id(&vpc_id).send().await?;
    let rt_id = rt.route_table().and_then(|t| t.route_table_id()).unwrap_or_default().to_string();
    ec2.create_route().route_table_id(&rt_id).destination_cidr_block("0.0.0.0/0").gateway_id(&igw_id).send().await?;
    ec2.associate_route_table().route_table_id(&rt_id).subnet_id(&public).send().await?;
    Ok((vpc_id, public))
}

async fn ssh_group(env: &Env, vpc_id: &str) -> Result {
    use aws_sdk_ec2::types::*;
    let ec2 = env.ec2(REGION);
    let (k, v) = production();
    let created = ec2
        .create_security_group()
        .group_name("secure-ssh")
        .description("SSH from the admin range")
        .vpc_id(vpc_id)
        .send()
        .await?;
    let id = created.group_id().unwrap_or_default().to_string();
    ec2.create_tags().resources(&id).tags(Tag::builder().key(k).value(v).build()).send().await?;
    let perm = IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(22)
        .to_port(22)
        .ip_ranges(IpRange::builder().cidr_ip("203.0.113.0/24").build())
        .build();
    ec2.authorize_security_group_ingress().group_id(&id).ip_permissions(perm).send().await?;
    Ok(())
}

async fn log_bucket(env: &Env, key_arn: &str) -> Result {
    use aws_sdk_s3::types::*;
    let s3 = env.s3(REGION);
    let bucket = env.bucket("secure-app-logs");
    s3.create_bucket().bucket(&bucket).send().await?;
    super::encrypt_with_kms(&s3, &bucket, key_arn, false).await?;
    let (k, v) = production();
    s3.put_bucket_tagging()
        .bucket(&bucket)
        .tagging(Tagging::builder().tag_set(Tag::builder().key(k).value(v).build()?).build()?)
        .send()
        .await?;
    Ok(())
}

async fn alarm(env: &Env, name: &str, metric: &str, threshold: f64) -> Result {
    use aws_sdk_cloudwatch::types::*;
    env.cloudwatch(REGION)
        .put_metric_alarm()
        .alarm_name(name)
        .namespace("AWS/EC2")
        .metric_name(metric)
        .statistic(Statistic::Maximum)
        .period(300)
        .evaluation_periods(1)
        .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
        .threshold(threshold)
        .actions_enabled(true)
        .alarm_actions(format!("arn:aws:sns:{REGION}:{}:secure-alerts", env.id))
        .send()
        .await?;
    Ok(())
}

pub async fn deploy(env: &Env, v: Variant) -> Result {
    use aws_sdk_lambda::types::Runtime;
    let (tk, tv) = production();
    if v == Variant::Drifted {
        // TapStack.json: a basic table, no encryption settings, no tags
        return table(env, "TurnAroundPromptTable", None, false).await;
    }
    let key_arn = key(env, "secure-data", true).await?;
    env.kms(REGION)
        .tag_resource()
        .key_id(&key_arn)
        .tags(aws_sdk_kms::types::Tag::builder().tag_key(tk).tag_value(tv).build()?)
        .send()
        .await?;
    table(env, "secure-sessions", Some(&key_arn), true).await?;
    let table_arn = format!("arn:aws:dynamodb:{REGION}:{}:table/secure-sessions", env.id);
    env.dynamodb(REGION)
        .tag_resource()
        .resource_arn(&table_arn)
        .tags(aws_sdk_dynamodb::types::Tag::builder().key(tk).value(tv).build()?)
        .send()
        .await?;
    log_bucket(env, &key_arn).await?;
    let trust = TRUST_WITH_MFA.replace("ACCOUNT", &env.id);
    env.iam().create_role().role_name("secure-admin").assume_role_policy_document(trust).send().await?;
    let (vpc_id, _) = tagged_vpc(env).await?;
    ssh_group(env, &vpc_id).await?;
    alarm(env, "secure-cpu-high", "CPUUtilization", 80.0).await?;
    alarm(env, "secure-status-check", "StatusCheckFailed", 1.0).await?;
    function(env, "secure-processor", Runtime::Python312, Some(&key_arn)).await?;
    let fn_arn = format!("arn:aws:lambda:{REGION}:{}:function:secure-processor", env.id);
    env.lambda(REGION).tag_resource().resource(&fn_arn).tags(tk, tv).send().await?;
    Ok(())
}
