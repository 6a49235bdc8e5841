//! `cloudfront.distribution`: OAC, origin failover, WAF, logging, TLS, aliases.

use super::{Field, FieldType::*, Kind};
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::comparison::Comparison;
use crate::inventory::{Distribution, Gap, Inventory, Observed};
use crate::partition::Partition;
use crate::profile::Requirement;
use serde_json::json;

pub static KIND: Kind = Kind {
    name: "cloudfront.distribution",
    summary: "CloudFront distributions: OAC, origin failover, WAF, standard logging (legacy or v2), TLS, aliases",
    doc: "Every distribution of the account (CloudFront is global), named by its first alias, \
else its id. Reads ListDistributions (origins, origin groups, default cache behaviour, \
WebACLId, ViewerCertificate, CustomErrorResponses) and, for `logging`, GetDistributionConfig \
(Logging) and CloudWatch Logs DescribeDeliverySources / DescribeDeliveries. `web_acl` asks for \
an attached WAFv2 web ACL that exists in the account's CLOUDFRONT scope. `logging` asks for \
standard logging: legacy logging (Logging.Enabled) into a bucket that exists in this account \
(a hard-coded bucket name of another stack drifts), or, when legacy logging is off, standard \
logging v2: a CloudWatch Logs delivery whose delivery source (service cloudfront, logType \
ACCESS_LOGS) names the distribution's ARN in resourceArns. `min_tls` is the oldest acceptable \
security policy, e.g. TLSv1.2_2021; policies are ordered by what they accept (SSLv3 < TLSv1 < \
TLSv1_2016 < TLSv1.1_2016 < TLSv1.2_2018 < TLSv1.2_2019 < TLSv1.2_2021 < TLSv1.2_2025 < \
TLSv1.3_2025), an unknown policy name never passes, and a distribution on the CloudFront default \
certificate (CloudFrontDefaultCertificate, no ACM or IAM certificate) is served with TLSv1 \
whatever MinimumProtocolVersion says.",
    regional: false,
    tags: true,
    selectable: true,
    fields: &[
        Field::new("oac", Bool, "Every S3 origin uses an Origin Access Control."),
        Field::new(
            "origin_failover",
            Bool,
            "The default cache behaviour targets an origin group with at least two origins.",
        ),
        Field::new(
            "failover_status_codes",
            StrList,
            "Status codes the default behaviour's origin group fails over on (FailoverCriteria.StatusCodes); a \
plain list must all be included, e.g. [\"500\", \"503\"].",
        ),
        Field::new("web_acl", Bool, "A WAFv2 web ACL is attached and exists (CLOUDFRONT scope)."),
        Field::new(
            "logging",
            Bool,
            "Standard logging is on: legacy logging into a bucket that exists in this account, or a v2 \
CloudWatch Logs delivery of the distribution's ACCESS_LOGS.",
        ),
        Field::new("acm_certificate", Bool, "The viewer certificate comes from ACM."),
        Field::new(
            "min_tls",
            OneOf(TLS),
            "The oldest acceptable viewer security policy (ViewerCertificate.MinimumProtocolVersion; TLSv1 on \
the default certificate): a plain value means this policy or a newer one; a table compares the \
effective policy's name.",
        ),
        Field::new("aliases", StrList, "Alternate domain names (Aliases.Items); a plain list must all be configured."),
        Field::new("compression", Bool, "The default cache behaviour compresses objects."),
        Field::new(
            "custom_error_codes",
            StrList,
            "HTTP error codes with a custom error response (CustomErrorResponses ErrorCode); a plain list must \
all have one, e.g. [\"404\"].",
        ),
    ],
    plan: |req, plan| {
        let e = &req.expect;
        plan.global("cloudfront").read_if(crate::collect::wants_tags(req), "tags").read_if(e.has("logging"), "logging");
        if e.has("logging") {
            // the account's bucket list tells a logging target of this account
            plan.global("s3");
        }
        if e.has("web_acl") {
            plan.regional("wafv2", &[waf_region(req).to_string()]).read("cloudfront");
        }
    },
    evaluate,
};

/// CloudFront's viewer security policies, weakest first: each accepts a subset of
/// the protocols and ciphers of the one before it (CloudFront Developer Guide,
/// "Supported protocols and ciphers between viewers and CloudFront").
const TLS: &[&str] = &[
    "SSLv3",
    "TLSv1",
    "TLSv1_2016",
    "TLSv1.1_2016",
    "TLSv1.2_2018",
    "TLSv1.2_2019",
    "TLSv1.2_2021",
    "TLSv1.2_2025",
    "TLSv1.3_2025",
];

/// The policy CloudFront applies: TLSv1 on its default certificate.
const DEFAULT_CERTIFICATE_POLICY: &str = "TLSv1";

/// Where CloudFront's web ACLs (scope CLOUDFRONT) are read: the global region of
/// the partition the requirement's regions belong to (us-east-1 in `aws`).
fn waf_region(req: &Requirement) -> &'static str {
    Partition::of_regions(&req.regions).global_region
}

fn bucket_of(target: &str) -> &str {
    target.split(".s3").next().unwrap_or(target)
}

