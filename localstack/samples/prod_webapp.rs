//! Seed 002, the production web app (`profiles/prod-webapp.toml`). `Compliant` is
//! the ideal CloudFormation stack; `Drifted` reproduces the generated one: a
//! public-read bucket without KMS, a role with AdministratorAccess, an ASG of
//! MinSize 1 from a launch configuration, an internal ALB without `prod` in its
//! name, a trail that is not logging, no AWS Config, and Dev tags.

use super::{Env, Result, Variant};

const REGION: &str = "us-east-1";
const PROJECT_OK: &str = "IaC-AWS-Nova-Model-Breaking";
const TRUST_EC2: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const LIMITED: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"*"}]}"#;

fn tags(v: Variant) -> [(&'static str, &'static str); 2] {
    match v {
        Variant::Compliant => [("Environment", "Production"), ("Project", PROJECT_OK)],
        Variant::Drifted => [("Environment", "Dev"), ("Project", "IaC-Project")],
    }
}

async fn bucket(env: &Env, v: Variant) -> Result<String> {
    use aws_sdk_s3::types::*;
    let s3 = env.s3(REGION);
    let name = env.bucket("iac-nova-prod-trail-bucket");
    s3.create_bucket().bucket(&name).send().await?;
    if v == Variant::Compliant {
        let key = env.kms(REGION).create_key().description("trail bucket key").send().await?;
        let key_arn = key.key_metadata().and_then(|m| m.arn()).unwrap_or_default().to_string();
        super::encrypt_with_kms(&s3, &name, &key_arn, false).await?;
    } else {
        // AccessControl: PublicRead (public access block off, ACLs enabled)
        s3.delete_public_access_block().bucket(&name).send().await?;
        let owner = OwnershipControlsRule::builder().object_ownership(ObjectOwnership::ObjectWriter).build()?;
        s3.put_bucket_ownership_controls()
            .bucket(&name)
            .ownership_controls(OwnershipControls::builder().rules(owner).build()?)
            .send()
            .await?;
        s3.put_bucket_acl().bucket(&name).acl(BucketCannedAcl::PublicRead).send().await?;
    }
    let mut set = Vec::new();
    for (k, val) in tags(v) {
        set.push(Tag::builder().key(k).value(val).build()?);
    }
    s3.put_bucket_tagging().bucket(&name).tagging(Tagging::builder().set_tag_set(Some(set)).build()?).send().await?;
    Ok(name)
}

async fn compute(env: &Env, v: Variant) -> Result {
    use aws_sdk_autoscaling::types::{LaunchTemplateSpecification, Tag};
    use aws_sdk_ec2::types::{InstanceType, RequestLaunchTemplateData};
    use aws_sdk_elasticloadbalancingv2::types::{LoadBalancerSchemeEnum, LoadBalancerTypeEnum, Tag as LbTag};
    let ec2 = env.ec2(REGION);
    let vpc = ec2.create_vpc().cidr_block("10.40.0.0/16").send().await?;
    let vpc_id = vpc.vpc().and_then(|v| v.vpc_id()).unwrap_or_default().to_string();
    let mut subnets = Vec::new();
    for (i, az) in ["a", "b"].iter().enumerate() {
        let s = ec2
            .create_subnet()
            .vpc_id(&vpc_id)
            .cidr_block(format!("10.40.{}.0/24", i + 1))
            .availability_zone(format!("{REGION}{az}"))
            .send()
            .await?;
        subnets.push(s.subnet().and_then(|s| s.subnet_id()).unwrap_or_default().to_string());
    }
    let asg_tags: Vec<Tag> =
        tags(v).iter().map(|(k, val)| Tag::builder().key(*k).value(*val).propagate_at_launch(true).build()).collect();
    let autoscaling = env.autoscaling(REGION);
    let (lb_name, scheme) = match v {
        Variant::Compliant => {
            let lt = ec2
                .create_launch_template()
                .launch_template_name("iac-nova-prod-lt")
                .launch_template_data(
                    RequestLaunchTemplateData::builder()
                        .image_id("ami-12c6146b")
                        .instance_type(InstanceType::T3Micro)
                        .build(),
                )
                .send()
                .await?;
            let lt_id = lt.launch_template().and_then(|t| t.launch_template_id()).unwrap_or_default().to_string();
            autoscaling
                .create_auto_scaling_group()
                .auto_scaling_group_name("iac-nova-prod-asg")
                .min_size(2)
                .max_size(4)
                .launch_template(
                    LaunchTemplateSpecification::builder().launch_template_id(lt_id).version("$Latest").build(),
                )
                .vpc_zone_identifier(subnets.join(","))
                .set_tags(Some(asg_tags))
                .send()
                .await?;
            ("iac-nova-prod-alb", LoadBalancerSchemeEnum::InternetFacing)
        }
        Variant::Drifted => {
            autoscaling
                .create_launch_configuration()
                .launch_configuration_name("iac-nova-lc")
                .image_id("ami-12c6146b")
                .instance_type("t3.micro")
                .send()
                .await?;
            autoscaling
                .create_auto_scaling_group()
                .auto_scaling_group_name("iac-nova-asg")
                .min_size(1)
                .max_size(3)
                .launch_configuration_name("iac-nova-lc")
                .vpc_zone_identifier(subnets.join(","))
                .set_tags(Some(asg_tags))
                .send()
                .await?;
            ("iac-nova-alb", LoadBalancerSchemeEnum::Internal)
        }
    };
    let lb_tags: Vec<LbTag> = tags(v).iter().map(|(k, val)| LbTag::builder().key(*k).value(*val).build()).collect();
    env.elbv2(REGION)
        .create_load_balancer()
        .name(lb_name)
        .set_subnets(Some(subnets))
        .scheme(scheme)
        .r#type(LoadBalancerTypeEnum::Application)
        .set_tags(Some(lb_tags))
        .send()
        .await?;
    Ok(())
}

pub async fn deploy(env: &Env, v: Variant) -> Result {
    let bucket = bucket(env, v).await?;
    super::allow_cloudtrail(env, REGION, &bucket, "iac-nova-prod-trail").await?;
    let ct = env.cloudtrail(REGION);
    ct.create_trail().name("iac-nova-prod-trail").s3_bucket_name(&bucket).is_multi_region_trail(true).send().await?;
    // both stacks keep CloudTrail's default selectors (every management event); only
    // IsLogging differs
    super::log_all_management_events(&ct, "iac-nova-prod-trail").await?;
    let iam = env.iam();
    iam.create_role().role_name("ProdEC2Role").assume_role_policy_document(TRUST_EC2).send().await?;
    match v {
        Variant::Compliant => {
            ct.start_logging().name("iac-nova-prod-trail").send().await?;
            iam.put_role_policy()
                .role_name("ProdEC2Role")
                .policy_name("EC2LimitedAccess")
                .policy_document(LIMITED)
                .send()
                .await?;
            super::config_rules(
                env,
                REGION,
                &bucket,
                &[("prod-s3-public-read-prohibited", "S3_BUCKET_PUBLIC_READ_PROHIBITED")],
            )
            .await?;
        }
        Variant::Drifted => {
            iam.attach_role_policy()
                .role_name("ProdEC2Role")
                .policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
                .send()
                .await?;
        }
    }
    compute(env, v).await
}
