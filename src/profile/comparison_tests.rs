//! Loading comparison tables: every form, and a located error for every mistake.

use super::*;
use crate::comparison::Comparison::{self, *};

/// A profile whose one requirement of `kind` has `line` as its only expectation, on line 7.
fn text(kind: &str, line: &str) -> String {
    format!("[profile]\nname = \"x\"\n[[requirement]]\nid = \"a\"\nkind = \"{kind}\"\n[requirement.expect]\n{line}\n")
}

fn loaded(kind: &str, line: &str) -> Comparison {
    let p = parse("p.toml", &text(kind, line)).unwrap_or_else(|e| panic!("{line}: {e}"));
    let field = line.split(' ').next().unwrap_or_default();
    p.requirements[0].expect.cmp(field).cloned().unwrap_or_else(|| panic!("{line}: no comparison stored"))
}

/// The one diagnostic for `line`, whose column is where `at` starts in it.
fn error_at(kind: &str, line: &str, at: &str) -> (String, String) {
    let d = parse("p.toml", &text(kind, line)).expect_err(line).0;
    assert_eq!(d.len(), 1, "{d:?}");
    let col = line.find(at).unwrap_or_else(|| panic!("`{at}` not in {line}")) + 1;
    (d[0].to_string(), format!("p.toml:7:{col}: "))
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn every_comparison_form_loads() {
    let rows: Vec<(&str, &str, Comparison)> = vec![
        ("autoscaling.group", "min_size = 2", Number(2.0)),
        ("autoscaling.group", "min_size = { at_least = 2 }", AtLeast(2.0)),
        ("autoscaling.group", "max_size = { at_most = 10 }", AtMost(10.0)),
        ("autoscaling.group", "min_size = { between = [1, 3] }", Between(1.0, 3.0)),
        ("autoscaling.group", "min_size = { between = [2, 2] }", Between(2.0, 2.0)),
        ("cloudwatch.alarm", "threshold = 0.5", Number(0.5)),
        ("cloudwatch.alarm", "threshold = { between = [-1.5, 2] }", Between(-1.5, 2.0)),
        ("cloudwatch.alarm", "threshold = { at_most = -3 }", AtMost(-3.0)),
        ("lambda.function", "runtime = \"python3.12\"", Text("python3.12".into())),
        (
            "lambda.function",
            "runtime = { one_of = [\"python3.12\", \"python3.13\"] }",
            OneOf(strings(&["python3.12", "python3.13"])),
        ),
        ("lambda.function", "runtime = { matches = \"python3.*\" }", Matches("python3.*".into())),
        ("s3.bucket", "encryption = { one_of = [\"AES256\", \"kms\"] }", OneOf(strings(&["AES256", "kms"]))),
        ("s3.bucket", "encryption = { matches = \"aws:kms*\" }", Matches("aws:kms*".into())),
        ("cloudfront.distribution", "aliases = [\"a.example.com\"]", List(strings(&["a.example.com"]))),
        ("cloudfront.distribution", "aliases = { contains_all = [\"a\", \"b\"] }", ContainsAll(strings(&["a", "b"]))),
        ("cloudfront.distribution", "aliases = { contains_any = [\"a\"] }", ContainsAny(strings(&["a"]))),
        ("cloudfront.distribution", "aliases = { exactly = [] }", Exactly(Vec::new())),
    ];
    for (kind, line, want) in rows {
        assert_eq!(loaded(kind, line), want, "{line}");
    }
}

#[test]
fn every_comparison_mistake_is_located() {
    // (kind, line, where the error points, message after FILE:LINE:COL)
    let rows = [
        (
            "autoscaling.group",
            "min_size = { at_leest = 2 }",
            "at_leest",
            "unknown comparison `at_leest` in expect.min_size; expected one of: at_least, at_most, between",
        ),
        (
            "autoscaling.group",
            "min_size = { at_least = 2, at_most = 3 }",
            "at_most",
            "expect.min_size takes exactly one comparison key; expected one of: at_least, at_most, between",
        ),
        ("autoscaling.group", "min_size = {}", "{}", "expect.min_size is an empty table; give one of: at_least, at_most, between"),
        (
            "autoscaling.group",
            "min_size = { between = [3, 1] }",
            "[3",
            "expect.min_size.between is [3, 1]; the low bound must not exceed the high one",
        ),
        ("autoscaling.group", "min_size = { between = [1] }", "[1]", "expect.min_size.between must be a pair [low, high]"),
        ("autoscaling.group", "min_size = { at_least = -1 }", "-1", "expect.min_size.at_least must not be negative"),
        ("autoscaling.group", "min_size = -1", "-1", "expect.min_size must not be negative"),
        (
            "autoscaling.group",
            "min_size = { at_least = 1.5 }",
            "1.5",
            "expect.min_size.at_least must be an integer, found a float",
        ),
        (
            "autoscaling.group",
            "min_size = \"2\"",
            "\"2\"",
            "expect.min_size must be an integer or a table { at_least | at_most | between }, found a string",
        ),
        (
            "cloudwatch.alarm",
            "threshold = { between = [1, \"x\"] }",
            "\"x\"",
            "expect.threshold.between must be a finite number, found a string",
        ),
        (
            "lambda.function",
            "runtime = { at_least = 2 }",
            "at_least",
            "unknown comparison `at_least` in expect.runtime; expected one of: one_of, matches",
        ),
        (
            "lambda.function",
            "runtime = { one_of = \"python3.12\" }",
            "\"python3.12\"",
            "expect.runtime.one_of must be an array of strings, found a string",
        ),
        ("lambda.function", "runtime = { one_of = [] }", "[]", "expect.runtime.one_of is empty; nothing could satisfy it"),
        (
            "lambda.function",
            "runtime = 3",
            "3",
            "expect.runtime must be a string or a table { one_of | matches }, found an integer",
        ),
        (
            "s3.bucket",
            "encryption = { one_of = [\"AES256\", \"SSE\"] }",
            "\"SSE\"",
            "each entry of expect.encryption.one_of is `SSE`; expected one of: AES256, aws:kms, aws:kms:dsse, kms",
        ),
        (
            "s3.bucket",
            "encryption = { matches = \"sse*\" }",
            "\"sse*\"",
            "expect.encryption.matches `sse*` matches none of the values: AES256, aws:kms, aws:kms:dsse, kms",
        ),
        (
            "cloudfront.distribution",
            "aliases = { contains = [\"a\"] }",
            "contains",
            "unknown comparison `contains` in expect.aliases; expected one of: contains_all, contains_any, exactly",
        ),
        (
            "cloudfront.distribution",
            "aliases = \"a\"",
            "\"a\"",
            "expect.aliases must be an array of strings or a table { contains_all | contains_any | exactly }, found a string",
        ),
        (
            "cloudfront.distribution",
            "aliases = { exactly = [1] }",
            "1]",
            "each entry of expect.aliases.exactly must be a string, found an integer",
        ),
        (
            "cloudfront.distribution",
            "aliases = { contains_all = [] }",
            "[]",
            "expect.aliases.contains_all is empty; every list would satisfy it (an empty list is `exactly = []`)",
        ),
        (
            "cloudfront.distribution",
            "aliases = { contains_any = [] }",
            "[]",
            "expect.aliases.contains_any is empty; no list could satisfy it (an empty list is `exactly = []`)",
        ),
        (
            "iam.role",
            "forbid_policies = { contains_any = [\"AdministratorAccess\"] }",
            "{",
            "expect.forbid_policies must be an array of strings, found a table",
        ),
    ];
    for (kind, line, at, message) in rows {
        let (got, place) = error_at(kind, line, at);
        assert_eq!(got, format!("{place}{message}"), "{line}");
    }
}

#[test]
fn every_old_spelling_shows_the_new_one_with_its_value() {
    for (old, new, op) in crate::kinds::RENAMED {
        let kind = crate::kinds::REGISTRY
            .iter()
            .find(|k| k.field(new).is_some())
            .unwrap_or_else(|| panic!("no kind has `{new}`"));
        let (got, place) = error_at(kind.name, &format!("{old} = 5"), old);
        assert_eq!(got, format!("{place}`{old}` is now `{new} = {{ {op} = 5 }}`"), "{}", kind.name);
    }
    let (got, place) = error_at("autoscaling.group", "min_size_at_least = 2", "min_size_at_least");
    assert_eq!(got, format!("{place}`min_size_at_least` is now `min_size = {{ at_least = 2 }}`"));
}

#[test]
fn subnet_counts_are_exact_unless_a_table_says_otherwise() {
    assert_eq!(loaded("ec2.vpc", "public_subnets = 2"), Number(2.0));
    assert_eq!(loaded("ec2.vpc", "private_subnets = { at_least = 2 }"), AtLeast(2.0));
}
