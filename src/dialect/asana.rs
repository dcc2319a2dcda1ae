//! Asana webhooks (seed 000 and Asana's webhook docs): `{resource, target,
//! filters?}`. A webhook with filters passes an event when any filter passes;
//! a filter passes when every key it gives matches. Each filter becomes an
//! AND group of plan filters under an OR, so the shared evaluator does the
//! comparing.

use super::spec::{self, Checkpoint, Unknown};
use super::{Compiled, EventShape, Normalized, SpecContext, Vendor};
use crate::delivery::{post, Deliver, DeliverOptions, Delivery, JSON};
use crate::error::{join, unknown_message, Code, Diagnostic, Error};
use crate::event::{At, Event, State};
use crate::plan::{
    Comparison, Connector, Entry, FieldRef, Filter, GateCheck, GateSource, GateTest, Group, Plan,
    StateSel,
};
use crate::signing;
use crate::text::type_name;
use crate::value::Hint;
use serde_json::{Map, Value};
use std::sync::Arc;

/// Asana webhooks.
pub struct Asana;

impl Vendor for Asana {
    fn name(&self) -> &'static str {
        "asana"
    }

    fn vendor(&self) -> &'static str {
        "Asana"
    }

    /// `target`, or a `resource` (ricloud's responses tag themselves
    /// `"resource": "webhook_config"`, which is not an Asana gid), or
    /// filters with `resource_type`.
    fn claims(&self, spec: &Map<String, Value>) -> bool {
        let field = |k| crate::json::field(spec, k);
        let resource = field("resource").is_some_and(|r| r != "webhook_config");
        let filters = field("filters")
            .and_then(Value::as_array)
            .is_some_and(|fs| {
                fs.iter()
                    .filter_map(Value::as_object)
                    .any(|f| crate::json::field(f, "resource_type").is_some())
            });
        field("target").is_some() || resource || filters
    }

    fn needs(&self) -> &'static str {
        "resource and target"
    }

    fn keys(&self) -> &'static [&'static str] {
        &["target", "resource", "filters"]
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
        compile(spec, ctx, diags)
    }

    fn prepare<'a>(&self, event: At<'a>) -> Result<Event<'a>, Error> {
        prepare(event)
    }

    fn shape(&self) -> &'static EventShape {
        &EventShape {
            new_state: &[],
            old_state: None,
            required: &[&["action"], &["resource", "resource_type"]],
            containers: &[],
            envelope: Some("events"),
            changes: None,
            // Every event names its resource by gid and the user who acted
            // (Asana developer docs, "Webhooks": the event example).
            skeleton: r#"{"user":{"gid":"1200000000000002","resource_type":"user"},"created_at":"2026-01-01T00:00:00.000Z","action":"added","resource":{"gid":"1200000000000001","resource_type":"task"}}"#,
            empty_old_when: None,
            mirror: &[],
        }
    }

    /// `X-Hook-Signature`: the hex HMAC-SHA256 of the body under the
    /// handshake secret. Asana's scheme has no timestamp, so it is kept
    /// apart from ricloud's, whose MAC is over `"<t>.<body>"` under a secret
    /// used as raw bytes, as here: a ricloud signature moved into this
    /// header with `"<t>.<body>"` as the body would otherwise verify, with
    /// no expiry. Asana always delivers a JSON object (`{"events": [...]}`,
    /// heartbeats too), and `"<t>.<body>"` starts with a digit, so a body
    /// that is not an object is refused before any MAC.
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn verify(
        &self,
        headers: &Map<String, Value>,
        body: &str,
        secret: &str,
        _opts: signing::VerifyOptions,
    ) -> Option<bool> {
        let sig = signing::header(headers, "x-hook-signature")?;
        let object = body
            .trim_start_matches([' ', '\t', '\n', '\r'])
            .starts_with('{');
        // 32 bytes are 64 hex digits: nothing else is decoded.
        Some(
            object
                && sig.len() == 64
                && hex::decode(sig).is_ok_and(|sig| {
                    signing::Tag::of(secret.as_bytes(), &[body.as_bytes()]).matches(&sig)
                }),
        )
    }

    fn heartbeat(&self) -> &'static str {
        "this is a heartbeat ({\"events\":[]}): Asana sends one every 8 hours to check that the target answers; it carries no event, so nothing fires"
    }

    /// `{"events": [...]}`, the body Asana delivers (a heartbeat has none).
    fn envelope<'a>(&self, doc: At<'a>) -> Option<Vec<At<'a>>> {
        if !doc.is_object() || doc.get("action").is_some() {
            return None;
        }
        doc.get("events")?.items()
    }
}

