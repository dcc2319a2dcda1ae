//! The JavaScript binding: converts inputs, calls one core function, converts
//! the answer back. No rule lives here. Outcomes are data; only misuse and
//! bad input throw, always as an `Error` named `HookmatchError` with a `code`.

use crate::base64::{self, Alphabet};
use crate::error::{Code, Error};
use crate::options::{
    Base64OptionsIn, DeliverOptionsIn, LimitsIn, PreviewOptionsIn, SpecOptions, VerifyOptionsIn,
};
// The analysis (lint's findings, diff, example, set.lint) is a feature: the
// browser's core module is built without it (Cargo.toml, `analysis`).
#[cfg(feature = "analysis")]
use crate::options::{AnalysisOptions, ExampleOptions};
use crate::preview::PreviewState;
use crate::subscription::{self, CompileOptions, Subscription as CoreSubscription};
use js_sys::{Reflect, Uint8Array, JSON};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

// The two modules allowed `unsafe`, each block with its SAFETY argument:
// the heap (grown geometrically) and the string handover into wasm memory.
mod alloc;
mod strings;
use strings::{js_string_bytes, SCRATCH_MAX_UNITS};
// The inbox's view, for the binding's own tests (tests/wasm.rs): JS reaches
// it as `__inbox`.
pub use strings::inbox;

// The TypeScript of the inputs and options is pkg-template/api.d.ts, that of
// the outputs pkg-template/generated.d.ts (written from the Rust types);
// scripts/build-pkg.sh appends both to the generated .d.ts.

// Typed optional parameters: wasm-bindgen makes a trailing `Option<T>` of an
// imported type an optional argument (`options?: CompileOptions | null`).
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "CompileOptions")]
    pub type CompileOptionsArg;
    #[wasm_bindgen(typescript_type = "ValidateOptions")]
    pub type ValidateOptionsArg;
    #[wasm_bindgen(typescript_type = "PreviewOptions")]
    pub type PreviewOptionsArg;
    #[wasm_bindgen(typescript_type = "SetPreviewOptions")]
    pub type SetPreviewOptionsArg;
    #[wasm_bindgen(typescript_type = "DeliverOptions")]
    pub type DeliverOptionsArg;
    #[wasm_bindgen(typescript_type = "Base64Options")]
    pub type Base64OptionsArg;
    #[wasm_bindgen(typescript_type = "VerifyOptions")]
    pub type VerifyOptionsArg;
    #[cfg(feature = "analysis")]
    #[wasm_bindgen(typescript_type = "LintOptions")]
    pub type LintOptionsArg;
    #[cfg(feature = "analysis")]
    #[wasm_bindgen(typescript_type = "DiffOptions")]
    pub type DiffOptionsArg;
    #[cfg(feature = "analysis")]
    #[wasm_bindgen(typescript_type = "ExampleOptions")]
    pub type ExampleOptionsArg;
    #[wasm_bindgen(typescript_type = "SetEntryOptions")]
    pub type SetEntryOptionsArg;
}

// What is called on the caller's values and can throw (a revoked Proxy
// throws from `Array.isArray`, a getter from `Object.assign`) is imported
// with `catch`: an exception must become a HookmatchError here, never
// unwind through wasm frames (which skips Rust's cleanup and leaves the
// module in whatever state it was).
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn is_array_checked(v: &JsValue) -> Result<bool, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Object, js_name = assign)]
    fn object_assign(target: &JsValue, source: &JsValue) -> Result<js_sys::Object, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Object, js_name = getPrototypeOf)]
    fn prototype_of(v: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn object_keys(v: &JsValue) -> Result<js_sys::Array, JsValue>;
}

thread_local! {
    /// `Object.prototype`, the prototype of a plain object.
    static OBJECT_PROTOTYPE: JsValue =
        prototype_of(&js_sys::Object::new()).unwrap_or(JsValue::NULL);
}

/// A spec, an event or an options object must be a plain object (or JSON
/// text, or bytes): a `Map`, `Set`, `Date`, class instance or array would
/// otherwise be read through `JSON.stringify` as something else entirely
/// (`{}`, a date string), so it is `invalid_input` naming what was given.
fn expect_plain(v: &JsValue, what: &str) -> Result<(), JsValue> {
    if v.is_string() || !v.is_object() || v.is_instance_of::<Uint8Array>() {
        return Ok(());
    }
    let given = if is_array(v) {
        "an array".to_string()
    } else {
        let Ok(proto) = prototype_of(v) else {
            // A revoked Proxy: the conversion that follows reports it.
            return Ok(());
        };
        if proto.is_null() || OBJECT_PROTOTYPE.with(|o| proto == *o) {
            return Ok(());
        }
        if v.is_instance_of::<js_sys::Map>() {
            "a Map".to_string()
        } else if v.is_instance_of::<js_sys::Set>() {
            "a Set".to_string()
        } else if v.is_instance_of::<js_sys::Date>() {
            "a Date".to_string()
        } else {
            let name = js_sys::Reflect::get(&proto, &JsValue::from_str("constructor"))
                .ok()
                .and_then(|c| js_sys::Reflect::get(&c, &JsValue::from_str("name")).ok())
                .and_then(|n| n.as_string())
                .filter(|n| !n.is_empty());
            match name {
                Some(n) => format!("an instance of {n}"),
                None => "an object that is not plain".to_string(),
            }
        }
    };
    Err(js_error(&Error::new(
        Code::InvalidInput,
        format!("{what} must be a plain object or JSON text, got {given}"),
    )))
}

/// `Array.isArray`; a value it throws on (a revoked Proxy) is not an array,
/// and the conversion that follows reports it.
fn is_array(v: &JsValue) -> bool {
    is_array_checked(v).unwrap_or(false)
}

