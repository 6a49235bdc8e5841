//! Hand-built resources and inventories shared by the kinds' evaluation tests.

use super::*;
use crate::compare::{Finding, Status};
use crate::inventory::*;
use std::collections::BTreeMap;

pub(crate) fn req(kind: &str, body: &str) -> Requirement {
    let text = format!("[profile]\nname = \"t\"\nregions = [\"us-east-1\", \"us-west-2\"]\n[[requirement]]\nid = \"r\"\nkind = \"{kind}\"\n{body}\n");
    let mut p = crate::profile::parse("t.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    p.resolve_regions(&[], "us-east-1");
    p.requirements.remove(0)
}

pub(crate) fn statuses(findings: &[Finding]) -> Vec<(Option<&str>, Status)> {
    findings.iter().map(|f| (f.resource.as_deref(), f.status)).collect()
}

pub(crate) fn denied(op: &str) -> Gap {
    Gap {
        service: "s3".into(),
        region: "us-east-1".into(),
        operation: op.into(),
        resource: None,
        code: "AccessDenied".into(),
        message: "denied".into(),
        class: ErrorClass::AccessDenied,
    }
}

pub(crate) fn observed<'a>(f: &'a Finding, field: &str) -> &'a serde_json::Value {
    &f.checks.iter().find(|c| c.field == field).unwrap_or_else(|| panic!("no {field} in {f:?}")).observed
}

pub(crate) fn bucket(name: &str) -> Bucket {
    Bucket {
        name: name.into(),
        arn: format!("arn:aws:s3:::{name}"),
        region: Observed::Known("us-east-1".into()),
        encryption: Observed::Known(Some(BucketEncryption {
            algorithm: "aws:kms".into(),
            kms_key: Some("arn:aws:kms:us-east-1:1:key/abc".into()),
            bucket_key: true,
        })),
        versioning: Observed::Known(Some("Enabled".into())),
        public_access_block: Observed::Known(Some(PublicAccessBlock {
            block_public_acls: true,
            ignore_public_acls: true,
            block_public_policy: true,
            restrict_public_buckets: true,
        })),
        logging_target: Observed::Known(Some("logs".into())),
        replication: Observed::Known(None),
        tags: Observed::Known(BTreeMap::from([("Env".into(), "prod".into())])),
        acl_grants: Observed::default(),
        policy: Observed::default(),
        policy_status: Observed::default(),
    }
}

/// Buckets of an account that has no account-level public access block.
pub(crate) fn with_buckets(b: Vec<Bucket>) -> Inventory {
    Inventory { buckets: Some(Observed::Known(b)), s3_account_block: Some(Observed::Known(None)), ..Default::default() }
}

pub(crate) fn principal(kind: Principal, name: &str) -> IamPrincipal {
    IamPrincipal {
        kind,
        name: name.into(),
        arn: format!(
            "arn:aws:iam::1:{}/{name}",
            match kind {
                Principal::Role => "role",
                Principal::User => "user",
                Principal::Group => "group",
            }
        ),
        path: "/".into(),
        attached: Vec::new(),
        inline: Vec::new(),
        tags: Observed::Known(BTreeMap::new()),
        trust_policy: None,
        mfa_devices: Observed::Known(0),
    }
}

pub(crate) fn with_iam(p: Vec<IamPrincipal>, local: Observed<BTreeMap<String, ManagedPolicy>>) -> Inventory {
    Inventory { iam: Some(Iam { principals: Observed::Known(p), local_policies: local }), ..Default::default() }
}

pub(crate) fn trail(name: &str, multi: bool, logging: Observed<bool>) -> Trail {
    Trail {
        name: name.into(),
        arn: format!("arn:aws:cloudtrail:us-east-1:1:trail/{name}"),
        home_region: "us-east-1".into(),
        multi_region: multi,
        organization: false,
        log_file_validation: Some(true),
        kms_key: None,
        include_global_service_events: Some(true),
        s3_bucket: Some("b".into()),
        is_logging: logging,
        tags: Observed::Known(BTreeMap::new()),
        management_events: Observed::default(),
    }
}