fn checks(req: &Requirement, d: &Distribution, inv: &Inventory) -> Vec<Check> {
    let e = &req.expect;
    let mut out = Vec::new();
    if let Some(want) = e.bool("oac") {
        let missing: Vec<&str> =
            d.origins.iter().filter(|o| o.s3 && o.oac_id.is_none()).map(|o| o.id.as_str()).collect();
        let has_s3 = d.origins.iter().any(|o| o.s3);
        out.push(Check::new(
            "oac",
            json!(want),
            json!(if missing.is_empty() { json!("every S3 origin") } else { json!(missing) }),
            (has_s3 && missing.is_empty()) == want,
        ));
    }
    let group = d.origin_groups.iter().find(|g| Some(&g.id) == d.default_target.as_ref());
    if let Some(want) = e.bool("origin_failover") {
        let ok = group.is_some_and(|g| g.members.len() >= 2);
        out.push(Check::new("origin_failover", json!(want), json!(group.map(|g| &g.members)), ok == want));
    }
    if let Some(cmp) = e.cmp("failover_status_codes") {
        let have: Vec<String> = group.map(|g| g.status_codes.iter().map(i32::to_string).collect()).unwrap_or_default();
        out.push(Check::list("failover_status_codes", cmp, &have));
    }
    if let Some(want) = e.bool("web_acl") {
        let key = format!("CLOUDFRONT:{}", waf_region(req));
        let acls = Inventory::regional(&inv.web_acls, &key, "CloudFront web ACLs");
        out.push(match (&d.web_acl, acls) {
            (None, _) => Check::new("web_acl", json!(want), json!(null), !want),
            (Some(id), Observed::Known(list)) => {
                let exists = list.iter().any(|a| &a.arn == id || &a.id == id);
                let observed = if exists { json!(id) } else { json!(format!("{id} (no such web ACL)")) };
                Check::new("web_acl", json!(want), observed, exists == want)
            }
            (Some(_), Observed::Unknown(g)) => Check::unknown("web_acl", json!(want), &g),
        });
    }
    if let Some(want) = e.bool("logging") {
        out.push(match &d.logging {
            Observed::Unknown(g) => Check::unknown("logging", json!(want), g),
            Observed::Known(None) => match &d.log_deliveries {
                Observed::Unknown(g) => Check::unknown("logging", json!(want), g),
                Observed::Known(dests) if dests.is_empty() => Check::new("logging", json!(want), json!(null), !want),
                Observed::Known(dests) => {
                    Check::new("logging", json!(want), json!(format!("v2 delivery to {}", dests.join(", "))), want)
                }
            },
            Observed::Known(Some(target)) => {
                let name = bucket_of(target);
                match inv.buckets.as_ref().map(|b| b.as_ref()) {
                    Some(Observed::Known(list)) => {
                        let exists = list.iter().any(|b| b.name == name);
                        let observed = if exists {
                            json!(target)
                        } else {
                            json!(format!("{target} (no such bucket in this account)"))
                        };
                        Check::new("logging", json!(want), observed, exists == want)
                    }
                    Some(Observed::Unknown(g)) => Check::unknown("logging", json!(want), &g),
                    None => Check::unknown("logging", json!(want), &Gap::not_collected("S3 bucket list")),
                }
            }
        });
    }
    if let Some(want) = e.bool("acm_certificate") {
        out.push(Check::new(
            "acm_certificate",
            json!(want),
            json!(d.acm_certificate),
            d.acm_certificate.is_some() == want,
        ));
    }
    if let Some(cmp) = e.cmp("min_tls") {
        let rank = |v: &str| TLS.iter().position(|t| *t == v);
        let (effective, observed) = if d.default_certificate {
            let note = format!(
                "{DEFAULT_CERTIFICATE_POLICY} (CloudFront default certificate; MinimumProtocolVersion {} not applied)",
                d.min_tls.as_deref().unwrap_or("absent")
            );
            (Some(DEFAULT_CERTIFICATE_POLICY), json!(note))
        } else {
            (d.min_tls.as_deref(), json!(d.min_tls))
        };
        // a plain policy is the oldest acceptable; a table compares the effective policy's name
        let ok = match cmp {
            Comparison::Text(want) => {
                matches!((effective.and_then(rank), rank(want)), (Some(have), Some(need)) if have >= need)
            }
            _ => effective.is_some_and(|have| cmp.string(have)),
        };
        out.push(Check::new("min_tls", cmp.expected(), observed, ok));
    }
    if let Some(cmp) = e.cmp("aliases") {
        out.push(Check::list("aliases", cmp, &d.aliases));
    }
    if let Some(want) = e.bool("compression") {
        out.push(Check::new("compression", json!(want), json!(d.compress), d.compress == want));
    }
    if let Some(cmp) = e.cmp("custom_error_codes") {
        let have: Vec<String> = d.error_codes.iter().map(i32::to_string).collect();
        out.push(Check::list("custom_error_codes", cmp, &have));
    }
    out
}

fn evaluate(req: &Requirement, inv: &Inventory) -> Vec<Finding> {
    let mut listing = Listing::new();
    match &inv.distributions {
        Some(list) => listing.add(list.as_ref()),
        None => listing.gaps.push(Gap::not_collected("CloudFront distributions")),
    }
    evaluate_resources(
        req,
        listing,
        |d| Meta {
            id: d.arn.as_str().into(),
            name: d.aliases.first().unwrap_or(&d.id).as_str().into(),
            region: None,
            tags: Some(&d.tags),
            path: None,
        },
        |d| checks(req, d, inv),
    )
}

#[cfg(test)]
#[path = "cloudfront_distribution_tests.rs"]
mod tests;
