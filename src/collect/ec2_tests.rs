//! EC2 collectors over recorded answers, evaluated end to end. Every body follows
//! the EC2 API reference's response shapes (query protocol, XML, `item` lists).
//! The blackhole-route cases exist only here: LocalStack reports every route as
//! `active`, even after its internet gateway is detached and deleted, where AWS
//! says `blackhole`.

use super::*;
use crate::collect::fake::{ctx_with, recording_ctx, Request};
use crate::collect::Regional;
use crate::compare::{evaluate, Finding, Status};
use crate::inventory::Inventory;
use crate::kinds::tests::{observed, req, statuses};
use serde_json::json;

const NS: &str = "http://ec2.amazonaws.com/doc/2016-11-15/";

/// An EC2 answer: `<{op}Response>` with a request id around `inner`.
fn answer(op: &str, inner: &str) -> (u16, String) {
    (200, format!("<{op}Response xmlns=\"{NS}\"><requestId>4f1c0e2a-0000-4000-8000-000000000001</requestId>{inner}</{op}Response>"))
}

fn ec2_error(status: u16, code: &str) -> (u16, String) {
    (
        status,
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>{code}</Code><Message>{code} here</Message></Error></Errors><RequestID>4f1c0e2a-0000-4000-8000-000000000002</RequestID></Response>"),
    )
}

/// One ingress permission of `tcp/{port}` from the given prefix lists.
fn from_lists(port: u16, lists: &[&str]) -> String {
    let items: String = lists
        .iter()
        .map(|l| format!("<item><prefixListId>{l}</prefixListId><description>src</description></item>"))
        .collect();
    format!("<item><ipProtocol>tcp</ipProtocol><fromPort>{port}</fromPort><toPort>{port}</toPort><groups/><ipRanges/><ipv6Ranges/><prefixListIds>{items}</prefixListIds></item>")
}

fn group(id: &str, permissions: &str) -> String {
    format!("<item><ownerId>111122223333</ownerId><groupId>{id}</groupId><groupName>{id}</groupName><groupDescription>test</groupDescription><vpcId>vpc-1</vpcId><ipPermissions>{permissions}</ipPermissions><ipPermissionsEgress/><tagSet/></item>")
}

fn entries(cidrs: &[&str], next: Option<&str>) -> String {
    let items: String =
        cidrs.iter().map(|c| format!("<item><cidr>{c}</cidr><description>e</description></item>")).collect();
    let next = next.map(|t| format!("<nextToken>{t}</nextToken>")).unwrap_or_default();
    format!("<entrySet>{items}</entrySet>{next}")
}

fn list_id(r: &Request) -> &str {
    r.body.split('&').find_map(|kv| kv.strip_prefix("PrefixListId=")).unwrap_or("")
}

/// Collects security groups in us-east-1 (us-west-2 holds none) and evaluates `body`.
async fn sg_findings(ctx: &crate::aws::Ctx, body: &str) -> (Inventory, Vec<Finding>) {
    let r = req("ec2.security_group", body);
    let need = Regional { regions: ["us-east-1".to_string()].into(), ..Default::default() };
    let mut groups = security_groups(ctx, &need).await;
    groups.insert("us-west-2".into(), Observed::Known(vec![]));
    let inv = Inventory { security_groups: groups, ..Default::default() };
    let f = evaluate(&[r], &inv);
    (inv, f)
}

const SSH_RULES: &str =
    "[requirement.expect]\nrestrict_ports = { \"22\" = [\"10.0.0.0/8\"] }\nworld_open_ports = [\"443\"]";

