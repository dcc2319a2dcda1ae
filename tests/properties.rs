//! Property tests (proptest): base64 against a reference written here from
//! RFC 4648 (not the crate hookmatch wraps), and the evaluation laws of
//! docs/vendors/workfront.md.
#![cfg(not(target_arch = "wasm32"))]

use hookmatch::base64::{decode, decode_with, encode, encode_with, Alphabet};
use hookmatch::eval::test as compare;
use hookmatch::plan::Comparison;
use hookmatch::value::Hint;
use hookmatch::{CompileOptions, Subscription};
use proptest::prelude::*;
use serde_json::{json, Value};

const STD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// RFC 4648 §4 (padded) and §5 (unpadded), bit by bit: 6 bits a character.
fn reference_encode(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let bits: Vec<u8> = bytes
        .iter()
        .flat_map(|b| (0..8).rev().map(move |i| (b >> i) & 1))
        .collect();
    let mut out = String::new();
    for chunk in bits.chunks(6) {
        let mut v = 0usize;
        for i in 0..6 {
            v = v << 1 | usize::from(chunk.get(i).copied().unwrap_or(0));
        }
        out.push(alphabet[v] as char);
    }
    while pad && out.len() % 4 != 0 {
        out.push('=');
    }
    out
}

/// The strict inverse: the bytes when `text` is exactly what
/// [`reference_encode`] writes for them, else `None` (bad characters, bad
/// length, non-zero padding bits, padding where none belongs).
fn reference_decode(text: &[u8], alphabet: &[u8; 64], pad: bool) -> Option<Vec<u8>> {
    let body: &[u8] = if pad {
        if text.len() % 4 != 0 {
            return None;
        }
        let n = text.iter().rev().take_while(|c| **c == b'=').count();
        if n > 2 {
            return None;
        }
        &text[..text.len() - n]
    } else {
        text
    };
    let mut bits = Vec::new();
    for c in body {
        let v = alphabet.iter().position(|a| a == c)?;
        bits.extend((0..6).rev().map(|i| (v >> i) & 1));
    }
    let bytes: Vec<u8> = bits
        .chunks_exact(8)
        .map(|c| c.iter().fold(0u8, |acc, b| acc << 1 | *b as u8))
        .collect();
    (reference_encode(&bytes, alphabet, pad).as_bytes() == text).then_some(bytes)
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| json!(n)),
        (-1e6f64..1e6).prop_map(|f| json!(f)),
        "[a-zA-Z0-9 ]{0,12}".prop_map(Value::String),
        (0u32..1000).prop_map(|n| Value::String(n.to_string())),
        prop_oneof![
            Just("true"),
            Just("false"),
            Just("CUR"),
            Just("2022-12-11T16:00:00Z")
        ]
        .prop_map(|s| Value::String(s.into())),
    ]
}

fn field_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        scalar(),
        prop::collection::vec(scalar(), 0..4).prop_map(Value::Array)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn base64_agrees_with_the_rfc_reference(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let text = encode(&bytes);
        prop_assert_eq!(&text, &reference_encode(&bytes, STD, true));
        prop_assert_eq!(decode(text.as_bytes()).unwrap(), bytes.clone());
        let url = encode_with(&bytes, Alphabet::Url);
        prop_assert_eq!(&url, &reference_encode(&bytes, URL, false));
        prop_assert_eq!(decode_with(url.as_bytes(), Alphabet::Url).unwrap(), bytes);
    }

    /// Strict decoding: exactly the texts the reference accepts.
    #[test]
    fn base64_decode_accepts_exactly_canonical_text(text in "[A-Za-z0-9+/=$-_]{0,24}") {
        prop_assert_eq!(decode(text.as_bytes()).ok(), reference_decode(text.as_bytes(), STD, true));
        // The URL alphabet is decoded unpadded, or padded in full.
        let url = reference_decode(text.as_bytes(), URL, false).or_else(|| reference_decode(text.as_bytes(), URL, true));
        prop_assert_eq!(decode_with(text.as_bytes(), Alphabet::Url).ok(), url);
    }

    /// OR of one filter is AND of one filter; changed is symmetric in old/new.
    #[test]
    fn connectors_of_one_and_changed_symmetry(
        cmp in prop_oneof![Just("eq"), Just("ne"), Just("gt"), Just("gte"), Just("lt"), Just("lte"), Just("contains"), Just("notContains"), Just("changed")],
        value in scalar(),
        new in prop::option::of(field_value()),
        old in prop::option::of(field_value()),
    ) {
        let filter = |connector: &str| {
            let mut f = json!({"fieldName": "f", "comparison": cmp});
            if cmp != "changed" { f["fieldValue"] = value.clone(); }
            json!({"objCode": "TASK", "eventType": "UPDATE", "url": "https://h.example.com", "authToken": "t", "filterConnector": connector, "filters": [f]})
        };
        let and = Subscription::compile(&filter("AND"), CompileOptions::default());
        // Some generated filters are invalid specs (e.g. an ordering on null): not this law's case.
        prop_assume!(and.is_ok());
        let and = and.unwrap();
        let or = Subscription::compile(&filter("OR"), CompileOptions::default()).unwrap();
        let state = |v: &Option<Value>| {
            let mut s = json!({"objCode": "TASK"});
            if let Some(v) = v { s["f"] = v.clone(); }
            s
        };
        let event = json!({"eventType": "UPDATE", "newState": state(&new), "oldState": state(&old)});
        prop_assert_eq!(and.matches(&event).unwrap(), or.matches(&event).unwrap());
        if cmp == "changed" {
            let swapped = json!({"eventType": "UPDATE", "newState": state(&old), "oldState": state(&new)});
            prop_assert_eq!(and.matches(&event).unwrap(), and.matches(&swapped).unwrap());
        }
    }

    /// A date compares the same whichever offset either side is written in.
    #[test]
    fn dates_agree_across_offsets(
        a in 0i64..4_000_000_000, b in 0i64..4_000_000_000,
        oa in -14i64 * 4..=14 * 4, ob in -14i64 * 4..=14 * 4,
        fa in 0usize..3, fb in 0usize..3,
        cmp in prop_oneof![Just(Comparison::Eq), Just(Comparison::Gt), Just(Comparison::Gte), Just(Comparison::Lt), Just(Comparison::Lte)],
    ) {
        let actual = Value::String(format_instant(a, oa * 15, fa));
        let expected = Value::String(format_instant(b, ob * 15, fb));
        let got = compare(cmp, &actual, &expected, &Hint::of(&expected));
        let want = match cmp {
            Comparison::Eq => a == b,
            Comparison::Gt => a > b,
            Comparison::Gte => a >= b,
            Comparison::Lt => a < b,
            _ => a <= b,
        };
        prop_assert_eq!(got, want, "{} vs {}", actual, expected);
    }
}

/// Unix seconds written as a local time at `offset_min`, in one of three styles.
fn format_instant(secs: i64, offset_min: i64, style: usize) -> String {
    let local = secs + offset_min * 60;
    let days = local.div_euclid(86_400);
    let rem = local.rem_euclid(86_400);
    let (y, m, d) = civil(days);
    let (h, mi, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    let sign = if offset_min < 0 { '-' } else { '+' };
    let (oh, om) = (offset_min.abs() / 60, offset_min.abs() % 60);
    let offset = match (style, offset_min) {
        (2, 0) => "Z".to_string(),
        (1, _) => format!("{sign}{oh:02}:{om:02}"),
        _ => format!("{sign}{oh:02}{om:02}"),
    };
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.000{offset}")
}

/// Howard Hinnant's civil_from_days.
fn civil(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}
