//! The vendor conformance corpus (tests/conformance/<vendor>/*.json): each
//! case is a spec, an event, a delivery request or a batch, the answer the
//! vendor gives, and the vendor document or source it comes from. One test
//! per case. The same files run through the built package in
//! tests/js/conformance.test.mjs; docs/vendors/README.md describes the format.
// Tests read JSON either way; the crate reads it through from_slice (clippy.toml).
#![allow(clippy::disallowed_methods)]

mod common;

use common::ensure;
use hookmatch::options::{parse, DeliverOptionsIn, PreviewOptionsIn, SpecOptions};
use hookmatch::{CompileOptions, Subscription};
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::{Map, Value};
use std::path::Path;

fn main() {
    let args = Arguments::from_args();
    let mut trials = Vec::new();
    let root = Path::new("tests/conformance");
    let mut vendors: Vec<_> = std::fs::read_dir(root)
        .expect("tests/conformance exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    vendors.sort();
    for dir in vendors {
        let vendor = dir.file_name().unwrap().to_string_lossy().to_string();
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        for file in files
            .into_iter()
            .filter(|f| f.extension().is_some_and(|e| e == "json"))
        {
            let stem = file.file_stem().unwrap().to_string_lossy().to_string();
            let text = std::fs::read_to_string(&file).unwrap();
            let cases: Vec<Value> =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            for case in cases {
                let name = format!("{vendor}/{stem}: {}", case["name"].as_str().unwrap_or("?"));
                let vendor = vendor.clone();
                trials.push(Trial::test(name, move || run(&vendor, &case)));
            }
        }
    }
    libtest_mimic::run(&args, trials).exit();
}

fn fail(message: String) -> Failed {
    message.into()
}

/// Every case names the document or source file, the section and the
/// version (commit or date) it follows.
fn source_is_cited(case: &Value) -> Result<(), Failed> {
    let source = &case["source"];
    for key in ["document", "section", "version"] {
        ensure(
            source[key].as_str().is_some_and(|s| !s.trim().is_empty()),
            || format!("the case has no source.{key}"),
        )?;
    }
    Ok(())
}

fn spec_options(vendor: &str, case: &Value) -> Result<CompileOptions, Failed> {
    let mut o = case
        .get("options")
        .cloned()
        .unwrap_or(Value::Object(Map::new()));
    if let Some(m) = o.as_object_mut() {
        if !m.contains_key("dialect") && case.get("detect") != Some(&Value::Bool(true)) {
            m.insert("dialect".into(), vendor.into());
        }
    }
    let o: SpecOptions = parse(&o.to_string(), "options").map_err(|e| fail(e.message))?;
    o.to_compile().map_err(|e| fail(e.message))
}

fn spec_text(case: &Value) -> String {
    match case.get("spec_text").and_then(Value::as_str) {
        Some(t) => t.to_string(),
        None => case["spec"].to_string(),
    }
}

/// An event's text: as written (`event_text`), as an object (`event`), or
/// an object padded so its compact text is exactly `bytes` long
/// (`event_pad`: the string at `pointer` is filled with "x").
fn event_text(holder: &Value) -> Option<String> {
    if let Some(t) = holder.get("event_text").and_then(Value::as_str) {
        return Some(t.to_string());
    }
    if let Some(pad) = holder.get("event_pad") {
        let mut event = pad["event"].clone();
        let pointer = pad["pointer"].as_str().unwrap();
        let bytes = pad["bytes"].as_u64().unwrap() as usize;
        let base = event.to_string().len();
        let target = event.pointer_mut(pointer).expect("event_pad pointer");
        let have = target.as_str().unwrap().len();
        *target = Value::String("x".repeat(have + bytes - base));
        let text = event.to_string();
        assert_eq!(text.len(), bytes);
        return Some(text);
    }
    match holder.get("event") {
        None | Some(Value::Null) => None,
        Some(e) => Some(e.to_string()),
    }
}

fn run(vendor: &str, case: &Value) -> Result<(), Failed> {
    source_is_cited(case)?;
    let opts = spec_options(vendor, case)?;
    let spec = spec_text(case);
    let expect = &case["expect"];
    if case.get("validate").is_some() || expect.get("diagnostics").is_some() {
        return validation(&spec, opts, expect);
    }
    let sub = match Subscription::compile_text(spec.as_bytes(), opts) {
        Ok(sub) => sub,
        Err(e) => {
            return Err(fail(format!(
                "the spec does not compile: {e} {:?}",
                e.diagnostics
            )))
        }
    };
    if let Some(want) = expect.get("dialect").and_then(Value::as_str) {
        ensure(sub.dialect().name() == want, || {
            format!("dialect {}", sub.dialect().name())
        })?;
    }
    if let Some(d) = case.get("deliver") {
        return delivery(&sub, d, expect);
    }
    if let Some(p) = case.get("preview") {
        return preview(&sub, p, expect);
    }
    matching(&sub, case, expect)
}

fn validation(spec: &str, opts: CompileOptions, expect: &Value) -> Result<(), Failed> {
    let diags = hookmatch::subscription::validate_text(spec.as_bytes(), opts)
        .map_err(|e| fail(e.message))?;
    // A case with no "diagnostics" expects none.
    let want = expect["diagnostics"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    common::same_diagnostics(&diags, want, expect.get("message").and_then(Value::as_str))
}

fn matching(sub: &Subscription, case: &Value, expect: &Value) -> Result<(), Failed> {
    let text = event_text(case).ok_or_else(|| fail("the case has no event".into()))?;
    let got = sub.matches_text(text.as_bytes());
    if let Some(err) = expect.get("error") {
        let e = got
            .err()
            .ok_or_else(|| fail("matches did not fail".into()))?;
        ensure(e.code() == err["code"], || {
            format!("error {} ({})", e.code(), e.message)
        })?;
        if let Some(path) = err.get("path").and_then(Value::as_str) {
            ensure(e.path.as_deref() == Some(path), || {
                format!("error path {:?}", e.path)
            })?;
        }
        return Ok(());
    }
    let matched = got.map_err(|e| fail(format!("matches failed: {} {}", e.code(), e.message)))?;
    let want = expect["matched"].as_bool().expect("expect.matched");
    ensure(matched == want, || format!("matches is {matched}"))?;
    let x = sub
        .explain_text(text.as_bytes())
        .map_err(|e| fail(e.message))?;
    ensure(x.matched == want, || {
        "explain disagrees with matches".into()
    })?;
    let failing = x.gate.iter().chain(x.filters.iter()).find(|c| !c.passed);
    if let Some(field) = expect.get("failing").and_then(Value::as_str) {
        let c = failing.ok_or_else(|| fail("no failing check".into()))?;
        ensure(c.field == field, || {
            format!("failing check is {} ({})", c.field, c.reason)
        })?;
    }
    if let Some(reason) = expect.get("reason").and_then(Value::as_str) {
        let all: Vec<&str> = x
            .gate
            .iter()
            .chain(x.filters.iter())
            .map(|c| c.reason.as_str())
            .collect();
        ensure(all.iter().any(|r| r.contains(reason)), || {
            format!("no reason says {reason:?}: {all:?}")
        })?;
    }
    Ok(())
}

fn delivery(sub: &Subscription, d: &Value, expect: &Value) -> Result<(), Failed> {
    let opts_text = d
        .get("options")
        .map_or("null".to_string(), Value::to_string);
    let opts = parse::<DeliverOptionsIn>(&opts_text, "deliver options")
        .map(|o| o.0)
        .map_err(|e| fail(e.message))?;
    let text = event_text(d);
    let got = sub.deliver_text(text.as_deref().map(str::as_bytes), &opts);
    if let Some(err) = expect.get("error") {
        let e = got
            .err()
            .ok_or_else(|| fail("deliver did not fail".into()))?;
        return ensure(e.code() == err["code"], || {
            format!("error {} ({})", e.code(), e.message)
        });
    }
    let got = got.map_err(|e| fail(format!("deliver failed: {} {}", e.code(), e.message)))?;
    if expect.get("delivery") == Some(&Value::Null) {
        return ensure(got.is_none(), || format!("a delivery: {got:?}"));
    }
    let got = got.ok_or_else(|| fail("deliver returned null".into()))?;
    if let Some(url) = expect.get("url").and_then(Value::as_str) {
        ensure(got.url == url, || format!("url {}", got.url))?;
    }
    if let Some(headers) = expect.get("headers").and_then(Value::as_object) {
        for (k, v) in headers {
            ensure(got.headers.get(k) == Some(v), || {
                format!("header {k}: {:?} in {:?}", got.headers.get(k), got.headers)
            })?;
        }
    }
    if let Some(names) = expect.get("header_names").and_then(Value::as_array) {
        let have: Vec<&str> = got.headers.keys().map(String::as_str).collect();
        let want: Vec<&str> = names.iter().filter_map(Value::as_str).collect();
        ensure(have == want, || format!("header names {have:?}"))?;
    }
    if let Some(body) = expect.get("body").and_then(Value::as_str) {
        ensure(got.body == body, || format!("body {}", got.body))?;
    }
    if let Some(parts) = expect.get("body_contains").and_then(Value::as_array) {
        for p in parts.iter().filter_map(Value::as_str) {
            ensure(got.body.contains(p), || {
                format!("body lacks {p:?}: {}", got.body)
            })?;
        }
    }
    if let Some(json) = expect.get("body_json") {
        let parsed: Value = serde_json::from_str(&got.body).map_err(|e| fail(e.to_string()))?;
        ensure(&parsed == json, || format!("body {}", got.body))?;
    }
    if let Some(secret) = expect.get("verifies_with").and_then(Value::as_str) {
        let delivery = serde_json::to_value(&got).unwrap();
        let now = opts.timestamp.unwrap_or(0);
        let ok = hookmatch::dialect::verify(
            &delivery,
            secret,
            hookmatch::signing::VerifyOptions {
                now,
                tolerance: None,
            },
        )
        .map_err(|e| fail(e.message))?;
        ensure(ok, || {
            format!("the delivery does not verify with {secret:?}")
        })?;
    }
    Ok(())
}

fn preview(sub: &Subscription, p: &Value, expect: &Value) -> Result<(), Failed> {
    let input = match &p["input"] {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut opts: hookmatch::preview::PreviewOptions = parse::<PreviewOptionsIn>(
        &p.get("options")
            .map_or("null".to_string(), Value::to_string),
        "preview options",
    )
    .map_err(|e| fail(e.message))?
    .into();
    if p["input"].is_array() {
        opts.format = hookmatch::preview::Format::Json;
    }
    let r = sub
        .preview_with(input.as_bytes(), opts)
        .map_err(|e| fail(e.message))?;
    for key in ["total", "matched"] {
        if let Some(n) = expect.get(key).and_then(Value::as_u64) {
            let got = if key == "total" { r.total } else { r.matched };
            ensure(got as u64 == n, || format!("{key} is {got}"))?;
        }
    }
    if let Some(m) = expect.get("matches") {
        let got = serde_json::to_value(&r.matches).unwrap();
        ensure(&got == m, || format!("matches {got}"))?;
    }
    if let Some(errors) = expect.get("errors").and_then(Value::as_array) {
        let got: Vec<Value> = r
            .errors
            .iter()
            .map(|e| {
                let mut o = serde_json::json!({"index": e.index, "code": e.code});
                if let Some(l) = e.line {
                    o["line"] = l.into();
                }
                o
            })
            .collect();
        ensure(&got == errors, || format!("errors {got:?}"))?;
    }
    Ok(())
}
