//! What the evaluator reads an event through: the shared [`Event`] view
//! a vendor's `prepare` makes, over a document that is either a plain
//! value or a projected node tree.
//!
//! An event is either a plain `serde_json::Value` (a full parse: `explain`,
//! `deliver`, objects) or a projected [`Node`] tree that the scanner builds
//! with only the fields the plans read. A projected object is a short list
//! of (kept key, node): no `IndexMap`, no SipHash, no key `String`s — in a
//! profile of `matches`, building and dropping `Value` maps was a third of
//! the call. [`At`] is a cursor over either, so one `prepare` per dialect
//! and one evaluator serve both.
//!
//! Every value a plan compares is kept whole by the projection
//! ([`crate::projection::Projection::keep`]), so comparisons always see a
//! complete `Value`; projected objects are only ever walked through.

use serde_json::{Map, Value};
use std::borrow::Cow;

/// A projected part of a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Node<'p> {
    /// A value kept whole (or one that is not the object or array the
    /// projection expected there).
    Whole(Value),
    /// A kept string equal to one the plan compares it with: the
    /// projection's own copy ([`crate::projection::Projection::constants`]),
    /// so reading it allocated nothing.
    Shared(&'p Value),
    /// An object of which only the projection's keys were kept (keys
    /// borrowed from the projection), in document order; a repeated key
    /// holds its last value, as in a full parse.
    Object(Vec<(&'p str, Node<'p>)>),
    /// An array whose elements were projected alike (a batch, Asana's
    /// `events`).
    Array(Vec<Node<'p>>),
}

impl Node<'_> {
    /// The node as a plain value (only what was kept).
    pub fn to_value(&self) -> Value {
        match self {
            Node::Whole(v) => v.clone(),
            Node::Shared(v) => (*v).clone(),
            Node::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, n)| ((*k).to_string(), n.to_value()))
                    .collect::<Map<String, Value>>(),
            ),
            Node::Array(items) => Value::Array(items.iter().map(Node::to_value).collect()),
        }
    }
}

/// A cursor into a document: a projected node or a plain value.
#[derive(Debug, Clone, Copy)]
pub enum At<'a> {
    Node(&'a Node<'a>),
    Value(&'a Value),
}

impl<'a> At<'a> {
    /// The member `key` of an object (`None` for anything else).
    pub fn get(self, key: &str) -> Option<At<'a>> {
        match self {
            At::Node(Node::Object(members)) => members
                .iter()
                .find(|(k, _)| same_key(k, key))
                .map(|(_, n)| At::Node(n)),
            // A projected array, or any value that is not an object: none.
            _ => self.value()?.as_object()?.get(key).map(At::Value),
        }
    }

    /// Element `i` of an array.
    pub fn index(self, i: usize) -> Option<At<'a>> {
        match self {
            At::Node(Node::Array(items)) => items.get(i).map(At::Node),
            _ => self.value()?.as_array()?.get(i).map(At::Value),
        }
    }

    /// The whole value here; `None` for a projected object or array (which
    /// no plan compares, see the module notes).
    pub fn value(self) -> Option<&'a Value> {
        match self {
            At::Node(Node::Whole(v)) | At::Value(v) => Some(v),
            At::Node(Node::Shared(v)) => Some(v),
            At::Node(Node::Object(_) | Node::Array(_)) => None,
        }
    }

    pub fn is_object(self) -> bool {
        match self {
            At::Node(Node::Object(_)) => true,
            _ => self.value().is_some_and(Value::is_object),
        }
    }

    pub fn is_null(self) -> bool {
        self.value().is_some_and(Value::is_null)
    }

    pub fn as_str(self) -> Option<&'a str> {
        self.value()?.as_str()
    }

    /// The elements of an array.
    pub fn items(self) -> Option<Vec<At<'a>>> {
        match self {
            At::Node(Node::Array(items)) => Some(items.iter().map(At::Node).collect()),
            _ => Some(self.value()?.as_array()?.iter().map(At::Value).collect()),
        }
    }

    /// "an object", "a string"...: for messages.
    pub fn type_name(self) -> &'static str {
        match self {
            At::Node(Node::Object(_)) => "an object",
            At::Node(Node::Array(_)) => "an array",
            At::Node(Node::Shared(v)) => crate::text::type_name(v),
            At::Node(Node::Whole(v)) | At::Value(v) => crate::text::type_name(v),
        }
    }

    /// The value here as a plain `Value`: borrowed when it is one, else
    /// built from what was kept.
    pub fn to_value(self) -> Cow<'a, Value> {
        match self {
            At::Node(Node::Shared(v)) => Cow::Borrowed(v),
            At::Node(Node::Whole(v)) | At::Value(v) => Cow::Borrowed(v),
            At::Node(n) => Cow::Owned(n.to_value()),
        }
    }
}

