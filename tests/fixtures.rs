//! Table-driven tests over tests/fixtures/<dialect>: the seeds' own examples
//! (specs and payloads), the vendors' current docs' examples, and events in
//! the shapes the vendors document, each with its expected outcome, one test
//! per case. Each matching case's whole explanation is compared with its
//! snapshot (tests/fixtures/<dialect>/explanations.json): the reasons'
//! wording is product. `UPDATE_SNAPSHOTS=1 cargo test --test fixtures`
//! rewrites the snapshots, `UPDATE_GOLDEN=1` the golden deliveries. The JS
//! suite reads the same tables through the built package.
// Tests read JSON either way; the crate reads it through from_slice (clippy.toml).
#![allow(clippy::disallowed_methods)]

mod common;

use common::ensure;
use hookmatch::{CompileOptions, Dialect, Subscription};
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::{json, Map, Value};
use std::path::Path;

/// Every dialect of the registry, in its order (a vendor added there is
/// tested here with no edit).
fn dialects() -> impl Iterator<Item = &'static str> {
    hookmatch::dialect::REGISTRY.iter().map(|v| v.name())
}

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

fn case_name(case: &Value) -> String {
    case["name"].as_str().unwrap_or("?").to_string()
}

/// The explanation of a matching case, as JSON (its snapshot).
fn explanation(dialect: &str, case: &Value) -> Option<Value> {
    let sub = Subscription::compile_text(spec_text(dialect, case).as_bytes(), opts(dialect, case))
        .ok()?;
    let x = sub
        .explain_text(event_text(dialect, case).as_bytes())
        .ok()?;
    serde_json::to_value(x).ok()
}

fn snapshot_path(dialect: &str) -> std::path::PathBuf {
    Path::new("tests/fixtures")
        .join(dialect)
        .join("explanations.json")
}

fn snapshots(dialect: &str) -> Map<String, Value> {
    std::fs::read_to_string(snapshot_path(dialect))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

fn matching_case(dialect: &str, case: &Value, snapshot: Option<&Value>) -> Result<(), Failed> {
    let sub = Subscription::compile_text(spec_text(dialect, case).as_bytes(), opts(dialect, case))
        .map_err(|e| format!("spec does not compile: {e} {:?}", e.diagnostics))?;
    ensure(sub.dialect().name() == dialect, || {
        format!("dialect {}", sub.dialect().name())
    })?;
    let event = event_text(dialect, case);
    let got = sub.matches_text(event.as_bytes());
    if let Some(code) = case.get("error").and_then(Value::as_str) {
        let err = got.err().ok_or("matches did not fail")?;
        ensure(err.code() == code, || {
            format!("error {} ({})", err.code(), err.message)
        })?;
        let path = case.get("path").and_then(Value::as_str);
        return ensure(err.path.as_deref() == path, || {
            format!("error path {:?}", err.path)
        });
    }
    let want = case["matched"].as_bool().unwrap();
    let matched = got.map_err(|e| e.to_string())?;
    ensure(matched == want, || format!("matches is {matched}"))?;
    let x = sub
        .explain_text(event.as_bytes())
        .map_err(|e| e.to_string())?;
    ensure(x.matched == want, || {
        "explain disagrees with matches".into()
    })?;
    if let Some(field) = case.get("failing").and_then(Value::as_str) {
        let failing = x.gate.iter().chain(x.filters.iter()).find(|c| !c.passed);
        let failing = failing.ok_or("no failing check")?;
        ensure(failing.field == field, || {
            format!("failing check {} ({})", failing.field, failing.reason)
        })?;
    }
    let whole = serde_json::to_value(&x).unwrap();
    let snapshot =
        snapshot.ok_or("no snapshot: run UPDATE_SNAPSHOTS=1 cargo test --test fixtures")?;
    ensure(&whole == snapshot, || {
        format!("the explanation differs from its snapshot:\n got {whole}\nwant {snapshot}")
    })
}

fn validation_case(dialect: &str, case: &Value) -> Result<(), Failed> {
    let text = spec_text(dialect, case);
    let diags = hookmatch::subscription::validate_text(text.as_bytes(), opts(dialect, case))
        .map_err(|e| e.to_string())?;
    let want = case["diagnostics"]
        .as_array()
        .ok_or("the case has no \"diagnostics\"")?;
    common::same_diagnostics(&diags, want, case.get("message").and_then(Value::as_str))
}

fn seed_update_example_as_printed_is_invalid_json() -> Result<(), Failed> {
    let raw = read("events/update-seed-raw.txt");
    let sub = Subscription::compile_text(
        read("specs/seed-create-request.json").as_bytes(),
        CompileOptions::default(),
    )
    .map_err(|e| e.to_string())?;
    let err = sub
        .matches_text(raw.as_bytes())
        .err()
        .ok_or("the seed's raw text parsed")?;
    ensure(err.code() == "invalid_json", || err.code().into())?;
    ensure(err.line == Some(51), || err.message.clone())
}

fn base64_capture_gives_the_same_answers_as_the_plain_event() -> Result<(), Failed> {
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
        .map_err(|e| e.to_string())?;
        let (a, b) = (
            sub.matches_text(plain.as_bytes()),
            sub.matches_text(b64.as_bytes()),
        );
        ensure(a.ok() == b.ok(), || {
            format!("{}: base64 and plain differ", case_name(case))
        })?;
    }
    Ok(())
}

