//! The one evaluator: runs any dialect's [`Plan`] over an [`Event`], either
//! to a yes/no (`matches`, short-circuiting, no allocation) or to a full
//! [`Explanation`] (every check, with a reason).

use crate::event::{At, Event};
use crate::plan::{
    Comparison, Connector, Entry, FieldRef, Filter, GateCheck, GateSource, GateTest, Plan, StateSel,
};
use crate::text::show;
use crate::value::{
    compare_scalar, object_subset, parse_instant, parse_number, same_json, typed_eq, Hint,
};
use serde::Serialize;
use serde_json::Value;
use std::cmp::Ordering;

/// One tested condition, as docs/api.md shapes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Check {
    /// The filter's position (in its group, for a group's filters); none for a gate check.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub index: Option<usize>,
    pub field: String,
    pub comparison: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional, type = "\"newState\" | \"oldState\""))]
    pub state: Option<&'static str>,
    #[cfg_attr(test, ts(type = "unknown"))]
    pub expected: Value,
    #[cfg_attr(test, ts(type = "unknown"))]
    pub actual: Value,
    pub present: bool,
    pub passed: bool,
    pub reason: String,
    /// For a filter group: its connector and its filters' checks.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional, type = "\"AND\" | \"OR\""))]
    pub connector: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub filters: Option<Vec<Check>>,
}

/// Why a subscription fires for an event or not: the dialect-level gate
/// (objCode, eventType, event name, state …), then one check per filter.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Explanation {
    pub matched: bool,
    pub gate: Vec<Check>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional, type = "\"AND\" | \"OR\""))]
    pub connector: Option<&'static str>,
    pub filters: Vec<Check>,
}

impl Explanation {
    /// The reason of the first failing check, gate first ("" when matched).
    pub fn first_failure(&self) -> Option<&str> {
        if self.matched {
            return None;
        }
        if let Some(c) = self.gate.iter().find(|c| !c.passed) {
            return Some(&c.reason);
        }
        self.filters
            .iter()
            .find(|c| !c.passed)
            .map(|c| c.reason.as_str())
    }
}

// ---------------------------------------------------------------- matching

pub fn matches(plan: &Plan, ev: &Event<'_>) -> bool {
    plan.gate.iter().all(|g| gate_passes(g, ev))
        && entries_pass(plan.connector, &plan.entries, &Fields { ev, memo: None })
}

/// What a [`crate::set::SubscriptionSet`] knows of one filter of a member:
/// the number it gave the filter's field (each field of an event is then
/// looked up once for all candidates) and the number it gave the filter's
/// decision (filters that read the same field the same way share one, and
/// are decided once per event). In [`Plan::filters`] order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FilterIds {
    pub slot: Option<u32>,
    pub outcome: Option<u32>,
}

/// [`fn@matches`] when the caller has already proved part of the plan (the
/// set's index): the gate (`gate_passed`), or that entry `passed` passes.
/// Fields are read through `memo`, keyed by `ids`. The answer is the one
/// `matches` gives.
pub fn matches_knowing<'e>(
    plan: &Plan,
    ev: &'e Event<'e>,
    gate_passed: bool,
    passed: Option<usize>,
    memo: &FieldMemo<'e>,
    ids: &[FilterIds],
) -> bool {
    if !gate_passed && !plan.gate.iter().all(|g| gate_passes(g, ev)) {
        return false;
    }
    let fields = Fields {
        ev,
        memo: Some((memo, ids)),
    };
    match (passed, plan.connector) {
        (None, c) => entries_pass(c, &plan.entries, &fields),
        (Some(_), Connector::Or) => true,
        (Some(i), Connector::And) => with_offsets(&plan.entries)
            .enumerate()
            .all(|(j, (at, e))| j == i || entry_passes(e, at, &fields)),
    }
}

/// Each entry with the position of its first filter in [`Plan::filters`].
fn with_offsets(entries: &[Entry]) -> impl Iterator<Item = (usize, &Entry)> {
    entries.iter().scan(0, |next, e| {
        let at = *next;
        *next += e.len();
        Some((at, e))
    })
}

/// Field values of one event, looked up once and shared by every plan a
/// set tries against it: its candidates mostly read the same few fields,
/// and each lookup walks the event (plus `parameterValues` when the key is
/// not there). Keyed by the slot the set gave each field name. It also
/// keeps each shared filter's decision ([`FilterIds::outcome`]).
pub struct FieldMemo<'e> {
    seen: std::cell::RefCell<Vec<(u32, StateSel, Option<&'e Value>)>>,
    /// Filters decided so far, direct-mapped by their
    /// [`FilterIds::outcome`] number: slot `id % DECIDED` holds
    /// `(id + 1) << 1 | passed`, 0 when empty. A decision landing on a
    /// taken slot replaces it, and the one replaced is decided again if
    /// asked (a decision depends on the event alone). The list this
    /// replaced was searched end to end, behind a `RefCell`, once per
    /// candidate filter: with the set's quick path it was most of what
    /// deciding a candidate cost.
    decided: [std::cell::Cell<u64>; DECIDED],
}

