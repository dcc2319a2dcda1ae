//! A batch counted per member: the set's side of the one preview driver
//! ([`crate::preview::PreviewState`]), which reads the input; here each
//! event is matched and counted against the members it fired.

use super::SubscriptionSet;
use crate::error::Error;
use crate::preview;
use crate::projection::Projection;
use serde::Serialize;
use serde_json::Value;

/// What `preview` of a set reports.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(rename = "SetPreviewResult"))]
pub struct SetPreview {
    pub total: usize,
    pub errors: Vec<preview::PreviewError>,
    /// Matched events per id, in insertion order (every id, zeros included).
    #[cfg_attr(test, ts(type = "Record<string, number>"))]
    pub counts: serde_json::Map<String, Value>,
    /// `true` when `errors` left some out (`maxErrors`); absent when it
    /// holds every one.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(test, ts(as = "Option<bool>", optional))]
    pub truncated: bool,
}

impl SubscriptionSet {
    /// Count matches per id over a batch (the same inputs as `Subscription::preview`).
    pub fn preview(&self, input: &[u8]) -> Result<SetPreview, Error> {
        self.preview_with(input, preview::PreviewOptions::default())
    }

    /// [`SubscriptionSet::preview`] read as `opts` says (its `format` and
    /// `max_errors`; a set has no rows). Chunked: [`preview::PreviewState`].
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn preview_with(
        &self,
        input: &[u8],
        opts: preview::PreviewOptions,
    ) -> Result<SetPreview, Error> {
        preview::run(self, input, opts)
    }
}

/// What a set's preview has counted so far.
#[derive(Debug, Default)]
pub struct SetTally {
    total: usize,
    matched: usize,
    errors: Vec<preview::PreviewError>,
    /// Matched events per insertion position.
    counts: Vec<usize>,
    max_errors: usize,
    /// Some errors were not kept.
    truncated: bool,
}

impl preview::Count for SetTally {
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn error(&mut self, line: Option<usize>, e: Error) {
        if self.errors.len() < self.max_errors {
            self.errors.push(preview::PreviewError {
                index: self.total,
                line,
                code: e.kind,
                message: e.message,
            });
        } else {
            self.truncated = true;
        }
        self.total += 1;
    }

    #[cfg_attr(hookmatch_package, optimize(size))]
    fn events(&self) -> usize {
        self.total
    }

    /// Events that fired at least one member.
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn matched(&self) -> usize {
        self.matched
    }
}

/// A set's preview: matches per member, in insertion order.
impl preview::Batch for SubscriptionSet {
    type Tally = SetTally;
    type Result = SetPreview;

    /// Its `format` and `max_errors`: a set counts matches per id; it has
    /// no rows (a call's options are checked for that where they are read).
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn tally(&self, opts: &preview::PreviewOptions) -> SetTally {
        SetTally {
            max_errors: opts.max_errors,
            ..SetTally::default()
        }
    }

    #[cfg_attr(hookmatch_package, optimize(size))]
    fn batch_projection(&self) -> &Projection {
        self.batch_projection
            .get_or_init(|| self.projection.for_batch())
    }

    /// An envelope (of a vendor in the set) counts each of its events.
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn envelopes(&self) -> &dyn preview::Envelopes {
        &self.dialects
    }

    /// The smallest message limit of the members' vendors, if any.
    #[cfg_attr(hookmatch_package, optimize(size))]
    fn size_limit(&self) -> Option<usize> {
        self.members
            .iter()
            .flatten()
            .filter_map(|m| m.sub.size_limit())
            .min()
    }

    #[cfg_attr(hookmatch_package, optimize(size))]
    fn count(
        &self,
        tally: &mut SetTally,
        _line: Option<usize>,
        (at, text): preview::BatchEvent<'_>,
    ) {
        tally.total += 1;
        let positions = self.match_positions_at(at, text);
        if !positions.is_empty() {
            tally.matched += 1;
        }
        for p in positions {
            if tally.counts.len() <= p {
                tally.counts.resize(p + 1, 0);
            }
            if let Some(c) = tally.counts.get_mut(p) {
                *c += 1;
            }
        }
    }

    #[cfg_attr(hookmatch_package, optimize(size))]
    fn result(&self, tally: SetTally) -> SetPreview {
        let mut result = SetPreview {
            total: tally.total,
            errors: tally.errors,
            counts: serde_json::Map::new(),
            truncated: tally.truncated,
        };
        for (pos, m) in self.members.iter().enumerate() {
            if let Some(m) = m {
                let n = tally.counts.get(pos).copied().unwrap_or(0);
                result.counts.insert(m.id.clone(), n.into());
            }
        }
        result
    }
}
