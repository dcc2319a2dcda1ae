//! Small text helpers for messages shown to people.

// The message helpers are built out of line, as error.rs says why: they run
// when a message is worded, never when an event is matched.

use serde_json::Value;

/// A user-supplied string quoted for a message, cut to 60 characters so a
/// 10 MB string never turns into a 10 MB message.
#[inline(never)]
pub fn quote_short(s: &str) -> String {
    const MAX: usize = 60;
    let mut out: String = s.chars().take(MAX).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    serde_json::to_string(&out).unwrap_or_else(|_| "\"?\"".to_string())
}

/// A character quoted for a message: itself between double quotes when it
/// is visible ASCII, and with its code point too when it is not (an
/// invisible or look-alike character must be findable). Not `{:?}`: Rust's
/// escaping brings core's Unicode tables into the wasm.
#[inline(never)]
pub fn quote_char(c: char) -> String {
    if c.is_ascii_graphic() {
        quote_short(c.encode_utf8(&mut [0; 4]))
    } else {
        format!(
            "{} (U+{:04X})",
            quote_short(c.encode_utf8(&mut [0; 4])),
            c as u32
        )
    }
}

/// A URL quoted for a message with the parts that may carry a secret left
/// out: the user information (`user:password@`), the query (Kanboard's
/// `?token=`, a signed link's key) and the fragment each become `…`. A
/// diagnostic must be safe to show, log and paste.
#[inline(never)]
pub fn quote_url(u: &str) -> String {
    let mut out = String::with_capacity(u.len().min(80));
    let (head, tail) = match u.find(['?', '#']) {
        Some(i) => u.split_at(i),
        None => (u, ""),
    };
    let authority_start = head.find("://").map_or(0, |i| i + 3);
    let authority_end = head[authority_start..]
        .find(['/', '\\'])
        .map_or(head.len(), |i| authority_start + i);
    match head[authority_start..authority_end].rfind('@') {
        Some(at) => {
            out.push_str(&head[..authority_start]);
            out.push_str("…@");
            out.push_str(&head[authority_start + at + 1..]);
        }
        None => out.push_str(head),
    }
    if tail.starts_with('?') {
        out.push_str("?…");
    }
    if tail.contains('#') {
        out.push_str("#…");
    }
    quote_short(&out)
}

/// A JSON value rendered for a message, cut like [`quote_short`].
#[inline(never)]
pub fn show(v: &Value) -> String {
    match v {
        Value::String(s) => quote_short(s),
        other => {
            // Not crate::json::text: json names error, which names text.
            let text = serde_json::to_string(other).unwrap_or_default();
            if text.chars().count() > 80 {
                let cut: String = text.chars().take(80).collect();
                format!("{cut}…")
            } else {
                text
            }
        }
    }
}

/// The JSON type name used in messages ("expected a string, got a number").
#[inline(never)]
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::quote_url;

    #[test]
    fn a_quoted_url_keeps_no_secret() {
        assert_eq!(
            quote_url("htps://user:s3cret@h.example/p?token=abc#frag"),
            "\"htps://…@h.example/p?…#…\""
        );
        assert_eq!(quote_url("https://h.example/x"), "\"https://h.example/x\"");
        assert_eq!(quote_url("h.example/a@b?token=t"), "\"h.example/a@b?…\"");
        assert_eq!(quote_url("https://h.example#t"), "\"https://h.example#…\"");
    }
}
