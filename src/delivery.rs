//! Delivery previews: the exact request a vendor would send for a matched
//! event — method, URL, headers and body, byte for byte. Bodies are compact
//! JSON with the event's own key order; the same inputs give the same bytes
//! natively and in wasm.

use crate::error::{Code, Error};
use crate::eval::Check;
use crate::event::Event;
use crate::signing;
use serde::Serialize;
use serde_json::{Map, Value};
use std::fmt;

/// The request a vendor would send.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Delivery {
    #[cfg_attr(test, ts(type = "\"POST\""))]
    pub method: &'static str,
    pub url: String,
    /// Header names in the order the vendor sends them.
    #[cfg_attr(test, ts(type = "Record<string, string>"))]
    pub headers: Map<String, Value>,
    pub body: String,
    /// Every place in this request where a secret or a signature sits, so
    /// that a screen, a log or a copied `curl` can mask exactly those
    /// (`maskDelivery` reads only this: it knows no vendor).
    pub secrets: Vec<SecretPlace>,
}

/// One place of a [`Delivery`] that holds a secret or a signature: a header
/// (its whole value) or the value of a query parameter of the URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SecretPlace {
    /// A header of `headers`, by the name it has there.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub header: Option<&'static str>,
    /// A query parameter of `url`, by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub query: Option<&'static str>,
    /// With `query`: where its value is, `url.slice(start, end)` in UTF-16
    /// code units as JavaScript indexes strings. The name alone cannot say
    /// it: the URL may already hold a parameter of that name, and a value
    /// written as is (Kanboard's token) may hold `&` or `#`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub start: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub end: Option<usize>,
}

impl Delivery {
    /// Mark header `name` (as written in `headers`) as a secret.
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn secret_header(mut self, name: &'static str) -> Delivery {
        debug_assert!(self.headers.contains_key(name), "{name}");
        self.secrets.push(SecretPlace {
            header: Some(name),
            query: None,
            start: None,
            end: None,
        });
        self
    }

    /// Mark the value of query parameter `name` at bytes `value` of the URL
    /// as a secret.
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn secret_query(mut self, name: &'static str, value: std::ops::Range<usize>) -> Delivery {
        let utf16 = |at: usize| self.url[..at].encode_utf16().count();
        let (start, end) = (utf16(value.start), utf16(value.end));
        self.secrets.push(SecretPlace {
            header: None,
            query: Some(name),
            start: Some(start),
            end: Some(end),
        });
        self
    }
}

/// When an event happened, as Workfront writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventTime {
    pub epoch_second: i64,
    pub nano: u32,
}

impl EventTime {
    #[cfg_attr(hookmatch_package, optimize(size))]
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

    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn from_json(v: &Value) -> Option<EventTime> {
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
    /// Asana's heartbeat (`{"events":[]}`), with `deliver(null, …)`.
    pub heartbeat: bool,
    pub signature: Option<SignatureScheme>,
    /// The caller's clock (ms), used when neither the options nor the event give a time.
    pub now_ms: Option<f64>,
    /// Random bytes from the caller for generated ids and secrets; without
    /// them, ids are derived from the body (deterministic).
    pub random: Option<[u8; 32]>,
}

#[cfg_attr(hookmatch_package, optimize(size))]
fn invalid(message: &str, path: &str) -> Error {
    Error::new(Code::InvalidInput, message.to_string()).at(path)
}

impl DeliverOptions {
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn now_seconds(&self) -> i64 {
        self.now_ms.map_or(0, |ms| (ms / 1000.0).floor() as i64)
    }

    /// Unix seconds for signatures: the caller's, else now.
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn timestamp(&self) -> i64 {
        self.timestamp.unwrap_or_else(|| self.now_seconds())
    }

