//! The analysis (lint, example, diff, set lint) on specs written from the
//! vendors' own examples, and its properties over generated specs.
// Tests read JSON either way; the crate reads it through from_slice (clippy.toml).
#![allow(clippy::disallowed_methods)]
use hookmatch::error::{Code, Diagnostic};
use hookmatch::subscription::{diff, lint, CompileOptions, Subscription};
use serde_json::{json, Value};

fn codes(spec: &Value) -> Vec<(String, String)> {
    lint(spec, CompileOptions::default())
        .into_iter()
        .map(|d| (d.code.as_str().to_string(), d.path))
        .collect()
}

/// lint's `never_matches` finding for `spec` (the test fails without one).
fn never_matches(spec: &Value) -> Diagnostic {
    lint(spec, CompileOptions::default())
        .into_iter()
        .find(|d| d.code == Code::NeverMatches)
        .expect("never_matches")
}

fn wf(filters: Value) -> Value {
    json!({"objCode": "TASK", "eventType": "UPDATE", "url": "https://hooks.example.com/t", "authToken": "x", "filters": filters})
}

#[test]
fn contradictory_equalities_never_match() {
    let spec = wf(json!([
        {"fieldName": "status", "fieldValue": "CUR", "comparison": "eq"},
        {"fieldName": "status", "fieldValue": "CPL", "comparison": "eq"}
    ]));
    let d = never_matches(&spec);
    assert_eq!(d.path, "/filters/1");
    assert!(d.message.contains("/filters/0"), "{}", d.message);
    // Each filter named as the spec writes it: field, comparison, value.
    assert!(d.message.contains(r#"status eq "CPL""#), "{}", d.message);
    assert!(d.message.contains(r#"status eq "CUR""#), "{}", d.message);
    let sub = Subscription::compile(&spec, CompileOptions::default()).unwrap();
    assert_eq!(sub.example(None, None).unwrap(), None);
}

#[test]
fn a_filter_against_the_subscriptions_own_object_never_matches() {
    // A TASK subscription receives TASK events only (Workfront's objCode
    // is the subscription's), so newState.objCode is never PROJ.
    let spec = wf(json!([{"fieldName": "objCode", "fieldValue": "PROJ", "comparison": "eq"}]));
    let d = never_matches(&spec);
    assert_eq!(d.path, "/filters/0");
    assert!(d.message.contains(r#"objCode eq "PROJ""#), "{}", d.message);
    assert!(
        d.message.contains(r#"the subscription's objCode "TASK""#),
        "{}",
        d.message
    );
}

#[test]
fn satisfiable_specs_get_a_checked_example() {
    let spec = wf(json!([
        {"fieldName": "percentComplete", "fieldValue": "50", "comparison": "gt"},
        {"fieldName": "percentComplete", "fieldValue": "60", "comparison": "lt"},
        {"fieldName": "status", "comparison": "changed"}
    ]));
    assert!(
        !codes(&spec).iter().any(|(c, _)| c == "never_matches"),
        "{:?}",
        codes(&spec)
    );
    let sub = Subscription::compile(&spec, CompileOptions::default()).unwrap();
    let e = sub.example(None, None).unwrap().expect("an example");
    assert!(sub.matches(&e).unwrap(), "{e}");
    println!("{e}");
}

#[test]
fn redundant_and_duplicate_filters() {
    let spec = wf(json!([
        {"fieldName": "percentComplete", "fieldValue": "50", "comparison": "gt"},
        {"fieldName": "percentComplete", "fieldValue": "10", "comparison": "gt"},
        {"fieldName": "status", "fieldValue": "CUR", "comparison": "eq"},
        {"fieldName": "status", "fieldValue": "CUR", "comparison": "eq"}
    ]));
    let c = codes(&spec);
    assert!(
        c.contains(&("redundant_filter".into(), "/filters/1".into())),
        "{c:?}"
    );
    assert!(
        c.contains(&("duplicate_filter".into(), "/filters/3".into())),
        "{c:?}"
    );
}

#[test]
fn example_with_fail_and_base() {
    let spec = wf(json!([
        {"fieldName": "status", "fieldValue": "CUR", "comparison": "eq"},
        {"fieldName": "priority", "fieldValue": "2", "comparison": "gte"}
    ]));
    let sub = Subscription::compile(&spec, CompileOptions::default()).unwrap();
    let e = sub
        .example(Some(&json!(1)), None)
        .unwrap()
        .expect("fails /filters/1");
    let x = sub.explain(&e).unwrap();
    assert!(x.filters[0].passed && !x.filters[1].passed, "{e}");
    let base = json!({"eventType": "UPDATE", "newState": {"objCode": "TASK", "status": "CUR", "priority": 1, "name": "keep"}, "oldState": {}});
    let e = sub.example(None, Some(&base)).unwrap().expect("from base");
    assert!(sub.matches(&e).unwrap());
    assert_eq!(e["newState"]["name"], "keep");
    assert_eq!(e["newState"]["status"], "CUR");
    println!("{e}");
}

#[test]
fn diff_relations() {
    let a = wf(json!([{"fieldName": "percentComplete", "fieldValue": "50", "comparison": "gt"}]));
    let b = wf(json!([{"fieldName": "percentComplete", "fieldValue": "60", "comparison": "gt"}]));
    let d = diff(&a, &b, CompileOptions::default(), None).unwrap();
    assert_eq!(d.relation, "narrower");
    assert_eq!(d.lost.len(), 1);
    let d = diff(&b, &a, CompileOptions::default(), None).unwrap();
    assert_eq!(d.relation, "wider");
    assert_eq!(
        diff(&a, &a, CompileOptions::default(), None)
            .unwrap()
            .relation,
        "equivalent"
    );
    let c = wf(json!([{"fieldName": "percentComplete", "fieldValue": "40", "comparison": "lt"}]));
    assert_eq!(
        diff(&a, &c, CompileOptions::default(), None)
            .unwrap()
            .relation,
        "disjoint"
    );
    let e = wf(json!([{"fieldName": "percentComplete", "fieldValue": "70", "comparison": "lt"}]));
    assert_eq!(
        diff(&a, &e, CompileOptions::default(), None)
            .unwrap()
            .relation,
        "overlapping"
    );
}

/// A spec of the documented maximum size: 10 groups of 5 filters.
pub fn largest_spec(connector: &str, inner: &str) -> Value {
    let groups: Vec<Value> = (0..10)
        .map(|g| {
            let filters: Vec<Value> = (0..5)
                .map(|f| json!({"fieldName": format!("DE:Field {}", (g * 5 + f) % 7), "fieldValue": format!("{}", g * 10 + f), "comparison": (["eq", "ne", "gt", "lt", "contains"])[f % 5]}))
                .collect();
            json!({"type": "group", "connector": inner, "filters": filters})
        })
        .collect();
    json!({"objCode": "TASK", "eventType": "UPDATE", "url": "https://hooks.example.com/t", "authToken": "x", "filterConnector": connector, "filters": groups})
}

#[test]
fn the_largest_spec_is_analysed() {
    for (outer, inner) in [("AND", "OR"), ("OR", "AND"), ("AND", "AND"), ("OR", "OR")] {
        let spec = largest_spec(outer, inner);
        let sub = Subscription::compile(&spec, CompileOptions::default()).unwrap();
        let t = std::time::Instant::now();
        let findings = sub.findings();
        let t1 = t.elapsed();
        let example = sub.example(None, None).unwrap();
        eprintln!(
            "{outer}/{inner}: findings {t1:?} example {:?}; {} findings, example {}",
            t.elapsed() - t1,
            findings.len(),
            example.is_some()
        );
        if let Some(e) = example {
            assert!(sub.matches(&e).unwrap());
        }
    }
}

/// Every spec of the fixtures and of the vendor conformance corpus that
/// compiles: `example()` is `None` exactly when `lint` says `never_matches`,
/// and an event the vendor's material says fires rules out `never_matches`;
/// with that event as `base`, the example is the event itself (no change).
#[test]
fn fixture_and_conformance_specs() {
    let mut specs: Vec<(String, Value, Option<Value>, Option<String>)> = Vec::new();
    for path in glob("tests/conformance") {
        let cases: Vec<Value> =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for c in cases {
            let fires = c["expect"]["matched"].as_bool() == Some(true);
            let dialect = c
                .get("options")
                .and_then(|o| o["dialect"].as_str())
                .map(str::to_owned);
            specs.push((
                format!("{path}: {}", c["name"]),
                c["spec"].clone(),
                fires.then(|| c["event"].clone()).filter(|e| !e.is_null()),
                dialect,
            ));
        }
    }
    for dir in std::fs::read_dir("tests/fixtures").unwrap().flatten() {
        let specs_dir = dir.path().join("specs");
        let Ok(entries) = std::fs::read_dir(&specs_dir) else {
            continue;
        };
        for e in entries.flatten() {
            // Some fixtures are bad JSON on purpose.
            let Ok(v) = serde_json::from_str::<Value>(&std::fs::read_to_string(e.path()).unwrap())
            else {
                continue;
            };
            specs.push((e.path().display().to_string(), v, None, None));
        }
    }
    let mut checked = 0;
    for (name, spec, event, dialect) in specs {
        let opts = CompileOptions {
            dialect: dialect.map(|d| hookmatch::dialect::Dialect::parse(&d).unwrap()),
            ..CompileOptions::default()
        };
        let Ok(sub) = Subscription::compile(&spec, opts) else {
            continue;
        };
        checked += 1;
        let never = sub.findings().iter().any(|d| d.code == Code::NeverMatches);
        let example = sub.example(None, None).unwrap();
        assert_eq!(example.is_none(), never, "{name}");
        if let Some(e) = &example {
            assert!(sub.matches(e).unwrap(), "{name}: {e}");
        }
        if let Some(event) = event.filter(|e| sub.matches(e).unwrap_or(false)) {
            assert!(!never, "{name}: the vendor's event fires it");
            assert_eq!(
                sub.example(None, Some(&event)).unwrap().as_ref(),
                Some(&event),
                "{name}"
            );
        }
    }
    assert!(checked > 100, "{checked} specs checked");
}

fn glob(dir: &str) -> Vec<String> {
    let mut out = Vec::new();
    for d in std::fs::read_dir(dir).unwrap().flatten() {
        for f in std::fs::read_dir(d.path()).unwrap().flatten() {
            if f.path().extension().is_some_and(|x| x == "json") {
                out.push(f.path().display().to_string());
            }
        }
    }
    out.sort();
    out
}

/// The analysis's work bound (docs/reliability.md): an OR of 200 numeric
/// filters on both states of one field needs more than the bound allows,
/// so lint answers — with `analysis_incomplete`, never with a claim it did
/// not finish proving. (Before the bound: 6.2 s natively, 65 s in wasm for
/// such specs; the test asserts the outcome, not a time.)
#[test]
fn past_the_work_bound_lint_claims_nothing_and_says_so() {
    let cmps = ["eq", "ne", "gt", "gte", "lt", "lte"];
    let filters: Vec<Value> = (0..200)
        .map(|i| {
            json!({"fieldName": "n", "comparison": cmps[i % 6], "fieldValue": i,
                   "state": if i % 2 == 0 { "newState" } else { "oldState" }})
        })
        .collect();
    let spec = json!({"objCode": "TASK", "eventType": "UPDATE", "url": "https://h.example.com/",
                      "authToken": "t", "filterConnector": "OR", "filters": filters});
    let found = lint(&spec, CompileOptions::default());
    let codes: Vec<Code> = found.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec![Code::AnalysisIncomplete], "{found:?}");
    // `example` and `diff` stop at the same bound: no claim, no trap.
    let sub = Subscription::compile(&spec, CompileOptions::default()).unwrap();
    if let Some(e) = sub.example(None, None).unwrap() {
        assert!(sub.matches(&e).unwrap());
    }
    let d = diff(&spec, &spec, CompileOptions::default(), None).unwrap();
    assert!(
        matches!(d.relation, "equivalent" | "unknown"),
        "{}",
        d.relation
    );
}
