//! Any bytes as a batch (NDJSON, a JSON array, a document): preview must
//! account for every event it reads, never panic.
#![no_main]
use hookmatch::{CompileOptions, Subscription};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn sub() -> &'static Subscription {
    static SUB: OnceLock<Subscription> = OnceLock::new();
    SUB.get_or_init(|| {
        let spec = r#"{"objCode":"PROJ","eventType":"UPDATE","url":"https://h.example.com","authToken":"t","filters":[{"fieldName":"status","fieldValue":"CUR"}]}"#;
        Subscription::compile_text(spec.as_bytes(), CompileOptions::default()).expect("fuzz spec compiles")
    })
}

fuzz_target!(|data: &[u8]| {
    for details in [false, true] {
        let opts = hookmatch::preview::PreviewOptions {
            details,
            ..Default::default()
        };
        if let Ok(r) = sub().preview_with(data, opts) {
            assert_eq!(r.matched, r.matches.len());
            assert!(r.matched + r.errors.len() <= r.total);
            assert!(r.matches.windows(2).all(|w| w[0] < w[1]));
        }
    }
});
