//! `SubscriptionSet`: one event against many subscriptions.
//!
//! Subscriptions are indexed by what an event must equal for them to fire:
//! the gate fields their vendor names ([`crate::dialect::Vendor::index_fields`],
//! e.g. Workfront's eventType and objCode) and, inside a gate bucket, one top-level `eq` filter on a
//! plain string value, through a hash. An event is parsed once (projected to
//! the union of the fields the set reads), prepared once per dialect, looks up
//! its candidates, and only those are evaluated, in insertion order. The index
//! only narrows: every candidate is still evaluated by its own plan, so the
//! answers are exactly those of `Subscription::matches`.

use crate::delivery::{DeliverOptions, Delivery};
use crate::dialect::Dialect;
use crate::error::{join, Code, Diagnostic, Error};
use crate::eval::{self, Explanation, FilterIds};
use crate::event::{At, Event};
use crate::options::{DeliverOptionsIn, Options, SpecOptions};
use crate::plan::{Comparison, Connector, Entry, FieldRef, GateCheck, GateTest, Plan, StateSel};
use crate::preview::{self, Batch};
use crate::projection::{self, Projection};
use crate::subscription::{CompileOptions, Subscription};
use crate::value::Hint;
use serde::Serialize;
use serde_json::{Map, Value};
use std::fmt::Write;
/// The set's maps hash with foldhash, as serde_json's own maps do here
/// (without its `std` feature), so the module carries one hasher, not two.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
type HashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

/// An entry that did not compile: its id, where in the input, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SetError {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub id: Option<String>,
    pub index: usize,
    #[cfg_attr(test, ts(type = "ErrorCode"))]
    pub code: Code,
    /// JSON Pointer into the entries array, e.g. `/3/spec/filters/0/comparison`.
    pub path: String,
    pub message: String,
}

/// What `preview` of a set reports.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(rename = "SetPreviewResult"))]
pub struct SetPreview {
    pub total: usize,
    pub errors: Vec<preview::PreviewError>,
    /// Matched events per id, in insertion order (every id, zeros included).
    #[cfg_attr(test, ts(type = "Record<string, number>"))]
    pub counts: serde_json::Map<String, Value>,
    /// `true` when `errors` left some out (`maxErrors`); absent when it
    /// holds every one.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(test, ts(as = "Option<bool>", optional))]
    pub truncated: bool,
}

/// How a subscription is found from an event: the values of its vendor's
/// index fields (a second one, or ""). Kept as two levels so an event
/// looks its bucket up by borrowed strings.
type GateKey<'a> = (&'a str, &'a str);

/// Gate buckets of one dialect: first key, then second.
type Gates = HashMap<String, HashMap<String, Bucket>>;

/// A top-level `eq` on a string that means "the field is this string": the
/// only filters whose pass/fail a hash decides.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FieldKey {
    state: StateSel,
    name: String,
}

/// What [`eq_key`] finds: the entry, and its field and value.
struct EqKey<'a> {
    entry: usize,
    state: StateSel,
    name: &'a str,
    value: &'a str,
}

#[derive(Debug, Default)]
struct Bucket {
    /// Positions with no usable `eq` filter.
    plain: Vec<usize>,
    /// Per field (a bucket's members use a few), per value, positions.
    by_field: Vec<(FieldKey, HashMap<String, Vec<usize>>)>,
    /// Where each field of `by_field` is: a scan of the list made compiling
    /// 40,000 members on distinct fields quadratic (5.3 s).
    field_at: HashMap<(StateSel, String), usize>,
}

impl Bucket {
    fn insert(&mut self, pos: usize, eq: Option<&EqKey<'_>>) {
        let Some(eq) = eq else {
            self.plain.push(pos);
            return;
        };
        let key = (eq.state, eq.name.to_string());
        let at = match self.field_at.get(&key) {
            Some(at) => *at,
            None => {
                let field = FieldKey {
                    state: eq.state,
                    name: eq.name.to_string(),
                };
                self.by_field.push((field, HashMap::default()));
                self.field_at.insert(key, self.by_field.len() - 1);
                self.by_field.len() - 1
            }
        };
        if let Some((_, values)) = self.by_field.get_mut(at) {
            with_slot(values, eq.value, |list: &mut Vec<usize>| list.push(pos));
        }
    }
}

/// Run `f` on the value at `key`, made if needed: keys are looked up by
/// `&str` and allocated only when new (most members land in buckets and
/// values that exist; allocating each key anyway was a fifth of `insert`).
fn with_slot<V: Default>(map: &mut HashMap<String, V>, key: &str, f: impl FnOnce(&mut V)) {
    match map.get_mut(key) {
        Some(v) => f(v),
        None => f(map.entry(key.to_string()).or_default()),
    }
}

