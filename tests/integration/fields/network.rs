//! Every field of its kinds seen drifting on a resource that exists but is
//! misconfigured, next to one that passes, through the live collector.
//!
//! Each test deploys two resources in a fresh account: `<prefix>-core-us-east-1`
//! (tagged `team = core`, configured as asked) and `<prefix>-b` (untagged but for
//! its Name, misconfigured), so that `name_pattern = "<prefix>-{team}-{region}"`
//! and `required_tags = { team = "core" }` split them as every other field does.
//! Fields that choose candidates (route table `vpc` / `include_main`, listener
//! `protocol`) and the peering mesh are checked by custom audits with exact rows.

mod deploy;

use super::{fresh, Proof};
use crate::support::audit::row;
use aws_sdk_ec2::types::ResourceType;
use deploy::*;
use serde_json::json;

/// (kind, field, the test in this file that proves it both ways live).
pub const PROVEN: &[(&str, &str, &str)] = &[
    ("ec2.vpc", "public_subnets", "vpc_fields"),
    ("ec2.vpc", "private_subnets", "vpc_fields"),
    ("ec2.vpc", "ipv6", "vpc_fields"),
    ("ec2.vpc", "flow_logs", "vpc_fields"),
    ("ec2.vpc", "required_tags", "vpc_fields"),
    ("ec2.vpc", "name_pattern", "vpc_fields"),
    ("ec2.vpc_peering", "mesh", "vpc_peering_fields"),
    ("ec2.vpc_peering", "routes", "vpc_peering_fields"),
    ("ec2.route_table", "vpc", "route_table_fields"),
    ("ec2.route_table", "include_main", "route_table_fields"),
    ("ec2.route_table", "routes_to_internet", "route_table_fields"),
    ("ec2.route_table", "required_tags", "route_table_fields"),
    ("ec2.route_table", "name_pattern", "route_table_fields"),
    ("ec2.security_group", "restrict_ports", "security_group_fields"),
    ("ec2.security_group", "world_open_ports", "security_group_fields"),
    ("ec2.security_group", "required_tags", "security_group_fields"),
    ("ec2.security_group", "name_pattern", "security_group_fields"),
    ("ec2.instance", "instance_type", "instance_fields"),
    ("ec2.instance", "public_subnet", "instance_fields"),
    ("ec2.instance", "required_tags", "instance_fields"),
    ("ec2.instance", "name_pattern", "instance_fields"),
    ("autoscaling.group", "min_size", "autoscaling_group_fields"),
    ("autoscaling.group", "max_size", "autoscaling_group_fields"),
    ("autoscaling.group", "desired_capacity", "autoscaling_group_fields"),
    ("autoscaling.group", "launch_template", "autoscaling_group_fields"),
    ("autoscaling.group", "subnets", "autoscaling_group_fields"),
    ("autoscaling.group", "instance_types", "autoscaling_group_fields"),
    ("autoscaling.group", "required_tags", "autoscaling_group_fields"),
    ("autoscaling.group", "name_pattern", "autoscaling_group_fields"),
    ("elbv2.load_balancer", "type", "load_balancer_fields"),
    ("elbv2.load_balancer", "scheme", "load_balancer_fields"),
    ("elbv2.load_balancer", "listeners", "load_balancer_fields"),
    ("elbv2.load_balancer", "required_tags", "load_balancer_fields"),
    ("elbv2.load_balancer", "name_pattern", "load_balancer_fields"),
    ("elbv2.listener", "protocol", "listener_fields"),
    ("elbv2.listener", "tls_1_2_or_newer", "listener_fields"),
    ("elbv2.listener", "redirects_to_https", "listener_fields"),
    ("elbv2.listener", "name_pattern", "listener_fields"),
];

const REGION: &str = "us-east-1";
const AMI: &str = "ami-12c6146b";

