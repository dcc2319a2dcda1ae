//! The compiled plan that every dialect's adapter produces and the one
//! evaluator runs. A plan is built once per subscription; evaluating it never
//! re-reads the spec.

use crate::value::Hint;
use serde_json::Value;

/// The ten Workfront comparisons (docs/vendors/workfront.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    Eq,
    Ne,
    Gt,
    Gte,
    Lt,
    Lte,
    Contains,
    NotContains,
    ContainsOnly,
    Changed,
    /// The field's value is one of `fieldValue`'s elements. Not in Workfront's
    /// syntax: adapters use it for list-valued vendor filters (Asana `fields`).
    In,
}

impl Comparison {
    pub const NAMES: [&'static str; 10] = [
        "eq",
        "ne",
        "gt",
        "gte",
        "lt",
        "lte",
        "contains",
        "notContains",
        "containsOnly",
        "changed",
    ];

    /// Exact, case-sensitive: Workfront rejects `EQ`, so the preview does too.
    pub fn parse(s: &str) -> Option<Comparison> {
        Some(match s {
            "eq" => Comparison::Eq,
            "ne" => Comparison::Ne,
            "gt" => Comparison::Gt,
            "gte" => Comparison::Gte,
            "lt" => Comparison::Lt,
            "lte" => Comparison::Lte,
            "contains" => Comparison::Contains,
            "notContains" => Comparison::NotContains,
            "containsOnly" => Comparison::ContainsOnly,
            "changed" => Comparison::Changed,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Comparison::Eq => "eq",
            Comparison::Ne => "ne",
            Comparison::Gt => "gt",
            Comparison::Gte => "gte",
            Comparison::Lt => "lt",
            Comparison::Lte => "lte",
            Comparison::Contains => "contains",
            Comparison::NotContains => "notContains",
            Comparison::ContainsOnly => "containsOnly",
            Comparison::Changed => "changed",
            Comparison::In => "in",
        }
    }

    pub fn is_ordering(self) -> bool {
        matches!(
            self,
            Comparison::Gt | Comparison::Gte | Comparison::Lt | Comparison::Lte
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connector {
    And,
    Or,
}

impl Connector {
    pub fn parse(s: &str) -> Option<Connector> {
        match s {
            "AND" => Some(Connector::And),
            "OR" => Some(Connector::Or),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Connector::And => "AND",
            Connector::Or => "OR",
        }
    }
}

/// Which state of the event a filter reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StateSel {
    New,
    Old,
}

impl StateSel {
    pub fn name(self) -> &'static str {
        match self {
            StateSel::New => "newState",
            StateSel::Old => "oldState",
        }
    }
}

/// How a filter finds its field inside a state.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldRef {
    /// The key equal to the filter's `field_name`, else that key in the
    /// state's `parameterValues` (Workfront custom fields such as
    /// `DE:Budget`). The name is not copied here: a filter keeps it once.
    Name,
    /// A `fieldName` starting with `/`: an RFC 6901 pointer, tokens unescaped.
    Pointer(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    /// The `fieldName` as written, for explanations.
    pub field_name: String,
    pub field: FieldRef,
    pub comparison: Comparison,
    pub state: StateSel,
    /// Whether the spec named a state (explanations show it only then).
    pub state_given: bool,
    pub value: Value,
    pub hint: Hint,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub connector: Connector,
    pub filters: Vec<Filter>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Filter(Filter),
    Group(Group),
}

impl Entry {
    /// How many filters the entry holds.
    pub fn len(&self) -> usize {
        match self {
            Entry::Filter(_) => 1,
            Entry::Group(g) => g.filters.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A dialect-level condition, tested against a value the vendor's event
/// holds (see [`GateSource`]).
#[derive(Debug, Clone, PartialEq)]
pub struct GateCheck {
    /// Gate fields are the dialect's own names, never the user's.
    pub field: &'static str,
    pub source: GateSource,
    pub test: GateTest,
}

/// Where a gate check finds its value in the event.
#[derive(Debug, Clone, PartialEq)]
pub enum GateSource {
    /// A path of keys from the event's root.
    Root(&'static [&'static str]),
    /// A key of the new state, else of the old state (a DELETE event carries
    /// the object only in `oldState`).
    State(&'static str),
    /// Nothing in the event: the test is decided by the spec alone.
    None,
}

#[derive(Debug, Clone, PartialEq)]
pub enum GateTest {
    /// The event's value equals this exactly (gates compare identifiers, so
    /// no type coercion).
    Equals(Value),
    /// The event's value is one of these.
    OneOf(Vec<Value>),
    /// Decided by the spec alone (e.g. a disabled webhook): `passed` always,
    /// shown with this expected value and reason.
    Fixed {
        passed: bool,
        expected: Value,
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub gate: Vec<GateCheck>,
    pub connector: Connector,
    pub entries: Vec<Entry>,
}

impl Plan {
    /// Every filter, top-level and inside groups, in spec order.
    pub fn filters(&self) -> impl Iterator<Item = &Filter> {
        self.entries.iter().flat_map(|e| match e {
            Entry::Filter(f) => std::slice::from_ref(f).iter(),
            Entry::Group(g) => g.filters.iter(),
        })
    }
}
