//! Fault cases for the EC2 (VPCs, flow logs, security groups, instances), Auto
//! Scaling, ELBv2 and RDS collectors.

use super::*;

/// Two VPCs with a security group each; returns (VPC ids, group ids).
async fn vpcs(env: &Env) -> Result<(Vec<String>, Vec<String>)> {
    use aws_sdk_ec2::types::*;
    let ec2 = env.ec2(REGION);
    let (mut vpc_ids, mut group_ids) = (Vec::new(), Vec::new());
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        let tags = TagSpecification::builder()
            .resource_type(ResourceType::Vpc)
            .tags(Tag::builder().key("Name").value(name).build())
            .tags(Tag::builder().key("team").value(team).build())
            .build();
        let cidr = if name == "fa-one" { "10.41.0.0/16" } else { "10.42.0.0/16" };
        let vpc = ec2.create_vpc().cidr_block(cidr).tag_specifications(tags).send().await?;
        let id = vpc.vpc().and_then(|v| v.vpc_id()).unwrap_or_default().to_string();
        let tags = TagSpecification::builder()
            .resource_type(ResourceType::SecurityGroup)
            .tags(Tag::builder().key("team").value(team).build())
            .build();
        let group = ec2
            .create_security_group()
            .group_name(name)
            .description("faults")
            .vpc_id(&id)
            .tag_specifications(tags)
            .send()
            .await?;
        group_ids.push(group.group_id().unwrap_or_default().to_string());
        vpc_ids.push(id);
    }
    Ok((vpc_ids, group_ids))
}

#[tokio::test]
async fn ec2_vpc_list_denied_and_cut() {
    let acct = account();
    let (v, _) = vpcs(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("ec2.vpc", PREFIX, TAGGED),
            resources: vec![(v[0].clone(), "pass"), (v[1].clone(), "drift")],
            service: "ec2",
            deny: "DescribeVpcs",
            target: None,
            denied: strs(&[]),
            batched: false,
            error_resource: None,
            denied_fields: &[],
            resource_page: None,
            page: Some("DescribeVpcs"),
        },
    );
}

#[tokio::test]
async fn ec2_flow_logs_denied_and_cut() {
    use aws_sdk_ec2::types::{FlowLogsResourceType, TrafficType};
    let acct = account();
    let (v, _) = vpcs(&acct).await.unwrap();
    acct.ec2(REGION)
        .create_flow_logs()
        .resource_ids(&v[0])
        .resource_type(FlowLogsResourceType::Vpc)
        .traffic_type(TrafficType::All)
        .log_group_name("fa-flow")
        .deliver_logs_permission_arn(format!("arn:aws:iam::{}:role/fa-flow", acct.id))
        .send()
        .await
        .unwrap();
    // DescribeFlowLogs reads the region's flow logs at once: one error, and
    // every VPC's flow_logs unknown
    check(
        &acct,
        Case {
            profile: profile("ec2.vpc", PREFIX, "flow_logs = true"),
            resources: vec![(v[0].clone(), "pass"), (v[1].clone(), "drift")],
            service: "ec2",
            deny: "DescribeFlowLogs",
            target: None,
            denied: vec![v[0].clone(), v[1].clone()],
            batched: true,
            error_resource: None,
            denied_fields: &["flow_logs"],
            resource_page: Some("DescribeFlowLogs"),
            page: None,
        },
    );
}

#[tokio::test]
async fn ec2_security_group_list_denied_and_cut() {
    let acct = account();
    let (_, g) = vpcs(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("ec2.security_group", PREFIX, TAGGED),
            resources: vec![(g[0].clone(), "pass"), (g[1].clone(), "drift")],
            service: "ec2",
            deny: "DescribeSecurityGroups",
            target: None,
            denied: strs(&[]),
            batched: false,
            error_resource: None,
            denied_fields: &[],
            resource_page: None,
            page: Some("DescribeSecurityGroups"),
        },
    );
}

/// A VPC with two subnets in two zones; returns the subnet ids.
async fn network(env: &Env, cidr: &str) -> Result<Vec<String>> {
    let ec2 = env.ec2(REGION);
    let vpc = ec2.create_vpc().cidr_block(format!("{cidr}.0.0/16")).send().await?;
    let vpc = vpc.vpc().and_then(|v| v.vpc_id()).unwrap_or_default().to_string();
    let mut subnets = Vec::new();
    for (i, zone) in ["a", "b"].iter().enumerate() {
        let s = ec2
            .create_subnet()
            .vpc_id(&vpc)
            .cidr_block(format!("{cidr}.{}.0/24", i + 1))
            .availability_zone(format!("{REGION}{zone}"))
            .send()
            .await?;
        subnets.push(s.subnet().and_then(|s| s.subnet_id()).unwrap_or_default().to_string());
    }
    Ok(subnets)
}

