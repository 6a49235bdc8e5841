//! A TOML document as a tree of values that remember where they stand in the file,
//! so every complaint about a profile can say `FILE:LINE:COL`.

use std::ops::Range;

#[derive(Debug, Clone)]
pub enum Node {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Datetime,
    Array(Vec<Spanned>),
    Table(Vec<(String, Range<usize>, Spanned)>),
}

#[derive(Debug, Clone)]
pub struct Spanned {
    pub node: Node,
    pub span: Range<usize>,
}

impl Node {
    pub fn type_name(&self) -> &'static str {
        match self {
            Node::Str(_) => "a string",
            Node::Int(_) => "an integer",
            Node::Float(_) => "a float",
            Node::Bool(_) => "a boolean",
            Node::Datetime => "a date-time",
            Node::Array(_) => "an array",
            Node::Table(_) => "a table",
        }
    }
}

fn value(v: &toml_edit::Value, fallback: &Range<usize>) -> Spanned {
    use toml_edit::Value as V;
    let span = v.span().unwrap_or_else(|| fallback.clone());
    let node = match v {
        V::String(s) => Node::Str(s.value().clone()),
        V::Integer(i) => Node::Int(*i.value()),
        V::Float(f) => Node::Float(*f.value()),
        V::Boolean(b) => Node::Bool(*b.value()),
        V::Datetime(_) => Node::Datetime,
        V::Array(a) => Node::Array(a.iter().map(|x| value(x, &span)).collect()),
        V::InlineTable(t) => Node::Table(
            t.iter()
                .map(|(k, x)| {
                    let key_span = t.key(k).and_then(|key| key.span()).unwrap_or_else(|| span.clone());
                    (k.to_string(), key_span.clone(), value(x, &key_span))
                })
                .collect(),
        ),
    };
    Spanned { node, span }
}

fn table(t: &toml_edit::Table, fallback: &Range<usize>) -> Spanned {
    let span = t.span().unwrap_or_else(|| fallback.clone());
    let entries = t
        .iter()
        .map(|(k, item)| {
            let key_span = t.key(k).and_then(|key| key.span()).unwrap_or_else(|| span.clone());
            (k.to_string(), key_span.clone(), item_node(item, &key_span))
        })
        .collect();
    Spanned { node: Node::Table(entries), span }
}

fn item_node(item: &toml_edit::Item, fallback: &Range<usize>) -> Spanned {
    use toml_edit::Item;
    match item {
        Item::Value(v) => value(v, fallback),
        Item::Table(t) => table(t, fallback),
        Item::ArrayOfTables(a) => {
            let span = a.span().unwrap_or_else(|| fallback.clone());
            Spanned { node: Node::Array(a.iter().map(|t| table(t, &span)).collect()), span }
        }
        Item::None => Spanned { node: Node::Table(Vec::new()), span: fallback.clone() },
    }
}

/// Parses TOML text into a spanned tree, or returns the parser's message and span.
pub fn parse(text: &str) -> Result<Spanned, (String, Range<usize>)> {
    let doc: toml_edit::ImDocument<&str> = toml_edit::ImDocument::parse(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim().to_string();
        (message, span)
    })?;
    Ok(table(doc.as_table(), &(0..0)))
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut line = 1;
    let mut line_start = 0;
    for (i, c) in text.char_indices() {
        if i >= offset {
            break;
        }
        if c == '\n' {
            line += 1;
            line_start = i + 1;
        }
    }
    let col = text.get(line_start..offset).map(|s| s.chars().count()).unwrap_or(0) + 1;
    (line, col)
}
