//! The handover of JS strings into wasm memory: a string's UTF-8 bytes are
//! written by `TextEncoder.encodeInto` straight into a Rust buffer, through
//! a `Uint8Array` view over wasm memory.
//!
//! Why this is `unsafe` (docs/architecture.md lists the modules allowed
//! it): a view over wasm memory lets JS write into memory Rust owns, and a
//! buffer's length must then be set to what JS says it wrote, and bytes
//! found to be ASCII are taken as text without a second pass. wasm-bindgen's
//! own string argument is safe but copies char by char in JS (measured: 70%
//! of `decodeBase64`'s time on 1 MiB); here it is one native call for ASCII
//! text, two when it holds non-ASCII, and for a small event one call into a
//! buffer whose view is made once.
//!
//! Events given to `matches` and `match` through the package's entries take
//! the inbox (below): objects.js writes the bytes itself and calls once, so
//! wasm never calls back into JS for them.
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

use super::{JsSubscription, JsSubscriptionSet};
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

// ------------------------------------------------------------------ inbox

/// A buffer that JS writes an event's UTF-8 bytes into itself (objects.js,
/// through a view it keeps), before one call into wasm that reads them:
/// where [`with_small_string_bytes`] calls from wasm back into JS four
/// times per event (the string's type and length, `encodeInto`, its
/// result), this path makes no call back at all.
struct Inbox {
    /// A zero-initialised allocation of `cap` bytes that only this
    /// thread-local owns (made by `Box::into_raw`, freed when replaced): no
    /// Rust reference to it outlives one call, so JS may write into it
    /// between calls.
    ptr: *mut u8,
    cap: usize,
    /// The key JS was given the current view with. A call naming another
    /// key wrote through a view of another buffer (an older one, or, after
    /// a restart, another instance's memory) and is refused, never read.
    key: f64,
}

impl Inbox {
    /// At least `need` bytes, in a fresh allocation if the current one is
    /// smaller (its old views then name freed memory: whoever calls this
    /// makes sure no old key is read under again).
    fn reserve(&mut self, need: usize) {
        if self.cap < need || self.ptr.is_null() {
            let cap = need.max(4096).next_power_of_two();
            let fresh = Box::into_raw(vec![0u8; cap].into_boxed_slice()).cast::<u8>();
            let old = core::mem::replace(&mut self.ptr, fresh);
            let old_cap = core::mem::replace(&mut self.cap, cap);
            if !old.is_null() {
                // SAFETY: `old` came from `Box::into_raw` of a boxed slice
                // of `old_cap` bytes above and is dropped only here, once.
                drop(unsafe { Box::from_raw(core::ptr::slice_from_raw_parts_mut(old, old_cap)) });
            }
        }
    }
}

thread_local! {
    static INBOX: std::cell::RefCell<Inbox> = const {
        std::cell::RefCell::new(Inbox { ptr: core::ptr::null_mut(), cap: 0, key: f64::NAN })
    };
}

/// A view over an inbox of at least `bytes` bytes, valid for calls that
/// pass `key` (objects.js counts keys up, so an older view's key never
/// matches). The view lives until wasm memory grows (it is then detached,
/// length 0, and JS asks again) or a larger inbox is asked for.
#[wasm_bindgen(js_name = "__inbox", skip_typescript)]
pub fn inbox(bytes: u32, key: f64) -> Uint8Array {
    INBOX.with(|cell| {
        let Ok(mut inbox) = cell.try_borrow_mut() else {
            // Only a call nested in an inbox read could land here, and
            // none calls back into JS: an empty view makes JS take the
            // plain path.
            return Uint8Array::new_with_length(0);
        };
        inbox.reserve(bytes as usize);
        inbox.key = key;
        // SAFETY: the view covers exactly the inbox's allocation, which
        // stays alive and unmoved until a later call replaces it (JS then
        // holds a view whose key no longer matches, and nothing is read
        // through it). Made after the only allocation here, so it is over
        // the current memory buffer. The view is handed to objects.js only,
        // which writes through it between calls, never during one.
        unsafe { Uint8Array::view_mut_raw(inbox.ptr, inbox.cap) }
    })
}

/// Call `f` with the first `len` bytes JS wrote into the inbox; `None`
/// when `key` is not the current view's (a stale view: JS asks again).
fn with_inbox<R>(len: u32, key: f64, f: impl FnOnce(&[u8]) -> R) -> Option<R> {
    INBOX.with(|cell| {
        let inbox = cell.try_borrow().ok()?;
        let len = len as usize;
        // A NaN key (no view made in this instance) equals nothing.
        if key != inbox.key || len > inbox.cap || inbox.ptr.is_null() {
            return None;
        }
        // SAFETY: `ptr` is a live, initialised allocation of `cap >= len`
        // bytes (zeroed when made; JS writes only bytes). JS runs no code
        // while `f` reads, so the bytes do not change under this shared
        // slice, which does not outlive this call.
        let bytes = unsafe { core::slice::from_raw_parts(inbox.ptr, len) };
        Some(f(bytes))
    })
}

