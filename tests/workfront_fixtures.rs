//! Table-driven tests over tests/fixtures/workfront: the seed's own examples
//! (specs and payloads) and the current Workfront docs' examples, each with
//! its expected outcome.

use hookmatch::{CompileOptions, Dialect, Subscription};
use serde_json::{json, Map, Value};
use std::path::Path;

const DIR: &str = "tests/fixtures/workfront";

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(DIR).join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn table(name: &str) -> Vec<Value> {
    serde_json::from_str::<Vec<Value>>(&read(name)).expect("fixture table is JSON")
}

/// The spec text of a case: a file, possibly with top-level keys replaced
/// (`with`) or removed (`without`).
fn spec_text(case: &Value) -> String {
    if let Some(inline) = case.get("spec_inline") {
        return inline.to_string();
    }
    let text = read(&format!("specs/{}", case["spec"].as_str().unwrap()));
    if case.get("with").is_none() && case.get("without").is_none() {
        return text;
    }
    let mut spec: Map<String, Value> =
        serde_json::from_str(&text).expect("a spec with overrides is JSON");
    if let Some(with) = case.get("with").and_then(Value::as_object) {
        for (k, v) in with {
            let v = if v == "ELEVEN_GROUPS" {
                let group = json!({"type": "group", "connector": "OR", "filters": [
                    {"fieldName": "a", "fieldValue": 1}, {"fieldName": "b", "fieldValue": 2}]});
                Value::Array(vec![group; 11])
            } else {
                v.clone()
            };
            spec.insert(k.clone(), v);
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

/// Specs from files are Workfront's (this folder's dialect) unless a case
/// says otherwise; inline specs are left to detection unless they name one.
fn opts(case: &Value) -> CompileOptions {
    let named = case
        .get("dialect")
        .and_then(Value::as_str)
        .map(|d| Dialect::parse(d).unwrap());
    let default = case.get("spec").map(|_| Dialect::Workfront);
    CompileOptions {
        dialect: named.or(default),
        update: false,
    }
}

#[test]
fn matching_cases() {
    let cases = table("cases.json");
    assert!(cases.len() >= 50);
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let sub = Subscription::compile_text(spec_text(case).as_bytes(), opts(case))
            .unwrap_or_else(|e| panic!("{name}: spec does not compile: {e} {:?}", e.diagnostics));
        let event = read(&format!("events/{}", case["event"].as_str().unwrap()));
        let got = sub.matches_text(event.as_bytes());
        if let Some(code) = case.get("error").and_then(Value::as_str) {
            let err = got.expect_err(name);
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

#[test]
fn validation_cases() {
    for case in &table("validation.json") {
        let name = case["name"].as_str().unwrap();
        let diags =
            hookmatch::subscription::validate_text(spec_text(case).as_bytes(), opts(case)).unwrap();
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
        // compile agrees with validate: it fails exactly when there is an error.
        let compiled = Subscription::compile_text(spec_text(case).as_bytes(), opts(case));
        let has_error = diags.iter().any(|d| d.is_error());
        assert_eq!(compiled.is_err(), has_error, "{name}");
        if let Err(e) = compiled {
            let first = diags.iter().find(|d| d.is_error()).unwrap();
            assert_eq!(e.public_code(), first.code, "{name}");
            assert_eq!(e.path.as_deref(), Some(first.path.as_str()), "{name}");
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
        let sub = Subscription::compile_text(spec_text(case).as_bytes(), opts(case)).unwrap();
        assert_eq!(
            sub.matches_text(plain.as_bytes()).unwrap(),
            sub.matches_text(b64.as_bytes()).unwrap(),
            "{}",
            case["name"]
        );
    }
}
