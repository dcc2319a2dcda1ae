//! The values the analysis tries for one slot, and whether they are enough
//! to decide every question about it.
//!
//! A finding is a claim about every event (docs/analysis.md): `never_matches`
//! says no JSON value of any type in any field fires the subscription. The
//! search only ever sees the finite list of values built here, so a claim
//! it makes from "no candidate works" is true only when the list holds, for
//! every outcome the slot's comparisons can give together, a value giving it.
//! [`exact`] says when that is so; where it is not, the search answers
//! "unknown" instead of "unsatisfiable" and nothing is claimed.
//!
//! Why each exact fragment is exact, from the comparisons of `value.rs` and
//! `eval.rs` (the argument, not a measurement; `tests/js/oracle.test.mjs`
//! tries to refute it with events of its own):
//!
//! - **equality** (`eq`, `ne`, `changed`, list membership, gates) with plain
//!   strings, booleans, `"true"`/`"false"` and `null`: a value equals at most
//!   one plain string (code points), and `true` and `"true"` answer alike;
//!   so the constants themselves, both booleans and their texts, `null`, two
//!   fresh strings and the singletons of list elements meet every outcome.
//! - **numeric order** (`eq`..`lte`) with JSON numbers (integers below 2^53
//!   in magnitude, any finite fraction): numbers and numeric text compare by
//!   value, everything else fails every ordering, so each constant, two
//!   values strictly inside each gap between neighbours, and two beyond each
//!   end meet every outcome. Beyond 2^53 an integer constant compares
//!   exactly while a fraction compares as a double, and the two orders
//!   disagree, so such constants are not exact.
//! - **text order** with strings that are not instants: strings compare by
//!   code point with every constant, numbers by value with the numeric ones,
//!   booleans with `"true"`/`"false"`; each constant, two strings inside each
//!   code-point gap (built by [`between_strings`], which finds them whenever
//!   one exists) and the numeric positions of numeric text meet every outcome.
//! - **instant order** with instants only: an instant compares as an
//!   instant, any other string by code point with the constants' text, and
//!   numbers and booleans never compare; instants at every instant position
//!   (each written twice, in `Z` and in `+05:30`) and non-instant strings at
//!   every code-point position meet every outcome.
//! - **substrings and sets** (`contains`, `notContains`, `containsOnly`,
//!   `eq`, `ne`, list membership) with at most [`MAX_SUBSET`] plain strings
//!   (array constants of the set comparisons count their elements): a
//!   string's outcomes are which constants it holds (a set closed under "is
//!   a substring of a held one") and which constant it is, if any; the join
//!   of every subset with a separator no constant holds has exactly the
//!   closure of that subset and is no constant, so the joins and the
//!   constants meet every string outcome. An array's outcomes are which
//!   constants are among its elements and whether it has others, so every
//!   subset as an array, alone and with a fresh element, meets every array
//!   outcome; other types hold nothing and equal nothing.
//!
//! Not exact (claims are withheld unless the tree alone decides them, see
//! `Space::relaxed`): array and object constants of `eq`/`ne`/orderings,
//! substrings of numbers, booleans or instants, orderings mixed with
//! substrings, more than [`MAX_SUBSET`] set constants, and constants of
//! mixed kinds in one slot.

use crate::plan::Comparison;
use crate::value::{parse_instant, parse_number};
use serde_json::Value;

/// Subsets of this many substring constants are enumerated (2^5 joins and
/// 2^5 arrays, each twice); with more, a slot is not exact.
pub(super) const MAX_SUBSET: usize = 5;

/// What a constant is to the comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A string that is neither a number, an instant nor a boolean's text.
    Plain,
    BoolText,
    NumText,
    Instant,
    /// A JSON number whose comparisons agree in both number paths.
    Number,
    /// An integer of 2^53 or more in magnitude (see the module comment).
    HugeInteger,
    Bool,
    Null,
    Compound,
}

