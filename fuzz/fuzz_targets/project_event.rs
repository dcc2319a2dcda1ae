//! Any text through the projected parse: the hand-written scanner (taken
//! whenever it is sure) and the serde_json path must give the same value or
//! both reject, for projections of every shape (kept keys, nested keys,
//! array items, everything).
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

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let full = serde_json::from_str::<serde_json::Value>(text);
    for p in projections() {
        let fast = projection::parse(text, p);
        let slow = projection::parse_with_serde(text, p);
        match (&fast, &slow) {
            (Ok(a), Ok(b)) => assert_eq!(&a.to_value(), b),
            (Err(_), Err(_)) => {}
            _ => panic!("scanner and serde disagree on {text:?}: {fast:?} vs {slow:?}"),
        }
        // Accepted exactly when a full parse accepts.
        assert_eq!(fast.is_ok(), full.is_ok(), "{text:?}");
    }
});
