//! SubscriptionSet answers exactly what calling `matches` on each member
//! answers, on thousands of generated subscriptions and events.
// Tests read JSON either way; the crate reads it through from_slice (clippy.toml).
#![allow(clippy::disallowed_methods)]
#![cfg(not(target_arch = "wasm32"))]

use hookmatch::{CompileOptions, Subscription, SubscriptionSet};
use serde_json::{json, Value};

/// xorshift64*: a fixed, seeded generator (no dependency, same data every run).
mod common;
use common::Rng;

const CODES: [&str; 4] = ["PROJ", "TASK", "OPTASK", "USER"];
const TYPES: [&str; 3] = ["CREATE", "UPDATE", "DELETE"];
const STATUS: [&str; 4] = ["CUR", "PLN", "CPL", "DED"];
const KB: [&str; 4] = ["task.create", "task.update", "task.close", "comment.create"];
const COMPARISONS: [&str; 6] = ["eq", "ne", "gt", "lt", "contains", "changed"];

/// One filter; `old_ok`: the spec may read oldState (not a CREATE).
fn workfront_filter(r: &mut Rng, old_ok: bool) -> Value {
    let field = *r.pick(&["status", "priority", "name", "DE:Region", "tags", "done"]);
    // Booleans and null only go with eq, ne and changed.
    let cmp = if field == "done" {
        *r.pick(&["eq", "ne", "changed"])
    } else {
        *r.pick(&COMPARISONS)
    };
    let value = match field {
        // The same number as a number and as text: sets must not share
        // their decisions unless the values are the same JSON.
        "priority" if r.chance(30) => json!((r.next() % 4).to_string()),
        "priority" => json!(r.next() % 4),
        "tags" => json!(*r.pick(&["a", "b", "c"])),
        "DE:Region" => json!(*r.pick(&["EMEA", "APAC"])),
        "done" => r
            .pick(&[json!(true), json!(false), json!("true"), Value::Null])
            .clone(),
        _ => json!(*r.pick(&STATUS)),
    };
    let mut filter = json!({"fieldName": field, "fieldValue": value, "comparison": cmp});
    if old_ok && r.chance(20) {
        filter["state"] = json!("oldState");
    }
    filter
}

fn workfront_spec(r: &mut Rng) -> Value {
    let event_type = *r.pick(&TYPES);
    let old_ok = event_type != "CREATE";
    let mut filters = Vec::new();
    for _ in 0..(r.next() % 4) {
        filters.push(workfront_filter(r, old_ok));
    }
    if r.chance(15) {
        let inner: Vec<Value> = (0..2 + r.next() % 2)
            .map(|_| workfront_filter(r, old_ok))
            .collect();
        filters
            .push(json!({"type": "group", "connector": *r.pick(&["AND", "OR"]), "filters": inner}));
    }
    let mut spec = json!({"objCode": *r.pick(&CODES), "eventType": event_type, "url": "https://h.example.com/x", "authToken": "t", "filters": filters});
    if r.chance(30) {
        spec["filterConnector"] = json!("OR");
    }
    if r.chance(5) {
        spec["objId"] = json!(format!("id{}", r.next() % 5));
    }
    spec
}

fn workfront_event(r: &mut Rng) -> Value {
    let state = |r: &mut Rng| {
        json!({"ID": format!("id{}", r.next() % 5), "objCode": *r.pick(&CODES), "status": *r.pick(&STATUS), "priority": r.next() % 4,
               "done": r.pick(&[json!(true), json!(false), json!("false"), Value::Null]).clone(),
               "name": *r.pick(&STATUS), "tags": [*r.pick(&["a", "b", "c"]), *r.pick(&["a", "b", "c"])],
               "parameterValues": {"DE:Region": *r.pick(&["EMEA", "APAC"])}, "padding": "x".repeat((r.next() % 200) as usize)})
    };
    let new = state(r);
    let mut old = new.clone();
    if r.chance(50) {
        old["status"] = json!(*r.pick(&STATUS));
    }
    json!({"eventType": *r.pick(&TYPES), "newState": new, "oldState": old})
}