/// Slots of [`FieldMemo::decided`]: above the few dozen distinct decisions
/// a bucket's members share, and 512 bytes to clear per event and dialect.
const DECIDED: usize = 64;

impl<'e> FieldMemo<'e> {
    /// Remembered lookups past this many are simply repeated: a linear
    /// scan of a few entries beats hashing, of many it does not.
    const MAX: usize = 32;

    pub fn new() -> Self {
        FieldMemo {
            seen: std::cell::RefCell::new(Vec::with_capacity(8)),
            decided: std::array::from_fn(|_| std::cell::Cell::new(0)),
        }
    }

    /// The filter numbered `id` decided once per event: the set's
    /// candidates share most of their filters (the same field, comparison
    /// and value), and deciding one again cost more than finding it here.
    pub(crate) fn decide(&self, id: u32, decide: impl FnOnce() -> bool) -> bool {
        if let Some(passed) = self.known(id) {
            return passed;
        }
        let passed = decide();
        if let Some(slot) = self.decided.get(id as usize % DECIDED) {
            slot.set((u64::from(id) + 1) << 1 | u64::from(passed));
        }
        passed
    }

    /// The filter numbered `id`'s decision for this event, if made.
    pub fn known(&self, id: u32) -> Option<bool> {
        let v = self.decided.get(id as usize % DECIDED)?.get();
        (v >> 1 == u64::from(id) + 1).then_some(v & 1 == 1)
    }

    fn get(
        &self,
        slot: u32,
        sel: StateSel,
        look: impl FnOnce() -> Option<&'e Value>,
    ) -> Option<&'e Value> {
        if let Some((_, _, v)) = self
            .seen
            .borrow()
            .iter()
            .find(|(s, st, _)| *s == slot && *st == sel)
        {
            return *v;
        }
        let v = look();
        let mut seen = self.seen.borrow_mut();
        if seen.len() < Self::MAX {
            seen.push((slot, sel, v));
        }
        v
    }
}

impl Default for FieldMemo<'_> {
    fn default() -> Self {
        Self::new()
    }
}

/// Where filters read an event's fields: straight from it, or through a
/// set's memo (with the set's ids of the plan's filters).
struct Fields<'a, 'e> {
    ev: &'e Event<'e>,
    memo: Option<(&'a FieldMemo<'e>, &'a [FilterIds])>,
}

impl<'e> Fields<'_, 'e> {
    /// The set's ids of the filter at `at` in [`Plan::filters`].
    fn ids(&self, at: usize) -> FilterIds {
        self.memo
            .and_then(|(_, ids)| ids.get(at).copied())
            .unwrap_or_default()
    }

    fn get(&self, f: &Filter, at: usize, sel: StateSel) -> Option<&'e Value> {
        let ev = self.ev;
        match (self.memo, self.ids(at).slot) {
            (Some((memo, _)), Some(slot)) => memo.get(slot, sel, || lookup(f, ev, sel)),
            _ => lookup(f, ev, sel),
        }
    }
}

/// Does entry `e`, whose first filter is at `at`, pass?
fn entry_passes(e: &Entry, at: usize, fields: &Fields<'_, '_>) -> bool {
    match e {
        Entry::Filter(f) => filter_passes(f, at, fields),
        Entry::Group(g) => combine(
            g.connector,
            g.filters
                .iter()
                .enumerate()
                .map(|(j, f)| filter_passes(f, at + j, fields)),
        ),
    }
}

fn entries_pass(connector: Connector, entries: &[Entry], fields: &Fields<'_, '_>) -> bool {
    if entries.is_empty() {
        return true;
    }
    let mut each = with_offsets(entries);
    match connector {
        Connector::And => each.all(|(at, e)| entry_passes(e, at, fields)),
        Connector::Or => each.any(|(at, e)| entry_passes(e, at, fields)),
    }
}

fn combine(connector: Connector, mut results: impl Iterator<Item = bool>) -> bool {
    match connector {
        Connector::And => results.all(|r| r),
        Connector::Or => results.any(|r| r),
    }
}

fn gate_value<'b>(g: &GateCheck, ev: &'b Event<'_>) -> Option<&'b Value> {
    gate_source_value(&g.source, ev)
}

/// The value a gate source points at in an event.
pub fn gate_source_value<'b>(source: &GateSource, ev: &'b Event<'_>) -> Option<&'b Value> {
    match source {
        GateSource::Root(path) => walk(ev.root, path).and_then(At::value),
        GateSource::State(key) => state_value(ev, key),
        GateSource::None => None,
    }
}

