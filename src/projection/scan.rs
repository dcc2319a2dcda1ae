//! The hand-written fast path of [`crate::projection::parse`]: one pass over
//! the text that validates every byte and builds only the values a
//! [`Projection`] names.
//!
//! Going through serde's `Deserializer` costs a decoded copy of every
//! skipped string and a visitor call per token; this scanner skips plain
//! string bytes eight at a time and never copies what it skips. It accepts
//! exactly what [`crate::json::parser`] accepts (serde_json's answers: the
//! same nesting limit, numbers refused past `f64`, escapes decoded by the
//! parser's own functions) and answers `None` for anything else; the
//! caller then asks the parser to word the error. So the fast path changes
//! how fast a document is read, never whether it is accepted or what it
//! holds.

use super::paths::Projection;
use crate::event::Node;
use serde_json::Value;

/// Nesting refused here: the 128th open bracket, as serde_json refuses it
/// (`json::MAX_DEPTH`).
const MAX_DEPTH: usize = crate::json::MAX_DEPTH;

/// The projected value of `text`, or `None` when it is not JSON.
pub(crate) fn project<'p>(text: &str, p: &'p Projection) -> Option<Node<'p>> {
    let mut s = Scanner::new(text);
    s.ws();
    let v = s.value(p)?;
    s.ws();
    (s.i == s.b.len()).then_some(v)
}

struct Scanner<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
    depth: usize,
}

