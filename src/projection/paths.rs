//! [`Projection`]: which parts of a document the plans read.

use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Which parts of a document to keep. A node keeps everything (`all`), or
/// the listed object keys (each with its own projection), and for arrays at
/// this node, `items` projects each element (else arrays are kept whole).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Projection {
    pub all: bool,
    keys: BTreeMap<String, Projection>,
    /// One bit per kept key, picked by its length and first and last bytes
    /// (a one-word Bloom filter): most keys of an event are turned away by
    /// one test, before any string compare.
    signature: u64,
    pub items: Option<Box<Projection>>,
    /// Strings the plans compare the value kept here with (a gate's
    /// `eventType`, a filter's `fieldValue`; a set's members' in their
    /// order, up to `MAX_CONSTANTS`): an event's equal string at this
    /// place is read as one of these instead of copied (scan.rs), so a
    /// typical event's compared strings cost no allocation.
    pub constants: Vec<Value>,
}

impl Projection {
    /// A projection that keeps nothing (parsing with it only validates).
    pub const fn nothing() -> Projection {
        Projection {
            all: false,
            keys: BTreeMap::new(),
            signature: 0,
            items: None,
            constants: Vec::new(),
        }
    }

    pub fn everything() -> Projection {
        Projection {
            all: true,
            ..Projection::default()
        }
    }

    /// Keep the value at `path` whole (and the objects on the way).
    pub fn keep<S: AsRef<str>>(&mut self, path: &[S]) {
        if self.all {
            return;
        }
        match path.split_first() {
            None => *self = Projection::everything(),
            Some((head, rest)) => self.with_child(head.as_ref(), &mut |c| c.keep(rest)),
        }
    }

    /// Make the objects at `path` exist (kept as objects, not whole).
    pub fn ensure<S: AsRef<str>>(&mut self, path: &[S]) {
        if let Some((head, rest)) = path.split_first() {
            self.with_child(head.as_ref(), &mut |c| c.ensure(rest));
        }
    }

    /// Run `f` on the child at `key`, made if needed. Most keys are there
    /// already (a set adds every member's fields to one union), so this
    /// looks up by `&str` and allocates only for a new key: the allocating
    /// lookup was an eighth of compiling a set. (`dyn`: one copy of this
    /// for every caller, not one per closure.)
    fn with_child(&mut self, key: &str, f: &mut dyn FnMut(&mut Projection)) {
        self.signature |= signature_bit(key);
        match self.keys.get_mut(key) {
            Some(child) => f(child),
            None => f(self.keys.entry(key.to_string()).or_default()),
        }
    }

    /// Note that a plan compares the value kept at `path` with `value`
    /// ([`Projection::constants`]): strings only, each once, at most
    /// `MAX_CONSTANTS` a place (past that the event's string is copied,
    /// as without them). A path not kept whole is left alone.
    pub fn share<S: AsRef<str>>(&mut self, path: &[S], value: &Value) {
        let mut at = self;
        for key in path {
            match at.keys.get_mut(key.as_ref()) {
                Some(child) => at = child,
                None => return,
            }
        }
        at.add_constant(value);
    }

    fn add_constant(&mut self, value: &Value) {
        if self.all
            && value.is_string()
            && self.constants.len() < MAX_CONSTANTS
            && !self.constants.contains(value)
        {
            self.constants.push(value.clone());
        }
    }

    /// The projection of the array elements at `key` (a batch envelope's
    /// events), if there is one.
    pub fn items_at(&mut self, key: &str) -> Option<&mut Projection> {
        self.keys.get_mut(key)?.items.as_deref_mut()
    }

    /// The node at `path`, created if needed (for adding `items`).
    pub fn node<S: AsRef<str>>(&mut self, path: &[S]) -> &mut Projection {
        match path.split_first() {
            None => self,
            Some((head, rest)) => self.entry(head.as_ref()).node(rest),
        }
    }

    fn entry(&mut self, key: &str) -> &mut Projection {
        self.signature |= signature_bit(key);
        self.keys.entry(key.to_string()).or_default()
    }

    /// The kept key equal to `key`, with what to keep under it.
    #[inline]
    pub fn child(&self, key: &str) -> Option<(&String, &Projection)> {
        let bits = signature_bit(key);
        if self.signature & bits != bits {
            return None;
        }
        // A node keeps a few keys: one pass comparing lengths first and the
        // bytes inline beats the tree's ordered search, each step of which
        // called wasm's `memcmp`.
        if self.keys.len() <= SCAN_KEYS {
            return self
                .keys
                .iter()
                .find(|(k, _)| crate::event::same_key(k, key));
        }
        self.keys.get_key_value(key)
    }

