//! ACM certificates and their validation records over recorded answers. ACM
//! bodies follow the ACM API reference (JSON 1.1: ListCertificates'
//! CertificateSummaryList, DescribeCertificate's Certificate with
//! DomainValidationOptions[].ResourceRecord {Name, Type, Value}, errors as
//! `__type`); Route 53 bodies follow its API reference (REST/XML).

use super::*;
use crate::collect::fake;
use crate::collect::route53::tests::{r53_error, records_xml, zones_xml};
use crate::inventory::ErrorClass;

const A: &str = "arn:aws:acm:us-east-1:111122223333:certificate/aaaa";
const B: &str = "arn:aws:acm:us-east-1:111122223333:certificate/bbbb";
const C: &str = "arn:aws:acm:us-east-1:111122223333:certificate/cccc";
const NOT_AFTER: i64 = 4_102_444_800; // 2100-01-01

fn acm_error(code: &str) -> (u16, String) {
    (400, format!("{{\"__type\":\"{code}\",\"message\":\"{code} here\"}}"))
}

fn summary(arn: &str, domain: &str) -> String {
    format!(
        "{{\"CertificateArn\":\"{arn}\",\"DomainName\":\"{domain}\",\"Status\":\"ISSUED\",\"Type\":\"AMAZON_ISSUED\",\
\"KeyAlgorithm\":\"RSA-2048\",\"InUse\":true,\"NotAfter\":{NOT_AFTER}}}"
    )
}

/// A DNS-validated, issued certificate with one domain and its CNAME.
fn described(arn: &str, domain: &str, name: &str, value: &str) -> String {
    format!(
        "{{\"Certificate\":{{\"CertificateArn\":\"{arn}\",\"DomainName\":\"{domain}\",\"Status\":\"ISSUED\",\
\"Type\":\"AMAZON_ISSUED\",\"NotAfter\":{NOT_AFTER},\"DomainValidationOptions\":[{{\"DomainName\":\"{domain}\",\
\"ValidationMethod\":\"DNS\",\"ValidationStatus\":\"SUCCESS\",\"ResourceRecord\":{{\"Name\":\"{name}\",\
\"Type\":\"CNAME\",\"Value\":\"{value}\"}}}}]}}}}"
    )
}

fn regions() -> BTreeSet<String> {
    BTreeSet::from(["us-east-1".to_string()])
}

#[tokio::test]
async fn acm_one_undescribable_certificate_is_its_own_gap_and_a_deleted_one_is_gone() {
    let ctx = fake::ctx_with(|r| match r.op.as_str() {
        "ListCertificates" => (
            200,
            format!(
                "{{\"CertificateSummaryList\":[{},{},{}]}}",
                summary(A, "a.example.com"),
                summary(B, "b.example.com"),
                summary(C, "c.example.com")
            ),
        ),
        "DescribeCertificate" if r.body.contains(A) => {
            (200, described(A, "a.example.com", "_x1.a.example.com.", "_y1.acm-validations.aws."))
        }
        "DescribeCertificate" if r.body.contains(B) => acm_error("AccessDeniedException"),
        "DescribeCertificate" => acm_error("ResourceNotFoundException"),
        _ => (500, format!("unexpected {} {}", r.op, r.uri)),
    });
    let got = collect(&ctx, &regions(), false, false).await;
    let certs = got["us-east-1"].known().expect("listing known");
    let arns: Vec<&str> = certs.iter().map(|c| c.arn.as_str()).collect();
    assert_eq!(arns, [A, B]);
    assert_eq!(certs[0].validations.known().map(|v| v.len()), Some(1));
    assert_eq!(certs[0].status.as_deref(), Some("ISSUED"));
    // B: unknown validations; status, domain and expiry from its summary
    let b = &certs[1];
    assert_eq!(
        (b.domain.as_str(), b.status.as_deref(), b.not_after),
        ("b.example.com", Some("ISSUED"), Some(NOT_AFTER))
    );
    let gap = b.validations.gap().expect("unknown");
    assert_eq!(
        (gap.operation.as_str(), gap.code.as_str(), gap.class, gap.resource.as_deref()),
        ("DescribeCertificate", "AccessDeniedException", ErrorClass::AccessDenied, Some(B))
    );
    // only the denied read is an error; the deleted certificate is not
    let errors: Vec<String> =
        ctx.errors.lock().unwrap().iter().map(|g| format!("{}:{}", g.operation, g.code)).collect();
    assert_eq!(errors, ["DescribeCertificate:AccessDeniedException"]);
}

