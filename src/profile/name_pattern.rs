//! Naming conventions with `{placeholders}` (`name_pattern`).

use super::is_region_name;

/// A naming convention such as `PROD-{service}-{identifier}-{region}`: literal text
/// and placeholders. `{region}` stands for the resource's own region (for global
/// resources, any region name); any other placeholder for one or more characters.
#[derive(Debug, Clone, PartialEq)]
pub struct NamePattern {
    parts: Vec<PatternPart>,
}

#[derive(Debug, Clone, PartialEq)]
enum PatternPart {
    Text(Vec<char>),
    Region,
    Any,
}

impl NamePattern {
    /// Parses a pattern; the error says what is wrong with it.
    pub fn parse(pattern: &str) -> Result<Self, String> {
        let mut parts = Vec::new();
        let mut rest = pattern;
        while !rest.is_empty() {
            match rest.find(['{', '}']) {
                Some(i) if rest.as_bytes()[i] == b'}' => return Err("has a `}` without its `{`".into()),
                Some(i) => {
                    if i > 0 {
                        parts.push(PatternPart::Text(rest[..i].chars().collect()));
                    }
                    let Some(end) = rest[i..].find('}') else { return Err("has a `{` without its `}`".into()) };
                    let name = &rest[i + 1..i + end];
                    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                        return Err(format!("placeholder `{{{name}}}` must be a word like {{service}}"));
                    }
                    if matches!(parts.last(), Some(PatternPart::Any | PatternPart::Region)) {
                        return Err("needs literal text between two placeholders".into());
                    }
                    parts.push(if name == "region" { PatternPart::Region } else { PatternPart::Any });
                    rest = &rest[i + end + 1..];
                }
                None => {
                    parts.push(PatternPart::Text(rest.chars().collect()));
                    rest = "";
                }
            }
        }
        Ok(NamePattern { parts })
    }

    /// Whether `name` follows the pattern, `region` being the resource's region.
    pub fn matches(&self, name: &str, region: Option<&str>) -> bool {
        let chars: Vec<char> = name.chars().collect();
        self.match_from(0, &chars, region)
    }

    fn match_from(&self, part: usize, rest: &[char], region: Option<&str>) -> bool {
        let Some(p) = self.parts.get(part) else { return rest.is_empty() };
        match p {
            PatternPart::Text(t) => rest.starts_with(t) && self.match_from(part + 1, &rest[t.len()..], region),
            PatternPart::Region | PatternPart::Any => (1..=rest.len()).any(|n| {
                let taken: String = rest[..n].iter().collect();
                let fits = match (p, region) {
                    (PatternPart::Region, Some(r)) => taken == r,
                    (PatternPart::Region, None) => is_region_name(&taken),
                    _ => true,
                };
                fits && self.match_from(part + 1, &rest[n..], region)
            }),
        }
    }
}
