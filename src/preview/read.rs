//! Reading a batch of events, fed in chunks of any size: the format is
//! decided once, from the start of the input (or by the caller), and
//! partial lines and UTF-8 sequences are carried across chunks, so every
//! way of cutting the same bytes gives the same documents to the [`Sink`].
//!
//! Formats:
//! - **NDJSON**: one document per non-blank line (`\n` or `\r\n`); a line
//!   that is not JSON is one error and the rest are still read. Memory is
//!   bounded by a chunk plus the longest line. A lone line holding an
//!   array is that array's events.
//! - **JSON**: the whole input is one document (an array of events, or one
//!   event), or several documents one after another (what `jq` prints),
//!   each an event.
//!
//! With `Format::Auto`, the input is NDJSON when its first non-blank line
//! is a complete JSON value. Otherwise it is read as JSON; if that fails
//! and some later line is a complete JSON object or array on its own, it is
//! NDJSON after all whose first line is broken (one error, the rest read).

use crate::error::Error;
use crate::projection::{self, Projection};

/// How the batch is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Auto,
    Ndjson,
    Json,
}

/// Where documents go: each is evaluated by whoever reads the batch.
pub trait Sink {
    /// A document's JSON text, its 1-based line (NDJSON, or where a
    /// document of a sequence starts; `None` for a whole-input document),
    /// and whether an array document is a list of events.
    fn document(&mut self, text: &str, line: Option<usize>, array_is_events: bool);
    /// Something that could not be read as a document.
    fn error(&mut self, line: Option<usize>, error: Error);
}

#[derive(Debug)]
enum Mode {
    /// Before the first non-blank line is complete.
    Undecided,
    Ndjson,
    /// Everything is buffered and read at the end.
    Json,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The batch reader. [`Reader::push`] each chunk, then [`Reader::finish`].
#[derive(Debug)]
pub struct Reader {
    format: Format,
    mode: Mode,
    /// The first bytes, until a leading byte-order mark is ruled out.
    head: Vec<u8>,
    bom_checked: bool,
    /// Undecided or JSON: all bytes so far; NDJSON: the unfinished line.
    buf: Vec<u8>,
    /// Lines completed so far (the number of the last one).
    line: usize,
    /// Bytes read so far, against the input limit.
    bytes: usize,
    /// NDJSON: the first non-blank line, held until a second one shows it
    /// is not alone (a lone line holding an array is that array's events).
    first: Option<(usize, Vec<u8>)>,
    /// NDJSON: a second non-blank line was seen (the first is released).
    released: bool,
}

impl Reader {
    pub fn new(format: Format) -> Reader {
        Reader {
            format,
            mode: match format {
                Format::Auto => Mode::Undecided,
                Format::Ndjson => Mode::Ndjson,
                Format::Json => Mode::Json,
            },
            head: Vec::new(),
            bom_checked: false,
            buf: Vec::new(),
            line: 0,
            bytes: 0,
            first: None,
            released: false,
        }
    }

    /// Bytes read so far.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Read the next chunk. Fails only when what the reader must hold (a
    /// JSON input, or one NDJSON line) grows past the input limit: an
    /// NDJSON stream of any length is read in bounded memory.
    pub fn push(&mut self, chunk: &[u8], sink: &mut dyn Sink) -> Result<(), Error> {
        self.bytes += chunk.len();
        if self.bom_checked {
            self.feed(chunk, sink);
        } else {
            // A byte-order mark can be cut across the first chunks.
            self.head.extend_from_slice(chunk);
            if self.head.len() < BOM.len() && BOM.starts_with(&self.head) {
                return Ok(());
            }
            self.release_head(sink);
        }
        let what = match self.mode {
            Mode::Ndjson => "a line of the events",
            Mode::Undecided | Mode::Json => "the events",
        };
        crate::json::check_size(self.buf.len(), what)
    }

    fn release_head(&mut self, sink: &mut dyn Sink) {
        self.bom_checked = true;
        let head = std::mem::take(&mut self.head);
        self.feed(head.strip_prefix(BOM).unwrap_or(&head), sink);
    }

