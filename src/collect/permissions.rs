//! The IAM actions driftwatch's collectors need: one declaration per API call, in
//! the collector's own file (`CALLS`), from which `driftwatch permissions` builds
//! the minimal read-only policy for a set of profiles. A test checks the
//! declarations against the collectors' source, so the policy cannot fall behind
//! the code.

use super::{Need, Plan, REGISTRY};
use std::collections::BTreeSet;

/// One API operation a collector calls, the IAM action that allows it, and when
/// the collector's need makes the call.
pub struct Call {
    pub operation: &'static str,
    pub action: &'static str,
    pub needed: fn(&Need) -> bool,
}

/// Every collector's declared calls.
pub fn all_calls() -> impl Iterator<Item = &'static Call> {
    REGISTRY.iter().flat_map(|c| c.calls.iter())
}

/// The actions a plan needs, sorted and unique. (sts:GetCallerIdentity, used to
/// name the account, needs no permission.)
pub fn actions(plan: &Plan) -> BTreeSet<&'static str> {
    plan.needs()
        .filter_map(|(id, need)| super::find(id).map(|c| (c, need)))
        .flat_map(|(c, need)| c.calls.iter().filter(move |call| (call.needed)(need)).map(|call| call.action))
        .collect()
}

/// The minimal read-only IAM policy document for a plan.
pub fn policy(plan: &Plan) -> serde_json::Value {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "DriftwatchReadOnlyAudit",
            "Effect": "Allow",
            "Action": actions(plan).into_iter().collect::<Vec<_>>(),
            "Resource": "*",
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCES: &[(&str, &str)] = &[
        ("s3.rs", include_str!("s3.rs")),
        ("iam.rs", include_str!("iam.rs")),
        ("cloudtrail.rs", include_str!("cloudtrail.rs")),
        ("acm.rs", include_str!("acm.rs")),
        ("ec2.rs", include_str!("ec2.rs")),
        ("cloudwatch.rs", include_str!("cloudwatch.rs")),
        ("kms.rs", include_str!("kms.rs")),
        ("dynamodb.rs", include_str!("dynamodb.rs")),
        ("lambda.rs", include_str!("lambda.rs")),
        ("autoscaling.rs", include_str!("autoscaling.rs")),
        ("elbv2.rs", include_str!("elbv2.rs")),
        ("config.rs", include_str!("config.rs")),
        ("cloudfront.rs", include_str!("cloudfront.rs")),
        ("wafv2.rs", include_str!("wafv2.rs")),
        ("route53.rs", include_str!("route53.rs")),
        ("rds.rs", include_str!("rds.rs")),
        ("secretsmanager.rs", include_str!("secretsmanager.rs")),
        ("logs.rs", include_str!("logs.rs")),
        ("sns.rs", include_str!("sns.rs")),
        ("sqs.rs", include_str!("sqs.rs")),
    ];

    fn snake(pascal: &str) -> String {
        let mut out = String::new();
        let chars: Vec<char> = pascal.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            // an acronym's plural stays with it: ListWebACLs -> list_web_acls
            let plural = chars.get(i + 1) == Some(&'s') && chars.get(i + 2).is_none_or(|n| n.is_uppercase());
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase()) && !plural;
            let prev_lower = i > 0 && chars[i - 1].is_lowercase();
            if c.is_uppercase() && i > 0 && (prev_lower || next_lower) {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        }
        out
    }

    /// SDK operation calls in a source file: `.get_x()`, `.list_x()`, `.describe_x()`.
    fn calls_in(source: &str) -> BTreeSet<String> {
        let mut found = BTreeSet::new();
        for prefix in [".get_", ".list_", ".describe_"] {
            let mut rest = source;
            while let Some(i) = rest.find(prefix) {
                let tail = &rest[i + 1..];
                let name: String =
                    tail.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_' || c.is_ascii_digit()).collect();
                if tail[name.len()..].starts_with("()") {
                    found.insert(name);
                }
                rest = &rest[i + prefix.len()..];
            }
        }
        found
    }

    #[test]
    fn snake_case_of_operations() {
        assert_eq!(snake("ListMFADevices"), "list_mfa_devices");
        assert_eq!(snake("GetBucketEncryption"), "get_bucket_encryption");
        assert_eq!(snake("DescribeVpcPeeringConnections"), "describe_vpc_peering_connections");
        assert_eq!(snake("ListWebACLs"), "list_web_acls");
        assert_eq!(snake("GetWebACL"), "get_web_acl");
    }

    #[test]
    fn every_sdk_call_in_the_collectors_is_declared() {
        let declared: BTreeSet<String> = all_calls().map(|c| snake(c.operation)).collect();
        let mut used = BTreeSet::new();
        for (file, source) in SOURCES {
            for call in calls_in(source) {
                assert!(declared.contains(&call), "collect/{file} calls {call}() but declares no IAM action for it");
                used.insert(call);
            }
        }
        for d in &declared {
            assert!(used.contains(d), "{d} is declared but no collector calls it");
        }
    }

    #[test]
    fn actions_follow_the_plan() {
        let mut plan = Plan::default();
        assert!(actions(&plan).is_empty());
        plan.global("s3").scoped(&Default::default(), ["versioning"].into());
        plan.regional("cloudtrail", &["us-east-1".to_string()]);
        let got: Vec<&str> = actions(&plan).into_iter().collect();
        assert_eq!(
            got,
            [
                "cloudtrail:DescribeTrails",
                "cloudtrail:GetTrailStatus",
                "s3:GetBucketLocation",
                "s3:GetBucketVersioning",
                "s3:ListAllMyBuckets"
            ]
        );
        for a in all_calls().map(|c| c.action) {
            let (service, verb) = a.split_once(':').unwrap();
            assert!(
                !service.is_empty()
                    && (verb.starts_with("Get") || verb.starts_with("List") || verb.starts_with("Describe")),
                "{a} is not read-only"
            );
        }
    }
}
