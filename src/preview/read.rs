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
//! is a complete JSON value, or is longer than the input limit (no JSON
//! reading could hold such an input whole). Otherwise it is read as JSON;
//! if that fails, it is NDJSON after all whose first line is broken (one
//! error, the rest read) when either nothing could be read and the second
//! non-blank line is a JSON object or array on its own (a cut-off first
//! event), or the first line held whole documents followed, on that same
//! line, by something that is not one (`{…},`: a JSON text never goes on
//! like that).
//!
//! In NDJSON, a line longer than the input limit is one `too_large` error
//! for that line: its bytes are counted, not kept, and the lines after it
//! are read.

use crate::error::Error;

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
    /// NDJSON: the unfinished line is past the input limit; it is counted
    /// until its end instead of kept.
    skipping: Option<Skipped>,
    /// Undecided: where the first line that may be non-blank starts in
    /// `buf` (the blank lines before it passed), and how many of its bytes
    /// hold no `\n`.
    line_start: usize,
    searched: usize,
}

/// What is known of a line too long to keep.
#[derive(Debug, Clone, Copy)]
struct Skipped {
    /// Bytes so far, a final `\r` included.
    len: usize,
    /// The last byte so far is `\r` (dropped if the `\n` comes next).
    cr: bool,
    /// Only whitespace so far (a blank line is no line at all).
    blank: bool,
}

impl Skipped {
    fn of(bytes: &[u8]) -> Skipped {
        let mut s = Skipped {
            len: 0,
            cr: false,
            blank: true,
        };
        s.extend(bytes);
        s
    }

    fn extend(&mut self, bytes: &[u8]) {
        if let Some(last) = bytes.last() {
            self.len += bytes.len();
            self.cr = *last == b'\r';
            self.blank = self.blank && bytes.iter().all(u8::is_ascii_whitespace);
        }
    }

    /// The line's length as a whole line is measured (without its `\r`).
    fn line_len(&self) -> usize {
        self.len - usize::from(self.cr)
    }
}

