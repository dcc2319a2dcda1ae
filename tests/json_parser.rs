//! hookmatch's JSON reader (`json::parser`) and the event scanner answer as
//! serde_json's reader answers, which the crate used before them: the same
//! documents accepted, the same tree (key order, number kinds, float bits),
//! the same message, line and column for every refusal. The documents come
//! from a generator of this file's own (values written with random spacing,
//! escapes and number spellings, then cut, spliced and corrupted), not from
//! either reader, and from a table of edges written by hand.
// serde_json's reader is the oracle here (clippy.toml keeps it out of the crate).
#![allow(clippy::disallowed_methods)]
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::Rng;
use hookmatch::json::parser;
use hookmatch::projection::{self, Projection};
use serde_json::Value;

/// The same tree, strictly: `Value`'s `==` takes `-0.0` for `0.0` and
/// `1.0` for nothing else, so numbers are compared by kind and bits.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            (
                x.as_u64(),
                x.as_i64(),
                x.as_f64().map(f64::to_bits),
                x.is_f64(),
            ) == (
                y.as_u64(),
                y.as_i64(),
                y.as_f64().map(f64::to_bits),
                y.is_f64(),
            )
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((kx, vx), (ky, vy))| kx == ky && same(vx, vy))
        }
        _ => a == b,
    }
}

/// serde_json's answer and ours, as comparable text.
fn oracle(bytes: &[u8]) -> Result<Value, String> {
    serde_json::from_slice::<Value>(bytes).map_err(|e| e.to_string())
}

fn agree(bytes: &[u8]) -> Result<(), String> {
    let want = oracle(bytes);
    // The message, line and column one by one (as `preview` words a line's
    // error from them); `check` below is held to the whole `Display`.
    let got = parser::value(bytes)
        .map_err(|e| format!("{} at line {} column {}", e.message(), e.line, e.column));
    let ok = match (&want, &got) {
        (Ok(w), Ok(g)) => same(w, g),
        (Err(w), Err(g)) => w == g,
        _ => false,
    };
    if !ok {
        return Err(format!(
            "value: {:?}\n  serde_json: {want:?}\n  hookmatch:  {got:?}",
            String::from_utf8_lossy(bytes)
        ));
    }
    let checked = parser::check(bytes).map_err(|e| e.to_string());
    if checked != got.as_ref().map(|_| ()).map_err(Clone::clone) {
        return Err(format!(
            "check: {:?}\n  value: {got:?}\n  check: {checked:?}",
            String::from_utf8_lossy(bytes)
        ));
    }
    // The scanner, through the projection (text only: it reads `&str`).
    if let Ok(text) = std::str::from_utf8(bytes) {
        for p in projections() {
            let scanned = projection::parse(text, &p)
                .map(|n| n.to_value())
                .map_err(|e| e.to_string());
            let agrees = match (&scanned, &want) {
                (Ok(s), Ok(w)) => same(s, &project(w, &p)),
                (Err(s), Err(w)) => s == w,
                _ => false,
            };
            if !agrees {
                return Err(format!(
                    "projection: {text:?}\n  serde_json: {want:?}\n  scanner:    {scanned:?}"
                ));
            }
        }
    }
    Ok(())
}

/// What the generated documents' projections keep.
fn projections() -> Vec<Projection> {
    let mut keyed = Projection::default();
    for path in [&["a"][..], &["b", "c"], &["é"], &["a\"b"], &["k1"]] {
        keyed.keep(path);
    }
    vec![Projection::everything(), keyed, Projection::default()]
}

/// `v` cut down to what `p` keeps, written apart from the scanner: kept
/// places whole, objects to their kept keys (in the document's order; a
/// repeated key's last value), anything but an object where keys were named
/// whole.
fn project(v: &Value, p: &Projection) -> Value {
    if p.all {
        return v.clone();
    }
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter_map(|(k, v)| p.child(k).map(|(_, c)| (k.clone(), project(v, c))))
                .collect(),
        ),
        Value::Array(items) => match &p.items {
            Some(items_p) => Value::Array(items.iter().map(|v| project(v, items_p)).collect()),
            None => v.clone(),
        },
        _ => v.clone(),
    }
}

