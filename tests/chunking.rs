//! One answer whatever the chunking (docs/api.md (previewStream)): a batch fed to the
//! streaming previewer cut at random points (inside lines, inside
//! multi-byte characters, between `\r` and `\n`, inside a byte-order mark)
//! gives exactly what `preview` gives for the whole input, for single
//! subscriptions and for sets, in every format. And no batch loses or
//! disagrees on data: a broken line, a bad element of an array, an array
//! of envelopes, a line past the input limit and the caps on what is kept
//! each have their expected answer.
// Tests read JSON either way; the crate reads it through from_slice (clippy.toml).
#![allow(clippy::disallowed_methods)]
#![cfg(not(target_arch = "wasm32"))]

use hookmatch::preview::{Format, PreviewOptions, PreviewState};
use hookmatch::set::SubscriptionSet;
use hookmatch::{CompileOptions, PreviewResult, Subscription};
use proptest::prelude::*;
use serde_json::Value;
use std::sync::RwLock;

/// The input limit is one setting for the whole process: the tests that
/// lower it hold this for writing, every other test for reading.
static LIMIT: RwLock<()> = RwLock::new(());

fn limit_unchanged() -> std::sync::RwLockReadGuard<'static, ()> {
    LIMIT.read().unwrap_or_else(|e| e.into_inner())
}

/// Every dialect of the registry, in its order (a vendor added there is
/// tested here with no edit).
fn dialects() -> impl Iterator<Item = &'static str> {
    hookmatch::dialect::REGISTRY.iter().map(|v| v.name())
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The samples' subscriptions.
fn subs() -> &'static [Subscription] {
    static SUBS: std::sync::OnceLock<Vec<Subscription>> = std::sync::OnceLock::new();
    SUBS.get_or_init(make_subs)
}

fn make_subs() -> Vec<Subscription> {
    dialects()
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
    for d in dialects() {
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
        // A first line that ends in a comma, then the events.
        let first = ndjson.lines().next().unwrap_or_default();
        out.push(format!("{first},\n{ndjson}").into_bytes());
        // An array, one element of which holds a lone surrogate (what
        // JSON.stringify writes for one), on one line and pretty.
        let bad = r#"{"eventType":"UPDATE","x":"\ud800"}"#;
        let mut items: Vec<String> = events.iter().map(Value::to_string).collect();
        items.insert(items.len() / 2, bad.to_string());
        out.push(format!("[{}]", items.join(",")).into_bytes());
        out.push(format!("[\n  {}\n]\n", items.join(",\n  ")).into_bytes());
    }
    let asana = read("tests/fixtures/asana/events/body-two-events.json");
    out.push(format!("{}\n{{\"events\":[]}}\n", asana.replace('\n', "")).into_bytes());
    // A JSON array of Asana envelopes (a heartbeat among them).
    out.push(format!("[{asana}, {{\"events\":[]}}, {asana}]").into_bytes());
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
        let _limit = limit_unchanged();
        let input = &batches[which % batches.len()];
        let sub = &subs()[sub];
        let opts = PreviewOptions { details: true, format, ..PreviewOptions::default() };
        let whole = sub.preview_with(input, opts).unwrap();
        let mut state = PreviewState::new(sub, opts);
        for chunk in cut(input, &cuts) {
            state.push(sub, &chunk).unwrap();
        }
        let chunked = state.finish(sub);
        prop_assert_eq!(chunked, whole);
    }

    #[test]
    fn a_set_answers_the_same_however_the_input_is_cut(
        which in 0usize..1000,
        cuts in prop::collection::vec(0usize..100_000, 0..12),
    ) {
        let _limit = limit_unchanged();
        let batches = batches();
        let input = &batches[which % batches.len()];
        let entries: Vec<Value> = dialects()
            .map(|d| serde_json::json!({"id": d, "spec": serde_json::from_str::<Value>(&read(&format!("samples/{d}/subscription.json"))).unwrap()}))
            .collect();
        let set = SubscriptionSet::compile(&Value::Array(entries)).unwrap();
        let whole = set.preview(input).unwrap();
        let mut state = PreviewState::new(&set, PreviewOptions::default());
        for chunk in cut(input, &cuts) {
            state.push(&set, &chunk).unwrap();
        }
        prop_assert_eq!(state.finish(&set), whole);
    }
}

