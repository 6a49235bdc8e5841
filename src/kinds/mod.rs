//! Requirement kinds. Each kind is one file: its fields with their docs, what it
//! needs collected, and its pure evaluation. `REGISTRY` lists them all; tests walk
//! it to keep names unique and docs present.

mod acm_certificate;
mod autoscaling_group;
mod cloudfront_distribution;
mod cloudtrail_trail;
mod cloudwatch_alarm;
mod config_rule;
mod dynamodb_table;
mod ec2_instance;
mod ec2_route_table;
mod ec2_security_group;
mod ec2_vpc;
mod ec2_vpc_peering;
mod elbv2_listener;
mod elbv2_load_balancer;
mod iam;
mod kms_key;
mod lambda_function;
mod logs_log_group;
mod policy;
pub(crate) mod public_policy;
mod rds_instance;
mod route53_record;
mod s3_bucket;
mod secretsmanager_secret;
mod sns_topic;
mod sqs_queue;
mod wafv2_web_acl;

pub use ec2_security_group::{Cidr, PortSpec};

use crate::collect::Plan;
use crate::compare::Finding;
use crate::inventory::Inventory;
use crate::profile::Requirement;

/// The type a profile value must have for a field.
#[derive(Debug, Clone, Copy)]
pub enum FieldType {
    Bool,
    /// A non-negative integer.
    Int,
    /// Any finite number.
    Number,
    Str,
    OneOf(&'static [&'static str]),
    StrList,
    /// A table of string values.
    StrMap,
    /// `>=`, `>`, `<=`, `<` or an AWS ComparisonOperator name.
    Comparison,
    /// A list of `{ region, vpc = { selector } }`.
    Mesh,
    /// A name pattern with `{placeholders}`; see `profile::NamePattern`.
    NamePattern,
    /// A table of port spec (`22`, `tcp/22`, `udp/53`) to allowed source CIDRs.
    PortRules,
    /// A list of port specs.
    PortList,
    /// A list of strings none of which may be present; takes no comparison table.
    Forbidden,
}

impl FieldType {
    pub fn describe(&self) -> String {
        match self {
            FieldType::Bool => "boolean".into(),
            FieldType::Int => "integer >= 0, or { at_least | at_most | between }".into(),
            FieldType::Number => "number, or { at_least | at_most | between }".into(),
            FieldType::Str => "string, or { one_of | matches }".into(),
            FieldType::OneOf(o) => format!("one of {}, or {{ one_of | matches }}", o.join(" | ")),
            FieldType::StrList => "list of strings, or { contains_all | contains_any | exactly }".into(),
            FieldType::StrMap => "table of strings".into(),
            FieldType::Comparison => "\">=\" | \">\" | \"<=\" | \"<\" (or the AWS operator name)".into(),
            FieldType::Mesh => "list of { region, vpc = { name | name_prefix | name_glob | tags } }".into(),
            FieldType::NamePattern => {
                "string with {placeholders}, e.g. \"PROD-{service}-{identifier}-{region}\"".into()
            }
            FieldType::PortRules => "table of port (\"22\", \"tcp/22\", \"udp/53\") to a list of CIDRs".into(),
            FieldType::PortList => "list of ports (\"443\", \"tcp/443\")".into(),
            FieldType::Forbidden => "list of strings (none may be present)".into(),
        }
    }
}

#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: FieldType,
    pub required: bool,
    pub doc: &'static str,
}

impl Field {
    pub const fn new(name: &'static str, ty: FieldType, doc: &'static str) -> Self {
        Field { name, ty, required: false, doc }
    }
    pub const fn required(name: &'static str, ty: FieldType, doc: &'static str) -> Self {
        Field { name, ty, required: true, doc }
    }
}

/// Fields every kind with tags has, implemented once in `compare`.
pub static TAG_FIELDS: &[Field] = &[Field::new(
    "required_tags",
    FieldType::StrMap,
    "Tags each selected resource must carry: key = value, or key = \"*\" for any value.",
)];

/// Fields every kind whose resources have names has, implemented once in `compare`.
pub static NAME_FIELDS: &[Field] = &[Field::new(
    "name_pattern",
    FieldType::NamePattern,
    "Naming convention each selected resource's name must follow: literal text and {placeholders}; \
{region} must be the resource's own region, any other {word} stands for one or more characters.",
)];