#[tokio::test]
async fn acm_validation_record_values_are_read_from_route53() {
    let ctx = fake::ctx_with(|r| match r.op.as_str() {
        "ListCertificates" => (
            200,
            format!("{{\"CertificateSummaryList\":[{},{}]}}", summary(A, "a.example.com"), summary(B, "b.example.com")),
        ),
        // ACM's value without the trailing dot and in capitals: DNS compares names case-folded
        "DescribeCertificate" if r.body.contains(A) => {
            (200, described(A, "a.example.com", "_x1.a.example.com.", "_Y1.ACM-validations.aws"))
        }
        "DescribeCertificate" => (200, described(B, "b.example.com", "_x2.b.example.com.", "_y2.acm-validations.aws.")),
        _ if r.uri.contains("/hostedzone/Z1/rrset") && r.uri.contains("name=_x1.a.example.com") => {
            let sets: &[(&str, &str, &[&str])] = &[
                ("_x1.a.example.com.", "CNAME", &["_y1.acm-validations.aws."]),
                ("a.example.com.", "A", &["192.0.2.1"]),
            ];
            (200, records_xml(sets))
        }
        // the name exists, with another value
        _ if r.uri.contains("/hostedzone/Z1/rrset") && r.uri.contains("name=_x2.b.example.com") => {
            let sets: &[(&str, &str, &[&str])] = &[
                ("_x2.b.example.com.", "CNAME", &["_stale.acm-validations.aws."]),
                ("_x2.b.example.com.", "TXT", &["\"other\""]),
            ];
            (200, records_xml(sets))
        }
        _ if r.uri.contains("/hostedzone") && !r.uri.contains("rrset") => {
            (200, zones_xml(&[("Z1", "example.com.", false), ("Z9", "example.com.", true)]))
        }
        _ => (500, r53_error("InternalError")),
    });
    let got = collect(&ctx, &regions(), true, false).await;
    let certs = got["us-east-1"].known().expect("listing known");
    let values: Vec<&Observed<Option<Vec<String>>>> =
        certs.iter().flat_map(|c| c.validations.known().unwrap().iter().map(|v| &v.route53_values)).collect();
    assert_eq!(
        values,
        [
            &Observed::Known(Some(vec!["_y1.acm-validations.aws".to_string()])),
            &Observed::Known(Some(vec!["_stale.acm-validations.aws".to_string()])),
        ]
    );
    assert_eq!(*ctx.errors.lock().unwrap(), []);
}

#[tokio::test]
async fn acm_record_lookup_denied_is_unknown_and_an_unhosted_name_is_not_looked_up() {
    let ctx = fake::ctx_with(|r| match r.op.as_str() {
        "ListCertificates" => (
            200,
            format!("{{\"CertificateSummaryList\":[{},{}]}}", summary(A, "a.example.com"), summary(B, "b.other.net")),
        ),
        "DescribeCertificate" if r.body.contains(A) => {
            (200, described(A, "a.example.com", "_x1.a.example.com.", "_y1.acm-validations.aws."))
        }
        "DescribeCertificate" => (200, described(B, "b.other.net", "_x2.b.other.net.", "_y2.acm-validations.aws.")),
        _ if r.uri.contains("rrset") && r.uri.contains("_x1.a.example.com") => (403, r53_error("AccessDenied")),
        _ if r.uri.contains("/hostedzone") && !r.uri.contains("rrset") => {
            (200, zones_xml(&[("Z1", "example.com.", false)]))
        }
        _ => (500, r53_error("InternalError")),
    });
    let got = collect(&ctx, &regions(), true, false).await;
    let certs = got["us-east-1"].known().expect("listing known");
    let a = &certs[0].validations.known().unwrap()[0].route53_values;
    let gap = a.gap().expect("unknown");
    assert_eq!(
        (gap.service.as_str(), gap.operation.as_str(), gap.code.as_str(), gap.resource.as_deref()),
        ("route53", "ListResourceRecordSets", "AccessDenied", Some("_x1.a.example.com"))
    );
    assert_eq!(certs[1].validations.known().unwrap()[0].route53_values, Observed::Known(None));
}

#[tokio::test]
async fn acm_two_public_zones_of_one_name_that_disagree_leave_the_record_unknown() {
    let ctx = fake::ctx_with(|r| match r.op.as_str() {
        "ListCertificates" => (200, format!("{{\"CertificateSummaryList\":[{}]}}", summary(A, "a.example.com"))),
        "DescribeCertificate" => (200, described(A, "a.example.com", "_x1.a.example.com.", "_y1.acm-validations.aws.")),
        // the record with ACM's value in one zone, nothing in the other
        _ if r.uri.contains("/hostedzone/Z1/rrset") => {
            let sets: &[(&str, &str, &[&str])] = &[("_x1.a.example.com.", "CNAME", &["_y1.acm-validations.aws."])];
            (200, records_xml(sets))
        }
        _ if r.uri.contains("/hostedzone/Z2/rrset") => {
            let sets: &[(&str, &str, &[&str])] = &[("b.example.com.", "A", &["192.0.2.2"])];
            (200, records_xml(sets))
        }
        _ if r.uri.contains("/hostedzone") => {
            (200, zones_xml(&[("Z1", "example.com.", false), ("Z2", "example.com.", false)]))
        }
        _ => (500, r53_error("InternalError")),
    });
    let got = collect(&ctx, &regions(), true, false).await;
    let v = &got["us-east-1"].known().unwrap()[0].validations.known().unwrap()[0].route53_values;
    let gap = v.gap().expect("unknown");
    assert_eq!((gap.code.as_str(), gap.resource.as_deref()), ("AmbiguousHostedZone", Some("_x1.a.example.com")));
}