/// A gate's state field: `key` of the new state, else of the old one (a
/// DELETE carries the object only in `oldState`), nulls skipped. The set's
/// index reads gate keys through this too.
pub fn state_value<'b>(ev: &'b Event<'_>, key: &str) -> Option<&'b Value> {
    let read = |state: At<'b>| state.get(key)?.value().filter(|v| !v.is_null());
    read(ev.new_state.at()).or_else(|| read(ev.old_state.at()))
}

fn gate_passes(g: &GateCheck, ev: &Event<'_>) -> bool {
    match &g.test {
        GateTest::Fixed { passed, .. } => *passed,
        GateTest::Equals(want) => gate_value(g, ev) == Some(want),
        GateTest::OneOf(list) => gate_value(g, ev).is_some_and(|v| list.contains(v)),
    }
}

fn walk<'b, S: AsRef<str>>(mut v: At<'b>, tokens: &[S]) -> Option<At<'b>> {
    for t in tokens {
        let t = t.as_ref();
        v = if v.is_object() {
            v.get(t)?
        } else {
            // RFC 6901: array indexes are decimal with no leading zero.
            if t.is_empty()
                || (t.len() > 1 && t.starts_with('0'))
                || !t.bytes().all(|b| b.is_ascii_digit())
            {
                return None;
            }
            v.index(t.parse::<usize>().ok()?)?
        };
    }
    Some(v)
}

/// docs/vendors/workfront.md: the key equal to `fieldName`, else that key in the
/// event's containers (Workfront's `parameterValues`); a `/…` name is a
/// JSON Pointer.
fn lookup<'b>(f: &Filter, ev: &'b Event<'_>, sel: StateSel) -> Option<&'b Value> {
    let state = state_of(sel, ev);
    match &f.field {
        FieldRef::Name => named_field(state, &f.field_name, ev.containers),
        FieldRef::Pointer(tokens) => walk(state, tokens)?.value(),
    }
}

/// A plain `fieldName`'s value in a state: the key, else that key in the
/// first of `containers` that has it (the set's `eq` hash reads fields
/// through this too).
pub fn named_field<'b>(state: At<'b>, name: &str, containers: &[&str]) -> Option<&'b Value> {
    let at = state.get(name).or_else(|| {
        containers
            .iter()
            .find_map(|c| state.get(c).and_then(|c| c.get(name)))
    })?;
    at.value()
}

pub fn state_of<'b>(sel: StateSel, ev: &'b Event<'_>) -> At<'b> {
    match sel {
        StateSel::New => ev.new_state.at(),
        StateSel::Old => ev.old_state.at(),
    }
}

fn filter_passes(f: &Filter, at: usize, fields: &Fields<'_, '_>) -> bool {
    match (fields.memo, fields.ids(at).outcome) {
        (Some((memo, _)), Some(id)) => memo.decide(id, || decide_filter(f, at, fields)),
        _ => decide_filter(f, at, fields),
    }
}

fn decide_filter(f: &Filter, at: usize, fields: &Fields<'_, '_>) -> bool {
    if f.comparison == Comparison::Changed {
        return changed(
            fields.get(f, at, StateSel::Old),
            fields.get(f, at, StateSel::New),
        );
    }
    // A field missing from the state the filter reads fails it, whatever
    // the comparison (Adobe: "only messages with a newState containing the
    // filter keys and values are sent"; docs/vendors/workfront.md).
    fields
        .get(f, at, f.state)
        .is_some_and(|actual| test(f.comparison, actual, &f.value, &f.hint))
}

pub fn changed(old: Option<&Value>, new: Option<&Value>) -> bool {
    match (old, new) {
        (None, None) => false,
        (Some(a), Some(b)) => !same_json(a, b),
        _ => true,
    }
}

/// One comparison of a present value (docs/vendors/workfront.md).
pub fn test(c: Comparison, actual: &Value, expected: &Value, hint: &Hint) -> bool {
    match c {
        Comparison::Eq => equals(actual, expected, hint),
        Comparison::Ne => !equals(actual, expected, hint),
        Comparison::Gt | Comparison::Gte | Comparison::Lt | Comparison::Lte => {
            let ok = |o: Ordering| match c {
                Comparison::Gt => o == Ordering::Greater,
                Comparison::Gte => o != Ordering::Less,
                Comparison::Lt => o == Ordering::Less,
                _ => o != Ordering::Greater,
            };
            // An array or object field is never greater or less than a value.
            match actual {
                Value::Array(_) | Value::Object(_) => false,
                v => compare_scalar(v, expected, hint).is_some_and(ok),
            }
        }
        Comparison::Contains => contains(actual, expected, hint),
        Comparison::NotContains => not_contains(actual, expected, hint),
        Comparison::ContainsOnly => contains_only(actual, expected),
        Comparison::In => match (actual, expected) {
            (Value::Array(items), Value::Array(list)) => {
                items.iter().any(|i| list.iter().any(|e| typed_eq(i, e)))
            }
            (a, Value::Array(list)) => list.iter().any(|e| typed_eq(a, e)),
            (a, e) => typed_eq(a, e),
        },
        // `changed` reads both states; see `decide_filter`.
        Comparison::Changed => false,
    }
}