async fn instances(env: &Env) -> Result<Vec<String>> {
    use aws_sdk_ec2::types::*;
    let subnets = network(env, "10.43").await?;
    let ec2 = env.ec2(REGION);
    let mut ids = Vec::new();
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        let tags = TagSpecification::builder()
            .resource_type(ResourceType::Instance)
            .tags(Tag::builder().key("Name").value(name).build())
            .tags(Tag::builder().key("team").value(team).build())
            .build();
        let out = ec2
            .run_instances()
            .image_id("ami-12c6146b")
            .instance_type(InstanceType::T3Micro)
            .min_count(1)
            .max_count(1)
            .subnet_id(&subnets[0])
            .tag_specifications(tags)
            .send()
            .await?;
        ids.push(out.instances().first().and_then(|i| i.instance_id()).unwrap_or_default().to_string());
    }
    Ok(ids)
}

#[tokio::test]
async fn ec2_instance_list_denied_and_cut() {
    let acct = account();
    let ids = instances(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("ec2.instance", PREFIX, TAGGED),
            resources: vec![(ids[0].clone(), "pass"), (ids[1].clone(), "drift")],
            service: "ec2",
            deny: "DescribeInstances",
            target: None,
            denied: vec![],
            batched: false,
            error_resource: None,
            denied_fields: &[],
            resource_page: None,
            page: Some("DescribeInstances"),
        },
    );
}

async fn groups(env: &Env) -> Result {
    use aws_sdk_autoscaling::types::{LaunchTemplateSpecification, Tag};
    use aws_sdk_ec2::types::{InstanceType, RequestLaunchTemplateData};
    let subnets = network(env, "10.44").await?;
    let lt = env
        .ec2(REGION)
        .create_launch_template()
        .launch_template_name("fa-lt")
        .launch_template_data(
            RequestLaunchTemplateData::builder().image_id("ami-12c6146b").instance_type(InstanceType::T3Micro).build(),
        )
        .send()
        .await?;
    let lt = lt.launch_template().and_then(|t| t.launch_template_id()).unwrap_or_default().to_string();
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        env.autoscaling(REGION)
            .create_auto_scaling_group()
            .auto_scaling_group_name(name)
            .min_size(0)
            .max_size(1)
            .launch_template(LaunchTemplateSpecification::builder().launch_template_id(&lt).version("$Latest").build())
            .vpc_zone_identifier(subnets.join(","))
            .tags(Tag::builder().key("team").value(team).propagate_at_launch(false).build())
            .send()
            .await?;
    }
    Ok(())
}

#[tokio::test]
async fn autoscaling_group_list_denied_and_cut() {
    let acct = account();
    groups(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("autoscaling.group", PREFIX, TAGGED),
            resources: res(&[("/fa-one", "pass"), ("/fa-two", "drift")]),
            service: "autoscaling",
            deny: "DescribeAutoScalingGroups",
            target: None,
            denied: vec![],
            batched: false,
            error_resource: None,
            denied_fields: &[],
            resource_page: None,
            page: Some("DescribeAutoScalingGroups"),
        },
    );
}

async fn balancers(env: &Env) -> Result {
    use aws_sdk_elasticloadbalancingv2::types::{LoadBalancerTypeEnum, Tag};
    let subnets = network(env, "10.45").await?;
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        env.elbv2(REGION)
            .create_load_balancer()
            .name(name)
            .set_subnets(Some(subnets.clone()))
            .r#type(LoadBalancerTypeEnum::Application)
            .tags(Tag::builder().key("team").value(team).build())
            .send()
            .await?;
    }
    Ok(())
}

#[tokio::test]
async fn elbv2_tags_denied_and_balancer_list_cut() {
    let acct = account();
    balancers(&acct).await.unwrap();
    // DescribeTags reads the tags of up to 20 balancers in one call: the denial
    // leaves both unknown
    check(
        &acct,
        Case {
            profile: profile("elbv2.load_balancer", PREFIX, TAGGED),
            resources: res(&[("/fa-one/", "pass"), ("/fa-two/", "drift")]),
            service: "elasticloadbalancing",
            deny: "DescribeTags",
            target: None,
            denied: strs(&["/fa-one/", "/fa-two/"]),
            batched: true,
            error_resource: None,
            denied_fields: &["required_tags"],
            resource_page: None,
            page: Some("DescribeLoadBalancers"),
        },
    );
}

async fn databases(env: &Env) -> Result {
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        env.rds(REGION)
            .create_db_instance()
            .db_instance_identifier(name)
            .engine("postgres")
            .db_instance_class("db.t3.micro")
            .allocated_storage(20)
            .master_username("app")
            .master_user_password("not-a-secret-1")
            .tags(aws_sdk_rds::types::Tag::builder().key("team").value(team).build())
            .send()
            .await?;
    }
    Ok(())
}

#[tokio::test]
async fn rds_instance_list_denied_and_cut() {
    let acct = account();
    databases(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("rds.instance", PREFIX, TAGGED),
            resources: res(&[(":fa-one", "pass"), (":fa-two", "drift")]),
            service: "rds",
            deny: "DescribeDBInstances",
            target: None,
            denied: vec![],
            batched: false,
            error_resource: None,
            denied_fields: &[],
            resource_page: None,
            page: Some("DescribeDBInstances"),
        },
    );
}
