//! Vendors. Each vendor is one module behind the [`Vendor`] trait, listed
//! once in [`REGISTRY`]; nothing else in the engine names a vendor. A vendor
//! compiles its spec into the shared [`Plan`], maps its event onto the
//! shared [`Event`] view, says where in its events the plan's fields live
//! ([`EventShape`]) and builds its deliveries. None of them compares values:
//! that is [`crate::eval`]'s job alone.
//!
//! Adding a vendor: write one module implementing [`Vendor`] and add one
//! line to [`REGISTRY`] (docs/architecture.md has the recipe;
//! `tests/sixth_vendor.rs` proves it with a vendor defined in a test).

pub mod asana;
pub mod kanboard;
pub mod ricloud;
pub mod rservice;
pub mod spec;
pub mod workfront;

// `Deliver` lives with the deliveries it builds (delivery.rs reads it, and
// it must not read this module back); vendors outside the crate name it from
// here, as they name the rest of the vendor API.
pub use crate::delivery::Deliver;
use crate::error::{unknown_message, Code, Diagnostic, Error};
use crate::event::{At, Event};
use crate::plan::Plan;
use serde_json::{Map, Value};
use std::fmt;
use std::sync::Arc;

/// Every vendor hookmatch speaks, in the order detection and messages list them.
pub static REGISTRY: [&dyn Vendor; 5] = [
    &workfront::Workfront,
    &asana::Asana,
    &kanboard::Kanboard,
    &rservice::RService,
    &ricloud::Ricloud,
];

/// One vendor's dialect: its spec, its events and its deliveries.
pub trait Vendor: Sync + Send + 'static {
    /// The dialect's name in the API (`"workfront"`).
    fn name(&self) -> &'static str;
    /// The vendor's name in messages (`"Workfront"`).
    fn vendor(&self) -> &'static str;
    /// Detection (docs/api.md): does a spec with these keys look like ours?
    fn claims(&self, spec: &Map<String, Value>) -> bool;
    /// What a spec of this dialect needs, for the `unknown_dialect` message
    /// ("objCode, eventType, url, authToken").
    fn needs(&self) -> &'static str;
    /// The spec's top-level keys that [`Vendor::claims`] reads, for
    /// `dialects()` (a test holds that a claim needs no other key).
    fn keys(&self) -> &'static [&'static str] {
        &[]
    }
    /// The spec's fields that hold a secret (`toJSON` redacts them), for
    /// `dialects()`.
    fn secrets(&self) -> &'static [&'static str] {
        &[]
    }
    /// Validate a spec object and compile it, collecting every diagnostic.
    fn compile(
        &self,
        spec: &Map<String, Value>,
        ctx: &SpecContext,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Compiled>;
    /// Map an event onto the shared view, or say why it is not one of ours.
    fn prepare<'a>(&self, event: At<'a>) -> Result<Event<'a>, Error>;
    /// Where the states and the fields `prepare` checks are in an event.
    fn shape(&self) -> &'static EventShape;
    /// A document that holds several events (Asana's `{"events": [...]}`);
    /// `None` when the document is one event.
    fn envelope<'a>(&self, _doc: At<'a>) -> Option<Vec<At<'a>>> {
        None
    }
    /// Check a delivery's signature in this vendor's own scheme under
    /// `secret`: `None` when the delivery carries none of it.
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn verify(
        &self,
        _headers: &Map<String, Value>,
        _body: &str,
        _secret: &str,
        _opts: crate::signing::VerifyOptions,
    ) -> Option<bool> {
        None
    }

    /// What an explanation says of an envelope with no events.
    fn heartbeat(&self) -> &'static str {
        "this delivery body holds no event, so nothing fires"
    }
    /// The gate fields a [`crate::set::SubscriptionSet`] indexes members
    /// by (at most two): a member whose gate compares them with one string
    /// each is found through them. `[]`: every member is tried.
    fn index_fields(&self) -> &'static [IndexField] {
        &[]
    }
}

/// One registered dialect as data: what `dialects()` returns, so that the
/// CLI, the playground and the elements list vendors from the registry
/// rather than from lists of their own.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DialectInfo {
    /// The dialect's name, as the `dialect` option takes it.
    #[cfg_attr(test, ts(type = "DialectName"))]
    pub name: &'static str,
    /// The vendor's name in messages ("Workfront").
    pub vendor: &'static str,
    /// The spec's top-level keys that detection reads.
    pub keys: &'static [&'static str],
    /// The spec's fields that hold a secret (redacted by `toJSON`).
    pub secrets: &'static [&'static str],
}

