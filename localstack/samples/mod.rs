//! Sample deployments for LocalStack: created through the real AWS APIs by the
//! integration tests and by `cargo run --example deploy_sample` (the README's
//! demo). Each sample has a compliant and a drifted variant whose resources have
//! different names, so both can live in one account.
#![allow(dead_code)]

pub mod core;
pub mod enterprise;
pub mod env;
pub mod prod_webapp;
pub mod secure_serverless;
pub mod serverless;
pub mod static_site;
pub mod webapp_cdk;

pub use env::Env;

pub type Error = Box<dyn std::error::Error + Send + Sync>;
pub type Result<T = ()> = std::result::Result<T, Error>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Compliant,
    Drifted,
}

/// Sets SSE-KMS default encryption under `key_arn` on a bucket.
pub async fn encrypt_with_kms(s3: &aws_sdk_s3::Client, bucket: &str, key_arn: &str, bucket_key: bool) -> Result {
    use aws_sdk_s3::types::*;
    let default = ServerSideEncryptionByDefault::builder()
        .sse_algorithm(ServerSideEncryption::AwsKms)
        .kms_master_key_id(key_arn)
        .build()?;
    let rule = ServerSideEncryptionRule::builder()
        .apply_server_side_encryption_by_default(default)
        .bucket_key_enabled(bucket_key)
        .build();
    s3.put_bucket_encryption()
        .bucket(bucket)
        .server_side_encryption_configuration(ServerSideEncryptionConfiguration::builder().rules(rule).build()?)
        .send()
        .await?;
    Ok(())
}

/// An error with its sources: the SDK's own Display is only "service error", the
/// source chain names the cause.
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut msg = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        msg.push_str(&format!(": {c}"));
        cause = c.source();
    }
    msg
}

/// Subnets `PREFIX.1.0/24` (public, zone a), `PREFIX.2.0/24` (private, a) and
/// `PREFIX.3.0/24` (private, b) of a VPC; `tags(role, zone)` tags each one.
pub async fn three_subnets(
    ec2: &aws_sdk_ec2::Client,
    vpc: &str,
    region: &str,
    prefix: &str,
    tags: impl Fn(&str, &str) -> aws_sdk_ec2::types::TagSpecification,
) -> Result<[String; 3]> {
    let mut ids = Vec::new();
    for (i, (role, az)) in [("public", "a"), ("private", "a"), ("private", "b")].into_iter().enumerate() {
        let s = ec2
            .create_subnet()
            .vpc_id(vpc)
            .cidr_block(format!("{prefix}.{}.0/24", i + 1))
            .availability_zone(format!("{region}{az}"))
            .tag_specifications(tags(role, az))
            .send()
            .await?;
        ids.push(s.subnet().and_then(|x| x.subnet_id()).unwrap_or_default().to_string());
    }
    ids.try_into().map_err(|_| "three subnets".into())
}

/// Creates a bucket in `region` (us-east-1 takes no location constraint).
pub async fn create_bucket_in(s3: &aws_sdk_s3::Client, name: &str, region: &str) -> Result {
    use aws_sdk_s3::types::{BucketLocationConstraint, CreateBucketConfiguration};
    let mut create = s3.create_bucket().bucket(name);
    if region != "us-east-1" {
        create = create.create_bucket_configuration(
            CreateBucketConfiguration::builder().location_constraint(BucketLocationConstraint::from(region)).build(),
        );
    }
    create.send().await?;
    Ok(())
}

/// Turns versioning on.
pub async fn enable_versioning(s3: &aws_sdk_s3::Client, name: &str) -> Result {
    use aws_sdk_s3::types::{BucketVersioningStatus, VersioningConfiguration};
    s3.put_bucket_versioning()
        .bucket(name)
        .versioning_configuration(VersioningConfiguration::builder().status(BucketVersioningStatus::Enabled).build())
        .send()
        .await?;
    Ok(())
}

/// Turns on all four flags of the bucket's public access block.
pub async fn block_public_access(s3: &aws_sdk_s3::Client, name: &str) -> Result {
    let block = aws_sdk_s3::types::PublicAccessBlockConfiguration::builder()
        .block_public_acls(true)
        .ignore_public_acls(true)
        .block_public_policy(true)
        .restrict_public_buckets(true)
        .build();
    s3.put_public_access_block().bucket(name).public_access_block_configuration(block).send().await?;
    Ok(())
}

/// Gives a trail the selector AWS gives every trail created without one: all read
/// and write management events, no data events. (LocalStack leaves a new trail with
/// no selector at all, which logs nothing.)
pub async fn log_all_management_events(ct: &aws_sdk_cloudtrail::Client, trail: &str) -> Result {
    use aws_sdk_cloudtrail::types::{EventSelector, ReadWriteType};
    let all = EventSelector::builder().read_write_type(ReadWriteType::All).include_management_events(true).build();
    ct.put_event_selectors().trail_name(trail).event_selectors(all).send().await?;
    Ok(())
}

