//! Reading a profile's TOML tree into typed requirements, with a located
//! diagnostic for every mistake.

use super::tree::{self, Node, Spanned};
use super::*;
use crate::kinds::{self, FieldType, Kind};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

#[path = "loader_cmp.rs"]
mod cmp;

/// Which optional selector keys apply where a selector is read.
#[derive(Debug, Clone, Copy)]
struct SelectorKeys {
    tags: bool,
    regions: bool,
    path: bool,
    exclude: bool,
}

impl SelectorKeys {
    fn names(&self) -> String {
        let mut names = vec!["name", "name_prefix", "name_glob"];
        for (on, key) in
            [(self.tags, "tags"), (self.path, "path_prefix"), (self.regions, "regions"), (self.exclude, "exclude")]
        {
            if on {
                names.push(key);
            }
        }
        names.join(", ")
    }
}

struct Loader<'a> {
    file: String,
    text: &'a str,
    diags: Vec<Diagnostic>,
}

impl Loader<'_> {
    fn err(&mut self, span: &Range<usize>, message: impl Into<String>) {
        let (line, col) = tree::line_col(self.text, span.start);
        self.diags.push(Diagnostic { file: self.file.clone(), line, col, message: message.into() });
    }

    fn table<'n>(&mut self, n: &'n Spanned, what: &str) -> Option<&'n [(String, Range<usize>, Spanned)]> {
        match &n.node {
            Node::Table(t) => Some(t),
            other => {
                self.err(&n.span, format!("{what} must be a table, found {}", other.type_name()));
                None
            }
        }
    }

    fn string(&mut self, n: &Spanned, what: &str) -> Option<String> {
        match &n.node {
            Node::Str(s) => Some(s.clone()),
            other => {
                self.err(&n.span, format!("{what} must be a string, found {}", other.type_name()));
                None
            }
        }
    }

    fn string_list(&mut self, n: &Spanned, what: &str) -> Option<Vec<String>> {
        let Node::Array(items) = &n.node else {
            self.err(&n.span, format!("{what} must be an array of strings, found {}", n.node.type_name()));
            return None;
        };
        let mut out = Vec::new();
        for item in items {
            out.push(self.string(item, &format!("each entry of {what}"))?);
        }
        Some(out)
    }

    fn string_map(&mut self, n: &Spanned, what: &str) -> Option<BTreeMap<String, String>> {
        let entries = self.table(n, what)?;
        let mut out = BTreeMap::new();
        for (k, _, v) in entries {
            out.insert(k.clone(), self.string(v, &format!("{what}.{k}"))?);
        }
        Some(out)
    }

    fn regions(&mut self, n: &Spanned, what: &str) -> Option<Vec<String>> {
        let list = self.string_list(n, what)?;
        if let Node::Array(items) = &n.node {
            for (r, item) in list.iter().zip(items) {
                if !is_region_name(r) {
                    self.err(&item.span, format!("`{r}` is not an AWS region name (like us-east-1)"));
                    return None;
                }
            }
        }
        Some(list)
    }

    /// A selector table. `keys` says which optional keys the kind allows; an
    /// `exclude` entry is a selector without `regions` or `exclude` of its own.
    fn selector(&mut self, n: &Spanned, what: &str, keys: SelectorKeys) -> Option<Selector> {
        let entries = self.table(n, what)?;
        let mut s = Selector::default();
        for (k, kspan, v) in entries {
            match k.as_str() {
                "name" => s.name = Some(self.string(v, "name")?),
                "name_prefix" => s.name_prefix = Some(self.string(v, "name_prefix")?),
                "name_glob" => s.name_glob = Some(self.string(v, "name_glob")?),
                "tags" if keys.tags => s.tags = self.string_map(v, "tags")?,
                "tags" => {
                    self.err(kspan, "this kind's resources carry no tags to select on");
                    return None;
                }
                "path_prefix" if keys.path => s.path_prefix = Some(self.string(v, "path_prefix")?),
                "path_prefix" => {
                    self.err(kspan, "only IAM principals have a path to select on");
                    return None;
                }
                "regions" if keys.regions => s.regions = Some(self.regions(v, "regions")?),
                "exclude" if keys.exclude => {
                    let inner = SelectorKeys { regions: false, exclude: false, ..keys };
                    let what = format!("{what}.exclude");
                    s.exclude = match &v.node {
                        Node::Array(items) => {
                            let mut out = Vec::new();
                            for item in items {
                                out.push(self.selector(item, &what, inner)?);
                            }
                            out
                        }
                        _ => vec![self.selector(v, &what, inner)?],
                    };
                    if let Some(empty) = s.exclude.iter().position(|e| *e == Selector::default()) {
                        let span = match &v.node {
                            Node::Array(items) => &items[empty].span,
                            _ => &v.span,
                        };
                        self.err(
                            span,
                            "an exclude entry needs at least one key; an empty one would leave out everything",
                        );
                        return None;
                    }
                }
                _ => {
                    self.err(kspan, format!("unknown selector key `{k}` in {what}; expected one of: {}", keys.names()));
                    return None;
                }
            }
        }
        Some(s)
    }

    fn field(&mut self, ty: &FieldType, name: &str, n: &Spanned) -> Option<Value> {
        let what = format!("expect.{name}");
        Some(match ty {
            FieldType::Bool => match n.node {
                Node::Bool(b) => Value::Bool(b),
                ref other => {
                    self.err(&n.span, format!("{what} must be a boolean, found {}", other.type_name()));
                    return None;
                }
            },
            FieldType::Int | FieldType::Number | FieldType::Str | FieldType::OneOf(_) | FieldType::StrList => {
                Value::Cmp(self.comparison(ty, &what, n)?)
            }
            FieldType::Comparison => {
                let s = self.string(n, &what)?;
                let Some(op) = kinds::comparison_operator(&s) else {
                    self.err(
                        &n.span,
                        format!("{what} is `{s}`; expected >=, >, <=, < or an AWS ComparisonOperator name"),
                    );
                    return None;
                };
                Value::Str(op.to_string())
            }
            FieldType::NamePattern => {
                let s = self.string(n, &what)?;
                if let Err(e) = NamePattern::parse(&s) {
                    self.err(&n.span, format!("{what} `{s}` {e}"));
                    return None;
                }
                Value::Str(s)
            }
            FieldType::PortRules => {
                let entries = self.table(n, &what)?;
                let mut out = BTreeMap::new();
                for (port, kspan, v) in entries {
                    if let Err(e) = kinds::PortSpec::parse(port) {
                        self.err(kspan, format!("{what}: `{port}` {e}"));
                        return None;
                    }
                    let cidrs = self.string_list(v, &format!("{what}.{port}"))?;
                    if let Some(bad) = cidrs.iter().find(|c| kinds::Cidr::parse(c).is_none()) {
                        self.err(&v.span, format!("{what}.{port}: `{bad}` is not a CIDR block like 10.0.0.0/16"));
                        return None;
                    }
                    out.insert(port.clone(), cidrs.join(","));
                }
                Value::Map(out)
            }
            FieldType::PortList => {
                let ports = self.string_list(n, &what)?;
                if let Some((p, e)) = ports.iter().find_map(|p| kinds::PortSpec::parse(p).err().map(|e| (p, e))) {
                    self.err(&n.span, format!("{what}: `{p}` {e}"));
                    return None;
                }
                Value::List(ports)
            }
            FieldType::Forbidden => Value::List(self.string_list(n, &what)?),
            FieldType::StrMap => Value::Map(self.string_map(n, &what)?),
            FieldType::Mesh => {
                let Node::Array(items) = &n.node else {
                    self.err(&n.span, format!("{what} must be an array of {{ region, vpc }} tables"));
                    return None;
                };
                let mut nodes = Vec::new();
                for item in items {
                    let entries = self.table(item, "each mesh entry")?;
                    let (mut region, mut vpc) = (None, None);
                    for (k, kspan, v) in entries {
                        match k.as_str() {
                            "region" => {
                                let r = self.string(v, "region")?;
                                if !is_region_name(&r) {
                                    self.err(&v.span, format!("`{r}` is not an AWS region name (like us-east-1)"));
                                    return None;
                                }
                                region = Some(r);
                            }
                            "vpc" => {
                                let keys = SelectorKeys { tags: true, regions: false, path: false, exclude: false };
                                vpc = Some(self.selector(v, "vpc", keys)?)
                            }
                            _ => {
                                self.err(kspan, format!("unknown key `{k}` in a mesh entry; expected region, vpc"));
                                return None;
                            }
                        }
                    }
                    let Some(region) = region else {
                        self.err(&item.span, "a mesh entry needs `region`");
                        return None;
                    };
                    nodes.push(MeshNode { region, vpc: vpc.unwrap_or_default() });
                }
                if nodes.len() < 2 {
                    self.err(&n.span, format!("{what} needs at least two entries to form a mesh"));
                    return None;
                }
                Value::Mesh(nodes)
            }
        })
    }

    fn expect(&mut self, kind: &'static Kind, n: &Spanned) -> Option<Expect> {
        let entries = self.table(n, "expect")?;
        let mut out = BTreeMap::new();
        for (k, kspan, v) in entries {
            if let Some((new, op)) = kinds::renamed(kind, k) {
                let old = self.text.get(v.span.clone()).unwrap_or("N").trim().to_string();
                self.err(kspan, format!("`{k}` is now `{new} = {{ {op} = {old} }}`"));
                continue;
            }
            let Some(field) = kind.field(k) else {
                let names: Vec<&str> = kind.all_fields().map(|f| f.name).collect();
                let hint = kinds::closest(k, names.iter().copied())
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                self.err(
                    kspan,
                    format!("unknown field `{k}` for kind {}{hint}; its fields are: {}", kind.name, names.join(", ")),
                );
                continue;
            };
            if let Some(value) = self.field(&field.ty, k, v) {
                out.insert(k.clone(), value);
            }
        }
        Some(Expect(out))
    }

    fn requirement(&mut self, profile: &str, n: &Spanned, ids: &mut BTreeSet<String>) -> Option<Requirement> {
        let entries = self.table(n, "each [[requirement]]")?;
        let get = |key: &str| entries.iter().find(|(k, _, _)| k == key);
        for (k, kspan, _) in entries {
            if !["id", "kind", "severity", "description", "select", "match", "min_count", "expect"]
                .contains(&k.as_str())
            {
                self.err(
                    kspan,
                    format!("unknown key `{k}` in [[requirement]]; expected id, kind, severity, description, select, match, min_count, expect"),
                );
                return None;
            }
        }
        let Some((_, _, id_node)) = get("id") else {
            self.err(&n.span, "this [[requirement]] has no `id`");
            return None;
        };
        let id = self.string(id_node, "id")?;
        if id.trim().is_empty() {
            self.err(&id_node.span, "id must not be empty");
            return None;
        }
        if !ids.insert(id.clone()) {
            self.err(&id_node.span, format!("duplicate requirement id `{id}`"));
            return None;
        }
        let Some((_, _, kind_node)) = get("kind") else {
            self.err(&n.span, format!("requirement `{id}` has no `kind`"));
            return None;
        };
        let kind_name = self.string(kind_node, "kind")?;
        let Some(kind) = kinds::find(&kind_name) else {
            let hint = kinds::closest(&kind_name, kinds::REGISTRY.iter().map(|k| k.name))
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            self.err(&kind_node.span, format!("unknown kind `{kind_name}`{hint}; `driftwatch kinds` lists them"));
            return None;
        };
        let severity = match get("severity") {
            None => Severity::Medium,
            Some((_, _, v)) => {
                let s = self.string(v, "severity")?;
                let Some(sev) = Severity::parse(&s) else {
                    self.err(&v.span, format!("severity is `{s}`; expected one of: {}", Severity::NAMES.join(", ")));
                    return None;
                };
                sev
            }
        };
        let description = match get("description") {
            None => String::new(),
            Some((_, _, v)) => self.string(v, "description")?,
        };
        let select = match get("select") {
            None => Selector::default(),
            Some((_, kspan, _)) if !kind.selectable => {
                self.err(kspan, format!("kind {} takes no `select`; its expectation chooses the resources", kind.name));
                return None;
            }
            Some((_, _, v)) => {
                let keys = SelectorKeys {
                    tags: kind.tags,
                    regions: kind.regional,
                    path: kinds::has_paths(kind),
                    exclude: true,
                };
                self.selector(v, "select", keys)?
            }
        };
        let match_mode = match get("match") {
            None => MatchMode::All,
            Some((_, _, v)) => match self.string(v, "match")?.as_str() {
                "all" => MatchMode::All,
                "any" => MatchMode::Any,
                other => {
                    self.err(&v.span, format!("match is `{other}`; expected all or any"));
                    return None;
                }
            },
        };
        let min_count = match get("min_count") {
            None => None,
            Some((_, _, v)) => match v.node {
                Node::Int(i) if i >= 0 => Some(i as u64),
                _ => {
                    self.err(&v.span, "min_count must be a non-negative integer");
                    return None;
                }
            },
        };
        let before = self.diags.len();
        let expect = match get("expect") {
            None => Expect::default(),
            Some((_, _, v)) => self.expect(kind, v)?,
        };
        if self.diags.len() > before {
            return None;
        }
        for field in kind.fields.iter().filter(|f| f.required) {
            if !expect.has(field.name) {
                self.err(&n.span, format!("requirement `{id}` of kind {} needs expect.{}", kind.name, field.name));
                return None;
            }
        }
        Some(Requirement {
            profile: profile.to_string(),
            id,
            kind,
            severity,
            description,
            select,
            match_mode,
            min_count,
            expect,
            regions: Vec::new(),
        })
    }

    /// `[profile.accounts]`: which accounts of a fleet the profile applies to.
    fn accounts(&mut self, n: &Spanned) -> Option<crate::fleet::AccountScope> {
        let entries = self.table(n, "[profile.accounts]")?;
        let mut scope = crate::fleet::AccountScope::default();
        let mut ok = true;
        for (k, kspan, v) in entries {
            match k.as_str() {
                "ids" | "ous" => {
                    let what = format!("accounts.{k}");
                    let Some(list) = self.string_list(v, &what) else {
                        ok = false;
                        continue;
                    };
                    let Node::Array(items) = &v.node else { continue };
                    if list.is_empty() {
                        self.err(&v.span, format!("{what} is empty: the profile would apply to no account"));
                        ok = false;
                    }
                    for (value, item) in list.iter().zip(items) {
                        let valid = if k == "ids" {
                            crate::fleet::organizations::is_account_id(value)
                        } else {
                            crate::fleet::organizations::is_ou_id(value)
                        };
                        if !valid {
                            let like = if k == "ids" {
                                "an AWS account id (12 digits)"
                            } else {
                                "an organizational unit id (like ou-ab12-cd34ef56)"
                            };
                            self.err(&item.span, format!("`{value}` in {what} is not {like}"));
                            ok = false;
                        }
                    }
                    if k == "ids" {
                        scope.ids = Some(list);
                    } else {
                        scope.ous = Some(list);
                    }
                }
                "tags" => match self.string_map(v, "accounts.tags") {
                    Some(tags) if tags.is_empty() => {
                        self.err(
                            &v.span,
                            "accounts.tags is empty; give at least one tag, e.g. { environment = \"prod\" }",
                        );
                        ok = false;
                    }
                    Some(tags) => scope.tags = Some(tags),
                    None => ok = false,
                },
                _ => {
                    self.err(kspan, format!("unknown key `{k}` in [profile.accounts]; expected ids, ous, tags"));
                    ok = false;
                }
            }
        }
        if ok && scope == crate::fleet::AccountScope::default() {
            self.err(&n.span, "[profile.accounts] names no ids, ous or tags");
            ok = false;
        }
        ok.then_some(scope)
    }

    fn profile(&mut self, root: &Spanned) -> Option<Profile> {
        let entries = self.table(root, "the profile")?;
        for (k, kspan, _) in entries {
            if k != "profile" && k != "requirement" {
                self.err(kspan, format!("unknown top-level key `{k}`; expected [profile] and [[requirement]]"));
            }
        }
        let Some((_, _, header)) = entries.iter().find(|(k, _, _)| k == "profile") else {
            self.err(&(0..0), "missing the [profile] table (with at least `name`)");
            return None;
        };
        let header_entries = self.table(header, "[profile]")?;
        let (mut name, mut description, mut regions, mut accounts) = (None, String::new(), Vec::new(), None);
        for (k, kspan, v) in header_entries {
            match k.as_str() {
                "name" => name = self.string(v, "name"),
                "description" => description = self.string(v, "description").unwrap_or_default(),
                "regions" => regions = self.regions(v, "regions").unwrap_or_default(),
                "accounts" => accounts = self.accounts(v),
                _ => self.err(
                    kspan,
                    format!("unknown key `{k}` in [profile]; expected name, description, regions, accounts"),
                ),
            }
        }
        let Some(name) = name else {
            self.err(&header.span, "[profile] has no `name`");
            return None;
        };
        let mut requirements = Vec::new();
        match entries.iter().find(|(k, _, _)| k == "requirement") {
            None => self.err(&header.span, "the profile declares no [[requirement]]"),
            Some((_, _, list)) => match &list.node {
                Node::Array(items) if items.is_empty() => {
                    self.err(&list.span, "the profile declares no [[requirement]]")
                }
                Node::Array(items) => {
                    let mut ids = BTreeSet::new();
                    for item in items {
                        if let Some(r) = self.requirement(&name, item, &mut ids) {
                            requirements.push(r);
                        }
                    }
                }
                other => self.err(
                    &list.span,
                    format!("`requirement` must be an array of tables ([[requirement]]), found {}", other.type_name()),
                ),
            },
        }
        Some(Profile { path: self.file.clone(), name, description, regions, requirements, accounts })
    }
}

/// Parses profile text; `file` names it in diagnostics.
pub fn parse(file: &str, text: &str) -> Result<Profile, Diagnostics> {
    let mut loader = Loader { file: file.to_string(), text, diags: Vec::new() };
    let root = match tree::parse(text) {
        Ok(root) => root,
        Err((message, span)) => {
            loader.err(&span, format!("invalid TOML: {message}"));
            return Err(Diagnostics(loader.diags));
        }
    };
    let profile = loader.profile(&root);
    match profile {
        Some(p) if loader.diags.is_empty() => Ok(p),
        _ => {
            if loader.diags.is_empty() {
                loader.err(&(0..0), "invalid profile");
            }
            Err(Diagnostics(loader.diags))
        }
    }
}