/// The bytes of a `Uint8Array`. A view of a detached buffer (transferred to
/// a worker, say) has length 0 and throws when copied: an empty view is
/// checked with a `slice` that can throw here, not copied.
fn view_bytes(bytes: &Uint8Array, what: &str) -> Result<Vec<u8>, JsValue> {
    if bytes.length() != 0 {
        return Ok(bytes.to_vec());
    }
    let slice = Reflect::get(bytes, &JsValue::from_str("slice"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let sliced = slice.map(|f| Reflect::apply(&f, bytes, &js_sys::Array::new()));
    match sliced {
        Some(Ok(_)) => Ok(Vec::new()),
        _ => Err(js_error(&Error::new(
            Code::InvalidInput,
            format!("{what} is a view of a detached ArrayBuffer (transferred or resized away): pass bytes that can still be read"),
        ))),
    }
}

thread_local! {
    /// The `HookmatchError` class the entries export (runtime.js hands it
    /// over when it installs), so `instanceof` holds for what wasm throws.
    static ERROR_CLASS: std::cell::RefCell<Option<js_sys::Function>> =
        const { std::cell::RefCell::new(None) };
}

/// Make `class` (`new class(message, code)`) the class of every error thrown.
#[wasm_bindgen(js_name = "__setErrorClass", skip_typescript)]
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn set_error_class(class: js_sys::Function) {
    ERROR_CLASS.with(|c| *c.borrow_mut() = Some(class));
}

/// Call `f` with an event's UTF-8 bytes: small strings through the reused
/// scratch buffer of [`strings`], anything else as [`input_bytes`] reads it.
fn with_event_bytes<R>(v: &JsValue, what: &str, f: impl FnOnce(&[u8]) -> R) -> Result<R, JsValue> {
    let small = v
        .dyn_ref::<js_sys::JsString>()
        .map(|s| (s, s.length() as usize))
        .filter(|(_, units)| *units <= SCRATCH_MAX_UNITS);
    let Some((s, units)) = small else {
        expect_plain(v, what)?;
        return Ok(f(&input_bytes(v, what)?));
    };
    crate::json::check_size(units, what).map_err(|e| js_error(&e))?;
    Ok(strings::with_small_string_bytes(s, units, f))
}

/// 32 bytes from `crypto.getRandomValues` (every runtime hookmatch targets
/// has it); `None` leaves generated ids deterministic.
fn random_bytes() -> Option<[u8; 32]> {
    let crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto")).ok()?;
    let get_random = Reflect::get(&crypto, &JsValue::from_str("getRandomValues")).ok()?;
    let get_random = get_random.dyn_ref::<js_sys::Function>()?;
    let buf = Uint8Array::new_with_length(32);
    get_random.call1(&crypto, &buf).ok()?;
    let mut out = [0u8; 32];
    buf.copy_to(&mut out);
    Some(out)
}

/// A compiled subscription.
#[wasm_bindgen(js_name = Subscription)]
pub struct JsSubscription {
    inner: CoreSubscription,
    /// Without the analysis, what `hookmatch/analysis` compiles again in
    /// the full module: the spec's text as given and its compile options.
    #[cfg(not(feature = "analysis"))]
    source: [String; 2],
}

#[wasm_bindgen(js_class = Subscription)]
impl JsSubscription {
    /// The fields this subscription reads, as JSON (see `objects.js`).
    #[wasm_bindgen(js_name = "__projection", skip_typescript)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn projection_json(&self) -> String {
        crate::json::text(&self.inner.projection_export())
    }

    /// Parse, validate and plan a spec once; throws `HookmatchError` with every diagnostic when invalid.
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn compile(
        #[wasm_bindgen(unchecked_param_type = "SpecInput")] spec: JsValue,
        options: Option<CompileOptionsArg>,
    ) -> Result<JsSubscription, JsValue> {
        let opts = spec_options(options.as_ref().map(AsRef::as_ref), "compile options")?;
        expect_plain(&spec, "the spec")?;
        let text = input_text(&spec, "the spec")?;
        let inner =
            CoreSubscription::compile_text(text.as_bytes(), opts).map_err(|e| js_error(&e))?;
        Ok(JsSubscription {
            inner,
            #[cfg(not(feature = "analysis"))]
            source: [text, options_json(&opts)],
        })
    }

    #[wasm_bindgen(getter, unchecked_return_type = "DialectName")]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn dialect(&self) -> String {
        self.inner.dialect().name().to_string()
    }

    /// Would the subscription fire for this event?
    pub fn matches(
        &self,
        #[wasm_bindgen(unchecked_param_type = "EventInput")] event: JsValue,
    ) -> Result<bool, JsValue> {
        with_event_bytes(&event, "the event", |b| self.inner.matches_text(b))?
            .map_err(|e| js_error(&e))
    }

    /// Why it fires or not: one check per gate condition and per filter.
    #[wasm_bindgen(unchecked_return_type = "Explanation")]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn explain(
        &self,
        #[wasm_bindgen(unchecked_param_type = "EventInput")] event: JsValue,
    ) -> Result<JsValue, JsValue> {
        expect_plain(&event, "the event")?;
        let text = input_bytes(&event, "the event")?;
        let explanation = self.inner.explain_text(&text).map_err(|e| js_error(&e))?;
        to_js(&explanation)
    }

    /// Evaluate a batch; bad events are reported in `errors`, the rest still evaluated.
    #[wasm_bindgen(unchecked_return_type = "PreviewResult")]
    pub fn preview(
        &self,
        #[wasm_bindgen(unchecked_param_type = "EventsInput")] events: JsValue,
        options: Option<PreviewOptionsArg>,
    ) -> Result<JsValue, JsValue> {
        let mut opts: crate::preview::PreviewOptions = read_options::<PreviewOptionsIn>(
            options.as_ref().map(AsRef::as_ref),
            "preview options",
        )?
        .into();
        if is_array(&events) {
            // An array of events has no lines.
            opts.format = crate::preview::Format::Json;
        }
        to_js(&preview_events(&self.inner, &events, opts)?)
    }

    /// Start a chunked preview (`previewStream` in the entries).
    #[wasm_bindgen(js_name = "__previewStart", skip_typescript)]
    pub fn preview_start(&self, options: JsValue) -> Result<PreviewSession, JsValue> {
        let opts = read_options::<PreviewOptionsIn>(Some(&options), "previewStream options")?;
        Ok(PreviewSession::start(&self.inner, opts.into()))
    }

    /// Feed a chunk to a chunked preview: `[bytes read, events, matched]`.
    #[wasm_bindgen(js_name = "__previewPush", skip_typescript)]
    pub fn preview_push(
        &self,
        session: &mut PreviewSession,
        chunk: &[u8],
    ) -> Result<Vec<f64>, JsValue> {
        session.push(&self.inner, chunk)
    }

    /// The end of a chunked preview: its result.
    #[wasm_bindgen(js_name = "__previewFinish", skip_typescript)]
    pub fn preview_finish(&self, session: &mut PreviewSession) -> Result<JsValue, JsValue> {
        session.finish(&self.inner)
    }

    /// The rows of a chunked preview decided since the last call, taken out
    /// of the session (`previewStream`'s `onRows`): held rows are only ever
    /// one chunk's.
    #[wasm_bindgen(js_name = "__previewRows", skip_typescript)]
    pub fn preview_rows(&self, session: &mut PreviewSession) -> Result<JsValue, JsValue> {
        session.rows()
    }

    /// The request the vendor would send, or `null` when the event does not
    /// match. `deliver(null, { handshake: true })` previews Asana's handshake;
    /// `deliver(null, { test: true })` a vendor's test delivery.
    #[wasm_bindgen(unchecked_return_type = "Delivery | null")]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn deliver(
        &self,
        #[wasm_bindgen(unchecked_param_type = "EventInput | null")] event: JsValue,
        options: Option<DeliverOptionsArg>,
    ) -> Result<JsValue, JsValue> {
        let DeliverOptionsIn(mut opts) = read_options::<DeliverOptionsIn>(
            options.as_ref().map(AsRef::as_ref),
            "deliver options",
        )?;
        opts.now_ms = Some(js_sys::Date::now());
        opts.random = random_bytes();
        let bytes = if event.is_null() || event.is_undefined() {
            None
        } else {
            expect_plain(&event, "the event")?;
            Some(input_bytes(&event, "the event")?)
        };
        match self
            .inner
            .deliver_text(bytes.as_deref(), &opts)
            .map_err(|e| js_error(&e))?
        {
            Some(d) => to_js(&d),
            None => Ok(JsValue::NULL),
        }
    }

    /// The JSON text of event `index` of a batch, read as `preview` reads
    /// it (the playground's detail view); `undefined` past the end.
    #[wasm_bindgen(js_name = "__eventAt", skip_typescript)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn event_at(
        &self,
        events: JsValue,
        index: u32,
        options: JsValue,
    ) -> Result<Option<String>, JsValue> {
        let mut opts: crate::preview::PreviewOptions =
            read_options::<PreviewOptionsIn>(Some(&options), "options")?.into();
        if is_array(&events) {
            opts.format = crate::preview::Format::Json;
        }
        let bytes = input_bytes(&events, "the events")?;
        self.inner
            .event_text_at(&bytes, opts.format, index as usize)
            .map_err(|e| js_error(&e))
    }

    /// The smallest event that fires; with `fail`, one that fails that
    /// filter and passes the gate; with `base`, the fewest changes to
    /// `base`. `null` when there is none. Every event is checked first.
    #[cfg(feature = "analysis")]
    #[wasm_bindgen(unchecked_return_type = "Record<string, unknown> | null")]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn example(&self, options: Option<ExampleOptionsArg>) -> Result<JsValue, JsValue> {
        let opts =
            read_options::<ExampleOptions>(options.as_ref().map(AsRef::as_ref), "example options")?;
        match self
            .inner
            .example(opts.fail.as_ref(), opts.base.as_ref())
            .map_err(|e| js_error(&e))?
        {
            Some(event) => to_js(&event),
            None => Ok(JsValue::NULL),
        }
    }

    /// The core module's `[spec text, compile options as JSON]`, secrets
    /// included: runtime.js hands them to the analysis module for
    /// `sub.example()`. Private: runtime.js removes it from the objects
    /// callers hold, and the full module (every other entry) has none.
    #[cfg(not(feature = "analysis"))]
    #[wasm_bindgen(js_name = "__specText", skip_typescript)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn spec_text(&self) -> Vec<String> {
        self.source.to_vec()
    }

    /// The normalized spec, secrets redacted.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "SpecJSON")]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.to_json())
    }

    /// A short description without secrets, for `String(sub)` and logs.
    #[wasm_bindgen(js_name = toString)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn to_string_js(&self) -> String {
        format!("Subscription({})", self.inner.dialect().name())
    }
}

