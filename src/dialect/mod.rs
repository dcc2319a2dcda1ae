//! Dialect adapters: each maps its vendor's spec onto the shared [`Plan`] and
//! its vendor's event onto the shared [`Event`] view. None of them compares
//! values; that is [`crate::eval`]'s job alone.

pub mod asana;
pub mod kanboard;
pub mod ricloud;
pub mod rservice;
pub mod workfront;

use crate::doc::{At, State};
use crate::error::{unknown_message, Diagnostic, Error, ErrorKind};
use crate::plan::Plan;
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    Workfront,
    Asana,
    Kanboard,
    RService,
    Ricloud,
}

impl Dialect {
    pub const NAMES: [&'static str; 5] = ["workfront", "asana", "kanboard", "rservice", "ricloud"];

    pub fn name(self) -> &'static str {
        match self {
            Dialect::Workfront => "workfront",
            Dialect::Asana => "asana",
            Dialect::Kanboard => "kanboard",
            Dialect::RService => "rservice",
            Dialect::Ricloud => "ricloud",
        }
    }

    /// The `dialect` option; an unknown name is misuse and throws.
    pub fn parse(s: &str) -> Result<Dialect, Error> {
        Ok(match s {
            "workfront" => Dialect::Workfront,
            "asana" => Dialect::Asana,
            "kanboard" => Dialect::Kanboard,
            "rservice" => Dialect::RService,
            "ricloud" => Dialect::Ricloud,
            other => {
                return Err(Error::new(
                    ErrorKind::UnknownDialect,
                    unknown_message("dialect", other, &Dialect::NAMES),
                ))
            }
        })
    }

    /// CONTRACT.md §1: tell the dialect from the spec's shape.
    pub fn detect(spec: &Value) -> Result<Dialect, Error> {
        let Some(obj) = spec.as_object() else {
            return Err(unknown_dialect("the spec is not a JSON object"));
        };
        // One pass over the keys instead of a hashed lookup per name: detection
        // runs for every entry of a set, and in wasm each lookup hashes its key.
        let (mut resource, mut filters) = (None, None);
        let mut keys = 0u16;
        for (k, v) in obj {
            match k.as_str() {
                "resource" => resource = Some(v),
                "filters" => filters = Some(v),
                k => keys |= detection_bit(k),
            }
        }
        let has = |k: &str| keys & detection_bit(k) != 0;
        let asana_filters = filters.and_then(Value::as_array).is_some_and(|fs| {
            fs.iter()
                .filter_map(Value::as_object)
                .any(|f| crate::json::field(f, "resource_type").is_some())
        });
        let mut found = Vec::new();
        if has("objCode") {
            found.push(Dialect::Workfront);
        }
        // ricloud's responses tag themselves `"resource": "webhook_config"`;
        // that is not an Asana resource gid.
        let asana_resource = resource.is_some_and(|r| r != "webhook_config");
        if has("target") || asana_resource || asana_filters {
            found.push(Dialect::Asana);
        }
        if has("event") && has("uri") {
            found.push(Dialect::RService);
        }
        let ricloud = has("url") && (has("secret") || has("state") || has("organisation"));
        if ricloud {
            found.push(Dialect::Ricloud);
        }
        if has("url") && (has("token") || has("events")) && !has("objCode") {
            found.push(Dialect::Kanboard);
        }
        match found.as_slice() {
            [one] => Ok(*one),
            [] => Err(unknown_dialect("no dialect's required fields are present")),
            many => {
                let names: Vec<&str> = many.iter().map(|d| d.name()).collect();
                Err(unknown_dialect(&format!(
                    "the spec looks like more than one dialect ({})",
                    names.join(", ")
                )))
            }
        }
    }
}

/// A bit per key [`Dialect::detect`] looks for (0 for any other key).
fn detection_bit(key: &str) -> u16 {
    const KEYS: [&str; 10] = [
        "objCode",
        "target",
        "event",
        "uri",
        "url",
        "secret",
        "state",
        "organisation",
        "token",
        "events",
    ];
    KEYS.iter().position(|k| *k == key).map_or(0, |i| 1 << i)
}