/// Every registered dialect, in [`REGISTRY`] order.
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn infos() -> Vec<DialectInfo> {
    REGISTRY
        .iter()
        .map(|v| DialectInfo {
            name: v.name(),
            vendor: v.vendor(),
            keys: v.keys(),
            secrets: v.secrets(),
        })
        .collect()
}

/// Check a delivery's signature under `secret`, whichever scheme it carries:
/// Standard Webhooks, or a registered vendor's own ([`Vendor::verify`]).
/// A missing, malformed, stale or wrong signature is `false`; only a
/// delivery without headers/body, an empty secret, or a Standard Webhooks
/// secret that is not base64 where nothing else could use it, is an error.
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn verify(
    delivery: &Value,
    secret: &str,
    opts: crate::signing::VerifyOptions,
) -> Result<bool, Error> {
    verify_scheme(delivery, secret, opts, None)
}

/// [`verify`], with `scheme` (one of [`crate::signing::SCHEMES`]) the only
/// one checked. Each scheme reads only its own headers. The registry is read
/// here, not in `signing`, which takes the vendors' checks as an argument
/// (signing is below the dialects in the module graph).
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn verify_scheme(
    delivery: &Value,
    secret: &str,
    opts: crate::signing::VerifyOptions,
    scheme: Option<&str>,
) -> Result<bool, Error> {
    crate::signing::verify_with(delivery, secret, opts, scheme, |headers, body| {
        REGISTRY
            .iter()
            .filter(|v| scheme.is_none_or(|s| s == v.name()))
            .filter_map(|v| v.verify(headers, body, secret, opts))
            .collect()
    })
}

/// A gate field a set indexes by, and where an event holds it.
#[derive(Debug)]
pub struct IndexField {
    /// The [`crate::plan::GateCheck::field`] it is.
    pub field: &'static str,
    pub source: crate::plan::GateSource,
}

/// Where a vendor's events keep what plans read. Paths are keys from the
/// event's root.
#[derive(Debug)]
pub struct EventShape {
    /// The state filters read by default (`[]`: the event itself).
    pub new_state: &'static [&'static str],
    /// The old state, for vendors that send one (Workfront).
    pub old_state: Option<&'static [&'static str]>,
    /// What `prepare` reads besides the states.
    pub required: &'static [&'static [&'static str]],
    /// Objects of a state that a plain field name is also looked up in
    /// (Workfront's `parameterValues`), every one the vendor may use.
    pub containers: &'static [&'static str],
    /// The array of an envelope document (Asana's `events`).
    pub envelope: Option<&'static str>,
    /// For a vendor with no old state of its own: the object whose keys name
    /// the fields that changed (Kanboard's `event_data.changes`; the old
    /// state is the new one without them). Analysis builds events with it.
    pub changes: Option<&'static [&'static str]>,
    /// The smallest event the vendor sends, as JSON text: the ids and keys
    /// it always carries, which events the analysis builds start from.
    pub skeleton: &'static str,
    /// A path and the value there for which the vendor sends an empty old
    /// state (Workfront's CREATE): built events then carry none.
    pub empty_old_when: Option<(&'static [&'static str], &'static str)>,
    /// Keys of the new state that a built event's old state carries too
    /// (Workfront's `objCode` and `ID`: both states describe one object).
    pub mirror: &'static [&'static str],
}

/// A vendor's dialect as a value: a handle on its registry entry (or on a
/// vendor defined elsewhere, e.g. in a test).
#[derive(Clone, Copy)]
pub struct Dialect(&'static dyn Vendor);

impl PartialEq for Dialect {
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
    }
}

impl Eq for Dialect {}

impl std::hash::Hash for Dialect {
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name().hash(state)
    }
}

impl fmt::Debug for Dialect {
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Dialect {
    /// The dialect of a vendor that is not in the registry (a test's own).
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub const fn of(vendor: &'static dyn Vendor) -> Dialect {
        Dialect(vendor)
    }

    pub fn vendor(self) -> &'static dyn Vendor {
        self.0
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// Every registered dialect's name.
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn names() -> Vec<&'static str> {
        REGISTRY.iter().map(|v| v.name()).collect()
    }

