//! Registry invariants, and evaluation of every kind over hand-built inventories.

use super::*;
use crate::compare::{evaluate, Finding, Status};
use crate::inventory::*;
use std::collections::{BTreeMap, BTreeSet};

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

// ---- registry -----------------------------------------------------------------

#[test]
fn registry_names_unique_and_documented() {
    let mut names = BTreeSet::new();
    for k in REGISTRY {
        assert!(names.insert(k.name), "duplicate kind {}", k.name);
        let (service, resource) = k.name.split_once('.').expect("service.resource");
        assert!(!service.is_empty() && !resource.is_empty(), "{}", k.name);
        assert!(!k.summary.is_empty() && k.doc.len() > 40, "{} needs docs", k.name);
        let mut fields = BTreeSet::new();
        for f in k.all_fields() {
            assert!(fields.insert(f.name), "{}: duplicate field {}", k.name, f.name);
            assert!(f.doc.len() > 10, "{}.{} needs a doc", k.name, f.name);
        }
        assert!(describe(Some(k)).contains(k.summary));
    }
    for core in [
        "s3.bucket",
        "iam.role",
        "iam.user",
        "iam.group",
        "cloudtrail.trail",
        "acm.certificate",
        "ec2.vpc_peering",
        "cloudwatch.alarm",
    ] {
        assert!(find(core).is_some(), "{core} missing");
    }
}

#[test]
fn comparison_symbols_map_to_aws_names() {
    assert_eq!(comparison_operator(">="), Some("GreaterThanOrEqualToThreshold"));
    assert_eq!(comparison_operator("<"), Some("LessThanThreshold"));
    assert_eq!(comparison_operator("LessThanOrEqualToThreshold"), Some("LessThanOrEqualToThreshold"));
    assert_eq!(comparison_operator("=="), None);
}

// ---- s3.bucket --------------------------------------------------------------------

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

const S3_EXPECT: &str = "select = { name_prefix = \"prod-\" }\n[requirement.expect]\nencryption = \"kms\"\nkms_key_arn = \"abc\"\nbucket_key = true\nversioning = true\npublic_access_block = true\naccess_logging = true\nreplication = false\nrequired_tags = { Env = \"prod\" }";

#[test]
fn s3_bucket_every_field_satisfied_passes() {
    let r = req("s3.bucket", S3_EXPECT);
    let f = evaluate(&[r], &with_buckets(vec![bucket("prod-a"), bucket("dev-b")]));
    assert_eq!(statuses(&f), [(Some("arn:aws:s3:::prod-a"), Status::Pass)]);
    assert_eq!(f[0].checks.len(), 8);
}

#[test]
fn s3_bucket_each_field_can_drift() {
    let r = req("s3.bucket", S3_EXPECT);
    let mut b = bucket("prod-a");
    b.encryption =
        Observed::Known(Some(BucketEncryption { algorithm: "AES256".into(), kms_key: None, bucket_key: false }));
    b.versioning = Observed::Known(Some("Suspended".into()));
    b.public_access_block = Observed::Known(None);
    b.logging_target = Observed::Known(None);
    b.replication = Observed::Known(Some(vec![ReplicationRule {
        id: None,
        enabled: true,
        destination_bucket: "arn:aws:s3:::x".into(),
    }]));
    b.tags = Observed::Known(BTreeMap::from([("Env".into(), "dev".into())]));
    let f = evaluate(&[r], &with_buckets(vec![b]));
    assert_eq!(f[0].status, Status::Drift);
    let failed: Vec<&str> = f[0].checks.iter().filter(|c| c.ok == Some(false)).map(|c| c.field.as_ref()).collect();
    assert_eq!(
        failed,
        [
            "encryption",
            "kms_key_arn",
            "bucket_key",
            "versioning",
            "public_access_block",
            "access_logging",
            "replication",
            "required_tags"
        ]
    );
    assert_eq!(observed(&f[0], "encryption"), "AES256");
    assert_eq!(observed(&f[0], "versioning"), "Suspended");
    assert!(f[0].message.starts_with("prod-a: encryption is AES256, expected kms"), "{}", f[0].message);
}

#[test]
fn s3_bucket_access_denied_is_unknown_never_pass() {
    let r = req("s3.bucket", "[requirement.expect]\nencryption = \"aws:kms\"");
    let mut b = bucket("prod-a");
    b.encryption = Observed::Unknown(denied("GetBucketEncryption"));
    let f = evaluate(&[r], &with_buckets(vec![b]));
    assert_eq!(f[0].status, Status::Unknown);
    assert_eq!(f[0].checks[0].ok, None);
    assert_eq!(f[0].checks[0].error.as_deref(), Some("s3:GetBucketEncryption in us-east-1 failed with AccessDenied"));
}

#[test]
fn s3_bucket_drift_wins_over_unknown() {
    let r = req("s3.bucket", "[requirement.expect]\nencryption = \"aws:kms\"\nversioning = true");
    let mut b = bucket("prod-a");
    b.encryption = Observed::Unknown(denied("GetBucketEncryption"));
    b.versioning = Observed::Known(None);
    let f = evaluate(&[r], &with_buckets(vec![b]));
    assert_eq!(f[0].status, Status::Drift);
}

#[test]
fn s3_bucket_list_failure_is_unknown() {
    let r = req("s3.bucket", "min_count = 1\n[requirement.expect]\nversioning = true");
    let inv = Inventory { buckets: Some(Observed::Unknown(denied("ListBuckets"))), ..Default::default() };
    let f = evaluate(&[r], &inv);
    assert_eq!(statuses(&f), [(None, Status::Unknown), (None, Status::Unknown)]);
}

#[test]
fn s3_bucket_not_collected_is_unknown() {
    let r = req("s3.bucket", "[requirement.expect]\nversioning = true");
    let f = evaluate(&[r], &Inventory::default());
    assert_eq!(statuses(&f), [(None, Status::Unknown)]);
}

#[test]
fn s3_bucket_no_match_is_not_applicable_or_drift_with_min_count() {
    let inv = with_buckets(vec![bucket("dev-a")]);
    let f =
        evaluate(&[req("s3.bucket", "select = { name = \"prod-x\" }\n[requirement.expect]\nversioning = true")], &inv);
    assert_eq!(statuses(&f), [(None, Status::NotApplicable)]);
    let f = evaluate(
        &[req("s3.bucket", "select = { name = \"prod-x\" }\nmin_count = 1\n[requirement.expect]\nversioning = true")],
        &inv,
    );
    assert_eq!(statuses(&f), [(None, Status::Drift)]);
    assert_eq!(observed(&f[0], "count"), 0);
}

#[test]
fn s3_bucket_tag_selector_with_unreadable_tags_is_unknown() {
    let r = req("s3.bucket", "select = { tags = { Env = \"prod\" } }\n[requirement.expect]\nversioning = true");
    let mut a = bucket("a");
    a.tags = Observed::Unknown(denied("GetBucketTagging"));
    let mut b = bucket("b");
    b.tags = Observed::Known(BTreeMap::new());
    let f = evaluate(&[r], &with_buckets(vec![a, b, bucket("c")]));
    assert_eq!(statuses(&f), [(Some("arn:aws:s3:::a"), Status::Unknown), (Some("arn:aws:s3:::c"), Status::Pass)]);
}

#[test]
fn s3_bucket_match_any_names_the_satisfying_bucket_or_candidates() {
    let r = req("s3.bucket", "match = \"any\"\n[requirement.expect]\nencryption = \"AES256\"");
    let mut ok = bucket("b-ok");
    ok.encryption =
        Observed::Known(Some(BucketEncryption { algorithm: "AES256".into(), kms_key: None, bucket_key: false }));
    let f = evaluate(std::slice::from_ref(&r), &with_buckets(vec![bucket("a-kms"), ok]));
    assert_eq!(statuses(&f), [(Some("arn:aws:s3:::b-ok"), Status::Pass)]);
    let f = evaluate(&[r], &with_buckets(vec![bucket("a-kms")]));
    assert_eq!(statuses(&f), [(None, Status::Drift)]);
    assert!(f[0].message.contains("a-kms: encryption is aws:kms, expected AES256"), "{}", f[0].message);
}

#[test]
fn s3_bucket_match_any_with_unknown_candidate_is_unknown() {
    let r = req("s3.bucket", "match = \"any\"\n[requirement.expect]\nencryption = \"AES256\"");
    let mut b = bucket("a");
    b.encryption = Observed::Unknown(denied("GetBucketEncryption"));
    let f = evaluate(&[r], &with_buckets(vec![b, bucket("c")]));
    assert_eq!(statuses(&f), [(None, Status::Unknown)]);
}

// ---- iam ------------------------------------------------------------------------------

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

