//! hookmatch: would this webhook subscription fire for this event, why (or
//! why not), and what exactly would be delivered?
//!
//! The core is plain Rust (no `JsValue`): each vendor is one module of
//! [`dialect`] behind one trait, listed in one registry; its adapter compiles
//! a spec into a [`plan::Plan`]; [`eval`] runs every plan; [`delivery`] and
//! [`base64`] are their own modules. docs/architecture.md has the data flow. The wasm binding lives
//! in `src/wasm/` and is compiled only for `wasm32`.

// Raw memory access lives in one module, src/wasm/strings.rs (the string
// handover into wasm memory), the only one that allows it; the rest of the
// crate is checked safe code.
#![deny(unsafe_code)]
// The package's wasm is built with `--cfg hookmatch_package`
// (scripts/build-pkg.sh): there, every function that runs once per spec,
// set member, delivery or call rather than once per event (compiling,
// options, deliveries, URLs, errors, the analysis, the binding's cold
// exports) carries `optimize(size)`, and the per-event path (the scanner,
// the evaluator, set matching, the batch reader, each dialect's `prepare`),
// signing (a MAC per delivery and per verified request) and rawjson (a
// delivery body is the event's text walked byte by byte: at size,
// `set.deliver` took 1.17x the time) keep the crate's level 3. Measured
// with the rest of the package's build: the core module 211,441 ->
// 177,615 bytes gz, no matching path slower (docs/performance.md). The
// attribute is unstable; the build unlocks it as it does -Z build-std.
#![cfg_attr(hookmatch_package, feature(optimize_attribute))]
// JSON text is read by json::parser only (clippy.toml refuses serde_json's
// readers); tests may read it with serde_json, their oracle.
#![cfg_attr(test, allow(clippy::disallowed_methods))]

pub mod analysis;
pub mod base64;
pub mod delivery;
pub mod dialect;
pub mod error;
pub mod eval;
pub mod event;
pub mod filters;
pub mod json;
pub mod options;
pub mod plan;
pub mod preview;
pub mod projection;
pub mod rawjson;
pub mod set;
pub mod signing;
pub mod subscription;
pub mod text;
#[cfg(test)]
mod typescript;
pub mod urls;
pub mod value;

/// The JS binding (public only so wasm-bindgen-test can reach it).
#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod wasm;

pub use delivery::{DeliverOptions, Delivery};
pub use dialect::Dialect;
pub use error::{Code, Diagnostic, Error, Severity};
pub use eval::{Check, Explanation};
pub use preview::PreviewResult;
pub use set::SubscriptionSet;
pub use subscription::{validate, CompileOptions, Subscription};