fn kanboard_spec(r: &mut Rng) -> Value {
    let mut spec = json!({"url": "https://k.example.com/h", "token": "t"});
    if r.chance(70) {
        let n = 1 + r.next() % 2;
        let events: Vec<&str> = (0..n)
            .map(|_| *r.pick(&KB))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        spec["events"] = json!(events);
    }
    if r.chance(50) {
        spec["filters"] =
            json!([{"fieldName": "color_id", "fieldValue": *r.pick(&["red", "blue"])}]);
    }
    spec
}

fn kanboard_event(r: &mut Rng) -> Value {
    json!({"event_name": *r.pick(&KB), "event_data": {"color_id": *r.pick(&["red", "blue", "green"]), "project_id": "1"}})
}

#[test]
fn set_answers_exactly_what_each_subscription_answers() {
    let mut r = Rng(0x5eed_1234_abcd_0001);
    let mut entries = Vec::new();
    for i in 0..2000 {
        let spec = if i % 3 == 0 {
            kanboard_spec(&mut r)
        } else {
            workfront_spec(&mut r)
        };
        entries.push(json!({"id": format!("s{i}"), "spec": spec}));
    }
    let set = SubscriptionSet::compile(&Value::Array(entries.clone())).unwrap();
    assert!(set.errors().is_empty(), "{:?}", set.errors().first());
    assert_eq!(set.size(), 2000);
    let subs: Vec<(String, Subscription)> = entries
        .iter()
        .map(|e| {
            (
                e["id"].as_str().unwrap().to_string(),
                Subscription::compile(&e["spec"], CompileOptions::default()).unwrap(),
            )
        })
        .collect();
    let mut matched_total = 0;
    for n in 0..1000 {
        let event = if n % 3 == 0 {
            kanboard_event(&mut r)
        } else {
            workfront_event(&mut r)
        };
        let text = event.to_string();
        // The reference: each subscription on the fully parsed event.
        let want: Vec<&str> = subs
            .iter()
            .filter(|(_, s)| s.matches(&event).unwrap_or(false))
            .map(|(id, _)| id.as_str())
            .collect();
        let got = set.match_text(text.as_bytes()).unwrap();
        assert_eq!(got, want, "event {n}: {text}");
        matched_total += got.len();
    }
    assert!(
        matched_total > 1000,
        "the generator must produce matches ({matched_total})"
    );
}

#[test]
fn invalid_entries_are_reported_with_id_and_path_and_the_rest_compile() {
    let ok = json!({"objCode": "PROJ", "eventType": "UPDATE", "url": "https://h.example.com", "authToken": "t"});
    let bad = json!({"objCode": "PROJ", "eventType": "UPDATE", "url": "https://h.example.com", "authToken": "t",
                     "filters": [{"fieldName": "x", "fieldValue": 1, "comparison": "get"}]});
    let entries = json!([
        {"id": "a", "spec": ok}, {"id": "b", "spec": ok}, {"id": "c", "spec": ok},
        {"id": "d", "spec": bad}, {"id": "a", "spec": ok}, {"spec": ok},
        {"id": "e", "spec": ok, "dialect": "kanboard"}, {"id": "f", "spec": ok, "dialect": "jira"}
    ]);
    let set = SubscriptionSet::compile(&entries).unwrap();
    let errs: Vec<(Option<&str>, &str, &str)> = set
        .errors()
        .iter()
        .map(|e| (e.id.as_deref(), e.code.as_str(), e.path.as_str()))
        .collect();
    assert_eq!(
        errs,
        vec![
            (
                Some("d"),
                "unknown_comparison",
                "/3/spec/filters/0/comparison"
            ),
            (Some("a"), "duplicate_id", "/4/id"),
            (None, "invalid_entry", "/5/id"),
            (Some("e"), "missing_field", "/6/spec/token"),
            (Some("f"), "unknown_dialect", "/7/dialect"),
        ]
    );
    assert_eq!(set.ids(), vec!["a", "b", "c"]);
}