pub const ACTIONS: [&str; 5] = ["changed", "added", "removed", "deleted", "undeleted"];

const KNOWN_KEYS: [&str; 3] = ["resource", "target", "filters"];
/// Fields of Asana's webhook responses; a pasted response validates quietly.
const RESPONSE_KEYS: [&str; 11] = [
    "gid",
    "resource_type",
    "active",
    "created_at",
    "last_success_at",
    "last_failure_at",
    "last_failure_content",
    "delivery_retry_count",
    "failure_deletion_timestamp",
    "next_attempt_after",
    "is_workspace_webhook",
];
const FILTER_KEYS: [&str; 4] = ["resource_type", "resource_subtype", "action", "fields"];

/// Resources whose webhooks "_must_ specify filters" (Asana's webhook
/// guide, "Filtering", developer-docs 3920826).
const HIGHER_LEVEL: [&str; 3] = ["team", "portfolio", "workspace"];

/// What reaches a higher-level webhook (the same section): no events from
/// tasks, subtasks and stories; projects with any action; memberships
/// only `added` and `removed`.
#[cfg_attr(hookmatch_package, optimize(size))]
fn higher_level_actions(resource_type: &str) -> Option<&'static [&'static str]> {
    match resource_type {
        "task" | "subtask" | "story" => Some(&[]),
        "team_membership" | "workspace_membership" => Some(&["added", "removed"]),
        _ => None,
    }
}

/// A filter of a webhook on a team, portfolio or workspace: `fields` is
/// refused (the OpenAPI's WebhookFilter.fields: "Subscriptions created on
/// higher-level resources such as a Workspace, Team, or Portfolio do not
/// support fields"), and a filter for events that never propagate that
/// high can never pass.
#[cfg_attr(hookmatch_package, optimize(size))]
fn check_higher_level(f: &Value, kind: &str, path: &str, diags: &mut Vec<Diagnostic>) {
    let Some(obj) = f.as_object() else { return };
    if crate::json::field(obj, "fields").is_some_and(|v| !v.is_null()) {
        diags.push(Diagnostic::error(
            Code::FieldsUnsupported,
            join(path, "fields"),
            format!("Asana does not support fields in filters of a webhook on a {kind}"),
        ));
    }
    let Some(rt) = crate::json::field(obj, "resource_type").and_then(Value::as_str) else {
        return;
    };
    let action = crate::json::field(obj, "action").and_then(Value::as_str);
    match higher_level_actions(rt) {
        Some([]) => diags.push(Diagnostic::warning(
            Code::NeverDelivered,
            join(path, "resource_type"),
            format!("Asana does not propagate {rt} events to a webhook on a {kind}, so this filter never passes"),
        )),
        Some(allowed) if action.is_some_and(|a| !allowed.contains(&a)) => {
            diags.push(Diagnostic::warning(
                Code::NeverDelivered,
                join(path, "action"),
                format!(
                    "a webhook on a {kind} receives {rt} events only for the actions {}, so this filter never passes",
                    allowed.join(" and ")
                ),
            ))
        }
        _ => {}
    }
}

/// Resource types whose events never reach a higher-level webhook (the
/// guide's "Filtering": "Webhook events from tasks, subtasks, and stories
/// won't be propagated to these higher-level webhooks").
const NOT_PROPAGATED: [&str; 3] = ["task", "subtask", "story"];

#[cfg_attr(hookmatch_package, optimize(size))]
fn leaf(name: &str, pointer: &[&str], comparison: Comparison, value: Value) -> Filter {
    Filter {
        field_name: name.into(),
        field: FieldRef::Pointer(pointer.iter().map(|s| s.to_string()).collect()),
        comparison,
        state: StateSel::New,
        state_given: false,
        hint: Hint::of(&value),
        value,
    }
}

