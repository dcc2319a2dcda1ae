//! Errors and diagnostics: every bad input gets a stable `code`, a JSON Pointer
//! `path` where it points into the input, and a message a person can act on.

// Every function here is built out of line (`#[inline(never)]`). Errors
// and diagnostics are made at several hundred places in the compile rules,
// and at opt-level 3 LLVM inlined each constructor, with its `Into<String>`
// conversions, at every one of them. Out of line, with the message helpers
// of text.rs and the spec readers of options.rs, filters.rs,
// dialect/spec.rs and set/entries.rs alike, the core module is 17 KB raw,
// 5.2 KB gzipped smaller (docs/performance.md, "Weight"). None of them is
// on a path that matches an event.

use serde::Serialize;

/// How bad a [`Diagnostic`] is. Errors stop `compile`; warnings never do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One finding about a spec, pointing at the place it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Diagnostic {
    pub severity: Severity,
    #[cfg_attr(test, ts(type = "ErrorCode"))]
    pub code: Code,
    /// RFC 6901 JSON Pointer into the spec; `""` is the whole spec.
    pub path: String,
    pub message: String,
    /// 1-based line of a syntax error in JSON text (`invalid_json`), for
    /// editors; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub line: Option<u32>,
    /// 1-based column of that syntax error.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub column: Option<u32>,
}

impl Diagnostic {
    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn error(code: Code, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            path: path.into(),
            message: message.into(),
            line: None,
            column: None,
        }
    }

    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn warning(code: Code, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            code,
            path: path.into(),
            message: message.into(),
            line: None,
            column: None,
        }
    }

    /// The `invalid_json` diagnostic of a syntax error, with its place.
    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn syntax(e: &Error) -> Self {
        Diagnostic {
            line: e.line,
            column: e.column,
            ..Diagnostic::error(Code::InvalidJson, "", e.message.clone())
        }
    }

    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The one table of codes: each entry is `(Variant, "wire_name", group,
/// "doc")`, written once. The enum, [`Code::ALL`] (in the table's order, which
/// is the order of the generated `ErrorCode` union and of the README's list),
/// [`Code::as_str`] and [`Code::group`] all come from it, so a code cannot be
/// added to one and forgotten in another.
macro_rules! codes {
    ($(($variant:ident, $name:literal, $group:ident, $doc:literal)),* $(,)?) => {
        /// Every stable code hookmatch reports: thrown errors' `code` and
        /// diagnostics' `code`, one enum (the TypeScript union `ErrorCode` and
        /// the README's list are generated from [`Code::ALL`] by
        /// `src/typescript.rs`). New codes may be added; none is renamed.
        #[non_exhaustive]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $(#[doc = $doc] $variant,)*
        }

        impl Code {
            /// Every code, in the order of the enum.
            pub const ALL: &[Code] = &[$(Code::$variant),*];

            /// The stable name reported to JS, e.g. `"invalid_json"`.
            #[inline(never)]
            #[cfg_attr(hookmatch_package, optimize(size))]
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// How the code is reported: `"thrown"`, or a diagnostic's usual severity.
            #[inline(never)]
            #[cfg_attr(hookmatch_package, optimize(size))]
            pub fn group(self) -> &'static str {
                match self {
                    $(Code::$variant => code_group!($group),)*
                }
            }
        }
    };
}

/// A table entry's group, spelled out: a group other than these three does
/// not compile (the README's list has exactly these sections).
macro_rules! code_group {
    (thrown) => {
        "thrown"
    };
    (error) => {
        "error"
    };
    (warning) => {
        "warning"
    };
}