#[tokio::test]
async fn acm_certificate_deleted_before_its_tags_are_read_is_gone() {
    let ctx = fake::ctx_with(|r| match r.op.as_str() {
        "ListCertificates" => (
            200,
            format!("{{\"CertificateSummaryList\":[{},{}]}}", summary(A, "a.example.com"), summary(B, "b.example.com")),
        ),
        "DescribeCertificate" if r.body.contains(A) => {
            (200, described(A, "a.example.com", "_x1.a.example.com.", "_y1.acm-validations.aws."))
        }
        "DescribeCertificate" => (200, described(B, "b.example.com", "_x2.b.example.com.", "_y2.acm-validations.aws.")),
        "ListTagsForCertificate" if r.body.contains(A) => {
            (200, "{\"Tags\":[{\"Key\":\"team\",\"Value\":\"web\"}]}".into())
        }
        "ListTagsForCertificate" => acm_error("ResourceNotFoundException"),
        _ => (500, format!("unexpected {}", r.op)),
    });
    let got = collect(&ctx, &regions(), false, true).await;
    let certs = got["us-east-1"].known().expect("listing known");
    let arns: Vec<&str> = certs.iter().map(|c| c.arn.as_str()).collect();
    assert_eq!(arns, [A]);
    assert_eq!(certs[0].tags.known().and_then(|t| t.get("team")).map(String::as_str), Some("web"));
    assert_eq!(*ctx.errors.lock().unwrap(), []);
}

/// An email-validated certificate as DescribeCertificate answers it (ACM API
/// reference, DomainValidation: ValidationMethod EMAIL, ValidationEmails, no
/// ResourceRecord). The emulator reports every certificate as DNS-validated, so
/// `validation_method` drifts only here: read through the collector and judged.
#[tokio::test]
async fn acm_email_validated_certificate_drifts_from_dns_validation() {
    use crate::compare::{evaluate, Status};
    let ctx = fake::ctx_with(|r| match r.op.as_str() {
        "ListCertificates" => (
            200,
            format!("{{\"CertificateSummaryList\":[{},{}]}}", summary(A, "a.example.com"), summary(B, "b.example.com")),
        ),
        "DescribeCertificate" if r.body.contains(A) => {
            (200, described(A, "a.example.com", "_x1.a.example.com.", "_y1.acm-validations.aws."))
        }
        "DescribeCertificate" => (
            200,
            format!(
                "{{\"Certificate\":{{\"CertificateArn\":\"{B}\",\"DomainName\":\"b.example.com\",\"Status\":\"ISSUED\",\
\"Type\":\"AMAZON_ISSUED\",\"NotAfter\":{NOT_AFTER},\"DomainValidationOptions\":[{{\"DomainName\":\"b.example.com\",\
\"ValidationDomain\":\"b.example.com\",\"ValidationEmails\":[\"admin@b.example.com\"],\
\"ValidationMethod\":\"EMAIL\",\"ValidationStatus\":\"SUCCESS\"}}]}}}}"
            ),
        ),
        _ => (500, format!("unexpected {}", r.op)),
    });
    let mut got = collect(&ctx, &regions(), false, false).await;
    // the fixture requirement also covers us-west-2, which holds no certificate
    got.insert("us-west-2".into(), Observed::Known(vec![]));
    let inv = crate::inventory::Inventory { certificates: got, ..Default::default() };
    let r = crate::kinds::fixtures::req("acm.certificate", "[requirement.expect]\nvalidation_method = \"DNS\"");
    let f = evaluate(&[r], &inv);
    let rows: Vec<(Option<&str>, Status)> = f.iter().map(|f| (f.resource.as_deref(), f.status)).collect();
    assert_eq!(rows, [(Some(A), Status::Pass), (Some(B), Status::Drift)]);
    let failed: Vec<(&str, &serde_json::Value)> =
        f[1].checks.iter().filter(|c| c.ok != Some(true)).map(|c| (c.field.as_ref(), &c.observed)).collect();
    assert_eq!(failed, [("validation_method", &serde_json::json!(["EMAIL"]))]);
    assert_eq!(crate::kinds::fixtures::observed(&f[0], "validation_method"), &serde_json::json!(["DNS"]));
    assert_eq!(*ctx.errors.lock().unwrap(), []);
}