/// Each byte alone: the finest cutting there is.
#[test]
fn byte_by_byte_equals_whole() {
    let _limit = limit_unchanged();
    for input in batches() {
        for sub in subs() {
            let opts = PreviewOptions {
                details: true,
                ..PreviewOptions::default()
            };
            let whole = sub.preview_with(input, opts).unwrap();
            let mut state = PreviewState::new(sub, opts);
            for b in input {
                state.push(sub, std::slice::from_ref(b)).unwrap();
            }
            assert_eq!(state.finish(sub), whole);
        }
    }
}

fn sub_of(dialect: &str) -> &'static Subscription {
    let i = dialects().position(|d| d == dialect).unwrap();
    &subs()[i]
}

/// The sample lines that are one event each (not broken, not an envelope).
fn sample_events(dialect: &str) -> Vec<String> {
    read(&format!("samples/{dialect}/events.ndjson"))
        .lines()
        .filter(|l| {
            serde_json::from_str::<Value>(l)
                .is_ok_and(|v| v.is_object() && v.get("events").is_none())
        })
        .map(str::to_string)
        .collect()
}

/// `(index, line, code)` of each error.
fn errors(r: &PreviewResult) -> Vec<(usize, Option<usize>, &'static str)> {
    r.errors
        .iter()
        .map(|e| (e.index, e.line, e.code.as_str()))
        .collect()
}

fn chunked(
    sub: &Subscription,
    input: &[u8],
    opts: PreviewOptions,
    cuts: &[usize],
) -> PreviewResult {
    let mut state = PreviewState::new(sub, opts);
    for chunk in cut(input, cuts) {
        state
            .push(sub, &chunk)
            .unwrap_or_else(|e| panic!("{}", e.message));
    }
    state.finish(sub)
}

/// `E,\nE\nE`: the first line is one bad line and the other two are read.
/// (Read as a JSON sequence it was E, then an error, and lines 2-3 lost.)
#[test]
fn a_first_line_ending_in_a_comma_is_one_bad_line() {
    let _limit = limit_unchanged();
    let sub = sub_of("workfront");
    for e in sample_events("workfront") {
        let alone = sub.preview(e.as_bytes()).unwrap();
        if !alone.errors.is_empty() {
            continue;
        }
        let input = format!("{e},\n{e}\n{e}");
        let r = sub.preview(input.as_bytes()).unwrap();
        assert_eq!(r.total, 3, "{r:?}");
        assert_eq!(errors(&r), [(0, Some(1), "invalid_json")]);
        // Lines 2 and 3 are read as the same event alone is.
        let want: Vec<usize> = if alone.matched == 1 {
            vec![1, 2]
        } else {
            vec![]
        };
        assert_eq!(r.matches, want);
    }
}

/// One element of an array that no parser takes (a lone surrogate, as
/// JSON.stringify writes it) is one error at its index; the others are
/// read. Before, the whole batch was one `invalid_json`.
#[test]
fn a_bad_element_of_an_array_is_one_error_at_its_index() {
    let _limit = limit_unchanged();
    let sub = sub_of("workfront");
    let events = sample_events("workfront");
    let bad = r#"{"eventType":"UPDATE","newState":{"name":"x\ud800"}}"#;
    let mut items = events.clone();
    items.insert(1, bad.to_string());
    let good = sub
        .preview(format!("[{}]", events.join(",")).as_bytes())
        .unwrap();
    // Indices after the bad element move up by one.
    let shift = |i: usize| if i >= 1 { i + 1 } else { i };
    let shifted: Vec<usize> = good.matches.iter().map(|&i| shift(i)).collect();
    for (text, format, line) in [
        (format!("[{}]", items.join(",")), Format::Json, None),
        (format!("[{}]", items.join(",")), Format::Auto, Some(1)),
        (format!("[\n{}\n]", items.join(",\n")), Format::Auto, None),
    ] {
        let opts = PreviewOptions {
            format,
            ..PreviewOptions::default()
        };
        let r = sub.preview_with(text.as_bytes(), opts).unwrap();
        assert_eq!(r.total, items.len(), "{format:?}");
        // The samples' own bad events (a state that is not an object) stay
        // what they were, one index on.
        let mut want: Vec<_> = errors(&good)
            .into_iter()
            .map(|(i, _, c)| (shift(i), line, c))
            .collect();
        want.insert(0, (1, line, "invalid_json"));
        assert_eq!(errors(&r), want, "{format:?}");
        assert!(
            r.errors[0].message.contains("element 1"),
            "{}",
            r.errors[0].message
        );
        assert!(
            r.errors[0].message.contains("surrogate"),
            "{}",
            r.errors[0].message
        );
        assert_eq!(r.matches, shifted, "{format:?}");
    }
    // Broken between elements: nothing can be told apart, one error.
    let broken = format!("[{} {}]", events[0], events[1]);
    let r = sub.preview(broken.as_bytes()).unwrap();
    assert_eq!((r.total, errors(&r).len()), (1, 1));
    // Garbage after the array's end is not an element.
    let r = sub
        .preview(format!("[{},{bad}] x", events[0]).as_bytes())
        .unwrap();
    assert_eq!((r.total, errors(&r).len()), (1, 1));
}

