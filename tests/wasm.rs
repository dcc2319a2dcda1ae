//! The binding, run as wasm by wasm-bindgen-test: in Node, and in headless
//! Chromium when WASM_BINDGEN_USE_BROWSER=1 (see `make test-wasm`).
// Tests read JSON either way; the crate reads it through from_slice (clippy.toml).
#![allow(clippy::disallowed_methods)]
#![cfg(target_arch = "wasm32")]

use hookmatch::wasm::{decode_base64, encode_base64, validate, JsSubscription};
use js_sys::{Reflect, Uint8Array, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

const SPEC: &str = include_str!("fixtures/workfront/specs/seed-create-request.json");
const UPDATE: &str = include_str!("fixtures/workfront/events/update.json");
const CREATE: &str = include_str!("fixtures/workfront/events/create.json");
const BASE64_SEED: &str = include_str!("fixtures/workfront/events/update-base64-seed.json");

fn field(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(k)).unwrap()
}

fn parse(text: &str) -> JsValue {
    JSON::parse(text).unwrap()
}

#[wasm_bindgen_test]
fn compiles_from_text_and_from_objects() {
    let a = JsSubscription::compile(JsValue::from_str(SPEC), None).unwrap();
    let b = JsSubscription::compile(parse(SPEC), None).unwrap();
    assert_eq!(a.dialect(), "workfront");
    for sub in [&a, &b] {
        assert!(sub.matches(JsValue::from_str(UPDATE)).unwrap());
        assert!(sub.matches(parse(UPDATE)).unwrap());
        assert!(sub
            .matches(Uint8Array::from(UPDATE.as_bytes()).into())
            .unwrap());
        assert!(!sub.matches(parse(CREATE)).unwrap());
    }
}

#[wasm_bindgen_test]
fn errors_are_hookmatch_errors_with_code_and_path() {
    let bad = SPEC.replace("\"UPDATE\"", "\"UPDATED\"");
    let err = JsSubscription::compile(JsValue::from_str(&bad), None)
        .err()
        .unwrap();
    let err: js_sys::Error = err.dyn_into().unwrap();
    assert_eq!(err.name(), "HookmatchError");
    assert_eq!(field(&err, "code"), "unknown_event_type");
    assert_eq!(field(&err, "path"), "/eventType");
    assert!(String::from(err.message()).contains("did you mean \"UPDATE\""));
    assert!(js_sys::Array::is_array(&field(&err, "diagnostics")));
}

#[wasm_bindgen_test]
fn explain_and_preview_return_plain_data() {
    let sub = JsSubscription::compile(JsValue::from_str(SPEC), None).unwrap();
    let x = sub.explain(JsValue::from_str(CREATE)).unwrap();
    assert_eq!(field(&x, "matched"), false);
    let gate = field(&x, "gate");
    assert_eq!(
        field(&field(&gate, "0"), "reason"),
        "eventType is \"CREATE\"; the subscription wants \"UPDATE\""
    );
    let batch = format!(
        "{}\n{}\n{}\n",
        UPDATE.replace('\n', " "),
        CREATE.replace('\n', " "),
        "{oops"
    );
    let r = sub.preview(JsValue::from_str(&batch), None).unwrap();
    assert_eq!(field(&r, "total"), 3);
    assert_eq!(field(&r, "matched"), 1);
    let errors = field(&r, "errors");
    assert_eq!(field(&field(&errors, "0"), "line"), 3);
    assert_eq!(field(&field(&errors, "0"), "code"), "invalid_json");
}

#[wasm_bindgen_test]
fn a_bad_base64_state_is_an_invalid_event_and_the_module_keeps_working() {
    let sub = JsSubscription::compile(JsValue::from_str(SPEC), None).unwrap();
    let err = sub.matches(JsValue::from_str(BASE64_SEED)).err().unwrap();
    assert_eq!(field(&err, "code"), "invalid_event");
    assert_eq!(field(&err, "path"), "/oldState");
    for _ in 0..1000 {
        assert!(sub.matches(JsValue::from_str("{")).is_err());
    }
    assert!(sub.matches(JsValue::from_str(UPDATE)).unwrap());
}

#[wasm_bindgen_test]
fn validate_never_throws_on_bad_specs() {
    let d = validate(JsValue::from_str("{\"objCode\": "), None).unwrap();
    assert_eq!(field(&field(&d, "0"), "code"), "invalid_json");
    let d = validate(JsValue::from_str(SPEC), None).unwrap();
    assert_eq!(js_sys::Array::from(&d).length(), 0);
}

