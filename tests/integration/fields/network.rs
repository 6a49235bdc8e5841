//! Every field of its kinds seen drifting on a resource that exists but is
//! misconfigured, next to one that passes, through the live collector.

/// (kind, field, the test in this file that proves it both ways live).
pub const PROVEN: &[(&str, &str, &str)] = &[];