/// A JSON array of Asana envelopes is a batch of their events, numbered
/// in reading order: the same answer as those events one per line, for a
/// subscription, a set and a stream.
#[test]
fn an_array_of_asana_envelopes_is_a_batch_of_their_events() {
    let _limit = limit_unchanged();
    let sub = sub_of("asana");
    let events = sample_events("asana");
    let (one, two) = events.split_at(2);
    let body = |evs: &[String]| format!("{{\"events\":[{}]}}", evs.join(","));
    let array = format!("[{}, {{\"events\":[]}}, {}]", body(one), body(two));
    let ndjson = events.join("\n");
    let want = sub.preview(ndjson.as_bytes()).unwrap();
    assert!(want.matched > 0 && want.matched < events.len(), "{want:?}");
    for format in [Format::Auto, Format::Json] {
        let opts = PreviewOptions {
            details: true,
            format,
            ..PreviewOptions::default()
        };
        let got = sub.preview_with(array.as_bytes(), opts).unwrap();
        assert_eq!((got.total, &got.matches), (events.len(), &want.matches));
        assert!(got.errors.is_empty(), "{:?}", got.errors);
        assert_eq!(chunked(sub, array.as_bytes(), opts, &[7, 300, 301]), got);
    }
    // One envelope holding one event: what `matches` says of the envelope.
    for e in &events {
        let env = format!("[{}]", body(std::slice::from_ref(e)));
        let r = sub.preview(env.as_bytes()).unwrap();
        let fires = sub
            .matches_text(body(std::slice::from_ref(e)).as_bytes())
            .unwrap();
        assert_eq!(
            (r.total, r.matched, r.errors.len()),
            (1, usize::from(fires), 0)
        );
    }
    let entries: Vec<Value> = dialects()
        .map(|d| serde_json::json!({"id": d, "spec": serde_json::from_str::<Value>(&read(&format!("samples/{d}/subscription.json"))).unwrap()}))
        .collect();
    let set = SubscriptionSet::compile(&Value::Array(entries)).unwrap();
    assert_eq!(
        set.preview(array.as_bytes()).unwrap(),
        set.preview(ndjson.as_bytes()).unwrap()
    );
}

