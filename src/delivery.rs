//! Delivery previews: the exact request a vendor would send for a matched
//! event — method, URL, headers and body, byte for byte. Bodies are compact
//! JSON with the event's own key order; the same inputs give the same bytes
//! natively and in wasm.

use crate::dialect::{kanboard, rservice, DeliverySettings, Event};
use crate::error::{Error, ErrorKind};
use crate::signing;
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

/// A signature scheme any dialect can add on request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureScheme {
    /// <https://www.standardwebhooks.com>: `webhook-id`, `webhook-timestamp`, `webhook-signature`.
    StandardWebhooks,
}

/// What the caller may set on a delivery preview.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeliverOptions {
    pub subscription_id: Option<String>,
    pub event_time: Option<EventTime>,
    /// The signing secret (Asana's handshake secret; `whsec_…` for Standard
    /// Webhooks; overrides a ricloud config's own secret).
    pub secret: Option<String>,
    pub webhook_id: Option<String>,
    /// Unix seconds for signatures.
    pub timestamp: Option<i64>,
    /// The vendor's test delivery (R-Service, ricloud), with `deliver(null, …)`.
    pub test: bool,
    /// Asana's handshake request, with `deliver(null, …)`.
    pub handshake: bool,
    pub signature: Option<SignatureScheme>,
    /// The caller's clock (ms), used when neither the options nor the event give a time.
    pub now_ms: Option<f64>,
    /// Random bytes from the caller for generated ids and secrets; without
    /// them, ids are derived from the body (deterministic).
    pub random: Option<[u8; 32]>,
}

fn invalid(message: &str, path: &str) -> Error {
    Error::new(ErrorKind::InvalidInput, message.to_string()).at(path)
}

impl DeliverOptions {
    /// Read the options object (`null` is no options).
    pub fn from_json(v: &Value) -> Result<DeliverOptions, Error> {
        let mut o = DeliverOptions::default();
        let Some(m) = v.as_object() else {
            if v.is_null() {
                return Ok(o);
            }
            return Err(invalid("deliver options must be an object", ""));
        };
        let string = |key: &str| -> Result<Option<String>, Error> {
            match m.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(invalid(
                    &format!("opts.{key} must be a string"),
                    &format!("/{key}"),
                )),
            }
        };
        let flag = |key: &str| -> Result<bool, Error> {
            match m.get(key) {
                None | Some(Value::Null) => Ok(false),
                Some(Value::Bool(b)) => Ok(*b),
                Some(_) => Err(invalid(
                    &format!("opts.{key} must be true or false"),
                    &format!("/{key}"),
                )),
            }
        };
        o.subscription_id = string("subscriptionId")?;
        o.secret = string("secret")?;
        o.webhook_id = string("webhookId")?;
        o.test = flag("test")?;
        o.handshake = flag("handshake")?;
        if let Some(t) = m.get("eventTime").filter(|t| !t.is_null()) {
            o.event_time = Some(EventTime::from_json(t).ok_or_else(|| {
                invalid(
                    "opts.eventTime must be milliseconds since the epoch or {epochSecond, nano}",
                    "/eventTime",
                )
            })?);
        }
        match m.get("timestamp") {
            None | Some(Value::Null) => {}
            Some(Value::Number(n)) if n.as_i64().is_some_and(|t| t >= 0) => {
                o.timestamp = n.as_i64()
            }
            Some(_) => {
                return Err(invalid(
                    "opts.timestamp must be whole Unix seconds",
                    "/timestamp",
                ))
            }
        }
        match string("signature")?.as_deref() {
            None => {}
            Some("standard-webhooks") => o.signature = Some(SignatureScheme::StandardWebhooks),
            Some(other) => {
                return Err(invalid(
                    &crate::error::unknown_message(
                        "signature scheme",
                        other,
                        &["standard-webhooks"],
                    ),
                    "/signature",
                ))
            }
        }
        Ok(o)
    }

    fn now_seconds(&self) -> i64 {
        self.now_ms.map_or(0, |ms| (ms / 1000.0).floor() as i64)
    }

    fn timestamp(&self) -> i64 {
        self.timestamp.unwrap_or_else(|| self.now_seconds())
    }

    /// 32 bytes for generated values: the caller's randomness, else a hash
    /// of `seed` (so native previews stay deterministic).
    fn entropy(&self, seed: &str) -> [u8; 32] {
        self.random
            .unwrap_or_else(|| signing::hmac_sha256(b"hookmatch-preview", &[seed.as_bytes()]))
    }
}

/// Placeholder for a delivery preview whose event and options carry no subscription id.
pub const PREVIEW_SUBSCRIPTION_ID: &str = "hookmatch-preview";

fn headers(pairs: &[(&str, String)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), Value::String(v.clone())))
        .collect()
}

fn post(url: &str, pairs: &[(&str, String)], body: String) -> Delivery {
    Delivery {
        method: "POST",
        url: url.to_string(),
        headers: headers(pairs),
        body,
    }
}

const JSON: &str = "application/json";