fn unknown_dialect(why: &str) -> Error {
    Error::new(
        ErrorKind::UnknownDialect,
        format!(
            "cannot tell the dialect: {why}. Pass {{ dialect }} or give the fields of one: \
             workfront needs objCode, eventType, url, authToken; \
             asana needs resource and target; \
             kanboard needs url and token (or events); \
             rservice needs event and uri; \
             ricloud needs url and secret, state or organisation"
        ),
    )
    .at("")
}

/// What the evaluator sees of an event: the whole document, and the two
/// states filters read (`newState`/`oldState` for Workfront; the event's data
/// as the new state for dialects that have only one).
#[derive(Debug)]
pub struct Event<'a> {
    pub root: At<'a>,
    pub new_state: State<'a>,
    pub old_state: State<'a>,
}

/// A spec compiled by its adapter: the plan, the spec as normalized for
/// `toJSON` (secrets redacted), and the dialect's own delivery settings.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub plan: Plan,
    pub normalized: Normalized,
    pub delivery: DeliverySettings,
}

/// The normalized spec without the plan's filters, and where they go: the
/// filters are written from the plan when `toJSON` asks, not at compile
/// (building them was a fifth of compiling a set, and few specs are ever
/// shown).
#[derive(Debug, Clone)]
pub struct Normalized {
    /// In `toJSON`'s order; keys are the dialect's own names, so the map
    /// (and its key strings) is built only when asked for.
    pub fields: Vec<(&'static str, Value)>,
    /// The position of `filters` and `filterConnector` among `fields`;
    /// `None` when the plan's entries are not shown (no filters, or a
    /// dialect that writes its own, like Asana).
    pub filters_at: Option<usize>,
}

impl Normalized {
    /// The whole normalized spec, the plan's filters in their place.
    pub fn to_value(&self, plan: &Plan) -> Value {
        let mut out = Map::new();
        for (i, (k, v)) in self.fields.iter().enumerate() {
            if self.filters_at == Some(i) {
                crate::filters::insert_normalized(&mut out, plan.connector, &plan.entries);
            }
            out.insert((*k).into(), v.clone());
        }
        if self.filters_at.is_some_and(|at| at >= self.fields.len()) {
            crate::filters::insert_normalized(&mut out, plan.connector, &plan.entries);
        }
        Value::Object(out)
    }
}

/// What a dialect needs at delivery time, kept apart from the plan.
#[derive(Debug, Clone, PartialEq)]
pub enum DeliverySettings {
    Workfront {
        url: String,
        auth_token: String,
        base64: bool,
    },
    Asana {
        target: String,
    },
    Kanboard {
        url: String,
        token: String,
    },
    RService {
        uri: String,
        event: String,
        disabled: bool,
    },
    Ricloud {
        url: String,
        secret: String,
    },
}

/// How a spec is being checked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SpecMode {
    /// An update body rather than a full spec (ricloud: only `url` and
    /// `state`, and `state` only `new` or `deactivated`).
    pub update: bool,
}

/// Compile a spec of a known dialect, collecting every diagnostic.
pub fn compile(dialect: Dialect, spec: &Value, diags: &mut Vec<Diagnostic>) -> Option<Compiled> {
    compile_with(dialect, spec, SpecMode::default(), diags)
}

pub fn compile_with(
    dialect: Dialect,
    spec: &Value,
    mode: SpecMode,
    diags: &mut Vec<Diagnostic>,
) -> Option<Compiled> {
    let Some(obj) = spec.as_object() else {
        diags.push(Diagnostic::error(
            "invalid_type",
            "",
            format!(
                "a {} spec must be a JSON object, got {}",
                dialect.name(),
                crate::text::type_name(spec)
            ),
        ));
        return None;
    };
    match dialect {
        Dialect::Workfront => workfront::compile(obj, diags),
        Dialect::Asana => asana::compile(obj, diags),
        Dialect::Kanboard => kanboard::compile(obj, diags),
        Dialect::RService => rservice::compile(obj, diags),
        Dialect::Ricloud => ricloud::compile(obj, mode, diags),
    }
}