#[tokio::test]
async fn vpc_fields() {
    let acct = fresh();
    let ec2 = acct.ec2(REGION);
    // the compliant VPC: dual stack, one public subnet, flow log, tagged
    let good = vpc(&ec2, "10.1.0.0/16", "net-core-us-east-1", true, true).await;
    let good_subnet = subnet(&ec2, &good, "10.1.1.0/24", "us-east-1a").await;
    let igw = internet_gateway(&ec2, &good).await;
    table(&ec2, &good, "net-public", false, Some(&igw), Some(&good_subnet)).await;
    let bucket = acct.bucket("flow");
    acct.s3(REGION).create_bucket().bucket(&bucket).send().await.unwrap();
    let flow = ec2
        .create_flow_logs()
        .resource_ids(&good)
        .resource_type(aws_sdk_ec2::types::FlowLogsResourceType::Vpc)
        .traffic_type(aws_sdk_ec2::types::TrafficType::All)
        .log_destination_type(aws_sdk_ec2::types::LogDestinationType::S3)
        .log_destination(format!("arn:aws:s3:::{bucket}"))
        .send()
        .await
        .unwrap();
    assert_eq!(flow.flow_log_ids().len(), 1, "{flow:?}");
    // the misconfigured one: IPv4 only, its one subnet private, no flow log
    let bad = vpc(&ec2, "10.2.0.0/16", "net-b", false, false).await;
    let bad_subnet = subnet(&ec2, &bad, "10.2.1.0/24", "us-east-1a").await;
    let (pass, drift) = (ec2_arn(&acct, "vpc", &good), ec2_arn(&acct, "vpc", &bad));
    // `flip`: the VPC with the public subnet is the misconfigured one
    let proof = |field, expect, flip: bool, observed| Proof {
        kind: "ec2.vpc",
        field,
        select: "{ name_prefix = \"net-\" }",
        expect,
        region: REGION,
        pass: if flip { &drift } else { &pass },
        drift: if flip { &pass } else { &drift },
        drift_observed: observed,
    };
    let a = proof("public_subnets", "public_subnets = 1", false, json!([])).check(&acct);
    assert_eq!(a.observed("r", Some(&pass), "public_subnets"), json!([good_subnet]));
    // the misconfigured side of `private_subnets` is the VPC whose one subnet is public
    let a = proof("private_subnets", "private_subnets = 1", true, json!([])).check(&acct);
    assert_eq!(a.observed("r", Some(&drift), "private_subnets"), json!([bad_subnet]));
    let a = proof("ipv6", "ipv6 = true", false, json!([])).check(&acct);
    let got = ec2.describe_vpcs().vpc_ids(&good).send().await.unwrap();
    let blocks: Vec<&str> = got
        .vpcs()
        .iter()
        .flat_map(|v| v.ipv6_cidr_block_association_set())
        .filter_map(|b| b.ipv6_cidr_block())
        .collect();
    assert_eq!(blocks.len(), 1, "{got:?}");
    assert_eq!(a.observed("r", Some(&pass), "ipv6"), json!(blocks));
    let a = proof("flow_logs", "flow_logs = true", false, json!([])).check(&acct);
    assert_eq!(a.observed("r", Some(&pass), "flow_logs"), json!(flow.flow_log_ids()));
    proof("required_tags", "required_tags = { team = \"core\" }", false, json!({"Name": "net-b"})).check(&acct);
    proof("name_pattern", "name_pattern = \"net-{team}-{region}\"", false, json!("net-b")).check(&acct);
}

