//! Kanboard web hooks: `{url, token, events?}`, after the seed (003) and, where
//! they differ, Kanboard's current source (kanboard/kanboard 2cba210,
//! 2026-08-01; docs/vendors/kanboard.md cites each file). Kanboard sends
//! every event its notification subscriber routes to one URL; `events` (a
//! hookmatch narrowing) and `filters` (the shared extension) run in the
//! receiver.

use super::spec::{self, Checkpoint, Unknown};
use super::{Compiled, EventShape, IndexField, Normalized, SpecContext, Vendor};
use crate::delivery::{post, Deliver, DeliverOptions, Delivery, JSON};
use crate::error::{join, unknown_message, Code, Diagnostic, Error};
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

    fn keys(&self) -> &'static [&'static str] {
        &["url", "token", "events"]
    }

    fn secrets(&self) -> &'static [&'static str] {
        &["token"]
    }

    #[cfg_attr(hookmatch_package, optimize(size))]
    fn compile(
        &self,
        spec: &Map<String, Value>,
        _ctx: &SpecContext,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Compiled> {
        compile(spec, _ctx, diags)
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
            containers: &CONTAINERS,
            envelope: None,
            changes: Some(&["event_data", "changes"]),
            skeleton: "{}",
            mirror: &[],
            empty_old_when: None,
        }
    }

    fn index_fields(&self) -> &'static [IndexField] {
        &[IndexField {
            field: "event_name",
            source: GateSource::Root(&["event_name"]),
        }]
    }
}

/// The events Kanboard's web hook receives: those its
/// `NotificationSubscriber` (app/Subscriber/NotificationSubscriber.php)
/// routes to notifications, less the two mention events, which
/// `NotificationJob` sends to the mentioned user only
/// (app/Job/NotificationJob.php). Six more than the seed's fourteen, and
/// the seed's `file.create` is now `task.file.create`.
pub const EVENTS: [&str; 19] = [
    "task.create",
    "task.update",
    "task.close",
    "task.open",
    "task.move.column",
    "task.move.project",
    "task.move.position",
    "task.move.swimlane",
    "task.assignee_change",
    "subtask.create",
    "subtask.update",
    "subtask.delete",
    "comment.create",
    "comment.update",
    "comment.delete",
    "task.file.create",
    "task.file.destroy",
    "task_internal_link.create_update",
    "task_internal_link.delete",
];

/// Names older Kanboards sent, and what they are called now.
const RENAMED: [(&str, &str); 1] = [("file.create", "task.file.create")];

/// Events that go to the mentioned user, never to the web hook.
const MENTIONS: [&str; 2] = ["task.user.mention", "comment.user.mention"];

/// The objects of an event's data (current Kanboard nests them: the
/// `EventBuilder`s put the task, subtask, comment, file or link under its
/// own key beside the task). A plain field name is looked up in the data,
/// then in the event's own object, then in its task.
const CONTAINERS: [&str; 5] = ["subtask", "comment", "file", "task_link", "task"];

/// The objects a plain field name is looked up in for an event, in order.
fn containers_for(event_name: &str) -> &'static [&'static str] {
    if event_name.starts_with("subtask.") {
        &["subtask", "task"]
    } else if event_name.starts_with("comment.") {
        &["comment", "task"]
    } else if event_name.starts_with("task.file.") {
        &["file", "task"]
    } else if event_name.starts_with("task_internal_link.") {
        &["task_link", "task"]
    } else {
        &["task"]
    }
}

/// The user agent of Kanboard's HTTP client (app/Core/Http/Client.php,
/// `HTTP_USER_AGENT`).
pub const USER_AGENT: &str = "Kanboard";

const KNOWN_KEYS: [&str; 5] = ["url", "token", "events", "filters", "filterConnector"];