/// A certificate requested with email validation and not yet issued: AWS gives
/// no NotAfter and no ResourceRecord in its DomainValidationOptions.
fn pending_email(arn: &str, domain: &str) -> String {
    serde_json::json!({"Certificate": {
        "CertificateArn": arn, "DomainName": domain, "Status": "PENDING_VALIDATION", "Type": "AMAZON_ISSUED",
        "DomainValidationOptions": [{"DomainName": domain, "ValidationMethod": "EMAIL",
            "ValidationStatus": "PENDING_VALIDATION", "ValidationEmails": [format!("admin@{domain}")]}]}})
    .to_string()
}

#[tokio::test]
async fn acm_list_follows_next_token_and_absent_fields_stay_unset() {
    let (ctx, seen) = fake::recording_ctx(|r| {
        match r.op.as_str() {
        "ListCertificates" if r.body.contains("\"page-2\"") => (
            200,
            format!(
                "{{\"CertificateSummaryList\":[{{\"CertificateArn\":\"{B}\",\"DomainName\":\"b.example.com\",\"Status\":\"PENDING_VALIDATION\"}}]}}"
            ),
        ),
        "ListCertificates" => {
            (200, format!("{{\"CertificateSummaryList\":[{}],\"NextToken\":\"page-2\"}}", summary(A, "a.example.com")))
        }
        "DescribeCertificate" if r.body.contains(A) => {
            (200, described(A, "a.example.com", "_x1.a.example.com.", "_y1.acm-validations.aws."))
        }
        "DescribeCertificate" => (200, pending_email(B, "b.example.com")),
        "ListTagsForCertificate" if r.body.contains(A) => {
            (200, r#"{"Tags":[{"Key":"team","Value":"web"},{"Key":"flag"}]}"#.into())
        }
        "ListTagsForCertificate" => (200, "{}".into()),
        _ => (500, format!("unexpected {} {}", r.op, r.uri)),
    }
    });
    let got = collect(&ctx, &regions(), false, true).await;
    let certs = got["us-east-1"].known().expect("both pages were read");
    let unread = || Observed::default();
    assert_eq!(
        certs,
        &vec![
            Certificate {
                arn: A.into(),
                domain: "a.example.com".into(),
                region: "us-east-1".into(),
                status: Some("ISSUED".into()),
                validations: Observed::Known(vec![DomainValidation {
                    domain: "a.example.com".into(),
                    method: Some("DNS".into()),
                    status: Some("SUCCESS".into()),
                    record: Some(("_x1.a.example.com.".into(), "_y1.acm-validations.aws.".into())),
                    route53_values: unread(),
                }]),
                not_after: Some(NOT_AFTER),
                // a tag without a Value is kept with an empty value
                tags: Observed::Known([("flag".into(), "".into()), ("team".into(), "web".into())].into()),
            },
            // no NotAfter before issue, no ResourceRecord for email validation
            Certificate {
                arn: B.into(),
                domain: "b.example.com".into(),
                region: "us-east-1".into(),
                status: Some("PENDING_VALIDATION".into()),
                validations: Observed::Known(vec![DomainValidation {
                    domain: "b.example.com".into(),
                    method: Some("EMAIL".into()),
                    status: Some("PENDING_VALIDATION".into()),
                    record: None,
                    route53_values: unread(),
                }]),
                not_after: None,
                tags: Observed::Known(Default::default()),
            },
        ]
    );
    let lists = seen.lock().unwrap().iter().filter(|r| r.op == "ListCertificates").count();
    assert_eq!(lists, 2);
    assert!(ctx.errors.lock().unwrap().is_empty());
}

#[tokio::test]
async fn acm_failing_second_list_page_fails_the_listing() {
    let ctx = fake::ctx_with(|r| match r.op.as_str() {
        "ListCertificates" if r.body.contains("\"page-2\"") => acm_error("ThrottlingException"),
        "ListCertificates" => {
            (200, format!("{{\"CertificateSummaryList\":[{}],\"NextToken\":\"page-2\"}}", summary(A, "a.example.com")))
        }
        _ => (500, format!("unexpected {} {}", r.op, r.uri)),
    });
    let got = collect(&ctx, &regions(), false, false).await;
    let gap = got["us-east-1"].gap().expect("a short listing is never passed on as complete");
    assert_eq!(
        (gap.operation.as_str(), gap.code.as_str(), gap.class),
        ("ListCertificates", "ThrottlingException", ErrorClass::Throttled)
    );
    let errors: Vec<String> =
        ctx.errors.lock().unwrap().iter().map(|g| format!("{}:{}", g.operation, g.code)).collect();
    assert_eq!(errors, ["ListCertificates:ThrottlingException"]);
}