#[test]
fn add_remove_and_preview_counts() {
    let spec = |status: &str| json!({"objCode": "PROJ", "eventType": "UPDATE", "url": "https://h.example.com", "authToken": "t", "filters": [{"fieldName": "status", "fieldValue": status}]});
    let mut set = SubscriptionSet::compile(
        &json!([{"id": "cur", "spec": spec("CUR")}, {"id": "pln", "spec": spec("PLN")}]),
    )
    .unwrap();
    set.add("any", &json!({"objCode": "PROJ", "eventType": "UPDATE", "url": "https://h.example.com", "authToken": "t"}), CompileOptions::default()).unwrap();
    assert!(set
        .add("any", &spec("CUR"), CompileOptions::default())
        .is_err());
    let ev = |s: &str| {
        json!({"eventType": "UPDATE", "newState": {"objCode": "PROJ", "status": s}}).to_string()
    };
    assert_eq!(
        set.match_text(ev("CUR").as_bytes()).unwrap(),
        vec!["cur", "any"]
    );
    assert!(set.remove("cur"));
    assert!(!set.remove("cur"));
    assert_eq!(set.match_text(ev("CUR").as_bytes()).unwrap(), vec!["any"]);
    assert_eq!(set.size(), 2);
    let batch = format!("{}\n{}\n{{oops\n", ev("PLN"), ev("CUR"));
    let p = set.preview(batch.as_bytes()).unwrap();
    assert_eq!(p.total, 3);
    assert_eq!(p.errors.len(), 1);
    assert_eq!(
        p.counts,
        json!({"pln": 1, "any": 2}).as_object().unwrap().clone()
    );
    let x = set
        .explain(&serde_json::from_str(&ev("CUR")).unwrap(), "pln")
        .unwrap();
    assert!(!x.matched);
    assert!(set.explain(&json!({}), "nope").is_err());
}

/// A set's batch reading follows its members: a member added after a
/// preview, reading a field no member read before, is counted in the next
/// preview (the set's projection for batches is made again).
#[test]
fn preview_after_add_reads_the_new_members_fields() {
    let spec = |field: &str, value: &str| json!({"objCode": "PROJ", "eventType": "UPDATE", "url": "https://h.example.com", "authToken": "t", "filters": [{"fieldName": field, "fieldValue": value}]});
    let mut set =
        SubscriptionSet::compile(&json!([{"id": "status", "spec": spec("status", "CUR")}]))
            .unwrap();
    let ev = |status: &str, owner: &str| {
        json!({"eventType": "UPDATE", "newState": {"objCode": "PROJ", "status": status, "ownerID": owner}})
            .to_string()
    };
    let batch = format!(
        "{}\n{}\n{}\n",
        ev("CUR", "a"),
        ev("PLN", "a"),
        ev("PLN", "b")
    );
    let counts = |set: &SubscriptionSet| set.preview(batch.as_bytes()).unwrap().counts;
    assert_eq!(
        counts(&set),
        json!({"status": 1}).as_object().unwrap().clone()
    );
    set.add("owner", &spec("ownerID", "a"), CompileOptions::default())
        .unwrap();
    assert_eq!(
        counts(&set),
        json!({"status": 1, "owner": 2})
            .as_object()
            .unwrap()
            .clone()
    );
    // A member that reads the same field, compared with another value.
    set.add("owner-b", &spec("ownerID", "b"), CompileOptions::default())
        .unwrap();
    assert_eq!(
        counts(&set),
        json!({"status": 1, "owner": 2, "owner-b": 1})
            .as_object()
            .unwrap()
            .clone()
    );
}

