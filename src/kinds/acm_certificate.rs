//! `acm.certificate`: status, validation, DNS validation records, expiry.

use super::{Field, FieldType::*, Kind};
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::inventory::{Certificate, Gap, Inventory, Observed};
use crate::profile::Requirement;
use serde_json::json;

pub static KIND: Kind = Kind {
    name: "acm.certificate",
    summary: "ACM certificates: status, validation method, DNS validation records, expiry",
    doc: "Certificates of every key type in the requirement's regions (a CloudFront certificate \
lives in us-east-1), selected by domain name. `dns_validation_records` asks that every domain \
has the validation CNAME that ACM issued and, when a public hosted zone of the account holds \
the domain, that the CNAME really exists in Route 53 — the classic miss of a stack that \
requests a certificate and never creates its validation record.",
    regional: true,
    tags: true,
    selectable: true,
    fields: &[
        Field::new("status", Str, "Certificate status, e.g. ISSUED."),
        Field::new("validation_method", OneOf(&["DNS", "EMAIL"]), "How every domain of the certificate is validated."),
        Field::new(
            "dns_validation_records",
            Bool,
            "Every domain has its validation CNAME, present in Route 53 when the account hosts the zone.",
        ),
        Field::new("min_days_to_expiry", Int, "The certificate stays valid at least this many more days."),
    ],
    plan: |req, plan| {
        plan.certificates.extend(req.regions.iter().cloned());
        plan.certificate_tags |= crate::collect::wants_tags(req);
        if req.expect.has("dns_validation_records") {
            plan.certificate_route53 = true;
        }
    },
    evaluate,
};

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

fn checks(req: &Requirement, c: &Certificate) -> Vec<Check> {
    let e = &req.expect;
    let mut out = Vec::new();
    if let Some(want) = e.str("status") {
        out.push(Check::new("status", json!(want), json!(c.status), c.status.as_deref() == Some(want)));
    }
    if let Some(want) = e.str("validation_method") {
        let methods: Vec<Option<&str>> = c.validations.iter().map(|v| v.method.as_deref()).collect();
        let ok = !methods.is_empty() && methods.iter().all(|m| *m == Some(want));
        out.push(Check::new("validation_method", json!(want), json!(methods), ok));
    }
    if let Some(want) = e.bool("dns_validation_records") {
        let mut observed = Vec::new();
        let mut all_present = !c.validations.is_empty();
        let mut gap: Option<&Gap> = None;
        for v in &c.validations {
            let (present, state) = match (&v.record, &v.record_in_route53) {
                (None, _) => (false, json!("no validation record issued")),
                (Some(_), Observed::Known(None)) => (true, json!("issued; zone not in this account")),
                (Some(_), Observed::Known(Some(true))) => (true, json!("present in Route 53")),
                (Some(_), Observed::Known(Some(false))) => (false, json!("missing from Route 53")),
                (Some(_), Observed::Unknown(g)) => {
                    gap = Some(g);
                    (true, json!(null))
                }
            };
            all_present &= present;
            observed.push(json!({ "domain": v.domain, "record": v.record.as_ref().map(|r| &r.0), "state": state }));
        }
        out.push(if all_present != want {
            Check::new("dns_validation_records", json!(want), json!(observed), false)
        } else if let Some(g) = gap {
            Check::unknown("dns_validation_records", json!(want), g)
        } else {
            Check::new("dns_validation_records", json!(want), json!(observed), true)
        });
    }
    if let Some(min) = e.int("min_days_to_expiry") {
        let days = c.not_after.map(|t| (t - now()).div_euclid(86_400));
        let ok = days.is_some_and(|d| d >= min);
        out.push(Check::new("min_days_to_expiry", json!(format!(">= {min}")), json!(days), ok));
    }
    out
}

fn evaluate(req: &Requirement, inv: &Inventory) -> Vec<Finding> {
    let mut listing = Listing::new();
    for region in &req.regions {
        listing.add(Inventory::regional(&inv.certificates, region, "ACM certificates"));
    }
    evaluate_resources(
        req,
        listing,
        |c| Meta {
            id: c.arn.as_str().into(),
            name: c.domain.as_str().into(),
            region: Some(c.region.as_str().into()),
            tags: Some(&c.tags),
            path: None,
        },
        |c| checks(req, c),
    )
}
