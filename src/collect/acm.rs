//! Fills `Inventory::certificates`: per region, every certificate (all key types)
//! with DescribeCertificate; and, when asked, the values of each DNS validation
//! CNAME in the public Route 53 hosted zone of the account that holds its name.
//!
//! One certificate that cannot be described is that certificate's gap (its
//! validations unknown; status and expiry from the ListCertificates summary); one
//! deleted between ListCertificates and DescribeCertificate
//! (ResourceNotFoundException) is gone.

use super::route53::decode_name;
use crate::aws::{all_pages, Ctx};
use crate::inventory::{Certificate, DomainValidation, Gap, Observed};
use aws_sdk_acm::error::ProvideErrorMetadata;
use aws_sdk_acm::types::{Filters, KeyAlgorithm};
use aws_sdk_route53::types::RrType;
use futures::future::join_all;
use std::collections::{BTreeMap, BTreeSet};

const SERVICE: &str = "acm";
/// Record sets read per validation name: a name can hold several CNAME sets
/// (weighted, latency… routing), each with its own value.
const RECORDS_PER_NAME: i32 = 20;

pub const CALLS: &[super::permissions::Call] = &[
    super::permissions::Call { operation: "ListCertificates", action: "acm:ListCertificates", needed: |_| true },
    super::permissions::Call { operation: "DescribeCertificate", action: "acm:DescribeCertificate", needed: |_| true },
    super::permissions::Call {
        operation: "ListHostedZones",
        action: "route53:ListHostedZones",
        needed: |n| n.has("route53"),
    },
    super::permissions::Call {
        operation: "ListResourceRecordSets",
        action: "route53:ListResourceRecordSets",
        needed: |n| n.has("route53"),
    },
    super::permissions::Call {
        operation: "ListTagsForCertificate",
        action: "acm:ListTagsForCertificate",
        needed: |n| n.has("tags"),
    },
];

pub static COLLECTOR: super::Collector = super::Collector {
    id: "acm",
    service: SERVICE,
    part: "certificates",
    reads: &[
        ("tags", "tags of each certificate"),
        ("route53", "the validation records' values in the account's public hosted zones"),
    ],
    calls: CALLS,
    collect: |ctx, need| {
        Box::pin(async move {
            let part = collect(ctx, &need.regions(), need.has("route53"), need.has("tags")).await;
            Box::new(move |inv: &mut crate::inventory::Inventory| inv.certificates = part) as super::Fill
        })
    },
    cut_short: |need, gap, inv| inv.certificates = super::all_unknown(&need.regions(), gap),
};

/// A DNS name as DNS compares it: Route 53 escapes decoded, case folded, without
/// the trailing dot (which is optional in both ACM's and Route 53's answers).
fn dns_name(name: &str) -> String {
    decode_name(name)
}

fn gone<E: ProvideErrorMetadata>(err: &aws_sdk_acm::error::SdkError<E>) -> bool {
    err.as_service_error().and_then(|e| e.code()) == Some("ResourceNotFoundException")
}

/// The certificate's domain validations, by domain name: ACM documents no order
/// for DomainValidationOptions, and a report must not change with it.
fn validations(c: &aws_sdk_acm::types::CertificateDetail) -> Vec<DomainValidation> {
    let mut out: Vec<DomainValidation> = c
        .domain_validation_options()
        .iter()
        .map(|v| DomainValidation {
            domain: v.domain_name().to_string(),
            method: v.validation_method().map(|m| m.as_str().to_string()),
            status: v.validation_status().map(|s| s.as_str().to_string()),
            record: v.resource_record().map(|r| (r.name().to_string(), r.value().to_string())),
            route53_values: Observed::default(),
        })
        .collect();
    out.sort_by(|a, b| a.domain.cmp(&b.domain));
    out
}

