//! Fills `Inventory::networks`: per region, VPCs, peering connections and route
//! tables (every page of each), keeping the states AWS reports (CIDR associations,
//! routes) for evaluation to judge. Filters are applied here, never server-side.

use crate::aws::{all_pages, Ctx};
use crate::inventory::{
    CidrAssociation, FlowLog, IngressRule, Instance, Network, Observed, Peering, PeeringSide, PrefixListSource, Route,
    RouteTable, SecurityGroup, Subnet, Vpc,
};
use aws_sdk_ec2::types::VpcPeeringConnectionVpcInfo;
use std::collections::{BTreeMap, BTreeSet};

const SERVICE: &str = "ec2";

pub const CALLS: &[super::permissions::Call] = &[
    super::permissions::Call { operation: "DescribeVpcs", action: "ec2:DescribeVpcs", needed: |n| n.has("networks") },
    super::permissions::Call {
        operation: "DescribeVpcPeeringConnections",
        action: "ec2:DescribeVpcPeeringConnections",
        needed: |n| n.has("networks"),
    },
    super::permissions::Call {
        operation: "DescribeRouteTables",
        action: "ec2:DescribeRouteTables",
        needed: |n| n.has("networks"),
    },
    super::permissions::Call {
        operation: "DescribeSubnets",
        action: "ec2:DescribeSubnets",
        needed: |n| n.has("subnets"),
    },
    super::permissions::Call {
        operation: "DescribeSecurityGroups",
        action: "ec2:DescribeSecurityGroups",
        needed: |n| n.has("security_groups"),
    },
    super::permissions::Call {
        operation: "GetManagedPrefixListEntries",
        action: "ec2:GetManagedPrefixListEntries",
        needed: |n| n.has("security_groups"),
    },
    super::permissions::Call {
        operation: "DescribeFlowLogs",
        action: "ec2:DescribeFlowLogs",
        needed: |n| n.has("flow_logs"),
    },
    super::permissions::Call {
        operation: "DescribeInstances",
        action: "ec2:DescribeInstances",
        needed: |n| n.has("instances"),
    },
];

pub static COLLECTOR: super::Collector = super::Collector {
    id: "ec2",
    service: SERVICE,
    part: "networks, security_groups, instances",
    reads: &[
        ("networks", "VPCs, peering connections and route tables of the region"),
        ("subnets", "subnets (with networks)"),
        ("flow_logs", "flow logs (with networks)"),
        ("security_groups", "security groups, with the entries of the prefix lists their rules name"),
        ("instances", "instances"),
        ("tags", "tags (security groups and instances carry theirs in the listing)"),
    ],
    calls: CALLS,
    collect: |ctx, need| {
        Box::pin(async move {
            let wanted = |read: &str| need.regions_with(read);
            let (nets, groups, instances) = (wanted("networks"), wanted("security_groups"), wanted("instances"));
            let networks = super::per_region(&nets, |r| {
                let reads = &need.places[r];
                region_network(ctx, r, reads.contains("subnets"), reads.contains("flow_logs"))
            });
            let groups = super::Regional { regions: groups, ..Default::default() };
            let groups = security_groups(ctx, &groups);
            let instances = super::per_region(&instances, |r| region_instances(ctx, r));
            let (networks, groups, instances) = tokio::join!(networks, groups, instances);
            Box::new(move |inv: &mut crate::inventory::Inventory| {
                inv.networks = networks;
                inv.security_groups = groups;
                inv.instances = instances;
            }) as super::Fill
        })
    },
    cut_short: |need, gap, inv| {
        let unknown = Network {
            vpcs: Observed::Unknown(gap.clone()),
            peerings: Observed::Unknown(gap.clone()),
            route_tables: Observed::Unknown(gap.clone()),
            subnets: Observed::Unknown(gap.clone()),
            flow_logs: Observed::Unknown(gap.clone()),
        };
        inv.networks = need.regions_with("networks").into_iter().map(|r| (r, unknown.clone())).collect();
        inv.security_groups = super::all_unknown(&need.regions_with("security_groups"), gap);
        inv.instances = super::all_unknown(&need.regions_with("instances"), gap);
    },
};

/// An IPv6 block with its association state (VPC and subnet states are separate
/// enums with the same values).
fn association<S: AsRef<str>>(cidr: Option<&str>, state: Option<S>) -> Option<CidrAssociation> {
    Some(CidrAssociation { cidr: cidr?.to_string(), state: state.map(|s| s.as_ref().to_string()) })
}

