//! What a compiled plan reads of its vendor's events, as one list of paths.
//! The projection is built from the list, and a set's signature of a
//! member's projection is the same list written out, so the two cannot
//! drift apart.

use super::paths::Projection;
use crate::dialect::EventShape;
use crate::plan::{Comparison, FieldRef, GateSource, Plan, StateSel};

/// One part of an event a plan reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read<'a> {
    /// The value at this path, kept whole.
    Keep(Vec<&'a str>),
    /// The object at this path exists in the projection even when none of
    /// its fields is read, so `prepare` sees the same shape.
    Ensure(&'static [&'static str]),
}

/// Every path `plan` reads in an event of `shape`: what `prepare` checks,
/// the states, the gate's fields and every filter's field in the states it
/// reads (plain names also in the shape's containers).
pub fn reads<'a>(shape: &EventShape, plan: &'a Plan) -> Vec<Read<'a>> {
    let mut out = Vec::new();
    let new = shape.new_state;
    let old = shape.old_state;
    for path in shape.required {
        out.push(Read::Keep(path.to_vec()));
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
        match &g.source {
            GateSource::Root(path) => out.push(Read::Keep(path.to_vec())),
            GateSource::State(key) => {
                out.push(Read::Keep(joined(new, &[key])));
                if let Some(old) = old {
                    out.push(Read::Keep(joined(old, &[key])));
                }
            }
            GateSource::None => {}
        }
    }
    for f in plan.filters() {
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
                    out.push(Read::Keep(joined(state, &[name])));
                    for container in shape.containers {
                        out.push(Read::Keep(joined(state, &[container, name])));
                    }
                }
                FieldRef::Pointer(tokens) => {
                    let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
                    out.push(Read::Keep(joined(state, &tokens)));
                }
            }
        }
    }
    out
}

fn apply(reads: &[Read<'_>], p: &mut Projection) {
    for r in reads {
        match r {
            Read::Keep(path) => p.keep(path),
            Read::Ensure(path) => p.ensure(path),
        }
    }
}

/// Add what `plan` reads to `p` (a set's union). An envelope (Asana's
/// `events`) projects each of its events like a lone event.
pub fn add(shape: &EventShape, plan: &Plan, p: &mut Projection) {
    let reads = reads(shape, plan);
    match shape.envelope {
        Some(envelope) => {
            let mut own = Projection::default();
            apply(&reads, &mut own);
            let each = own.clone();
            own.node(&[envelope]).items = Some(Box::new(each));
            p.merge(&own);
        }
        None => apply(&reads, p),
    }
}

/// The projection of one plan.
pub fn of(shape: &EventShape, plan: &Plan) -> Projection {
    let mut p = Projection::default();
    add(shape, plan, &mut p);
    p
}

/// [`reads`] written into `out`, so that two plans that read the same
/// paths write the same bytes: a set adds each distinct signature once
/// (most members share their fields). Strings are length-prefixed, so the
/// encoding is exact. `dialect` names the shape (an envelope changes the
/// projection).
pub fn signature(dialect: &str, shape: &EventShape, plan: &Plan, out: &mut Vec<u8>) {
    let text = |out: &mut Vec<u8>, s: &str| {
        out.extend_from_slice(&s.len().to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    };
    text(out, dialect);
    for r in reads(shape, plan) {
        let (tag, path): (u8, &[&str]) = match &r {
            Read::Keep(path) => (1, path),
            Read::Ensure(path) => (2, path),
        };
        out.push(tag);
        out.extend_from_slice(&path.len().to_le_bytes());
        path.iter().for_each(|k| text(out, k));
    }
}
