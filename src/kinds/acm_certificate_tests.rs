//! acm.certificate evaluation: validation records judged by their value, and a
//! certificate that could not be described.

#[allow(unused_imports)]
use crate::compare::Finding;
use crate::compare::{evaluate, Status};
use crate::inventory::*;
#[allow(unused_imports)]
use crate::kinds::fixtures::*;
use crate::kinds::fixtures::{denied, observed, req};
use serde_json::json;
use std::collections::BTreeMap;
#[allow(unused_imports)]
use std::collections::BTreeSet;

const ARN: &str = "arn:aws:acm:us-east-1:1:certificate/site";

fn validation(domain: &str, found: Observed<Option<Vec<&str>>>) -> DomainValidation {
    DomainValidation {
        domain: domain.into(),
        method: Some("DNS".into()),
        status: Some("SUCCESS".into()),
        record: Some((format!("_x.{domain}."), format!("_Y.{domain}.ACM-Validations.aws."))),
        route53_values: found.map(|f| f.map(|v| v.iter().map(|s| s.to_string()).collect())),
    }
}

fn inventory(validations: Observed<Vec<DomainValidation>>) -> Inventory {
    let cert = Certificate {
        arn: ARN.into(),
        domain: "site.example".into(),
        region: "us-east-1".into(),
        status: Some("ISSUED".into()),
        validations,
        not_after: Some(4_102_444_800),
        tags: Observed::default(),
    };
    Inventory {
        certificates: BTreeMap::from([
            ("us-east-1".into(), Observed::Known(vec![cert])),
            ("us-west-2".into(), Observed::Known(vec![])),
        ]),
        ..Default::default()
    }
}

fn records_req() -> crate::profile::Requirement {
    req("acm.certificate", "[requirement.expect]\ndns_validation_records = true")
}

#[test]
fn acm_record_with_the_right_name_and_a_wrong_value_drifts() {
    let inv = inventory(Observed::Known(vec![
        // Route 53's decoded, case-folded form of ACM's value: in place
        validation("site.example", Observed::Known(Some(vec!["_y.site.example.acm-validations.aws"]))),
        validation("www.site.example", Observed::Known(Some(vec!["_stale.acm-validations.aws"]))),
    ]));
    let f = evaluate(&[records_req()], &inv);
    assert_eq!(f.len(), 1);
    assert_eq!((f[0].resource.as_deref(), f[0].status), (Some(ARN), Status::Drift));
    assert_eq!(
        observed(&f[0], "dns_validation_records"),
        &json!([
            {"domain": "site.example", "record": "_x.site.example.", "value": "_Y.site.example.ACM-Validations.aws.",
             "state": "present in Route 53"},
            {"domain": "www.site.example", "record": "_x.www.site.example.",
             "value": "_Y.www.site.example.ACM-Validations.aws.", "state": "wrong value in Route 53",
             "found": ["_stale.acm-validations.aws"]},
        ])
    );
}

#[test]
fn acm_record_with_acm_value_passes_and_a_second_set_with_another_value_drifts() {
    let right = "_y.site.example.acm-validations.aws";
    let f = evaluate(
        &[records_req()],
        &inventory(Observed::Known(vec![validation("site.example", Observed::Known(Some(vec![right])))])),
    );
    assert_eq!(f[0].status, Status::Pass);
    assert_eq!(observed(&f[0], "dns_validation_records")[0]["state"], "present in Route 53");
    // DNS may answer from either set: both must hold ACM's value
    let both = Observed::Known(Some(vec![right, "_other.acm-validations.aws"]));
    let f = evaluate(&[records_req()], &inventory(Observed::Known(vec![validation("site.example", both)])));
    assert_eq!(f[0].status, Status::Drift);
    assert_eq!(observed(&f[0], "dns_validation_records")[0]["found"], json!([right, "_other.acm-validations.aws"]));
}

#[test]
fn acm_wrong_value_decides_even_when_another_record_is_unknown() {
    let inv = inventory(Observed::Known(vec![
        validation("site.example", Observed::Unknown(denied("ListResourceRecordSets"))),
        validation("www.site.example", Observed::Known(Some(vec![]))),
    ]));
    let f = evaluate(&[records_req()], &inv);
    assert_eq!(f[0].status, Status::Drift);
    let states: Vec<&str> = observed(&f[0], "dns_validation_records")
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["unknown", "missing from Route 53"]);
}

#[test]
fn acm_undescribed_certificate_is_unknown_only_where_describe_answers() {
    let r = req(
        "acm.certificate",
        "[requirement.expect]\nstatus = \"ISSUED\"\nvalidation_method = \"DNS\"\ndns_validation_records = true\ndays_to_expiry = { at_least = 30 }",
    );
    let f = evaluate(&[r], &inventory(Observed::Unknown(denied("DescribeCertificate"))));
    assert_eq!(f.len(), 1);
    assert_eq!((f[0].resource.as_deref(), f[0].status), (Some(ARN), Status::Unknown));
    let by_field: Vec<(&str, Status)> = f[0].checks.iter().map(|c| (c.field.as_ref(), c.status())).collect();
    // status and expiry come from the ListCertificates summary
    assert_eq!(
        by_field,
        [
            ("status", Status::Pass),
            ("validation_method", Status::Unknown),
            ("dns_validation_records", Status::Unknown),
            ("days_to_expiry", Status::Pass),
        ]
    );
    assert_eq!(f[0].checks[1].error.as_deref(), Some("s3:DescribeCertificate in us-east-1 failed with AccessDenied"));
}

#[test]
fn acm_undescribed_certificate_without_summary_status_is_unknown_not_drift() {
    let mut inv = inventory(Observed::Unknown(denied("DescribeCertificate")));
    if let Some(Observed::Known(certs)) = inv.certificates.get_mut("us-east-1") {
        certs[0].status = None;
        certs[0].not_after = None;
    }
    let r = req("acm.certificate", "[requirement.expect]\nstatus = \"ISSUED\"\ndays_to_expiry = { at_least = 30 }");
    let f = evaluate(&[r], &inv);
    let by_field: Vec<(&str, Status)> = f[0].checks.iter().map(|c| (c.field.as_ref(), c.status())).collect();
    assert_eq!(by_field, [("status", Status::Unknown), ("days_to_expiry", Status::Unknown)]);
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