/// Many subscriptions, one event: indexed by gate and `eq` values.
#[wasm_bindgen(js_name = SubscriptionSet)]
pub struct JsSubscriptionSet {
    inner: crate::set::SubscriptionSet,
    /// Each matched id as a JS string, made once per member on its first
    /// match: decoding an id on every match cost more than matching did.
    js_ids: std::cell::RefCell<Vec<Option<JsValue>>>,
    /// Without the analysis, how the set was made, for `set.lint()` in the
    /// full module: `"c", entries` for the compile, then `"a", id, spec,
    /// options` per add and `"r", id` per removal that changed it. Replayed
    /// in order they make the same members (compiling is deterministic).
    #[cfg(not(feature = "analysis"))]
    history: Vec<String>,
}

#[wasm_bindgen(js_class = SubscriptionSet)]
impl JsSubscriptionSet {
    /// The fields the set's members read, as JSON (see `objects.js`).
    #[wasm_bindgen(js_name = "__projection", skip_typescript)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn projection_json(&self) -> String {
        crate::json::text(&self.inner.projection_export())
    }

    /// Compile `[{ id, spec, dialect? }]` (or its JSON text). Invalid entries
    /// are listed in `errors` with their id and path; the others compile.
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn compile(
        #[wasm_bindgen(unchecked_param_type = "SetEntry[] | string")] entries: JsValue,
    ) -> Result<JsSubscriptionSet, JsValue> {
        let text = input_text(&entries, "the entries")?;
        let value = crate::json::parse(text.as_bytes(), "the entries").map_err(|e| js_error(&e))?;
        let inner = crate::set::SubscriptionSet::compile(&value).map_err(|e| js_error(&e))?;
        Ok(JsSubscriptionSet {
            inner,
            js_ids: Default::default(),
            #[cfg(not(feature = "analysis"))]
            history: vec!["c".into(), text],
        })
    }

    /// Entries that did not compile.
    #[wasm_bindgen(getter, unchecked_return_type = "SetError[]")]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn errors(&self) -> Result<JsValue, JsValue> {
        to_js(self.inner.errors())
    }

    #[wasm_bindgen(getter)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn size(&self) -> u32 {
        u32::try_from(self.inner.size()).unwrap_or(u32::MAX)
    }

    /// The ids whose subscriptions fire for this event, in insertion order.
    #[wasm_bindgen(js_name = "match", unchecked_return_type = "string[]")]
    pub fn match_event(
        &self,
        #[wasm_bindgen(unchecked_param_type = "EventInput")] event: JsValue,
    ) -> Result<JsValue, JsValue> {
        let positions = with_event_bytes(&event, "the event", |b| self.inner.match_positions(b))?
            .map_err(|e| js_error(&e))?;
        Ok(self.ids_of(&positions))
    }

    /// The explanation of one member for this event.
    #[wasm_bindgen(unchecked_return_type = "Explanation")]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn explain(
        &self,
        #[wasm_bindgen(unchecked_param_type = "EventInput")] event: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) -> Result<JsValue, JsValue> {
        let id = id_string(&id)?;
        expect_plain(&event, "the event")?;
        let bytes = input_bytes(&event, "the event")?;
        let value = crate::json::parse(&bytes, "the event").map_err(|e| js_error(&e))?;
        to_js(&self.inner.explain(&value, &id).map_err(|e| js_error(&e))?)
    }

    /// Matches per id over a batch (`{ format, maxErrors }` as a
    /// subscription's preview reads them).
    #[wasm_bindgen(unchecked_return_type = "SetPreviewResult")]
    pub fn preview(
        &self,
        #[wasm_bindgen(unchecked_param_type = "EventsInput")] events: JsValue,
        options: Option<SetPreviewOptionsArg>,
    ) -> Result<JsValue, JsValue> {
        let mut opts = read_options::<PreviewOptionsIn>(
            options.as_ref().map(AsRef::as_ref),
            "preview options",
        )?
        .for_set()
        .map_err(|e| js_error(&e))?;
        if is_array(&events) {
            // An array of events has no lines.
            opts.format = crate::preview::Format::Json;
        }
        to_js(&preview_events(&self.inner, &events, opts)?)
    }

    /// Start a chunked preview (`previewStream` in the entries).
    #[wasm_bindgen(js_name = "__previewStart", skip_typescript)]
    pub fn preview_start(&self, options: JsValue) -> Result<PreviewSession, JsValue> {
        let opts = read_options::<PreviewOptionsIn>(Some(&options), "previewStream options")?
            .for_set()
            .map_err(|e| js_error(&e))?;
        Ok(PreviewSession::start(&self.inner, opts))
    }

    /// Feed a chunk to a chunked preview: `[bytes read, events, matched]`.
    #[wasm_bindgen(js_name = "__previewPush", skip_typescript)]
    pub fn preview_push(
        &self,
        session: &mut PreviewSession,
        chunk: &[u8],
    ) -> Result<Vec<f64>, JsValue> {
        session.push(&self.inner, chunk)
    }

    /// The end of a chunked preview: its result.
    #[wasm_bindgen(js_name = "__previewFinish", skip_typescript)]
    pub fn preview_finish(&self, session: &mut PreviewSession) -> Result<JsValue, JsValue> {
        session.finish(&self.inner)
    }

    /// Add a subscription (compile options, and a set entry's `options` and
    /// `deliver`); throws like `Subscription.compile` on an invalid spec or a used id.
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn add(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "SpecInput")] spec: JsValue,
        options: Option<SetEntryOptionsArg>,
    ) -> Result<(), JsValue> {
        let id = id_string(&id)?;
        let crate::set::EntryOptions { options, deliver } =
            read_options(options.as_ref().map(AsRef::as_ref), "add options")?;
        expect_plain(&spec, "the spec")?;
        let text = input_text(&spec, "the spec")?;
        let spec =
            crate::json::parse(text.as_bytes(), "the spec").map_err(|e| js_error(&e.at("")))?;
        let member = crate::set::NewMember {
            id: &id,
            spec: &spec,
            options,
            deliver,
        };
        self.inner.add_member(member).map_err(|e| js_error(&e))?;
        #[cfg(not(feature = "analysis"))]
        self.history
            .extend(["a".into(), id, text, options_json(&options)]);
        Ok(())
    }

    /// For each member that fires, in insertion order, what its own
    /// `deliver(event, { ...member.deliver, ...options })` returns; members
    /// whose vendor refuses the message (Workfront's size limit) are left out.
    #[wasm_bindgen(unchecked_return_type = "SetDelivery[]")]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn deliver(
        &self,
        #[wasm_bindgen(unchecked_param_type = "EventInput")] event: JsValue,
        options: Option<DeliverOptionsArg>,
    ) -> Result<JsValue, JsValue> {
        let given = options.as_ref().map(AsRef::as_ref);
        let mut opts: crate::set::DeliverDefaults = read_options(given, "deliver options")?;
        // A key given as `undefined` drops the member's default, as the
        // spread does (JSON.stringify would have left it out).
        let keys = given.and_then(|o| object_keys(o).ok()).unwrap_or_default();
        for key in keys.iter().filter_map(|k| k.as_string()) {
            let v = given.and_then(|o| Reflect::get(o, &JsValue::from_str(&key)).ok());
            if v.is_some_and(|v| v.is_undefined()) {
                opts.unset(&key);
            }
        }
        if event.is_null() || event.is_undefined() {
            let message = "set.deliver needs an event (a handshake or a test delivery is one member's: Subscription#deliver)";
            return Err(js_error(&Error::new(Code::InvalidInput, message)));
        }
        expect_plain(&event, "the event")?;
        let bytes = input_bytes(&event, "the event")?;
        let out = self
            .inner
            .deliver_text(&bytes, &opts, Some(js_sys::Date::now()), random_bytes())
            .map_err(|e| js_error(&e))?;
        to_js(&out)
    }

    /// Remove a subscription; `false` when the id is not in the set.
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn remove(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) -> Result<bool, JsValue> {
        let id = id_string(&id)?;
        if let Some(pos) = self.inner.position(&id) {
            if let Some(slot) = self.js_ids.borrow_mut().get_mut(pos) {
                *slot = None;
            }
        }
        let generation = self.inner.generation();
        let removed = self.inner.remove(&id);
        if self.inner.generation() != generation {
            // Positions were renumbered: the cache by position is stale.
            self.js_ids.borrow_mut().clear();
        }
        #[cfg(not(feature = "analysis"))]
        if removed {
            forget(&mut self.history, id);
        }
        Ok(removed)
    }

    /// Ids in insertion order.
    #[wasm_bindgen(unchecked_return_type = "string[]")]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn ids(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.ids())
    }

    /// The core module's history of this set (see `history`), secrets
    /// included, for `set.lint()` in the analysis module; private as
    /// `Subscription#__specText` is.
    #[cfg(not(feature = "analysis"))]
    #[wasm_bindgen(js_name = "__specText", skip_typescript)]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn spec_text(&self) -> Vec<String> {
        self.history.clone()
    }

    /// Members with findings, in insertion order: their warnings, analysis
    /// findings, `duplicate_subscription` and `overlapping_delivery`.
    #[cfg(feature = "analysis")]
    #[wasm_bindgen(unchecked_return_type = "SetLintEntry[]")]
    #[cfg_attr(hookmatch_package, optimize(size))]
    pub fn lint(&self) -> Result<JsValue, JsValue> {
        let entries: Vec<crate::set::SetLintEntry> = self
            .inner
            .lint()
            .into_iter()
            .map(|(id, diagnostics)| crate::set::SetLintEntry { id, diagnostics })
            .collect();
        to_js(&entries)
    }
}

