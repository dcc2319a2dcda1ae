//! Reading specs and events: the checks every vendor module shares, each
//! reporting with a JSON Pointer into the input.

// The spec readers are built out of line, as error.rs says why. The four
// event readers at the end are not: each vendor's `prepare` calls them for
// every event.

use crate::error::{join, unknown_message, Code, Diagnostic, Error};
use crate::event::{At, State};
use crate::text::type_name;
use serde_json::{Map, Value};

/// Where the error count stood, to ask later whether a part of a spec
/// added errors (a part with errors compiles to nothing).
#[derive(Debug, Clone, Copy)]
pub struct Checkpoint(usize);

impl Checkpoint {
    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn new(diags: &[Diagnostic]) -> Checkpoint {
        Checkpoint(errors(diags))
    }

    /// Did any error diagnostic arrive since the checkpoint?
    #[inline(never)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn failed(self, diags: &[Diagnostic]) -> bool {
        errors(diags) > self.0
    }
}

#[inline(never)]
#[cfg_attr(hookmatch_package, optimize(size))]
fn errors(diags: &[Diagnostic]) -> usize {
    diags.iter().filter(|d| d.is_error()).count()
}

/// How a key the vendor does not know is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unknown {
    /// The vendor ignores it: a warning.
    Ignored,
    /// The vendor refuses the request: an error.
    Refused,
}

/// Report the keys of `obj` (at `path`) that are neither `known` nor
/// `silent` (read-only keys of the vendor's responses, accepted so a pasted
/// response still checks), naming the closest known key.
#[inline(never)]
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn unknown_keys(
    obj: &Map<String, Value>,
    path: &str,
    what: &str,
    known: &[&str],
    silent: &[&str],
    how: Unknown,
    diags: &mut Vec<Diagnostic>,
) {
    for key in obj.keys() {
        if known.contains(&key.as_str()) || silent.contains(&key.as_str()) {
            continue;
        }
        let base = unknown_message(what, key, known);
        let (diag, message): (fn(Code, String, String) -> Diagnostic, String) = match how {
            Unknown::Ignored => (Diagnostic::warning, format!("{base}; it is ignored")),
            Unknown::Refused => (Diagnostic::error, base),
        };
        diags.push(diag(Code::UnknownField, join(path, key), message));
    }
}

/// A required, non-empty string field.
#[inline(never)]
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn required_string<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<&'a str> {
    let path = || join("", key);
    match crate::json::field(obj, key) {
        Some(Value::String(s)) if !s.is_empty() => Some(s),
        Some(Value::String(_)) => {
            diags.push(Diagnostic::error(
                Code::EmptyField,
                path(),
                format!("{key} must not be empty"),
            ));
            None
        }
        None | Some(Value::Null) => {
            diags.push(Diagnostic::error(
                Code::MissingField,
                path(),
                format!("{key} is required"),
            ));
            None
        }
        Some(other) => {
            diags.push(Diagnostic::error(
                Code::InvalidType,
                path(),
                format!("{key} must be a string, got {}", type_name(other)),
            ));
            None
        }
    }
}

/// An optional field that must be a string when present (null is absent).
#[inline(never)]
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn optional_string<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<&'a str> {
    match crate::json::field(obj, key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(other) => {
            diags.push(Diagnostic::error(
                Code::InvalidType,
                join("", key),
                format!("{key} must be a string, got {}", type_name(other)),
            ));
            None
        }
    }
}

/// A required string that must be exactly one of `known`; anything else is
/// `code` with a "did you mean" hint naming the closest.
#[inline(never)]
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn required_choice<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    known: &[&str],
    code: Code,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<&'a str> {
    let value = required_string(obj, key, diags)?;
    if known.contains(&value) {
        return Some(value);
    }
    diags.push(Diagnostic::error(
        code,
        join("", key),
        unknown_message(what, value, known),
    ));
    None
}

/// A required http(s) URL field.
#[inline(never)]
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn url_field(
    obj: &Map<String, Value>,
    key: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let u = required_string(obj, key, diags)?;
    check_url(u, key, diags).then(|| u.to_string())
}

/// Is `u` an absolute http(s) URL? (An `invalid_url` error when not.)
#[inline(never)]
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn check_url(u: &str, key: &str, diags: &mut Vec<Diagnostic>) -> bool {
    match crate::urls::parse_http_url(u) {
        Ok(_) => true,
        Err(why) => {
            diags.push(Diagnostic::error(
                Code::InvalidUrl,
                join("", key),
                format!(
                    "{key} {} is not an absolute http(s) URL: {why}",
                    crate::text::quote_url(u)
                ),
            ));
            false
        }
    }
}

