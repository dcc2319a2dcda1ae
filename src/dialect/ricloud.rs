//! ricloud webhook configs (seed 001, and `reincubate/ricloud`'s
//! `signing.py`/`webhooks.py` for the event body and signature):
//! `{url, secret, state, organisation?, date_created?}`. Only a `valid`
//! config delivers; events `{id, type, action, data}` are posted to
//! `<url>/<id>` and signed with the secret (docs/vendors/ricloud.md).

use super::spec::{self, optional_string, Checkpoint, Unknown};
use super::{Compiled, EventShape, Normalized, SpecContext, Vendor};
use crate::delivery::{post, Deliver, DeliverOptions, Delivery, SignatureScheme, JSON};
use crate::error::{unknown_message, Code, Diagnostic, Error};
use crate::event::{At, Event};
use crate::filters;
use crate::plan::{GateCheck, GateSource, GateTest, Plan};
use crate::signing;
use crate::text::{quote_short, type_name};
use serde_json::{Map, Value};
use std::sync::Arc;

/// ricloud webhook configs.
pub struct Ricloud;

impl Vendor for Ricloud {
    fn name(&self) -> &'static str {
        "ricloud"
    }

    fn vendor(&self) -> &'static str {
        "ricloud"
    }

    fn claims(&self, spec: &Map<String, Value>) -> bool {
        let has = |k| crate::json::field(spec, k).is_some();
        has("url") && (has("secret") || has("state") || has("organisation"))
    }

    fn needs(&self) -> &'static str {
        "url and secret, state or organisation"
    }

    fn keys(&self) -> &'static [&'static str] {
        &["url", "secret", "state", "organisation"]
    }

    fn secrets(&self) -> &'static [&'static str] {
        &["secret"]
    }

    #[cfg_attr(hookmatch_package, optimize(size))]
    fn compile(
        &self,
        spec: &Map<String, Value>,
        ctx: &SpecContext,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Compiled> {
        compile(spec, ctx, diags)
    }

    fn prepare<'a>(&self, event: At<'a>) -> Result<Event<'a>, Error> {
        prepare(event)
    }

    /// `Ricloud-Signature: t=<unix seconds>,s=<base64 HMAC>` checked as
    /// ricloud's `Signature.verify` checks it (600 seconds by default, as
    /// its receiver's `verify_request`), but stricter where that is lax
    /// (docs/vendors/ricloud.md, "Verification"): `t` is canonical digits,
    /// `s` canonical base64 of 32 bytes, and a `t` more than the tolerance
    /// in the future is refused as one in the past is (signing.py refuses
    /// only the past, so a captured signature with a far-future `t` would
    /// replay for ever).
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn verify(
        &self,
        headers: &Map<String, Value>,
        body: &str,
        secret: &str,
        opts: signing::VerifyOptions,
    ) -> Option<bool> {
        let value = signing::header(headers, "ricloud-signature")?;
        let check = || {
            let (t, s) = value.split_once(',')?;
            let (t, s) = (t.strip_prefix("t=")?, s.strip_prefix("s=")?);
            let t_num = signing::unix_seconds(t)?;
            if !signing::fresh(t_num, opts.now, opts.tolerance.unwrap_or(TOLERANCE)) {
                return None;
            }
            // 32 bytes are 44 base64 characters: nothing else is decoded.
            if s.len() != 44 {
                return None;
            }
            let sig = crate::base64::decode(s.as_bytes()).ok()?;
            let parts: [&[u8]; 3] = [t.as_bytes(), b".", body.as_bytes()];
            Some(signing::Tag::of(secret.as_bytes(), &parts).matches(&sig))
        };
        Some(check().unwrap_or(false))
    }

    fn shape(&self) -> &'static EventShape {
        &EventShape {
            new_state: &["data"],
            old_state: None,
            required: &[&["type"], &["action"]],
            containers: &[],
            envelope: None,
            changes: None,
            // Every event carries its id (reincubate/ricloud: the sample
            // receiver routes on it).
            skeleton: r#"{"id":"00000000-0000-4000-8000-000000000001","type":"webhook_config","action":"test","data":{}}"#,
            mirror: &[],
            empty_old_when: None,
        }
    }
}

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