/// The inbox's bytes as text. JS wrote them with `encodeInto` (or, for
/// short ASCII strings, a loop of char codes), which writes UTF-8, but any
/// page can write into a view it holds, so they are checked: ASCII is taken
/// as it is, anything else validated.
fn inbox_text(bytes: &[u8]) -> Result<&str, crate::Error> {
    if crate::json::is_ascii(bytes) {
        // SAFETY: every byte is below 0x80, and a sequence of ASCII bytes
        // is valid UTF-8.
        return Ok(unsafe { core::str::from_utf8_unchecked(bytes) });
    }
    crate::json::utf8(bytes, "the event")
}

/// What `f` answers for the event JS wrote into the inbox, a string of
/// `units` UTF-16 units (the plain path's size check, on its units); `None`
/// when the view was stale (JS then takes the plain path).
fn from_inbox<T>(
    units: u32,
    len: u32,
    key: f64,
    f: impl FnOnce(&[u8]) -> Result<T, crate::Error>,
) -> Result<Option<T>, JsValue> {
    crate::json::check_size(units as usize, "the event").map_err(|e| super::js_error(&e))?;
    with_inbox(len, key, f)
        .transpose()
        .map_err(|e| super::js_error(&e))
}

#[wasm_bindgen(js_class = Subscription)]
impl JsSubscription {
    /// `matches` of the string in the inbox: 0 or 1, and 2 when the view
    /// was stale.
    #[wasm_bindgen(js_name = "__matchesInbox", skip_typescript)]
    pub fn matches_inbox(&self, units: u32, len: u32, key: f64) -> Result<u32, JsValue> {
        Ok(
            from_inbox(units, len, key, |b| self.inner.matches_str(inbox_text(b)?))?
                .map_or(2, u32::from),
        )
    }
}

#[wasm_bindgen(js_class = SubscriptionSet)]
impl JsSubscriptionSet {
    /// `match` of the string in the inbox: the ids, or `undefined` when the
    /// view was stale.
    #[wasm_bindgen(js_name = "__matchInbox", skip_typescript)]
    pub fn match_inbox(&self, units: u32, len: u32, key: f64) -> Result<JsValue, JsValue> {
        let positions = from_inbox(units, len, key, |b| {
            self.inner.match_positions_str(inbox_text(b)?)
        })?;
        Ok(positions.map_or(JsValue::UNDEFINED, |p| self.ids_of(&p)))
    }

    /// `match` of the string in the inbox, answered as positions: the
    /// members' insertion positions are written over the inbox (u32,
    /// little-endian, from its first byte) and their count returned; -1
    /// when the view was stale. An inbox too small for them grows first
    /// (no key names it then: JS asks for a view of at least four bytes a
    /// position). -2, where they cannot be written (never on wasm32 with
    /// dlmalloc), leaves the event there for `__matchInbox`.
    ///
    /// objects.js turns them into ids from an array of the set's ids that
    /// it keeps (`__ids`). Handing each id across from here took one call
    /// into JS and one externref per id, a fifth of a 10,000-member match
    /// (docs/performance.md, "set.match").
    #[wasm_bindgen(js_name = "__matchInboxPositions", skip_typescript)]
    pub fn match_inbox_positions(&self, units: u32, len: u32, key: f64) -> Result<i32, JsValue> {
        let Some(positions) = from_inbox(units, len, key, |b| {
            self.inner.match_positions_str(inbox_text(b)?)
        })?
        else {
            return Ok(-1);
        };
        Ok(INBOX.with(|cell| {
            let Ok(mut inbox) = cell.try_borrow_mut() else {
                return -2;
            };
            let (Ok(count), Some(bytes)) = (
                i32::try_from(positions.len()),
                positions.len().checked_mul(4),
            ) else {
                return -2;
            };
            if bytes > inbox.cap {
                // Thousands of members firing on one small event: grown
                // here rather than matched again through `__matchInbox`.
                inbox.reserve(bytes);
                inbox.key = f64::NAN;
            }
            // JS reads them through a Uint32Array, which needs four-byte
            // alignment (dlmalloc gives eight; checked, not assumed).
            if bytes > inbox.cap || inbox.ptr.is_null() || inbox.ptr.align_offset(4) != 0 {
                return -2;
            }
            // SAFETY: `ptr` is the live allocation of `cap >= bytes` bytes
            // that only this thread-local owns; no other reference to it
            // exists during this call (the event's slice was dropped when
            // `from_inbox` returned), and JS runs no code while it is written.
            let out = unsafe { core::slice::from_raw_parts_mut(inbox.ptr, bytes) };
            for (slot, pos) in out.chunks_exact_mut(4).zip(&positions) {
                // Never taken: usize is 32 bits on wasm32.
                let Ok(pos) = u32::try_from(*pos) else {
                    return -2;
                };
                slot.copy_from_slice(&pos.to_le_bytes());
            }
            count
        }))
    }

    /// The set's ids by insertion position (`undefined` where one was
    /// removed): the array `__matchInboxPositions`' positions index.
    #[wasm_bindgen(js_name = "__ids", skip_typescript)]
    pub fn ids_by_position(&self) -> js_sys::Array {
        (0..self.inner.positions_len())
            .map(|pos| match self.inner.id_at(pos) {
                Some(id) => JsValue::from_str(id),
                None => JsValue::UNDEFINED,
            })
            .collect()
    }
}
