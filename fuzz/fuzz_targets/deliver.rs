//! Any bytes as an event and as deliver options, for every dialect: deliver
//! must answer (a delivery, null, or an error), never panic, and never put a
//! secret in a body.
#![no_main]
use hookmatch::options::{parse, DeliverOptionsIn};
use hookmatch::{CompileOptions, Subscription};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const SECRET: &str = "fuzz-SECRET-7731";

fn subs() -> &'static [Subscription] {
    static SUBS: OnceLock<Vec<Subscription>> = OnceLock::new();
    SUBS.get_or_init(|| {
        [
            format!(r#"{{"objCode":"PROJ","eventType":"UPDATE","url":"https://h.example.com","authToken":"{SECRET}","base64Encoding":true}}"#),
            r#"{"resource":"1","target":"https://h.example.com"}"#.to_string(),
            format!(r#"{{"url":"https://h.example.com/x?y=1#z","token":"{SECRET}"}}"#),
            r#"{"event":"problem.update","uri":"https://h.example.com","disabled":true}"#.to_string(),
            format!(r#"{{"url":"https://h.example.com","secret":"{SECRET}","state":"valid"}}"#),
        ]
        .iter()
        .map(|s| Subscription::compile_text(s.as_bytes(), CompileOptions::default()).expect("fuzz specs compile"))
        .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let cut = data.iter().position(|b| *b == 0).unwrap_or(data.len());
    let (event, opts) = data.split_at(cut);
    let opts = std::str::from_utf8(opts.get(1..).unwrap_or_default()).unwrap_or("null");
    let Ok(DeliverOptionsIn(mut opts)) = parse::<DeliverOptionsIn>(opts, "deliver options") else { return };
    opts.secret = None;
    let event = (!event.is_empty()).then_some(event);
    for sub in subs() {
        if let Ok(Some(d)) = sub.deliver_text(event, &opts) {
            let in_event = event.is_some_and(|e| String::from_utf8_lossy(e).contains(SECRET));
            assert!(!d.body.contains(SECRET) || in_event);
        }
    }
});
