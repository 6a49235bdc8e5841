//! Fills `Inventory::certificates`: per region, every certificate (all key types)
//! with DescribeCertificate; and, when asked, whether each DNS validation CNAME
//! exists in a public Route 53 hosted zone of the account.

use crate::aws::{all_pages, Ctx};
use crate::inventory::{Certificate, DomainValidation, Gap, Observed};
use aws_sdk_acm::types::{Filters, KeyAlgorithm};
use aws_sdk_route53::types::RrType;
use futures::future::join_all;
use std::collections::{BTreeMap, BTreeSet};

const SERVICE: &str = "acm";
const R53_REGION: &str = "us-east-1";

pub const CALLS: &[super::permissions::Call] = &[
    super::permissions::Call {
        operation: "ListCertificates",
        action: "acm:ListCertificates",
        needed: |p| !p.certificates.is_empty(),
    },
    super::permissions::Call {
        operation: "DescribeCertificate",
        action: "acm:DescribeCertificate",
        needed: |p| !p.certificates.is_empty(),
    },
    super::permissions::Call {
        operation: "ListHostedZones",
        action: "route53:ListHostedZones",
        needed: |p| p.certificate_route53,
    },
    super::permissions::Call {
        operation: "ListResourceRecordSets",
        action: "route53:ListResourceRecordSets",
        needed: |p| p.certificate_route53,
    },
    super::permissions::Call {
        operation: "ListTagsForCertificate",
        action: "acm:ListTagsForCertificate",
        needed: |p| p.certificate_tags,
    },
];

fn fqdn(name: &str) -> String {
    let n = name.trim().to_ascii_lowercase();
    if n.ends_with('.') {
        n
    } else {
        format!("{n}.")
    }
}

async fn describe_region(ctx: &Ctx, region: &str, with_tags: bool) -> Observed<Vec<Certificate>> {
    let client = aws_sdk_acm::Client::new(&ctx.config(region));
    let key_types: Vec<KeyAlgorithm> = KeyAlgorithm::values().iter().map(|v| KeyAlgorithm::from(*v)).collect();
    let list = client.list_certificates().includes(Filters::builder().set_key_types(Some(key_types)).build());
    let pages = match all_pages(ctx, list.into_paginator().send()).await {
        Ok(p) => p,
        Err(err) => return Observed::Unknown(ctx.gap(&err, SERVICE, region, "ListCertificates", None)),
    };
    let mut arns: Vec<String> = Vec::new();
    for s in pages.iter().flat_map(|p| p.certificate_summary_list()) {
        let Some(arn) = s.certificate_arn() else {
            return Observed::Unknown(ctx.malformed(
                SERVICE,
                region,
                "ListCertificates",
                "a certificate's CertificateArn",
            ));
        };
        arns.push(arn.to_string());
    }
    let described = join_all(arns.iter().map(|arn| {
        let client = client.clone();
        async move {
            let _permit = ctx.permit().await;
            match client.describe_certificate().certificate_arn(arn).send().await {
                Ok(out) => Ok(out.certificate().cloned()),
                Err(err) => Err(ctx.gap(&err, SERVICE, region, "DescribeCertificate", Some(arn))),
            }
        }
    }))
    .await;
    let mut certs = Vec::new();
    for (arn, result) in arns.iter().zip(described) {
        match result {
            // one certificate that cannot be described makes the listing incomplete
            Err(gap) => return Observed::Unknown(gap),
            Ok(None) => {
                return Observed::Unknown(ctx.malformed(SERVICE, region, "DescribeCertificate", "the Certificate"))
            }
            Ok(Some(c)) => certs.push(Certificate {
                arn: arn.clone(),
                domain: c.domain_name().unwrap_or_default().to_string(),
                region: region.to_string(),
                status: c.status().map(|s| s.as_str().to_string()),
                validations: c
                    .domain_validation_options()
                    .iter()
                    .map(|v| DomainValidation {
                        domain: v.domain_name().to_string(),
                        method: v.validation_method().map(|m| m.as_str().to_string()),
                        status: v.validation_status().map(|s| s.as_str().to_string()),
                        record: v.resource_record().map(|r| (r.name().to_string(), r.value().to_string())),
                        record_in_route53: Observed::default(),
                    })
                    .collect(),
                not_after: c.not_after().map(|t| t.secs()),
                tags: Observed::default(),
            }),
        }
    }
    if with_tags {
        let tags = join_all(certs.iter().map(|c| {
            let client = client.clone();
            async move {
                let _permit = ctx.permit().await;
                match client.list_tags_for_certificate().certificate_arn(&c.arn).send().await {
                    Ok(o) => Observed::Known(super::tag_map(o.tags(), |t| (Some(t.key()), t.value()))),
                    Err(err) => {
                        Observed::Unknown(ctx.gap(&err, SERVICE, region, "ListTagsForCertificate", Some(&c.arn)))
                    }
                }
            }
        }))
        .await;
        for (c, t) in certs.iter_mut().zip(tags) {
            c.tags = t;
        }
    }
    Observed::Known(certs)
}

