//! The handover of JS strings into wasm memory: a string's UTF-8 bytes are
//! written by `TextEncoder.encodeInto` straight into a Rust buffer, through
//! a `Uint8Array` view over wasm memory.
//!
//! Why this is `unsafe`, and the only `unsafe` in the crate: a view over wasm
//! memory lets JS write into memory Rust owns, and a buffer's length must
//! then be set to what JS says it wrote. wasm-bindgen's own string argument
//! is safe but copies char by char in JS (measured: 70% of `decodeBase64`'s
//! time on 1 MiB); here it is one native call for ASCII text, two when it
//! holds non-ASCII, and for a small event one call into a buffer whose view
//! is made once.
//!
//! Two facts every SAFETY comment below leans on:
//! - wasm memory never moves: growing it keeps every address, but detaches
//!   the JS `ArrayBuffer` it had, and a view over a detached buffer has
//!   length 0, so JS can no longer write through it (never out of bounds).
//! - the source handed to `encodeInto` is a primitive string (`JsString`
//!   is checked with `typeof`), so the built-in call runs no user code
//!   (no `toString`, no getter): nothing can re-enter wasm, allocate or grow
//!   memory while JS writes. (Node checked: `encodeInto` into a view of a
//!   detached buffer returns `{ read: 0, written: 0 }`.)

// The crate root denies `unsafe_code`; this module, and only it, allows it.
#![allow(unsafe_code)]

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    type TextEncoder;
    #[wasm_bindgen(constructor)]
    fn new() -> TextEncoder;
    #[wasm_bindgen(method, js_name = encodeInto)]
    fn encode_into(
        this: &TextEncoder,
        source: &js_sys::JsString,
        destination: &Uint8Array,
    ) -> EncodeIntoResult;

    type EncodeIntoResult;
    #[wasm_bindgen(method, getter)]
    fn read(this: &EncodeIntoResult) -> f64;
    #[wasm_bindgen(method, getter)]
    fn written(this: &EncodeIntoResult) -> f64;
}

thread_local! {
    static ENCODER: TextEncoder = TextEncoder::new();
}

/// A JS string's UTF-8 bytes, written straight into wasm memory by
/// `TextEncoder.encodeInto`. wasm-bindgen's own string argument copies char
/// by char in JS (measured: 70% of `decodeBase64`'s time on 1 MiB); this is
/// one native call for ASCII text, two when it holds non-ASCII.
pub(super) fn js_string_bytes(s: &js_sys::JsString) -> Vec<u8> {
    let units = s.length() as usize;
    let mut out: Vec<u8> = Vec::with_capacity(units);
    let mut read = 0usize;
    let mut rest = s.clone();
    loop {
        let spare = out.capacity() - out.len();
        // SAFETY: `len <= capacity`, so the pointer stays inside (or one past)
        // `out`'s allocation and the view covers exactly its spare capacity,
        // memory only this local Vec owns and no Rust reference points into.
        // The view lives for this one encodeInto call, which runs no user
        // code and allocates nothing in wasm memory, so memory cannot grow
        // under it; had it grown, the view would be detached and JS would
        // write nothing (`written` 0), never outside the spare capacity.
        let (done, written) = unsafe {
            let view = Uint8Array::view_mut_raw(out.as_mut_ptr().add(out.len()), spare);
            let result = ENCODER.with(|e| e.encode_into(&rest, &view));
            (result.read() as usize, result.written() as usize)
        };
        // SAFETY: encodeInto initialised the first `written` bytes of the
        // view, which starts at `len`; capping at `spare` keeps the new
        // length within capacity even if JS reported more than it could.
        unsafe { out.set_len(out.len() + written.min(spare)) };
        read += done;
        if read >= units || (done == 0 && written == 0 && spare >= 4) {
            return out;
        }
        // Not all fit: what is left needs at most 3 bytes per UTF-16 unit.
        rest = s.substring(read as u32, units as u32);
        out.reserve((units - read) * 3);
    }
}

/// Strings up to this many UTF-16 units are encoded into [`SCRATCH`].
pub(super) const SCRATCH_MAX_UNITS: usize = 64 * 1024;

/// A buffer reused for every small string event, with a JS view over it made
/// once: per event that leaves one `encodeInto` call and one getter, where
/// [`js_string_bytes`] also makes a view, reads `read` and allocates.
struct Scratch {
    buf: Vec<u8>,
    view: Option<Uint8Array>,
    /// wasm memory's size (pages) when the view was made: growing memory
    /// detaches the old ArrayBuffer, and with it the view.
    pages: usize,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = const {
        std::cell::RefCell::new(Scratch { buf: Vec::new(), view: None, pages: 0 })
    };
}

/// Call `f` with the UTF-8 bytes of `s`, a string of `units` UTF-16 units
/// (at most [`SCRATCH_MAX_UNITS`]), encoded into [`SCRATCH`]; when the
/// scratch buffer is already in use (a re-entrant call) through
/// [`js_string_bytes`] instead.
pub(super) fn with_small_string_bytes<R>(
    s: &js_sys::JsString,
    units: usize,
    f: impl FnOnce(&[u8]) -> R,
) -> R {
    SCRATCH.with(|cell| {
        let Ok(mut scratch) = cell.try_borrow_mut() else {
            return f(&js_string_bytes(s));
        };
        // A UTF-16 unit is at most 3 UTF-8 bytes, so encodeInto always reads
        // the whole string and only `written` is needed.
        let need = units * 3;
        if scratch.buf.capacity() < need {
            scratch.buf = Vec::with_capacity(need.max(4096));
            scratch.view = None;
        }
        // Read after the only allocation above, so a growth it caused is seen.
        let pages = core::arch::wasm32::memory_size::<0>();
        if scratch.pages != pages {
            scratch.view = None;
        }
        let view = match &scratch.view {
            Some(view) => view.clone(),
            None => {
                let cap = scratch.buf.capacity();
                // SAFETY: the view covers exactly the buffer's allocation
                // (its capacity), which this thread-local owns: the buffer is
                // replaced above only together with dropping the view, never
                // reallocated otherwise (`clear` keeps it), and no one else
                // holds the view (it is never handed to user code), so JS
                // writes into it only in the encodeInto below, while the
                // RefCell is borrowed here and no Rust reference to the bytes
                // exists. Growing memory detaches the view; `pages` notices
                // and a new view is made before the next write.
                let view = unsafe { Uint8Array::view_mut_raw(scratch.buf.as_mut_ptr(), cap) };
                scratch.view = Some(view.clone());
                scratch.pages = pages;
                view
            }
        };
        // Nothing between the page count and this call allocates in wasm
        // memory, and encodeInto runs no user code, so the view is live.
        let written = ENCODER.with(|e| e.encode_into(s, &view)).written() as usize;
        let written = written.min(scratch.buf.capacity());
        // SAFETY: the view starts at the buffer's first byte, so encodeInto
        // initialised bytes `0..written`; `written` is capped at capacity.
        // Had the view been detached, `written` is 0 and the length 0.
        unsafe { scratch.buf.set_len(written) };
        let out = f(&scratch.buf);
        scratch.buf.clear();
        out
    })
}