fn side(info: Option<&VpcPeeringConnectionVpcInfo>) -> PeeringSide {
    let info = info.cloned().unwrap_or_else(|| VpcPeeringConnectionVpcInfo::builder().build());
    let mut cidrs: Vec<String> = info.cidr_block().map(str::to_string).into_iter().collect();
    for b in info.cidr_block_set() {
        if let Some(c) = b.cidr_block() {
            if !cidrs.iter().any(|x| x == c) {
                cidrs.push(c.to_string());
            }
        }
    }
    PeeringSide {
        vpc_id: info.vpc_id().unwrap_or_default().to_string(),
        region: info.region().unwrap_or_default().to_string(),
        owner: info.owner_id().map(str::to_string),
        cidrs,
    }
}

async fn region_network(ctx: &Ctx, region: &str, with_subnets: bool, with_flow_logs: bool) -> Network {
    let ec2 = ctx.client::<aws_sdk_ec2::Client>(region);
    let vpcs = async {
        match all_pages(ctx, ec2.describe_vpcs().into_paginator().send()).await {
            Ok(pages) => Observed::Known(
                pages
                    .iter()
                    .flat_map(|p| p.vpcs())
                    .map(|v| Vpc {
                        id: v.vpc_id().unwrap_or_default().to_string(),
                        region: region.to_string(),
                        owner: v.owner_id().map(str::to_string),
                        cidrs: {
                            // secondary blocks count only while associated
                            let mut c: Vec<String> = v.cidr_block().map(str::to_string).into_iter().collect();
                            for a in v.cidr_block_association_set() {
                                let state = a.cidr_block_state().and_then(|s| s.state()).map(|s| s.as_str());
                                if let (Some(b), Some("associated")) = (a.cidr_block(), state) {
                                    if !c.iter().any(|x| x == b) {
                                        c.push(b.to_string());
                                    }
                                }
                            }
                            c
                        },
                        ipv6_cidrs: v
                            .ipv6_cidr_block_association_set()
                            .iter()
                            .filter_map(|a| {
                                association(a.ipv6_cidr_block(), a.ipv6_cidr_block_state().and_then(|s| s.state()))
                            })
                            .collect(),
                        tags: super::tag_map(v.tags(), |t| (t.key(), t.value())),
                    })
                    .collect(),
            ),
            Err(err) => Observed::Unknown(ctx.gap(&err, SERVICE, region, "DescribeVpcs", None)),
        }
    };
    let peerings = async {
        match all_pages(ctx, ec2.describe_vpc_peering_connections().into_paginator().send()).await {
            Ok(pages) => Observed::Known(
                pages
                    .iter()
                    .flat_map(|p| p.vpc_peering_connections())
                    .map(|p| Peering {
                        id: p.vpc_peering_connection_id().unwrap_or_default().to_string(),
                        status: p.status().and_then(|s| s.code()).map(|c| c.as_str().to_string()).unwrap_or_default(),
                        requester: side(p.requester_vpc_info()),
                        accepter: side(p.accepter_vpc_info()),
                    })
                    .collect(),
            ),
            Err(err) => Observed::Unknown(ctx.gap(&err, SERVICE, region, "DescribeVpcPeeringConnections", None)),
        }
    };
    let tables = async {
        match all_pages(ctx, ec2.describe_route_tables().into_paginator().send()).await {
            Ok(pages) => Observed::Known(
                pages
                    .iter()
                    .flat_map(|p| p.route_tables())
                    .map(|t| RouteTable {
                        id: t.route_table_id().unwrap_or_default().to_string(),
                        vpc_id: t.vpc_id().unwrap_or_default().to_string(),
                        main: t.associations().iter().any(|a| a.main().unwrap_or(false)),
                        subnets: t.associations().iter().filter_map(|a| a.subnet_id().map(str::to_string)).collect(),
                        tags: super::tag_map(t.tags(), |x| (x.key(), x.value())),
                        owner: t.owner_id().map(str::to_string),
                        routes: t
                            .routes()
                            .iter()
                            .map(|r| Route {
                                destination: r
                                    .destination_cidr_block()
                                    .or(r.destination_ipv6_cidr_block())
                                    .unwrap_or_default()
                                    .to_string(),
                                peering_id: r.vpc_peering_connection_id().map(str::to_string),
                                gateway_id: r.gateway_id().map(str::to_string),
                                state: r.state().map(|s| s.as_str().to_string()),
                            })
                            .collect(),
                    })
                    .collect(),
            ),
            Err(err) => Observed::Unknown(ctx.gap(&err, SERVICE, region, "DescribeRouteTables", None)),
        }
    };
    let subnets = async {
        if !with_subnets {
            return Observed::default();
        }
        match all_pages(ctx, ec2.describe_subnets().into_paginator().send()).await {
            Ok(pages) => Observed::Known(
                pages
                    .iter()
                    .flat_map(|p| p.subnets())
                    .map(|s| Subnet {
                        id: s.subnet_id().unwrap_or_default().to_string(),
                        vpc_id: s.vpc_id().unwrap_or_default().to_string(),
                        cidr: s.cidr_block().map(str::to_string),
                        ipv6_cidrs: s
                            .ipv6_cidr_block_association_set()
                            .iter()
                            .filter_map(|a| {
                                association(a.ipv6_cidr_block(), a.ipv6_cidr_block_state().and_then(|s| s.state()))
                            })
                            .collect(),
                        availability_zone: s.availability_zone().map(str::to_string),
                        tags: super::tag_map(s.tags(), |t| (t.key(), t.value())),
                    })
                    .collect(),
            ),
            Err(err) => Observed::Unknown(ctx.gap(&err, SERVICE, region, "DescribeSubnets", None)),
        }
    };
    let flow_logs = async {
        if !with_flow_logs {
            return Observed::default();
        }
        match all_pages(ctx, ec2.describe_flow_logs().into_paginator().send()).await {
            Ok(pages) => Observed::Known(
                pages
                    .iter()
                    .flat_map(|p| p.flow_logs())
                    .map(|f| FlowLog {
                        id: f.flow_log_id().unwrap_or_default().to_string(),
                        resource_id: f.resource_id().unwrap_or_default().to_string(),
                        status: f.flow_log_status().map(str::to_string),
                        destination: f.log_destination().or(f.log_group_name()).map(str::to_string),
                    })
                    .collect(),
            ),
            Err(err) => Observed::Unknown(ctx.gap(&err, SERVICE, region, "DescribeFlowLogs", None)),
        }
    };
    let (vpcs, peerings, route_tables, subnets, flow_logs) = tokio::join!(vpcs, peerings, tables, subnets, flow_logs);
    Network { vpcs, peerings, route_tables, subnets, flow_logs }
}

