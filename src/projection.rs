//! The fast event path: parse JSON text keeping only the fields compiled
//! plans read, skipping the rest without building a tree.
//!
//! Skipped values are still fully validated the way a full parse validates
//! them (strings decoded, escapes and surrogates checked, numbers parsed,
//! nesting bounded), so a document is rejected exactly when
//! `serde_json::from_str::<Value>` rejects it; the answer of a plan on the
//! projected tree is the answer on the full tree because every path a plan
//! reads is kept whole.

use crate::doc::Node;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::collections::BTreeMap;
use std::fmt;

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
}

impl Projection {
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

    /// [`Projection::keep`] of `prefix` then `path`, without joining them.
    pub fn keep_at<S: AsRef<str>>(&mut self, prefix: &[&str], path: &[S]) {
        if self.all {
            return;
        }
        match prefix.split_first() {
            None => self.keep(path),
            Some((head, rest)) => self.with_child(head, &mut |c| c.keep_at(rest, path)),
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
        if self.signature & signature_bit(key) == 0 {
            return None;
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

    pub fn merge(&mut self, other: &Projection) {
        if self.all {
            return;
        }
        if other.all {
            *self = Projection::everything();
            return;
        }
        for (k, p) in &other.keys {
            self.with_child(k, &mut |c| c.merge(p));
        }
        if let Some(items) = &other.items {
            match &mut self.items {
                Some(mine) => mine.merge(items),
                None => self.items = Some(items.clone()),
            }
        }
    }
}

#[inline]
fn signature_bit(key: &str) -> u64 {
    let b = key.as_bytes();
    let first = b.first().map_or(0, |c| usize::from(*c));
    let last = b.last().map_or(0, |c| usize::from(*c));
    1 << ((b.len().wrapping_mul(31) ^ first.wrapping_mul(7) ^ last.wrapping_mul(131)) % 64)
}

/// Parse JSON text keeping only what `p` names. Errors are serde_json's,
/// exactly as a full parse would report them.
pub fn parse<'p>(text: &str, p: &'p Projection) -> Result<Node<'p>, serde_json::Error> {
    if let Some(node) = crate::scan::project(text, p) {
        return Ok(node);
    }
    parse_with_serde(text, p).map(Node::Whole)
}

/// The reference path: serde_json decides every document the scanner is
/// unsure of, and words every syntax error.
pub fn parse_with_serde(text: &str, p: &Projection) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Seed(p).deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

struct Seed<'p>(&'p Projection);

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        if self.0.all {
            return serde::Deserialize::deserialize(d);
        }
        d.deserialize_any(Project(self.0))
    }
}

struct Project<'p>(&'p Projection);

impl<'de> Visitor<'de> for Project<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        match &self.0.items {
            Some(items) => {
                while let Some(v) = seq.next_element_seed(Seed(items))? {
                    out.push(v);
                }
            }
            // An array where objects were expected: keep it whole, so
            // pointers into it and array comparisons see the real thing.
            None => {
                while let Some(v) = seq.next_element::<Value>()? {
                    out.push(v);
                }
            }
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match self.0.child(key.as_str()).map(|(_, c)| c) {
                // Duplicate keys: the last one wins, as in a full parse.
                Some(child) => {
                    let v = map.next_value_seed(Seed(child))?;
                    out.insert(key.into_owned(), v);
                }
                None => map.next_value_seed(Skip)?,
            }
        }
        Ok(Value::Object(out))
    }
}

/// An object key, borrowed from the input when it has no escapes.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }
    fn into_owned(self) -> String {
        match self {
            Key::Borrowed(s) => s.to_string(),
            Key::Owned(s) => s,
        }
    }
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key<'de>, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key::Borrowed(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key::Owned(v.to_string()))
    }
}

/// Skip a value, validating it as a full parse would: unlike serde's
/// `IgnoredAny` (which serde_json skips without decoding), strings are decoded (escapes and surrogates checked) and
/// numbers parsed (out-of-range numbers rejected).
struct Skip;

impl<'de> DeserializeSeed<'de> for Skip {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(SkipVisitor)
    }
}

struct SkipVisitor;

impl<'de> Visitor<'de> for SkipVisitor {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<(), E> {
        if v.is_finite() {
            Ok(())
        } else {
            Err(E::custom("number out of range"))
        }
    }
    fn visit_borrowed_str<E>(self, _: &'de str) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Skip)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key_seed(KeySeed)?.is_some() {
            map.next_value_seed(Skip)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn proj(paths: &[&[&str]]) -> Projection {
        let mut p = Projection::default();
        for path in paths {
            p.keep(path);
        }
        p
    }

    #[test]
    fn keeps_only_what_is_named() {
        let p = proj(&[
            &["eventType"],
            &["newState", "objCode"],
            &["newState", "tags"],
        ]);
        let v = parse(r#"{"eventType":"UPDATE","x":{"deep":[1,2,{"a":"b"}]},"newState":{"objCode":"PROJ","name":"n","tags":["a","b"]}}"#, &p).unwrap().to_value();
        assert_eq!(
            v,
            json!({"eventType":"UPDATE","newState":{"objCode":"PROJ","tags":["a","b"]}})
        );
    }

    #[test]
    fn rejects_exactly_what_a_full_parse_rejects() {
        let p = proj(&[&["a"]]);
        for bad in [
            r#"{"a":1,"b":1e400}"#,
            r#"{"a":1,"b":"\ud800"}"#,
            r#"{"a":1,"b":"\x"}"#,
            r#"{"a":1,"b":[1,]}"#,
            r#"{"a":1,"b":tru}"#,
            r#"{"a":1} x"#,
            r#"{"a":1,"b":"tab	here"}"#,
        ] {
            assert!(serde_json::from_str::<Value>(bad).is_err(), "{bad}");
            assert!(parse(bad, &p).is_err(), "{bad}");
        }
        let deep = format!("{{\"a\":1,\"b\":{}{}}}", "[".repeat(200), "]".repeat(200));
        assert!(serde_json::from_str::<Value>(&deep).is_err());
        assert!(parse(&deep, &p).is_err());
    }

    #[test]
    fn duplicate_keys_last_wins_like_a_full_parse() {
        let p = proj(&[&["a"]]);
        assert_eq!(
            parse(r#"{"a":1,"a":2}"#, &p).unwrap().to_value(),
            json!({"a":2})
        );
        let full: Value = serde_json::from_str(r#"{"a":{"x":1},"a":{"y":2}}"#).unwrap();
        assert_eq!(
            parse(r#"{"a":{"x":1},"a":{"y":2}}"#, &Projection::everything())
                .unwrap()
                .to_value(),
            full
        );
    }

    #[test]
    fn items_project_array_elements() {
        let mut p = Projection::default();
        p.node(&["events"]).items = Some(Box::new(proj(&[&["action"]])));
        let v = parse(
            r#"{"events":[{"action":"added","big":"x"},{"action":"changed"}]}"#,
            &p,
        )
        .unwrap()
        .to_value();
        assert_eq!(
            v,
            json!({"events":[{"action":"added"},{"action":"changed"}]})
        );
    }
}
