//! Errors and diagnostics: every bad input gets a stable `code`, a JSON Pointer
//! `path` where it points into the input, and a message a person can act on.

use serde::Serialize;

/// How bad a [`Diagnostic`] is. Errors stop `compile`; warnings never do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One finding about a spec, pointing at the place it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: &'static str,
    /// RFC 6901 JSON Pointer into the spec; `""` is the whole spec.
    pub path: String,
    pub message: String,
}

impl Diagnostic {
    pub fn error(code: &'static str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            path: path.into(),
            message: message.into(),
        }
    }

    pub fn warning(
        code: &'static str,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            code,
            path: path.into(),
            message: message.into(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// What went wrong, as a stable snake_case code. New kinds may be added.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Text that is not JSON, e.g. `{"objCode": }`.
    InvalidJson,
    /// A spec with at least one error diagnostic, e.g. `{"objCode":"PROJ"}` (no eventType).
    InvalidSpec,
    /// An event of the wrong shape, e.g. `42`, or a Workfront state whose base64 is not JSON.
    InvalidEvent,
    /// Base64 text with a character outside the alphabet, bad length or bad padding, e.g. `"ab$="`.
    InvalidBase64,
    /// A spec whose dialect cannot be told from its shape, e.g. `{"name":"x"}`.
    UnknownDialect,
    /// An input above the configured size limit.
    TooLarge,
    /// An argument of the wrong type or an option that does not exist, e.g. `preview(42)`.
    InvalidInput,
    /// An API that this build does not offer yet.
    NotImplemented,
}

impl ErrorKind {
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::InvalidJson => "invalid_json",
            ErrorKind::InvalidSpec => "invalid_spec",
            ErrorKind::InvalidEvent => "invalid_event",
            ErrorKind::InvalidBase64 => "invalid_base64",
            ErrorKind::UnknownDialect => "unknown_dialect",
            ErrorKind::TooLarge => "too_large",
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::NotImplemented => "not_implemented",
        }
    }
}

/// An error with its kind, the JSON Pointer it concerns (if any) and, for an
/// invalid spec, every diagnostic found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub path: Option<String>,
    pub message: String,
    pub diagnostics: Vec<Diagnostic>,
    /// 1-based line and column for JSON syntax errors (u32 keeps `Error`
    /// small enough to return by value everywhere).
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// Byte offset for base64 errors.
    pub offset: Option<u32>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            path: None,
            message: message.into(),
            diagnostics: Vec::new(),
            line: None,
            column: None,
            offset: None,
        }
    }

    pub fn at(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The error `compile` raises: the first error diagnostic's code, path and
    /// message, carrying all of them.
    pub fn from_diagnostics(diagnostics: Vec<Diagnostic>) -> Self {
        let first = diagnostics.iter().find(|d| d.is_error());
        let (path, message) = match first {
            Some(d) => (d.path.clone(), d.message.clone()),
            None => (String::new(), "invalid spec".to_string()),
        };
        Error {
            kind: ErrorKind::InvalidSpec,
            path: Some(path),
            message,
            diagnostics,
            line: None,
            column: None,
            offset: None,
        }
    }

    /// The code reported to JS. CONTRACT.md §1: compiling an invalid spec
    /// throws "with the first error diagnostic's code/path/message", so an
    /// invalid spec reports e.g. `unknown_comparison`, not `invalid_spec`.
    pub fn public_code(&self) -> &'static str {
        if self.kind == ErrorKind::InvalidSpec {
            if let Some(d) = self.diagnostics.iter().find(|d| d.is_error()) {
                return d.code;
            }
        }
        self.kind.code()
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// Escape one reference token for a JSON Pointer (RFC 6901 §3).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Append a token to a pointer. (Written out rather than `format!`: every
/// filter of every compiled spec makes one.)
pub fn join(path: &str, token: impl std::fmt::Display) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(path.len() + 16);
    out.push_str(path);
    out.push('/');
    let start = out.len();
    let _ = write!(out, "{token}");
    if let Some(escaped) = out
        .get(start..)
        .filter(|t| t.contains(['~', '/']))
        .map(escape_token)
    {
        out.truncate(start);
        out.push_str(&escaped);
    }
    out
}

/// The known name closest to `input` (for "did you mean"): case-insensitive
/// equality first, then the smallest edit distance within a third of the length.
pub fn suggest<'a>(input: &str, known: &[&'a str]) -> Option<&'a str> {
    if let Some(k) = known.iter().find(|k| k.eq_ignore_ascii_case(input)) {
        return Some(k);
    }
    let lower = input.to_ascii_lowercase();
    // "PROJECT" for "PROJ", "TASKS" for "TASK": a known name that starts the input.
    if let Some(k) = known
        .iter()
        .filter(|k| k.len() >= 3 && lower.starts_with(&k.to_ascii_lowercase()))
        .max_by_key(|k| k.len())
    {
        return Some(k);
    }
    let mut best: Option<(usize, usize, &'a str)> = None;
    for k in known {
        let d = edit_distance(&lower, &k.to_ascii_lowercase());
        let limit = (k.chars().count().max(3)) / 3 + 1;
        // Ties go to the name of the same length: "get" is a swap in "gte"
        // (the seed's own typo), not a letter too many in "gt".
        let len_gap = k.len().abs_diff(input.len());
        if d <= limit && best.is_none_or(|(bd, bg, _)| (d, len_gap) < (bd, bg)) {
            best = Some((d, len_gap, k));
        }
    }
    best.map(|(_, _, k)| k)
}

/// Optimal string alignment distance (edits plus adjacent swaps).
fn edit_distance(a: &str, b: &str) -> usize {
    // Long inputs cannot be a typo of a short keyword; cut them before the
    // quadratic loop so hostile 10 MB strings stay cheap.
    let a: Vec<char> = a.chars().take(64).collect();
    let b: Vec<char> = b.chars().take(64).collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (j, cell) in d.iter_mut().take(w).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        d[i * w] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j - 1] + cost)
                .min(d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

/// "unknown comparison \"get\"; did you mean \"gte\"?" and the like.
pub fn unknown_message(what: &str, input: &str, known: &[&str]) -> String {
    let shown = crate::text::quote_short(input);
    match suggest(input, known) {
        Some(s) => format!("unknown {what} {shown}; did you mean \"{s}\"?"),
        None => format!(
            "unknown {what} {shown}; expected one of {}",
            known.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        let cmp = ["eq", "ne", "gt", "gte", "lt", "lte", "contains"];
        assert_eq!(suggest("get", &cmp), Some("gte"));
        assert_eq!(suggest("EQ", &cmp), Some("eq"));
        assert_eq!(suggest("contain", &cmp), Some("contains"));
        assert_eq!(suggest("zzzzzzzz", &cmp), None);
    }

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(join("/a", "b/c~d"), "/a/b~1c~0d");
    }
}
