//! `set.lint()`: each member's own findings, and the findings that compare
//! members (`duplicate_subscription`, `overlapping_delivery`), in linear
//! time. Apart from matching: it reads members through their
//! subscriptions' analysis and deliveries only.

use super::{HashMap, Member, SubscriptionSet};
use crate::error::{Code, Diagnostic};
use crate::subscription::Subscription;
use crate::text::quote_short;
use serde::Serialize;

impl SubscriptionSet {
    /// `set.lint()`: per member with findings, in insertion order, its
    /// compile warnings and analysis findings, then `duplicate_subscription`
    /// (equal to an earlier member in every field its vendor compares: the
    /// normalized spec, and the secrets the vendor tells subscriptions
    /// apart by) and `overlapping_delivery` (an earlier member with
    /// the same target fires for one event too; the witness is in the
    /// message).
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn lint(&self) -> Vec<(String, Vec<Diagnostic>)> {
        let members: Vec<&Member> = self.members.iter().flatten().collect();
        // Keys, so a large set is linted in linear time: the normalized spec
        // (duplicates), and the target its own example is delivered to (only
        // members with one target can overlap; one that never fires has none).
        let specs: Vec<String> = members
            .iter()
            .map(|m| {
                // A secret the vendor tells subscriptions apart by is keyed
                // by a MAC of it, so the key never holds the secret.
                let secret = m.sub.distinguishing_secret().map_or(String::new(), |s| {
                    hex::encode(crate::signing::hmac_sha256(
                        b"hookmatch duplicate_subscription",
                        &[s.as_bytes()],
                    ))
                });
                format!(
                    "{}\u{0}{}\u{0}{secret}",
                    m.sub.dialect().name(),
                    m.sub.to_json()
                )
            })
            .collect();
        let targets: Vec<Option<String>> = members
            .iter()
            .map(|m| {
                let example = m.sub.example(None, None).ok().flatten()?;
                let delivery = m
                    .sub
                    .deliver(Some(&example), &Default::default())
                    .ok()
                    .flatten()?;
                Some(format!("{}\u{0}{}", m.sub.dialect().name(), delivery.url))
            })
            .collect();
        let mut first_spec: HashMap<&str, usize> = HashMap::default();
        let mut by_target: HashMap<&str, Vec<usize>> = HashMap::default();
        let mut out = Vec::new();
        for (j, m) in members.iter().enumerate() {
            let mut diags: Vec<Diagnostic> = m.sub.warnings().to_vec();
            diags.extend(m.sub.findings());
            let duplicate = *first_spec.entry(specs[j].as_str()).or_insert(j);
            let earlier: &[usize] = match &targets[j] {
                Some(t) => by_target.entry(t.as_str()).or_default(),
                None => &[],
            };
            if duplicate != j {
                diags.push(Diagnostic::warning(
                    Code::DuplicateSubscription,
                    "",
                    format!(
                        "{} is the same subscription as {}: they differ in no field the vendor compares, so the vendor refuses the second or delivers every event twice",
                        quote_short(&m.id), quote_short(&members[duplicate].id)
                    ),
                ));
            } else if let Some((i, witness)) =
                earlier.iter().rev().take(OVERLAP_PEERS).find_map(|&i| {
                    let other = &members[i].sub;
                    let witness = crate::analysis::overlap(
                        other.plan(),
                        m.sub.plan(),
                        m.sub.dialect().vendor().shape(),
                        &mut |e| {
                            other.matches(e).unwrap_or(false) && m.sub.matches(e).unwrap_or(false)
                        },
                    )?;
                    let url = |s: &Subscription| {
                        s.deliver(Some(&witness), &Default::default())
                            .ok()
                            .flatten()
                            .map(|d| d.url)
                    };
                    let (a, b) = (url(other), url(&m.sub));
                    (a.is_some() && a == b).then_some((i, witness))
                })
            {
                diags.push(Diagnostic::warning(
                    Code::OverlappingDelivery,
                    "",
                    format!(
                        "{} and {} send to the same target and both fire for some events, which the receiver then gets twice, e.g. {}",
                        quote_short(&members[i].id), quote_short(&m.id), crate::json::text(&witness)
                    ),
                ));
            }
            if duplicate == j
                && earlier.len() > OVERLAP_PEERS
                && !diags.iter().any(|d| d.code == Code::OverlappingDelivery)
            {
                // The bound that keeps set.lint linear: say what was left.
                diags.push(Diagnostic::warning(
                    Code::AnalysisIncomplete,
                    "",
                    format!(
                        "{} was compared for overlapping_delivery with the {OVERLAP_PEERS} members before it that send to the same target, not with the other {}",
                        quote_short(&m.id),
                        earlier.len() - OVERLAP_PEERS
                    ),
                ));
            }
            if let Some(t) = &targets[j] {
                by_target.entry(t.as_str()).or_default().push(j);
            }
            if !diags.is_empty() {
                out.push((m.id.clone(), diags));
            }
        }
        out
    }
}

/// `set.lint` searches a member for an overlap with at most this many of the
/// members before it that send to its target (the nearest ones): the work
/// per member is bounded, so the whole lint is linear in the set's size.
/// Pairs left unchecked are named in an `analysis_incomplete` entry.
pub const OVERLAP_PEERS: usize = 32;

/// A member of a set with findings (`set.lint()`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SetLintEntry {
    pub id: String,
    pub diagnostics: Vec<Diagnostic>,
}
