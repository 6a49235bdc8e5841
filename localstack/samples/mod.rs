//! Sample deployments for LocalStack: created through the real AWS APIs by the
//! integration tests and by `cargo run --example deploy_sample` (the README's
//! demo). Each sample has a compliant and a drifted variant whose resources have
//! different names, so both can live in one account.
#![allow(dead_code)]

pub mod core;
pub mod env;

pub use env::Env;

pub type Error = Box<dyn std::error::Error + Send + Sync>;
pub type Result<T = ()> = std::result::Result<T, Error>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Compliant,
    Drifted,
}