impl JsSubscriptionSet {
    /// The ids at `positions` as a JS array, each id's string made once per
    /// member and kept (the cache `match` keeps too).
    fn ids_of(&self, positions: &[usize]) -> JsValue {
        let mut cache = self.js_ids.borrow_mut();
        let out = js_sys::Array::new_with_length(positions.len() as u32);
        for (i, &pos) in positions.iter().enumerate() {
            if cache.len() <= pos {
                cache.resize(pos + 1, None);
            }
            let Some(slot) = cache.get_mut(pos) else {
                continue;
            };
            let id = match slot {
                Some(id) => id,
                None => slot.insert(JsValue::from_str(self.inner.id_at(pos).unwrap_or_default())),
            };
            out.set(i as u32, id.clone());
        }
        out.into()
    }
}

/// `validate`'s diagnostics plus the analysis findings (`never_matches`,
/// `always_passes`, `redundant_filter`, `duplicate_filter`). Never throws on
/// a bad spec.
#[cfg(feature = "analysis")]
#[wasm_bindgen(unchecked_return_type = "Diagnostic[]")]
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn lint(
    #[wasm_bindgen(unchecked_param_type = "SpecInput")] spec: JsValue,
    options: Option<LintOptionsArg>,
) -> Result<JsValue, JsValue> {
    // `events` changes no finding (they hold for every event): checked, not read.
    let (opts, _) = analysis_options(options.as_ref().map(AsRef::as_ref), "lint options", false)?;
    let compile = opts.spec.to_compile().map_err(|e| js_error(&e))?;
    expect_plain(&spec, "the spec")?;
    let text = input_text(&spec, "the spec")?;
    let diags = subscription::lint_text(text.as_bytes(), compile).map_err(|e| js_error(&e))?;
    to_js(&diags)
}