#[cfg_attr(hookmatch_package, optimize(size))]
fn kind(v: &Value) -> Kind {
    match v {
        Value::String(s) if s == "true" || s == "false" => Kind::BoolText,
        Value::String(s) if parse_number(s).is_some() => Kind::NumText,
        Value::String(s) if parse_instant(s).is_some() => Kind::Instant,
        Value::String(_) => Kind::Plain,
        Value::Number(n) => {
            const SAFE: f64 = 9_007_199_254_740_992.0;
            let integer = n.is_i64() || n.is_u64();
            match n.as_f64() {
                Some(x) if integer && x.abs() >= SAFE => Kind::HugeInteger,
                Some(x) if x.is_finite() => Kind::Number,
                _ => Kind::HugeInteger,
            }
        }
        Value::Bool(_) => Kind::Bool,
        Value::Null => Kind::Null,
        Value::Array(_) | Value::Object(_) => Kind::Compound,
    }
}

/// One use of a slot: a filter's comparison and constant, or a gate's
/// constant (`None`: compared by JSON equality).
pub(super) type Use<'a> = (Option<Comparison>, &'a Value);

/// Whether the candidates [`extend`] builds decide every question about a
/// slot with these uses (the module comment says why for each fragment).
///
/// `uses` may be some of a slot's uses (those a question reads): the
/// candidates built from all of them refine every position the fewer
/// constants make, except the subsets of substring constants, which are
/// complete only when `subsets` says [`extend`] enumerated them all.
#[cfg_attr(hookmatch_package, optimize(size))]
pub(super) fn exact(uses: &[Use<'_>], subsets: bool) -> bool {
    if uses.iter().all(|(c, _)| c.is_none()) {
        // Gates alone: JSON equality with each constant, or none.
        return true;
    }
    let (mut order, mut substring) = (false, false);
    let mut constants: Vec<&Value> = Vec::new();
    for (c, v) in uses {
        match c {
            Some(Comparison::Changed) => continue,
            Some(Comparison::Gt | Comparison::Gte | Comparison::Lt | Comparison::Lte) => {
                order = true
            }
            // Each element of an array constant is tested on its own.
            Some(
                Comparison::Contains
                | Comparison::NotContains
                | Comparison::ContainsOnly
                | Comparison::In,
            ) => {
                if *c != Some(Comparison::In) {
                    substring = true;
                }
                match v {
                    Value::Array(items) => constants.extend(items.iter()),
                    other => constants.push(other),
                }
                continue;
            }
            Some(Comparison::Eq | Comparison::Ne) | None => {}
        }
        constants.push(v);
    }
    let kinds: Vec<Kind> = constants.iter().map(|v| kind(v)).collect();
    let all = |ok: &dyn Fn(Kind) -> bool| kinds.iter().all(|k| ok(*k));
    // The order fragments decide `eq` and `ne` too (equality is a position).
    let ordered = all(&|k| k == Kind::Number)
        || all(&|k| matches!(k, Kind::Plain | Kind::NumText | Kind::BoolText))
        || all(&|k| k == Kind::Instant);
    match (order, substring) {
        (false, false) => {
            ordered || all(&|k| matches!(k, Kind::Plain | Kind::BoolText | Kind::Bool | Kind::Null))
        }
        (true, false) => ordered,
        (false, true) => {
            subsets && all(&|k| k == Kind::Plain) && {
                let mut texts: Vec<&str> = constants.iter().filter_map(|v| v.as_str()).collect();
                texts.sort_unstable();
                texts.dedup();
                texts.len() <= MAX_SUBSET
            }
        }
        (true, true) => false,
    }
}

/// Add to `vals` (the slot's constants and their plain neighbours) every
/// value the exact fragments need, and values that help find witnesses
/// where no fragment is exact: strings holding several constants, arrays
/// mixing types, numbers and instants at every position and in other
/// spellings.
/// Whether every subset of the slot's substring constants is enumerated.
#[cfg_attr(hookmatch_package, optimize(size))]
pub(super) fn subsets_enumerated(uses: &[Use<'_>]) -> bool {
    set_constants(uses).len() <= MAX_SUBSET
}

/// The distinct strings of a slot's constants, array elements included:
/// the words whose subsets [`extend`] joins and lists.
#[cfg_attr(hookmatch_package, optimize(size))]
fn set_constants(uses: &[Use<'_>]) -> Vec<String> {
    let mut texts: Vec<String> = uses
        .iter()
        .filter(|(c, _)| *c != Some(Comparison::Changed))
        .flat_map(|(_, v)| match v {
            Value::Array(items) => items.iter().collect::<Vec<_>>(),
            other => vec![*other],
        })
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    texts.sort_unstable();
    texts.dedup();
    texts
}

#[cfg_attr(hookmatch_package, optimize(size))]
pub(super) fn extend(uses: &[Use<'_>], vals: &mut Vec<Value>) {
    let mut constants: Vec<Value> = Vec::new();
    for (c, v) in uses {
        if *c == Some(Comparison::Changed) {
            continue;
        }
        let flat: Vec<&Value> = match v {
            Value::Array(items) => items.iter().chain(std::iter::once(*v)).collect(),
            other => vec![other],
        };
        constants.extend(flat.into_iter().cloned());
    }
    let substrings = set_constants(uses);
    let fresh = fresh_strings(&constants);
    numbers_at_positions(&constants, vals);
    instants_at_positions(&constants, vals);
    strings_at_positions(&constants, vals);
    let texts: Vec<&str> = constants.iter().filter_map(Value::as_str).collect();
    substring_subsets(&substrings, &texts, &fresh, vals);
    // Arrays of any element type: each scalar alone, with a fresh string,
    // and all together (`contains 1` against `[100, "x"]`).
    let scalars: Vec<&Value> = constants
        .iter()
        .filter(|v| !v.is_array() && !v.is_object())
        .collect();
    for s in &scalars {
        vals.push(Value::Array(vec![(*s).clone()]));
        vals.push(Value::Array(vec![(*s).clone(), fresh[0].clone().into()]));
    }
    if scalars.len() > 1 {
        vals.push(Value::Array(scalars.iter().map(|v| (*v).clone()).collect()));
    }
    for f in fresh {
        vals.push(f.into());
    }
    for v in [
        Value::Bool(true),
        Value::Bool(false),
        "true".into(),
        "false".into(),
        Value::Null,
    ] {
        vals.push(v);
    }
}

/// Two strings equal to no constant and holding none of the string
/// constants (when they can: a constant `""` is in every string).
fn fresh_strings(constants: &[Value]) -> [String; 2] {
    let clashes = |s: &str| {
        constants.iter().any(|c| match c {
            Value::String(c) => !c.is_empty() && (s.contains(c.as_str()) || c == s),
            _ => false,
        })
    };
    let mut out = [String::from("hookmatch"), String::from("hookmatch-other")];
    for s in &mut out {
        while clashes(s) {
            s.insert(0, '#');
            if s.len() > 64 {
                break;
            }
        }
    }
    out
}

/// A number as a JSON number and as numeric text (the comparisons read both).
#[cfg_attr(hookmatch_package, optimize(size))]
pub(super) fn numbers(x: f64, list: &mut Vec<Value>) {
    if let Some(n) = serde_json::Number::from_f64(x) {
        // A whole number is an integer, as JSON.stringify writes it and
        // every event from JavaScript carries it (integers compare exactly).
        let v = if x.fract() == 0.0 && x.abs() < 9.2e18 {
            Value::from(x as i64)
        } else {
            Value::Number(n)
        };
        list.push(v.clone());
        list.push(crate::json::text(&v).into());
        // The same number spelled with an exponent: numeric text sorts by
        // its characters against other text ("3e-1" after "2022-…").
        list.push(format!("{x:e}").into());
    }
}

/// Each numeric constant, two values strictly inside each gap between
/// neighbours (none when the two are neighbouring doubles), and two beyond
/// each end, as numbers and as text.
#[cfg_attr(hookmatch_package, optimize(size))]
fn numbers_at_positions(constants: &[Value], vals: &mut Vec<Value>) {
    let mut ns: Vec<f64> = constants
        .iter()
        .filter_map(|v| match v {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => parse_number(s),
            _ => None,
        })
        .filter(|x| x.is_finite())
        .collect();
    ns.sort_by(f64::total_cmp);
    ns.dedup();
    let mut points = Vec::new();
    if let (Some(&lo), Some(&hi)) = (ns.first(), ns.last()) {
        // `lo - 1.0` is `lo` itself beyond 2^53 (1e21 - 1 == 1e21): step
        // to the next double instead.
        let below = if lo - 1.0 < lo {
            lo - 1.0
        } else {
            next_down(lo)
        };
        let above = if hi + 1.0 > hi { hi + 1.0 } else { next_up(hi) };
        points.extend([below, next_down(below), above, next_up(above)]);
    }
    for w in ns.windows(2) {
        let (a, b) = (w[0], w[1]);
        let mid = a / 2.0 + b / 2.0;
        let mid = if a < mid && mid < b { mid } else { next_up(a) };
        if a < mid && mid < b {
            points.push(mid);
            let other = mid / 2.0 + b / 2.0;
            let other = if mid < other && other < b {
                other
            } else {
                next_up(mid)
            };
            if other < b {
                points.push(other);
            }
        }
    }
    for x in points.into_iter().filter(|x| x.is_finite()) {
        numbers(x, vals);
    }
}

/// The next double above `x` (`f64::next_up`, stable only since Rust
/// 1.86; the crate supports 1.82). NaN and +inf stay as they are.
#[cfg_attr(hookmatch_package, optimize(size))]
fn next_up(x: f64) -> f64 {
    if x.is_nan() || x == f64::INFINITY {
        return x;
    }
    if x == 0.0 {
        return f64::from_bits(1);
    }
    let bits = x.to_bits();
    f64::from_bits(if x > 0.0 { bits + 1 } else { bits - 1 })
}

/// The next double below `x`.
#[cfg_attr(hookmatch_package, optimize(size))]
fn next_down(x: f64) -> f64 {
    -next_up(-x)
}

/// Each instant constant in two other spellings, and instants inside each
/// gap and beyond each end, each in two spellings.
#[cfg_attr(hookmatch_package, optimize(size))]
fn instants_at_positions(constants: &[Value], vals: &mut Vec<Value>) {
    let mut ts: Vec<i128> = constants
        .iter()
        .filter_map(|v| parse_instant(v.as_str()?))
        .collect();
    ts.sort_unstable();
    ts.dedup();
    const DAY: i128 = 86_400_000_000_000;
    let mut points = ts.clone();
    if let (Some(lo), Some(hi)) = (ts.first(), ts.last()) {
        points.extend([lo - DAY, lo - 2 * DAY, hi + DAY, hi + 2 * DAY]);
    }
    for w in ts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if b - a > 1 {
            points.push(a + (b - a) / 2);
        }
        if b - a > 2 {
            points.push(a + (b - a) / 2 + 1);
        }
    }
    for t in points {
        vals.extend(format_instant(t, 0).map(Value::from));
        vals.extend(format_instant(t, 330).map(Value::from));
    }
}

/// Strings at every code-point position of the string constants: below the
/// least, inside each gap, above the greatest; two of each where they exist.
#[cfg_attr(hookmatch_package, optimize(size))]
fn strings_at_positions(constants: &[Value], vals: &mut Vec<Value>) {
    let mut texts: Vec<&str> = constants.iter().filter_map(Value::as_str).collect();
    if texts.is_empty() {
        return;
    }
    texts.sort_unstable();
    texts.dedup();
    let mut out: Vec<String> = Vec::new();
    if !texts[0].is_empty() {
        out.push(String::new());
        out.extend(between_strings("", texts[0]));
    }
    for w in texts.windows(2) {
        out.extend(between_strings(w[0], w[1]));
    }
    let hi = texts[texts.len() - 1];
    out.push(format!("{hi}~"));
    out.push(format!("{hi}\u{0}"));
    // A position followed by a constant: text in that gap that holds it
    // (`contains "1e400"` beside `gt` and `lt` of other text). Bounded: the
    // first positions and constants only.
    let mut held: Vec<String> = Vec::new();
    for p in out.iter().filter(|p| !p.is_empty()).take(16) {
        for c in texts.iter().filter(|c| !c.is_empty()).take(MAX_SUBSET) {
            held.push(format!("{p}{c}"));
        }
    }
    vals.extend(out.into_iter().chain(held).map(Value::from));
}

/// Up to two strings strictly between `a` and `b` (`a < b` by code points),
/// none when no string lies between them (`b` is `a` followed by NULs only
/// up to one: `"x"` and `"x\0"`).
#[cfg_attr(hookmatch_package, optimize(size))]
pub(super) fn between_strings(a: &str, b: &str) -> Vec<String> {
    if a >= b {
        return Vec::new();
    }
    match b.strip_prefix(a) {
        // They differ inside `a`: every extension of `a` is still below `b`.
        None => vec![format!("{a}~"), format!("{a}\u{0}")]
            .into_iter()
            .filter(|s| s.as_str() < b)
            .collect(),
        Some(rest) => below(rest).into_iter().map(|w| format!("{a}{w}")).collect(),
    }
}

/// Up to two non-empty strings below `r` by code points.
#[cfg_attr(hookmatch_package, optimize(size))]
fn below(r: &str) -> Vec<String> {
    match r.strip_prefix('\u{0}') {
        None if r.is_empty() => Vec::new(),
        None => vec!["\u{0}".into(), "\u{0}\u{0}".into()],
        Some(rest) => below(rest)
            .into_iter()
            .map(|w| format!("\u{0}{w}"))
            .collect(),
    }
}

/// For substring constants: the join of every subset (at most
/// [`MAX_SUBSET`] constants; beyond, only all of them) with a separator no
/// constant holds, twice, and every subset as an array, twice.
fn substring_subsets(subs: &[String], avoid: &[&str], fresh: &[String; 2], vals: &mut Vec<Value>) {
    let mut subs: Vec<&str> = subs.iter().map(String::as_str).collect();
    subs.sort_unstable();
    subs.dedup();
    if subs.is_empty() {
        return;
    }
    let sep = [" ", "|", "/", "\u{1}"]
        .into_iter()
        .find(|sep| !avoid.iter().any(|s| s.contains(sep)))
        .unwrap_or("\u{1}");
    let sets: Vec<Vec<&str>> = if subs.len() <= MAX_SUBSET {
        (0u32..1 << subs.len())
            .map(|mask| {
                subs.iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << i) != 0)
                    .map(|(_, s)| *s)
                    .collect()
            })
            .collect()
    } else {
        vec![subs.clone()]
    };
    for set in sets {
        let joined = set.join(sep);
        vals.push(format!("{joined}{sep}").into());
        vals.push(format!("{sep}{joined}{sep}").into());
        // The set as an array, the same set in another order (or with its
        // one element twice: `changed` needs two values of each class),
        // and with an element that is no constant, twice.
        let items: Vec<Value> = set.iter().map(|s| Value::from(*s)).collect();
        let mut other = items.clone();
        match other.len() {
            1 => other.push(items[0].clone()),
            _ => other.reverse(),
        }
        vals.push(Value::Array(items.clone()));
        vals.push(Value::Array(other));
        for f in fresh {
            let mut more = items.clone();
            more.push(f.clone().into());
            vals.push(Value::Array(more));
        }
    }
}

/// RFC 3339 with nanoseconds, at an offset of `offset_minutes` from UTC
/// (`Z` when 0), for instants the parser reads back.
#[cfg_attr(hookmatch_package, optimize(size))]
pub(super) fn format_instant(ns: i128, offset_minutes: i64) -> Option<String> {
    let local = ns + i128::from(offset_minutes) * 60 * 1_000_000_000;
    let secs = local.div_euclid(1_000_000_000);
    let nanos = local.rem_euclid(1_000_000_000);
    let days = i64::try_from(secs.div_euclid(86_400)).ok()?;
    let rem = secs.rem_euclid(86_400) as i64;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + (m <= 2) as i64;
    if !(0..=9999).contains(&y) {
        return None;
    }
    let zone = if offset_minutes == 0 {
        "Z".to_string()
    } else {
        let sign = if offset_minutes < 0 { '-' } else { '+' };
        let o = offset_minutes.abs();
        format!("{sign}{:02}:{:02}", o / 60, o % 60)
    };
    Some(format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{nanos:09}{zone}",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn next_up_and_down_step_one_double() {
        for x in [
            0.0,
            1.0,
            -1.0,
            1e21,
            -1e21,
            9_007_199_254_740_992.0,
            f64::MIN_POSITIVE,
        ] {
            assert!(next_up(x) > x && next_down(x) < x, "{x}");
            assert_eq!(next_down(next_up(x)), x, "{x}");
        }
        assert_eq!(next_up(9_007_199_254_740_992.0), 9_007_199_254_740_994.0);
        assert_eq!(next_up(-0.0), f64::from_bits(1));
    }

    #[test]
    fn between_strings_lie_between() {
        for (a, b) in [
            ("a", "b"),
            ("x", "x\u{0}a"),
            ("", "a"),
            ("ab", "b"),
            ("x", "xa"),
        ] {
            let got = between_strings(a, b);
            assert!(!got.is_empty(), "{a:?} {b:?}");
            for s in got {
                assert!(a < s.as_str() && s.as_str() < b, "{a:?} < {s:?} < {b:?}");
            }
        }
        // Nothing lies strictly between "x" and "x\0".
        assert!(between_strings("x", "x\u{0}").is_empty());
    }

    #[test]
    fn numbers_beyond_two_to_the_53_still_step_outside() {
        let mut vals = Vec::new();
        numbers_at_positions(&[json!(1e21)], &mut vals);
        let xs: Vec<f64> = vals.iter().filter_map(Value::as_f64).collect();
        assert!(xs.iter().any(|x| *x < 1e21) && xs.iter().any(|x| *x > 1e21));
    }

    #[test]
    fn instants_format_and_parse_back() {
        for t in [
            "2024-02-29T23:59:59.999999999Z",
            "1970-01-01T00:00:00.000000000Z",
            "2001-09-09T01:46:40.000000001Z",
        ] {
            let ns = parse_instant(t).unwrap();
            assert_eq!(format_instant(ns, 0).as_deref(), Some(t));
            assert_eq!(
                parse_instant(&format_instant(ns + 1, 0).unwrap()),
                Some(ns + 1)
            );
        }
    }

    #[test]
    fn instants_spelled_at_an_offset_read_back() {
        let t = parse_instant("2022-12-11T06:30:00.000+0530").unwrap();
        for off in [0, 330, -480] {
            let s = format_instant(t, off).unwrap();
            assert_eq!(parse_instant(&s), Some(t), "{s}");
        }
    }

    /// Values written here without reading the analysis: each constant, in
    /// other spellings and types, glued to the others, cut, shifted, inside
    /// arrays with and without strangers; plus a fixed list of numbers,
    /// strings, booleans, null, arrays and objects.
    fn off_grid(constants: &[&Value]) -> Vec<Value> {
        let mut pool: Vec<Value> = vec![
            json!(null),
            json!(true),
            json!(false),
            json!("true"),
            json!("false"),
            json!("null"),
            json!(""),
            json!(" "),
            json!("a"),
            json!("zz"),
            json!("~"),
            json!("\u{0}"),
            json!([]),
            json!({}),
            json!({"a": 1}),
            json!([null]),
            json!([true]),
            json!([1, "x"]),
            json!([[1]]),
        ];
        for x in [
            -1e300, -1e21, -1000.0, -1.0, -0.5, 0.0, 1e-300, 0.1, 0.5, 1.0, 1.5, 2.0, 9.5, 10.0,
            10.5, 49.99, 50.0, 50.0001, 50.5, 51.0, 99.0, 100.0, 100.5, 1e21, 1e300,
        ] {
            pool.push(json!(x));
            pool.push(json!(x.to_string()));
        }
        let texts: Vec<String> = constants
            .iter()
            .flat_map(|c| match c {
                Value::Array(items) => items.clone(),
                other => vec![(*other).clone()],
            })
            .map(|c| match c {
                Value::String(s) => s,
                other => other.to_string(),
            })
            .collect();
        for t in &texts {
            pool.push(json!(t));
            pool.push(json!(format!("{t}{t}")));
            pool.push(json!(format!("<{t}>")));
            pool.push(json!(t.to_lowercase()));
            pool.push(json!([t]));
            pool.push(json!([t, t]));
            pool.push(json!([t, "stranger"]));
            pool.push(json!(["stranger", t, 7]));
            if let Some(cut) = t.get(..t.len().saturating_sub(1)) {
                pool.push(json!(cut));
            }
            if let Some(n) = crate::value::parse_number(t) {
                for d in [-1.0, -0.25, 0.0, 0.25, 1.0] {
                    pool.push(json!(n + d));
                    pool.push(json!((n + d).to_string()));
                }
                pool.push(json!([n]));
                pool.push(json!(format!("{n:e}")));
            }
            if let Some(ns) = parse_instant(t) {
                for d in [-86_400_000_000_000, -1, 1, 3_600_000_000_000] {
                    pool.extend(format_instant(ns + d, 0).map(Value::from));
                    pool.extend(format_instant(ns + d, -480).map(Value::from));
                }
                pool.extend(format_instant(ns, 60).map(Value::from));
            }
            for u in &texts {
                pool.push(json!(format!("{t} {u}")));
                pool.push(json!(format!("{t}{u}")));
                pool.push(json!([t, u]));
                pool.push(json!([t, u, "stranger"]));
            }
        }
        // Every constant but one, glued, and all of them.
        for skip in 0..=texts.len() {
            let rest: Vec<&str> = texts
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, t)| t.as_str())
                .collect();
            pool.push(json!(rest.join(" ")));
            pool.push(json!(rest));
        }
        for c in constants {
            pool.push((*c).clone());
        }
        pool
    }

    /// What a value answers to each use of a slot (`changed` compares two
    /// states and is left out; a gate is JSON equality).
    fn outcome(uses: &[Use<'_>], v: &Value) -> Vec<bool> {
        uses.iter()
            .filter(|(c, _)| *c != Some(Comparison::Changed))
            .map(|(c, k)| match c {
                Some(c) => crate::eval::test(*c, v, k, &crate::value::Hint::of(k)),
                None => v == *k,
            })
            .collect()
    }

    /// The claim `exact` makes (the module comment): every outcome any
    /// value gives the slot's uses, some candidate gives too. Checked
    /// against [`off_grid`]'s values on slots of each exact fragment; the
    /// candidates are what the analysis builds, its `neighbours` of each
    /// filter constant and the gate constants, then [`extend`].
    #[test]
    fn exact_slots_meet_every_outcome_of_values_built_elsewhere() {
        use Comparison::*;
        let slots: Vec<Vec<(Option<Comparison>, Value)>> = vec![
            vec![(Some(Eq), json!("CUR")), (Some(Ne), json!("CPL"))],
            vec![(None, json!("PROJ")), (None, json!("TASK"))],
            vec![(Some(Eq), json!("true")), (Some(Ne), json!(false))],
            vec![(Some(Eq), json!(null)), (Some(Ne), json!("x"))],
            vec![(Some(Gt), json!(50)), (Some(Lt), json!(51))],
            vec![(Some(Gte), json!(10)), (Some(Lte), json!(10.5))],
            vec![(Some(Gt), json!(-1)), (Some(Eq), json!(100))],
            vec![(Some(Gt), json!("50")), (Some(Lt), json!("51"))],
            vec![(Some(Gt), json!("abc")), (Some(Lt), json!("abd"))],
            vec![(Some(Gt), json!("b")), (Some(Lte), json!("true"))],
            vec![
                (Some(Gt), json!("2024-03-01T10:00:00Z")),
                (Some(Lt), json!("2024-03-01T10:00:00.000000002Z")),
            ],
            vec![
                (Some(Contains), json!("CU")),
                (Some(Contains), json!("CUR")),
            ],
            vec![
                (Some(Contains), json!("a")),
                (Some(NotContains), json!("b")),
                (Some(Eq), json!("ab")),
            ],
            vec![
                (Some(ContainsOnly), json!(["x", "y"])),
                (Some(Ne), json!("x")),
            ],
            vec![
                (Some(In), json!(["x", "y"])),
                (Some(NotContains), json!("x")),
            ],
            vec![
                (Some(Contains), json!(["p", "q"])),
                (Some(Changed), json!(null)),
            ],
            vec![(Some(In), json!(["CUR", "CPL"])), (Some(Eq), json!("NEW"))],
            // The analysis's own stranger ("hookmatch") as a constant.
            vec![
                (Some(ContainsOnly), json!(["hookmatch", "x"])),
                (Some(NotContains), json!("hookmatch")),
                (Some(Eq), json!("hookmatch-other")),
            ],
            vec![
                (Some(Contains), json!("p")),
                (Some(Contains), json!("q")),
                (Some(Contains), json!("r")),
                (Some(NotContains), json!("s")),
            ],
        ];
        for slot in &slots {
            let uses: Vec<Use<'_>> = slot.iter().map(|(c, v)| (*c, v)).collect();
            assert!(
                exact(&uses, subsets_enumerated(&uses)),
                "not exact: {slot:?}"
            );
            let mut candidates = Vec::new();
            for (c, v) in &uses {
                match c {
                    Some(Comparison::Changed) => {}
                    Some(_) => super::super::neighbours(v, &mut candidates),
                    None => candidates.push((*v).clone()),
                }
            }
            extend(&uses, &mut candidates);
            let met: Vec<Vec<bool>> = candidates.iter().map(|c| outcome(&uses, c)).collect();
            let constants: Vec<&Value> = slot.iter().map(|(_, v)| v).collect();
            for v in off_grid(&constants) {
                let want = outcome(&uses, &v);
                assert!(
                    met.contains(&want),
                    "{slot:?}: {v} answers {want:?}, no candidate does"
                );
            }
        }
    }

    /// With more substring constants than [`MAX_SUBSET`] in a slot, only
    /// the join of all of them is built, so a question over some of them is
    /// not exact either: "w0 w1 w2" holds three of four, and no candidate
    /// does.
    #[test]
    fn a_question_over_some_of_too_many_substrings_is_not_exact() {
        let six: Vec<Value> = (0..6).map(|i| json!(format!("w{i}"))).collect();
        let all: Vec<Use<'_>> = six
            .iter()
            .map(|v| (Some(Comparison::Contains), v))
            .collect();
        let some = &all[..4];
        assert!(!exact(some, subsets_enumerated(&all)));
        let mut candidates = Vec::new();
        for (_, v) in &all {
            super::super::neighbours(v, &mut candidates);
        }
        extend(&all, &mut candidates);
        let want = outcome(some, &json!("w0 w1 w2"));
        assert_eq!(want, [true, true, true, false]);
        assert!(!candidates.iter().any(|c| outcome(some, c) == want));
    }

    #[test]
    fn fragments() {
        let eq = Some(Comparison::Eq);
        let con = Some(Comparison::Contains);
        let gt = Some(Comparison::Gt);
        let exact = |uses: &[Use<'_>]| exact(uses, subsets_enumerated(uses));
        assert!(exact(&[(eq, &json!("CUR")), (eq, &json!("CPL"))]));
        assert!(exact(&[(con, &json!("again")), (con, &json!("also"))]));
        assert!(!exact(&[(con, &json!(false))]));
        assert!(!exact(&[(con, &json!(1)), (con, &json!(100))]));
        assert!(exact(&[(gt, &json!(1e21))]));
        assert!(!exact(&[(gt, &json!(9_007_199_254_740_993_u64))]));
        // The same on the negative side and past i64 (2^53 in magnitude).
        assert!(!exact(&[(gt, &json!(-9_007_199_254_740_993_i64))]));
        assert!(!exact(&[(gt, &json!(u64::MAX))]));
        assert!(exact(&[(gt, &json!("2")), (gt, &json!("1"))]));
        assert!(!exact(&[(gt, &json!("2")), (gt, &json!(1))]));
        assert!(!exact(&[
            (eq, &json!("2022-12-11T06:30:00.000+0530")),
            (
                Some(Comparison::NotContains),
                &json!("2022-12-11T06:30:00.000+0530")
            )
        ]));
        assert!(exact(&[
            (Some(Comparison::ContainsOnly), &json!(["a", "b"])),
            (eq, &json!("a"))
        ]));
        assert!(!exact(&[(Some(Comparison::ContainsOnly), &json!([1]))]));
        assert!(!exact(&[(eq, &json!(["a"]))]));
        let six: Vec<Value> = (0..6).map(|i| json!(format!("w{i}"))).collect();
        let many: Vec<Use<'_>> = six.iter().map(|v| (con, v)).collect();
        assert!(!exact(&many));
    }
}
