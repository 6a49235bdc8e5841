//! The serverless sample (seed 004's building blocks): a KMS key with rotation, a
//! DynamoDB table encrypted with it, a Lambda whose environment it encrypts, and
//! an SSH security group. `localstack/samples/serverless/*.toml` audit it.
//!
//! | kind              | compliant                                   | drifted                                   |
//! |-------------------|---------------------------------------------|-------------------------------------------|
//! | kms.key           | app-data: customer key, rotation on         | app-logs: rotation off                    |
//! | dynamodb.table    | prod-sessions: SSE-KMS (app-data), PITR, protected | prod-events: default encryption, no PITR, unprotected |
//! | lambda.function   | prod-processor: python3.12, env under app-data | prod-legacy: python3.9, AWS managed key |
//! | ec2.security_group| prod-bastion: 22 from 203.0.113.0/24, 443 open | prod-open: 22 and 80 open to 0.0.0.0/0 |

use super::{Env, Result, Variant};

const TRUST_LAMBDA: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const REGION: &str = "us-east-1";

/// Creates a customer key with an alias; returns its ARN.
pub async fn key(env: &Env, alias: &str, rotation: bool) -> Result<String> {
    let kms = env.kms(REGION);
    let created = kms.create_key().description(format!("{alias} key")).send().await?;
    let meta = created.key_metadata().ok_or("CreateKey returned no metadata")?;
    let (id, arn) = (meta.key_id().to_string(), meta.arn().unwrap_or_default().to_string());
    kms.create_alias().alias_name(format!("alias/{alias}")).target_key_id(&id).send().await?;
    if rotation {
        kms.enable_key_rotation().key_id(&id).send().await?;
    }
    Ok(arn)
}

pub async fn table(env: &Env, name: &str, key: Option<&str>, protect: bool) -> Result {
    use aws_sdk_dynamodb::types::*;
    let ddb = env.dynamodb(REGION);
    let mut create = ddb
        .create_table()
        .table_name(name)
        .attribute_definitions(
            AttributeDefinition::builder().attribute_name("pk").attribute_type(ScalarAttributeType::S).build()?,
        )
        .key_schema(KeySchemaElement::builder().attribute_name("pk").key_type(KeyType::Hash).build()?)
        .billing_mode(BillingMode::PayPerRequest)
        .deletion_protection_enabled(protect);
    if let Some(k) = key {
        create = create.sse_specification(
            SseSpecification::builder().enabled(true).sse_type(SseType::Kms).kms_master_key_id(k).build(),
        );
    }
    create.send().await?;
    if protect {
        ddb.update_continuous_backups()
            .table_name(name)
            .point_in_time_recovery_specification(
                PointInTimeRecoverySpecification::builder().point_in_time_recovery_enabled(true).build()?,
            )
            .send()
            .await?;
    }
    Ok(())
}

pub async fn function(env: &Env, name: &str, runtime: aws_sdk_lambda::types::Runtime, key: Option<&str>) -> Result {
    function_in(env, REGION, name, runtime, key).await
}

/// A Lambda function with its own execution role, in `region`.
pub async fn function_in(
    env: &Env,
    region: &str,
    name: &str,
    runtime: aws_sdk_lambda::types::Runtime,
    key: Option<&str>,
) -> Result {
    use aws_sdk_lambda::primitives::Blob;
    use aws_sdk_lambda::types::{Environment, FunctionCode};
    let role_name = format!("{name}-exec");
    let role = env.iam().create_role().role_name(&role_name).assume_role_policy_document(TRUST_LAMBDA).send().await?;
    let role_arn = role.role().map(|r| r.arn().to_string()).unwrap_or_default();
    let code = super::zip_single_file("handler.py", b"def handle(event, context):\n    return 1\n");
    env.lambda(region)
        .create_function()
        .function_name(name)
        .runtime(runtime)
        .role(role_arn)
        .handler("handler.handle")
        .code(FunctionCode::builder().zip_file(Blob::new(code)).build())
        .environment(Environment::builder().variables("TABLE", "sessions").build())
        .set_kms_key_arn(key.map(str::to_string))
        .send()
        .await?;
    Ok(())
}

async fn group(env: &Env, name: &str, rules: &[(i32, &str)]) -> Result {
    use aws_sdk_ec2::types::{IpPermission, IpRange};
    let ec2 = env.ec2(REGION);
    let created = ec2.create_security_group().group_name(name).description(format!("{name} access")).send().await?;
    let id = created.group_id().unwrap_or_default().to_string();
    for (port, cidr) in rules {
        let perm = IpPermission::builder()
            .ip_protocol("tcp")
            .from_port(*port)
            .to_port(*port)
            .ip_ranges(IpRange::builder().cidr_ip(*cidr).build())
            .build();
        ec2.authorize_security_group_ingress().group_id(&id).ip_permissions(perm).send().await?;
    }
    Ok(())
}

pub async fn deploy(env: &Env, v: Variant) -> Result {
    use aws_sdk_lambda::types::Runtime;
    match v {
        Variant::Compliant => {
            let k = key(env, "app-data", true).await?;
            table(env, "prod-sessions", Some(&k), true).await?;
            function(env, "prod-processor", Runtime::Python312, Some(&k)).await?;
            group(env, "prod-bastion", &[(22, "203.0.113.0/24"), (443, "0.0.0.0/0")]).await?;
        }
        Variant::Drifted => {
            key(env, "app-logs", false).await?;
            table(env, "prod-events", None, false).await?;
            function(env, "prod-legacy", Runtime::Python39, None).await?;
            group(env, "prod-open", &[(22, "0.0.0.0/0"), (80, "0.0.0.0/0")]).await?;
        }
    }
    Ok(())
}