fn scalar_eq(a: &Value, e: &Value, hint: &Hint) -> bool {
    compare_scalar(a, e, hint) == Some(Ordering::Equal)
}

/// `eq` compares the whole value (Workfront's version 2 subscriptions send
/// a multi-select field as an array even with one value): an array field
/// equals only an array with the same elements in the same order, and an
/// object `fieldValue` asks for a sub-object.
fn equals(actual: &Value, expected: &Value, hint: &Hint) -> bool {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => object_subset(a, e),
        (Value::Array(_), Value::Array(_)) => typed_eq(actual, expected),
        (Value::Array(_) | Value::Object(_), _) | (_, Value::Array(_) | Value::Object(_)) => false,
        _ => scalar_eq(actual, expected, hint),
    }
}

/// Is the one value `e` in the field: a substring of a string, an element
/// of an array, a sub-object of an object?
fn contains_one(actual: &Value, e: &Value, hint: &Hint) -> bool {
    match (actual, e) {
        (Value::String(s), Value::String(e)) => s.contains(e.as_str()),
        (Value::String(s), Value::Number(n)) => s.contains(n.to_string().as_str()),
        (Value::Array(items), Value::Object(e)) => items
            .iter()
            .any(|i| i.as_object().is_some_and(|m| object_subset(m, e))),
        (Value::Array(items), Value::Array(_)) => items.iter().any(|i| typed_eq(i, e)),
        (Value::Array(items), _) => items.iter().any(|i| scalar_eq(i, e, hint)),
        (Value::Object(a), Value::Object(e)) => object_subset(a, e),
        _ => false,
    }
}

/// `contains`: the value is in the field; an array `fieldValue` asks for
/// every one of its elements.
fn contains(actual: &Value, expected: &Value, hint: &Hint) -> bool {
    match (actual, expected) {
        (Value::String(_) | Value::Array(_), Value::Array(es)) => {
            es.iter().all(|e| contains_one(actual, e, &Hint::of(e)))
        }
        _ => contains_one(actual, expected, hint),
    }
}

/// `notContains`: the value is not in the field; with an array
/// `fieldValue`, none of its elements is.
fn not_contains(actual: &Value, expected: &Value, hint: &Hint) -> bool {
    match (actual, expected) {
        (Value::String(_) | Value::Array(_), Value::Array(es)) => {
            !es.iter().any(|e| contains_one(actual, e, &Hint::of(e)))
        }
        _ => !contains_one(actual, expected, hint),
    }
}

/// The field's set of values equals `fieldValue`'s, in any order; a scalar on
/// either side is a set of one.
fn contains_only(actual: &Value, expected: &Value) -> bool {
    let a: &[Value] = match actual {
        Value::Array(items) => items,
        Value::Object(_) => return false,
        v => std::slice::from_ref(v),
    };
    let e: &[Value] = match expected {
        Value::Array(items) => items,
        v => std::slice::from_ref(v),
    };
    a.iter().all(|x| e.iter().any(|y| typed_eq(x, y)))
        && e.iter().all(|y| a.iter().any(|x| typed_eq(x, y)))
}

// ---------------------------------------------------------------- explaining

/// The explanation of an envelope that holds no event (a heartbeat): one
/// failing gate check that says so.
pub fn heartbeat(reason: &str) -> Explanation {
    Explanation {
        matched: false,
        gate: vec![Check {
            index: None,
            field: "events".into(),
            comparison: "heartbeat".into(),
            state: None,
            expected: Value::String("at least one event".into()),
            actual: Value::Array(Vec::new()),
            present: true,
            passed: false,
            reason: reason.to_string(),
            connector: None,
            filters: None,
        }],
        connector: None,
        filters: Vec::new(),
    }
}

#[cfg_attr(hookmatch_package, optimize(size))]
pub fn explain(plan: &Plan, ev: &Event<'_>) -> Explanation {
    let gate: Vec<Check> = plan.gate.iter().map(|g| explain_gate(g, ev)).collect();
    let mut filters = Vec::with_capacity(plan.entries.len());
    for (i, entry) in plan.entries.iter().enumerate() {
        filters.push(match entry {
            Entry::Filter(f) => explain_filter(f, ev, i),
            Entry::Group(g) => {
                let inner: Vec<Check> = g
                    .filters
                    .iter()
                    .enumerate()
                    .map(|(j, f)| explain_filter(f, ev, j))
                    .collect();
                let passed_n = inner.iter().filter(|c| c.passed).count();
                let passed = combine(g.connector, inner.iter().map(|c| c.passed));
                let need = match g.connector {
                    Connector::And => "all",
                    Connector::Or => "at least one",
                };
                Check {
                    index: Some(i),
                    field: String::new(),
                    comparison: "group".into(),
                    state: None,
                    expected: Value::String(g.connector.name().into()),
                    actual: Value::from(passed_n),
                    present: true,
                    passed,
                    reason: {
                        let mut r = format!(
                            "group {}: {passed_n} of {} filters passed ({need} needed)",
                            g.connector.name(),
                            inner.len()
                        );
                        // Say which filter let the group down.
                        if !passed {
                            if let Some(first) = inner.iter().find(|c| !c.passed) {
                                r.push_str("; ");
                                r.push_str(&first.reason);
                            }
                        }
                        r
                    },
                    connector: Some(g.connector.name()),
                    filters: Some(inner),
                }
            }
        });
    }
    let gate_ok = gate.iter().all(|c| c.passed);
    let filters_ok =
        filters.is_empty() || combine(plan.connector, filters.iter().map(|c| c.passed));
    Explanation {
        matched: gate_ok && filters_ok,
        gate,
        connector: (!plan.entries.is_empty()).then(|| plan.connector.name()),
        filters,
    }
}

