//! Reading a number, string or list field: a plain value or a one-key comparison
//! table (`{ at_least = 2 }`, `{ one_of = [...] }`, `{ contains_all = [...] }`).

use super::super::tree::{Node, Spanned};
use super::Loader;
use crate::comparison::{Comparison, LIST_KEYS, NUMBER_KEYS, STRING_KEYS};
use crate::kinds::FieldType;

/// The number a field may hold: integers (>= 0) for `Int`, any finite number for `Number`.
#[derive(Clone, Copy)]
enum Numeric {
    Int,
    Any,
}

impl Loader<'_> {
    /// Reads a field of a comparable type into its `Comparison`; `None` (with a
    /// located diagnostic) for anything else.
    pub(super) fn comparison(&mut self, ty: &FieldType, what: &str, n: &Spanned) -> Option<Comparison> {
        match ty {
            FieldType::Int => self.number_cmp(Numeric::Int, what, n),
            FieldType::Number => self.number_cmp(Numeric::Any, what, n),
            FieldType::Str => self.string_cmp(None, what, n),
            FieldType::OneOf(options) => self.string_cmp(Some(options), what, n),
            FieldType::StrList => self.list_cmp(what, n),
            _ => None,
        }
    }

    /// The single `key = value` of a comparison table, or a diagnostic.
    fn one_key<'n>(&mut self, what: &str, n: &'n Spanned, keys: &[&str]) -> Option<(&'n str, &'n Spanned)> {
        let Node::Table(entries) = &n.node else { return None };
        let allowed = keys.join(", ");
        match entries.as_slice() {
            [(k, kspan, v)] => {
                if keys.contains(&k.as_str()) {
                    Some((k.as_str(), v))
                } else {
                    self.err(kspan, format!("unknown comparison `{k}` in {what}; expected one of: {allowed}"));
                    None
                }
            }
            [] => {
                self.err(&n.span, format!("{what} is an empty table; give one of: {allowed}"));
                None
            }
            [_, (_, kspan, _), ..] => {
                self.err(kspan, format!("{what} takes exactly one comparison key; expected one of: {allowed}"));
                None
            }
        }
    }

    fn one_number(&mut self, numeric: Numeric, what: &str, n: &Spanned) -> Option<f64> {
        let x = match (&n.node, numeric) {
            (Node::Int(i), _) => *i as f64,
            (Node::Float(f), Numeric::Any) if f.is_finite() => *f,
            (other, Numeric::Int) => {
                self.err(&n.span, format!("{what} must be an integer, found {}", other.type_name()));
                return None;
            }
            (other, Numeric::Any) => {
                self.err(&n.span, format!("{what} must be a finite number, found {}", other.type_name()));
                return None;
            }
        };
        if matches!(numeric, Numeric::Int) && x < 0.0 {
            self.err(&n.span, format!("{what} must not be negative"));
            return None;
        }
        Some(x)
    }

    fn number_cmp(&mut self, numeric: Numeric, what: &str, n: &Spanned) -> Option<Comparison> {
        if !matches!(n.node, Node::Table(_)) {
            if matches!(n.node, Node::Str(_) | Node::Bool(_) | Node::Array(_) | Node::Datetime) {
                let kind = if matches!(numeric, Numeric::Int) { "an integer" } else { "a number" };
                self.err(
                    &n.span,
                    format!(
                        "{what} must be {kind} or a table {{ at_least | at_most | between }}, found {}",
                        n.node.type_name()
                    ),
                );
                return None;
            }
            return self.one_number(numeric, what, n).map(Comparison::Number);
        }
        let (key, v) = self.one_key(what, n, NUMBER_KEYS)?;
        let inner = format!("{what}.{key}");
        match key {
            "at_least" => self.one_number(numeric, &inner, v).map(Comparison::AtLeast),
            "at_most" => self.one_number(numeric, &inner, v).map(Comparison::AtMost),
            _ => {
                let items = match &v.node {
                    Node::Array(items) if items.len() == 2 => items,
                    _ => {
                        self.err(&v.span, format!("{inner} must be a pair [low, high]"));
                        return None;
                    }
                };
                let lo = self.one_number(numeric, &inner, &items[0])?;
                let hi = self.one_number(numeric, &inner, &items[1])?;
                if lo > hi {
                    self.err(&v.span, format!("{inner} is [{lo}, {hi}]; the low bound must not exceed the high one"));
                    return None;
                }
                Some(Comparison::Between(lo, hi))
            }
        }
    }

    /// A value of a `OneOf` field: one of its options.
    fn option(&mut self, options: Option<&&[&str]>, what: &str, n: &Spanned) -> Option<String> {
        let s = self.string(n, what)?;
        if let Some(options) = options {
            if !options.contains(&s.as_str()) {
                self.err(&n.span, format!("{what} is `{s}`; expected one of: {}", options.join(", ")));
                return None;
            }
        }
        Some(s)
    }

    fn string_cmp(&mut self, options: Option<&&[&str]>, what: &str, n: &Spanned) -> Option<Comparison> {
        match &n.node {
            Node::Table(_) => {}
            Node::Str(_) => return self.option(options, what, n).map(Comparison::Text),
            other => {
                self.err(
                    &n.span,
                    format!("{what} must be a string or a table {{ one_of | matches }}, found {}", other.type_name()),
                );
                return None;
            }
        }
        let (key, v) = self.one_key(what, n, STRING_KEYS)?;
        let inner = format!("{what}.{key}");
        if key == "matches" {
            let glob = self.string(v, &inner)?;
            if let Some(options) = options {
                if !options.iter().any(|o| crate::profile::glob_match(&glob, o)) {
                    self.err(&v.span, format!("{inner} `{glob}` matches none of the values: {}", options.join(", ")));
                    return None;
                }
            }
            return Some(Comparison::Matches(glob));
        }
        let Node::Array(items) = &v.node else {
            self.err(&v.span, format!("{inner} must be an array of strings, found {}", v.node.type_name()));
            return None;
        };
        if items.is_empty() {
            self.err(&v.span, format!("{inner} is empty; nothing could satisfy it"));
            return None;
        }
        let mut out = Vec::new();
        for item in items {
            out.push(self.option(options, &format!("each entry of {inner}"), item)?);
        }
        Some(Comparison::OneOf(out))
    }

    fn list_cmp(&mut self, what: &str, n: &Spanned) -> Option<Comparison> {
        match &n.node {
            Node::Table(_) => {}
            Node::Array(_) => return self.string_list(n, what).map(Comparison::List),
            other => {
                self.err(
                    &n.span,
                    format!(
                        "{what} must be an array of strings or a table {{ contains_all | contains_any | exactly }}, found {}",
                        other.type_name()
                    ),
                );
                return None;
            }
        }
        let (key, v) = self.one_key(what, n, LIST_KEYS)?;
        let inner = format!("{what}.{key}");
        let list = self.string_list(v, &inner)?;
        // an empty `contains_all` would hold for every list, an empty `contains_any` for none
        if list.is_empty() && key != "exactly" {
            let why = if key == "contains_all" { "every list would satisfy it" } else { "no list could satisfy it" };
            self.err(&v.span, format!("{inner} is empty; {why} (an empty list is `exactly = []`)"));
            return None;
        }
        Some(match key {
            "contains_all" => Comparison::ContainsAll(list),
            "contains_any" => Comparison::ContainsAny(list),
            _ => Comparison::Exactly(list),
        })
    }
}