/// Public hosted zones of the account: (zone id, zone name as FQDN).
async fn public_zones(ctx: &Ctx, r53: &aws_sdk_route53::Client) -> Result<Vec<(String, String)>, Gap> {
    let pages = all_pages(ctx, r53.list_hosted_zones().into_paginator().send())
        .await
        .map_err(|err| ctx.gap(&err, "route53", R53_REGION, "ListHostedZones", None))?;
    Ok(pages
        .iter()
        .flat_map(|p| p.hosted_zones())
        .filter(|z| !z.config().is_some_and(|c| c.private_zone()))
        .map(|z| (z.id().trim_start_matches("/hostedzone/").to_string(), fqdn(z.name())))
        .collect())
}

async fn cname_exists(ctx: &Ctx, r53: &aws_sdk_route53::Client, zone: &str, name: &str) -> Observed<bool> {
    let _permit = ctx.permit().await;
    let call = r53
        .list_resource_record_sets()
        .hosted_zone_id(zone)
        .start_record_name(name)
        .start_record_type(RrType::Cname)
        .max_items(1);
    match call.send().await {
        Ok(out) => Observed::Known(
            out.resource_record_sets()
                .first()
                .is_some_and(|r| fqdn(r.name()) == fqdn(name) && *r.r#type() == RrType::Cname),
        ),
        Err(err) => Observed::Unknown(ctx.gap(&err, "route53", R53_REGION, "ListResourceRecordSets", Some(name))),
    }
}

/// Fills `record_in_route53` of every validation: each distinct record is looked
/// up once, in the zone with the longest matching suffix.
async fn check_records(ctx: &Ctx, all: &mut BTreeMap<String, Observed<Vec<Certificate>>>) {
    let r53 = aws_sdk_route53::Client::new(&ctx.config(R53_REGION));
    let zones = public_zones(ctx, &r53).await;
    let mut lookups: BTreeSet<(String, String)> = BTreeSet::new();
    let zone_for = |name: &str, zones: &[(String, String)]| -> Option<String> {
        let name = fqdn(name);
        zones
            .iter()
            .filter(|(_, z)| name == *z || name.ends_with(&format!(".{z}")))
            .max_by_key(|(_, z)| z.len())
            .map(|(id, _)| id.clone())
    };
    if let Ok(zones) = &zones {
        for certs in all.values().filter_map(|o| o.known()) {
            for v in certs.iter().flat_map(|c| &c.validations) {
                if let (Some((name, _)), Some(zone)) =
                    (&v.record, v.record.as_ref().and_then(|r| zone_for(&r.0, zones)))
                {
                    lookups.insert((zone, fqdn(name)));
                }
            }
        }
    }
    let results: BTreeMap<(String, String), Observed<bool>> = join_all(lookups.into_iter().map(|(zone, name)| {
        let r53 = r53.clone();
        async move {
            let found = cname_exists(ctx, &r53, &zone, &name).await;
            ((zone, name), found)
        }
    }))
    .await
    .into_iter()
    .collect();
    for certs in all.values_mut() {
        let Observed::Known(certs) = certs else { continue };
        for v in certs.iter_mut().flat_map(|c| c.validations.iter_mut()) {
            v.record_in_route53 = match (&zones, &v.record) {
                (Err(g), _) => Observed::Unknown(g.clone()),
                (Ok(_), None) => Observed::Known(None),
                (Ok(zones), Some((name, _))) => match zone_for(name, zones) {
                    None => Observed::Known(None),
                    Some(zone) => results.get(&(zone, fqdn(name))).cloned().unwrap_or_default().map(Some),
                },
            };
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
