//! Analysis of compiled plans: can a subscription fire at all, which filters
//! add nothing, what an edit gains and loses, and an event that fires it
//! (docs/analysis.md).
//!
//! Vendor-neutral: it reads the shared [`Plan`] and the vendor's
//! [`EventShape`], and every outcome comes from the evaluator's own
//! comparison ([`eval::test`]), so the analysis cannot disagree with
//! `matches` about one value. Each filter reads one field (a *slot*); the
//! slots are independent, so a subscription fires for some event exactly
//! when some choice of one value per slot satisfies the plan's AND/OR tree.
//! Per slot the values tried are finite (`values.rs` builds them); a
//! question answered "no candidate works" is a proof only where
//! `values::exact` says the candidates meet every outcome, or where the
//! tree alone decides it (`Space::relaxed`); anywhere else the answer is
//! "unknown" and nothing is claimed. The work of one call is bounded
//! (`WORK_BOUND`). Every event returned is built in the vendor's shape
//! and checked with the real evaluator before it leaves.

use crate::dialect::EventShape;
use crate::error::{Code, Diagnostic};
use crate::eval;
use crate::plan::{
    Comparison, Connector, Entry, FieldRef, Filter, GateCheck, GateSource, GateTest, Plan, StateSel,
};
use crate::value::{parse_number, same_json};

mod values;
use serde_json::{Map, Value};
use values::numbers;

/// A slot whose candidates are not exact is relaxed to every outcome of
/// at most this many atoms (2^10 options).
const RELAXED_ATOMS: usize = 10;

/// Pairs of old and new classes per slot (128 classes each way).
/// Measured 2026-12-06 (release, native): an OR of 200 numeric filters on
/// both states of one field took 6.2 s with every pair of values.
const MAX_PAIRS: usize = 16_384;

/// The work one analysis call may do (candidate outcomes computed plus
/// search steps, over all its questions); past it the rest is undecided
/// (`analysis_incomplete`, `unknown`, `null`).
const WORK_BOUND: usize = 30_000_000;

/// Other values of one slot tried when a built event does not check out.
const REPAIRS: usize = 6;

/// The memo of failed search states: fingerprints (one key type, so one
/// hash table instantiation in the wasm).
type Memo = std::collections::HashSet<u128, foldhash::fast::RandomState>;

/// Where a value sits in an event.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Slot {
    /// Keys inside the states (a filter's field, or a gate's state key).
    State(Vec<String>),
    /// Keys from the event's root (a gate such as `eventType`).
    Root(Vec<String>),
}

/// A slot's value in a candidate event: the new state's and the old one's.
type Pair = (Option<Value>, Option<Value>);