pub struct Kind {
    pub name: &'static str,
    pub summary: &'static str,
    /// Longer text for `driftwatch kinds KIND`: scope, how it is observed, caveats.
    pub doc: &'static str,
    /// Regional kinds are evaluated in the requirement's regions.
    pub regional: bool,
    /// Whether resources carry tags (enables `select.tags` and `required_tags`).
    pub tags: bool,
    /// Whether `select` applies (false where the expectation picks the resources).
    pub selectable: bool,
    pub fields: &'static [Field],
    /// Adds what this requirement needs collected to the plan.
    pub plan: fn(&Requirement, &mut Plan),
    pub evaluate: fn(&Requirement, &Inventory) -> Vec<Finding>,
}

impl Kind {
    pub fn all_fields(&self) -> impl Iterator<Item = &'static Field> {
        let tags: &'static [Field] = if self.tags { TAG_FIELDS } else { &[] };
        let names: &'static [Field] = if self.selectable { NAME_FIELDS } else { &[] };
        self.fields.iter().chain(tags.iter()).chain(names.iter())
    }
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.all_fields().find(|f| f.name == name)
    }
}

impl std::fmt::Debug for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

pub static REGISTRY: &[&Kind] = &[
    &s3_bucket::KIND,
    &iam::ROLE,
    &iam::USER,
    &iam::GROUP,
    &cloudtrail_trail::KIND,
    &acm_certificate::KIND,
    &ec2_vpc_peering::KIND,
    &cloudwatch_alarm::KIND,
    &kms_key::KIND,
    &dynamodb_table::KIND,
    &lambda_function::KIND,
    &ec2_security_group::KIND,
    &ec2_vpc::KIND,
    &autoscaling_group::KIND,
    &elbv2_load_balancer::KIND,
    &config_rule::KIND,
    &cloudfront_distribution::KIND,
    &wafv2_web_acl::KIND,
    &route53_record::KIND,
    &rds_instance::KIND,
    &elbv2_listener::KIND,
    &ec2_instance::KIND,
    &ec2_route_table::KIND,
    &secretsmanager_secret::KIND,
    &logs_log_group::KIND,
    &sns_topic::KIND,
    &sqs_queue::KIND,
];

/// A KMS key field: a plain value matches the key's ARN, or its last part (key id
/// or alias name); a table compares the observed ARN.
pub fn key_matches(cmp: &crate::comparison::Comparison, observed: &str) -> bool {
    let last = |s: &str| s.rsplit('/').next().unwrap_or(s).to_string();
    match cmp {
        crate::comparison::Comparison::Text(want) => observed == want || last(observed) == last(want),
        _ => cmp.string(observed),
    }
}

/// The comparison vocabulary, described once for `driftwatch kinds` and docs/kinds.md.
pub const VOCABULARY: &str = "\
Comparisons. A number field takes a number (equal to it) or one of { at_least = N }, \
{ at_most = N }, { between = [A, B] } (inclusive). A string field takes a string (equal to it, \
unless the field's doc gives the plain value another meaning) or { one_of = [\"a\", \"b\"] }, \
{ matches = \"glob*\" } (`*` any run of characters, `?` one). A list field takes a list \
(the meaning its doc gives) or { contains_all = [...] }, { contains_any = [...] }, \
{ exactly = [...] } (same members, any order). Example: min_size = { at_least = 2 }.";

/// Old field spellings and the field and comparison that replace them:
/// (old, new, comparison key).
pub(crate) const RENAMED: &[(&str, &str, &str)] = &[
    ("alarms_at_least", "alarms", "at_least"),
    ("backup_retention_at_least", "backup_retention_days", "at_least"),
    ("desired_at_least", "desired_capacity", "at_least"),
    ("max_attached_policies", "attached_policies", "at_most"),
    ("max_size_at_most", "max_size", "at_most"),
    ("min_days_to_expiry", "days_to_expiry", "at_least"),
    ("min_instance_types", "instance_types", "at_least"),
    ("min_size_at_least", "min_size", "at_least"),
    ("min_subnets", "subnets", "at_least"),
    ("read_replicas_at_least", "read_replicas", "at_least"),
    ("retention_at_least", "retention_days", "at_least"),
    ("rotation_within_days", "rotation_days", "at_most"),
    ("rate_limit_at_most", "rate_limit_requests", "at_most"),
];

