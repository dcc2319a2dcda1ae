// Objects given to `Subscription#matches` and `SubscriptionSet#match` cross
// into wasm as JSON text. `JSON.stringify` of a whole event costs more than
// the match itself, so the entries walk the object once instead: every part
// is checked as JSON.stringify and the wasm parser would check it (a cycle,
// a BigInt, nesting near the 128-level limit), but only the fields the
// subscription reads (the same projection the wasm scanner applies to text,
// exported by the core as data) are copied, and that small copy is what gets
// stringified.
//
// The walk reads what JSON.stringify reads (own enumerable string keys,
// each property once; a Proxy's `has` and `getPrototypeOf` traps are asked
// too, and one that answers them as its keys and prototype say gets the
// same answer) and copies plain data only. Anything it cannot copy
// exactly as JSON.stringify would (a toJSON method, a class instance, a Map,
// a boxed primitive), and anything that would be an error, sends the
// original object down the plain path, which serializes it in full and
// reports errors as before. So the answer, and every error, are those of
// the object's own JSON text.

const hasOwn = Object.prototype.hasOwnProperty;

/** Thrown to abandon the walk and take the plain path. */
const PLAIN = Symbol("plain");

/** Nesting past this goes to the plain path, where the parser's limit (128) decides. */
const MAX_DEPTH = 100;

const SURROGATE = /[\ud800-\udfff]/;
/**
 * A string the wasm parser rejects (a lone surrogate, which JSON.stringify
 * writes as a \ud800 escape): the plain path reports it, read or not, so
 * an object answers as its text does. The regular expression first: almost
 * no string holds a surrogate, and the test costs 11–12 ns a string in Node
 * 20, Chromium 156, Deno and Bun, where isWellFormed costs 6 ns in Node 20
 * and Bun but 16 in Deno and 25 in Chromium (docs/performance.md).
 */