/// What an edit gains and loses: the relation, checked witnesses, and with
/// `events` the batch's indices. Throws the compile error of an invalid
/// spec, its path under `/before` or `/after`.
#[cfg(feature = "analysis")]
#[wasm_bindgen(unchecked_return_type = "Diff")]
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn diff(
    #[wasm_bindgen(unchecked_param_type = "SpecInput")] before: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SpecInput")] after: JsValue,
    options: Option<DiffOptionsArg>,
) -> Result<JsValue, JsValue> {
    let (opts, events) =
        analysis_options(options.as_ref().map(AsRef::as_ref), "diff options", true)?;
    let compile = opts.spec.to_compile().map_err(|e| js_error(&e))?;
    let read = |v: &JsValue, side: &str| -> Result<serde_json::Value, JsValue> {
        let what = format!("the {} spec", &side[1..]);
        expect_plain(v, &what)?;
        let text = input_text(v, &what)?;
        crate::json::parse(text.as_bytes(), "the spec").map_err(|e| js_error(&e.at("").under(side)))
    };
    let (a, b) = (read(&before, "/before")?, read(&after, "/after")?);
    let events = events
        .as_ref()
        .map(|(bytes, format)| (bytes.as_slice(), *format));
    let result = subscription::diff_batch(&a, &b, compile, events).map_err(|e| js_error(&e))?;
    to_js(&result)
}

/// A batch's bytes and how they are written.
#[cfg(feature = "analysis")]
type Batch = (Vec<u8>, crate::preview::Format);

/// `diff`'s and `lint`'s options, with `events` apart from the others
/// (read as `preview` reads a batch when `read`): the options are read
/// through their JSON text, where one event that is not JSON (a lone
/// surrogate) would make the whole options unreadable instead of one entry
/// of `events.errors`.
#[cfg(feature = "analysis")]
#[cfg_attr(hookmatch_package, optimize(size))]
fn analysis_options(
    o: Option<&JsValue>,
    what: &str,
    read: bool,
) -> Result<(AnalysisOptions, Option<Batch>), JsValue> {
    let given = o.filter(|o| o.is_object() && !is_array(o));
    let events = given
        .and_then(|o| Reflect::get(o, &JsValue::from_str("events")).ok())
        .filter(|e| !e.is_undefined() && !e.is_null());
    let (Some(o), Some(events)) = (given, events) else {
        return Ok((read_options::<AnalysisOptions>(o, what)?, None));
    };
    let rest = object_assign(&js_sys::Object::new(), o).map_err(|e| {
        js_error(&Error::new(
            Code::InvalidInput,
            format!("{what} cannot be read: {}", thrown_message(&e)),
        ))
    })?;
    let _ = Reflect::delete_property(&rest, &JsValue::from_str("events"));
    let opts = read_options::<AnalysisOptions>(Some(rest.as_ref()), what)?;
    let format = if is_array(&events) {
        // An array of events has no lines, as in `preview`.
        crate::preview::Format::Json
    } else if events.is_string() || events.dyn_ref::<Uint8Array>().is_some() {
        crate::preview::Format::Auto
    } else {
        return Err(js_error(
            &Error::new(
                Code::InvalidInput,
                format!("{what} events must be an array of events or their JSON/NDJSON text"),
            )
            .at("/events"),
        ));
    };
    if !read {
        return Ok((opts, None));
    }
    Ok((opts, Some((input_bytes(&events, "the events")?, format))))
}

/// Every diagnostic of a spec; `[]` when valid. Never throws on a bad spec.
#[wasm_bindgen(unchecked_return_type = "Diagnostic[]")]
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn validate(
    #[wasm_bindgen(unchecked_param_type = "SpecInput")] spec: JsValue,
    options: Option<ValidateOptionsArg>,
) -> Result<JsValue, JsValue> {
    let opts = spec_options(options.as_ref().map(AsRef::as_ref), "validate options")?;
    expect_plain(&spec, "the spec")?;
    let text = input_text(&spec, "the spec")?;
    let diags = subscription::validate_text(text.as_bytes(), opts).map_err(|e| js_error(&e))?;
    to_js(&diags)
}

/// Every dialect of the registry as data: its name, its vendor, the spec
/// keys detection reads and the spec fields that hold secrets, so that
/// tools list vendors from here rather than from lists of their own.
#[wasm_bindgen(unchecked_return_type = "DialectInfo[]")]
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn dialects() -> Result<JsValue, JsValue> {
    to_js(&crate::dialect::infos())
}

/// Check a delivery's signature (Standard Webhooks, Asana's X-Hook-Signature
/// or ricloud's Ricloud-Signature) in constant time; `false` for a missing,
/// wrong or stale signature.
#[wasm_bindgen]
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn verify(
    #[wasm_bindgen(
        unchecked_param_type = "Delivery | { headers: Record<string, string>; body: string }"
    )]
    delivery: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] secret: JsValue,
    options: Option<VerifyOptionsArg>,
) -> Result<bool, JsValue> {
    let Some(secret) = secret.as_string() else {
        return Err(js_error(&Error::new(
            Code::InvalidInput,
            "verify needs the secret as a string",
        )));
    };
    let text = input_text(&delivery, "the delivery")?;
    let value =
        crate::json::parse_flat(text.as_bytes(), "the delivery").map_err(|e| js_error(&e))?;
    let given =
        read_options::<VerifyOptionsIn>(options.as_ref().map(AsRef::as_ref), "verify options")?;
    let opts = crate::signing::VerifyOptions {
        now: given
            .now
            .unwrap_or((js_sys::Date::now() / 1000.0).floor() as i64),
        tolerance: given.tolerance,
    };
    crate::dialect::verify_scheme(&value, &secret, opts, given.scheme.as_deref())
        .map_err(|e| js_error(&e))
}

