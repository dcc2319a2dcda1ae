//! Any bytes through strict base64 decode (both alphabets): errors point
//! inside the input, and what decodes re-encodes to the same text.
#![no_main]
use hookmatch::base64::{decode_with, encode_with, Alphabet};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for alphabet in [Alphabet::Standard, Alphabet::Url] {
        match decode_with(data, alphabet) {
            Ok(bytes) => {
                let again = encode_with(&bytes, alphabet);
                let trimmed: &[u8] = if alphabet == Alphabet::Url { data.strip_suffix(b"==").or(data.strip_suffix(b"=")).unwrap_or(data) } else { data };
                assert_eq!(again.as_bytes(), trimmed);
            }
            Err(e) => assert!(e.offset <= data.len()),
        }
    }
});