const wellFormed = typeof String.prototype.isWellFormed === "function"
  ? (s) => !SURROGATE.test(s) || s.isWellFormed()
  : (s) => !SURROGATE.test(s) || /^(?:[^\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/.test(s);

/**
 * Keys found well formed, so that an event's keys, which repeat from event
 * to event, are checked once: a lookup costs 3–5 ns against the check's 11
 * (docs/performance.md). Only short keys are kept, and at most KEYS_KEPT of
 * them (then it starts again), so what a caller sends bounds nothing here.
 */
const knownKeys = new Set();
const KEYS_KEPT = 4096;
const KEY_KEPT_UNITS = 64;
function wellFormedKey(k) {
  if (knownKeys.has(k)) return true;
  if (!wellFormed(k)) return false;
  if (k.length <= KEY_KEPT_UNITS) {
    if (knownKeys.size >= KEYS_KEPT) knownKeys.clear();
    knownKeys.add(k);
  }
  return true;
}

/**
 * An upper bound of what a value adds to its JSON text (a string of n
 * units is at most 6n + 2 bytes: every unit a \u00XX escape).
 */
function size(v) {
  return typeof v === "string" ? 6 * v.length + 2 : typeof v === "number" ? 40 : 5;
}

function isPlainObject(v) {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The projection of a value kept whole (everything below is copied). */
const WHOLE = { all: true };

/**
 * Would JSON.stringify look further into `v` (an object, whose toJSON and
 * members it reads, or a BigInt, which it rejects or hands to toJSON)?
 * Strings, numbers, booleans, null and what it omits need no look at all.
 */
function deep(v) {
  return v !== null && (typeof v === "object" || typeof v === "bigint");
}

/**
 * Check `v` as JSON.stringify would serialize it and return a copy of what
 * projection `p` keeps of it (`p` null: check only, keep nothing). Each
 * property is read once, as JSON.stringify reads it; unread members that
 * are plain scalars are passed over without a call, which is most of an
 * event.
 */
function walk(v, p, depth, ancestors, budget) {
  if (!deep(v)) {
    if (typeof v === "string" && !wellFormed(v)) throw PLAIN;
    return v;
  }
  if (typeof v === "bigint") throw PLAIN;
  if (typeof v.toJSON === "function" || depth >= MAX_DEPTH || ancestors.includes(v)) throw PLAIN;
  const array = Array.isArray(v);
  if (!array && !isPlainObject(v)) throw PLAIN;
  ancestors.push(v);
  let out = null;
  if (array) {
    // Elements are projected only where the projection says so (a batch,
    // Asana's events); an array where an object was expected is kept whole,
    // as the wasm scanner keeps it.
    const each = p === null ? null : !p.all && p.items ? p.items : WHOLE;
    if (p !== null) out = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (budget !== null && (budget.left -= size(x) + 1) < 0) throw PLAIN;
      if (out !== null) out[i] = walk(x, each, depth + 1, ancestors, budget);
      else if (deep(x)) walk(x, null, depth + 1, ancestors, budget);
      else if (typeof x === "string" && !wellFormed(x)) throw PLAIN;
    }
  } else {
    // A plain object, not a null-prototype one: JSON.stringify of the copy
    // is 0.58 µs against 0.94 for the bench's 141-byte result (writing the
    // text here instead measured slower still).
    if (p !== null) out = {};
    // for-in, not Object.keys: V8 reads `v[k]` inside it by the key's slot
    // in the object's layout instead of looking the key up. Walking and
    // copying the 281-byte Asana event: 1,032 -> 847 ns in Node 20, 612 ->
    // 537 in Chromium 156; JSON.parse'd Workfront events 4-25% faster at
    // 1-10 KB. An object grown by computed keys past 20 of them, which V8
    // turns into a dictionary (JSON.parse's objects stay fast), walks 7-15%
    // slower: the bench's 5 and 10 KB ones (docs/performance.md). It
    // would also visit enumerable keys of Object.prototype, which
    // JSON.stringify does not: `projected` sends the object down the plain
    // path when there are any.
    for (const k in v) {
      const x = v[k];
      if (!wellFormedKey(k)) throw PLAIN;
      if (budget !== null && (budget.left -= 6 * k.length + 4 + size(x)) < 0) throw PLAIN;
      const child = p === null ? null : p.all ? WHOLE : hasOwn.call(p.keys, k) ? p.keys[k] : null;
      if (child === null) {
        if (deep(x)) walk(x, null, depth + 1, ancestors, budget);
        else if (typeof x === "string" && !wellFormed(x)) throw PLAIN;
        continue;
      }
      const y = walk(x, child, depth + 1, ancestors, budget);
      // Assigning "__proto__" would set the copy's prototype: define it.
      if (k === "__proto__") Object.defineProperty(out, k, { value: y, enumerable: true, writable: true, configurable: true });
      else out[k] = y;
    }
  }
  ancestors.pop();
  return out;
}

/**
 * Does `for (k in object)` visit own keys only? Not when something made a
 * key of Object.prototype enumerable (plain assignment does): the walk then
 * leaves the object to the plain path, which JSON.stringify reads.
 */
const EMPTY = {};
function prototypeIsClean() {
  for (const _ in EMPTY) return false;
  return true;
}

function isObjectEvent(event) {
  return event !== null && typeof event === "object" && !ArrayBuffer.isView(event);
}

/*
 * Strings cross through the inbox (src/wasm/strings.rs): a buffer in wasm
 * memory that this module writes a string's UTF-8 bytes into with
 * `encodeInto`, through a view it keeps, then one call that reads them.
 * wasm-bindgen's argument path calls from wasm back into JS four times per
 * event (the string's type and length, `encodeInto`, its result); this one
 * never does (docs/performance.md, "Speed round": 8–14% of an event up to
 * 1.2 KB in Node, 5–7% in Chromium). Writing char codes in a JS loop for
 * ASCII text measured slower than `encodeInto` in both.
 */
const INBOX_MAX_UNITS = 64 * 1024;
const encoder = new TextEncoder();

/**
 * Up to this many units, a JS loop writes an ASCII string into the inbox
 * faster than `encodeInto` in Chromium, where each `encodeInto` call costs
 * about 0.2 µs before its first byte (Blink's binding): 40 / 100 / 165 ns
 * against 175 / 235 / 285 ns for 20 / 50 / 80 units, even at 120. In Node
 * a call costs 0.03 µs and the loop loses at every length (46 against 30 ns
 * at 20 units), so only Chromium's engines take it (docs/performance.md).
 * Most strings that short are the projected copies of objects.
 */
const LOOP_MAX_UNITS = /Chrome\//.test(globalThis.navigator?.userAgent ?? "") ? 100 : 0;

/**
 * The inbox's view and key. The key is counted up for every view asked
 * for, and wasm reads only under the current one: a view over memory that
 * grew is detached (length 0) and asked for again, and after a restart the
 * fresh module knows no key, so the first call answers "stale" and the
 * plain path answers it.
 */
function inbox(glue) {
  const box = { view: null, key: 0, words: null, wordsOf: null };
  /** Write `s` (at most INBOX_MAX_UNITS units) into the inbox: its byte length, or -1. */
  box.write = (s) => {
    const need = 3 * s.length;
    let view = box.view;
    if (view === null || view.length < need) {
      box.key++;
      view = box.view = glue.__inbox(need, box.key);
      if (view.length < need) return -1;
    }
    if (s.length <= LOOP_MAX_UNITS) {
      const n = s.length;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        view[i] = c;
      }
      if (i === n) return n;
    }
    // Lone surrogates become U+FFFD, as on the plain path (also encodeInto).
    return encoder.encodeInto(s, view).written;
  };
  /**
   * The inbox as u32 words, where `__matchInboxPositions` wrote its `n`
   * positions. Asked for after that call: if memory grew during it, the
   * view is detached, and if the positions outgrew the inbox, wasm made a
   * larger one; either way the view is too short, and a fresh one is made
   * (its key counted up, as for any new view).
   */
  box.positions = (n) => {
    let view = box.view;
    if (view.length < 4 * n) {
      box.key++;
      view = box.view = glue.__inbox(4 * n, box.key);
    }
    // Made again only for a new view: a view over memory that grew is
    // detached (length 0), so it was replaced above.
    if (box.wordsOf !== view) {
      box.words = new Uint32Array(view.buffer, view.byteOffset, view.length >> 2);
      box.wordsOf = view;
    }
    return box.words;
  };
  return box;
}

/*
 * What a carrier (runtime.js, sealHandles: the object no caller sees, on
 * which the glue's methods run) keeps for the calls after its first, under
 * keys private to this module: its projection as parsed JSON (the objects
 * path), and a set's ids by insertion position (`__ids`, made on its first
 * match). Both are dropped when a set member is added or removed (a removal
 * may renumber). Properties, not WeakMaps keyed by the carrier: a WeakMap
 * lookup was about 60 ns of a `set.match` (2,434 → 2,369 ns, 10,200
 * members, 9 alternating runs in Node; docs/performance.md).
 */
const PROJECTION = Symbol("hookmatch.projection");
const IDS = Symbol("hookmatch.ids");

/** Patch one method taking an event first so objects are projected. */
function patch(proto, method, box, fromInbox) {
  const plain = proto[method];
  if (typeof plain !== "function" || plain.hookmatchProjected) return;
  const viaInbox = function (text) {
    const len = box.write(text);
    if (len >= 0) {
      const r = fromInbox.call(this, text.length, len, box.key);
      if (r !== undefined) return r;
      box.view = null;
    }
    return plain.call(this, text);
  };
  const projected = function (event, ...rest) {
    if (typeof event === "string" && event.length <= INBOX_MAX_UNITS && rest.length === 0) return viaInbox.call(this, event);
    if (isObjectEvent(event)) {
      let text;
      try {
        // An array where one event is expected is misuse: the plain path
        // reports it (invalid_input). Inside the try: a revoked Proxy
        // throws here, and the plain path reports that too.
        if (Array.isArray(event)) throw PLAIN;
        let p = this[PROJECTION];
        if (p === undefined) {
          p = JSON.parse(this.__projection());
          this[PROJECTION] = p;
        }
        // A vendor that limits message sizes measures the whole text of a
        // large event: past `wholeAbove` bytes the plain path sends it all.
        const budget = p.wholeAbove === undefined ? null : { left: p.wholeAbove };
        // Object.prototype's keys, before (one already there may be taken
        // away by a getter the walk reads) and after (or added by one).
        if (!prototypeIsClean()) throw PLAIN;
        const copy = walk(event, p, 0, [], budget);
        if (!prototypeIsClean()) throw PLAIN;
        text = JSON.stringify(copy);
      } catch {
        text = undefined;
      }
      if (typeof text === "string") return text.length <= INBOX_MAX_UNITS && rest.length === 0 ? viaInbox.call(this, text) : plain.call(this, text, ...rest);
    }
    return plain.call(this, event, ...rest);
  };
  projected.hookmatchProjected = true;
  proto[method] = projected;
}

/** Install the object fast path on the glue's classes (runtime.js calls this once). */
export function installObjects(glue) {
  const box = inbox(glue);
  const matchesInbox = glue.Subscription.prototype.__matchesInbox;
  // 0 or 1; 2 (a stale view) is undefined: the plain path answers.
  patch(glue.Subscription.prototype, "matches", box, function (units, len, key) {
    const r = matchesInbox.call(this, units, len, key);
    return r === 2 ? undefined : r === 1;
  });
  const setProto = glue.SubscriptionSet.prototype;
  const matchInbox = setProto.__matchInbox;
  const matchPositions = setProto.__matchInboxPositions;
  patch(setProto, "match", box, function (units, len, key) {
    const n = matchPositions.call(this, units, len, key);
    if (n === -1) return undefined;
    if (n === -2) return matchInbox.call(this, units, len, key);
    if (n === 0) return [];
    let ids = this[IDS];
    if (ids === undefined) {
      ids = this.__ids();
      this[IDS] = ids;
    }
    const positions = box.positions(n);
    const out = new Array(n);
    for (let i = 0; i < n; i++) out[i] = ids[positions[i]];
    return out;
  });
  // A set's projection grows with each member added; its positions change
  // with each member added or removed.
  for (const method of ["add", "remove"]) {
    const plain = setProto[method];
    if (typeof plain !== "function" || plain.hookmatchProjected) continue;
    const patched = function (...args) {
      this[PROJECTION] = undefined;
      this[IDS] = undefined;
      return plain.apply(this, args);
    };
    patched.hookmatchProjected = true;
    setProto[method] = patched;
  }
}