    /// The `dialect` option; an unknown name is misuse and throws.
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn parse(s: &str) -> Result<Dialect, Error> {
        match REGISTRY.iter().find(|v| v.name() == s) {
            Some(v) => Ok(Dialect(*v)),
            None => Err(Error::new(
                Code::UnknownDialect,
                unknown_message("dialect", s, &Dialect::names()),
            )),
        }
    }

    /// docs/api.md: tell the dialect from the spec's shape.
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn detect(spec: &Value) -> Result<Dialect, Error> {
        let Some(obj) = spec.as_object() else {
            return Err(unknown_dialect("the spec is not a JSON object"));
        };
        let found: Vec<Dialect> = REGISTRY
            .iter()
            .filter(|v| v.claims(obj))
            .map(|v| Dialect(*v))
            .collect();
        match found.as_slice() {
            [one] => Ok(*one),
            [] => Err(unknown_dialect("no dialect's required fields are present")),
            many => {
                let names: Vec<&str> = many.iter().map(|d| d.name()).collect();
                Err(unknown_dialect(&format!(
                    "the spec looks like more than one dialect ({})",
                    names.join(", ")
                )))
            }
        }
    }

    /// Compile a spec of this dialect, collecting every diagnostic.
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn compile(
        self,
        spec: &Value,
        ctx: &SpecContext,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Compiled> {
        let Some(obj) = spec.as_object() else {
            diags.push(Diagnostic::error(
                Code::InvalidType,
                "",
                format!(
                    "a {} spec must be a JSON object, got {}",
                    self.name(),
                    crate::text::type_name(spec)
                ),
            ));
            return None;
        };
        self.0.compile(obj, ctx, diags)
    }

    /// The one path from a document to the event its plans read, for every
    /// caller (matching, explaining, delivering, a set's match): the
    /// document's one event (an envelope must hold exactly one, and an empty
    /// one is a heartbeat: `None`), prepared with its own JSON text, cut from
    /// `text`, the document's (`None`: known to be small).
    pub fn open<'a>(self, doc: At<'a>, text: Option<&'a str>) -> Result<Option<Event<'a>>, Error> {
        match self.envelope(doc).as_deref() {
            None => self.prepare(doc, text).map(Some),
            Some([]) => Ok(None),
            Some([one]) => {
                let text = text.and_then(|t| self.first_enveloped(t));
                self.prepare(*one, text).map(Some)
            }
            Some(many) => Err(Error::new(
                Code::InvalidEvent,
                format!(
                    "this is a delivery body with {} events; pass it to preview, or pass one event",
                    many.len()
                ),
            )
            .at(crate::error::join(
                "",
                self.0.shape().envelope.unwrap_or("events"),
            ))),
        }
    }

    /// Map an event onto the shared view with its JSON text (`None`: known
    /// to be small): the last step of [`Dialect::open`], where a batch's
    /// events, already out of their envelopes, come in. The text is set
    /// here and nowhere else.
    pub fn prepare<'a>(self, event: At<'a>, text: Option<&'a str>) -> Result<Event<'a>, Error> {
        let mut ev = self.0.prepare(event)?;
        ev.text = text;
        Ok(ev)
    }

    pub fn envelope(self, doc: At<'_>) -> Option<Vec<At<'_>>> {
        self.0.envelope(doc)
    }

    /// The JSON text of the first event of an envelope document's text.
    fn first_enveloped(self, doc_text: &str) -> Option<&str> {
        let envelope = crate::rawjson::member(doc_text, self.0.shape().envelope?)?;
        crate::rawjson::items(envelope)?.first().copied()
    }
}

#[cfg_attr(hookmatch_package, optimize(size))]
fn unknown_dialect(why: &str) -> Error {
    let needs: Vec<String> = REGISTRY
        .iter()
        .map(|v| format!("{} needs {}", v.name(), v.needs()))
        .collect();
    Error::new(
        Code::UnknownDialect,
        format!(
            "cannot tell the dialect: {why}. Name the dialect (the dialect option, or --dialect) or give the fields of one: {}",
            needs.join("; ")
        ),
    )
    .at("")
}

/// How a spec is being checked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SpecContext {
    /// An update body rather than a full spec (ricloud: only `url` and
    /// `state`, and `state` only `new` or `deactivated`).
    pub update: bool,
    /// Accept targets on private networks (Kanboard's
    /// `WEBHOOK_ALLOW_PRIVATE_NETWORKS`).
    pub allow_private_networks: bool,
}

/// A spec compiled by its vendor: the plan, the spec as normalized for
/// `toJSON` (secrets redacted), and how its deliveries are built.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub plan: Plan,
    pub normalized: Normalized,
    pub delivery: Arc<dyn Deliver>,
}