/// One condition of the tree.
#[derive(Debug, Clone)]
enum Atom<'p> {
    Filter(&'p Filter),
    Gate(&'p GateCheck),
}

#[derive(Debug, Clone)]
enum Node {
    Atom(usize),
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    Const(bool),
}

impl Node {
    /// Mark the atoms the node reads.
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn atoms(&self, used: &mut [bool]) {
        match self {
            Node::Atom(i) => used[*i] = true,
            Node::And(list) | Node::Or(list) => list.iter().for_each(|n| n.atoms(used)),
            Node::Not(n) => n.atoms(used),
            Node::Const(_) => {}
        }
    }
}

#[cfg_attr(hookmatch_package, optimize(size))]
fn combine(connector: Connector, nodes: Vec<Node>) -> Node {
    match connector {
        Connector::And => Node::And(nodes),
        Connector::Or => Node::Or(nodes),
    }
}

/// The atoms of one or more plans over one set of slots, with the values
/// each slot may take.
struct Space<'p> {
    shape: &'static EventShape,
    atoms: Vec<(Atom<'p>, usize)>,
    slots: Vec<Slot>,
    /// Per slot: candidate pairs, the smallest first.
    candidates: Vec<Vec<Pair>>,
    /// Per slot: its atoms, and its candidates with distinct outcomes
    /// (pairs with the same outcomes lead to the same answers; the first,
    /// the smallest or the base's own, is kept).
    table: Vec<SlotTable>,
    /// Per slot, per option of its table: every candidate with that
    /// outcome (the first is the option's own), for repairing an event the
    /// vendor's shape refuses (an absent `resource_type` where a string
    /// `"task"` would do).
    members: Vec<Vec<Vec<usize>>>,
    /// Per atom: its use of its slot (`values::exact` reads them).
    uses: Vec<Vec<values::Use<'p>>>,
    /// Per slot: whether every subset of its substring constants is a
    /// candidate.
    subsets: Vec<bool>,
    /// Per slot: whether its old and new values were not all paired
    /// ([`MAX_PAIRS`]): then it is not exact.
    capped: Vec<bool>,
    /// The work done so far on this space (candidate outcomes and search
    /// steps); past [`WORK_BOUND`] every question is undecided.
    work: std::cell::Cell<usize>,
}

/// A slot's atoms, and its distinct outcomes with the candidate giving each.
type SlotTable = (Vec<usize>, Vec<(usize, Vec<bool>)>);

/// A plan's tree in a [`Space`]: the gate, then the filters.
struct Tree {
    root: Node,
    /// The atom of each filter, in [`Plan::filters`] order.
    filters: Vec<usize>,
    gate: Vec<usize>,
    /// Per top-level entry: its node.
    entries: Vec<Node>,
}

impl<'p> Space<'p> {
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn new(shape: &'static EventShape) -> Self {
        Space {
            shape,
            atoms: Vec::new(),
            slots: Vec::new(),
            candidates: Vec::new(),
            table: Vec::new(),
            members: Vec::new(),
            uses: Vec::new(),
            subsets: Vec::new(),
            capped: Vec::new(),
            work: std::cell::Cell::new(0),
        }
    }

    #[cfg_attr(hookmatch_package, optimize(size))]
    fn slot(&mut self, slot: Slot) -> usize {
        if let Some(i) = self.slots.iter().position(|s| *s == slot) {
            return i;
        }
        self.slots.push(slot);
        self.slots.len() - 1
    }

    /// The atom for a condition on a slot; conditions that test the same
    /// thing on one slot are one atom, so `x AND NOT x` is decided by the
    /// tree alone even where the slot's candidates are not exact
    /// (`diff(a, a)`, a filter written in both specs of a diff).
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn atom(&mut self, atom: Atom<'p>, slot: Slot) -> usize {
        let s = self.slot(slot);
        let same = |other: &Atom<'p>| match (&atom, other) {
            (Atom::Filter(f), Atom::Filter(g)) => {
                f.comparison == g.comparison && f.state == g.state && f.value == g.value
            }
            (Atom::Gate(f), Atom::Gate(g)) => f == g,
            _ => false,
        };
        if let Some(i) = self.atoms.iter().position(|(a, t)| *t == s && same(a)) {
            return i;
        }
        self.atoms.push((atom, s));
        self.atoms.len() - 1
    }

    /// Add a plan's atoms; call [`Space::finish`] after the last plan.
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn add(&mut self, plan: &'p Plan) -> Tree {
        let mut gate = Vec::new();
        for g in &plan.gate {
            let slot = match g.source {
                GateSource::Root(path) => Slot::Root(path.iter().map(|s| s.to_string()).collect()),
                GateSource::State(key) => Slot::State(vec![key.to_string()]),
                GateSource::None => Slot::Root(Vec::new()),
            };
            gate.push(self.atom(Atom::Gate(g), slot));
        }
        let mut filters = Vec::new();
        let mut entries = Vec::new();
        for entry in &plan.entries {
            let node = match entry {
                Entry::Filter(f) => {
                    let a = self.atom(Atom::Filter(f), filter_slot(f));
                    filters.push(a);
                    Node::Atom(a)
                }
                Entry::Group(g) => {
                    let mut nodes = Vec::new();
                    for f in &g.filters {
                        let a = self.atom(Atom::Filter(f), filter_slot(f));
                        filters.push(a);
                        nodes.push(Node::Atom(a));
                    }
                    combine(g.connector, nodes)
                }
            };
            entries.push(node);
        }
        let body = if entries.is_empty() {
            Node::Const(true)
        } else {
            combine(plan.connector, entries.clone())
        };
        let mut all: Vec<Node> = gate.iter().map(|a| Node::Atom(*a)).collect();
        all.push(body);
        Tree {
            root: Node::And(all),
            filters,
            gate,
            entries,
        }
    }

    /// Work out every slot's candidate values (from every plan added), with
    /// `base`'s own values first when given.
    fn finish(&mut self, base: Option<&Value>) {
        let mut values: Vec<Vec<Value>> = vec![Vec::new(); self.slots.len()];
        let mut uses: Vec<Vec<values::Use<'p>>> = vec![Vec::new(); self.slots.len()];
        self.uses.clear();
        for (atom, slot) in self.atoms.clone() {
            let list = &mut values[slot];
            // Each atom's use; a gate of several values uses its first here
            // and all of them in its slot's list.
            let mine: Vec<values::Use<'p>> = match atom {
                // `changed` compares the states with each other, not with its value.
                Atom::Filter(f) if f.comparison == Comparison::Changed => {
                    vec![(Some(Comparison::Changed), &f.value)]
                }
                Atom::Filter(f) => {
                    neighbours(&f.value, list);
                    vec![(Some(f.comparison), &f.value)]
                }
                Atom::Gate(g) => match &g.test {
                    GateTest::Equals(v) => vec![(None, v)],
                    GateTest::OneOf(vs) => vs.iter().map(|v| (None, v)).collect(),
                    GateTest::Fixed { .. } => Vec::new(),
                },
            };
            for (c, v) in &mine {
                if c.is_none() {
                    push(list, (*v).clone());
                }
            }
            uses[slot].extend(mine.iter().copied());
            self.uses.push(mine);
        }
        // The vendor's own value first (Asana's "task", "added"): an event
        // that must hold some value there reads like a real one.
        let skeleton: Value =
            crate::json::parser::value(self.shape.skeleton.as_bytes()).unwrap_or(Value::Null);
        for (slot, vals) in values.iter_mut().enumerate() {
            if let (Some(v), _) = read_pair(self.shape, &skeleton, &self.slots[slot]) {
                vals.insert(0, v);
            }
        }
        for (vals, uses) in values.iter_mut().zip(&uses) {
            values::extend(uses, vals);
        }
        self.subsets = uses.iter().map(|u| values::subsets_enumerated(u)).collect();
        let mut capped = vec![false; self.slots.len()];
        let has_old = self.shape.old_state.is_some();
        let by_changes = self.shape.changes.is_some();
        self.candidates = values
            .into_iter()
            .enumerate()
            .map(|(i, mut vals)| {
                dedup_values(&mut vals);
                let mut all: Vec<Option<Value>> = vec![None];
                all.extend(vals.into_iter().map(Some));
                // Values every atom of the slot answers alike (in either
                // state) are interchangeable: keep two of each class (two,
                // so `changed` can still see different values of one class,
                // e.g. 50 and "50"). This keeps the pairs of a slot with an
                // old state in the hundreds, not the tens of thousands.
                let mine = self.atoms_of(i);
                // The old state matters to a slot only where an atom reads it.
                let reads_old = mine.iter().any(|a| match &self.atoms[*a].0 {
                    Atom::Filter(f) => {
                        f.state == StateSel::Old || f.comparison == Comparison::Changed
                    }
                    Atom::Gate(g) => matches!(g.source, GateSource::State(_)),
                });
                let mut classes: Vec<(Vec<bool>, usize)> = Vec::new();
                // Outcomes → class (a scan was quadratic: 200 filters on
                // one field spent a second here).
                let mut class_of: std::collections::HashMap<Vec<bool>, usize> =
                    std::collections::HashMap::new();
                let mut singles: Vec<Option<Value>> = Vec::new();
                // The first value of each class, and the second of those
                // that have one (by class index).
                let mut firsts: Vec<Option<Value>> = Vec::new();
                let mut second: Vec<(usize, Option<Value>)> = Vec::new();
                for v in all {
                    let sig: Vec<bool> = mine
                        .iter()
                        .flat_map(|a| {
                            let as_new = self.outcome_of(*a, v.as_ref(), None);
                            let as_old = reads_old && self.outcome_of(*a, None, v.as_ref());
                            [as_new, as_old]
                        })
                        .collect();
                    match class_of.get(&sig).copied() {
                        Some(c) if classes[c].1 >= 2 => continue,
                        Some(c) => {
                            classes[c].1 += 1;
                            second.push((c, v.clone()));
                        }
                        None => {
                            class_of.insert(sig.clone(), classes.len());
                            classes.push((sig, 1));
                            firsts.push(v.clone());
                        }
                    }
                    singles.push(v);
                }
                let mut pairs: Vec<Pair> = Vec::new();
                let root = matches!(self.slots[i], Slot::Root(_));
                // The base's own pair goes first; with a base every pair
                // costs the same below, so the stable sort and the dedup
                // keep it first.
                let own = base.map(|b| self.read(b, i));
                // A slot whose old value no atom reads keeps the base's.
                let kept_old = own.as_ref().and_then(|(_, old)| old.clone());
                pairs.extend(own);
                for n in &singles {
                    if root {
                        pairs.push((n.clone(), None));
                    } else if !reads_old {
                        pairs.push((n.clone(), kept_old.clone()));
                    } else if has_old {
                        // Below, once per class: the outcomes of a pair are
                        // its classes and whether the two values differ.
                    } else if by_changes {
                        pairs.push((n.clone(), n.clone()));
                        if n.is_some() {
                            pairs.push((n.clone(), None));
                        }
                    } else {
                        pairs.push((n.clone(), None));
                    }
                }
                if !root && reads_old && has_old {
                    // Every class of the old value beside every class of
                    // the new one, up to a bound (past it the slot is not
                    // exact: `capped`), and each class beside another value
                    // of itself (unchanged and changed within one class).
                    let olds = if firsts.len() * firsts.len() > MAX_PAIRS {
                        capped[i] = true;
                        &firsts[..(MAX_PAIRS / firsts.len()).max(1)]
                    } else {
                        &firsts[..]
                    };
                    for n in &firsts {
                        for o in olds {
                            pairs.push((n.clone(), o.clone()));
                        }
                        pairs.push((n.clone(), n.clone()));
                    }
                    for (c, v) in &second {
                        pairs.push((firsts[*c].clone(), v.clone()));
                    }
                }
                // Absent-and-unchanged first: the smallest event.
                pairs.sort_by_key(|(n, o)| {
                    let cost = if by_changes {
                        // A changed field costs its `changes` entry too.
                        n.is_some() as u8 * (1 + o.is_none() as u8)
                    } else {
                        let changed = match (n, o) {
                            (Some(a), Some(b)) => !same_json(a, b),
                            (None, None) => false,
                            _ => true,
                        };
                        n.is_some() as u8 + o.is_some() as u8 + changed as u8
                    };
                    // A value in the new state before one only in the old.
                    ((base.is_none() as u8) * cost, base.is_none() && n.is_none())
                });
                dedup_pairs(pairs)
            })
            .collect();
        self.capped = capped;
        let outcomes: usize = (0..self.slots.len())
            .map(|slot| self.candidates[slot].len() * self.atoms_of(slot).len())
            .sum();
        self.work.set(self.work.get() + outcomes);
        if self.spent() {
            // Tabulating would itself pass the bound: every question is
            // undecided, and no search reads the (empty) tables.
            self.members = vec![Vec::new(); self.slots.len()];
            self.table = (0..self.slots.len())
                .map(|s| (self.atoms_of(s), Vec::new()))
                .collect();
            return;
        }
        self.tabulate();
    }

    /// The outcomes of `atom` over its slot's classes.
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn classes(&self, atom: usize) -> impl Iterator<Item = bool> + '_ {
        let (mine, rows) = &self.table[self.atoms[atom].1];
        let at = mine.iter().position(|a| *a == atom).unwrap_or(0);
        rows.iter().map(move |(_, o)| o[at])
    }

    /// The outcomes of two atoms of one slot, class by class.
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn pairs_of(&self, x: usize, y: usize) -> Vec<(bool, bool)> {
        self.classes(x).zip(self.classes(y)).collect()
    }

    /// The atoms reading `slot`.
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn atoms_of(&self, slot: usize) -> Vec<usize> {
        (0..self.atoms.len())
            .filter(|a| self.atoms[*a].1 == slot)
            .collect()
    }

    #[cfg_attr(hookmatch_package, optimize(size))]
    fn tabulate(&mut self) {
        self.members = Vec::with_capacity(self.slots.len());
        self.table = (0..self.slots.len())
            .map(|slot| {
                let mine = self.atoms_of(slot);
                let mut options: Vec<(usize, Vec<bool>)> = Vec::new();
                let mut members: Vec<Vec<usize>> = Vec::new();
                for (k, pair) in self.candidates[slot].iter().enumerate() {
                    let outcome: Vec<bool> = mine.iter().map(|a| self.outcome(*a, pair)).collect();
                    match options.iter().position(|(_, o)| *o == outcome) {
                        Some(i) => members[i].push(k),
                        None => {
                            options.push((k, outcome));
                            members.push(vec![k]);
                        }
                    }
                }
                self.members.push(members);
                (mine, options)
            })
            .collect();
    }

    #[cfg_attr(hookmatch_package, optimize(size))]
    fn read(&self, event: &Value, slot: usize) -> Pair {
        read_pair(self.shape, event, &self.slots[slot])
    }

    /// The outcome of `atom` when its slot holds `pair`.
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn outcome(&self, atom: usize, pair: &Pair) -> bool {
        self.outcome_of(atom, pair.0.as_ref(), pair.1.as_ref())
    }

    #[cfg_attr(hookmatch_package, optimize(size))]
    fn outcome_of(&self, atom: usize, new: Option<&Value>, old: Option<&Value>) -> bool {
        match &self.atoms[atom].0 {
            Atom::Gate(g) => {
                let value = match g.source {
                    GateSource::State(_) => new
                        .filter(|v| !v.is_null())
                        .or(old.filter(|v| !v.is_null())),
                    _ => new,
                };
                match &g.test {
                    GateTest::Fixed { passed, .. } => *passed,
                    GateTest::Equals(want) => value == Some(want),
                    GateTest::OneOf(list) => value.is_some_and(|v| list.contains(v)),
                }
            }
            Atom::Filter(f) => {
                if f.comparison == Comparison::Changed {
                    return eval::changed(old, new);
                }
                let actual = match f.state {
                    StateSel::New => new,
                    StateSel::Old => old,
                };
                actual.is_some_and(|v| eval::test(f.comparison, v, &f.value, &f.hint))
            }
        }
    }

    /// Search for an assignment satisfying `goal`, changing at most `budget`
    /// slots from their first candidate when `budget` is given; `accept`
    /// checks the built event (with the real evaluator).
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn search(
        &self,
        goal: &Node,
        budget: Option<usize>,
        base: Option<&Value>,
        accept: Option<&mut dyn FnMut(&Value) -> bool>,
    ) -> Search {
        // Only the slots the goal reads are searched; the others keep their
        // first candidate (absent, or the base's own value).
        let mut used = vec![false; self.atoms.len()];
        goal.atoms(&mut used);
        let order: Vec<usize> = (0..self.slots.len())
            .filter(|s| self.table[*s].0.iter().any(|a| used[*a]))
            .collect();
        let mut run = Run::new(self, &self.table, goal, order, base, accept);
        run.dfs(0, budget);
        let order = std::mem::take(&mut run.order);
        match run.found {
            // No candidate works, but a value the candidates miss might:
            // ask again with every outcome allowed on those slots.
            Search::Unsatisfiable if order.iter().any(|s| !self.exact(*s, &used)) => {
                self.relaxed(goal, &used, order)
            }
            found => found,
        }
    }

    /// The goal over a space where each slot that is not exact may give its
    /// used atoms any outcomes at all (a superset of what events can do):
    /// unsatisfiable there is unsatisfiable for every event; satisfiable
    /// there proves nothing. Slots with more than [`RELAXED_ATOMS`] used
    /// atoms are not relaxed: the answer is then unknown.
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn relaxed(&self, goal: &Node, used: &[bool], order: Vec<usize>) -> Search {
        // Only the searched slots are read: the others stay empty (a copy
        // of every table per question was most of a large lint's time).
        let mut table: Vec<SlotTable> = vec![(Vec::new(), Vec::new()); self.table.len()];
        for &slot in &order {
            if self.exact(slot, used) {
                table[slot] = self.table[slot].clone();
                continue;
            }
            let mine: Vec<usize> = self.table[slot]
                .0
                .iter()
                .copied()
                .filter(|a| used[*a])
                .collect();
            if mine.len() > RELAXED_ATOMS {
                return Search::Unknown;
            }
            let options = (0u32..1 << mine.len())
                .map(|mask| (0, (0..mine.len()).map(|i| mask & (1 << i) != 0).collect()))
                .collect();
            table[slot] = (mine, options);
        }
        let mut run = Run::new(self, &table, goal, order, None, None);
        run.dfs(0, None);
        match run.found {
            Search::Unsatisfiable => Search::Unsatisfiable,
            _ => Search::Unknown,
        }
    }

    /// Whether this space's work reached [`WORK_BOUND`].
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn spent(&self) -> bool {
        self.work.get() > WORK_BOUND
    }

    /// Whether the candidates of `slot` decide every question over the
    /// atoms marked in `used` (an unsatisfiable search over a slot that is
    /// not exact proves nothing).
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn exact(&self, slot: usize, used: &[bool]) -> bool {
        if self.capped[slot] {
            return false;
        }
        // A vendor whose old state is derived from a list of changes
        // (Kanboard) may also send an old value of its own (a task move's
        // `src_column_id`): the pairs model only "unchanged" and "changed",
        // so a filter reading the old value is not decided exactly.
        let reads_old_value = self.shape.changes.is_some()
            && self.table[slot].0.iter().any(|a| {
                used[*a]
                    && matches!(self.atoms[*a].0, Atom::Filter(f)
                        if f.state == StateSel::Old && f.comparison != Comparison::Changed)
            });
        if reads_old_value {
            return false;
        }
        let uses: Vec<values::Use<'p>> = self.table[slot]
            .0
            .iter()
            .filter(|a| used[**a])
            .flat_map(|a| self.uses[*a].iter().copied())
            .collect();
        values::exact(&uses, self.subsets[slot])
    }

    /// The event of one choice per slot, on `base` or on nothing.
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn build(&self, choice: &[usize], base: Option<&Value>) -> Value {
        let shape = self.shape;
        let mut event = base.cloned().unwrap_or_else(|| {
            crate::json::parser::value(shape.skeleton.as_bytes())
                .unwrap_or_else(|_| Value::Object(Map::new()))
        });
        if !event.is_object() {
            event = Value::Object(Map::new());
        }
        // What the vendor's events always carry, as an empty string when
        // nothing chose a value (a base event keeps what it has; `changes`
        // is written only when a field changed).
        for path in shape.required {
            if base.is_none()
                && !path.is_empty()
                && Some(*path) != shape.changes
                && read_path(&event, path).is_none()
            {
                write(&mut event, path, Some(Value::String(String::new())));
            }
        }
        for (slot, k) in choice.iter().enumerate() {
            let (new, old) = &self.candidates[slot][*k];
            match &self.slots[slot] {
                Slot::Root(path) => {
                    if !path.is_empty() {
                        write(&mut event, path, new.clone());
                    }
                }
                Slot::State(keys) => {
                    let new_path = locate(shape, &event, shape.new_state, keys);
                    let old_path = shape.old_state.map(|o| locate(shape, &event, o, keys));
                    write(&mut event, &new_path, new.clone());
                    if let Some(old_path) = old_path {
                        write(&mut event, &old_path, old.clone());
                    } else if let Some(changes) = shape.changes {
                        if new.is_some() && old.is_none() {
                            let mut path: Vec<String> =
                                changes.iter().map(|s| s.to_string()).collect();
                            path.extend(keys.iter().cloned());
                            write(&mut event, &path, new.clone());
                        }
                    }
                }
            }
        }
        // The vendor sends no old state for some events (a CREATE): a
        // built one carries none either (a base keeps what it has).
        if let (None, Some(old)) = (base, shape.old_state) {
            let empty = shape.empty_old_when.is_some_and(|(path, value)| {
                read_path(&event, path).and_then(Value::as_str) == Some(value)
            });
            if empty {
                write(&mut event, old, Some(Value::Object(Map::new())));
            } else {
                for key in shape.mirror {
                    let mut from: Vec<&str> = shape.new_state.to_vec();
                    from.push(key);
                    let mut to: Vec<&str> = old.to_vec();
                    to.push(key);
                    if read_path(&event, &to).is_none() {
                        let v = read_path(&event, &from).cloned();
                        if v.is_some() {
                            write(&mut event, &to, v);
                        }
                    }
                }
            }
        }
        // An integer beyond 2^53 that no double holds would change on its way
        // into JavaScript (`JSON.parse`): the event is checked, and
        // returned, as a JS caller will read it.
        as_doubles(&mut event);
        // States a vendor requires as objects exist even when empty.
        let mut ensure = |state: &[&str]| {
            if !state.is_empty() && read_path(&event, state).is_none() {
                write(&mut event, state, Some(Value::Object(Map::new())));
            }
        };
        ensure(shape.new_state);
        if let Some(old) = shape.old_state {
            ensure(old);
        }
        event
    }
}

