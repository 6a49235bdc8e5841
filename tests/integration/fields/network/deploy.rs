//! Deployment helpers of the network field proofs: VPCs, subnets, route tables,
//! security groups and load balancer actions, made through the SDK as AWS
//! accepts them, and readers of a report's findings.

use super::REGION;
use crate::support::audit::{self, Audit};
use crate::support::Account;
use aws_sdk_ec2::types::{IpPermission, IpRange, ResourceType, Tag, TagSpecification};
use serde_json::{json, Value};

/// Name tag, plus `team = core` when `core`.
pub fn tagged(resource: ResourceType, name: &str, core: bool) -> TagSpecification {
    let mut t =
        TagSpecification::builder().resource_type(resource).tags(Tag::builder().key("Name").value(name).build());
    if core {
        t = t.tags(Tag::builder().key("team").value("core").build());
    }
    t.build()
}

pub fn ec2_arn(acct: &Account, what: &str, id: &str) -> String {
    format!("arn:aws:ec2:{REGION}:{}:{what}/{id}", acct.id)
}

pub async fn vpc(ec2: &aws_sdk_ec2::Client, cidr: &str, name: &str, core: bool, ipv6: bool) -> String {
    let v = ec2
        .create_vpc()
        .cidr_block(cidr)
        .amazon_provided_ipv6_cidr_block(ipv6)
        .tag_specifications(tagged(ResourceType::Vpc, name, core))
        .send()
        .await
        .unwrap();
    v.vpc().and_then(|v| v.vpc_id()).unwrap().to_string()
}

pub async fn subnet(ec2: &aws_sdk_ec2::Client, vpc: &str, cidr: &str, az: &str) -> String {
    let s = ec2.create_subnet().vpc_id(vpc).cidr_block(cidr).availability_zone(az).send().await.unwrap();
    s.subnet().and_then(|s| s.subnet_id()).unwrap().to_string()
}

/// A route table of `vpc`; with `igw`, a 0.0.0.0/0 route to it; with `subnet`,
/// explicitly associated with that subnet.
pub async fn table(
    ec2: &aws_sdk_ec2::Client,
    vpc: &str,
    name: &str,
    core: bool,
    igw: Option<&str>,
    subnet: Option<&str>,
) -> String {
    let t = ec2
        .create_route_table()
        .vpc_id(vpc)
        .tag_specifications(tagged(ResourceType::RouteTable, name, core))
        .send()
        .await
        .unwrap();
    let id = t.route_table().and_then(|t| t.route_table_id()).unwrap().to_string();
    if let Some(igw) = igw {
        ec2.create_route()
            .route_table_id(&id)
            .destination_cidr_block("0.0.0.0/0")
            .gateway_id(igw)
            .send()
            .await
            .unwrap();
    }
    if let Some(s) = subnet {
        ec2.associate_route_table().route_table_id(&id).subnet_id(s).send().await.unwrap();
    }
    id
}

pub async fn internet_gateway(ec2: &aws_sdk_ec2::Client, vpc: &str) -> String {
    let g = ec2.create_internet_gateway().send().await.unwrap();
    let id = g.internet_gateway().and_then(|g| g.internet_gateway_id()).unwrap().to_string();
    ec2.attach_internet_gateway().internet_gateway_id(&id).vpc_id(vpc).send().await.unwrap();
    id
}

/// A VPC with one public subnet (its own table routes 0.0.0.0/0 to an attached
/// internet gateway) and one private subnet (the main table, local route only).
/// Returns (vpc, public subnet, private subnet).
pub async fn two_sided_vpc(ec2: &aws_sdk_ec2::Client, cidr16: u8) -> (String, String, String) {
    let v = vpc(ec2, &format!("10.{cidr16}.0.0/16"), "sides", false, false).await;
    let public = subnet(ec2, &v, &format!("10.{cidr16}.1.0/24"), "us-east-1a").await;
    let private = subnet(ec2, &v, &format!("10.{cidr16}.2.0/24"), "us-east-1b").await;
    let igw = internet_gateway(ec2, &v).await;
    table(ec2, &v, "sides-public", false, Some(&igw), Some(&public)).await;
    (v, public, private)
}

/// Runs a hand-written profile.
pub fn run(acct: &Account, text: &str) -> Audit {
    let profile = audit::profile_file(text);
    audit::run(acct, &[profile.path()], &[])
}

