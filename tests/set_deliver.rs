//! `set.deliver` and members' own `options` and `deliver` defaults: each
//! delivery is what the member's own `deliver(event, { ...defaults,
//! ...opts })` returns, checked against subscriptions compiled apart from
//! the set, in insertion order, with refused messages left out.
// Tests read JSON either way; the crate reads it through from_slice (clippy.toml).
#![allow(clippy::disallowed_methods)]
#![cfg(not(target_arch = "wasm32"))]

use hookmatch::options::from_value;
use hookmatch::options::DeliverOptionsIn;
use hookmatch::set::{DeliverDefaults, EntryOptions, NewMember, SetDelivery};
use hookmatch::{CompileOptions, Subscription, SubscriptionSet};
use serde_json::{json, Value};

fn workfront(url: &str) -> Value {
    json!({"objCode": "TASK", "eventType": "UPDATE", "url": url, "authToken": "wf-token-1",
           "filters": [{"fieldName": "status", "fieldValue": "CUR"}]})
}

fn workfront_event(name_len: usize) -> Value {
    json!({"eventType": "UPDATE", "subscriptionId": "from-the-event",
           "eventTime": {"epochSecond": 1507319336, "nano": 998000000},
           "newState": {"ID": "t1", "objCode": "TASK", "status": "CUR", "name": "x".repeat(name_len)},
           "oldState": {"ID": "t1", "objCode": "TASK", "status": "NEW", "name": "x"}})
}

fn kanboard(url: &str) -> Value {
    json!({"url": url, "token": "kb-token", "events": ["task.create"]})
}

fn kanboard_event() -> Value {
    json!({"event_name": "task.create", "event_data": {"task_id": "1", "project_id": "1", "title": "Demo"}})
}

fn opts(v: Value) -> DeliverDefaults {
    DeliverDefaults::from_value(&v).unwrap()
}

/// The member's own answer, from a subscription compiled apart from the set.
fn own(spec: &Value, compile: CompileOptions, event: &Value, merged: Value) -> Option<Value> {
    let sub = Subscription::compile(spec, compile).unwrap();
    let o = from_value::<DeliverOptionsIn>(&merged, "deliver options")
        .unwrap()
        .0;
    let text = event.to_string();
    sub.deliver_text(Some(text.as_bytes()), &o)
        .unwrap()
        .map(|d| serde_json::to_value(d).unwrap())
}

fn as_json(out: &[SetDelivery]) -> Vec<(String, Value)> {
    out.iter()
        .map(|d| (d.id.clone(), serde_json::to_value(&d.delivery).unwrap()))
        .collect()
}

#[test]
fn each_delivery_is_the_members_own_with_its_defaults_under_the_call() {
    let a = workfront("https://a.example/hook");
    let b = workfront("https://b.example/hook");
    let entries = json!([
        {"id": "b", "spec": b, "deliver": {"subscriptionId": "sub-b", "eventTime": 1000}},
        {"id": "never", "spec": workfront("https://c.example/hook"), "dialect": "workfront",
         "deliver": {"subscriptionId": "sub-c"}},
        {"id": "a", "spec": a, "deliver": {"subscriptionId": "sub-a"}},
    ]);
    // "never" fires only for another objCode.
    let mut entries = entries;
    entries[1]["spec"]["objCode"] = json!("PROJ");
    let set = SubscriptionSet::compile(&entries).unwrap();
    assert!(set.errors().is_empty(), "{:?}", set.errors());
    let event = workfront_event(10);
    let text = event.to_string();

    let out = set
        .deliver_text(text.as_bytes(), &DeliverDefaults::default(), None, None)
        .unwrap();
    // Insertion order, members that fire only.
    let ids: Vec<&str> = out.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["b", "a"]);
    let got = as_json(&out);
    let want_b = own(
        &b,
        CompileOptions::default(),
        &event,
        json!({"subscriptionId": "sub-b", "eventTime": 1000}),
    );
    let want_a = own(
        &a,
        CompileOptions::default(),
        &event,
        json!({"subscriptionId": "sub-a"}),
    );
    assert_eq!(
        got,
        vec![("b".into(), want_b.unwrap()), ("a".into(), want_a.unwrap())]
    );
    // The member's subscriptionId is the one in the message Workfront sends.
    let body: Value = serde_json::from_str(out[1].delivery.body.as_str()).unwrap();
    assert_eq!(body["subscriptionId"], "sub-a");

    // The call's options are laid over each member's: a key given wins,
    // null drops the default, the others stay.
    let call = opts(json!({"subscriptionId": "from-the-call", "eventTime": null}));
    let out = set
        .deliver_text(text.as_bytes(), &call, None, None)
        .unwrap();
    let want_b = own(
        &b,
        CompileOptions::default(),
        &event,
        json!({"subscriptionId": "from-the-call"}),
    );
    let want_a = own(
        &a,
        CompileOptions::default(),
        &event,
        json!({"subscriptionId": "from-the-call"}),
    );
    assert_eq!(
        as_json(&out),
        vec![("b".into(), want_b.unwrap()), ("a".into(), want_a.unwrap())]
    );
}

