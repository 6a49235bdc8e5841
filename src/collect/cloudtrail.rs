//! Fills `Inventory::trails`: per audited region, every trail that applies there
//! (DescribeTrails with shadow trails), then IsLogging once per trail from
//! GetTrailStatus in the trail's home region.

use crate::aws::Ctx;
use crate::inventory::{Observed, Trail};
use futures::future::join_all;
use std::collections::{BTreeMap, BTreeSet};

const SERVICE: &str = "cloudtrail";

pub const CALLS: &[super::permissions::Call] = &[
    super::permissions::Call {
        operation: "DescribeTrails",
        action: "cloudtrail:DescribeTrails",
        needed: |p| !p.trails.is_empty(),
    },
    super::permissions::Call {
        operation: "GetTrailStatus",
        action: "cloudtrail:GetTrailStatus",
        needed: |p| !p.trails.is_empty(),
    },
    super::permissions::Call { operation: "ListTags", action: "cloudtrail:ListTags", needed: |p| p.trail_tags },
];

async fn describe(ctx: &Ctx, region: &str) -> Observed<Vec<Trail>> {
    let client = aws_sdk_cloudtrail::Client::new(&ctx.config(region));
    let _permit = ctx.permit().await;
    let out = match client.describe_trails().include_shadow_trails(true).send().await {
        Ok(out) => out,
        Err(err) => return Observed::Unknown(ctx.gap(&err, SERVICE, region, "DescribeTrails", None)),
    };
    let mut trails = Vec::new();
    for t in out.trail_list() {
        let (Some(name), Some(arn), Some(home)) = (t.name(), t.trail_arn(), t.home_region()) else {
            // a trail that cannot be identified must not silently drop out of the list
            return Observed::Unknown(ctx.malformed(
                SERVICE,
                region,
                "DescribeTrails",
                "a trail's Name, TrailARN or HomeRegion",
            ));
        };
        let multi = t.is_multi_region_trail().unwrap_or(false);
        let org = t.is_organization_trail().unwrap_or(false);
        // AWS lists shadows of multi-region trails; a single-region trail of
        // another region does not apply here (the emulator may list it anyway).
        if home != region && !multi && !org {
            continue;
        }
        trails.push(Trail {
            name: name.to_string(),
            arn: arn.to_string(),
            home_region: home.to_string(),
            multi_region: multi,
            organization: org,
            log_file_validation: t.log_file_validation_enabled(),
            kms_key: t.kms_key_id().map(str::to_string),
            include_global_service_events: t.include_global_service_events(),
            s3_bucket: t.s3_bucket_name().map(str::to_string),
            is_logging: Observed::default(),
            tags: Observed::default(),
        });
    }
    Observed::Known(trails)
}

async fn status(ctx: &Ctx, arn: &str, home: &str) -> Observed<bool> {
    let client = aws_sdk_cloudtrail::Client::new(&ctx.config(home));
    let _permit = ctx.permit().await;
    match client.get_trail_status().name(arn).send().await {
        Ok(out) => match out.is_logging() {
            Some(v) => Observed::Known(v),
            None => Observed::Unknown(crate::inventory::Gap {
                service: SERVICE.into(),
                region: home.into(),
                operation: "GetTrailStatus".into(),
                resource: Some(arn.into()),
                code: "MissingIsLogging".into(),
                message: "GetTrailStatus answered without IsLogging".into(),
                class: crate::inventory::ErrorClass::Malformed,
            }),
        },
        Err(err) => Observed::Unknown(ctx.gap(&err, SERVICE, home, "GetTrailStatus", Some(arn))),
    }
}

async fn tags(ctx: &Ctx, arn: &str, home: &str) -> Observed<crate::inventory::Tags> {
    let client = aws_sdk_cloudtrail::Client::new(&ctx.config(home));
    let _permit = ctx.permit().await;
    match client.list_tags().resource_id_list(arn).send().await {
        Ok(out) => Observed::Known(
            out.resource_tag_list()
                .iter()
                .flat_map(|r| r.tags_list())
                .map(|t| (t.key().to_string(), t.value().unwrap_or_default().to_string()))
                .collect(),
        ),
        Err(err) => Observed::Unknown(ctx.gap(&err, SERVICE, home, "ListTags", Some(arn))),
    }
}

pub async fn collect(ctx: &Ctx, regions: &BTreeSet<String>, with_tags: bool) -> BTreeMap<String, Observed<Vec<Trail>>> {
    let listed = join_all(regions.iter().map(|r| async move { (r.clone(), describe(ctx, r).await) })).await;
    let mut homes: BTreeMap<String, String> = BTreeMap::new();
    for (_, trails) in &listed {
        for t in trails.known().into_iter().flatten() {
            homes.insert(t.arn.clone(), t.home_region.clone());
        }
    }
    let details: BTreeMap<String, (Observed<bool>, Observed<crate::inventory::Tags>)> =
        join_all(homes.iter().map(|(arn, home)| async move {
            let tags = async {
                if with_tags {
                    tags(ctx, arn, home).await
                } else {
                    Observed::default()
                }
            };
            (arn.clone(), tokio::join!(status(ctx, arn, home), tags))
        }))
        .await
        .into_iter()
        .collect();
    listed
        .into_iter()
        .map(|(region, trails)| {
            let trails = trails.map(|list| {
                list.into_iter()
                    .map(|mut t| {
                        if let Some((logging, tags)) = details.get(&t.arn) {
                            t.is_logging = logging.clone();
                            t.tags = tags.clone();
                        }
                        t
                    })
                    .collect()
            });
            (region, trails)
        })
        .collect()
}
