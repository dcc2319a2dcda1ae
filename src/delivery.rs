//! Delivery previews: the exact request a vendor would send for a matched
//! event — method, URL, headers and body, byte for byte.

use crate::dialect::{DeliverySettings, Event};
use crate::error::{Error, ErrorKind};
use serde::Serialize;
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delivery {
    pub method: &'static str,
    pub url: String,
    /// Header names in the order the vendor sends them.
    pub headers: Map<String, Value>,
    pub body: String,
}

/// When an event happened, as Workfront writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventTime {
    pub epoch_second: i64,
    pub nano: u32,
}

impl EventTime {
    pub fn from_millis(ms: f64) -> Option<EventTime> {
        if !ms.is_finite() || ms.abs() > 8.64e15 {
            return None;
        }
        let whole = ms.floor();
        let epoch_second = (whole / 1000.0).floor() as i64;
        let rem_ms = whole - (epoch_second as f64) * 1000.0;
        Some(EventTime {
            epoch_second,
            nano: (rem_ms as u32).min(999) * 1_000_000,
        })
    }

    fn from_json(v: &Value) -> Option<EventTime> {
        match v {
            Value::Number(n) => EventTime::from_millis(n.as_f64()?),
            Value::Object(m) => {
                let epoch_second = m.get("epochSecond")?.as_i64()?;
                let nano = match m.get("nano") {
                    None => 0,
                    Some(n) => u32::try_from(n.as_u64()?)
                        .ok()
                        .filter(|n| *n < 1_000_000_000)?,
                };
                Some(EventTime { epoch_second, nano })
            }
            _ => None,
        }
    }
}

/// What the caller may set on a delivery preview.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeliverOptions {
    pub subscription_id: Option<String>,
    pub event_time: Option<EventTime>,
    /// The caller's clock, used when neither the options nor the event give a time.
    pub now_ms: Option<f64>,
}

impl DeliverOptions {
    /// Read `{subscriptionId?, eventTime?}` from a JSON object.
    pub fn from_json(v: &Value) -> Result<DeliverOptions, Error> {
        let mut o = DeliverOptions::default();
        let Some(m) = v.as_object() else {
            if v.is_null() {
                return Ok(o);
            }
            return Err(Error::new(
                ErrorKind::InvalidInput,
                "deliver options must be an object",
            ));
        };
        match m.get("subscriptionId") {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) => o.subscription_id = Some(s.clone()),
            Some(_) => {
                return Err(Error::new(
                    ErrorKind::InvalidInput,
                    "opts.subscriptionId must be a string",
                )
                .at("/subscriptionId"))
            }
        }
        match m.get("eventTime") {
            None | Some(Value::Null) => {}
            Some(t) => {
                o.event_time = Some(EventTime::from_json(t).ok_or_else(|| {
                    Error::new(
                    ErrorKind::InvalidInput,
                    "opts.eventTime must be milliseconds since the epoch or {epochSecond, nano}",
                )
                .at("/eventTime")
                })?)
            }
        }
        Ok(o)
    }
}

/// Placeholder for a delivery preview whose event and options carry no subscription id.
pub const PREVIEW_SUBSCRIPTION_ID: &str = "hookmatch-preview";

pub fn build(settings: &DeliverySettings, ev: &Event<'_>, opts: &DeliverOptions) -> Delivery {
    match settings {
        DeliverySettings::Workfront {
            url,
            auth_token,
            base64,
        } => workfront(url, auth_token, *base64, ev, opts),
    }
}

/// CONTRACT.md §2 "Delivery": `{eventType, subscriptionId, eventTime:{nano,
/// epochSecond}, newState, oldState}` in that order; states as base64 of their
/// JSON text when `base64Encoding` is on.
fn workfront(
    url: &str,
    token: &str,
    base64: bool,
    ev: &Event<'_>,
    opts: &DeliverOptions,
) -> Delivery {
    let root = ev.root.as_object();
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
        if base64 {
            Value::String(crate::base64::encode(v.to_string().as_bytes()))
        } else {
            v.clone()
        }
    };
    let mut body = Map::new();
    body.insert("eventType".into(), event_type);
    body.insert("subscriptionId".into(), subscription_id);
    body.insert("eventTime".into(), Value::Object(time_json));
    body.insert("newState".into(), state(&ev.new_state));
    body.insert("oldState".into(), state(&ev.old_state));
    let mut headers = Map::new();
    headers.insert("Content-Type".into(), "application/json".into());
    headers.insert("Authorization".into(), format!("Bearer {token}").into());
    Delivery {
        method: "POST",
        url: url.to_string(),
        headers,
        body: Value::Object(body).to_string(),
    }
}
