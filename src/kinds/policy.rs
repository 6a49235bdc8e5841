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
}
