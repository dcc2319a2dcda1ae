//! Any text through the projected parse (the hand-written scanner, and
//! hookmatch's reader wording its refusals) against serde_json's full parse
//! cut down to the projection by this file's own `project`: the same value,
//! or the same refusal with the same message, line and column, for
//! projections of every shape (kept keys, nested keys, array items,
//! everything).
#![no_main]
use hookmatch::projection::{self, Projection};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn projections() -> &'static [Projection] {
    static P: OnceLock<Vec<Projection>> = OnceLock::new();
    P.get_or_init(|| {
        let mut keyed = Projection::default();
        for path in [
            &["eventType"][..],
            &["newState", "status"],
            &["newState", "parameterValues", "DE:Region"],
            &["oldState"],
            &["a", "b", "c"],
            &["é", "\u{1F600}"],
        ] {
            keyed.keep(path);
        }
        let batch = keyed.for_batch();
        vec![Projection::everything(), Projection::default(), keyed, batch]
    })
}

/// `v` cut down to what `p` keeps: kept places whole, objects to their
/// kept keys, anything but an object where keys were named whole.
fn project(v: &serde_json::Value, p: &Projection) -> serde_json::Value {
    use serde_json::Value;
    if p.all {
        return v.clone();
    }
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter_map(|(k, v)| p.child(k).map(|(_, c)| (k.clone(), project(v, c))))
                .collect(),
        ),
        Value::Array(items) => match &p.items {
            Some(items_p) => Value::Array(items.iter().map(|v| project(v, items_p)).collect()),
            None => v.clone(),
        },
        _ => v.clone(),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let full = serde_json::from_str::<serde_json::Value>(text);
    for p in projections() {
        let fast = projection::parse(text, p);
        match (&fast, &full) {
            (Ok(a), Ok(b)) => assert_eq!(a.to_value(), project(b, p), "{text:?}"),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{text:?}"),
            _ => panic!("scanner and serde_json disagree on {text:?}: {fast:?} vs {full:?}"),
        }
    }
});
