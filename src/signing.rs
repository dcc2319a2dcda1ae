//! Webhook signatures, computed with RustCrypto's `hmac` + `sha2` and
//! compared in constant time (`Mac::verify_slice`):
//! - Asana: `X-Hook-Signature` = hex HMAC-SHA256 of the body under the secret;
//! - Standard Webhooks: `webhook-signature: v1,<base64 HMAC-SHA256 of
//!   "id.timestamp.body">` under the base64 key after `whsec_`;
//! - ricloud: `Ricloud-Signature: t=<unix seconds>,s=<base64 HMAC-SHA256 of
//!   "t.body">` (as `reincubate/ricloud`'s `signing.py` builds it).

use crate::error::{Code, Error};
use hmac::digest::{CtOutput, KeyInit, Output};
use hmac::{Hmac, Mac};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// Default Standard Webhooks tolerance, seconds (the spec's 5 minutes).
pub const STANDARD_TOLERANCE: i64 = 300;

/// The schemes `verify` checks, by their names in its `scheme` option.
/// A vendor's own scheme is named as its dialect is ([`crate::dialect::Vendor::name`]).
pub const SCHEMES: [&str; 3] = ["standard-webhooks", "asana", "ricloud"];

/// Entries of a `webhook-signature` header that are read; the rest are
/// ignored. The header lists one signature per key being rotated
/// (`standard-webhooks/standard-webhooks` 03f5f8c,
/// `spec/standard-webhooks.md`, "Webhook headers": the current key and an
/// old one during a rotation, each `v1,` symmetric or `v1a,` asymmetric): a
/// handful, never hundreds, and a receiver should not do work for entries
/// no sender writes. The number is a hookmatch decision.
pub const MAX_SIGNATURES: usize = 16;

#[cfg(test)]
thread_local! {
    /// MACs computed on this thread: tests bound `verify`'s work by it.
    static MACS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How many MACs this thread has computed (tests only).
#[cfg(test)]
pub(crate) fn macs_computed() -> usize {
    MACS.with(std::cell::Cell::get)
}

fn mac(key: &[u8], parts: &[&[u8]]) -> HmacSha256 {
    #[cfg(test)]
    MACS.with(|n| n.set(n.get() + 1));
    // RFC 2104 key processing done here (hash a key longer than the 64-byte
    // block, zero-pad the rest) so the infallible fixed-size constructor can
    // be used: no Result to unwrap for a secret of any length.
    let mut block = [0u8; 64];
    if key.len() > block.len() {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut m = <HmacSha256 as KeyInit>::new(&block.into());
    for p in parts {
        m.update(p);
    }
    m
}

pub fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    mac(key, parts).finalize().into_bytes().into()
}

/// Does `signature` equal the HMAC-SHA256 of `parts` under `key`
/// (compared in constant time)?
pub fn verify_mac(key: &[u8], parts: &[&[u8]], signature: &[u8]) -> bool {
    Tag::of(key, parts).matches(signature)
}

/// An expected HMAC-SHA256, computed once and compared with any number of
/// candidate signatures: a header that lists many signatures costs one MAC
/// over the body, not one per entry.
pub struct Tag(CtOutput<HmacSha256>);

impl Tag {
    pub fn of(key: &[u8], parts: &[&[u8]]) -> Tag {
        Tag(mac(key, parts).finalize())
    }

    /// Equal to `signature`, compared in constant time (`CtOutput`'s
    /// equality is `subtle`'s); a signature of another length is not.
    pub fn matches(&self, signature: &[u8]) -> bool {
        signature.len() == 32
            && self.0 == CtOutput::new(Output::<HmacSha256>::clone_from_slice(signature))
    }
}

/// Unix seconds as signers write them: decimal digits with no sign and no
/// leading zero (what Python's `str(int(...))` and every Standard Webhooks
/// library write), within `i64`. Anything else is no timestamp.
pub fn unix_seconds(s: &str) -> Option<i64> {
    let canonical =
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'));
    canonical.then(|| s.parse::<i64>().ok()).flatten()
}

/// Is `timestamp` within `tolerance` seconds of `now`, before or after it?
/// Computed in 128 bits: no timestamp wraps around to look fresh.
pub fn fresh(timestamp: i64, now: i64, tolerance: i64) -> bool {
    (i128::from(now) - i128::from(timestamp)).abs() <= i128::from(tolerance)
}

/// The signing key of a Standard Webhooks secret: the base64 after `whsec_`.
pub fn standard_key(secret: &str) -> Result<Vec<u8>, Error> {
    let b64 = secret.strip_prefix("whsec_").unwrap_or(secret);
    crate::base64::decode(b64.as_bytes()).map_err(|e| {
        Error::new(
            Code::InvalidInput,
            format!(
                "a Standard Webhooks secret is \"whsec_\" followed by base64; {}",
                e.message
            ),
        )
        .at("/secret")
    })
}

pub fn standard_signature(key: &[u8], id: &str, timestamp: i64, body: &str) -> String {
    let ts = timestamp.to_string();
    let sig = hmac_sha256(
        key,
        &[id.as_bytes(), b".", ts.as_bytes(), b".", body.as_bytes()],
    );
    format!("v1,{}", crate::base64::encode(&sig))
}

/// How `verify` judges time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifyOptions {
    /// Now, in Unix seconds.
    pub now: i64,
    /// Largest accepted age in seconds; the scheme's default when `None`.
    pub tolerance: Option<i64>,
}

