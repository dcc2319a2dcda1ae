//! Adobe Workfront event subscriptions (seed 004 and Adobe's current "Event
//! Subscription API" page, `help/quicksilver/wf-api/general/event-subs-api.md`
//! in `AdobeDocs/workfront.en`, read 2026-11; see docs/workfront.md).

use super::{required_string, warn_unknown_keys, Compiled, DeliverySettings, Event, Normalized};
use crate::base64;
use crate::doc::{At, State};
use crate::error::{Diagnostic, Error, ErrorKind};
use crate::filters::{self, FilterContext};
use crate::plan::{GateCheck, GateSource, GateTest, Plan};
use crate::text::type_name;
use serde_json::{Map, Value};

/// Every objCode Workfront accepts. The seed's list (translated in the
/// Portuguese seed; the codes are Workfront's own) plus the objects Adobe's
/// current page adds: approvals (spelled in lower case there), document
/// versions, proof approvals and staffing plans. `TMSHT` is the contract's
/// spelling of Timesheet and `TSHET` the current page's; both are accepted.
pub const OBJ_CODES: [&str; 32] = [
    "approval",
    "approval_stage",
    "approval_stage_participant",
    "ASSGN",
    "CMPY",
    "DOCU",
    "DOCV",
    "EXPNS",
    "FIELD",
    "HOUR",
    "NOTE",
    "OPTASK",
    "PORT",
    "PRFAPL",
    "PRGM",
    "PROJ",
    "PTLSEC",
    "PTLTAB",
    "RECORD",
    "RECORD_TYPE",
    "SAVSET",
    "SPAVAL",
    "SPVAL",
    "SRPVAL",
    "STAFFP",
    "STAFFR",
    "TASK",
    "TMPL",
    "TMSHT",
    "TSHET",
    "USER",
    "WORKSPACE",
];

pub const EVENT_TYPES: [&str; 3] = ["CREATE", "DELETE", "UPDATE"];

const KNOWN_KEYS: [&str; 8] = [
    "objCode",
    "eventType",
    "objId",
    "url",
    "authToken",
    "filters",
    "filterConnector",
    "base64Encoding",
];

/// Read-only fields that Workfront's GET responses carry; a spec pasted from
/// a response has them, and they change nothing, so they are not warned about.
const RESPONSE_KEYS: [&str; 5] = [
    "id",
    "customerId",
    "version",
    "dateVersionUpdated",
    "subscriptionVersion",
];

pub const REDACTED: &str = "[redacted]";

pub fn compile(obj: &Map<String, Value>, diags: &mut Vec<Diagnostic>) -> Option<Compiled> {
    let errors_before = diags.iter().filter(|d| d.is_error()).count();
    warn_unknown_keys(obj, &KNOWN_KEYS, &RESPONSE_KEYS, diags);

    let obj_code = super::required_choice(
        obj,
        "objCode",
        &OBJ_CODES,
        "unknown_obj_code",
        "objCode",
        diags,
    );

    let event_type = super::required_choice(
        obj,
        "eventType",
        &EVENT_TYPES,
        "unknown_event_type",
        "eventType",
        diags,
    );

    let obj_id = match crate::json::field(obj, "objId") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(Value::String(_)) => {
            diags.push(Diagnostic::error(
                "empty_field",
                "/objId",
                "objId must not be empty; leave it out to receive events for every object of the objCode",
            ));
            None
        }
        Some(other) => {
            diags.push(Diagnostic::error(
                "invalid_type",
                "/objId",
                format!("objId must be a string, got {}", type_name(other)),
            ));
            None
        }
    };

    let url = super::url_field(obj, "url", diags);

    let auth_token = required_string(obj, "authToken", diags).map(str::to_string);

    let base64 = match crate::json::field(obj, "base64Encoding") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) if s == "true" => true,
        // The docs list `" "` (blank) beside `false`: blank means off.
        Some(Value::String(s)) if s == "false" || s.trim().is_empty() => false,
        Some(other) => {
            diags.push(Diagnostic::error(
                "invalid_value",
                "/base64Encoding",
                format!(
                    "base64Encoding must be true, false, \"true\", \"false\" or blank, got {}",
                    crate::text::show(other)
                ),
            ));
            false
        }
    };

    let ctx = FilterContext {
        create_only: event_type == Some("CREATE"),
        obj_code,
    };
    let (connector, entries) = filters::parse(obj, ctx, diags);

    if diags.iter().filter(|d| d.is_error()).count() > errors_before {
        return None;
    }
    let (obj_code, event_type, url, auth_token) = (obj_code?, event_type?, url?, auth_token?);

    let mut gate = vec![
        GateCheck {
            field: "eventType",
            source: GateSource::Root(&["eventType"]),
            test: GateTest::Equals(Value::String(event_type.into())),
        },
        GateCheck {
            field: "objCode",
            source: GateSource::State("objCode"),
            test: GateTest::Equals(Value::String(obj_code.into())),
        },
    ];
    if let Some(id) = &obj_id {
        gate.push(GateCheck {
            field: "objId",
            source: GateSource::State("ID"),
            test: GateTest::Equals(Value::String(id.clone())),
        });
    }

    let mut normalized = Vec::with_capacity(8);
    normalized.push(("objCode", obj_code.into()));
    normalized.push(("eventType", event_type.into()));
    if let Some(id) = &obj_id {
        normalized.push(("objId", id.clone().into()));
    }
    normalized.push(("url", url.clone().into()));
    normalized.push(("authToken", REDACTED.into()));
    let filters_at = (!entries.is_empty()).then_some(normalized.len());
    normalized.push(("base64Encoding", base64.into()));

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
        delivery: DeliverySettings::Workfront {
            url,
            auth_token,
            base64,
        },
    })
}

