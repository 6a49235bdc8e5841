//! Saved inventories: `audit --save-inventory FILE` writes what an audit observed
//! (gaps and collection errors included) with the plan it collected for, and
//! `driftwatch evaluate --inventory FILE` evaluates profiles against it without
//! any AWS call. Whatever the new profiles need that the saved plan did not
//! collect is unknown ("not in the saved inventory"), never a pass.
//! The file format is documented in docs/inventory.md.

use crate::collect::{self, Need, Plan, GLOBAL};
use crate::inventory::{ErrorClass, Gap, Inventory};
use crate::partition::Partition;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

/// The envelope's schema name; a file of any other schema is refused.
pub const SCHEMA: &str = "driftwatch.inventory/v1";

/// The code of a gap that stands for data the saved inventory does not hold.
pub const NOT_SAVED: &str = "NotInSavedInventory";

/// Which program wrote the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedTool {
    pub name: String,
    pub version: String,
}

/// One collector's part of the saved plan: the places (regions, or `global`)
/// it read with the optional reads done there, and reads done only of the
/// resources a selector picked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedNeed {
    pub places: BTreeMap<String, BTreeSet<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scoped: Vec<SavedScope>,
}

/// Reads done only of the resources one selector may pick. `select` is an
/// opaque key: only an identical selector reuses these reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedScope {
    pub select: String,
    pub reads: BTreeSet<String>,
}

/// A saved inventory file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SavedInventory {
    pub schema: String,
    pub tool: SavedTool,
    pub account: Option<String>,
    pub partition: Partition,
    /// The region requirements without regions were resolved to (the configured
    /// default region), so `evaluate` resolves the same profiles the same way.
    #[serde(default)]
    pub default_region: Option<String>,
    pub collected_at: String,
    /// What was collected: collector id -> places and reads.
    pub plan: BTreeMap<String, SavedNeed>,
    /// Every failed AWS call met while collecting (the report's `errors`).
    #[serde(default)]
    pub errors: Vec<Gap>,
    pub inventory: Inventory,
}

fn scope_key(select: &crate::profile::Selector) -> String {
    format!("{select:?}")
}

/// The plan as saved.
pub fn saved_plan(plan: &Plan) -> BTreeMap<String, SavedNeed> {
    plan.needs()
        .map(|(id, need)| {
            let places = need
                .places
                .iter()
                .map(|(p, reads)| (p.clone(), reads.iter().map(|r| r.to_string()).collect()))
                .collect();
            let scoped = need
                .scoped
                .iter()
                .map(|(sel, reads)| SavedScope {
                    select: scope_key(sel),
                    reads: reads.iter().map(|r| r.to_string()).collect(),
                })
                .collect();
            (id.to_string(), SavedNeed { places, scoped })
        })
        .collect()
}

impl SavedInventory {
    pub fn new(
        inventory: Inventory,
        plan: &Plan,
        errors: Vec<Gap>,
        default_region: Option<String>,
        collected_at: String,
    ) -> Self {
        SavedInventory {
            schema: SCHEMA.to_string(),
            tool: SavedTool { name: "driftwatch".into(), version: env!("CARGO_PKG_VERSION").into() },
            account: inventory.account.clone(),
            partition: inventory.partition,
            default_region,
            collected_at,
            plan: saved_plan(plan),
            errors,
            inventory,
        }
    }
}

/// How a file is compressed, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compression {
    None,
    Gzip,
    Zstd,
}

fn compression_of(path: &Path) -> Result<Compression, String> {
    if path.as_os_str().is_empty() {
        return Err("an empty file name".into());
    }
    let name = path.to_string_lossy();
    if name.ends_with(".gz") {
        Ok(Compression::Gzip)
    } else if name.ends_with(".zst") {
        Ok(Compression::Zstd)
    } else {
        Ok(Compression::None)
    }
}

/// Whether a file name can be saved to (checked before an audit collects).
pub fn check_path(path: &Path) -> Result<(), String> {
    compression_of(path).map(|_| ())
}

/// Writes the file (gzip when the name ends in `.gz`, zstd for `.zst`).
pub fn save(path: &Path, saved: &SavedInventory) -> Result<(), String> {
    let compression = compression_of(path)?;
    let fail = |e: std::io::Error| format!("cannot write the inventory to {}: {e}", path.display());
    let mut json = serde_json::to_vec(saved).map_err(|e| fail(e.into()))?;
    json.push(b'\n');
    let bytes = match compression {
        Compression::None => json,
        Compression::Gzip => {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            gz.write_all(&json).and_then(|()| gz.finish()).map_err(fail)?
        }
        Compression::Zstd => zstd::encode_all(json.as_slice(), 0).map_err(fail)?,
    };
    std::fs::write(path, bytes).map_err(fail)
}

/// Reads a saved inventory (gzip and zstd recognised by their magic bytes,
/// whatever the name). Errors name the file, with `:LINE:COL` where the JSON gives one.
pub fn load(path: &Path) -> Result<SavedInventory, String> {
    let text = crate::compressed::read_text(path, "the inventory")?;
    parse(&path.display().to_string(), &text)
}

/// Parses a saved inventory's text; `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<SavedInventory, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| crate::json_input::located(file, &e))?;
    match value.get("schema").and_then(serde_json::Value::as_str) {
        Some(s) if s == SCHEMA => {}
        Some(s) if s.starts_with("driftwatch.inventory/") => {
            return Err(format!("{file}: inventory schema `{s}` is not supported (this driftwatch reads {SCHEMA})"));
        }
        _ => return Err(format!("{file}: not a driftwatch inventory (no \"schema\": \"{SCHEMA}\")")),
    }
    serde_json::from_str(text).map_err(|e| crate::json_input::located(file, &e))
}