/// A random value written as JSON text with random spacing, escapes and
/// number spellings.
fn write_value(r: &mut Rng, depth: usize, out: &mut String) {
    let kind = if depth > 5 { r.below(5) } else { r.below(7) };
    match kind {
        0 => out.push_str(r.pick::<&str>(&["null", "true", "false"])),
        1 | 2 => write_number(r, out),
        3 | 4 => write_string(r, out),
        5 => {
            out.push('[');
            let n = r.below(4);
            for i in 0..n {
                if i > 0 {
                    out.push(',');
                }
                space(r, out);
                write_value(r, depth + 1, out);
                space(r, out);
            }
            out.push(']');
        }
        _ => {
            out.push('{');
            let n = r.below(4);
            for i in 0..n {
                if i > 0 {
                    out.push(',');
                }
                space(r, out);
                // Keys the projections name, repeated keys, escaped keys.
                let key = *r.pick(&[
                    "\"a\"",
                    "\"b\"",
                    "\"c\"",
                    "\"\\u00e9\"",
                    "\"é\"",
                    "\"a\\\"b\"",
                    "\"k1\"",
                    "\"x\"",
                ]);
                out.push_str(key);
                space(r, out);
                out.push(':');
                space(r, out);
                write_value(r, depth + 1, out);
                space(r, out);
            }
            out.push('}');
        }
    }
}

fn space(r: &mut Rng, out: &mut String) {
    if r.chance(30) {
        out.push_str(r.pick::<&str>(&[" ", "\n", "\t", "\r\n", "  \n "]));
    }
}

fn write_number(r: &mut Rng, out: &mut String) {
    if r.chance(40) {
        // Edges of u64, i64 and f64.
        out.push_str(r.pick::<&str>(&[
            "0",
            "-0",
            "-0.0",
            "0.0",
            "1e0",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "9223372036854775807",
            "-18446744073709551615",
            "-18446744073709551616",
            "1.7976931348623157e308",
            "1.7976931348623159e308",
            "1.8e308",
            "-1.8e308",
            "4.9e-324",
            "2.4e-324",
            "2.5e-324",
            "1e-400",
            "-1e-400",
            "0e99999999999",
            "1e99999999999",
            "1e-99999999999",
            "-1e2147483647",
            "1e2147483648",
            "0.0e2147483648",
            "123456789012345678901234567890",
            "0.30000000000000004",
            "9007199254740993",
            "2.2250738585072011e-308",
            "1E+2",
            "1E-2",
            "1e+",
            "1e",
            "-",
            "01",
            "1.",
            ".5",
            "-a",
            "1.e5",
            "+1",
            "1ee5",
            "0x10",
            "1.5e3.2",
        ]));
        return;
    }
    if r.chance(20) {
        out.push('-');
    }
    let most = if r.chance(10) { 400 } else { 20 };
    let int_digits = 1 + r.below(most);
    out.push(char::from(b'1' + r.below(9) as u8));
    for _ in 1..int_digits {
        out.push(char::from(b'0' + r.below(10) as u8));
    }
    if r.chance(40) {
        out.push('.');
        for _ in 0..1 + r.below(25) {
            out.push(char::from(b'0' + r.below(10) as u8));
        }
    }
    if r.chance(30) {
        out.push_str(r.pick::<&str>(&["e", "E", "e+", "e-", "E-"]));
        let most = if r.chance(10) { 100_000 } else { 330 };
        let exp = r.below(most);
        out.push_str(&exp.to_string());
    }
}

fn write_string(r: &mut Rng, out: &mut String) {
    out.push('"');
    for _ in 0..r.below(12) {
        match r.below(10) {
            0 => out.push_str(r.pick::<&str>(&[
                "\\n",
                "\\\"",
                "\\\\",
                "\\/",
                "\\b",
                "\\f",
                "\\r",
                "\\t",
                "\\u0041",
                "\\u00E9",
                "\\ud83d\\ude00",
                "\\uD83D\\uDE00",
                "\\ud800",
                "\\udc00",
                "\\ud800\\u0041",
                "\\ud800x",
                "\\ud800\\",
                "\\u12",
                "\\uzzzz",
                "\\x",
                "\\u0000",
            ])),
            1 => out.push_str(r.pick::<&str>(&["é", "€", "😀", "\u{7f}", "\t", "\u{1}"])),
            _ => out.push(char::from(b'a' + r.below(26) as u8)),
        }
    }
    out.push('"');
}

