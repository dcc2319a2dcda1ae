//! Webhook signatures, computed with RustCrypto's `hmac` + `sha2` and
//! compared in constant time (`Mac::verify_slice`):
//! - Asana: `X-Hook-Signature` = hex HMAC-SHA256 of the body under the secret;
//! - Standard Webhooks: `webhook-signature: v1,<base64 HMAC-SHA256 of
//!   "id.timestamp.body">` under the base64 key after `whsec_`;
//! - ricloud: `Ricloud-Signature: t=<unix seconds>,s=<base64 HMAC-SHA256 of
//!   "t.body">` (as `reincubate/ricloud`'s `signing.py` builds it).

use crate::error::{Code, Error};
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// Default Standard Webhooks tolerance, seconds (the spec's 5 minutes).
pub const STANDARD_TOLERANCE: i64 = 300;

fn mac(key: &[u8], parts: &[&[u8]]) -> HmacSha256 {
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
    mac(key, parts).verify_slice(signature).is_ok()
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

/// Check a delivery's signature under `secret`, whichever scheme it carries
/// (Standard Webhooks, or a vendor's own: [`crate::dialect::Vendor::verify`]).
/// A missing, malformed, stale or wrong signature is `false`; only a
/// delivery without headers/body, or a Standard Webhooks secret that is not
/// base64, is an error.
pub fn verify(delivery: &Value, secret: &str, opts: VerifyOptions) -> Result<bool, Error> {
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
    let vendors: Vec<bool> = crate::dialect::REGISTRY
        .iter()
        .filter_map(|v| v.verify(headers, body, secret, opts))
        .collect();
    if vendors.contains(&true) {
        return Ok(true);
    }
    let Some(sigs) = header(headers, "webhook-signature") else {
        return Ok(false);
    };
    let key = match standard_key(secret) {
        Ok(key) => key,
        // Not a `whsec_` key: an error only when nothing else could use it.
        Err(_) if !vendors.is_empty() => return Ok(false),
        Err(e) => return Err(e),
    };
    let (Some(id), Some(ts)) = (
        header(headers, "webhook-id"),
        header(headers, "webhook-timestamp"),
    ) else {
        return Ok(false);
    };
    let Ok(ts_num) = ts.parse::<i64>() else {
        return Ok(false);
    };
    let tolerance = opts.tolerance.unwrap_or(STANDARD_TOLERANCE);
    if (opts.now - ts_num).abs() > tolerance {
        return Ok(false);
    }
    let parts: [&[u8]; 5] = [id.as_bytes(), b".", ts.as_bytes(), b".", body.as_bytes()];
    Ok(sigs.split(' ').any(|entry| {
        entry
            .strip_prefix("v1,")
            .and_then(|b64| crate::base64::decode(b64.as_bytes()).ok())
            .is_some_and(|sig| verify_mac(&key, &parts, &sig))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
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
}