#[tokio::test]
async fn vpc_peering_fields() {
    let acct = fresh();
    let ec2 = acct.ec2(REGION);
    let a = vpc(&ec2, "10.1.0.0/16", "mesh-a", false, false).await;
    let b = vpc(&ec2, "10.2.0.0/16", "mesh-b", false, false).await;
    let c = vpc(&ec2, "10.3.0.0/16", "mesh-c", false, false).await;
    let peer = |x: &str, y: &str| {
        let (ec2, x, y) = (ec2.clone(), x.to_string(), y.to_string());
        async move {
            let p = ec2.create_vpc_peering_connection().vpc_id(&x).peer_vpc_id(&y).send().await.unwrap();
            p.vpc_peering_connection().and_then(|p| p.vpc_peering_connection_id()).unwrap().to_string()
        }
    };
    // a-b active and routed both ways; a-c active, not routed; b-c requested, never accepted
    let ab = peer(&a, &b).await;
    let ac = peer(&a, &c).await;
    let bc = peer(&b, &c).await;
    for p in [&ab, &ac] {
        ec2.accept_vpc_peering_connection().vpc_peering_connection_id(p).send().await.unwrap();
    }
    let (main_a, main_b, main_c) = (main_of(&ec2, &a).await, main_of(&ec2, &b).await, main_of(&ec2, &c).await);
    for (t, cidr) in [(&main_a, "10.2.0.0/16"), (&main_b, "10.1.0.0/16")] {
        ec2.create_route()
            .route_table_id(t)
            .destination_cidr_block(cidr)
            .vpc_peering_connection_id(&ab)
            .send()
            .await
            .unwrap();
    }
    let node = |n: &str| format!("{{ region = \"{REGION}\", vpc = {{ name = \"mesh-{n}\" }} }}");
    let text = format!(
        "[profile]\nname = \"mesh\"\n\
         [[requirement]]\nid = \"mesh\"\nkind = \"ec2.vpc_peering\"\n[requirement.expect]\nmesh = [{}, {}, {}]\n\
         [[requirement]]\nid = \"routed\"\nkind = \"ec2.vpc_peering\"\n[requirement.expect]\nroutes = true\nmesh = [{}, {}]\n\
         [[requirement]]\nid = \"unrouted\"\nkind = \"ec2.vpc_peering\"\n[requirement.expect]\nroutes = true\nmesh = [{}, {}]\n",
        node("a"),
        node("b"),
        node("c"),
        node("a"),
        node("b"),
        node("a"),
        node("c"),
    );
    let audit = run(&acct, &text);
    audit.assert_code(1);
    let pair = |x: &str, y: &str| format!("{REGION}:mesh-{x} <-> {REGION}:mesh-{y}");
    assert_eq!(
        sorted(audit.rows()),
        sorted(vec![
            row("mesh", Some(&pair("a", "b")), "pass"),
            row("mesh", Some(&pair("a", "c")), "pass"),
            row("mesh", Some(&pair("b", "c")), "drift"),
            row("routed", Some(&pair("a", "b")), "pass"),
            row("unrouted", Some(&pair("a", "c")), "drift"),
        ])
    );
    // mesh: the pair joined only by a connection never accepted (AWS:
    // pending-acceptance until the accepter accepts)
    assert_eq!(
        checks(&audit, "mesh", Some(&pair("b", "c"))),
        [check("peering", false, json!(format!("{bc} pending-acceptance")))]
    );
    assert_eq!(checks(&audit, "mesh", Some(&pair("a", "b"))), [check("peering", true, json!(format!("{ab} active")))]);
    // routes: each side's main table sends the peer's CIDR through the connection
    assert_eq!(
        checks(&audit, "routed", Some(&pair("a", "b"))),
        [
            check("peering", true, json!(format!("{ab} active"))),
            check("routes.us-east-1", true, json!(format!("1 route table(s) route 10.2.0.0/16 via {ab}"))),
            check("routes.us-east-1", true, json!(format!("1 route table(s) route 10.1.0.0/16 via {ab}"))),
        ]
    );
    // a-c is active but neither main table routes the peer's CIDR through it
    assert_eq!(
        checks(&audit, "unrouted", Some(&pair("a", "c"))),
        [
            check("peering", true, json!(format!("{ac} active"))),
            check("routes.us-east-1", false, json!(format!("no active route to 10.3.0.0/16 via {ac} in {main_a}"))),
            check("routes.us-east-1", false, json!(format!("no active route to 10.1.0.0/16 via {ac} in {main_c}"))),
        ]
    );
    assert_eq!(audit.report["errors"], json!([]));
}