async fn describe_region(ctx: &Ctx, region: &str, with_tags: bool) -> Observed<Vec<Certificate>> {
    let client = ctx.client::<aws_sdk_acm::Client>(region);
    let key_types: Vec<KeyAlgorithm> = KeyAlgorithm::values().iter().map(|v| KeyAlgorithm::from(*v)).collect();
    let list = client.list_certificates().includes(Filters::builder().set_key_types(Some(key_types)).build());
    let pages = match all_pages(ctx, list.into_paginator().send()).await {
        Ok(p) => p,
        Err(err) => return Observed::Unknown(ctx.gap(&err, SERVICE, region, "ListCertificates", None)),
    };
    // what the summary says, used when the certificate cannot be described
    let mut summaries: Vec<Certificate> = Vec::new();
    for s in pages.iter().flat_map(|p| p.certificate_summary_list()) {
        let Some(arn) = s.certificate_arn() else {
            return Observed::Unknown(ctx.malformed(
                SERVICE,
                region,
                "ListCertificates",
                "a certificate's CertificateArn",
            ));
        };
        summaries.push(Certificate {
            arn: arn.to_string(),
            domain: s.domain_name().unwrap_or_default().to_string(),
            region: region.to_string(),
            status: s.status().map(|v| v.as_str().to_string()),
            validations: Observed::default(),
            not_after: s.not_after().map(|t| t.secs()),
            tags: Observed::default(),
        });
    }
    let described = join_all(summaries.iter().map(|s| {
        let client = client.clone();
        async move {
            let _permit = ctx.permit().await;
            match client.describe_certificate().certificate_arn(&s.arn).send().await {
                Ok(out) => Some(match out.certificate() {
                    Some(c) => Ok(c.clone()),
                    None => Err(ctx.malformed(SERVICE, region, "DescribeCertificate", "the Certificate")),
                }),
                Err(err) if gone(&err) => None,
                Err(err) => Some(Err(ctx.gap(&err, SERVICE, region, "DescribeCertificate", Some(&s.arn)))),
            }
        }
    }))
    .await;
    let mut certs = Vec::new();
    for (summary, result) in summaries.into_iter().zip(described) {
        match result {
            None => {}
            Some(Err(gap)) => certs.push(Certificate { validations: Observed::Unknown(gap), ..summary }),
            Some(Ok(c)) => certs.push(Certificate {
                domain: c.domain_name().map(str::to_string).unwrap_or(summary.domain),
                status: c.status().map(|s| s.as_str().to_string()),
                validations: Observed::Known(validations(&c)),
                not_after: c.not_after().map(|t| t.secs()),
                ..summary
            }),
        }
    }
    if with_tags {
        let tags = join_all(certs.iter().map(|c| {
            let client = client.clone();
            async move {
                let _permit = ctx.permit().await;
                match client.list_tags_for_certificate().certificate_arn(&c.arn).send().await {
                    Ok(o) => Some(Observed::Known(super::tag_map(o.tags(), |t| (Some(t.key()), t.value())))),
                    Err(err) if gone(&err) => None,
                    Err(err) => {
                        Some(Observed::Unknown(ctx.gap(&err, SERVICE, region, "ListTagsForCertificate", Some(&c.arn))))
                    }
                }
            }
        }))
        .await;
        let mut kept = Vec::with_capacity(certs.len());
        for (mut c, t) in certs.into_iter().zip(tags) {
            if let Some(t) = t {
                c.tags = t;
                kept.push(c);
            }
        }
        certs = kept;
    }
    Observed::Known(certs)
}

/// Public hosted zones of the account: (zone id, decoded zone name).
async fn public_zones(ctx: &Ctx, r53: &aws_sdk_route53::Client) -> Result<Vec<(String, String)>, Gap> {
    let pages = all_pages(ctx, r53.list_hosted_zones().into_paginator().send())
        .await
        .map_err(|err| ctx.gap(&err, "route53", ctx.global_region(), "ListHostedZones", None))?;
    Ok(pages
        .iter()
        .flat_map(|p| p.hosted_zones())
        .filter(|z| !z.config().is_some_and(|c| c.private_zone()))
        .map(|z| (z.id().trim_start_matches("/hostedzone/").to_string(), dns_name(z.name())))
        .collect())
}

