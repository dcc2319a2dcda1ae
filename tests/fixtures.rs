//! Table-driven tests over tests/fixtures/<dialect>: the seeds' own examples
//! (specs and payloads), the vendors' current docs' examples, and events in
//! the shapes the vendors document, each with its expected outcome. The JS
//! suite reads the same tables through the built package.
#![cfg(not(target_arch = "wasm32"))]

use hookmatch::{CompileOptions, Dialect, Subscription};
use serde_json::{json, Map, Value};
use std::path::Path;

const DIALECTS: [&str; 5] = ["workfront", "asana", "kanboard", "rservice", "ricloud"];

fn read_in(dialect: &str, rel: &str) -> String {
    let path = Path::new("tests/fixtures").join(dialect).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read(rel: &str) -> String {
    read_in("workfront", rel)
}

fn table_in(dialect: &str, name: &str) -> Vec<Value> {
    serde_json::from_str::<Vec<Value>>(&read_in(dialect, name)).expect("fixture table is JSON")
}

fn table(name: &str) -> Vec<Value> {
    table_in("workfront", name)
}

/// Placeholders for values too large to write in a table.
fn expand(v: &Value) -> Value {
    match v.as_str() {
        Some("ELEVEN_GROUPS") => {
            let group = json!({"type": "group", "connector": "OR", "filters": [
                {"fieldName": "a", "fieldValue": 1}, {"fieldName": "b", "fieldValue": 2}]});
            Value::Array(vec![group; 11])
        }
        Some(s) if s.starts_with("LONG_") => Value::String("x".repeat(s[5..].parse().unwrap())),
        _ => v.clone(),
    }
}

/// The spec text of a case: a file, possibly with top-level keys replaced
/// (`with`) or removed (`without`).
fn spec_text(dialect: &str, case: &Value) -> String {
    if let Some(inline) = case.get("spec_inline") {
        return inline.to_string();
    }
    let text = read_in(
        dialect,
        &format!("specs/{}", case["spec"].as_str().unwrap()),
    );
    if case.get("with").is_none() && case.get("without").is_none() {
        return text;
    }
    let mut spec: Map<String, Value> =
        serde_json::from_str(&text).expect("a spec with overrides is JSON");
    if let Some(with) = case.get("with").and_then(Value::as_object) {
        for (k, v) in with {
            spec.insert(k.clone(), expand(v));
        }
    }
    for k in case
        .get("without")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        spec.remove(k.as_str().unwrap());
    }
    Value::Object(spec).to_string()
}

/// Specs from files are the folder's dialect unless a case says otherwise;
/// inline specs are left to detection unless they name one.
fn opts(dialect: &str, case: &Value) -> CompileOptions {
    let named = case
        .get("dialect")
        .and_then(Value::as_str)
        .map(|d| Dialect::parse(d).unwrap());
    let default = case.get("spec").map(|_| Dialect::parse(dialect).unwrap());
    CompileOptions {
        dialect: named.or(default),
        update: case.get("update").and_then(Value::as_bool).unwrap_or(false),
        ..CompileOptions::default()
    }
}

fn event_text(dialect: &str, case: &Value) -> String {
    match case.get("event_inline") {
        Some(inline) => inline.to_string(),
        None => read_in(
            dialect,
            &format!("events/{}", case["event"].as_str().unwrap()),
        ),
    }
}

#[test]
fn matching_cases() {
    let mut total = 0;
    for dialect in DIALECTS {
        for case in &table_in(dialect, "cases.json") {
            total += 1;
            let name = format!("{dialect}: {}", case["name"].as_str().unwrap());
            let sub = Subscription::compile_text(
                spec_text(dialect, case).as_bytes(),
                opts(dialect, case),
            )
            .unwrap_or_else(|e| panic!("{name}: spec does not compile: {e} {:?}", e.diagnostics));
            assert_eq!(sub.dialect().name(), dialect, "{name}");
            let event = event_text(dialect, case);
            let got = sub.matches_text(event.as_bytes());
            if let Some(code) = case.get("error").and_then(Value::as_str) {
                let err = got.expect_err(&name);
                assert_eq!(err.code(), code, "{name}: {}", err.message);
                assert_eq!(
                    err.path.as_deref(),
                    case.get("path").and_then(Value::as_str),
                    "{name}"
                );
                continue;
            }
            let want = case["matched"].as_bool().unwrap();
            assert_eq!(
                got.unwrap_or_else(|e| panic!("{name}: {e}")),
                want,
                "{name}"
            );
            let explanation = sub.explain_text(event.as_bytes()).unwrap();
            assert_eq!(
                explanation.matched, want,
                "{name}: explain disagrees with matches"
            );
            if let Some(field) = case.get("failing").and_then(Value::as_str) {
                let failing = explanation
                    .gate
                    .iter()
                    .chain(explanation.filters.iter())
                    .find(|c| !c.passed)
                    .unwrap_or_else(|| panic!("{name}: no failing check"));
                assert_eq!(failing.field, field, "{name}: {}", failing.reason);
            }
        }
    }
    assert!(total >= 85, "{total} cases");
}

