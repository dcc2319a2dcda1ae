//! What a compiled plan reads of its vendor's events, as one list of paths.
//! The projection is built from the list, and a set's signature of a
//! member's projection is the same list written out, so the two cannot
//! drift apart.

use super::paths::Projection;
use crate::dialect::EventShape;
use crate::plan::{Comparison, FieldRef, GateSource, GateTest, Plan, StateSel};
use serde_json::Value;

/// One part of an event a plan reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read<'a> {
    /// The value at this path, kept whole, and what the plan compares it
    /// with (its strings become [`Projection::constants`] in [`share`]).
    Keep(Vec<&'a str>, &'a [Value]),
    /// The object at this path exists in the projection even when none of
    /// its fields is read, so `prepare` sees the same shape.
    Ensure(&'static [&'static str]),
}

/// Every path `plan` reads in an event of `shape`: what `prepare` checks,
/// the states, the gate's fields and every filter's field in the states it
/// reads (plain names also in the shape's containers).
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn reads<'a>(shape: &EventShape, plan: &'a Plan) -> Vec<Read<'a>> {
    let mut out = Vec::new();
    let new = shape.new_state;
    let old = shape.old_state;
    for path in shape.required {
        out.push(Read::Keep(path.to_vec(), &[]));
    }
    if !new.is_empty() {
        out.push(Read::Ensure(new));
    }
    if let Some(old) = old {
        out.push(Read::Ensure(old));
    }
    let joined = |state: &[&'a str], tail: &[&'a str]| {
        let mut path = Vec::with_capacity(state.len() + tail.len());
        path.extend_from_slice(state);
        path.extend_from_slice(tail);
        path
    };
    for g in &plan.gate {
        let compared: &[Value] = match &g.test {
            GateTest::Equals(v) => std::slice::from_ref(v),
            GateTest::OneOf(list) => list,
            GateTest::Fixed { .. } => &[],
        };
        match &g.source {
            GateSource::Root(path) => out.push(Read::Keep(path.to_vec(), compared)),
            GateSource::State(key) => {
                out.push(Read::Keep(joined(new, &[key]), compared));
                if let Some(old) = old {
                    out.push(Read::Keep(joined(old, &[key]), compared));
                }
            }
            GateSource::None => {}
        }
    }
    for f in plan.filters() {
        let compared: &[Value] = match &f.value {
            Value::Array(items) => items,
            v => std::slice::from_ref(v),
        };
        let both;
        let states: &[&[&str]] = match (f.comparison, f.state, old) {
            (Comparison::Changed, _, Some(old)) => {
                both = [new, old];
                &both
            }
            (_, StateSel::Old, Some(_)) => old.as_slice(),
            _ => std::slice::from_ref(&new),
        };
        for state in states {
            match &f.field {
                FieldRef::Name => {
                    let name = f.field_name.as_str();
                    out.push(Read::Keep(joined(state, &[name]), compared));
                    for container in shape.containers {
                        out.push(Read::Keep(joined(state, &[container, name]), compared));
                    }
                }
                FieldRef::Pointer(tokens) => {
                    let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
                    out.push(Read::Keep(joined(state, &tokens), compared));
                }
            }
        }
    }
    out
}

#[cfg_attr(hookmatch_package, optimize(size))]
fn apply(reads: &[Read<'_>], p: &mut Projection) {
    for r in reads {
        match r {
            Read::Keep(path, _) => p.keep(path),
            Read::Ensure(path) => p.ensure(path),
        }
    }
}

/// Add what `reads` (of one plan) keep to `p` (a set's union). An envelope
/// (Asana's `events`) projects each of its events like a lone event.
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn add(shape: &EventShape, reads: &[Read<'_>], p: &mut Projection) {
    match shape.envelope {
        Some(envelope) => {
            let mut own = Projection::default();
            apply(reads, &mut own);
            let each = own.clone();
            own.node(&[envelope]).items = Some(Box::new(each));
            p.merge(&own);
        }
        None => apply(reads, p),
    }
}

/// Note in `p` the strings `reads` compare each kept value with
/// ([`Projection::constants`]), where `add` put those values (in each
/// event of an envelope too).
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn share(shape: &EventShape, reads: &[Read<'_>], p: &mut Projection) {
    for r in reads {
        if let Read::Keep(path, compared) = r {
            for v in *compared {
                p.share(path, v);
                if let Some(each) = shape.envelope.and_then(|e| p.items_at(e)) {
                    each.share(path, v);
                }
            }
        }
    }
}

/// The projection of one plan, with the strings it compares.
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn of(shape: &EventShape, plan: &Plan) -> Projection {
    let reads = reads(shape, plan);
    let mut p = Projection::default();
    add(shape, &reads, &mut p);
    share(shape, &reads, &mut p);
    p
}

/// [`reads`] written into `out`, so that two plans that read the same
/// paths write the same bytes: a set adds each distinct signature once
/// (most members share their fields). Strings are length-prefixed, so the
/// encoding is exact. `dialect` names the shape (an envelope changes the
/// projection).
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn signature(dialect: &str, reads: &[Read<'_>], out: &mut Vec<u8>) {
    let text = |out: &mut Vec<u8>, s: &str| {
        out.extend_from_slice(&s.len().to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    };
    text(out, dialect);
    for r in reads {
        let (tag, path): (u8, &[&str]) = match r {
            Read::Keep(path, _) => (1, path),
            Read::Ensure(path) => (2, path),
        };
        out.push(tag);
        out.extend_from_slice(&path.len().to_le_bytes());
        path.iter().for_each(|k| text(out, k));
    }
}