#[cfg_attr(hookmatch_package, optimize(size))]
fn compile(
    obj: &Map<String, Value>,
    ctx: &SpecContext,
    diags: &mut Vec<Diagnostic>,
) -> Option<Compiled> {
    let checkpoint = Checkpoint::new(diags);
    spec::unknown_keys(obj, "", "field", &KNOWN_KEYS, &[], Unknown::Ignored, diags);
    let url = spec::url_field(obj, "url", diags);
    if let Some(u) = &url {
        check_target(u, ctx, diags);
    }
    let token = spec::required_string(obj, "token", diags).map(str::to_string);

    let events: Vec<Value> = match crate::json::field(obj, "events") {
        None | Some(Value::Null) => EVENTS.iter().map(|e| Value::String((*e).into())).collect(),
        Some(Value::Array(list)) => {
            // WebhookNotification::notifyProject posts every event to the
            // one webhook_url of the instance: there is no event list to
            // set in Kanboard.
            diags.push(Diagnostic::warning(
                Code::ReceiverSideFilter,
                "/events",
                "Kanboard has one web hook URL per instance and no event list: it sends every event, and this narrowing (a hookmatch extension) must run in your receiver",
            ));
            if list.is_empty() {
                diags.push(Diagnostic::error(
                    Code::EmptyEvents,
                    "/events",
                    "events is empty, so nothing would ever be delivered; leave it out to receive every event",
                ));
            }
            let mut out: Vec<Value> = Vec::new();
            for (i, e) in list.iter().enumerate() {
                let path = join("/events", i);
                let renamed = e
                    .as_str()
                    .and_then(|n| RENAMED.iter().find(|(old, _)| *old == n));
                match e {
                    Value::String(name) if EVENTS.contains(&name.as_str()) || renamed.is_some() => {
                        let current = renamed.map_or(name.as_str(), |(_, new)| *new);
                        if let Some((old, new)) = renamed {
                            diags.push(Diagnostic::warning(
                                Code::RenamedEvent,
                                path.clone(),
                                format!("{old} is the old name of {new}: current Kanboard sends {new}, which is what this entry matches"),
                            ));
                        }
                        let current = Value::String(current.into());
                        if out.contains(&current) {
                            diags.push(Diagnostic::warning(
                                Code::DuplicateEvent,
                                path,
                                format!("{name} is listed twice"),
                            ));
                        } else {
                            out.push(current);
                        }
                    }
                    Value::String(name) if MENTIONS.contains(&name.as_str()) => {
                        diags.push(Diagnostic::error(
                            Code::UnknownEvent,
                            path,
                            format!("Kanboard sends {name} to the mentioned user only, never to the web hook"),
                        ))
                    }
                    Value::String(name) => diags.push(Diagnostic::error(
                        Code::UnknownEvent,
                        path,
                        unknown_message("Kanboard event", name, &EVENTS),
                    )),
                    other => diags.push(Diagnostic::error(
                        Code::InvalidType,
                        path,
                        format!("each event must be a string, got {}", type_name(other)),
                    )),
                }
            }
            out
        }
        Some(other) => {
            diags.push(Diagnostic::error(
                Code::InvalidType,
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

/// A Kanboard event `{event_name, event_data, event_author?}`. Filters read
/// `event_data`; a plain field name is also found in the event's own
/// object (`subtask`, `comment`, …) and its `task`, where current Kanboard
/// nests them. Kanboard sends only new values: the old state (for
/// `changed` and `oldState`) is the data without the keys listed in its
/// `changes`, taken out at the top level and in those objects, so a field
/// in `changes` counts as changed and every other field as unchanged.
/// Task moves add what their event says ([`MOVES`]). A `changes` that is
/// `[]` (PHP's empty array: every `subtask.update` and `task.move.project`)
/// names nothing.
fn prepare(event: At<'_>) -> Result<Event<'_>, Error> {
    let obj = spec::event_object(event, "Kanboard")?;
    let name = spec::event_string(obj, "event_name", "Kanboard")?;
    let data = match obj.get("event_data") {
        Some(v) if v.is_object() => v,
        Some(other) => {
            return Err(Error::new(
                Code::InvalidEvent,
                format!("event_data must be an object, got {}", other.type_name()),
            )
            .at("/event_data"))
        }
        None => {
            return Err(
                Error::new(Code::InvalidEvent, "a Kanboard event needs event_data")
                    .at("/event_data"),
            )
        }
    };
    let containers = containers_for(name);
    let changes = data
        .get("changes")
        .and_then(At::value)
        .and_then(Value::as_object)
        .filter(|c| !c.is_empty());
    let moved = MOVES.iter().find(|m| m.event == name);
    let old_state = if changes.is_none() && moved.is_none() {
        State::In(data)
    } else {
        State::later(move || old_state(data, changes, moved, containers))
    };
    let mut ev = Event::new(event, State::In(data), old_state);
    ev.containers = containers;
    Ok(ev)
}

/// The task before the event: `event_data` less what `changes` (and a
/// move) say changed, with a move's old column.
fn old_state(
    data: At<'_>,
    changes: Option<&Map<String, Value>>,
    moved: Option<&Move>,
    containers: &[&str],
) -> Value {
    let mut old = match data.to_value().into_owned() {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    // A move's old column: `src_column_id` is never a task field, so
    // array_diff_assoc always keeps it in `changes` (read from there,
    // which every reading of the event keeps whole).
    let src_column = changes.and_then(|c| c.get("src_column_id")).cloned();
    let changed = changes
        .into_iter()
        .flat_map(|c| c.keys().map(String::as_str))
        .chain(moved.into_iter().flat_map(|m| m.changed.iter().copied()));
    for key in changed {
        old.shift_remove(key);
        for c in containers {
            if let Some(Value::Object(inner)) = old.get_mut(*c) {
                inner.shift_remove(key);
            }
        }
    }
    old.shift_remove("changes");
    // The column the task left: TaskPositionModel::fireEvents sends it
    // as `src_column_id` beside the new `column_id`.
    if moved.is_some_and(|m| m.column_from_src) {
        if let Some(src) = src_column {
            if old.contains_key("column_id") {
                old.insert("column_id".into(), src.clone());
            }
            if let Some(Value::Object(task)) = old.get_mut("task") {
                task.insert("column_id".into(), src);
            }
        }
    }
    Value::Object(old)
}

/// What a task move changed beyond its `changes`, which for a move name
/// only `src_column_id`, `dst_column_id` and, when the move touched it,
/// `date_moved` (kanboard 2cba210: TaskPositionModel::fireEvents passes
/// its array as changes and values; TaskEventBuilder::buildEvent keeps the
/// keys that differ from the task as read after the move and merges the
/// values into `event_data`; TaskProjectMoveModel::moveToProject's changes
/// all equal the moved task, so they are `[]`).
struct Move {
    event: &'static str,
    /// Fields the event itself says changed, whose old value is not sent.
    changed: &'static [&'static str],
    /// The old `column_id` is `src_column_id`.
    column_from_src: bool,
}

/// - `task.move.column`: the column (old value `src_column_id`); the
///   swimlane counts as unchanged, though the same data comes with a
///   swimlane move that also changed the column (Kanboard then sends
///   `task.move.swimlane` as well);
/// - `task.move.position`: fired only when the position differs; the
///   column and swimlane did not change;
/// - `task.move.swimlane`: fired only when the swimlane differs; the column
///   changed when `src_column_id` and `dst_column_id` differ;
/// - `task.move.project`: the project, and with it the column and swimlane
///   (rows of one project each, mapped to the new project's by
///   `checkDestinationProjectValues`).
const MOVES: [Move; 4] = [
    Move {
        event: "task.move.column",
        changed: &[],
        column_from_src: true,
    },
    Move {
        event: "task.move.position",
        changed: &["position"],
        column_from_src: true,
    },
    Move {
        event: "task.move.swimlane",
        changed: &["swimlane_id"],
        column_from_src: true,
    },
    Move {
        event: "task.move.project",
        changed: &["project_id", "column_id", "swimlane_id"],
        column_from_src: false,
    },
];

/// Kanboard's `WebhookNotification` refuses private-network URLs unless
/// `WEBHOOK_ALLOW_PRIVATE_NETWORKS` is true; it appends the token after
/// any fragment, which is then never sent. Where its check lets through a
/// URL that curl or fetch sends to a private address, a warning says so.
#[cfg_attr(hookmatch_package, optimize(size))]
fn check_target(url: &str, ctx: &SpecContext, diags: &mut Vec<Diagnostic>) {
    let Ok(parsed) = crate::urls::parse_http_url(url) else {
        return;
    };
    if !ctx.allow_private_networks {
        if let Some(why) = kanboard_refuses(parsed.host) {
            diags.push(Diagnostic::error(
                Code::ForbiddenTarget,
                "/url",
                format!("Kanboard does not send web hooks to private networks: {why}. If your Kanboard sets WEBHOOK_ALLOW_PRIVATE_NETWORKS, compile with the allowPrivateNetworks option"),
            ));
        } else if let Some(why) = crate::urls::reaches_private(url, parsed.host) {
            diags.push(Diagnostic::warning(
                Code::InsecureTarget,
                "/url",
                format!("Kanboard's private-network check lets this URL through, but {why}: a receiver on a private network or this host is exposed to whoever can set Kanboard's web hook URL. Use a public address, or protect the receiver"),
            ));
        }
    }
    if url.contains('#') {
        diags.push(Diagnostic::warning(
            Code::TokenAfterFragment,
            "/url",
            "Kanboard appends ?token=… after the URL's fragment (#…), which HTTP clients never send: the receiver gets no token. Remove the fragment",
        ));
    }
}

/// How Kanboard delivers (app/Notification/WebhookNotification.php):
/// the token appended to the URL as it is, and `{event_name, event_data,
/// event_author}` as PHP's `json_encode` writes it, through its HTTP client.
#[derive(Debug)]
struct KanboardDelivery {
    url: String,
    token: String,
}

impl Deliver for KanboardDelivery {
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn deliver(
        &self,
        _ev: &Event<'_>,
        text: &str,
        _opts: &DeliverOptions,
    ) -> Result<Delivery, Error> {
        use crate::rawjson::{self, Style};
        let mut body = String::with_capacity(text.len() + 64);
        for (i, key) in ["event_name", "event_data", "event_author"]
            .iter()
            .enumerate()
        {
            body.push_str(if i == 0 { "{" } else { "," });
            rawjson::write_string(key, Style::Php, &mut body);
            body.push(':');
            // event_author: the logged-in user's name, null for jobs; a
            // preview takes it from the event when the event has one.
            match rawjson::member(text, key) {
                Some(raw) => rawjson::write_compact(raw, Style::Php, &mut body),
                None => body.push_str("null"),
            }
        }
        body.push('}');
        let url = url_with_token(&self.url, &self.token);
        // The token is the URL's tail, as Kanboard appends it.
        let token_at = url.len() - self.token.len()..url.len();
        Ok(post(
            &url,
            &[
                ("User-Agent", USER_AGENT.into()),
                ("Content-type", JSON.into()),
            ],
            body,
        )
        .secret_query("token", token_at))
    }
}

/// Kanboard's URL: `&token=` when the URL holds a `?` anywhere, else
/// `?token=`, and the token as it is (Kanboard does not encode it; its
/// tokens are hex).
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn url_with_token(url: &str, token: &str) -> String {
    let sep = if url.contains('?') { "&" } else { "?" };
    format!("{url}{sep}token={token}")
}

#[cfg(test)]
mod tests {
    use super::url_with_token;

    /// WebhookNotification::notifyProject and its test (`http://localhost/?task-creation&token=`).
    #[test]
    fn token_goes_in_the_query_as_kanboard_appends_it() {
        assert_eq!(
            url_with_token("https://h/x", "abc"),
            "https://h/x?token=abc"
        );
        assert_eq!(
            url_with_token("http://localhost/?task-creation", "abc"),
            "http://localhost/?task-creation&token=abc"
        );
        assert_eq!(
            url_with_token("https://h/x?", "abc"),
            "https://h/x?&token=abc"
        );
        assert_eq!(
            url_with_token("https://h/x#f", "a b"),
            "https://h/x#f?token=a b"
        );
    }
}

/// Why Kanboard would refuse `host` (the URL's host as PHP's `parse_url`
/// reads it) as a private-network target, if it would. Its
/// `HttpClient::isPrivateURL` (app/Core/Http/Client.php, kanboard 2cba210)
/// passes the host to PHP's `gethostbyname` and refuses the IPv4 address
/// it gets if PHP's `FILTER_FLAG_NO_PRIV_RANGE | FILTER_FLAG_NO_RES_RANGE`
/// reject it; then it refuses any private AAAA record of the name. Run
/// with PHP 8.2 on Debian's glibc (docs/vendors/kanboard.md), that is:
/// - `localhost` in any case, from /etc/hosts (not `localhost.`);
/// - a host of only digits and dots, not ending in a dot, that
///   `inet_aton` reads (`127.1`, `2130706433`, `0177.0.0.1`): glibc's
///   `gethostbyname` takes numbers only in that form, so hex (`0x7f000001`)
///   is looked up as a name and not refused;
/// - never a bracketed IPv6 literal: `gethostbyname("[::1]")` fails and
///   the AAAA lookup of `[::1]` finds nothing.
///
/// Names that resolve to private addresses through DNS are not caught:
/// hookmatch resolves nothing.
pub fn kanboard_refuses(host: &str) -> Option<String> {
    let ip = if host.eq_ignore_ascii_case("localhost") {
        // Debian's /etc/hosts: `127.0.0.1 localhost`.
        0x7f00_0001
    } else {
        glibc_numeric_host(host)?
    };
    let addr = std::net::Ipv4Addr::from(ip);
    crate::urls::private_v4(ip).map(|range| {
        if addr.to_string() == host {
            format!("{host} is in {range}")
        } else {
            format!("{host} resolves to {addr}, in {range}")
        }
    })
}

/// glibc's `gethostbyname` reads a name as an address only when it is all
/// digits and dots and does not end in a dot (nss/digits_dots.c), and then
/// with `inet_aton`.
fn glibc_numeric_host(host: &str) -> Option<u32> {
    let b = host.as_bytes();
    let numeric = b.first().is_some_and(u8::is_ascii_digit)
        && b.last() != Some(&b'.')
        && b.iter().all(|c| c.is_ascii_digit() || *c == b'.');
    if numeric {
        crate::urls::ipv4_number_forms(host)
    } else {
        None
    }
}

#[cfg(test)]
mod private_tests {
    use super::kanboard_refuses;

    /// Kanboard's own isPrivateURL, run with PHP 8.2 on Debian's glibc
    /// (the cases in tests/conformance/kanboard/private-network.json
    /// carry the URLs; these are the hosts).
    #[test]
    fn kanboard_refuses_what_its_check_refuses() {
        for host in [
            "localhost",
            "LOCALHOST",
            "LocalHost",
            "127.0.0.1",
            "127.1",
            "127.0.0.01",
            "2130706433",
            "0177.0.0.1",
            "017700000001",
            "0",
            "0.0.0.0",
            "10.0.0.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "240.0.0.1",
            "255.255.255.255",
            "4294967295",
            "167772161",
            "3232235777",
        ] {
            assert!(kanboard_refuses(host).is_some(), "{host}");
        }
        for host in [
            "localhost.",
            "127.0.0.1.",
            "foo.localhost",
            "[::1]",
            "[::ffff:127.0.0.1]",
            "[fd12:3456::1]",
            "[fe80::1]",
            "[::]",
            "0x7f000001",
            "0X7F000001",
            "0x7f.0.0.1",
            "0x7f.1",
            "0xa9fea9fe",
            "１２７.０.０.１",
            "ｌｏｃａｌｈｏｓｔ",
            "172.32.0.1",
            "100.64.0.1",
            "198.18.0.1",
            "224.0.0.1",
            "8.8.8.8",
            "example.com",
            "4294967296",
            "08.0.0.1",
            "1.2.3.4.5",
            "kanboard.local",
        ] {
            assert!(kanboard_refuses(host).is_none(), "{host}");
        }
    }
}
