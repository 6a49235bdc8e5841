//! The plan: what the loaded requirements need collected, as the needs each kind
//! declares of the collectors (by registry id), with the regions and the optional
//! reads each collector documents. Nothing is read that no requirement needs.

use crate::profile::{Requirement, Selector};
use std::collections::{BTreeMap, BTreeSet};

/// Where a global collector (IAM, S3's bucket list, Route 53, CloudFront) is
/// planned: it runs once, in the partition's global region.
pub const GLOBAL: &str = "global";

/// What one collector is asked to read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Need {
    /// Regions (or [`GLOBAL`]) to read in, each with the optional reads wanted there.
    pub places: BTreeMap<String, BTreeSet<&'static str>>,
    /// Reads wanted only of the resources a selector may pick (S3's per-bucket reads).
    pub scoped: Vec<(Selector, BTreeSet<&'static str>)>,
}

impl Need {
    /// The regions to read in (not [`GLOBAL`]).
    pub fn regions(&self) -> BTreeSet<String> {
        self.places.keys().filter(|p| p.as_str() != GLOBAL).cloned().collect()
    }
    /// The regions where `read` is wanted.
    pub fn regions_with(&self, read: &str) -> BTreeSet<String> {
        self.places.iter().filter(|(p, r)| p.as_str() != GLOBAL && r.contains(read)).map(|(p, _)| p.clone()).collect()
    }
    /// Whether `read` is wanted anywhere (scoped reads included).
    pub fn has(&self, read: &str) -> bool {
        self.places.values().any(|r| r.contains(read)) || self.scoped.iter().any(|(_, r)| r.contains(read))
    }
    /// Every read named anywhere in the need.
    pub fn reads(&self) -> BTreeSet<&'static str> {
        self.places.values().chain(self.scoped.iter().map(|(_, r)| r)).flatten().copied().collect()
    }
}

/// What to collect: one [`Need`] per collector some requirement asks of.
#[derive(Debug, Default, PartialEq)]
pub struct Plan {
    needs: BTreeMap<&'static str, Need>,
}

/// Adds to one collector's need: the places it was opened with, then reads there.
pub struct Adding<'a> {
    need: &'a mut Need,
    places: Vec<String>,
}

impl Adding<'_> {
    /// Wants `read` in every place this was opened with.
    pub fn read(self, read: &'static str) -> Self {
        for p in &self.places {
            self.need.places.entry(p.clone()).or_default().insert(read);
        }
        self
    }
    pub fn read_if(self, wanted: bool, read: &'static str) -> Self {
        if wanted {
            self.read(read)
        } else {
            self
        }
    }
    /// Wants `reads` of the resources `select` may pick.
    pub fn scoped(self, select: &Selector, reads: BTreeSet<&'static str>) -> Self {
        self.need.scoped.push((select.clone(), reads));
        self
    }
}

impl Plan {
    pub fn for_requirements<'a>(reqs: impl IntoIterator<Item = &'a Requirement>) -> Plan {
        let mut plan = Plan::default();
        for r in reqs {
            (r.kind.plan)(r, &mut plan);
        }
        plan
    }

    /// Opens the need of a regional collector in these regions (its listing is
    /// read there even when no optional read is added).
    pub fn regional<'r>(
        &mut self,
        collector: &'static str,
        regions: impl IntoIterator<Item = &'r String>,
    ) -> Adding<'_> {
        let need = self.needs.entry(collector).or_default();
        let places: Vec<String> = regions.into_iter().cloned().collect();
        for p in &places {
            need.places.entry(p.clone()).or_default();
        }
        Adding { need, places }
    }

    /// Opens the need of a global collector.
    pub fn global(&mut self, collector: &'static str) -> Adding<'_> {
        let need = self.needs.entry(collector).or_default();
        need.places.entry(GLOBAL.to_string()).or_default();
        Adding { need, places: vec![GLOBAL.to_string()] }
    }

    /// A resource kind's usual need: its collector in the requirement's regions,
    /// with tags when the requirement selects on or expects them.
    pub fn resources(&mut self, collector: &'static str, req: &Requirement) -> Adding<'_> {
        let tags = wants_tags(req);
        self.regional(collector, &req.regions).read_if(tags, "tags")
    }

    /// The need of one collector, if any requirement asked of it.
    pub fn need(&self, collector: &str) -> Option<&Need> {
        self.needs.get(collector)
    }

    /// Every collector asked of, with its need.
    pub fn needs(&self) -> impl Iterator<Item = (&'static str, &Need)> {
        self.needs.iter().map(|(id, n)| (*id, n))
    }

    /// Every region some collector will call (for the report).
    pub fn regions(&self) -> BTreeSet<String> {
        self.needs.values().flat_map(|n| n.regions()).collect()
    }
}

/// Whether a requirement reads tags: it selects on them or expects some.
pub fn wants_tags(req: &Requirement) -> bool {
    !req.select.tags.is_empty()
        || req.select.exclude.iter().any(|e| !e.tags.is_empty())
        || req.expect.has("required_tags")
}
