//! The analysis (lint, example, diff, set lint) on specs written from the
//! vendors' own examples, and its properties over generated specs.
use hookmatch::error::Code;
use hookmatch::subscription::{diff, lint, CompileOptions, Subscription};
use serde_json::{json, Value};

fn codes(spec: &Value) -> Vec<(String, String)> {
    lint(spec, CompileOptions::default())
        .into_iter()
        .map(|d| (d.code.as_str().to_string(), d.path))
        .collect()
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
    let l = lint(&spec, CompileOptions::default());
    let d = l
        .iter()
        .find(|d| d.code == Code::NeverMatches)
        .expect("never_matches");
    assert_eq!(d.path, "/filters/1");
    assert!(d.message.contains("/filters/0"), "{}", d.message);
    let sub = Subscription::compile(&spec, CompileOptions::default()).unwrap();
    assert_eq!(sub.example(None, None).unwrap(), None);
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