/// Warn when a target that passed [`check_url`] reaches a private or
/// loopback address the way curl or fetch read it (`http://１２７.０.０.１/`,
/// `http://127.1/`, `foo.localhost`, `127.0.0.1\@evil.example`), for the
/// vendors that document no check of their own: their servers send from
/// their own network, so such a target never reaches the subscriber and may
/// reach a host beside the sender. A warning, not an error: no vendor
/// document says it refuses these (hookmatch decision, docs/decisions.md).
/// With `allowPrivateNetworks` the caller says the sender is its own (an
/// edge router forwarding deliveries), and nothing is said.
#[inline(never)]
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn private_target(
    u: &str,
    key: &str,
    vendor: &str,
    ctx: &super::SpecContext,
    diags: &mut Vec<Diagnostic>,
) {
    if ctx.allow_private_networks {
        return;
    }
    let Ok(parsed) = crate::urls::parse_http_url(u) else {
        return;
    };
    if let Some(why) = crate::urls::reaches_private(u, parsed.host) {
        diags.push(Diagnostic::warning(
            Code::InsecureTarget,
            join("", key),
            format!("{key} reaches a private network: {why}. {vendor} sends deliveries from its own servers, so this target never reaches you and may reach a host beside the sender; use a public address (or compile with allowPrivateNetworks if you forward the deliveries yourself)"),
        ));
    }
}

/// A boolean that vendors also write as `"true"`/`"false"`.
#[inline(never)]
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn loose_bool(obj: &Map<String, Value>, key: &str, diags: &mut Vec<Diagnostic>) -> bool {
    match crate::json::field(obj, key) {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) if s == "true" => true,
        Some(Value::String(s)) if s == "false" => false,
        Some(other) => {
            diags.push(Diagnostic::error(
                Code::InvalidValue,
                join("", key),
                format!(
                    "{key} must be true or false, got {}",
                    crate::text::show(other)
                ),
            ));
            false
        }
    }
}

/// Copy the optional keys a spec has (null is absent) into its `toJSON`.
#[inline(never)]
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn copy_present(
    obj: &Map<String, Value>,
    keys: &[&'static str],
    normalized: &mut Vec<(&'static str, Value)>,
) {
    for key in keys {
        if let Some(v) = crate::json::field(obj, key).filter(|v| !v.is_null()) {
            normalized.push((key, v.clone()));
        }
    }
}

/// An event that must be a JSON object.
pub fn event_object<'a>(event: At<'a>, vendor: &str) -> Result<At<'a>, Error> {
    if event.is_object() {
        return Ok(event);
    }
    Err(Error::new(
        Code::InvalidEvent,
        format!(
            "a {vendor} event must be a JSON object, got {}",
            event.type_name()
        ),
    )
    .at(""))
}

/// A string member an event needs.
pub fn event_string<'a>(obj: At<'a>, key: &str, vendor: &str) -> Result<&'a str, Error> {
    match obj.get(key) {
        Some(v) => v.as_str().ok_or_else(|| {
            Error::new(
                Code::InvalidEvent,
                format!("{key} must be a string, got {}", v.type_name()),
            )
            .at(join("", key))
        }),
        None => Err(
            Error::new(Code::InvalidEvent, format!("a {vendor} event needs {key}"))
                .at(join("", key)),
        ),
    }
}

/// An object member of an event used as the state filters read; absent or
/// null is empty.
pub fn event_data<'a>(obj: At<'a>, key: &str) -> Result<State<'a>, Error> {
    match obj.get(key) {
        None => Ok(empty_state()),
        Some(v) if v.is_null() => Ok(empty_state()),
        Some(v) if v.is_object() => Ok(State::In(v)),
        Some(other) => Err(Error::new(
            Code::InvalidEvent,
            format!("{key} must be an object, got {}", other.type_name()),
        )
        .at(join("", key))),
    }
}

/// The state of an event that has none: `{}`, shared so a missing state
/// costs no allocation on every call.
pub fn empty_state<'a>() -> State<'a> {
    static EMPTY: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    State::In(At::Value(EMPTY.get_or_init(|| Value::Object(Map::new()))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_keys_warn_or_refuse_and_skip_silent_ones() {
        let obj = json!({"url": 1, "urll": 2, "id": 3});
        let obj = obj.as_object().unwrap();
        let mut diags = Vec::new();
        unknown_keys(
            obj,
            "",
            "field",
            &["url"],
            &["id"],
            Unknown::Ignored,
            &mut diags,
        );
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].path, "/urll");
        assert!(!diags[0].is_error());
        assert!(diags[0].message.contains("did you mean \"url\""));
        diags.clear();
        unknown_keys(
            obj,
            "/x",
            "field",
            &["url"],
            &[],
            Unknown::Refused,
            &mut diags,
        );
        let paths: Vec<_> = diags
            .iter()
            .map(|d| (d.path.as_str(), d.is_error()))
            .collect();
        assert_eq!(paths, [("/x/urll", true), ("/x/id", true)]);
    }

    #[test]
    fn a_checkpoint_sees_only_later_errors() {
        let mut diags = vec![Diagnostic::error(Code::MissingField, "", "x")];
        let cp = Checkpoint::new(&diags);
        diags.push(Diagnostic::warning(Code::UnknownField, "", "y"));
        assert!(!cp.failed(&diags));
        diags.push(Diagnostic::error(Code::InvalidType, "", "z"));
        assert!(cp.failed(&diags));
    }
}
