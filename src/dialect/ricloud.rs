//! ricloud webhook configs (seed 001, and `reincubate/ricloud`'s
//! `signing.py`/`webhooks.py` for the event body and signature):
//! `{url, secret, state, organisation?, date_created?}`. Only a `valid`
//! config delivers; events `{id, type, action, data}` are signed with the
//! secret.

use super::{
    event_object, event_string, optional_string, required_string, warn_unknown_keys, Compiled,
    DeliverySettings, Event, Normalized, SpecMode,
};
use crate::doc::At;
use crate::error::{unknown_message, Diagnostic, Error};
use crate::filters;
use crate::plan::{GateCheck, GateSource, GateTest, Plan};
use crate::text::{quote_short, type_name};
use serde_json::{Map, Value};

pub const STATES: [&str; 4] = ["new", "valid", "invalid", "deactivated"];
/// The seed: on update, "state" can only be set to `new` or `deactivated`.
pub const SETTABLE_STATES: [&str; 2] = ["new", "deactivated"];

const KNOWN_KEYS: [&str; 7] = [
    "url",
    "secret",
    "state",
    "organisation",
    "date_created",
    "filters",
    "filterConnector",
];
const RESPONSE_KEYS: [&str; 2] = ["id", "resource"];

pub fn compile(
    obj: &Map<String, Value>,
    mode: SpecMode,
    diags: &mut Vec<Diagnostic>,
) -> Option<Compiled> {
    let errors_before = diags.iter().filter(|d| d.is_error()).count();
    warn_unknown_keys(obj, &KNOWN_KEYS, &RESPONSE_KEYS, diags);

    if mode.update {
        update(obj, diags);
        // An update body is only validated; it never compiles into a plan.
        return None;
    }
    let url = super::url_field(obj, "url", diags);
    let secret = required_string(obj, "secret", diags).map(str::to_string);
    let state = super::required_choice(obj, "state", &STATES, "unknown_state", "state", diags)
        .map(str::to_string);
    match crate::json::field(obj, "organisation") {
        None | Some(Value::Null) | Some(Value::String(_)) | Some(Value::Number(_)) => {}
        Some(other) => diags.push(Diagnostic::error(
            "invalid_type",
            "/organisation",
            format!(
                "organisation is an organisation ID (a string or number), got {}",
                type_name(other)
            ),
        )),
    }
    if let Some(d) = optional_string(obj, "date_created", diags) {
        if crate::value::parse_instant(d).is_none() {
            diags.push(Diagnostic::warning(
                "invalid_date",
                "/date_created",
                format!(
                    "date_created {} is not an ISO 8601 date-time",
                    quote_short(d)
                ),
            ));
        }
    }
    let (connector, entries) = filters::parse_extension(obj, "ricloud", diags);

    if diags.iter().filter(|d| d.is_error()).count() > errors_before {
        return None;
    }
    let (url, secret, state) = (url?, secret?, state?);
    let valid = state == "valid";
    let reason = if valid {
        "the config is valid, so it delivers".to_string()
    } else {
        format!("the config's state is {state:?}; ricloud only delivers through a valid config")
    };
    let gate = vec![GateCheck {
        field: "state",
        source: GateSource::None,
        test: GateTest::Fixed {
            passed: valid,
            expected: Value::String("valid".into()),
            reason,
        },
    }];
    let mut normalized = Vec::with_capacity(8);
    normalized.push(("url", url.clone().into()));
    normalized.push(("secret", super::workfront::REDACTED.into()));
    normalized.push(("state", state.into()));
    super::copy_present(obj, &["organisation", "date_created"], &mut normalized);
    let filters_at = (!entries.is_empty()).then_some(normalized.len());
    Some(Compiled {
        plan: Plan {
            gate,
            connector,
            entries,
        },
        normalized: Normalized {
            fields: normalized,
            filters_at,
        },
        delivery: DeliverySettings::Ricloud { url, secret },
    })
}

/// `validate(spec, { update: true })`: an update body `{url?, state?}`.
fn update(obj: &Map<String, Value>, diags: &mut Vec<Diagnostic>) {
    if obj.contains_key("url") {
        super::url_field(obj, "url", diags);
    }
    match crate::json::field(obj, "state") {
        None => {}
        Some(Value::String(s)) if SETTABLE_STATES.contains(&s.as_str()) => {}
        Some(Value::String(s)) if STATES.contains(&s.as_str()) => diags.push(Diagnostic::error(
            "state_not_settable",
            "/state",
            format!("an update can only set state to \"new\" or \"deactivated\"; {s:?} is set by ricloud's own test"),
        )),
        Some(Value::String(s)) => diags.push(Diagnostic::error(
            "unknown_state",
            "/state",
            unknown_message("state", s, &SETTABLE_STATES),
        )),
        Some(other) => diags.push(Diagnostic::error(
            "invalid_type",
            "/state",
            format!("state must be \"new\" or \"deactivated\", got {}", type_name(other)),
        )),
    }
    for key in ["secret", "organisation", "date_created"] {
        if obj.contains_key(key) {
            diags.push(Diagnostic::error(
                "read_only_field",
                crate::error::join("", key),
                format!("{key} cannot be changed by an update; only url and state can"),
            ));
        }
    }
}

/// A ricloud event `{id, type, action, data, ...}`; filters read `data`.
pub fn prepare(event: At<'_>) -> Result<Event<'_>, Error> {
    let obj = event_object(event, "ricloud")?;
    event_string(obj, "type", "ricloud")?;
    event_string(obj, "action", "ricloud")?;
    Ok(Event {
        root: event,
        new_state: super::event_data(obj, "data")?,
        old_state: super::empty_state(),
    })
}
