//! driftwatch's integration tests: one binary, so the AWS SDK links once.
//! Every test runs against a real LocalStack process (started on demand by
//! `support::emulator`) in an account of its own.
#[path = "../../localstack/samples/mod.rs"]
mod samples;

mod core;
mod extension;
mod faults;
mod seeds;
mod serverless;
mod support;
