// What every entry installs on the wasm-bindgen glue, once: the object fast
// path (objects.js), lifetimes that answer with HookmatchError, and
// previewStream. No matching rule lives here: streams are cut into chunks
// and handed to the core's batch reader, which decides everything.
import { installObjects } from "./objects.js";

/** Every error hookmatch throws: a stable `code`, and `path` where it points into an input. */
export class HookmatchError extends Error {
  constructor(message, code) {
    super(message);
    this.name = "HookmatchError";
    this.code = code;
  }
}

/**
 * Install on `glue` (the module wasm-bindgen wrote) and return the exports
 * the entries add to it.
 */
export function install(glue) {
  glue.__setErrorClass(HookmatchError);
  installObjects(glue);
  for (const cls of [glue.Subscription, glue.SubscriptionSet]) {
    if (!cls.prototype.__hookmatchGuarded) cls.prototype.previewStream = previewStream(HookmatchError);
    guardLifetime(cls, HookmatchError);
  }
  return { HookmatchError };
}

/**
 * A method of a freed object throws HookmatchError "freed"; a second
 * free() does nothing. (wasm-bindgen's own glue would throw a plain Error,
 * "null pointer passed to rust", even for the second free.)
 */
function guardLifetime(cls, HookmatchError) {
  const proto = cls.prototype;
  if (proto.__hookmatchGuarded) return;
  // 0 after free(); undefined for an object made with `new` instead of compile.
  const unusable = (obj, name) =>
    obj.__wbg_ptr === 0
      ? new HookmatchError(`this ${cls.name} was freed; ${name} cannot be used after free()`, "freed")
      : new HookmatchError(`make a ${cls.name} with ${cls.name}.compile(…), not new ${cls.name}()`, "invalid_input");
  for (const name of Object.getOwnPropertyNames(proto)) {
    if (name === "constructor") continue;
    const d = Object.getOwnPropertyDescriptor(proto, name);
    if (name === "free") {
      const free = d.value;
      proto.free = function () {
        if (!this.__wbg_ptr) return;
        free.call(this);
      };
      continue;
    }
    if (typeof d.value === "function") {
      const f = d.value;
      // An async method (previewStream) rejects instead of throwing.
      const isAsync = f.constructor?.name === "AsyncFunction";
      Object.defineProperty(proto, name, {
        ...d,
        value: function (...args) {
          if (!this.__wbg_ptr) {
            if (isAsync) return Promise.reject(unusable(this, name));
            throw unusable(this, name);
          }
          return f.apply(this, args);
        },
      });
    } else if (typeof d.get === "function") {
      const get = d.get;
      Object.defineProperty(proto, name, {
        ...d,
        get() {
          if (!this.__wbg_ptr) throw unusable(this, name);
          return get.call(this);
        },
      });
    }
  }
  if (typeof Symbol.dispose === "symbol") proto[Symbol.dispose] = proto.free;
  Object.defineProperty(proto, "__hookmatchGuarded", { value: true });
}

function misuse(HookmatchError, message, path) {
  const e = new HookmatchError(message, "invalid_input");
  if (path !== undefined) e.path = path;
  return e;
}

function abortError(signal) {
  const reason = signal.reason;
  if (reason instanceof DOMException && reason.name === "AbortError") return reason;
  return new DOMException("The preview was aborted", "AbortError");
}

/**
 * The chunks of a source: a ReadableStream, an async or sync iterable, a
 * Blob, a Response, or one string or byte array.
 */
async function* chunksOf(source, signal, HookmatchError) {
  if (source !== null && typeof source === "object" && typeof source.arrayBuffer === "function" && "body" in source && !(typeof Blob !== "undefined" && source instanceof Blob)) {
    // A Response: its body (null for an empty one). A body already read
    // cannot be read again; say so rather than let getReader's TypeError out.
    if (source.bodyUsed) {
      throw misuse(HookmatchError, "previewStream was given a Response whose body was already read (bodyUsed is true); pass a Response that has not been read, or a clone() made before reading it");
    }
    if (source.body === null) return;
    source = source.body;
  } else if (typeof Blob !== "undefined" && source instanceof Blob) {
    source = source.stream();
  }
  if (typeof source === "string" || source instanceof Uint8Array || source instanceof ArrayBuffer) {
    yield source;
    return;
  }
  if (source !== null && typeof source === "object" && typeof source.getReader === "function") {
    if (source.locked) {
      throw misuse(HookmatchError, "previewStream was given a ReadableStream that is locked (a reader holds it, or it is being read or piped); release that reader (reader.releaseLock()) or pass a stream no one reads");
    }
    let reader;
    try {
      reader = source.getReader();
    } catch (e) {
      throw misuse(HookmatchError, `previewStream cannot read this stream: ${e?.message ?? e}`);
    }
    try {
      for (;;) {
        if (signal?.aborted) throw abortError(signal);
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock?.();
      if (signal?.aborted) await source.cancel?.().catch(() => {});
    }
  }
  if (source !== null && typeof source === "object" && (typeof source[Symbol.asyncIterator] === "function" || typeof source[Symbol.iterator] === "function")) {
    for await (const chunk of source) yield chunk;
    return;
  }
  throw misuse(HookmatchError, "previewStream takes a ReadableStream, an async iterable, a Blob, a Response, a string or a Uint8Array");
}

/**
 * `sub.previewStream(source, { details?, format?, signal?, onProgress? })`
 * and `set.previewStream(source, { format?, signal?, onProgress? })`: the
 * same answer as `preview` of the whole input, however it is cut.
 */
const previewStream = (HookmatchError) => async function previewStream(source, options) {
  if (options !== undefined && options !== null && (typeof options !== "object" || Array.isArray(options))) {
    throw misuse(HookmatchError, "previewStream's options must be an object");
  }
  const { signal, onProgress, ...rest } = options ?? {};
  if (signal !== undefined && !(typeof AbortSignal !== "undefined" && signal instanceof AbortSignal)) {
    throw misuse(HookmatchError, "previewStream's signal must be an AbortSignal", "/signal");
  }
  if (onProgress !== undefined && typeof onProgress !== "function") {
    throw misuse(HookmatchError, "previewStream's onProgress must be a function", "/onProgress");
  }
  if (signal?.aborted) throw abortError(signal);
  const session = this.__previewStart(rest);
  const encoder = new TextEncoder();
  // A surrogate pair cut between two string chunks is joined again.
  let pendingHigh = "";
  try {
    for await (let chunk of chunksOf(source, signal, HookmatchError)) {
      if (signal?.aborted) throw abortError(signal);
      let bytes;
      if (typeof chunk === "string") {
        chunk = pendingHigh + chunk;
        pendingHigh = "";
        const last = chunk.charCodeAt(chunk.length - 1);
        if (last >= 0xd800 && last <= 0xdbff) {
          pendingHigh = chunk.slice(-1);
          chunk = chunk.slice(0, -1);
        }
        bytes = encoder.encode(chunk);
      } else if (chunk instanceof Uint8Array) {
        bytes = chunk;
      } else if (chunk instanceof ArrayBuffer) {
        bytes = new Uint8Array(chunk);
      } else if (ArrayBuffer.isView(chunk)) {
        bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      } else {
        throw misuse(HookmatchError, "each chunk of a stream must be a Uint8Array or a string");
      }
      const [read, events, matched] = this.__previewPush(session, bytes);
      onProgress?.({ bytes: read, events, matched });
    }
    if (pendingHigh !== "") this.__previewPush(session, encoder.encode(pendingHigh));
    if (signal?.aborted) throw abortError(signal);
    return this.__previewFinish(session);
  } finally {
    session.free();
  }
};
