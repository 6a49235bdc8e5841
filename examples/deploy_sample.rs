//! Deploys a LocalStack sample into one account:
//!
//!     cargo run --example deploy_sample -- SAMPLE ACCOUNT_ID [ENDPOINT] [ideal|generated|both]
//!
//! Samples: `core` and `serverless` (every kind, compliant and drifted resources side
//! by side; `both` is their default), and the seed systems `static-site`,
//! `prod-webapp`, `secure-serverless`, `multi-region-enterprise`, `webapp-cdk` (the
//! `ideal` stack or the `generated` one that reproduces the seed's failures;
//! `generated` is their default).

#[path = "../localstack/samples/mod.rs"]
mod samples;

use samples::{Env, Variant};

async fn deploy(env: &Env, sample: &str, which: &str) -> samples::Result {
    let variants: &[Variant] = match which {
        "ideal" => &[Variant::Compliant],
        "generated" => &[Variant::Drifted],
        _ => &[Variant::Compliant, Variant::Drifted],
    };
    for v in variants {
        match sample {
            "core" => samples::core::all(env, *v).await?,
            "serverless" => samples::serverless::deploy(env, *v).await?,
            "static-site" => samples::static_site::deploy(env, *v).await?,
            "prod-webapp" => samples::prod_webapp::deploy(env, *v).await?,
            "secure-serverless" => samples::secure_serverless::deploy(env, *v).await?,
            "multi-region-enterprise" => samples::enterprise::deploy(env, *v).await?,
            "webapp-cdk" => samples::webapp_cdk::deploy(env, *v).await?,
            other => {
                return Err(format!(
                    "unknown sample `{other}` (core, serverless, static-site, prod-webapp, secure-serverless, \
                     multi-region-enterprise, webapp-cdk)"
                )
                .into())
            }
        }
    }
    if sample == "core" {
        // one mesh per account: the drifted one shows a pass and both kinds of drift
        samples::core::mesh(env, Variant::Drifted).await?;
    }
    Ok(())
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(sample), Some(account)) = (args.first(), args.get(1)) else {
        eprintln!("usage: deploy_sample SAMPLE ACCOUNT_ID [ENDPOINT] [ideal|generated|both]");
        return std::process::ExitCode::from(2);
    };
    let endpoint = args.get(2).cloned().unwrap_or_else(|| "http://127.0.0.1:4566".into());
    let default = if matches!(sample.as_str(), "core" | "serverless") { "both" } else { "generated" };
    let which = args.get(3).map(String::as_str).unwrap_or(default);
    let env = Env::new(&endpoint, account);
    match deploy(&env, sample, which).await {
        Ok(()) => {
            eprintln!("deployed sample `{sample}` ({which}) into account {account} at {endpoint}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("deploy_sample: {}", samples::error_chain(e.as_ref()));
            std::process::ExitCode::FAILURE
        }
    }
}