/// What a search found.
#[derive(Debug)]
enum Search {
    Found(Value),
    /// No assignment of the candidate values satisfies the goal.
    Unsatisfiable,
    /// Undecided: an assignment satisfies it but its event did not check
    /// out, or no candidate does but the slots are not exact (and the
    /// relaxed search could not prove it), or the work bound was reached.
    /// Nothing is claimed.
    Unknown,
}

/// One search: the assignment so far, and the states known to fail.
struct Run<'s, 'p, 'a> {
    space: &'s Space<'p>,
    /// The slots' outcomes searched (the space's, or a relaxed copy).
    table: &'s [SlotTable],
    goal: &'s Node,
    /// The slots searched, in order.
    order: Vec<usize>,
    base: Option<&'s Value>,
    accept: Option<&'a mut dyn FnMut(&Value) -> bool>,
    atoms: Vec<Option<bool>>,
    choice: Vec<usize>,
    /// (next slot, budget left, the goal's residual) that cannot succeed:
    /// the rest of the search depends on nothing else, so a state met again
    /// is skipped (without this, unsatisfiable conjunctions over many
    /// fields take exponential time).
    failed: Memo,
    found: Search,
    steps: usize,
}

impl<'s, 'p, 'a> Run<'s, 'p, 'a> {
    /// A search of `goal` over `table` (the space's, or a relaxed copy),
    /// visiting the slots in `order`.
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn new(
        space: &'s Space<'p>,
        table: &'s [SlotTable],
        goal: &'s Node,
        order: Vec<usize>,
        base: Option<&'s Value>,
        accept: Option<&'a mut dyn FnMut(&Value) -> bool>,
    ) -> Self {
        Run {
            space,
            table,
            goal,
            order,
            base,
            accept,
            atoms: vec![None; space.atoms.len()],
            choice: vec![0; space.slots.len()],
            failed: Memo::default(),
            found: Search::Unsatisfiable,
            steps: 0,
        }
    }

