//! `ec2.security_group`: which ports are reachable from where.

use super::{Field, FieldType::*, Kind};
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::inventory::{Gap, IngressRule, Inventory, Observed, SecurityGroup};
use crate::profile::Requirement;
use serde_json::json;
use std::net::IpAddr;

pub static KIND: Kind = Kind {
    name: "ec2.security_group",
    summary: "Security groups: ports restricted to source ranges, ports open to the world",
    doc: "Ingress rules of the security groups in the requirement's regions \
(DescribeSecurityGroups, every page: IpPermissions[] with IpRanges, Ipv6Ranges, \
UserIdGroupPairs and PrefixListIds), selected by group name or tags. A rule whose source is a \
managed prefix list admits every CIDR of the list: each distinct list is read once per region \
(GetManagedPrefixListEntries, every page, current version), and its entries count as the \
rule's sources. AWS-managed lists (com.amazonaws.*) hold the public ranges of an AWS service \
and are judged by those ranges like any other. A list whose entries cannot be read makes \
the checks it could change `unknown`, never pass. `restrict_ports` names the only source \
ranges a port may be reached from (a rule whose range lies inside an allowed CIDR is fine; \
rules from other security groups are not IP ranges and are not counted). \
`world_open_ports` lists the only ports any rule may open to 0.0.0.0/0 or ::/0, directly \
or through a prefix list holding either (\"only HTTPS from the outside world\" is \
`[\"443\"]`).",
    regional: true,
    tags: true,
    selectable: true,
    fields: &[
        Field::new(
            "restrict_ports",
            PortRules,
            "Port to the only CIDRs it may be reached from, e.g. { \"22\" = [\"203.0.113.0/24\"] }.",
        ),
        Field::new("world_open_ports", PortList, "The only ports that may be open to 0.0.0.0/0 or ::/0; [] for none."),
    ],
    plan: |req, plan| {
        plan.resources("ec2", req).read("security_groups");
    },
    evaluate,
};

/// A port on a protocol: `22` means tcp/22.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortSpec {
    pub protocol: &'static str,
    pub port: i32,
}

impl PortSpec {
    pub fn parse(s: &str) -> Result<PortSpec, String> {
        let (proto, port) = match s.split_once('/') {
            Some((p, n)) => (p, n),
            None => ("tcp", s),
        };
        let protocol = match proto {
            "tcp" => "tcp",
            "udp" => "udp",
            _ => return Err("must be a port like 22, tcp/22 or udp/53".into()),
        };
        match port.parse::<i32>() {
            Ok(n) if (0..=65535).contains(&n) => Ok(PortSpec { protocol, port: n }),
            _ => Err("must be a port like 22, tcp/22 or udp/53".into()),
        }
    }

    /// Whether an ingress rule lets this port in.
    pub fn covered_by(&self, r: &IngressRule) -> bool {
        let proto = match r.protocol.as_str() {
            "6" => "tcp",
            "17" => "udp",
            other => other,
        };
        if proto == "-1" {
            return true;
        }
        proto == self.protocol && r.from_port.unwrap_or(0) <= self.port && self.port <= r.to_port.unwrap_or(65535)
    }
}

/// An IPv4 or IPv6 block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn parse(s: &str) -> Option<Cidr> {
        let (a, p) = s.split_once('/')?;
        let addr: IpAddr = a.parse().ok()?;
        let prefix: u8 = p.parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        (prefix <= max).then_some(Cidr { addr, prefix })
    }

    /// The address as a number, and the family's width in bits.
    fn value(&self) -> (u128, u32) {
        match self.addr {
            IpAddr::V4(v) => (u128::from(u32::from(v)), 32),
            IpAddr::V6(v) => (u128::from(v), 128),
        }
    }

    /// Whether every address of `self` lies in `outer` (same family only).
    pub fn within(&self, outer: &Cidr) -> bool {
        if self.addr.is_ipv4() != outer.addr.is_ipv4() || self.prefix < outer.prefix {
            return false;
        }
        let ((a, width), (b, _)) = (self.value(), outer.value());
        let shift = width - u32::from(outer.prefix);
        shift >= 128 || (a >> shift) == (b >> shift)
    }

    pub fn is_world(&self) -> bool {
        self.prefix == 0
    }
}