#[cfg_attr(hookmatch_package, optimize(size))]
fn explain_gate(g: &GateCheck, ev: &Event<'_>) -> Check {
    let actual = gate_value(g, ev);
    let passed = gate_passes(g, ev);
    let (comparison, expected, reason) = match &g.test {
        GateTest::Fixed {
            expected, reason, ..
        } => ("is", expected.clone(), reason.clone()),
        GateTest::Equals(want) => {
            let reason = match actual {
                None => format!(
                    "the event has no {}; the subscription wants {}",
                    g.field,
                    show(want)
                ),
                Some(a) if passed => format!("{} is {}", g.field, show(a)),
                Some(a) => format!(
                    "{} is {}; the subscription wants {}",
                    g.field,
                    show(a),
                    show(want)
                ),
            };
            ("eq", want.clone(), reason)
        }
        GateTest::OneOf(list) => {
            let expected = Value::Array(list.clone());
            let reason = match actual {
                None => format!("the event has no {}", g.field),
                Some(a) if passed => {
                    format!("{} {} is one of the subscribed values", g.field, show(a))
                }
                Some(a) => format!("{} {} is not one of {}", g.field, show(a), show(&expected)),
            };
            ("in", expected, reason)
        }
    };
    Check {
        index: None,
        field: g.field.to_string(),
        comparison: comparison.into(),
        state: None,
        expected,
        actual: actual.cloned().unwrap_or(Value::Null),
        present: actual.is_some(),
        passed,
        reason,
        connector: None,
        filters: None,
    }
}

#[cfg_attr(hookmatch_package, optimize(size))]
fn explain_filter(f: &Filter, ev: &Event<'_>, index: usize) -> Check {
    let passed = decide_filter(f, 0, &Fields { ev, memo: None });
    let name = &f.field_name;
    if f.comparison == Comparison::Changed {
        let old = lookup(f, ev, StateSel::Old);
        let new = lookup(f, ev, StateSel::New);
        let reason = match (old, new) {
            (None, None) => {
                format!("{name} is in neither oldState nor newState, so it did not change")
            }
            (None, Some(n)) => format!(
                "{name} appeared: absent in oldState, {} in newState",
                show(n)
            ),
            (Some(o), None) => format!(
                "{name} disappeared: {} in oldState, absent in newState",
                show(o)
            ),
            (Some(o), Some(n)) if passed => {
                format!("{name} changed from {} to {}", show(o), show(n))
            }
            (Some(o), Some(_)) => format!("{name} did not change (still {})", show(o)),
        };
        return Check {
            index: Some(index),
            field: name.clone(),
            comparison: "changed".into(),
            state: None,
            expected: old.cloned().unwrap_or(Value::Null),
            actual: new.cloned().unwrap_or(Value::Null),
            present: old.is_some() || new.is_some(),
            passed,
            reason,
            connector: None,
            filters: None,
        };
    }
    let state = f.state.name();
    let place = if ev.has_states { state } else { "the event" };
    let actual = lookup(f, ev, f.state);
    let reason = match actual {
        None => format!("{name} is not in {place}"),
        Some(a) => describe(f, a, passed),
    };
    Check {
        index: Some(index),
        field: name.clone(),
        comparison: f.comparison.name().into(),
        state: ev.has_states.then_some(state),
        expected: f.value.clone(),
        actual: actual.cloned().unwrap_or(Value::Null),
        present: actual.is_some(),
        passed,
        reason,
        connector: None,
        filters: None,
    }
}