#[tokio::test]
async fn prefix_list_holding_the_world_drifts_and_a_private_one_passes() {
    let (ctx, seen) = recording_ctx(|r| match r.op.as_str() {
        "DescribeSecurityGroups" => answer(
            "DescribeSecurityGroups",
            &format!(
                "<securityGroupInfo>{}{}{}</securityGroupInfo>",
                group("sg-world", &from_lists(22, &["pl-world"])),
                group("sg-private", &from_lists(22, &["pl-private"])),
                group("sg-shared", &from_lists(22, &["pl-private"])),
            ),
        ),
        // the world list answers in two pages: the second holds 0.0.0.0/0
        "GetManagedPrefixListEntries" => match (list_id(r), r.body.contains("NextToken=page2")) {
            ("pl-world", false) => answer("GetManagedPrefixListEntries", &entries(&["10.2.0.0/16"], Some("page2"))),
            ("pl-world", true) => answer("GetManagedPrefixListEntries", &entries(&["0.0.0.0/0"], None)),
            ("pl-private", _) => answer("GetManagedPrefixListEntries", &entries(&["10.0.0.0/16", "10.1.0.0/16"], None)),
            _ => ec2_error(400, "InvalidPrefixListID.NotFound"),
        },
        _ => ec2_error(400, "InvalidAction"),
    });
    let (_, f) = sg_findings(&ctx, SSH_RULES).await;
    assert_eq!(
        statuses(&f),
        [
            (Some("arn:aws:ec2:us-east-1:111122223333:security-group/sg-private"), Status::Pass),
            (Some("arn:aws:ec2:us-east-1:111122223333:security-group/sg-shared"), Status::Pass),
            (Some("arn:aws:ec2:us-east-1:111122223333:security-group/sg-world"), Status::Drift),
        ]
    );
    let open = json!(["tcp/22 from 0.0.0.0/0 (prefix list pl-world)"]);
    assert_eq!(observed(&f[2], "world_open_ports"), &open);
    assert_eq!(observed(&f[2], "restrict_ports"), &open);
    assert_eq!(observed(&f[0], "restrict_ports"), &json!([]));
    // each distinct list once per region, the world list to its last page
    let mut calls: Vec<String> = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|r| r.op == "GetManagedPrefixListEntries")
        .map(|r| format!("{}{}", list_id(r), if r.body.contains("NextToken=") { "+next" } else { "" }))
        .collect();
    calls.sort();
    assert_eq!(calls, ["pl-private", "pl-world", "pl-world+next"]);
    assert!(ctx.errors.lock().unwrap().is_empty());
}

#[tokio::test]
async fn unreadable_prefix_list_is_that_groups_unknown() {
    let ctx = ctx_with(|r| {
        match r.op.as_str() {
        "DescribeSecurityGroups" => answer(
            "DescribeSecurityGroups",
            &format!(
                "<securityGroupInfo>{}{}{}</securityGroupInfo>",
                group("sg-denied", &from_lists(22, &["pl-denied"])),
                // the same unreadable list on the one port allowed to the world cannot offend
                group("sg-https", &from_lists(443, &["pl-denied"])),
                group("sg-plain", "<item><ipProtocol>tcp</ipProtocol><fromPort>22</fromPort><toPort>22</toPort><groups/><ipRanges><item><cidrIp>10.0.0.0/16</cidrIp></item></ipRanges><ipv6Ranges/><prefixListIds/></item>"),
            ),
        ),
        "GetManagedPrefixListEntries" => ec2_error(403, "UnauthorizedOperation"),
        _ => ec2_error(400, "InvalidAction"),
    }
    });
    let body = "[requirement.expect]\nworld_open_ports = [\"443\"]\nrestrict_ports = { \"22\" = [\"10.0.0.0/8\"] }";
    let (inv, f) = sg_findings(&ctx, body).await;
    assert_eq!(
        statuses(&f),
        [
            (Some("arn:aws:ec2:us-east-1:111122223333:security-group/sg-denied"), Status::Unknown),
            (Some("arn:aws:ec2:us-east-1:111122223333:security-group/sg-https"), Status::Pass),
            (Some("arn:aws:ec2:us-east-1:111122223333:security-group/sg-plain"), Status::Pass),
        ]
    );
    let checks: Vec<(&str, Option<bool>, Option<&str>)> =
        f[0].checks.iter().map(|c| (c.field.as_ref(), c.ok, c.error.as_deref())).collect();
    let err = Some("ec2:GetManagedPrefixListEntries in us-east-1 failed with UnauthorizedOperation");
    assert_eq!(checks, [("restrict_ports", None, err), ("world_open_ports", None, err)]);
    // the listing itself stands; the gap names the list
    let groups = inv.security_groups["us-east-1"].known().expect("listing known");
    let gap = groups[0].ingress[0].prefix_lists[0].entries.gap().expect("entries unknown");
    assert_eq!(gap.resource.as_deref(), Some("pl-denied"));
    // one read of the list for both groups, one error recorded
    assert_eq!(ctx.errors.lock().unwrap().len(), 1);
}

// ---- VPCs, subnets, route tables -----------------------------------------------

