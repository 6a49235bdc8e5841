//! Shared test support: the emulator, per-test accounts, running the binary.
pub mod audit;
pub mod emulator;
pub mod faults;

pub use crate::samples::Env as Account;

/// A fresh random 12-digit account on the running emulator (started if needed).
/// LocalStack keys accounts by access key id, so tests in parallel on one
/// emulator do not see each other (bucket names excepted: they carry the id).
pub fn account() -> Account {
    let endpoint = emulator::ensure();
    let id = format!("{}{:011}", fastrand::u8(1..=9), fastrand::u64(0..100_000_000_000));
    Account::new(&endpoint, &id)
}