/// A set's preview reads the batch as `format` says, as a subscription's
/// does (issue 24: the set's copy of the driver once ignored it). A
/// pretty-printed event is one document read as JSON (or detected) and one
/// bad line per line read as NDJSON; a stream fed byte by byte through the
/// one driver gives the same answer.
#[test]
fn a_set_preview_reads_the_format_it_is_given() {
    use hookmatch::preview::{Format, PreviewOptions, PreviewState};
    let spec = json!({"objCode": "PROJ", "eventType": "UPDATE", "url": "https://h.example.com", "authToken": "t"});
    let set = SubscriptionSet::compile(&json!([{"id": "wf", "spec": spec}])).unwrap();
    let sub = Subscription::compile(&spec, CompileOptions::default()).unwrap();
    let event = json!({"eventType": "UPDATE", "newState": {"objCode": "PROJ", "status": "CUR"}});
    let pretty = serde_json::to_string_pretty(&event).unwrap();
    let lines = pretty.lines().count();
    assert!(lines > 2, "{pretty}");
    let read = |format| PreviewOptions {
        format,
        ..PreviewOptions::default()
    };
    for format in [Format::Auto, Format::Json] {
        let p = set.preview_with(pretty.as_bytes(), read(format)).unwrap();
        assert_eq!(
            (p.total, p.errors.len(), p.counts["wf"].clone()),
            (1, 0, json!(1)),
            "{format:?}"
        );
    }
    let nd = set
        .preview_with(pretty.as_bytes(), read(Format::Ndjson))
        .unwrap();
    assert_eq!(
        (nd.total, nd.errors.len(), nd.counts["wf"].clone()),
        (lines, lines, json!(0))
    );
    let one = sub
        .preview_with(pretty.as_bytes(), read(Format::Ndjson))
        .unwrap();
    assert_eq!((one.total, one.matched), (lines, 0));
    let mut state = PreviewState::new(&set, read(Format::Ndjson));
    for b in pretty.as_bytes() {
        state.push(&set, std::slice::from_ref(b)).unwrap();
    }
    assert_eq!((state.events(), state.matched()), (lines - 1, 0));
    assert_eq!(state.finish(&set), nd);
}

/// A set adds each distinct projection signature once; if the signature
/// missed something the projection reads, a member's fields would be
/// skipped. The set's union must equal the union of every member's own
/// projection, over generated specs of several dialects plus specs that
/// read old states, pointers, `changed`, objId and groups.
#[test]
fn the_set_projection_is_the_union_of_its_members_projections() {
    use hookmatch::projection::Projection;
    let mut r = Rng(0x5eed_0000_9999_0003);
    let mut specs: Vec<Value> = Vec::new();
    for i in 0..600 {
        specs.push(if i % 3 == 0 {
            kanboard_spec(&mut r)
        } else {
            workfront_spec(&mut r)
        });
    }
    let wf = |filters: Value| json!({"objCode": "TASK", "eventType": "UPDATE", "url": "https://h.example.com/x", "authToken": "t", "filters": filters});
    specs.extend([
        // Pairs that differ only in what the signature must tell apart, the
        // first of each alone in reading its field.
        wf(json!([{"fieldName": "onlyState", "fieldValue": "CUR"}])),
        wf(json!([{"fieldName": "onlyState", "fieldValue": "CUR", "state": "oldState"}])),
        wf(json!([{"fieldName": "onlyChanged", "fieldValue": "CUR"}])),
        wf(json!([{"fieldName": "onlyChanged", "comparison": "changed"}])),
        wf(json!([{"fieldName": "/onlyPointer", "fieldValue": "a"}])),
        wf(json!([{"fieldName": "onlyPointer", "fieldValue": "a"}])),
        wf(json!([{"fieldName": "/parameterValues/DE:Budget", "fieldValue": 3, "comparison": "gt"}])),
        wf(json!([{"fieldName": "/tags/0", "fieldValue": "a"}])),
        wf(json!([{"fieldName": "assignedToID", "comparison": "changed"}])),
        wf(json!([{"type": "group", "connector": "OR", "filters": [
            {"fieldName": "percentComplete", "fieldValue": 50, "comparison": "gte"},
            {"fieldName": "owner", "fieldValue": "x", "state": "oldState"}]}])),
        json!({"objCode": "TASK", "eventType": "UPDATE", "objId": "abc", "url": "https://h.example.com/x", "authToken": "t"}),
        json!({"resource": "1200", "target": "https://a.example.com/hook", "filters": [{"resource_type": "task", "action": "changed", "fields": ["due_on"]}]}),
        json!({"event": "service.create", "uri": "https://r.example.com/h"}),
    ]);
    let entries: Vec<Value> = specs
        .iter()
        .enumerate()
        .map(|(i, spec)| json!({"id": format!("s{i}"), "spec": spec}))
        .collect();
    let set = SubscriptionSet::compile(&Value::Array(entries)).unwrap();
    assert!(set.errors().is_empty(), "{:?}", set.errors().first());
    let mut union = Projection::default();
    for spec in &specs {
        let sub = Subscription::compile(spec, CompileOptions::default()).unwrap();
        union.merge(sub.projection());
    }
    assert_eq!(set.projection().to_json(), union.to_json());
    assert_eq!(set.projection(), &union);
}