#[derive(Debug)]
struct Member {
    id: String,
    sub: Subscription,
    /// Its entry's `deliver`: what `set.deliver` gives its `deliver`.
    defaults: DeliverDefaults,
    /// Its whole gate is the bucket key: found through its bucket, the gate
    /// has passed already.
    gate_is_key: bool,
    /// The entry the `eq` hash decides: found through the hash, it passed.
    hashed_entry: Option<usize>,
    /// The set's numbers for each of its plan's filters.
    ids: Vec<FilterIds>,
}

/// A subscription worth evaluating, and what its lookup already proved.
#[derive(Clone, Copy)]
struct Candidate {
    pos: usize,
    gate_passed: bool,
    hashed_passed: bool,
}

/// A member's delivery defaults (its entry's `deliver`: `secret`,
/// `subscriptionId`, …), kept as the options object it was given and checked
/// as `deliver` checks its options. `set.deliver` lays the call's options
/// over it key by key, as `{ ...member.deliver, ...opts }` does in JS.
/// It may hold a secret: its `Debug` names the keys only, and nothing the
/// set reports (errors, lint, explanations, ids) reads it.
#[derive(Clone, Default, PartialEq)]
pub struct DeliverDefaults(Map<String, Value>);

impl std::fmt::Debug for DeliverDefaults {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("DeliverDefaults")
            .field(&self.0.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Options for DeliverDefaults {
    const KEYS: &'static [&'static str] = DeliverOptionsIn::KEYS;
    fn read(o: &crate::options::Object<'_>) -> Result<Self, Error> {
        DeliverOptionsIn::read(o)?;
        Ok(DeliverDefaults(o.map().clone()))
    }
}

impl DeliverDefaults {
    /// The object as given (keys `deliver` takes, checked as it checks them).
    pub fn from_value(v: &Value) -> Result<DeliverDefaults, Error> {
        crate::options::from_value(v, "deliver options")
    }

    /// A key given as `undefined` in JS: it overrides a member's default
    /// with "absent", as in `{ ...member.deliver, ...opts }`.
    pub fn unset(&mut self, key: &str) {
        if Self::KEYS.contains(&key) {
            self.0.insert(key.to_string(), Value::Null);
        }
    }

    /// These defaults with `over`'s keys laid over them (a `null` there
    /// drops the default), read as `deliver` reads its options.
    fn under(&self, over: &DeliverDefaults) -> Result<DeliverOptions, Error> {
        if over.0.is_empty() {
            return Ok(crate::options::from_value::<DeliverOptionsIn>(
                &Value::Object(self.0.clone()),
                "deliver options",
            )?
            .0);
        }
        let mut merged = self.0.clone();
        for (k, v) in &over.0 {
            merged.insert(k.clone(), v.clone());
        }
        Ok(crate::options::from_value::<DeliverOptionsIn>(
            &Value::Object(merged),
            "deliver options",
        )?
        .0)
    }
}

/// One delivery of `set.deliver`: the member's id and what its `deliver` returns.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SetDelivery {
    pub id: String,
    pub delivery: Delivery,
}

/// A member of `SubscriptionSet::compile`'s entries or of `add`: its id,
/// its spec and how to compile it, and its delivery defaults.
pub struct NewMember<'a> {
    pub id: &'a str,
    pub spec: &'a Value,
    pub options: CompileOptions,
    pub deliver: DeliverDefaults,
}

/// `set.add`'s third argument: compile options (as before), and a set
/// entry's `options` and `deliver`.
#[derive(Debug, Default)]
pub struct EntryOptions {
    pub options: CompileOptions,
    pub deliver: DeliverDefaults,
}

impl Options for EntryOptions {
    const KEYS: &'static [&'static str] = &[
        "dialect",
        "update",
        "allowPrivateNetworks",
        "options",
        "deliver",
    ];
    fn read(o: &crate::options::Object<'_>) -> Result<Self, Error> {
        let flat = SpecOptions::read(o)?;
        let nested = match o.value("options") {
            None => None,
            Some(v) => Some(
                crate::options::from_value::<SpecOptions>(v, "add options.options")
                    .map_err(|e| e.under("/options"))?,
            ),
        };
        let options = merge_spec_options(Some(flat), nested).map_err(|e| e.under("/options"))?;
        let deliver = match o.value("deliver") {
            None => DeliverDefaults::default(),
            Some(v) => DeliverDefaults::from_value(v).map_err(|e| e.under("/deliver"))?,
        };
        Ok(EntryOptions { options, deliver })
    }
}

/// Compile options given in two places (a set entry's `dialect` and its
/// `options`, or `add`'s flat keys and its `options`): each key once, or
/// twice with the same value; different values are refused rather than
/// one silently winning. The error's path is the key under `options`.
fn merge_spec_options(
    outer: Option<SpecOptions>,
    inner: Option<SpecOptions>,
) -> Result<CompileOptions, Error> {
    let (outer, inner) = (outer.unwrap_or_default(), inner.unwrap_or_default());
    let conflict = |key: &str| {
        Error::new(
            Code::InvalidInput,
            format!("{key} is given twice with different values (beside options and in options); give it once"),
        )
        .at(join("", key))
    };
    let dialect = match (outer.dialect, inner.dialect) {
        (Some(a), Some(b)) if a != b => return Err(conflict("dialect")),
        (a, b) => a.or(b),
    };
    let flag = |a: bool, b: bool| a || b;
    SpecOptions {
        dialect,
        update: flag(outer.update, inner.update),
        allow_private_networks: flag(outer.allow_private_networks, inner.allow_private_networks),
    }
    .to_compile()
}

