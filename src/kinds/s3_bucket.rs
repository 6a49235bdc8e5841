//! `s3.bucket`: default encryption, versioning, public access block, logging,
//! replication and tags of S3 buckets.

use super::{Field, FieldType::*, Kind};
use crate::collect::{Plan, S3Details};
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::inventory::{Bucket, Gap, Inventory, Observed};
use crate::profile::Requirement;
use serde_json::{json, Value as Json};

pub static KIND: Kind = Kind {
    name: "s3.bucket",
    summary: "S3 buckets: encryption, versioning, public access block, logging, replication, tags",
    doc: "All buckets of the account come from one global ListBuckets; each bucket is then read in \
its own region. A bucket without a default encryption configuration, public access block or tag \
set is observed as having none (AWS answers those with a specific error code); any other error \
makes the affected fields unknown. `select.regions`, when given, keeps buckets of those regions; \
otherwise every bucket of the account is a candidate.",
    regional: false,
    tags: true,
    selectable: true,
    fields: FIELDS,
    plan,
    evaluate,
};

static FIELDS: &[Field] = &[
    Field::new(
        "encryption",
        OneOf(&["AES256", "aws:kms", "aws:kms:dsse", "kms"]),
        "Default encryption algorithm; \"kms\" accepts aws:kms and aws:kms:dsse.",
    ),
    Field::new(
        "kms_key_arn",
        Str,
        "The KMS key of default encryption (ARN, or key id matched against the ARN's last part).",
    ),
    Field::new("bucket_key", Bool, "Whether S3 Bucket Keys are enabled for SSE-KMS."),
    Field::new("versioning", Bool, "true: versioning Enabled; false: never enabled or Suspended."),
    Field::new("public_access_block", Bool, "true: all four bucket-level public access block flags are on."),
    Field::new("access_logging", Bool, "Whether server access logging is enabled."),
    Field::new("replication", Bool, "Whether a replication configuration with at least one enabled rule exists."),
    Field::new(
        "replication_cross_region",
        Bool,
        "An enabled replication rule targets a bucket of this account in another region, with versioning on.",
    ),
    Field::new("private", Bool, "No ACL grant to AllUsers/AuthenticatedUsers and no policy statement allowing everyone; a CloudFront service principal may read only under an AWS:SourceArn condition."),
];

fn details(req: &Requirement) -> S3Details {
    let e = &req.expect;
    S3Details {
        encryption: e.has("encryption") || e.has("kms_key_arn") || e.has("bucket_key"),
        versioning: e.has("versioning"),
        public_access_block: e.has("public_access_block"),
        logging: e.has("access_logging"),
        replication: e.has("replication") || e.has("replication_cross_region"),
        replica_targets: e.has("replication_cross_region"),
        tags: e.has("required_tags") || !req.select.tags.is_empty(),
        access: e.has("private"),
    }
}

fn plan(req: &Requirement, plan: &mut Plan) {
    plan.s3.push((req.select.clone(), details(req)));
}

fn key_matches(expected: &str, observed: &str) -> bool {
    let last = |s: &str| s.rsplit('/').next().unwrap_or(s).to_string();
    expected == observed || last(expected) == last(observed)
}

fn checks(req: &Requirement, b: &Bucket, all: &[Bucket]) -> Vec<Check> {
    let e = &req.expect;
    let mut out = Vec::new();
    if let Some(want) = e.str("encryption") {
        out.push(Check::of(
            "encryption",
            json!(want),
            &b.encryption,
            |enc| json!(enc.as_ref().map(|x| &x.algorithm)),
            |enc| {
                enc.as_ref().is_some_and(|x| match want {
                    "kms" => x.algorithm == "aws:kms" || x.algorithm == "aws:kms:dsse",
                    other => x.algorithm == other,
                })
            },
        ));
    }
    if let Some(want) = e.str("kms_key_arn") {
        out.push(Check::of(
            "kms_key_arn",
            json!(want),
            &b.encryption,
            |enc| json!(enc.as_ref().and_then(|x| x.kms_key.clone())),
            |enc| enc.as_ref().and_then(|x| x.kms_key.as_deref()).is_some_and(|k| key_matches(want, k)),
        ));
    }
    if let Some(want) = e.bool("bucket_key") {
        out.push(Check::of(
            "bucket_key",
            json!(want),
            &b.encryption,
            |enc| json!(enc.as_ref().is_some_and(|x| x.bucket_key)),
            |enc| enc.as_ref().is_some_and(|x| x.bucket_key) == want,
        ));
    }
    if let Some(want) = e.bool("versioning") {
        out.push(Check::of(
            "versioning",
            json!(want),
            &b.versioning,
            |v| json!(v.as_deref().unwrap_or("Disabled")),
            |v| (v.as_deref() == Some("Enabled")) == want,
        ));
    }
    if let Some(want) = e.bool("public_access_block") {
        out.push(Check::of(
            "public_access_block",
            json!(want),
            &b.public_access_block,
            |p| match p {
                None => Json::Null,
                Some(p) => json!({
                    "BlockPublicAcls": p.block_public_acls, "IgnorePublicAcls": p.ignore_public_acls,
                    "BlockPublicPolicy": p.block_public_policy, "RestrictPublicBuckets": p.restrict_public_buckets,
                }),
            },
            |p| p.as_ref().is_some_and(|p| p.all()) == want,
        ));
    }
    if let Some(want) = e.bool("access_logging") {
        out.push(Check::of("access_logging", json!(want), &b.logging_target, |t| json!(t), |t| t.is_some() == want));
    }
    if let Some(want) = e.bool("private") {
        out.push(private_check(want, b));
    }
    if let Some(want) = e.bool("replication") {
        out.push(Check::of(
            "replication",
            json!(want),
            &b.replication,
            |r| match r {
                None => Json::Null,
                Some(rules) => {
                    json!(rules.iter().filter(|r| r.enabled).map(|r| &r.destination_bucket).collect::<Vec<_>>())
                }
            },
            |r| r.as_ref().is_some_and(|rules| rules.iter().any(|x| x.enabled)) == want,
        ));
    }
    if let Some(want) = e.bool("replication_cross_region") {
        out.push(cross_region_check(want, b, all));
    }
    out
}