#[wasm_bindgen_test]
fn base64_round_trip_and_strict_errors() {
    assert_eq!(
        encode_base64(JsValue::from_str("foobar"), None).unwrap(),
        "Zm9vYmFy"
    );
    assert_eq!(encode_base64(JsValue::from_str("é"), None).unwrap(), "w6k=");
    let bytes = decode_base64(JsValue::from_str("Zm9vYg=="), None).unwrap();
    assert_eq!(bytes.to_vec(), b"foob");
    let err = decode_base64(JsValue::from_str("Zm9v$mFy"), None)
        .err()
        .unwrap();
    assert_eq!(field(&err, "code"), "invalid_base64");
    assert_eq!(field(&err, "offset"), 4);
}

/// Fixture files the golden deliveries name, embedded (wasm has no file system).
fn fixture(path: &str) -> &'static str {
    match path {
        "asana/events/task-due-changed.json" => {
            include_str!("fixtures/asana/events/task-due-changed.json")
        }
        "asana/specs/filtered.json" => include_str!("fixtures/asana/specs/filtered.json"),
        "asana/specs/seed-create.json" => include_str!("fixtures/asana/specs/seed-create.json"),
        "kanboard/events/comment-create.json" => {
            include_str!("fixtures/kanboard/events/comment-create.json")
        }
        "kanboard/events/task-move-column.json" => {
            include_str!("fixtures/kanboard/events/task-move-column.json")
        }
        "kanboard/specs/seed-webhook.json" => {
            include_str!("fixtures/kanboard/specs/seed-webhook.json")
        }
        "ricloud/events/task-succeeded.json" => {
            include_str!("fixtures/ricloud/events/task-succeeded.json")
        }
        "ricloud/specs/config-new.json" => include_str!("fixtures/ricloud/specs/config-new.json"),
        "ricloud/specs/config-valid.json" => {
            include_str!("fixtures/ricloud/specs/config-valid.json")
        }
        "rservice/events/problem-update.json" => {
            include_str!("fixtures/rservice/events/problem-update.json")
        }
        "rservice/specs/seed-create.json" => {
            include_str!("fixtures/rservice/specs/seed-create.json")
        }
        "rservice/specs/seed-list-disabled.json" => {
            include_str!("fixtures/rservice/specs/seed-list-disabled.json")
        }
        "workfront/events/create.json" => include_str!("fixtures/workfront/events/create.json"),
        "workfront/events/update.json" => include_str!("fixtures/workfront/events/update.json"),
        "workfront/specs/seed-create-request.json" => {
            include_str!("fixtures/workfront/specs/seed-create-request.json")
        }
        other => panic!("fixture {other} is not embedded in tests/wasm.rs"),
    }
}

/// The golden deliveries of tests/fixtures/golden, byte for byte, here in
/// wasm (Node and Chromium) as natively and in the JS suite.
#[wasm_bindgen_test]
fn golden_deliveries_are_the_same_bytes_in_wasm() {
    let cases: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/golden/deliveries.json")).unwrap();
    for case in cases.as_array().unwrap() {
        let dialect = case["dialect"].as_str().unwrap();
        let mut spec: serde_json::Value = serde_json::from_str(fixture(&format!(
            "{dialect}/specs/{}",
            case["spec"].as_str().unwrap()
        )))
        .unwrap();
        if let Some(with) = case.get("with").and_then(|w| w.as_object()) {
            for (k, v) in with {
                spec[k] = v.clone();
            }
        }
        let options = parse(&format!("{{\"dialect\":\"{dialect}\"}}"));
        let sub = JsSubscription::compile(
            JsValue::from_str(&spec.to_string()),
            Some(options.unchecked_into()),
        )
        .unwrap();
        let event = match case["event"].as_str() {
            Some(f) => JsValue::from_str(fixture(&format!("{dialect}/events/{f}"))),
            None => JsValue::NULL,
        };
        let got = sub
            .deliver(
                event,
                Some(parse(&case["opts"].to_string()).unchecked_into()),
            )
            .unwrap();
        let got: serde_json::Value =
            serde_json::from_str(&String::from(JSON::stringify(&got).unwrap())).unwrap();
        assert_eq!(got, case["delivery"], "{}", case["name"]);
    }
}

