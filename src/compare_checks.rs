//! Checks of number, string and list fields: the profile's `Comparison` decides,
//! once for every kind; a kind only says which observed value a field reads.

use super::Check;
use crate::comparison::Comparison;
use crate::inventory::Gap;
use serde_json::{json, Value as Json};
use std::borrow::Cow;

/// A number as a report shows it: whole numbers without a fraction.
pub fn number_json(x: f64) -> Json {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        json!(x as i64)
    } else {
        json!(x)
    }
}

impl Check {
    /// A number field: the profile's comparison decides, the observed number is shown.
    pub fn number(field: impl Into<Cow<'static, str>>, cmp: &Comparison, observed: f64) -> Self {
        Check::new(field, cmp.expected(), number_json(observed), cmp.number(observed))
    }
    /// A string field: the profile's comparison decides.
    pub fn string(field: impl Into<Cow<'static, str>>, cmp: &Comparison, observed: &str) -> Self {
        Check::new(field, cmp.expected(), json!(observed), cmp.string(observed))
    }
    /// A list field: the profile's comparison decides.
    pub fn list(field: impl Into<Cow<'static, str>>, cmp: &Comparison, observed: &[String]) -> Self {
        Check::new(field, cmp.expected(), json!(observed), cmp.list(observed))
    }
    /// A list of which some members are only possible (`unsure`: the answer did not
    /// say whether they belong). Known when the comparison decides the same with and
    /// without them, else unknown with `why`.
    pub fn list_unsure(
        field: &'static str,
        cmp: &Comparison,
        sure: &[String],
        unsure: &[String],
        shown: Json,
        why: &str,
    ) -> Self {
        let without = cmp.list(sure);
        let mut all = sure.to_vec();
        all.extend(unsure.iter().cloned());
        let mut check = Check::new(field, cmp.expected(), shown, without);
        if cmp.list(&all) != without {
            check.ok = None;
            check.error = Some(why.to_string());
        }
        check
    }
    /// A number the answer may leave out: absent is unknown, never compared.
    pub fn number_opt(field: &'static str, cmp: &Comparison, observed: Option<f64>, source: &str) -> Self {
        match observed {
            Some(x) => Check::number(field, cmp, x),
            None => Check::unknown(
                field,
                cmp.expected(),
                &Gap::not_collected(&format!("{source} (absent from the answer)")),
            ),
        }
    }
    /// A string the answer may leave out: absent is unknown, never compared.
    pub fn string_opt(field: &'static str, cmp: &Comparison, observed: Option<&str>, source: &str) -> Self {
        match observed {
            Some(s) => Check::string(field, cmp, s),
            None => Check::unknown(
                field,
                cmp.expected(),
                &Gap::not_collected(&format!("{source} (absent from the answer)")),
            ),
        }
    }
}