/// The networks of regions that all want the same reads.
#[cfg(test)]
pub async fn collect(
    ctx: &Ctx,
    regions: &BTreeSet<String>,
    with_subnets: bool,
    with_flow_logs: bool,
) -> BTreeMap<String, Network> {
    super::per_region(regions, |r| region_network(ctx, r, with_subnets, with_flow_logs)).await
}

async fn region_groups(ctx: &Ctx, region: &str) -> Observed<Vec<SecurityGroup>> {
    let ec2 = ctx.client::<aws_sdk_ec2::Client>(region);
    let pages = match all_pages(ctx, ec2.describe_security_groups().into_paginator().send()).await {
        Ok(p) => p,
        Err(e) => return Observed::Unknown(ctx.gap(&e, SERVICE, region, "DescribeSecurityGroups", None)),
    };
    let mut groups = Vec::new();
    for g in pages.iter().flat_map(|p| p.security_groups()) {
        let Some(id) = g.group_id() else {
            return Observed::Unknown(ctx.malformed(SERVICE, region, "DescribeSecurityGroups", "a group's GroupId"));
        };
        let ingress = g
            .ip_permissions()
            .iter()
            .map(|p| IngressRule {
                protocol: p.ip_protocol().unwrap_or("-1").to_string(),
                from_port: p.from_port(),
                to_port: p.to_port(),
                cidrs: p
                    .ip_ranges()
                    .iter()
                    .filter_map(|r| r.cidr_ip().map(str::to_string))
                    .chain(p.ipv6_ranges().iter().filter_map(|r| r.cidr_ipv6().map(str::to_string)))
                    .collect(),
                groups: p.user_id_group_pairs().iter().filter_map(|u| u.group_id().map(str::to_string)).collect(),
                prefix_lists: p
                    .prefix_list_ids()
                    .iter()
                    .filter_map(|l| l.prefix_list_id())
                    .map(|id| PrefixListSource { id: id.to_string(), entries: Observed::default() })
                    .collect(),
            })
            .collect();
        groups.push(SecurityGroup {
            id: id.to_string(),
            name: g.group_name().unwrap_or(id).to_string(),
            region: region.to_string(),
            vpc_id: g.vpc_id().map(str::to_string),
            owner: g.owner_id().map(str::to_string),
            ingress,
            tags: Observed::Known(super::tag_map(g.tags(), |t| (t.key(), t.value()))),
        });
    }
    resolve_prefix_lists(ctx, &ec2, region, &mut groups).await;
    Observed::Known(groups)
}

