//! Batches of events: a JSON array, one JSON document, or NDJSON, as text or
//! bytes. A bad event becomes an entry in `errors`; the rest are still read.

use crate::error::Error;
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreviewError {
    pub index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub code: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct PreviewResult {
    pub total: usize,
    pub matched: usize,
    pub matches: Vec<usize>,
    pub errors: Vec<PreviewError>,
    /// One row per event, only with `{ details: true }` (the CLI's table).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub results: Option<Vec<PreviewRow>>,
}

/// An event's outcome with the reason of its first failing check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreviewRow {
    pub index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub matched: bool,
    /// Why it did not match (the first failing check, or the error); "" when matched.
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
}

/// How `preview` reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PreviewOptions {
    pub details: bool,
}

/// One document read from a batch: its NDJSON line (1-based), and the
/// document or why it could not be read. The consumer numbers events (a
/// document may hold several, e.g. Asana's `{"events": [...]}`).
pub struct Item<T = Value> {
    pub line: Option<usize>,
    pub event: Result<T, Error>,
}

/// A parsed document of a batch: a plain `Value` or a projected node. A
/// JSON array document is the batch's events.
pub trait Document: Sized {
    /// The elements when the document is an array, else the document back.
    fn into_items(self) -> Result<Vec<Self>, Self>;
}

impl Document for Value {
    fn into_items(self) -> Result<Vec<Value>, Value> {
        match self {
            Value::Array(items) => Ok(items),
            other => Err(other),
        }
    }
}

impl Document for crate::event::Node<'_> {
    fn into_items(self) -> Result<Vec<Self>, Self> {
        use crate::event::Node;
        match self {
            Node::Array(items) => Ok(items),
            Node::Whole(Value::Array(items)) => Ok(items.into_iter().map(Node::Whole).collect()),
            other => Err(other),
        }
    }
}

/// Read every event of a batch, calling `each` in order.
///
/// The shape is decided from the first non-blank line: if it is a complete
/// JSON value on its own, the input is NDJSON (a lone line holding an array
/// is that array's events); otherwise the whole input is one JSON document
/// (an array of events, or one event). A first line that is broken JSON (not
/// merely unfinished) is read as a bad NDJSON line, so one typo never hides
/// the rest of a log.
pub fn read_batch(input: &[u8], each: impl FnMut(Item)) -> Result<(), Error> {
    read_batch_with(
        input,
        &|text: &str| serde_json::from_str::<Value>(text),
        each,
    )
}

