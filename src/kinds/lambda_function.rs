//! `lambda.function`: runtime, environment encrypted with a customer KMS key.

use super::{Field, FieldType::*, Kind};
use crate::compare::{evaluate_resources, Check, Finding, Listing, Meta};
use crate::inventory::{Function, Inventory};
use crate::profile::Requirement;
use serde_json::json;

pub static KIND: Kind = Kind {
    name: "lambda.function",
    summary: "Lambda functions: runtime, environment variables encrypted with a customer KMS key",
    doc: "Functions of the requirement's regions (ListFunctions, every page). Lambda encrypts \
environment variables with the AWS managed `aws/lambda` key unless the function names a \
customer key in KMSKeyArn; `env_encrypted_with_cmk` asks for the latter.",
    regional: true,
    tags: true,
    selectable: true,
    fields: &[
        Field::new("runtime", Str, "Runtime identifier, e.g. python3.12."),
        Field::new(
            "env_encrypted_with_cmk",
            Bool,
            "The environment is encrypted with a customer KMS key (KMSKeyArn set).",
        ),
        Field::new("kms_key_arn", Str, "The customer KMS key of the environment."),
    ],
    plan: |req, plan| {
        plan.resources("lambda", req);
    },
    evaluate,
};

fn checks(req: &Requirement, f: &Function) -> Vec<Check> {
    let e = &req.expect;
    let mut out = Vec::new();
    if let Some(cmp) = e.cmp("runtime") {
        let ok = f.runtime.as_deref().is_some_and(|r| cmp.string(r));
        out.push(Check::new("runtime", cmp.expected(), json!(f.runtime), ok));
    }
    if let Some(want) = e.bool("env_encrypted_with_cmk") {
        out.push(Check::new("env_encrypted_with_cmk", json!(want), json!(f.kms_key), f.kms_key.is_some() == want));
    }
    if let Some(cmp) = e.cmp("kms_key_arn") {
        let ok = f.kms_key.as_deref().is_some_and(|k| cmp.string(k));
        out.push(Check::new("kms_key_arn", cmp.expected(), json!(f.kms_key), ok));
    }
    out
}

fn evaluate(req: &Requirement, inv: &Inventory) -> Vec<Finding> {
    let mut listing = Listing::new();
    for region in &req.regions {
        listing.add(Inventory::regional(&inv.functions, region, "Lambda functions"));
    }
    evaluate_resources(
        req,
        listing,
        |f| Meta {
            id: f.arn.as_str().into(),
            name: f.name.as_str().into(),
            region: Some(f.region.as_str().into()),
            tags: Some(&f.tags),
            path: None,
        },
        |f| checks(req, f),
    )
}

#[cfg(test)]
#[path = "lambda_function_tests.rs"]
mod tests;
