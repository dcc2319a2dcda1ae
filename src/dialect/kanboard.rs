//! Kanboard web hooks (seed 003): `{url, token, events?}`. Kanboard sends
//! every internal event to one URL; `events` (a hookmatch narrowing of the
//! seed's list) and `filters` (the shared extension) run in the receiver.

use super::spec::{self, Checkpoint, Unknown};
use super::{Compiled, Deliver, EventShape, IndexField, Normalized, SpecContext, Vendor};
use crate::delivery::{post, DeliverOptions, Delivery, JSON};
use crate::error::{join, unknown_message, Diagnostic, Error, ErrorKind};
use crate::event::{At, Event, State};
use crate::filters;
use crate::plan::{GateCheck, GateSource, GateTest, Plan};
use crate::text::type_name;
use serde_json::{Map, Value};
use std::sync::Arc;

/// Kanboard web hooks.
pub struct Kanboard;

impl Vendor for Kanboard {
    fn name(&self) -> &'static str {
        "kanboard"
    }

    fn vendor(&self) -> &'static str {
        "Kanboard"
    }

    fn claims(&self, spec: &Map<String, Value>) -> bool {
        let has = |k| crate::json::field(spec, k).is_some();
        has("url") && (has("token") || has("events")) && !has("objCode")
    }

    fn needs(&self) -> &'static str {
        "url and token (or events)"
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
            new_state: &["event_data"],
            old_state: None,
            // `changes` drives the old state.
            required: &[&["event_name"], &["event_data", "changes"]],
            containers: &[],
            envelope: None,
        }
    }

    fn index_fields(&self) -> &'static [IndexField] {
        &[IndexField {
            field: "event_name",
            source: GateSource::Root(&["event_name"]),
        }]
    }
}

/// The fourteen events of the seed, in its order.
pub const EVENTS: [&str; 14] = [
    "comment.create",
    "comment.update",
    "file.create",
    "task.move.project",
    "task.move.column",
    "task.move.position",
    "task.move.swimlane",
    "task.update",
    "task.create",
    "task.close",
    "task.open",
    "task.assignee_change",
    "subtask.update",
    "subtask.create",
];

const KNOWN_KEYS: [&str; 5] = ["url", "token", "events", "filters", "filterConnector"];

fn compile(obj: &Map<String, Value>, diags: &mut Vec<Diagnostic>) -> Option<Compiled> {
    let checkpoint = Checkpoint::new(diags);
    spec::unknown_keys(obj, "", "field", &KNOWN_KEYS, &[], Unknown::Ignored, diags);
    let url = spec::url_field(obj, "url", diags);
    let token = spec::required_string(obj, "token", diags).map(str::to_string);

    let events: Vec<Value> = match crate::json::field(obj, "events") {
        None | Some(Value::Null) => EVENTS.iter().map(|e| Value::String((*e).into())).collect(),
        Some(Value::Array(list)) => {
            if list.is_empty() {
                diags.push(Diagnostic::error(
                    "empty_events",
                    "/events",
                    "events is empty, so nothing would ever be delivered; leave it out to receive every event",
                ));
            }
            let mut out: Vec<Value> = Vec::new();
            for (i, e) in list.iter().enumerate() {
                let path = join("/events", i);
                match e {
                    Value::String(name) if EVENTS.contains(&name.as_str()) => {
                        if out.contains(e) {
                            diags.push(Diagnostic::warning(
                                "duplicate_event",
                                path,
                                format!("{name} is listed twice"),
                            ));
                        } else {
                            out.push(e.clone());
                        }
                    }
                    Value::String(name) => diags.push(Diagnostic::error(
                        "unknown_event",
                        path,
                        unknown_message("Kanboard event", name, &EVENTS),
                    )),
                    other => diags.push(Diagnostic::error(
                        "invalid_type",
                        path,
                        format!("each event must be a string, got {}", type_name(other)),
                    )),
                }
            }
            out
        }
        Some(other) => {
            diags.push(Diagnostic::error(
                "invalid_type",
                "/events",
                format!(
                    "events must be an array of event names, got {}",
                    type_name(other)
                ),
            ));
            Vec::new()
        }
    };
    let (connector, entries) = filters::parse_extension(obj, "Kanboard", diags);

    if checkpoint.failed(diags) {
        return None;
    }
    let (url, token) = (url?, token?);
    let mut normalized = Vec::with_capacity(8);
    normalized.push(("url", url.clone().into()));
    normalized.push(("token", super::REDACTED.into()));
    if crate::json::field(obj, "events").is_some_and(|e| !e.is_null()) {
        normalized.push(("events", Value::Array(events.clone())));
    }
    let filters_at = (!entries.is_empty()).then_some(normalized.len());
    Some(Compiled {
        plan: Plan {
            gate: vec![GateCheck {
                field: "event_name",
                source: GateSource::Root(&["event_name"]),
                test: GateTest::OneOf(events),
            }],
            connector,
            entries,
        },
        normalized: Normalized {
            fields: normalized,
            filters_at,
        },
        delivery: Arc::new(KanboardDelivery { url, token }),
    })
}