fn vpc_item(id: &str, name: &str, cidr: &str, ipv6: &[(&str, &str)]) -> String {
    let v6: String = ipv6
        .iter()
        .map(|(c, s)| format!("<item><ipv6CidrBlock>{c}</ipv6CidrBlock><associationId>vpc-cidr-assoc-{s}</associationId><ipv6CidrBlockState><state>{s}</state></ipv6CidrBlockState><networkBorderGroup>us-east-1</networkBorderGroup></item>"))
        .collect();
    format!("<item><vpcId>{id}</vpcId><ownerId>111122223333</ownerId><state>available</state><cidrBlock>{cidr}</cidrBlock><cidrBlockAssociationSet><item><cidrBlock>{cidr}</cidrBlock><associationId>vpc-cidr-assoc-1</associationId><cidrBlockState><state>associated</state></cidrBlockState></item><item><cidrBlock>10.9.0.0/16</cidrBlock><associationId>vpc-cidr-assoc-2</associationId><cidrBlockState><state>disassociated</state></cidrBlockState></item></cidrBlockAssociationSet><ipv6CidrBlockAssociationSet>{v6}</ipv6CidrBlockAssociationSet><isDefault>false</isDefault><tagSet><item><key>Name</key><value>{name}</value></item></tagSet></item>")
}

fn route(dest: &str, target: &str, state: &str) -> String {
    let target = if target.starts_with("pcx-") {
        format!("<vpcPeeringConnectionId>{target}</vpcPeeringConnectionId>")
    } else {
        format!("<gatewayId>{target}</gatewayId>")
    };
    format!("<item><destinationCidrBlock>{dest}</destinationCidrBlock>{target}<state>{state}</state><origin>CreateRoute</origin></item>")
}

fn table_item(id: &str, vpc: &str, main: bool, subnet: Option<&str>, routes: &[String]) -> String {
    let assoc = match subnet {
        Some(s) => format!("<subnetId>{s}</subnetId>"),
        None => String::new(),
    };
    format!("<item><routeTableId>{id}</routeTableId><vpcId>{vpc}</vpcId><ownerId>111122223333</ownerId><routeSet>{}</routeSet><associationSet><item><routeTableAssociationId>rtbassoc-{id}</routeTableAssociationId><routeTableId>{id}</routeTableId>{assoc}<main>{main}</main><associationState><state>associated</state></associationState></item></associationSet><propagatingVgwSet/><tagSet/></item>", routes.concat())
}

fn subnet_item(id: &str, vpc: &str) -> String {
    format!("<item><subnetId>{id}</subnetId><state>available</state><vpcId>{vpc}</vpcId><cidrBlock>10.0.1.0/24</cidrBlock><ipv6CidrBlockAssociationSet><item><ipv6CidrBlock>2600:1f18:1:1::/64</ipv6CidrBlock><associationId>subnet-cidr-assoc-1</associationId><ipv6CidrBlockState><state>disassociating</state></ipv6CidrBlockState></item></ipv6CidrBlockAssociationSet><availabilityZone>us-east-1a</availabilityZone><tagSet/></item>")
}

fn peering_side(vpc: &str, cidr: &str) -> String {
    format!(
        "<ownerId>111122223333</ownerId><vpcId>{vpc}</vpcId><cidrBlock>{cidr}</cidrBlock><region>us-east-1</region>"
    )
}