/// Make each filter of a webhook on a team, portfolio or workspace pass
/// only what Asana propagates that high: a filter without `resource_type`
/// gets `resource.resource_type ne` each of [`NOT_PROPAGATED`]; a filter
/// for one of them gets `ne` its own type (so it never passes, as in
/// Asana); a membership filter gets `action in ["added", "removed"]`.
/// Returns how many filters can still pass; when none can, the filters
/// are left as written and the gate alone fails.
#[cfg_attr(hookmatch_package, optimize(size))]
fn higher_level_entries(entries: &mut [Entry], json: &[Value]) -> usize {
    let live = json.iter().filter(|f| !dead_higher_level(f)).count();
    if live == 0 {
        // The gate alone says it (lint's never_matches names its reason).
        return 0;
    }
    for (entry, json) in entries.iter_mut().zip(json) {
        let get = |k: &str| json.get(k).and_then(Value::as_str);
        let rt = get("resource_type");
        let mut extra = Vec::new();
        let rt_leaf = |t: &str| {
            leaf(
                "resource.resource_type",
                &["resource", "resource_type"],
                Comparison::Ne,
                t.into(),
            )
        };
        match rt {
            None => extra.extend(NOT_PROPAGATED.iter().map(|t| rt_leaf(t))),
            // A filter for them never passes, as in Asana: `eq t` and `ne t`.
            Some(t) if NOT_PROPAGATED.contains(&t) => extra.push(rt_leaf(t)),
            Some(t) => {
                if let Some(allowed) = higher_level_actions(t).filter(|a| !a.is_empty()) {
                    extra.push(leaf(
                        "action",
                        &["action"],
                        Comparison::In,
                        Value::Array(allowed.iter().map(|&a| a.into()).collect()),
                    ));
                }
            }
        }
        if extra.is_empty() {
            continue;
        }
        let mut filters = match std::mem::replace(
            entry,
            Entry::Group(Group {
                connector: Connector::And,
                filters: Vec::new(),
            }),
        ) {
            Entry::Filter(f) => vec![f],
            Entry::Group(g) => g.filters,
        };
        filters.extend(extra);
        *entry = Entry::Group(Group {
            connector: Connector::And,
            filters,
        });
    }
    live
}

/// Whether a filter of a higher-level webhook is for events Asana never
/// propagates that high.
#[cfg_attr(hookmatch_package, optimize(size))]
fn dead_higher_level(json: &Value) -> bool {
    let get = |k: &str| json.get(k).and_then(Value::as_str);
    match get("resource_type").map(higher_level_actions) {
        Some(Some([])) => true,
        Some(Some(allowed)) => get("action").is_some_and(|a| !allowed.contains(&a)),
        _ => false,
    }
}