/// set.lint stays linear: a member is searched for an overlap with at most
/// `OVERLAP_PEERS` earlier members sending to its target, and the pairs
/// left unchecked are named in an `analysis_incomplete` entry.
#[test]
fn set_lint_compares_a_bounded_number_of_peers_and_says_so() {
    let peers = hookmatch::set::OVERLAP_PEERS;
    let entries: Vec<Value> = (0..peers + 5)
        .map(|i| {
            json!({"id": format!("m{i}"), "spec": {"objCode": "TASK", "eventType": "UPDATE",
                "url": "https://h.example.com/one", "authToken": "t",
                "filters": [{"fieldName": "status", "fieldValue": format!("S{i}")}]}})
        })
        .collect();
    let set = SubscriptionSet::compile(&Value::Array(entries)).unwrap();
    let lint = set.lint();
    let incomplete: Vec<&str> = lint
        .iter()
        .filter(|(_, d)| d.iter().any(|d| d.code.as_str() == "analysis_incomplete"))
        .map(|(id, _)| id.as_str())
        .collect();
    let want: Vec<String> = (peers + 1..peers + 5).map(|i| format!("m{i}")).collect();
    assert_eq!(incomplete, want);
    // Disjoint filters: no overlap is claimed for any member.
    assert!(!lint
        .iter()
        .any(|(_, d)| d.iter().any(|d| d.code.as_str() == "overlapping_delivery")));
}

/// Removal is lazy with a compaction once removed members outnumber live
/// ones: churn keeps the set's storage proportional to its live members,
/// and answers (matches, ids, order, counts) stay those of the live set.
#[test]
fn churn_reuses_storage_and_keeps_answers() {
    let spec = |i: usize| {
        json!({"objCode": "TASK", "eventType": "UPDATE", "url": "https://h.example.com/",
               "authToken": "t", "filters": [{"fieldName": "n", "fieldValue": i % 7}]})
    };
    let mut set = SubscriptionSet::compile(&json!([])).unwrap();
    let mut generations = 0;
    let mut last = set.generation();
    for round in 0..2_000 {
        let id = format!("m{round}");
        set.add(&id, &spec(round), CompileOptions::default())
            .unwrap();
        if round >= 10 {
            assert!(set.remove(&format!("m{}", round - 10)));
        }
        if set.generation() != last {
            generations += 1;
            last = set.generation();
        }
    }
    // Ten live members; compactions happened along the way.
    assert_eq!(set.size(), 10);
    assert!(generations > 10, "{generations} compactions");
    let ids: Vec<String> = (1990..2000).map(|i| format!("m{i}")).collect();
    assert_eq!(
        set.ids(),
        ids.iter().map(String::as_str).collect::<Vec<_>>()
    );
    let event =
        json!({"eventType": "UPDATE", "newState": {"objCode": "TASK", "n": 3}, "oldState": {}});
    let want: Vec<&str> = ids
        .iter()
        .filter(|id| id[1..].parse::<usize>().unwrap() % 7 == 3)
        .map(String::as_str)
        .collect();
    let got = set.match_text(event.to_string().as_bytes()).unwrap();
    assert_eq!(got, want);
    // Positions, what the wasm binding hands JS, index the ids by insertion
    // position, removed ones included: each is below `positions_len` and
    // names a matched id, in order, and the positions stay near the live
    // set (compaction once 64 are removed and they outnumber the live).
    let positions = set.match_positions(event.to_string().as_bytes()).unwrap();
    assert!(!positions.is_empty());
    assert!(positions.iter().all(|p| *p < set.positions_len()));
    let named: Vec<&str> = positions.iter().filter_map(|p| set.id_at(*p)).collect();
    assert_eq!(named, want);
    // No removed member's position (each would be an id JS does not have).
    assert_eq!(positions.len(), want.len());
    assert!(
        (set.size()..=set.size() + 65).contains(&set.positions_len()),
        "{}",
        set.positions_len()
    );
}

