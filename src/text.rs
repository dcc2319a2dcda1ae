//! Small text helpers for messages shown to people.

use serde_json::Value;

/// A user-supplied string quoted for a message, cut to 60 characters so a
/// 10 MB string never turns into a 10 MB message.
pub fn quote_short(s: &str) -> String {
    const MAX: usize = 60;
    let mut out: String = s.chars().take(MAX).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    serde_json::to_string(&out).unwrap_or_else(|_| "\"?\"".to_string())
}

/// A JSON value rendered for a message, cut like [`quote_short`].
pub fn show(v: &Value) -> String {
    match v {
        Value::String(s) => quote_short(s),
        other => {
            let text = other.to_string();
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