    #[cfg_attr(hookmatch_package, optimize(size))]
    fn dfs(&mut self, pos: usize, budget: Option<usize>) -> bool {
        self.steps += 1;
        let work = self.space.work.get() + 1;
        self.space.work.set(work);
        // A bound on the work, far above what a spec of the documented
        // maximum size needs; reaching it claims nothing.
        if self.steps > 1_000_000 || work > WORK_BOUND {
            self.found = Search::Unknown;
            return true;
        }
        let now = eval3(self.goal, &self.atoms);
        if now == Some(false) {
            return false;
        }
        if pos == self.order.len() {
            if now != Some(true) {
                return false;
            }
            let Some(accept) = self.accept.as_mut() else {
                // A question about the plan alone: no event is needed.
                self.found = Search::Found(Value::Null);
                return true;
            };
            let event = self.space.build(&self.choice, self.base);
            if accept(&event) {
                self.found = Search::Found(event);
                return true;
            }
            // The same outcomes from another value of one slot: the event
            // may check out then (a few tries per slot).
            for &slot in &self.order {
                let kept = self.choice[slot];
                let Some(class) = self.space.members[slot].iter().find(|m| m.contains(&kept))
                else {
                    continue;
                };
                for &other in class.iter().filter(|k| **k != kept).take(REPAIRS) {
                    if self.base.is_some() && (other > 0) != (kept > 0) {
                        continue;
                    }
                    self.choice[slot] = other;
                    let event = self.space.build(&self.choice, self.base);
                    if accept(&event) {
                        self.found = Search::Found(event);
                        return true;
                    }
                }
                self.choice[slot] = kept;
            }
            // Several slots left out what the vendor requires (an Asana
            // event with neither action nor resource_type): give each absent
            // value a present one of the same outcomes, all at once.
            let kept = self.choice.clone();
            for &slot in &self.order {
                let k = self.choice[slot];
                if self.space.candidates[slot][k].0.is_some() || (self.base.is_some() && k == 0) {
                    continue;
                }
                let class = self.space.members[slot].iter().find(|m| m.contains(&k));
                if let Some(&other) = class
                    .into_iter()
                    .flatten()
                    .find(|o| self.space.candidates[slot][**o].0.is_some())
                {
                    self.choice[slot] = other;
                }
            }
            if self.choice != kept {
                let event = self.space.build(&self.choice, self.base);
                if accept(&event) {
                    self.found = Search::Found(event);
                    return true;
                }
                self.choice = kept;
            }
            // Satisfiable over the candidates, but the built event did not
            // check out: claim nothing.
            self.found = Search::Unknown;
            return false;
        }
        let key = residual_hash(self.goal, &self.atoms, (pos, budget));
        if self.failed.contains(&key) {
            return false;
        }
        let slot = self.order[pos];
        let table = &self.table[slot];
        let options = &table.1;
        for (k, outcome) in options {
            let k = *k;
            let changed = k > 0 && self.base.is_some();
            let left = match budget {
                Some(0) if changed => continue,
                Some(b) if changed => Some(b - 1),
                other => other,
            };
            // Setting the slot's atoms is the work of a step.
            self.space.work.set(self.space.work.get() + table.0.len());
            for (a, o) in table.0.iter().zip(outcome) {
                self.atoms[*a] = Some(*o);
            }
            self.choice[slot] = k;
            if self.dfs(pos + 1, left) {
                return true;
            }
        }
        for a in &table.0 {
            self.atoms[*a] = None;
        }
        self.failed.insert(key);
        false
    }
}

/// Three-valued: `None` while an atom it needs is undecided.
#[cfg_attr(hookmatch_package, optimize(size))]
fn eval3(node: &Node, atoms: &[Option<bool>]) -> Option<bool> {
    match node {
        Node::Const(b) => Some(*b),
        Node::Atom(i) => atoms[*i],
        Node::Not(n) => eval3(n, atoms).map(|b| !b),
        Node::And(list) | Node::Or(list) => {
            let and = matches!(node, Node::And(_));
            let mut open = false;
            for n in list {
                match eval3(n, atoms) {
                    Some(b) if b != and => return Some(b),
                    Some(_) => {}
                    None => open = true,
                }
            }
            (!open).then_some(and)
        }
    }
}

/// A 128-bit fingerprint of what is left of the goal (decided nodes
/// folded in, a node with one open child taken as that child): the memo's
/// key, equal for two states whose futures are the same.
#[cfg_attr(hookmatch_package, optimize(size))]
fn residual_hash(node: &Node, atoms: &[Option<bool>], at: (usize, Option<usize>)) -> u128 {
    use std::hash::{Hash, Hasher};
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn walk(node: &Node, atoms: &[Option<bool>], h: &mut impl Hasher) {
        if let Some(b) = eval3(node, atoms) {
            (0u8, b).hash(h);
            return;
        }
        match node {
            Node::Atom(i) => (1u8, *i).hash(h),
            Node::Not(n) => {
                2u8.hash(h);
                walk(n, atoms, h);
            }
            Node::And(list) | Node::Or(list) => {
                let open: Vec<&Node> = list.iter().filter(|n| eval3(n, atoms).is_none()).collect();
                if let [only] = open.as_slice() {
                    // A node with one open child is that child.
                    walk(only, atoms, h);
                    return;
                }
                (3u8, matches!(node, Node::And(_)), open.len()).hash(h);
                for n in open {
                    walk(n, atoms, h);
                }
            }
            Node::Const(_) => {}
        }
    }
    use std::hash::BuildHasher;
    let mut a = foldhash::quality::FixedState::with_seed(0x2545_f491_4f6c_dd1d).build_hasher();
    let mut b = foldhash::quality::FixedState::with_seed(0x9e37_79b9_7f4a_7c15).build_hasher();
    at.hash(&mut a);
    walk(node, atoms, &mut a);
    at.hash(&mut b);
    walk(node, atoms, &mut b);
    (u128::from(a.finish()) << 64) | u128::from(b.finish())
}