/// The scanner's wasm SIMD path (16 bytes at a time) against the full parse:
/// a special byte (quote, backslash escape, control character) at every
/// offset of strings long enough to cross several chunks, in skipped and in
/// kept values.
#[wasm_bindgen_test]
fn the_simd_string_scan_agrees_with_a_full_parse_at_every_offset() {
    use hookmatch::{CompileOptions, Subscription};
    let sub = Subscription::compile_text(
        br#"{"objCode":"PROJ","eventType":"UPDATE","url":"https://h.example.com/x","authToken":"t",
            "filters":[{"fieldName":"name","fieldValue":"x","comparison":"contains"}]}"#,
        CompileOptions::default(),
    )
    .unwrap();
    let mut checked = 0;
    for len in 0..48 {
        for at in 0..=len {
            for special in [
                "\\\"",
                "\\\\",
                "\\u00e9x",
                "\\ud83d\\ude00",
                "\u{1}",
                "\\q",
                "\"",
                "é",
            ] {
                let mut s: String = "a".repeat(len);
                s.insert_str(at, special);
                let s = s.replace('a', "x");
                let text = format!(
                    r#"{{"eventType":"UPDATE","skipped":"{s}","newState":{{"objCode":"PROJ","name":"{s}","other":"{s}"}}}}"#
                );
                let fast = sub.matches_text(text.as_bytes());
                let full = sub.explain_text(text.as_bytes());
                match (&fast, &full) {
                    (Ok(m), Ok(x)) => assert_eq!(*m, x.matched, "{text}"),
                    (Err(a), Err(b)) => assert_eq!(a.code(), b.code(), "{text}"),
                    _ => panic!("scanner and full parse disagree on {text}: {fast:?} / {full:?}"),
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 9000);
}

/// The SIMD ASCII check against core's `is_ascii`: a byte of each kind at
/// every offset of inputs that cross several 16-byte steps.
#[wasm_bindgen_test]
fn the_simd_ascii_check_agrees_with_core_at_every_offset() {
    let mut checked = 0;
    for len in 0..70 {
        for at in 0..len {
            for byte in [0x00u8, 0x7F, 0x80, 0xA9, 0xC3, 0xFF] {
                let mut bytes = vec![b'a'; len];
                if let Some(b) = bytes.get_mut(at) {
                    *b = byte;
                }
                assert_eq!(
                    hookmatch::json::is_ascii(&bytes),
                    bytes.is_ascii(),
                    "{byte:#x} at {at} of {len}"
                );
                checked += 1;
            }
        }
        assert!(hookmatch::json::is_ascii(&vec![b'a'; len]));
    }
    assert!(checked > 14_000);
}

/// Bytes a page writes into the inbox itself (any page holds its view) are
/// read as `matches_text` reads bytes: ASCII as it is, anything else
/// validated, so a byte that is not UTF-8 is `invalid_json` at every offset
/// even when the page claims as many units as bytes (all ASCII). Validity
/// comes from `std::str::from_utf8`, the answers from `matches_text`.
#[wasm_bindgen_test]
fn the_inbox_reads_what_a_page_wrote_as_matches_text_does() {
    use hookmatch::{CompileOptions, Subscription};
    let spec =
        br#"{"objCode":"PROJ","eventType":"UPDATE","url":"https://h.example.com/x","authToken":"t",
                    "filters":[{"fieldName":"name","fieldValue":"x","comparison":"contains"}]}"#;
    let js = JsSubscription::compile(JsValue::from_str(std::str::from_utf8(spec).unwrap()), None)
        .unwrap();
    let core = Subscription::compile_text(spec, CompileOptions::default()).unwrap();
    let mut invalid = 0;
    for at in 0..40 {
        for insert in [&[0xFFu8][..], &[0xC3], &[0xC3, 0xA9], &[0x80], b"x"] {
            let mut bytes =
                br#"{"eventType":"UPDATE","newState":{"objCode":"PROJ","name":"aaaaaaaaaaaaaaaaaaaaaaaa"}}"#
                    .to_vec();
            // Inside the name's value, from its first byte to its last.
            let start = bytes.windows(8).position(|w| w == br#""name":""#).unwrap() + 8;
            let at = start + at % 25;
            bytes.splice(at..at, insert.iter().copied());
            let len = bytes.len() as u32;
            let key = 1000.0 + f64::from(len);
            let view = hookmatch::wasm::inbox(len, key);
            view.subarray(0, len).copy_from(&bytes);
            // The page claims `len` units: as many as bytes, as if ASCII.
            let answer = js.matches_inbox(len, len, key);
            let want = core.matches_text(&bytes);
            match (answer, want) {
                (Ok(a), Ok(w)) => {
                    assert!(std::str::from_utf8(&bytes).is_ok());
                    assert_eq!(a, u32::from(w));
                }
                (Err(e), Err(w)) => {
                    assert!(std::str::from_utf8(&bytes).is_err());
                    assert_eq!(field(&e, "code").as_string().as_deref(), Some(w.code()));
                    invalid += 1;
                }
                (a, w) => panic!("inbox {a:?} and matches_text {w:?} disagree on {bytes:?}"),
            }
        }
    }
    assert_eq!(invalid, 40 * 3);
}