/// The gate check that says what a higher-level webhook never receives:
/// failing when no filter can pass (then nothing fires), else passing and
/// naming the rule the filters enforce.
#[cfg_attr(hookmatch_package, optimize(size))]
fn higher_level_gate(kind: &str, live: usize) -> GateCheck {
    let rule = format!(
        "Asana does not propagate task, subtask and story events to a webhook on a {kind}, nor membership events other than added and removed"
    );
    GateCheck {
        field: "resource_type",
        source: GateSource::Root(&["resource", "resource_type"]),
        test: GateTest::Fixed {
            passed: live > 0,
            expected: Value::String(format!("an event Asana propagates to a {kind}")),
            reason: if live > 0 {
                format!("{rule}: the filters leave those out")
            } else {
                format!("{rule}, and every filter of this webhook is for those, so it never fires")
            },
        },
    }
}

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

    // A spec or a GET response: `resource` is a gid, or `{gid, name}`.
    // A GET response names the resource's type; a create request does not.
    let resource_kind = match crate::json::field(obj, "resource") {
        Some(Value::Object(r)) => r.get("resource_type").and_then(Value::as_str),
        _ => None,
    };
    let higher_level = resource_kind.filter(|k| HIGHER_LEVEL.contains(k));
    let resource = match crate::json::field(obj, "resource") {
        Some(Value::Object(r)) => match r.get("gid") {
            Some(Value::String(g)) if !g.is_empty() => Some(g.clone()),
            _ => {
                diags.push(Diagnostic::error(
                    Code::MissingField,
                    "/resource/gid",
                    "resource must be a gid string, or an object with one",
                ));
                None
            }
        },
        _ => spec::required_string(obj, "resource", diags).map(str::to_string),
    };

    let target =
        spec::required_string(obj, "target", diags).and_then(|t| check_target(t, ctx, diags));

    let mut entries = Vec::new();
    let mut filters_json = Vec::new();
    match crate::json::field(obj, "filters") {
        None | Some(Value::Null) => {}
        Some(Value::Array(list)) => {
            for (i, f) in list.iter().enumerate() {
                let path = join("/filters", i);
                if let Some(kind) = higher_level {
                    check_higher_level(f, kind, &path, diags);
                }
                if let Some((entry, json)) = filter(f, &path, diags) {
                    entries.push(entry);
                    filters_json.push(json);
                }
            }
        }
        Some(other) => diags.push(Diagnostic::error(
            Code::InvalidType,
            "/filters",
            format!("filters must be an array, got {}", type_name(other)),
        )),
    }
    if let Some(kind) = higher_level {
        let none = crate::json::field(obj, "filters")
            .and_then(Value::as_array)
            .is_none_or(Vec::is_empty);
        if none {
            diags.push(Diagnostic::error(
                Code::FiltersRequired,
                "/filters",
                format!("Asana requires filters on webhooks created on a {kind}: give at least one filter, e.g. {{\"resource_type\": \"project\", \"action\": \"added\"}}"),
            ));
        }
    }

    let active = match crate::json::field(obj, "active") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(other) => {
            diags.push(Diagnostic::error(
                Code::InvalidType,
                "/active",
                format!(
                    "active is a boolean in Asana's webhook responses, got {}",
                    type_name(other)
                ),
            ));
            None
        }
    };

    if checkpoint.failed(diags) {
        return None;
    }
    let (resource, target) = (resource?, target?);

    let mut gate = Vec::new();
    // WebhookCompact.active: "if false it is considered inactive and will
    // not generate events".
    if active == Some(false) {
        gate.push(GateCheck {
            field: "active",
            source: GateSource::None,
            test: GateTest::Fixed {
                passed: false,
                expected: Value::Bool(true),
                reason: "the webhook is inactive (active: false): Asana does not generate events for an inactive webhook".into(),
            },
        });
    }
    if let Some(kind) = higher_level {
        let live = higher_level_entries(&mut entries, &filters_json);
        gate.push(higher_level_gate(kind, live));
    }

    let mut normalized = Vec::with_capacity(8);
    normalized.push(("resource", resource.into()));
    normalized.push(("target", target.clone().into()));
    if let Some(a) = active {
        normalized.push(("active", a.into()));
    }
    if !filters_json.is_empty() {
        normalized.push(("filters", Value::Array(filters_json)));
    }
    Some(Compiled {
        plan: Plan {
            gate,
            connector: Connector::Or,
            entries,
        },
        normalized: Normalized {
            fields: normalized,
            filters_at: None,
        },
        delivery: Arc::new(AsanaDelivery { target }),
    })
}

/// Asana answers 403 for targets like `localhost`; hookmatch refuses the
/// hosts that can never be reached from Asana, and warns on plain http.
#[cfg_attr(hookmatch_package, optimize(size))]
fn check_target(t: &str, ctx: &SpecContext, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let url = match crate::urls::parse_http_url(t) {
        Ok(u) => u,
        Err(why) => {
            diags.push(Diagnostic::error(
                Code::InvalidUrl,
                "/target",
                format!(
                    "target {} is not an absolute http(s) URL: {why}",
                    crate::text::quote_url(t)
                ),
            ));
            return None;
        }
    };
    if let Some(why) = unreachable_host(url.host) {
        // With allowPrivateNetworks the caller says that something other
        // than Asana sends these deliveries (an edge router forwarding
        // set.deliver's requests to a receiver on its own network), as
        // Kanboard's WEBHOOK_ALLOW_PRIVATE_NETWORKS lets Kanboard send there:
        // a warning then says that Asana itself never would.
        if !ctx.allow_private_networks {
            diags.push(Diagnostic::error(
                Code::ForbiddenTarget,
                "/target",
                format!("Asana refuses this target with 403 Forbidden: {why}"),
            ));
            return None;
        }
        diags.push(Diagnostic::warning(
            Code::InsecureTarget,
            "/target",
            format!("Asana itself refuses this target with 403 Forbidden ({why}); it is accepted because allowPrivateNetworks is set, for a sender other than Asana (a router forwarding these deliveries)"),
        ));
    } else {
        // Forms Asana's check is not known to read as an address (`127.1`,
        // `0x7f.1`, fullwidth digits, a backslash before `@`) but curl and
        // fetch send to a private one: said, not refused (hookmatch
        // decision, docs/vendors/asana.md).
        spec::private_target(t, "target", "Asana", ctx, diags);
    }
    if !url.https {
        diags.push(Diagnostic::warning(
            Code::InsecureTarget,
            "/target",
            "the target is plain http: Asana's documentation only shows https targets, and the X-Hook-Secret handshake would cross the network unencrypted",
        ));
    }
    Some(t.to_string())
}

