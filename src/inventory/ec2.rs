//! The inventory part of EC2: networks, security groups and instances.

use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vpc {
    pub id: String,
    pub region: String,
    pub owner: Option<String>,
    /// IPv4 CIDRs that carry traffic: the primary `CidrBlock`, then every
    /// `CidrBlockAssociationSet` entry whose state is `associated`.
    pub cidrs: Vec<String>,
    /// Every `Ipv6CidrBlockAssociationSet` entry, with its state: only `associated`
    /// ones are in use (a disassociated block stays listed for a while).
    pub ipv6_cidrs: Vec<CidrAssociation>,
    pub tags: Tags,
}

/// A CIDR block associated (or once associated) with a VPC or subnet, with the
/// association's `CidrBlockState.State` (`associating`, `associated`,
/// `disassociating`, `disassociated`, `failing`, `failed`; `None` when absent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CidrAssociation {
    pub cidr: String,
    pub state: Option<String>,
}

impl CidrAssociation {
    /// Whether AWS says the block is associated (in use); `None` when no state was given.
    pub fn associated(&self) -> Option<bool> {
        self.state.as_deref().map(|s| s == "associated")
    }

    /// The block with its state, e.g. `2600:1f18::/56 (disassociated)`.
    pub fn label(&self) -> String {
        match self.state.as_deref() {
            Some("associated") => self.cidr.clone(),
            Some(s) => format!("{} ({s})", self.cidr),
            None => format!("{} (state not reported)", self.cidr),
        }
    }
}