#[cfg_attr(hookmatch_package, optimize(size))]
fn filter_slot(f: &Filter) -> Slot {
    match &f.field {
        FieldRef::Name => Slot::State(vec![f.field_name.clone()]),
        FieldRef::Pointer(tokens) => Slot::State(tokens.clone()),
    }
}

/// Values are deduplicated once per slot ([`dedup_values`]), not per push.
fn push(list: &mut Vec<Value>, v: Value) {
    list.push(v);
}

/// The first of each distinct JSON text, in order (50 and "50" differ).
#[cfg_attr(hookmatch_package, optimize(size))]
fn dedup_values(list: &mut Vec<Value>) {
    let mut seen: Vec<String> = Vec::with_capacity(list.len());
    list.retain(|v| first_time(&mut seen, crate::json::text(v)));
}

/// Whether `key` is new to the sorted `seen` (then it is added).
#[cfg_attr(hookmatch_package, optimize(size))]
fn first_time(seen: &mut Vec<String>, key: String) -> bool {
    match seen.binary_search(&key) {
        Ok(_) => false,
        Err(at) => {
            seen.insert(at, key);
            true
        }
    }
}

#[cfg_attr(hookmatch_package, optimize(size))]
fn dedup_pairs(pairs: Vec<Pair>) -> Vec<Pair> {
    let text = |v: &Option<Value>| {
        v.as_ref()
            .map_or_else(String::new, |v| format!("={}", crate::json::text(v)))
    };
    let mut seen: Vec<String> = Vec::with_capacity(pairs.len());
    pairs
        .into_iter()
        .filter(|(n, o)| first_time(&mut seen, format!("{}\u{0}{}", text(n), text(o))))
        .collect()
}

/// The values where comparisons with `v` change their answer.
#[cfg_attr(hookmatch_package, optimize(size))]
fn neighbours(v: &Value, list: &mut Vec<Value>) {
    // An array's elements first (a list-valued filter such as Asana's
    // `fields` admits one of them), then the array itself.
    if !v.is_array() {
        push(list, v.clone());
    }
    match v {
        Value::Array(items) => {
            for item in items {
                neighbours(item, list);
            }
            push(list, v.clone());
            push(list, Value::Array(Vec::new()));
            for item in items {
                push(list, Value::Array(vec![item.clone()]));
            }
            let mut more = items.clone();
            more.push("hookmatch".into());
            push(list, Value::Array(more));
        }
        Value::Number(n) => {
            if let Some(x) = n.as_f64() {
                numbers(x, list);
            }
        }
        Value::String(s) => {
            // Plain neighbours first: examples read like real events.
            if let Some(x) = parse_number(s) {
                numbers(x, list);
            }
            push(list, format!("{s}~").into());
            push(list, format!("!{s}").into());
            push(list, String::new().into());
            push(list, format!("~{s}").into());
            push(list, format!("~{s}~").into());
            push(list, Value::Array(vec![v.clone()]));
        }
        _ => {}
    }
}

