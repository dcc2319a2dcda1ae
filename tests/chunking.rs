//! One answer whatever the chunking (docs/api.md (previewStream)): a batch fed to the
//! streaming previewer cut at random points (inside lines, inside
//! multi-byte characters, between `\r` and `\n`, inside a byte-order mark)
//! gives exactly what `preview` gives for the whole input, for single
//! subscriptions and for sets, in every format.
#![cfg(not(target_arch = "wasm32"))]

use hookmatch::preview::{Format, PreviewOptions, PreviewState};
use hookmatch::set::{SetPreviewState, SubscriptionSet};
use hookmatch::{CompileOptions, Subscription};
use proptest::prelude::*;
use serde_json::Value;

const DIALECTS: [&str; 5] = ["workfront", "asana", "kanboard", "rservice", "ricloud"];

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The samples' subscriptions.
fn subs() -> &'static [Subscription] {
    static SUBS: std::sync::OnceLock<Vec<Subscription>> = std::sync::OnceLock::new();
    SUBS.get_or_init(make_subs)
}

fn make_subs() -> Vec<Subscription> {
    DIALECTS
        .iter()
        .map(|d| {
            let spec = read(&format!("samples/{d}/subscription.json"));
            Subscription::compile_text(spec.as_bytes(), CompileOptions::default()).unwrap()
        })
        .collect()
}

/// Batches in every shape the reader knows, from the samples and fixtures.
fn batches() -> &'static [Vec<u8>] {
    static BATCHES: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    BATCHES.get_or_init(make_batches)
}

fn make_batches() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for d in DIALECTS {
        let ndjson = read(&format!("samples/{d}/events.ndjson"));
        let events: Vec<Value> = ndjson
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect();
        out.push(ndjson.clone().into_bytes());
        // CRLF line ends, blank lines, a byte-order mark.
        out.push(format!("\u{feff}{}", ndjson.replace('\n', "\r\n\r\n")).into_bytes());
        // A pretty JSON array, and pretty documents one after another (jq).
        out.push(serde_json::to_string_pretty(&events).unwrap().into_bytes());
        let jq: Vec<String> = events
            .iter()
            .map(|e| serde_json::to_string_pretty(e).unwrap())
            .collect();
        out.push(jq.join("\n").into_bytes());
        // A lone line holding an array.
        out.push(serde_json::to_string(&events).unwrap().into_bytes());
        // A cut-off first line, then the events.
        out.push(format!("{{\"eventType\":\"UPD\n{ndjson}").into_bytes());
        // Multi-byte characters in every string, and a line that is not UTF-8.
        let mut wide = ndjson.replace("\":\"", "\":\"é😀").into_bytes();
        wide.extend_from_slice(b"{\"bad\":\"\xff\"}\n");
        out.push(wide);
        // A broken line in the middle and no final newline.
        out.push(format!("{}\n{{\"x\":,}}\n{}", events[0], events[events.len() - 1]).into_bytes());
    }
    let asana = read("tests/fixtures/asana/events/body-two-events.json");
    out.push(format!("{}\n{{\"events\":[]}}\n", asana.replace('\n', "")).into_bytes());
    out
}

fn cut(input: &[u8], cuts: &[usize]) -> Vec<Vec<u8>> {
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (input.len() + 1)).collect();
    points.sort_unstable();
    let mut out = Vec::new();
    let mut at = 0;
    for p in points {
        out.push(input[at..p].to_vec());
        at = p;
    }
    out.push(input[at..].to_vec());
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn a_subscription_answers_the_same_however_the_input_is_cut(
        which in 0usize..1000,
        sub in 0usize..5,
        cuts in prop::collection::vec(0usize..100_000, 0..12),
        format in prop_oneof![Just(Format::Auto), Just(Format::Ndjson), Just(Format::Json)],
    ) {
        let batches = batches();
        let input = &batches[which % batches.len()];
        let sub = &subs()[sub];
        let opts = PreviewOptions { details: true, format };
        let whole = sub.preview_with(input, opts).unwrap();
        let mut state = PreviewState::new(opts);
        for chunk in cut(input, &cuts) {
            sub.preview_push(&mut state, &chunk).unwrap();
        }
        let chunked = sub.preview_finish(state);
        prop_assert_eq!(chunked, whole);
    }

    #[test]
    fn a_set_answers_the_same_however_the_input_is_cut(
        which in 0usize..1000,
        cuts in prop::collection::vec(0usize..100_000, 0..12),
    ) {
        let batches = batches();
        let input = &batches[which % batches.len()];
        let entries: Vec<Value> = DIALECTS
            .iter()
            .map(|d| serde_json::json!({"id": d, "spec": serde_json::from_str::<Value>(&read(&format!("samples/{d}/subscription.json"))).unwrap()}))
            .collect();
        let set = SubscriptionSet::compile(&Value::Array(entries)).unwrap();
        let whole = set.preview(input).unwrap();
        let mut state = SetPreviewState::new(Format::Auto);
        for chunk in cut(input, &cuts) {
            set.preview_push(&mut state, &chunk).unwrap();
        }
        prop_assert_eq!(set.preview_finish(state), whole);
    }
}

/// Each byte alone: the finest cutting there is.
#[test]
fn byte_by_byte_equals_whole() {
    for input in batches() {
        for sub in subs() {
            let opts = PreviewOptions {
                details: true,
                format: Format::Auto,
            };
            let whole = sub.preview_with(input, opts).unwrap();
            let mut state = PreviewState::new(opts);
            for b in input {
                sub.preview_push(&mut state, std::slice::from_ref(b))
                    .unwrap();
            }
            assert_eq!(sub.preview_finish(state), whole);
        }
    }
}