impl Vpc {
    /// The `Name` tag, else the id.
    pub fn name(&self) -> &str {
        self.tags.get("Name").map(String::as_str).unwrap_or(&self.id)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeeringSide {
    pub vpc_id: String,
    pub region: String,
    pub owner: Option<String>,
    pub cidrs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Peering {
    pub id: String,
    pub status: String,
    pub requester: PeeringSide,
    pub accepter: PeeringSide,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Route {
    pub destination: String,
    pub peering_id: Option<String>,
    pub gateway_id: Option<String>,
    /// `active`, or `blackhole` when the target is gone (a detached internet
    /// gateway, a deleted peering connection). AWS always sends it; `None` (absent)
    /// is never taken for `active`.
    #[serde(default)]
    pub state: Option<String>,
}

impl Route {
    /// Whether the route carries traffic: `Some(false)` for `blackhole`, `None` when
    /// the answer gave no state.
    pub fn active(&self) -> Option<bool> {
        self.state.as_deref().map(|s| s == "active")
    }

    /// The destination, with the state when it is not `active`.
    pub fn label(&self) -> String {
        match self.state.as_deref() {
            Some("active") => self.destination.clone(),
            Some(s) => format!("{} ({s})", self.destination),
            None => format!("{} (state not reported)", self.destination),
        }
    }

    fn to_internet_gateway(&self) -> bool {
        (self.destination == "0.0.0.0/0" || self.destination == "::/0")
            && self.gateway_id.as_deref().is_some_and(|g| g.starts_with("igw-"))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct RouteTable {
    pub id: String,
    pub vpc_id: String,
    pub routes: Vec<Route>,
    /// The VPC's main route table (used by subnets without an explicit association).
    #[serde(default)]
    pub main: bool,
    /// Subnets explicitly associated with this table.
    #[serde(default)]
    pub subnets: Vec<String>,
    /// Tags, as DescribeRouteTables returns them.
    #[serde(default)]
    pub tags: Tags,
    #[serde(default)]
    pub owner: Option<String>,
}

impl RouteTable {
    /// The `Name` tag, else the id.
    pub fn name(&self) -> &str {
        self.tags.get("Name").map(String::as_str).unwrap_or(&self.id)
    }
}

impl RouteTable {
    /// Routes that send all traffic (0.0.0.0/0 or ::/0) to an internet gateway,
    /// whatever their state.
    pub fn internet_routes(&self) -> impl Iterator<Item = &Route> {
        self.routes.iter().filter(|r| r.to_internet_gateway())
    }

    /// Whether the table sends all traffic to an internet gateway through an
    /// `active` route. A `blackhole` route is no path; a route without a state
    /// leaves the answer unknown unless another route is active.
    pub fn routes_to_internet(&self) -> Observed<bool> {
        let mut unsure = None;
        for r in self.internet_routes() {
            match r.active() {
                Some(true) => return Observed::Known(true),
                Some(false) => {}
                None => unsure = Some(r),
            }
        }
        match unsure {
            Some(r) => Observed::Unknown(Gap::not_collected(&format!(
                "State of route {} in {} (absent from the answer)",
                r.destination, self.id
            ))),
            None => Observed::Known(false),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subnet {
    pub id: String,
    pub vpc_id: String,
    pub cidr: Option<String>,
    /// `Ipv6CidrBlockAssociationSet`, with each association's state.
    pub ipv6_cidrs: Vec<CidrAssociation>,
    pub availability_zone: Option<String>,
    pub tags: Tags,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Network {
    pub vpcs: Observed<Vec<Vpc>>,
    pub peerings: Observed<Vec<Peering>>,
    pub route_tables: Observed<Vec<RouteTable>>,
    /// Read only when a requirement needs subnets.
    #[serde(default)]
    pub subnets: Observed<Vec<Subnet>>,
    /// Read only when a requirement needs flow logs.
    #[serde(default)]
    pub flow_logs: Observed<Vec<FlowLog>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowLog {
    pub id: String,
    /// The VPC, subnet or interface it watches.
    pub resource_id: String,
    pub status: Option<String>,
    /// Log group (CloudWatch Logs) or bucket ARN it delivers to.
    pub destination: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IngressRule {
    /// `tcp`, `udp`, `icmp`, … or `-1` for every protocol.
    pub protocol: String,
    pub from_port: Option<i32>,
    pub to_port: Option<i32>,
    /// IPv4 and IPv6 source ranges.
    pub cidrs: Vec<String>,
    /// Source security groups.
    pub groups: Vec<String>,
    /// Source managed prefix lists (`PrefixListIds`), each with its entries.
    #[serde(default)]
    pub prefix_lists: Vec<PrefixListSource>,
}

/// A managed prefix list a rule admits traffic from, and the CIDRs it holds
/// (GetManagedPrefixListEntries, current version), or why they are unknown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrefixListSource {
    pub id: String,
    pub entries: Observed<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub region: String,
    pub vpc_id: Option<String>,
    pub owner: Option<String>,
    pub ingress: Vec<IngressRule>,
    pub tags: Observed<Tags>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Instance {
    pub id: String,
    pub region: String,
    pub owner: Option<String>,
    pub instance_type: Option<String>,
    pub state: Option<String>,
    pub subnet_id: Option<String>,
    pub public_ip: Option<String>,
    pub tags: Observed<Tags>,
}

impl Instance {
    /// The `Name` tag, else the id.
    pub fn name(&self) -> &str {
        self.tags.known().and_then(|t| t.get("Name")).map(String::as_str).unwrap_or(&self.id)
    }
}

impl Network {
    /// Whether a subnet is public: its route table (explicit association, else the
    /// VPC's main table) sends all traffic to an internet gateway through an
    /// `active` route (a `blackhole` route is no path).
    pub fn public_subnet(&self, subnet_id: &str) -> Observed<bool> {
        let (subnets, tables) = match (&self.subnets, &self.route_tables) {
            (Observed::Known(s), Observed::Known(t)) => (s, t),
            (Observed::Unknown(g), _) | (_, Observed::Unknown(g)) => return Observed::Unknown(g.clone()),
        };
        let Some(subnet) = subnets.iter().find(|s| s.id == subnet_id) else {
            return Observed::Unknown(Gap::not_collected(&format!("subnet {subnet_id}")));
        };
        let own: Vec<&RouteTable> = tables.iter().filter(|t| t.vpc_id == subnet.vpc_id).collect();
        let table =
            own.iter().find(|t| t.subnets.iter().any(|s| s == subnet_id)).or_else(|| own.iter().find(|t| t.main));
        match table {
            Some(t) => t.routes_to_internet(),
            None => Observed::Known(false),
        }
    }
}