#[test]
fn iam_role_admin_attached_inline_or_customer_managed_drifts() {
    let r = req("iam.role", "[requirement.expect]\nforbid_policies = [\"AdministratorAccess\"]");
    let mut attached = principal(Principal::Role, "a");
    attached.attached.push(AttachedPolicy {
        name: "AdministratorAccess".into(),
        arn: "arn:aws:iam::aws:policy/AdministratorAccess".into(),
    });
    let mut inline = principal(Principal::Role, "b");
    inline.inline.push(InlinePolicy {
        name: "all".into(),
        document: serde_json::json!({"Statement": [{"Effect": "Allow", "Action": ["*"], "Resource": "*"}]}),
    });
    let mut custom = principal(Principal::Role, "c");
    custom.attached.push(AttachedPolicy { name: "Mine".into(), arn: "arn:aws:iam::1:policy/Mine".into() });
    let mut fine = principal(Principal::Role, "d");
    fine.inline.push(InlinePolicy {
        name: "read".into(),
        document: serde_json::json!({"Statement": {"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}}),
    });
    let user = principal(Principal::User, "u");
    let local = BTreeMap::from([(
        "arn:aws:iam::1:policy/Mine".to_string(),
        ManagedPolicy {
            arn: "arn:aws:iam::1:policy/Mine".into(),
            name: "Mine".into(),
            document: serde_json::json!({"Statement": [{"Effect": "Allow", "Action": "*:*", "Resource": ["*"]}]}),
        },
    )]);
    let f = evaluate(&[r], &with_iam(vec![attached, inline, custom, fine, user], Observed::Known(local)));
    let s: Vec<Status> = f.iter().map(|f| f.status).collect();
    assert_eq!(s, [Status::Drift, Status::Drift, Status::Drift, Status::Pass]);
    assert_eq!(observed(&f[0], "forbid_policies"), &serde_json::json!(["AdministratorAccess (attached)"]));
    assert_eq!(observed(&f[1], "forbid_policies"), &serde_json::json!(["inline all (Allow * on *)"]));
    assert_eq!(observed(&f[2], "forbid_policies"), &serde_json::json!(["Mine (customer-managed, Allow * on *)"]));
}

#[test]
fn iam_role_customer_policy_unreadable_is_unknown() {
    let r =
        req("iam.role", "[requirement.expect]\nforbid_policies = [\"arn:aws:iam::aws:policy/AdministratorAccess\"]");
    let mut custom = principal(Principal::Role, "c");
    custom.attached.push(AttachedPolicy { name: "Mine".into(), arn: "arn:aws:iam::1:policy/Mine".into() });
    let f = evaluate(&[r], &with_iam(vec![custom], Observed::Unknown(denied("GetAccountAuthorizationDetails"))));
    assert_eq!(f[0].status, Status::Unknown);
}

#[test]
fn iam_require_policies_and_max_attached() {
    let r = req(
        "iam.role",
        "[requirement.expect]\nrequire_policies = [\"ReadOnlyAccess\", \"logs\"]\nattached_policies = { at_most = 1 }",
    );
    let mut ok = principal(Principal::Role, "ok");
    ok.attached
        .push(AttachedPolicy { name: "ReadOnlyAccess".into(), arn: "arn:aws:iam::aws:policy/ReadOnlyAccess".into() });
    ok.inline.push(InlinePolicy { name: "logs".into(), document: serde_json::Value::Null });
    let mut bad = principal(Principal::Role, "bad");
    bad.attached
        .push(AttachedPolicy { name: "ReadOnlyAccess".into(), arn: "arn:aws:iam::aws:policy/ReadOnlyAccess".into() });
    bad.attached.push(AttachedPolicy { name: "X".into(), arn: "arn:aws:iam::1:policy/X".into() });
    let f = evaluate(&[r], &with_iam(vec![ok, bad], Observed::default()));
    assert_eq!(
        statuses(&f),
        [(Some("arn:aws:iam::1:role/bad"), Status::Drift), (Some("arn:aws:iam::1:role/ok"), Status::Pass)]
    );
    let failed: Vec<&str> = f[0].checks.iter().filter(|c| c.ok == Some(false)).map(|c| c.field.as_ref()).collect();
    assert_eq!(failed, ["require_policies", "attached_policies"]);
}

#[test]
fn iam_require_mfa_for_users_and_roles() {
    let users = req("iam.user", "[requirement.expect]\nrequire_mfa = true");
    let mut with = principal(Principal::User, "with");
    with.mfa_devices = Observed::Known(1);
    let without = principal(Principal::User, "without");
    let mut unread = principal(Principal::User, "unread");
    unread.mfa_devices = Observed::Unknown(denied("ListMFADevices"));
    let f = evaluate(&[users], &with_iam(vec![with, without, unread], Observed::default()));
    assert_eq!(f.iter().map(|f| f.status).collect::<Vec<_>>(), [Status::Unknown, Status::Pass, Status::Drift]);

    let roles = req("iam.role", "[requirement.expect]\nrequire_mfa = true");
    let mut mfa = principal(Principal::Role, "mfa");
    mfa.trust_policy = Some(
        serde_json::json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "sts:AssumeRole", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}),
    );
    let mut plain = principal(Principal::Role, "plain");
    plain.trust_policy = Some(
        serde_json::json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "sts:AssumeRole"}]}),
    );
    let f = evaluate(&[roles], &with_iam(vec![mfa, plain], Observed::default()));
    assert_eq!(f.iter().map(|f| f.status).collect::<Vec<_>>(), [Status::Pass, Status::Drift]);
}

// ---- cloudtrail.trail -------------------------------------------------------------------

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

#[test]
fn cloudtrail_multi_region_trail_seen_in_two_regions_counts_once() {
    let r = req(
        "cloudtrail.trail",
        "[requirement.expect]\nlogging = true\nmulti_region = true\nkms_encrypted = false\ns3_bucket = \"b\"",
    );
    let t = trail("org", true, Observed::Known(true));
    let inv = Inventory {
        trails: BTreeMap::from([
            ("us-east-1".into(), Observed::Known(vec![t.clone()])),
            ("us-west-2".into(), Observed::Known(vec![t])),
        ]),
        ..Default::default()
    };
    let f = evaluate(&[r], &inv);
    assert_eq!(statuses(&f), [(Some("arn:aws:cloudtrail:us-east-1:1:trail/org"), Status::Pass)]);
}

#[test]
fn cloudtrail_logging_unknown_and_region_unreadable() {
    let r = req("cloudtrail.trail", "match = \"any\"\nmin_count = 1\n[requirement.expect]\nlogging = true");
    let inv = Inventory {
        trails: BTreeMap::from([
            ("us-east-1".into(), Observed::Known(vec![trail("a", false, Observed::Unknown(denied("GetTrailStatus")))])),
            ("us-west-2".into(), Observed::Unknown(denied("DescribeTrails"))),
        ]),
        ..Default::default()
    };
    let f = evaluate(&[r], &inv);
    assert_eq!(statuses(&f), [(None, Status::Unknown)]);
}

#[test]
fn cloudtrail_one_logging_trail_satisfies_any_despite_unreadable_region() {
    let r = req("cloudtrail.trail", "match = \"any\"\nmin_count = 1\n[requirement.expect]\nlogging = true");
    let inv = Inventory {
        trails: BTreeMap::from([
            ("us-east-1".into(), Observed::Known(vec![trail("a", true, Observed::Known(true))])),
            ("us-west-2".into(), Observed::Unknown(denied("DescribeTrails"))),
        ]),
        ..Default::default()
    };
    let f = evaluate(&[r], &inv);
    assert_eq!(statuses(&f), [(Some("arn:aws:cloudtrail:us-east-1:1:trail/a"), Status::Pass)]);
}

// ---- acm.certificate ---------------------------------------------------------------------

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

#[test]
fn acm_certificate_records_present_missing_and_unknown() {
    let r = req("acm.certificate", "[requirement.expect]\nstatus = \"ISSUED\"\nvalidation_method = \"DNS\"\ndns_validation_records = true\ndays_to_expiry = { at_least = 30 }");
    let certs = vec![
        cert("a.example", Some("_x.a.example."), Observed::Known(Some(true))),
        cert("b.example", Some("_x.b.example."), Observed::Known(Some(false))),
        cert("c.example", Some("_x.c.example."), Observed::Known(None)),
        cert("d.example", None, Observed::Known(None)),
        cert("e.example", Some("_x.e.example."), Observed::Unknown(denied("ListHostedZones"))),
    ];
    let inv = Inventory {
        certificates: BTreeMap::from([
            ("us-east-1".into(), Observed::Known(certs)),
            ("us-west-2".into(), Observed::Known(vec![])),
        ]),
        ..Default::default()
    };
    let f = evaluate(&[r], &inv);
    let s: Vec<Status> = f.iter().map(|f| f.status).collect();
    assert_eq!(s, [Status::Pass, Status::Drift, Status::Pass, Status::Drift, Status::Unknown]);
    assert_eq!(observed(&f[1], "dns_validation_records")[0]["state"], "missing from Route 53");
    assert_eq!(observed(&f[3], "dns_validation_records")[0]["state"], "no validation record issued");
}

#[test]
fn acm_certificate_pending_has_no_expiry_and_drifts() {
    let r = req("acm.certificate", "[requirement.expect]\ndays_to_expiry = { at_least = 30 }\nstatus = \"ISSUED\"");
    let mut c = cert("a.example", None, Observed::Known(None));
    c.status = Some("PENDING_VALIDATION".into());
    c.not_after = None;
    let inv = Inventory {
        certificates: BTreeMap::from([
            ("us-east-1".into(), Observed::Known(vec![c])),
            ("us-west-2".into(), Observed::Known(vec![])),
        ]),
        ..Default::default()
    };
    let f = evaluate(&[r], &inv);
    assert_eq!(f[0].status, Status::Drift);
    assert_eq!(observed(&f[0], "status"), "PENDING_VALIDATION");
}

