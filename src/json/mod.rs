//! JSON input with limits: size is checked before parsing, nesting is bounded
//! by the reader's recursion limit (serde_json's, 128), and syntax errors
//! carry line/column. [`parser`] reads text, [`float`] numbers.

pub mod float;
pub mod parser;

use crate::error::{Code, Error};
use parser::SyntaxError;
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A value as compact JSON text: what `Value`'s `Display` writes, through
/// the one serializer the crate builds (`serde_json::to_string`, writing
/// into a `Vec<u8>`). `Display` goes through a `fmt::Write` adaptor, a
/// second copy of the serializer and of `Value`'s `Serialize` in the wasm.
pub fn text(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// Default largest input accepted by any API, in bytes (256 MiB): a day of
/// events fits; a runaway upload gets `too_large` instead of exhausting memory.
pub const DEFAULT_MAX_INPUT_BYTES: usize = 256 * 1024 * 1024;

/// Deepest nesting accepted. This is serde_json's own recursion limit; deeper
/// documents are rejected with `invalid_json` instead of overflowing the stack.
pub const MAX_DEPTH: usize = 128;

/// A process-wide byte limit that `0` restores to its default.
struct Limit {
    now: AtomicUsize,
    default: usize,
}

impl Limit {
    const fn new(default: usize) -> Limit {
        Limit {
            now: AtomicUsize::new(default),
            default,
        }
    }

    fn set(&self, limit: usize) {
        let limit = if limit == 0 { self.default } else { limit };
        self.now.store(limit, Ordering::Relaxed);
    }

    fn get(&self) -> usize {
        self.now.load(Ordering::Relaxed)
    }
}

static MAX_INPUT_BYTES: Limit = Limit::new(DEFAULT_MAX_INPUT_BYTES);

/// Default largest document read whole into a tree (specs, and events for
/// `explain` and `deliver`), in bytes (32 MiB). A tree costs many times its
/// text: `[0,0,…]` of 65 MB ran the wasm out of memory (4 GiB) inside the
/// 256 MiB input limit, and the page kept the memory afterwards; 32 MiB of
/// it peaks near 0.5 GiB. The streaming calls (`matches` of text,
/// `preview`) read only what filters need and keep [`DEFAULT_MAX_INPUT_BYTES`].
pub const DEFAULT_MAX_TREE_BYTES: usize = 32 * 1024 * 1024;

static MAX_TREE_BYTES: Limit = Limit::new(DEFAULT_MAX_TREE_BYTES);

/// Set the largest document read whole (bytes). `0` restores the default.
pub fn set_max_tree_bytes(limit: usize) {
    MAX_TREE_BYTES.set(limit);
}

pub fn max_tree_bytes() -> usize {
    MAX_TREE_BYTES.get()
}

/// Set the largest input accepted (bytes). `0` restores the default.
pub fn set_max_input_bytes(limit: usize) {
    MAX_INPUT_BYTES.set(limit);
}

pub fn max_input_bytes() -> usize {
    MAX_INPUT_BYTES.get()
}

/// Fail with `too_large` when `len` is above the limit.
pub fn check_size(len: usize, what: &str) -> Result<(), Error> {
    let max = max_input_bytes();
    if len > max {
        return Err(Error::new(
            Code::TooLarge,
            format!("{what} is {len} bytes, above the limit of {max} bytes (see setLimits)"),
        ));
    }
    Ok(())
}

/// `obj.get(key)`, by a scan of the keys when the object is small (as specs
/// and their filters are): in wasm, hashing a key for the map's index cost
/// more than comparing a handful of short keys. Keys are unique, so the
/// answer is the same.
#[inline]
pub fn field<'a>(obj: &'a serde_json::Map<String, Value>, key: &str) -> Option<&'a Value> {
    if obj.len() <= 16 {
        obj.iter().find_map(|(k, v)| (k == key).then_some(v))
    } else {
        obj.get(key)
    }
}

/// Parse one JSON document from bytes into a tree (UTF-8 is checked by
/// the reader), within the input limit and the tree limit.
pub fn parse(bytes: &[u8], what: &str) -> Result<Value, Error> {
    check_size(bytes.len(), what)?;
    let max = max_tree_bytes();
    if bytes.len() > max {
        return Err(Error::new(
            Code::TooLarge,
            format!(
                "{what} is {} bytes, above the limit of {max} bytes for a document read whole (setLimits' maxTreeBytes; matches and preview read larger inputs as they stream)",
                bytes.len()
            ),
        ));
    }
    parse_flat(bytes, what)
}