/// `maxErrors` and `maxResults` keep the first ones and say `truncated`;
/// `total` and `matched` count every event.
#[test]
fn the_caps_keep_the_first_errors_and_rows() {
    let _limit = limit_unchanged();
    let sub = sub_of("workfront");
    let e = &sample_events("workfront")[0];
    let fires = sub.preview(e.as_bytes()).unwrap().matched;
    // Lines: bad, E, bad, E, bad, E.
    let input = format!("x\n{e}\nx\n{e}\nx\n{e}\n");
    let all = sub
        .preview_with(
            input.as_bytes(),
            PreviewOptions {
                details: true,
                ..PreviewOptions::default()
            },
        )
        .unwrap();
    assert_eq!((all.total, all.errors.len(), all.truncated), (6, 3, false));
    assert_eq!(all.matched, 3 * fires);
    let opts = PreviewOptions {
        details: true,
        max_errors: 2,
        max_results: 4,
        ..PreviewOptions::default()
    };
    let capped = sub.preview_with(input.as_bytes(), opts).unwrap();
    assert_eq!(
        (capped.total, capped.matched, &capped.matches),
        (6, all.matched, &all.matches)
    );
    assert_eq!(
        errors(&capped),
        [(0, Some(1), "invalid_json"), (2, Some(3), "invalid_json")]
    );
    let rows: Vec<usize> = capped
        .results
        .as_ref()
        .unwrap()
        .iter()
        .map(|r| r.index)
        .collect();
    assert_eq!(rows, [0, 1, 2, 3]);
    assert!(capped.truncated);
    assert_eq!(
        chunked(sub, input.as_bytes(), opts, &[3, 50, 51, 400]),
        capped
    );
    // Exactly at the caps: nothing left out.
    let exact = PreviewOptions {
        details: true,
        max_errors: 3,
        max_results: 6,
        ..PreviewOptions::default()
    };
    assert!(!sub.preview_with(input.as_bytes(), exact).unwrap().truncated);
    // Rows only: errors under their cap, rows over.
    let rows_only = PreviewOptions {
        details: true,
        max_results: 5,
        ..PreviewOptions::default()
    };
    let r = sub.preview_with(input.as_bytes(), rows_only).unwrap();
    assert!(r.truncated && r.errors.len() == 3 && r.results.unwrap().len() == 5);
    // The default keeps 10,000 errors.
    let many = format!("{e}\n{}", "x\n".repeat(10_001));
    let r = sub.preview(many.as_bytes()).unwrap();
    assert_eq!(
        (r.total, r.errors.len(), r.truncated),
        (10_002, 10_000, true)
    );
    assert_eq!(r.errors.last().map(|e| e.index), Some(10_000));
    // A set keeps `max_errors` errors too.
    let set = SubscriptionSet::compile(&serde_json::json!([{"id": "w", "spec": serde_json::from_str::<Value>(&read("samples/workfront/subscription.json")).unwrap()}])).unwrap();
    let r = set
        .preview_with(
            input.as_bytes(),
            PreviewOptions {
                max_errors: 1,
                ..PreviewOptions::default()
            },
        )
        .unwrap();
    assert_eq!((r.total, r.errors.len(), r.truncated), (6, 1, true));
    assert_eq!(r.counts["w"], all.matched);
    assert!(!set.preview(input.as_bytes()).unwrap().truncated);
}