    /// 32 bytes for generated values: the caller's randomness, else a hash
    /// of `seed` (so native previews stay deterministic).
    pub fn entropy(&self, seed: &str) -> [u8; 32] {
        self.random
            .unwrap_or_else(|| signing::hmac_sha256(b"hookmatch-preview", &[seed.as_bytes()]))
    }
}

/// How a vendor builds the requests it sends.
pub trait Deliver: fmt::Debug + Send + Sync {
    /// The request for a matched event. `text` is the event's JSON text
    /// (bodies keep its numbers as written).
    fn deliver(&self, ev: &Event<'_>, text: &str, opts: &DeliverOptions)
        -> Result<Delivery, Error>;

    /// A secret that the vendor counts among the fields that make two
    /// subscriptions distinct (Workfront's `authToken`), for `set.lint()`'s
    /// `duplicate_subscription`, which compares a MAC of it and never shows
    /// it. `None`: the normalized spec (secrets redacted) alone decides.
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn distinguishing_secret(&self) -> Option<&str> {
        None
    }

    /// A request with no event (Asana's handshake and heartbeat, a vendor's
    /// test delivery).
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn without_event(&self, _opts: &DeliverOptions) -> Result<Delivery, Error> {
        Err(Error::new(
            Code::InvalidInput,
            "this dialect sends nothing without an event; pass an event",
        ))
    }

    /// Whether this subscription would not deliver the event although its
    /// plan matches, and why (Workfront's 1 MB message limit). `None`: it
    /// delivers.
    fn refuses(&self, _ev: &Event<'_>) -> Option<Check> {
        None
    }

    /// The largest message the vendor sends, in bytes, when it has a
    /// limit ([`Deliver::refuses`] then needs the event's whole text). An
    /// event without its text, or whose text is at most
    /// [`crate::dialect::surely_fits_below`] of the limit, is never refused:
    /// a set decides such members without asking (`set/index.rs`, `Quick`).
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn size_limit(&self) -> Option<usize> {
        None
    }
}

#[cfg_attr(hookmatch_package, optimize(size))]
fn headers(pairs: &[(&str, String)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), Value::String(v.clone())))
        .collect()
}

/// A `POST` with these headers, in this order.
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn post(url: &str, pairs: &[(&str, String)], body: String) -> Delivery {
    Delivery {
        method: "POST",
        url: url.to_string(),
        headers: headers(pairs),
        body,
        secrets: Vec::new(),
    }
}

pub const JSON: &str = "application/json";

/// The delivery for a matched event, with any signature the caller asked for.
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn build(
    vendor: &dyn Deliver,
    ev: &Event<'_>,
    text: &str,
    opts: &DeliverOptions,
) -> Result<Delivery, Error> {
    sign(vendor.deliver(ev, text, opts)?, opts)
}

/// The request a vendor sends with no event (Asana's handshake, R-Service's
/// and ricloud's test deliveries).
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn build_without_event(vendor: &dyn Deliver, opts: &DeliverOptions) -> Result<Delivery, Error> {
    sign(vendor.without_event(opts)?, opts)
}

/// Add the opt-in Standard Webhooks headers.
#[cfg_attr(hookmatch_package, optimize(size))]
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
    Ok(d.secret_header("webhook-signature"))
}

