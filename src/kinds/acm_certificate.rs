//! `acm.certificate`: status, validation, DNS validation records, expiry.

use super::{Field, FieldType::*, Kind};
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::inventory::{Certificate, DomainValidation, Gap, Inventory, Observed};
use crate::profile::Requirement;
use serde_json::json;

pub static KIND: Kind = Kind {
    name: "acm.certificate",
    summary: "ACM certificates: status, validation method, DNS validation records, expiry",
    doc: "Certificates of every key type in the requirement's regions (a CloudFront certificate \
lives in us-east-1), selected by domain name. Reads ListCertificates (every key type), \
DescribeCertificate (Status, NotAfter, DomainValidationOptions: DomainName, ValidationMethod, \
ResourceRecord Name and Value) and, for `dns_validation_records`, Route 53 ListHostedZones and \
ListResourceRecordSets. `dns_validation_records` asks that every domain has the validation \
CNAME that ACM issued and, when a public hosted zone of the account holds its name, that a \
CNAME at that name exists in Route 53 with ACM's value: ACM validates (and renews) only when \
the CNAME resolves to ResourceRecord.Value. Names and values are compared as DNS does: case \
folded, trailing dot optional, Route 53's `\\NNN` octal escapes decoded. A record with the \
right name but another value drifts, with the values found; several public zones of the \
account with that name that hold different records leave it unknown (the delegated one \
cannot be told from the API). A certificate that could not be \
described is unknown for the fields DescribeCertificate answers; one deleted while being read \
is gone.",
    regional: true,
    tags: true,
    selectable: true,
    fields: &[
        Field::new("status", Str, "Certificate status (DescribeCertificate Status), e.g. ISSUED."),
        Field::new(
            "validation_method",
            OneOf(&["DNS", "EMAIL"]),
            "How the certificate's domains are validated (DomainValidationOptions[].ValidationMethod): every \
domain's method must satisfy it.",
        ),
        Field::new(
            "dns_validation_records",
            Bool,
            "Every domain has its validation CNAME (ResourceRecord), and where the account hosts the zone, \
Route 53 holds a CNAME at that name whose value is ResourceRecord.Value.",
        ),
        Field::new(
            "days_to_expiry",
            Int,
            "Whole days until NotAfter (DescribeCertificate), e.g. { at_least = 30 }; a certificate without \
NotAfter (not issued) never satisfies it.",
        ),
    ],
    plan: |req, plan| {
        plan.resources("acm", req).read_if(req.expect.has("dns_validation_records"), "route53");
    },
    evaluate,
};

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// A DNS name as DNS compares it: case folded, without the optional trailing dot.
/// (ACM's values carry no escapes; the collector decodes Route 53's.)
fn dns_name(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// Why a check cannot be judged when the certificate could not be described.
fn undescribed(c: &Certificate) -> Option<&Gap> {
    c.validations.gap()
}

/// One domain's validation record against Route 53: whether it is in place, and
/// what was observed.
fn record_state(v: &DomainValidation) -> (Result<bool, &Gap>, serde_json::Value) {
    let Some((name, value)) = &v.record else {
        return (Ok(false), json!({ "domain": v.domain, "record": null, "state": "no validation record issued" }));
    };
    let want = dns_name(value);
    let row = |state: &str| json!({ "domain": v.domain, "record": name, "value": value, "state": state });
    match &v.route53_values {
        Observed::Unknown(g) => (Err(g), row("unknown")),
        Observed::Known(None) => (Ok(true), row("issued; zone not in this account")),
        Observed::Known(Some(found)) if found.is_empty() => (Ok(false), row("missing from Route 53")),
        // every CNAME set at the name must answer ACM's value: DNS may serve any of them
        Observed::Known(Some(found)) if found.iter().all(|f| *f == want) => (Ok(true), row("present in Route 53")),
        Observed::Known(Some(found)) => {
            let mut r = row("wrong value in Route 53");
            r["found"] = json!(found);
            (Ok(false), r)
        }
    }
}

fn checks(req: &Requirement, c: &Certificate) -> Vec<Check> {
    let e = &req.expect;
    let mut out = Vec::new();
    if let Some(cmp) = e.cmp("status") {
        out.push(match (&c.status, undescribed(c)) {
            (None, Some(g)) => Check::unknown("status", cmp.expected(), g),
            (Some(status), _) => Check::string("status", cmp, status),
            (None, None) => Check::new("status", cmp.expected(), json!(null), false),
        });
    }
    if let Some(cmp) = e.cmp("validation_method") {
        out.push(match &c.validations {
            Observed::Unknown(g) => Check::unknown("validation_method", cmp.expected(), g),
            Observed::Known(vs) => {
                let methods: Vec<Option<&str>> = vs.iter().map(|v| v.method.as_deref()).collect();
                let ok = !methods.is_empty() && methods.iter().all(|m| m.is_some_and(|m| cmp.string(m)));
                Check::new("validation_method", cmp.expected(), json!(methods), ok)
            }
        });
    }
    if let Some(want) = e.bool("dns_validation_records") {
        out.push(match &c.validations {
            Observed::Unknown(g) => Check::unknown("dns_validation_records", json!(want), g),
            Observed::Known(vs) => {
                let mut observed = Vec::new();
                let mut all_present = !vs.is_empty();
                let mut gap: Option<&Gap> = None;
                for v in vs {
                    let (present, row) = record_state(v);
                    match present {
                        Ok(p) => all_present &= p,
                        Err(g) => gap = gap.or(Some(g)),
                    }
                    observed.push(row);
                }
                // a record seen missing or wrong decides, even when another could not be read
                if !all_present {
                    Check::new("dns_validation_records", json!(want), json!(observed), !want)
                } else if let Some(g) = gap {
                    Check::unknown("dns_validation_records", json!(want), g)
                } else {
                    Check::new("dns_validation_records", json!(want), json!(observed), want)
                }
            }
        });
    }
    if let Some(cmp) = e.cmp("days_to_expiry") {
        out.push(match (c.not_after, undescribed(c)) {
            (None, Some(g)) => Check::unknown("days_to_expiry", cmp.expected(), g),
            // a certificate without NotAfter (not issued) has no validity to compare
            (None, None) => Check::new("days_to_expiry", cmp.expected(), json!(null), false),
            (Some(t), _) => Check::number("days_to_expiry", cmp, (t - now()).div_euclid(86_400) as f64),
        });
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

#[cfg(test)]
#[path = "acm_certificate_tests.rs"]
mod tests;