/// The delivery for a matched event.
pub fn build(
    settings: &DeliverySettings,
    ev: &Event<'_>,
    opts: &DeliverOptions,
) -> Result<Delivery, Error> {
    // Deliveries are built from a full parse, so this borrows.
    let root = ev.root.to_value();
    let root: &Value = &root;
    let delivery = match settings {
        DeliverySettings::Workfront {
            url,
            auth_token,
            base64,
        } => workfront(url, auth_token, *base64, ev, opts),
        DeliverySettings::Asana { target } => {
            let body = format!("{{\"events\":[{}]}}", root);
            let mut pairs = vec![("Content-Type", JSON.to_string())];
            if let Some(secret) = &opts.secret {
                pairs.push(("X-Hook-Signature", signing::asana_signature(secret, &body)));
            }
            post(target, &pairs, body)
        }
        DeliverySettings::Kanboard { url, token } => post(
            &kanboard::url_with_token(url, token),
            &[
                ("User-Agent", "Kanboard Webhook".into()),
                ("Content-Type", JSON.into()),
            ],
            kanboard_body(root),
        ),
        DeliverySettings::RService { uri, .. } => {
            post(uri, &[("Content-Type", JSON.into())], root.to_string())
        }
        DeliverySettings::Ricloud { url, secret } => ricloud(
            url,
            opts.secret.as_deref().unwrap_or(secret),
            root.to_string(),
            opts,
        ),
    };
    sign(delivery, opts)
}

/// The request a vendor sends with no event: Asana's handshake, R-Service's
/// and ricloud's test deliveries.
pub fn build_without_event(
    settings: &DeliverySettings,
    opts: &DeliverOptions,
) -> Result<Delivery, Error> {
    let delivery = match settings {
        DeliverySettings::Asana { target } if opts.handshake => {
            let secret = match &opts.secret {
                Some(s) => s.clone(),
                None => hex::encode(opts.entropy(target)),
            };
            post(target, &[("X-Hook-Secret", secret)], String::new())
        }
        DeliverySettings::RService { uri, event, .. } if opts.test => {
            // The seed: "The object_id will always be equal to 12345 for these
            // tests"; disabled webhooks can be tested too.
            let mut body = Map::new();
            body.insert("event".into(), event.clone().into());
            body.insert("object_id".into(), rservice::TEST_OBJECT_ID.into());
            body.insert("payload".into(), Value::Object(Map::new()));
            post(
                uri,
                &[("Content-Type", JSON.into())],
                Value::Object(body).to_string(),
            )
        }
        DeliverySettings::Ricloud { url, secret } if opts.test => {
            let id = opts
                .webhook_id
                .clone()
                .unwrap_or_else(|| uuid(&opts.entropy(url)));
            let mut body = Map::new();
            body.insert("id".into(), id.into());
            body.insert("type".into(), "webhook_config".into());
            body.insert("action".into(), "test".into());
            body.insert("data".into(), Value::Object(Map::new()));
            ricloud(
                url,
                opts.secret.as_deref().unwrap_or(secret),
                Value::Object(body).to_string(),
                opts,
            )
        }
        other => {
            let what = match other {
                DeliverySettings::Asana { .. } => {
                    "an Asana preview without an event needs { handshake: true }"
                }
                DeliverySettings::RService { .. } | DeliverySettings::Ricloud { .. } => {
                    "a preview without an event needs { test: true }"
                }
                _ => "this dialect has no delivery without an event; pass an event",
            };
            return Err(Error::new(ErrorKind::InvalidInput, what));
        }
    };
    sign(delivery, opts)
}

/// Add the opt-in Standard Webhooks headers.
fn sign(mut d: Delivery, opts: &DeliverOptions) -> Result<Delivery, Error> {
    if opts.signature != Some(SignatureScheme::StandardWebhooks) {
        return Ok(d);
    }
    let secret = opts.secret.as_deref().ok_or_else(|| {
        invalid(
            "standard-webhooks signatures need opts.secret (\"whsec_…\")",
            "/secret",
        )
    })?;
    let key = signing::standard_key(secret)?;
    let id = opts.webhook_id.clone().unwrap_or_else(|| {
        format!(
            "msg_{}",
            crate::base64::encode_with(&opts.entropy(&d.body)[..16], crate::base64::Alphabet::Url)
        )
    });
    let ts = opts.timestamp();
    let sig = signing::standard_signature(&key, &id, ts, &d.body);
    d.headers.insert("webhook-id".into(), id.into());
    d.headers
        .insert("webhook-timestamp".into(), ts.to_string().into());
    d.headers.insert("webhook-signature".into(), sig.into());
    Ok(d)
}

fn ricloud(url: &str, secret: &str, body: String, opts: &DeliverOptions) -> Delivery {
    let header = signing::ricloud_header(secret, opts.timestamp(), &body);
    post(
        url,
        &[("Content-Type", JSON.into()), ("Ricloud-Signature", header)],
        body,
    )
}

/// Kanboard posts `{event_name, event_data}` exactly (other keys dropped).
fn kanboard_body(root: &Value) -> String {
    let mut body = Map::new();
    for key in ["event_name", "event_data"] {
        body.insert(key.into(), root.get(key).cloned().unwrap_or(Value::Null));
    }
    Value::Object(body).to_string()
}

/// A version 4 UUID from 16 of the bytes.
fn uuid(bytes: &[u8; 32]) -> String {
    let mut b = [0u8; 16];
    b.copy_from_slice(&bytes[..16]);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
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
    body.insert("newState".into(), state(&ev.new_state.at().to_value()));
    body.insert("oldState".into(), state(&ev.old_state.at().to_value()));
    post(
        url,
        &[
            ("Content-Type", JSON.into()),
            ("Authorization", format!("Bearer {token}")),
        ],
        Value::Object(body).to_string(),
    )
}
