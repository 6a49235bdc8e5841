//! One comparison vocabulary for every expectation field of a type, written once:
//! a number field takes a number (equality) or `{ at_least = N }`,
//! `{ at_most = N }`, `{ between = [A, B] }`; a string field a string (equality)
//! or `{ one_of = [...] }`, `{ matches = "glob" }`; a list field
//! `{ contains_all = [...] }`, `{ contains_any = [...] }`, `{ exactly = [...] }`.
//! Kinds only say which observed value a field reads; whether it satisfies the
//! profile is decided here.

use serde_json::{json, Value as Json};

/// What a profile asks of one field's observed value.
#[derive(Debug, Clone, PartialEq)]
pub enum Comparison {
    /// A plain number: equal to it.
    Number(f64),
    AtLeast(f64),
    AtMost(f64),
    /// Inclusive bounds, low first.
    Between(f64, f64),
    /// A plain string: equal to it.
    Text(String),
    OneOf(Vec<String>),
    /// A glob: `*` any run of characters, `?` one character.
    Matches(String),
    /// A plain list: the field's own meaning (most fields: every entry present).
    List(Vec<String>),
    ContainsAll(Vec<String>),
    ContainsAny(Vec<String>),
    /// The same members, in any order.
    Exactly(Vec<String>),
}

/// The keys a table of each field type may use, for `driftwatch kinds` and the
/// profile's diagnostics.
pub const NUMBER_KEYS: &[&str] = &["at_least", "at_most", "between"];
pub const STRING_KEYS: &[&str] = &["one_of", "matches"];
pub const LIST_KEYS: &[&str] = &["contains_all", "contains_any", "exactly"];

impl Comparison {
    /// Whether an observed number satisfies the comparison; a comparison of
    /// another type never does.
    pub fn number(&self, x: f64) -> bool {
        match self {
            Comparison::Number(n) => x == *n,
            Comparison::AtLeast(n) => x >= *n,
            Comparison::AtMost(n) => x <= *n,
            Comparison::Between(lo, hi) => *lo <= x && x <= *hi,
            _ => false,
        }
    }

    /// Whether an observed string satisfies the comparison.
    pub fn string(&self, s: &str) -> bool {
        match self {
            Comparison::Text(t) => s == t,
            Comparison::OneOf(options) => options.iter().any(|o| o == s),
            Comparison::Matches(glob) => crate::profile::glob_match(glob, s),
            _ => false,
        }
    }

    /// Whether an observed list satisfies the comparison.
    pub fn list(&self, items: &[String]) -> bool {
        let has = |want: &String| items.iter().any(|i| i == want);
        match self {
            Comparison::List(want) | Comparison::ContainsAll(want) => want.iter().all(has),
            Comparison::ContainsAny(want) => want.iter().any(has),
            Comparison::Exactly(want) => want.iter().all(has) && items.iter().all(|i| want.contains(i)),
            _ => false,
        }
    }

    /// The same comparison with every string upper-cased, for values AWS compares
    /// without regard to case.
    pub fn to_upper(&self) -> Comparison {
        self.map_strings(|s| s.to_uppercase())
    }

    /// The same comparison with `f` applied to every string it holds.
    pub fn map_strings(&self, f: impl Fn(&str) -> String) -> Comparison {
        let up = |l: &[String]| l.iter().map(|s| f(s)).collect::<Vec<_>>();
        match self {
            Comparison::Text(t) => Comparison::Text(f(t)),
            Comparison::OneOf(l) => Comparison::OneOf(up(l)),
            Comparison::Matches(g) => Comparison::Matches(f(g)),
            Comparison::List(l) => Comparison::List(up(l)),
            Comparison::ContainsAll(l) => Comparison::ContainsAll(up(l)),
            Comparison::ContainsAny(l) => Comparison::ContainsAny(up(l)),
            Comparison::Exactly(l) => Comparison::Exactly(up(l)),
            other => other.clone(),
        }
    }