#[derive(Debug, Default)]
pub struct SubscriptionSet {
    /// Insertion order; removed entries leave `None` so positions stay stable.
    members: Vec<Option<Member>>,
    positions: HashMap<String, usize>,
    /// Gate buckets per dialect, and the subscriptions every event must try.
    buckets: HashMap<Dialect, Gates>,
    wildcard: HashMap<Dialect, Bucket>,
    dialects: Vec<Dialect>,
    projection: Projection,
    /// `projection` for batch documents, made on first use after a change.
    batch_projection: std::sync::OnceLock<Projection>,
    errors: Vec<SetError>,
    /// A number per plain field name the members' filters read (their
    /// [`FilterIds::slot`]), for the per-event lookup memo.
    slots: HashMap<String, u32>,
    /// The [`projection::plan::signature`]s already in `projection`.
    projected: HashSet<Vec<u8>>,
    /// The buffer each member's signature is written into.
    signature: Vec<u8>,
    /// A number per distinct filter decision ([`FilterIds::outcome`]), by
    /// the key `number_filters` writes, and the buffer it writes it into.
    outcomes: HashMap<String, u32>,
    outcome_key: String,
    /// Removed members still holding a position (see `remove`).
    removed: usize,
    /// Bumped by each compaction.
    generation: u64,
}

/// Removed members kept before a compaction is considered (small sets are
/// never rebuilt for a few removals).
const COMPACT_AFTER: usize = 64;

impl SubscriptionSet {
    /// Compile `[{id, spec, dialect?}, ...]`; invalid entries are reported in
    /// [`SubscriptionSet::errors`] and do not stop the others.
    pub fn compile(entries: &Value) -> Result<SubscriptionSet, Error> {
        let list = entries.as_array().ok_or_else(|| {
            Error::new(
                Code::InvalidInput,
                "SubscriptionSet.compile takes an array of { id, spec, dialect? }",
            )
            .at("")
        })?;
        let mut set = SubscriptionSet::default();
        // Grown once, not rehashed through every power of two.
        set.positions.reserve(list.len());
        set.members.reserve(list.len());
        for (i, entry) in list.iter().enumerate() {
            // Made only for an entry that fails.
            let path = || join("", i);
            let entry_field = |key| entry.as_object().and_then(|m| crate::json::field(m, key));
            let id = entry_field("id").and_then(Value::as_str);
            let fail = |code: Code, at: String, message: String| SetError {
                id: id.map(str::to_string),
                index: i,
                code,
                path: at,
                message,
            };
            let Some(id_str) = id else {
                set.errors.push(fail(
                    Code::InvalidEntry,
                    join(&path(), "id"),
                    "each entry needs an id string".into(),
                ));
                continue;
            };
            if set.positions.contains_key(id_str) {
                set.errors.push(fail(
                    Code::DuplicateId,
                    join(&path(), "id"),
                    format!("id {id_str:?} is used twice"),
                ));
                continue;
            }
            let dialect = match entry_field("dialect") {
                None | Some(Value::Null) => None,
                Some(Value::String(d)) => match Dialect::parse(d) {
                    Ok(d) => Some(d),
                    Err(e) => {
                        set.errors.push(fail(
                            Code::UnknownDialect,
                            join(&path(), "dialect"),
                            e.message,
                        ));
                        continue;
                    }
                },
                _ => {
                    set.errors.push(fail(
                        Code::InvalidEntry,
                        join(&path(), "dialect"),
                        "dialect must be a string".into(),
                    ));
                    continue;
                }
            };
            let Some(spec) = entry_field("spec") else {
                set.errors.push(fail(
                    Code::InvalidEntry,
                    join(&path(), "spec"),
                    "each entry needs a spec".into(),
                ));
                continue;
            };
            // A spec given as its JSON text, as `add` and `compile` take it.
            let parsed;
            let spec = match spec {
                Value::String(text) => match crate::json::parse(text.as_bytes(), "the spec") {
                    Ok(v) => {
                        parsed = v;
                        &parsed
                    }
                    Err(e) => {
                        set.errors
                            .push(fail(e.kind, join(&path(), "spec"), e.message));
                        continue;
                    }
                },
                other => other,
            };
            // The member's compile options and delivery defaults, each
            // checked as `compile` and `deliver` check their options.
            let option_error = |e: Error, key: &str| {
                let code = match e.kind {
                    Code::UnknownDialect => Code::UnknownDialect,
                    _ => Code::InvalidEntry,
                };
                let at = format!("{}{}", join(&path(), key), e.path.as_deref().unwrap_or(""));
                fail(code, at, e.message)
            };
            let given = match entry_field("options") {
                None | Some(Value::Null) => None,
                Some(v) => match crate::options::from_value::<SpecOptions>(v, "options") {
                    Ok(o) => Some(o),
                    Err(e) => {
                        set.errors.push(option_error(e, "options"));
                        continue;
                    }
                },
            };
            let outer = SpecOptions {
                dialect: dialect.map(|d| d.name().to_string()),
                ..SpecOptions::default()
            };
            let options = match merge_spec_options(Some(outer), given) {
                Ok(o) => o,
                Err(e) => {
                    set.errors.push(option_error(e, "options"));
                    continue;
                }
            };
            let defaults = match entry_field("deliver") {
                None | Some(Value::Null) => DeliverDefaults::default(),
                Some(v) => match DeliverDefaults::from_value(v) {
                    Ok(d) => d,
                    Err(e) => {
                        set.errors.push(option_error(e, "deliver"));
                        continue;
                    }
                },
            };
            match Subscription::compile(spec, options) {
                Ok(sub) => set.insert(id_str.to_string(), sub, defaults),
                Err(e) => {
                    let inner = e.path.clone().unwrap_or_default();
                    let spec_path = join(&path(), "spec");
                    set.errors.push(fail(
                        e.public_code(),
                        format!("{spec_path}{inner}"),
                        e.message,
                    ));
                }
            }
        }
        Ok(set)
    }