// ---- ec2.vpc_peering -----------------------------------------------------------------------

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

const MESH: &str = "[requirement.expect]\nroutes = true\nmesh = [{ region = \"us-east-1\", vpc = { name = \"e\" } }, { region = \"us-west-2\", vpc = { name = \"w\" } }, { region = \"ap-south-1\", vpc = { name = \"s\" } }]";

#[test]
fn vpc_peering_reports_exactly_the_missing_and_unrouted_pairs() {
    let (e, w, s) = (
        vpc("us-east-1", "vpc-e", "e", "10.1.0.0/16"),
        vpc("us-west-2", "vpc-w", "w", "10.2.0.0/16"),
        vpc("ap-south-1", "vpc-s", "s", "10.3.0.0/16"),
    );
    let ew = pcx("pcx-ew", &e, &w, "active");
    let es = pcx("pcx-es", &e, &s, "active");
    let net = |v: &Vpc, peerings: Vec<Peering>, tables: Vec<RouteTable>| Network {
        vpcs: Observed::Known(vec![v.clone()]),
        peerings: Observed::Known(peerings),
        route_tables: Observed::Known(tables),
        subnets: Observed::default(),
        flow_logs: Observed::default(),
    };
    let inv = Inventory {
        networks: BTreeMap::from([
            // a cross-region connection is listed in both of its regions
            (
                "us-east-1".into(),
                net(
                    &e,
                    vec![ew.clone(), es.clone()],
                    vec![table("rtb-e", &e, &[("10.2.0.0/16", "pcx-ew"), ("10.3.0.0/16", "pcx-es")])],
                ),
            ),
            ("us-west-2".into(), net(&w, vec![ew.clone()], vec![table("rtb-w", &w, &[("10.1.0.0/16", "pcx-ew")])])),
            ("ap-south-1".into(), net(&s, vec![es], vec![table("rtb-s", &s, &[])])),
        ]),
        ..Default::default()
    };
    let f = evaluate(&[req("ec2.vpc_peering", MESH)], &inv);
    assert_eq!(
        statuses(&f),
        [
            (Some("us-east-1:e <-> ap-south-1:s"), Status::Drift),
            (Some("us-east-1:e <-> us-west-2:w"), Status::Pass),
            (Some("us-west-2:w <-> ap-south-1:s"), Status::Drift)
        ]
    );
    let oks: Vec<(&str, Option<bool>)> = f[0].checks.iter().map(|c| (c.field.as_ref(), c.ok)).collect();
    assert_eq!(oks, [("peering", Some(true)), ("routes.us-east-1", Some(true)), ("routes.ap-south-1", Some(false))]);
    assert_eq!(observed(&f[2], "peering"), "no peering connection");
}

#[test]
fn vpc_peering_unreadable_region_and_ambiguous_vpc() {
    let e = vpc("us-east-1", "vpc-e", "e", "10.1.0.0/16");
    let w1 = vpc("us-west-2", "vpc-w1", "w", "10.2.0.0/16");
    let w2 = vpc("us-west-2", "vpc-w2", "w", "10.4.0.0/16");
    let inv = Inventory {
        networks: BTreeMap::from([
            (
                "us-east-1".into(),
                Network {
                    vpcs: Observed::Known(vec![e]),
                    peerings: Observed::Known(vec![]),
                    route_tables: Observed::Known(vec![]),
                    subnets: Observed::default(),
                    flow_logs: Observed::default(),
                },
            ),
            (
                "us-west-2".into(),
                Network {
                    vpcs: Observed::Known(vec![w1, w2]),
                    peerings: Observed::Known(vec![]),
                    route_tables: Observed::Known(vec![]),
                    subnets: Observed::default(),
                    flow_logs: Observed::default(),
                },
            ),
            (
                "ap-south-1".into(),
                Network {
                    vpcs: Observed::Unknown(denied("DescribeVpcs")),
                    peerings: Observed::Known(vec![]),
                    route_tables: Observed::Known(vec![]),
                    subnets: Observed::default(),
                    flow_logs: Observed::default(),
                },
            ),
        ]),
        ..Default::default()
    };
    let f = evaluate(&[req("ec2.vpc_peering", MESH)], &inv);
    assert_eq!(statuses(&f), [(Some("ap-south-1:name=s"), Status::Unknown), (Some("us-west-2:name=w"), Status::Drift)]);
}

#[test]
fn vpc_peering_list_unreadable_is_unknown_not_missing() {
    let (e, w) = (vpc("us-east-1", "vpc-e", "e", "10.1.0.0/16"), vpc("us-west-2", "vpc-w", "w", "10.2.0.0/16"));
    let mesh = "[requirement.expect]\nmesh = [{ region = \"us-east-1\", vpc = { name = \"e\" } }, { region = \"us-west-2\", vpc = { name = \"w\" } }]";
    let inv = Inventory {
        networks: BTreeMap::from([
            (
                "us-east-1".into(),
                Network {
                    vpcs: Observed::Known(vec![e]),
                    peerings: Observed::Unknown(denied("DescribeVpcPeeringConnections")),
                    route_tables: Observed::Known(vec![]),
                    subnets: Observed::default(),
                    flow_logs: Observed::default(),
                },
            ),
            (
                "us-west-2".into(),
                Network {
                    vpcs: Observed::Known(vec![w]),
                    peerings: Observed::Known(vec![]),
                    route_tables: Observed::Known(vec![]),
                    subnets: Observed::default(),
                    flow_logs: Observed::default(),
                },
            ),
        ]),
        ..Default::default()
    };
    let f = evaluate(&[req("ec2.vpc_peering", mesh)], &inv);
    assert_eq!(statuses(&f), [(Some("us-east-1:e <-> us-west-2:w"), Status::Unknown)]);
}

// ---- cloudwatch.alarm ----------------------------------------------------------------------

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

#[test]
fn cloudwatch_alarm_candidates_by_metric_then_checked() {
    let r = req(
        "cloudwatch.alarm",
        "min_count = 1\n[requirement.expect]\nnamespace = \"AWS/EC2\"\nmetric_name = \"CPUUtilization\"\ndimensions = { AutoScalingGroupName = \"*\" }\ncomparison = \">=\"\nthreshold = 70\nstatistic = \"Average\"\nactions_enabled = true\nalarm_actions = true",
    );
    let alarms = vec![
        alarm("good", "CPUUtilization", "GreaterThanOrEqualToThreshold", 70.0, &["arn:aws:sns:us-east-1:1:t"]),
        alarm("bad", "CPUUtilization", "GreaterThanThreshold", 90.0, &[]),
        alarm("other", "NetworkIn", "GreaterThanThreshold", 1.0, &[]),
    ];
    let inv = Inventory {
        alarms: BTreeMap::from([
            ("us-east-1".into(), Observed::Known(alarms)),
            ("us-west-2".into(), Observed::Known(vec![])),
        ]),
        ..Default::default()
    };
    let f = evaluate(&[r], &inv);
    assert_eq!(
        statuses(&f),
        [
            (Some("arn:aws:cloudwatch:us-east-1:1:alarm:bad"), Status::Drift),
            (Some("arn:aws:cloudwatch:us-east-1:1:alarm:good"), Status::Pass)
        ]
    );
    let failed: Vec<&str> = f[0].checks.iter().filter(|c| c.ok == Some(false)).map(|c| c.field.as_ref()).collect();
    assert_eq!(failed, ["comparison", "threshold", "alarm_actions"]);
}

#[test]
fn cloudwatch_alarm_none_on_metric_with_min_count_drifts() {
    let r = req(
        "cloudwatch.alarm",
        "match = \"any\"\nmin_count = 1\n[requirement.expect]\nmetric_name = \"CPUUtilization\"\nthreshold = 70",
    );
    let inv = Inventory {
        alarms: BTreeMap::from([
            ("us-east-1".into(), Observed::Known(vec![])),
            ("us-west-2".into(), Observed::Known(vec![])),
        ]),
        ..Default::default()
    };
    let f = evaluate(&[r], &inv);
    assert_eq!(statuses(&f), [(None, Status::Drift)]);
    assert_eq!(observed(&f[0], "count"), 0);
}

#[test]
fn cloudtrail_every_field_can_drift() {
    let r = req(
        "cloudtrail.trail",
        "[requirement.expect]\nlogging = true\nmulti_region = true\nlog_file_validation = true\nkms_encrypted = true\ninclude_global_service_events = true\ns3_bucket = \"audit\"",
    );
    let mut t = trail("weak", false, Observed::Known(false));
    t.log_file_validation = Some(false);
    t.include_global_service_events = None;
    let inv = Inventory {
        trails: BTreeMap::from([
            ("us-east-1".into(), Observed::Known(vec![t])),
            ("us-west-2".into(), Observed::Known(vec![])),
        ]),
        ..Default::default()
    };
    let f = evaluate(&[r], &inv);
    let failed: Vec<&str> = f[0].checks.iter().filter(|c| c.ok == Some(false)).map(|c| c.field.as_ref()).collect();
    assert_eq!(failed, ["logging", "multi_region", "log_file_validation", "kms_encrypted", "s3_bucket"]);
    // a flag the answer left out is unknown, never taken for false
    let absent: Vec<&str> = f[0].checks.iter().filter(|c| c.ok.is_none()).map(|c| c.field.as_ref()).collect();
    assert_eq!(absent, ["include_global_service_events"]);
    assert_eq!(f[0].status, Status::Drift);
}

