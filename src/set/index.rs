//! Where a member is found from an event: by what the event must equal for
//! it to fire, the gate fields its vendor names
//! ([`crate::dialect::Vendor::index_fields`], e.g. Workfront's eventType and
//! objCode) and, inside a gate bucket, one top-level `eq` filter on a plain
//! string value, through a hash. The index only narrows (every candidate is
//! still decided by its own plan), so it is kept apart from matching.

use super::HashMap;
use crate::dialect::Dialect;
use crate::eval::{self, FilterIds};
use crate::event::Event;
use crate::plan::{Comparison, Connector, Entry, FieldRef, GateCheck, GateTest, Plan, StateSel};
use crate::subscription::Subscription;
use crate::value::Hint;
use serde_json::Value;

/// The members of a set by what an event must equal for them to fire.
#[derive(Debug, Default)]
pub(super) struct Index {
    /// Gate buckets per dialect, and the subscriptions every event must try.
    buckets: HashMap<Dialect, Gates>,
    wildcard: HashMap<Dialect, Bucket>,
}

/// What finding a member through the index proves.
#[derive(Debug, Clone, Copy)]
pub(super) struct Found {
    /// Its whole gate is the bucket key: found through its bucket, the gate
    /// has passed already.
    pub gate_is_key: bool,
    /// The entry the `eq` hash decides: found through the hash, it passed.
    pub hashed_entry: Option<usize>,
}

impl Index {
    /// File the member at `pos` under its gate key (or with the members
    /// every event must try) and, inside, under its `eq` value.
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub(super) fn insert(&mut self, pos: usize, sub: &Subscription, ids: &[FilterIds]) -> Found {
        let d = sub.dialect();
        let eq = eq_key(sub);
        let hashed_entry = eq.as_ref().map(|k| k.entry);
        let gate = gate_key(sub);
        let gate_is_key = gate.is_some() && gate_is_key(sub);
        let slot = Slot {
            pos,
            quick: Quick::of(sub, ids, gate_is_key, hashed_entry),
        };
        match gate {
            Some((first, second)) => {
                let gates = self.buckets.entry(d).or_default();
                with_slot(gates, first, |seconds| {
                    with_slot(seconds, second.as_str(), |b: &mut Bucket| {
                        b.insert(slot, eq.as_ref())
                    })
                });
            }
            None => self
                .wildcard
                .entry(d)
                .or_default()
                .insert(slot, eq.as_ref()),
        }
        Found {
            gate_is_key,
            hashed_entry,
        }
    }

    /// The candidates of dialect `d` for this event: its gate bucket's,
    /// then those every event must try.
    pub(super) fn candidates<'i>(
        &'i self,
        d: Dialect,
        ev: &Event<'_>,
        out: &mut Vec<Candidates<'i>>,
    ) {
        let bucket = event_gate_key(d, ev)
            .and_then(|(first, second)| self.buckets.get(&d)?.get(first)?.get(second));
        if let Some(b) = bucket {
            collect(b, true, ev, out);
        }
        if let Some(b) = self.wildcard.get(&d) {
            collect(b, false, ev, out);
        }
    }
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
    /// Members with no usable `eq` filter.
    plain: Vec<Slot>,
    /// Per field (a bucket's members use a few), per value, members.
    by_field: Vec<(FieldKey, HashMap<String, Vec<Slot>>)>,
    /// Where each field of `by_field` is: a scan of the list made compiling
    /// 40,000 members on distinct fields quadratic (5.3 s).
    field_at: HashMap<(StateSel, String), usize>,
}