/// Whether some enabled rule of `b` replicates to a versioned bucket of the account
/// in another region; each target is described as observed.
fn cross_region_check(want: bool, b: &Bucket, all: &[Bucket]) -> Check {
    const FIELD: &str = "replication_cross_region";
    let rules = match &b.replication {
        Observed::Known(r) => r.as_deref().unwrap_or_default(),
        Observed::Unknown(g) => return Check::unknown(FIELD, json!(want), g),
    };
    let mut seen = Vec::new();
    let mut ok = false;
    let mut gap: Option<Gap> = None;
    for rule in rules.iter().filter(|r| r.enabled) {
        let name = rule.destination_bucket.trim_start_matches("arn:aws:s3:::");
        let Some(target) = all.iter().find(|t| t.name == name) else {
            seen.push(json!({ "bucket": name, "found": "no such bucket in this account" }));
            continue;
        };
        let (region, versioning) = match (&target.region, &target.versioning) {
            (Observed::Known(r), Observed::Known(v)) => (r, v),
            (Observed::Unknown(g), _) | (_, Observed::Unknown(g)) => {
                gap = Some(g.clone());
                continue;
            }
        };
        let versioning = versioning.as_deref().unwrap_or("Disabled");
        seen.push(json!({ "bucket": name, "region": region, "versioning": versioning }));
        ok |= b.region.known().is_some_and(|r| r != region) && versioning == "Enabled";
    }
    match gap {
        // an unread target could have been the one that satisfies (or breaks) it
        Some(g) if !ok => Check::unknown(FIELD, json!(want), &g),
        _ => Check::new(FIELD, json!(want), json!(seen), ok == want),
    }
}

const PUBLIC_GROUPS: &[&str] =
    &["http://acs.amazonaws.com/groups/global/AllUsers", "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"];

/// Why an Allow statement of a bucket policy opens the bucket, if it does.
fn opening(statement: &Json) -> Option<String> {
    let principal = statement.get("Principal")?;
    let everyone = principal.as_str() == Some("*")
        || principal.get("AWS").is_some_and(|a| {
            a.as_str() == Some("*") || a.as_array().is_some_and(|l| l.iter().any(|x| x.as_str() == Some("*")))
        });
    let condition = statement.get("Condition").and_then(Json::as_object);
    let source_arn = condition.is_some_and(|c| {
        c.values()
            .any(|block| block.as_object().is_some_and(|b| b.keys().any(|k| k.eq_ignore_ascii_case("AWS:SourceArn"))))
    });
    let cloudfront = principal.get("Service").is_some_and(|s| s.to_string().contains("cloudfront.amazonaws.com"));
    if everyone && condition.is_none() {
        Some(format!(
            "policy statement {} allows everyone",
            statement.get("Sid").and_then(Json::as_str).unwrap_or("(no Sid)")
        ))
    } else if cloudfront && !source_arn {
        Some("policy lets any CloudFront distribution read (no AWS:SourceArn condition)".to_string())
    } else {
        None
    }
}

fn private_check(want: bool, b: &Bucket) -> Check {
    let (acl, policy) = match (&b.acl_grants, &b.policy) {
        (Observed::Known(a), Observed::Known(p)) => (a, p),
        (Observed::Unknown(g), _) | (_, Observed::Unknown(g)) => return Check::unknown("private", json!(want), g),
    };
    let mut openings: Vec<String> = acl
        .iter()
        .filter(|(who, _)| PUBLIC_GROUPS.contains(&who.as_str()))
        .map(|(who, perm)| format!("ACL grants {perm} to {}", who.rsplit('/').next().unwrap_or(who)))
        .collect();
    if let Some(p) = policy {
        openings.extend(super::policy::allow_statements(p).into_iter().filter_map(opening));
    }
    Check::new("private", json!(want), json!(openings), openings.is_empty() == want)
}

fn evaluate(req: &Requirement, inv: &Inventory) -> Vec<Finding> {
    let mut listing = Listing::new();
    let all: &[Bucket] = match &inv.buckets {
        Some(Observed::Known(list)) => list,
        _ => &[],
    };
    match &inv.buckets {
        Some(list) => listing.add(list.as_ref()),
        None => listing.gaps.push(Gap::not_collected("S3 bucket list")),
    }
    if let Some(regions) = &req.select.regions {
        listing.items.retain(|b| b.region.known().is_none_or(|r| regions.contains(r)));
    }
    evaluate_resources(
        req,
        listing,
        |b| Meta {
            id: b.arn.as_str().into(),
            name: b.name.as_str().into(),
            region: b.region.known().map(|r| r.as_str().into()),
            tags: Some(&b.tags),
            path: None,
        },
        |b| checks(req, b, all),
    )
}
