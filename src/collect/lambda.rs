//! Fills `Inventory::functions`: per region, every function (ListFunctions) with
//! its runtime and environment key; tags only when asked.

use super::{per_region, Regional};
use crate::aws::{all_pages, Ctx};
use crate::inventory::{Function, Observed};
use futures::future::join_all;
use std::collections::BTreeMap;

const SERVICE: &str = "lambda";

pub const CALLS: &[super::permissions::Call] = &[
    super::permissions::Call { operation: "ListFunctions", action: "lambda:ListFunctions", needed: |_| true },
    super::permissions::Call { operation: "ListTags", action: "lambda:ListTags", needed: |n| n.has("tags") },
];

pub static COLLECTOR: super::Collector = super::Collector {
    id: "lambda",
    service: SERVICE,
    part: "functions",
    reads: &[("tags", "tags of each resource")],
    calls: CALLS,
    collect: |ctx, need| {
        Box::pin(async move {
            let part = collect(ctx, &super::Regional::of(need, "", "")).await;
            Box::new(move |inv: &mut crate::inventory::Inventory| inv.functions = part) as super::Fill
        })
    },
    cut_short: |need, gap, inv| inv.functions = super::all_unknown(&need.regions(), gap),
};

async fn region_functions(ctx: &Ctx, region: &str, need: &Regional) -> Observed<Vec<Function>> {
    let lambda = ctx.client::<aws_sdk_lambda::Client>(region);
    let pages = match all_pages(ctx, lambda.list_functions().into_paginator().send()).await {
        Ok(p) => p,
        Err(e) => return Observed::Unknown(ctx.gap(&e, SERVICE, region, "ListFunctions", None)),
    };
    let mut functions = Vec::new();
    for f in pages.iter().flat_map(|p| p.functions()) {
        let (Some(name), Some(arn)) = (f.function_name(), f.function_arn()) else {
            return Observed::Unknown(ctx.malformed(
                SERVICE,
                region,
                "ListFunctions",
                "a function's FunctionName or FunctionArn",
            ));
        };
        functions.push(Function {
            name: name.to_string(),
            arn: arn.to_string(),
            region: region.to_string(),
            runtime: f.runtime().map(|r| r.as_str().to_string()),
            kms_key: f.kms_key_arn().filter(|k| !k.is_empty()).map(str::to_string),
            has_environment: f.environment().and_then(|e| e.variables()).is_some_and(|v| !v.is_empty()),
            tags: Observed::default(),
        });
    }
    if need.tags {
        let tags = join_all(functions.iter().map(|f| {
            let lambda = lambda.clone();
            async move {
                let _permit = ctx.permit().await;
                super::per_resource(
                    ctx,
                    lambda.list_tags().resource(&f.arn).send().await,
                    |out| {
                        out.tags().map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default()
                    },
                    (SERVICE, region, "ListTags", &f.arn),
                )
            }
        }))
        .await;
        super::apply_reads(&mut functions, tags, |f, t| f.tags = t);
    }
    Observed::Known(functions)
}

pub async fn collect(ctx: &Ctx, need: &Regional) -> BTreeMap<String, Observed<Vec<Function>>> {
    per_region(&need.regions, |r| region_functions(ctx, r, need)).await
}

#[cfg(test)]
#[path = "lambda_tests.rs"]
mod tests;
