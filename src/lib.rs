//! driftwatch: audits a deployed AWS account against declared requirements.
//!
//! Data flows one way: profile -> plan -> collect -> inventory -> compare ->
//! findings -> report. Nothing downstream of `collect` calls AWS.

pub mod audit;
pub mod aws;
pub mod baseline;
pub mod cli;
pub mod collect;
pub mod compare;
pub mod comparison;
pub mod compressed;
pub mod converge;
pub mod diff;
pub mod evaluate;
pub mod finish;
pub mod fleet;
pub mod inventory;
pub mod json_input;
pub mod kinds;
pub mod logging;
pub mod merge;
pub mod output;
pub mod partition;
pub mod preflight;
pub mod profile;
pub mod progress;
pub mod report;
pub mod saved;
pub mod shell;
pub mod waivers;