/// RFC 4648 base64 of a string (as UTF-8) or bytes: standard and padded, or
/// URL-safe and unpadded with `{ alphabet: "url" }`.
#[wasm_bindgen(js_name = encodeBase64)]
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn encode_base64(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] input: JsValue,
    options: Option<Base64OptionsArg>,
) -> Result<String, JsValue> {
    let alphabet = alphabet(options.as_ref().map(AsRef::as_ref))?;
    if let Some(s) = input.dyn_ref::<js_sys::JsString>() {
        check_js_string_size(s, "the input")?;
        return Ok(base64::encode_with(&js_string_bytes(s), alphabet));
    }
    if let Some(bytes) = input.dyn_ref::<Uint8Array>() {
        crate::json::check_size(bytes.length() as usize, "the input").map_err(|e| js_error(&e))?;
        return Ok(base64::encode_with(
            &view_bytes(bytes, "the input")?,
            alphabet,
        ));
    }
    Err(js_error(&Error::new(
        Code::InvalidInput,
        "encodeBase64 takes a string or a Uint8Array",
    )))
}

/// Strict RFC 4648 decode; throws `invalid_base64` with the byte `offset`.
#[wasm_bindgen(js_name = decodeBase64)]
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn decode_base64(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
    options: Option<Base64OptionsArg>,
) -> Result<Uint8Array, JsValue> {
    let alphabet = alphabet(options.as_ref().map(AsRef::as_ref))?;
    let Some(s) = input.dyn_ref::<js_sys::JsString>() else {
        return Err(js_error(&Error::new(
            Code::InvalidInput,
            "decodeBase64 takes a string",
        )));
    };
    check_js_string_size(s, "the input")?;
    match base64::decode_with(&js_string_bytes(s), alphabet) {
        Ok(bytes) => Ok(Uint8Array::from(bytes.as_slice())),
        Err(b) => {
            let mut err = Error::new(
                Code::InvalidBase64,
                format!("invalid base64: {}", b.message),
            );
            err.offset = Some(crate::json::to_u32(b.offset));
            Err(js_error(&err))
        }
    }
}

/// Set limits for every later call (see `Limits`).
#[wasm_bindgen(js_name = setLimits)]
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn set_limits(
    #[wasm_bindgen(unchecked_param_type = "Limits")] limits: JsValue,
) -> Result<(), JsValue> {
    let limits = read_options::<LimitsIn>(Some(&limits), "limits")?;
    if let Some(max) = limits.max_input_bytes {
        crate::json::set_max_input_bytes(max as usize);
    }
    if let Some(max) = limits.max_tree_bytes {
        crate::json::set_max_tree_bytes(max as usize);
    }
    Ok(())
}

/// The limits in force, `[maxInputBytes, maxTreeBytes]`: runtime.js reads
/// them after each `setLimits` so that a fresh module (after a trap) starts
/// with the limits the page set, not the defaults.
#[wasm_bindgen(js_name = "__limits", skip_typescript)]
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn limits_in_force() -> Vec<f64> {
    vec![
        crate::json::max_input_bytes() as f64,
        crate::json::max_tree_bytes() as f64,
    ]
}

/// Trap on purpose: the tests' only way to reach runtime.js's recovery (a
/// trap turned into `internal`, a fresh module, older objects `freed`),
/// since no input should reach a trap. Not exported by any entry.
#[wasm_bindgen(js_name = "__trap", skip_typescript)]
#[cfg_attr(hookmatch_package, optimize(size))]
pub fn trap_for_tests() {
    #[cfg(target_arch = "wasm32")]
    core::arch::wasm32::unreachable();
}

// ------------------------------------------------------------ conversions

thread_local! {
    /// `JSON.stringify`'s replacer for options: a function or symbol
    /// becomes `null`, so an unknown key that holds one is still named
    /// (the plain `JSON.stringify` drops it without a word). A number that
    /// is not finite (which JSON.stringify would silently make `null`, the
    /// same as absent) is noted in [`NON_FINITE`] and refused.
    static REPLACER: Closure<dyn Fn(JsValue, JsValue) -> JsValue> =
        Closure::new(|key: JsValue, value: JsValue| {
            if value.is_function() || value.is_symbol() {
                return JsValue::NULL;
            }
            if value.as_f64().is_some_and(|n| !n.is_finite()) {
                NON_FINITE.with(|k| {
                    k.borrow_mut()
                        .get_or_insert_with(|| (key.as_string().unwrap_or_default(), value.as_f64().unwrap_or_default()));
                });
                return JsValue::NULL;
            }
            value
        });
    /// The first key that held NaN or ±Infinity in the options being read.
    static NON_FINITE: std::cell::RefCell<Option<(String, f64)>> =
        const { std::cell::RefCell::new(None) };
}

/// The message of something JS threw (an Error's, or its text).
#[cfg_attr(hookmatch_package, optimize(size))]
fn thrown_message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "it threw".to_string())
}

/// An options object (or `undefined`/`null`: every default) as its Rust struct.
#[cfg_attr(hookmatch_package, optimize(size))]
fn read_options<T: crate::options::Options>(o: Option<&JsValue>, what: &str) -> Result<T, JsValue> {
    match options_text(o, what)? {
        None => Ok(T::default()),
        Some(text) => crate::options::parse(&text, what).map_err(|e| js_error(&e)),
    }
}

/// The JSON text of an options object (`None`: none given), refused when
/// it is not a plain object or holds a non-finite number. Apart from
/// [`read_options`], which is built once per options type: with this
/// body inside, each of its copies was 2.5 KB.
#[cfg_attr(hookmatch_package, optimize(size))]
#[inline(never)]
fn options_text(o: Option<&JsValue>, what: &str) -> Result<Option<String>, JsValue> {
    let Some(o) = o.filter(|o| !o.is_undefined() && !o.is_null()) else {
        return Ok(None);
    };
    if !o.is_object() || is_array(o) {
        return Err(js_error(&Error::new(
            Code::InvalidInput,
            format!("{what} must be an object, such as {{ dialect: \"workfront\" }}"),
        )));
    }
    // A Map of options would read as {} and every option be lost.
    expect_plain(o, what)?;
    NON_FINITE.with(|k| k.borrow_mut().take());
    let text = REPLACER
        .with(|r| JSON::stringify_with_replacer(o, r.as_ref().unchecked_ref()))
        .map_err(|e| {
            js_error(&Error::new(
                Code::InvalidInput,
                format!(
                    "{what} cannot be read as JSON (a cycle, a BigInt, a revoked Proxy or a getter that throws): {}",
                    thrown_message(&e)
                ),
            ))
        })?;
    if let Some((key, n)) = NON_FINITE.with(|k| k.borrow_mut().take()) {
        let n = if n.is_nan() {
            "NaN"
        } else if n > 0.0 {
            "Infinity"
        } else {
            "-Infinity"
        };
        let mut e = Error::new(
            Code::InvalidInput,
            format!("{what} {key} is {n}; give a finite number"),
        );
        if !key.is_empty() {
            e = e.at(crate::error::join("", &key));
        }
        return Err(js_error(&e));
    }
    let text = text.as_string().ok_or_else(|| {
        js_error(&Error::new(
            Code::InvalidInput,
            format!("{what} cannot be read as JSON"),
        ))
    })?;
    Ok(Some(text))
}