#[test]
fn absent_flags_are_unknown_even_when_false_is_expected() {
    let r = req(
        "cloudtrail.trail",
        "[requirement.expect]
log_file_validation = false",
    );
    let mut t = trail("t", true, Observed::Known(true));
    t.log_file_validation = None;
    let inv = Inventory { trails: one_region(vec![t]), ..Default::default() };
    assert_eq!(statuses(&evaluate(&[r], &inv)), [(Some("arn:aws:cloudtrail:us-east-1:1:trail/t"), Status::Unknown)]);
}

#[test]
fn name_pattern_applies_to_every_named_kind() {
    let r = req("s3.bucket", "[requirement.expect]\nname_pattern = \"prod-{name}-{region}\"");
    let mut good = bucket("prod-logs-us-east-1");
    good.region = Observed::Known("us-east-1".into());
    let mut wrong_region = bucket("prod-logs-us-west-2");
    wrong_region.region = Observed::Known("us-east-1".into());
    let f = evaluate(&[r], &with_buckets(vec![good, wrong_region]));
    assert_eq!(
        statuses(&f),
        [
            (Some("arn:aws:s3:::prod-logs-us-east-1"), Status::Pass),
            (Some("arn:aws:s3:::prod-logs-us-west-2"), Status::Drift)
        ]
    );
    assert_eq!(observed(&f[1], "name_pattern"), "prod-logs-us-west-2");
    for k in REGISTRY {
        assert_eq!(k.field("name_pattern").is_some(), k.selectable, "{}", k.name);
    }
}

#[test]
fn docs_kinds_md_matches_the_registry() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/kinds.md");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(path, markdown()).unwrap();
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(on_disk == markdown(), "docs/kinds.md is stale: run UPDATE_SNAPSHOTS=1 cargo test --lib docs_kinds");
}

// ---- kms.key, dynamodb.table, lambda.function, ec2.security_group ------------------------

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