/// A region whose VPC `vpc-a` has a disassociated IPv6 block and a subnet routed to
/// its internet gateway by a `blackhole` route, `vpc-b` an associated IPv6 block,
/// and `vpc-a` routes `vpc-b`'s CIDR to their peering connection by a `blackhole` route.
fn network_answers(r: &Request) -> (u16, String) {
    match r.op.as_str() {
        "DescribeVpcs" => answer(
            "DescribeVpcs",
            &format!(
                "<vpcSet>{}{}{}</vpcSet>",
                vpc_item("vpc-a", "a", "10.0.0.0/16", &[("2600:1f18:1::/56", "disassociated")]),
                vpc_item("vpc-b", "b", "10.2.0.0/16", &[("2600:1f18:2::/56", "associated")]),
                vpc_item("vpc-c", "c", "10.3.0.0/16", &[("2600:1f18:3::/56", "failed"), ("2600:1f18:4::/56", "associating")]),
            ),
        ),
        "DescribeSubnets" => answer("DescribeSubnets", &format!("<subnetSet>{}</subnetSet>", subnet_item("subnet-a", "vpc-a"))),
        "DescribeRouteTables" => answer(
            "DescribeRouteTables",
            &format!(
                "<routeTableSet>{}{}{}</routeTableSet>",
                table_item("rtb-main-a", "vpc-a", true, None, &[route("10.0.0.0/16", "local", "active")]),
                table_item(
                    "rtb-pub-a",
                    "vpc-a",
                    false,
                    Some("subnet-a"),
                    &[
                        route("10.0.0.0/16", "local", "active"),
                        route("0.0.0.0/0", "igw-0d1e", "blackhole"),
                        route("10.2.0.0/16", "pcx-ab", "blackhole"),
                    ]
                ),
                table_item("rtb-main-b", "vpc-b", true, None, &[route("10.0.0.0/16", "pcx-ab", "active")]),
            ),
        ),
        "DescribeVpcPeeringConnections" => answer(
            "DescribeVpcPeeringConnections",
            &format!(
                "<vpcPeeringConnectionSet><item><vpcPeeringConnectionId>pcx-ab</vpcPeeringConnectionId><requesterVpcInfo>{}</requesterVpcInfo><accepterVpcInfo>{}</accepterVpcInfo><status><code>active</code><message>Active</message></status><tagSet/></item></vpcPeeringConnectionSet>",
                peering_side("vpc-a", "10.0.0.0/16"),
                peering_side("vpc-b", "10.2.0.0/16"),
            ),
        ),
        "DescribeFlowLogs" => answer("DescribeFlowLogs", "<flowLogSet/>"),
        _ => ec2_error(400, "InvalidAction"),
    }
}

async fn network_inventory(ctx: &crate::aws::Ctx) -> Inventory {
    let mut networks = collect(ctx, &["us-east-1".to_string()].into(), true, false).await;
    let empty = Network {
        vpcs: Observed::Known(vec![]),
        peerings: Observed::Known(vec![]),
        route_tables: Observed::Known(vec![]),
        subnets: Observed::Known(vec![]),
        flow_logs: Observed::Known(vec![]),
    };
    networks.insert("us-west-2".into(), empty);
    Inventory { networks, ..Default::default() }
}

#[tokio::test]
async fn only_associated_blocks_count_and_states_are_kept() {
    let ctx = ctx_with(network_answers);
    let inv = network_inventory(&ctx).await;
    let net = &inv.networks["us-east-1"];
    let vpcs = net.vpcs.known().expect("vpcs");
    // the disassociated secondary IPv4 block is not one of the VPC's CIDRs
    assert_eq!(vpcs[0].cidrs, ["10.0.0.0/16"]);
    let subnet = &net.subnets.known().expect("subnets")[0];
    assert_eq!(subnet.ipv6_cidrs[0].label(), "2600:1f18:1:1::/64 (disassociating)");
    let f = evaluate(&[req("ec2.vpc", "[requirement.expect]\nipv6 = true")], &inv);
    assert_eq!(
        statuses(&f),
        [
            (Some("arn:aws:ec2:us-east-1:111122223333:vpc/vpc-a"), Status::Drift),
            (Some("arn:aws:ec2:us-east-1:111122223333:vpc/vpc-b"), Status::Pass),
            (Some("arn:aws:ec2:us-east-1:111122223333:vpc/vpc-c"), Status::Drift),
        ]
    );
    assert_eq!(observed(&f[0], "ipv6"), &json!(["2600:1f18:1::/56 (disassociated)"]));
    assert_eq!(observed(&f[1], "ipv6"), &json!(["2600:1f18:2::/56"]));
    assert_eq!(observed(&f[2], "ipv6"), &json!(["2600:1f18:3::/56 (failed)", "2600:1f18:4::/56 (associating)"]));
}

#[tokio::test]
async fn blackhole_default_route_makes_no_public_subnet() {
    let ctx = ctx_with(network_answers);
    let inv = network_inventory(&ctx).await;
    let routes = &inv.networks["us-east-1"].route_tables.known().expect("tables")[1].routes;
    assert_eq!(routes[1].state.as_deref(), Some("blackhole"));
    let r = req("ec2.vpc", "select = { name = \"a\" }\n[requirement.expect]\npublic_subnets = { at_least = 1 }\nprivate_subnets = { at_least = 1 }");
    let f = evaluate(&[r], &inv);
    assert_eq!(statuses(&f), [(Some("arn:aws:ec2:us-east-1:111122223333:vpc/vpc-a"), Status::Drift)]);
    assert_eq!(observed(&f[0], "public_subnets"), &json!([]));
    assert_eq!(observed(&f[0], "private_subnets"), &json!(["subnet-a"]));
    let r =
        req("ec2.route_table", "select = { name = \"rtb-pub-a\" }\n[requirement.expect]\nroutes_to_internet = true");
    let f = evaluate(&[r], &inv);
    assert_eq!(statuses(&f), [(Some("arn:aws:ec2:us-east-1:111122223333:route-table/rtb-pub-a"), Status::Drift)]);
    assert_eq!(observed(&f[0], "routes_to_internet"), &json!(["0.0.0.0/0 (blackhole)"]));
}