pub(crate) fn cert(domain: &str, record: Option<&str>, in_r53: Observed<Option<bool>>) -> Certificate {
    Certificate {
        arn: format!("arn:aws:acm:us-east-1:1:certificate/{domain}"),
        domain: domain.into(),
        region: "us-east-1".into(),
        status: Some("ISSUED".into()),
        validations: Observed::Known(vec![DomainValidation {
            domain: domain.into(),
            method: Some("DNS".into()),
            status: Some("SUCCESS".into()),
            record: record.map(|r| (r.to_string(), "v".to_string())),
            // present: the record with ACM's value "v"; absent: no CNAME at the name
            route53_values: in_r53.map(|found| found.map(|p| if p { vec!["v".to_string()] } else { vec![] })),
        }]),
        not_after: Some(4_102_444_800), // 2100-01-01
        tags: Observed::default(),
    }
}

pub(crate) fn vpc(region: &str, id: &str, name: &str, cidr: &str) -> Vpc {
    Vpc {
        id: id.into(),
        region: region.into(),
        owner: Some("1".into()),
        cidrs: vec![cidr.into()],
        ipv6_cidrs: vec![],
        tags: BTreeMap::from([("Name".into(), name.into())]),
    }
}

pub(crate) fn pcx(id: &str, a: &Vpc, b: &Vpc, status: &str) -> Peering {
    let side = |v: &Vpc| PeeringSide {
        vpc_id: v.id.clone(),
        region: v.region.clone(),
        owner: v.owner.clone(),
        cidrs: v.cidrs.clone(),
    };
    Peering { id: id.into(), status: status.into(), requester: side(a), accepter: side(b) }
}

pub(crate) fn table(id: &str, vpc: &Vpc, routes: &[(&str, &str)]) -> RouteTable {
    RouteTable {
        id: id.into(),
        vpc_id: vpc.id.clone(),
        routes: routes
            .iter()
            .map(|(d, p)| Route {
                destination: d.to_string(),
                peering_id: Some(p.to_string()),
                gateway_id: None,
                state: Some("active".into()),
            })
            .collect(),
        main: true,
        subnets: Vec::new(),
        ..Default::default()
    }
}

pub(crate) fn alarm(name: &str, metric: &str, op: &str, threshold: f64, actions: &[&str]) -> Alarm {
    Alarm {
        name: name.into(),
        arn: format!("arn:aws:cloudwatch:us-east-1:1:alarm:{name}"),
        region: "us-east-1".into(),
        namespace: Some("AWS/EC2".into()),
        metric_name: Some(metric.into()),
        statistic: Some("Average".into()),
        comparison: Some(op.into()),
        threshold: Some(threshold),
        dimensions: BTreeMap::from([("AutoScalingGroupName".into(), "web".into())]),
        actions_enabled: Some(true),
        alarm_actions: actions.iter().map(|s| s.to_string()).collect(),
        tags: Observed::Known(BTreeMap::new()),
    }
}

pub(crate) fn one_region<T>(items: Vec<T>) -> BTreeMap<String, Observed<Vec<T>>> {
    BTreeMap::from([("us-east-1".into(), Observed::Known(items)), ("us-west-2".into(), Observed::Known(Vec::new()))])
}

pub(crate) fn key(alias: &str, rotation: Observed<bool>, policy: serde_json::Value) -> KmsKey {
    KmsKey {
        id: format!("id-{alias}"),
        arn: format!("arn:aws:kms:us-east-1:1:key/id-{alias}"),
        region: "us-east-1".into(),
        aliases: vec![alias.into()],
        manager: Some("CUSTOMER".into()),
        state: Some("Enabled".into()),
        key_spec: Some("SYMMETRIC_DEFAULT".into()),
        origin: Some("AWS_KMS".into()),
        metadata_gap: None,
        rotation,
        policy: Observed::Known(policy),
        tags: Observed::Known(BTreeMap::new()),
    }
}

pub(crate) fn sg(name: &str, rules: Vec<IngressRule>) -> SecurityGroup {
    SecurityGroup {
        id: format!("sg-{name}"),
        name: name.into(),
        region: "us-east-1".into(),
        vpc_id: None,
        owner: Some("1".into()),
        ingress: rules,
        tags: Observed::Known(BTreeMap::new()),
    }
}