/// The new spelling of an old field name of this kind: (field, comparison key).
pub fn renamed(kind: &Kind, old: &str) -> Option<(&'static str, &'static str)> {
    RENAMED.iter().find(|(o, new, _)| *o == old && kind.field(new).is_some()).map(|(_, new, op)| (*new, *op))
}

/// Whether a kind's resources have paths (`select.path_prefix`): IAM principals.
pub fn has_paths(kind: &Kind) -> bool {
    kind.name.starts_with("iam.")
}

/// The selector keys a kind takes, as `driftwatch kinds` lists them.
fn selector_keys(k: &Kind) -> String {
    if !k.selectable {
        return "none (the expectation picks the resources)".to_string();
    }
    let mut keys = vec!["name", "name_prefix", "name_glob"];
    if k.tags {
        keys.push("tags");
    }
    if has_paths(k) {
        keys.push("path_prefix");
    }
    if k.regional {
        keys.push("regions");
    }
    keys.push("exclude");
    keys.join(", ")
}

pub fn find(name: &str) -> Option<&'static Kind> {
    REGISTRY.iter().copied().find(|k| k.name == name)
}

/// AWS ComparisonOperator for a profile's comparison (`>=` or the AWS name).
pub fn comparison_operator(s: &str) -> Option<&'static str> {
    Some(match s {
        ">=" | "GreaterThanOrEqualToThreshold" => "GreaterThanOrEqualToThreshold",
        ">" | "GreaterThanThreshold" => "GreaterThanThreshold",
        "<=" | "LessThanOrEqualToThreshold" => "LessThanOrEqualToThreshold",
        "<" | "LessThanThreshold" => "LessThanThreshold",
        "LessThanLowerOrGreaterThanUpperThreshold" => "LessThanLowerOrGreaterThanUpperThreshold",
        "LessThanLowerThreshold" => "LessThanLowerThreshold",
        "GreaterThanUpperThreshold" => "GreaterThanUpperThreshold",
        _ => return None,
    })
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Renders `driftwatch kinds` output: one line per kind, or one kind in full.
pub fn describe(kind: Option<&Kind>) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    match kind {
        None => {
            for k in REGISTRY {
                let _ = writeln!(out, "{:<22} {}", k.name, k.summary);
            }
            out.push_str("\n`driftwatch kinds KIND` shows a kind's fields.\n\n");
            out.push_str(VOCABULARY);
            out.push('\n');
        }
        Some(k) => {
            let _ = writeln!(out, "{} — {}\n", k.name, k.summary);
            let _ = writeln!(out, "{}\n", k.doc.trim());
            let scope = if k.regional { "regional (evaluated in the requirement's regions)" } else { "global" };
            let _ = writeln!(out, "{VOCABULARY}\n");
            let _ = writeln!(out, "scope: {scope}");
            let _ = writeln!(out, "select: {}\n\nexpect fields:", selector_keys(k));
            for f in k.all_fields() {
                let req = if f.required { " (required)" } else { "" };
                let _ = writeln!(out, "  {:<30} {}{}\n      {}", f.name, f.ty.describe(), req, f.doc);
            }
        }
    }
    out
}

/// The reference of every kind as Markdown (`docs/kinds.md` is this text; a test
/// keeps the two equal).
pub fn markdown() -> String {
    use std::fmt::Write;
    let mut out = String::from("# Requirement kinds\n\nGenerated from the kind registry (`src/kinds/`); `driftwatch kinds KIND` prints the same.\n\n");
    out.push_str(VOCABULARY);
    out.push('\n');
    for k in REGISTRY {
        let _ = write!(out, "\n## `{}`\n\n{}\n\n{}\n\n", k.name, k.summary, k.doc.trim());
        let scope = if k.regional { "regional" } else { "global" };
        let _ = write!(
            out,
            "Scope: {scope}. Selectors: {}.\n\n| field | type | meaning |\n|---|---|---|\n",
            selector_keys(k)
        );
        for f in k.all_fields() {
            let req = if f.required { " (required)" } else { "" };
            let _ = writeln!(
                out,
                "| `{}`{req} | {} | {} |",
                f.name,
                f.ty.describe().replace('|', "\\|"),
                f.doc.replace('|', "\\|")
            );
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod samples;
#[cfg(test)]
pub(crate) mod tests;
