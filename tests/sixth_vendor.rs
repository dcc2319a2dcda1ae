//! Adding a vendor is one module behind the `Vendor` trait (and, for the
//! package, one line in `dialect::REGISTRY`): docs/architecture.md. This
//! test proves it with a vendor defined here alone, "Acme": it compiles,
//! matches, explains, previews, delivers and is indexed in a set through
//! the engine's public interfaces, and no other source file names it.
#![cfg(not(target_arch = "wasm32"))]

use hookmatch::delivery::{post, DeliverOptions, Delivery, JSON};
use hookmatch::dialect::spec::{self, Checkpoint, Unknown};
use hookmatch::dialect::{
    Compiled, Deliver, Dialect, EventShape, IndexField, Normalized, SpecContext, Vendor,
};
use hookmatch::event::{At, Event};
use hookmatch::plan::{GateCheck, GateSource, GateTest, Plan};
use hookmatch::set::SubscriptionSet;
use hookmatch::{CompileOptions, Diagnostic, Error, Subscription};
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// Acme webhooks: `{acmeHook: url, topic, filters?}`; events `{topic, data}`.
struct Acme;

static ACME: Acme = Acme;

impl Vendor for Acme {
    fn name(&self) -> &'static str {
        "acme"
    }
    fn vendor(&self) -> &'static str {
        "Acme"
    }
    fn claims(&self, spec: &Map<String, Value>) -> bool {
        spec.contains_key("acmeHook")
    }
    fn needs(&self) -> &'static str {
        "acmeHook and topic"
    }
    fn compile(
        &self,
        obj: &Map<String, Value>,
        _ctx: &SpecContext,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Compiled> {
        let checkpoint = Checkpoint::new(diags);
        spec::unknown_keys(
            obj,
            "",
            "field",
            &["acmeHook", "topic", "filters", "filterConnector"],
            &[],
            Unknown::Refused,
            diags,
        );
        let url = spec::url_field(obj, "acmeHook", diags);
        let topic = spec::required_string(obj, "topic", diags).map(str::to_string);
        let (connector, entries) = hookmatch::filters::parse_extension(obj, "Acme", diags);
        if checkpoint.failed(diags) {
            return None;
        }
        let (url, topic) = (url?, topic?);
        Some(Compiled {
            plan: Plan {
                gate: vec![GateCheck {
                    field: "topic",
                    source: GateSource::Root(&["topic"]),
                    test: GateTest::Equals(Value::String(topic.clone())),
                }],
                connector,
                entries,
            },
            normalized: Normalized {
                fields: vec![("acmeHook", url.clone().into()), ("topic", topic.into())],
                filters_at: None,
            },
            delivery: Arc::new(AcmeDelivery { url }),
        })
    }
    fn prepare<'a>(&self, event: At<'a>) -> Result<Event<'a>, Error> {
        let obj = spec::event_object(event, "Acme")?;
        spec::event_string(obj, "topic", "Acme")?;
        Ok(Event::new(
            event,
            spec::event_data(obj, "data")?,
            spec::empty_state(),
        ))
    }
    fn shape(&self) -> &'static EventShape {
        &EventShape {
            new_state: &["data"],
            old_state: None,
            required: &[&["topic"]],
            containers: &[],
            envelope: None,
            changes: None,
            skeleton: "{}",
            mirror: &[],
            empty_old_when: None,
        }
    }
    fn index_fields(&self) -> &'static [IndexField] {
        &[IndexField {
            field: "topic",
            source: GateSource::Root(&["topic"]),
        }]
    }
}

#[derive(Debug)]
struct AcmeDelivery {
    url: String,
}

impl Deliver for AcmeDelivery {
    fn deliver(&self, _ev: &Event<'_>, text: &str, _o: &DeliverOptions) -> Result<Delivery, Error> {
        let body = hookmatch::rawjson::compact(text, hookmatch::rawjson::Style::Plain);
        Ok(post(&self.url, &[("Content-Type", JSON.into())], body))
    }
}

fn acme() -> CompileOptions {
    CompileOptions {
        dialect: Some(Dialect::of(&ACME)),
        ..CompileOptions::default()
    }
}

fn spec(topic: &str) -> Value {
    json!({"acmeHook": "https://hooks.acme.example/in", "topic": topic,
           "filters": [{"fieldName": "amount", "fieldValue": 100, "comparison": "gte"}]})
}

#[test]
fn a_vendor_defined_in_a_test_compiles_matches_explains_and_delivers() {
    let sub = Subscription::compile(&spec("order.paid"), acme()).unwrap();
    assert_eq!(sub.dialect().name(), "acme");
    let paid = json!({"topic": "order.paid", "data": {"amount": 250}});
    let small = json!({"topic": "order.paid", "data": {"amount": 5}});
    let other = json!({"topic": "order.refunded", "data": {"amount": 250}});
    assert!(sub.matches(&paid).unwrap());
    assert!(!sub.matches(&small).unwrap());
    assert!(!sub.matches(&other).unwrap());
    let x = sub.explain(&other).unwrap();
    assert_eq!(x.gate[0].field, "topic");
    assert!(!x.gate[0].passed);
    // The fast text path reads the fields the vendor's shape names.
    assert!(sub.matches_text(paid.to_string().as_bytes()).unwrap());
    let d = sub
        .deliver_text(
            Some(b"{\"topic\":\"order.paid\",\"data\":{\"amount\":250.0}}"),
            &DeliverOptions::default(),
        )
        .unwrap()
        .unwrap();
    assert_eq!(d.url, "https://hooks.acme.example/in");
    assert_eq!(
        d.body,
        "{\"topic\":\"order.paid\",\"data\":{\"amount\":250.0}}"
    );
    assert_eq!(
        sub.to_json(),
        json!({"acmeHook": "https://hooks.acme.example/in", "topic": "order.paid"})
    );
    // Its diagnostics come through validate.
    let diags = hookmatch::validate(
        &json!({"acmeHook": "nope", "topic": "t", "extra": 1}),
        acme(),
    );
    let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["unknown_field", "invalid_url"]);
}

#[test]
fn a_vendor_defined_in_a_test_previews_and_is_indexed_in_a_set() {
    let sub = Subscription::compile(&spec("order.paid"), acme()).unwrap();
    let batch =
        "{\"topic\":\"order.paid\",\"data\":{\"amount\":250}}\n{\"topic\":\"x\"}\n{\"data\":1}\n";
    let r = sub.preview(batch.as_bytes()).unwrap();
    assert_eq!((r.total, r.matched, r.matches.clone()), (3, 1, vec![0]));
    assert_eq!(r.errors[0].code.as_str(), "invalid_event");

    let mut set = SubscriptionSet::default();
    for (id, topic) in [
        ("paid", "order.paid"),
        ("refunded", "order.refunded"),
        ("paid-2", "order.paid"),
    ] {
        set.add(id, &spec(topic), acme()).unwrap();
    }
    let event = br#"{"topic":"order.paid","data":{"amount":100}}"#;
    let ids: Vec<&str> = set
        .match_positions(event)
        .unwrap()
        .into_iter()
        .filter_map(|p| set.id_at(p))
        .collect();
    assert_eq!(ids, ["paid", "paid-2"]);
    let counts = set.preview(batch.as_bytes()).unwrap().counts;
    assert_eq!(counts["paid"], 1);
    assert_eq!(counts["refunded"], 0);
}