/// Integers that no double holds exactly become the integer JavaScript
/// reads back for them (the nearest double, written as an integer).
#[cfg_attr(hookmatch_package, optimize(size))]
fn as_doubles(v: &mut Value) {
    match v {
        Value::Number(n) => {
            let exact = match (n.as_i64(), n.as_u64(), n.as_f64()) {
                (Some(i), _, Some(x)) => x as i64 == i && (x as i128) == i128::from(i),
                (_, Some(u), Some(x)) => x as u64 == u && (x as i128) == i128::from(u),
                // A whole double below 1e21 is written as integer digits too.
                (None, None, Some(x)) => x.fract() != 0.0 || x.abs() >= 1.8e19,
                _ => true,
            };
            if !exact {
                // JSON.stringify writes that double as integer text, which
                // reads back as an integer.
                if let Some(x) = n.as_f64() {
                    let as_int = if x.abs() < 9.2e18 {
                        Some(serde_json::Number::from(x as i64))
                    } else if (0.0..1.8e19).contains(&x) {
                        Some(serde_json::Number::from(x as u64))
                    } else {
                        serde_json::Number::from_f64(x)
                    };
                    if let Some(x) = as_int {
                        *n = x;
                    }
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(as_doubles),
        Value::Object(m) => m.values_mut().for_each(as_doubles),
        _ => {}
    }
}

#[cfg_attr(hookmatch_package, optimize(size))]
fn read_path<'v, S: AsRef<str>>(v: &'v Value, path: &[S]) -> Option<&'v Value> {
    let mut at = v;
    for key in path {
        at = match at {
            Value::Object(m) => m.get(key.as_ref())?,
            Value::Array(a) => a.get(key.as_ref().parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(at)
}

#[cfg_attr(hookmatch_package, optimize(size))]
fn read_pair(shape: &EventShape, event: &Value, slot: &Slot) -> Pair {
    match slot {
        Slot::Root(path) => (read_path(event, path).cloned(), None),
        Slot::State(keys) => {
            let at = |state: &[&str]| locate(shape, event, state, keys);
            let new = read_path(event, &at(shape.new_state)).cloned();
            let old = if let Some(old) = shape.old_state {
                read_path(event, &at(old)).cloned()
            } else if let Some(changes) = shape.changes {
                let mut path: Vec<String> = changes.iter().map(|s| s.to_string()).collect();
                path.extend(keys.iter().cloned());
                if read_path(event, &path).is_some() {
                    None
                } else {
                    new.clone()
                }
            } else {
                None
            };
            (new, old)
        }
    }
}

/// Where a state's field is in `event`: its key, else (a plain name) that
/// key in the first of the vendor's containers that holds it, as the
/// evaluator looks it up.
#[cfg_attr(hookmatch_package, optimize(size))]
fn locate(shape: &EventShape, event: &Value, state: &[&str], keys: &[String]) -> Vec<String> {
    let mut path: Vec<String> = state.iter().map(|s| s.to_string()).collect();
    if let [key] = keys {
        let mut direct = path.clone();
        direct.push(key.clone());
        if read_path(event, &direct).is_none() {
            let inside = shape.containers.iter().find(|c| {
                let mut p = path.clone();
                p.extend([c.to_string(), key.clone()]);
                read_path(event, &p).is_some()
            });
            if let Some(c) = inside {
                path.push(c.to_string());
            }
        }
    }
    path.extend(keys.iter().cloned());
    path
}

/// Set (or, with `None`, remove) the value at `path`, making objects on the way.
#[cfg_attr(hookmatch_package, optimize(size))]
fn write<S: AsRef<str>>(event: &mut Value, path: &[S], value: Option<Value>) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut at = event;
    for key in parents {
        if !at.is_object() {
            *at = Value::Object(Map::new());
        }
        let Value::Object(m) = at else { return };
        at = m
            .entry(key.as_ref().to_string())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if !at.is_object() {
        *at = Value::Object(Map::new());
    }
    if let Value::Object(m) = at {
        match value {
            Some(v) => {
                m.insert(last.as_ref().to_string(), v);
            }
            None => {
                m.shift_remove(last.as_ref());
            }
        }
    }
}

/// Where each filter of a plan is in its spec: `/filters/i`, or
/// `/filters/i/filters/j` when the spec writes the entry as a group.
#[cfg_attr(hookmatch_package, optimize(size))]
pub(crate) fn filter_paths(plan: &Plan, spec: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for (i, entry) in plan.entries.iter().enumerate() {
        match entry {
            Entry::Filter(_) => out.push(format!("/filters/{i}")),
            Entry::Group(g) => {
                let nested = spec
                    .get("filters")
                    .and_then(|f| f.get(i))
                    .and_then(|e| e.get("filters"))
                    .is_some_and(Value::is_array);
                for j in 0..g.filters.len() {
                    out.push(if nested {
                        format!("/filters/{i}/filters/{j}")
                    } else {
                        format!("/filters/{i}")
                    });
                }
            }
        }
    }
    out
}

#[cfg_attr(hookmatch_package, optimize(size))]
fn describe(f: &Filter) -> String {
    let state = if f.state_given || f.state == StateSel::Old {
        format!(" in {}", f.state.name())
    } else {
        String::new()
    };
    if f.comparison == Comparison::Changed {
        return format!("{} changed", f.field_name);
    }
    format!(
        "{}{state} {} {}",
        f.field_name,
        f.comparison.name(),
        crate::json::text(&f.value)
    )
}

#[cfg_attr(hookmatch_package, optimize(size))]
fn describe_gate(g: &GateCheck) -> String {
    match &g.test {
        GateTest::Equals(v) => format!("the subscription's {} {}", g.field, crate::json::text(v)),
        GateTest::OneOf(vs) => format!(
            "the subscription's {} (one of {})",
            g.field,
            crate::json::text(&Value::Array(vs.clone()))
        ),
        GateTest::Fixed { reason, .. } => reason.clone(),
    }
}

/// The analysis findings of one compiled plan (`lint` adds them to
/// `validate`'s diagnostics). `verify` is the subscription's `matches`.
#[cfg_attr(hookmatch_package, optimize(size))]
pub(crate) fn lint(
    plan: &Plan,
    shape: &'static EventShape,
    spec: &Value,
    verify: &mut dyn FnMut(&Value) -> bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut space = Space::new(shape);
    let tree = space.add(plan);
    space.finish(None);
    let filters: Vec<&Filter> = plan.filters().collect();
    let paths = filter_paths(plan, spec);
    if space.spent() {
        // Building the candidates alone used the bound: nothing is decided.
        out.push(incomplete(&space, plan, &paths));
        return out;
    }

    // Questions the search could not decide: reported once, at the end.
    let undecided = std::cell::Cell::new(false);
    match space.search(&tree.root, None, None, Some(verify)) {
        Search::Found(_) => {}
        // Undecided as a whole, a part of it may still be proven to
        // conflict (two exact filters beside one the search cannot decide).
        _ => match never_matches(&space, &tree, plan, &filters, &paths) {
            Some(d) => out.push(d),
            None => undecided.set(true),
        },
    }

    // Every question below is asked of events that pass the gate: a
    // filter on `objCode` of a TASK subscription decides nothing either.
    let gate: Vec<Node> = tree.gate.iter().map(|a| Node::Atom(*a)).collect();
    // Whether some event passes the gate and `extra`; an undecided
    // question counts as "some event may": no claim is made from it.
    let sat = |extra: Vec<Node>| {
        let mut all = gate.clone();
        all.extend(extra);
        match space.search(&Node::And(all), None, None, None) {
            Search::Unsatisfiable => false,
            Search::Unknown => {
                undecided.set(true);
                true
            }
            Search::Found(_) => true,
        }
    };
    let not = |n: &Node| Node::Not(Box::new(n.clone()));
    // No event passes the gate (an inactive webhook, a config that is not
    // valid): never_matches says so, and every finding about the filters
    // would hold only vacuously.
    if !sat(Vec::new()) {
        if undecided.get() {
            out.push(incomplete(&space, plan, &paths));
        }
        return out;
    }

    // A filter on a slot no gate check reads, and whose candidates are
    // exact, is decided by its slot alone: its questions are answered from
    // the slot's classes, without a search.
    let gated: Vec<bool> = (0..space.slots.len())
        .map(|slot| tree.gate.iter().any(|g| space.atoms[*g].1 == slot))
        .collect();
    let lone = |n: &Node| match n {
        Node::Atom(a) if !gated[space.atoms[*a].1] => {
            let mut used = vec![false; space.atoms.len()];
            used[*a] = true;
            if space.exact(space.atoms[*a].1, &used) {
                Some(*a)
            } else {
                undecided.set(true);
                None
            }
        }
        _ => None,
    };

    // The lists a connector joins: the top level, then each group. An item
    // is (its node, its path, its spec text, a description).
    struct Item {
        node: Node,
        path: String,
        json: Option<Value>,
        text: String,
    }
    let spec_at = |path: &str| spec.pointer(path).cloned();
    let mut lists: Vec<(Connector, Vec<Item>)> = Vec::new();
    let mut top = Vec::new();
    let mut k = 0;
    for (i, entry) in plan.entries.iter().enumerate() {
        match entry {
            Entry::Filter(f) => {
                top.push(Item {
                    node: tree.entries[i].clone(),
                    path: paths[k].clone(),
                    json: spec_at(&paths[k]),
                    text: describe(f),
                });
            }
            Entry::Group(g) => {
                let path = format!("/filters/{i}");
                // A group written as one spec object (Asana's filter) is
                // named by its text and has no filters of its own to compare.
                // (A filter with no known key, Asana's `{}`, is an empty
                // group and has no path of its own in `paths`.)
                let one_object = g.filters.is_empty() || paths.get(k) == Some(&path);
                let json = spec_at(&path);
                let text = match (&json, one_object) {
                    (Some(j), true) => format!("the filter {j}"),
                    _ => format!("the {} group", g.connector.name()),
                };
                top.push(Item {
                    node: tree.entries[i].clone(),
                    path: path.clone(),
                    json,
                    text,
                });
                if !one_object {
                    let items = g
                        .filters
                        .iter()
                        .enumerate()
                        .map(|(j, f)| Item {
                            node: Node::Atom(tree.filters[k + j]),
                            path: paths[k + j].clone(),
                            json: spec_at(&paths[k + j]),
                            text: describe(f),
                        })
                        .collect();
                    lists.push((g.connector, items));
                }
            }
        }
        k += entry.len();
    }
    lists.insert(0, (plan.connector, top));

    // The filters together pass every event the gate lets through.
    let body = combine(plan.connector, tree.entries.clone());
    let body_always = !plan.entries.is_empty() && !sat(vec![not(&body)]);

    for (n, (connector, items)) in lists.iter().enumerate() {
        let always: Vec<bool> = items
            .iter()
            .map(|it| match lone(&it.node) {
                Some(a) => space.classes(a).all(|o| o),
                None => !sat(vec![not(&it.node)]),
            })
            .collect();
        // Under AND an item no event passes makes the whole subscription
        // never fire (never_matches says so); under OR it is dead weight.
        let never: Vec<bool> = items
            .iter()
            .map(|it| {
                *connector == Connector::Or
                    && match lone(&it.node) {
                        Some(a) => !space.classes(a).any(|o| o),
                        None => !sat(vec![it.node.clone()]),
                    }
            })
            .collect();
        // The slots each item reads: items reading disjoint slots cannot
        // imply each other (unless one always or never passes, excluded).
        let reads: Vec<Vec<bool>> = items
            .iter()
            .map(|it| {
                let mut used = vec![false; space.atoms.len()];
                it.node.atoms(&mut used);
                let mut slots = vec![false; space.slots.len()];
                for (a, u) in used.iter().enumerate() {
                    if *u {
                        slots[space.atoms[a].1] = true;
                    }
                }
                slots
            })
            .collect();
        if n == 0 && body_always && !always.iter().any(|a| *a) {
            out.push(Diagnostic::warning(
                Code::AlwaysPasses,
                "/filters",
                format!(
                    "the filters joined by {} pass every event the subscription receives: together they decide nothing",
                    connector.name()
                ),
            ));
        }
        for (it, a) in items.iter().zip(&always) {
            if *a {
                out.push(Diagnostic::warning(
                    Code::AlwaysPasses,
                    it.path.clone(),
                    format!(
                        "every event the subscription receives passes {} ({}): it decides nothing",
                        it.text, it.path
                    ),
                ));
            }
        }
        let mut reported = vec![false; items.len()];
        for (i, it) in items.iter().enumerate() {
            if always[i] {
                continue;
            }
            if never[i] && *connector == Connector::Or && items.len() > 1 {
                // (Under AND the whole subscription never fires: never_matches.)
                reported[i] = true;
                out.push(Diagnostic::warning(
                    Code::RedundantFilter,
                    it.path.clone(),
                    format!(
                        "no event passes {} ({}), so under OR it adds nothing",
                        it.text, it.path
                    ),
                ));
            }
        }
        for j in 0..items.len() {
            if space.spent() {
                // Past the bound every question is undecided: stop asking.
                undecided.set(true);
                break;
            }
            for i in 0..j {
                if reported[i] || reported[j] || always[i] || always[j] || never[i] || never[j] {
                    continue;
                }
                let (a, b) = (&items[i], &items[j]);
                if a.json.is_some() && a.json == b.json {
                    reported[j] = true;
                    out.push(Diagnostic::warning(
                        Code::DuplicateFilter,
                        b.path.clone(),
                        format!("{} is written twice (see {})", b.text, a.path),
                    ));
                    continue;
                }
                if !reads[i].iter().zip(&reads[j]).any(|(x, y)| *x && *y) {
                    continue;
                }
                let (i_j, j_i) = match (lone(&a.node), lone(&b.node)) {
                    // Two filters of one slot no gate reads: compare their
                    // outcomes on each class of the slot.
                    (Some(x), Some(y))
                        if space.atoms[x].1 == space.atoms[y].1 && {
                            let mut used = vec![false; space.atoms.len()];
                            used[x] = true;
                            used[y] = true;
                            space.exact(space.atoms[x].1, &used)
                        } =>
                    {
                        let rows = space.pairs_of(x, y);
                        (
                            rows.iter().all(|(p, q)| !p || *q),
                            rows.iter().all(|(p, q)| !q || *p),
                        )
                    }
                    _ => (
                        !sat(vec![a.node.clone(), not(&b.node)]),
                        !sat(vec![b.node.clone(), not(&a.node)]),
                    ),
                };
                // AND: the implied one adds nothing; OR: the implying one.
                let (r, by) = match (connector, i_j, j_i) {
                    (_, true, true) => (j, i),
                    (Connector::And, true, false) | (Connector::Or, false, true) => (j, i),
                    (Connector::And, false, true) | (Connector::Or, true, false) => (i, j),
                    _ => continue,
                };
                reported[r] = true;
                let (red, other) = (&items[r], &items[by]);
                let why = match (i_j && j_i, connector) {
                    (true, _) => format!(
                        "it passes exactly the events {} ({}) passes",
                        other.text, other.path
                    ),
                    (false, Connector::And) => format!(
                        "every event that passes {} ({}) passes it",
                        other.text, other.path
                    ),
                    (false, Connector::Or) => format!(
                        "every event that passes it passes {} ({})",
                        other.text, other.path
                    ),
                };
                out.push(Diagnostic::warning(
                    Code::RedundantFilter,
                    red.path.clone(),
                    format!(
                        "{} ({}) is redundant under {}: {why}",
                        red.text,
                        red.path,
                        connector.name()
                    ),
                ));
            }
        }
    }
    if undecided.get() {
        out.push(incomplete(&space, plan, &paths));
    }
    out
}

/// `analysis_incomplete`: which filters the analysis could not decide
/// exactly (their comparisons are outside the fragments `values::exact`
/// proves, or the work bound was reached), so findings may be missing.
#[cfg_attr(hookmatch_package, optimize(size))]
fn incomplete(space: &Space<'_>, plan: &Plan, paths: &[String]) -> Diagnostic {
    let open: Vec<String> = plan
        .filters()
        .zip(paths)
        .filter(|(f, _)| {
            space.atoms.iter().any(|(atom, slot)| {
                matches!(atom, Atom::Filter(g) if std::ptr::eq(*g, *f))
                    && !space.exact(*slot, &vec![true; space.atoms.len()])
            })
        })
        .map(|(f, path)| format!("{} ({path})", describe(f)))
        .collect();
    let message = if open.is_empty() {
        "the analysis reached its work bound before deciding every question about this subscription: findings may be missing, none is false".to_string()
    } else {
        format!(
            "the analysis cannot decide every question about {}: findings about them may be missing, none is false",
            open.join(", ")
        )
    };
    Diagnostic::warning(Code::AnalysisIncomplete, "", message)
}

/// `never_matches`, naming a smallest set of checks that cannot pass
/// together; `None` when no such set is proven.
#[cfg_attr(hookmatch_package, optimize(size))]
fn never_matches(
    space: &Space<'_>,
    tree: &Tree,
    plan: &Plan,
    filters: &[&Filter],
    paths: &[String],
) -> Option<Diagnostic> {
    // Deletion: drop each gate check or top-level entry whose absence keeps
    // the rest unsatisfiable (under OR, every entry fails on its own).
    let unsat = |gate: &[usize], entries: &[usize]| {
        let mut all: Vec<Node> = gate.iter().map(|a| Node::Atom(tree.gate[*a])).collect();
        let nodes: Vec<Node> = entries.iter().map(|e| tree.entries[*e].clone()).collect();
        all.push(if nodes.is_empty() {
            Node::Const(true)
        } else {
            combine(plan.connector, nodes)
        });
        matches!(
            space.search(&Node::And(all), None, None, None),
            Search::Unsatisfiable
        )
    };
    let mut gate: Vec<usize> = (0..tree.gate.len()).collect();
    let mut entries: Vec<usize> = (0..tree.entries.len()).collect();
    if plan.connector == Connector::And {
        shrink(&mut entries, |fewer| unsat(&gate, fewer));
    }
    shrink(&mut gate, |fewer| unsat(fewer, &entries));
    if !unsat(&gate, &entries) {
        return None;
    }
    // Entry index → its first filter's position in `filters`.
    let first: Vec<usize> = plan
        .entries
        .iter()
        .scan(0, |k, e| {
            let at = *k;
            *k += e.len();
            Some(at)
        })
        .collect();
    let entry_path = |e: usize| match &plan.entries[e] {
        Entry::Filter(_) => paths[first[e]].clone(),
        Entry::Group(_) => format!("/filters/{e}"),
    };
    let entry_text = |e: usize| match &plan.entries[e] {
        Entry::Filter(_) => format!("{} ({})", describe(filters[first[e]]), entry_path(e)),
        Entry::Group(g) => format!("the {} group at {}", g.connector.name(), entry_path(e)),
    };
    let mut parts: Vec<String> = gate.iter().map(|g| describe_gate(&plan.gate[*g])).collect();
    let (path, message) = match (plan.connector, entries.as_slice()) {
        (_, []) => (
            String::new(),
            format!(
                "no event can fire this subscription: {}",
                parts.join(" and ")
            ),
        ),
        (Connector::And, [only]) if parts.is_empty() => (
            entry_path(*only),
            format!("no event can pass {}", entry_text(*only)),
        ),
        (Connector::And, list) => {
            let last = *list.last().unwrap_or(&0);
            parts.extend(list[..list.len() - 1].iter().map(|e| entry_text(*e)));
            (
                entry_path(last),
                format!(
                    "no event can pass {} together with {}",
                    entry_text(last),
                    parts.join(" and ")
                ),
            )
        }
        (Connector::Or, list) => {
            let listed: Vec<String> = list.iter().map(|e| entry_text(*e)).collect();
            let also = if parts.is_empty() {
                String::new()
            } else {
                format!(" with {}", parts.join(" and "))
            };
            (
                "/filters".to_string(),
                format!("no event can pass any of {}{also}", listed.join(", ")),
            )
        }
    };
    Some(Diagnostic::warning(Code::NeverMatches, path, message))
}

/// Drop each element of `list` whose absence keeps `still` true (deletion
/// to a minimal list, in one pass).
#[cfg_attr(hookmatch_package, optimize(size))]
fn shrink(list: &mut Vec<usize>, mut still: impl FnMut(&[usize]) -> bool) {
    let mut i = 0;
    while i < list.len() {
        let mut fewer = list.clone();
        fewer.remove(i);
        if still(&fewer) {
            *list = fewer;
        } else {
            i += 1;
        }
    }
}

/// Which filter `fail` names: a top-level index, or a JSON Pointer
/// `/filters/i` or `/filters/i/filters/j`. The position in [`Plan::filters`],
/// or the entry (a whole group).
#[derive(Clone, Copy)]
pub(crate) enum Target {
    Filter(usize),
    Entry(usize),
}

impl Target {
    /// The explanation check it is: the entry's index, and the index inside
    /// its group for a filter of a group.
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub(crate) fn location(&self, plan: &Plan) -> (usize, Option<usize>) {
        match *self {
            Target::Entry(e) => (e, None),
            Target::Filter(k) => {
                let mut first = 0;
                for (e, entry) in plan.entries.iter().enumerate() {
                    if k < first + entry.len() {
                        return match entry {
                            Entry::Filter(_) => (e, None),
                            Entry::Group(_) => (e, Some(k - first)),
                        };
                    }
                    first += entry.len();
                }
                (plan.entries.len(), None)
            }
        }
    }
}

#[cfg_attr(hookmatch_package, optimize(size))]
pub(crate) fn target(plan: &Plan, spec: &Value, fail: &Value) -> Option<Target> {
    let first = |e: usize| plan.entries[..e].iter().map(Entry::len).sum::<usize>();
    let entry = |e: usize| -> Option<Target> {
        match plan.entries.get(e)? {
            Entry::Filter(_) => Some(Target::Filter(first(e))),
            Entry::Group(_) => Some(Target::Entry(e)),
        }
    };
    if let Some(i) = fail.as_u64() {
        return entry(usize::try_from(i).ok()?);
    }
    let pointer = fail.as_str()?;
    let paths = filter_paths(plan, spec);
    if let Some(k) = paths.iter().position(|p| p == pointer) {
        // A group written as one spec object (Asana) is the entry.
        if paths.iter().filter(|p| *p == pointer).count() > 1 {
            let e = pointer.strip_prefix("/filters/")?.parse::<usize>().ok()?;
            return entry(e);
        }
        return Some(Target::Filter(k));
    }
    let e = pointer.strip_prefix("/filters/")?.parse::<usize>().ok()?;
    if format!("/filters/{e}") == pointer {
        return entry(e);
    }
    None
}

/// `sub.example`: the smallest event that fires (`fail`: that fails the
/// target and passes the gate and, where possible, every other filter;
/// `base`: the fewest changed slots of `base`).
#[cfg_attr(hookmatch_package, optimize(size))]
pub(crate) fn example(
    plan: &Plan,
    shape: &'static EventShape,
    fail: Option<Target>,
    base: Option<&Value>,
    verify: &mut dyn FnMut(&Value) -> bool,
) -> Option<Value> {
    if let Some(e) = example_near(plan, shape, fail, base, verify) {
        return Some(e);
    }
    let b = base?;
    // An envelope as the base (an Asana delivery body): its first event.
    let first = shape
        .envelope
        .and_then(|k| b.get(k)?.as_array()?.first())
        .filter(|e| e.is_object());
    if let Some(e) = first.and_then(|f| example_near(plan, shape, fail, Some(f), verify)) {
        return Some(e);
    }
    // No event near the base checked out (its fields sit where the vendor
    // reads none): an event that qualifies is still the answer, not null.
    example_near(plan, shape, fail, None, verify)
}

/// [`example`] on one base (or none).
#[cfg_attr(hookmatch_package, optimize(size))]
fn example_near(
    plan: &Plan,
    shape: &'static EventShape,
    fail: Option<Target>,
    base: Option<&Value>,
    verify: &mut dyn FnMut(&Value) -> bool,
) -> Option<Value> {
    let mut space = Space::new(shape);
    let tree = space.add(plan);
    space.finish(base);
    let fail_given = fail.is_some();
    let goals: Vec<Node> = match fail {
        None => vec![tree.root.clone()],
        Some(target) => {
            // The other checks, as far as the connectors let them pass
            // beside a failing target: every other entry, and in the
            // target's own group its siblings joined by the group's
            // connector (an OR group can still pass through a sibling).
            let (failing, others): (Node, Vec<Node>) = match target {
                Target::Filter(k) => {
                    let (entry, inner) = target.location(plan);
                    let mut others: Vec<Node> = tree
                        .entries
                        .iter()
                        .enumerate()
                        .filter(|(j, _)| *j != entry)
                        .map(|(_, n)| n.clone())
                        .collect();
                    if let (Some(inner), Some(Entry::Group(g))) = (inner, plan.entries.get(entry)) {
                        let first = k - inner;
                        let siblings: Vec<Node> = (first..first + g.filters.len())
                            .filter(|j| *j != k)
                            .map(|j| Node::Atom(tree.filters[j]))
                            .collect();
                        if !siblings.is_empty() {
                            others.push(combine(g.connector, siblings));
                        }
                    }
                    (Node::Atom(tree.filters[k]), others)
                }
                Target::Entry(e) => (
                    tree.entries[e].clone(),
                    tree.entries
                        .iter()
                        .enumerate()
                        .filter(|(j, _)| *j != e)
                        .map(|(_, n)| n.clone())
                        .collect(),
                ),
            };
            let gate: Vec<Node> = tree.gate.iter().map(|a| Node::Atom(*a)).collect();
            let mut strict = gate.clone();
            strict.push(Node::Not(Box::new(failing.clone())));
            let loose = Node::And(strict.clone());
            strict.extend(others);
            vec![Node::And(strict), loose]
        }
    };
    // A base that already qualifies comes back as given (§ "example" in
    // docs/analysis.md): the first goal holds on its own values.
    // Without `fail` the goal is the subscription itself, which `verify`
    // answers; with it, the other filters are read as the analysis reads
    // events.
    if let Some(b) = base {
        let rest_pass = fail_given.then(|| {
            let atoms: Vec<Option<bool>> = (0..space.atoms.len())
                .map(|a| Some(space.outcome(a, &space.read(b, space.atoms[a].1))))
                .collect();
            eval3(&goals[0], &atoms) == Some(true)
        });
        if rest_pass != Some(false) && verify(b) {
            return Some(b.clone());
        }
    }
    for goal in &goals {
        let budgets: Vec<Option<usize>> = if base.is_some() {
            (0..=space.slots.len()).map(Some).collect()
        } else {
            vec![None]
        };
        let mut undecided = false;
        for budget in budgets {
            match space.search(goal, budget, base, Some(verify)) {
                Search::Found(event) => return Some(event),
                Search::Unknown => undecided = true,
                Search::Unsatisfiable => {}
            }
        }
        // An event that fails the filter and passes the rest may exist:
        // answering with one that fails more would claim it does not.
        if undecided {
            return None;
        }
    }
    None
}

/// `diff`: events `after` fires for and `before` does not, and the reverse,
/// and the relation those searches prove ("unknown" where one that the
/// relation rests on was undecided).
pub(crate) struct DiffSearch {
    pub gained: Option<Value>,
    pub lost: Option<Value>,
    pub relation: &'static str,
}

#[cfg_attr(hookmatch_package, optimize(size))]
pub(crate) fn diff(
    before: &Plan,
    after: &Plan,
    shape: &'static EventShape,
    verify: &mut dyn FnMut(&Value) -> (bool, bool),
) -> DiffSearch {
    let mut space = Space::new(shape);
    let a = space.add(before);
    let b = space.add(after);
    space.finish(None);
    let not = |n: &Node| Node::Not(Box::new(n.clone()));
    let mut find = |goal: Node, want: (bool, bool)| {
        space.search(&goal, None, None, Some(&mut |e| verify(e) == want))
    };
    let gained = find(Node::And(vec![not(&a.root), b.root.clone()]), (false, true));
    let lost = find(Node::And(vec![a.root.clone(), not(&b.root)]), (true, false));
    let both = find(
        Node::And(vec![a.root.clone(), b.root.clone()]),
        (true, true),
    );
    use Search::{Found, Unsatisfiable as Unsat};
    let relation = match (&gained, &lost, &both) {
        (Unsat, Unsat, _) => "equivalent",
        (Unsat, Found(_), _) => "narrower",
        (Found(_), Unsat, _) => "wider",
        (Found(_), Found(_), Found(_)) => "overlapping",
        (Found(_), Found(_), Unsat) => "disjoint",
        _ => "unknown",
    };
    let witness = |s: Search| match s {
        Found(e) => Some(e),
        _ => None,
    };
    DiffSearch {
        gained: witness(gained),
        lost: witness(lost),
        relation,
    }
}

/// Whether some event fires both plans (a set's overlapping members): the
/// witness.
#[cfg_attr(hookmatch_package, optimize(size))]
pub(crate) fn overlap(
    one: &Plan,
    two: &Plan,
    shape: &'static EventShape,
    verify: &mut dyn FnMut(&Value) -> bool,
) -> Option<Value> {
    let mut space = Space::new(shape);
    let a = space.add(one);
    let b = space.add(two);
    space.finish(None);
    match space.search(&Node::And(vec![a.root, b.root]), None, None, Some(verify)) {
        Search::Found(e) => Some(e),
        _ => None,
    }
}
