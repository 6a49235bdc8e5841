//! Coverage: per requirement, how many resources were judged and how many could
//! not be, so a green run that saw nothing is told apart from one that saw all.
//!
//! Counted from the final findings (after waivers), one place for every kind:
//! - `read`: findings judged on observed data (pass, drift or waived); a
//!   `match = "any"` requirement or an account-level setting is one such finding;
//! - `unknown`: unknown findings, per resource and per unreadable listing;
//! - `listings_unread`: of those, the listings that could not be read (each may
//!   hide any number of resources).
//!
//! The `min_count` finding (a resource-less `count` check) judges the set, not a
//! resource, and counts in neither.

use crate::compare::{Finding, Status};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequirementCoverage {
    pub profile: String,
    pub requirement: String,
    pub read: usize,
    pub unknown: usize,
    pub listings_unread: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    pub read: usize,
    pub unknown: usize,
    pub listings_unread: usize,
    pub requirements: Vec<RequirementCoverage>,
}

fn only_field(f: &Finding, field: &str) -> bool {
    f.resource.is_none() && f.checks.len() == 1 && f.checks[0].field == field
}

impl Coverage {
    /// Findings come grouped by requirement (`compare::evaluate` sorts them);
    /// the entries keep that order.
    pub fn of(findings: &[Finding]) -> Self {
        let mut c = Coverage::default();
        for f in findings {
            let same = c.requirements.last().is_some_and(|e| e.profile == f.profile && e.requirement == f.requirement);
            if !same {
                c.requirements.push(RequirementCoverage {
                    profile: f.profile.clone(),
                    requirement: f.requirement.clone(),
                    read: 0,
                    unknown: 0,
                    listings_unread: 0,
                });
            }
            let Some(e) = c.requirements.last_mut() else { continue };
            if only_field(f, "count") {
                continue;
            }
            match f.status {
                Status::Pass | Status::Drift | Status::Waived => e.read += 1,
                Status::Unknown => {
                    e.unknown += 1;
                    if only_field(f, "resources") {
                        e.listings_unread += 1;
                    }
                }
                Status::NotApplicable => {}
            }
        }
        for e in &c.requirements {
            c.read += e.read;
            c.unknown += e.unknown;
            c.listings_unread += e.listings_unread;
        }
        c
    }

    /// "N read, M unknown (L listings unread)" for the table and Markdown.
    pub fn describe(read: usize, unknown: usize, listings: usize) -> String {
        let mut s = format!("{read} read, {unknown} unknown");
        if listings > 0 {
            s.push_str(&format!(" ({listings} listing(s) unread)"));
        }
        s
    }
}

#[cfg(test)]
#[path = "coverage_tests.rs"]
mod tests;