    pub fn errors(&self) -> &[SetError] {
        &self.errors
    }

    pub fn size(&self) -> usize {
        self.positions.len()
    }

    /// Add one subscription; an invalid spec or a used id is an error.
    pub fn add(&mut self, id: &str, spec: &Value, opts: CompileOptions) -> Result<(), Error> {
        self.add_member(NewMember {
            id,
            spec,
            options: opts,
            deliver: DeliverDefaults::default(),
        })
    }

    /// [`SubscriptionSet::add`] with the member's delivery defaults.
    pub fn add_member(&mut self, member: NewMember<'_>) -> Result<(), Error> {
        let NewMember {
            id,
            spec,
            options: opts,
            deliver,
        } = member;
        if self.positions.contains_key(id) {
            return Err(Error::new(
                Code::InvalidInput,
                format!("id {id:?} is already in the set"),
            )
            .at("/id"));
        }
        let sub = Subscription::compile(spec, opts)?;
        self.insert(id.to_string(), sub, deliver);
        Ok(())
    }

    /// Remove a subscription; `false` when the id is not in the set.
    ///
    /// The member is taken out at once; its position stays in the buckets
    /// (a match skips an empty position) until removed members outnumber
    /// live ones, when the set is rebuilt from its live members in order.
    /// So a removal costs O(1) amortized, where scrubbing every bucket list
    /// made removing 40,000 members quadratic (6.6 s), and add/remove churn
    /// reuses memory instead of keeping a tombstone per removal forever
    /// (400,000 cycles: 1.2 → 211 MB of wasm memory).
    pub fn remove(&mut self, id: &str) -> bool {
        let Some(pos) = self.positions.remove(id) else {
            return false;
        };
        if let Some(slot) = self.members.get_mut(pos) {
            if slot.take().is_some() {
                self.removed += 1;
            }
        }
        if self.removed > COMPACT_AFTER && self.removed * 2 > self.members.len() {
            self.compact();
        }
        true
    }

    /// Rebuild from the live members, in insertion order (positions change:
    /// [`SubscriptionSet::generation`] says when).
    fn compact(&mut self) {
        let live: Vec<(String, Subscription, DeliverDefaults)> = std::mem::take(&mut self.members)
            .into_iter()
            .flatten()
            .map(|m| (m.id, m.sub, m.defaults))
            .collect();
        let errors = std::mem::take(&mut self.errors);
        let generation = self.generation + 1;
        *self = SubscriptionSet::default();
        self.errors = errors;
        self.generation = generation;
        self.members.reserve(live.len());
        self.positions.reserve(live.len());
        for (id, sub, defaults) in live {
            self.insert(id, sub, defaults);
        }
    }

