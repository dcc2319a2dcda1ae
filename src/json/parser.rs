//! JSON text to a tree, hookmatch's own: the answers of serde_json's slice
//! reader (`serde_json::from_slice::<Value>`, version 1.0.154 with
//! `float_roundtrip`), its error messages, and their line and column.
//!
//! Why not serde_json's reader: serde's `Deserializer` is built once per
//! kind of reader and again for each type it reads, and its exact float code
//! (`float_roundtrip`) is a large table-driven parser of its own. Together
//! they were 24 KB of the 244 KB (gzipped) module a matching page
//! downloads, measured by taking them out (docs/performance.md). Here one
//! walk serves every reader of JSON text in the crate, numbers go through
//! [`super::float`] (correctly rounded, as serde_json's exact reader and
//! core's parser are), and serde_json keeps what it is used for: `Value`,
//! `Map`, `Number` and writing text.
//!
//! Why its answers are serde_json's: every caller used to read through
//! serde_json, and tests and users see its messages. The walk below follows
//! the structure of serde_json's `de.rs` and `read.rs` so that each error is
//! raised at the same place, with the same position rule: `error` points at
//! the last byte read, `peek_error` at the byte looked at. The native test
//! `tests/json_parser.rs` holds the two to the same answer (value, number
//! kind, message, line and column) over generated and broken documents of
//! its own.

use serde_json::{Map, Number, Value};

/// What went wrong, worded as serde_json words it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    EofWhileParsingList,
    EofWhileParsingObject,
    EofWhileParsingString,
    EofWhileParsingValue,
    ExpectedColon,
    ExpectedListCommaOrEnd,
    ExpectedObjectCommaOrEnd,
    ExpectedSomeIdent,
    ExpectedSomeValue,
    InvalidEscape,
    InvalidNumber,
    NumberOutOfRange,
    InvalidUnicodeCodePoint,
    ControlCharacterWhileParsingString,
    KeyMustBeAString,
    LoneLeadingSurrogateInHexEscape,
    TrailingComma,
    TrailingCharacters,
    UnexpectedEndOfHexEscape,
    RecursionLimitExceeded,
}

impl Syntax {
    fn message(self) -> &'static str {
        match self {
            Syntax::EofWhileParsingList => "EOF while parsing a list",
            Syntax::EofWhileParsingObject => "EOF while parsing an object",
            Syntax::EofWhileParsingString => "EOF while parsing a string",
            Syntax::EofWhileParsingValue => "EOF while parsing a value",
            Syntax::ExpectedColon => "expected `:`",
            Syntax::ExpectedListCommaOrEnd => "expected `,` or `]`",
            Syntax::ExpectedObjectCommaOrEnd => "expected `,` or `}`",
            Syntax::ExpectedSomeIdent => "expected ident",
            Syntax::ExpectedSomeValue => "expected value",
            Syntax::InvalidEscape => "invalid escape",
            Syntax::InvalidNumber => "invalid number",
            Syntax::NumberOutOfRange => "number out of range",
            Syntax::InvalidUnicodeCodePoint => "invalid unicode code point",
            Syntax::ControlCharacterWhileParsingString => {
                "control character (\\u0000-\\u001F) found while parsing a string"
            }
            Syntax::KeyMustBeAString => "key must be a string",
            Syntax::LoneLeadingSurrogateInHexEscape => "lone leading surrogate in hex escape",
            Syntax::TrailingComma => "trailing comma",
            Syntax::TrailingCharacters => "trailing characters",
            Syntax::UnexpectedEndOfHexEscape => "unexpected end of hex escape",
            Syntax::RecursionLimitExceeded => "recursion limit exceeded",
        }
    }
}

/// A syntax error: what, and where (1-based line; column in bytes from
/// the line's start, as serde_json counts it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub kind: Syntax,
    pub line: usize,
    pub column: usize,
}

impl SyntaxError {
    /// What went wrong, without the place.
    pub fn message(&self) -> &'static str {
        self.kind.message()
    }
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.kind.message(),
            self.line,
            self.column
        )
    }
}

/// One JSON document, whole, as a tree.
pub fn value(bytes: &[u8]) -> Result<Value, SyntaxError> {
    let mut p = Parser::new(bytes);
    let v = p.any(&mut Tree)?;
    p.end()?;
    Ok(v)
}

/// Is `bytes` one JSON document? Validated as [`value`] validates it
/// (strings decoded, numbers read), without building anything.
pub fn check(bytes: &[u8]) -> Result<(), SyntaxError> {
    let mut p = Parser::new(bytes);
    p.any(&mut Check)?;
    p.end()
}