/// Map an event onto the shared view, or say why it is not an event of this dialect.
pub fn prepare(dialect: Dialect, event: At<'_>) -> Result<Event<'_>, Error> {
    match dialect {
        Dialect::Workfront => workfront::prepare(event),
        Dialect::Asana => asana::prepare(event),
        Dialect::Kanboard => kanboard::prepare(event),
        Dialect::RService => rservice::prepare(event),
        Dialect::Ricloud => ricloud::prepare(event),
    }
}

/// The parts of an event this dialect's plans read (see [`crate::projection`]):
/// what `prepare` checks, the gate's fields, and every filter's field in the
/// states it reads.
pub fn projection(dialect: Dialect, plan: &Plan) -> crate::projection::Projection {
    let mut p = crate::projection::Projection::default();
    add_projection(dialect, plan, &mut p);
    p
}

/// [`projection`] added into `p` (a set's union), with no projection of
/// its own built and merged per subscription.
pub fn add_projection(dialect: Dialect, plan: &Plan, p: &mut crate::projection::Projection) {
    use crate::projection::Projection;
    // Asana's envelope projects each event like the event itself: built
    // apart, then merged, so the envelope copies only this plan's fields.
    if dialect == Dialect::Asana {
        let mut own = Projection::default();
        add_fields(dialect, plan, &mut own);
        let each = own.clone();
        own.node(&["events"]).items = Some(Box::new(each));
        p.merge(&own);
        return;
    }
    add_fields(dialect, plan, p);
}

/// Everything [`add_fields`] reads of a plan, written into `out` so that two
/// plans with the same bytes add the same fields: a set adds each distinct
/// signature once (most members share their fields, and adding them again
/// was a seventh of compiling a set). Strings are length-prefixed, so the
/// encoding is exact. Keep in step with `add_fields`.
pub fn projection_signature(dialect: Dialect, plan: &Plan, out: &mut Vec<u8>) {
    use crate::plan::{Comparison, FieldRef, GateSource};
    let text = |out: &mut Vec<u8>, s: &str| {
        out.extend_from_slice(&s.len().to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    };
    text(out, dialect.name());
    for g in &plan.gate {
        match &g.source {
            GateSource::Root(path) => {
                out.push(1);
                out.extend_from_slice(&path.len().to_le_bytes());
                path.iter().for_each(|k| text(out, k));
            }
            GateSource::State(key) => {
                out.push(2);
                text(out, key);
            }
            GateSource::None => out.push(3),
        }
    }
    for f in plan.filters() {
        out.push(4);
        out.push(u8::from(f.comparison == Comparison::Changed));
        text(out, f.state.name());
        match &f.field {
            FieldRef::Name => {
                out.push(5);
                text(out, &f.field_name);
            }
            FieldRef::Pointer(tokens) => {
                out.push(6);
                out.extend_from_slice(&tokens.len().to_le_bytes());
                tokens.iter().for_each(|k| text(out, k));
            }
        }
    }
}

fn add_fields(dialect: Dialect, plan: &Plan, p: &mut crate::projection::Projection) {
    use crate::plan::{Comparison, FieldRef, GateSource, StateSel};
    // (path of the new state, path of the old state) in the event.
    let (new, old): (&[&str], Option<&[&str]>) = match dialect {
        Dialect::Workfront => (&["newState"], Some(&["oldState"])),
        Dialect::Asana => (&[], None),
        Dialect::Kanboard => (&["event_data"], None),
        Dialect::RService => (&["payload"], None),
        Dialect::Ricloud => (&["data"], None),
    };
    let required: &[&[&str]] = match dialect {
        Dialect::Workfront => &[&["eventType"]],
        Dialect::Asana => &[&["action"], &["resource", "resource_type"]],
        // `changes` drives Kanboard's old state.
        Dialect::Kanboard => &[&["event_name"], &["event_data", "changes"]],
        Dialect::RService => &[&["event"], &["object_id"]],
        Dialect::Ricloud => &[&["type"], &["action"]],
    };
    for path in required {
        p.keep(path);
    }
    // The states exist in the projection even when no field of them is read,
    // so `prepare` sees the same shape.
    if !new.is_empty() {
        p.ensure(new);
    }
    if let Some(old) = old {
        p.ensure(old);
    }
    for g in &plan.gate {
        match &g.source {
            GateSource::Root(path) => p.keep(path),
            GateSource::State(key) => {
                p.keep_at(new, std::slice::from_ref(key));
                if let Some(old) = old {
                    p.keep_at(old, std::slice::from_ref(key));
                }
            }
            GateSource::None => {}
        }
    }
    for f in plan.filters() {
        let both;
        let states: &[&[&str]] = match (f.comparison, f.state, old) {
            (Comparison::Changed, _, Some(old)) => {
                both = [new, old];
                &both
            }
            (_, StateSel::Old, Some(_)) => old.as_slice(),
            _ => std::slice::from_ref(&new),
        };
        for state in states {
            match &f.field {
                FieldRef::Name => {
                    let name = f.field_name.as_str();
                    p.keep_at(state, &[name]);
                    p.keep_at(state, &["parameterValues", name]);
                }
                FieldRef::Pointer(tokens) => p.keep_at(state, tokens),
            }
        }
    }
}

/// A document in a batch may hold several events (Asana delivers
/// `{"events": [...]}`); `None` means the document is one event.
pub fn envelope(dialect: Dialect, doc: At<'_>) -> Option<Vec<At<'_>>> {
    match dialect {
        Dialect::Asana => asana::envelope(doc),
        _ => None,
    }
}

/// The one event of a single-event call: an envelope must hold exactly one.
pub fn single_event(dialect: Dialect, doc: At<'_>) -> Result<At<'_>, Error> {
    match envelope(dialect, doc).as_deref() {
        None => Ok(doc),
        Some([one]) => Ok(*one),
        Some(many) => Err(Error::new(
            ErrorKind::InvalidEvent,
            format!(
                "this is a delivery body with {} events; pass it to preview, or pass one event",
                many.len()
            ),
        )
        .at("/events")),
    }
}

/// A required string that must be exactly one of `known`; anything else is
/// `code` with a "did you mean" hint naming the closest.
pub fn required_choice<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    known: &[&str],
    code: &'static str,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<&'a str> {
    let value = required_string(obj, key, diags)?;
    if known.contains(&value) {
        return Some(value);
    }
    diags.push(Diagnostic::error(
        code,
        crate::error::join("", key),
        unknown_message(what, value, known),
    ));
    None
}

/// A required http(s) URL field.
pub fn url_field(
    obj: &Map<String, Value>,
    key: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let u = required_string(obj, key, diags)?;
    match crate::urls::parse_http_url(u) {
        Ok(_) => Some(u.to_string()),
        Err(why) => {
            diags.push(Diagnostic::error(
                "invalid_url",
                crate::error::join("", key),
                format!(
                    "{key} {} is not an absolute http(s) URL: {why}",
                    crate::text::quote_short(u)
                ),
            ));
            None
        }
    }
}

/// Copy the optional keys a spec has (null is absent) into its `toJSON`.
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

/// An optional field that must be a string when present (null is absent).
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
                "invalid_type",
                crate::error::join("", key),
                format!(
                    "{key} must be a string, got {}",
                    crate::text::type_name(other)
                ),
            ));
            None
        }
    }
}

