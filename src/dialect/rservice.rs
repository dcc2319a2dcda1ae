//! R-Service webhooks (seed 002): `{event, uri, name?, description?,
//! disabled?, mail_exceptions_to?, webhook_policy?, source?, sourceID?}`.
//! A webhook fires for one event (noun.verb) unless it is disabled.
//! R-Service is a white-labelled 4me: where the seed is silent, deliveries
//! follow 4me's "Webhook contents" and the deliveries captured in
//! `code4me/4me-app-builder-nodejs` (docs/vendors/rservice.md).

use super::spec::{self, loose_bool, optional_string, Checkpoint, Unknown};
use super::{Compiled, EventShape, IndexField, Normalized, SpecContext, Vendor};
use crate::delivery::{post, Deliver, DeliverOptions, Delivery};
use crate::error::{Code, Diagnostic, Error};
use crate::event::{At, Event};
use crate::filters;
use crate::plan::{GateCheck, GateSource, GateTest, Plan};
use crate::text::{quote_short, type_name};
use serde_json::{Map, Value};
use std::sync::Arc;

/// R-Service webhooks.
pub struct RService;

impl Vendor for RService {
    fn name(&self) -> &'static str {
        "rservice"
    }

    fn vendor(&self) -> &'static str {
        "R-Service"
    }

    fn claims(&self, spec: &Map<String, Value>) -> bool {
        crate::json::field(spec, "event").is_some() && crate::json::field(spec, "uri").is_some()
    }

    fn needs(&self) -> &'static str {
        "event and uri"
    }

    fn keys(&self) -> &'static [&'static str] {
        &["event", "uri"]
    }

    fn secrets(&self) -> &'static [&'static str] {
        &[]
    }

    #[cfg_attr(hookmatch_package, optimize(size))]
    fn compile(
        &self,
        spec: &Map<String, Value>,
        ctx: &SpecContext,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Compiled> {
        let compiled = compile(spec, diags);
        if let Some(Value::String(target)) = crate::json::field(spec, "uri") {
            spec::private_target(target, "uri", "R-Service", ctx, diags);
        }
        compiled
    }

    fn prepare<'a>(&self, event: At<'a>) -> Result<Event<'a>, Error> {
        prepare(event)
    }

    fn shape(&self) -> &'static EventShape {
        &EventShape {
            new_state: &["payload"],
            old_state: None,
            required: &[&["event"], &["object_id"]],
            containers: &[],
            envelope: None,
            changes: None,
            // 4me's webhook contents: ids are numbers.
            skeleton: r#"{"webhook_id":1,"event":"","object_id":1,"payload":{}}"#,
            mirror: &[],
            empty_old_when: None,
        }
    }

    fn index_fields(&self) -> &'static [IndexField] {
        &[IndexField {
            field: "event",
            source: GateSource::Root(&["event"]),
        }]
    }
}

/// Every event of the seed's catalog, verbatim.
pub const EVENTS: [&str; 77] = [
    "automation_rule",
    "broadcast.create",
    "broadcast.update",
    "workflow.create",
    "workflow.manager-changed",
    "workflow.note-added",
    "workflow.status-changed",
    "workflow.update",
    "ci.create",
    "ci.update",
    "contract.create",
    "contract.update",
    "flsa.create",
    "flsa.update",
    "knowledge_article.create",
    "knowledge_article.update",
    "organization.create",
    "organization.update",
    "out_of_office_period.create",
    "out_of_office_period.update",
    "out_of_office_period.delete",
    "person.create",
    "person.update",
    "problem.create",
    "problem.manager-changed",
    "problem.member-changed",
    "problem.note-added",
    "problem.status-changed",
    "problem.team-changed",
    "problem.update",
    "product.create",
    "product.update",
    "project.create",
    "project.manager-changed",
    "project.note-added",
    "project.status-changed",
    "project.update",
    "project_task.create",
    "project_task.note-added",
    "project_task.status-changed",
    "project_task.update",
    "release.create",
    "release.manager-changed",
    "release.note-added",
    "release.update",
    "request.agile-board-column-changed",
    "request.create",
    "request.major-incident-status-changed",
    "request.member-changed",
    "request.note-added",
    "request.status-changed",
    "request.team-changed",
    "request.update",
    "risk.create",
    "risk.update",
    "risk.note-added",
    "risk.status-changed",
    "risk.manager-changed",
    "service.create",
    "service.update",
    "service_instance.create",
    "service_instance.update",
    "service_offering.create",
    "service_offering.update",
    "sla.create",
    "sla.update",
    "task.create",
    "task.member-changed",
    "task.note-added",
    "task.status-changed",
    "task.team-changed",
    "task.update",
    "team.create",
    "team.update",
    "time_entry.create",
    "time_entry.update",
    "time_entry.delete",
];

