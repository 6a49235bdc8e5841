//! Shared test support: the emulator, per-test accounts, small fixtures.
pub mod account;
pub mod emulator;
pub mod zip;

pub use account::Account;
