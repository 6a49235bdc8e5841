//! cloudfront.distribution evaluation: security policies by strength, the
//! default certificate, standard logging v2.

#[allow(unused_imports)]
use crate::compare::Finding;
use crate::compare::{evaluate, Status};
use crate::inventory::*;
#[allow(unused_imports)]
use crate::kinds::fixtures::*;
use crate::kinds::fixtures::{denied, distribution, observed, req};
use serde_json::json;
#[allow(unused_imports)]
use std::collections::{BTreeMap, BTreeSet};

fn with(d: Distribution) -> Inventory {
    Inventory { distributions: Some(Observed::Known(vec![d])), ..Default::default() }
}

fn tls(policy: Option<&str>, want: &str) -> (Status, serde_json::Value) {
    let mut d = distribution(Observed::Known(None), None);
    d.min_tls = policy.map(str::to_string);
    let f =
        evaluate(&[req("cloudfront.distribution", &format!("[requirement.expect]\nmin_tls = \"{want}\""))], &with(d));
    assert_eq!(f.len(), 1, "{f:?}");
    (f[0].status, observed(&f[0], "min_tls").clone())
}

#[test]
fn cloudfront_security_policies_compare_by_strength() {
    assert_eq!(tls(Some("TLSv1.2_2025"), "TLSv1.2_2021"), (Status::Pass, json!("TLSv1.2_2025")));
    assert_eq!(tls(Some("TLSv1.3_2025"), "TLSv1.2_2025"), (Status::Pass, json!("TLSv1.3_2025")));
    assert_eq!(tls(Some("TLSv1.2_2021"), "TLSv1.2_2025"), (Status::Drift, json!("TLSv1.2_2021")));
    assert_eq!(tls(Some("TLSv1.2_2025"), "TLSv1.3_2025"), (Status::Drift, json!("TLSv1.2_2025")));
    assert_eq!(tls(Some("TLSv1_2016"), "TLSv1.2_2021"), (Status::Drift, json!("TLSv1_2016")));
    // a policy name this version does not know is never taken as strong enough
    assert_eq!(tls(Some("TLSv1.3_2031"), "TLSv1.2_2021"), (Status::Drift, json!("TLSv1.3_2031")));
    assert_eq!(tls(None, "TLSv1"), (Status::Drift, json!(null)));
}

#[test]
fn cloudfront_default_certificate_is_served_with_tlsv1() {
    let mut d = distribution(Observed::Known(None), None);
    d.acm_certificate = None;
    d.default_certificate = true;
    let f = evaluate(&[req("cloudfront.distribution", "[requirement.expect]\nmin_tls = \"TLSv1.2_2021\"")], &with(d));
    assert_eq!(f[0].status, Status::Drift);
    assert_eq!(
        observed(&f[0], "min_tls"),
        "TLSv1 (CloudFront default certificate; MinimumProtocolVersion TLSv1.2_2021 not applied)"
    );
}

#[test]
fn cloudfront_logging_v2_delivery_passes_and_its_absence_drifts() {
    let r = req("cloudfront.distribution", "[requirement.expect]\nlogging = true");
    let mut d = distribution(Observed::Known(None), None);
    d.log_deliveries = Observed::Known(vec!["arn:aws:logs:us-east-1:1:delivery-destination:cdn".into()]);
    let f = evaluate(std::slice::from_ref(&r), &with(d.clone()));
    assert_eq!((f[0].resource.as_deref(), f[0].status), (Some("arn:aws:cloudfront::1:distribution/E1"), Status::Pass));
    assert_eq!(observed(&f[0], "logging"), "v2 delivery to arn:aws:logs:us-east-1:1:delivery-destination:cdn");

    d.log_deliveries = Observed::Known(vec![]);
    let f = evaluate(std::slice::from_ref(&r), &with(d.clone()));
    assert_eq!(f[0].status, Status::Drift);
    assert_eq!(observed(&f[0], "logging"), &json!(null));

    d.log_deliveries = Observed::Unknown(denied("DescribeDeliveries"));
    let f = evaluate(std::slice::from_ref(&r), &with(d));
    assert_eq!(f[0].status, Status::Unknown);
    assert_eq!(f[0].checks[0].error.as_deref(), Some("s3:DescribeDeliveries in us-east-1 failed with AccessDenied"));

    // `logging = false`: a v2 delivery is logging
    let off = req("cloudfront.distribution", "[requirement.expect]\nlogging = false");
    let mut d = distribution(Observed::Known(None), None);
    d.log_deliveries = Observed::Known(vec!["arn:aws:logs:us-east-1:1:delivery-destination:cdn".into()]);
    assert_eq!(evaluate(&[off], &with(d))[0].status, Status::Drift);
}

#[test]
fn cloudfront_web_acls_are_read_in_the_partitions_global_region() {
    let mut r = req("cloudfront.distribution", "[requirement.expect]\nweb_acl = true");
    let plan = crate::collect::Plan::for_requirements([&r]);
    let waf = |plan: &crate::collect::Plan| plan.need("wafv2").map(|n| n.regions_with("cloudfront"));
    assert_eq!(waf(&plan), Some(["us-east-1".to_string()].into()));
    r.regions = vec!["cn-north-1".into()];
    let plan = crate::collect::Plan::for_requirements([&r]);
    assert_eq!(waf(&plan), Some(["cn-northwest-1".to_string()].into()));
    // evaluation reads the same key (here never collected, so unknown, never a pass)
    let f = evaluate(&[r], &with(distribution(Observed::Known(None), Some("acl-1"))));
    assert_eq!(f[0].status, Status::Unknown);
    assert_eq!(
        f[0].checks[0].error.as_deref(),
        Some("CloudFront web ACLs in CLOUDFRONT:cn-northwest-1 was not collected")
    );
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