    fn feed(&mut self, data: &[u8], sink: &mut dyn Sink) {
        match self.mode {
            Mode::Json => self.buf.extend_from_slice(data),
            Mode::Undecided => {
                self.buf.extend_from_slice(data);
                self.decide(false);
                if let Mode::Ndjson = self.mode {
                    // Read what was buffered as lines.
                    let held = std::mem::take(&mut self.buf);
                    self.lines(&held, sink);
                }
            }
            Mode::Ndjson => self.lines(data, sink),
        }
    }

    /// In `Undecided`: once the first non-blank line is complete (or
    /// `at_end`), NDJSON if it is a JSON value on its own, else JSON.
    fn decide(&mut self, at_end: bool) {
        let mut start = 0;
        loop {
            let rest = self.buf.get(start..).unwrap_or_default();
            let end = memchr::memchr(b'\n', rest);
            let line = match end {
                Some(e) => &rest[..e],
                None if at_end => rest,
                None => return,
            };
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.iter().all(u8::is_ascii_whitespace) {
                match end {
                    Some(e) => {
                        start += e + 1;
                        continue;
                    }
                    // Nothing but blank lines.
                    None => return,
                }
            }
            self.mode = if is_json(line) {
                Mode::Ndjson
            } else {
                Mode::Json
            };
            return;
        }
    }

    /// NDJSON: complete the lines of `chunk`, carrying the unfinished one.
    fn lines(&mut self, mut chunk: &[u8], sink: &mut dyn Sink) {
        while let Some(e) = memchr::memchr(b'\n', chunk) {
            let (head, tail) = chunk.split_at(e);
            chunk = tail.get(1..).unwrap_or_default();
            self.line += 1;
            if self.buf.is_empty() {
                self.complete_line(head, sink);
            } else {
                let mut line = std::mem::take(&mut self.buf);
                line.extend_from_slice(head);
                self.complete_line(&line, sink);
            }
        }
        self.buf.extend_from_slice(chunk);
    }

    fn complete_line(&mut self, line: &[u8], sink: &mut dyn Sink) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        if !self.released {
            match self.first.take() {
                None => {
                    self.first = Some((self.line, line.to_vec()));
                    return;
                }
                Some((no, first)) => {
                    emit_line(&first, no, false, sink);
                    self.released = true;
                }
            }
        }
        emit_line(line, self.line, false, sink);
    }

    /// The end of the input: read what is buffered.
    pub fn finish(mut self, sink: &mut dyn Sink) {
        if !self.bom_checked {
            self.release_head(sink);
        }
        if let Mode::Undecided = self.mode {
            self.decide(true);
            match self.mode {
                Mode::Undecided => return,
                Mode::Ndjson => {
                    let held = std::mem::take(&mut self.buf);
                    self.lines(&held, sink);
                }
                Mode::Json => {}
            }
        }
        match self.mode {
            Mode::Ndjson => {
                if !self.buf.is_empty() {
                    self.line += 1;
                    let line = std::mem::take(&mut self.buf);
                    self.complete_line(&line, sink);
                }
                if let Some((no, first)) = self.first.take() {
                    // It was the only line: an array there is a list of events.
                    emit_line(&first, no, true, sink);
                }
            }
            Mode::Json => {
                let all = std::mem::take(&mut self.buf);
                json_documents(&all, self.format == Format::Json, sink);
            }
            Mode::Undecided => {}
        }
    }
}

/// Read a whole input with one [`Reader`].
pub fn read_all(input: &[u8], format: Format, sink: &mut dyn Sink) -> Result<(), Error> {
    let mut reader = Reader::new(format);
    reader.push(input, sink)?;
    reader.finish(sink);
    Ok(())
}

/// Is `bytes` one complete JSON value (validated as a full parse would)?
fn is_json(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok_and(|text| projection::parse(text, &NOTHING).is_ok())
}

/// A projection that keeps nothing: parsing with it only validates.
static NOTHING: Projection = Projection::nothing();