/// A header's value, its name matched without regard to case.
pub fn header<'a>(headers: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.as_str())
}

/// [`crate::dialect::verify_scheme`]'s work, the vendors' own schemes given
/// by the caller (this module reads no registry): `own(headers, body)`
/// says, for each vendor scheme that `scheme` allows and whose header the
/// delivery carries, whether it verified under `secret`. Standard Webhooks
/// is checked here. A missing, malformed, stale or wrong signature is
/// `false`; only a delivery without headers/body, an empty secret, or a
/// Standard Webhooks secret that is not base64 where nothing else could use
/// it, is an error.
pub fn verify_with(
    delivery: &Value,
    secret: &str,
    opts: VerifyOptions,
    scheme: Option<&str>,
    own: impl FnOnce(&Map<String, Value>, &str) -> Vec<bool>,
) -> Result<bool, Error> {
    if let Some(s) = scheme.filter(|s| !SCHEMES.contains(s)) {
        return Err(Error::new(
            Code::InvalidInput,
            format!(
                "verify has no scheme {}; expected one of {}",
                crate::text::quote_short(s),
                SCHEMES.join(", ")
            ),
        )
        .at("/scheme"));
    }
    if secret.is_empty() {
        // An empty key is a key anyone holds: HMAC under it proves nothing.
        return Err(Error::new(
            Code::InvalidInput,
            "verify needs the signing secret; it was empty",
        )
        .at("/secret"));
    }
    if opts.tolerance.is_some_and(|t| t < 0) {
        return Err(Error::new(
            Code::InvalidInput,
            "verify's tolerance must be 0 or more seconds",
        )
        .at("/tolerance"));
    }
    let bad = || {
        Error::new(
            Code::InvalidInput,
            "verify needs a delivery: { headers, body }",
        )
    };
    let obj = delivery.as_object().ok_or_else(bad)?;
    let headers = obj
        .get("headers")
        .and_then(Value::as_object)
        .ok_or_else(bad)?;
    let body = obj.get("body").and_then(Value::as_str).ok_or_else(bad)?;
    // A delivery may carry several schemes (ricloud's own header beside
    // Standard Webhooks' headers): it verifies when any of them does with
    // this secret.
    let vendors = own(headers, body);
    if vendors.contains(&true) {
        return Ok(true);
    }
    if scheme.is_some_and(|s| s != "standard-webhooks") {
        return Ok(false);
    }
    let Some(sigs) = header(headers, "webhook-signature") else {
        return Ok(false);
    };
    let key = match standard_key(secret) {
        Ok(key) => key,
        // Not a `whsec_` key: an error only when nothing else could use it.
        Err(_) if !vendors.is_empty() && scheme.is_none() => return Ok(false),
        Err(e) => return Err(e),
    };
    let (Some(id), Some(ts)) = (
        header(headers, "webhook-id"),
        header(headers, "webhook-timestamp"),
    ) else {
        return Ok(false);
    };
    let Some(ts_num) = unix_seconds(ts) else {
        return Ok(false);
    };
    if !fresh(
        ts_num,
        opts.now,
        opts.tolerance.unwrap_or(STANDARD_TOLERANCE),
    ) {
        return Ok(false);
    }
    let tag = Tag::of(
        &key,
        &[id.as_bytes(), b".", ts.as_bytes(), b".", body.as_bytes()],
    );
    Ok(sigs
        .split(' ')
        .filter(|entry| !entry.is_empty())
        .take(MAX_SIGNATURES)
        .any(|entry| {
            entry
                .strip_prefix("v1,")
                // A signature is 44 base64 characters: a longer entry is
                // not decoded.
                .filter(|b64| b64.len() <= 44)
                .and_then(|b64| crate::base64::decode(b64.as_bytes()).ok())
                .is_some_and(|sig| tag.matches(&sig))
        }))
}

