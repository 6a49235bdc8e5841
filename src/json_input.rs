//! JSON documents we read (reports, saved inventories): errors located as
//! `FILE:LINE:COL: message`, and a report refused unless it is a JSON object.

use serde::de::DeserializeOwned;

/// A serde_json error as `FILE:LINE:COL: message` (serde_json appends " at line L
/// column C"; the position leads instead), or `FILE: message` without a position.
pub fn located(file: &str, e: &serde_json::Error) -> String {
    if e.line() == 0 {
        return format!("{file}: {e}");
    }
    let text = e.to_string();
    let bare = text.rsplit_once(" at line ").map(|(m, _)| m).unwrap_or(&text);
    format!("{file}:{}:{}: {bare}", e.line(), e.column())
}

/// Reads a report-shaped document: serde would read a struct from an array too,
/// so anything but an object is refused at its first character.
pub fn parse_object<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, String> {
    let start = text.len() - text.trim_start().len();
    if let Some(c) = text[start..].chars().next().filter(|&c| c != '{') {
        let line = text[..start].matches('\n').count() + 1;
        let column = text[..start].rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        return Err(format!("{file}:{line}:{column}: expected a JSON object (a report), found `{c}`"));
    }
    serde_json::from_str(text).map_err(|e| located(file, &e))
}