#[cfg_attr(hookmatch_package, optimize(size))]
fn compile(
    obj: &Map<String, Value>,
    ctx: &SpecContext,
    diags: &mut Vec<Diagnostic>,
) -> Option<Compiled> {
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

    if ctx.update {
        update(obj, diags);
        // An update body is only validated; it never compiles into a plan.
        return None;
    }
    let url = spec::url_field(obj, "url", diags);
    if let Some(u) = &url {
        spec::private_target(u, "url", "ricloud", ctx, diags);
    }
    // The create request is `{url}` alone (seed 001: url is its only
    // parameter; ricloud generates the secret, and a new config is `new`
    // until its webhook_config.test passes).
    let secret = match crate::json::field(obj, "secret") {
        None | Some(Value::Null) => None,
        Some(_) => spec::required_string(obj, "secret", diags).map(str::to_string),
    };
    let state = match crate::json::field(obj, "state") {
        None | Some(Value::Null) => Some("new".to_string()),
        Some(_) => spec::required_choice(obj, "state", &STATES, Code::UnknownState, "state", diags)
            .map(str::to_string),
    };
    match crate::json::field(obj, "organisation") {
        None | Some(Value::Null) | Some(Value::String(_)) | Some(Value::Number(_)) => {}
        Some(other) => diags.push(Diagnostic::error(
            Code::InvalidType,
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
                Code::InvalidDate,
                "/date_created",
                format!(
                    "date_created {} is not an ISO 8601 date-time",
                    quote_short(d)
                ),
            ));
        }
    }
    let (connector, entries) = filters::parse_extension(obj, "ricloud", diags);

    if checkpoint.failed(diags) {
        return None;
    }
    let (url, state) = (url?, state?);
    let valid = state == "valid";
    let reason = match state.as_str() {
        "valid" => "the config is valid, so it delivers".to_string(),
        "new" => "the config's state is \"new\": ricloud only delivers through a valid config, and a new one becomes valid when its webhook_config.test passes (deliver(null, { test: true }) previews that test)".to_string(),
        other => format!("the config's state is {}; ricloud only delivers through a valid config", crate::text::quote_short(other)),
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
    if secret.is_some() {
        normalized.push(("secret", super::REDACTED.into()));
    }
    normalized.push(("state", state.into()));
    spec::copy_present(obj, &["organisation", "date_created"], &mut normalized);
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
        delivery: Arc::new(RicloudDelivery { url, secret }),
    })
}

/// `validate(spec, { update: true })`: an update body `{url?, state?}`.
#[cfg_attr(hookmatch_package, optimize(size))]
fn update(obj: &Map<String, Value>, diags: &mut Vec<Diagnostic>) {
    if obj.contains_key("url") {
        spec::url_field(obj, "url", diags);
    }
    match crate::json::field(obj, "state") {
        None => {}
        Some(Value::String(s)) if SETTABLE_STATES.contains(&s.as_str()) => {}
        Some(Value::String(s)) if STATES.contains(&s.as_str()) => diags.push(Diagnostic::error(
            Code::StateNotSettable,
            "/state",
            format!("an update can only set state to \"new\" or \"deactivated\"; {} is set by ricloud's own test", crate::text::quote_short(s)),
        )),
        Some(Value::String(s)) => diags.push(Diagnostic::error(
            Code::UnknownState,
            "/state",
            unknown_message("state", s, &SETTABLE_STATES),
        )),
        Some(other) => diags.push(Diagnostic::error(
            Code::InvalidType,
            "/state",
            format!("state must be \"new\" or \"deactivated\", got {}", type_name(other)),
        )),
    }
    for key in ["secret", "organisation", "date_created"] {
        if obj.contains_key(key) {
            diags.push(Diagnostic::error(
                Code::ReadOnlyField,
                crate::error::join("", key),
                format!("{key} cannot be changed by an update; only url and state can"),
            ));
        }
    }
}

/// A ricloud event `{id, type, action, data, ...}`; filters read `data`.
fn prepare(event: At<'_>) -> Result<Event<'_>, Error> {
    let obj = spec::event_object(event, "ricloud")?;
    spec::event_string(obj, "type", "ricloud")?;
    spec::event_string(obj, "action", "ricloud")?;
    Ok(Event::new(
        event,
        spec::event_data(obj, "data")?,
        spec::empty_state(),
    ))
}

/// ricloud's receiver rejects signatures older than this, seconds.
pub const TOLERANCE: i64 = 600;

/// `Ricloud-Signature` of a body: `t=<unix seconds>,s=<base64 HMAC-SHA256 of
/// "t.body">` (signing.py `Signature.sign`, `to_header`).
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let ts = timestamp.to_string();
    let sig = signing::hmac_sha256(secret.as_bytes(), &[ts.as_bytes(), b".", body.as_bytes()]);
    format!("t={ts},s={}", crate::base64::encode(&sig))
}

/// How ricloud delivers: the event to `<config url>/<event id>`, signed
/// with the config's secret.
#[derive(Debug)]
struct RicloudDelivery {
    url: String,
    /// The config's own secret; `None` for a create request (ricloud
    /// generates it).
    secret: Option<String>,
}