/// Record that member `id` was removed from a set's `history`. A member
/// that an add put there loses that add instead (the two together change
/// nothing the replay makes), so a set that keeps adding and removing
/// holds a history the size of its members, not of every add it saw.
#[cfg(not(feature = "analysis"))]
#[cfg_attr(hookmatch_package, optimize(size))]
fn forget(history: &mut Vec<String>, id: String) {
    let mut last_add = None;
    let mut i = 2;
    while let Some(op) = history.get(i) {
        if op == "a" {
            if history.get(i + 1) == Some(&id) {
                last_add = Some(i);
            }
            i += 4;
        } else {
            i += 2;
        }
    }
    match last_add {
        Some(at) if at + 4 <= history.len() => {
            history.drain(at..at + 4);
        }
        _ => history.extend(["r".into(), id]),
    }
}

/// Compile options as the JSON object `compile` reads them (for the
/// analysis module, which compiles the core module's specs again).
#[cfg(not(feature = "analysis"))]
#[cfg_attr(hookmatch_package, optimize(size))]
fn options_json(o: &CompileOptions) -> String {
    let mut m = serde_json::Map::new();
    if let Some(d) = o.dialect {
        m.insert("dialect".into(), d.name().into());
    }
    if o.update {
        m.insert("update".into(), true.into());
    }
    if o.allow_private_networks {
        m.insert("allowPrivateNetworks".into(), true.into());
    }
    crate::json::text(&serde_json::Value::Object(m))
}

#[cfg_attr(hookmatch_package, optimize(size))]
fn spec_options(o: Option<&JsValue>, what: &str) -> Result<CompileOptions, JsValue> {
    read_options::<SpecOptions>(o, what)?
        .to_compile()
        .map_err(|e| js_error(&e))
}

#[cfg_attr(hookmatch_package, optimize(size))]
fn alphabet(o: Option<&JsValue>) -> Result<Alphabet, JsValue> {
    Ok(
        if read_options::<Base64OptionsIn>(o, "base64 options")?.url {
            Alphabet::Url
        } else {
            Alphabet::Standard
        },
    )
}

/// A member id: a string, or `invalid_input` (wasm-bindgen's own `&str`
/// conversion would read out of bounds on a number).
#[cfg_attr(hookmatch_package, optimize(size))]
fn id_string(id: &JsValue) -> Result<String, JsValue> {
    id.as_string().ok_or_else(|| {
        js_error(&Error::new(Code::InvalidInput, "the id must be a string").at("/id"))
    })
}

/// A chunked preview between calls, a subscription's or a set's: the one
/// driver ([`PreviewState`]) over what its batch tallies. The state is held
/// as `Any` so that one class serves both; each call takes it back as the
/// state of its own batch's kind.
#[wasm_bindgen(skip_typescript)]
pub struct PreviewSession {
    state: Option<Box<dyn std::any::Any>>,
}

impl PreviewSession {
    fn start<B: crate::preview::Batch>(
        batch: &B,
        opts: crate::preview::PreviewOptions,
    ) -> PreviewSession
    where
        B::Tally: 'static,
    {
        PreviewSession {
            state: Some(Box::new(PreviewState::new(batch, opts))),
        }
    }

    /// Feed a chunk: `[bytes read, events, matched]`.
    fn push<B: crate::preview::Batch>(
        &mut self,
        batch: &B,
        chunk: &[u8],
    ) -> Result<Vec<f64>, JsValue>
    where
        B::Tally: 'static,
    {
        let state = self.state.as_mut().ok_or_else(ended)?;
        let state = state
            .downcast_mut::<PreviewState<B::Tally>>()
            .ok_or_else(other_kind)?;
        state.push(batch, chunk).map_err(|e| js_error(&e))?;
        Ok(vec![
            state.bytes() as f64,
            state.events() as f64,
            state.matched() as f64,
        ])
    }

    /// A subscription's rows decided since the last call, taken out.
    fn rows(&mut self) -> Result<JsValue, JsValue> {
        let state = self.state.as_mut().ok_or_else(ended)?;
        let state = state
            .downcast_mut::<PreviewState<crate::preview::Tally>>()
            .ok_or_else(other_kind)?;
        to_js(&state.tally_mut().take_rows())
    }

    /// The end of the input: the batch's result.
    fn finish<B: crate::preview::Batch>(&mut self, batch: &B) -> Result<JsValue, JsValue>
    where
        B::Tally: 'static,
        B::Result: Serialize,
    {
        let state = self.state.take().ok_or_else(ended)?;
        match state.downcast::<PreviewState<B::Tally>>() {
            Ok(state) => to_js(&state.finish(batch)),
            Err(state) => {
                self.state = Some(state);
                Err(other_kind())
            }
        }
    }
}

#[cfg_attr(hookmatch_package, optimize(size))]
fn ended() -> JsValue {
    js_error(&Error::new(
        Code::InvalidInput,
        "this preview stream has already finished",
    ))
}

#[cfg_attr(hookmatch_package, optimize(size))]
fn other_kind() -> JsValue {
    js_error(&Error::new(
        Code::InvalidInput,
        "this preview stream was started by a Subscription and fed to a SubscriptionSet, or the other way round",
    ))
}

/// A JSON input as text: strings as they are, anything else through
/// `JSON.stringify` (so `__proto__` keys stay data, and objects cost the same
/// one parse as text).
fn input_text(v: &JsValue, what: &str) -> Result<String, JsValue> {
    // encodeInto writes well-formed UTF-8 (lone surrogates become U+FFFD);
    // only a Uint8Array can hold anything else.
    String::from_utf8(input_bytes(v, what)?).map_err(|_| {
        js_error(&Error::new(
            Code::InvalidInput,
            format!("{what} is not valid text"),
        ))
    })
}