/// The CIDRs of one managed prefix list (GetManagedPrefixListEntries, every page).
/// AWS-managed lists (`com.amazonaws.*`) answer the same way, with the public
/// address ranges of their service.
async fn prefix_list_entries(ctx: &Ctx, ec2: &aws_sdk_ec2::Client, region: &str, id: &str) -> Observed<Vec<String>> {
    let stream = ec2.get_managed_prefix_list_entries().prefix_list_id(id).into_paginator().send();
    match all_pages(ctx, stream).await {
        Ok(pages) => Observed::Known(
            pages.iter().flat_map(|p| p.entries()).filter_map(|e| e.cidr().map(str::to_string)).collect(),
        ),
        Err(e) => Observed::Unknown(ctx.gap(&e, SERVICE, region, "GetManagedPrefixListEntries", Some(id))),
    }
}

/// Reads each distinct prefix list the region's rules name, once, and gives every
/// rule its entries. A list that cannot be read stays unknown on the rules using it.
async fn resolve_prefix_lists(ctx: &Ctx, ec2: &aws_sdk_ec2::Client, region: &str, groups: &mut [SecurityGroup]) {
    let ids: BTreeSet<String> =
        groups.iter().flat_map(|g| &g.ingress).flat_map(|r| &r.prefix_lists).map(|l| l.id.clone()).collect();
    if ids.is_empty() {
        return;
    }
    let read = futures::future::join_all(ids.iter().map(|id| prefix_list_entries(ctx, ec2, region, id))).await;
    let lists: BTreeMap<&String, Observed<Vec<String>>> = ids.iter().zip(read).collect();
    for l in groups.iter_mut().flat_map(|g| g.ingress.iter_mut()).flat_map(|r| r.prefix_lists.iter_mut()) {
        if let Some(entries) = lists.get(&l.id) {
            l.entries = entries.clone();
        }
    }
}

/// Fills `Inventory::security_groups`: per region, every security group with its
/// ingress rules and tags (DescribeSecurityGroups, every page), and the entries of
/// the managed prefix lists those rules admit traffic from.
pub async fn security_groups(ctx: &Ctx, need: &super::Regional) -> BTreeMap<String, Observed<Vec<SecurityGroup>>> {
    super::per_region(&need.regions, |r| region_groups(ctx, r)).await
}

async fn region_instances(ctx: &Ctx, region: &str) -> Observed<Vec<Instance>> {
    let ec2 = ctx.client::<aws_sdk_ec2::Client>(region);
    let pages = match all_pages(ctx, ec2.describe_instances().into_paginator().send()).await {
        Ok(p) => p,
        Err(e) => return Observed::Unknown(ctx.gap(&e, SERVICE, region, "DescribeInstances", None)),
    };
    let mut out = Vec::new();
    for r in pages.iter().flat_map(|p| p.reservations()) {
        for i in r.instances() {
            let Some(id) = i.instance_id() else {
                return Observed::Unknown(ctx.malformed(SERVICE, region, "DescribeInstances", "an InstanceId"));
            };
            out.push(Instance {
                id: id.to_string(),
                region: region.to_string(),
                owner: r.owner_id().map(str::to_string),
                instance_type: i.instance_type().map(|t| t.as_str().to_string()),
                state: i.state().and_then(|s| s.name()).map(|n| n.as_str().to_string()),
                subnet_id: i.subnet_id().map(str::to_string),
                public_ip: i.public_ip_address().map(str::to_string),
                tags: Observed::Known(super::tag_map(i.tags(), |t| (t.key(), t.value()))),
            });
        }
    }
    Observed::Known(out)
}

#[cfg(test)]
#[path = "ec2_tests.rs"]
mod tests;
