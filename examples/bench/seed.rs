//! Seeds one account at scale for the benchmark, through the SDK and concurrently.
//! Idempotent: a marker bucket records a finished seed of that size; without it,
//! every step creates only what is missing and re-applies settings (all puts are
//! idempotent), so an interrupted seed is completed by the next run.
//!
//! | what | seeded |
//! |---|---|
//! | S3 | N buckets round-robin over the four regions; even ones SSE-KMS + versioning + public access block, odd ones neither |
//! | IAM | 100 roles (`seed_stack`: any number): every 10th with AdministratorAccess, every 10th (offset 1) ReadOnlyAccess |
//! | CloudTrail | a multi-region trail that is logging (us-east-1); a single-region trail that is stopped (us-west-2) |
//! | ACM | one DNS-validated certificate request per region |
//! | EC2 | one VPC per region; peering east–west and east–eu routed, east–south unrouted, west–south and eu–south missing |
//! | CloudWatch | 20 CPU alarms in us-east-1: even ones >= 70 with an SNS action, odd ones > 90 without |

use crate::samples::{Env, Result};
use futures::stream::{self, StreamExt, TryStreamExt};
use std::collections::BTreeSet;

pub const REGIONS: [&str; 4] = ["us-east-1", "us-west-2", "eu-west-1", "ap-south-1"];
pub const ROLES: usize = 100;
pub const ALARMS: usize = 20;
const PARALLEL: usize = 48;

pub fn bucket_name(env: &Env, i: usize) -> String {
    format!("bench-b-{i:05}-{}", env.id)
}

/// Buckets that are built compliant (SSE-KMS, versioned, public access block).
pub fn compliant_bucket(i: usize) -> bool {
    i.is_multiple_of(2)
}

pub async fn seed(env: &Env, n: usize) -> Result {
    seed_stack(env, n, ROLES).await
}

/// Seeds the stack above with `n` buckets and `roles` roles (the fleet's small
/// accounts have fewer of both).
pub async fn seed_stack(env: &Env, n: usize, roles: usize) -> Result {
    let marker = format!("bench-seeded-{n}-{}", env.id);
    let listed = env.s3("us-east-1").list_buckets().max_buckets(1000).into_paginator().send().collect::<Vec<_>>().await;
    let mut existing = BTreeSet::new();
    for page in listed {
        existing.extend(page?.buckets().iter().filter_map(|b| b.name().map(str::to_string)));
    }
    if existing.contains(&marker) {
        return Ok(());
    }
    let keys = stream::iter(REGIONS)
        .then(|r| async move {
            let k = env.kms(r).create_key().description("bench bucket key").send().await?;
            Result::Ok((r, k.key_metadata().and_then(|m| m.arn()).unwrap_or_default().to_string()))
        })
        .try_collect::<Vec<_>>()
        .await?;
    let existing = &existing;
    let keys = &keys;
    stream::iter(0..n)
        .map(|i| async move {
            let region = REGIONS[i % REGIONS.len()];
            let key = keys.iter().find(|(r, _)| *r == region).map(|(_, k)| k.as_str()).unwrap_or_default();
            bucket(
                env,
                &bucket_name(env, i),
                region,
                !existing.contains(&bucket_name(env, i)),
                compliant_bucket(i),
                key,
            )
            .await
        })
        .buffer_unordered(PARALLEL)
        .try_collect::<Vec<()>>()
        .await?;
    seed_roles(env, roles).await?;
    trails(env).await?;
    certificates(env).await?;
    network(env).await?;
    alarms(env).await?;
    certificates_issued(env).await?;
    env.s3("us-east-1").create_bucket().bucket(&marker).send().await?;
    Ok(())
}

async fn bucket(env: &Env, name: &str, region: &str, create: bool, compliant: bool, key: &str) -> Result {
    let s3 = env.s3(region);
    if create {
        crate::samples::create_bucket_in(&s3, name, region).await?;
    }
    if !compliant {
        return Ok(());
    }
    crate::samples::encrypt_with_kms(&s3, name, key, true).await?;
    crate::samples::enable_versioning(&s3, name).await?;
    crate::samples::block_public_access(&s3, name).await
}

const TRUST_EC2: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

async fn seed_roles(env: &Env, count: usize) -> Result {
    let iam = env.iam();
    let mut have = BTreeSet::new();
    let mut pages = iam.list_roles().into_paginator().send();
    while let Some(page) = pages.next().await {
        have.extend(page?.roles().iter().map(|r| r.role_name().to_string()));
    }
    let have = &have;
    stream::iter(0..count)
        .map(|i| {
            let iam = iam.clone();
            async move {
                let name = format!("bench-role-{i:03}");
                if !have.contains(&name) {
                    iam.create_role().role_name(&name).assume_role_policy_document(TRUST_EC2).send().await?;
                }
                let policy = match i % 10 {
                    0 => "arn:aws:iam::aws:policy/AdministratorAccess",
                    1 => "arn:aws:iam::aws:policy/ReadOnlyAccess",
                    _ => return Result::Ok(()),
                };
                iam.attach_role_policy().role_name(&name).policy_arn(policy).send().await?;
                Ok(())
            }
        })
        .buffer_unordered(PARALLEL)
        .try_collect::<Vec<()>>()
        .await?;
    Ok(())
}

