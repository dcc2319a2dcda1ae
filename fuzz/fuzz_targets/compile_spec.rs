//! Any bytes as a spec of any dialect: compile, validate (full and update
//! mode) and toJSON must answer, never panic.
#![no_main]
use hookmatch::{CompileOptions, Dialect, Subscription};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (selector, spec) = data.split_first().map_or((0, data), |(s, rest)| (*s, rest));
    let dialect = match selector % 6 {
        0 => None,
        n => Dialect::parse(Dialect::NAMES[(n - 1) as usize]).ok(),
    };
    let update = selector & 0x80 != 0;
    let _ = hookmatch::subscription::validate_text(spec, CompileOptions { dialect, update });
    if let Ok(sub) = Subscription::compile_text(spec, CompileOptions { dialect, update: false }) {
        let _ = sub.to_json().to_string();
    }
});