/// A Kanboard event `{event_name, event_data}`. Filters read `event_data`.
/// Kanboard sends only the new values; for `changed` (and `oldState`) the old
/// state is `event_data` without the keys listed in `changes`, so a field in
/// `changes` counts as changed and every other field as unchanged.
fn prepare(event: At<'_>) -> Result<Event<'_>, Error> {
    let obj = spec::event_object(event, "Kanboard")?;
    spec::event_string(obj, "event_name", "Kanboard")?;
    let data = match obj.get("event_data") {
        Some(v) if v.is_object() => v,
        Some(other) => {
            return Err(Error::new(
                ErrorKind::InvalidEvent,
                format!("event_data must be an object, got {}", other.type_name()),
            )
            .at("/event_data"))
        }
        None => {
            return Err(
                Error::new(ErrorKind::InvalidEvent, "a Kanboard event needs event_data")
                    .at("/event_data"),
            )
        }
    };
    // The old state is the data with the changed keys taken out (their
    // values before the change are not in the event).
    let changes = data
        .get("changes")
        .and_then(At::value)
        .and_then(Value::as_object);
    let old_state = match changes {
        Some(changes) if !changes.is_empty() => {
            let mut old = match data.to_value().into_owned() {
                Value::Object(m) => m,
                _ => Map::new(),
            };
            for key in changes.keys() {
                old.shift_remove(key);
            }
            old.shift_remove("changes");
            State::Made(Value::Object(old))
        }
        _ => State::In(data),
    };
    Ok(Event::new(event, State::In(data), old_state))
}

/// How Kanboard delivers: `POST <url>?token=<token>` with the event's name and data.
#[derive(Debug)]
struct KanboardDelivery {
    url: String,
    token: String,
}

impl Deliver for KanboardDelivery {
    fn deliver(
        &self,
        ev: &Event<'_>,
        _text: &str,
        _opts: &DeliverOptions,
    ) -> Result<Delivery, Error> {
        // Kanboard posts `{event_name, event_data}` exactly (other keys dropped).
        let root = ev.root.to_value();
        let mut body = Map::new();
        for key in ["event_name", "event_data"] {
            body.insert(key.into(), root.get(key).cloned().unwrap_or(Value::Null));
        }
        Ok(post(
            &url_with_token(&self.url, &self.token),
            &[
                ("User-Agent", "Kanboard Webhook".into()),
                ("Content-Type", JSON.into()),
            ],
            Value::Object(body).to_string(),
        ))
    }
}

/// `POST <url>?token=<token>`: an existing query string is kept, a fragment
/// stays last, and the token is percent-encoded (RFC 3986 unreserved kept).
pub fn url_with_token(url: &str, token: &str) -> String {
    let (base, fragment) = match url.find('#') {
        Some(i) => url.split_at(i),
        None => (url, ""),
    };
    let sep = if base.contains('?') {
        if base.ends_with('?') || base.ends_with('&') {
            ""
        } else {
            "&"
        }
    } else {
        "?"
    };
    let mut out = String::with_capacity(url.len() + token.len() + 8);
    out.push_str(base);
    out.push_str(sep);
    out.push_str("token=");
    for b in token.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out.push_str(fragment);
    out
}

#[cfg(test)]
mod tests {
    use super::url_with_token;

    #[test]
    fn token_goes_in_the_query() {
        assert_eq!(
            url_with_token("https://h/x", "abc"),
            "https://h/x?token=abc"
        );
        assert_eq!(
            url_with_token("https://h/x?a=1", "abc"),
            "https://h/x?a=1&token=abc"
        );
        assert_eq!(
            url_with_token("https://h/x?", "abc"),
            "https://h/x?token=abc"
        );
        assert_eq!(
            url_with_token("https://h/x#f", "a b&c/é"),
            "https://h/x?token=a%20b%26c%2F%C3%A9#f"
        );
    }
}