#[tokio::test]
async fn route_table_fields() {
    let acct = fresh();
    let ec2 = acct.ec2(REGION);
    let app = vpc(&ec2, "10.1.0.0/16", "app-vpc", false, false).await;
    let igw = internet_gateway(&ec2, &app).await;
    let good = table(&ec2, &app, "rt-core-us-east-1", true, Some(&igw), None).await;
    let bad = table(&ec2, &app, "rt-b", false, None, None).await;
    let (pass, drift) = (ec2_arn(&acct, "route-table", &good), ec2_arn(&acct, "route-table", &bad));
    let proof = |field, expect, observed| Proof {
        kind: "ec2.route_table",
        field,
        select: "{ name_prefix = \"rt-\" }",
        expect,
        region: REGION,
        pass: &pass,
        drift: &drift,
        drift_observed: observed,
    };
    let a = proof("routes_to_internet", "routes_to_internet = true", json!([])).check(&acct);
    assert_eq!(a.observed("r", Some(&pass), "routes_to_internet"), json!(["0.0.0.0/0"]));
    proof("required_tags", "required_tags = { team = \"core\" }", json!({"Name": "rt-b"})).check(&acct);
    proof("name_pattern", "name_pattern = \"rt-{team}-{region}\"", json!("rt-b")).check(&acct);

    // the choosing fields: a table of another VPC is no candidate for `vpc`, and
    // the VPC's main table (untagged, named by its id) is one only with
    // `include_main = true`
    let other = vpc(&ec2, "10.2.0.0/16", "other-vpc", false, false).await;
    table(&ec2, &other, "rt-elsewhere", true, None, None).await;
    let main = main_of(&ec2, &app).await;
    let text = format!(
        "[profile]\nname = \"choose\"\nregions = [\"{REGION}\"]\n\
         [[requirement]]\nid = \"in-app\"\nkind = \"ec2.route_table\"\nselect = {{ name = \"rt-core-us-east-1\" }}\nmin_count = 1\n[requirement.expect]\nvpc = \"app-*\"\n\
         [[requirement]]\nid = \"not-in-app\"\nkind = \"ec2.route_table\"\nselect = {{ name = \"rt-elsewhere\" }}\nmin_count = 1\n[requirement.expect]\nvpc = \"app-*\"\n\
         [[requirement]]\nid = \"main\"\nkind = \"ec2.route_table\"\nselect = {{ name = \"{main}\" }}\nmin_count = 1\n[requirement.expect]\ninclude_main = true\n\
         [[requirement]]\nid = \"no-main\"\nkind = \"ec2.route_table\"\nselect = {{ name = \"{main}\" }}\nmin_count = 1\n[requirement.expect]\ninclude_main = false\n"
    );
    let a = run(&acct, &text);
    a.assert_code(1);
    let main_arn = ec2_arn(&acct, "route-table", &main);
    assert_eq!(
        sorted(a.rows()),
        sorted(vec![
            row("in-app", Some(&pass), "pass"),
            row("not-in-app", None, "drift"),
            row("main", Some(&main_arn), "pass"),
            row("no-main", None, "drift"),
        ])
    );
    assert_eq!(checks(&a, "in-app", Some(&pass)), [check("vpc", true, json!("app-vpc"))]);
    assert_eq!(checks(&a, "not-in-app", None), [check("count", false, json!(0))]);
    assert_eq!(checks(&a, "main", Some(&main_arn)), []);
    assert_eq!(checks(&a, "no-main", None), [check("count", false, json!(0))]);
    assert_eq!(a.report["errors"], json!([]));
}

