//! Reading IAM-style policy documents: identity, trust, key and bucket policies all
//! share the grammar (`Statement` is one object or a list; most values are one
//! string or a list of them).

use serde_json::Value as Json;

/// A value that may be one item or a list of items, as a list.
pub fn as_list(v: &Json) -> Vec<&Json> {
    match v {
        Json::Array(items) => items.iter().collect(),
        Json::Null => Vec::new(),
        other => vec![other],
    }
}

/// The statements of a document whose Effect is Allow.
pub fn allow_statements(doc: &Json) -> Vec<&Json> {
    as_list(doc.get("Statement").unwrap_or(&Json::Null))
        .into_iter()
        .filter(|s| s.get("Effect").and_then(Json::as_str) == Some("Allow"))
        .collect()
}

/// Every statement of a document, whatever its effect.
pub fn statements(doc: &Json) -> Vec<&Json> {
    as_list(doc.get("Statement").unwrap_or(&Json::Null))
}

/// The text values of a one-or-many element (non-strings are left out).
pub fn strings(v: &Json) -> Vec<&str> {
    as_list(v).into_iter().filter_map(Json::as_str).collect()
}

/// Whether an action pattern (`*` and `?` wildcards) matches an action. IAM
/// compares the service prefix and the action name case-insensitively.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    crate::profile::glob_match(&pattern.to_ascii_lowercase(), &action.to_ascii_lowercase())
}

/// Whether an action pattern matches every action of every service: `*`, `*:*`
/// (any number of stars on either side of the colon).
pub fn matches_every_action(pattern: &str) -> bool {
    let stars = |t: &str| !t.is_empty() && t.chars().all(|c| c == '*');
    match pattern.split_once(':') {
        Some((service, action)) => stars(service) && stars(action),
        None => stars(pattern),
    }
}

/// Whether a resource pattern matches every resource: `*`, or an ARN pattern
/// whose every part after the partition is a wildcard (`arn:aws:*:*:*:*`, `arn:*`).
pub fn matches_every_resource(pattern: &str) -> bool {
    let only_stars = |t: &str| t.contains('*') && t.chars().all(|c| c == '*' || c == ':');
    if !pattern.is_empty() && pattern.chars().all(|c| c == '*') {
        return true;
    }
    match pattern.strip_prefix("arn:") {
        Some(rest) if only_stars(rest) => true,
        Some(rest) => match rest.split_once(':') {
            Some((partition, tail)) => {
                (partition == "*" || crate::partition::Partition::named(partition).is_some()) && only_stars(tail)
            }
            None => false,
        },
        None => false,
    }
}

/// A statement as findings name it: its position in the document, and its Sid
/// when it has one (`statement 2 "Sid"`).
pub fn statement_label(index: usize, statement: &Json) -> String {
    match statement.get("Sid").and_then(Json::as_str) {
        Some(sid) if !sid.is_empty() => format!("statement {} {sid:?}", index + 1),
        _ => format!("statement {}", index + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn single_statement_and_lists_are_read_alike() {
        let one = json!({"Statement": {"Effect": "Allow", "Action": "s3:GetObject"}});
        let many = json!({"Statement": [{"Effect": "Deny"}, {"Effect": "Allow", "Action": ["a", "b"]}]});
        assert_eq!(allow_statements(&one).len(), 1);
        assert_eq!(allow_statements(&many).len(), 1);
        assert_eq!(as_list(&allow_statements(&many)[0]["Action"]).len(), 2);
        assert!(allow_statements(&json!({})).is_empty());
    }

    #[test]
    fn every_action_and_case_insensitive_matching() {
        for every in ["*", "*:*", "**", "*:**"] {
            assert!(matches_every_action(every), "{every}");
        }
        for not in ["iam:*", "*:Get*", "s3:*", "", ":", "a*", "*:", ":*", "*:*:x"] {
            assert!(!matches_every_action(not), "{not}");
        }
        assert!(action_matches("STS:assumeRole", "sts:AssumeRole"));
        assert!(action_matches("sts:*", "sts:AssumeRole"));
        assert!(!action_matches("sts:AssumeRoleWith*", "sts:AssumeRole"));
        assert_eq!(strings(&json!(["a", 1, "b"])), ["a", "b"]);
        for every in ["*", "arn:*", "arn:aws:*:*:*:*", "arn:*:*:*:*:*:*", "arn:aws-cn:*"] {
            assert!(matches_every_resource(every), "{every}");
        }
        for not in ["arn:aws:s3:::*", "arn:aws:iam::1:role/*", "arn:nope:*", "", "arn:aws:"] {
            assert!(!matches_every_resource(not), "{not}");
        }
        assert_eq!(statement_label(0, &json!({"Sid": "X"})), "statement 1 \"X\"");
    }
}