/// A version 4 UUID from 16 of the bytes.
pub fn uuid(bytes: &[u8; 32]) -> String {
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

#[cfg(test)]
mod tests {
    use super::{DeliverOptions, SignatureScheme};
    use crate::subscription::{CompileOptions, Subscription};
    use serde_json::{json, Value};

    /// Each secret place, read as a masker reads it, in a delivery.
    fn places(d: &super::Delivery) -> Vec<String> {
        let utf16: Vec<u16> = d.url.encode_utf16().collect();
        d.secrets
            .iter()
            .map(|p| match (p.header, p.query, p.start, p.end) {
                (Some(h), None, None, None) => d.headers[h].as_str().unwrap().to_string(),
                (None, Some(_), Some(s), Some(e)) => String::from_utf16(&utf16[s..e]).unwrap(),
                other => panic!("{other:?}"),
            })
            .collect()
    }

    fn deliver(spec: Value, event: Option<Value>, opts: DeliverOptions) -> super::Delivery {
        Subscription::compile(&spec, CompileOptions::default())
            .unwrap()
            .deliver(event.as_ref(), &opts)
            .unwrap()
            .unwrap()
    }

    /// Milliseconds as a JavaScript `Date` holds them (ECMA-262, "Time
    /// Values and Time Range": ±8.64e15 ms, the ends included) become
    /// seconds and nanoseconds as Java's `Instant.ofEpochMilli` splits them
    /// (the seconds floored, the nanoseconds never negative); past the range,
    /// NaN and the infinities are no time.
    #[test]
    fn event_time_from_millis_covers_the_date_range_and_no_more() {
        use super::EventTime;
        let t = |epoch_second, nano| Some(EventTime { epoch_second, nano });
        assert_eq!(EventTime::from_millis(8.64e15), t(8_640_000_000_000, 0));
        assert_eq!(EventTime::from_millis(-8.64e15), t(-8_640_000_000_000, 0));
        assert_eq!(
            EventTime::from_millis(1_700_000_000_123.9),
            t(1_700_000_000, 123_000_000)
        );
        // Instant.ofEpochMilli(-2): epochSecond -1, nano 998000000.
        assert_eq!(EventTime::from_millis(-2.0), t(-1, 998_000_000));
        for none in [
            8.64e15 + 1.0,
            -8.64e15 - 1.0,
            1e300,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            assert_eq!(EventTime::from_millis(none), None, "{none}");
        }
    }

    /// An `eventTime` object's `nano` is Java's `Instant` nano-of-second:
    /// 0 to 999,999,999; a billion is a second, not a nano.
    #[test]
    fn event_time_nano_is_below_a_second() {
        use super::EventTime;
        let of = |nano: u64| EventTime::from_json(&json!({"epochSecond": 5, "nano": nano}));
        assert_eq!(
            of(999_999_999),
            Some(EventTime {
                epoch_second: 5,
                nano: 999_999_999
            })
        );
        assert_eq!(of(1_000_000_000), None);
    }

    /// Without `timestamp`, a Standard Webhooks signature is stamped with
    /// the caller's clock in whole seconds (`now` in ms, floored), and
    /// verifies at that time.
    #[test]
    fn standard_webhooks_timestamp_is_the_callers_clock_in_seconds() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let d = deliver(
            json!({"event": "problem.update", "uri": "https://h.example/s"}),
            Some(json!({"event": "problem.update", "object_id": 1, "payload": {}})),
            DeliverOptions {
                signature: Some(SignatureScheme::StandardWebhooks),
                secret: Some(secret.into()),
                now_ms: Some(1_700_000_000_999.0),
                ..DeliverOptions::default()
            },
        );
        assert_eq!(d.headers["webhook-timestamp"], "1700000000");
        let delivery = json!({"headers": d.headers, "body": d.body});
        let at = crate::signing::VerifyOptions {
            now: 1_700_000_000,
            tolerance: Some(0),
        };
        assert!(crate::dialect::verify(&delivery, secret, at).unwrap());
    }

    /// A generated `webhook-id` comes from the caller's random bytes, or
    /// without them from the body: two events, or two random draws, give
    /// two ids (a receiver deduplicates on it), the same event the same id.
    #[test]
    fn generated_webhook_ids_differ_per_body_and_per_random_draw() {
        let id = |object_id: u32, random: Option<[u8; 32]>| {
            let d = deliver(
                json!({"event": "problem.update", "uri": "https://h.example/s"}),
                Some(json!({"event": "problem.update", "object_id": object_id, "payload": {}})),
                DeliverOptions {
                    signature: Some(SignatureScheme::StandardWebhooks),
                    secret: Some("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".into()),
                    timestamp: Some(1_700_000_000),
                    random,
                    ..DeliverOptions::default()
                },
            );
            d.headers["webhook-id"].as_str().unwrap().to_string()
        };
        assert_eq!(id(1, None), id(1, None));
        assert_ne!(id(1, None), id(2, None));
        assert_ne!(id(1, Some([7; 32])), id(1, Some([8; 32])));
        assert_eq!(id(1, Some([7; 32])), id(2, Some([7; 32])));
    }

    /// RFC 9562 version 4: the version nibble is 4 and the variant bits
    /// are `10`, whatever the random bytes; the rest are the bytes.
    #[test]
    fn uuid_sets_version_4_and_the_rfc_variant() {
        assert_eq!(
            super::uuid(&[0xff; 32]),
            "ffffffff-ffff-4fff-bfff-ffffffffffff"
        );
        assert_eq!(
            super::uuid(&[0; 32]),
            "00000000-0000-4000-8000-000000000000"
        );
    }

    /// Only Workfront limits a message's size ("cannot be larger than
    /// 1 MB", read as 1 MiB: docs/vendors/workfront.md); the other vendors
    /// document none, so their events are never kept whole to be measured
    /// (no `wholeAbove` for the JS object walk).
    #[test]
    fn only_workfront_has_a_message_size_limit() {
        let compile =
            |spec: Value| Subscription::compile(&spec, CompileOptions::default()).unwrap();
        let wf = compile(
            json!({"objCode": "TASK", "eventType": "CREATE", "url": "https://h.example/wf", "authToken": "tok"}),
        );
        assert_eq!(wf.size_limit(), Some(1_048_576));
        assert!(wf.projection_export().get("wholeAbove").is_some());
        for spec in [
            json!({"resource": "1", "target": "https://h.example/a"}),
            json!({"url": "https://k.example.com/hook", "token": "t"}),
            json!({"url": "https://h.example/r", "secret": "rs", "state": "valid"}),
            json!({"event": "problem.update", "uri": "https://h.example/s"}),
        ] {
            let sub = compile(spec.clone());
            assert_eq!(sub.size_limit(), None, "{spec}");
            assert!(
                sub.projection_export().get("wholeAbove").is_none(),
                "{spec}"
            );
        }
    }

    /// Kanboard appends `token=` and the token as it is, after whatever
    /// the URL holds (WebhookNotification::notifyProject): the place is the
    /// appended value, in UTF-16 units, even after a `token=` of the URL's
    /// own, a non-ASCII path, and with `&` and `#` in the token.
    #[test]
    fn kanboard_token_place_is_the_appended_value() {
        let token = "se&cr#et=1";
        let d = deliver(
            json!({"url": "https://k.example.com/ä/hook?token=mine", "token": token}),
            Some(json!({"event_name": "task.create", "event_data": {}})),
            DeliverOptions::default(),
        );
        assert_eq!(
            d.url,
            format!("https://k.example.com/ä/hook?token=mine&token={token}")
        );
        assert_eq!(places(&d), [token]);
        assert_eq!(d.secrets[0].query, Some("token"));
    }

    /// Every header that carries a credential or a signature is a place,
    /// and no other: Workfront's bearer token, Asana's signature and
    /// handshake secret, ricloud's signature, Standard Webhooks' signature.
    #[test]
    fn every_credential_header_is_a_place() {
        let secret = |s: &str| DeliverOptions {
            secret: Some(s.into()),
            timestamp: Some(1_700_000_000),
            ..DeliverOptions::default()
        };
        let wf = deliver(
            json!({"objCode": "TASK", "eventType": "CREATE", "url": "https://h.example/wf", "authToken": "tok"}),
            Some(
                json!({"eventType": "CREATE", "newState": {"objCode": "TASK", "ID": "1"}, "oldState": {}}),
            ),
            DeliverOptions::default(),
        );
        assert_eq!(places(&wf), ["Bearer tok"]);
        let asana = json!({"resource": "1", "target": "https://h.example/a"});
        let event = json!({"action": "added", "resource": {"gid": "2", "resource_type": "task"}});
        let signed = deliver(asana.clone(), Some(event.clone()), secret("s"));
        assert_eq!(signed.secrets[0].header, Some("X-Hook-Signature"));
        assert_eq!(signed.secrets.len(), 1);
        let unsigned = deliver(asana.clone(), Some(event), DeliverOptions::default());
        assert!(unsigned.secrets.is_empty());
        let handshake = deliver(
            asana.clone(),
            None,
            DeliverOptions {
                handshake: true,
                ..secret("hs")
            },
        );
        assert_eq!(places(&handshake), ["hs"]);
        let heartbeat = deliver(
            asana,
            None,
            DeliverOptions {
                heartbeat: true,
                ..secret("hs")
            },
        );
        assert_eq!(heartbeat.secrets[0].header, Some("X-Hook-Signature"));
        let rc = deliver(
            json!({"url": "https://h.example/r", "secret": "rs", "state": "valid"}),
            Some(json!({"id": "e1", "type": "task", "action": "done", "data": {}})),
            DeliverOptions::default(),
        );
        assert_eq!(rc.secrets.len(), 1);
        assert_eq!(rc.secrets[0].header, Some("Ricloud-Signature"));
        let standard = deliver(
            json!({"event": "problem.update", "uri": "https://h.example/s"}),
            Some(json!({"event": "problem.update", "object_id": 1, "payload": {}})),
            DeliverOptions {
                signature: Some(SignatureScheme::StandardWebhooks),
                ..secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            },
        );
        let names: Vec<_> = standard.secrets.iter().map(|p| p.header).collect();
        assert_eq!(names, [Some("webhook-signature")]);
        // R-Service sends no secret of its own.
        let plain = deliver(
            json!({"event": "problem.update", "uri": "https://h.example/s"}),
            Some(json!({"event": "problem.update", "object_id": 1, "payload": {}})),
            DeliverOptions::default(),
        );
        assert!(plain.secrets.is_empty());
    }
}