/// A document broken the ways text is broken: cut, a byte dropped, doubled,
/// replaced (by JSON punctuation, a control byte or a stray UTF-8 byte), or
/// two documents spliced.
fn mutate(r: &mut Rng, doc: &[u8], other: &[u8]) -> Vec<u8> {
    let mut out = doc.to_vec();
    if out.is_empty() {
        return out;
    }
    let at = r.below(out.len());
    match r.below(6) {
        0 => out.truncate(at),
        1 => {
            out.remove(at);
        }
        2 => out.insert(at, out[at]),
        3 => {
            out[at] = *r.pick(b"{}[],:\"\\ -.e0\n\x00\x1f\xff\xc3\xed");
        }
        4 => {
            let cut = r.below(other.len().max(1));
            out.truncate(at);
            out.extend_from_slice(other.get(cut..).unwrap_or_default());
        }
        _ => {
            out.extend_from_slice(r.pick::<&[u8]>(&[&b" x"[..], b",", b"]", b"}", b" 1", b"\n{}"]))
        }
    }
    out
}

#[test]
fn generated_documents_and_their_breakages_read_as_serde_json_reads_them() {
    let mut r = Rng(0x005e_ed0f_4a50_9a45);
    let mut docs: Vec<String> = Vec::new();
    let mut failures = Vec::new();
    let (mut accepted, mut refused) = (0, 0);
    for _ in 0..6_000 {
        let mut doc = String::new();
        space(&mut r, &mut doc);
        write_value(&mut r, 0, &mut doc);
        space(&mut r, &mut doc);
        docs.push(doc);
    }
    for (i, doc) in docs.iter().enumerate() {
        let other = docs[(i * 7 + 3) % docs.len()].as_bytes();
        let mut cases = vec![doc.as_bytes().to_vec()];
        for _ in 0..4 {
            cases.push(mutate(&mut r, doc.as_bytes(), other));
        }
        for case in cases {
            match oracle(&case) {
                Ok(_) => accepted += 1,
                Err(_) => refused += 1,
            }
            if let Err(e) = agree(&case) {
                failures.push(e);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreements, first:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The generator reaches both sides.
    assert!(
        accepted > 5_000 && refused > 5_000,
        "{accepted} accepted, {refused} refused"
    );
}

#[test]
fn a_table_of_edges_reads_as_serde_json_reads_it() {
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    let mut cases: Vec<Vec<u8>> = [
        "",
        " ",
        "n",
        "nul",
        "nulx",
        "true",
        "tru",
        "falsey",
        "[",
        "]",
        "[1",
        "[1,",
        "[1,]",
        "[1 2]",
        "{",
        "{\"a\"",
        "{\"a\":",
        "{\"a\":1",
        "{\"a\":1,",
        "{\"a\":1,}",
        "{1:2}",
        "{\"a\" 1}",
        "{\"a\":1 \"b\":2}",
        "{\"a\":1}}",
        "\"abc",
        "\"a\\",
        "\"a\\u12\"",
        "\"\\ud800\"",
        "\"\\udc00\"",
        "\"\\ud800\\n\"",
        "\"\\ud800\\u0041\"",
        "\"\\ud800\"x",
        "\"\\uD83D\\uDE00\"",
        "\"tab\there\"",
        "\"nl\nx\"",
        "\n\n  [1,\n  tru]",
        "{\"a\":1,\"a\":2,\"b\":3,\"a\":4}",
        "[1]x",
        "[1] ",
        "1 2",
        "-",
        "--1",
        "-01",
        "00",
        "1.",
        "1.x",
        "1e",
        "1e+",
        "1ex",
        "2.",
        "1E400",
        "-1E400",
        "1e-400",
        "123456789012345678901234567890e-10",
        "1e99999999999",
        "0e99999999999",
        "-0.000e99999999999",
        "1e-99999999999",
        "\u{feff}{}",
        "{\"é\":\"\\u00e9\"}",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    cases.push(deep(127).into_bytes());
    // Far more sibling containers than the nesting limit: each one closed
    // gives its level back.
    cases.push(format!("[{}[]]", "[[]],".repeat(200)).into_bytes());
    let members: String = (0..200)
        .map(|i| format!("\"k{i}\":{{\"a\":{{}}}},"))
        .collect();
    cases.push(format!("{{{members}\"z\":{{}}}}").into_bytes());
    cases.push(format!("[{}{}]", "{\"a\":[]},".repeat(200), deep(126)).into_bytes());
    cases.push(deep(128).into_bytes());
    cases.push(format!("{{\"a\":{}}}", deep(127)).into_bytes());
    cases.push(b"[\"\xff\"]".to_vec());
    cases.push(b"{\"k\xc3\":1}".to_vec());
    cases.push(b"[\"ab\\n\xed\xa0\x80\"]".to_vec());
    cases.push(b"[1,\xff]".to_vec());
    cases.push(format!("[{}]", "9".repeat(400)).into_bytes());
    cases.push(format!("[0.{}1e5]", "0".repeat(800)).into_bytes());
    let failures: Vec<String> = cases.iter().filter_map(|c| agree(c).err()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `preview`'s reader of documents one after another: the same documents,
/// ending at the same offsets, and the same error where serde_json's
/// `StreamDeserializer` stops.
#[test]
fn documents_one_after_another_end_where_serde_jsons_stream_ends_them() {
    let mut r = Rng(0x00d0_c50f_57ea_4a11);
    let mut failures = Vec::new();
    let mut inputs: Vec<Vec<u8>> = [
        "1 2 3",
        "1[2]",
        "[1]2",
        "\"a\"\"b\"",
        "1x",
        "truefalse",
        "true false",
        "{}{}",
        "{} ,{}",
        "1,2",
        "  ",
        "",
        "[1] [2",
        "{\"a\":1}\n{\"a\":2}\n",
        "nul",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    for _ in 0..3_000 {
        let mut text = String::new();
        for _ in 0..1 + r.below(4) {
            write_value(&mut r, 2, &mut text);
            if r.chance(70) {
                text.push_str(r.pick::<&str>(&[" ", "\n", "", "\r\n"]));
            }
        }
        let other = text.clone();
        inputs.push(if r.chance(50) {
            text.into_bytes()
        } else {
            mutate(&mut r, other.as_bytes(), b"{}")
        });
    }
    for input in &inputs {
        let mut want = Vec::new();
        let mut stream = serde_json::Deserializer::from_slice(input).into_iter::<Value>();
        loop {
            match stream.next() {
                None => break,
                Some(Ok(_)) => want.push(Ok(stream.byte_offset())),
                Some(Err(e)) => {
                    want.push(Err(e.to_string()));
                    break;
                }
            }
        }
        let mut got = Vec::new();
        let mut docs = parser::Documents::new(input);
        while let Some(item) = docs.next() {
            match item {
                Ok(()) => got.push(Ok(docs.byte_offset())),
                Err(e) => got.push(Err(e.to_string())),
            }
        }
        if want != got {
            failures.push(format!(
                "{:?}\n  serde_json: {want:?}\n  hookmatch:  {got:?}",
                String::from_utf8_lossy(input)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreements, first:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The pieces the scanner reads through: a number's text and a string's.
#[test]
fn numbers_and_strings_alone_read_as_serde_json_reads_them() {
    let mut r = Rng(0x0dd_5ca1e);
    for _ in 0..20_000 {
        let mut text = String::new();
        if r.chance(50) {
            write_number(&mut r, &mut text);
            let want = serde_json::from_str::<Value>(&text).ok();
            let got = parser::number(&text).map(Value::Number);
            let agrees = match (&want, &got) {
                (Some(w @ Value::Number(_)), Some(g)) => same(w, g),
                (Some(Value::Number(_)), None) => false,
                (_, got) => got.is_none(),
            };
            assert!(agrees, "{text:?}: serde_json {want:?}, hookmatch {got:?}");
        } else {
            write_string(&mut r, &mut text);
            let want = serde_json::from_str::<Value>(&text).ok();
            let got = parser::string(&text).map(Value::String);
            assert_eq!(want, got, "{text:?}");
        }
    }
}
