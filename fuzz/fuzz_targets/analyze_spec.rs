//! Any bytes as one or two specs (split at the first NUL) of any dialect:
//! lint, example (plain, with `fail`, with a base), diff and set.lint must
//! answer, never panic, and every event they return must check out.
#![no_main]
use hookmatch::{CompileOptions, Subscription, SubscriptionSet};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(2, |b| *b == 0);
    let (one, two) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
    let opts = CompileOptions::default();
    let Ok(a) = serde_json::from_slice::<Value>(one) else {
        return;
    };
    let _ = hookmatch::subscription::lint(&a, opts);
    let Ok(sub) = Subscription::compile(&a, opts) else {
        return;
    };
    if let Ok(Some(e)) = sub.example(None, None) {
        assert!(sub.matches(&e).unwrap_or(false), "example does not fire: {e}");
    }
    let _ = sub.example(Some(&json!(0)), None);
    let _ = sub.example(Some(&json!("/filters/0/filters/1")), None);
    let base: Value = serde_json::from_slice(two).unwrap_or(Value::Null);
    if let Ok(Some(e)) = sub.example(None, Some(&base)) {
        assert!(sub.matches(&e).unwrap_or(false), "base example does not fire: {e}");
    }
    if let Ok(d) = hookmatch::subscription::diff(&a, &base, opts, None) {
        let b = Subscription::compile(&base, opts).expect("diff compiled it");
        for e in &d.gained {
            assert!(!sub.matches(e).unwrap_or(true) && b.matches(e).unwrap_or(false));
        }
        for e in &d.lost {
            assert!(sub.matches(e).unwrap_or(false) && !b.matches(e).unwrap_or(true));
        }
    }
    let entries = json!([{"id": "a", "spec": a}, {"id": "b", "spec": base}, {"id": "c", "spec": a}]);
    if let Ok(set) = SubscriptionSet::compile(&entries) {
        let _ = set.lint();
    }
});
