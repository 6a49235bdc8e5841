//! Selectors: which resources a requirement is about.

use std::collections::BTreeMap;

/// Which resources a requirement is about. All set parts must hold (AND).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selector {
    pub name: Option<String>,
    pub name_prefix: Option<String>,
    pub name_glob: Option<String>,
    /// Key to value; the value `*` means "key present".
    pub tags: BTreeMap<String, String>,
    pub regions: Option<Vec<String>>,
    /// IAM path prefix (`/aws-service-role/`); only IAM principals have paths.
    pub path_prefix: Option<String>,
    /// Resources matching any of these (every key of one entry) are left out,
    /// after the includes.
    pub exclude: Vec<Selector>,
    /// Only these names: never written in a profile; `audit --wait` narrows a
    /// re-read to the buckets that had not converged.
    pub only_names: Option<std::collections::BTreeSet<String>>,
}

impl Selector {
    /// Whether a name satisfies the name parts of the selector.
    pub fn matches_name(&self, name: &str) -> bool {
        self.name.as_deref().is_none_or(|n| n == name)
            && self.name_prefix.as_deref().is_none_or(|p| name.starts_with(p))
            && self.name_glob.as_deref().is_none_or(|g| glob_match(g, name))
            && self.only_names.as_ref().is_none_or(|only| only.contains(name))
    }

    /// Whether a resource's path satisfies `path_prefix` (a resource without a
    /// path never does).
    pub fn matches_path(&self, path: Option<&str>) -> bool {
        self.path_prefix.as_deref().is_none_or(|p| path.is_some_and(|have| have.starts_with(p)))
    }

    /// Whether some exclude entry certainly leaves the named resource out by name
    /// and path alone (entries that also need tags are not decided here).
    pub fn excludes_by_name(&self, name: &str, path: Option<&str>) -> bool {
        self.exclude.iter().any(|e| e.tags.is_empty() && e.matches_name(name) && e.matches_path(path))
    }

    /// Whether tags satisfy the tag part of the selector.
    pub fn matches_tags(&self, tags: &BTreeMap<String, String>) -> bool {
        self.tags.iter().all(|(k, v)| tags.get(k).is_some_and(|have| v == "*" || have == v))
    }
}

/// `*` matches any run of characters, `?` one character; everything else literally.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

pub fn describe_selector(s: &Selector) -> String {
    let mut parts = Vec::new();
    if let Some(n) = &s.name {
        parts.push(format!("name={n}"));
    }
    if let Some(n) = &s.name_prefix {
        parts.push(format!("name_prefix={n}"));
    }
    if let Some(n) = &s.name_glob {
        parts.push(format!("name_glob={n}"));
    }
    for (k, v) in &s.tags {
        parts.push(format!("tag:{k}={v}"));
    }
    if let Some(p) = &s.path_prefix {
        parts.push(format!("path_prefix={p}"));
    }
    for e in &s.exclude {
        parts.push(format!("not({})", describe_selector(e)));
    }
    if parts.is_empty() {
        "*".to_string()
    } else {
        parts.join(",")
    }
}
