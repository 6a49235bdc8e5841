//! Placeholder for AWS Organizations discovery (`--organization`, `--ou`); the
//! Organizations work replaces this file wholesale with the real listing.

use super::FleetAccount;

/// The organization's ACTIVE accounts (under `ou` when given), with names, OU
/// paths and tags. Not built yet in this branch.
pub async fn discover(_ctx: &crate::aws::Ctx, _ou: Option<&str>) -> Result<Vec<FleetAccount>, String> {
    Err("not built yet".to_string())
}
