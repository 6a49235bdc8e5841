//! Profiles: TOML files that declare what a deployed stack must look like.
//!
//! Loading checks everything that can be checked without AWS (unknown keys, wrong
//! types, unknown kinds and fields, duplicate ids, empty profiles) and reports each
//! mistake as `FILE:LINE:COL: message`.

mod loader;
mod name_pattern;
mod selector;
pub(crate) mod tree;

pub use loader::parse;
pub use name_pattern::NamePattern;
pub use selector::{describe_selector, glob_match, Selector};

use crate::comparison::Comparison;
use crate::kinds::Kind;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// One mistake in a profile, with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.col, self.message)
    }
}

/// All mistakes found in one or more profiles.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", .0.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))]
pub struct Diagnostics(pub Vec<Diagnostic>);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Critical,
    High,
    Medium,
    Low,
    Info,
}

impl Severity {
    pub const NAMES: &'static [&'static str] = &["critical", "high", "medium", "low", "info"];
    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
    fn parse(s: &str) -> Option<Self> {
        [Self::Critical, Self::High, Self::Medium, Self::Low, Self::Info].into_iter().find(|v| v.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchMode {
    All,
    Any,
}

/// One node of an `ec2.vpc_peering` mesh: a region and the VPC chosen there.
#[derive(Debug, Clone, PartialEq)]
pub struct MeshNode {
    pub region: String,
    pub vpc: Selector,
}

/// A declared expectation value, already checked against the field's type.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Bool(bool),
    /// Every number, string and list-of-strings field: a value or a comparison table.
    Cmp(Comparison),
    /// Strings that are not compared (name patterns, alarm operators).
    Str(String),
    List(Vec<String>),
    Map(BTreeMap<String, String>),
    Mesh(Vec<MeshNode>),
}

impl Value {
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::json;
        match self {
            Value::Bool(b) => json!(b),
            Value::Cmp(c) => c.expected(),
            Value::Str(s) => json!(s),
            Value::List(l) => json!(l),
            Value::Map(m) => json!(m),
            Value::Mesh(nodes) => {
                json!(nodes.iter().map(|n| format!("{}:{}", n.region, describe_selector(&n.vpc))).collect::<Vec<_>>())
            }
        }
    }
}

/// The expectation fields of one requirement, by field name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Expect(pub BTreeMap<String, Value>);

impl Expect {
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name)
    }
    pub fn bool(&self, name: &str) -> Option<bool> {
        match self.0.get(name) {
            Some(Value::Bool(b)) => Some(*b),
            _ => None,
        }
    }
    /// The comparison declared for a number, string or list field.
    pub fn cmp(&self, name: &str) -> Option<&Comparison> {
        match self.0.get(name) {
            Some(Value::Cmp(c)) => Some(c),
            _ => None,
        }
    }
    /// A string field that takes no comparison (a name pattern, an alarm operator).
    pub fn text(&self, name: &str) -> Option<&str> {
        match self.0.get(name) {
            Some(Value::Str(s)) => Some(s),
            _ => None,
        }
    }
    /// A list that takes no comparison (port lists, forbidden policies).
    pub fn strings(&self, name: &str) -> Option<&[String]> {
        match self.0.get(name) {
            Some(Value::List(l)) => Some(l),
            _ => None,
        }
    }
    pub fn map(&self, name: &str) -> Option<&BTreeMap<String, String>> {
        match self.0.get(name) {
            Some(Value::Map(m)) => Some(m),
            _ => None,
        }
    }
    pub fn mesh(&self, name: &str) -> Option<&[MeshNode]> {
        match self.0.get(name) {
            Some(Value::Mesh(m)) => Some(m),
            _ => None,
        }
    }
    pub fn has(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }
}

#[derive(Debug, Clone)]
pub struct Requirement {
    pub profile: String,
    pub id: String,
    pub kind: &'static Kind,
    pub severity: Severity,
    pub description: String,
    pub select: Selector,
    pub match_mode: MatchMode,
    pub min_count: Option<u64>,
    pub expect: Expect,
    /// Regions this requirement is evaluated in (regional kinds); filled by `resolve_regions`.
    pub regions: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Profile {
    pub path: String,
    pub name: String,
    pub description: String,
    pub regions: Vec<String>,
    pub requirements: Vec<Requirement>,
    /// In a fleet run, the accounts this profile applies to (`[profile.accounts]`);
    /// `None`: every account.
    pub accounts: Option<crate::fleet::AccountScope>,
}

impl Profile {
    /// Sets each requirement's regions: its selector's `regions`, else the command
    /// line's `--region`s, else the profile's `regions`, else `default_region`.
    pub fn resolve_regions(&mut self, cli: &[String], default_region: &str) {
        let base: Vec<String> = if !cli.is_empty() {
            cli.to_vec()
        } else if !self.regions.is_empty() {
            self.regions.clone()
        } else {
            vec![default_region.to_string()]
        };
        for r in &mut self.requirements {
            r.regions = r.select.regions.clone().unwrap_or_else(|| base.clone());
        }
    }
}

/// True for strings shaped like an AWS region name (`us-east-1`, `us-gov-west-1`).
pub fn is_region_name(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].chars().all(|c| c.is_ascii_lowercase())
        && parts[1..parts.len() - 1].iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        && parts[parts.len() - 1].parse::<u8>().is_ok()
}

/// Reads and parses a profile file.
pub fn load(path: &Path) -> Result<Profile, Diagnostics> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostics(vec![Diagnostic {
            file: file.clone(),
            line: 1,
            col: 1,
            message: format!("cannot read the profile: {e}"),
        }])
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
        let (line, col) = tree::line_col(&text, offset);
        Diagnostics(vec![Diagnostic {
            file: file.clone(),
            line,
            col,
            message: "the profile is not valid UTF-8".into(),
        }])
    })?;
    parse(&file, &text)
}

/// Loads several profiles; profile names must be unique across them.
pub fn load_all(paths: &[std::path::PathBuf]) -> Result<Vec<Profile>, Diagnostics> {
    let mut diags = Vec::new();
    let mut profiles: Vec<Profile> = Vec::new();
    for path in paths {
        match load(path) {
            Ok(p) => {
                if let Some(other) = profiles.iter().find(|o| o.name == p.name) {
                    diags.push(Diagnostic {
                        file: p.path.clone(),
                        line: 1,
                        col: 1,
                        message: format!("profile name `{}` is also used by {}", p.name, other.path),
                    });
                }
                profiles.push(p);
            }
            Err(Diagnostics(d)) => diags.extend(d),
        }
    }
    if diags.is_empty() {
        Ok(profiles)
    } else {
        Err(Diagnostics(diags))
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
#[path = "comparison_tests.rs"]
mod comparison_tests;
