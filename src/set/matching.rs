//! One event against the set: parsed once (projected to the union of the
//! fields the members read), opened once per dialect, its candidates found
//! through the index and each decided by its own plan, with what the lookup
//! proved not tested again, so the answers are exactly those of
//! `Subscription::matches`.

use super::SubscriptionSet;
use crate::error::Error;
use crate::eval;
use crate::event::At;
use crate::projection;

impl SubscriptionSet {
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

    fn ids_at(&self, positions: &[usize]) -> Vec<&str> {
        positions.iter().filter_map(|p| self.id_at(*p)).collect()
    }

    /// `event` is a document whose JSON text is `text` (when known).
    pub(super) fn match_positions_at(&self, event: At<'_>, text: Option<&str>) -> Vec<usize> {
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
            self.index.candidates(d, &ev, &mut candidates);
            out.reserve(candidates.len());
            for c in &candidates {
                let Some(Some(m)) = self.members.get(c.pos) else {
                    continue;
                };
                // What the lookup proved is not tested again; the rest of
                // the plan is evaluated as `matches` evaluates it.
                let gate_passed = c.gate_passed && m.found.gate_is_key;
                let passed_entry = m.found.hashed_entry.filter(|_| c.hashed_passed);
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
}