fn rule_label(r: &IngressRule, source: &str) -> String {
    let ports = match (r.protocol.as_str(), r.from_port, r.to_port) {
        ("-1", _, _) => "all traffic".to_string(),
        (p, Some(a), Some(b)) if a == b => format!("{p}/{a}"),
        (p, Some(a), Some(b)) => format!("{p}/{a}-{b}"),
        (p, _, _) => format!("{p}/all"),
    };
    format!("{ports} from {source}")
}

/// Every source range of a rule, labelled for a finding: its own CIDRs, and the
/// entries of its prefix lists (`10.0.0.0/8 (prefix list pl-1)`). Lists whose
/// entries are unknown come back as gaps.
fn sources(r: &IngressRule) -> (Vec<(String, String)>, Vec<Gap>) {
    let mut out: Vec<(String, String)> = r.cidrs.iter().map(|c| (c.clone(), c.clone())).collect();
    let mut gaps = Vec::new();
    for l in &r.prefix_lists {
        match &l.entries {
            Observed::Known(entries) => {
                out.extend(entries.iter().map(|e| (e.clone(), format!("{e} (prefix list {})", l.id))));
            }
            Observed::Unknown(g) => gaps.push(g.clone()),
        }
    }
    (out, gaps)
}

/// A check over offending rules: drift when any rule offends, else unknown when a
/// prefix list that could have offended was not read, else pass.
fn verdict(field: &'static str, expected: serde_json::Value, mut offending: Vec<String>, gaps: &[Gap]) -> Check {
    offending.sort();
    offending.dedup();
    match gaps.first() {
        Some(g) if offending.is_empty() => Check::unknown(field, expected, g),
        _ => {
            let ok = offending.is_empty();
            Check::new(field, expected, json!(offending), ok)
        }
    }
}

fn checks(req: &Requirement, g: &SecurityGroup) -> Vec<Check> {
    let e = &req.expect;
    let mut out = Vec::new();
    if let Some(rules) = e.map("restrict_ports") {
        let mut offending = Vec::new();
        let mut gaps = Vec::new();
        for (spec, allowed) in rules {
            let Ok(port) = PortSpec::parse(spec) else { continue };
            let allowed: Vec<Cidr> = allowed.split(',').filter_map(Cidr::parse).collect();
            for r in g.ingress.iter().filter(|r| port.covered_by(r)) {
                let (srcs, unread) = sources(r);
                gaps.extend(unread);
                for (c, label) in srcs {
                    let inside = Cidr::parse(&c).is_some_and(|c| allowed.iter().any(|a| c.within(a)));
                    if !inside {
                        offending.push(rule_label(r, &label));
                    }
                }
            }
        }
        out.push(verdict("restrict_ports", json!(rules), offending, &gaps));
    }
    if let Some(ports) = e.strings("world_open_ports") {
        let allowed: Vec<PortSpec> = ports.iter().filter_map(|p| PortSpec::parse(p).ok()).collect();
        let mut offending = Vec::new();
        let mut gaps = Vec::new();
        for r in &g.ingress {
            let single = r.protocol != "-1" && r.from_port.is_some() && r.from_port == r.to_port;
            if single && allowed.iter().any(|p| p.covered_by(r)) {
                // this port may be open to the world: no source of the rule matters
                continue;
            }
            let (srcs, unread) = sources(r);
            gaps.extend(unread);
            for (_, label) in srcs.iter().filter(|(c, _)| Cidr::parse(c).is_some_and(|c| c.is_world())) {
                offending.push(rule_label(r, label));
            }
        }
        out.push(verdict("world_open_ports", json!(ports), offending, &gaps));
    }
    out
}

fn evaluate(req: &Requirement, inv: &Inventory) -> Vec<Finding> {
    let mut listing = Listing::new();
    for region in &req.regions {
        listing.add(Inventory::regional(&inv.security_groups, region, "security groups"));
    }
    evaluate_resources(
        req,
        listing,
        |g| Meta {
            id: inv
                .partition
                .arn("ec2", &g.region, g.owner.as_deref().unwrap_or(""), &format!("security-group/{}", g.id))
                .into(),
            name: g.name.as_str().into(),
            region: Some(g.region.as_str().into()),
            tags: Some(&g.tags),
            path: None,
        },
        |g| checks(req, g),
    )
}

#[cfg(test)]
#[path = "ec2_security_group_tests.rs"]
mod tests;