async fn trails(env: &Env) -> Result {
    for (region, name, multi, logging) in
        [("us-east-1", "bench-org-trail", true, true), ("us-west-2", "bench-app-trail", false, false)]
    {
        let ct = env.cloudtrail(region);
        let listed = ct.describe_trails().send().await?;
        if listed.trail_list().iter().any(|t| t.name() == Some(name)) {
            continue;
        }
        let bucket = format!("{name}-{}", env.id);
        crate::samples::create_bucket_in(&env.s3(region), &bucket, region).await?;
        ct.create_trail().name(name).s3_bucket_name(&bucket).is_multi_region_trail(multi).send().await?;
        if logging {
            ct.start_logging().name(name).send().await?;
        }
    }
    Ok(())
}

async fn certificates(env: &Env) -> Result {
    for region in REGIONS {
        let acm = env.acm(region);
        let domain = format!("bench-{region}.example.com");
        let listed = acm.list_certificates().send().await?;
        if listed.certificate_summary_list().iter().any(|c| c.domain_name() == Some(domain.as_str())) {
            continue;
        }
        acm.request_certificate()
            .domain_name(&domain)
            .validation_method(aws_sdk_acm::types::ValidationMethod::Dns)
            .send()
            .await?;
    }
    Ok(())
}

/// Waits until every certificate is ISSUED. LocalStack answers PENDING_VALIDATION,
/// without a validity period, for about 10 s after the request (real AWS waits for
/// the DNS record); a tool reading the account earlier sees a different account.
async fn certificates_issued(env: &Env) -> Result {
    use aws_sdk_acm::types::CertificateStatus;
    for _ in 0..60 {
        let mut pending = 0;
        for region in REGIONS {
            let acm = env.acm(region);
            for c in acm.list_certificates().send().await?.certificate_summary_list() {
                let arn = c.certificate_arn().unwrap_or_default();
                let d = acm.describe_certificate().certificate_arn(arn).send().await?;
                if d.certificate().and_then(|c| c.status()) != Some(&CertificateStatus::Issued) {
                    pending += 1;
                }
            }
        }
        if pending == 0 {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
    Err("certificates still not ISSUED after 60 s".into())
}

/// (region index, region index, routed) for every peering seeded.
pub const PEERINGS: [(usize, usize, bool); 4] = [(0, 1, true), (0, 2, true), (0, 3, false), (1, 2, true)];

pub fn vpc_name(region: &str) -> String {
    format!("bench-vpc-{region}")
}

async fn network(env: &Env) -> Result {
    use aws_sdk_ec2::types::*;
    let mut vpcs = Vec::new();
    for (i, region) in REGIONS.iter().enumerate() {
        let ec2 = env.ec2(region);
        let name = vpc_name(region);
        let listed = ec2.describe_vpcs().send().await?;
        let found = listed
            .vpcs()
            .iter()
            .find(|v| v.tags().iter().any(|t| t.key() == Some("Name") && t.value() == Some(name.as_str())))
            .and_then(|v| v.vpc_id().map(str::to_string));
        let cidr = format!("10.{}.0.0/16", 60 + i);
        let id = match found {
            Some(id) => id,
            None => {
                let tags = TagSpecification::builder()
                    .resource_type(ResourceType::Vpc)
                    .tags(Tag::builder().key("Name").value(&name).build())
                    .build();
                let v = ec2.create_vpc().cidr_block(&cidr).tag_specifications(tags).send().await?;
                v.vpc().and_then(|v| v.vpc_id()).unwrap_or_default().to_string()
            }
        };
        vpcs.push((*region, id, cidr));
    }
    for (a, b, routed) in PEERINGS {
        let ((ra, va, ca), (rb, vb, cb)) = (&vpcs[a], &vpcs[b]);
        // LocalStack ignores DescribeVpcPeeringConnections filters: filter here
        let listed = env.ec2(ra).describe_vpc_peering_connections().send().await?;
        let exists = listed.vpc_peering_connections().iter().any(|p| {
            p.requester_vpc_info().and_then(|i| i.vpc_id()) == Some(va.as_str())
                && p.accepter_vpc_info().and_then(|i| i.vpc_id()) == Some(vb.as_str())
        });
        if exists {
            continue;
        }
        let pcx = crate::samples::core::peer(env, (ra, va.as_str()), (rb, vb.as_str())).await?;
        if routed {
            crate::samples::core::route_all(env, ra, va, cb, &pcx).await?;
            crate::samples::core::route_all(env, rb, vb, ca, &pcx).await?;
        }
    }
    Ok(())
}

async fn alarms(env: &Env) -> Result {
    use aws_sdk_cloudwatch::types::*;
    let cw = env.cloudwatch("us-east-1");
    let topic = format!("arn:aws:sns:us-east-1:{}:bench-alerts", env.id);
    stream::iter(0..ALARMS)
        .map(|i| {
            let (cw, topic) = (cw.clone(), topic.clone());
            async move {
                let mut put = cw
                    .put_metric_alarm()
                    .alarm_name(format!("bench-cpu-{i:02}"))
                    .namespace("AWS/EC2")
                    .metric_name("CPUUtilization")
                    .dimensions(Dimension::builder().name("InstanceId").value(format!("i-bench{i:02}")).build())
                    .statistic(Statistic::Average)
                    .period(300)
                    .evaluation_periods(2);
                put = if i % 2 == 0 {
                    put.comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
                        .threshold(70.0)
                        .alarm_actions(topic)
                } else {
                    put.comparison_operator(ComparisonOperator::GreaterThanThreshold).threshold(90.0)
                };
                put.send().await?;
                Result::Ok(())
            }
        })
        .buffer_unordered(PARALLEL)
        .try_collect::<Vec<()>>()
        .await?;
    Ok(())
}
