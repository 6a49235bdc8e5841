//! Files we read that may be compressed: gzip and zstd are recognised by their
//! magic bytes, whatever the file's name (saved inventories, reports).

use std::io::Read;
use std::path::Path;

/// The file's text, decompressed when it starts with gzip's or zstd's magic
/// bytes. `what` names the content in errors ("the inventory", "the report").
pub fn read_text(path: &Path, what: &str) -> Result<String, String> {
    let shown = path.display();
    let raw = std::fs::read(path).map_err(|e| format!("{shown}: cannot read {what}: {e}"))?;
    let mut text = String::new();
    let decompressed = if raw.starts_with(&[0x1f, 0x8b]) {
        flate2::read::GzDecoder::new(raw.as_slice()).read_to_string(&mut text).map(drop)
    } else if raw.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        zstd::stream::read::Decoder::new(raw.as_slice()).and_then(|mut d| d.read_to_string(&mut text)).map(drop)
    } else {
        return String::from_utf8(raw).map_err(|_| format!("{shown}: {what} is not UTF-8 text"));
    };
    decompressed.map_err(|e| format!("{shown}: cannot decompress {what}: {e}"))?;
    Ok(text)
}
