//! The core sample: resources for the six core kinds (S3, IAM, CloudTrail, ACM,
//! VPC peering, CloudWatch alarms). `localstack/samples/core/*.toml` are the
//! profiles that audit it.
//!
//! | kind            | compliant                                  | drifted                                          |
//! |-----------------|--------------------------------------------|--------------------------------------------------|
//! | s3.bucket       | prod-data-ID: SSE-KMS, versioned, PAB on   | prod-logs-ID: AES256, unversioned, no PAB        |
//! | iam.role        | app-reader: ReadOnlyAccess                 | app-admin: AdministratorAccess; ops-inline: * on * |
//! | cloudtrail      | org-trail: multi-region, logging           | app-trail: single-region, stopped                |
//! | acm             | www.demo.example, validation CNAME present | api.demo.example, CNAME never created            |
//! | ec2.vpc_peering | full mesh east/west/south with routes      | east-west ok, east-south unrouted, west-south missing |
//! | cloudwatch      | web-cpu-high: CPU >= 70 -> SNS             | api-cpu-high: CPU > 90, no action                |

use super::{Env, Result, Variant};

pub const MESH: [(&str, &str, &str); 3] = [
    ("us-east-1", "mesh-east", "10.1.0.0/16"),
    ("us-west-2", "mesh-west", "10.2.0.0/16"),
    ("ap-south-1", "mesh-south", "10.3.0.0/16"),
];

const TRUST_EC2: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const FULL_ADMIN: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

pub async fn s3(env: &Env, v: Variant) -> Result {
    let s3 = env.s3("us-east-1");
    match v {
        Variant::Compliant => {
            let bucket = env.bucket("prod-data");
            s3.create_bucket().bucket(&bucket).send().await?;
            let key = env.kms("us-east-1").create_key().description("prod-data bucket key").send().await?;
            let key_arn = key.key_metadata().and_then(|m| m.arn()).unwrap_or_default().to_string();
            super::encrypt_with_kms(&s3, &bucket, &key_arn, true).await?;
            super::enable_versioning(&s3, &bucket).await?;
            super::block_public_access(&s3, &bucket).await?;
        }
        Variant::Drifted => {
            let bucket = env.bucket("prod-logs");
            // a new bucket gets SSE-S3 (AES256) by default, as in AWS since 2023
            s3.create_bucket().bucket(&bucket).send().await?;
            s3.delete_public_access_block().bucket(&bucket).send().await?;
        }
    }
    Ok(())
}

pub async fn iam(env: &Env, v: Variant) -> Result {
    let iam = env.iam();
    match v {
        Variant::Compliant => {
            iam.create_role().role_name("app-reader").assume_role_policy_document(TRUST_EC2).send().await?;
            iam.attach_role_policy()
                .role_name("app-reader")
                .policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
                .send()
                .await?;
        }
        Variant::Drifted => {
            iam.create_role().role_name("app-admin").assume_role_policy_document(TRUST_EC2).send().await?;
            iam.attach_role_policy()
                .role_name("app-admin")
                .policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
                .send()
                .await?;
            iam.create_role().role_name("ops-inline").assume_role_policy_document(TRUST_EC2).send().await?;
            iam.put_role_policy()
                .role_name("ops-inline")
                .policy_name("everything")
                .policy_document(FULL_ADMIN)
                .send()
                .await?;
        }
    }
    Ok(())
}

pub async fn trail(env: &Env, v: Variant) -> Result {
    let bucket = env.bucket("trail-logs");
    let s3 = env.s3("us-east-1");
    if s3.head_bucket().bucket(&bucket).send().await.is_err() {
        s3.create_bucket().bucket(&bucket).send().await?;
    }
    let trail = if v == Variant::Compliant { "org-trail" } else { "app-trail" };
    super::allow_cloudtrail(env, "us-east-1", &bucket, trail).await?;
    let ct = env.cloudtrail("us-east-1");
    match v {
        Variant::Compliant => {
            ct.create_trail()
                .name("org-trail")
                .s3_bucket_name(&bucket)
                .is_multi_region_trail(true)
                .include_global_service_events(true)
                .enable_log_file_validation(true)
                .send()
                .await?;
            ct.start_logging().name("org-trail").send().await?;
        }
        Variant::Drifted => {
            // created, never started: IsLogging stays false
            ct.create_trail().name("app-trail").s3_bucket_name(&bucket).send().await?;
        }
    }
    Ok(())
}

/// The public zone `demo.example`, created once.
async fn demo_zone(env: &Env) -> Result<String> {
    let r53 = env.route53();
    let zones = r53.list_hosted_zones_by_name().dns_name("demo.example").send().await?;
    if let Some(z) = zones.hosted_zones().iter().find(|z| z.name() == "demo.example.") {
        return Ok(z.id().to_string());
    }
    let zone =
        r53.create_hosted_zone().name("demo.example").caller_reference(format!("demo-{}", env.id)).send().await?;
    Ok(zone.hosted_zone().map(|z| z.id().to_string()).unwrap_or_default())
}

