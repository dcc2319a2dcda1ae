//! Properties of the analysis over thousands of generated Workfront specs
//! (every comparison, both states, groups, arrays, instants across offsets,
//! numbers against numeric strings, object values, `changed`):
//!
//! - soundness: when `lint` says `never_matches`, 10,000 mutated events per
//!   spec fire nothing;
//! - `example()` is `None` when `lint` says `never_matches`, and otherwise
//!   only when it says `analysis_incomplete` (docs/analysis.md);
//! - `diff`'s witnesses are gained and lost as labelled, and `equivalent`,
//!   `narrower`, `wider` and `disjoint` hold on every generated event.
//!
//! The events are the analysis's blind spot if they come from its own
//! values, so half of the values mutated in come from [`off_grid`], which
//! knows nothing of the analysis: strings holding several constants with
//! glue, numbers from the whole double range and their spellings, instants
//! re-written at other offsets, arrays mixing types. (An independent
//! checker over all five dialects runs against the package in
//! `tests/js/oracle.test.mjs`.)
use hookmatch::error::Code;
use hookmatch::subscription::{diff, lint, CompileOptions, Subscription};
use serde_json::{json, Map, Value};

mod common;
use common::Rng;

const FIELDS: [&str; 5] = [
    "status",
    "percentComplete",
    "plannedCompletionDate",
    "DE:Tags",
    "owner",
];

fn field_value(rng: &mut Rng, field: &str) -> Value {
    match field {
        "status" => json!(rng.pick(&["CUR", "CPL", "NEW", "CU"])),
        "percentComplete" => match rng.below(4) {
            0 => json!(rng.pick(&[0, 10, 50, 100])),
            1 => json!(rng.pick(&["10", "50", "50.5", "100"])),
            2 => json!(rng.below(120) as f64 / 2.0),
            _ => json!(rng.pick(&["abc", "", "5e1"])),
        },
        "plannedCompletionDate" => json!(rng.pick(&[
            "2024-03-01T10:00:00Z",
            "2024-03-01T12:00:00+02:00",
            "2024-03-01T10:00:00.000000001Z",
            "2024-02-29T23:59:59-05:00",
            "2024-03-02T00:00:00Z"
        ])),
        "DE:Tags" => match rng.below(3) {
            0 => json!(rng.pick(&["red", "blue"])),
            1 => json!([rng.pick(&["red", "blue", "green"])]),
            _ => json!(["red", "blue"]),
        },
        _ => match rng.below(3) {
            0 => json!({"ID": rng.pick(&["u1", "u2"])}),
            1 => json!({"ID": "u1", "name": "Ann"}),
            _ => Value::Null,
        },
    }
}

/// A value built apart from the analysis's candidates (see the module
/// comment): any JSON type, with the constants the specs use mixed in.
fn off_grid(rng: &mut Rng, field: &str) -> Value {
    const WORDS: [&str; 9] = ["CUR", "CPL", "NEW", "CU", "red", "blue", "u1", "a", ""];
    let word = |rng: &mut Rng| -> String {
        match rng.below(3) {
            0 => field_value(rng, field).as_str().unwrap_or("x").to_string(),
            _ => rng.pick(&WORDS).to_string(),
        }
    };
    let number = |rng: &mut Rng| -> f64 {
        let m = (rng.next() % 2_000_001) as f64 / 1000.0 - 1000.0;
        let e = *rng.pick(&[0i32, 0, 0, 1, 2, 5, 15, 21, 100, -3, -300]);
        m * 10f64.powi(e)
    };
    match rng.below(9) {
        0 => {
            let glue = *rng.pick(&["", " ", "-", "x", "~"]);
            let n = 1 + rng.below(3);
            let parts: Vec<String> = (0..n).map(|_| word(rng)).collect();
            json!(parts.join(glue))
        }
        1 => json!(number(rng)),
        2 => json!(rng.next() as i64 >> rng.below(60)),
        3 => {
            let x = number(rng);
            json!(rng
                .pick(&[format!("{x}"), format!("{x:e}"), format!("{x:.3}")])
                .clone())
        }
        4 => {
            // An instant around the constants' days, at any offset.
            let h = rng.below(48) as i64 - 12;
            let off = *rng.pick(&["Z", "+02:00", "-0500", "+05:30", "+0000"]);
            let day = 28 + h.div_euclid(24);
            let (month, day) = if day > 29 { (3, day - 29) } else { (2, day) };
            json!(format!(
                "2024-{month:02}-{day:02}T{:02}:{:02}:00{off}",
                h.rem_euclid(24),
                rng.below(60)
            ))
        }
        5 => {
            let n = rng.below(4);
            Value::Array((0..n).map(|_| off_grid_scalar(rng, field)).collect())
        }
        6 => json!(rng
            .pick(&[
                json!(true),
                json!(false),
                json!("true"),
                json!("false"),
                Value::Null
            ])
            .clone()),
        7 => json!({"ID": word(rng)}),
        _ => field_value(rng, field),
    }
}

