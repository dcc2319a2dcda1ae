//! One event against the set: parsed once (projected to the union of the
//! fields the members read), opened once per dialect, its candidates found
//! through the index and each decided from the decisions its filters share
//! with other members when those are made (the index's `Quick`), else by
//! its own plan, with what the lookup proved not tested again, so the
//! answers are exactly those of `Subscription::matches`.

use super::{index, SubscriptionSet};
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
        self.match_positions_str(crate::json::utf8(event, "the event")?)
    }

    /// [`SubscriptionSet::match_positions`] of text known to be UTF-8 (the
    /// binding's inbox, when it holds ASCII).
    pub fn match_positions_str(&self, text: &str) -> Result<Vec<usize>, Error> {
        crate::json::check_size(text.len(), "the event")?;
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
        let mut candidates = Vec::new();
        // Without its text the event is known to be small (`Event::text`).
        let text_len = text.map_or(0, str::len);
        for &d in &self.dialects {
            // An event that is not of this dialect (or a heartbeat) matches
            // none of its subscriptions.
            let Ok(Some(ev)) = d.open(event, text) else {
                continue;
            };
            candidates.clear();
            let memo = eval::FieldMemo::new();
            self.index.candidates(d, &ev, &mut candidates);
            out.reserve(candidates.iter().map(index::Candidates::len).sum());
            for run in &candidates {
                for (pos, quick) in run.members() {
                    // A removed member's position stays in the buckets
                    // until the set is compacted (`remove`).
                    if self.removed > 0 && !matches!(self.members.get(pos), Some(Some(_))) {
                        continue;
                    }
                    match quick.decide(run.gate_passed, run.hashed_passed, text_len, &memo) {
                        Some(true) => {
                            out.push(pos);
                            continue;
                        }
                        Some(false) => continue,
                        None => {}
                    }
                    let Some(Some(m)) = self.members.get(pos) else {
                        continue;
                    };
                    // What the lookup proved is not tested again; the rest
                    // of the plan is evaluated as `matches` evaluates it.
                    let gate_passed = run.gate_passed && m.found.gate_is_key;
                    let passed_entry = m.found.hashed_entry.filter(|_| run.hashed_passed);
                    let plan = m.sub.plan();
                    if eval::matches_knowing(plan, &ev, gate_passed, passed_entry, &memo, &m.ids)
                        && !m.sub.refuses(&ev)
                    {
                        out.push(pos);
                    }
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}
