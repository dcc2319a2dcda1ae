//! Typed comparison of JSON values, shared by every dialect.
//!
//! The rules are docs/vendors/workfront.md: numbers numerically (a numeric string
//! against a number too), date-times as instants across offsets, booleans with
//! `true`/`false`/`"true"`/`"false"`, `null` only with `null`, other strings by
//! code point. Nothing here allocates on the evaluation path.

use serde_json::{Map, Value};
use std::cmp::Ordering;

/// What a `fieldValue` is once parsed at compile time, so evaluation does not
/// re-parse numbers and date-times on every event.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Hint {
    pub number: Option<f64>,
    pub instant: Option<i128>,
    pub boolean: Option<bool>,
}

impl Hint {
    pub fn of(v: &Value) -> Hint {
        match v {
            Value::Number(n) => Hint {
                number: n.as_f64(),
                ..Hint::default()
            },
            Value::String(s) => Hint {
                number: parse_number(s),
                instant: parse_instant(s),
                boolean: parse_bool(s),
            },
            Value::Bool(b) => Hint {
                boolean: Some(*b),
                ..Hint::default()
            },
            _ => Hint::default(),
        }
    }
}

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// A string in JSON number syntax (RFC 8259 §6: `-12`, `3.5`, `1e3`), as
/// f64. Rust's own parser also takes `inf`, `NaN`, `+1`, `.5` and leading
/// zeros (`01`); those stay strings here, as they would in a JSON document.
pub fn parse_number(s: &str) -> Option<f64> {
    // The reader's grammar and range (`json::parser::number`: a JSON
    // number, refused past f64), without the whitespace a document may put
    // before a value.
    if !matches!(s.as_bytes().first(), Some(b'-' | b'0'..=b'9')) {
        return None;
    }
    crate::json::parser::number(s)?.as_f64()
}