pub(crate) fn rule(protocol: &str, from: i32, to: i32, cidr: &str) -> IngressRule {
    IngressRule {
        protocol: protocol.into(),
        from_port: Some(from),
        to_port: Some(to),
        cidrs: vec![cidr.into()],
        groups: vec![],
        prefix_lists: vec![],
    }
}

pub(crate) fn distribution(logging: Observed<Option<String>>, web_acl: Option<&str>) -> Distribution {
    Distribution {
        id: "E1".into(),
        arn: "arn:aws:cloudfront::1:distribution/E1".into(),
        domain_name: "d1.cloudfront.net".into(),
        aliases: vec!["example.com".into()],
        origins: vec![
            DistOrigin {
                id: "primary".into(),
                domain: "a.s3.us-east-1.amazonaws.com".into(),
                s3: true,
                oac_id: Some("oac".into()),
            },
            DistOrigin {
                id: "secondary".into(),
                domain: "b.s3.us-west-2.amazonaws.com".into(),
                s3: true,
                oac_id: Some("oac".into()),
            },
        ],
        origin_groups: vec![DistOriginGroup {
            id: "group".into(),
            members: vec!["primary".into(), "secondary".into()],
            status_codes: vec![500, 503],
        }],
        default_target: Some("group".into()),
        compress: true,
        web_acl: web_acl.map(str::to_string),
        acm_certificate: Some("arn:aws:acm:us-east-1:1:certificate/c".into()),
        min_tls: Some("TLSv1.2_2021".into()),
        default_certificate: false,
        error_codes: vec![404],
        logging,
        log_deliveries: Observed::default(),
        tags: Observed::Known(BTreeMap::new()),
    }
}

/// A VPC `vpc-p` with a public subnet (explicitly associated with a table routed to an
/// internet gateway) and private subnets (on the main table, no internet route).
pub(crate) fn network_with_public_subnet(public: &str, private: &[&str]) -> Network {
    let subnet = |id: &str| Subnet {
        id: id.into(),
        vpc_id: "vpc-p".into(),
        cidr: None,
        ipv6_cidrs: vec![],
        availability_zone: None,
        tags: BTreeMap::new(),
    };
    let igw = Route {
        destination: "0.0.0.0/0".into(),
        peering_id: None,
        gateway_id: Some("igw-1".into()),
        state: Some("active".into()),
    };
    Network {
        vpcs: Observed::Known(vec![]),
        peerings: Observed::Known(vec![]),
        route_tables: Observed::Known(vec![
            RouteTable {
                id: "rtb-main".into(),
                vpc_id: "vpc-p".into(),
                routes: vec![],
                main: true,
                subnets: vec![],
                ..Default::default()
            },
            RouteTable {
                id: "rtb-pub".into(),
                vpc_id: "vpc-p".into(),
                routes: vec![igw],
                main: false,
                subnets: vec![public.into()],
                ..Default::default()
            },
        ]),
        subnets: Observed::Known(std::iter::once(public).chain(private.iter().copied()).map(subnet).collect()),
        flow_logs: Observed::default(),
    }
}

/// The last part of a finding's resource id, without a Secrets Manager suffix.
pub(crate) fn short(f: &Finding) -> &str {
    let id = f.resource.as_deref().unwrap_or("");
    let last = id.rsplit(['/', ':']).next().unwrap_or(id);
    last.strip_suffix("-AbCdEf").unwrap_or(last)
}

pub(crate) fn secret(name: &str, enabled: bool, days: Option<i64>, schedule: Option<&str>) -> Secret {
    Secret {
        name: name.into(),
        arn: format!("arn:aws:secretsmanager:us-east-1:1:secret:{name}-AbCdEf"),
        region: "us-east-1".into(),
        rotation_enabled: enabled,
        rotation_days: days,
        rotation_schedule: schedule.map(str::to_string),
        kms_key: None,
        tags: Observed::Known(BTreeMap::new()),
    }
}

pub(crate) fn log_group(name: &str, days: Option<i32>) -> LogGroup {
    LogGroup {
        name: name.into(),
        arn: format!("arn:aws:logs:us-east-1:1:log-group:{name}"),
        region: "us-east-1".into(),
        retention_days: days,
        kms_key: None,
        tags: Observed::Unknown(denied("ListTagsForResource")),
    }
}