/// [`parse`] within the input limit only, for a document that is mostly
/// one string (a delivery's body: its tree costs what its text does).
pub fn parse_flat(bytes: &[u8], what: &str) -> Result<Value, Error> {
    check_size(bytes.len(), what)?;
    parser::value(bytes).map_err(|e| syntax_error(&e, what))
}

/// Sixteen bytes as one SIMD vector, built lane by lane from a checked
/// array (the crate denies raw-pointer code outside src/wasm/): at
/// opt-level 3 LLVM folds the lanes into the one unaligned `v128.load`
/// that the raw-pointer `v128_load` gives (checked in the emitted code).
/// The scanner's string skip and [`is_ascii`] read through it.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline]
pub(crate) fn v128_of(c: &[u8; 16]) -> core::arch::wasm32::v128 {
    core::arch::wasm32::u8x16(
        c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13],
        c[14], c[15],
    )
}

/// Whether every byte is below 0x80: sixteen bytes a step with wasm SIMD
/// (core's `is_ascii` works a machine word, four bytes, at a time on
/// wasm32). ASCII is UTF-8, so the binding takes such text without
/// validating it again: for an event that crossed as a JS string,
/// `encodeInto` wrote it and most events are ASCII, and simdutf8's
/// validation was 5% of `matches` of a 281-byte event in Node (765 → 728 ns
/// a call without it, docs/performance.md).
pub fn is_ascii(bytes: &[u8]) -> bool {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::{u8x16_bitmask, u8x16_splat, v128_or};
        let mut chunks = bytes.chunks_exact(16);
        let mut any = u8x16_splat(0);
        for c in &mut chunks {
            let Some(c) = c.first_chunk::<16>() else {
                return false;
            };
            any = v128_or(any, v128_of(c));
        }
        // The high bit of each lane: set where a byte is 0x80 or above.
        u8x16_bitmask(any) == 0 && chunks.remainder().is_ascii()
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    bytes.is_ascii()
}

/// The input as text, or `invalid_json` at the first byte that is not UTF-8
/// (what a full parse of the bytes reports, with its line and column).
pub fn utf8<'a>(bytes: &'a [u8], what: &str) -> Result<&'a str, Error> {
    check_size(bytes.len(), what)?;
    // simdutf8 reads 64 bytes a step with wasm SIMD where core reads
    // eight; only an invalid input takes core's second pass for the place.
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Ok(text);
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let before = bytes.get(..at).unwrap_or(bytes);
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let column = at
            - before
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |i| i + 1)
            + 1;
        let mut err = Error::new(
            Code::InvalidJson,
            format!("{what} is not valid JSON: invalid UTF-8 at line {line} column {column}"),
        );
        err.line = Some(to_u32(line));
        err.column = Some(to_u32(column));
        err
    })
}

/// Turn a syntax error into `invalid_json` with line and column.
pub fn syntax_error(e: &SyntaxError, what: &str) -> Error {
    // The parser says "recursion limit exceeded"; say what the limit is.
    let detail = if e.kind == parser::Syntax::RecursionLimitExceeded {
        format!(
            "nesting deeper than {MAX_DEPTH} levels at line {} column {}",
            e.line, e.column
        )
    } else {
        e.to_string()
    };
    let mut err = Error::new(
        Code::InvalidJson,
        format!("{what} is not valid JSON: {detail}"),
    );
    err.line = Some(to_u32(e.line));
    err.column = Some(to_u32(e.column));
    err
}

/// An error inside one NDJSON line: the line number is the batch's, so say
/// only the column.
pub fn line_syntax_error(e: &SyntaxError, line: usize) -> Error {
    let head = e.message();
    let mut err = Error::new(
        Code::InvalidJson,
        format!(
            "line {line} is not valid JSON: {head} at column {}",
            e.column
        ),
    );
    err.line = Some(to_u32(line));
    err.column = Some(to_u32(e.column));
    err
}

/// Positions past 4 GiB cannot occur under the input size limit; saturate anyway.
pub fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_have_line_and_column() {
        let err = parse(b"{\n  \"a\": ,\n}", "spec").unwrap_err();
        assert_eq!(err.kind, Code::InvalidJson);
        assert_eq!(err.line, Some(2));
        assert!(err.column.is_some());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        let err = parse(deep.as_bytes(), "event").unwrap_err();
        assert!(
            err.message.contains("nesting deeper than 128"),
            "{}",
            err.message
        );
    }

    #[test]
    fn invalid_utf8_is_rejected() {
        let err = parse(b"{\"a\":\"\xff\"}", "event").unwrap_err();
        assert_eq!(err.kind, Code::InvalidJson);
    }
}