/// Documents one after another (serde_json's `StreamDeserializer`):
/// whitespace between them, and none needed after a document that ends in
/// a bracket or a quote. It stops at its first error (serde_json's goes on
/// after some of them; `preview`, its one reader, stops there too).
pub struct Documents<'a> {
    p: Parser<'a>,
    offset: usize,
    failed: bool,
}

impl<'a> Documents<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Documents {
            p: Parser::new(bytes),
            offset: 0,
            failed: false,
        }
    }

    /// Where the last document read ends (or the input, after the last).
    pub fn byte_offset(&self) -> usize {
        self.offset
    }
}

impl Iterator for Documents<'_> {
    type Item = Result<(), SyntaxError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let Some(first) = self.p.ws() else {
            self.offset = self.p.i;
            return None;
        };
        let delimited = matches!(first, b'[' | b'"' | b'{');
        self.offset = self.p.i;
        let result = self.p.any(&mut Check).and_then(|()| {
            self.offset = self.p.i;
            match self.p.peek() {
                Some(b) if !delimited && !ends_a_value(b) => {
                    Err(self.p.peek_error(Syntax::TrailingCharacters))
                }
                _ => Ok(()),
            }
        });
        self.failed = result.is_err();
        Some(result)
    }
}

/// A byte that may follow a number or a literal in a stream of documents.
fn ends_a_value(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\n' | b'\t' | b'\r' | b'"' | b'[' | b']' | b'{' | b'}' | b',' | b':'
    )
}

/// The value of a number whose text is valid JSON (`-?int(.frac)?(e…)?`),
/// or `None` where serde_json refuses it (beyond `f64`). The event
/// scanner's numbers read through here.
pub fn number(text: &str) -> Option<Number> {
    let mut p = Parser::new(text.as_bytes());
    match p.any(&mut Tree) {
        Ok(Value::Number(n)) if p.i == text.len() => Some(n),
        _ => None,
    }
}

/// The value of a string whose text, quotes included, is valid JSON, or
/// `None` where serde_json refuses it. The event scanner's strings with
/// escapes read through here.
pub fn string(text: &str) -> Option<String> {
    let mut p = Parser::new(text.as_bytes());
    p.i = 1;
    let s = p.string().ok()?.to_owned();
    (p.i == text.len()).then_some(s)
}

/// What a walk builds: a tree, or nothing (a check).
trait Build {
    type Out;
    type Array;
    type Object;
    fn null(&mut self) -> Self::Out;
    fn bool(&mut self, b: bool) -> Self::Out;
    fn number(&mut self, n: Number) -> Self::Out;
    fn string(&mut self, s: &str) -> Self::Out;
    fn array(&mut self) -> Self::Array;
    fn push(&mut self, a: &mut Self::Array, v: Self::Out);
    fn end_array(&mut self, a: Self::Array) -> Self::Out;
    fn object(&mut self) -> Self::Object;
    fn insert(&mut self, o: &mut Self::Object, k: &str, v: Self::Out);
    fn end_object(&mut self, o: Self::Object) -> Self::Out;
}

struct Tree;

impl Build for Tree {
    type Out = Value;
    type Array = Vec<Value>;
    type Object = Map<String, Value>;
    fn null(&mut self) -> Value {
        Value::Null
    }
    fn bool(&mut self, b: bool) -> Value {
        Value::Bool(b)
    }
    fn number(&mut self, n: Number) -> Value {
        Value::Number(n)
    }
    fn string(&mut self, s: &str) -> Value {
        Value::String(s.to_owned())
    }
    fn array(&mut self) -> Vec<Value> {
        Vec::new()
    }
    fn push(&mut self, a: &mut Vec<Value>, v: Value) {
        a.push(v);
    }
    fn end_array(&mut self, a: Vec<Value>) -> Value {
        Value::Array(a)
    }
    fn object(&mut self) -> Map<String, Value> {
        Map::new()
    }
    /// A repeated key: the last value wins, in the first one's place (as
    /// serde_json's `preserve_order` map inserts).
    fn insert(&mut self, o: &mut Map<String, Value>, k: &str, v: Value) {
        o.insert(k.to_owned(), v);
    }
    fn end_object(&mut self, o: Map<String, Value>) -> Value {
        Value::Object(o)
    }
}

struct Check;