#[cfg_attr(hookmatch_package, optimize(size))]
fn describe(f: &Filter, actual: &Value, passed: bool) -> String {
    let verb = match (f.comparison, passed) {
        (Comparison::Eq, true) | (Comparison::Ne, false) => "equals",
        (Comparison::Eq, false) | (Comparison::Ne, true) => "does not equal",
        (Comparison::Gt, true) => "is greater than",
        (Comparison::Gt, false) => "is not greater than",
        (Comparison::Gte, true) => "is greater than or equal to",
        (Comparison::Gte, false) => "is not greater than or equal to",
        (Comparison::Lt, true) => "is less than",
        (Comparison::Lt, false) => "is not less than",
        (Comparison::Lte, true) => "is less than or equal to",
        (Comparison::Lte, false) => "is not less than or equal to",
        (Comparison::Contains, true) | (Comparison::NotContains, false) => "contains",
        (Comparison::Contains, false) | (Comparison::NotContains, true) => "does not contain",
        (Comparison::ContainsOnly, true) => "holds exactly",
        (Comparison::ContainsOnly, false) => "does not hold exactly",
        (Comparison::In, true) => "is one of",
        (Comparison::In, false) => "is not one of",
        (Comparison::Changed, _) => "changed",
    };
    let mut s = format!(
        "{} {} {verb} {}",
        f.field_name,
        show(actual),
        show(&f.value)
    );
    if let Some(basis) = basis(f.comparison, actual, &f.value, &f.hint) {
        s.push_str(basis);
    }
    s
}