/// A set decides a member without asking its vendor about the message size
/// while the event is short enough that no message can pass the limit
/// (`Deliver::size_limit`). Around that length and past the limit, the set
/// answers what the member's own `matches` answers; the limit itself is
/// Workfront's (tests/conformance/workfront/message-size.json).
#[test]
fn near_and_past_the_message_limit_a_set_answers_as_its_member() {
    let spec = json!({"objCode": "PROJ", "eventType": "UPDATE", "url": "https://h.example.com/",
                      "authToken": "t", "filters": [{"fieldName": "status", "fieldValue": "CUR"}]});
    let sub = Subscription::compile(&spec, CompileOptions::default()).unwrap();
    let set = SubscriptionSet::compile(&json!([{"id": "a", "spec": spec}])).unwrap();
    let limit = sub.size_limit().expect("Workfront limits its messages");
    let fits = hookmatch::dialect::surely_fits_below(limit);
    // An event whose text is `len` bytes: its description pads it.
    let event = |len: usize| {
        let mut e = json!({"eventType": "UPDATE", "newState": {"objCode": "PROJ", "status": "CUR", "description": ""}, "oldState": {}});
        let base = e.to_string().len();
        e["newState"]["description"] = json!("\"".repeat(len.saturating_sub(base) / 2));
        e.to_string()
    };
    let mut refused = 0;
    for len in [
        fits - 2,
        fits,
        fits + 2,
        limit - 400,
        limit + 10,
        limit * 4 / 3,
    ] {
        let text = event(len);
        let own = sub.matches_text(text.as_bytes()).unwrap();
        refused += usize::from(!own);
        let got = set.match_text(text.as_bytes()).unwrap();
        assert_eq!(got.len(), usize::from(own), "{} bytes", text.len());
    }
    // The last two events' messages pass the limit: both sides were tried.
    assert_eq!(refused, 2);
}

/// A removed member keeps its position in its bucket until the set is
/// compacted; it is never answered, even after a live member before it
/// has made every decision it shares (the set then decides it without its
/// plan). Both bucket lists: members with no hashable `eq` (a number) and
/// members found through the hash (a string).
#[test]
fn a_removed_member_is_never_answered() {
    for value in [json!(3), json!("CUR")] {
        let spec = json!({"objCode": "TASK", "eventType": "UPDATE", "url": "https://h.example.com/",
                          "authToken": "t", "filters": [{"fieldName": "n", "fieldValue": value},
                                                        {"fieldName": "m", "fieldValue": "x"}]});
        let mut set = SubscriptionSet::compile(&json!([])).unwrap();
        for i in 0..10 {
            set.add(&format!("m{i}"), &spec, CompileOptions::default())
                .unwrap();
        }
        assert!(set.remove("m5"));
        assert!(set.remove("m9"));
        let event = json!({"eventType": "UPDATE", "newState": {"objCode": "TASK", "n": value, "m": "x"}, "oldState": {}})
            .to_string();
        let positions = set.match_positions(event.as_bytes()).unwrap();
        assert_eq!(positions, [0, 1, 2, 3, 4, 6, 7, 8], "{value}");
        let ids = set.match_text(event.as_bytes()).unwrap();
        assert_eq!(ids, ["m0", "m1", "m2", "m3", "m4", "m6", "m7", "m8"]);
    }
}