/// One NDJSON line to the sink (a line that is not UTF-8, or longer than
/// the input limit, is an error).
fn emit_line(line: &[u8], no: usize, array_is_events: bool, sink: &mut dyn Sink) {
    if let Err(mut e) = crate::json::check_size(line.len(), &format!("line {no}")) {
        e.line = Some(crate::json::to_u32(no));
        return sink.error(Some(no), e);
    }
    match std::str::from_utf8(line) {
        Ok(text) => sink.document(text, Some(no), array_is_events),
        Err(_) => {
            let mut err = crate::json::utf8(line, &format!("line {no}"))
                .err()
                .unwrap_or_else(|| Error::new(crate::error::Code::InvalidJson, "invalid UTF-8"));
            err.line = Some(crate::json::to_u32(no));
            sink.error(Some(no), err);
        }
    }
}

/// The 1-based line of byte `at` of `bytes`.
fn line_of(bytes: &[u8], at: usize) -> usize {
    bytes
        .get(..at)
        .map_or(0, |b| memchr::memchr_iter(b'\n', b).count())
        + 1
}

/// A JSON input: one document, several one after another, or (unless
/// `strict`) NDJSON whose first line is broken.
fn json_documents(all: &[u8], strict: bool, sink: &mut dyn Sink) {
    let text = match std::str::from_utf8(all) {
        Ok(text) => text,
        Err(_) => {
            if !strict && later_line_is_document(all) {
                return ndjson_after_all(all, sink);
            }
            let err = crate::json::utf8(all, "the batch").err();
            let err =
                err.unwrap_or_else(|| Error::new(crate::error::Code::InvalidJson, "invalid UTF-8"));
            return sink.error(err.line.map(|l| l as usize), err);
        }
    };
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Checked>();
    let mut start = 0;
    let mut documents: Vec<(usize, usize)> = Vec::new();
    loop {
        match stream.next() {
            None => break,
            Some(Ok(Checked)) => {
                let end = stream.byte_offset();
                let begin = start
                    + text
                        .get(start..end)
                        .map_or(0, |t| t.len() - t.trim_start().len());
                documents.push((begin, end));
                start = end;
            }
            Some(Err(e)) => {
                if documents.is_empty() && !strict && later_line_is_document(all) {
                    return ndjson_after_all(all, sink);
                }
                // Documents one after another, then one that is broken.
                for (b, e) in &documents {
                    let doc = text.get(*b..*e).unwrap_or_default();
                    sink.document(doc, Some(line_of(all, *b)), false);
                }
                let err = crate::json::syntax_error(&e, "the batch");
                return sink.error(err.line.map(|l| l as usize), err);
            }
        }
    }
    match documents.as_slice() {
        [] => {}
        [(b, e)] => sink.document(text.get(*b..*e).unwrap_or_default(), None, true),
        many => {
            for (b, e) in many {
                sink.document(
                    text.get(*b..*e).unwrap_or_default(),
                    Some(line_of(all, *b)),
                    false,
                );
            }
        }
    }
}