#[tokio::test]
async fn security_group_fields() {
    let acct = fresh();
    let ec2 = acct.ec2(REGION);
    let v = vpc(&ec2, "10.1.0.0/16", "sg-vpc", false, false).await;
    // HTTPS from anywhere, SSH from inside; the other opens SSH to the world
    let good = group(&ec2, &v, "web-core-us-east-1", true, &[(443, "0.0.0.0/0"), (22, "10.1.0.0/16")]).await;
    let bad = group(&ec2, &v, "web-b", false, &[(443, "0.0.0.0/0"), (22, "0.0.0.0/0")]).await;
    let (pass, drift) = (ec2_arn(&acct, "security-group", &good), ec2_arn(&acct, "security-group", &bad));
    let proof = |field, expect, observed| Proof {
        kind: "ec2.security_group",
        field,
        select: "{ name_prefix = \"web-\" }",
        expect,
        region: REGION,
        pass: &pass,
        drift: &drift,
        drift_observed: observed,
    };
    let a = proof("restrict_ports", "restrict_ports = { \"22\" = [\"10.0.0.0/8\"] }", json!(["tcp/22 from 0.0.0.0/0"]))
        .check(&acct);
    assert_eq!(a.observed("r", Some(&pass), "restrict_ports"), json!([]));
    proof("world_open_ports", "world_open_ports = [\"443\"]", json!(["tcp/22 from 0.0.0.0/0"])).check(&acct);
    proof("required_tags", "required_tags = { team = \"core\" }", json!({"Name": "web-b"})).check(&acct);
    proof("name_pattern", "name_pattern = \"web-{team}-{region}\"", json!("web-b")).check(&acct);
}

#[tokio::test]
async fn instance_fields() {
    let acct = fresh();
    let ec2 = acct.ec2(REGION);
    let (_, public, private) = two_sided_vpc(&ec2, 1).await;
    let launch = |name: &'static str, core: bool, ty: &'static str, subnet: String| {
        let ec2 = ec2.clone();
        async move {
            let r = ec2
                .run_instances()
                .image_id(AMI)
                .instance_type(aws_sdk_ec2::types::InstanceType::from(ty))
                .min_count(1)
                .max_count(1)
                .subnet_id(subnet)
                .tag_specifications(tagged(ResourceType::Instance, name, core))
                .send()
                .await
                .unwrap();
            r.instances().first().and_then(|i| i.instance_id()).unwrap().to_string()
        }
    };
    let good = launch("vm-core-us-east-1", true, "t3.micro", public.clone()).await;
    let bad = launch("vm-b", false, "t3.large", private.clone()).await;
    let (pass, drift) = (ec2_arn(&acct, "instance", &good), ec2_arn(&acct, "instance", &bad));
    let proof = |field, expect, observed| Proof {
        kind: "ec2.instance",
        field,
        select: "{ name_prefix = \"vm-\" }",
        expect,
        region: REGION,
        pass: &pass,
        drift: &drift,
        drift_observed: observed,
    };
    proof("instance_type", "instance_type = \"t3.micro\"", json!("t3.large")).check(&acct);
    let a = proof("public_subnet", "public_subnet = true", json!({"subnet": private, "public": false})).check(&acct);
    assert_eq!(a.observed("r", Some(&pass), "public_subnet"), json!({"subnet": public, "public": true}));
    proof("required_tags", "required_tags = { team = \"core\" }", json!({"Name": "vm-b"})).check(&acct);
    proof("name_pattern", "name_pattern = \"vm-{team}-{region}\"", json!("vm-b")).check(&acct);
}

