//! Adobe Workfront event subscriptions (seed 004 and Adobe's current "Event
//! Subscription API" page, `help/quicksilver/wf-api/general/event-subs-api.md`
//! in `AdobeDocs/workfront.en`, read 2026-11-30; docs/vendors/workfront.md).

use super::spec::{self, Checkpoint, Unknown};
use super::{Compiled, EventShape, IndexField, Normalized, SpecContext, Vendor};
use crate::base64;
use crate::delivery::{post, Deliver, DeliverOptions, Delivery, EventTime, JSON};
use crate::error::{Code, Diagnostic, Error};
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

    fn keys(&self) -> &'static [&'static str] {
        &["objCode"]
    }

    fn secrets(&self) -> &'static [&'static str] {
        &["authToken"]
    }

    #[cfg_attr(hookmatch_package, optimize(size))]
    fn compile(
        &self,
        spec: &Map<String, Value>,
        ctx: &SpecContext,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Compiled> {
        let compiled = compile(spec, diags);
        if let Some(Value::String(target)) = crate::json::field(spec, "url") {
            spec::private_target(target, "url", "Workfront", ctx, diags);
        }
        compiled
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
            changes: None,
            // The object's ID in the states, as every payload carries it
            // (the seed's examples); an UPDATE's old state names the same
            // object.
            skeleton: r#"{"eventType":"","newState":{"ID":"59d7ddf7000002322d791eb08bafddfb"},"oldState":{}}"#,
            mirror: &["objCode", "ID"],
            // "CREATE has oldState: {}" (the delivered payload shape).
            empty_old_when: Some((&["eventType"], "CREATE")),
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

/// Every objCode Workfront accepts: the codes of Adobe's "Event
/// subscription resource fields" page (`help/quicksilver/wf-api/api/event-sub-resource-fields.md`,
/// AdobeDocs/workfront.en at 7c4ce73, 2026-06-22), which added custom fields
/// (`PARAM`) and custom forms (`CTGY`), plus the two the "Event Subscription
/// API" page lists besides them (`DOCV`, `PRFAPL`). Codes are case-sensitive
/// (the approval objects are lower case on both pages). The seed's `TMSHT`
/// is not a code: Timesheet is `TSHET` (docs/vendors/workfront.md).
pub const OBJ_CODES: [&str; 33] = [
    "approval",
    "approval_stage",
    "approval_stage_participant",
    "ASSGN",
    "CMPY",
    "CTGY",
    "DOCU",
    "DOCV",
    "EXPNS",
    "FIELD",
    "HOUR",
    "NOTE",
    "OPTASK",
    "PARAM",
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
    "TSHET",
    "USER",
    "WORKSPACE",
];

/// Objects whose payload identifies them by lower-case `id` (the resource
/// fields page lists `id`, not `ID`, for these); an objId is compared with it.
const LOWER_CASE_ID: [&str; 3] = ["RECORD", "RECORD_TYPE", "WORKSPACE"];

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

/// Read-only fields of the subscription GET responses on the "Event
/// Subscription API" page (e889906, 2026-08-20); a spec pasted from a
/// response has them and they change nothing. Any other extra key is an
/// error: "Do not include extra body fields in the request, as this will
/// result in the failure of the API to create a subscription"
/// (`event-sub-best-practice.md`).
const RESPONSE_KEYS: [&str; 7] = [
    "id",
    "customerId",
    "version",
    "dateVersionUpdated",
    "date_created",
    "date_modified",
    "subscription_url",
];

/// "Event subscription messages or objects cannot be larger than 1 MB"
/// (`event-subs-faq.md`, `setup-event-sub-endpoint.md`): a message whose
/// body is longer than this many bytes is not delivered. 1 MB is read as
/// 1 MiB (docs/vendors/workfront.md says why).
pub const MAX_MESSAGE_BYTES: usize = 1024 * 1024;

/// The FAQ: "this token value could be anything under 255 characters", so
/// a token of this many characters or more warns.
pub const MAX_AUTH_TOKEN_CHARS: usize = 255;

#[cfg_attr(hookmatch_package, optimize(size))]
fn compile(obj: &Map<String, Value>, diags: &mut Vec<Diagnostic>) -> Option<Compiled> {
    let checkpoint = Checkpoint::new(diags);
    spec::unknown_keys(
        obj,
        "",
        "field",
        &KNOWN_KEYS,
        &RESPONSE_KEYS,
        Unknown::Refused,
        diags,
    );

    let obj_code = obj_code(obj, diags);

    let event_type = spec::required_choice(
        obj,
        "eventType",
        &EVENT_TYPES,
        Code::UnknownEventType,
        "eventType",
        diags,
    );

    let obj_id = match crate::json::field(obj, "objId") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(Value::String(_)) => {
            diags.push(Diagnostic::error(
                Code::EmptyField,
                "/objId",
                "objId must not be empty; leave it out to receive events for every object of the objCode",
            ));
            None
        }
        Some(other) => {
            diags.push(Diagnostic::error(
                Code::InvalidType,
                "/objId",
                format!("objId must be a string, got {}", type_name(other)),
            ));
            None
        }
    };

    let url = spec::url_field(obj, "url", diags);

    let auth_token = spec::required_string(obj, "authToken", diags).map(str::to_string);
    if let Some(token) = &auth_token {
        check_auth_token(token, diags);
    }

    let base64 = match crate::json::field(obj, "base64Encoding") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) if s == "true" => true,
        // The docs list `" "` (blank) beside `false`: blank means off.
        Some(Value::String(s)) if s == "false" || s.trim().is_empty() => false,
        Some(other) => {
            diags.push(Diagnostic::error(
                Code::InvalidValue,
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
        unfilterable: obj_code.map_or(&[], unfilterable),
        changed_only: obj_code.map_or(&[], changed_only),
        vendor: "Workfront",
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
        let key = if LOWER_CASE_ID.contains(&obj_code) {
            "id"
        } else {
            "ID"
        };
        gate.push(GateCheck {
            field: "objId",
            source: GateSource::State(key),
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

/// The fields Adobe lists as not filterable ("Event subscription
/// filtering": `DOCU.groups`, `RECORD.data`, `RECORD_TYPE.data`,
/// `RECORD_TYPE.fields`), for an objCode.
#[cfg_attr(hookmatch_package, optimize(size))]
fn unfilterable(obj_code: &str) -> &'static [&'static str] {
    match obj_code {
        "DOCU" => &["groups"],
        "RECORD" => &["data"],
        "RECORD_TYPE" => &["data", "fields"],
        _ => &[],
    }
}

/// Fields the resource-fields page marks "Can only use changed comparison
/// operator for this field" (`api/event-sub-resource-fields.md`, User:
/// `userRoles`, 7c4ce73, 2026-06-22), for an objCode.
#[cfg_attr(hookmatch_package, optimize(size))]
fn changed_only(obj_code: &str) -> &'static [&'static str] {
    match obj_code {
        "USER" => &["userRoles"],
        _ => &[],
    }
}

/// `objCode`: one of [`OBJ_CODES`], with a hint for anything else.
#[cfg_attr(hookmatch_package, optimize(size))]
fn obj_code<'a>(obj: &'a Map<String, Value>, diags: &mut Vec<Diagnostic>) -> Option<&'a str> {
    let code = spec::required_string(obj, "objCode", diags)?;
    if OBJ_CODES.contains(&code) {
        return Some(code);
    }
    let message = if code == "TMSHT" {
        "unknown objCode \"TMSHT\"; Workfront's objCode for timesheets is \"TSHET\" (the seed's list spelled it TMSHT)".to_string()
    } else {
        crate::error::unknown_message("objCode", code, &OBJ_CODES)
    };
    diags.push(Diagnostic::error(Code::UnknownObjCode, "/objCode", message));
    None
}

/// `authToken` as GET responses show it (`"****234_"`: at most the last 4
/// characters, a short token fully masked) would be delivered as the mask;
/// one of 255 characters or more is over what the FAQ allows.
#[cfg_attr(hookmatch_package, optimize(size))]
fn check_auth_token(token: &str, diags: &mut Vec<Diagnostic>) {
    if token.starts_with("****") {
        diags.push(Diagnostic::warning(
            Code::MaskedSecret,
            "/authToken",
            "authToken is masked, as Workfront's GET responses show it; a subscription created with it would send the mask as its bearer token. Give the real token",
        ));
    }
    let chars = token.chars().count();
    // "anything under 255 characters": 255 itself is already too long.
    if chars >= MAX_AUTH_TOKEN_CHARS {
        diags.push(Diagnostic::warning(
            Code::TooLong,
            "/authToken",
            format!("authToken is {chars} characters; Workfront takes tokens under {MAX_AUTH_TOKEN_CHARS} characters"),
        ));
    }
}

/// A Workfront event: `{eventType, subscriptionId?, eventTime?, newState, oldState}`
/// with states as objects or base64 of their JSON text.
fn prepare(event: At<'_>) -> Result<Event<'_>, Error> {
    let obj = spec::event_object(event, "Workfront")?;
    match obj.get("eventType") {
        Some(v) if v.as_str().is_some() => {}
        Some(other) => {
            return Err(Error::new(
                Code::InvalidEvent,
                format!("eventType must be a string, got {}", other.type_name()),
            )
            .at("/eventType"))
        }
        None => {
            return Err(Error::new(
                Code::InvalidEvent,
                "a Workfront event needs eventType (CREATE, DELETE or UPDATE)",
            )
            .at("/eventType"))
        }
    }
    if obj.get("newState").is_none() && obj.get("oldState").is_none() {
        return Err(Error::new(
            Code::InvalidEvent,
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
#[cfg_attr(hookmatch_package, optimize(size))]
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
            Code::InvalidEvent,
            format!(
                "{key} must be an object or a base64 string, got {}",
                v.type_name()
            ),
        )
        .at(crate::error::join("", key)));
    };
    let bytes = base64::decode(text.as_bytes()).map_err(|e| {
        Error::new(
            Code::InvalidEvent,
            format!("{key} is a string but not valid base64: {}", e.message),
        )
        .at(crate::error::join("", key))
    })?;
    let value: Value = crate::json::parser::value(&bytes).map_err(|e| {
        Error::new(
            Code::InvalidEvent,
            format!("{key} is base64 of text that is not valid JSON: {e} (in the decoded text)"),
        )
        .at(crate::error::join("", key))
    })?;
    if !value.is_object() {
        return Err(Error::new(
            Code::InvalidEvent,
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

/// The subscription version every subscription has had since Adobe
/// migrated the last version 1 subscriptions (2026-01-15,
/// `event-subs-versioning.md`).
const VERSION: &str = "v2";

impl WorkfrontDelivery {
    /// The message Workfront sends for the event whose JSON text is `text`,
    /// in the order of the current payload examples (`event-subs-api.md`,
    /// "Examples of Event Payloads"): `eventType, subscriptionId,
    /// eventTime {nano, epochSecond}, eventVersion, subscriptionVersion,
    /// newState, oldState`; states as base64 of their JSON text when
    /// `base64Encoding` is on. Numbers keep their text as written.
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn body(&self, text: &str, opts: &DeliverOptions) -> Result<String, Error> {
        use crate::rawjson::{self, Style};
        let member = |key| rawjson::member(text, key);
        let string_member = |key| member(key).filter(|raw| raw.starts_with('"'));
        let mut out = String::with_capacity(text.len() + 160);
        out.push_str("{\"eventType\":");
        match member("eventType") {
            Some(raw) => rawjson::write_compact(raw, Style::Plain, &mut out),
            None => out.push_str("null"),
        }
        out.push_str(",\"subscriptionId\":");
        match (&opts.subscription_id, string_member("subscriptionId")) {
            (Some(id), _) => rawjson::write_string(id, Style::Plain, &mut out),
            (None, Some(raw)) => rawjson::write_compact(raw, Style::Plain, &mut out),
            (None, None) => rawjson::write_string(PREVIEW_SUBSCRIPTION_ID, Style::Plain, &mut out),
        }
        let time = opts
            .event_time
            .or_else(|| {
                let raw = member("eventTime")?;
                EventTime::from_json(&crate::json::parser::value(raw.as_bytes()).ok()?)
            })
            .or_else(|| opts.now_ms.and_then(EventTime::from_millis))
            .unwrap_or(EventTime {
                epoch_second: 0,
                nano: 0,
            });
        out.push_str(&format!(
            ",\"eventTime\":{{\"nano\":{},\"epochSecond\":{}}}",
            time.nano, time.epoch_second
        ));
        for key in ["eventVersion", "subscriptionVersion"] {
            out.push_str(",\"");
            out.push_str(key);
            out.push_str("\":");
            match string_member(key) {
                Some(raw) => rawjson::write_compact(raw, Style::Plain, &mut out),
                None => rawjson::write_string(VERSION, Style::Plain, &mut out),
            }
        }
        for key in ["newState", "oldState"] {
            out.push_str(",\"");
            out.push_str(key);
            out.push_str("\":");
            let state = state_text(member(key), key)?;
            if self.base64 {
                let b64 = crate::base64::encode(state.as_bytes());
                rawjson::write_string(&b64, Style::Plain, &mut out);
            } else {
                out.push_str(&state);
            }
        }
        out.push('}');
        Ok(out)
    }
}

/// A state's JSON text, compact: as written, or decoded from base64; an
/// absent or null state is `{}`.
#[cfg_attr(hookmatch_package, optimize(size))]
fn state_text(raw: Option<&str>, key: &str) -> Result<String, Error> {
    use crate::rawjson::{self, Style};
    match raw {
        None | Some("null") => Ok("{}".to_string()),
        Some(raw) if raw.starts_with('"') => {
            let b64 = rawjson::decode_string(raw).unwrap_or_default();
            let bytes = base64::decode(b64.as_bytes()).map_err(|e| {
                Error::new(
                    Code::InvalidEvent,
                    format!("{key} is a string but not valid base64: {}", e.message),
                )
                .at(crate::error::join("", key))
            })?;
            let text = std::str::from_utf8(&bytes).map_err(|_| {
                Error::new(
                    Code::InvalidEvent,
                    format!("{key} is base64 of text that is not UTF-8"),
                )
                .at(crate::error::join("", key))
            })?;
            Ok(rawjson::compact(text, Style::Plain))
        }
        Some(raw) => Ok(rawjson::compact(raw, Style::Plain)),
    }
}

impl Deliver for WorkfrontDelivery {
    /// "Multiple event subscriptions can be applied to a single object as
    /// long as one or more event subscription field parameters are
    /// different" (`event-subs-api.md`, "Event subscription filtering"):
    /// `authToken` is one of those fields, so two subscriptions that differ
    /// only in it are distinct, not duplicates (409, `event-subs-faq.md`).
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn distinguishing_secret(&self) -> Option<&str> {
        Some(&self.auth_token)
    }

    #[cfg_attr(hookmatch_package, optimize(size))]
    fn deliver(
        &self,
        _ev: &Event<'_>,
        text: &str,
        opts: &DeliverOptions,
    ) -> Result<Delivery, Error> {
        Ok(post(
            &self.url,
            &[
                ("Content-Type", JSON.into()),
                ("Authorization", format!("Bearer {}", self.auth_token)),
            ],
            self.body(text, opts)?,
        )
        .secret_header("Authorization"))
    }

    /// A message over [`MAX_MESSAGE_BYTES`] is not delivered. A body is at
    /// most 4/3 of the event's text (base64 states) plus the fields
    /// Workfront adds, so most events are known to fit without writing it.
    fn refuses(&self, ev: &Event<'_>) -> Option<crate::eval::Check> {
        // Without its text the event is known to be small (see `Event::text`).
        let text = ev.text?;
        if text.len() <= super::surely_fits_below(MAX_MESSAGE_BYTES) {
            return None;
        }
        let size = self.body(text, &DeliverOptions::default()).ok()?.len();
        (size > MAX_MESSAGE_BYTES).then(|| crate::eval::Check {
            index: None,
            field: "messageSize".into(),
            comparison: "lte".into(),
            state: None,
            expected: MAX_MESSAGE_BYTES.into(),
            actual: size.into(),
            present: true,
            passed: false,
            reason: format!(
                "the message would be {size} bytes; Workfront does not deliver messages larger than 1 MB ({MAX_MESSAGE_BYTES} bytes)"
            ),
            connector: None,
            filters: None,
        })
    }

    #[cfg_attr(hookmatch_package, optimize(size))]
    fn size_limit(&self) -> Option<usize> {
        Some(MAX_MESSAGE_BYTES)
    }
}

#[cfg(test)]
mod tests {
    use crate::set::SubscriptionSet;
    use serde_json::json;

    fn member(id: &str, token: &str, base64: bool) -> serde_json::Value {
        json!({"id": id, "dialect": "workfront", "spec": {
            "objCode": "TASK", "eventType": "UPDATE", "authToken": token,
            "url": "https://hooks.example.com/wf", "base64Encoding": base64,
            "filters": [{"fieldName": "status", "fieldValue": "CUR"}]}})
    }

    fn codes(set: &SubscriptionSet) -> Vec<(String, Vec<&'static str>)> {
        set.lint()
            .into_iter()
            .map(|(id, ds)| (id, ds.iter().map(|d| d.code.as_str()).collect()))
            .collect()
    }

    /// "Multiple event subscriptions can be applied to a single object as
    /// long as one or more event subscription field parameters are
    /// different" (event-subs-api.md, "Event subscription filtering",
    /// e889906): the token and base64Encoding are such fields.
    #[test]
    fn duplicates_differ_in_no_field_the_token_included() {
        let set = SubscriptionSet::compile(&json!([
            member("a", "token-one", false),
            member("same", "token-one", false),
            member("other-token", "token-two", false),
            member("base64", "token-one", true),
        ]))
        .unwrap();
        let found = codes(&set);
        assert_eq!(
            found[0],
            ("same".to_string(), vec!["duplicate_subscription"])
        );
        // Distinct subscriptions to one URL that fire together: overlaps.
        assert_eq!(
            found[1],
            ("other-token".to_string(), vec!["overlapping_delivery"])
        );
        assert_eq!(
            found[2],
            ("base64".to_string(), vec!["overlapping_delivery"])
        );
        assert_eq!(found.len(), 3);
        let text = format!("{:?}", set.lint());
        assert!(!text.contains("token-one") && !text.contains("token-two"));
    }
}