/// `a == b` for the short keys of events and projections, compared inline,
/// eight bytes at a time: `==` on strings calls `memcmp`, which in wasm is a
/// call and a byte loop (`memcmp` took 5-7% of matching the bench's
/// 281-byte Asana and 603-byte Kanboard events in Node, from looking up
/// projected keys and reading projected objects).
#[inline]
pub fn same_key(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let words = a.len() & !7;
    let (a8, a_tail) = a.split_at(words);
    let (b8, b_tail) = b.split_at(words);
    let word = |c: &[u8]| c.first_chunk::<8>().map(|w| u64::from_le_bytes(*w));
    a8.chunks_exact(8)
        .zip(b8.chunks_exact(8))
        .all(|(x, y)| word(x) == word(y))
        && a_tail.iter().zip(b_tail).all(|(x, y)| x == y)
}

/// What the evaluator sees of an event: the whole document, and the two
/// states filters read (`newState`/`oldState` for Workfront; the event's data
/// as the new state for vendors that send one).
#[derive(Debug)]
pub struct Event<'a> {
    pub root: At<'a>,
    pub new_state: State<'a>,
    pub old_state: State<'a>,
    /// Objects of a state that a plain field name is also looked up in,
    /// in order (Workfront's `parameterValues`; Kanboard's `task`).
    pub containers: &'static [&'static str],
    /// Whether the vendor's events have states (Workfront's newState and
    /// oldState); `false` where filters read the event itself (Asana), so
    /// explanations speak of "the event".
    pub has_states: bool,
    /// The event's own JSON text (a vendor that limits the size of what it
    /// sends measures it). `None` only where the caller knows the event is
    /// small: an element of a batch document too small to matter.
    pub text: Option<&'a str>,
}

impl<'a> Event<'a> {
    /// An event whose states are `new_state` and `old_state`.
    pub fn new(root: At<'a>, new_state: State<'a>, old_state: State<'a>) -> Event<'a> {
        Event {
            root,
            new_state,
            old_state,
            containers: &[],
            has_states: true,
            text: None,
        }
    }
}

/// A state of an event: part of the document, or one the adapter made
/// (a decoded base64 state, Kanboard's old state, an empty one).
#[derive(Debug)]
pub enum State<'a> {
    In(At<'a>),
    Made(Value),
    /// Made on first read: most plans never read it (an old state is read
    /// only for `changed` and for a field the new state lacks), and making
    /// it is a copy of the state (Kanboard's: matching a 603-byte move
    /// event natively took 477 ns when it was made for every event, 390
    /// ns made on demand).
    Later(Later<'a>),
}

impl<'a> State<'a> {
    /// A state made by `make` when first read.
    pub fn later(make: impl Fn() -> Value + 'a) -> State<'a> {
        State::Later(Later {
            make: Box::new(make),
            made: std::cell::OnceCell::new(),
        })
    }

    pub fn at(&self) -> At<'_> {
        match self {
            State::In(at) => *at,
            State::Made(v) => At::Value(v),
            State::Later(later) => At::Value(later.made.get_or_init(|| (later.make)())),
        }
    }
}

/// A state not made yet ([`State::later`]).
pub struct Later<'a> {
    make: Box<dyn Fn() -> Value + 'a>,
    made: std::cell::OnceCell<Value>,
}

impl std::fmt::Debug for Later<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Later").field(&self.made.get()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Against `==` for every length up to three words and a difference
    /// at every position (the word loop and the tail both decide).
    #[test]
    fn same_key_is_string_equality() {
        for len in 0..24 {
            let a: String = (0..len)
                .map(|i| char::from(b'a' + (i % 26) as u8))
                .collect();
            assert!(same_key(&a, &a.clone()), "{a}");
            assert!(!same_key(&a, &format!("{a}x")), "{a} and longer");
            for at in 0..len {
                let mut b = a.clone().into_bytes();
                b[at] = b'Z';
                let b = String::from_utf8(b).unwrap_or_default();
                assert_eq!(same_key(&a, &b), a == b, "{a} vs {b}");
            }
        }
    }

    #[test]
    fn a_cursor_reads_nodes_and_values_alike() {
        let whole = json!({"a": {"b": [1, {"c": "x"}]}});
        let node = Node::Object(vec![
            ("a", Node::Whole(json!({"b": [1, {"c": "x"}]}))),
            ("s", Node::Array(vec![Node::Whole(json!(2))])),
        ]);
        for root in [At::Value(&whole), At::Node(&node)] {
            let c = root
                .get("a")
                .and_then(|a| a.get("b"))
                .and_then(|b| b.index(1));
            assert_eq!(c.and_then(|c| c.get("c")).and_then(At::as_str), Some("x"));
            assert!(root.is_object());
            assert!(root.get("missing").is_none());
            assert_eq!(root.type_name(), "an object");
        }
        let n = At::Node(&node);
        assert_eq!(
            n.get("s").and_then(|s| s.index(0)).and_then(At::value),
            Some(&json!(2))
        );
        assert_eq!(n.get("s").and_then(At::value), None);
        assert_eq!(
            n.to_value().into_owned(),
            json!({"a": {"b": [1, {"c": "x"}]}, "s": [2]})
        );
    }
}