impl Build for Check {
    type Out = ();
    type Array = ();
    type Object = ();
    fn null(&mut self) {}
    fn bool(&mut self, _: bool) {}
    fn number(&mut self, _: Number) {}
    fn string(&mut self, _: &str) {}
    fn array(&mut self) {}
    fn push(&mut self, _: &mut (), _: ()) {}
    fn end_array(&mut self, _: ()) {}
    fn object(&mut self) {}
    fn insert(&mut self, _: &mut (), _: &str, _: ()) {}
    fn end_object(&mut self, _: ()) {}
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
    depth_left: usize,
    /// A string's decoded bytes when it holds an escape.
    scratch: Vec<u8>,
}

impl<'a> Parser<'a> {
    fn new(b: &'a [u8]) -> Self {
        Parser {
            b,
            i: 0,
            // serde_json's recursion limit: the 128th open bracket is refused.
            depth_left: super::MAX_DEPTH,
            scratch: Vec::new(),
        }
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline]
    fn next_byte(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }

    /// serde_json's position of byte offset `at`: the line it is on, and
    /// how many bytes of that line come before it.
    #[cold]
    fn at(&self, kind: Syntax, at: usize) -> SyntaxError {
        let before = self.b.get(..at).unwrap_or(self.b);
        let line_start = memchr::memrchr(b'\n', before).map_or(0, |n| n + 1);
        SyntaxError {
            kind,
            line: 1 + memchr::memchr_iter(b'\n', before.get(..line_start).unwrap_or(&[])).count(),
            column: at - line_start,
        }
    }

    /// An error at the byte last read.
    #[cold]
    fn error(&self, kind: Syntax) -> SyntaxError {
        self.at(kind, self.i)
    }

    /// An error at the byte looked at, not yet read.
    #[cold]
    fn peek_error(&self, kind: Syntax) -> SyntaxError {
        self.at(kind, (self.i + 1).min(self.b.len()))
    }

    /// Pass whitespace; the next byte, not read.
    #[inline]
    fn ws(&mut self) -> Option<u8> {
        loop {
            match self.peek() {
                Some(b' ' | b'\n' | b'\t' | b'\r') => self.i += 1,
                other => return other,
            }
        }
    }

    /// Only whitespace may follow the document.
    fn end(&mut self) -> Result<(), SyntaxError> {
        match self.ws() {
            Some(_) => Err(self.peek_error(Syntax::TrailingCharacters)),
            None => Ok(()),
        }
    }

    fn any<B: Build>(&mut self, build: &mut B) -> Result<B::Out, SyntaxError> {
        let Some(peek) = self.ws() else {
            return Err(self.peek_error(Syntax::EofWhileParsingValue));
        };
        match peek {
            b'n' => {
                self.i += 1;
                self.ident(b"ull")?;
                Ok(build.null())
            }
            b't' => {
                self.i += 1;
                self.ident(b"rue")?;
                Ok(build.bool(true))
            }
            b'f' => {
                self.i += 1;
                self.ident(b"alse")?;
                Ok(build.bool(false))
            }
            b'-' => {
                self.i += 1;
                let n = self.integer(false)?;
                Ok(build.number(n))
            }
            b'0'..=b'9' => {
                let n = self.integer(true)?;
                Ok(build.number(n))
            }
            b'"' => {
                self.i += 1;
                let s = self.string()?;
                Ok(build.string(s))
            }
            b'[' => {
                self.descend()?;
                self.i += 1;
                let out = self.array(build);
                self.depth_left += 1;
                let out = out?;
                // The array's walk stopped at its `]`.
                self.i += 1;
                Ok(out)
            }
            b'{' => {
                self.descend()?;
                self.i += 1;
                let out = self.object(build);
                self.depth_left += 1;
                let out = out?;
                self.i += 1;
                Ok(out)
            }
            _ => Err(self.peek_error(Syntax::ExpectedSomeValue)),
        }
    }

    fn descend(&mut self) -> Result<(), SyntaxError> {
        self.depth_left -= 1;
        if self.depth_left == 0 {
            // Not given back: the walk ends at this error.
            return Err(self.peek_error(Syntax::RecursionLimitExceeded));
        }
        Ok(())
    }

