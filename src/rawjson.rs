//! JSON text as written. Delivery bodies are built from the event's own
//! text, not from a parsed value, so each number keeps the text it was
//! written with (`18446744073709551616` stays that, where an `f64` would
//! print `1.8446744073709552e19`), and the body is written in the escaping
//! style of the vendor's serializer.
//!
//! Every function here takes text that a full parse has already accepted;
//! on anything else they answer `None` (or copy bytes) rather than panic.

/// How strings are escaped in written JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// What serde_json and Java's Jackson write: `"` and `\` escaped,
    /// control characters as `\n`-style or `\u00XX` escapes, everything else
    /// as UTF-8.
    Plain,
    /// PHP's `json_encode` with its default flags (Kanboard): also `/` as
    /// `\/` and every non-ASCII character as `\uXXXX` (UTF-16, lower-case
    /// hex).
    Php,
}

/// Skip whitespace from `i`.
fn ws(b: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = b.get(i) {
        i += 1;
    }
    i
}

/// The end (exclusive) of the JSON value starting at `i`.
fn value_end(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => string_end(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = string_end(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            {
                j += 1;
            }
            (j > i).then_some(j)
        }
    }
}

/// The end (exclusive) of the string whose quote is at `i`.
fn string_end(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'"' => return Some(j + 1),
            b'\\' => j += 2,
            _ => j += 1,
        }
    }
    None
}

/// The text of member `key` of the object `text` is (the last one, as a
/// parse keeps the last of repeated keys).
pub fn member<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let b = text.as_bytes();
    let mut i = ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = ws(b, i + 1);
    let mut found = None;
    while b.get(i) == Some(&b'"') {
        let key_end = string_end(b, i)?;
        let this = decode_string(text.get(i..key_end)?)?;
        i = ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        i = ws(b, i + 1);
        let end = value_end(b, i)?;
        if this == key {
            found = Some(text.get(i..end)?);
        }
        i = ws(b, end);
        match b.get(i) {
            Some(b',') => i = ws(b, i + 1),
            _ => break,
        }
    }
    found
}

/// The texts of the elements of the array `text` is.
pub fn items(text: &str) -> Option<Vec<&str>> {
    let b = text.as_bytes();
    let mut i = ws(b, 0);
    if b.get(i) != Some(&b'[') {
        return None;
    }
    i = ws(b, i + 1);
    let mut out = Vec::new();
    if b.get(i) == Some(&b']') {
        return Some(out);
    }
    loop {
        let end = value_end(b, i)?;
        out.push(text.get(i..end)?);
        i = ws(b, end);
        match b.get(i)? {
            b',' => i = ws(b, i + 1),
            b']' => return Some(out),
            _ => return None,
        }
    }
}

/// `text` with insignificant whitespace removed and strings written in
/// `style`; numbers, literals and key order stay as written.
pub fn compact(text: &str, style: Style) -> String {
    let mut out = String::with_capacity(text.len());
    write_compact(text, style, &mut out);
    out
}

/// [`compact`] into `out`.
pub fn write_compact(text: &str, style: Style, out: &mut String) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'"' => {
                let end = string_end(b, i).unwrap_or(b.len());
                let raw = text.get(i..end).unwrap_or_default();
                match decode_string(raw) {
                    Some(s) => write_string(&s, style, out),
                    None => out.push_str(raw),
                }
                i = end;
            }
            _ => {
                // Runs of structural characters, digits and literal letters
                // (all ASCII) are copied as they are.
                let start = i;
                while i < b.len() && !matches!(b[i], b'"' | b' ' | b'\t' | b'\n' | b'\r') {
                    i += 1;
                }
                out.push_str(text.get(start..i).unwrap_or_default());
            }
        }
    }
}

/// A JSON string literal (quotes included) decoded.
pub fn decode_string(raw: &str) -> Option<String> {
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    if !inner.contains('\\') {
        return Some(inner.to_string());
    }
    // Escapes decode exactly as the parse that accepted the text.
    crate::json::parser::string(raw)
}

/// `s` as a JSON string literal in `style`.
pub fn write_string(s: &str, style: Style, out: &mut String) {
    use std::fmt::Write;
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            '/' if style == Style::Php => out.push_str("\\/"),
            c if style == Style::Php && !c.is_ascii() => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{u:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `s` as a JSON string literal in `style`.
pub fn string(s: &str, style: Style) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    write_string(s, style, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_found_as_written_last_one_wins() {
        let text =
            r#" { "a" : 1 , "b":{"x":[1, 2,"]"]}, "a\u0062": "s\"}", "a": 18446744073709551616 } "#;
        assert_eq!(member(text, "a"), Some("18446744073709551616"));
        assert_eq!(member(text, "b"), Some(r#"{"x":[1, 2,"]"]}"#));
        assert_eq!(member(text, "ab"), Some(r#""s\"}""#));
        assert_eq!(member(text, "c"), None);
        assert_eq!(member("[1]", "a"), None);
        assert_eq!(member("{}", "a"), None);
    }

    #[test]
    fn items_split_an_array() {
        assert_eq!(
            items(" [ {\"a\":[1,2]} , 3.50 ,\"x,y\", null ] "),
            Some(vec!["{\"a\":[1,2]}", "3.50", "\"x,y\"", "null"])
        );
        assert_eq!(items("[]"), Some(vec![]));
        assert_eq!(items("{}"), None);
    }

    #[test]
    fn compact_keeps_numbers_and_writes_strings_in_style() {
        let text = "{ \"n\": 1.0e2, \"big\": 18446744073709551616,\n \"s\": \"caf\\u00e9 a/b \\t \\u001f \u{1F600}\" }";
        assert_eq!(
            compact(text, Style::Plain),
            "{\"n\":1.0e2,\"big\":18446744073709551616,\"s\":\"café a/b \\t \\u001f \u{1F600}\"}"
        );
        assert_eq!(
            compact(text, Style::Php),
            "{\"n\":1.0e2,\"big\":18446744073709551616,\"s\":\"caf\\u00e9 a\\/b \\t \\u001f \\ud83d\\ude00\"}"
        );
    }

    #[test]
    fn plain_strings_are_what_serde_json_writes() {
        for s in [
            "",
            "a\"b\\c",
            "\u{0}\u{1f}\u{7f}",
            "\u{2028}é",
            "tab\tnl\ncr\r\u{8}\u{c}",
        ] {
            assert_eq!(string(s, Style::Plain), serde_json::to_string(s).unwrap());
        }
    }
}