#[test]
fn kms_key_rotation_principals_and_unknown() {
    let r = req(
        "kms.key",
        "select = { name_prefix = \"app\" }\n[requirement.expect]\nrotation = true\ncustomer_managed = true\nenabled = true\npolicy_principals = [\"111122223333\"]\nregion_agnostic_principals = true",
    );
    let good_policy = serde_json::json!({"Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"Service": "logs.amazonaws.com"}, "Action": "kms:Encrypt*", "Resource": "*"}]});
    let regional_policy = serde_json::json!({"Statement": [
        {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root"]}, "Action": "kms:*", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"Service": ["logs.us-east-1.amazonaws.com"]}, "Action": "kms:Encrypt*", "Resource": "*"}]});
    let keys = vec![
        key("app-good", Observed::Known(true), good_policy.clone()),
        key("app-regional", Observed::Known(true), regional_policy),
        key("app-norotate", Observed::Known(false), good_policy.clone()),
        key("app-unread", Observed::Unknown(denied("GetKeyRotationStatus")), good_policy),
    ];
    let inv = Inventory { kms_keys: one_region(keys), ..Default::default() };
    let f = evaluate(&[r], &inv);
    let by_name: Vec<(&str, Status)> = f.iter().map(|f| (f.message.split(':').next().unwrap(), f.status)).collect();
    assert_eq!(
        by_name,
        [
            ("app-good", Status::Pass),
            ("app-norotate", Status::Drift),
            ("app-regional", Status::Drift),
            ("app-unread", Status::Unknown)
        ]
    );
    assert_eq!(observed(&f[2], "region_agnostic_principals"), &serde_json::json!(["logs.us-east-1.amazonaws.com"]));
}

#[test]
fn dynamodb_table_fields() {
    let r = req(
        "dynamodb.table",
        "[requirement.expect]\nsse_kms = true\ncustomer_managed_key = true\npoint_in_time_recovery = true\ndeletion_protection = true",
    );
    let table = |name: &str, sse: Option<&str>, manager: Observed<Option<String>>, pitr: bool, protect: bool| Table {
        name: name.into(),
        arn: format!("arn:aws:dynamodb:us-east-1:1:table/{name}"),
        region: "us-east-1".into(),
        sse_type: sse.map(str::to_string),
        kms_key: sse.map(|_| "arn:aws:kms:us-east-1:1:key/k".to_string()),
        key_manager: manager,
        point_in_time_recovery: Observed::Known(pitr),
        deletion_protection: Some(protect),
        tags: Observed::Known(BTreeMap::new()),
        replicas: vec![],
        unread: None,
    };
    let tables = vec![
        table("a-good", Some("KMS"), Observed::Known(Some("CUSTOMER".into())), true, true),
        table("b-aws-key", Some("KMS"), Observed::Known(Some("AWS".into())), true, true),
        table("c-default", None, Observed::Known(None), false, false),
        table("d-unread", Some("KMS"), Observed::Unknown(denied("DescribeKey")), true, true),
    ];
    let f = evaluate(&[r], &Inventory { tables: one_region(tables), ..Default::default() });
    assert_eq!(
        f.iter().map(|f| f.status).collect::<Vec<_>>(),
        [Status::Pass, Status::Drift, Status::Drift, Status::Unknown]
    );
    let failed: Vec<&str> = f[2].checks.iter().filter(|c| c.ok == Some(false)).map(|c| c.field.as_ref()).collect();
    assert_eq!(failed, ["sse_kms", "customer_managed_key", "point_in_time_recovery", "deletion_protection"]);
}

#[test]
fn lambda_function_runtime_and_cmk() {
    let r = req("lambda.function", "[requirement.expect]\nruntime = \"python3.12\"\nenv_encrypted_with_cmk = true");
    let function = |name: &str, runtime: &str, key: Option<&str>| Function {
        name: name.into(),
        arn: format!("arn:aws:lambda:us-east-1:1:function:{name}"),
        region: "us-east-1".into(),
        runtime: Some(runtime.into()),
        kms_key: key.map(str::to_string),
        has_environment: true,
        tags: Observed::Known(BTreeMap::new()),
    };
    let fs = vec![function("a", "python3.12", Some("arn:aws:kms:us-east-1:1:key/k")), function("b", "python3.9", None)];
    let f = evaluate(&[r], &Inventory { functions: one_region(fs), ..Default::default() });
    assert_eq!(f.iter().map(|f| f.status).collect::<Vec<_>>(), [Status::Pass, Status::Drift]);
    assert_eq!(observed(&f[1], "runtime"), "python3.9");
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

#[test]
fn security_group_ssh_restriction_and_world_ports() {
    let r = req(
        "ec2.security_group",
        "[requirement.expect]\nrestrict_ports = { \"22\" = [\"10.0.0.0/16\", \"2001:db8::/32\"] }\nworld_open_ports = [\"443\"]",
    );
    let groups = vec![
        sg(
            "a-ok",
            vec![
                rule("tcp", 443, 443, "0.0.0.0/0"),
                rule("tcp", 22, 22, "10.0.1.0/24"),
                rule("tcp", 22, 22, "2001:db8:1::/48"),
            ],
        ),
        sg("b-wide-ssh", vec![rule("tcp", 22, 22, "10.0.0.0/8")]),
        sg("c-http", vec![rule("tcp", 443, 443, "0.0.0.0/0"), rule("tcp", 80, 80, "0.0.0.0/0")]),
        sg("d-all", vec![rule("-1", -1, -1, "::/0")]),
        sg("e-range", vec![rule("tcp", 0, 1024, "10.0.0.0/16")]),
    ];
    let f = evaluate(&[r], &Inventory { security_groups: one_region(groups), ..Default::default() });
    assert_eq!(
        f.iter().map(|f| f.status).collect::<Vec<_>>(),
        [Status::Pass, Status::Drift, Status::Drift, Status::Drift, Status::Pass]
    );
    assert_eq!(observed(&f[1], "restrict_ports"), &serde_json::json!(["tcp/22 from 10.0.0.0/8"]));
    assert_eq!(observed(&f[2], "world_open_ports"), &serde_json::json!(["tcp/80 from 0.0.0.0/0"]));
    assert_eq!(observed(&f[3], "world_open_ports"), &serde_json::json!(["all traffic from ::/0"]));
    assert_eq!(observed(&f[3], "restrict_ports"), &serde_json::json!(["all traffic from ::/0"]));
    assert_eq!(f[0].resource.as_deref(), Some("arn:aws:ec2:us-east-1:1:security-group/sg-a-ok"));
}

#[test]
fn cidr_containment_and_port_specs() {
    let c = |s: &str| Cidr::parse(s).unwrap();
    assert!(c("10.0.1.0/24").within(&c("10.0.0.0/16")));
    assert!(!c("10.0.0.0/8").within(&c("10.0.0.0/16")));
    assert!(c("0.0.0.0/0").within(&c("0.0.0.0/0")));
    assert!(c("192.168.1.7/32").within(&c("0.0.0.0/0")));
    assert!(!c("::/0").within(&c("0.0.0.0/0")));
    assert!(c("2001:db8:1::/48").within(&c("::/0")));
    assert!(Cidr::parse("10.0.0.0/33").is_none() && Cidr::parse("10.0.0/8").is_none());
    assert_eq!(PortSpec::parse("22"), Ok(PortSpec { protocol: "tcp", port: 22 }));
    assert_eq!(PortSpec::parse("udp/53"), Ok(PortSpec { protocol: "udp", port: 53 }));
    assert!(PortSpec::parse("ssh").is_err() && PortSpec::parse("tcp/70000").is_err());
}

#[test]
fn security_group_profile_mistakes_are_located() {
    let text = "[profile]\nname = \"t\"\n[[requirement]]\nid = \"r\"\nkind = \"ec2.security_group\"\nexpect = { restrict_ports = { ssh = [\"10.0.0.0/8\"] } }\n";
    let d = crate::profile::parse("t.toml", text).unwrap_err().0;
    assert_eq!(d[0].to_string(), "t.toml:6:31: expect.restrict_ports: `ssh` must be a port like 22, tcp/22 or udp/53");
    let text = "[profile]\nname = \"t\"\n[[requirement]]\nid = \"r\"\nkind = \"ec2.security_group\"\nexpect = { restrict_ports = { \"22\" = [\"10.0.0/8\"] } }\n";
    let d = crate::profile::parse("t.toml", text).unwrap_err().0;
    assert_eq!(
        d[0].to_string(),
        "t.toml:6:38: expect.restrict_ports.22: `10.0.0/8` is not a CIDR block like 10.0.0.0/16"
    );
}

#[test]
fn vpc_public_and_private_subnets_by_route_table() {
    let r = req("ec2.vpc", "select = { tags = { Environment = \"Production\" } }\nmin_count = 1\n[requirement.expect]\npublic_subnets = { at_least = 1 }\nprivate_subnets = { at_least = 2 }\nrequired_tags = { Environment = \"Production\" }");
    let mut prod = vpc("us-east-1", "vpc-p", "prod", "10.0.0.0/16");
    prod.tags.insert("Environment".into(), "Production".into());
    let dev = vpc("us-east-1", "vpc-d", "dev", "10.9.0.0/16");
    let subnet = |id: &str, vpc: &str| Subnet {
        id: id.into(),
        vpc_id: vpc.into(),
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
    let tables = vec![
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
            subnets: vec!["subnet-a".into()],
            ..Default::default()
        },
    ];
    let network = |subnets: Observed<Vec<Subnet>>| Network {
        vpcs: Observed::Known(vec![prod.clone(), dev.clone()]),
        peerings: Observed::Known(vec![]),
        route_tables: Observed::Known(tables.clone()),
        subnets,
        flow_logs: Observed::default(),
    };
    let all = vec![
        subnet("subnet-a", "vpc-p"),
        subnet("subnet-b", "vpc-p"),
        subnet("subnet-c", "vpc-p"),
        subnet("subnet-x", "vpc-d"),
    ];
    let single = |n: Network| Inventory {
        networks: BTreeMap::from([
            ("us-east-1".into(), n.clone()),
            ("us-west-2".into(), Network { vpcs: Observed::Known(vec![]), ..n }),
        ]),
        ..Default::default()
    };
    let f = evaluate(std::slice::from_ref(&r), &single(network(Observed::Known(all))));
    assert_eq!(statuses(&f), [(Some("arn:aws:ec2:us-east-1:1:vpc/vpc-p"), Status::Pass)]);
    assert_eq!(observed(&f[0], "public_subnets"), &serde_json::json!(["subnet-a"]));
    assert_eq!(observed(&f[0], "private_subnets"), &serde_json::json!(["subnet-b", "subnet-c"]));
    let f = evaluate(std::slice::from_ref(&r), &single(network(Observed::Known(vec![subnet("subnet-b", "vpc-p")]))));
    assert_eq!(f[0].status, Status::Drift);
    let f = evaluate(&[r], &single(network(Observed::Unknown(denied("DescribeSubnets")))));
    assert_eq!(f[0].status, Status::Unknown);
}

#[test]
fn s3_bucket_private_reads_acl_and_policy() {
    let r = req("s3.bucket", "[requirement.expect]\nprivate = true");
    // no public access block anywhere, and a service that does not evaluate
    // policies: the policy rules decide
    let unblocked = |name: &str| {
        let mut b = bucket(name);
        b.public_access_block = Observed::Known(None);
        b.policy_status = Observed::Unknown(Gap {
            class: ErrorClass::NotAvailable,
            code: "NotImplemented".into(),
            ..denied("GetBucketPolicyStatus")
        });
        b
    };
    let mut public_acl = unblocked("a-acl");
    public_acl.acl_grants =
        Observed::Known(vec![("http://acs.amazonaws.com/groups/global/AllUsers".into(), "READ".into())]);
    public_acl.policy = Observed::Known(None);
    let mut oac = unblocked("b-oac");
    oac.acl_grants = Observed::Known(vec![("owner-id".into(), "FULL_CONTROL".into())]);
    oac.policy = Observed::Known(Some(
        serde_json::json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"AWS:SourceArn": "arn:aws:cloudfront::1:distribution/X"}}}]}),
    ));
    let mut any_cf = unblocked("c-any-cloudfront");
    any_cf.acl_grants = Observed::Known(vec![]);
    any_cf.policy = Observed::Known(Some(
        serde_json::json!({"Statement": {"Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject", "Resource": "*"}}),
    ));
    let mut star = unblocked("d-star");
    star.acl_grants = Observed::Known(vec![]);
    star.policy = Observed::Known(Some(
        serde_json::json!({"Statement": [{"Sid": "Open", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}),
    ));
    let mut unread = unblocked("e-unread");
    unread.acl_grants = Observed::Unknown(denied("GetBucketAcl"));
    unread.policy = Observed::Known(None);
    let f = evaluate(&[r], &with_buckets(vec![public_acl, oac, any_cf, star, unread]));
    assert_eq!(
        f.iter().map(|f| f.status).collect::<Vec<_>>(),
        [Status::Drift, Status::Pass, Status::Drift, Status::Drift, Status::Unknown]
    );
    assert_eq!(observed(&f[0], "private"), &serde_json::json!(["ACL grants READ to AllUsers"]));
    assert_eq!(
        observed(&f[2], "private"),
        &serde_json::json!(["policy statement #1 lets any CloudFront distribution read (no AWS:SourceArn condition)"])
    );
    assert_eq!(observed(&f[3], "private"), &serde_json::json!(["policy statement Open allows everyone"]));
}

#[test]
fn autoscaling_group_bounds_and_launch_source() {
    let r = req(
        "autoscaling.group",
        "[requirement.expect]\nmin_size = { at_least = 2 }\nlaunch_template = true\nsubnets = { at_least = 2 }",
    );
    let group = |name: &str, min: i32, lt: Option<&str>, lc: Option<&str>| AutoScalingGroup {
        name: name.into(),
        arn: format!("arn:aws:autoscaling:us-east-1:1:autoScalingGroup:x:autoScalingGroupName/{name}"),
        region: "us-east-1".into(),
        min_size: min,
        max_size: 4,
        desired: min,
        launch_template: lt.map(str::to_string),
        launch_configuration: lc.map(str::to_string),
        instance_types: vec![],
        subnets: vec!["subnet-a".into(), "subnet-b".into()],
        tags: Observed::Known(BTreeMap::new()),
    };
    let groups = vec![group("a", 2, Some("lt-1"), None), group("b", 1, None, Some("lc-1"))];
    let f = evaluate(&[r], &Inventory { autoscaling_groups: one_region(groups), ..Default::default() });
    assert_eq!(f.iter().map(|f| f.status).collect::<Vec<_>>(), [Status::Pass, Status::Drift]);
    assert_eq!(observed(&f[1], "launch_template"), "launch configuration lc-1");
    assert_eq!(observed(&f[1], "min_size"), 1);
}

#[test]
fn load_balancer_scheme_and_listeners() {
    let r =
        req("elbv2.load_balancer", "[requirement.expect]\nscheme = \"internet-facing\"\nlisteners = [\"HTTPS:443\"]");
    let lb = |name: &str, scheme: &str, listeners: Observed<Vec<Listener>>| LoadBalancer {
        name: name.into(),
        arn: format!("arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/{name}/1"),
        region: "us-east-1".into(),
        lb_type: Some("application".into()),
        scheme: Some(scheme.into()),
        listeners,
        tags: Observed::Known(BTreeMap::new()),
    };
    let https = Listener {
        arn: "l".into(),
        protocol: Some("HTTPS".into()),
        port: Some(443),
        ssl_policy: None,
        ssl_protocols: Observed::Known(vec![]),
        actions: vec!["forward".into()],
        redirect_protocol: None,
    };
    let lbs = vec![
        lb("a", "internet-facing", Observed::Known(vec![https])),
        lb("b", "internal", Observed::Known(vec![])),
        lb("c", "internet-facing", Observed::Unknown(denied("DescribeListeners"))),
    ];
    let f = evaluate(&[r], &Inventory { load_balancers: one_region(lbs), ..Default::default() });
    assert_eq!(f.iter().map(|f| f.status).collect::<Vec<_>>(), [Status::Pass, Status::Drift, Status::Unknown]);
}

#[test]
fn config_rule_by_managed_identifier_and_recorder() {
    let r = req("config.rule", "match = \"any\"\nmin_count = 1\n[requirement.expect]\nsource_identifier = \"S3_BUCKET_PUBLIC_READ_PROHIBITED\"\nrecorder_on = true");
    let rule = |name: &str, id: &str, recording: bool| ConfigRule {
        name: name.into(),
        arn: format!("arn:aws:config:us-east-1:1:config-rule/{name}"),
        region: "us-east-1".into(),
        owner: Some("AWS".into()),
        source_identifier: Some(id.into()),
        state: Some("ACTIVE".into()),
        recorder_on: Observed::Known(recording),
        tags: Observed::Known(BTreeMap::new()),
    };
    let ok =
        vec![rule("other", "ENCRYPTED_VOLUMES", true), rule("public-read", "S3_BUCKET_PUBLIC_READ_PROHIBITED", true)];
    let f = evaluate(std::slice::from_ref(&r), &Inventory { config_rules: one_region(ok), ..Default::default() });
    assert_eq!(statuses(&f), [(Some("arn:aws:config:us-east-1:1:config-rule/public-read"), Status::Pass)]);
    let off = vec![rule("public-read", "S3_BUCKET_PUBLIC_READ_PROHIBITED", false)];
    let f = evaluate(std::slice::from_ref(&r), &Inventory { config_rules: one_region(off), ..Default::default() });
    assert_eq!(f[0].status, Status::Drift);
    let none = vec![rule("other", "ENCRYPTED_VOLUMES", true)];
    let f = evaluate(&[r], &Inventory { config_rules: one_region(none), ..Default::default() });
    assert_eq!(statuses(&f), [(None, Status::Drift)]);
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

#[test]
fn cloudfront_logging_to_a_missing_bucket_and_unknown_acl() {
    let r = req(
        "cloudfront.distribution",
        "[requirement.expect]\noac = true\norigin_failover = true\nfailover_status_codes = [\"500\"]\nweb_acl = true\nlogging = true\nmin_tls = \"TLSv1.2_2019\"\ncompression = true\ncustom_error_codes = [\"404\"]\naliases = [\"example.com\"]",
    );
    let acl = WebAcl {
        name: "site".into(),
        id: "acl-1".into(),
        arn: "arn:aws:wafv2:us-east-1:1:global/webacl/site/acl-1".into(),
        scope: "CLOUDFRONT".into(),
        region: "us-east-1".into(),
        managed_groups: Observed::Known(vec![]),
        rate_rules: Observed::Known(vec![]),
        logging: Observed::Known(true),
        tags: Observed::Known(BTreeMap::new()),
    };
    let inv = |logging: &str, acls: Observed<Vec<WebAcl>>| Inventory {
        distributions: Some(Observed::Known(vec![distribution(
            Observed::Known(Some(format!("{logging}.s3.amazonaws.com"))),
            Some(&acl.arn),
        )])),
        buckets: Some(Observed::Known(vec![bucket("site-logs")])),
        web_acls: BTreeMap::from([("CLOUDFRONT:us-east-1".into(), acls)]),
        ..Default::default()
    };
    let f = evaluate(std::slice::from_ref(&r), &inv("site-logs", Observed::Known(vec![acl.clone()])));
    assert_eq!(f[0].status, Status::Pass, "{:?}", f[0]);
    let f =
        evaluate(std::slice::from_ref(&r), &inv("project-stack-cloudfront-logs", Observed::Known(vec![acl.clone()])));
    assert_eq!(f[0].status, Status::Drift);
    assert_eq!(
        observed(&f[0], "logging"),
        "project-stack-cloudfront-logs.s3.amazonaws.com (no such bucket in this account)"
    );
    let f = evaluate(&[r], &inv("site-logs", Observed::Unknown(denied("ListWebACLs"))));
    assert_eq!(f[0].status, Status::Unknown);
}

#[test]
fn waf_acl_rule_groups_rate_limit_logging() {
    let r = req(
        "wafv2.web_acl",
        "[requirement.expect]\nscope = \"CLOUDFRONT\"\nmanaged_rule_groups = [\"AWSManagedRulesCommonRuleSet\", \"AWS:AWSManagedRulesKnownBadInputsRuleSet\"]\nrate_limit = true\nrate_limit_requests = { at_most = 2000 }\nlogging = true",
    );
    let acl = |name: &str, groups: &[&str], limits: Vec<i64>, logging: bool| WebAcl {
        name: name.into(),
        id: name.into(),
        arn: format!("arn:aws:wafv2:us-east-1:1:global/webacl/{name}/x"),
        scope: "CLOUDFRONT".into(),
        region: "us-east-1".into(),
        managed_groups: Observed::Known(
            groups
                .iter()
                .map(|g| ManagedGroupUse {
                    rule: g.to_string(),
                    group: g.to_string(),
                    version: None,
                    top_level: true,
                    override_action: Some("None".into()),
                    rule_overrides: BTreeMap::new(),
                    group_rules: None,
                })
                .collect(),
        ),
        rate_rules: Observed::Known(
            limits
                .into_iter()
                .map(|limit| RateRule { rule: "rate".into(), limit, action: Some("Block".into()), top_level: true })
                .collect(),
        ),
        logging: Observed::Known(logging),
        tags: Observed::Known(BTreeMap::new()),
    };
    let all = ["AWS:AWSManagedRulesCommonRuleSet", "AWS:AWSManagedRulesKnownBadInputsRuleSet"];
    let acls = vec![acl("a-good", &all, vec![2000], true), acl("b-weak", &all[..1], vec![], false)];
    let inv = Inventory {
        web_acls: BTreeMap::from([("CLOUDFRONT:us-east-1".into(), Observed::Known(acls))]),
        ..Default::default()
    };
    let f = evaluate(&[r], &inv);
    assert_eq!(f.iter().map(|f| f.status).collect::<Vec<_>>(), [Status::Pass, Status::Drift]);
    let failed: Vec<&str> = f[1].checks.iter().filter(|c| c.ok == Some(false)).map(|c| c.field.as_ref()).collect();
    assert_eq!(failed, ["managed_rule_groups", "rate_limit", "rate_limit_requests", "logging"]);
}

#[test]
fn route53_alias_records_by_type() {
    let r = req("route53.record", "select = { name = \"example.com\" }\nmin_count = 1\n[requirement.expect]\ntype = \"AAAA\"\nalias_to = \"cloudfront.net\"");
    let rec = |t: &str, alias: Option<&str>| RecordSet {
        zone_id: "Z1".into(),
        zone_name: "example.com".into(),
        private_zone: false,
        name: "example.com".into(),
        record_type: t.into(),
        alias_target: alias.map(str::to_string),
        values: vec![],
    };
    let inv = |records: Vec<RecordSet>| Inventory { records: Some(Observed::Known(records)), ..Default::default() };
    let f = evaluate(
        std::slice::from_ref(&r),
        &inv(vec![rec("A", Some("d1.cloudfront.net")), rec("AAAA", Some("d1.cloudfront.net"))]),
    );
    assert_eq!(statuses(&f), [(Some("Z1/example.com/AAAA"), Status::Pass)]);
    let f = evaluate(&[r], &inv(vec![rec("A", Some("d1.cloudfront.net"))]));
    assert_eq!(statuses(&f), [(None, Status::Drift)]);
}

#[test]
fn required_tags_on_trails_alarms_and_acls() {
    let r = req("cloudtrail.trail", "[requirement.expect]\nrequired_tags = { Team = \"*\" }");
    let mut tagged = trail("a", true, Observed::Known(true));
    tagged.tags = Observed::Known(BTreeMap::from([("Team".into(), "sec".into())]));
    let mut unread = trail("b", true, Observed::Known(true));
    unread.tags = Observed::Unknown(denied("ListTags"));
    let inv = Inventory {
        trails: BTreeMap::from([
            ("us-east-1".into(), Observed::Known(vec![tagged, unread, trail("c", true, Observed::Known(true))])),
            ("us-west-2".into(), Observed::Known(vec![])),
        ]),
        ..Default::default()
    };
    let f = evaluate(&[r], &inv);
    assert_eq!(f.iter().map(|f| f.status).collect::<Vec<_>>(), [Status::Pass, Status::Unknown, Status::Drift]);
    for kind in ["cloudtrail.trail", "acm.certificate", "cloudwatch.alarm", "config.rule", "wafv2.web_acl"] {
        assert!(find(kind).unwrap().field("required_tags").is_some(), "{kind}");
    }
}

#[test]
fn rds_instance_fields_and_private_subnets() {
    let r = req(
        "rds.instance",
        "[requirement.expect]\nengine = \"postgres\"\nstorage_encrypted = true\npublicly_accessible = false\nprivate_subnets = true\nbackup_retention_days = { at_least = 7 }\nreplica_regions = [\"us-west-2\"]",
    );
    let db = |id: &str, subnet: &str, replicas: Vec<String>| DbInstance {
        id: id.into(),
        arn: format!("arn:aws:rds:us-east-1:1:db:{id}"),
        region: "us-east-1".into(),
        engine: Some("postgres".into()),
        storage_encrypted: Some(true),
        publicly_accessible: Some(false),
        backup_retention_days: 7,
        deletion_protection: Some(true),
        multi_az: Some(false),
        read_replicas: replicas,
        subnets: vec![subnet.into()],
        tags: Observed::Known(BTreeMap::new()),
        cluster_id: None,
        cluster: None,
    };
    let net = network_with_public_subnet("subnet-pub", &["subnet-priv"]);
    let west_replica = "arn:aws:rds:us-west-2:1:db:orders-replica".to_string();
    let inv = Inventory {
        db_instances: one_region(vec![
            db("a-good", "subnet-priv", vec![west_replica]),
            db("b-public-subnet", "subnet-pub", vec![]),
        ]),
        networks: BTreeMap::from([("us-east-1".into(), net.clone()), ("us-west-2".into(), net)]),
        ..Default::default()
    };
    let f = evaluate(&[r], &inv);
    assert_eq!(f.iter().map(|f| f.status).collect::<Vec<_>>(), [Status::Pass, Status::Drift]);
    let failed: Vec<&str> = f[1].checks.iter().filter(|c| c.ok == Some(false)).map(|c| c.field.as_ref()).collect();
    assert_eq!(failed, ["private_subnets", "replica_regions"]);
}

#[test]
fn listener_https_policy_and_http_redirect() {
    let https = req(
        "elbv2.listener",
        "match = \"any\"\nmin_count = 1\n[requirement.expect]\nprotocol = \"HTTPS\"\ntls_1_2_or_newer = true",
    );
    let redirect = req("elbv2.listener", "[requirement.expect]\nprotocol = \"HTTP\"\nredirects_to_https = true");
    let listener = |port: i32, protocol: &str, policy: Option<&str>, actions: &[&str], to: Option<&str>| Listener {
        arn: format!("l-{port}"),
        protocol: Some(protocol.into()),
        port: Some(port),
        ssl_policy: policy.map(str::to_string),
        // ELBSecurityPolicy-TLS13-1-2-2021-06 accepts TLS 1.2 and 1.3 (ALB guide, security policies)
        ssl_protocols: Observed::Known(if policy.is_some() {
            vec!["TLSv1.2".into(), "TLSv1.3".into()]
        } else {
            vec![]
        }),
        actions: actions.iter().map(|a| a.to_string()).collect(),
        redirect_protocol: to.map(str::to_string),
    };
    let lb = |listeners: Vec<Listener>| LoadBalancer {
        name: "web".into(),
        arn: "arn:lb".into(),
        region: "us-east-1".into(),
        lb_type: Some("application".into()),
        scheme: Some("internet-facing".into()),
        listeners: Observed::Known(listeners),
        tags: Observed::Known(BTreeMap::new()),
    };
    let good = lb(vec![
        listener(443, "HTTPS", Some("ELBSecurityPolicy-TLS13-1-2-2021-06"), &["forward"], None),
        listener(80, "HTTP", None, &["redirect"], Some("HTTPS")),
    ]);
    let f = evaluate(
        &[https.clone(), redirect.clone()],
        &Inventory { load_balancers: one_region(vec![good]), ..Default::default() },
    );
    assert!(f.iter().all(|f| f.status == Status::Pass), "{f:?}");
    // the seed 001 gap: a redirect with no HTTPS listener behind it, and an old policy elsewhere
    let gap = lb(vec![listener(80, "HTTP", None, &["forward"], None)]);
    let f = evaluate(&[https, redirect], &Inventory { load_balancers: one_region(vec![gap]), ..Default::default() });
    assert_eq!(
        f.iter().map(|f| (f.resource.as_deref(), f.status)).collect::<Vec<_>>(),
        [(None, Status::Drift), (Some("l-80"), Status::Drift)]
    );
}

#[test]
fn dynamodb_global_table_replica_regions() {
    let r =
        req("dynamodb.table", "[requirement.expect]\nreplica_regions = [\"us-east-1\", \"us-west-2\", \"ap-south-1\"]");
    let t = |name: &str, replicas: &[&str]| Table {
        name: name.into(),
        arn: format!("arn:aws:dynamodb:us-east-1:1:table/{name}"),
        region: "us-east-1".into(),
        sse_type: None,
        kms_key: None,
        key_manager: Observed::default(),
        point_in_time_recovery: Observed::default(),
        deletion_protection: Some(false),
        tags: Observed::Known(BTreeMap::new()),
        replicas: replicas
            .iter()
            .map(|r| crate::inventory::Replica { region: r.to_string(), status: Some("ACTIVE".into()) })
            .collect(),
        unread: None,
    };
    let tables = vec![t("global", &["us-west-2", "ap-south-1"]), t("local", &[])];
    let f = evaluate(&[r], &Inventory { tables: one_region(tables), ..Default::default() });
    assert_eq!(f.iter().map(|f| f.status).collect::<Vec<_>>(), [Status::Pass, Status::Drift]);
    assert_eq!(observed(&f[1], "replica_regions"), &serde_json::json!(["us-east-1"]));
}

#[test]
fn vpc_flow_logs_active_or_unknown() {
    let r = req("ec2.vpc", "[requirement.expect]\nflow_logs = true");
    let v = vpc("us-east-1", "vpc-a", "a", "10.0.0.0/16");
    let log = |resource: &str, status: &str| FlowLog {
        id: format!("fl-{resource}"),
        resource_id: resource.into(),
        status: Some(status.into()),
        destination: None,
    };
    let inv = |logs: Observed<Vec<FlowLog>>| Inventory {
        networks: BTreeMap::from([
            (
                "us-east-1".into(),
                Network {
                    vpcs: Observed::Known(vec![v.clone()]),
                    peerings: Observed::Known(vec![]),
                    route_tables: Observed::Known(vec![]),
                    subnets: Observed::default(),
                    flow_logs: logs,
                },
            ),
            (
                "us-west-2".into(),
                Network {
                    vpcs: Observed::Known(vec![]),
                    peerings: Observed::Known(vec![]),
                    route_tables: Observed::Known(vec![]),
                    subnets: Observed::default(),
                    flow_logs: Observed::Known(vec![]),
                },
            ),
        ]),
        ..Default::default()
    };
    let status = |logs| evaluate(std::slice::from_ref(&r), &inv(logs))[0].status;
    assert_eq!(status(Observed::Known(vec![log("vpc-a", "ACTIVE")])), Status::Pass);
    assert_eq!(status(Observed::Known(vec![log("vpc-b", "ACTIVE")])), Status::Drift);
    assert_eq!(status(Observed::Unknown(denied("DescribeFlowLogs"))), Status::Unknown);
}

#[test]
fn ec2_instance_type_and_subnet() {
    let r = req("ec2.instance", "[requirement.expect]\ninstance_type = \"t3.micro\"\npublic_subnet = true");
    let inst = |id: &str, t: &str, subnet: &str, state: &str| Instance {
        id: id.into(),
        region: "us-east-1".into(),
        owner: Some("1".into()),
        instance_type: Some(t.into()),
        state: Some(state.into()),
        subnet_id: Some(subnet.into()),
        public_ip: None,
        tags: Observed::Known(BTreeMap::new()),
    };
    // a VPC whose main route table goes to the internet: subnet-a is public
    let mut net = network_with_public_subnet("subnet-x", &["subnet-a"]);
    if let Observed::Known(tables) = &mut net.route_tables {
        for t in tables.iter_mut() {
            t.routes = vec![Route {
                destination: "0.0.0.0/0".into(),
                peering_id: None,
                gateway_id: Some("igw-1".into()),
                state: Some("active".into()),
            }];
        }
    }
    let inv = Inventory {
        instances: one_region(vec![
            inst("i-1", "t3.micro", "subnet-a", "running"),
            inst("i-2", "m5.large", "subnet-a", "running"),
            inst("i-3", "m5.large", "subnet-a", "terminated"),
        ]),
        networks: BTreeMap::from([("us-east-1".into(), net.clone()), ("us-west-2".into(), net)]),
        ..Default::default()
    };
    let f = evaluate(&[r], &inv);
    assert_eq!(
        statuses(&f),
        [
            (Some("arn:aws:ec2:us-east-1:1:instance/i-1"), Status::Pass),
            (Some("arn:aws:ec2:us-east-1:1:instance/i-2"), Status::Drift)
        ]
    );
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

#[test]
fn absent_fields_never_pass_an_expected_false() {
    let r = req("rds.instance", "[requirement.expect]\npublicly_accessible = false");
    let db = DbInstance {
        id: "db".into(),
        arn: "arn:aws:rds:us-east-1:1:db:db".into(),
        region: "us-east-1".into(),
        engine: None,
        storage_encrypted: Some(true),
        publicly_accessible: None,
        backup_retention_days: 0,
        deletion_protection: Some(false),
        multi_az: Some(false),
        read_replicas: vec![],
        subnets: vec![],
        tags: Observed::Known(BTreeMap::new()),
        cluster_id: None,
        cluster: None,
    };
    let f = evaluate(&[r], &Inventory { db_instances: one_region(vec![db]), ..Default::default() });
    assert_eq!(f[0].status, Status::Unknown);

    let r = req("ec2.instance", "[requirement.expect]\npublic_subnet = false");
    let i = Instance {
        id: "i-1".into(),
        region: "us-east-1".into(),
        owner: None,
        instance_type: None,
        state: Some("running".into()),
        subnet_id: None,
        public_ip: None,
        tags: Observed::Known(BTreeMap::new()),
    };
    let f = evaluate(&[r], &Inventory { instances: one_region(vec![i]), ..Default::default() });
    assert_eq!(f[0].status, Status::Unknown);
}

// ---- s3 replication targets, secretsmanager.secret, logs.log_group, sns.topic, ec2.route_table

/// The last part of a finding's resource id, without a Secrets Manager suffix.
pub(crate) fn short(f: &Finding) -> &str {
    let id = f.resource.as_deref().unwrap_or("");
    let last = id.rsplit(['/', ':']).next().unwrap_or(id);
    last.strip_suffix("-AbCdEf").unwrap_or(last)
}

fn replicating(name: &str, to: &str) -> Bucket {
    let mut b = bucket(name);
    b.replication = Observed::Known(Some(vec![ReplicationRule {
        id: Some("r".into()),
        enabled: true,
        destination_bucket: format!("arn:aws:s3:::{to}"),
    }]));
    b
}

#[test]
fn s3_replication_cross_region_needs_a_versioned_bucket_elsewhere() {
    let r =
        req("s3.bucket", "select = { name_prefix = \"src-\" }\n[requirement.expect]\nreplication_cross_region = true");
    let mut west = bucket("dst-west");
    west.region = Observed::Known("us-west-2".into());
    let mut unversioned = west.clone();
    unversioned.name = "dst-plain".into();
    unversioned.versioning = Observed::Known(None);
    let mut unread = west.clone();
    unread.name = "dst-unread".into();
    unread.versioning = Observed::Unknown(denied("GetBucketVersioning"));
    let inv = with_buckets(vec![
        replicating("src-ok", "dst-west"),
        replicating("src-same-region", "dst-east"),
        bucket("dst-east"),
        replicating("src-gone", "dst-elsewhere"),
        replicating("src-plain", "dst-plain"),
        replicating("src-unread", "dst-unread"),
        bucket("src-none"),
        west,
        unversioned,
        unread,
    ]);
    let f = evaluate(&[r], &inv);
    let by = |n: &str| f.iter().find(|x| x.resource.as_deref() == Some(&format!("arn:aws:s3:::{n}"))).unwrap();
    assert_eq!(by("src-ok").status, Status::Pass);
    assert_eq!(
        observed(by("src-ok"), "replication_cross_region"),
        &serde_json::json!([{ "bucket": "dst-west", "region": "us-west-2", "versioning": "Enabled" }])
    );
    assert_eq!(by("src-same-region").status, Status::Drift);
    assert_eq!(by("src-gone").status, Status::Drift);
    assert_eq!(
        observed(by("src-gone"), "replication_cross_region"),
        &serde_json::json!([{ "bucket": "dst-elsewhere", "found": "no such bucket in this account" }])
    );
    assert_eq!(by("src-plain").status, Status::Drift);
    assert_eq!(by("src-unread").status, Status::Unknown);
    assert_eq!(by("src-none").status, Status::Drift);
    assert_eq!(observed(by("src-none"), "replication_cross_region"), &serde_json::json!([]));
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

#[test]
fn secretsmanager_rotation_schedule_and_unevaluated_cron() {
    let r = req("secretsmanager.secret", "[requirement.expect]\nrotation = true\nrotation_days = { at_most = 30 }");
    let inv = Inventory {
        secrets: one_region(vec![
            secret("days-ok", true, Some(30), None),
            secret("days-long", true, Some(90), None),
            secret("rate-ok", true, None, Some("rate(12 hours)")),
            secret("cron", true, None, Some("cron(0 8 1 * ? *)")),
            secret("off", false, None, None),
        ]),
        ..Default::default()
    };
    let f = evaluate(&[r], &inv);
    let got: Vec<(&str, Status)> = f.iter().map(|x| (short(x), x.status)).collect();
    assert_eq!(
        got,
        [
            ("cron", Status::Unknown),
            ("days-long", Status::Drift),
            ("days-ok", Status::Pass),
            ("off", Status::Drift),
            ("rate-ok", Status::Pass)
        ]
    );
    let off = f.iter().find(|x| short(x) == "off").unwrap();
    assert_eq!(observed(off, "rotation"), false);
    assert_eq!(observed(off, "rotation_days"), "rotation off");
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

#[test]
fn logs_retention_exact_and_minimum() {
    let inv = Inventory {
        log_groups: one_region(vec![log_group("a", Some(30)), log_group("b", Some(7)), log_group("c", None)]),
        ..Default::default()
    };
    let exact = evaluate(&[req("logs.log_group", "[requirement.expect]\nretention_days = 30")], &inv);
    assert_eq!(exact.iter().map(|f| f.status).collect::<Vec<_>>(), [Status::Pass, Status::Drift, Status::Drift]);
    assert_eq!(observed(&exact[2], "retention_days"), "never expire");
    let min = evaluate(&[req("logs.log_group", "[requirement.expect]\nretention_days = { at_least = 14 }")], &inv);
    assert_eq!(min.iter().map(|f| f.status).collect::<Vec<_>>(), [Status::Pass, Status::Drift, Status::Pass]);
    // tags that could not be read make a tag requirement unknown, never a pass
    let tags = evaluate(&[req("logs.log_group", "[requirement.expect]\nrequired_tags = { Env = \"prod\" }")], &inv);
    assert!(tags.iter().all(|f| f.status == Status::Unknown), "{tags:?}");
}

#[test]
fn sns_topic_counts_the_alarms_that_notify_it() {
    let arn = "arn:aws:sns:us-east-1:1:alerts";
    let topic = |name: &str| Topic {
        name: name.into(),
        arn: format!("arn:aws:sns:us-east-1:1:{name}"),
        region: "us-east-1".into(),
        kms_key: Observed::default(),
        tags: Observed::default(),
    };
    let r = req("sns.topic", "min_count = 1\n[requirement.expect]\nalarms = { at_least = 2 }");
    let mut inv = Inventory {
        topics: one_region(vec![topic("alerts"), topic("quiet")]),
        alarms: one_region(vec![
            alarm("cpu", "CPUUtilization", "GreaterThanOrEqualToThreshold", 70.0, &[arn]),
            alarm("5xx", "HTTPCode_ELB_5XX_Count", "GreaterThanThreshold", 10.0, &[arn]),
            alarm("mute", "NetworkIn", "GreaterThanThreshold", 1.0, &[]),
        ]),
        ..Default::default()
    };
    let f = evaluate(std::slice::from_ref(&r), &inv);
    assert_eq!(statuses(&f), [(Some(arn), Status::Pass), (Some("arn:aws:sns:us-east-1:1:quiet"), Status::Drift)]);
    assert_eq!(observed(&f[0], "alarms"), &serde_json::json!(["cpu", "5xx"]));
    inv.alarms.insert("us-east-1".into(), Observed::Unknown(denied("DescribeAlarms")));
    let f = evaluate(&[r], &inv);
    assert!(f.iter().all(|x| x.status == Status::Unknown), "{f:?}");
}

#[test]
fn route_tables_by_vpc_leave_out_the_main_table_unless_asked() {
    let prod = vpc("us-east-1", "vpc-p", "PROD-vpc-main-us-east-1", "10.0.0.0/16");
    let dev = vpc("us-east-1", "vpc-d", "dev", "10.1.0.0/16");
    let tagged = |id: &str, vpc: &Vpc, main: bool, tags: &[(&str, &str)]| RouteTable {
        id: id.into(),
        vpc_id: vpc.id.clone(),
        main,
        tags: tags.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        ..Default::default()
    };
    let tables = vec![
        tagged("rtb-main", &prod, true, &[]),
        tagged("rtb-pub", &prod, false, &[("Name", "PROD-rt-public-us-east-1"), ("Environment", "Production")]),
        tagged("rtb-priv", &prod, false, &[]),
        tagged("rtb-dev", &dev, false, &[]),
    ];
    let net = Network {
        vpcs: Observed::Known(vec![prod, dev]),
        peerings: Observed::Known(vec![]),
        route_tables: Observed::Known(tables),
        subnets: Observed::default(),
        flow_logs: Observed::default(),
    };
    let inv = Inventory {
        networks: BTreeMap::from([("us-east-1".to_string(), net.clone()), ("us-west-2".to_string(), net)]),
        ..Default::default()
    };
    let body = "select = { regions = [\"us-east-1\"] }\n[requirement.expect]\nvpc = \"PROD-vpc-*\"\nrequired_tags = { Environment = \"Production\" }";
    let f = evaluate(&[req("ec2.route_table", body)], &inv);
    let got: Vec<(&str, Status)> = f.iter().map(|x| (short(x), x.status)).collect();
    assert_eq!(got, [("rtb-priv", Status::Drift), ("rtb-pub", Status::Pass)]);
    let f = evaluate(&[req("ec2.route_table", &format!("{body}\ninclude_main = true"))], &inv);
    assert_eq!(f.len(), 3);
    assert!(f.iter().any(|x| short(x) == "rtb-main" && x.status == Status::Drift));
}