/// The normalized spec without the plan's filters, and where they go: the
/// filters are written from the plan when `toJSON` asks, not at compile
/// (building them was a fifth of compiling a set, and few specs are ever
/// shown).
#[derive(Debug, Clone)]
pub struct Normalized {
    /// In `toJSON`'s order; keys are the dialect's own names, so the map
    /// (and its key strings) is built only when asked for.
    pub fields: Vec<(&'static str, Value)>,
    /// The position of `filters` and `filterConnector` among `fields`;
    /// `None` when the plan's entries are not shown (no filters, or a
    /// dialect that writes its own, like Asana).
    pub filters_at: Option<usize>,
}

impl Normalized {
    /// The whole normalized spec, the plan's filters in their place.
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn to_value(&self, plan: &Plan) -> Value {
        let mut out = Map::new();
        for (i, (k, v)) in self.fields.iter().enumerate() {
            if self.filters_at == Some(i) {
                crate::filters::insert_normalized(&mut out, plan.connector, &plan.entries);
            }
            out.insert((*k).into(), v.clone());
        }
        if self.filters_at.is_some_and(|at| at >= self.fields.len()) {
            crate::filters::insert_normalized(&mut out, plan.connector, &plan.entries);
        }
        Value::Object(out)
    }
}

/// The longest event text whose message surely fits under a vendor's
/// size `limit` without being written: a message is at most 4/3 of the
/// event's text (base64 states) plus a few hundred bytes of fields the
/// vendor adds. Longer events are measured exactly.
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn surely_fits_below(limit: usize) -> usize {
    limit.saturating_sub(512) / 4 * 3
}

/// What `toJSON` shows instead of a secret.
pub const REDACTED: &str = "[redacted]";

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn dialect(name: &str) -> Dialect {
        Dialect::parse(name).unwrap()
    }

    /// The detection rules (docs/api.md), one row each.
    #[test]
    fn detection_table() {
        let rows = [
            (
                json!({"objCode": "PROJ", "url": "https://x.example", "authToken": "t"}),
                Some("workfront"),
            ),
            (
                json!({"resource": "123", "target": "https://x.example"}),
                Some("asana"),
            ),
            (
                json!({"filters": [{"resource_type": "task"}]}),
                Some("asana"),
            ),
            (
                json!({"event": "problem.update", "uri": "https://x.example"}),
                Some("rservice"),
            ),
            (
                json!({"url": "https://x.example", "secret": "s"}),
                Some("ricloud"),
            ),
            (
                json!({"url": "https://x.example", "state": "new"}),
                Some("ricloud"),
            ),
            (
                json!({"url": "https://x.example", "organisation": 1, "resource": "webhook_config"}),
                Some("ricloud"),
            ),
            (
                json!({"url": "https://x.example", "token": "t"}),
                Some("kanboard"),
            ),
            (
                json!({"url": "https://x.example", "events": ["task.create"]}),
                Some("kanboard"),
            ),
            (
                json!({"url": "https://x.example", "token": "t", "secret": "s"}),
                None,
            ),
            (json!({"url": "https://x.example"}), None),
            (json!({"name": "x"}), None),
            (json!([1]), None),
        ];
        for (spec, want) in rows {
            let got = Dialect::detect(&spec);
            match want {
                Some(d) => assert_eq!(got.ok(), Some(dialect(d)), "{spec}"),
                None => assert_eq!(got.map_err(|e| e.code()), Err("unknown_dialect"), "{spec}"),
            }
        }
    }