/// The seed's limits: description "max 64KB", source "max 30", sourceID "max 128".
pub const MAX_DESCRIPTION_BYTES: usize = 64 * 1024;
pub const MAX_SOURCE_CHARS: usize = 30;
pub const MAX_SOURCE_ID_CHARS: usize = 128;

/// The test delivery's object id, as the seed says.
pub const TEST_OBJECT_ID: u64 = 12345;

const KNOWN_KEYS: [&str; 11] = [
    "event",
    "uri",
    "name",
    "description",
    "disabled",
    "mail_exceptions_to",
    "webhook_policy",
    "source",
    "sourceID",
    "filters",
    "filterConnector",
];
/// Read-only fields of the seed's responses.
const RESPONSE_KEYS: [&str; 6] = [
    "id",
    "created_at",
    "updated_at",
    "last_error",
    "attachments",
    "description_attachments",
];

#[cfg_attr(hookmatch_package, optimize(size))]
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

    let event = spec::required_choice(
        obj,
        "event",
        &EVENTS,
        Code::UnknownEvent,
        "R-Service event",
        diags,
    )
    .map(str::to_string);
    let uri = spec::url_field(obj, "uri", diags);
    let name = optional_string(obj, "name", diags);
    if let Some(d) = optional_string(obj, "description", diags) {
        if d.len() > MAX_DESCRIPTION_BYTES {
            diags.push(Diagnostic::error(
                Code::TooLong,
                "/description",
                format!("description is {} bytes; R-Service allows at most 64 KB ({MAX_DESCRIPTION_BYTES} bytes)", d.len()),
            ));
        }
    }
    for (key, max) in [
        ("source", MAX_SOURCE_CHARS),
        ("sourceID", MAX_SOURCE_ID_CHARS),
    ] {
        if let Some(v) = optional_string(obj, key, diags) {
            let n = v.chars().count();
            if n > max {
                diags.push(Diagnostic::error(
                    Code::TooLong,
                    crate::error::join("", key),
                    format!("{key} is {n} characters; R-Service allows at most {max}"),
                ));
            }
        }
    }
    if let Some(list) = optional_string(obj, "mail_exceptions_to", diags) {
        for address in list.split(',') {
            let address = address.trim();
            if !is_email(address) {
                diags.push(Diagnostic::error(
                    Code::InvalidEmail,
                    "/mail_exceptions_to",
                    format!(
                        "{} is not an e-mail address; mail_exceptions_to is a comma-separated list such as john.doe@example.com,jane.doe@example.com",
                        quote_short(address)
                    ),
                ));
            }
        }
    }
    match crate::json::field(obj, "webhook_policy") {
        None | Some(Value::Null) => {}
        Some(Value::Number(_)) | Some(Value::String(_)) => warn_policy(diags),
        Some(Value::Object(p)) if p.contains_key("id") => warn_policy(diags),
        Some(other) => diags.push(Diagnostic::error(
            Code::InvalidType,
            "/webhook_policy",
            format!(
                "webhook_policy is a reference: an id or {{\"id\": …}}, got {}",
                type_name(other)
            ),
        )),
    }
    let disabled = loose_bool(obj, "disabled", diags);
    let (connector, entries) = filters::parse_extension(obj, "R-Service", diags);

    if checkpoint.failed(diags) {
        return None;
    }
    let (event, uri) = (event?, uri?);

    let mut gate = Vec::new();
    if disabled {
        gate.push(GateCheck {
            field: "disabled",
            source: GateSource::None,
            test: GateTest::Fixed {
                passed: false,
                expected: Value::Bool(false),
                reason: "the webhook is disabled, so R-Service sends nothing (a test delivery still works: deliver(null, { test: true }))".into(),
            },
        });
    }
    gate.push(GateCheck {
        field: "event",
        source: GateSource::Root(&["event"]),
        test: GateTest::Equals(Value::String(event.clone())),
    });

    let mut normalized = Vec::with_capacity(8);
    normalized.push(("event", event.clone().into()));
    normalized.push(("uri", uri.clone().into()));
    normalized.push(("name", name.unwrap_or(&event).into()));
    spec::copy_present(
        obj,
        &[
            "description",
            "mail_exceptions_to",
            "webhook_policy",
            "source",
            "sourceID",
        ],
        &mut normalized,
    );
    normalized.push(("disabled", disabled.into()));
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
        delivery: Arc::new(RServiceDelivery {
            uri,
            name: name.unwrap_or(&event).to_string(),
            event,
            // A GET response's `id` is the webhook's: 4me sends it as `webhook_id`.
            webhook_id: match crate::json::field(obj, "id") {
                Some(v @ (Value::Number(_) | Value::String(_))) => Some(crate::json::text(v)),
                _ => None,
            },
        }),
    })
}