/// A boolean that vendors also write as `"true"`/`"false"`.
pub fn loose_bool(obj: &Map<String, Value>, key: &str, diags: &mut Vec<Diagnostic>) -> bool {
    match crate::json::field(obj, key) {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) if s == "true" => true,
        Some(Value::String(s)) if s == "false" => false,
        Some(other) => {
            diags.push(Diagnostic::error(
                "invalid_value",
                crate::error::join("", key),
                format!(
                    "{key} must be true or false, got {}",
                    crate::text::show(other)
                ),
            ));
            false
        }
    }
}

/// An event that must be a JSON object.
pub fn event_object<'a>(event: At<'a>, vendor: &str) -> Result<At<'a>, Error> {
    if event.is_object() {
        return Ok(event);
    }
    Err(Error::new(
        ErrorKind::InvalidEvent,
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
                ErrorKind::InvalidEvent,
                format!("{key} must be a string, got {}", v.type_name()),
            )
            .at(crate::error::join("", key))
        }),
        None => Err(Error::new(
            ErrorKind::InvalidEvent,
            format!("a {vendor} event needs {key}"),
        )
        .at(crate::error::join("", key))),
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
            ErrorKind::InvalidEvent,
            format!("{key} must be an object, got {}", other.type_name()),
        )
        .at(crate::error::join("", key))),
    }
}

