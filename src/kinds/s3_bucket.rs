//! `s3.bucket`: default encryption, versioning, public access block, logging,
//! replication and tags of S3 buckets.

use super::public_policy::{self as public, Opening};
use super::{Field, FieldType::*, Kind};
use crate::collect::Plan;
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::inventory::{Bucket, ErrorClass, Gap, Inventory, Observed, PublicAccessBlock};
use crate::profile::Requirement;
use serde_json::{json, Value as Json};

pub static KIND: Kind = Kind {
    name: "s3.bucket",
    summary: "S3 buckets: encryption, versioning, public access block, logging, replication, tags",
    doc: "All buckets of the account come from one global ListBuckets (in the partition's global \
region; a bucket listed without BucketRegion is located with GetBucketLocation); each bucket is then \
read in its own region, and a bucket deleted in between (NoSuchBucket) is left out. A bucket without \
a default encryption configuration, public access block, policy or tag set is observed as having \
none (AWS answers those with a specific error code); any other error makes the affected fields \
unknown. Public access is judged as S3 documents it (\"The meaning of public\", Blocking public \
access): the account-level public access block (s3control GetPublicAccessBlock) combines with the \
bucket's (GetPublicAccessBlock), S3 applying the most restrictive of the two, so a setting is in force \
when either level has it on; an unreadable level leaves a field unknown only when the other level \
does not settle it. `private` reads GetBucketAcl, GetBucketPolicy and GetBucketPolicyStatus \
(IsPublic, S3's own verdict on the policy); where the service does not offer GetBucketPolicyStatus \
the policy is evaluated with S3's documented rules. `select.regions`, when given, keeps buckets of \
those regions; otherwise every bucket of the account is a candidate.",
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
        "Default encryption algorithm (SSEAlgorithm); \"kms\" (plain or in a table) accepts aws:kms and \
aws:kms:dsse.",
    ),
    Field::new(
        "kms_key_arn",
        Str,
        "The KMS key of default encryption (KMSMasterKeyID): a plain value is the ARN, or a key id matched \
against the ARN's last part; a table compares the observed value.",
    ),
    Field::new("bucket_key", Bool, "Whether S3 Bucket Keys are enabled for SSE-KMS."),
    Field::new("versioning", Bool, "true: versioning Enabled; false: never enabled or Suspended."),
    Field::new(
        "public_access_block",
        Bool,
        "true: each of BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy and RestrictPublicBuckets is on at \
bucket level (GetPublicAccessBlock) or account level (s3control GetPublicAccessBlock); observed shows both \
levels (null: none configured).",
    ),
    Field::new("access_logging", Bool, "Whether server access logging is enabled."),
    Field::new("replication", Bool, "Whether a replication configuration with at least one enabled rule exists."),
    Field::new(
        "replication_cross_region",
        Bool,
        "An enabled replication rule targets a bucket of this account in another region, with versioning on.",
    ),
    Field::new(
        "private",
        Bool,
        "Nobody outside the account can read or write: no ACL grant (GetBucketAcl) to AllUsers or \
AuthenticatedUsers unless IgnorePublicAcls is in force; no public policy unless RestrictPublicBuckets is \
in force (which limits a public policy to AWS service principals and the owner account); and no \
CloudFront service principal without an AWS:SourceArn condition. The policy is public when \
GetBucketPolicyStatus says IsPublic; where S3 does not answer that call, an Allow statement with NotPrincipal \
is public, and one for Principal \"*\" (or {\"AWS\": \"*\"}) is public unless a condition limits it to fixed values \
(no wildcard or policy variable, under an equality operator, not IfExists or ForAllValues) of \
aws:SourceArn, aws:SourceVpc, aws:SourceVpce, aws:SourceOwner, aws:SourceAccount, \
s3:x-amz-server-side-encryption-aws-kms-key-id or aws:userid, or to aws:SourceIp ranges (IpAddress) no \
broader than /8 (IPv4) or /32 (IPv6); aws:SecureTransport, aws:UserAgent, aws:Referer and the like leave it \
public. Observed lists each opening (statement Sid or #position, and why), marked when neutralised; if \
IsPublic cannot be read and the rules find nothing, the field is unknown.",
    ),
];