codes! {
    // --- thrown
    (InvalidJson, "invalid_json", thrown, "Text that is not JSON, e.g. `{\"objCode\": }` (with `line` and `column`)."),
    (InvalidSpec, "invalid_spec", thrown, "A spec with at least one error diagnostic (`compile` reports the first diagnostic's own code)."),
    (InvalidEvent, "invalid_event", thrown, "An event of the wrong shape, e.g. `42`, or a Workfront state whose base64 is not JSON."),
    (InvalidBase64, "invalid_base64", thrown, "Base64 text with a character outside the alphabet, bad length or bad padding (with the byte `offset`)."),
    (UnknownDialect, "unknown_dialect", thrown, "A spec whose dialect cannot be told from its shape, or a `dialect` option that names none."),
    (TooLarge, "too_large", thrown, "An input (or, in a stream, a line) above the input limit (`setLimits`)."),
    (InvalidInput, "invalid_input", thrown, "Misuse: an argument of the wrong type, or an option that does not exist."),
    (Freed, "freed", thrown, "A method of a `Subscription` or `SubscriptionSet` called after `free()`, or made before the module restarted (`internal`)."),
    (Internal, "internal", thrown, "A defect trapped the WebAssembly module (no input should reach one): the runtime started a fresh module, so later calls work and objects made before it throw `freed`."),
    // --- error diagnostics
    (InvalidType, "invalid_type", error, "A spec field of the wrong JSON type."),
    (MissingField, "missing_field", error, "A required spec field is absent."),
    (EmptyField, "empty_field", error, "A required string is empty."),
    (EmptyFieldName, "empty_field_name", error, "A filter's `fieldName` is empty."),
    (InvalidUrl, "invalid_url", error, "A target that is not an absolute http(s) URL."),
    (InvalidValue, "invalid_value", error, "A value outside what the field takes (e.g. `base64Encoding`)."),
    (UnknownField, "unknown_field", error, "A key the vendor does not take: an error where the vendor refuses it (Workfront's top level), else a warning."),
    (UnknownObjCode, "unknown_obj_code", error, "A Workfront `objCode` not on Adobe's lists."),
    (UnknownEventType, "unknown_event_type", error, "A Workfront `eventType` other than CREATE, DELETE, UPDATE."),
    (UnknownConnector, "unknown_connector", error, "A connector other than AND or OR."),
    (UnknownComparison, "unknown_comparison", error, "A comparison outside Workfront's ten."),
    (UnknownState, "unknown_state", error, "A filter `state`, or a ricloud config `state`, that does not exist."),
    (OldStateOnCreate, "old_state_on_create", error, "`oldState` in a filter of a CREATE subscription."),
    (InvalidFieldValue, "invalid_field_value", error, "A `fieldValue` its comparison cannot use."),
    (InvalidPointer, "invalid_pointer", error, "A `/`-field name that is not an RFC 6901 pointer."),
    (UnknownFilterType, "unknown_filter_type", error, "A filter `type` other than `group`."),
    (GroupTooSmall, "group_too_small", error, "A filter group with fewer than 2 filters."),
    (GroupTooLarge, "group_too_large", error, "A filter group with more than 5 filters."),
    (NestedGroup, "nested_group", error, "A group inside a group."),
    (TooManyGroups, "too_many_groups", error, "More than 10 filter groups."),
    (ForbiddenTarget, "forbidden_target", error, "A target the vendor refuses (Asana's 403 hosts; Kanboard's private networks)."),
    (UnknownAction, "unknown_action", error, "An Asana filter action outside changed, added, removed, deleted, undeleted."),
    (FieldsNeedChanged, "fields_need_changed", error, "Asana `fields` without `action: \"changed\"`."),
    (FieldsUnsupported, "fields_unsupported", error, "Asana `fields` on a webhook on a team, portfolio or workspace."),
    (FiltersRequired, "filters_required", error, "An Asana webhook on a team, portfolio or workspace without filters."),
    (UnknownEvent, "unknown_event", error, "An event name the vendor never sends (Kanboard, R-Service)."),
    (EmptyEvents, "empty_events", error, "A Kanboard `events` list that is empty."),
    (TooLong, "too_long", error, "A value over the vendor's length limit (a warning for Workfront's authToken)."),
    (InvalidEmail, "invalid_email", error, "An R-Service `mail_exceptions_to` entry that is not an e-mail address."),
    (StateNotSettable, "state_not_settable", error, "A ricloud update that sets a state only ricloud sets."),
    (ReadOnlyField, "read_only_field", error, "A ricloud update of a field that cannot change."),
    (InvalidEntry, "invalid_entry", error, "A set entry without a string id or a spec."),
    (DuplicateId, "duplicate_id", error, "A set entry whose id is already used."),
    // --- warning diagnostics
    (UnfilterableField, "unfilterable_field", warning, "A field Workfront documents as not filterable."),
    (IgnoredFieldValue, "ignored_field_value", warning, "A `fieldValue` that `changed` ignores."),
    (ChangedOnCreate, "changed_on_create", warning, "`changed` on a CREATE subscription (the old state is empty)."),
    (InsecureTarget, "insecure_target", warning, "A plain-http Asana target, or a target that curl or fetch sends to a private or loopback address."),
    (ReceiverSideFilter, "receiver_side_filter", warning, "Filters on a vendor that does not filter: the receiver must run them."),
    (DuplicateEvent, "duplicate_event", warning, "A Kanboard event listed twice."),
    (RenamedEvent, "renamed_event", warning, "A Kanboard event under its old name (`file.create`)."),
    (TokenAfterFragment, "token_after_fragment", warning, "A Kanboard URL with a fragment: the token lands after it and is never sent."),
    (NeverDelivered, "never_delivered", warning, "An Asana filter for events that never reach a higher-level webhook."),
    (MaskedSecret, "masked_secret", warning, "A masked `authToken` (`****…`), as GET responses show it."),
    (UnsignedPreview, "unsigned_preview", warning, "An R-Service webhook policy signature the preview cannot show."),
    (InvalidDate, "invalid_date", warning, "A ricloud `date_created` that is not a date-time."),
    // --- analysis findings (lint, set.lint): warnings
    (NeverMatches, "never_matches", warning, "No event can fire the subscription (the message names the conflicting checks)."),
    (AlwaysPasses, "always_passes", warning, "A filter or group that every event passes."),
    (RedundantFilter, "redundant_filter", warning, "A filter implied by another under AND, or implying another under OR."),
    (DuplicateFilter, "duplicate_filter", warning, "A filter written twice in the same list."),
    (DuplicateSubscription, "duplicate_subscription", warning, "Two set members equal in every field the vendor compares."),
    (OverlappingDelivery, "overlapping_delivery", warning, "Two set members with the same target that both fire for one event."),
    (AnalysisIncomplete, "analysis_incomplete", warning, "A question the analysis could not decide within its work bound or for comparisons its search is not exact for: nothing was claimed."),
}

