//! driftwatch's integration tests: one binary, so the AWS SDK links once.
//! Every test runs against a real LocalStack process (started on demand by
//! `support::emulator`) in an account of its own.
#[path = "../../localstack/samples/mod.rs"]
mod samples;

mod asff_ocsf;
mod aws_cdn;
mod aws_elb_waf;
mod aws_iam_kms;
mod aws_network;
mod aws_s3;
mod aws_trail_dynamodb;
mod baseline;
mod converge;
mod core;
mod coverage;
mod deploy;
mod diff;
mod extension;
mod faults;
mod faults_services;
mod fields;
mod fleet;
mod fleet_merge;
mod fleet_org;
mod html_report;
mod merge_s3;
mod organizations;
mod saved_inventory;
mod seeds;
mod selection;
mod serverless;
mod sqs;
mod support;
mod waivers;