/// Lines past the input limit, cut every way: each is one `too_large`
/// error for its line and the lines after it are read, in every place
/// (first, middle, last without a newline), with `\r\n` ends counted as a
/// line is measured (without its `\r`).
#[test]
fn a_line_past_the_input_limit_is_one_error_and_the_rest_is_read() {
    let _limit = LIMIT.write().unwrap_or_else(|e| e.into_inner());
    const MAX: usize = 400;
    // Compiled before the limit is lowered (a spec is larger than it).
    let sub = sub_of("workfront");
    let set = SubscriptionSet::compile(&serde_json::json!([{"id": "w", "spec": serde_json::from_str::<Value>(&read("samples/workfront/subscription.json")).unwrap()}])).unwrap();
    hookmatch::json::set_max_input_bytes(MAX);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let e = r#"{"eventType":"UPDATE","newState":{"objCode":"PROJ","name":"updated","status":"CUR"},"oldState":{"objCode":"PROJ"}}"#;
        assert!(e.len() < MAX);
        let fires = sub.preview(e.as_bytes()).unwrap().matched;
        assert_eq!(fires, 1, "the sample subscription fires for {e}");
        let long = format!(r#"{{"long":"{}"}}"#, "x".repeat(MAX));
        // Exactly at the limit (without its \r): not too long.
        let at_limit = format!(r#"{{"a":"{}"}}"#, "y".repeat(MAX - 8));
        assert_eq!(at_limit.len(), MAX);
        type Case = (
            String,
            usize,
            Vec<(usize, Option<usize>, &'static str)>,
            Vec<usize>,
        );
        let cases: Vec<Case> = vec![
            (
                format!("{e}\n{long}\n{e}\n"),
                3,
                vec![(1, Some(2), "too_large")],
                vec![0, 2],
            ),
            (
                format!("{long}\n{e}\n{e}"),
                3,
                vec![(0, Some(1), "too_large")],
                vec![1, 2],
            ),
            (
                format!("{e}\n{long}"),
                2,
                vec![(1, Some(2), "too_large")],
                vec![0],
            ),
            (
                format!("{e}\r\n{long}\r\n{e}\r\n"),
                3,
                vec![(1, Some(2), "too_large")],
                vec![0, 2],
            ),
            (
                format!("\n\n{long}\r\n\n{e}"),
                2,
                vec![(0, Some(3), "too_large")],
                vec![1],
            ),
            // A long first line is not alone: the array after it is one
            // event (not a Workfront event), not a list.
            (
                format!("{long}\n[{e},{e}]"),
                2,
                vec![(0, Some(1), "too_large"), (1, Some(2), "invalid_event")],
                vec![],
            ),
            // A long first line that is not JSON either: still a line past
            // the limit (no JSON reading could hold the input), given
            // whole or cut.
            (
                format!("{}\n{e}\n{e}", &long[..long.len() - 1]),
                3,
                vec![(0, Some(1), "too_large")],
                vec![1, 2],
            ),
            // Only the long line: one error (a lone line past the limit).
            (long.clone(), 1, vec![(0, Some(1), "too_large")], vec![]),
            // Two long lines in a row.
            (
                format!("{long}\n{long}\n{e}"),
                3,
                vec![(0, Some(1), "too_large"), (1, Some(2), "too_large")],
                vec![2],
            ),
            // (Read, and not a Workfront event: it has no eventType.)
            (
                format!("{e}\r\n{at_limit}\r\n{e}"),
                3,
                vec![(1, Some(2), "invalid_event")],
                vec![0, 2],
            ),
            // The first line exactly at the limit, cut byte by byte: held
            // whole and read (a reader that took "at the limit" for "past
            // it" made it one `too_large`).
            (
                format!("{at_limit}\n{e}\n"),
                2,
                vec![(0, Some(1), "invalid_event")],
                vec![1],
            ),
            // A blank line past the limit is no line.
            (
                format!("{e}\n{}\n{e}", " ".repeat(MAX + 5)),
                2,
                vec![],
                vec![0, 1],
            ),
        ];
        for (case, (input, total, errs, matches)) in cases.into_iter().enumerate() {
            let opts = PreviewOptions {
                details: true,
                ..PreviewOptions::default()
            };
            let whole = sub.preview_with(input.as_bytes(), opts).unwrap();
            assert_eq!(whole.total, total, "case {case}");
            assert_eq!(errors(&whole), errs, "case {case}");
            assert_eq!(whole.matches, matches, "case {case}");
            for e in &whole.errors {
                if e.code.as_str() == "too_large" {
                    let want = format!("line {} is ", e.line.unwrap());
                    assert!(e.message.starts_with(&want), "{}", e.message);
                    assert!(
                        e.message.contains(&format!("limit of {MAX} bytes")),
                        "{}",
                        e.message
                    );
                }
            }
            let bytes = input.as_bytes();
            // Byte by byte, and cut at a few places.
            let all_cuts: Vec<usize> = (0..bytes.len()).collect();
            assert_eq!(
                chunked(sub, bytes, opts, &all_cuts),
                whole,
                "case {case} byte by byte"
            );
            for step in [7, 64, 399, 401] {
                let cuts: Vec<usize> = (step..bytes.len()).step_by(step).collect();
                assert_eq!(
                    chunked(sub, bytes, opts, &cuts),
                    whole,
                    "case {case} every {step}"
                );
            }
            // A set reads the same lines.
            let mut state = PreviewState::new(&set, PreviewOptions::default());
            for b in bytes {
                state.push(&set, std::slice::from_ref(b)).unwrap();
            }
            let s = state.finish(&set);
            // (A set reports lines it cannot read, not events of no vendor's shape.)
            let unread: Vec<_> = whole
                .errors
                .iter()
                .filter(|e| e.code.as_str() != "invalid_event")
                .cloned()
                .collect();
            assert_eq!((s.total, &s.errors), (whole.total, &unread));
        }
        // A first line exactly at the limit that is not JSON is not
        // "longer than the input limit" (the rule in preview/read.rs): the
        // input is read as JSON, held whole, and past the limit refused.
        let broken_at_limit = format!(r#"{{"a":"{}"#, "y".repeat(MAX - 6));
        assert_eq!(broken_at_limit.len(), MAX);
        assert_eq!(
            sub.preview(format!("{broken_at_limit}\n{e}\n").as_bytes())
                .unwrap_err()
                .code(),
            "too_large"
        );
        // A JSON input must be held whole: past the limit it is refused.
        let pretty = format!("[\n{e},\n{long}\n]");
        assert_eq!(
            sub.preview(pretty.as_bytes()).unwrap_err().code(),
            "too_large"
        );
        let forced = PreviewOptions {
            format: Format::Json,
            ..PreviewOptions::default()
        };
        assert_eq!(
            sub.preview_with(long.as_bytes(), forced)
                .unwrap_err()
                .code(),
            "too_large"
        );
    }));
    hookmatch::json::set_max_input_bytes(0);
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}