#[test]
fn a_message_the_vendor_refuses_is_left_out() {
    let entries = json!([
        {"id": "wf", "spec": workfront("https://a.example/hook"), "deliver": {"subscriptionId": "s"}},
        {"id": "wf2", "spec": workfront("https://b.example/hook")},
    ]);
    let set = SubscriptionSet::compile(&entries).unwrap();
    // Workfront delivers no message over 1 MiB (docs/vendors/workfront.md).
    let small = workfront_event(1000).to_string();
    let big = workfront_event(1024 * 1024 + 10).to_string();
    let none = DeliverDefaults::default();
    assert_eq!(
        set.deliver_text(small.as_bytes(), &none, None, None)
            .unwrap()
            .len(),
        2
    );
    assert!(set
        .deliver_text(big.as_bytes(), &none, None, None)
        .unwrap()
        .is_empty());
    // What the member's own deliver says: nothing to send.
    let own_big = own(
        &workfront("https://a.example/hook"),
        CompileOptions::default(),
        &workfront_event(1024 * 1024 + 10),
        json!({}),
    );
    assert_eq!(own_big, None);
}

#[test]
fn an_event_tree_over_the_limit_is_refused_as_its_text_is() {
    // Workfront delivers no message over 1 MiB (docs/vendors/workfront.md):
    // an event given as a tree is measured by its JSON text.
    let sub = Subscription::compile(
        &workfront("https://a.example/hook"),
        CompileOptions::default(),
    )
    .unwrap();
    for (name_len, fires) in [(1000, true), (1024 * 1024 + 10, false)] {
        let event = workfront_event(name_len);
        let text = event.to_string();
        assert_eq!(
            sub.matches_text(text.as_bytes()).unwrap(),
            fires,
            "{name_len}"
        );
        assert_eq!(sub.matches(&event).unwrap(), fires, "{name_len}");
        assert_eq!(sub.explain(&event).unwrap().matched, fires, "{name_len}");
    }
}

#[test]
fn per_member_options_allow_a_private_target() {
    let loopback = kanboard("http://127.0.0.1:8788/kanboard");
    let entries = json!([
        {"id": "refused", "spec": loopback},
        {"id": "allowed", "spec": loopback, "options": {"allowPrivateNetworks": true}},
        {"id": "public", "spec": kanboard("https://kb.example/hook")},
    ]);
    let set = SubscriptionSet::compile(&entries).unwrap();
    let errors = set.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].id.as_deref(), Some("refused"));
    assert_eq!(errors[0].code.as_str(), "forbidden_target");
    assert!(errors[0].path.starts_with("/0/spec"), "{}", errors[0].path);

    let event = kanboard_event();
    let text = event.to_string();
    let out = set
        .deliver_text(text.as_bytes(), &DeliverDefaults::default(), None, None)
        .unwrap();
    let allow = CompileOptions {
        allow_private_networks: true,
        ..CompileOptions::default()
    };
    assert_eq!(
        as_json(&out),
        vec![
            (
                "allowed".into(),
                own(&loopback, allow, &event, json!({})).unwrap()
            ),
            (
                "public".into(),
                own(
                    &kanboard("https://kb.example/hook"),
                    CompileOptions::default(),
                    &event,
                    json!({})
                )
                .unwrap()
            ),
        ]
    );
    assert!(out[0]
        .delivery
        .url
        .starts_with("http://127.0.0.1:8788/kanboard"));
}

