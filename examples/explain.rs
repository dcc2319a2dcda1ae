//! Reads NDJSON lines `{"spec": …, "event": …}` on stdin and prints, per
//! line, the explanation's JSON (or `{"error": code}`): the native half of
//! the native/wasm agreement test (tests/js/agree.test.mjs).
use hookmatch::{CompileOptions, Subscription};
use std::io::{BufRead, Write};

fn main() {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout());
    let mut subs: std::collections::HashMap<String, Subscription> =
        std::collections::HashMap::new();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let Ok(case) = hookmatch::json::parser::value(line.as_bytes()) else {
            continue;
        };
        let spec = case["spec"].to_string();
        let sub = subs.entry(spec.clone()).or_insert_with(|| {
            Subscription::compile_text(spec.as_bytes(), CompileOptions::default())
                .expect("agreement specs compile")
        });
        let event = case["event"].as_str().unwrap_or_default();
        let answer = match sub.explain_text(event.as_bytes()) {
            Ok(x) => serde_json::to_string(&x).unwrap_or_default(),
            Err(e) => format!("{{\"error\":\"{}\"}}", e.code()),
        };
        let _ = writeln!(out, "{answer}");
    }
}