/// How the two values were compared, when it is not obvious.
#[cfg_attr(hookmatch_package, optimize(size))]
fn basis(c: Comparison, actual: &Value, expected: &Value, hint: &Hint) -> Option<&'static str> {
    let whole = matches!(c, Comparison::Eq | Comparison::Ne);
    match (actual, expected) {
        (Value::Array(_), Value::Array(_)) if whole && contains_only(actual, expected) => Some(
            " (the same values in another order: eq compares the whole array in order; containsOnly compares them as a set)",
        ),
        (Value::Array(_), e) if whole && !e.is_array() => Some(
            " (the field is an array, a multi-select field, and eq compares the whole value, so a single value never equals it: write fieldValue as an array, e.g. [\"x\"], or use containsOnly)",
        ),
        (Value::Array(_) | Value::Object(_), _) if c.is_ordering() => {
            Some(" (an array or object is never greater or less than a value)")
        }
        (Value::String(a), Value::String(_))
            if hint.instant.is_some() && parse_instant(a).is_some() =>
        {
            Some(" (compared as instants)")
        }
        (Value::Number(_), Value::String(_)) if hint.number.is_some() => {
            Some(" (compared as numbers)")
        }
        (Value::String(a), Value::Number(_)) if parse_number(a).is_some() => {
            Some(" (compared as numbers)")
        }
        (Value::Number(_), Value::String(_)) | (Value::String(_), Value::Number(_)) => {
            Some(" (a number and a non-numeric string never compare)")
        }
        (Value::Null, e) | (e, Value::Null) if !e.is_null() => Some(" (null only equals null)"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// docs/vendors/workfront.md as amended 2026-11-30, row by row: each comparison
    /// of a present field, written out by hand (not derived from another
    /// comparison).
    #[test]
    fn comparison_truth_table() {
        use Comparison::*;
        let rows: &[(Comparison, Value, Value, bool)] = &[
            // eq/ne compare the whole value.
            (Eq, json!("CUR"), json!("CUR"), true),
            (Eq, json!("CUR"), json!("cur"), false),
            (Ne, json!("CUR"), json!("cur"), true),
            (Ne, json!("CUR"), json!("CUR"), false),
            (Eq, json!(["a"]), json!("a"), false),
            (Ne, json!(["a"]), json!("a"), true),
            (Eq, json!(["a"]), json!(["a"]), true),
            (Eq, json!(["a", "b"]), json!(["a", "b"]), true),
            (Eq, json!(["a", "b"]), json!(["b", "a"]), false),
            (Ne, json!(["a", "b"]), json!(["b", "a"]), true),
            (Eq, json!([1, 2]), json!([1.0, 2]), true),
            (Eq, json!([{"a": 1}]), json!({"a": 1}), false),
            (Eq, json!({"a": 1, "b": 2}), json!({"a": 1}), true),
            (Eq, json!({"a": 1}), json!({"a": 2}), false),
            (Eq, json!(5), json!("5"), true),
            (Eq, json!("5"), json!(5), true),
            (Eq, json!("05"), json!(5), false),
            (Eq, json!(true), json!("true"), true),
            (Eq, json!(null), json!(null), true),
            (Eq, json!(null), json!("null"), false),
            (Ne, json!(null), json!("x"), true),
            // Ordering: scalars only.
            (Gt, json!(10), json!("9"), true),
            (Gt, json!("10"), json!("9"), false),
            (Gt, json!([10]), json!(9), false),
            (Lt, json!([1]), json!(9), false),
            (Gte, json!({"a": 1}), json!(0), false),
            (
                Gte,
                json!("2022-12-11T16:00:00.000-0800"),
                json!("2022-12-12T00:00:00Z"),
                true,
            ),
            (
                Lt,
                json!("2022-12-11T16:00:00.000-0800"),
                json!("2022-12-12T00:00:00Z"),
                false,
            ),
            // contains: substring of a string, element of an array.
            (Contains, json!("Project - Updated"), json!("Updated"), true),
            (
                Contains,
                json!("Project - Updated"),
                json!("updated"),
                false,
            ),
            (
                Contains,
                json!(["Choice 1", "Choice 2"]),
                json!("Choice 1"),
                true,
            ),
            (
                Contains,
                json!(["Choice 1", "Choice 2"]),
                json!("Choice"),
                false,
            ),
            (Contains, json!(["a", "b", "c"]), json!(["a", "c"]), true),
            (Contains, json!(["a", "b"]), json!(["a", "z"]), false),
            (Contains, json!([1, 2]), json!("2"), true),
            (Contains, json!(12), json!("1"), false),
            (Contains, json!("abc"), json!(["a", "c"]), true),
            // hookmatch's reading where Adobe shows only strings
            // (docs/vendors/workfront.md, "contains" beyond strings): a
            // number is looked for as its text in a string, an array is an
            // element of an array field, an object a sub-object.
            (Contains, json!("Ref 1894"), json!(1894), true),
            (Contains, json!("Ref 189"), json!(1894), false),
            (NotContains, json!("Ref 1894"), json!(1894), false),
            (
                Contains,
                json!([["a", "b"], "c"]),
                json!([["a", "b"]]),
                true,
            ),
            (
                Contains,
                json!([["a", "b"], "c"]),
                json!([["b", "a"]]),
                false,
            ),
            (Contains, json!({"id": 1, "n": "x"}), json!({"id": 1}), true),
            (
                Contains,
                json!({"id": 1, "n": "x"}),
                json!({"id": 2}),
                false,
            ),
            (
                Contains,
                json!([{"id": 1, "n": "x"}]),
                json!({"id": 1}),
                true,
            ),
            // notContains: none of the values is in the field.
            (NotContains, json!("Project - Updated"), json!("New"), true),
            (
                NotContains,
                json!("Project - Updated"),
                json!("Updated"),
                false,
            ),
            (
                NotContains,
                json!(["Choice 2", "Choice 3"]),
                json!("Choice 1"),
                true,
            ),
            (
                NotContains,
                json!(["Choice 2", "Choice 3"]),
                json!("Choice 2"),
                false,
            ),
            (NotContains, json!(["a", "b"]), json!(["a", "z"]), false),
            (NotContains, json!(["a", "b"]), json!(["y", "z"]), true),
            (NotContains, json!(12), json!("1"), true),
            // containsOnly: the same set, any order; a scalar is one option.
            (
                ContainsOnly,
                json!(["Choice 3", "Choice 4"]),
                json!(["Choice 4", "Choice 3"]),
                true,
            ),
            (
                ContainsOnly,
                json!(["Choice 3", "Choice 4"]),
                json!(["Choice 3"]),
                false,
            ),
            (
                ContainsOnly,
                json!(["Choice 3"]),
                json!(["Choice 3", "Choice 4"]),
                false,
            ),
            (ContainsOnly, json!(["Choice 3"]), json!("Choice 3"), true),
            (ContainsOnly, json!(["a", "b"]), json!("a"), false),
            (ContainsOnly, json!("a"), json!(["a"]), true),
            (ContainsOnly, json!({"a": 1}), json!(["a"]), false),
        ];
        for (c, actual, expected, want) in rows {
            let got = test(*c, actual, expected, &Hint::of(expected));
            assert_eq!(got, *want, "{} {actual} {expected}", c.name());
        }
    }

    /// RFC 6901 §4: a token indexes an array only as the decimal digits of
    /// an unsigned integer with no leading zero ("0" itself is index 0); "01",
    /// "+1", "" and "-" (past the end) reference no element.
    #[test]
    fn a_pointer_indexes_an_array_only_with_rfc_6901_digits() {
        let doc = json!({"items": ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"]});
        let at = |tokens: &[&str]| walk(At::Value(&doc), tokens).and_then(At::value).cloned();
        assert_eq!(at(&["items", "0"]), Some(json!("a")));
        assert_eq!(at(&["items", "1"]), Some(json!("b")));
        assert_eq!(at(&["items", "10"]), Some(json!("k")));
        for bad in ["01", "00", "+1", "", "-", "1a", " 1", "11"] {
            assert_eq!(at(&["items", bad]), None, "{bad:?}");
        }
    }

    /// The note an explanation adds says how the two values met, as the
    /// comparison rules (docs/vendors/workfront.md) have it: numbers and
    /// numeric text by value, a number and other text never, instants as
    /// instants only when both are instants, arrays never in order.
    #[test]
    fn the_basis_of_a_comparison_is_the_rule_that_applied() {
        use Comparison::*;
        let of = |c, a: Value, e: Value| basis(c, &a, &e, &Hint::of(&e)).unwrap_or("");
        assert!(of(Gt, json!(10), json!("9")).contains("compared as numbers"));
        assert!(of(Gt, json!("10"), json!(9)).contains("compared as numbers"));
        assert!(of(Eq, json!(5), json!("abc")).contains("never compare"));
        assert!(of(Eq, json!("abc"), json!(5)).contains("never compare"));
        assert!(of(Gt, json!([10]), json!(9)).contains("never greater or less"));
        assert!(of(
            Gt,
            json!("2022-12-11T16:00:00.000-0800"),
            json!("2022-12-12T00:00:00Z")
        )
        .contains("compared as instants"));
        // Text that is no instant against an instant compares by code point.
        assert_eq!(of(Gt, json!("abc"), json!("2022-12-12T00:00:00Z")), "");
        assert_eq!(of(Eq, json!("CUR"), json!("CPL")), "");
    }

    fn check(passed: bool, reason: &str) -> Check {
        Check {
            index: None,
            field: "f".into(),
            comparison: "eq".into(),
            state: None,
            expected: Value::Null,
            actual: Value::Null,
            present: true,
            passed,
            reason: reason.into(),
            connector: None,
            filters: None,
        }
    }

    /// The reason a preview row gives (`PreviewRow::reason`): none for a
    /// match; else the first failing gate check, and only when every gate
    /// check passed, the first failing filter.
    #[test]
    fn first_failure_is_the_first_failing_check_gate_first() {
        let x = |matched, gate, filters| Explanation {
            matched,
            gate,
            connector: None,
            filters,
        };
        let matched = x(true, vec![check(true, "g")], vec![check(true, "f")]);
        assert_eq!(matched.first_failure(), None);
        let gate = x(
            false,
            vec![check(true, "g0"), check(false, "g1"), check(false, "g2")],
            vec![check(false, "f0")],
        );
        assert_eq!(gate.first_failure(), Some("g1"));
        let filter = x(
            false,
            vec![check(true, "g0")],
            vec![check(true, "f0"), check(false, "f1"), check(false, "f2")],
        );
        assert_eq!(filter.first_failure(), Some("f1"));
    }

    /// A set's memo is what makes a shared filter or field cost one
    /// decision or lookup per event however many candidates read it: the
    /// second ask is answered from the memo, not computed again.
    #[test]
    fn a_memo_decides_and_looks_up_once_per_event() {
        let memo = FieldMemo::new();
        let calls = std::cell::Cell::new(0);
        let decide = || {
            calls.set(calls.get() + 1);
            true
        };
        assert!(memo.decide(7, decide));
        assert!(memo.decide(7, decide));
        assert_eq!(calls.get(), 1);
        let cur = json!("CUR");
        let look = || {
            calls.set(calls.get() + 1);
            Some(&cur)
        };
        calls.set(0);
        assert_eq!(memo.get(3, StateSel::New, look), Some(&cur));
        assert_eq!(memo.get(3, StateSel::New, look), Some(&cur));
        assert_eq!(calls.get(), 1);
        // The old state's value of the same field is another lookup.
        assert_eq!(memo.get(3, StateSel::Old, look), Some(&cur));
        assert_eq!(calls.get(), 2);
    }

    /// `matches_knowing` reads a filter's decision and its field through
    /// the memo by the ids the set gave them: what the memo already holds
    /// for an id is the answer, so two members' filters with one id are
    /// decided once. (The ids here deliberately disagree with the event, so
    /// an answer read past the memo shows.)
    #[test]
    fn matches_knowing_reads_the_memo_by_the_sets_ids() {
        use crate::subscription::{CompileOptions, Subscription};
        let spec = br#"{"objCode":"PROJ","eventType":"UPDATE","url":"https://h.example/x","authToken":"t","filters":[{"fieldName":"status","fieldValue":"CUR"}]}"#;
        let sub = Subscription::compile_text(spec, CompileOptions::default()).unwrap();
        let doc = json!({"eventType": "UPDATE", "newState": {"objCode": "PROJ", "status": "CPL"}, "oldState": {}});
        let ev = sub.dialect().prepare(At::Value(&doc), None).unwrap();
        let plan = sub.plan();
        let none = FilterIds::default();
        assert!(!matches(plan, &ev));
        assert!(!matches_knowing(
            plan,
            &ev,
            false,
            None,
            &FieldMemo::new(),
            &[none]
        ));
        // Outcome 0 already decided as passed (another member's filter).
        let memo = FieldMemo::new();
        assert!(memo.decide(0, || true));
        let shared = FilterIds {
            slot: None,
            outcome: Some(0),
        };
        assert!(matches_knowing(plan, &ev, false, None, &memo, &[shared]));
        // Field slot 0 of the new state already looked up as "CUR".
        let memo = FieldMemo::new();
        let cur = json!("CUR");
        assert_eq!(memo.get(0, StateSel::New, || Some(&cur)), Some(&cur));
        let slot = FilterIds {
            slot: Some(0),
            outcome: None,
        };
        assert!(matches_knowing(plan, &ev, false, None, &memo, &[slot]));
    }
}