impl std::fmt::Display for Code {
    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Code {
    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// An error with its kind, the JSON Pointer it concerns (if any) and, for an
/// invalid spec, every diagnostic found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: Code,
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
    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn new(kind: Code, message: impl Into<String>) -> Self {
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

    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn at(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn code(&self) -> &'static str {
        self.kind.as_str()
    }

    /// The same error about a part of a larger input: `prefix` (e.g.
    /// `/before`) before its path and its diagnostics' paths.
    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn under(mut self, prefix: &str) -> Self {
        self.path = Some(format!("{prefix}{}", self.path.as_deref().unwrap_or("")));
        for d in &mut self.diagnostics {
            d.path = format!("{prefix}{}", d.path);
        }
        self
    }

    /// The error `compile` raises: the first error diagnostic's code, path and
    /// message, carrying all of them.
    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn from_diagnostics(diagnostics: Vec<Diagnostic>) -> Self {
        let first = diagnostics.iter().find(|d| d.is_error());
        let (path, message) = match first {
            Some(d) => (d.path.clone(), d.message.clone()),
            None => (String::new(), "invalid spec".to_string()),
        };
        Error {
            kind: Code::InvalidSpec,
            path: Some(path),
            message,
            diagnostics,
            line: None,
            column: None,
            offset: None,
        }
    }

    /// The code reported to JS. docs/api.md: compiling an invalid spec
    /// throws "with the first error diagnostic's code/path/message", so an
    /// invalid spec reports e.g. `unknown_comparison`, not `invalid_spec`.
    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn public_code(&self) -> Code {
        if self.kind == Code::InvalidSpec {
            if let Some(d) = self.diagnostics.iter().find(|d| d.is_error()) {
                return d.code;
            }
        }
        self.kind
    }
}

impl std::fmt::Display for Error {
    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// Escape one reference token for a JSON Pointer (RFC 6901 §3).
#[inline(never)]
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Append a token to a pointer. (Written out rather than `format!`: every
/// filter of every compiled spec makes one.)
#[inline(never)]
#[cfg_attr(hookmatch_package, optimize(size))]
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
#[inline(never)]
#[cfg_attr(hookmatch_package, optimize(size))]
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
#[inline(never)]
#[cfg_attr(hookmatch_package, optimize(size))]
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
#[inline(never)]
#[cfg_attr(hookmatch_package, optimize(size))]
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
    fn every_code_has_its_own_snake_case_name() {
        // The table makes a copied line easy; two codes with one name would
        // make them indistinguishable to JS.
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            let name = c.as_str();
            assert!(seen.insert(name), "{name} is used twice");
            assert!(
                name.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{name} is not snake_case"
            );
        }
    }

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(join("/a", "b/c~d"), "/a/b~1c~0d");
    }
}
