//! Whether a resource policy (an S3 bucket's, an SQS queue's) opens its resource to
//! everyone, read the way S3 documents "the meaning of
//! public" (S3 User Guide, Blocking public access; API reference,
//! `PublicAccessBlockConfiguration`): an Allow statement for every principal is
//! public unless one of its conditions limits it to fixed values of
//! `aws:SourceArn`, `aws:SourceVpc`, `aws:SourceVpce`, `aws:SourceOwner`,
//! `aws:SourceAccount`, `s3:x-amz-server-side-encryption-aws-kms-key-id` or
//! `aws:userid`, or to a set of CIDRs with `aws:SourceIp`. A fixed value has no
//! wildcard (`*`, `?`) and no policy variable (`${…}`); `aws:userid` values of the
//! form `AROLEID:*` are therefore not fixed. Only S3's evaluation
//! (GetBucketPolicyStatus) is authoritative; this is the fallback where the
//! service does not answer it.

use crate::kinds::policy::as_list;
use serde_json::Value as Json;

/// Condition keys whose fixed values limit a statement to known callers
/// (compared in lower case: condition keys are case-insensitive).
const FIXED_KEYS: &[&str] = &[
    "aws:sourcearn",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceowner",
    "aws:sourceaccount",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
    "aws:userid",
];

/// Operators that let a request through only when the key equals (or, for the
/// `Like` ones, matches) one of the values; with a fixed value they are equality.
const EQUALITY: &[&str] = &["stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike"];

/// The broadest `aws:SourceIp` ranges taken as limiting. AWS documents that a set
/// of CIDRs limits a statement without naming a bound; ranges broader than /8
/// (IPv4) or /32 (IPv6) reach so much of the internet that they are taken as
/// public. This only decides where S3's own verdict (GetBucketPolicyStatus) is not
/// offered, and errs towards drift, never towards a pass.
const MIN_PREFIX_V4: u8 = 8;
const MIN_PREFIX_V6: u8 = 8 * 4;

/// What opens a bucket through its policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opening {
    /// A statement S3 counts as public; `RestrictPublicBuckets` neutralises it.
    Public(String),
    /// A CloudFront service principal without an `AWS:SourceArn` condition: any
    /// distribution, of any account, may read. A service principal is not public
    /// to S3, so no block setting neutralises it.
    AnyCloudFront(String),
}

impl Opening {
    pub fn text(&self) -> &str {
        match self {
            Opening::Public(t) | Opening::AnyCloudFront(t) => t,
        }
    }
}

/// Every statement of a bucket policy that opens the bucket, in document order.
pub fn openings(doc: &Json) -> Vec<Opening> {
    as_list(doc.get("Statement").unwrap_or(&Json::Null))
        .into_iter()
        .enumerate()
        .filter_map(|(i, s)| statement_opening(i, s))
        .collect()
}

/// The statement's Sid, else its position (1-based) in the policy.
fn label(i: usize, statement: &Json) -> String {
    match statement.get("Sid").and_then(Json::as_str) {
        Some(sid) if !sid.is_empty() => sid.to_string(),
        _ => format!("#{}", i + 1),
    }
}

fn statement_opening(i: usize, statement: &Json) -> Option<Opening> {
    if statement.get("Effect").and_then(Json::as_str) != Some("Allow") {
        return None;
    }
    let name = label(i, statement);
    if statement.get("NotPrincipal").is_some() {
        // allows everyone except the listed principals, anonymous callers included
        return Some(Opening::Public(format!(
            "policy statement {name} allows everyone but its NotPrincipal (NotPrincipal with Allow)"
        )));
    }
    let principal = statement.get("Principal")?;
    let conditions = statement.get("Condition").and_then(Json::as_object).filter(|c| !c.is_empty());
    if everyone(principal) {
        let Some(conditions) = conditions else {
            return Some(Opening::Public(format!("policy statement {name} allows everyone")));
        };
        if conditions.iter().any(|(op, block)| {
            block.as_object().is_some_and(|keys| keys.iter().any(|(key, values)| limits(op, key, values)))
        }) {
            return None;
        }
        let mut keys: Vec<&str> = Vec::new();
        for key in conditions.values().filter_map(Json::as_object).flat_map(|b| b.keys()) {
            if !keys.contains(&key.as_str()) {
                keys.push(key);
            }
        }
        return Some(Opening::Public(format!(
            "policy statement {name} allows everyone: its conditions ({}) do not limit it to fixed callers",
            keys.join(", ")
        )));
    }
    let cloudfront = principal.get("Service").is_some_and(|s| {
        as_list(s).iter().any(|v| v.as_str().is_some_and(|v| v.eq_ignore_ascii_case("cloudfront.amazonaws.com")))
    });
    let source_arn = conditions.is_some_and(|c| {
        c.values().filter_map(Json::as_object).any(|b| b.keys().any(|k| k.eq_ignore_ascii_case("aws:SourceArn")))
    });
    (cloudfront && !source_arn).then(|| {
        Opening::AnyCloudFront(format!(
            "policy statement {name} lets any CloudFront distribution read (no AWS:SourceArn condition)"
        ))
    })
}

/// `"*"`, or `"*"` among the values of any principal type (`{"AWS": "*"}`, also in a list).
fn everyone(principal: &Json) -> bool {
    match principal {
        Json::String(s) => s == "*",
        Json::Object(types) => types.values().any(|v| as_list(v).iter().any(|x| x.as_str() == Some("*"))),
        _ => false,
    }
}

/// Whether one condition entry (`op: {key: values}`) limits the statement to
/// fixed callers. `…IfExists` operators and `ForAllValues:` let a request without
/// the key through, and negated operators allow everything but the values, so
/// none of them limits.
fn limits(op: &str, key: &str, values: &Json) -> bool {
    let op = op.to_ascii_lowercase();
    if op.ends_with("ifexists") || op.starts_with("forallvalues:") {
        return false;
    }
    let op = op.strip_prefix("foranyvalue:").unwrap_or(&op);
    let values = as_list(values);
    if values.is_empty() {
        return false;
    }
    let key = key.to_ascii_lowercase();
    if key == "aws:sourceip" {
        return op == "ipaddress" && values.iter().all(|v| v.as_str().is_some_and(narrow_cidr));
    }
    FIXED_KEYS.contains(&key.as_str())
        && EQUALITY.contains(&op)
        && values.iter().all(|v| v.as_str().is_some_and(|v| !v.is_empty() && fixed(v)))
}

/// No wildcard and no policy variable.
fn fixed(value: &str) -> bool {
    !value.contains('*') && !value.contains('?') && !value.contains("${")
}

/// An address or CIDR no broader than S3 accepts as limiting.
fn narrow_cidr(value: &str) -> bool {
    let (addr, prefix) = match value.trim().split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (value.trim(), None),
    };
    let Ok(addr) = addr.parse::<std::net::IpAddr>() else { return false };
    let (max, min) = if addr.is_ipv4() { (32u8, MIN_PREFIX_V4) } else { (128u8, MIN_PREFIX_V6) };
    let prefix = match prefix {
        None => max,
        Some(p) => match p.parse::<u8>() {
            Ok(p) if p <= max => p,
            _ => return false,
        },
    };
    prefix >= min
}

#[cfg(test)]
#[path = "s3_public_tests.rs"]
mod tests;