#[tokio::test]
async fn autoscaling_group_fields() {
    use aws_sdk_autoscaling::types::{
        LaunchTemplate, LaunchTemplateOverrides, LaunchTemplateSpecification, MixedInstancesPolicy,
    };
    let acct = fresh();
    let ec2 = acct.ec2(REGION);
    let asg = acct.autoscaling(REGION);
    let (_, s1, s2) = two_sided_vpc(&ec2, 1).await;
    let data = aws_sdk_ec2::types::RequestLaunchTemplateData::builder()
        .image_id(AMI)
        .instance_type(aws_sdk_ec2::types::InstanceType::T3Micro)
        .build();
    let lt =
        ec2.create_launch_template().launch_template_name("fields-lt").launch_template_data(data).send().await.unwrap();
    let lt = lt.launch_template().and_then(|t| t.launch_template_id()).unwrap().to_string();
    asg.create_launch_configuration()
        .launch_configuration_name("fields-lc")
        .image_id(AMI)
        .instance_type("t3.micro")
        .send()
        .await
        .unwrap();
    // two subnets, a mixed policy of two types over the template, 2..4
    let mixed = MixedInstancesPolicy::builder()
        .launch_template(
            LaunchTemplate::builder()
                .launch_template_specification(
                    LaunchTemplateSpecification::builder().launch_template_name("fields-lt").version("$Latest").build(),
                )
                .overrides(LaunchTemplateOverrides::builder().instance_type("t3.micro").build())
                .overrides(LaunchTemplateOverrides::builder().instance_type("t3.small").build())
                .build(),
        )
        .build();
    let team = aws_sdk_autoscaling::types::Tag::builder().key("team").value("core").propagate_at_launch(false).build();
    asg.create_auto_scaling_group()
        .auto_scaling_group_name("asg-core-us-east-1")
        .mixed_instances_policy(mixed)
        .min_size(2)
        .max_size(4)
        .desired_capacity(2)
        .vpc_zone_identifier(format!("{s1},{s2}"))
        .tags(team)
        .send()
        .await
        .unwrap();
    // one subnet, a launch configuration, 1..10
    asg.create_auto_scaling_group()
        .auto_scaling_group_name("asg-b")
        .launch_configuration_name("fields-lc")
        .min_size(1)
        .max_size(10)
        .desired_capacity(1)
        .vpc_zone_identifier(s1.clone())
        .send()
        .await
        .unwrap();
    let groups = asg.describe_auto_scaling_groups().send().await.unwrap();
    let arn = |name: &str| {
        let g = groups.auto_scaling_groups().iter().find(|g| g.auto_scaling_group_name() == Some(name));
        g.and_then(|g| g.auto_scaling_group_arn()).unwrap().to_string()
    };
    let (pass, drift) = (arn("asg-core-us-east-1"), arn("asg-b"));
    let proof = |field, expect, observed| Proof {
        kind: "autoscaling.group",
        field,
        select: "{ name_prefix = \"asg-\" }",
        expect,
        region: REGION,
        pass: &pass,
        drift: &drift,
        drift_observed: observed,
    };
    proof("min_size", "min_size = { at_least = 2 }", json!(1)).check(&acct);
    proof("max_size", "max_size = { at_most = 4 }", json!(10)).check(&acct);
    proof("desired_capacity", "desired_capacity = { at_least = 2 }", json!(1)).check(&acct);
    let a = proof("launch_template", "launch_template = true", json!("launch configuration fields-lc")).check(&acct);
    // DescribeAutoScalingGroups names the template by LaunchTemplateId (and name)
    assert_eq!(a.observed("r", Some(&pass), "launch_template"), json!(format!("launch template {lt}")));
    let a = proof("subnets", "subnets = { at_least = 2 }", json!([s1])).check(&acct);
    assert_eq!(a.observed("r", Some(&pass), "subnets"), json!([s1, s2]));
    let a = proof("instance_types", "instance_types = { at_least = 2 }", json!([])).check(&acct);
    assert_eq!(a.observed("r", Some(&pass), "instance_types"), json!(["t3.micro", "t3.small"]));
    proof("required_tags", "required_tags = { team = \"core\" }", json!({})).check(&acct);
    proof("name_pattern", "name_pattern = \"asg-{team}-{region}\"", json!("asg-b")).check(&acct);
}