#[test]
fn bad_options_and_defaults_are_entry_errors_that_never_show_a_secret() {
    let entries = json!([
        {"id": "a", "spec": kanboard("https://kb.example/1"), "deliver": {"secret": 42}},
        {"id": "b", "spec": kanboard("https://kb.example/2"), "deliver": {"secrt": "hunter2-secret"}},
        {"id": "c", "spec": kanboard("https://kb.example/3"), "options": {"allowPrivateNetwork": true}},
        {"id": "d", "spec": kanboard("https://kb.example/4"), "dialect": "kanboard", "options": {"dialect": "asana"}},
        {"id": "e", "spec": kanboard("https://kb.example/5"), "options": {"dialect": "nope"}},
        {"id": "ok", "spec": kanboard("https://kb.example/6"), "deliver": {"secret": "hunter2-secret"}},
    ]);
    let set = SubscriptionSet::compile(&entries).unwrap();
    let got: Vec<(Option<&str>, &str, &str)> = set
        .errors()
        .iter()
        .map(|e| (e.id.as_deref(), e.code.as_str(), e.path.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (Some("a"), "invalid_entry", "/0/deliver/secret"),
            (Some("b"), "invalid_entry", "/1/deliver/secrt"),
            (Some("c"), "invalid_entry", "/2/options/allowPrivateNetwork"),
            (Some("d"), "invalid_entry", "/3/options/dialect"),
            (Some("e"), "unknown_dialect", "/4/options/dialect"),
        ]
    );
    assert_eq!(set.ids(), ["ok"]);
    let shown = format!("{:?} {:?} {:?}", set.errors(), set.lint(), set);
    assert!(!shown.contains("hunter2"), "{shown}");
}

#[test]
fn add_takes_options_and_defaults_and_compaction_keeps_them() {
    let mut set = SubscriptionSet::compile(&json!([])).unwrap();
    let loopback = kanboard("http://127.0.0.1:9/k");
    let entry = |v: Value| from_value::<EntryOptions>(&v, "add options").unwrap();
    let e = entry(
        json!({"options": {"allowPrivateNetworks": true}, "deliver": {"webhookId": "msg_1", "signature": "standard-webhooks", "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}}),
    );
    set.add_member(NewMember {
        id: "keep",
        spec: &loopback,
        options: e.options,
        deliver: e.deliver,
    })
    .unwrap();
    // Refused without the option, as Subscription.compile refuses it.
    let e = entry(json!({}));
    let err = set
        .add_member(NewMember {
            id: "x",
            spec: &loopback,
            options: e.options,
            deliver: e.deliver,
        })
        .unwrap_err();
    assert_eq!(err.code(), "invalid_spec");
    assert_eq!(err.diagnostics[0].code.as_str(), "forbidden_target");
    // Flat compile options (add's earlier form) and `options` must agree.
    let err = from_value::<EntryOptions>(
        &json!({"dialect": "kanboard", "options": {"dialect": "asana"}}),
        "add options",
    )
    .unwrap_err();
    assert_eq!(err.path.as_deref(), Some("/options/dialect"));
    for i in 0..200 {
        set.add(
            &format!("m{i}"),
            &kanboard("https://kb.example/x"),
            CompileOptions::default(),
        )
        .unwrap();
    }
    let before = set.generation();
    for i in 0..150 {
        assert!(set.remove(&format!("m{i}")));
    }
    assert_ne!(set.generation(), before, "a compaction ran");
    let event = kanboard_event();
    let text = event.to_string();
    let out = set
        .deliver_text(text.as_bytes(), &DeliverDefaults::default(), None, None)
        .unwrap();
    assert_eq!(out.len(), 51);
    assert_eq!(out[0].id, "keep");
    let allow = CompileOptions {
        allow_private_networks: true,
        ..CompileOptions::default()
    };
    let want = own(
        &loopback,
        allow,
        &event,
        json!({"webhookId": "msg_1", "signature": "standard-webhooks", "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}),
    );
    assert_eq!(
        serde_json::to_value(&out[0].delivery).unwrap(),
        want.unwrap()
    );
    assert_eq!(out[0].delivery.headers["webhook-id"], "msg_1");
}

#[test]
fn a_members_failing_deliver_fails_the_call_naming_it() {
    let entries = json!([
        // Standard Webhooks signatures need a secret: the member's own
        // deliver refuses, and so does the set, naming the member.
        {"id": "k", "spec": kanboard("https://kb.example/1"), "deliver": {"signature": "standard-webhooks"}},
    ]);
    let set = SubscriptionSet::compile(&entries).unwrap();
    let text = kanboard_event().to_string();
    let err = set
        .deliver_text(text.as_bytes(), &DeliverDefaults::default(), None, None)
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(err.message.contains("\"k\""), "{}", err.message);
    // The call's secret completes it.
    let call = opts(json!({"secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}));
    assert_eq!(
        set.deliver_text(text.as_bytes(), &call, None, None)
            .unwrap()
            .len(),
        1
    );
}