/// The (field, ok, observed) of every check of a finding.
pub fn checks(a: &Audit, req: &str, res: Option<&str>) -> Vec<(String, Value, Value)> {
    a.finding(req, res)["checks"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|c| (c["field"].as_str().unwrap_or_default().to_string(), c["ok"].clone(), c["observed"].clone()))
        .collect()
}

pub fn check(field: &str, ok: bool, observed: Value) -> (String, Value, Value) {
    (field.to_string(), json!(ok), observed)
}

pub fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v
}

/// The main route table of a VPC (AWS marks its association `Main`).
pub async fn main_of(ec2: &aws_sdk_ec2::Client, vpc: &str) -> String {
    let tables = ec2
        .describe_route_tables()
        .filters(aws_sdk_ec2::types::Filter::builder().name("vpc-id").values(vpc).build())
        .send()
        .await
        .unwrap();
    let main: Vec<&str> = tables
        .route_tables()
        .iter()
        .filter(|t| t.associations().iter().any(|a| a.main() == Some(true)))
        .filter_map(|t| t.route_table_id())
        .collect();
    assert_eq!(main.len(), 1, "{vpc}: one main table");
    main[0].to_string()
}

/// A security group of `vpc` admitting each (port, CIDR) over TCP.
pub async fn group(ec2: &aws_sdk_ec2::Client, vpc: &str, name: &str, core: bool, rules: &[(i32, &str)]) -> String {
    let g = ec2
        .create_security_group()
        .group_name(name)
        .description("fields")
        .vpc_id(vpc)
        .tag_specifications(tagged(ResourceType::SecurityGroup, name, core))
        .send()
        .await
        .unwrap();
    let id = g.group_id().unwrap().to_string();
    for (port, cidr) in rules {
        let rule = IpPermission::builder()
            .ip_protocol("tcp")
            .from_port(*port)
            .to_port(*port)
            .ip_ranges(IpRange::builder().cidr_ip(*cidr).build())
            .build();
        ec2.authorize_security_group_ingress().group_id(&id).ip_permissions(rule).send().await.unwrap();
    }
    id
}

/// Two subnets in two zones of a VPC with an internet gateway: (vpc, subnets).
pub async fn lb_network(ec2: &aws_sdk_ec2::Client) -> (String, Vec<String>) {
    let (v, a, b) = two_sided_vpc(ec2, 8).await;
    (v, vec![a, b])
}

pub fn fixed_response() -> aws_sdk_elasticloadbalancingv2::types::Action {
    use aws_sdk_elasticloadbalancingv2::types::*;
    Action::builder()
        .r#type(ActionTypeEnum::FixedResponse)
        .fixed_response_config(FixedResponseActionConfig::builder().status_code("200").build())
        .build()
}

pub fn redirect_to_https() -> aws_sdk_elasticloadbalancingv2::types::Action {
    use aws_sdk_elasticloadbalancingv2::types::*;
    Action::builder()
        .r#type(ActionTypeEnum::Redirect)
        .redirect_config(
            RedirectActionConfig::builder()
                .protocol("HTTPS")
                .port("443")
                .status_code(RedirectActionStatusCodeEnum::Http301)
                .build(),
        )
        .build()
}

/// A DNS-validated certificate for `domain`, once ACM reports it ISSUED.
pub async fn issued_certificate(acct: &Account, domain: &str) -> String {
    let cert = acct
        .acm(REGION)
        .request_certificate()
        .domain_name(domain)
        .validation_method(aws_sdk_acm::types::ValidationMethod::Dns)
        .send()
        .await
        .unwrap();
    // AWS attaches only an issued certificate to an HTTPS listener: wait for DNS
    // validation (this emulator issues on the first read after about 10 s)
    let cert_arn = cert.certificate_arn().unwrap().to_string();
    let mut status = None;
    for _ in 0..30 {
        let d = acct.acm(REGION).describe_certificate().certificate_arn(&cert_arn).send().await.unwrap();
        status = d.certificate().and_then(|c| c.status()).cloned();
        if status == Some(aws_sdk_acm::types::CertificateStatus::Issued) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
    assert_eq!(status, Some(aws_sdk_acm::types::CertificateStatus::Issued));
    cert_arn
}
