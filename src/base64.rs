//! Base64 (RFC 4648): the standard alphabet padded (§4) and, on request, the
//! URL-safe alphabet (§5). Decoding is strict: a character outside the
//! alphabet, a bad length or non-canonical padding is an error with the byte
//! offset. Built on the `base64` crate (see README, "Base64").

use ::base64::alphabet;
use ::base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use ::base64::engine::DecodePaddingMode;
use ::base64::{DecodeError, Engine};

/// Which RFC 4648 alphabet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Alphabet {
    /// §4, `+` and `/`, always padded.
    #[default]
    Standard,
    /// §5, `-` and `_`: encoded unpadded (as Node's `base64url`), decoded padded or not.
    Url,
}

const URL_ENCODE: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_encode_padding(false),
);

const URL_DECODE: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Why base64 text was refused, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base64Error {
    /// Byte offset into the input of the first offending byte.
    pub offset: usize,
    pub message: String,
}

pub fn encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

pub fn encode_with(bytes: &[u8], alphabet: Alphabet) -> String {
    match alphabet {
        Alphabet::Standard => STANDARD.encode(bytes),
        Alphabet::Url => URL_ENCODE.encode(bytes),
    }
}

pub fn decode(text: &[u8]) -> Result<Vec<u8>, Base64Error> {
    decode_with(text, Alphabet::Standard)
}

pub fn decode_with(text: &[u8], alphabet: Alphabet) -> Result<Vec<u8>, Base64Error> {
    let result = match alphabet {
        Alphabet::Standard => STANDARD.decode(text),
        Alphabet::Url => {
            // Padded or not, but padded only in full: the crate's
            // "indifferent" mode would also take "Ag=" (neither).
            if text.last() == Some(&b'=') && text.len() % 4 != 0 {
                let first = text.iter().position(|b| *b == b'=').unwrap_or(0);
                return Err(Base64Error {
                    offset: first,
                    message: format!(
                        "padding at byte {first} is incomplete: URL-safe base64 is unpadded, or padded to a multiple of 4 characters"
                    ),
                });
            }
            URL_DECODE.decode(text)
        }
    };
    result.map_err(|e| describe(e, text, alphabet))
}

fn describe(e: DecodeError, text: &[u8], alphabet: Alphabet) -> Base64Error {
    let which = match alphabet {
        Alphabet::Standard => "the standard base64 alphabet (A-Z a-z 0-9 + /)",
        Alphabet::Url => "the URL-safe base64 alphabet (A-Z a-z 0-9 - _)",
    };
    match e {
        DecodeError::InvalidByte(offset, byte) => {
            // The crate reports a misplaced "=" as an invalid byte too.
            if byte == b'=' {
                Base64Error {
                    offset,
                    message: format!("padding \"=\" at byte {offset} is not at the end of the text"),
                }
            } else {
                Base64Error {
                    offset,
                    message: format!("byte {offset} ({}) is not in {which}", show_byte(byte)),
                }
            }
        }
        DecodeError::InvalidLength(len) => {
            let offset = text.len().saturating_sub(1).min(len);
            Base64Error {
                offset,
                message: format!(
                    "{} symbols cannot be base64: the length without padding must not leave 1 symbol over (it ends at byte {offset})",
                    text.iter().filter(|b| **b != b'=').count()
                ),
            }
        }
        DecodeError::InvalidLastSymbol(offset, byte) => Base64Error {
            offset,
            message: format!(
                "the last symbol {} at byte {offset} has bits set that no encoder would set (non-canonical)",
                show_byte(byte)
            ),
        },
        DecodeError::InvalidPadding => {
            let offset = text.iter().position(|b| *b == b'=').unwrap_or(text.len());
            Base64Error {
                offset,
                message: match alphabet {
                    Alphabet::Standard => format!(
                        "padding is missing or wrong (from byte {offset}): standard base64 is padded with \"=\" to a multiple of 4"
                    ),
                    Alphabet::Url => format!("padding is wrong from byte {offset}"),
                },
            }
        }
    }
}

fn show_byte(b: u8) -> String {
    if b.is_ascii_graphic() {
        crate::text::quote_char(char::from(b))
    } else {
        format!("0x{b:02X}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4648 §10 test vectors.
    const VECTORS: [(&str, &str); 7] = [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ];

    #[test]
    fn rfc4648_vectors_both_ways() {
        for (plain, b64) in VECTORS {
            assert_eq!(encode(plain.as_bytes()), b64);
            assert_eq!(decode(b64.as_bytes()).unwrap(), plain.as_bytes());
            let url = encode_with(plain.as_bytes(), Alphabet::Url);
            assert_eq!(url, b64.trim_end_matches('='));
            assert_eq!(
                decode_with(url.as_bytes(), Alphabet::Url).unwrap(),
                plain.as_bytes()
            );
            assert_eq!(
                decode_with(b64.as_bytes(), Alphabet::Url).unwrap(),
                plain.as_bytes()
            );
        }
    }

    /// Regression (found by the RFC reference property): URL-safe decoding
    /// took partial padding, e.g. "Ag=", which is neither unpadded nor padded.
    #[test]
    fn url_safe_padding_is_none_or_complete() {
        assert_eq!(decode_with(b"Ag", Alphabet::Url).unwrap(), [2]);
        assert_eq!(decode_with(b"Ag==", Alphabet::Url).unwrap(), [2]);
        let e = decode_with(b"Ag=", Alphabet::Url).unwrap_err();
        assert_eq!(e.offset, 2);
        assert!(decode_with(b"AgA=A", Alphabet::Url).is_err());
    }

    #[test]
    fn strict_errors_carry_offsets() {
        let cases: [(&str, usize); 6] = [
            ("Zm9v$mFy", 4), // bad character
            ("Zm9vYg", 6),   // missing padding: it belongs at byte 6
            ("Zm9vYg=", 6),  // short padding
            ("Zm9=vYg=", 3), // padding in the middle
            ("Zh==", 1),     // non-canonical last symbol
            ("Z", 0),        // impossible length
        ];
        for (input, offset) in cases {
            let err = decode(input.as_bytes()).unwrap_err();
            assert_eq!(err.offset, offset, "{input}: {}", err.message);
        }
        assert!(decode_with(b"-_8", Alphabet::Url).is_ok());
        assert!(decode(b"-_8=").is_err());
    }
}