#[tokio::test]
async fn blackhole_route_to_the_peer_is_no_route() {
    let ctx = ctx_with(network_answers);
    let inv = network_inventory(&ctx).await;
    let body = "[requirement.expect]\nroutes = true\nmesh = [{ region = \"us-east-1\", vpc = { name = \"a\" } }, { region = \"us-east-1\", vpc = { name = \"b\" } }]";
    let f = evaluate(&[req("ec2.vpc_peering", body)], &inv);
    assert_eq!(statuses(&f), [(Some("us-east-1:a <-> us-east-1:b"), Status::Drift)]);
    let checks: Vec<(&str, Option<bool>, &serde_json::Value)> =
        f[0].checks.iter().map(|c| (c.field.as_ref(), c.ok, &c.observed)).collect();
    assert_eq!(
        checks,
        [
            ("peering", Some(true), &json!("pcx-ab active")),
            (
                "routes.us-east-1",
                Some(false),
                &json!("no active route to 10.2.0.0/16 via pcx-ab in rtb-main-a, rtb-pub-a (blackhole)")
            ),
            ("routes.us-east-1", Some(true), &json!("1 route table(s) route 10.0.0.0/16 via pcx-ab")),
        ]
    );
}

fn only_east() -> Regional {
    Regional { regions: ["us-east-1".to_string()].into(), ..Regional::default() }
}

