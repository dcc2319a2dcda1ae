//! The set's numbers for its members' filters ([`FilterIds`]): a slot per
//! plain field name (a field is looked up once per event) and an outcome
//! per distinct scalar decision (decided once per event, whichever members
//! share it). Numbering is its own job: it is set-wide, made at insertion,
//! and read only by the evaluator's memo.

use super::HashMap;
use crate::eval::FilterIds;
use crate::plan::{FieldRef, Plan};
use serde_json::Value;
use std::fmt::Write;

/// The numbers given so far.
#[derive(Debug, Default)]
pub(super) struct Numbering {
    /// A number per plain field name the members' filters read (their
    /// [`FilterIds::slot`]), for the per-event lookup memo.
    slots: HashMap<String, u32>,
    /// A number per distinct filter decision ([`FilterIds::outcome`]), by
    /// the key `number` writes, and the buffer it writes it into.
    outcomes: HashMap<String, u32>,
    key: String,
}

impl Numbering {
    /// The set's numbers for a plan's filters: each plain field name its
    /// set-wide slot, each scalar decision its set-wide outcome.
    pub(super) fn number(&mut self, plan: &Plan) -> Vec<FilterIds> {
        let mut key = std::mem::take(&mut self.key);
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
        self.key = key;
        ids
    }
}
