//! Batches of events: NDJSON, a JSON array, one JSON document or several
//! one after another, as text or bytes, whole or in chunks ([`read`]). A
//! bad event becomes an entry in `errors`; the rest are still read.

pub mod read;

pub use read::{Format, Reader, Sink};

use crate::error::{Code, Error};
use crate::event::At;
use crate::projection::Projection;
use serde::Serialize;

/// An event of a batch that could not be read or evaluated.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PreviewError {
    pub index: usize,
    /// The 1-based line (NDJSON, or where a document of a sequence starts).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub line: Option<usize>,
    #[cfg_attr(test, ts(type = "ErrorCode"))]
    pub code: Code,
    pub message: String,
}

/// What `preview` and `previewStream` report.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PreviewResult {
    pub total: usize,
    pub matched: usize,
    pub matches: Vec<usize>,
    pub errors: Vec<PreviewError>,
    /// One row per event, only with `{ details: true }` (the CLI's table).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub results: Option<Vec<PreviewRow>>,
}

/// An event's outcome with the reason of its first failing check.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PreviewRow {
    pub index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub line: Option<usize>,
    pub matched: bool,
    /// Why it did not match (the first failing check, or the error); "" when matched.
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional, type = "ErrorCode"))]
    pub code: Option<Code>,
}

/// How `preview` reads and reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PreviewOptions {
    /// One row per event in `results`, with the reason of its first failing check.
    pub details: bool,
    pub format: Format,
}

/// An event of a batch and, when asked for, its JSON text.
pub type BatchEvent<'a> = (At<'a>, Option<&'a str>);

/// The events of one document of a batch, each with its JSON text when
/// `texts` asks for it (a vendor that limits the size of what it sends
/// measures each event's text). A document is parsed with `projection`
/// (arrays' elements projected alike). An array document is a list of
/// events when `array_is_events`; an envelope (`envelope` splits it) is a
/// list of events; anything else is one event. A document that is not
/// JSON is one error.
pub fn events_of(
    doc: &str,
    line: Option<usize>,
    array_is_events: bool,
    projection: &Projection,
    envelope: &dyn Envelopes,
    texts: bool,
    each: &mut dyn FnMut(Result<BatchEvent<'_>, Error>),
) {
    let node = match crate::projection::parse(doc, projection) {
        Ok(node) => node,
        Err(e) => {
            let err = match line {
                Some(no) => crate::json::line_syntax_error(&e, no),
                None => crate::json::syntax_error(&e, "the batch"),
            };
            return each(Err(err));
        }
    };
    let root = At::Node(&node);
    if array_is_events {
        if let Some(items) = root.items() {
            let item_texts = texts.then(|| crate::rawjson::items(doc)).flatten();
            for (i, item) in items.into_iter().enumerate() {
                let text = item_texts.as_ref().and_then(|t| t.get(i).copied());
                each(Ok((item, text)));
            }
            return;
        }
    }
    match envelope.split(root) {
        // Only an envelope holds several events; the common case
        // allocates nothing per event.
        Some((events, key)) => {
            let item_texts = texts
                .then(|| crate::rawjson::member(doc, key).and_then(crate::rawjson::items))
                .flatten();
            for (i, e) in events.into_iter().enumerate() {
                let text = item_texts.as_ref().and_then(|t| t.get(i).copied());
                each(Ok((e, text)));
            }
        }
        None => each(Ok((root, Some(doc)))),
    }
}

/// Who splits envelope documents (a dialect, or the dialects of a set),
/// and the key of the envelope's array.
pub trait Envelopes {
    fn split<'d>(&self, doc: At<'d>) -> Option<(Vec<At<'d>>, &'static str)>;
}

impl Envelopes for crate::dialect::Dialect {
    fn split<'d>(&self, doc: At<'d>) -> Option<(Vec<At<'d>>, &'static str)> {
        let key = self.vendor().shape().envelope?;
        Some((self.envelope(doc)?, key))
    }
}

impl Envelopes for Vec<crate::dialect::Dialect> {
    fn split<'d>(&self, doc: At<'d>) -> Option<(Vec<At<'d>>, &'static str)> {
        self.iter().find_map(|d| d.split(doc))
    }
}

/// The JSON text of event `index` of a batch (counted as a preview counts
/// them), read as a preview reads it; `None` past the end or for an event
/// that could not be read.
pub fn event_text_at(
    input: &[u8],
    format: Format,
    index: usize,
    projection: &Projection,
    envelope: &dyn Envelopes,
) -> Result<Option<String>, Error> {
    struct Find<'a> {
        index: usize,
        seen: usize,
        found: Option<String>,
        projection: &'a Projection,
        envelope: &'a dyn Envelopes,
    }
    impl Sink for Find<'_> {
        fn document(&mut self, text: &str, line: Option<usize>, array_is_events: bool) {
            if self.found.is_some() {
                return;
            }
            let (want, seen, found) = (self.index, &mut self.seen, &mut self.found);
            events_of(
                text,
                line,
                array_is_events,
                self.projection,
                self.envelope,
                true,
                &mut |e| {
                    if *seen == want {
                        *found = e.ok().and_then(|(_, t)| t).map(str::to_string);
                    }
                    *seen += 1;
                },
            );
        }
        fn error(&mut self, _line: Option<usize>, _error: Error) {
            self.seen += 1;
        }
    }
    let mut find = Find {
        index,
        seen: 0,
        found: None,
        projection,
        envelope,
    };
    read::read_all(input, format, &mut find)?;
    Ok(find.found)
}

/// What a subscription's preview has counted so far.
#[derive(Debug, Default)]
pub struct Tally {
    pub result: PreviewResult,
    rows: Vec<PreviewRow>,
    index: usize,
    details: bool,
}

impl Tally {
    pub fn new(details: bool) -> Tally {
        Tally {
            details,
            ..Tally::default()
        }
    }

    /// Events counted so far.
    pub fn events(&self) -> usize {
        self.result.total
    }

    /// Record the next event's outcome: matched or not (with the reason of
    /// its first failing check when details are kept), or why it could
    /// not be read.
    pub fn record(&mut self, line: Option<usize>, outcome: Result<(bool, String), Error>) {
        let index = self.index;
        self.index += 1;
        self.result.total += 1;
        match outcome {
            Ok((matched, reason)) => {
                if matched {
                    self.result.matched += 1;
                    self.result.matches.push(index);
                }
                if self.details {
                    self.rows.push(PreviewRow {
                        index,
                        line,
                        matched,
                        reason,
                        code: None,
                    });
                }
            }
            Err(e) => {
                if self.details {
                    self.rows.push(PreviewRow {
                        index,
                        line,
                        matched: false,
                        reason: e.message.clone(),
                        code: Some(e.kind),
                    });
                }
                self.result.errors.push(PreviewError {
                    index,
                    line,
                    code: e.kind,
                    message: e.message,
                });
            }
        }
    }

    pub fn wants_details(&self) -> bool {
        self.details
    }

    /// The result, with its rows when details were asked for.
    pub fn finish(mut self) -> PreviewResult {
        if self.details {
            self.result.results = Some(self.rows);
        }
        self.result
    }
}

/// A preview fed in chunks: the reader and what has been counted.
#[derive(Debug)]
pub struct PreviewState {
    pub reader: Reader,
    pub tally: Tally,
}

impl PreviewState {
    pub fn new(opts: PreviewOptions) -> PreviewState {
        PreviewState {
            reader: Reader::new(opts.format),
            tally: Tally::new(opts.details),
        }
    }
}