    /// `dialects()` says what the engine does: a spec claimed by a vendor
    /// is still claimed with only the vendor's keys (detection reads no
    /// other), and `toJSON` redacts exactly the vendor's secret fields.
    #[test]
    fn registry_info_matches_detection_and_redaction() {
        let claimed = [
            json!({"objCode": "PROJ", "eventType": "UPDATE", "url": "https://x.example/h", "authToken": "t1"}),
            json!({"resource": "123", "target": "https://x.example/h", "filters": [{"resource_type": "task"}]}),
            json!({"filters": [{"resource_type": "task"}]}),
            json!({"event": "problem.update", "uri": "https://x.example/h", "name": "n"}),
            json!({"url": "https://x.example/h", "secret": "s1", "state": "valid", "organisation": 1}),
            json!({"url": "https://x.example/h", "token": "t1", "events": ["task.create"]}),
            json!({"url": "https://x.example/h", "events": ["task.create"], "filters": []}),
        ];
        for spec in &claimed {
            let obj = spec.as_object().unwrap();
            for v in REGISTRY.iter().filter(|v| v.claims(obj)) {
                let only: Map<String, Value> = obj
                    .iter()
                    .filter(|(k, _)| v.keys().contains(&k.as_str()))
                    .map(|(k, x)| (k.clone(), x.clone()))
                    .collect();
                assert!(v.claims(&only), "{}: {spec}", v.name());
            }
        }
        for (spec, name) in [
            (&claimed[0], "workfront"),
            (&claimed[1], "asana"),
            (&claimed[3], "rservice"),
            (&claimed[4], "ricloud"),
            (&claimed[5], "kanboard"),
        ] {
            let d = dialect(name);
            let mut diags = Vec::new();
            let c = d
                .compile(spec, &SpecContext::default(), &mut diags)
                .unwrap_or_else(|| panic!("{name}: {diags:?}"));
            let shown = c.normalized.to_value(&c.plan);
            let redacted: Vec<&str> = shown
                .as_object()
                .unwrap()
                .iter()
                .filter(|(_, x)| *x == REDACTED)
                .map(|(k, _)| k.as_str())
                .collect();
            assert_eq!(redacted, d.vendor().secrets(), "{name}");
        }
        let names: Vec<&str> = infos().iter().map(|i| i.name).collect();
        assert_eq!(names, Dialect::names());
        assert!(infos().iter().all(|i| !i.keys.is_empty()));
    }

    /// The one path from a document to an event (Asana's envelope,
    /// developers.asana.com "Webhooks": a delivery body is
    /// `{"events": [...]}`, and an empty one is a heartbeat): a plain event
    /// is itself with the document's text; an envelope of one is that event
    /// with its own text cut from the document's; an empty envelope is no
    /// event; two are refused at `/events`.
    #[test]
    fn open_gives_the_documents_one_event_with_its_own_text() {
        let asana = dialect("asana");
        let event = r#"{"action":"changed","resource":{"gid":"1","resource_type":"task"},"user":{"gid":"2"},"created_at":"2018-03-05T21:59:04.526Z"}"#;
        let plain: Value = serde_json::from_str(event).unwrap();
        let ev = asana.open(At::Value(&plain), Some(event)).unwrap().unwrap();
        assert_eq!(ev.text, Some(event));
        assert_eq!(ev.root.get("action").and_then(At::as_str), Some("changed"));
        let one = format!(r#"{{"events": [ {event} ]}}"#);
        let doc: Value = serde_json::from_str(&one).unwrap();
        let ev = asana.open(At::Value(&doc), Some(&one)).unwrap().unwrap();
        assert_eq!(ev.text, Some(event));
        assert!(ev.root.get("events").is_none());
        let ev = asana.open(At::Value(&doc), None).unwrap().unwrap();
        assert_eq!(ev.text, None);
        let empty = json!({"events": []});
        assert!(asana.open(At::Value(&empty), None).unwrap().is_none());
        let two = json!({"events": [plain.clone(), plain]});
        let err = asana.open(At::Value(&two), None).unwrap_err();
        assert_eq!(
            (err.code(), err.path.as_deref()),
            ("invalid_event", Some("/events"))
        );
        // A document its vendor cannot read is that vendor's error.
        let other = json!({"eventType": "UPDATE"});
        assert!(asana.open(At::Value(&other), None).is_err());
    }

    #[test]
    fn names_are_unique_and_parse_back() {
        let names = Dialect::names();
        for n in &names {
            assert_eq!(dialect(n).name(), *n);
        }
        let unique: std::collections::BTreeSet<_> = names.iter().collect();
        assert_eq!(unique.len(), names.len());
        let err = Dialect::parse("workfornt").unwrap_err();
        assert_eq!(err.code(), "unknown_dialect");
        assert!(
            err.message.contains("did you mean \"workfront\""),
            "{}",
            err.message
        );
    }
}