fn off_grid_scalar(rng: &mut Rng, field: &str) -> Value {
    loop {
        let v = off_grid(rng, field);
        if !v.is_array() {
            return v;
        }
    }
}

const COMPARISONS: [&str; 10] = [
    "eq",
    "ne",
    "gt",
    "gte",
    "lt",
    "lte",
    "contains",
    "notContains",
    "containsOnly",
    "changed",
];

fn filter(rng: &mut Rng) -> Value {
    let field = *rng.pick(&FIELDS);
    let comparison = *rng.pick(&COMPARISONS);
    let mut f = json!({"fieldName": field, "comparison": comparison});
    if comparison != "changed" {
        let mut v = field_value(rng, field);
        if v.is_null() {
            v = json!("u1");
        }
        f["fieldValue"] = v;
        if rng.below(3) == 0 {
            f["state"] = json!("oldState");
        }
    }
    f
}

fn spec(rng: &mut Rng) -> Value {
    let mut filters = Vec::new();
    for _ in 0..1 + rng.below(4) {
        if rng.below(4) == 0 {
            let inner: Vec<Value> = (0..2 + rng.below(2)).map(|_| filter(rng)).collect();
            filters.push(
                json!({"type": "group", "connector": rng.pick(&["AND", "OR"]), "filters": inner}),
            );
        } else {
            filters.push(filter(rng));
        }
    }
    json!({
        "objCode": "TASK", "eventType": "UPDATE", "url": "https://hooks.example.com/t", "authToken": "x",
        "filterConnector": rng.pick(&["AND", "OR"]), "filters": filters
    })
}

/// An event near `seed`: some fields of each state replaced, removed or added.
fn mutate(rng: &mut Rng, seed: &Value) -> Value {
    let mut e = seed.clone();
    for state in ["newState", "oldState"] {
        let Some(Value::Object(m)) = e.get_mut(state) else {
            continue;
        };
        for _ in 0..1 + rng.below(3) {
            let field = *rng.pick(&FIELDS);
            match rng.below(4) {
                0 => {
                    m.shift_remove(field);
                }
                1 => {
                    m.insert(field.to_string(), off_grid(rng, field));
                }
                _ => {
                    m.insert(field.to_string(), field_value(rng, field));
                }
            }
        }
    }
    e
}

fn seed_event(rng: &mut Rng) -> Value {
    let mut state = || {
        let mut m = Map::new();
        m.insert("objCode".into(), json!("TASK"));
        for f in FIELDS {
            if rng.below(2) == 0 {
                m.insert(f.to_string(), field_value(rng, f));
            }
        }
        Value::Object(m)
    };
    let (new, old) = (state(), state());
    json!({"eventType": "UPDATE", "newState": new, "oldState": old})
}

fn opts() -> CompileOptions {
    CompileOptions::default()
}

#[test]
fn never_matches_is_sound_and_example_is_complete() {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let (mut never, mut fired, mut undecided) = (0, 0, 0);
    for round in 0..4000 {
        let spec = spec(&mut rng);
        let Ok(sub) = Subscription::compile(&spec, opts()) else {
            continue;
        };
        let findings = lint(&spec, opts());
        let has = |code: Code| findings.iter().any(|d| d.code == code);
        let never_matches = has(Code::NeverMatches);
        let example = sub.example(None, None).unwrap();
        assert!(
            !(never_matches && example.is_some())
                && (example.is_some() || never_matches || has(Code::AnalysisIncomplete)),
            "round {round}: example {example:?} vs lint {findings:?} for {spec}"
        );
        if example.is_none() && !never_matches {
            undecided += 1;
            if std::env::var("SHOW_UNDECIDED").is_ok() {
                eprintln!("undecided: {spec}");
            }
            continue;
        }
        match example {
            Some(e) => {
                fired += 1;
                assert!(
                    sub.matches(&e).unwrap(),
                    "round {round}: example {e} does not fire {spec}"
                );
            }
            None => {
                never += 1;
                let mut seed = seed_event(&mut rng);
                for i in 0..10_000 {
                    let e = mutate(&mut rng, &seed);
                    assert!(
                        !sub.matches(&e).unwrap(),
                        "round {round}: lint says never_matches but {e} fires {spec}"
                    );
                    if i % 50 == 0 {
                        seed = seed_event(&mut rng);
                    } else {
                        seed = e;
                    }
                }
            }
        }
    }
    assert!(
        // Undecided specs mix kinds the analysis does not decide exactly
        // (orderings with containsOnly, substrings of instants, object
        // values): 40 of 4,000 on 2026-12-06; more means a fragment broke.
        never > 25 && fired > 1500 && undecided <= 60,
        "the generator covers both outcomes: never {never}, fired {fired}, undecided {undecided}"
    );
}

