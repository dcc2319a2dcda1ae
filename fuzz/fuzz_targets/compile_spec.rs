//! Any bytes as a spec of any dialect: compile, validate (full and update
//! mode) and toJSON must answer, never panic.
#![no_main]
use hookmatch::{CompileOptions, Dialect, Subscription};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (selector, spec) = data.split_first().map_or((0, data), |(s, rest)| (*s, rest));
    let dialect = match selector % 6 {
        0 => None,
        n => Dialect::names()
            .get(usize::from(n - 1))
            .and_then(|name| Dialect::parse(name).ok()),
    };
    let update = selector & 0x80 != 0;
    let opts = CompileOptions {
        dialect,
        update,
        allow_private_networks: selector & 0x40 != 0,
    };
    let _ = hookmatch::subscription::validate_text(spec, opts);
    let compile = CompileOptions {
        update: false,
        ..opts
    };
    if let Ok(sub) = Subscription::compile_text(spec, compile) {
        let _ = sub.to_json().to_string();
    }
});