/// Is the second non-blank line a JSON object or array on its own? Then a
/// broken first line is a broken NDJSON line (a cut-off event), not the
/// start of a broken document (whose second line is a member, not a
/// document).
fn later_line_is_document(all: &[u8]) -> bool {
    let second = all
        .split(|b| *b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .nth(1);
    second.is_some_and(|l| {
        let t = l.trim_ascii();
        let object_or_array = matches!(
            (t.first(), t.last()),
            (Some(b'{'), Some(b'}')) | (Some(b'['), Some(b']'))
        );
        object_or_array && is_json(l)
    })
}

/// Read everything as NDJSON (the first line broken).
fn ndjson_after_all(all: &[u8], sink: &mut dyn Sink) {
    let mut reader = Reader::new(Format::Ndjson);
    reader.bom_checked = true;
    reader.released = true;
    reader.lines(all, sink);
    reader.finish(sink);
}

/// A document validated as a full parse validates it, and not kept.
struct Checked;

impl<'de> serde::Deserialize<'de> for Checked {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Checked, D::Error> {
        use serde::de::DeserializeSeed;
        crate::projection::reference::Skip
            .deserialize(d)
            .map(|()| Checked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a sink saw: documents with their line and array flag, errors
    /// with their line and code.
    #[derive(Default)]
    struct Seen(Vec<(String, Option<usize>, bool)>);

    impl Sink for Seen {
        fn document(&mut self, text: &str, line: Option<usize>, array_is_events: bool) {
            self.0.push((text.to_string(), line, array_is_events));
        }
        fn error(&mut self, line: Option<usize>, error: Error) {
            self.0
                .push((format!("error {}", error.code()), line, false));
        }
    }

    fn read(input: &str, format: Format) -> Vec<(String, Option<usize>, bool)> {
        let mut seen = Seen::default();
        read_all(input.as_bytes(), format, &mut seen).unwrap();
        seen.0
    }

    fn doc(text: &str, line: Option<usize>, array: bool) -> (String, Option<usize>, bool) {
        (text.to_string(), line, array)
    }

    #[test]
    fn ndjson_lines_and_a_lone_array_line() {
        assert_eq!(
            read("{\"a\":1}\r\n\n{\"a\":2}", Format::Auto),
            [
                doc("{\"a\":1}", Some(1), false),
                doc("{\"a\":2}", Some(3), false)
            ]
        );
        assert_eq!(read("[1,2]\n", Format::Auto), [doc("[1,2]", Some(1), true)]);
        assert_eq!(
            read("[1]\n[2]\n", Format::Auto),
            [doc("[1]", Some(1), false), doc("[2]", Some(2), false)]
        );
    }

    /// A differential run found a cut-off first line made the whole batch
    /// one error: the rest is NDJSON and is read.
    #[test]
    fn a_cut_off_first_line_is_one_bad_line() {
        // The reader hands the broken line to the sink (whose parse reports
        // it), and the rest as lines.
        let got = read("{\"eventType\":\"UPD\n{\"a\":1}\n{\"a\":2}\n", Format::Auto);
        assert_eq!(
            got,
            [
                doc("{\"eventType\":\"UPD", Some(1), false),
                doc("{\"a\":1}", Some(2), false),
                doc("{\"a\":2}", Some(3), false)
            ]
        );
    }

    /// What `jq` prints: documents one after another, each an event.
    #[test]
    fn pretty_documents_one_after_another() {
        let got = read("{\n \"a\": 1\n}\n{\n \"a\": 2\n}\n", Format::Auto);
        assert_eq!(
            got,
            [
                doc("{\n \"a\": 1\n}", Some(1), false),
                doc("{\n \"a\": 2\n}", Some(4), false)
            ]
        );
        // A broken document after good ones is one error at its line.
        let got = read("{\n \"a\": 1\n}\n{\n \"a\": \n}\n", Format::Auto);
        assert_eq!(got[0].1, Some(1));
        assert_eq!(got[1].0, "error invalid_json");
        assert_eq!(got[1].1, Some(6));
    }

    #[test]
    fn one_document_and_a_broken_one() {
        assert_eq!(
            read("[\n {\"a\":1}\n]\n", Format::Auto),
            [doc("[\n {\"a\":1}\n]", None, true)]
        );
        let got = read("[\n {\"a\":1},\n {\"a\":\n", Format::Auto);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "error invalid_json");
        // An error message says "the batch", not "the events is".
        let mut seen = Vec::new();
        struct Msg<'a>(&'a mut Vec<String>);
        impl Sink for Msg<'_> {
            fn document(&mut self, _: &str, _: Option<usize>, _: bool) {}
            fn error(&mut self, _: Option<usize>, e: Error) {
                self.0.push(e.message);
            }
        }
        read_all(b"[\n {", Format::Auto, &mut Msg(&mut seen)).unwrap();
        assert!(
            seen[0].starts_with("the batch is not valid JSON"),
            "{}",
            seen[0]
        );
    }

    #[test]
    fn formats_can_be_forced_and_blank_input_is_empty() {
        assert_eq!(
            read("{\"a\":1}", Format::Json),
            [doc("{\"a\":1}", None, true)]
        );
        assert_eq!(
            read("{\n\"a\":1}\n", Format::Ndjson),
            [doc("{", Some(1), false), doc("\"a\":1}", Some(2), false)]
        );
        assert!(read(" \n\r\n", Format::Auto).is_empty());
        assert!(read("\u{feff}", Format::Auto).is_empty());
        assert!(read("", Format::Json).is_empty());
    }
}
