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
    /// 0-based, counting events in reading order: each event of an
    /// envelope counts (a JSON array of Asana bodies too), and a line or an
    /// element that cannot be read counts as one.
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
    /// One row per event, only with `{ details: true }` (the CLI's table):
    /// the first `maxResults` of them.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub results: Option<Vec<PreviewRow>>,
    /// `true` when `errors` or `results` left some out (`maxErrors`,
    /// `maxResults`); absent when they hold every one.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(test, ts(as = "Option<bool>", optional))]
    pub truncated: bool,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PreviewOptions {
    /// One row per event in `results`, with the reason of its first failing check.
    pub details: bool,
    pub format: Format,
    /// At most this many `errors` are kept (the first ones); `total` still
    /// counts every event.
    pub max_errors: usize,
    /// At most this many `results` rows are kept (the first ones).
    pub max_results: usize,
}

/// The default of `maxErrors` and of `maxResults`: what a person reads or
/// a UI lists, and a bound on what one call returns for a stream of any
/// length.
pub const DEFAULT_MAX_KEPT: usize = 10_000;

impl Default for PreviewOptions {
    fn default() -> PreviewOptions {
        PreviewOptions {
            details: false,
            format: Format::Auto,
            max_errors: DEFAULT_MAX_KEPT,
            max_results: DEFAULT_MAX_KEPT,
        }
    }
}

impl PreviewOptions {
    /// Every error and row kept (a caller that counts them itself, as
    /// `diff` does).
    pub fn keep_all(format: Format) -> PreviewOptions {
        PreviewOptions {
            format,
            max_errors: usize::MAX,
            max_results: usize::MAX,
            ..PreviewOptions::default()
        }
    }
}

/// An event of a batch and, when asked for, its JSON text.
pub type BatchEvent<'a> = (At<'a>, Option<&'a str>);

/// The events of one document of a batch, each with its JSON text when
/// `texts` asks for it (a vendor that limits the size of what it sends
/// measures each event's text). A document is parsed with `projection`
/// (arrays' elements projected alike). An array document is a list of
/// events when `array_is_events`, and an envelope among them is its events,
/// one after another (a JSON array of Asana bodies is a batch of their
/// events); an envelope (`envelope` splits it) is a list of events;
/// anything else is one event. A document that is not JSON is one error,
/// except a list of events whose elements can still be told apart: then
/// each element that is not JSON is one error and the others are read (a
/// JS array holding a lone surrogate is written with a `\ud800` escape
/// that no JSON parser takes; one such event must not lose the batch).
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
            if array_is_events {
                if let Some(items) = array_items(doc) {
                    return items_one_by_one(doc, &items, line, projection, envelope, texts, each);
                }
            }
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
                events_in(item, text, texts, envelope, each);
            }
            return;
        }
    }
    events_in(root, Some(doc), texts, envelope, each);
}

/// The events of one parsed document (or element of a list of events):
/// an envelope's events, or itself. `text` is its JSON text, if known.
fn events_in<'d>(
    doc: At<'d>,
    text: Option<&'d str>,
    texts: bool,
    envelope: &dyn Envelopes,
    each: &mut dyn FnMut(Result<BatchEvent<'_>, Error>),
) {
    match envelope.split(doc) {
        // Only an envelope holds several events; the common case
        // allocates nothing per event.
        Some((events, key)) => {
            let item_texts = texts
                .then(|| {
                    text.and_then(|t| crate::rawjson::member(t, key))
                        .and_then(crate::rawjson::items)
                })
                .flatten();
            for (i, e) in events.into_iter().enumerate() {
                let text = item_texts.as_ref().and_then(|t| t.get(i).copied());
                each(Ok((e, text)));
            }
        }
        None => each(Ok((doc, text))),
    }
}

/// The elements' texts of a document that is an array and nothing else,
/// when they can be told apart (each a balanced value between commas).
/// An array that is broken between its elements gives `None`.
pub(crate) fn array_items(doc: &str) -> Option<Vec<&str>> {
    let items = crate::rawjson::items(doc)?;
    // rawjson stops at the array's `]`: nothing may follow it.
    let last = items.last()?;
    let after = offset_in(doc, last) + last.len();
    let rest = doc
        .get(after..)?
        .trim_start_matches([' ', '\t', '\n', '\r']);
    let rest = rest.strip_prefix(']')?;
    rest.trim_matches([' ', '\t', '\n', '\r'])
        .is_empty()
        .then_some(items)
}