#[tokio::test]
async fn load_balancer_fields() {
    use aws_sdk_elasticloadbalancingv2::types::*;
    let acct = fresh();
    let ec2 = acct.ec2(REGION);
    let elb = acct.elbv2(REGION);
    let (v, subnets) = lb_network(&ec2).await;
    // an internet-facing ALB with HTTP:80, tagged; an internal NLB with TCP:80
    let good = elb
        .create_load_balancer()
        .name("lb-core-us-east-1")
        .set_subnets(Some(subnets.clone()))
        .r#type(LoadBalancerTypeEnum::Application)
        .scheme(LoadBalancerSchemeEnum::InternetFacing)
        .tags(Tag::builder().key("team").value("core").build())
        .send()
        .await
        .unwrap();
    let good = good.load_balancers().first().and_then(|l| l.load_balancer_arn()).unwrap().to_string();
    elb.create_listener()
        .load_balancer_arn(&good)
        .protocol(ProtocolEnum::Http)
        .port(80)
        .default_actions(redirect_to_https())
        .send()
        .await
        .unwrap();
    let bad = elb
        .create_load_balancer()
        .name("lb-b")
        .set_subnets(Some(subnets))
        .r#type(LoadBalancerTypeEnum::Network)
        .scheme(LoadBalancerSchemeEnum::Internal)
        .send()
        .await
        .unwrap();
    let bad = bad.load_balancers().first().and_then(|l| l.load_balancer_arn()).unwrap().to_string();
    let tg = elb
        .create_target_group()
        .name("lb-b-tcp")
        .protocol(ProtocolEnum::Tcp)
        .port(80)
        .vpc_id(&v)
        .target_type(TargetTypeEnum::Instance)
        .send()
        .await
        .unwrap();
    let tg = tg.target_groups().first().and_then(|t| t.target_group_arn()).unwrap().to_string();
    elb.create_listener()
        .load_balancer_arn(&bad)
        .protocol(ProtocolEnum::Tcp)
        .port(80)
        .default_actions(Action::builder().r#type(ActionTypeEnum::Forward).target_group_arn(tg).build())
        .send()
        .await
        .unwrap();
    let proof = |field, expect, observed| Proof {
        kind: "elbv2.load_balancer",
        field,
        select: "{ name_prefix = \"lb-\" }",
        expect,
        region: REGION,
        pass: &good,
        drift: &bad,
        drift_observed: observed,
    };
    proof("type", "type = \"application\"", json!("network")).check(&acct);
    proof("scheme", "scheme = \"internet-facing\"", json!("internal")).check(&acct);
    let a = proof("listeners", "listeners = [\"HTTP:80\"]", json!(["TCP:80"])).check(&acct);
    assert_eq!(a.observed("r", Some(&good), "listeners"), json!(["HTTP:80"]));
    proof("required_tags", "required_tags = { team = \"core\" }", json!({})).check(&acct);
    proof("name_pattern", "name_pattern = \"lb-{team}-{region}\"", json!("lb-b")).check(&acct);
}

#[tokio::test]
async fn listener_fields() {
    use aws_sdk_elasticloadbalancingv2::types::*;
    let acct = fresh();
    let ec2 = acct.ec2(REGION);
    let elb = acct.elbv2(REGION);
    let (_, subnets) = lb_network(&ec2).await;
    let lb = elb
        .create_load_balancer()
        .name("edge")
        .set_subnets(Some(subnets))
        .r#type(LoadBalancerTypeEnum::Application)
        .scheme(LoadBalancerSchemeEnum::InternetFacing)
        .send()
        .await
        .unwrap();
    let lb = lb.load_balancers().first().and_then(|l| l.load_balancer_arn()).unwrap().to_string();
    let cert_arn = issued_certificate(&acct, "edge.fields.example").await;
    let mut arn = std::collections::BTreeMap::new();
    // 443: TLS 1.2 and 1.3 only; 8443: a TLS 1.3 policy that also accepts 1.0 and 1.1
    for (port, policy) in [(443, "ELBSecurityPolicy-TLS13-1-2-2021-06"), (8443, "ELBSecurityPolicy-TLS13-1-0-2021-06")]
    {
        let l = elb
            .create_listener()
            .load_balancer_arn(&lb)
            .protocol(ProtocolEnum::Https)
            .port(port)
            .ssl_policy(policy)
            .certificates(Certificate::builder().certificate_arn(&cert_arn).build())
            .default_actions(fixed_response())
            .send()
            .await
            .unwrap();
        arn.insert(port, l.listeners().first().and_then(|l| l.listener_arn()).unwrap().to_string());
    }
    // 80 only redirects to HTTPS; 8080 answers in plain HTTP
    for (port, action) in [(80, redirect_to_https()), (8080, fixed_response())] {
        let l = elb
            .create_listener()
            .load_balancer_arn(&lb)
            .protocol(ProtocolEnum::Http)
            .port(port)
            .default_actions(action)
            .send()
            .await
            .unwrap();
        arn.insert(port, l.listeners().first().and_then(|l| l.listener_arn()).unwrap().to_string());
    }
    let proof = |field, select, expect, pass: i32, drift: i32, observed| Proof {
        kind: "elbv2.listener",
        field,
        select,
        expect,
        region: REGION,
        pass: &arn[&pass],
        drift: &arn[&drift],
        drift_observed: observed,
    };
    // the ALB guide's protocols of each predefined policy
    let a = proof(
        "tls_1_2_or_newer",
        "{ name_glob = \"edge:*443\" }",
        "tls_1_2_or_newer = true",
        443,
        8443,
        json!({"policy": "ELBSecurityPolicy-TLS13-1-0-2021-06", "protocols": ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"]}),
    )
    .check(&acct);
    assert_eq!(
        a.observed("r", Some(&arn[&443]), "tls_1_2_or_newer"),
        json!({"policy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "protocols": ["TLSv1.2", "TLSv1.3"]})
    );
    let a = proof(
        "redirects_to_https",
        "{ name_glob = \"edge:*80\" }",
        "redirects_to_https = true",
        80,
        8080,
        json!({"actions": ["fixed-response"], "redirect_protocol": null}),
    )
    .check(&acct);
    assert_eq!(
        a.observed("r", Some(&arn[&80]), "redirects_to_https"),
        json!({"actions": ["redirect"], "redirect_protocol": "HTTPS"})
    );
    // a placeholder stands for one or more characters: "edge:80" has none after 80
    proof("name_pattern", "{ name_glob = \"edge:*80\" }", "name_pattern = \"edge:80{n}\"", 8080, 80, json!("edge:80"))
        .check(&acct);

    // `protocol` chooses the candidates: the plain-HTTP listener is none for HTTPS
    let text = format!(
        "[profile]\nname = \"protocol\"\nregions = [\"{REGION}\"]\n\
         [[requirement]]\nid = \"https\"\nkind = \"elbv2.listener\"\nmatch = \"any\"\nselect = {{ name = \"edge:443\" }}\n[requirement.expect]\nprotocol = \"HTTPS\"\n\
         [[requirement]]\nid = \"plain\"\nkind = \"elbv2.listener\"\nmatch = \"any\"\nselect = {{ name = \"edge:8080\" }}\n[requirement.expect]\nprotocol = \"HTTPS\"\n"
    );
    let a = run(&acct, &text);
    a.assert_code(1);
    assert_eq!(a.rows(), [row("https", Some(&arn[&443]), "pass"), row("plain", None, "drift")]);
    assert_eq!(checks(&a, "https", Some(&arn[&443])), [check("protocol", true, json!("HTTPS"))]);
    assert_eq!(checks(&a, "plain", None), [check("count", false, json!(0))]);
    assert_eq!(a.report["errors"], json!([]));
}