/// Why a host cannot receive webhooks from Asana's servers, if it cannot.
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn unreachable_host(host: &str) -> Option<String> {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    if h == "localhost" || h.ends_with(".localhost") {
        return Some(format!("{host} is a local hostname"));
    }
    for suffix in [".local", ".internal", ".invalid", ".test", ".home.arpa"] {
        if h.ends_with(suffix) {
            return Some(format!("{host} is in the reserved domain {suffix}"));
        }
    }
    if let Some(inner) = h.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
        let lower = inner.to_ascii_lowercase();
        if lower == "::1"
            || lower == "::"
            || lower.starts_with("fe80:")
            || lower.starts_with("fc")
            || lower.starts_with("fd")
        {
            return Some(format!(
                "{host} is a loopback, link-local or private IPv6 address"
            ));
        }
        return None;
    }
    let octets: Vec<&str> = h.split('.').collect();
    if octets.len() == 4
        && octets
            .iter()
            .all(|o| !o.is_empty() && o.bytes().all(|b| b.is_ascii_digit()))
    {
        let n: Vec<u16> = octets.iter().filter_map(|o| o.parse().ok()).collect();
        if let [a, b, ..] = n.as_slice() {
            let private = *a == 10
                || *a == 127
                || *a == 0
                || (*a == 169 && *b == 254)
                || (*a == 172 && (16..=31).contains(b))
                || (*a == 192 && *b == 168)
                || (*a == 100 && (64..=127).contains(b));
            if private {
                return Some(format!(
                    "{host} is a loopback, private or link-local address"
                ));
            }
        }
        return None;
    }
    if !h.contains('.') {
        return Some(format!(
            "{host} is a single-label hostname that is not reachable from the internet"
        ));
    }
    None
}

#[cfg_attr(hookmatch_package, optimize(size))]
fn filter(f: &Value, path: &str, diags: &mut Vec<Diagnostic>) -> Option<(Entry, Value)> {
    let Some(obj) = f.as_object() else {
        diags.push(Diagnostic::error(
            Code::InvalidType,
            path,
            format!("each filter must be an object, got {}", type_name(f)),
        ));
        return None;
    };
    let checkpoint = Checkpoint::new(diags);
    spec::unknown_keys(
        obj,
        path,
        "filter field",
        &FILTER_KEYS,
        &[],
        Unknown::Ignored,
        diags,
    );
    let string = |key: &str, required: bool, diags: &mut Vec<Diagnostic>| -> Option<String> {
        match crate::json::field(obj, key) {
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            None | Some(Value::Null) if !required => None,
            None | Some(Value::Null) => {
                diags.push(Diagnostic::error(
                    Code::MissingField,
                    join(path, key),
                    format!("an Asana filter needs {key} (e.g. \"task\")"),
                ));
                None
            }
            Some(other) => {
                diags.push(Diagnostic::error(
                    Code::InvalidType,
                    join(path, key),
                    format!(
                        "{key} must be a non-empty string, got {}",
                        crate::text::show(other)
                    ),
                ));
                None
            }
        }
    };
    // Not required: the OpenAPI's WebhookFilter lists no required property.
    let resource_type = string("resource_type", false, diags);
    let subtype = string("resource_subtype", false, diags);
    let action = string("action", false, diags);
    if let Some(a) = &action {
        if !ACTIONS.contains(&a.as_str()) {
            diags.push(Diagnostic::error(
                Code::UnknownAction,
                join(path, "action"),
                unknown_message("action", a, &ACTIONS),
            ));
        }
    }
    let fields: Option<Vec<Value>> = match crate::json::field(obj, "fields") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items))
            if !items.is_empty()
                && items
                    .iter()
                    .all(|i| matches!(i, Value::String(s) if !s.is_empty())) =>
        {
            Some(items.clone())
        }
        Some(_) => {
            diags.push(Diagnostic::error(
                Code::InvalidType,
                join(path, "fields"),
                "fields must be a non-empty array of field names, e.g. [\"due_on\"]",
            ));
            None
        }
    };
    if fields.is_some() && action.as_deref() != Some("changed") {
        diags.push(Diagnostic::error(
            Code::FieldsNeedChanged,
            join(path, "fields"),
            "fields can only be given with action \"changed\": Asana only reports which field changed for changes",
        ));
    }
    if checkpoint.failed(diags) {
        return None;
    }

    let mut leaves = Vec::new();
    let mut json = Map::new();
    let mut push = |name: &str, pointer: &[&str], comparison: Comparison, value: Value| {
        leaves.push(leaf(name, pointer, comparison, value));
    };
    if let Some(resource_type) = resource_type {
        push(
            "resource.resource_type",
            &["resource", "resource_type"],
            Comparison::Eq,
            resource_type.clone().into(),
        );
        json.insert("resource_type".into(), resource_type.into());
    }
    if let Some(s) = subtype {
        push(
            "resource.resource_subtype",
            &["resource", "resource_subtype"],
            Comparison::Eq,
            s.clone().into(),
        );
        json.insert("resource_subtype".into(), s.into());
    }
    if let Some(a) = action {
        push("action", &["action"], Comparison::Eq, a.clone().into());
        json.insert("action".into(), a.into());
    }
    if let Some(f) = fields {
        push(
            "change.field",
            &["change", "field"],
            Comparison::In,
            Value::Array(f.clone()),
        );
        json.insert("fields".into(), Value::Array(f));
    }
    let entry = if leaves.len() == 1 {
        Entry::Filter(leaves.remove(0))
    } else {
        Entry::Group(Group {
            connector: Connector::And,
            filters: leaves,
        })
    };
    Some((entry, Value::Object(json)))
}