/// The state of an event that has none: `{}`, shared so a missing state
/// costs no allocation on every call.
pub fn empty_state<'a>() -> State<'a> {
    static EMPTY: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    State::In(At::Value(EMPTY.get_or_init(|| Value::Object(Map::new()))))
}

/// Warn about keys a dialect does not know (they are ignored).
pub fn warn_unknown_keys(
    obj: &Map<String, Value>,
    known: &[&str],
    silent: &[&str],
    diags: &mut Vec<Diagnostic>,
) {
    for key in obj.keys() {
        if !known.contains(&key.as_str()) && !silent.contains(&key.as_str()) {
            diags.push(Diagnostic::warning(
                "unknown_field",
                crate::error::join("", key),
                format!("{}; it is ignored", unknown_message("field", key, known)),
            ));
        }
    }
}

/// A required, non-empty string field.
pub fn required_string<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<&'a str> {
    let path = || crate::error::join("", key);
    match crate::json::field(obj, key) {
        Some(Value::String(s)) if !s.is_empty() => Some(s),
        Some(Value::String(_)) => {
            diags.push(Diagnostic::error(
                "empty_field",
                path(),
                format!("{key} must not be empty"),
            ));
            None
        }
        None | Some(Value::Null) => {
            diags.push(Diagnostic::error(
                "missing_field",
                path(),
                format!("{key} is required"),
            ));
            None
        }
        Some(other) => {
            diags.push(Diagnostic::error(
                "invalid_type",
                path(),
                format!(
                    "{key} must be a string, got {}",
                    crate::text::type_name(other)
                ),
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// CONTRACT.md §1's detection rules, one row each.
    #[test]
    fn detection_table() {
        let rows = [
            (
                json!({"objCode": "PROJ", "url": "https://x.example", "authToken": "t"}),
                Some(Dialect::Workfront),
            ),
            (
                json!({"resource": "123", "target": "https://x.example"}),
                Some(Dialect::Asana),
            ),
            (
                json!({"filters": [{"resource_type": "task"}]}),
                Some(Dialect::Asana),
            ),
            (
                json!({"event": "problem.update", "uri": "https://x.example"}),
                Some(Dialect::RService),
            ),
            (
                json!({"url": "https://x.example", "secret": "s"}),
                Some(Dialect::Ricloud),
            ),
            (
                json!({"url": "https://x.example", "state": "new"}),
                Some(Dialect::Ricloud),
            ),
            (
                json!({"url": "https://x.example", "organisation": 1, "resource": "webhook_config"}),
                Some(Dialect::Ricloud),
            ),
            (
                json!({"url": "https://x.example", "token": "t"}),
                Some(Dialect::Kanboard),
            ),
            (
                json!({"url": "https://x.example", "events": ["task.create"]}),
                Some(Dialect::Kanboard),
            ),
            (
                json!({"url": "https://x.example", "token": "t", "secret": "s"}),
                None,
            ),
            (json!({"url": "https://x.example"}), None),
            (json!({"name": "x"}), None),
            (json!([1]), None),
        ];
        for (spec, want) in rows {
            let got = Dialect::detect(&spec);
            match want {
                Some(d) => assert_eq!(got.ok(), Some(d), "{spec}"),
                None => assert_eq!(got.map_err(|e| e.code()), Err("unknown_dialect"), "{spec}"),
            }
        }
    }
}