#[cfg(test)]
mod tests {
    use super::*;
    // The whole check as callers make it, the registry's schemes included.
    use crate::dialect::{verify, verify_scheme};
    use serde_json::json;

    /// RFC 4231 test cases 2 (short key) and 6 (131-byte key, hashed first).
    #[test]
    fn hmac_sha256_rfc4231() {
        let sig = hmac_sha256(b"Jefe", &[b"what do ya want ", b"for nothing?"]);
        assert_eq!(
            hex::encode(sig),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let key = [0xaau8; 131];
        let sig = hmac_sha256(
            &key,
            &[b"Test Using Larger Than Block-Size Key - Hash Key First"],
        );
        assert_eq!(
            hex::encode(sig),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
        let key64 = [0x0bu8; 64];
        let mut reference = <HmacSha256 as KeyInit>::new_from_slice(&key64).unwrap();
        reference.update(b"x");
        assert_eq!(
            hmac_sha256(&key64, &[b"x"]),
            <[u8; 32]>::from(reference.finalize().into_bytes())
        );
    }

    /// The example from the Standard Webhooks specification.
    #[test]
    fn standard_webhooks_spec_example() {
        let key = standard_key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let body = r#"{"test": 2432232314}"#;
        let sig = standard_signature(&key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body);
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        let delivery = json!({"headers": {"webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp": "1614265330", "webhook-signature": sig}, "body": body});
        let at = |now| VerifyOptions {
            now,
            tolerance: None,
        };
        assert!(verify(
            &delivery,
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            at(1614265330)
        )
        .unwrap());
        assert!(!verify(
            &delivery,
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSx",
            at(1614265330)
        )
        .unwrap());
        assert!(!verify(
            &delivery,
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            at(1614265330 + 301)
        )
        .unwrap());
        assert!(verify(
            &delivery,
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            VerifyOptions {
                now: 1614265330 + 301,
                tolerance: Some(400)
            }
        )
        .unwrap());
        assert!(standard_key("whsec_not base64!").is_err());
    }

    #[test]
    fn a_delivery_without_a_signature_is_false_and_no_delivery_is_an_error() {
        let at = VerifyOptions {
            now: 0,
            tolerance: None,
        };
        assert!(verify(&json!({"headers": {}, "body": ""}), "k", at).is_ok_and(|ok| !ok));
        assert!(verify(&json!(42), "k", at).is_err());
    }

    // Signatures below were made with Python's hmac/base64, as ricloud's
    // signing.py makes them (an independent reference): secret "k3y".
    const RICLOUD_BODY: &str = r#"{"id":"e1","type":"webhook_config","action":"test","data":{}}"#;
    const RICLOUD_SIG: &str = "AxCc0kugFo9O59OJ2y/6fnfzybWWg62RAqdvdgkslQo=";
    const T: i64 = 1_700_000_000;

    fn ricloud(t: &str, s: &str) -> Value {
        json!({"headers": {"Ricloud-Signature": format!("t={t},s={s}")}, "body": RICLOUD_BODY})
    }

    fn at(now: i64) -> VerifyOptions {
        VerifyOptions {
            now,
            tolerance: None,
        }
    }

    #[test]
    fn a_pinned_scheme_reads_only_its_own_header() {
        let d = ricloud("1700000000", RICLOUD_SIG);
        let pinned = |s| verify_scheme(&d, "k3y", at(T), Some(s)).unwrap();
        assert!(verify(&d, "k3y", at(T)).unwrap());
        assert!(pinned("ricloud"));
        assert!(!pinned("asana"));
        assert!(!pinned("standard-webhooks"));
        let e = verify_scheme(&d, "k3y", at(T), Some("workfront")).unwrap_err();
        assert_eq!(
            (e.code(), e.path.as_deref()),
            ("invalid_input", Some("/scheme"))
        );
    }

    /// ricloud's MAC is over "<t>.<body>" under the raw secret, Asana's over
    /// the body under the raw secret: the same bytes, relabelled, must not
    /// become a timeless Asana signature.
    #[test]
    fn a_ricloud_signature_relabelled_as_asanas_does_not_verify() {
        // hex of the same 32 bytes as RICLOUD_SIG (Python: hexdigest()).
        let hex_sig = "03109cd24ba0168f4ee7d389db2ffa7e77f3c9b59683ad9102a76f76092c950a";
        let over_t_body = json!({"headers": {"X-Hook-Signature": hex_sig}, "body": format!("1700000000.{RICLOUD_BODY}")});
        let over_body = json!({"headers": {"X-Hook-Signature": hex_sig}, "body": RICLOUD_BODY});
        for d in [&over_t_body, &over_body] {
            assert!(!verify(d, "k3y", at(T)).unwrap());
            for s in SCHEMES {
                assert!(!verify_scheme(d, "k3y", at(T), Some(s)).unwrap(), "{s}");
            }
        }
        // A genuine Asana signature still verifies, pinned or not (Python:
        // hmac.new(b"k3y", b'{"events":[]}', sha256).hexdigest()).
        let asana = json!({"headers": {"X-Hook-Signature": "58112eba4a13bbd48277ca9d559bb9f7f62b2c832db96f04fc79d183c21f876b"}, "body": " {\"events\":[]}"[1..]});
        assert!(verify(&asana, "k3y", at(0)).unwrap());
        assert!(verify_scheme(&asana, "k3y", at(0), Some("asana")).unwrap());
        assert!(!verify_scheme(&asana, "k3y", at(0), Some("ricloud")).unwrap());
    }

    #[test]
    fn ricloud_timestamps_are_checked_on_both_sides_without_overflow() {
        let d = ricloud("1700000000", RICLOUD_SIG);
        // signing.py: stale when now - t > delta (600 by default).
        assert!(verify(&d, "k3y", at(T + 600)).unwrap());
        assert!(!verify(&d, "k3y", at(T + 601)).unwrap());
        // signing.py accepts any future t; hookmatch the same 600 s.
        assert!(verify(&d, "k3y", at(T - 600)).unwrap());
        assert!(!verify(&d, "k3y", at(T - 601)).unwrap());
        let wide = VerifyOptions {
            now: T - 5000,
            tolerance: Some(5000),
        };
        assert!(verify(&d, "k3y", wide).unwrap());
        // i64::MIN used to wrap `now - t` to a negative age, "fresh"; and
        // i64::MAX to overflow the other way.
        for t in [
            "-9223372036854775808",
            "9223372036854775807",
            "9223372036854775808",
        ] {
            for now in [0, T, i64::MAX] {
                let o = VerifyOptions {
                    now,
                    tolerance: Some(600),
                };
                assert!(
                    !verify(&ricloud(t, RICLOUD_SIG), "k3y", o).unwrap(),
                    "{t} {now}"
                );
            }
        }
        assert!(fresh(0, i64::MAX, i64::MAX));
        assert!(!fresh(i64::MIN, i64::MAX, i64::MAX));
        assert!(!fresh(i64::MIN, 0, 600));
    }

    /// "+1700000000" and "01700000000" parse to the same number in Python,
    /// whose payload is then str(int(t)): a MAC over the text as written
    /// would verify here and fail there. Only canonical digits are read.
    #[test]
    fn a_ricloud_timestamp_is_canonical_digits() {
        let plus = "RSARmdmz0aVIkZftoQhLShUYOQiK4FigbeUiVTAmbMs=";
        let zero = "qGyJkNpWdtBURpFsSJRMhetiRAjKpQJnn2aqa+p6VBU=";
        assert!(!verify(&ricloud("+1700000000", plus), "k3y", at(T)).unwrap());
        assert!(!verify(&ricloud("01700000000", zero), "k3y", at(T)).unwrap());
        assert!(!verify(&ricloud(" 1700000000", RICLOUD_SIG), "k3y", at(T)).unwrap());
        assert_eq!(unix_seconds("0"), Some(0));
        assert_eq!(unix_seconds("1700000000"), Some(T));
        for bad in [
            "",
            "-1",
            "+1",
            "01",
            "1_000",
            "1e3",
            "9223372036854775808",
            "١",
        ] {
            assert_eq!(unix_seconds(bad), None, "{bad}");
        }
    }

    #[test]
    fn standard_webhooks_timestamps_on_both_sides_without_overflow() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let key = standard_key(secret).unwrap();
        let body = r#"{"test": 2432232314}"#;
        let with_ts = |ts: &str| {
            let n = ts.parse::<i64>().unwrap_or(0);
            let sig = standard_signature(&key, "msg_1", n, body);
            json!({"headers": {"webhook-id": "msg_1", "webhook-timestamp": ts, "webhook-signature": sig}, "body": body})
        };
        let d = with_ts("1614265330");
        assert!(verify(&d, secret, at(1614265330 - 300)).unwrap());
        assert!(
            !verify(&d, secret, at(1614265330 - 301)).unwrap(),
            "in the future"
        );
        // i64::MIN used to make `(now - ts).abs()` overflow (a panic in
        // a debug build, a wrap in wasm).
        for now in [0, 1614265330, i64::MAX] {
            assert!(
                !verify(&with_ts("-9223372036854775808"), secret, at(now)).unwrap(),
                "{now}"
            );
        }
        for now in [0, 1614265330] {
            assert!(
                !verify(&with_ts("9223372036854775807"), secret, at(now)).unwrap(),
                "{now}"
            );
        }
    }

    /// A 1 MB body and a 1,000-entry header: one MAC, whatever the entries.
    #[test]
    fn the_mac_is_computed_once_per_scheme_and_entries_are_capped() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let key = standard_key(secret).unwrap();
        let body = "x".repeat(1 << 20);
        let good = standard_signature(&key, "msg_1", T, &body);
        let junk = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
        let header = |good_at: Option<usize>| {
            (0..1000)
                .map(|i| {
                    if Some(i) == good_at {
                        good.as_str()
                    } else {
                        junk
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let delivery = |sigs: String| json!({"headers": {"webhook-id": "msg_1", "webhook-timestamp": T.to_string(), "webhook-signature": sigs}, "body": body});
        let run_with = |d: &Value, secret: &str| {
            let before = macs_computed();
            let ok = verify(d, secret, at(T)).unwrap();
            (ok, macs_computed() - before)
        };
        let run = |d: &Value| run_with(d, secret);
        assert_eq!(run(&delivery(header(None))), (false, 1));
        assert_eq!(run(&delivery(header(Some(0)))), (true, 1));
        assert_eq!(run(&delivery(header(Some(MAX_SIGNATURES - 1)))), (true, 1));
        // Past the cap an entry is not read, even a right one.
        assert_eq!(run(&delivery(header(Some(MAX_SIGNATURES)))), (false, 1));
        // Nothing to check against: no MAC at all.
        let no_ts = json!({"headers": {"webhook-id": "msg_1", "webhook-signature": header(None)}, "body": body});
        assert_eq!(run(&no_ts), (false, 0));
        // ricloud and Asana: one MAC each, none for a malformed header.
        let r = ricloud("1700000000", RICLOUD_SIG);
        assert_eq!(run_with(&r, "k3y"), (true, 1));
        let long = ricloud("1700000000", &"A".repeat(1 << 20));
        assert_eq!(run_with(&long, "k3y"), (false, 0));
        let a = json!({"headers": {"X-Hook-Signature": "0".repeat(1 << 20)}, "body": "{}"});
        assert_eq!(run_with(&a, "k3y"), (false, 0));
    }

    /// `verify_mac` against RFC 4231 test case 2 (the tag, then the same
    /// tag with its last byte changed, then the tag cut short).
    #[test]
    fn verify_mac_accepts_only_the_rfc4231_tag() {
        let mut tag =
            hex::decode("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
                .unwrap();
        let parts: &[&[u8]] = &[b"what do ya want for nothing?"];
        assert!(verify_mac(b"Jefe", parts, &tag));
        assert!(!verify_mac(b"Jefe", parts, &tag[..31]));
        tag[31] ^= 1;
        assert!(!verify_mac(b"Jefe", parts, &tag));
    }

    /// `tolerance: 0` accepts a delivery stamped this very second and no
    /// other; a negative tolerance is the caller's mistake, not `false`.
    #[test]
    fn a_zero_tolerance_is_now_only_and_a_negative_one_is_invalid_input() {
        let d = ricloud("1700000000", RICLOUD_SIG);
        let with = |now, tolerance| {
            verify(
                &d,
                "k3y",
                VerifyOptions {
                    now,
                    tolerance: Some(tolerance),
                },
            )
        };
        assert!(with(T, 0).unwrap());
        assert!(!with(T + 1, 0).unwrap());
        assert!(!with(T - 1, 0).unwrap());
        for tolerance in [-1, i64::MIN] {
            let e = with(T, tolerance).unwrap_err();
            assert_eq!(
                (e.code(), e.path.as_deref()),
                ("invalid_input", Some("/tolerance"))
            );
        }
    }

    /// The Standard Webhooks specification's example, pinned to its own
    /// scheme, verifies; pinned to a vendor's scheme it does not.
    #[test]
    fn a_standard_webhooks_delivery_verifies_pinned_to_its_scheme() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let d = json!({"headers": {"webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp": "1614265330", "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="}, "body": r#"{"test": 2432232314}"#});
        let pinned = |s| verify_scheme(&d, secret, at(1614265330), s).unwrap();
        assert!(pinned(None));
        assert!(pinned(Some("standard-webhooks")));
        assert!(!pinned(Some("asana")));
        assert!(!pinned(Some("ricloud")));
    }

    /// A secret that is not `whsec_` + base64 is an error for a Standard
    /// Webhooks delivery, unless the delivery also carries a vendor's header
    /// that the secret was checked against (then it is just `false`).
    #[test]
    fn a_secret_that_is_not_base64_is_an_error_only_where_nothing_could_use_it() {
        let standard = json!({"webhook-id": "msg_1", "webhook-timestamp": "1700000000", "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="});
        let only_standard = json!({"headers": standard, "body": RICLOUD_BODY});
        for scheme in [None, Some("standard-webhooks")] {
            let e = verify_scheme(&only_standard, "not base64!", at(T), scheme).unwrap_err();
            assert_eq!(
                (e.code(), e.path.as_deref()),
                ("invalid_input", Some("/secret"))
            );
        }
        // The same headers beside a ricloud signature made under another
        // secret: ricloud's check used "not base64!" and said no.
        let mut headers = standard.as_object().unwrap().clone();
        headers.insert(
            "Ricloud-Signature".into(),
            format!("t=1700000000,s={RICLOUD_SIG}").into(),
        );
        let both = json!({"headers": headers, "body": RICLOUD_BODY});
        assert!(!verify(&both, "not base64!", at(T)).unwrap());
        assert!(verify(&both, "k3y", at(T)).unwrap());
        // Pinned to Standard Webhooks, ricloud's header is not read.
        assert!(verify_scheme(&both, "not base64!", at(T), Some("standard-webhooks")).is_err());
    }

    #[test]
    fn an_empty_secret_is_invalid_input() {
        let d = ricloud("1700000000", RICLOUD_SIG);
        for scheme in [
            None,
            Some("ricloud"),
            Some("asana"),
            Some("standard-webhooks"),
        ] {
            let e = verify_scheme(&d, "", at(T), scheme).unwrap_err();
            assert_eq!(
                (e.code(), e.path.as_deref()),
                ("invalid_input", Some("/secret"))
            );
            assert!(!e.message.contains("k3y"));
        }
    }
}