/// Starts AWS Config in `region` (recorder and delivery channel to `bucket`) and
/// adds one managed rule per (rule name, managed identifier).
pub async fn config_rules(env: &Env, region: &str, bucket: &str, rules: &[(&str, &str)]) -> Result {
    use aws_sdk_config::types::*;
    let cfg = env.config_service(region);
    let role = format!("arn:aws:iam::{}:role/aws-config", env.id);
    cfg.put_configuration_recorder()
        .configuration_recorder(ConfigurationRecorder::builder().name("default").role_arn(role).build())
        .send()
        .await?;
    cfg.put_delivery_channel()
        .delivery_channel(DeliveryChannel::builder().name("default").s3_bucket_name(bucket).build())
        .send()
        .await?;
    cfg.start_configuration_recorder().configuration_recorder_name("default").send().await?;
    for (name, identifier) in rules {
        let source = Source::builder().owner(Owner::Aws).source_identifier(*identifier).build()?;
        cfg.put_config_rule()
            .config_rule(ConfigRule::builder().config_rule_name(*name).source(source).build())
            .send()
            .await?;
    }
    Ok(())
}

/// Adds to a bucket's policy the two statements AWS documents as required for a
/// trail to deliver to it (CloudTrail User Guide, "Amazon S3 bucket policy for
/// CloudTrail"): the service principal may read the bucket ACL and write under
/// `AWSLogs/ACCOUNT/` with `bucket-owner-full-control`, both only for this trail
/// (`aws:SourceArn`). Statements already in the policy are kept.
pub async fn allow_cloudtrail(env: &Env, region: &str, bucket: &str, trail: &str) -> Result {
    let s3 = env.s3(region);
    let mut policy: serde_json::Value = match s3.get_bucket_policy().bucket(bucket).send().await {
        Ok(out) => serde_json::from_str(out.policy().unwrap_or("{}"))?,
        Err(e)
            if e.as_service_error().and_then(|e| aws_sdk_s3::error::ProvideErrorMetadata::code(e))
                == Some("NoSuchBucketPolicy") =>
        {
            serde_json::json!({"Version": "2012-10-17", "Statement": []})
        }
        Err(e) => return Err(e.into()),
    };
    let trail_arn = format!("arn:aws:cloudtrail:{region}:{}:trail/{trail}", env.id);
    let from_trail = serde_json::json!({"StringEquals": {"aws:SourceArn": trail_arn}});
    let statements = [
        serde_json::json!({"Sid": "AWSCloudTrailAclCheck", "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:GetBucketAcl",
            "Resource": format!("arn:aws:s3:::{bucket}"), "Condition": from_trail}),
        serde_json::json!({"Sid": "AWSCloudTrailWrite", "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject",
            "Resource": format!("arn:aws:s3:::{bucket}/AWSLogs/{}/*", env.id),
            "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trail_arn}}}),
    ];
    match policy.get_mut("Statement") {
        Some(serde_json::Value::Array(list)) => list.extend(statements),
        Some(one) => *one = serde_json::Value::Array([vec![one.take()], statements.to_vec()].concat()),
        None => policy["Statement"] = serde_json::Value::Array(statements.to_vec()),
    }
    s3.put_bucket_policy().bucket(bucket).policy(policy.to_string()).send().await?;
    Ok(())
}

/// Creates or replaces one single-value record of `zone`.
pub async fn upsert_record(
    env: &Env,
    zone: &str,
    name: &str,
    kind: aws_sdk_route53::types::RrType,
    value: &str,
) -> Result {
    use aws_sdk_route53::types::*;
    let set = ResourceRecordSet::builder()
        .name(name)
        .r#type(kind)
        .ttl(300)
        .resource_records(ResourceRecord::builder().value(value).build()?)
        .build()?;
    let change = Change::builder().action(ChangeAction::Upsert).resource_record_set(set).build()?;
    env.route53()
        .change_resource_record_sets()
        .hosted_zone_id(zone)
        .change_batch(ChangeBatch::builder().changes(change).build()?)
        .send()
        .await?;
    Ok(())
}

/// Creates in `zone` the DNS validation CNAMEs that ACM asks for a certificate.
pub async fn create_validation_records(env: &Env, region: &str, zone: &str, cert_arn: &str) -> Result {
    let described = env.acm(region).describe_certificate().certificate_arn(cert_arn).send().await?;
    let options = described.certificate().map(|c| c.domain_validation_options()).unwrap_or_default();
    for record in options.iter().filter_map(|o| o.resource_record()) {
        upsert_record(env, zone, record.name(), aws_sdk_route53::types::RrType::Cname, record.value()).await?;
    }
    Ok(())
}

/// A minimal, valid zip archive holding one stored (uncompressed) file, for Lambda
/// deployment packages.
pub fn zip_single_file(name: &str, content: &[u8]) -> Vec<u8> {
    let crc = crc32(content);
    let size = content.len() as u32;
    let name_len = name.len() as u16;
    let mut out = Vec::new();
    // local file header: signature, version 2.0, no flags, stored, no time/date
    out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&name_len.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(content);
    let central_start = out.len() as u32;
    out.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
    out.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&name_len.to_le_bytes());
    // extra, comment, disk, internal and external attributes, then the local header offset
    out.extend_from_slice(&[0; 12]);
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    let central_len = out.len() as u32 - central_start;
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0]);
    out.extend_from_slice(&central_len.to_le_bytes());
    out.extend_from_slice(&central_start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}