/// Golden deliveries: the exact bytes for fixed inputs. The same file is
/// checked in Node and Chromium (tests/js, tests/wasm.rs), so the three
/// agree byte for byte.
fn golden_case(case: &Value) -> Result<(), Failed> {
    let got = golden_delivery(case)?;
    ensure(got == case["delivery"], || format!("{got}"))
}

fn golden_delivery(case: &Value) -> Result<Value, Failed> {
    let dialect = case["dialect"].as_str().unwrap();
    let sub = Subscription::compile_text(spec_text(dialect, case).as_bytes(), opts(dialect, case))
        .map_err(|e| e.to_string())?;
    let event: Option<String> = case["event"]
        .as_str()
        .map(|f| read_in(dialect, &format!("events/{f}")));
    let options = hookmatch::options::parse::<hookmatch::options::DeliverOptionsIn>(
        &case["opts"].to_string(),
        "deliver options",
    )
    .map(|o| o.0)
    .map_err(|e| e.to_string())?;
    let delivery = sub
        .deliver_text(event.as_deref().map(str::as_bytes), &options)
        .map_err(|e| e.to_string())?
        .ok_or("golden events match")?;
    Ok(serde_json::to_value(&delivery).unwrap())
}

const GOLDEN: &str = "tests/fixtures/golden/deliveries.json";

fn main() {
    let args = Arguments::from_args();
    let mut golden: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(GOLDEN).unwrap()).unwrap();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        for case in golden.iter_mut() {
            let got = golden_delivery(case).expect("golden case delivers");
            case.as_object_mut().unwrap().insert("delivery".into(), got);
        }
        let mut text = serde_json::to_string_pretty(&golden).unwrap();
        text.push('\n');
        std::fs::write(GOLDEN, text).unwrap();
    }
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        for dialect in dialects() {
            let mut out = Map::new();
            for case in &table_in(dialect, "cases.json") {
                if case.get("error").is_none() {
                    if let Some(x) = explanation(dialect, case) {
                        out.insert(case_name(case), x);
                    }
                }
            }
            let mut text = serde_json::to_string_pretty(&Value::Object(out)).unwrap();
            text.push('\n');
            std::fs::write(snapshot_path(dialect), text).unwrap();
        }
    }
    let mut trials = Vec::new();
    let mut matching = 0;
    for dialect in dialects() {
        let snaps = snapshots(dialect);
        for case in table_in(dialect, "cases.json") {
            matching += 1;
            let snapshot = snaps.get(&case_name(&case)).cloned();
            let name = format!("{dialect} matching: {}", case_name(&case));
            trials.push(Trial::test(name, move || {
                matching_case(dialect, &case, snapshot.as_ref())
            }));
        }
        for case in table_in(dialect, "validation.json") {
            let name = format!("{dialect} validation: {}", case_name(&case));
            trials.push(Trial::test(name, move || validation_case(dialect, &case)));
        }
    }
    assert!(matching >= 85, "{matching} matching cases");
    for case in golden {
        let name = format!("golden: {}", case_name(&case));
        trials.push(Trial::test(name, move || golden_case(&case)));
    }
    trials.push(Trial::test(
        "seed update example as printed is invalid JSON",
        seed_update_example_as_printed_is_invalid_json,
    ));
    trials.push(Trial::test(
        "base64 capture gives the same answers as the plain event",
        base64_capture_gives_the_same_answers_as_the_plain_event,
    ));
    libtest_mimic::run(&args, trials).exit();
}