/// An ISO 8601 date or date-time as nanoseconds since the Unix epoch.
///
/// Accepted: `2022-12-11`, `2022-12-11T16:00`, `…:00`, `…:00.123456789`, each
/// with an optional offset `Z`, `-0800`, `-08:00` or `-08`. A date-time with no
/// offset is read as UTC (Workfront always sends one; documented in README).
pub fn parse_instant(s: &str) -> Option<i128> {
    let b = s.as_bytes();
    if b.len() < 10 || b.len() > 40 {
        return None;
    }
    let year = digits(b, 0, 4)? as i64;
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let month = digits(b, 5, 2)? as u32;
    let day = digits(b, 8, 2)? as u32;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    if b.len() == 10 {
        return Some(i128::from(days) * 86_400 * 1_000_000_000);
    }
    if !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let hour = digits(b, 11, 2)? as i64;
    if b.get(13) != Some(&b':') {
        return None;
    }
    let minute = digits(b, 14, 2)? as i64;
    let mut i = 16;
    let mut second = 0i64;
    let mut nanos = 0i64;
    if b.get(i) == Some(&b':') {
        second = digits(b, i + 1, 2)? as i64;
        i += 3;
        if b.get(i) == Some(&b'.') || b.get(i) == Some(&b',') {
            i += 1;
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let n = i - start;
            if n == 0 || n > 9 {
                return None;
            }
            nanos = digits(b, start, n)? as i64 * 10i64.pow((9 - n) as u32);
        }
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let offset_secs: i64 = match b.get(i) {
        None => 0,
        Some(b'Z') | Some(b'z') if i + 1 == b.len() => 0,
        Some(sign @ (b'+' | b'-')) => {
            let sign = if *sign == b'-' { -1 } else { 1 };
            let rest = &b[i + 1..];
            let (oh, om) = match rest.len() {
                2 => (digits(rest, 0, 2)?, 0),
                4 => (digits(rest, 0, 2)?, digits(rest, 2, 2)?),
                5 if rest[2] == b':' => (digits(rest, 0, 2)?, digits(rest, 3, 2)?),
                _ => return None,
            };
            if oh > 23 || om > 59 {
                return None;
            }
            sign * (oh as i64 * 3600 + om as i64 * 60)
        }
        _ => return None,
    };
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_secs;
    Some(i128::from(secs) * 1_000_000_000 + i128::from(nanos))
}

fn digits(b: &[u8], start: usize, n: usize) -> Option<u64> {
    let slice = b.get(start..start + n)?;
    let mut v = 0u64;
    for &c in slice {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u64::from(c - b'0');
    }
    Some(v)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Order two scalars by the typed rules; `None` when they are not comparable
/// (different kinds, or `null` against anything but `null`).
pub fn compare_scalar(actual: &Value, expected: &Value, hint: &Hint) -> Option<Ordering> {
    match (actual, expected) {
        (Value::Null, Value::Null) => Some(Ordering::Equal),
        (Value::Null, _) | (_, Value::Null) => None,
        (Value::Bool(a), _) => hint.boolean.map(|e| a.cmp(&e)),
        // Two integers compare exactly, beyond f64's 2^53 too (IDs, epochs in ns).
        (Value::Number(a), Value::Number(e)) if integer(a).is_some() && integer(e).is_some() => {
            Some(integer(a)?.cmp(&integer(e)?))
        }
        (Value::Number(a), _) => {
            let a = a.as_f64()?;
            hint.number.and_then(|e| a.partial_cmp(&e))
        }
        (Value::String(a), Value::Number(e)) => {
            let a = parse_number(a)?;
            a.partial_cmp(&e.as_f64()?)
        }
        (Value::String(a), Value::Bool(e)) => parse_bool(a).map(|a| a.cmp(e)),
        (Value::String(a), Value::String(e)) => {
            if let Some(ei) = hint.instant {
                if let Some(ai) = parse_instant(a) {
                    return Some(ai.cmp(&ei));
                }
            }
            // Rust compares str by UTF-8 bytes, which is code point order.
            Some(a.as_str().cmp(e.as_str()))
        }
        _ => None,
    }
}

fn integer(n: &serde_json::Number) -> Option<i128> {
    n.as_i64()
        .map(i128::from)
        .or_else(|| n.as_u64().map(i128::from))
}

/// Typed equality of any two values: scalars by [`compare_scalar`], arrays
/// element by element in order, objects key by key (both ways).
pub fn typed_eq(a: &Value, e: &Value) -> bool {
    match (a, e) {
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| typed_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && y.iter()
                    .all(|(k, v)| x.get(k).is_some_and(|w| typed_eq(w, v)))
        }
        (Value::Array(_) | Value::Object(_), _) | (_, Value::Array(_) | Value::Object(_)) => false,
        _ => compare_scalar(a, e, &Hint::of(e)) == Some(Ordering::Equal),
    }
}

/// docs/vendors/workfront.md: an object `fieldValue` passes when every key it gives is
/// present in the field's object with an equal value, recursively.
pub fn object_subset(actual: &Map<String, Value>, expected: &Map<String, Value>) -> bool {
    expected.iter().all(|(k, ev)| match (actual.get(k), ev) {
        (Some(Value::Object(am)), Value::Object(em)) => object_subset(am, em),
        (Some(av), ev) => typed_eq(av, ev),
        (None, _) => false,
    })
}

/// Structural equality for `changed`: the same JSON, numbers compared as
/// numbers (`1` and `1.0` are the same value), no string/number coercion (a
/// type change is a change).
pub fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (integer(x), integer(y)) {
            (Some(a), Some(b)) => a == b,
            _ => x == y || x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_json(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

/// An upper bound of the length of `v`'s compact JSON text, or `cap` once
/// it reaches `cap` (the walk stops there). A string of n bytes is at most
/// 6n + 2 bytes of JSON (every byte a six-byte `\\u00XX` escape).
pub fn json_len_bound(v: &Value, cap: usize) -> usize {
    fn walk(v: &Value, total: &mut usize, cap: usize) {
        if *total >= cap {
            return;
        }
        match v {
            Value::Null | Value::Bool(_) => *total += 5,
            Value::Number(_) => *total += 40,
            Value::String(s) => *total += 6 * s.len() + 2,
            Value::Array(items) => {
                *total += 2;
                for i in items {
                    *total += 1;
                    walk(i, total, cap);
                }
            }
            Value::Object(m) => {
                *total += 2;
                for (k, v) in m {
                    *total += 6 * k.len() + 4;
                    walk(v, total, cap);
                }
            }
        }
    }
    let mut total = 0;
    walk(v, &mut total, cap);
    total.min(cap)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn instants_honour_offsets() {
        let a = parse_instant("2022-12-11T16:00:00.000-0800").unwrap();
        let b = parse_instant("2022-12-11T16:00:00.000-08:00").unwrap();
        let c = parse_instant("2022-12-12T00:00:00Z").unwrap();
        let d = parse_instant("2022-12-12T00:00:00.000000000+00").unwrap();
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_eq!(a, d);
        assert_eq!(parse_instant("1970-01-01"), Some(0));
        assert_eq!(
            parse_instant("1970-01-02T00:00:00Z"),
            Some(86_400_000_000_000)
        );
    }

    #[test]
    fn bad_dates_are_not_instants() {
        for s in [
            "2022-13-01",
            "2022-02-30",
            "2022-12-11T25:00",
            "2022-12-11T10:00:00+0",
            "2022-12-11X",
            "hello world",
            "2022-12-11T10:00:00.1234567890Z",
        ] {
            assert_eq!(parse_instant(s), None, "{s}");
        }
        assert!(parse_instant("2024-02-29").is_some());
        assert!(parse_instant("2023-02-29").is_none());
    }

    #[test]
    fn numbers_in_json_syntax_only() {
        assert_eq!(parse_number("100"), Some(100.0));
        assert_eq!(parse_number("-1.5e2"), Some(-150.0));
        assert_eq!(parse_number("0"), Some(0.0));
        assert_eq!(parse_number("-0.5"), Some(-0.5));
        assert_eq!(parse_number("10"), Some(10.0));
        for s in [
            "inf", "NaN", "+1", ".5", "5.", "1e", "", "-", "0x10", " 1", "01", "00", "-01", "007.5",
        ] {
            assert_eq!(parse_number(s), None, "{s}");
        }
    }

    #[test]
    fn scalar_rules() {
        let cmp = |a: Value, e: Value| compare_scalar(&a, &e, &Hint::of(&e));
        assert_eq!(cmp(json!(50), json!("100")), Some(Ordering::Less));
        assert_eq!(cmp(json!("50"), json!(100)), Some(Ordering::Less));
        // Two strings compare by code point even when they look numeric.
        assert_eq!(cmp(json!("50"), json!("100")), Some(Ordering::Greater));
        assert_eq!(cmp(json!(true), json!("true")), Some(Ordering::Equal));
        assert_eq!(cmp(json!(null), json!(null)), Some(Ordering::Equal));
        assert_eq!(cmp(json!(null), json!("x")), None);
        assert_eq!(cmp(json!("x"), json!(null)), None);
        assert_eq!(cmp(json!("abc"), json!(1)), None);
        assert_eq!(
            cmp(
                json!("2022-12-12T01:00:00Z"),
                json!("2022-12-11T16:00:00.000-0800")
            ),
            Some(Ordering::Greater)
        );
    }

    #[test]
    fn big_integers_compare_exactly() {
        let cmp = |a: Value, e: Value| compare_scalar(&a, &e, &Hint::of(&e));
        assert_eq!(
            cmp(json!(9007199254740993u64), json!(9007199254740992u64)),
            Some(Ordering::Greater)
        );
        assert_eq!(cmp(json!(u64::MAX), json!(u64::MAX)), Some(Ordering::Equal));
        assert_eq!(
            cmp(json!(-1), json!(18446744073709551615u64)),
            Some(Ordering::Less)
        );
        assert_eq!(cmp(json!(2), json!(2.5)), Some(Ordering::Less));
    }

    #[test]
    fn the_length_bound_is_an_upper_bound() {
        for v in [
            json!(null),
            json!({"a\u{1}": ["x\n\"", 1.5e300, -1, true, {"k": "é\u{1F600}"}]}),
            json!([[], {}, "", 0]),
        ] {
            assert!(json_len_bound(&v, usize::MAX) >= v.to_string().len(), "{v}");
        }
        assert_eq!(json_len_bound(&json!(vec!["x"; 100]), 50), 50);
    }

    #[test]
    fn subset_and_changed() {
        let a = json!({"DE: x": "v", "n": {"a": 1, "b": 2}});
        let e = json!({"n": {"a": 1.0}});
        assert!(object_subset(
            a.as_object().unwrap(),
            e.as_object().unwrap()
        ));
        let e2 = json!({"n": {"c": 1}});
        assert!(!object_subset(
            a.as_object().unwrap(),
            e2.as_object().unwrap()
        ));
        assert!(same_json(&json!({"a": [1, 2.0]}), &json!({"a": [1.0, 2]})));
        assert!(!same_json(&json!("1"), &json!(1)));
    }
}