/// Where `part` (a slice of `doc`) starts in `doc`.
fn offset_in(doc: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(doc.as_ptr() as usize)
}

/// A list of events that did not parse whole, read element by element:
/// each element that is not JSON is one error, the others are read.
fn items_one_by_one(
    doc: &str,
    items: &[&str],
    line: Option<usize>,
    projection: &Projection,
    envelope: &dyn Envelopes,
    texts: bool,
    each: &mut dyn FnMut(Result<BatchEvent<'_>, Error>),
) {
    for (i, item) in items.iter().enumerate() {
        match crate::projection::parse(item, projection) {
            Ok(node) => events_in(
                At::Node(&node),
                texts.then_some(*item),
                texts,
                envelope,
                each,
            ),
            Err(e) => each(Err(element_error(doc, item, i, line, &e))),
        }
    }
}

/// The error of element `i` of a list of events, placed in the document
/// (or in its NDJSON line).
fn element_error(
    doc: &str,
    item: &str,
    i: usize,
    line: Option<usize>,
    e: &crate::json::parser::SyntaxError,
) -> Error {
    let head = e.message();
    // Where the element starts in the document: the reader counts lines
    // and byte columns from there, as serde_json does.
    let start = offset_in(doc, item);
    let before = doc.get(..start).unwrap_or_default();
    let start_line = before.matches('\n').count() + 1;
    let start_col = start - before.rfind('\n').map_or(0, |n| n + 1) + 1;
    let (l, c) = if e.line <= 1 {
        (start_line, start_col + e.column.saturating_sub(1))
    } else {
        (start_line + e.line - 1, e.column)
    };
    let escape = head.contains("surrogate") || head.contains("hex escape");
    let hint = if escape && (item.contains("\\ud") || item.contains("\\uD")) {
        " (a string holds a lone UTF-16 surrogate, which JSON text cannot carry)"
    } else {
        ""
    };
    let mut err = match line {
        Some(no) => {
            let mut err = Error::new(
                Code::InvalidJson,
                format!("line {no}, element {i} of its array, is not valid JSON: {head} at column {c}{hint}"),
            );
            err.line = Some(crate::json::to_u32(no));
            err
        }
        None => {
            let mut err = Error::new(
                Code::InvalidJson,
                format!("element {i} of the batch is not valid JSON: {head} at line {l} column {c}{hint}"),
            );
            err.line = Some(crate::json::to_u32(l));
            err
        }
    };
    err.column = Some(crate::json::to_u32(c));
    err
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
    max_errors: usize,
    max_results: usize,
}

impl Tally {
    /// Counting as `opts` says: rows with `details`, and at most
    /// `max_errors` errors and `max_results` rows kept.
    pub fn new(opts: &PreviewOptions) -> Tally {
        Tally {
            details: opts.details,
            max_errors: opts.max_errors,
            max_results: opts.max_results,
            ..Tally::default()
        }
    }

    /// Record the next event's outcome: matched or not (with the reason of
    /// its first failing check when details are kept), or why it could
    /// not be read.
    pub fn record(&mut self, line: Option<usize>, outcome: Result<(bool, String), Error>) {
        let index = self.index;
        self.index += 1;
        self.result.total += 1;
        let row = self.details && self.keep_row();
        match outcome {
            Ok((matched, reason)) => {
                if matched {
                    self.result.matched += 1;
                    self.result.matches.push(index);
                }
                if row {
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
                if row {
                    self.rows.push(PreviewRow {
                        index,
                        line,
                        matched: false,
                        reason: e.message.clone(),
                        code: Some(e.kind),
                    });
                }
                if self.result.errors.len() < self.max_errors {
                    self.result.errors.push(PreviewError {
                        index,
                        line,
                        code: e.kind,
                        message: e.message,
                    });
                } else {
                    self.result.truncated = true;
                }
            }
        }
    }

    /// Is there room for one more row? (If not, the result says so.)
    fn keep_row(&mut self) -> bool {
        let room = self.rows.len() < self.max_results;
        self.result.truncated |= !room;
        room
    }

    pub fn wants_details(&self) -> bool {
        self.details
    }

    /// The rows kept since the last call, taken out, and the matched
    /// indices so far forgotten (each row says whether it matched): a
    /// stream hands rows over as they are decided (`previewStream`'s
    /// `onRows`), so a preview of any length holds one chunk's rows and no
    /// list that grows with the input. `max_results` counts the rows held,
    /// so a caller that takes them sets it to the most.
    pub fn take_rows(&mut self) -> Vec<PreviewRow> {
        self.result.matches.clear();
        std::mem::take(&mut self.rows)
    }

    /// The result, with its rows when details were asked for.
    pub fn finish(mut self) -> PreviewResult {
        if self.details {
            self.result.results = Some(self.rows);
        }
        self.result
    }
}

/// What a batch's events are evaluated against and how they are counted:
/// a subscription (matched or not, a row each with `details`) or a set
/// (matches per member). [`PreviewState`] is the one driver over either.
pub trait Batch {
    /// What is counted while the input is read.
    type Tally: Count;
    /// What the end of the input reports.
    type Result;
    /// An empty tally that counts as `opts` says.
    fn tally(&self, opts: &PreviewOptions) -> Self::Tally;
    /// The projection batch documents are parsed with (arrays' elements
    /// projected alike).
    fn batch_projection(&self) -> &Projection;
    /// Who splits an envelope document into its events.
    fn envelopes(&self) -> &dyn Envelopes;
    /// The smallest message size limit among the vendors evaluated, if any:
    /// the events of a document long enough to reach it carry their text.
    fn size_limit(&self) -> Option<usize>;
    /// Evaluate one event of the batch (`line`: where its document starts)
    /// and count it.
    fn count(&self, tally: &mut Self::Tally, line: Option<usize>, event: BatchEvent<'_>);
    /// What a finished tally reports.
    fn result(&self, tally: Self::Tally) -> Self::Result;
}

/// What every tally keeps alike: an event that cannot be read is an
/// error, and a stream reports its progress.
pub trait Count {
    /// Count an event that could not be read or prepared.
    fn error(&mut self, line: Option<usize>, error: Error);
    /// Events counted so far.
    fn events(&self) -> usize;
    /// Events that fired so far.
    fn matched(&self) -> usize;
}

impl Count for Tally {
    fn error(&mut self, line: Option<usize>, error: Error) {
        self.record(line, Err(error));
    }
    fn events(&self) -> usize {
        self.result.total
    }
    fn matched(&self) -> usize {
        self.result.matched
    }
}

/// A preview fed in chunks: the reader and what has been counted. The one
/// batch driver: a whole input is one [`PreviewState::push`] and the
/// [`PreviewState::finish`] ([`run`]), and the answer is the same however
/// the input is cut.
#[derive(Debug)]
pub struct PreviewState<T> {
    reader: Reader,
    tally: T,
}

impl<T: Count> PreviewState<T> {
    /// A preview of `batch` read and counted as `opts` says.
    pub fn new<B: Batch<Tally = T>>(batch: &B, opts: PreviewOptions) -> PreviewState<T> {
        PreviewState {
            reader: Reader::new(opts.format),
            tally: batch.tally(&opts),
        }
    }

    /// Feed the next chunk of the input.
    pub fn push<B: Batch<Tally = T>>(&mut self, batch: &B, chunk: &[u8]) -> Result<(), Error> {
        self.reader
            .push(chunk, &mut Events::new(batch, &mut self.tally))
    }

    /// The end of the input: the preview's result.
    pub fn finish<B: Batch<Tally = T>>(self, batch: &B) -> B::Result {
        let PreviewState { reader, mut tally } = self;
        reader.finish(&mut Events::new(batch, &mut tally));
        batch.result(tally)
    }

    /// Bytes read so far.
    pub fn bytes(&self) -> usize {
        self.reader.bytes()
    }

    /// Events read so far.
    pub fn events(&self) -> usize {
        self.tally.events()
    }

    /// Events that fired so far.
    pub fn matched(&self) -> usize {
        self.tally.matched()
    }

    /// What has been counted so far (a subscription's rows are taken out
    /// of it, [`Tally::take_rows`]).
    pub fn tally_mut(&mut self) -> &mut T {
        &mut self.tally
    }
}

/// A whole input's preview.
pub fn run<B: Batch>(batch: &B, input: &[u8], opts: PreviewOptions) -> Result<B::Result, Error> {
    let mut state = PreviewState::new(batch, opts);
    state.push(batch, input)?;
    Ok(state.finish(batch))
}

/// A batch's preview as the reader's [`Sink`]: each document's events go
/// to the batch, each error to its tally.
struct Events<'a, B: Batch> {
    batch: &'a B,
    tally: &'a mut B::Tally,
    /// The document length past which its events carry their text (a
    /// vendor measures messages): read once per chunk, not per document,
    /// as a set's is the smallest of every member's (10,000 members: most
    /// of a set preview's time went to it).
    texts_above: Option<usize>,
}

impl<'a, B: Batch> Events<'a, B> {
    fn new(batch: &'a B, tally: &'a mut B::Tally) -> Self {
        let texts_above = batch.size_limit().map(crate::dialect::surely_fits_below);
        Events {
            batch,
            tally,
            texts_above,
        }
    }
}

impl<B: Batch> Sink for Events<'_, B> {
    fn document(&mut self, text: &str, line: Option<usize>, array_is_events: bool) {
        let (batch, tally) = (self.batch, &mut *self.tally);
        // Each event's own text is needed only where a vendor measures
        // messages and this document is large enough to matter.
        let texts = self.texts_above.is_some_and(|above| text.len() > above);
        events_of(
            text,
            line,
            array_is_events,
            batch.batch_projection(),
            batch.envelopes(),
            texts,
            &mut |event| match event {
                Ok(event) => batch.count(tally, line, event),
                Err(e) => tally.error(line, e),
            },
        );
    }

    fn error(&mut self, line: Option<usize>, error: Error) {
        self.tally.error(line, error);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::subscription::{CompileOptions, Subscription};

    /// Workfront fires an UPDATE subscription with `status eq CUR` for an
    /// UPDATE whose newState has status CUR (the seed's eq comparison).
    fn subscription() -> Subscription {
        let spec = br#"{"objCode":"PROJ","eventType":"UPDATE","url":"https://h.example/x","authToken":"t","filters":[{"fieldName":"status","fieldValue":"CUR"}]}"#;
        Subscription::compile_text(spec, CompileOptions::default()).unwrap()
    }

    const LINES: [&str; 4] = [
        r#"{"eventType":"UPDATE","newState":{"objCode":"PROJ","status":"CUR"},"oldState":{}}"#,
        r#"{"eventType":"CREATE","newState":{"objCode":"PROJ","status":"CUR"},"oldState":{}}"#,
        r#"{"eventType":"UPDATE","newState":{"objCode":"PROJ","status":"CPL"},"oldState":{}}"#,
        r#"{"eventType":"UPDATE","newState":{"objCode":"PROJ","status":"CUR"},"oldState":{}}"#,
    ];

    fn opts() -> PreviewOptions {
        PreviewOptions {
            details: true,
            ..PreviewOptions::keep_all(Format::Auto)
        }
    }

    /// Rows taken out after every chunk, then the finish's, are the whole
    /// input's rows in order, wherever the input is cut; and the rows of
    /// whole lines come out before the input ends (a stream's first row
    /// does not wait for its last).
    #[test]
    fn rows_taken_as_they_are_decided_are_the_whole_inputs_rows() {
        let sub = subscription();
        let input = LINES.join("\n");
        let rows = |r: &[PreviewRow]| {
            r.iter()
                .map(|r| (r.index, r.line, r.matched))
                .collect::<Vec<_>>()
        };
        let expected = vec![
            (0, Some(1), true),
            (1, Some(2), false),
            (2, Some(3), false),
            (3, Some(4), true),
        ];
        let whole = run(&sub, input.as_bytes(), opts()).unwrap();
        assert_eq!(rows(whole.results.as_deref().unwrap()), expected);
        for cut in 0..=input.len() {
            let mut state = PreviewState::new(&sub, opts());
            state.push(&sub, &input.as_bytes()[..cut]).unwrap();
            let mut taken = state.tally_mut().take_rows();
            state.push(&sub, &input.as_bytes()[cut..]).unwrap();
            taken.extend(state.tally_mut().take_rows());
            let before_finish = taken.len();
            let result = state.finish(&sub);
            taken.extend(result.results.unwrap());
            assert_eq!(rows(&taken), expected, "cut at {cut}");
            // The counts cover the whole input; the matched indices only
            // what was decided after the last take (the rows carry the rest).
            assert_eq!((result.total, result.matched), (4, 2));
            assert_eq!(result.matches, vec![3]);
            // Three lines end with a newline: theirs are decided before the end.
            assert_eq!(before_finish, 3, "cut at {cut}");
        }
    }
}