/// The per-bucket reads (as the s3 collector names them) a requirement needs.
fn plan(req: &Requirement, plan: &mut Plan) {
    let e = &req.expect;
    let wanted = [
        ("encryption", e.has("encryption") || e.has("kms_key_arn") || e.has("bucket_key")),
        ("versioning", e.has("versioning")),
        ("public_access_block", e.has("public_access_block")),
        ("logging", e.has("access_logging")),
        ("replication", e.has("replication") || e.has("replication_cross_region")),
        ("replica_targets", e.has("replication_cross_region")),
        ("tags", crate::collect::wants_tags(req)),
        ("access", e.has("private")),
    ];
    let reads = wanted.into_iter().filter(|(_, on)| *on).map(|(read, _)| read).collect();
    plan.global("s3").scoped(&req.select, reads);
}

fn checks(req: &Requirement, b: &Bucket, all: &[Bucket], account: &Observed<Option<PublicAccessBlock>>) -> Vec<Check> {
    let e = &req.expect;
    let mut out = Vec::new();
    if let Some(cmp) = e.cmp("encryption") {
        // "kms" stands for either KMS algorithm
        let is_kms = |a: &str| a == "aws:kms" || a == "aws:kms:dsse";
        out.push(Check::of(
            "encryption",
            cmp.expected(),
            &b.encryption,
            |enc| json!(enc.as_ref().map(|x| &x.algorithm)),
            |enc| enc.as_ref().is_some_and(|x| cmp.string(&x.algorithm) || (is_kms(&x.algorithm) && cmp.string("kms"))),
        ));
    }
    if let Some(cmp) = e.cmp("kms_key_arn") {
        out.push(Check::of(
            "kms_key_arn",
            cmp.expected(),
            &b.encryption,
            |enc| json!(enc.as_ref().and_then(|x| x.kms_key.clone())),
            |enc| enc.as_ref().and_then(|x| x.kms_key.as_deref()).is_some_and(|k| super::key_matches(cmp, k)),
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
        out.push(public_access_block_check(want, b, account));
    }
    if let Some(want) = e.bool("access_logging") {
        out.push(Check::of("access_logging", json!(want), &b.logging_target, |t| json!(t), |t| t.is_some() == want));
    }
    if let Some(want) = e.bool("private") {
        out.push(private_check(want, b, account));
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
        let name = crate::partition::bucket_name(&rule.destination_bucket);
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

/// A check whose answer is unknown but whose observed part is worth showing.
fn unknown_showing(field: &'static str, want: bool, observed: Json, gap: &Gap) -> Check {
    Check { observed, ..Check::unknown(field, json!(want), gap) }
}

/// Where one public access block setting is in force. S3 applies the most
/// restrictive combination of the bucket's and the account's settings, so a flag
/// is on when either level has it on: `Ok(Some(level))` names where, `Ok(None)`
/// is off at both, and `Err` is a level that could not be read while the other
/// does not settle it.
fn effective<'a>(
    b: &'a Bucket,
    account: &'a Observed<Option<PublicAccessBlock>>,
    flag: Flag,
) -> Result<Option<&'static str>, &'a Gap> {
    let on = |level: &'a Observed<Option<PublicAccessBlock>>| match level {
        Observed::Known(p) => Ok(p.as_ref().is_some_and(flag)),
        Observed::Unknown(g) => Err(g),
    };
    match (on(&b.public_access_block), on(account)) {
        (Ok(true), Ok(true)) => Ok(Some("bucket and account")),
        (Ok(true), _) => Ok(Some("bucket")),
        (_, Ok(true)) => Ok(Some("account")),
        (Ok(false), Ok(false)) => Ok(None),
        (Err(g), _) | (_, Err(g)) => Err(g),
    }
}

/// One level's configuration as observed: its four flags, null when none is
/// configured, or why it could not be read.
fn level_json(level: &Observed<Option<PublicAccessBlock>>) -> Json {
    match level {
        Observed::Known(None) => Json::Null,
        Observed::Known(Some(p)) => json!({
            "BlockPublicAcls": p.block_public_acls, "IgnorePublicAcls": p.ignore_public_acls,
            "BlockPublicPolicy": p.block_public_policy, "RestrictPublicBuckets": p.restrict_public_buckets,
        }),
        Observed::Unknown(g) => json!({ "not_observed": g.describe() }),
    }
}

/// One public access block setting, read from a configuration.
type Flag = fn(&PublicAccessBlock) -> bool;

const FLAGS: [(&str, Flag); 4] = [
    ("BlockPublicAcls", |p| p.block_public_acls),
    ("IgnorePublicAcls", |p| p.ignore_public_acls),
    ("BlockPublicPolicy", |p| p.block_public_policy),
    ("RestrictPublicBuckets", |p| p.restrict_public_buckets),
];

/// All four flags in force (bucket or account level); a flag known off decides
/// even when another level is unreadable.
fn public_access_block_check(want: bool, b: &Bucket, account: &Observed<Option<PublicAccessBlock>>) -> Check {
    const FIELD: &str = "public_access_block";
    let observed = json!({ "bucket": level_json(&b.public_access_block), "account": level_json(account) });
    let mut gap = None;
    let mut all = true;
    for (_, flag) in FLAGS {
        match effective(b, account, flag) {
            Ok(Some(_)) => {}
            Ok(None) => all = false,
            Err(g) => gap = gap.or(Some(g)),
        }
    }
    match gap {
        Some(g) if all => unknown_showing(FIELD, want, observed, g),
        _ => Check::new(FIELD, json!(want), observed, all == want),
    }
}

/// Whether the bucket is open to everyone: public ACL grants unless
/// IgnorePublicAcls is in force, a public policy (S3's GetBucketPolicyStatus, or
/// the documented rules where S3 does not answer it) unless RestrictPublicBuckets
/// is in force, and a CloudFront service principal without AWS:SourceArn.
fn private_check(want: bool, b: &Bucket, account: &Observed<Option<PublicAccessBlock>>) -> Check {
    const FIELD: &str = "private";
    let mut shown: Vec<String> = Vec::new();
    let mut open = false;
    let mut gap: Option<Gap> = None;
    // an opening counts unless `flag` is in force at bucket or account level
    let mut weigh = |text: String, flag: Option<(&str, Flag)>, gap: &mut Option<Gap>| {
        let Some((name, flag)) = flag else {
            open = true;
            shown.push(text);
            return;
        };
        match effective(b, account, flag) {
            Ok(Some(level)) => shown.push(format!("{text} (neutralised: {name} is on at {level} level)")),
            Ok(None) => {
                open = true;
                shown.push(text);
            }
            Err(g) => {
                shown.push(format!("{text} ({name} not observed)"));
                *gap = gap.take().or(Some(g.clone()));
            }
        }
    };
    match &b.acl_grants {
        Observed::Unknown(g) => gap = Some(g.clone()),
        Observed::Known(acl) => {
            for (who, perm) in acl.iter().filter(|(who, _)| PUBLIC_GROUPS.contains(&who.as_str())) {
                let text = format!("ACL grants {perm} to {}", who.rsplit('/').next().unwrap_or(who));
                weigh(text, Some(FLAGS[1]), &mut gap);
            }
        }
    }
    match &b.policy {
        Observed::Unknown(g) => gap = gap.or(Some(g.clone())),
        Observed::Known(None) => {}
        Observed::Known(Some(doc)) => {
            let found = public::openings(doc);
            let ours = || found.iter().filter(|o| matches!(o, Opening::Public(_))).map(|o| o.text().to_string());
            let public: Vec<String> = match &b.policy_status {
                // S3's own verdict on the policy is the reference
                Observed::Known(Some(true)) => {
                    let texts: Vec<String> = ours().collect();
                    if texts.is_empty() {
                        vec!["S3 reports the bucket policy public (GetBucketPolicyStatus IsPublic)".to_string()]
                    } else {
                        texts
                    }
                }
                Observed::Known(Some(false)) => Vec::new(),
                // the service does not evaluate policies: the documented rules decide
                Observed::Known(None) => ours().collect(),
                Observed::Unknown(g) if g.class == ErrorClass::NotAvailable => ours().collect(),
                // S3's verdict could not be read: what the rules find open is open,
                // but finding nothing does not make the bucket private
                Observed::Unknown(g) => {
                    let texts: Vec<String> = ours().collect();
                    if texts.is_empty() {
                        gap = gap.or(Some(g.clone()));
                    }
                    texts
                }
            };
            for text in public {
                weigh(text, Some(FLAGS[3]), &mut gap);
            }
            for o in found.iter().filter(|o| matches!(o, Opening::AnyCloudFront(_))) {
                weigh(o.text().to_string(), None, &mut gap);
            }
        }
    }
    match gap {
        Some(g) if !open => unknown_showing(FIELD, want, json!(shown), &g),
        _ => Check::new(FIELD, json!(want), json!(shown), open != want),
    }
}

fn evaluate(req: &Requirement, inv: &Inventory) -> Vec<Finding> {
    let account = inv
        .s3_account_block
        .clone()
        .unwrap_or_else(|| Observed::Unknown(Gap::not_collected("the account-level S3 public access block")));
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
        |b| checks(req, b, all, &account),
    )
}

#[cfg(test)]
#[path = "s3_bucket_tests.rs"]
mod tests;