/// A Workfront event: `{eventType, subscriptionId?, eventTime?, newState, oldState}`
/// with states as objects or base64 of their JSON text.
pub fn prepare(event: At<'_>) -> Result<Event<'_>, Error> {
    let obj = super::event_object(event, "Workfront")?;
    match obj.get("eventType") {
        Some(v) if v.as_str().is_some() => {}
        Some(other) => {
            return Err(Error::new(
                ErrorKind::InvalidEvent,
                format!("eventType must be a string, got {}", other.type_name()),
            )
            .at("/eventType"))
        }
        None => {
            return Err(Error::new(
                ErrorKind::InvalidEvent,
                "a Workfront event needs eventType (CREATE, DELETE or UPDATE)",
            )
            .at("/eventType"))
        }
    }
    if obj.get("newState").is_none() && obj.get("oldState").is_none() {
        return Err(Error::new(
            ErrorKind::InvalidEvent,
            "a Workfront event needs newState or oldState",
        )
        .at("/newState"));
    }
    Ok(Event {
        root: event,
        new_state: state(obj, "newState")?,
        old_state: state(obj, "oldState")?,
    })
}

/// A state: an object, absent/null (empty), or base64 of a JSON object
/// (`base64Encoding: true` deliveries).
fn state<'a>(obj: At<'a>, key: &str) -> Result<State<'a>, Error> {
    let Some(v) = obj.get(key) else {
        return Ok(super::empty_state());
    };
    if v.is_null() {
        return Ok(super::empty_state());
    }
    if v.is_object() {
        return Ok(State::In(v));
    }
    let Some(text) = v.as_str() else {
        return Err(Error::new(
            ErrorKind::InvalidEvent,
            format!(
                "{key} must be an object or a base64 string, got {}",
                v.type_name()
            ),
        )
        .at(crate::error::join("", key)));
    };
    let bytes = base64::decode(text.as_bytes()).map_err(|e| {
        Error::new(
            ErrorKind::InvalidEvent,
            format!("{key} is a string but not valid base64: {}", e.message),
        )
        .at(crate::error::join("", key))
    })?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
        Error::new(
            ErrorKind::InvalidEvent,
            format!("{key} is base64 of text that is not valid JSON: {e} (in the decoded text)"),
        )
        .at(crate::error::join("", key))
    })?;
    if !value.is_object() {
        return Err(Error::new(
            ErrorKind::InvalidEvent,
            format!("{key} decodes to {}, not an object", type_name(&value)),
        )
        .at(crate::error::join("", key)));
    }
    Ok(State::Made(value))
}