/// How much of a `Uint8Array` crosses into wasm at a time for `preview`.
/// Copied whole, 24 MB of NDJSON were written to memory and read back by
/// the scanner; a quarter MiB at a time stays in the cache between the copy
/// and the read: 955 -> 1,045 MiB/s in Node (64 KiB: 985, 1 MiB: 1,011), and
/// wasm memory holds a chunk plus the longest line instead of the input.
const PREVIEW_CHUNK: u32 = 256 * 1024;

/// A batch's `preview` of `events`: bytes and long strings in chunks
/// through the one batch driver (whose answer does not depend on how its
/// input is cut, as `previewStream` promises; tests/chunking.rs); anything
/// else whole. A string goes 64 Ki units at a time through the scratch
/// buffer small events use, instead of a copy of all of it.
fn preview_events<B: crate::preview::Batch>(
    batch: &B,
    events: &JsValue,
    opts: crate::preview::PreviewOptions,
) -> Result<B::Result, JsValue> {
    if let Some(text) = events.dyn_ref::<js_sys::JsString>() {
        let units = text.length();
        if units > SCRATCH_MAX_UNITS as u32 {
            check_js_string_size(text, "the events")?;
            let mut state = PreviewState::new(batch, opts);
            let mut at = 0;
            while at < units {
                let mut end = at.saturating_add(SCRATCH_MAX_UNITS as u32).min(units);
                // A surrogate pair is never cut (halves would each become
                // U+FFFD); a lone one is encoded as U+FFFD either way.
                if end < units && (0xD800..0xDC00).contains(&(text.char_code_at(end - 1) as u32)) {
                    end -= 1;
                }
                let part = text.slice(at, end);
                strings::with_small_string_bytes(&part, (end - at) as usize, |b| {
                    state.push(batch, b)
                })
                .map_err(|e| js_error(&e))?;
                at = end;
            }
            return Ok(state.finish(batch));
        }
    }
    if let Some(bytes) = events.dyn_ref::<Uint8Array>() {
        let len = bytes.length();
        if len > PREVIEW_CHUNK {
            crate::json::check_size(len as usize, "the events").map_err(|e| js_error(&e))?;
            let mut state = PreviewState::new(batch, opts);
            let mut buf = vec![0u8; PREVIEW_CHUNK as usize];
            let mut at = 0;
            while at < len {
                let end = at.saturating_add(PREVIEW_CHUNK).min(len);
                let part = buf.get_mut(..(end - at) as usize).unwrap_or_default();
                bytes.subarray(at, end).copy_to(part);
                state.push(batch, part).map_err(|e| js_error(&e))?;
                at = end;
            }
            return Ok(state.finish(batch));
        }
    }
    let bytes = input_bytes(events, "the events")?;
    crate::preview::run(batch, &bytes, opts).map_err(|e| js_error(&e))
}

/// A JSON input as UTF-8 bytes: a `Uint8Array` as it is, a string through
/// `encodeInto`, anything else through `JSON.stringify` first.
fn input_bytes(v: &JsValue, what: &str) -> Result<Vec<u8>, JsValue> {
    // Each test is a call into JS: strings, the common case, go first.
    let text;
    let s = match v.dyn_ref::<js_sys::JsString>() {
        Some(s) => s,
        None => {
            if let Some(bytes) = v.dyn_ref::<Uint8Array>() {
                crate::json::check_size(bytes.length() as usize, what).map_err(|e| js_error(&e))?;
                return view_bytes(bytes, what);
            }
            text = stringify(v, what)?;
            &text
        }
    };
    check_js_string_size(s, what)?;
    Ok(js_string_bytes(s))
}

/// `JSON.stringify` of a value that is not a string, or why it is not JSON
/// data. Objects go straight to `JSON.stringify`; the reason for a failure
/// is looked for only after one.
fn stringify(v: &JsValue, what: &str) -> Result<js_sys::JsString, JsValue> {
    let fail = |message: String| js_error(&Error::new(Code::InvalidInput, message));
    match JSON::stringify(v) {
        Ok(text) => {
            // undefined (not a string) for undefined, a function or a symbol.
            if let Ok(s) = text.dyn_into::<js_sys::JsString>() {
                return Ok(s);
            }
        }
        Err(_) if !v.is_bigint() => {
            return Err(fail(format!(
                "{what} cannot be turned into JSON (a cycle, a BigInt or a throwing toJSON)"
            )))
        }
        Err(_) => {}
    }
    if v.is_undefined() {
        return Err(fail(format!("{what} is missing (undefined)")));
    }
    Err(fail(format!("{what} must be JSON data")))
}

/// Refuse a huge string before copying it into wasm memory. A JS string of
/// n UTF-16 units is at least n UTF-8 bytes.
fn check_js_string_size(s: &js_sys::JsString, what: &str) -> Result<(), JsValue> {
    crate::json::check_size(s.length() as usize, what).map_err(|e| js_error(&e))
}

/// Core data to a plain JS value, through JSON text: `JSON.parse` defines
/// keys such as `__proto__` as own data properties, never as prototypes.
#[cfg_attr(hookmatch_package, optimize(size))]
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    // Writing fails only on a map key that is not a string, which no
    // output type has; serde_json's error wording is not worth its bytes.
    let text = serde_json::to_string(value).map_err(|_| {
        js_error(&Error::new(
            Code::InvalidInput,
            "cannot encode the result as JSON",
        ))
    })?;
    JSON::parse(&text)
}

#[cfg_attr(hookmatch_package, optimize(size))]
fn js_error(e: &Error) -> JsValue {
    let code = e.public_code().as_str();
    let constructed = ERROR_CLASS.with(|c| {
        let class = c.borrow().clone()?;
        let args = js_sys::Array::of2(&JsValue::from_str(&e.message), &JsValue::from_str(code));
        Reflect::construct(&class, &args).ok()
    });
    let err: JsValue = match constructed {
        Some(err) => err,
        // Only the bare glue, without an entry's runtime: a plain Error.
        None => {
            let err = js_sys::Error::new(&e.message);
            err.set_name("HookmatchError");
            err.into()
        }
    };
    let set = |k: &str, v: JsValue| {
        let _ = Reflect::set(&err, &JsValue::from_str(k), &v);
    };
    set("code", JsValue::from_str(code));
    if let Some(p) = &e.path {
        set("path", JsValue::from_str(p));
    }
    if !e.diagnostics.is_empty() {
        if let Ok(d) = to_js(&e.diagnostics) {
            set("diagnostics", d);
        }
    }
    if let Some(l) = e.line {
        set("line", JsValue::from_f64(l as f64));
    }
    if let Some(c) = e.column {
        set("column", JsValue::from_f64(c as f64));
    }
    if let Some(o) = e.offset {
        set("offset", JsValue::from_f64(o as f64));
    }
    err
}