impl RicloudDelivery {
    /// The config's secret signs `Ricloud-Signature`; `opts.secret` serves
    /// only a config that has none, and never when it is the Standard
    /// Webhooks key (`signature: "standard-webhooks"`): that key signs its
    /// own `webhook-*` headers and nothing else, so such a preview carries
    /// no `Ricloud-Signature` rather than one a ricloud receiver would reject.
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn post(&self, id: &str, body: String, opts: &DeliverOptions) -> Result<Delivery, Error> {
        let standard = opts.signature == Some(SignatureScheme::StandardWebhooks);
        let secret = self
            .secret
            .as_deref()
            .or_else(|| opts.secret.as_deref().filter(|_| !standard));
        let mut headers = vec![("Content-Type", JSON.to_string())];
        match secret {
            Some(secret) => headers.push((
                "Ricloud-Signature",
                signature(secret, opts.timestamp(), &body),
            )),
            None if standard => {}
            None => {
                return Err(Error::new(
                    Code::InvalidInput,
                    "this config has no secret yet (ricloud generates it when the config is created); give the secret option (--secret) to sign the preview",
                )
                .at("/secret"))
            }
        }
        let d = post(&event_url(&self.url, id), &headers, body);
        Ok(match secret {
            Some(_) => d.secret_header("Ricloud-Signature"),
            None => d,
        })
    }
}

/// Where ricloud posts an event: the config's URL joined with the event's
/// id as one more path segment. ricloud's own sample receiver
/// (reincubate/ricloud ricloud/webhooks.py, 41841fe) routes only
/// `/webhooks/<uuid:event_id>` while `ricloud listen` registers the config
/// URL `<forwarding url>/webhooks` (ricloud/cli.py), so a config passes its
/// `webhook_config.test` only if the event id is appended; the docs'
/// example URL `…/webhooks/` ends in the slash that joins them. One `/`
/// joins them whether or not the URL ends in one, before any query.
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn event_url(url: &str, id: &str) -> String {
    let split = url.find(['?', '#']).unwrap_or(url.len());
    let (base, tail) = url.split_at(split);
    let mut out = String::with_capacity(url.len() + id.len() + 1);
    out.push_str(base.trim_end_matches('/'));
    out.push('/');
    // A UUID needs no escaping; anything else is one path segment.
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out.push_str(tail);
    out
}

impl Deliver for RicloudDelivery {
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn deliver(
        &self,
        _ev: &Event<'_>,
        text: &str,
        opts: &DeliverOptions,
    ) -> Result<Delivery, Error> {
        let id =
            crate::rawjson::member(text, "id").and_then(|raw| {
                match crate::json::parser::value(raw.as_bytes()).ok()? {
                    Value::String(s) => Some(s),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                }
            });
        let id = id.ok_or_else(|| {
            Error::new(
                Code::InvalidEvent,
                "ricloud posts each event to <config url>/<event id>: this event has no id (a string)",
            )
            .at("/id")
        })?;
        let body = crate::rawjson::compact(text, crate::rawjson::Style::Plain);
        self.post(&id, body, opts)
    }

    /// ricloud's `webhook_config.test` event.
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn without_event(&self, opts: &DeliverOptions) -> Result<Delivery, Error> {
        if !opts.test {
            return Err(Error::new(
                Code::InvalidInput,
                "a ricloud preview without an event needs { test: true }",
            ));
        }
        let id = opts
            .webhook_id
            .clone()
            .unwrap_or_else(|| crate::delivery::uuid(&opts.entropy(&self.url)));
        let mut body = Map::new();
        body.insert("id".into(), id.clone().into());
        body.insert("type".into(), "webhook_config".into());
        body.insert("action".into(), "test".into());
        body.insert("data".into(), Value::Object(Map::new()));
        self.post(&id, crate::json::text(&Value::Object(body)), opts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::verify;
    use crate::signing::VerifyOptions;
    use serde_json::json;

    #[test]
    fn ricloud_and_asana_signatures_round_trip_and_refuse_stale_or_tampered() {
        let body = r#"{"events":[]}"#;
        let at = |now| VerifyOptions {
            now,
            tolerance: None,
        };
        let r = json!({"headers": {"Ricloud-Signature": signature("k", 1000, body)}, "body": body});
        assert!(verify(&r, "k", at(1500)).unwrap());
        assert!(!verify(&r, "k", at(1601)).unwrap(), "older than 600 s");
        assert!(!verify(&r, "other", at(1500)).unwrap());
        let tampered = json!({"headers": r["headers"], "body": "{}"});
        assert!(!verify(&tampered, "k", at(1500)).unwrap());
        let a = json!({"headers": {"X-Hook-Signature": super::super::asana::signature("s3cret", body)}, "body": body});
        assert!(verify(&a, "s3cret", at(0)).unwrap());
        assert!(!verify(&a, "other", at(0)).unwrap());
    }

    /// reincubate/ricloud 41841fe: webhooks.py routes /webhooks/<uuid:event_id>;
    /// cli.py registers join_url(webhook_url, "webhooks").
    #[test]
    fn events_go_to_the_config_url_joined_with_their_id() {
        let id = "1f2e3d4c-0000-4000-8000-000000000002";
        for url in ["https://x.example/webhooks", "https://x.example/webhooks/"] {
            assert_eq!(
                event_url(url, id),
                format!("https://x.example/webhooks/{id}")
            );
        }
        assert_eq!(
            event_url("https://x.example/w/?k=1#f", "a b/c"),
            "https://x.example/w/a%20b%2Fc?k=1#f"
        );
        assert_eq!(event_url("https://x.example", "e1"), "https://x.example/e1");
    }
}
