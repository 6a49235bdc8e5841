//! Seed 003, the CDK web app (`profiles/webapp-cdk.toml`). `Compliant` is what the
//! prompt asked for; `Drifted` reproduces the generated stack as its failure
//! report describes it:
//!
//! | report | compliant | drifted |
//! |---|---|---|
//! | 1 CloudTrail | multi-region trail, logging all management events | none |
//! | 2 tags | Environment=Production, Department=IT | Project=WebApp, Environment=Production, ManagedBy=CDK |
//! | 3 compute | one t3.micro instance `webapp-web` | an auto scaling group of 2–5 instead |
//! | 4 security group | 443 from anywhere | 80 and 443 from anywhere |
//! | RDS, secret, backups | encrypted, private subnets, 7 days; credentials in Secrets Manager | same (the report's positive deviations) |

use super::{Env, Result, Variant};

const REGION: &str = "us-east-1";

fn tags(v: Variant) -> Vec<(&'static str, &'static str)> {
    match v {
        Variant::Compliant => vec![("Environment", "Production"), ("Department", "IT")],
        Variant::Drifted => vec![("Project", "WebApp"), ("Environment", "Production"), ("ManagedBy", "CDK")],
    }
}

fn ec2_tags(v: Variant, name: &str, kind: aws_sdk_ec2::types::ResourceType) -> aws_sdk_ec2::types::TagSpecification {
    use aws_sdk_ec2::types::{Tag, TagSpecification};
    let mut spec = TagSpecification::builder().resource_type(kind).tags(Tag::builder().key("Name").value(name).build());
    for (k, val) in tags(v) {
        spec = spec.tags(Tag::builder().key(k).value(val).build());
    }
    spec.build()
}

pub async fn deploy(env: &Env, v: Variant) -> Result {
    use aws_sdk_ec2::types::{InstanceType, IpPermission, IpRange, ResourceType};
    let ec2 = env.ec2(REGION);
    let vpc = ec2
        .create_vpc()
        .cidr_block("10.30.0.0/16")
        .tag_specifications(ec2_tags(v, "webapp-vpc", ResourceType::Vpc))
        .send()
        .await?;
    let vpc = vpc.vpc().and_then(|x| x.vpc_id()).unwrap_or_default().to_string();
    let subnets = super::three_subnets(&ec2, &vpc, REGION, "10.30", |role, az| {
        ec2_tags(v, &format!("webapp-{role}-{az}"), ResourceType::Subnet)
    })
    .await?;
    let igw = ec2.create_internet_gateway().send().await?;
    let igw = igw.internet_gateway().and_then(|g| g.internet_gateway_id()).unwrap_or_default().to_string();
    ec2.attach_internet_gateway().internet_gateway_id(&igw).vpc_id(&vpc).send().await?;
    let table = ec2
        .create_route_table()
        .vpc_id(&vpc)
        .tag_specifications(ec2_tags(v, "webapp-public-rt", ResourceType::RouteTable))
        .send()
        .await?;
    let table = table.route_table().and_then(|t| t.route_table_id()).unwrap_or_default().to_string();
    ec2.create_route().route_table_id(&table).destination_cidr_block("0.0.0.0/0").gateway_id(&igw).send().await?;
    ec2.associate_route_table().route_table_id(&table).subnet_id(&subnets[0]).send().await?;

    let sg = ec2
        .create_security_group()
        .group_name("webapp-web-sg")
        .description("web server")
        .vpc_id(&vpc)
        .tag_specifications(ec2_tags(v, "webapp-web-sg", ResourceType::SecurityGroup))
        .send()
        .await?;
    let sg = sg.group_id().unwrap_or_default().to_string();
    let ports: &[i32] = if v == Variant::Compliant { &[443] } else { &[80, 443] };
    for port in ports {
        let perm = IpPermission::builder()
            .ip_protocol("tcp")
            .from_port(*port)
            .to_port(*port)
            .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
            .build();
        ec2.authorize_security_group_ingress().group_id(&sg).ip_permissions(perm).send().await?;
    }

    match v {
        Variant::Compliant => {
            ec2.run_instances()
                .image_id("ami-12c6146b")
                .instance_type(InstanceType::T3Micro)
                .min_count(1)
                .max_count(1)
                .subnet_id(&subnets[0])
                .security_group_ids(&sg)
                .tag_specifications(ec2_tags(v, "webapp-web", ResourceType::Instance))
                .send()
                .await?;
        }
        Variant::Drifted => {
            use aws_sdk_autoscaling::types::{LaunchTemplateSpecification, Tag};
            use aws_sdk_ec2::types::RequestLaunchTemplateData;
            let lt = ec2
                .create_launch_template()
                .launch_template_name("webapp-web-lt")
                .launch_template_data(
                    RequestLaunchTemplateData::builder()
                        .image_id("ami-12c6146b")
                        .instance_type(InstanceType::T3Micro)
                        .security_group_ids(&sg)
                        .build(),
                )
                .send()
                .await?;
            let lt = lt.launch_template().and_then(|t| t.launch_template_id()).unwrap_or_default().to_string();
            let mut asg = env
                .autoscaling(REGION)
                .create_auto_scaling_group()
                .auto_scaling_group_name("webapp-asg")
                .min_size(2)
                .max_size(5)
                .desired_capacity(2)
                .launch_template(
                    LaunchTemplateSpecification::builder().launch_template_id(lt).version("$Latest").build(),
                )
                .vpc_zone_identifier(subnets[1..].join(","));
            for (k, val) in tags(v) {
                asg = asg.tags(Tag::builder().key(k).value(val).propagate_at_launch(true).build());
            }
            asg.send().await?;
        }
    }

    let rds = env.rds(REGION);
    rds.create_db_subnet_group()
        .db_subnet_group_name("webapp-db-subnets")
        .db_subnet_group_description("private subnets")
        .set_subnet_ids(Some(subnets[1..].to_vec()))
        .send()
        .await?;
    let mut db = rds
        .create_db_instance()
        .db_instance_identifier("webapp-db")
        .engine("postgres")
        .db_instance_class("db.t3.micro")
        .allocated_storage(20)
        .master_username("webapp")
        .master_user_password("not-a-real-password-1")
        .storage_encrypted(true)
        .publicly_accessible(false)
        .backup_retention_period(7)
        .db_subnet_group_name("webapp-db-subnets");
    for (k, val) in tags(v) {
        db = db.tags(aws_sdk_rds::types::Tag::builder().key(k).value(val).build());
    }
    db.send().await?;

    let mut secret = env
        .secretsmanager(REGION)
        .create_secret()
        .name("webapp-db-credentials")
        .secret_string(r#"{"username":"webapp","password":"not-a-real-password-1"}"#);
    for (k, val) in tags(v) {
        secret = secret.tags(aws_sdk_secretsmanager::types::Tag::builder().key(k).value(val).build());
    }
    secret.send().await?;

    if v == Variant::Compliant {
        let bucket = env.bucket("webapp-trail-logs");
        env.s3(REGION).create_bucket().bucket(&bucket).send().await?;
        super::allow_cloudtrail(env, REGION, &bucket, "webapp-trail").await?;
        let ct = env.cloudtrail(REGION);
        ct.create_trail().name("webapp-trail").s3_bucket_name(&bucket).is_multi_region_trail(true).send().await?;
        super::log_all_management_events(&ct, "webapp-trail").await?;
        ct.start_logging().name("webapp-trail").send().await?;
    }
    Ok(())
}