#[cfg_attr(hookmatch_package, optimize(size))]
fn warn_policy(diags: &mut Vec<Diagnostic>) {
    diags.push(Diagnostic::warning(
        Code::UnsignedPreview,
        "/webhook_policy",
        "R-Service signs messages with the webhook policy's key; the delivery preview cannot show that signature",
    ));
}

/// `local@domain.tld`, no spaces: the shape R-Service's example shows.
#[cfg_attr(hookmatch_package, optimize(size))]
fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && s.chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && c != ',')
}

/// An R-Service event: the seed's `{event, object_id, payload?}` or 4me's
/// whole webhook contents (`webhook_id`, `account`, `name`, … beside them);
/// filters read `payload`.
fn prepare(event: At<'_>) -> Result<Event<'_>, Error> {
    let obj = spec::event_object(event, "R-Service")?;
    spec::event_string(obj, "event", "R-Service")?;
    if obj.get("object_id").is_none() {
        return Err(
            Error::new(Code::InvalidEvent, "an R-Service event needs object_id").at("/object_id"),
        );
    }
    Ok(Event::new(
        event,
        spec::event_data(obj, "payload")?,
        spec::empty_state(),
    ))
}

/// 4me's "Webhook contents" (developer.4me.com/v1/webhooks): every body
/// carries these, in this order; `payload` closes it, as in the captured
/// deliveries of `code4me/4me-app-builder-nodejs` (`library/aws/events/`).
const CONTENTS: [&str; 6] = [
    "webhook_id",
    "account",
    "name",
    "event",
    "object_id",
    "payload",
];

/// The example request's `Content-Type` (developer.4me.com/v1/webhooks,
/// "Verification") and the captured deliveries' headers.
const CONTENT_TYPE: &str = "application/json; charset=utf-8";
const USER_AGENT: &str = "4me/1.0 (https://developer.4me.com/v1/webhooks)";

/// How R-Service (a white-labelled 4me) delivers: a JSON body of the
/// webhook contents to the webhook's uri.
#[derive(Debug)]
struct RServiceDelivery {
    uri: String,
    event: String,
    name: String,
    /// The webhook's id as JSON text, from a pasted GET response.
    webhook_id: Option<String>,
}

impl RServiceDelivery {
    /// `{webhook_id, account, name, event, object_id, …, payload}`: the
    /// event's own values where it has them (numbers as written), the
    /// webhook's name and event, then any other member of the event (4me
    /// adds e.g. `person_id`) in its order, and `payload` last. What
    /// hookmatch cannot know (the account's URL, a new webhook's id) is
    /// `null` unless the event or `subscriptionId` gives it.
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn body(&self, text: &str, object_id: Option<&str>, opts: &DeliverOptions) -> String {
        use crate::rawjson::{self, Style};
        let member = |key| rawjson::member(text, key);
        let mut out = String::with_capacity(text.len() + 128);
        out.push_str("{\"webhook_id\":");
        match (
            member("webhook_id"),
            &opts.subscription_id,
            &self.webhook_id,
        ) {
            (Some(raw), _, _) => rawjson::write_compact(raw, Style::Plain, &mut out),
            (None, Some(id), _)
                if !id.is_empty()
                    && id.bytes().all(|b| b.is_ascii_digit())
                    && !id.starts_with('0') =>
            {
                out.push_str(id)
            }
            (None, Some(id), _) => rawjson::write_string(id, Style::Plain, &mut out),
            (None, None, Some(raw)) => out.push_str(raw),
            (None, None, None) => out.push_str("null"),
        }
        out.push_str(",\"account\":");
        match member("account") {
            Some(raw) => rawjson::write_compact(raw, Style::Plain, &mut out),
            None => out.push_str("null"),
        }
        out.push_str(",\"name\":");
        rawjson::write_string(&self.name, Style::Plain, &mut out);
        out.push_str(",\"event\":");
        rawjson::write_string(&self.event, Style::Plain, &mut out);
        out.push_str(",\"object_id\":");
        match object_id.or_else(|| member("object_id")) {
            Some(raw) => rawjson::write_compact(raw, Style::Plain, &mut out),
            None => out.push_str("null"),
        }
        let keys: Vec<String> = crate::json::parser::value(text.as_bytes())
            .ok()
            .and_then(|v| Some(v.as_object()?.keys().cloned().collect()))
            .unwrap_or_default();
        for key in keys.iter().filter(|k| !CONTENTS.contains(&k.as_str())) {
            if let Some(raw) = member(key) {
                out.push(',');
                rawjson::write_string(key, Style::Plain, &mut out);
                out.push(':');
                rawjson::write_compact(raw, Style::Plain, &mut out);
            }
        }
        out.push_str(",\"payload\":");
        match member("payload").filter(|raw| *raw != "null") {
            Some(raw) => rawjson::write_compact(raw, Style::Plain, &mut out),
            None => out.push_str("{}"),
        }
        out.push('}');
        out
    }

    /// The captured deliveries' own headers; `X-4me-Delivery` (a UUID per
    /// delivery) and `Link` (the account's URLs) are left out: hookmatch
    /// cannot know them, and a preview must be the same bytes everywhere.
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn post(&self, body: String) -> Delivery {
        post(
            &self.uri,
            &[
                ("Content-Type", CONTENT_TYPE.into()),
                ("User-Agent", USER_AGENT.into()),
            ],
            body,
        )
    }
}

impl Deliver for RServiceDelivery {
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn deliver(
        &self,
        _ev: &Event<'_>,
        text: &str,
        opts: &DeliverOptions,
    ) -> Result<Delivery, Error> {
        Ok(self.post(self.body(text, None, opts)))
    }

    /// The seed: "your script should receive a POST http request with the
    /// webhook contents. The object_id will always be equal to 12345 for
    /// these tests"; disabled webhooks can be tested too.
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn without_event(&self, opts: &DeliverOptions) -> Result<Delivery, Error> {
        if !opts.test {
            return Err(Error::new(
                Code::InvalidInput,
                "an R-Service preview without an event needs { test: true }",
            ));
        }
        let id = TEST_OBJECT_ID.to_string();
        Ok(self.post(self.body("{}", Some(&id), opts)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_is_the_seeds_77_names() {
        let unique: std::collections::BTreeSet<&str> = EVENTS.iter().copied().collect();
        assert_eq!(unique.len(), 77);
        assert!(is_email("john.doe@example.com"));
        assert!(!is_email("john.doe@example"));
        assert!(!is_email("john doe@example.com"));
    }
}