#[tokio::test]
async fn security_groups_follow_next_token_and_every_rule_field_is_read() {
    // first page: a group with IPv4, IPv6 and group-pair sources and a tag; second
    // page: an all-traffic rule (ipProtocol -1 carries no ports) and no tags
    let mixed = "<item><ipProtocol>tcp</ipProtocol><fromPort>22</fromPort><toPort>22</toPort>\
<groups><item><userId>111122223333</userId><groupId>sg-bastion</groupId></item></groups>\
<ipRanges><item><cidrIp>10.0.0.0/8</cidrIp></item></ipRanges><ipv6Ranges><item><cidrIpv6>::/0</cidrIpv6></item></ipv6Ranges>\
<prefixListIds/></item>";
    let all = "<item><ipProtocol>-1</ipProtocol><groups/><ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges><ipv6Ranges/><prefixListIds/></item>";
    let first = format!(
        "<securityGroupInfo>{}</securityGroupInfo><nextToken>sg-page-2</nextToken>",
        group("sg-one", mixed).replace("<tagSet/>", "<tagSet><item><key>team</key><value>net</value></item></tagSet>")
    );
    let second = format!("<securityGroupInfo>{}</securityGroupInfo>", group("sg-two", all).replace("<tagSet/>", ""));
    let (ctx, seen) = recording_ctx(move |r| match r.op.as_str() {
        "DescribeSecurityGroups" if r.body.contains("NextToken=sg-page-2") => answer("DescribeSecurityGroups", &second),
        "DescribeSecurityGroups" => answer("DescribeSecurityGroups", &first),
        other => panic!("unexpected call {other}"),
    });
    let got = security_groups(&ctx, &only_east()).await;
    let groups = got["us-east-1"].known().expect("both pages were read");
    let rule = |protocol: &str, ports: Option<i32>, cidrs: &[&str], groups: &[&str]| IngressRule {
        protocol: protocol.into(),
        from_port: ports,
        to_port: ports,
        cidrs: cidrs.iter().map(|c| c.to_string()).collect(),
        groups: groups.iter().map(|g| g.to_string()).collect(),
        prefix_lists: vec![],
    };
    assert_eq!(
        groups,
        &vec![
            SecurityGroup {
                id: "sg-one".into(),
                name: "sg-one".into(),
                region: "us-east-1".into(),
                vpc_id: Some("vpc-1".into()),
                owner: Some("111122223333".into()),
                ingress: vec![rule("tcp", Some(22), &["10.0.0.0/8", "::/0"], &["sg-bastion"])],
                tags: Observed::Known([("team".to_string(), "net".to_string())].into()),
            },
            SecurityGroup {
                id: "sg-two".into(),
                name: "sg-two".into(),
                region: "us-east-1".into(),
                vpc_id: Some("vpc-1".into()),
                owner: Some("111122223333".into()),
                ingress: vec![rule("-1", None, &["0.0.0.0/0"], &[])],
                tags: Observed::Known(Default::default()),
            },
        ]
    );
    assert_eq!(seen.lock().unwrap().len(), 2);
    assert!(ctx.errors.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_failing_security_group_page_fails_the_listing() {
    let ctx = ctx_with(|r| match r.op.as_str() {
        "DescribeSecurityGroups" if r.body.contains("NextToken=sg-page-2") => ec2_error(503, "RequestLimitExceeded"),
        "DescribeSecurityGroups" => answer(
            "DescribeSecurityGroups",
            &format!("<securityGroupInfo>{}</securityGroupInfo><nextToken>sg-page-2</nextToken>", group("sg-one", "")),
        ),
        other => panic!("unexpected call {other}"),
    });
    let got = security_groups(&ctx, &only_east()).await;
    let gap = got["us-east-1"].gap().expect("a short listing is never passed on as complete");
    assert_eq!(
        (gap.operation.as_str(), gap.code.as_str(), gap.class),
        ("DescribeSecurityGroups", "RequestLimitExceeded", crate::inventory::ErrorClass::Throttled)
    );
    let errors: Vec<String> = ctx.errors.lock().unwrap().iter().map(|g| g.operation.clone()).collect();
    assert_eq!(errors, ["DescribeSecurityGroups"]);
}

#[tokio::test]
async fn instances_follow_next_token_and_a_private_stopped_one_has_no_address() {
    // instanceState codes as the API reference gives them: 16 running, 80 stopped
    let instance = |id: &str, state: &str, extra: &str| {
        let code = if state == "running" { 16 } else { 80 };
        format!("<item><instanceId>{id}</instanceId><imageId>ami-1</imageId><instanceState><code>{code}</code><name>{state}</name></instanceState><instanceType>t3.micro</instanceType>{extra}</item>")
    };
    let reservation = |owner: &str, instances: String| {
        format!("<item><reservationId>r-{owner}</reservationId><ownerId>{owner}</ownerId><groupSet/><instancesSet>{instances}</instancesSet></item>")
    };
    let first = format!(
        "<reservationSet>{}</reservationSet><nextToken>i-page-2</nextToken>",
        reservation(
            "111122223333",
            instance(
                "i-web",
                "running",
                "<subnetId>subnet-a</subnetId><ipAddress>203.0.113.10</ipAddress><tagSet><item><key>Name</key><value>web</value></item></tagSet>"
            )
        )
    );
    let second =
        format!("<reservationSet>{}</reservationSet>", reservation("111122223333", instance("i-batch", "stopped", "")));
    let (ctx, seen) = recording_ctx(move |r| match r.op.as_str() {
        "DescribeInstances" if r.body.contains("NextToken=i-page-2") => answer("DescribeInstances", &second),
        "DescribeInstances" => answer("DescribeInstances", &first),
        other => panic!("unexpected call {other}"),
    });
    let got = region_instances(&ctx, "us-east-1").await;
    let instances = got.known().expect("both pages were read");
    assert_eq!(
        instances,
        &vec![
            Instance {
                id: "i-web".into(),
                region: "us-east-1".into(),
                owner: Some("111122223333".into()),
                instance_type: Some("t3.micro".into()),
                state: Some("running".into()),
                subnet_id: Some("subnet-a".into()),
                public_ip: Some("203.0.113.10".into()),
                tags: Observed::Known([("Name".to_string(), "web".to_string())].into()),
            },
            // no ipAddress, subnetId or tagSet: none invented
            Instance {
                id: "i-batch".into(),
                region: "us-east-1".into(),
                owner: Some("111122223333".into()),
                instance_type: Some("t3.micro".into()),
                state: Some("stopped".into()),
                subnet_id: None,
                public_ip: None,
                tags: Observed::Known(Default::default()),
            },
        ]
    );
    assert_eq!(seen.lock().unwrap().len(), 2);
}