/// The values of the CNAME record sets named exactly `name` in a zone (empty
/// when there is none): the listing starts at (name, CNAME), and Route 53 lists
/// names escaped, so each listed name is decoded before it is compared.
async fn cname_values(ctx: &Ctx, r53: &aws_sdk_route53::Client, zone: &str, name: &str) -> Observed<Vec<String>> {
    let _permit = ctx.permit().await;
    let call = r53
        .list_resource_record_sets()
        .hosted_zone_id(zone)
        .start_record_name(name)
        .start_record_type(RrType::Cname)
        .max_items(RECORDS_PER_NAME);
    match call.send().await {
        Ok(out) => Observed::Known(
            out.resource_record_sets()
                .iter()
                .take_while(|r| dns_name(r.name()) == name)
                .filter(|r| *r.r#type() == RrType::Cname)
                .flat_map(|r| r.resource_records().iter().map(|v| dns_name(v.value())))
                .collect(),
        ),
        Err(err) => {
            Observed::Unknown(ctx.gap(&err, "route53", ctx.global_region(), "ListResourceRecordSets", Some(name)))
        }
    }
}

/// The public zones with the longest suffix of `name` (both decoded). Route 53
/// lets an account hold several public zones of one name; only the one the
/// registrar delegates to answers, and the API does not say which that is.
fn zones_for(name: &str, zones: &[(String, String)]) -> Vec<String> {
    let matching = zones.iter().filter(|(_, z)| name == z || name.ends_with(&format!(".{z}")));
    let longest = matching.clone().map(|(_, z)| z.len()).max();
    matching.filter(|(_, z)| Some(z.len()) == longest).map(|(id, _)| id.clone()).collect()
}

/// One answer from the lookups in every candidate zone: they must agree, else
/// which one DNS serves decides, and that cannot be told from the API.
fn agreed(region: &str, name: &str, answers: Vec<Observed<Vec<String>>>) -> Observed<Option<Vec<String>>> {
    let mut first: Option<Vec<String>> = None;
    for answer in answers {
        let values = match answer {
            Observed::Unknown(g) => return Observed::Unknown(g),
            Observed::Known(v) => v,
        };
        match &first {
            Some(f) if *f != values => {
                return Observed::Unknown(Gap {
                    service: "route53".into(),
                    region: region.to_string(),
                    operation: "ListResourceRecordSets".into(),
                    resource: Some(name.to_string()),
                    code: "AmbiguousHostedZone".into(),
                    message: format!(
                        "several public hosted zones of the account hold {name} with different records; \
the delegated one cannot be told from the API"
                    ),
                    class: crate::inventory::ErrorClass::Other,
                })
            }
            Some(_) => {}
            None => first = Some(values),
        }
    }
    Observed::Known(first)
}

/// Fills `route53_values` of every validation: each distinct record is looked
/// up once in each zone with the longest matching suffix.
async fn check_records(ctx: &Ctx, all: &mut BTreeMap<String, Observed<Vec<Certificate>>>) {
    let r53 = ctx.client::<aws_sdk_route53::Client>(ctx.global_region());
    let zones = public_zones(ctx, &r53).await;
    let mut lookups: BTreeSet<(String, String)> = BTreeSet::new();
    if let Ok(zones) = &zones {
        let known = all.values().filter_map(|o| o.known()).flatten().filter_map(|c| c.validations.known());
        for (name, _) in known.flatten().filter_map(|v| v.record.as_ref()) {
            let name = dns_name(name);
            for zone in zones_for(&name, zones) {
                lookups.insert((zone, name.clone()));
            }
        }
    }
    let results: BTreeMap<(String, String), Observed<Vec<String>>> =
        join_all(lookups.into_iter().map(|(zone, name)| {
            let r53 = r53.clone();
            async move {
                let found = cname_values(ctx, &r53, &zone, &name).await;
                ((zone, name), found)
            }
        }))
        .await
        .into_iter()
        .collect();
    for certs in all.values_mut() {
        let Observed::Known(certs) = certs else { continue };
        for c in certs.iter_mut() {
            let Observed::Known(validations) = &mut c.validations else { continue };
            for v in validations.iter_mut() {
                v.route53_values = match (&zones, &v.record) {
                    (Err(g), _) => Observed::Unknown(g.clone()),
                    (Ok(_), None) => Observed::Known(None),
                    (Ok(zones), Some((name, _))) => {
                        let name = dns_name(name);
                        let answers: Vec<Observed<Vec<String>>> = zones_for(&name, zones)
                            .into_iter()
                            .map(|zone| results.get(&(zone, name.clone())).cloned().unwrap_or_default())
                            .collect();
                        agreed(ctx.global_region(), &name, answers)
                    }
                };
            }
        }
    }
}

pub async fn collect(
    ctx: &Ctx,
    regions: &BTreeSet<String>,
    route53: bool,
    with_tags: bool,
) -> BTreeMap<String, Observed<Vec<Certificate>>> {
    let mut all: BTreeMap<String, Observed<Vec<Certificate>>> =
        super::per_region(regions, |r| describe_region(ctx, r, with_tags)).await;
    if route53 && all.values().any(|o| o.known().is_some_and(|c| !c.is_empty())) {
        check_records(ctx, &mut all).await;
    }
    all
}

#[cfg(test)]
#[path = "acm_tests.rs"]
mod tests;