impl Bucket {
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn insert(&mut self, slot: Slot, eq: Option<&EqKey<'_>>) {
        let Some(eq) = eq else {
            self.plain.push(slot);
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
            with_slot(values, eq.value, |list: &mut Vec<Slot>| list.push(slot));
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

/// A member as its bucket lists it: its position, and its plan in the
/// form [`Quick`] decides.
#[derive(Debug, Clone, Copy)]
struct Slot {
    pos: usize,
    quick: Quick,
}

/// Most members of a large set are a gate and a few AND-ed filters on
/// scalar values, and most of their filters are shared, so decided once per
/// event (the memo's outcomes). For such a member the bucket keeps the
/// outcome numbers of its filters beside its position: deciding a candidate
/// is then a few lookups in the memo, without touching the member's plan.
/// Reading each candidate's plan (its own allocation, 192-byte entries)
/// was a third of the candidate loop natively, most of it one cache miss
/// per candidate (`perf annotate`).
#[derive(Debug, Clone, Copy)]
pub(super) struct Quick {
    /// The outcome number of each top-level filter, in entry order. `None`
    /// when the plan is not a gate the bucket key proves and an AND of at
    /// most [`Quick::MAX`] filters that each have an outcome number.
    outcomes: Option<[u32; Quick::MAX]>,
    /// How many of `outcomes` are used.
    len: u8,
    /// The position in `outcomes` of the entry the `eq` hash decides (a
    /// candidate found through the hash has passed it), or [`Quick::len`].
    hashed: u8,
    /// Events whose text is at most this long are never refused by the
    /// member's vendor ([`crate::delivery::Deliver::size_limit`]).
    fits: usize,
}

impl Quick {
    const MAX: usize = 4;

    fn of(
        sub: &Subscription,
        ids: &[FilterIds],
        gate_is_key: bool,
        hashed: Option<usize>,
    ) -> Quick {
        let fits = sub
            .size_limit()
            .map_or(usize::MAX, crate::dialect::surely_fits_below);
        let none = Quick {
            outcomes: None,
            len: 0,
            hashed: 0,
            fits,
        };
        let plan = sub.plan();
        let and = plan.connector == Connector::And || plan.entries.len() <= 1;
        if !gate_is_key || !and || plan.entries.len() > Quick::MAX {
            return none;
        }
        let mut outcomes = [0; Quick::MAX];
        let mut hashed_at = plan.entries.len();
        for (i, (e, id)) in plan.entries.iter().zip(ids).enumerate() {
            // Every entry is a filter here (a group holds several filters,
            // and ids has one per filter): a group, or an unnumbered
            // decision, takes the plan.
            let (Entry::Filter(_), Some(outcome), Some(slot)) =
                (e, id.outcome, outcomes.get_mut(i))
            else {
                return none;
            };
            *slot = outcome;
            if hashed == Some(i) {
                hashed_at = i;
            }
        }
        if ids.len() != plan.entries.len() {
            return none;
        }
        Quick {
            outcomes: Some(outcomes),
            len: plan.entries.len() as u8,
            hashed: hashed_at as u8,
            fits,
        }
    }

    /// The member's answer from what the memo already knows: `None` when
    /// its plan must decide (a filter not decided yet for this event, a
    /// gate the lookup did not prove, an event its vendor may refuse).
    pub(super) fn decide(
        &self,
        gate_passed: bool,
        hashed_passed: bool,
        text_len: usize,
        memo: &eval::FieldMemo<'_>,
    ) -> Option<bool> {
        let outcomes = self.outcomes.as_ref().filter(|_| gate_passed)?;
        let mut undecided = false;
        for (i, outcome) in outcomes.iter().take(usize::from(self.len)).enumerate() {
            if hashed_passed && i == usize::from(self.hashed) {
                continue;
            }
            match memo.known(*outcome) {
                Some(false) => return Some(false),
                Some(true) => {}
                None => undecided = true,
            }
        }
        (!undecided && text_len <= self.fits).then_some(true)
    }
}

/// Members worth evaluating (a run of one bucket list), and what their
/// lookup already proved. Runs, not members, are collected: copying each
/// member out of its list cost more than deciding most of them.
pub(super) struct Candidates<'i> {
    slots: &'i [Slot],
    pub gate_passed: bool,
    pub hashed_passed: bool,
}

impl Candidates<'_> {
    /// Each member's position and quick form.
    pub fn members(&self) -> impl Iterator<Item = (usize, &Quick)> {
        self.slots.iter().map(|s| (s.pos, &s.quick))
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }
}

/// The candidates of a bucket for this event. `gate_passed`: the bucket was
/// found by the event's gate key.
fn collect<'i>(b: &'i Bucket, gate_passed: bool, ev: &Event<'_>, out: &mut Vec<Candidates<'i>>) {
    let run = |slots, hashed_passed| Candidates {
        slots,
        gate_passed,
        hashed_passed,
    };
    out.push(run(&b.plain, false));
    for (field, values) in &b.by_field {
        // The evaluator's own lookup, so the hash sees what a filter sees.
        // Only a string equals a string `fieldValue` (an array field never does).
        let field = eval::named_field(eval::state_of(field.state, ev), &field.name, ev.containers);
        if let Some(list) = field.and_then(Value::as_str).and_then(|s| values.get(s)) {
            out.push(run(list, true));
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

#[cfg(test)]
mod tests {
    use super::super::memo::Numbering;
    use super::*;
    use crate::subscription::CompileOptions;
    use serde_json::json;

    /// A Workfront member with these filters, numbered as a set numbers it.
    fn member(filters: Value, connector: &str, numbers: &mut Numbering) -> (Subscription, Quick) {
        let spec = json!({"objCode": "PROJ", "eventType": "UPDATE", "url": "https://h.example.com/",
                          "authToken": "t", "filterConnector": connector, "filters": filters});
        let sub = Subscription::compile(&spec, CompileOptions::default()).unwrap();
        let ids = numbers.number(sub.plan());
        let hashed = eq_key(&sub).map(|k| k.entry);
        let quick = Quick::of(&sub, &ids, gate_is_key(&sub), hashed);
        (sub, quick)
    }

    fn eq(field: &str, value: &str) -> Value {
        json!({"fieldName": field, "fieldValue": value})
    }

    /// Which members the quick path takes: a gate its bucket key proves and
    /// an AND of one to four filters on scalar values. The rest keep
    /// reading their plans (the set's answers are the same either way;
    /// tests/set.rs compares them with each member's own).
    #[test]
    fn a_keyed_and_of_up_to_four_filters_is_decided_from_the_memo() {
        let mut n = Numbering::default();
        let four: Vec<Value> = ["a", "b", "c", "d"].iter().map(|f| eq(f, "x")).collect();
        let five: Vec<Value> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|f| eq(f, "x"))
            .collect();
        let taken = [
            json!([]),
            json!([eq("status", "CUR")]),
            json!([eq("status", "CUR"), eq("DE:Region", "EMEA")]),
            Value::Array(four),
        ];
        for filters in taken {
            let (sub, quick) = member(filters.clone(), "AND", &mut n);
            assert!(quick.outcomes.is_some(), "{filters}");
            assert_eq!(usize::from(quick.len), sub.plan().entries.len());
        }
        // One filter under OR is the same plan as under AND.
        assert!(member(json!([eq("status", "CUR")]), "OR", &mut n)
            .1
            .outcomes
            .is_some());
        let group =
            json!([{"type": "group", "connector": "OR", "filters": [eq("a", "x"), eq("b", "y")]}]);
        for (filters, connector) in [
            (json!([eq("status", "CUR"), eq("DE:Region", "EMEA")]), "OR"),
            (Value::Array(five), "AND"),
            (group, "AND"),
        ] {
            let quick = member(filters.clone(), connector, &mut n).1;
            assert!(quick.outcomes.is_none(), "{connector} {filters}");
        }
        // A gate the bucket key does not prove (objId) takes the plan.
        let spec = json!({"objCode": "PROJ", "eventType": "UPDATE", "objId": "p1", "url": "https://h.example.com/",
                          "authToken": "t", "filters": [eq("status", "CUR")]});
        let sub = Subscription::compile(&spec, CompileOptions::default()).unwrap();
        let ids = n.number(sub.plan());
        assert!(!gate_is_key(&sub));
        assert!(Quick::of(&sub, &ids, false, None).outcomes.is_none());
    }

    /// A quick member passes when every decision it needs is made and
    /// passed, fails on one made and failed, and asks its plan otherwise.
    #[test]
    fn a_quick_member_answers_only_what_the_memo_knows() {
        let mut n = Numbering::default();
        let (sub, quick) = member(
            json!([eq("status", "CUR"), eq("DE:Region", "EMEA")]),
            "AND",
            &mut n,
        );
        let ids = n.number(sub.plan());
        let (Some(status), Some(region)) = (ids[0].outcome, ids[1].outcome) else {
            panic!("both filters are numbered: {ids:?}");
        };
        // The eq hash decides the first filter (status).
        assert_eq!(usize::from(quick.hashed), 0);
        let small = 100;
        let memo = eval::FieldMemo::new();
        assert_eq!(quick.decide(true, true, small, &memo), None);
        memo.decide(region, || true);
        // Found through the hash: status passed, region is known.
        assert_eq!(quick.decide(true, true, small, &memo), Some(true));
        // Found otherwise: status is not known yet.
        assert_eq!(quick.decide(true, false, small, &memo), None);
        memo.decide(status, || false);
        assert_eq!(quick.decide(true, false, small, &memo), Some(false));
        // Outside its gate bucket, or an event its vendor may refuse: the plan.
        assert_eq!(quick.decide(false, true, small, &memo), None);
        let limit = sub.size_limit().unwrap();
        let fits = crate::dialect::surely_fits_below(limit);
        assert_eq!(quick.decide(true, true, fits, &memo), Some(true));
        assert_eq!(quick.decide(true, true, fits + 1, &memo), None);
    }
}