    /// How the expectation reads in a report: plain values as themselves, the
    /// rest as a short phrase (`>= 2`, `between 1 and 7`, `one of a, b`).
    pub fn expected(&self) -> Json {
        let num = |n: &f64| if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", *n as i64) } else { n.to_string() };
        match self {
            Comparison::Number(n) => {
                if n.fract() == 0.0 && n.abs() < 1e15 {
                    json!(*n as i64)
                } else {
                    json!(n)
                }
            }
            Comparison::Text(t) => json!(t),
            Comparison::AtLeast(n) => json!(format!(">= {}", num(n))),
            Comparison::AtMost(n) => json!(format!("<= {}", num(n))),
            Comparison::Between(lo, hi) => json!(format!("between {} and {}", num(lo), num(hi))),
            Comparison::OneOf(o) => json!(format!("one of {}", o.join(", "))),
            Comparison::Matches(g) => json!(format!("matches {g}")),
            Comparison::List(l) => json!(l),
            Comparison::ContainsAll(l) => json!({ "contains_all": l }),
            Comparison::ContainsAny(l) => json!({ "contains_any": l }),
            Comparison::Exactly(l) => json!({ "exactly": l }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Comparison::*;
    use super::*;

    fn list(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn numbers_compare_by_each_operator() {
        // (comparison, observed, satisfied)
        let rows = [
            (Number(2.0), 2.0, true),
            (Number(2.0), 3.0, false),
            (AtLeast(2.0), 2.0, true),
            (AtLeast(2.0), 1.0, false),
            (AtMost(7.0), 7.0, true),
            (AtMost(7.0), 8.0, false),
            (Between(1.0, 7.0), 1.0, true),
            (Between(1.0, 7.0), 7.0, true),
            (Between(1.0, 7.0), 0.0, false),
            (Between(1.0, 7.0), 7.5, false),
            (Text("2".into()), 2.0, false),
        ];
        for (cmp, x, want) in rows {
            assert_eq!(cmp.number(x), want, "{cmp:?} on {x}");
        }
    }

    #[test]
    fn strings_compare_by_equality_set_or_glob() {
        let rows = [
            (Text("t3.micro".into()), "t3.micro", true),
            (Text("t3.micro".into()), "t3.small", false),
            (OneOf(list(&["python3.12", "python3.13"])), "python3.13", true),
            (OneOf(list(&["python3.12", "python3.13"])), "python3.9", false),
            (Matches("PROD-*".into()), "PROD-web", true),
            (Matches("PROD-*".into()), "prod-web", false),
            (AtLeast(1.0), "1", false),
        ];
        for (cmp, s, want) in rows {
            assert_eq!(cmp.string(s), want, "{cmp:?} on {s}");
        }
    }

    #[test]
    fn lists_compare_by_containment_or_exact_set() {
        let have = list(&["us-east-1", "us-west-2"]);
        let rows = [
            (ContainsAll(list(&["us-east-1"])), true),
            (ContainsAll(list(&["us-east-1", "ap-south-1"])), false),
            (ContainsAny(list(&["ap-south-1", "us-west-2"])), true),
            (ContainsAny(list(&["ap-south-1"])), false),
            (Exactly(list(&["us-west-2", "us-east-1"])), true),
            (Exactly(list(&["us-east-1"])), false),
            (Exactly(list(&["us-east-1", "us-west-2", "ap-south-1"])), false),
        ];
        for (cmp, want) in rows {
            assert_eq!(cmp.list(&have), want, "{cmp:?}");
        }
        assert!(!ContainsAny(list(&["a"])).list(&[]));
        assert!(ContainsAll(Vec::new()).list(&[]));
    }

    #[test]
    fn expectations_read_as_short_phrases() {
        assert_eq!(Number(7.0).expected(), json!(7));
        assert_eq!(Number(0.5).expected(), json!(0.5));
        assert_eq!(AtLeast(2.0).expected(), json!(">= 2"));
        assert_eq!(AtMost(2.5).expected(), json!("<= 2.5"));
        assert_eq!(Between(1.0, 7.0).expected(), json!("between 1 and 7"));
        assert_eq!(OneOf(list(&["a", "b"])).expected(), json!("one of a, b"));
        assert_eq!(Matches("x*".into()).expected(), json!("matches x*"));
        assert_eq!(Exactly(list(&["a"])).expected(), json!({"exactly": ["a"]}));
    }
}