    fn ident(&mut self, rest: &[u8]) -> Result<(), SyntaxError> {
        for expected in rest {
            match self.next_byte() {
                None => return Err(self.error(Syntax::EofWhileParsingValue)),
                Some(c) if c != *expected => return Err(self.error(Syntax::ExpectedSomeIdent)),
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// The members of an array, after its `[`, up to its `]` (not read).
    fn array<B: Build>(&mut self, build: &mut B) -> Result<B::Out, SyntaxError> {
        let mut out = build.array();
        let mut first = true;
        loop {
            let Some(peek) = self.ws() else {
                return Err(self.peek_error(Syntax::EofWhileParsingList));
            };
            if peek == b']' {
                return Ok(build.end_array(out));
            }
            if first {
                first = false;
            } else if peek == b',' {
                self.i += 1;
                match self.ws() {
                    Some(b']') => return Err(self.peek_error(Syntax::TrailingComma)),
                    Some(_) => {}
                    None => return Err(self.peek_error(Syntax::EofWhileParsingValue)),
                }
            } else {
                return Err(self.peek_error(Syntax::ExpectedListCommaOrEnd));
            }
            let v = self.any(build)?;
            build.push(&mut out, v);
        }
    }

    /// The members of an object, after its `{`, up to its `}` (not read).
    fn object<B: Build>(&mut self, build: &mut B) -> Result<B::Out, SyntaxError> {
        let mut out = build.object();
        let mut first = true;
        loop {
            let Some(peek) = self.ws() else {
                return Err(self.peek_error(Syntax::EofWhileParsingObject));
            };
            if peek == b'}' {
                return Ok(build.end_object(out));
            }
            if first {
                first = false;
                if peek != b'"' {
                    return Err(self.peek_error(Syntax::KeyMustBeAString));
                }
            } else if peek == b',' {
                self.i += 1;
                match self.ws() {
                    Some(b'"') => {}
                    Some(b'}') => return Err(self.peek_error(Syntax::TrailingComma)),
                    Some(_) => return Err(self.peek_error(Syntax::KeyMustBeAString)),
                    None => return Err(self.peek_error(Syntax::EofWhileParsingValue)),
                }
            } else {
                return Err(self.peek_error(Syntax::ExpectedObjectCommaOrEnd));
            }
            self.i += 1;
            let key = self.string()?.to_owned();
            match self.ws() {
                Some(b':') => self.i += 1,
                Some(_) => return Err(self.peek_error(Syntax::ExpectedColon)),
                None => return Err(self.peek_error(Syntax::EofWhileParsingObject)),
            }
            let v = self.any(build)?;
            build.insert(&mut out, &key, v);
        }
    }

    /// A string's value, after its opening quote, through its closing one.
    /// Borrowed from the input when it has no escape.
    fn string(&mut self) -> Result<&str, SyntaxError> {
        self.scratch.clear();
        let mut start = self.i;
        loop {
            while let Some(&c) = self.b.get(self.i) {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.i += 1;
            }
            let Some(c) = self.peek() else {
                return Err(self.error(Syntax::EofWhileParsingString));
            };
            match c {
                b'"' => {
                    let raw = self.b.get(start..self.i).unwrap_or_default();
                    self.i += 1;
                    let bytes = if self.scratch.is_empty() {
                        raw
                    } else {
                        self.scratch.extend_from_slice(raw);
                        &self.scratch
                    };
                    return match std::str::from_utf8(bytes) {
                        Ok(s) => Ok(s),
                        Err(e) => {
                            // Back from the closing quote to the first bad
                            // byte (approximate after an escape, as serde_json).
                            let mut err = self.error(Syntax::InvalidUnicodeCodePoint);
                            err.column = err.column.saturating_sub(bytes.len() - e.valid_up_to());
                            Err(err)
                        }
                    };
                }
                b'\\' => {
                    let raw = self.b.get(start..self.i).unwrap_or_default();
                    self.scratch.extend_from_slice(raw);
                    self.i += 1;
                    self.escape()?;
                    start = self.i;
                }
                _ => {
                    self.i += 1;
                    return Err(self.error(Syntax::ControlCharacterWhileParsingString));
                }
            }
        }
    }

    /// One escape, after its backslash, decoded onto the scratch bytes.
    fn escape(&mut self) -> Result<(), SyntaxError> {
        let Some(c) = self.next_byte() else {
            return Err(self.error(Syntax::EofWhileParsingString));
        };
        let plain = match c {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => return self.unicode_escape(),
            _ => return Err(self.error(Syntax::InvalidEscape)),
        };
        self.scratch.push(plain);
        Ok(())
    }

    /// `\uXXXX`, after its `u`: a character, or a surrogate pair spelled as
    /// two escapes. A surrogate alone is refused (a string is UTF-8).
    fn unicode_escape(&mut self) -> Result<(), SyntaxError> {
        let n = self.hex4()?;
        if (0xDC00..=0xDFFF).contains(&n) {
            return Err(self.error(Syntax::LoneLeadingSurrogateInHexEscape));
        }
        let c = if (0xD800..=0xDBFF).contains(&n) {
            for expected in [b'\\', b'u'] {
                match self.peek() {
                    None => return Err(self.error(Syntax::EofWhileParsingString)),
                    Some(c) => {
                        self.i += 1;
                        if c != expected {
                            return Err(self.error(Syntax::UnexpectedEndOfHexEscape));
                        }
                    }
                }
            }
            let n2 = self.hex4()?;
            if !(0xDC00..=0xDFFF).contains(&n2) {
                return Err(self.error(Syntax::LoneLeadingSurrogateInHexEscape));
            }
            0x1_0000 + (((n - 0xD800) << 10) | (n2 - 0xDC00))
        } else {
            n
        };
        let c = char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER);
        let mut utf8 = [0; 4];
        self.scratch
            .extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let Some(digits) = self.b.get(self.i..self.i + 4) else {
            self.i = self.b.len();
            return Err(self.error(Syntax::EofWhileParsingString));
        };
        self.i += 4;
        let mut n = 0;
        for d in digits {
            match char::from(*d).to_digit(16) {
                Some(v) => n = n * 16 + v,
                None => return Err(self.error(Syntax::InvalidEscape)),
            }
        }
        Ok(n)
    }

    /// A number, after its sign: the grammar walked as serde_json walks it
    /// (for its errors and their places), the value read from the text.
    fn integer(&mut self, positive: bool) -> Result<Number, SyntaxError> {
        let start = if positive { self.i } else { self.i - 1 };
        let Some(first) = self.next_byte() else {
            return Err(self.error(Syntax::EofWhileParsingValue));
        };
        match first {
            b'0' => {
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.peek_error(Syntax::InvalidNumber));
                }
            }
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return Err(self.error(Syntax::InvalidNumber)),
        }
        let mantissa_end = self.i;
        let mut float = false;
        if self.peek() == Some(b'.') {
            float = true;
            self.i += 1;
            if self.digits() == 0 {
                return Err(match self.peek() {
                    Some(_) => self.peek_error(Syntax::InvalidNumber),
                    None => self.peek_error(Syntax::EofWhileParsingValue),
                });
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            let digits = self.b.get(start..self.i).unwrap_or_default();
            let zero = digits.iter().all(|d| matches!(d, b'0' | b'.' | b'-'));
            if self.exponent(zero)? {
                // An exponent past `i32`: zero, or (refused above) infinity.
                return Ok(Number::from_f64(if positive { 0.0 } else { -0.0 })
                    .unwrap_or_else(|| Number::from(0u64)));
            }
            float = true;
        }
        if !float {
            let digits = self.b.get(start + usize::from(!positive)..mantissa_end);
            let magnitude = digits
                .and_then(|d| std::str::from_utf8(d).ok())
                .and_then(|d| d.parse::<u64>().ok());
            if let Some(m) = magnitude {
                if positive {
                    return Ok(Number::from(m));
                }
                let neg = (m as i64).wrapping_neg();
                // `-0` and magnitudes past `i64` are floats, as serde_json has them.
                if neg < 0 {
                    return Ok(Number::from(neg));
                }
                return Number::from_f64(-(m as f64))
                    .ok_or_else(|| self.error(Syntax::NumberOutOfRange));
            }
        }
        let text = self.b.get(start..self.i).unwrap_or_default();
        match Number::from_f64(super::float::parse(text)) {
            Some(n) => Ok(n),
            None => Err(self.error(Syntax::NumberOutOfRange)),
        }
    }

    /// Pass digits; how many.
    fn digits(&mut self) -> usize {
        let start = self.i;
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        self.i - start
    }

    /// An exponent, at its `e`. `Ok(true)` when it overflows `i32` and the
    /// number is zero (a mantissa of zeros, or a negative exponent); a
    /// positive one past `i32` on a mantissa that is not zero is out of
    /// range, refused at the digit that overflows, as serde_json refuses it.
    fn exponent(&mut self, zero_mantissa: bool) -> Result<bool, SyntaxError> {
        self.i += 1;
        let positive = match self.peek() {
            Some(b'+') => {
                self.i += 1;
                true
            }
            Some(b'-') => {
                self.i += 1;
                false
            }
            _ => true,
        };
        let mut exp: i32 = match self.next_byte() {
            None => return Err(self.error(Syntax::EofWhileParsingValue)),
            Some(c @ b'0'..=b'9') => i32::from(c - b'0'),
            Some(_) => return Err(self.error(Syntax::InvalidNumber)),
        };
        while let Some(c @ b'0'..=b'9') = self.peek() {
            self.i += 1;
            match exp
                .checked_mul(10)
                .and_then(|e| e.checked_add(i32::from(c - b'0')))
            {
                Some(e) => exp = e,
                None => {
                    if !zero_mantissa && positive {
                        return Err(self.error(Syntax::NumberOutOfRange));
                    }
                    self.digits();
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }
}