    /// Changes whenever positions are renumbered (a compaction after
    /// removals): a cache keyed by position is stale then.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    fn insert(&mut self, id: String, sub: Subscription, defaults: DeliverDefaults) {
        let ids = self.number_filters(sub.plan());
        let pos = self.members.len();
        let d = sub.dialect();
        if !self.dialects.contains(&d) {
            self.dialects.push(d);
        }
        let shape = d.vendor().shape();
        let mut signature = std::mem::take(&mut self.signature);
        signature.clear();
        projection::plan::signature(d.name(), shape, sub.plan(), &mut signature);
        if !self.projected.contains(&signature) {
            projection::plan::add(shape, sub.plan(), &mut self.projection);
            self.projected.insert(signature.clone());
            self.batch_projection = std::sync::OnceLock::new();
        }
        self.signature = signature;
        let eq = eq_key(&sub);
        let hashed_entry = eq.as_ref().map(|k| k.entry);
        let gate = gate_key(&sub);
        let gate_is_key = gate.is_some() && gate_is_key(&sub);
        match gate {
            Some((first, second)) => {
                let gates = self.buckets.entry(d).or_default();
                with_slot(gates, first, |seconds| {
                    with_slot(seconds, second.as_str(), |b: &mut Bucket| {
                        b.insert(pos, eq.as_ref())
                    })
                });
            }
            None => self.wildcard.entry(d).or_default().insert(pos, eq.as_ref()),
        }
        self.positions.insert(id.clone(), pos);
        self.members.push(Some(Member {
            id,
            sub,
            defaults,
            gate_is_key,
            hashed_entry,
            ids,
        }));
    }

    /// The set's numbers for a plan's filters: each plain field name its
    /// set-wide slot, each scalar decision its set-wide outcome.
    fn number_filters(&mut self, plan: &Plan) -> Vec<FilterIds> {
        let mut key = std::mem::take(&mut self.outcome_key);
        let mut ids = Vec::with_capacity(plan.entries.len());
        for f in plan.filters() {
            let mut id = FilterIds::default();
            if f.field == FieldRef::Name {
                let name = &f.field_name;
                id.slot = match self.slots.get(name) {
                    Some(slot) => Some(*slot),
                    // Past u32::MAX names a field is simply not memoized.
                    None => u32::try_from(self.slots.len()).ok().inspect(|slot| {
                        self.slots.insert(name.clone(), *slot);
                    }),
                };
            }
            ids.push(id);
            let Some(slot) = id.slot else { continue };
            // What decides a filter on a named field: the field, the state,
            // the comparison and the value (the hint is the value's). Only
            // scalar values, whose text is short and exact.
            key.clear();
            // The slot as four bytes' worth of chars, then names: every part
            // but the last has a fixed form, so the key is exact.
            key.extend(slot.to_le_bytes().map(char::from));
            key.push_str(f.state.name());
            key.push('\u{0}');
            key.push_str(f.comparison.name());
            key.push('\u{0}');
            match &f.value {
                Value::String(v) => {
                    key.push('s');
                    key.push_str(v);
                }
                Value::Number(n) => {
                    if write!(key, "n{n}").is_err() {
                        continue;
                    }
                }
                Value::Bool(b) => key.push_str(if *b { "t" } else { "f" }),
                Value::Null => key.push('z'),
                Value::Array(_) | Value::Object(_) => continue,
            }
            let outcome = match self.outcomes.get(key.as_str()) {
                Some(id) => Some(*id),
                None => u32::try_from(self.outcomes.len()).ok().inspect(|id| {
                    self.outcomes.insert(key.clone(), *id);
                }),
            };
            if let Some(last) = ids.last_mut() {
                last.outcome = outcome;
            }
        }
        self.outcome_key = key;
        ids
    }

    /// `match` of JSON text, reading only the fields the set's plans read.
    pub fn match_text(&self, event: &[u8]) -> Result<Vec<&str>, Error> {
        Ok(self.ids_at(&self.match_positions(event)?))
    }

    /// [`SubscriptionSet::match_text`] as insertion positions (see
    /// [`SubscriptionSet::id_at`]): a binding can map them to ids it keeps.
    pub fn match_positions(&self, event: &[u8]) -> Result<Vec<usize>, Error> {
        let text = crate::json::utf8(event, "the event")?;
        let node = projection::parse(text, &self.projection)
            .map_err(|e| crate::json::syntax_error(&e, "the event"))?;
        Ok(self.match_positions_at(At::Node(&node), Some(text)))
    }

    /// `set.deliver`: for each member that fires, in insertion order, what
    /// its own `deliver` returns for this event with its defaults under
    /// `opts` (`{ ...member.deliver, ...opts }`); a member whose vendor
    /// refuses the message (Workfront's size limit) has no delivery and is
    /// left out. `now_ms` and `random` are the caller's clock and entropy,
    /// as `deliver` takes them; each member draws its own bytes from
    /// `random` (keyed by its id), as its own call would draw fresh ones.
    /// A member's `deliver` that fails fails the call, naming the member.
    pub fn deliver_text(
        &self,
        event: &[u8],
        opts: &DeliverDefaults,
        now_ms: Option<f64>,
        random: Option<[u8; 32]>,
    ) -> Result<Vec<SetDelivery>, Error> {
        let positions = self.match_positions(event)?;
        let mut out = Vec::with_capacity(positions.len());
        for pos in positions {
            let Some(Some(m)) = self.members.get(pos) else {
                continue;
            };
            let in_member = |mut e: Error| {
                e.message = format!("member {:?}: {}", m.id, e.message);
                e
            };
            let mut o = m.defaults.under(opts).map_err(in_member)?;
            o.now_ms = now_ms;
            o.random = random.map(|r| crate::signing::hmac_sha256(&r, &[m.id.as_bytes()]));
            if let Some(delivery) = m.sub.deliver_text(Some(event), &o).map_err(in_member)? {
                out.push(SetDelivery {
                    id: m.id.clone(),
                    delivery,
                });
            }
        }
        Ok(out)
    }

    /// The id at an insertion position (`None` once removed).
    pub fn id_at(&self, pos: usize) -> Option<&str> {
        self.members.get(pos)?.as_ref().map(|m| m.id.as_str())
    }

    /// [`Subscription::projection_export`] of the set.
    pub fn projection_export(&self) -> Value {
        crate::subscription::export(&self.projection, self.size_limit())
    }

    /// The union of the fields the members read.
    pub fn projection(&self) -> &Projection {
        &self.projection
    }

    /// The insertion position of an id in the set.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.positions.get(id).copied()
    }

    fn ids_at(&self, positions: &[usize]) -> Vec<&str> {
        positions.iter().filter_map(|p| self.id_at(*p)).collect()
    }

    /// `event` is a document whose JSON text is `text` (when known).
    fn match_positions_at(&self, event: At<'_>, text: Option<&str>) -> Vec<usize> {
        let mut out = Vec::new();
        // Grown once, not doubling through 4, 8, 16... (a tenth of a set
        // match was spent reallocating these).
        let mut candidates = Vec::with_capacity(64);
        for &d in &self.dialects {
            // An event that is not of this dialect (or a heartbeat) matches
            // none of its subscriptions.
            let Ok(Some(ev)) = d.open(event, text) else {
                continue;
            };
            candidates.clear();
            let memo = eval::FieldMemo::new();
            let bucket = event_gate_key(d, &ev)
                .and_then(|(first, second)| self.buckets.get(&d)?.get(first)?.get(second));
            if let Some(b) = bucket {
                collect(b, true, &ev, &mut candidates);
            }
            if let Some(b) = self.wildcard.get(&d) {
                collect(b, false, &ev, &mut candidates);
            }
            out.reserve(candidates.len());
            for c in &candidates {
                let Some(Some(m)) = self.members.get(c.pos) else {
                    continue;
                };
                // What the lookup proved is not tested again; the rest of
                // the plan is evaluated as `matches` evaluates it.
                let gate_passed = c.gate_passed && m.gate_is_key;
                let passed_entry = m.hashed_entry.filter(|_| c.hashed_passed);
                let plan = m.sub.plan();
                if eval::matches_knowing(plan, &ev, gate_passed, passed_entry, &memo, &m.ids)
                    && !m.sub.refuses(&ev)
                {
                    out.push(c.pos);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The explanation of one member for this event.
    pub fn explain(&self, event: &Value, id: &str) -> Result<Explanation, Error> {
        let m = self
            .positions
            .get(id)
            .and_then(|p| self.members.get(*p))
            .and_then(Option::as_ref)
            .ok_or_else(|| {
                Error::new(
                    Code::InvalidInput,
                    format!("no subscription with id {id:?} in the set"),
                )
            })?;
        m.sub.explain(event)
    }

    /// Count matches per id over a batch (the same inputs as `Subscription::preview`).
    pub fn preview(&self, input: &[u8]) -> Result<SetPreview, Error> {
        self.preview_with(input, preview::PreviewOptions::default())
    }

    /// [`SubscriptionSet::preview`] read as `opts` says (its `format` and
    /// `max_errors`; a set has no rows). Chunked: [`preview::PreviewState`].
    pub fn preview_with(
        &self,
        input: &[u8],
        opts: preview::PreviewOptions,
    ) -> Result<SetPreview, Error> {
        preview::run(self, input, opts)
    }

    /// `set.lint()`: per member with findings, in insertion order, its
    /// compile warnings and analysis findings, then `duplicate_subscription`
    /// (equal to an earlier member in every field its vendor compares: the
    /// normalized spec, and the secrets the vendor tells subscriptions
    /// apart by) and `overlapping_delivery` (an earlier member with
    /// the same target fires for one event too; the witness is in the
    /// message).
    pub fn lint(&self) -> Vec<(String, Vec<Diagnostic>)> {
        let members: Vec<&Member> = self.members.iter().flatten().collect();
        // Keys, so a large set is linted in linear time: the normalized spec
        // (duplicates), and the target its own example is delivered to (only
        // members with one target can overlap; one that never fires has none).
        let specs: Vec<String> = members
            .iter()
            .map(|m| {
                // A secret the vendor tells subscriptions apart by is keyed
                // by a MAC of it, so the key never holds the secret.
                let secret = m.sub.distinguishing_secret().map_or(String::new(), |s| {
                    hex::encode(crate::signing::hmac_sha256(
                        b"hookmatch duplicate_subscription",
                        &[s.as_bytes()],
                    ))
                });
                format!(
                    "{}\u{0}{}\u{0}{secret}",
                    m.sub.dialect().name(),
                    m.sub.to_json()
                )
            })
            .collect();
        let targets: Vec<Option<String>> = members
            .iter()
            .map(|m| {
                let example = m.sub.example(None, None).ok().flatten()?;
                let delivery = m
                    .sub
                    .deliver(Some(&example), &Default::default())
                    .ok()
                    .flatten()?;
                Some(format!("{}\u{0}{}", m.sub.dialect().name(), delivery.url))
            })
            .collect();
        let mut first_spec: HashMap<&str, usize> = HashMap::default();
        let mut by_target: HashMap<&str, Vec<usize>> = HashMap::default();
        let mut out = Vec::new();
        for (j, m) in members.iter().enumerate() {
            let mut diags: Vec<Diagnostic> = m.sub.warnings().to_vec();
            diags.extend(m.sub.findings());
            let duplicate = *first_spec.entry(specs[j].as_str()).or_insert(j);
            let earlier: &[usize] = match &targets[j] {
                Some(t) => by_target.entry(t.as_str()).or_default(),
                None => &[],
            };
            if duplicate != j {
                diags.push(Diagnostic::warning(
                    Code::DuplicateSubscription,
                    "",
                    format!(
                        "{:?} is the same subscription as {:?}: they differ in no field the vendor compares, so the vendor refuses the second or delivers every event twice",
                        m.id, members[duplicate].id
                    ),
                ));
            } else if let Some((i, witness)) =
                earlier.iter().rev().take(OVERLAP_PEERS).find_map(|&i| {
                    let other = &members[i].sub;
                    let witness = crate::analysis::overlap(
                        other.plan(),
                        m.sub.plan(),
                        m.sub.dialect().vendor().shape(),
                        &mut |e| {
                            other.matches(e).unwrap_or(false) && m.sub.matches(e).unwrap_or(false)
                        },
                    )?;
                    let url = |s: &Subscription| {
                        s.deliver(Some(&witness), &Default::default())
                            .ok()
                            .flatten()
                            .map(|d| d.url)
                    };
                    let (a, b) = (url(other), url(&m.sub));
                    (a.is_some() && a == b).then_some((i, witness))
                })
            {
                diags.push(Diagnostic::warning(
                    Code::OverlappingDelivery,
                    "",
                    format!(
                        "{:?} and {:?} send to the same target and both fire for some events, which the receiver then gets twice, e.g. {witness}",
                        members[i].id, m.id
                    ),
                ));
            }
            if duplicate == j
                && earlier.len() > OVERLAP_PEERS
                && !diags.iter().any(|d| d.code == Code::OverlappingDelivery)
            {
                // The bound that keeps set.lint linear: say what was left.
                diags.push(Diagnostic::warning(
                    Code::AnalysisIncomplete,
                    "",
                    format!(
                        "{:?} was compared for overlapping_delivery with the {OVERLAP_PEERS} members before it that send to the same target, not with the other {}",
                        m.id,
                        earlier.len() - OVERLAP_PEERS
                    ),
                ));
            }
            if let Some(t) = &targets[j] {
                by_target.entry(t.as_str()).or_default().push(j);
            }
            if !diags.is_empty() {
                out.push((m.id.clone(), diags));
            }
        }
        out
    }

    /// Ids in insertion order.
    pub fn ids(&self) -> Vec<&str> {
        self.members
            .iter()
            .flatten()
            .map(|m| m.id.as_str())
            .collect()
    }
}

/// `set.lint` searches a member for an overlap with at most this many of the
/// members before it that send to its target (the nearest ones): the work
/// per member is bounded, so the whole lint is linear in the set's size.
/// Pairs left unchecked are named in an `analysis_incomplete` entry.
pub const OVERLAP_PEERS: usize = 32;

/// A member of a set with findings (`set.lint()`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SetLintEntry {
    pub id: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// What a set's preview has counted so far.
#[derive(Debug, Default)]
pub struct SetTally {
    total: usize,
    matched: usize,
    errors: Vec<preview::PreviewError>,
    /// Matched events per insertion position.
    counts: Vec<usize>,
    max_errors: usize,
    /// Some errors were not kept.
    truncated: bool,
}

impl preview::Count for SetTally {
    fn error(&mut self, line: Option<usize>, e: Error) {
        if self.errors.len() < self.max_errors {
            self.errors.push(preview::PreviewError {
                index: self.total,
                line,
                code: e.kind,
                message: e.message,
            });
        } else {
            self.truncated = true;
        }
        self.total += 1;
    }

    fn events(&self) -> usize {
        self.total
    }

    /// Events that fired at least one member.
    fn matched(&self) -> usize {
        self.matched
    }
}

/// A set's preview: matches per member, in insertion order.
impl preview::Batch for SubscriptionSet {
    type Tally = SetTally;
    type Result = SetPreview;

    /// Its `format` and `max_errors`: a set counts matches per id; it has
    /// no rows (a call's options are checked for that where they are read).
    fn tally(&self, opts: &preview::PreviewOptions) -> SetTally {
        SetTally {
            max_errors: opts.max_errors,
            ..SetTally::default()
        }
    }

    fn batch_projection(&self) -> &Projection {
        self.batch_projection
            .get_or_init(|| self.projection.for_batch())
    }

    /// An envelope (of a vendor in the set) counts each of its events.
    fn envelopes(&self) -> &dyn preview::Envelopes {
        &self.dialects
    }

    /// The smallest message limit of the members' vendors, if any.
    fn size_limit(&self) -> Option<usize> {
        self.members
            .iter()
            .flatten()
            .filter_map(|m| m.sub.size_limit())
            .min()
    }

    fn count(
        &self,
        tally: &mut SetTally,
        _line: Option<usize>,
        (at, text): preview::BatchEvent<'_>,
    ) {
        tally.total += 1;
        let positions = self.match_positions_at(at, text);
        if !positions.is_empty() {
            tally.matched += 1;
        }
        for p in positions {
            if tally.counts.len() <= p {
                tally.counts.resize(p + 1, 0);
            }
            if let Some(c) = tally.counts.get_mut(p) {
                *c += 1;
            }
        }
    }

    fn result(&self, tally: SetTally) -> SetPreview {
        let mut result = SetPreview {
            total: tally.total,
            errors: tally.errors,
            counts: serde_json::Map::new(),
            truncated: tally.truncated,
        };
        for (pos, m) in self.members.iter().enumerate() {
            if let Some(m) = m {
                let n = tally.counts.get(pos).copied().unwrap_or(0);
                result.counts.insert(m.id.clone(), n.into());
            }
        }
        result
    }
}

/// The candidates of a bucket for this event. `gate_passed`: the bucket was
/// found by the event's gate key.
fn collect(b: &Bucket, gate_passed: bool, ev: &Event<'_>, out: &mut Vec<Candidate>) {
    let candidate = |hashed_passed| {
        move |pos: &usize| Candidate {
            pos: *pos,
            gate_passed,
            hashed_passed,
        }
    };
    out.extend(b.plain.iter().map(candidate(false)));
    for (field, values) in &b.by_field {
        // The evaluator's own lookup, so the hash sees what a filter sees.
        // Only a string equals a string `fieldValue` (an array field never does).
        let field = eval::named_field(eval::state_of(field.state, ev), &field.name, ev.containers);
        if let Some(list) = field.and_then(Value::as_str).and_then(|s| values.get(s)) {
            out.extend(list.iter().map(candidate(true)));
        }
    }
}

/// The gate check of `plan` for an index field, and the one string it needs.
fn keyed<'p>(plan: &'p Plan, field: &str) -> Option<(&'p GateCheck, &'p str)> {
    plan.gate.iter().find_map(|g| {
        if g.field != field {
            return None;
        }
        let value = match &g.test {
            GateTest::Equals(Value::String(s)) => s.as_str(),
            GateTest::OneOf(list) if list.len() == 1 => list.first()?.as_str()?,
            _ => return None,
        };
        Some((g, value))
    })
}

/// Is the subscription's whole gate what [`gate_key`] keys it by? Then an
/// event found in its bucket has passed its gate.
fn gate_is_key(sub: &Subscription) -> bool {
    let fields = sub.dialect().vendor().index_fields();
    let plan = sub.plan();
    plan.gate
        .iter()
        .all(|g| fields.iter().any(|f| f.field == g.field) && keyed(plan, g.field).is_some())
}

/// The gate values a subscription needs, when its gate compares every
/// index field of its vendor with one string.
fn gate_key(sub: &Subscription) -> Option<(&str, String)> {
    let fields = sub.dialect().vendor().index_fields();
    let plan = sub.plan();
    let (first, rest) = fields.split_first()?;
    let (_, first) = keyed(plan, first.field)?;
    let second = match rest.first() {
        Some(f) => keyed(plan, f.field)?.1.to_string(),
        None => String::new(),
    };
    Some((first, second))
}

/// The event's [`GateKey`], borrowed from the event, read as the gate
/// reads it (a non-string there fails every gate).
fn event_gate_key<'e>(d: Dialect, ev: &'e Event<'_>) -> Option<GateKey<'e>> {
    let fields = d.vendor().index_fields();
    let (first, rest) = fields.split_first()?;
    let read = |f: &crate::dialect::IndexField| eval::gate_source_value(&f.source, ev)?.as_str();
    let second = match rest.first() {
        Some(f) => read(f)?,
        None => "",
    };
    Some((read(first)?, second))
}

/// A top-level `eq` filter a hash can decide: AND-connected (or alone), on a
/// plain field name, with a string value that is not a number, a date-time
/// or a boolean (so typed equality is exactly string equality).
fn eq_key(sub: &Subscription) -> Option<EqKey<'_>> {
    let plan = sub.plan();
    if plan.connector != Connector::And && plan.entries.len() > 1 {
        return None;
    }
    plan.entries.iter().enumerate().find_map(|(i, e)| match e {
        Entry::Filter(f) if f.comparison == Comparison::Eq => match (&f.field, &f.value) {
            (FieldRef::Name, Value::String(v)) if f.hint == Hint::default() => Some(EqKey {
                entry: i,
                state: f.state,
                name: &f.field_name,
                value: v,
            }),
            _ => None,
        },
        _ => None,
    })
}
