//! Any bytes as an event against one subscription of each dialect (with
//! filters of every comparison): matches, explain and the projected path must
//! answer alike, never panic.
#![no_main]
use hookmatch::{CompileOptions, Subscription};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn subs() -> &'static [Subscription] {
    static SUBS: OnceLock<Vec<Subscription>> = OnceLock::new();
    SUBS.get_or_init(|| {
        let filters = r#"[{"fieldName":"status","fieldValue":"CUR"},{"fieldName":"/a/0/b","fieldValue":1,"comparison":"gte"},
            {"type":"group","connector":"OR","filters":[{"fieldName":"name","fieldValue":"x","comparison":"contains"},{"fieldName":"tags","fieldValue":["a","b"],"comparison":"containsOnly"}]},
            {"fieldName":"d","fieldValue":"2022-12-11T16:00:00.000-0800","comparison":"lt"},{"fieldName":"name","comparison":"changed"},
            {"fieldName":"parameterValues","fieldValue":{"DE:x":{"y":[1]}}},{"fieldName":"n","fieldValue":"q","comparison":"notContains","state":"oldState"}]"#;
        [
            format!(r#"{{"objCode":"PROJ","eventType":"UPDATE","url":"https://h.example.com","authToken":"t","filterConnector":"OR","filters":{filters}}}"#),
            r#"{"resource":"1","target":"https://h.example.com","filters":[{"resource_type":"task","action":"changed","fields":["name"]},{"resource_type":"story"}]}"#.to_string(),
            format!(r#"{{"url":"https://h.example.com","token":"t","filters":{filters}}}"#),
            r#"{"event":"problem.update","uri":"https://h.example.com","filters":[{"fieldName":"x","fieldValue":"y"}]}"#.to_string(),
            r#"{"url":"https://h.example.com","secret":"s","state":"valid","filters":[{"fieldName":"x","fieldValue":1,"comparison":"gt"}]}"#.to_string(),
        ]
        .iter()
        .map(|s| Subscription::compile_text(s.as_bytes(), CompileOptions::default()).expect("fuzz specs compile"))
        .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let full: Option<serde_json::Value> = serde_json::from_slice(data).ok();
    for sub in subs() {
        let fast = sub.matches_text(data);
        let slow = sub.explain_text(data);
        // The projected path and the full parse agree on every input.
        match (&fast, &slow) {
            (Ok(m), Ok(x)) => assert_eq!(*m, x.matched),
            (Err(a), Err(b)) => assert_eq!(a.code(), b.code()),
            _ => panic!("projected and full paths disagree: {fast:?} vs {slow:?}"),
        }
        if let Some(v) = &full {
            assert_eq!(sub.matches(v).ok(), fast.ok());
        }
    }
});
