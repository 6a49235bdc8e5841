//! Registry invariants: every kind documented, the comparison vocabulary honoured
//! by every field, shared fields applied everywhere. Each kind's own evaluation
//! tests live next to it (`<kind>_tests.rs`); fixtures in `fixtures.rs`.

use super::*;
use crate::compare::{evaluate, Status};
use crate::inventory::*;
use std::collections::{BTreeMap, BTreeSet};

// the fixtures, where other modules' tests have always found them
pub(crate) use super::fixtures::*;

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
fn absent_fields_never_pass_an_expected_false() {
    let r = req("rds.instance", "[requirement.expect]\npublicly_accessible = false");
    let db = DbInstance {
        id: "db".into(),
        arn: "arn:aws:rds:us-east-1:1:db:db".into(),
        region: "us-east-1".into(),
        engine: None,
        storage_encrypted: Some(true),
        publicly_accessible: None,
        backup_retention_days: Some(0),
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

// ---- the comparison vocabulary on every field -------------------------------------

use crate::comparison::Comparison;

/// Fields that choose which resources are evaluated: a comparison they fail leaves
/// the sample out (so `min_count = 1` drifts) instead of failing a check.
const CHOOSERS: &[(&str, &str)] = &[
    ("cloudwatch.alarm", "namespace"),
    ("cloudwatch.alarm", "metric_name"),
    ("config.rule", "source_identifier"),
    ("ec2.route_table", "vpc"),
    ("elbv2.listener", "protocol"),
    ("route53.record", "type"),
    ("wafv2.web_acl", "scope"),
];

/// Fields whose observed value is shown in words rather than as the compared value
/// itself; the sample's compared value is given here.
const SHOWN_IN_WORDS: &[(&str, &str, f64)] = &[
    // the rate-based rules are shown with their actions: the sample's one Limit is 2000
    ("wafv2.web_acl", "rate_limit_requests", 2000.0),
];

fn toml_number(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{}", x as i64)
    } else {
        format!("{x:?}")
    }
}

/// A comparison as a profile writes it.
fn toml(c: &Comparison) -> String {
    let list = |l: &[String]| serde_json::to_string(l).unwrap_or_default();
    let text = |s: &str| serde_json::to_string(s).unwrap_or_default();
    match c {
        Comparison::Number(x) => toml_number(*x),
        Comparison::AtLeast(x) => format!("{{ at_least = {} }}", toml_number(*x)),
        Comparison::AtMost(x) => format!("{{ at_most = {} }}", toml_number(*x)),
        Comparison::Between(a, b) => format!("{{ between = [{}, {}] }}", toml_number(*a), toml_number(*b)),
        Comparison::Text(s) => text(s),
        Comparison::OneOf(l) => format!("{{ one_of = {} }}", list(l)),
        Comparison::Matches(g) => format!("{{ matches = {} }}", text(g)),
        Comparison::List(l) => list(l),
        Comparison::ContainsAll(l) => format!("{{ contains_all = {} }}", list(l)),
        Comparison::ContainsAny(l) => format!("{{ contains_any = {} }}", list(l)),
        Comparison::Exactly(l) => format!("{{ exactly = {} }}", list(l)),
    }
}

/// Comparisons the observed value satisfies, and comparisons it does not.
fn comparisons(ty: &FieldType, seen: &serde_json::Value) -> Result<(Vec<Comparison>, Vec<Comparison>), String> {
    use Comparison::*;
    let strings = |v: &serde_json::Value| -> Option<Vec<String>> {
        v.as_array()?.iter().map(|s| s.as_str().map(str::to_string)).collect()
    };
    match ty {
        FieldType::Int | FieldType::Number => {
            // lists are counted; "30 days" is read as its number
            let x = match seen {
                serde_json::Value::Array(a) => a.len() as f64,
                serde_json::Value::String(s) => {
                    s.split(' ').next().and_then(|n| n.parse().ok()).ok_or(format!("no number in {s}"))?
                }
                other => other.as_f64().ok_or(format!("not a number: {other}"))?,
            };
            let pass = vec![Number(x), AtLeast(x), AtMost(x), Between(x, x + 1.0)];
            let mut fail = vec![Number(x + 1.0), AtLeast(x + 1.0), Between(x + 1.0, x + 2.0)];
            if x >= 1.0 {
                fail.push(AtMost(x - 1.0));
                fail.push(Between(0.0, x - 1.0));
            }
            Ok((pass, fail))
        }
        FieldType::Str | FieldType::OneOf(_) => {
            // a value per domain (acm validation_method) is read as its one value
            let s = match seen {
                serde_json::Value::Array(a) if a.len() == 1 => a[0].as_str(),
                other => other.as_str(),
            }
            .ok_or(format!("not a string: {seen}"))?
            .to_string();
            let other = match ty {
                // another option; for an "at least this" option, the newest one
                FieldType::OneOf(options) => {
                    options.iter().rev().find(|o| **o != s && **o != "kms").map(|o| o.to_string())
                }
                _ => Some("zz-other".to_string()),
            }
            .ok_or("no other option")?;
            let pass = vec![Text(s.clone()), OneOf(vec![s.clone(), other.clone()]), Matches(s.clone())];
            let fail = vec![Text(other.clone()), OneOf(vec![other.clone()]), Matches(other)];
            Ok((pass, fail))
        }
        FieldType::StrList => {
            let l = strings(seen).ok_or(format!("not a list of strings: {seen}"))?;
            let first = l.first().cloned().ok_or("an empty list cannot show contains_any passing")?;
            let more = |extra: &str| l.iter().cloned().chain([extra.to_string()]).collect::<Vec<_>>();
            let pass = vec![
                List(l.clone()),
                ContainsAll(l.clone()),
                ContainsAny(vec![first, "zz-none".into()]),
                Exactly(l.clone()),
            ];
            let fail = vec![
                List(more("zz-none")),
                ContainsAll(more("zz-none")),
                ContainsAny(vec!["zz-none".into()]),
                Exactly(more("zz-none")),
            ];
            Ok((pass, fail))
        }
        _ => Err("not a compared type".into()),
    }
}

#[test]
fn every_comparison_works_on_every_field_of_its_type() {
    let mut tried = 0;
    for kind in REGISTRY {
        let compared: Vec<&Field> = kind
            .fields
            .iter()
            .filter(|f| {
                matches!(
                    f.ty,
                    FieldType::Int | FieldType::Number | FieldType::Str | FieldType::OneOf(_) | FieldType::StrList
                )
            })
            .collect();
        if compared.is_empty() {
            continue;
        }
        let inv = super::samples::inventory(kind.name).unwrap_or_else(|| panic!("{}: no sample resource", kind.name));
        for field in compared {
            let at = format!("{}.{}", kind.name, field.name);
            let run = |value: &str| {
                let r = req(kind.name, &format!("min_count = 1\n[requirement.expect]\n{} = {value}", field.name));
                evaluate(&[r], &inv)
            };
            // a comparison every value satisfies shows the sample and its observed value
            // (the loader refuses an empty contains_all, so it is put in by hand)
            let probe = match field.ty {
                FieldType::Int => Comparison::AtLeast(0.0),
                FieldType::Number => Comparison::Between(-1e12, 1e12),
                FieldType::StrList => Comparison::ContainsAll(Vec::new()),
                _ => Comparison::Matches("*".into()),
            };
            let mut r = req(kind.name, "min_count = 1");
            r.expect.0.insert(field.name.to_string(), crate::profile::Value::Cmp(probe));
            let found = evaluate(&[r], &inv);
            assert_eq!(found.len(), 1, "{at}: {found:#?}");
            let resource = found[0].resource.clone();
            assert!(resource.is_some(), "{at}: {found:#?}");
            let seen = match SHOWN_IN_WORDS.iter().find(|(k, f, _)| *k == kind.name && *f == field.name) {
                Some((_, _, x)) => serde_json::json!(x),
                None => observed(&found[0], field.name).clone(),
            };
            let (pass, fail) = comparisons(&field.ty, &seen).unwrap_or_else(|e| panic!("{at}: {e}"));
            let chooser = CHOOSERS.contains(&(kind.name, field.name));
            for cmp in pass {
                let f = run(&toml(&cmp));
                assert_eq!(statuses(&f), [(resource.as_deref(), Status::Pass)], "{at} = {}: {f:#?}", toml(&cmp));
                tried += 1;
            }
            for cmp in fail {
                let f = run(&toml(&cmp));
                let what = format!("{at} = {} on {seen}: {f:#?}", toml(&cmp));
                if chooser {
                    // the sample is not chosen: none of at least one
                    assert_eq!(statuses(&f), [(None, Status::Drift)], "{what}");
                    assert_eq!(f[0].checks.len(), 1, "{what}");
                    assert_eq!(f[0].checks[0].field, "count", "{what}");
                } else {
                    assert_eq!(statuses(&f), [(resource.as_deref(), Status::Drift)], "{what}");
                    let failed: Vec<&str> =
                        f[0].checks.iter().filter(|c| c.ok == Some(false)).map(|c| c.field.as_ref()).collect();
                    assert_eq!(failed, [field.name], "{what}");
                    assert_eq!(f[0].checks[0].expected, cmp.expected(), "{what}");
                }
                tried += 1;
            }
        }
    }
    // every compared field of the registry, each tried in 7 to 10 ways: a field
    // added or dropped changes the count
    assert_eq!(tried, 397);
}

#[test]
fn plain_values_keep_their_meaning_and_tables_compare_the_observed_value() {
    // (kind, expectation, status over the kind's sample resource)
    let rows = [
        // TLSv1.2_2021 is newer than TLSv1: a plain policy is the oldest acceptable
        ("cloudfront.distribution", "min_tls = \"TLSv1\"", Status::Pass),
        ("cloudfront.distribution", "min_tls = { one_of = [\"TLSv1\"] }", Status::Drift),
        ("cloudfront.distribution", "min_tls = { matches = \"TLSv1.2_*\" }", Status::Pass),
        // a plain key id matches the ARN's last part; a table compares the ARN
        ("s3.bucket", "kms_key_arn = \"abc\"", Status::Pass),
        ("s3.bucket", "kms_key_arn = { one_of = [\"abc\"] }", Status::Drift),
        ("s3.bucket", "kms_key_arn = { matches = \"arn:aws:kms:*:key/abc\" }", Status::Pass),
        ("dynamodb.table", "kms_key_arn = \"k\"", Status::Pass),
        ("dynamodb.table", "kms_key_arn = { one_of = [\"k\"] }", Status::Drift),
        // "kms" stands for either KMS algorithm, in a table too
        ("s3.bucket", "encryption = { one_of = [\"AES256\", \"kms\"] }", Status::Pass),
        ("s3.bucket", "encryption = { one_of = [\"AES256\", \"aws:kms:dsse\"] }", Status::Drift),
        // a plain alias target is a suffix; a table compares the whole name
        ("route53.record", "alias_to = \"cloudfront.net\"", Status::Pass),
        ("route53.record", "alias_to = { one_of = [\"cloudfront.net\"] }", Status::Drift),
        ("route53.record", "alias_to = { matches = \"*.cloudfront.net\" }", Status::Pass),
        // a bare group name is AWS's; two groups run, so exactly one of them drifts
        ("wafv2.web_acl", "managed_rule_groups = { contains_any = [\"AWSManagedRulesCommonRuleSet\"] }", Status::Pass),
        ("wafv2.web_acl", "managed_rule_groups = { exactly = [\"AWSManagedRulesCommonRuleSet\"] }", Status::Drift),
        // an ARN in a table stands for its policy name
        ("iam.role", "require_policies = { exactly = [\"arn:aws:iam::aws:policy/ReadOnlyAccess\"] }", Status::Pass),
        ("iam.role", "require_policies = { contains_any = [\"AdministratorAccess\"] }", Status::Drift),
        // an account id and its root ARN are one principal
        ("kms.key", "policy_principals = { exactly = [\"111122223333\"] }", Status::Pass),
        ("kms.key", "policy_principals = { contains_any = [\"444455556666\"] }", Status::Drift),
        // listeners compare without regard to case
        ("elbv2.load_balancer", "listeners = { exactly = [\"https:443\"] }", Status::Pass),
        ("elbv2.load_balancer", "listeners = { exactly = [\"HTTP:80\"] }", Status::Drift),
        // a scope table reads every scope it admits
        ("wafv2.web_acl", "scope = { one_of = [\"CLOUDFRONT\", \"REGIONAL\"] }", Status::Pass),
        // a plain VPC name is a glob; a table compares the name as written
        ("ec2.route_table", "vpc = \"ma*\"", Status::Pass),
    ];
    for (kind, line, want) in rows {
        let inv = super::samples::inventory(kind).unwrap_or_else(|| panic!("{kind}: no sample"));
        let f = evaluate(&[req(kind, &format!("min_count = 1\n[requirement.expect]\n{line}"))], &inv);
        assert_eq!(f.len(), 1, "{kind} {line}: {f:#?}");
        assert!(f[0].resource.is_some(), "{kind} {line}: {f:#?}");
        assert_eq!(f[0].status, want, "{kind} {line}: {f:#?}");
    }
    // a table the chosen VPC's name does not satisfy leaves the table out
    let inv = super::samples::inventory("ec2.route_table").unwrap_or_default();
    let f =
        evaluate(&[req("ec2.route_table", "min_count = 1\n[requirement.expect]\nvpc = { one_of = [\"ma*\"] }")], &inv);
    assert_eq!(statuses(&f), [(None, Status::Drift)]);
}
