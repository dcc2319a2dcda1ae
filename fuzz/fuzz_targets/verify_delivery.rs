//! Any bytes as a delivery to verify: a secret, a header value and a body
//! (split at the first two NULs) under every scheme's headers, pinned and
//! unpinned, at any `now` and tolerance. `verify` must answer, never panic,
//! and a header of many signatures must cost one MAC per scheme (the bound
//! is asserted in the unit tests; here: no panic, no overflow on any
//! timestamp).
#![no_main]
use hookmatch::dialect::verify_scheme;
use hookmatch::signing::VerifyOptions;
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |b| *b == 0);
    let secret = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let header = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let body = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let now = i64::from_le_bytes(
        data.get(..8)
            .and_then(|b| b.try_into().ok())
            .unwrap_or([0; 8]),
    );
    let tolerance = data.get(8).map(|t| i64::from(*t) * 60);
    let opts = VerifyOptions { now, tolerance };
    for headers in [
        json!({"X-Hook-Signature": header}),
        json!({"Ricloud-Signature": header}),
        json!({"webhook-id": "msg_1", "webhook-timestamp": header, "webhook-signature": header}),
        json!({"webhook-id": "msg_1", "webhook-timestamp": "1700000000", "webhook-signature": header}),
    ] {
        let delivery = json!({"method": "POST", "url": "https://h.example.com/", "headers": headers, "body": body});
        for scheme in [None, Some("asana"), Some("ricloud"), Some("standard-webhooks")] {
            let _ = verify_scheme(&delivery, &secret, opts, scheme);
        }
    }
});
