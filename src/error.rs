//! Errors and diagnostics: every bad input gets a stable `code`, a JSON Pointer
//! `path` where it points into the input, and a message a person can act on.

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
    pub fn syntax(e: &Error) -> Self {
        Diagnostic {
            line: e.line,
            column: e.column,
            ..Diagnostic::error(Code::InvalidJson, "", e.message.clone())
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Every stable code hookmatch reports: thrown errors' `code` and
/// diagnostics' `code`, one enum (the TypeScript union `ErrorCode` and the
/// README's list are generated from [`Code::ALL`] by `tests/typescript.rs`).
/// New codes may be added; none is renamed.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    // --- thrown
    /// Text that is not JSON, e.g. `{"objCode": }` (with `line` and `column`).
    InvalidJson,
    /// A spec with at least one error diagnostic (`compile` reports the first diagnostic's own code).
    InvalidSpec,
    /// An event of the wrong shape, e.g. `42`, or a Workfront state whose base64 is not JSON.
    InvalidEvent,
    /// Base64 text with a character outside the alphabet, bad length or bad padding (with the byte `offset`).
    InvalidBase64,
    /// A spec whose dialect cannot be told from its shape, or a `dialect` option that names none.
    UnknownDialect,
    /// An input (or, in a stream, a line) above the input limit (`setLimits`).
    TooLarge,
    /// Misuse: an argument of the wrong type, or an option that does not exist.
    InvalidInput,
    /// A method of a `Subscription` or `SubscriptionSet` called after `free()`.
    Freed,
    // --- error diagnostics
    /// A spec field of the wrong JSON type.
    InvalidType,
    /// A required spec field is absent.
    MissingField,
    /// A required string is empty.
    EmptyField,
    /// A filter's `fieldName` is empty.
    EmptyFieldName,
    /// A target that is not an absolute http(s) URL.
    InvalidUrl,
    /// A value outside what the field takes (e.g. `base64Encoding`).
    InvalidValue,
    /// A key the vendor does not take: an error where the vendor refuses it (Workfront's top level), else a warning.
    UnknownField,
    /// A Workfront `objCode` not on Adobe's lists.
    UnknownObjCode,
    /// A Workfront `eventType` other than CREATE, DELETE, UPDATE.
    UnknownEventType,
    /// A connector other than AND or OR.
    UnknownConnector,
    /// A comparison outside Workfront's ten.
    UnknownComparison,
    /// A filter `state`, or a ricloud config `state`, that does not exist.
    UnknownState,
    /// `oldState` in a filter of a CREATE subscription.
    OldStateOnCreate,
    /// A `fieldValue` its comparison cannot use.
    InvalidFieldValue,
    /// A `/`-field name that is not an RFC 6901 pointer.
    InvalidPointer,
    /// A filter `type` other than `group`.
    UnknownFilterType,
    /// A filter group with fewer than 2 filters.
    GroupTooSmall,
    /// A filter group with more than 5 filters.
    GroupTooLarge,
    /// A group inside a group.
    NestedGroup,
    /// More than 10 filter groups.
    TooManyGroups,
    /// A target the vendor refuses (Asana's 403 hosts; Kanboard's private networks).
    ForbiddenTarget,
    /// An Asana filter action outside changed, added, removed, deleted, undeleted.
    UnknownAction,
    /// Asana `fields` without `action: "changed"`.
    FieldsNeedChanged,
    /// Asana `fields` on a webhook on a team, portfolio or workspace.
    FieldsUnsupported,
    /// An Asana webhook on a team, portfolio or workspace without filters.
    FiltersRequired,
    /// An event name the vendor never sends (Kanboard, R-Service).
    UnknownEvent,
    /// A Kanboard `events` list that is empty.
    EmptyEvents,
    /// A value over the vendor's length limit (a warning for Workfront's authToken).
    TooLong,
    /// An R-Service `mail_exceptions_to` entry that is not an e-mail address.
    InvalidEmail,
    /// A ricloud update that sets a state only ricloud sets.
    StateNotSettable,
    /// A ricloud update of a field that cannot change.
    ReadOnlyField,
    /// A set entry without a string id or a spec.
    InvalidEntry,
    /// A set entry whose id is already used.
    DuplicateId,
    // --- warning diagnostics
    /// A field Workfront documents as not filterable.
    UnfilterableField,
    /// A `fieldValue` that `changed` ignores.
    IgnoredFieldValue,
    /// `changed` on a CREATE subscription (the old state is empty).
    ChangedOnCreate,
    /// A plain-http Asana target.
    InsecureTarget,
    /// Filters on a vendor that does not filter: the receiver must run them.
    ReceiverSideFilter,
    /// A Kanboard event listed twice.
    DuplicateEvent,
    /// A Kanboard event under its old name (`file.create`).
    RenamedEvent,
    /// A Kanboard URL with a fragment: the token lands after it and is never sent.
    TokenAfterFragment,
    /// An Asana filter for events that never reach a higher-level webhook.
    NeverDelivered,
    /// A masked `authToken` (`****…`), as GET responses show it.
    MaskedSecret,
    /// An R-Service webhook policy signature the preview cannot show.
    UnsignedPreview,
    /// A ricloud `date_created` that is not a date-time.
    InvalidDate,
    // --- analysis findings (lint, set.lint): warnings
    /// No event can fire the subscription (the message names the conflicting checks).
    NeverMatches,
    /// A filter or group that every event passes.
    AlwaysPasses,
    /// A filter implied by another under AND, or implying another under OR.
    RedundantFilter,
    /// A filter written twice in the same list.
    DuplicateFilter,
    /// Two set members equal in every field the vendor compares.
    DuplicateSubscription,
    /// Two set members with the same target that both fire for one event.
    OverlappingDelivery,
    /// A question the analysis could not decide within its work bound or
    /// for comparisons its search is not exact for: nothing was claimed.
    AnalysisIncomplete,
}

impl Code {
    /// Every code, in the order of the enum.
    pub const ALL: &[Code] = &[
        Code::InvalidJson,
        Code::InvalidSpec,
        Code::InvalidEvent,
        Code::InvalidBase64,
        Code::UnknownDialect,
        Code::TooLarge,
        Code::InvalidInput,
        Code::Freed,
        Code::InvalidType,
        Code::MissingField,
        Code::EmptyField,
        Code::EmptyFieldName,
        Code::InvalidUrl,
        Code::InvalidValue,
        Code::UnknownField,
        Code::UnknownObjCode,
        Code::UnknownEventType,
        Code::UnknownConnector,
        Code::UnknownComparison,
        Code::UnknownState,
        Code::OldStateOnCreate,
        Code::InvalidFieldValue,
        Code::InvalidPointer,
        Code::UnknownFilterType,
        Code::GroupTooSmall,
        Code::GroupTooLarge,
        Code::NestedGroup,
        Code::TooManyGroups,
        Code::ForbiddenTarget,
        Code::UnknownAction,
        Code::FieldsNeedChanged,
        Code::FieldsUnsupported,
        Code::FiltersRequired,
        Code::UnknownEvent,
        Code::EmptyEvents,
        Code::TooLong,
        Code::InvalidEmail,
        Code::StateNotSettable,
        Code::ReadOnlyField,
        Code::InvalidEntry,
        Code::DuplicateId,
        Code::UnfilterableField,
        Code::IgnoredFieldValue,
        Code::ChangedOnCreate,
        Code::InsecureTarget,
        Code::ReceiverSideFilter,
        Code::DuplicateEvent,
        Code::RenamedEvent,
        Code::TokenAfterFragment,
        Code::NeverDelivered,
        Code::MaskedSecret,
        Code::UnsignedPreview,
        Code::InvalidDate,
        Code::NeverMatches,
        Code::AlwaysPasses,
        Code::RedundantFilter,
        Code::DuplicateFilter,
        Code::DuplicateSubscription,
        Code::OverlappingDelivery,
        Code::AnalysisIncomplete,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::InvalidJson => "invalid_json",
            Code::InvalidSpec => "invalid_spec",
            Code::InvalidEvent => "invalid_event",
            Code::InvalidBase64 => "invalid_base64",
            Code::UnknownDialect => "unknown_dialect",
            Code::TooLarge => "too_large",
            Code::InvalidInput => "invalid_input",
            Code::Freed => "freed",
            Code::InvalidType => "invalid_type",
            Code::MissingField => "missing_field",
            Code::EmptyField => "empty_field",
            Code::EmptyFieldName => "empty_field_name",
            Code::InvalidUrl => "invalid_url",
            Code::InvalidValue => "invalid_value",
            Code::UnknownField => "unknown_field",
            Code::UnknownObjCode => "unknown_obj_code",
            Code::UnknownEventType => "unknown_event_type",
            Code::UnknownConnector => "unknown_connector",
            Code::UnknownComparison => "unknown_comparison",
            Code::UnknownState => "unknown_state",
            Code::OldStateOnCreate => "old_state_on_create",
            Code::InvalidFieldValue => "invalid_field_value",
            Code::InvalidPointer => "invalid_pointer",
            Code::UnknownFilterType => "unknown_filter_type",
            Code::GroupTooSmall => "group_too_small",
            Code::GroupTooLarge => "group_too_large",
            Code::NestedGroup => "nested_group",
            Code::TooManyGroups => "too_many_groups",
            Code::ForbiddenTarget => "forbidden_target",
            Code::UnknownAction => "unknown_action",
            Code::FieldsNeedChanged => "fields_need_changed",
            Code::FieldsUnsupported => "fields_unsupported",
            Code::FiltersRequired => "filters_required",
            Code::UnknownEvent => "unknown_event",
            Code::EmptyEvents => "empty_events",
            Code::TooLong => "too_long",
            Code::InvalidEmail => "invalid_email",
            Code::StateNotSettable => "state_not_settable",
            Code::ReadOnlyField => "read_only_field",
            Code::InvalidEntry => "invalid_entry",
            Code::DuplicateId => "duplicate_id",
            Code::UnfilterableField => "unfilterable_field",
            Code::IgnoredFieldValue => "ignored_field_value",
            Code::ChangedOnCreate => "changed_on_create",
            Code::InsecureTarget => "insecure_target",
            Code::ReceiverSideFilter => "receiver_side_filter",
            Code::DuplicateEvent => "duplicate_event",
            Code::RenamedEvent => "renamed_event",
            Code::TokenAfterFragment => "token_after_fragment",
            Code::NeverDelivered => "never_delivered",
            Code::MaskedSecret => "masked_secret",
            Code::UnsignedPreview => "unsigned_preview",
            Code::InvalidDate => "invalid_date",
            Code::NeverMatches => "never_matches",
            Code::AlwaysPasses => "always_passes",
            Code::RedundantFilter => "redundant_filter",
            Code::DuplicateFilter => "duplicate_filter",
            Code::DuplicateSubscription => "duplicate_subscription",
            Code::OverlappingDelivery => "overlapping_delivery",
            Code::AnalysisIncomplete => "analysis_incomplete",
        }
    }

    /// Kept for the old name: [`Code::as_str`].
    pub fn code(self) -> &'static str {
        self.as_str()
    }

    /// How the code is reported: `"thrown"`, or a diagnostic's usual severity.
    pub fn group(self) -> &'static str {
        match self {
            Code::InvalidJson
            | Code::InvalidSpec
            | Code::InvalidEvent
            | Code::InvalidBase64
            | Code::UnknownDialect
            | Code::TooLarge
            | Code::InvalidInput
            | Code::Freed => "thrown",
            Code::InvalidType
            | Code::MissingField
            | Code::EmptyField
            | Code::EmptyFieldName
            | Code::InvalidUrl
            | Code::InvalidValue
            | Code::UnknownField
            | Code::UnknownObjCode
            | Code::UnknownEventType
            | Code::UnknownConnector
            | Code::UnknownComparison
            | Code::UnknownState
            | Code::OldStateOnCreate
            | Code::InvalidFieldValue
            | Code::InvalidPointer
            | Code::UnknownFilterType
            | Code::GroupTooSmall
            | Code::GroupTooLarge
            | Code::NestedGroup
            | Code::TooManyGroups
            | Code::ForbiddenTarget
            | Code::UnknownAction
            | Code::FieldsNeedChanged
            | Code::FieldsUnsupported
            | Code::FiltersRequired
            | Code::UnknownEvent
            | Code::EmptyEvents
            | Code::TooLong
            | Code::InvalidEmail
            | Code::StateNotSettable
            | Code::ReadOnlyField
            | Code::InvalidEntry
            | Code::DuplicateId => "error",
            Code::UnfilterableField
            | Code::IgnoredFieldValue
            | Code::ChangedOnCreate
            | Code::InsecureTarget
            | Code::ReceiverSideFilter
            | Code::DuplicateEvent
            | Code::RenamedEvent
            | Code::TokenAfterFragment
            | Code::NeverDelivered
            | Code::MaskedSecret
            | Code::UnsignedPreview
            | Code::InvalidDate
            | Code::NeverMatches
            | Code::AlwaysPasses
            | Code::RedundantFilter
            | Code::DuplicateFilter
            | Code::DuplicateSubscription
            | Code::OverlappingDelivery
            | Code::AnalysisIncomplete => "warning",
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Code {
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

    pub fn at(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The same error about a part of a larger input: `prefix` (e.g.
    /// `/before`) before its path and its diagnostics' paths.
    pub fn under(mut self, prefix: &str) -> Self {
        self.path = Some(format!("{prefix}{}", self.path.as_deref().unwrap_or("")));
        for d in &mut self.diagnostics {
            d.path = format!("{prefix}{}", d.path);
        }
        self
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
