//! Deploys a LocalStack sample into one account:
//!
//!     cargo run --example deploy_sample -- core|serverless ACCOUNT_ID [ENDPOINT]
//!
//! Each sample is deployed in its compliant and its drifted variant (for `core`,
//! with the drifted VPC mesh), so an audit shows both passes and drift.

#[path = "../localstack/samples/mod.rs"]
mod samples;

use samples::{core, Env, Variant};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(sample), Some(account)) = (args.first(), args.get(1)) else {
        eprintln!("usage: deploy_sample core|serverless ACCOUNT_ID [ENDPOINT]");
        return std::process::ExitCode::from(2);
    };
    let endpoint = args.get(2).cloned().unwrap_or_else(|| "http://127.0.0.1:4566".into());
    let env = Env::new(&endpoint, account);
    let result = match sample.as_str() {
        "core" => {
            async {
                core::all(&env, Variant::Compliant).await?;
                core::all(&env, Variant::Drifted).await?;
                core::mesh(&env, Variant::Drifted).await
            }
            .await
        }
        "serverless" => {
            async {
                samples::serverless::deploy(&env, Variant::Compliant).await?;
                samples::serverless::deploy(&env, Variant::Drifted).await
            }
            .await
        }
        other => Err(format!("unknown sample `{other}` (known: core, serverless)").into()),
    };
    match result {
        Ok(()) => {
            eprintln!("deployed sample `{sample}` into account {account} at {endpoint}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("deploy_sample: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