/// [`read_batch`] with the parser to use for each document (the projected
/// parser of [`crate::projection`] on the fast path). Each line is checked
/// for UTF-8 on its own, so one bad line is one error.
pub fn read_batch_with<T: Document>(
    input: &[u8],
    parse: &dyn Fn(&str) -> Result<T, serde_json::Error>,
    mut each: impl FnMut(Item<T>),
) -> Result<(), Error> {
    crate::json::check_size(input.len(), "the events")?;
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let mut lines = Lines::new(input);
    let Some((first_no, first)) = lines.next_nonblank() else {
        return Ok(());
    };
    let parse_line = |line: usize, bytes: &[u8]| -> Result<T, Error> {
        let text = std::str::from_utf8(bytes).map_err(|_| {
            crate::json::utf8(bytes, &format!("line {line}"))
                .err()
                .unwrap_or_else(|| {
                    Error::new(crate::error::ErrorKind::InvalidJson, "invalid UTF-8")
                })
        })?;
        parse(text).map_err(|e| crate::json::line_syntax_error(&e, line))
    };
    // An unfinished first line (a pretty-printed document) fails at its
    // end: serde_json classifies that as EOF, a broken NDJSON line is not.
    let (first_alone, ndjson) = match std::str::from_utf8(first) {
        Ok(text) => match parse(text) {
            Ok(v) => (Ok(v), true),
            Err(e) => (
                Err(crate::json::line_syntax_error(&e, first_no)),
                !e.is_eof(),
            ),
        },
        Err(_) => (parse_line(first_no, first), true),
    };
    if ndjson {
        let only_line = lines.clone().next_nonblank().is_none();
        let emit = |line: usize, parsed: Result<T, Error>, each: &mut dyn FnMut(Item<T>)| {
            let parsed = match parsed {
                Ok(doc) if only_line => match doc.into_items() {
                    Ok(items) => {
                        for v in items {
                            each(Item {
                                line: Some(line),
                                event: Ok(v),
                            });
                        }
                        return;
                    }
                    Err(doc) => Ok(doc),
                },
                other => other,
            };
            each(Item {
                line: Some(line),
                event: parsed,
            })
        };
        emit(first_no, first_alone, &mut each);
        while let Some((no, text)) = lines.next_nonblank() {
            emit(no, parse_line(no, text), &mut each);
        }
        return Ok(());
    }
    let whole = crate::json::utf8(input, "the events");
    match whole
        .and_then(|text| parse(text).map_err(|e| crate::json::syntax_error(&e, "the events")))
    {
        Ok(doc) => match doc.into_items() {
            Ok(items) => {
                for v in items {
                    each(Item {
                        line: None,
                        event: Ok(v),
                    });
                }
            }
            Err(v) => each(Item {
                line: None,
                event: Ok(v),
            }),
        },
        Err(e) => each(Item {
            line: e.line.map(|l| l as usize),
            event: Err(e),
        }),
    }
    Ok(())
}

/// Lines of a byte slice with their 1-based numbers; `\r\n` and `\n` both end
/// a line.
#[derive(Clone)]
struct Lines<'a> {
    rest: &'a [u8],
    no: usize,
}

impl<'a> Lines<'a> {
    fn new(input: &'a [u8]) -> Self {
        Lines { rest: input, no: 0 }
    }

    fn next_nonblank(&mut self) -> Option<(usize, &'a [u8])> {
        while !self.rest.is_empty() {
            let end = memchr::memchr(b'\n', self.rest).unwrap_or(self.rest.len());
            let (line, rest) = self.rest.split_at(end);
            self.rest = rest.get(1..).unwrap_or(&[]);
            self.no += 1;
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.iter().any(|b| !b.is_ascii_whitespace()) {
                return Some((self.no, line));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &str) -> Vec<(usize, Option<usize>, Result<Value, &'static str>)> {
        let mut out = Vec::new();
        read_batch(input.as_bytes(), |it| {
            out.push((out.len(), it.line, it.event.map_err(|e| e.code())))
        })
        .unwrap();
        out
    }

    #[test]
    fn ndjson_keeps_going_past_a_bad_line() {
        let got = read("{\"a\":1}\n\n{\"a\":,}\r\n{\"a\":3}\n");
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].1, Some(1));
        assert_eq!(got[1], (1, Some(3), Err("invalid_json")));
        assert_eq!(got[2].1, Some(4));
        assert!(got[2].2.is_ok());
    }

    #[test]
    fn broken_first_line_is_still_ndjson() {
        let got = read("{\"a\":,}\n{\"a\":2}");
        assert_eq!(got.len(), 2);
        assert!(got[0].2.is_err());
        assert!(got[1].2.is_ok());
    }

    #[test]
    fn arrays_pretty_documents_and_single_lines() {
        assert_eq!(read("[{\"a\":1},{\"a\":2}]").len(), 2);
        assert_eq!(read("[\n {\"a\":1},\n {\"a\":2}\n]\n").len(), 2);
        assert_eq!(read("{\n \"a\": 1\n}\n").len(), 1);
        assert_eq!(read("").len(), 0);
        assert_eq!(read("\u{feff}{\"a\":1}").len(), 1);
        let broken = read("[\n {\"a\":1},\n {\"a\":\n");
        assert_eq!(broken.len(), 1);
        assert!(broken[0].2.is_err());
    }
}