/// An Asana event: `{action, resource:{gid, resource_type, resource_subtype?}, parent?, change?, user?, created_at?}`.
fn prepare(event: At<'_>) -> Result<Event<'_>, Error> {
    let obj = spec::event_object(event, "Asana")?;
    spec::event_string(obj, "action", "Asana")?;
    match obj.get("resource") {
        Some(r) if r.is_object() => {
            if r.get("resource_type").and_then(At::as_str).is_none() {
                return Err(Error::new(
                    Code::InvalidEvent,
                    "resource needs a resource_type string",
                )
                .at("/resource/resource_type"));
            }
        }
        _ => {
            return Err(Error::new(
                Code::InvalidEvent,
                "an Asana event needs resource: {gid, resource_type}",
            )
            .at("/resource"))
        }
    }
    let mut ev = Event::new(event, State::In(event), spec::empty_state());
    // Asana's filters read the event itself: there are no states to name.
    ev.has_states = false;
    Ok(ev)
}

/// `X-Hook-Signature` of a body under the handshake secret.
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn signature(secret: &str, body: &str) -> String {
    hex::encode(signing::hmac_sha256(secret.as_bytes(), &[body.as_bytes()]))
}

/// How an Asana webhook delivers: `{"events":[…]}` to the target, signed
/// with the handshake secret when the caller gives it.
#[derive(Debug)]
struct AsanaDelivery {
    target: String,
}

impl Deliver for AsanaDelivery {
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn deliver(
        &self,
        _ev: &Event<'_>,
        text: &str,
        opts: &DeliverOptions,
    ) -> Result<Delivery, Error> {
        let mut body = String::from("{\"events\":[");
        crate::rawjson::write_compact(text, crate::rawjson::Style::Plain, &mut body);
        body.push_str("]}");
        Ok(signed(&self.target, body, opts))
    }

    /// The handshake (`X-Hook-Secret`, empty body) or a heartbeat
    /// (`{"events":[]}` every 8 hours, signed like any delivery).
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn without_event(&self, opts: &DeliverOptions) -> Result<Delivery, Error> {
        if opts.heartbeat {
            return Ok(signed(&self.target, "{\"events\":[]}".into(), opts));
        }
        if !opts.handshake {
            return Err(Error::new(
                Code::InvalidInput,
                "an Asana delivery without an event is the handshake or a heartbeat: set the handshake or the heartbeat option (--handshake or --heartbeat)",
            ));
        }
        let secret = match &opts.secret {
            Some(s) => s.clone(),
            None => hex::encode(opts.entropy(&self.target)),
        };
        let handshake = post(&self.target, &[("X-Hook-Secret", secret)], String::new());
        Ok(handshake.secret_header("X-Hook-Secret"))
    }
}

/// A delivery of `body` to `target`, with `X-Hook-Signature` when the
/// caller gives the handshake secret.
#[cfg_attr(hookmatch_package, optimize(size))]
fn signed(target: &str, body: String, opts: &DeliverOptions) -> Delivery {
    let mut pairs = vec![("Content-Type", JSON.to_string())];
    let Some(secret) = &opts.secret else {
        return post(target, &pairs, body);
    };
    pairs.push(("X-Hook-Signature", signature(secret, &body)));
    post(target, &pairs, body).secret_header("X-Hook-Signature")
}