fn not_saved(service: &str, region: &str, what: &str) -> Gap {
    Gap {
        service: service.to_string(),
        region: region.to_string(),
        operation: what.to_string(),
        resource: None,
        code: NOT_SAVED.into(),
        message: format!("{what} not in the saved inventory"),
        class: ErrorClass::NotCollected,
    }
}

/// What of a need the saved plan does not cover: places it does not hold at all
/// (with every read wanted there), and reads not done in the places it holds.
fn missing(need: &Need, saved: Option<&SavedNeed>) -> Vec<(String, BTreeSet<&'static str>, bool)> {
    let mut out = Vec::new();
    for (place, reads) in &need.places {
        match saved.and_then(|s| s.places.get(place)) {
            None => out.push((place.clone(), reads.clone(), true)),
            Some(done) => {
                let left: BTreeSet<&'static str> = reads.iter().filter(|r| !done.contains(**r)).copied().collect();
                if !left.is_empty() {
                    out.push((place.clone(), left, false));
                }
            }
        }
    }
    out
}

/// The inventory ready for evaluating `plan`: listings the saved plan did not
/// read become unknown (`NotInSavedInventory`), and values left unread by the
/// collectors say they are not in the saved inventory.
pub fn for_plan(saved: &SavedInventory, plan: &Plan) -> Inventory {
    let mut inv = saved.inventory.clone();
    for (id, need) in plan.needs() {
        let Some(collector) = collect::find(id) else { continue };
        for (place, reads, whole) in missing(need, saved.plan.get(id)) {
            let region = if place == GLOBAL { saved.partition.global_region.to_string() } else { place.clone() };
            let where_ = if place == GLOBAL { String::new() } else { format!(" in {place}") };
            let what = if whole {
                format!("{} data{where_}", collector.id)
            } else {
                let reads: Vec<&str> = reads.iter().copied().collect();
                format!("{} {}{where_}", collector.id, reads.join(", "))
            };
            let gap = not_saved(collector.service, &region, &what);
            let one = Need { places: BTreeMap::from([(place, reads)]), scoped: need.scoped.clone() };
            // Cut short into an empty inventory (some collectors replace their
            // whole part) and add only what the saved inventory lacks.
            let mut scratch = Inventory::default();
            (collector.cut_short)(&one, &gap, &mut scratch);
            inv = merged(inv, &scratch);
        }
    }
    // Optional global parts a listing read only for some reads (S3's account
    // block): absent means not read.
    use crate::inventory::Observed;
    let gap = |what: &str| not_saved("", "", what);
    if inv.s3_account_block.is_none() {
        inv.s3_account_block = Some(Observed::Unknown(gap("the account-level S3 public access block")));
    }
    if inv.buckets.is_none() {
        inv.buckets = Some(Observed::Unknown(gap("the S3 bucket list")));
    }
    if inv.distributions.is_none() {
        inv.distributions = Some(Observed::Unknown(gap("the CloudFront distributions")));
    }
    if inv.records.is_none() {
        inv.records = Some(Observed::Unknown(gap("the Route 53 records")));
    }
    relabel_unread(inv)
}

/// `inv` with what it lacks of `scratch`: regional maps gain the regions they do
/// not have, absent global parts take scratch's value; nothing saved is replaced.
fn merged(inv: Inventory, scratch: &Inventory) -> Inventory {
    use serde_json::Value;
    let (Ok(Value::Object(mut base)), Ok(Value::Object(add)), Ok(Value::Object(empty))) =
        (serde_json::to_value(&inv), serde_json::to_value(scratch), serde_json::to_value(Inventory::default()))
    else {
        return inv;
    };
    for (key, value) in add {
        if key == "account" || key == "partition" || empty.get(&key) == Some(&value) {
            continue;
        }
        match (base.get_mut(&key), value) {
            (Some(Value::Object(map)), Value::Object(entries)) if empty.get(&key).is_some_and(Value::is_object) => {
                for (k, v) in entries {
                    map.entry(k).or_insert(v);
                }
            }
            (Some(Value::Null) | None, value) => {
                base.insert(key, value);
            }
            _ => {}
        }
    }
    serde_json::from_value(Value::Object(base)).unwrap_or(inv)
}

/// Values a collector did not read are `Observed::default()`: relabel them.
fn relabel_unread(inv: Inventory) -> Inventory {
    let Ok(mut value) = serde_json::to_value(&inv) else { return inv };
    relabel(&mut value);
    serde_json::from_value(value).unwrap_or(inv)
}

fn relabel(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            if let Some(Value::Object(gap)) = map.get_mut("unknown") {
                let default = Gap::not_collected("value");
                if gap.get("code").and_then(Value::as_str) == Some(default.code.as_str())
                    && gap.get("operation").and_then(Value::as_str) == Some(default.operation.as_str())
                    && gap.get("message").and_then(Value::as_str) == Some(default.message.as_str())
                {
                    gap.insert("code".into(), Value::String(NOT_SAVED.into()));
                    gap.insert("message".into(), Value::String("value not in the saved inventory".into()));
                    return;
                }
            }
            map.values_mut().for_each(relabel);
        }
        Value::Array(items) => items.iter_mut().for_each(relabel),
        _ => {}
    }
}

#[cfg(test)]
#[path = "saved_tests.rs"]
mod tests;
