//! `SubscriptionSet`: one event against many subscriptions.
//!
//! An event is parsed once (projected to the union of the fields the set
//! reads), opened once per dialect, looks up its candidates in an index,
//! and only those are evaluated, in insertion order. The index only
//! narrows: every candidate is still evaluated by its own plan, so the
//! answers are exactly those of `Subscription::matches`.
//!
//! One job per file: this one holds the members (insertion order, ids,
//! `add`, `remove` and compaction) and the projection the set reads events
//! with; the others are
//! - `entries.rs`: `compile`'s entries read into members, and what a bad
//!   entry reports (`SetError`), apart from the set so the entry format can
//!   grow (`options`, `deliver`) without touching matching;
//! - `index.rs`: where a member is found from an event (gate buckets and
//!   the `eq` hash): it only narrows, so it can be read on its own;
//! - `memo.rs`: the set-wide numbers of the members' filters, which the
//!   evaluator's per-event memo is keyed by;
//! - `matching.rs`: an event's candidates, each decided by its own plan;
//! - `deliver.rs`: a member's delivery defaults and `set.deliver`;
//! - `batch.rs`: a batch counted per member, the set's side of the one
//!   preview driver (`preview::PreviewState`);
//! - `lint.rs`: `set.lint()`, the findings that compare members.

mod batch;
mod deliver;
mod entries;
mod index;
mod lint;
mod matching;
mod memo;

pub use batch::{SetPreview, SetTally};
pub use deliver::{DeliverDefaults, SetDelivery};
pub use entries::{EntryOptions, NewMember, SetError};
pub use lint::{SetLintEntry, OVERLAP_PEERS};

use crate::dialect::Dialect;
use crate::error::{Code, Error};
use crate::eval::{Explanation, FilterIds};
use crate::preview::Batch;
use crate::projection::{self, Projection};
use crate::subscription::{CompileOptions, Subscription};
use serde_json::Value;

/// The set's maps hash with foldhash, as serde_json's own maps do here
/// (without its `std` feature), so the module carries one hasher, not two.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
type HashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

#[derive(Debug)]
struct Member {
    id: String,
    sub: Subscription,
    /// Its entry's `deliver`: what `set.deliver` gives its `deliver`.
    defaults: DeliverDefaults,
    /// What finding it through the index proves.
    found: index::Found,
    /// The set's numbers for each of its plan's filters.
    ids: Vec<FilterIds>,
}

#[derive(Debug, Default)]
pub struct SubscriptionSet {
    /// Insertion order; removed entries leave `None` so positions stay stable.
    members: Vec<Option<Member>>,
    positions: HashMap<String, usize>,
    /// Where each member is found from an event.
    index: index::Index,
    dialects: Vec<Dialect>,
    projection: Projection,
    /// `projection` for batch documents, made on first use after a change.
    batch_projection: std::sync::OnceLock<Projection>,
    errors: Vec<SetError>,
    /// The set-wide numbers of the members' filters, for the per-event memo.
    numbers: memo::Numbering,
    /// The [`projection::plan::signature`]s already in `projection`.
    projected: HashSet<Vec<u8>>,
    /// The buffer each member's signature is written into.
    signature: Vec<u8>,
    /// Removed members still holding a position (see `remove`).
    removed: usize,
    /// Bumped by each compaction.
    generation: u64,
}

/// Removed members kept before a compaction is considered (small sets are
/// never rebuilt for a few removals).
const COMPACT_AFTER: usize = 64;

impl SubscriptionSet {
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn errors(&self) -> &[SetError] {
        &self.errors
    }

    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn size(&self) -> usize {
        self.positions.len()
    }

    /// Add one subscription; an invalid spec or a used id is an error.
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn add(&mut self, id: &str, spec: &Value, opts: CompileOptions) -> Result<(), Error> {
        self.add_member(NewMember {
            id,
            spec,
            options: opts,
            deliver: DeliverDefaults::default(),
        })
    }

    /// [`SubscriptionSet::add`] with the member's delivery defaults.
    #[cfg_attr(hookmatch_package, optimize(size))]
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
                format!("id {} is already in the set", crate::text::quote_short(id)),
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
    #[cfg_attr(hookmatch_package, optimize(size))]
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
    #[cfg_attr(hookmatch_package, optimize(size))]
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
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn generation(&self) -> u64 {
        self.generation
    }

    #[cfg_attr(hookmatch_package, optimize(size))]
    fn insert(&mut self, id: String, sub: Subscription, defaults: DeliverDefaults) {
        let ids = self.numbers.number(sub.plan());
        let pos = self.members.len();
        let d = sub.dialect();
        if !self.dialects.contains(&d) {
            self.dialects.push(d);
        }
        let shape = d.vendor().shape();
        let reads = projection::plan::reads(shape, sub.plan());
        let mut signature = std::mem::take(&mut self.signature);
        signature.clear();
        projection::plan::signature(d.name(), &reads, &mut signature);
        if !self.projected.contains(&signature) {
            projection::plan::add(shape, &reads, &mut self.projection);
            self.projected.insert(signature.clone());
        }
        // Every member's compared strings, not only a new signature's:
        // members that read the same fields compare them with their own values.
        projection::plan::share(shape, &reads, &mut self.projection);
        // Made again on the next batch read (a copy of the projection).
        self.batch_projection = std::sync::OnceLock::new();
        self.signature = signature;
        let found = self.index.insert(pos, &sub, &ids);
        self.positions.insert(id.clone(), pos);
        self.members.push(Some(Member {
            id,
            sub,
            defaults,
            found,
            ids,
        }));
    }

    /// How many insertion positions there are, removed ones included: every
    /// position [`Self::match_positions`] answers is below it.
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn positions_len(&self) -> usize {
        self.members.len()
    }

    /// The id at an insertion position (`None` once removed).
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn id_at(&self, pos: usize) -> Option<&str> {
        self.members.get(pos)?.as_ref().map(|m| m.id.as_str())
    }

    /// [`Subscription::projection_export`] of the set.
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn projection_export(&self) -> Value {
        crate::subscription::export(&self.projection, self.size_limit())
    }

    /// The union of the fields the members read.
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn projection(&self) -> &Projection {
        &self.projection
    }

    /// The insertion position of an id in the set.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.positions.get(id).copied()
    }

    /// The explanation of one member for this event.
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn explain(&self, event: &Value, id: &str) -> Result<Explanation, Error> {
        let m = self
            .positions
            .get(id)
            .and_then(|p| self.members.get(*p))
            .and_then(Option::as_ref)
            .ok_or_else(|| {
                Error::new(
                    Code::InvalidInput,
                    format!(
                        "no subscription with id {} in the set",
                        crate::text::quote_short(id)
                    ),
                )
            })?;
        m.sub.explain(event)
    }

    /// Ids in insertion order.
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn ids(&self) -> Vec<&str> {
        self.members
            .iter()
            .flatten()
            .map(|m| m.id.as_str())
            .collect()
    }
}