#[test]
fn validation_cases() {
    for dialect in DIALECTS {
        for case in &table_in(dialect, "validation.json") {
            let name = format!("{dialect}: {}", case["name"].as_str().unwrap());
            let text = spec_text(dialect, case);
            let diags =
                hookmatch::subscription::validate_text(text.as_bytes(), opts(dialect, case))
                    .unwrap();
            let mut got: Vec<(String, String, String)> = diags
                .iter()
                .map(|d| {
                    (
                        format!("{:?}", d.severity).to_lowercase(),
                        d.code.to_string(),
                        d.path.clone(),
                    )
                })
                .collect();
            let mut want: Vec<(String, String, String)> = case["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| {
                    (
                        d[0].as_str().unwrap().to_string(),
                        d[1].as_str().unwrap().to_string(),
                        d[2].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            got.sort();
            want.sort();
            assert_eq!(got, want, "{name}: {diags:#?}");
            if let Some(msg) = case.get("message").and_then(Value::as_str) {
                assert!(
                    diags.iter().any(|d| d.message.contains(msg)),
                    "{name}: no message with {msg:?} in {diags:#?}"
                );
            }
            if opts(dialect, case).update {
                continue;
            }
            // compile agrees with validate: it fails exactly when there is an error.
            let compiled = Subscription::compile_text(text.as_bytes(), opts(dialect, case));
            let has_error = diags.iter().any(|d| d.is_error());
            assert_eq!(compiled.is_err(), has_error, "{name}");
            if let Err(e) = compiled {
                let first = diags.iter().find(|d| d.is_error()).unwrap();
                assert_eq!(e.public_code(), first.code, "{name}");
                assert_eq!(e.path.as_deref(), Some(first.path.as_str()), "{name}");
            }
        }
    }
}

#[test]
fn seed_update_example_as_printed_is_invalid_json() {
    let raw = read("events/update-seed-raw.txt");
    let sub = Subscription::compile_text(
        read("specs/seed-create-request.json").as_bytes(),
        CompileOptions::default(),
    )
    .unwrap();
    let err = sub.matches_text(raw.as_bytes()).unwrap_err();
    assert_eq!(err.code(), "invalid_json");
    assert_eq!(err.line, Some(51), "{}", err.message);
}

#[test]
fn base64_capture_gives_the_same_answers_as_the_plain_event() {
    let plain = read("events/update.json");
    let b64 = read("events/update-base64.json");
    for case in table("cases.json")
        .iter()
        .filter(|c| c["event"] == "update.json")
    {
        let sub = Subscription::compile_text(
            spec_text("workfront", case).as_bytes(),
            opts("workfront", case),
        )
        .unwrap();
        assert_eq!(
            sub.matches_text(plain.as_bytes()).unwrap(),
            sub.matches_text(b64.as_bytes()).unwrap(),
            "{}",
            case["name"]
        );
    }
}

/// Golden deliveries: the exact bytes for fixed inputs. The same file is
/// checked in Node and Chromium (tests/js, tests/wasm.rs), so the three
/// agree byte for byte. `UPDATE_GOLDEN=1 cargo test` rewrites the answers.
#[test]
fn golden_deliveries() {
    let path = Path::new("tests/fixtures/golden/deliveries.json");
    let mut cases: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    for case in cases.iter_mut() {
        let dialect = case["dialect"].as_str().unwrap().to_string();
        let name = case["name"].as_str().unwrap().to_string();
        let sub =
            Subscription::compile_text(spec_text(&dialect, case).as_bytes(), opts(&dialect, case))
                .unwrap();
        let event: Option<String> = case["event"]
            .as_str()
            .map(|f| read_in(&dialect, &format!("events/{f}")));
        let options = hookmatch::options::parse::<hookmatch::options::DeliverOptionsIn>(
            &case["opts"].to_string(),
            "deliver options",
        )
        .map(|o| o.0)
        .unwrap();
        let delivery = sub
            .deliver_text(event.as_deref().map(str::as_bytes), &options)
            .unwrap()
            .expect("golden events match");
        let got = serde_json::to_value(&delivery).unwrap();
        if update {
            case.as_object_mut().unwrap().insert("delivery".into(), got);
        } else {
            assert_eq!(got, case["delivery"], "{name}");
        }
    }
    if update {
        let mut text = serde_json::to_string_pretty(&cases).unwrap();
        text.push('\n');
        std::fs::write(path, text).unwrap();
    }
}