/// The bytes of `w` that need a look (`"`, `\` or a control byte), as the
/// high bit of each such byte lane; the lowest set lane is exact. (The
/// classic SWAR "has zero byte" and "has byte less than" tests.)
#[inline]
fn special_lanes(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let less_than_space = w.wrapping_sub(ONES * 0x20) & !w;
    let q = w ^ (ONES * u64::from(b'"'));
    let quote = q.wrapping_sub(ONES) & !q;
    let s = w ^ (ONES * u64::from(b'\\'));
    let backslash = s.wrapping_sub(ONES) & !s;
    (less_than_space | quote | backslash) & HIGHS
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd {
    use core::arch::wasm32::{u8x16_bitmask, u8x16_eq, u8x16_lt, u8x16_splat, v128_or};

    /// The offset of the first `"`, `\` or control byte of a 16-byte chunk.
    #[inline]
    pub fn first_special(chunk: &[u8]) -> Option<usize> {
        let Some(c) = chunk.first_chunk::<16>() else {
            return Some(0);
        };
        let v = crate::json::v128_of(c);
        let special = v128_or(
            v128_or(
                u8x16_eq(v, u8x16_splat(b'"')),
                u8x16_eq(v, u8x16_splat(b'\\')),
            ),
            u8x16_lt(v, u8x16_splat(0x20)),
        );
        match u8x16_bitmask(special) {
            0 => None,
            mask => Some(mask.trailing_zeros() as usize),
        }
    }
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        Scanner {
            text,
            b: text.as_bytes(),
            i: 0,
            depth: 0,
        }
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline]
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    #[inline]
    fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        self.i += 1;
        (self.depth < MAX_DEPTH).then_some(())
    }

    fn value<'p>(&mut self, p: &'p Projection) -> Option<Node<'p>> {
        if p.all {
            return self.whole(&p.constants);
        }
        match (self.peek()?, &p.items) {
            (b'{', _) => self.object(p),
            (b'[', Some(items)) => self.array(items),
            // An array or scalar where an object was expected is kept whole,
            // as the serde path keeps it.
            _ => self.whole(&p.constants),
        }
    }

    /// Validate one value and build it in full. Plain strings and literals
    /// are built here; a plain string equal to one of `constants` (the
    /// strings the plans compare this place with: no escapes, the same
    /// bytes, so the same value) is that constant, not a copy. Numbers and
    /// strings with escapes are read by the parser's own functions, already
    /// validated, so they decode exactly as a full parse.
    fn whole<'p>(&mut self, constants: &'p [Value]) -> Option<Node<'p>> {
        let start = self.i;
        let whole = |v| Some(Node::Whole(v));
        match self.peek()? {
            b'"' => {
                let escaped = self.string()?;
                if !escaped {
                    let raw = self.text.get(start + 1..self.i - 1)?;
                    let shared = constants
                        .iter()
                        .find(|c| c.as_str().is_some_and(|c| crate::event::same_key(c, raw)));
                    return match shared {
                        Some(shared) => Some(Node::Shared(shared)),
                        None => whole(Value::String(raw.to_owned())),
                    };
                }
                return crate::json::parser::string(self.text.get(start..self.i)?)
                    .map(|s| Node::Whole(Value::String(s)));
            }
            b't' => {
                return self
                    .literal(b"true")
                    .and_then(|()| whole(Value::Bool(true)))
            }
            b'f' => {
                return self
                    .literal(b"false")
                    .and_then(|()| whole(Value::Bool(false)))
            }
            b'n' => return self.literal(b"null").and_then(|()| whole(Value::Null)),
            _ => self.skip()?,
        }
        match self.b.get(start)? {
            b'-' | b'0'..=b'9' => crate::json::parser::number(self.text.get(start..self.i)?)
                .map(|n| Node::Whole(Value::Number(n))),
            // An array or object kept whole: the parser builds it.
            _ => crate::json::parser::value(self.text.get(start..self.i)?.as_bytes())
                .ok()
                .map(Node::Whole),
        }
    }

    fn object<'p>(&mut self, p: &'p Projection) -> Option<Node<'p>> {
        self.enter()?;
        self.ws();
        let mut out: Vec<(&'p str, Node<'p>)> = Vec::with_capacity(p.len().min(16));
        if self.peek()? == b'}' {
            self.i += 1;
        } else {
            loop {
                let child = self.key(p)?;
                self.ws();
                self.eat(b':')?;
                self.ws();
                match child {
                    Some((key, child)) => {
                        let v = self.value(child)?;
                        // A repeated key: the last one wins, as in a full parse.
                        // Keys are borrowed from the projection, one string
                        // per kept key: the same key is the same pointer.
                        match out.iter_mut().find(|(k, _)| std::ptr::eq(*k, key.as_str())) {
                            Some(slot) => slot.1 = v,
                            None => out.push((key.as_str(), v)),
                        }
                    }
                    None => self.skip()?,
                }
                if self.after_item(b'}')? {
                    break;
                }
            }
        }
        self.depth -= 1;
        Some(Node::Object(out))
    }

    /// Read an object key and look it up among the kept ones.
    fn key<'p>(&mut self, p: &'p Projection) -> Option<Option<(&'p String, &'p Projection)>> {
        if self.peek()? != b'"' {
            return None;
        }
        let start = self.i;
        if self.string()? {
            let key = crate::json::parser::string(self.text.get(start..self.i)?)?;
            Some(p.child(&key))
        } else {
            Some(p.child(self.text.get(start + 1..self.i - 1)?))
        }
    }

    fn array<'p>(&mut self, items: &'p Projection) -> Option<Node<'p>> {
        self.enter()?;
        self.ws();
        let mut out = Vec::new();
        if self.peek()? == b']' {
            self.i += 1;
        } else {
            loop {
                out.push(self.value(items)?);
                if self.after_item(b']')? {
                    break;
                }
            }
        }
        self.depth -= 1;
        Some(Node::Array(out))
    }

    /// After a member: `,` (more follow: `Some(false)`) or the closing
    /// bracket (`Some(true)`).
    #[inline]
    fn after_item(&mut self, close: u8) -> Option<bool> {
        self.ws();
        let c = self.peek()?;
        self.i += 1;
        if c == b',' {
            self.ws();
            Some(false)
        } else {
            (c == close).then_some(true)
        }
    }

    /// Validate and pass over one value. Recursion is bounded by `enter`.
    fn skip(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            b'{' => {
                self.enter()?;
                self.ws();
                if self.peek()? == b'}' {
                    self.i += 1;
                } else {
                    loop {
                        if self.peek()? != b'"' {
                            return None;
                        }
                        self.string()?;
                        self.ws();
                        self.eat(b':')?;
                        self.ws();
                        self.skip()?;
                        if self.after_item(b'}')? {
                            break;
                        }
                    }
                }
                self.depth -= 1;
                Some(())
            }
            b'[' => {
                self.enter()?;
                self.ws();
                if self.peek()? == b']' {
                    self.i += 1;
                } else {
                    loop {
                        self.skip()?;
                        if self.after_item(b']')? {
                            break;
                        }
                    }
                }
                self.depth -= 1;
                Some(())
            }
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.i + word.len();
        (self.b.get(self.i..end)? == word).then(|| self.i = end)
    }

    /// Pass over a string starting at its quote; `Some(true)` when it holds
    /// an escape (so its text is not its value).
    fn string(&mut self) -> Option<bool> {
        self.i += 1;
        let mut escaped = false;
        loop {
            self.skip_plain();
            let c = self.peek()?;
            self.i += 1;
            match c {
                b'"' => return Some(escaped),
                b'\\' => {
                    escaped = true;
                    self.escape()?;
                }
                // serde_json rejects raw control characters in strings.
                0..=0x1f => return None,
                _ => {}
            }
        }
    }

    /// Move to the next byte of a string that needs a look (or near the
    /// end of the input): sixteen bytes at a time with wasm SIMD, else
    /// eight through SWAR.
    #[inline]
    fn skip_plain(&mut self) {
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        while let Some(chunk) = self.b.get(self.i..self.i + 16) {
            match simd::first_special(chunk) {
                Some(k) => {
                    self.i += k;
                    return;
                }
                None => self.i += 16,
            }
        }
        while let Some(chunk) = self.b.get(self.i..self.i + 8) {
            let Ok(bytes) = <[u8; 8]>::try_from(chunk) else {
                return;
            };
            let lanes = special_lanes(u64::from_le_bytes(bytes));
            if lanes != 0 {
                self.i += (lanes.trailing_zeros() / 8) as usize;
                return;
            }
            self.i += 8;
        }
    }

    fn escape(&mut self) -> Option<()> {
        let c = self.peek()?;
        self.i += 1;
        match c {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Some(()),
            b'u' => {
                let unit = self.hex4()?;
                match unit {
                    // A trailing surrogate on its own is not a character.
                    0xDC00..=0xDFFF => None,
                    // A leading surrogate must be followed by a trailing one.
                    0xD800..=0xDBFF => {
                        if self.b.get(self.i..self.i + 2)? != b"\\u" {
                            return None;
                        }
                        self.i += 2;
                        (0xDC00..=0xDFFF).contains(&self.hex4()?).then_some(())
                    }
                    _ => Some(()),
                }
            }
            _ => None,
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.b.get(self.i..self.i + 4)?;
        let mut unit = 0;
        for d in digits {
            unit = unit * 16 + char::from(*d).to_digit(16)?;
        }
        self.i += 4;
        Some(unit)
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        self.i - start
    }

    /// Pass over a number. serde_json refuses numbers beyond `f64`; plain
    /// decimals of up to 300 integer digits are always inside it, anything
    /// else is checked by value (`json::float`, correctly rounded: infinite
    /// past the largest `f64`, as serde_json's exact reader refuses it).
    /// An exponent past `i32` is zero or out of range as a value too: the
    /// parser's rule (refused only on a mantissa that is not zero and a
    /// positive exponent) is what `json::float` answers for any number
    /// within the input limit (fewer than 2^31 leading zeros).
    fn number(&mut self) -> Option<()> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        let integer = match self.peek()? {
            b'0' => {
                self.i += 1;
                1
            }
            b'1'..=b'9' => self.digits(),
            _ => return None,
        };
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return None;
            }
        }
        let mut exponent = false;
        if let Some(b'e' | b'E') = self.peek() {
            exponent = true;
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        if !exponent && integer <= 300 {
            return Some(());
        }
        let v = crate::json::float::parse(self.b.get(start..self.i)?);
        v.is_finite().then_some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Validate `text` as one JSON document without building anything; `false`
    /// means "not sure", not "invalid".
    fn is_valid(text: &str) -> bool {
        let mut s = Scanner::new(text);
        s.ws();
        s.skip().is_some() && {
            s.ws();
            s.i == s.b.len()
        }
    }

    #[test]
    fn special_bytes_are_found_in_every_lane() {
        for lane in 0..8 {
            for byte in [b'"', b'\\', 0u8, 0x1f] {
                let mut w = [b'a'; 8];
                w[lane] = byte;
                let lanes = special_lanes(u64::from_le_bytes(w));
                assert_eq!(lanes.trailing_zeros() / 8, lane as u32, "{byte} at {lane}");
            }
            let mut w = [b'a'; 8];
            w[lane] = 0xC3;
            assert_eq!(special_lanes(u64::from_le_bytes(w)), 0);
        }
        assert_eq!(special_lanes(u64::from_le_bytes(*b" !#[]~\x7f\x20")), 0);
        // A special byte after another: the first one is the one reported.
        let two = special_lanes(u64::from_le_bytes(*b"ab\x01\"cdef"));
        assert_eq!(two.trailing_zeros() / 8, 2);
    }

    #[test]
    fn accepts_exactly_what_serde_json_accepts_on_a_table_of_inputs() {
        let everything = Projection::everything();
        let cases = [
            // (text, serde_json accepts, the scanner accepts)
            (
                r#"{"a":[1,2.5,-0,1e3,"x\n\u00e9\ud83d\ude00"],"b":null}"#,
                true,
                true,
            ),
            (r#"  [true,false,null,{}, [] ,""]  "#, true, true),
            (r#"{"a":1,}"#, false, false),
            (r#"[1,]"#, false, false),
            (r#"{"a" 1}"#, false, false),
            (r#"01"#, false, false),
            (r#"1."#, false, false),
            (r#"-"#, false, false),
            (r#".5"#, false, false),
            (r#"1e"#, false, false),
            (r#""\ud800""#, false, false),
            (r#""\udc00""#, false, false),
            (r#""\ud800\u0041""#, false, false),
            (r#""\x""#, false, false),
            ("\"tab\there\"", false, false),
            (r#"1e400"#, false, false),
            (r#"{"a":1} x"#, false, false),
            (r#"tru"#, false, false),
            (r#"nul"#, false, false),
            (r#"{"a":1"#, false, false),
            (r#"1e-400"#, true, true),
            (r#"123456789012345678901234567890"#, true, true),
            // Either side of the largest f64, and exponents past i32.
            (r#"1.7976931348623157e308"#, true, true),
            (r#"1.7976931348623159e308"#, false, false),
            (r#"0e99999999999"#, true, true),
            (r#"1e-99999999999"#, true, true),
            (r#"1e99999999999"#, false, false),
        ];
        for (text, accepted, alone) in cases {
            assert_eq!(
                serde_json::from_str::<Value>(text).is_ok(),
                accepted,
                "{text}"
            );
            let fast = project(text, &everything);
            assert_eq!(fast.is_some(), alone, "{text}");
            assert_eq!(is_valid(text), alone, "{text}");
            if let Some(v) = fast {
                assert_eq!(
                    Some(v.to_value()),
                    serde_json::from_str::<Value>(text).ok(),
                    "{text}"
                );
            }
        }
    }

    /// A kept string equal to one the plan compares it with is read as
    /// the projection's own copy; any other, or the same string spelled
    /// with an escape, is built as before. Either way its value is the
    /// string's (the agreement tests below compare every seed).
    #[test]
    fn a_compared_string_is_shared_not_copied() {
        let mut p = Projection::default();
        p.keep(&["s"]);
        p.share(&["s"], &Value::from("UPDATE"));
        p.share(&["s"], &Value::from(7));
        let kept = |text: &str| {
            let Some(Node::Object(mut members)) = project(text, &p) else {
                panic!("{text}");
            };
            members.pop().map(|(_, n)| n)
        };
        let constant = p.child("s").map(|(_, c)| &c.constants[0]);
        match kept(r#"{"s":"UPDATE"}"#) {
            Some(Node::Shared(v)) => assert!(constant.is_some_and(|c| std::ptr::eq(v, c))),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            kept(r#"{"s":"UPDAT\u0045"}"#),
            Some(Node::Whole(Value::from("UPDATE")))
        );
        assert_eq!(
            kept(r#"{"s":"UPDATED"}"#),
            Some(Node::Whole(Value::from("UPDATED")))
        );
        assert_eq!(kept(r#"{"s":7}"#), Some(Node::Whole(Value::from(7))));
        // Only strings are kept as constants, each once, at most MAX_CONSTANTS.
        assert_eq!(p.child("s").map(|(_, c)| c.constants.len()), Some(1));
        for i in 0..20 {
            p.share(&["s"], &Value::from(format!("v{i}")));
            p.share(&["s"], &Value::from("UPDATE"));
        }
        assert_eq!(
            p.child("s").map(|(_, c)| c.constants.len()),
            Some(crate::projection::paths::MAX_CONSTANTS)
        );
    }

    #[test]
    fn nesting_is_refused_where_serde_json_refuses_it() {
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(!is_valid(&deep));
        let shallow = format!("{}{}", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
        assert!(is_valid(&shallow));
    }

    /// Seed documents: the fixtures' own events, plus escapes and numbers.
    fn seeds() -> Vec<String> {
        let mut out =
            vec![r#"{"a":"\u00e9\"\\","b":[1,-2.5e-3,0,{"c":null}],"d":{"e":true}}"#.to_string()];
        for dir in ["workfront", "asana", "kanboard", "rservice", "ricloud"] {
            let path = format!("{}/tests/fixtures/{dir}/events", env!("CARGO_MANIFEST_DIR"));
            for entry in std::fs::read_dir(path).into_iter().flatten().flatten() {
                if let Ok(text) = std::fs::read_to_string(entry.path()) {
                    out.push(text);
                }
            }
        }
        out
    }

    fn projections() -> Vec<Projection> {
        let mut keyed = Projection::default();
        for path in [
            &["eventType"][..],
            &["newState", "status"],
            &["newState", "parameterValues", "DE:Region"],
            &["oldState", "name"],
            &["a"],
            &["b"],
            &["d", "e"],
            &["event_data", "task", "title"],
        ] {
            keyed.keep(path);
        }
        // Strings the seeds hold at those places, and others: read as the
        // projection's own copies (`Node::Shared`) where equal.
        for (path, constant) in [
            (&["eventType"][..], "CREATE"),
            (&["eventType"], "UPDATE"),
            (&["eventType"], "DELETE"),
            (&["eventType"], "créé"),
            (&["newState", "status"], "CUR"),
            (&["newState", "status"], "NEW"),
            (&["a"], "é\"\\"),
        ] {
            keyed.share(path, &Value::from(constant));
        }
        let mut batch = keyed.for_batch();
        batch.node(&["events"]).items = Some(Box::new(keyed.clone()));
        vec![
            Projection::everything(),
            Projection::default(),
            keyed,
            batch,
        ]
    }

    #[test]
    fn every_seed_takes_the_fast_path_and_agrees() {
        fn shared(n: &Node<'_>) -> usize {
            match n {
                Node::Shared(_) => 1,
                Node::Whole(_) => 0,
                Node::Object(members) => members.iter().map(|(_, n)| shared(n)).sum(),
                Node::Array(items) => items.iter().map(shared).sum(),
            }
        }
        let mut shared_seen = 0;
        for text in seeds() {
            if serde_json::from_str::<Value>(&text).is_err() {
                continue;
            }
            for p in projections() {
                let fast = project(&text, &p);
                assert!(fast.is_some(), "fell back on {text}");
                shared_seen += fast.as_ref().map_or(0, shared);
                assert_eq!(
                    fast.map(|n| n.to_value()),
                    crate::projection::reference::parse_with_serde(&text, &p).ok(),
                    "{text}"
                );
            }
        }
        // The comparison above covers strings read as constants too.
        assert!(shared_seen >= 10, "{shared_seen} shared strings");
    }

    #[cfg(not(target_arch = "wasm32"))]
    use proptest::prelude::*;

    #[cfg(not(target_arch = "wasm32"))]
    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// Mutated documents: the scanner accepts exactly what serde_json
        /// accepts, and projects the same value.
        #[test]
        fn accepts_what_serde_json_accepts(
            seed in any::<prop::sample::Index>(),
            edits in prop::collection::vec(
                (any::<prop::sample::Index>(), 0..3u8, prop::sample::select(
                    b"\"\\{}[],:0123456789-+.eEtrufalsn \t\n\x01u/dD".to_vec())),
                1..4),
            which in 0..4usize,
        ) {
            let seeds = seeds();
            let mut bytes = seed.get(&seeds).clone().into_bytes();
            for (at, op, b) in edits {
                if bytes.is_empty() {
                    break;
                }
                let i = at.index(bytes.len());
                match op {
                    0 => bytes[i] = b,
                    1 => { bytes.remove(i); }
                    _ => bytes.insert(i, b),
                }
            }
            let Ok(text) = String::from_utf8(bytes) else { return Ok(()) };
            let p = &projections()[which];
            let accepted = serde_json::from_str::<Value>(&text).is_ok();
            let fast = project(&text, p);
            prop_assert_eq!(fast.is_some(), accepted, "{}", text);
            prop_assert_eq!(is_valid(&text), accepted, "{}", text);
            if let Some(v) = fast {
                prop_assert_eq!(Some(v.to_value()), crate::projection::reference::parse_with_serde(&text, p).ok());
            }
        }
    }
}