    /// The projection as data, for the JS glue that copies the same fields
    /// out of an object before it crosses into wasm: `{"all": true}`, or
    /// `{"keys": {name: projection}, "items": projection | null}`.
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        if self.all {
            out.insert("all".into(), Value::Bool(true));
            return Value::Object(out);
        }
        let keys: Map<String, Value> = self
            .keys
            .iter()
            .map(|(k, p)| (k.clone(), p.to_json()))
            .collect();
        out.insert("keys".into(), Value::Object(keys));
        out.insert(
            "items".into(),
            self.items.as_ref().map_or(Value::Null, |p| p.to_json()),
        );
        Value::Object(out)
    }

    /// How many keys are kept at this node.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// For a batch document: the same fields, and an array's elements
    /// projected alike (a JSON array of events).
    pub fn for_batch(&self) -> Projection {
        let mut p = self.clone();
        p.items = Some(Box::new(self.clone()));
        p
    }

    /// Add what `other` keeps (a set's union), and its constants after
    /// this one's, as a set shares its members' in their order.
    pub fn merge(&mut self, other: &Projection) {
        if other.all && !self.all {
            *self = Projection::everything();
        }
        if self.all {
            for c in &other.constants {
                self.add_constant(c);
            }
            return;
        }
        for (k, p) in &other.keys {
            self.with_child(k, &mut |c| c.merge(p));
        }
        if let Some(items) = &other.items {
            self.items.get_or_insert_with(Default::default).merge(items);
        }
    }
}

/// Strings kept per place in [`Projection::constants`]: an event's string
/// there is compared with each, so a few (a plan compares a field with
/// one value, or a short list).
pub const MAX_CONSTANTS: usize = 8;

/// Up to this many keys, [`Projection::child`] looks in order.
const SCAN_KEYS: usize = 16;

/// Two bits per key, from its length and its outer and inner bytes: a key
/// is looked up only when both of its bits are set. With one bit, 1 of the
/// bench event's 20 unread Workfront state keys and 2 of the 36 project
/// fields in this module's test passed; with two, none does.
#[inline]
fn signature_bit(key: &str) -> u64 {
    let b = key.as_bytes();
    let at = |i: usize| b.get(i).map_or(0, |c| usize::from(*c));
    let n = b.len();
    let outer =
        n.wrapping_mul(31) ^ at(0).wrapping_mul(7) ^ at(n.wrapping_sub(1)).wrapping_mul(131);
    let inner = n.wrapping_mul(17) ^ at(1).wrapping_mul(61) ^ at(n.wrapping_sub(2)).wrapping_mul(5);
    (1 << (outer % 64)) | (1 << (inner % 64))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The signature's purpose: most keys an event carries but no plan
    /// reads are turned away before any lookup. The fields are Workfront
    /// project fields (its API explorer's PROJ object), written here by
    /// hand; the kept ones are what a three-filter subscription reads.
    #[test]
    fn the_signature_turns_away_most_unread_keys() {
        let kept = [
            "objCode",
            "status",
            "percentComplete",
            "parameterValues",
            "ID",
        ];
        let mut p = Projection::default();
        for key in kept {
            p.keep(&[key]);
        }
        let unread = [
            "name",
            "entryDate",
            "accessorIDs",
            "lastUpdateDate",
            "groupID",
            "sponsorID",
            "description",
            "plannedCompletionDate",
            "plannedStartDate",
            "priority",
            "ownerID",
            "companyID",
            "categoryID",
            "condition",
            "conditionType",
            "currency",
            "budget",
            "actualCost",
            "actualStartDate",
            "actualCompletionDate",
            "enteredByID",
            "lastUpdatedByID",
            "portfolioID",
            "programID",
            "templateID",
            "scheduleID",
            "referenceNumber",
            "extRefID",
            "lastNoteID",
            "milestonePathID",
            "deliverableScoreCard",
            "URL",
            "version",
            "risk",
            "remainingCost",
            "projectedCompletionDate",
        ];
        for key in kept {
            assert!(p.child(key).is_some(), "{key} is kept");
        }
        let passed: Vec<&str> = unread
            .iter()
            .copied()
            .filter(|k| {
                let bits = signature_bit(k);
                p.signature & bits == bits
            })
            .collect();
        assert!(
            passed.len() * 5 <= unread.len(),
            "{} of {} unread keys pass: {passed:?}",
            passed.len(),
            unread.len()
        );
        assert!(unread.iter().all(|k| p.child(k).is_none()));
    }

    /// Past [`SCAN_KEYS`] the tree answers: a key is found however many
    /// its node keeps.
    #[test]
    fn a_wide_node_finds_every_key() {
        let mut p = Projection::default();
        let keys: Vec<String> = (0..40).map(|i| format!("field{i}")).collect();
        for k in &keys {
            p.keep(&[k.as_str()]);
        }
        for k in &keys {
            assert_eq!(
                p.child(k).map(|(found, _)| found.as_str()),
                Some(k.as_str())
            );
        }
        assert!(p.child("field40").is_none());
    }
}
