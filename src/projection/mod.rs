//! The fast event path: parse JSON text keeping only the fields compiled
//! plans read, skipping the rest without building a tree.
//!
//! Skipped values are still fully validated the way a full parse validates
//! them (strings decoded, escapes and surrogates checked, numbers parsed,
//! nesting bounded), so a document is rejected exactly when
//! `serde_json::from_str::<Value>` rejects it; the answer of a plan on the
//! projected tree is the answer on the full tree because every path a plan
//! reads is kept whole.
//!
//! The parts depend on [`paths::Projection`] only: `scan` (the
//! hand-written scanner) and [`plan`] (what a compiled plan reads). The
//! scanner refuses exactly what [`crate::json::parser`] refuses (its tests
//! and `tests/json_parser.rs` hold both to serde_json's answers), and the
//! parser words the error. `reference`, serde_json's reader projecting
//! through serde's visitors, is the scanner's oracle in its tests.

mod paths;
pub mod plan;
#[cfg(test)]
pub mod reference;
pub(crate) mod scan;

pub use paths::Projection;

use crate::event::Node;
use crate::json::parser::{self, SyntaxError};

/// Parse JSON text keeping only what `p` names. Errors are worded, and
/// placed, as a full parse words and places them.
pub fn parse<'p>(text: &str, p: &'p Projection) -> Result<Node<'p>, SyntaxError> {
    if let Some(node) = scan::project(text, p) {
        return Ok(node);
    }
    parser::check(text.as_bytes())?;
    // Not reached while the scanner and the parser agree (their tests);
    // were they not to, the whole tree answers as the projected one would.
    parser::value(text.as_bytes()).map(Node::Whole)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn proj(paths: &[&[&str]]) -> Projection {
        let mut p = Projection::default();
        for path in paths {
            p.keep(path);
        }
        p
    }

    #[test]
    fn keeps_only_what_is_named() {
        let p = proj(&[
            &["eventType"],
            &["newState", "objCode"],
            &["newState", "tags"],
        ]);
        let v = parse(r#"{"eventType":"UPDATE","x":{"deep":[1,2,{"a":"b"}]},"newState":{"objCode":"PROJ","name":"n","tags":["a","b"]}}"#, &p).unwrap().to_value();
        assert_eq!(
            v,
            json!({"eventType":"UPDATE","newState":{"objCode":"PROJ","tags":["a","b"]}})
        );
    }

    #[test]
    fn rejects_exactly_what_a_full_parse_rejects() {
        let p = proj(&[&["a"]]);
        for bad in [
            r#"{"a":1,"b":1e400}"#,
            r#"{"a":1,"b":"\ud800"}"#,
            r#"{"a":1,"b":"\x"}"#,
            r#"{"a":1,"b":[1,]}"#,
            r#"{"a":1,"b":tru}"#,
            r#"{"a":1} x"#,
            r#"{"a":1,"b":"tab	here"}"#,
        ] {
            assert!(serde_json::from_str::<Value>(bad).is_err(), "{bad}");
            assert!(parse(bad, &p).is_err(), "{bad}");
        }
        let deep = format!("{{\"a\":1,\"b\":{}{}}}", "[".repeat(200), "]".repeat(200));
        assert!(serde_json::from_str::<Value>(&deep).is_err());
        assert!(parse(&deep, &p).is_err());
    }

    #[test]
    fn duplicate_keys_last_wins_like_a_full_parse() {
        let p = proj(&[&["a"]]);
        assert_eq!(
            parse(r#"{"a":1,"a":2}"#, &p).unwrap().to_value(),
            json!({"a":2})
        );
        let full: Value = serde_json::from_str(r#"{"a":{"x":1},"a":{"y":2}}"#).unwrap();
        assert_eq!(
            parse(r#"{"a":{"x":1},"a":{"y":2}}"#, &Projection::everything())
                .unwrap()
                .to_value(),
            full
        );
    }

    #[test]
    fn items_project_array_elements() {
        let mut p = Projection::default();
        p.node(&["events"]).items = Some(Box::new(proj(&[&["action"]])));
        let v = parse(
            r#"{"events":[{"action":"added","big":"x"},{"action":"changed"}]}"#,
            &p,
        )
        .unwrap()
        .to_value();
        assert_eq!(
            v,
            json!({"events":[{"action":"added"},{"action":"changed"}]})
        );
    }

    /// A lone subscription's projection holds the strings its gate and
    /// filters compare each kept value with; a set's, its members' in their
    /// order (each once, at most MAX_CONSTANTS a place).
    #[test]
    fn constants_are_the_strings_a_plan_compares_with() {
        use crate::{CompileOptions, Subscription, SubscriptionSet};
        let spec = json!({"objCode": "TASK", "eventType": "UPDATE", "url": "https://h.example.com/x",
            "authToken": "t", "filters": [
                {"fieldName": "status", "fieldValue": "CUR"},
                {"fieldName": "priority", "fieldValue": 3, "comparison": "gt"},
                {"fieldName": "name", "fieldValue": ["a", "b", 1], "comparison": "containsOnly"}]});
        let sub = Subscription::compile(&spec, CompileOptions::default()).unwrap();
        let at = |p: &Projection, path: &[&str]| -> Vec<Value> {
            let mut node = p;
            for key in path {
                node = node.child(key).map(|(_, c)| c).unwrap();
            }
            node.constants.clone()
        };
        let p = sub.projection();
        assert_eq!(at(p, &["eventType"]), [json!("UPDATE")]);
        assert_eq!(at(p, &["newState", "objCode"]), [json!("TASK")]);
        assert_eq!(at(p, &["newState", "status"]), [json!("CUR")]);
        assert_eq!(at(p, &["newState", "priority"]), Vec::<Value>::new());
        assert_eq!(at(p, &["newState", "name"]), [json!("a"), json!("b")]);
        let mut entries = vec![json!({"id": "a", "spec": spec})];
        for i in 0..12 {
            let mut other = spec.clone();
            other["eventType"] = json!(["CREATE", "UPDATE", "DELETE"][i % 3]);
            other["filters"][0]["fieldValue"] = json!(format!("S{i}"));
            entries.push(json!({"id": format!("m{i}"), "spec": other}));
        }
        let set = SubscriptionSet::compile(&Value::Array(entries)).unwrap();
        let p = set.projection();
        assert_eq!(
            at(p, &["eventType"]),
            [json!("UPDATE"), json!("CREATE"), json!("DELETE")]
        );
        let status: Vec<Value> = ["CUR", "S0", "S1", "S2", "S3", "S4", "S5", "S6"]
            .map(Value::from)
            .into();
        assert_eq!(at(p, &["newState", "status"]), status);
        assert_eq!(at(p, &["newState", "name"]), [json!("a"), json!("b")]);
        // An envelope's events (Asana's batch of events) get them too, in
        // a lone subscription's projection and in a set's.
        let asana = json!({"resource": "1200", "target": "https://a.example.com/hook",
            "filters": [{"resource_type": "task", "action": "changed", "fields": ["due_on"]}]});
        let sub = Subscription::compile(&asana, CompileOptions::default()).unwrap();
        let set = SubscriptionSet::compile(&json!([{"id": "a", "spec": asana}])).unwrap();
        for p in [sub.projection(), set.projection()] {
            let each = p
                .child("events")
                .and_then(|(_, e)| e.items.as_deref())
                .unwrap();
            assert_eq!(at(each, &["action"]), [json!("changed")], "{p:?}");
            assert_eq!(at(p, &["action"]), [json!("changed")]);
        }
    }
}
