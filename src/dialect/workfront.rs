//! Adobe Workfront event subscriptions (seed 004 and Adobe's current "Event
//! Subscription API" page, `help/quicksilver/wf-api/general/event-subs-api.md`
//! in `AdobeDocs/workfront.en`, read 2026-11; see docs/workfront.md).

use super::spec::{self, Checkpoint, Unknown};
use super::{Compiled, Deliver, EventShape, IndexField, Normalized, SpecContext, Vendor};
use crate::base64;
use crate::delivery::{post, DeliverOptions, Delivery, EventTime, JSON};
use crate::error::{Diagnostic, Error, ErrorKind};
use crate::event::{At, Event, State};
use crate::filters::{self, FilterContext};
use crate::plan::{GateCheck, GateSource, GateTest, Plan};
use crate::text::type_name;
use serde_json::{Map, Value};
use std::sync::Arc;

/// Adobe Workfront event subscriptions.
pub struct Workfront;

impl Vendor for Workfront {
    fn name(&self) -> &'static str {
        "workfront"
    }

    fn vendor(&self) -> &'static str {
        "Workfront"
    }

    fn claims(&self, spec: &Map<String, Value>) -> bool {
        crate::json::field(spec, "objCode").is_some()
    }

    fn needs(&self) -> &'static str {
        "objCode, eventType, url, authToken"
    }

    fn compile(
        &self,
        spec: &Map<String, Value>,
        _ctx: &SpecContext,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Compiled> {
        compile(spec, diags)
    }

    fn prepare<'a>(&self, event: At<'a>) -> Result<Event<'a>, Error> {
        prepare(event)
    }

    fn shape(&self) -> &'static EventShape {
        &EventShape {
            new_state: &["newState"],
            old_state: Some(&["oldState"]),
            required: &[&["eventType"]],
            containers: &CONTAINERS,
            envelope: None,
        }
    }

    fn index_fields(&self) -> &'static [IndexField] {
        &[
            IndexField {
                field: "eventType",
                source: GateSource::Root(&["eventType"]),
            },
            IndexField {
                field: "objCode",
                source: GateSource::State("objCode"),
            },
        ]
    }
}

/// Custom fields (`DE:Budget`) are found under the state's `parameterValues`.
const CONTAINERS: [&str; 1] = ["parameterValues"];

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

fn compile(obj: &Map<String, Value>, diags: &mut Vec<Diagnostic>) -> Option<Compiled> {
    let checkpoint = Checkpoint::new(diags);
    spec::unknown_keys(
        obj,
        "",
        "field",
        &KNOWN_KEYS,
        &RESPONSE_KEYS,
        Unknown::Ignored,
        diags,
    );

    let obj_code = spec::required_choice(
        obj,
        "objCode",
        &OBJ_CODES,
        "unknown_obj_code",
        "objCode",
        diags,
    );

    let event_type = spec::required_choice(
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

    let url = spec::url_field(obj, "url", diags);

    let auth_token = spec::required_string(obj, "authToken", diags).map(str::to_string);

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

    if checkpoint.failed(diags) {
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
    normalized.push(("authToken", super::REDACTED.into()));
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
        delivery: Arc::new(WorkfrontDelivery {
            url,
            auth_token,
            base64,
        }),
    })
}

/// A Workfront event: `{eventType, subscriptionId?, eventTime?, newState, oldState}`
/// with states as objects or base64 of their JSON text.
fn prepare(event: At<'_>) -> Result<Event<'_>, Error> {
    let obj = spec::event_object(event, "Workfront")?;
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
    let mut ev = Event::new(event, state(obj, "newState")?, state(obj, "oldState")?);
    ev.containers = &CONTAINERS;
    Ok(ev)
}

/// A state: an object, absent/null (empty), or base64 of a JSON object
/// (`base64Encoding: true` deliveries).
fn state<'a>(obj: At<'a>, key: &str) -> Result<State<'a>, Error> {
    let Some(v) = obj.get(key) else {
        return Ok(spec::empty_state());
    };
    if v.is_null() {
        return Ok(spec::empty_state());
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

/// How a Workfront subscription delivers: `POST url` with the bearer token.
#[derive(Debug)]
struct WorkfrontDelivery {
    url: String,
    auth_token: String,
    base64: bool,
}

/// Placeholder for a delivery preview whose event and options carry no subscription id.
pub const PREVIEW_SUBSCRIPTION_ID: &str = "hookmatch-preview";

impl Deliver for WorkfrontDelivery {
    /// CONTRACT.md §2 "Delivery": `{eventType, subscriptionId, eventTime:{nano,
    /// epochSecond}, newState, oldState}` in that order; states as base64 of their
    /// JSON text when `base64Encoding` is on.
    fn deliver(
        &self,
        ev: &Event<'_>,
        _text: &str,
        opts: &DeliverOptions,
    ) -> Result<Delivery, Error> {
        let root = ev.root.to_value();
        let root = root.as_object();
        let event_type = root
            .and_then(|m| m.get("eventType"))
            .cloned()
            .unwrap_or(Value::Null);
        let subscription_id = opts
            .subscription_id
            .clone()
            .map(Value::String)
            .or_else(|| {
                root.and_then(|m| m.get("subscriptionId"))
                    .filter(|v| v.is_string())
                    .cloned()
            })
            .unwrap_or_else(|| Value::String(PREVIEW_SUBSCRIPTION_ID.into()));
        let time = opts
            .event_time
            .or_else(|| {
                root.and_then(|m| m.get("eventTime"))
                    .and_then(EventTime::from_json)
            })
            .or_else(|| opts.now_ms.and_then(EventTime::from_millis))
            .unwrap_or(EventTime {
                epoch_second: 0,
                nano: 0,
            });
        let mut time_json = Map::new();
        time_json.insert("nano".into(), time.nano.into());
        time_json.insert("epochSecond".into(), time.epoch_second.into());
        let state = |v: &Value| {
            if self.base64 {
                Value::String(crate::base64::encode(v.to_string().as_bytes()))
            } else {
                v.clone()
            }
        };
        let mut body = Map::new();
        body.insert("eventType".into(), event_type);
        body.insert("subscriptionId".into(), subscription_id);
        body.insert("eventTime".into(), Value::Object(time_json));
        body.insert("newState".into(), state(&ev.new_state.at().to_value()));
        body.insert("oldState".into(), state(&ev.old_state.at().to_value()));
        Ok(post(
            &self.url,
            &[
                ("Content-Type", JSON.into()),
                ("Authorization", format!("Bearer {}", self.auth_token)),
            ],
            Value::Object(body).to_string(),
        ))
    }
}