pub async fn certificate(env: &Env, v: Variant) -> Result {
    use aws_sdk_acm::types::ValidationMethod;
    let zone = demo_zone(env).await?;
    let acm = env.acm("us-east-1");
    let domain = match v {
        Variant::Compliant => "www.demo.example",
        Variant::Drifted => "api.demo.example",
    };
    let arn = acm
        .request_certificate()
        .domain_name(domain)
        .validation_method(ValidationMethod::Dns)
        .send()
        .await?
        .certificate_arn()
        .unwrap_or_default()
        .to_string();
    if v == Variant::Drifted {
        return Ok(()); // the validation record is never created
    }
    super::create_validation_records(env, "us-east-1", &zone, &arn).await
}

/// Creates (or finds) the mesh VPC of a region: (vpc id, cidr).
async fn mesh_vpc(env: &Env, region: &str, name: &str, cidr: &str) -> Result<String> {
    use aws_sdk_ec2::types::*;
    let ec2 = env.ec2(region);
    let existing = ec2.describe_vpcs().send().await?;
    if let Some(v) =
        existing.vpcs().iter().find(|v| v.tags().iter().any(|t| t.key() == Some("Name") && t.value() == Some(name)))
    {
        return Ok(v.vpc_id().unwrap_or_default().to_string());
    }
    let tags = TagSpecification::builder()
        .resource_type(ResourceType::Vpc)
        .tags(Tag::builder().key("Name").value(name).build())
        .build();
    let vpc = ec2.create_vpc().cidr_block(cidr).tag_specifications(tags).send().await?;
    Ok(vpc.vpc().and_then(|v| v.vpc_id()).unwrap_or_default().to_string())
}

pub async fn peer(env: &Env, a: (&str, &str), b: (&str, &str)) -> Result<String> {
    let out = env.ec2(a.0).create_vpc_peering_connection().vpc_id(a.1).peer_vpc_id(b.1).peer_region(b.0).send().await?;
    let id = out.vpc_peering_connection().and_then(|p| p.vpc_peering_connection_id()).unwrap_or_default().to_string();
    // a cross-region connection is accepted in the peer's region
    env.ec2(b.0).accept_vpc_peering_connection().vpc_peering_connection_id(&id).send().await?;
    Ok(id)
}

pub async fn route_all(env: &Env, region: &str, vpc: &str, destination: &str, pcx: &str) -> Result {
    let ec2 = env.ec2(region);
    let tables = ec2.describe_route_tables().send().await?;
    for t in tables.route_tables().iter().filter(|t| t.vpc_id() == Some(vpc)) {
        ec2.create_route()
            .route_table_id(t.route_table_id().unwrap_or_default())
            .destination_cidr_block(destination)
            .vpc_peering_connection_id(pcx)
            .send()
            .await?;
    }
    Ok(())
}

pub async fn mesh(env: &Env, v: Variant) -> Result {
    let mut vpcs = Vec::new();
    for (region, name, cidr) in MESH {
        vpcs.push((region, mesh_vpc(env, region, name, cidr).await?, cidr));
    }
    let link = |i: usize, j: usize, routes: bool| {
        let (a, b) = (vpcs[i].clone(), vpcs[j].clone());
        async move {
            let pcx = peer(env, (a.0, &a.1), (b.0, &b.1)).await?;
            if routes {
                route_all(env, a.0, &a.1, b.2, &pcx).await?;
                route_all(env, b.0, &b.1, a.2, &pcx).await?;
            }
            Result::Ok(())
        }
    };
    match v {
        Variant::Compliant => {
            link(0, 1, true).await?;
            link(0, 2, true).await?;
            link(1, 2, true).await?;
        }
        Variant::Drifted => {
            link(0, 1, true).await?;
            link(0, 2, false).await?;
        }
    }
    Ok(())
}

pub async fn alarm(env: &Env, v: Variant) -> Result {
    use aws_sdk_cloudwatch::types::*;
    let cw = env.cloudwatch("us-east-1");
    let topic = format!("arn:aws:sns:us-east-1:{}:alerts", env.id);
    let base = |name: &str| {
        cw.put_metric_alarm()
            .alarm_name(name)
            .namespace("AWS/EC2")
            .metric_name("CPUUtilization")
            .dimensions(Dimension::builder().name("AutoScalingGroupName").value("web").build())
            .statistic(Statistic::Average)
            .period(300)
            .evaluation_periods(2)
    };
    match v {
        Variant::Compliant => {
            base("web-cpu-high")
                .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
                .threshold(70.0)
                .alarm_actions(topic)
                .send()
                .await?;
        }
        Variant::Drifted => {
            base("api-cpu-high")
                .comparison_operator(ComparisonOperator::GreaterThanThreshold)
                .threshold(90.0)
                .send()
                .await?;
        }
    }
    Ok(())
}

/// Every core sample in the given variant.
pub async fn all(env: &Env, v: Variant) -> Result {
    s3(env, v).await?;
    iam(env, v).await?;
    trail(env, v).await?;
    certificate(env, v).await?;
    alarm(env, v).await?;
    Ok(())
}