#[test]
fn every_example_with_fail_fails_that_filter() {
    let mut rng = Rng(0x5eed_1234_abcd_0002);
    for round in 0..1500 {
        let spec = spec(&mut rng);
        let Ok(sub) = Subscription::compile(&spec, opts()) else {
            continue;
        };
        let n = spec["filters"].as_array().map_or(0, Vec::len);
        for i in 0..n {
            if let Some(e) = sub.example(Some(&json!(i)), None).unwrap() {
                let x = sub.explain(&e).unwrap();
                assert!(x.gate.iter().all(|c| c.passed), "round {round}");
                assert!(
                    !x.filters[i].passed,
                    "round {round}: {e} passes /filters/{i} of {spec}"
                );
            }
        }
        let base = seed_event(&mut rng);
        if let Some(e) = sub.example(None, Some(&base)).unwrap() {
            assert!(sub.matches(&e).unwrap(), "round {round}: base example {e}");
        }
    }
}

#[test]
fn diff_witnesses_are_labelled_and_equivalence_agrees_everywhere() {
    let mut rng = Rng(0x5eed_1234_abcd_0003);
    let mut equivalent = 0;
    for round in 0..1500 {
        let a = spec(&mut rng);
        // Half the time an edit of `a`: one filter replaced or its
        // comparison changed; else an unrelated spec.
        let b = match rng.below(3) {
            0 => {
                let mut b = a.clone();
                let list = b["filters"].as_array_mut().unwrap();
                let i = rng.below(list.len());
                list[i] = filter(&mut rng);
                b
            }
            // Reordered: the same subscription written differently.
            1 => {
                let mut b = a.clone();
                b["filters"].as_array_mut().unwrap().reverse();
                b
            }
            _ => spec(&mut rng),
        };
        let (Ok(sa), Ok(sb)) = (
            Subscription::compile(&a, opts()),
            Subscription::compile(&b, opts()),
        ) else {
            continue;
        };
        let d = diff(&a, &b, opts(), None).unwrap();
        for e in &d.gained {
            assert!(
                !sa.matches(e).unwrap() && sb.matches(e).unwrap(),
                "round {round}: gained {e}"
            );
        }
        for e in &d.lost {
            assert!(
                sa.matches(e).unwrap() && !sb.matches(e).unwrap(),
                "round {round}: lost {e}"
            );
        }
        // Each relation is a claim about every event: none generated
        // refutes it.
        let refutes = |fa: bool, fb: bool| match d.relation {
            "equivalent" => fa != fb,
            "narrower" => fb && !fa,
            "wider" => fa && !fb,
            "disjoint" => fa && fb,
            _ => false,
        };
        if d.relation == "equivalent" {
            equivalent += 1;
        }
        if d.relation != "overlapping" && d.relation != "unknown" {
            let mut seed = seed_event(&mut rng);
            for _ in 0..2_000 {
                seed = mutate(&mut rng, &seed);
                let (fa, fb) = (sa.matches(&seed).unwrap(), sb.matches(&seed).unwrap());
                assert!(
                    !refutes(fa, fb),
                    "round {round}: {seed} refutes {} of {a} and {b}",
                    d.relation
                );
            }
        }
        match d.relation {
            "narrower" => assert!(d.gained.is_empty() && d.lost.len() == 1),
            "wider" => assert!(d.lost.is_empty() && d.gained.len() == 1),
            "overlapping" | "disjoint" => assert!(d.lost.len() == 1 && d.gained.len() == 1),
            _ => {}
        }
        assert_eq!(diff(&a, &a, opts(), None).unwrap().relation, "equivalent");
    }
    assert!(
        equivalent > 5,
        "equivalent pairs were generated: {equivalent}"
    );
}