/// The length of an unfinished line as it will at least be once complete
/// (a final `\r` may be the start of its `\r\n`).
fn held_len(bytes: &[u8]) -> usize {
    bytes.len() - usize::from(bytes.last() == Some(&b'\r'))
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
            skipping: None,
            line_start: 0,
            searched: 0,
        }
    }

    /// Bytes read so far.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Read the next chunk. Fails only when a JSON input the reader must
    /// hold whole grows past the input limit: an NDJSON stream of any
    /// length is read in bounded memory (a line past the limit is one
    /// error, counted and not kept).
    pub fn push(&mut self, chunk: &[u8], sink: &mut dyn Sink) -> Result<(), Error> {
        self.bytes += chunk.len();
        if self.bom_checked {
            self.feed(chunk, sink);
        } else if self.head.is_empty() && chunk.len() >= BOM.len() {
            // The usual first chunk: long enough to hold the whole mark, so
            // it is read where it lies. Copying it into `head` first copied
            // every one-shot `preview` input (with the copy `feed` made next:
            // 21% of the call in memmove and 8% in page faults, 24 MB natively).
            self.bom_checked = true;
            self.feed(chunk.strip_prefix(BOM).unwrap_or(chunk), sink);
        } else {
            // A byte-order mark can be cut across the first chunks.
            self.head.extend_from_slice(chunk);
            if self.head.len() < BOM.len() && BOM.starts_with(&self.head) {
                return Ok(());
            }
            self.release_head(sink);
        }
        self.bound(sink)
    }

    /// Keep what is held within the input limit: an NDJSON line past it is
    /// skipped (and so is an unfinished first line past it, which makes
    /// the input NDJSON, as `decide` does for a complete one); a JSON input
    /// past it is `too_large`.
    fn bound(&mut self, sink: &mut dyn Sink) -> Result<(), Error> {
        let max = crate::json::max_input_bytes();
        match self.mode {
            Mode::Ndjson => {
                if held_len(&self.buf) > max {
                    self.skipping = Some(Skipped::of(&self.buf));
                    self.buf = Vec::new();
                }
                Ok(())
            }
            Mode::Undecided => {
                let start = self.line_start;
                let rest = self.buf.get(start..).unwrap_or_default();
                if held_len(rest) > max && !rest.iter().all(u8::is_ascii_whitespace) {
                    self.mode = Mode::Ndjson;
                    let held = std::mem::take(&mut self.buf);
                    let (blank, rest) = held.split_at(start.min(held.len()));
                    // Only blank lines: they are counted, nothing is read.
                    self.lines(blank, sink);
                    self.skipping = Some(Skipped::of(rest));
                    return Ok(());
                }
                // What is held is the first line so far and the blank lines
                // before it: each within the limit (blank lines past it are
                // no batch anyone sends).
                crate::json::check_size(start, "the run of blank lines before the events")?;
                crate::json::check_size(held_len(rest), "the events")
            }
            Mode::Json => crate::json::check_size(self.buf.len(), "the events"),
        }
    }

    fn release_head(&mut self, sink: &mut dyn Sink) {
        self.bom_checked = true;
        let head = std::mem::take(&mut self.head);
        self.feed(head.strip_prefix(BOM).unwrap_or(&head), sink);
    }

    fn feed(&mut self, data: &[u8], sink: &mut dyn Sink) {
        match self.mode {
            Mode::Json => self.buf.extend_from_slice(data),
            // Nothing held yet (a one-shot `preview`, a stream's first
            // chunk): decide on the chunk where it lies and hold it only if
            // it has to be (a JSON document, or a first line not complete
            // yet). Copying it first cost a copy of the whole input and the
            // memory for it (see `push`).
            Mode::Undecided if self.buf.is_empty() => {
                self.decide_in(data, false);
                match self.mode {
                    Mode::Ndjson => self.lines(data, sink),
                    Mode::Json | Mode::Undecided => self.buf.extend_from_slice(data),
                }
            }
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
    /// `at_end`), NDJSON if it is a JSON value on its own or longer than
    /// the input limit, else JSON.
    /// Each byte is looked at once however the input is cut: the blank
    /// lines passed and the bytes of the first line searched for its end
    /// are remembered (a long first line fed in small chunks would make
    /// this quadratic).
    fn decide(&mut self, at_end: bool) {
        let held = std::mem::take(&mut self.buf);
        self.decide_in(&held, at_end);
        self.buf = held;
    }

    /// [`Reader::decide`] on `held`: what is held, or a first chunk not
    /// yet copied (`line_start` and `searched` index into it).
    fn decide_in(&mut self, held: &[u8], at_end: bool) {
        loop {
            let start = self.line_start;
            let from = start + self.searched;
            let end = held
                .get(from..)
                .and_then(|rest| memchr::memchr(b'\n', rest))
                .map(|e| from + e);
            let line = match end {
                Some(e) => held.get(start..e).unwrap_or_default(),
                None => {
                    self.searched = held.len().saturating_sub(start);
                    if !at_end {
                        return;
                    }
                    held.get(start..).unwrap_or_default()
                }
            };
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.iter().all(u8::is_ascii_whitespace) {
                match end {
                    Some(e) => {
                        self.line_start = e + 1;
                        self.searched = 0;
                        continue;
                    }
                    // Nothing but blank lines.
                    None => return,
                }
            }
            self.mode = if line.len() > crate::json::max_input_bytes()
                || is_json(line)
                || is_list_of_events(line)
            {
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
            if let Some(mut skipped) = self.skipping.take() {
                skipped.extend(head);
                self.long_line(skipped, sink);
            } else if self.buf.is_empty() {
                self.complete_line(head, sink);
            } else {
                let mut line = std::mem::take(&mut self.buf);
                line.extend_from_slice(head);
                self.complete_line(&line, sink);
            }
        }
        match &mut self.skipping {
            Some(skipped) => skipped.extend(chunk),
            None => self.buf.extend_from_slice(chunk),
        }
    }

    /// A complete line that was too long to keep: one error, as
    /// [`emit_line`] gives for such a line seen whole.
    fn long_line(&mut self, skipped: Skipped, sink: &mut dyn Sink) {
        if skipped.blank {
            return;
        }
        if !self.released {
            // Not alone: a held first line is released as one event.
            if let Some((no, first)) = self.first.take() {
                emit_line(&first, no, false, sink);
            }
            self.released = true;
        }
        let no = self.line;
        if let Some(e) = too_long(skipped.line_len(), no) {
            sink.error(Some(no), e);
        }
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
                if let Some(skipped) = self.skipping.take() {
                    self.line += 1;
                    self.long_line(skipped, sink);
                } else if !self.buf.is_empty() {
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
/// Validated without building anything: a projection that keeps nothing
/// still keeps an array whole, and the first line of a batch is often one
/// array of every event (measured natively, a 15 MB one: 407 ms through
/// the projection, 18 ms this way). UTF-8 needs no pass of its own: the
/// parser checks every string it reads, and outside strings a byte above
/// 0x7F is a syntax error.
fn is_json(bytes: &[u8]) -> bool {
    crate::json::parser::check(bytes).is_ok()
}

/// Is `bytes` an array whose elements can be told apart, though some are
/// not JSON? A line holding one is a line of events, one of which is bad.
fn is_list_of_events(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok_and(|text| super::array_items(text).is_some())
}

/// One NDJSON line to the sink (a line that is not UTF-8, or longer than
/// the input limit, is an error).
fn emit_line(line: &[u8], no: usize, array_is_events: bool, sink: &mut dyn Sink) {
    if let Some(e) = too_long(line.len(), no) {
        return sink.error(Some(no), e);
    }
    match simdutf8::basic::from_utf8(line) {
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

/// The error of line `no` when its `len` bytes are past the input limit.
fn too_long(len: usize, no: usize) -> Option<Error> {
    // Asked first so that a line within the limit formats nothing: the
    // label written for every line was 1.5% of a preview.
    if len <= crate::json::max_input_bytes() {
        return None;
    }
    let mut e = crate::json::check_size(len, &format!("line {no}")).err()?;
    e.line = Some(crate::json::to_u32(no));
    Some(e)
}

/// The offset where the first non-blank line of `bytes` starts (after the
/// blank lines that are complete).
fn blank_prefix(bytes: &[u8]) -> usize {
    let mut start = 0;
    while let Some(e) = bytes
        .get(start..)
        .and_then(|rest| memchr::memchr(b'\n', rest))
    {
        let line = bytes.get(start..start + e).unwrap_or_default();
        if !line.iter().all(u8::is_ascii_whitespace) {
            break;
        }
        start += e + 1;
    }
    start
}

/// The 1-based number of the first non-blank line.
fn first_line(bytes: &[u8]) -> Option<usize> {
    let start = blank_prefix(bytes);
    let rest = bytes.get(start..)?;
    if rest.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    Some(line_of(bytes, start))
}

/// The whitespace of JSON.
const JSON_SPACE: [char; 4] = [' ', '\t', '\n', '\r'];

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
    let mut stream = crate::json::parser::Documents::new(all);
    let mut start = 0;
    let mut documents: Vec<(usize, usize)> = Vec::new();
    loop {
        match stream.next() {
            None => break,
            Some(Ok(())) => {
                let end = stream.byte_offset();
                let begin = start
                    + text
                        .get(start..end)
                        .map_or(0, |t| t.len() - t.trim_start().len());
                documents.push((begin, end));
                start = end;
            }
            Some(Err(e)) => {
                if documents.is_empty() && super::array_items(text).is_some() {
                    // An array whose elements can be told apart: each
                    // element that is not JSON is one error (`events_of`).
                    return sink.document(text.trim_matches(JSON_SPACE), None, true);
                }
                if !strict && first_line_is_broken(all, &documents, e.line) {
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

/// Did reading as JSON fail because the first line is a broken NDJSON
/// line? Either nothing could be read and the second non-blank line is a
/// document on its own (the first event was cut off), or the first line
/// held whole documents and then, on that same line (`error_line`; the
/// documents before it end there too), something that is not one
/// (`{…},`): a JSON text never goes on that way, and the lines after it
/// are read as what they are.
fn first_line_is_broken(all: &[u8], documents: &[(usize, usize)], error_line: usize) -> bool {
    if documents.is_empty() {
        return later_line_is_document(all);
    }
    first_line(all) == Some(error_line)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// JSON text is UTF-8 (RFC 8259 §8.1): a stray byte in a string, in a
    /// key or between values is not JSON; a multi-byte character is.
    #[test]
    fn a_document_that_is_not_utf8_is_not_json() {
        assert!(is_json("[\"é\", {\"ü\": 1}]".as_bytes()));
        assert!(!is_json(b"[\"\xff\"]"));
        assert!(!is_json(b"{\"\xc3\": 1}"));
        assert!(!is_json(b"[1, \xff]"));
        assert!(!is_json(b"[\"\xed\xa0\x80\"]"));
    }

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

    /// `bytes()` is the progress a stream reports: every byte pushed, a
    /// byte-order mark cut across chunks included.
    #[test]
    fn bytes_counts_every_byte_pushed() {
        let mut seen = Seen::default();
        let mut reader = Reader::new(Format::Auto);
        for (chunk, total) in [
            (&b"\xEF\xBB"[..], 2),
            (b"\xBF{\"a\":1}\n", 11),
            (b"", 11),
            (b"{\"a\":2}\n", 19),
        ] {
            reader.push(chunk, &mut seen).unwrap();
            assert_eq!(reader.bytes(), total);
        }
        reader.finish(&mut seen);
        assert_eq!(
            seen.0,
            [
                doc("{\"a\":1}", Some(1), false),
                doc("{\"a\":2}", Some(2), false)
            ]
        );
    }

    /// An NDJSON line past the input limit is counted, not kept: what the
    /// reader holds never grows past the limit, whether the long line comes
    /// first (before the format is decided) or later. (At the default limit,
    /// 256 MiB: the limit is one setting for the whole process, and other
    /// tests run beside this one; `tests/chunking.rs` checks the outputs at
    /// a 400-byte limit.)
    #[test]
    fn a_line_past_the_limit_is_counted_not_held() {
        let max = crate::json::max_input_bytes();
        let chunk = vec![b'x'; 1 << 20];
        let first = "{\"a\":1}\n";
        for (format, before) in [(Format::Auto, ""), (Format::Ndjson, first)] {
            let mut seen = Seen::default();
            let mut reader = Reader::new(format);
            reader.push(before.as_bytes(), &mut seen).unwrap();
            reader.push(b"{\"long\":\"", &mut seen).unwrap();
            let mut pushed = 0;
            while pushed <= max + chunk.len() {
                reader.push(&chunk, &mut seen).unwrap();
                pushed += chunk.len();
                assert!(
                    reader.buf.len() <= max,
                    "{format:?}: {} bytes held",
                    reader.buf.len()
                );
            }
            reader.push(b"\"}\n{\"a\":2}\n", &mut seen).unwrap();
            reader.finish(&mut seen);
            let long = usize::from(!before.is_empty()) + 1;
            let mut want = Vec::new();
            if !before.is_empty() {
                want.push(doc("{\"a\":1}", Some(1), false));
            }
            want.push(("error too_large".to_string(), Some(long), false));
            want.push(doc("{\"a\":2}", Some(long + 1), false));
            assert_eq!(seen.0, want, "{format:?}");
        }
    }

    /// An input that is only the start of a byte-order mark is no mark:
    /// its bytes are read (and are not UTF-8); a whole mark alone is an
    /// empty batch.
    #[test]
    fn a_cut_byte_order_mark_alone_is_read() {
        for input in [&b"\xEF"[..], b"\xEF\xBB"] {
            let mut seen = Seen::default();
            read_all(input, Format::Auto, &mut seen).unwrap();
            let codes: Vec<&str> = seen.0.iter().map(|s| s.0.as_str()).collect();
            assert_eq!(codes, ["error invalid_json"], "{input:?}");
        }
        let mut seen = Seen::default();
        read_all(b"\xEF\xBB\xBF", Format::Auto, &mut seen).unwrap();
        assert!(seen.0.is_empty());
    }

    /// Bytes that are not UTF-8 in a JSON input are one error for the
    /// batch: a pretty document stays one document, and a forced JSON
    /// format is never read as lines, even when a later line is a document.
    #[test]
    fn invalid_utf8_in_a_json_input_is_one_error() {
        let pretty = b"{\n \"a\": \"\xff\"\n}\n";
        let two = b"{\"a\":\"\xff\n{\"a\":1}\n";
        for (input, format) in [(&pretty[..], Format::Auto), (two, Format::Json)] {
            let mut seen = Seen::default();
            read_all(input, format, &mut seen).unwrap();
            let codes: Vec<&str> = seen.0.iter().map(|s| s.0.as_str()).collect();
            assert_eq!(codes, ["error invalid_json"], "{format:?}");
        }
        // Not forced, the same lines are NDJSON whose first line is broken.
        let mut seen = Seen::default();
        read_all(two, Format::Auto, &mut seen).unwrap();
        assert_eq!(seen.0.len(), 2);
        assert_eq!(seen.0[1], doc("{\"a\":1}", Some(2), false));
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

    /// The format decision on small inputs, each line of the table an
    /// expectation written from the rules in the module comment (not from
    /// a run): which documents the sink gets, with their line and array
    /// flag, and where errors are. Deciding from another line than the
    /// first (or, for a broken first line, the second) changes a row.
    #[test]
    fn the_format_decision_on_small_inputs() {
        const E: &str = r#"{"a":1}"#;
        let e = |n: usize| doc(E, Some(n), false);
        let err = |n: usize| ("error invalid_json".to_string(), Some(n), false);
        type Row = (String, Vec<(String, Option<usize>, bool)>);
        let table: Vec<Row> = vec![
            // One line: a lone line is NDJSON, and an array there is a list.
            (E.into(), vec![doc(E, Some(1), true)]),
            ("[1,2]".into(), vec![doc("[1,2]", Some(1), true)]),
            // One line, a document and then garbage: a broken line, the
            // sink's parse reports it.
            (format!("{E},"), vec![doc(&format!("{E},"), Some(1), false)]),
            (
                format!("{E} x"),
                vec![doc(&format!("{E} x"), Some(1), false)],
            ),
            // A cut-off line alone: nothing to read as lines.
            ("{\"a\":".into(), vec![err(1)]),
            // Two lines.
            (format!("{E}\n{E}"), vec![e(1), e(2)]),
            (
                format!("{E},\n{E}"),
                vec![doc(&format!("{E},"), Some(1), false), e(2)],
            ),
            ("{\"a\":\n1}".into(), vec![doc("{\"a\":\n1}", None, true)]),
            // A cut-off first line, then an event: decided by the second line.
            (
                format!("{{\"a\":\"UP\n{E}"),
                vec![doc("{\"a\":\"UP", Some(1), false), e(2)],
            ),
            // Three lines.
            (
                format!("{E},\n{E}\n{E}"),
                vec![doc(&format!("{E},"), Some(1), false), e(2), e(3)],
            ),
            (format!("{E}\n{E}\n{E}"), vec![e(1), e(2), e(3)]),
            // The second line is a member, not a document: one broken
            // document, however the third line looks.
            (format!("{{\"x\":\n\"a\": 1\n{E}"), vec![err(2)]),
            // Blank lines before: lines keep their numbers.
            (
                format!("\n\n{E},\n{E}"),
                vec![doc(&format!("{E},"), Some(3), false), e(4)],
            ),
            // A JSON array, on one line and spanning lines (its second line
            // is a document on its own, but the whole parses).
            (
                format!("[{E},{E}]"),
                vec![doc(&format!("[{E},{E}]"), Some(1), true)],
            ),
            (
                format!("[\n{E}\n]"),
                vec![doc(&format!("[\n{E}\n]"), None, true)],
            ),
            (
                format!("[\n{E},\n{E}\n]\n"),
                vec![doc(&format!("[\n{E},\n{E}\n]"), None, true)],
            ),
            // A document spanning lines, then garbage on a later line: a
            // sequence whose last document is broken.
            (
                "{\n\"a\":1\n}\nx".to_string(),
                vec![doc("{\n\"a\":1\n}", Some(1), false), err(4)],
            ),
            // A document, then on the same line the start of another that
            // breaks on a later line: a sequence, its second document bad.
            (
                format!("{E} {{\"b\":\n1,\n"),
                vec![doc(E, Some(1), false), err(3)],
            ),
            // Garbage after a document that spans lines, on its last line.
            (
                format!("[\n{E}\n],\n{E}"),
                vec![doc(&format!("[\n{E}\n]"), Some(1), false), err(3)],
            ),
        ];
        for (input, want) in table {
            assert_eq!(read(&input, Format::Auto), want, "{input:?}");
        }
    }

    /// The second non-blank line decides whether a broken first line is a
    /// broken NDJSON line.
    #[test]
    fn later_line_is_document_reads_the_second_line() {
        assert!(later_line_is_document(b"{\"a\n\n{\"b\":1}\n\"x\"\n"));
        assert!(later_line_is_document(b"x\r\n  [1] \r\n"));
        assert!(!later_line_is_document(b"x\n\"a\": 1\n{\"b\":1}\n"));
        assert!(!later_line_is_document(b"x\n1\n"));
        assert!(!later_line_is_document(b"x\n{\"b\":\n"));
        assert!(!later_line_is_document(b"{\"b\":1}\n"));
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
