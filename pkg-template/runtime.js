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

/** The names every entry exports besides the two classes (api.js). */
const FUNCTIONS = ["validate", "lint", "diff", "verify", "dialects", "encodeBase64", "decodeBase64", "setLimits"];

/**
 * Install on `glue` (the module wasm-bindgen wrote) and return the public
 * API: the glue's classes, made safe, and its functions behind the trap
 * guard (below).
 */
export function install(glue) {
  state.glue = glue;
  glue.__setErrorClass(HookmatchError);
  installObjects(glue);
  for (const cls of [glue.Subscription, glue.SubscriptionSet]) {
    if (!cls.prototype.__hookmatchGuarded) cls.prototype.previewStream = previewStream(HookmatchError);
  }
  // The browser's core module has no analysis: its methods ask the
  // analysis module (installAnalysis, below), with the specs'
  // text that only the core module's private __specText gives.
  if (!glue.Subscription.prototype.__hookmatchGuarded) {
    if (typeof glue.Subscription.prototype.example !== "function") glue.Subscription.prototype.example = exampleByAnalysis;
    if (typeof glue.SubscriptionSet.prototype.lint !== "function") glue.SubscriptionSet.prototype.lint = setLintByAnalysis;
  }
  const classes = [glue.Subscription, glue.SubscriptionSet, glue.PreviewSession];
  for (const cls of classes) sealHandles(cls, HookmatchError);
  // Secrets never leave through a public API: only carriers (which no
  // caller sees) keep __specText.
  for (const cls of [glue.Subscription, glue.SubscriptionSet]) delete cls.prototype.__specText;
  // Two plain assignments, not a destructuring one: Turbopack's production
  // build (Next 16) misses that `({ A, B } = glue)` reassigns exported
  // `let`s and exports them as undefined (tests/bundlers/next.test.mjs).
  Subscription = glue.Subscription;
  SubscriptionSet = glue.SubscriptionSet;
  const api = { Subscription: glue.Subscription, SubscriptionSet: glue.SubscriptionSet, HookmatchError };
  for (const name of FUNCTIONS) api[name] = PUBLIC[name];
  return api;
}

/** The classes of the module `install` was given (api.js exports them, so each entry's are its own glue's). */
export let Subscription, SubscriptionSet;

/*
 * A trap is survived. No input should reach one, but if a defect does
 * (`unreachable` from a panic under panic = "abort", memory exhausted, the
 * wasm stack overflowing), the instance is left mid-operation: its shadow
 * stack pointer and allocator are wherever the trap found them, and every
 * later call into it is suspect. So every call into wasm goes through
 * `run`: a throw that is not a HookmatchError (a RuntimeError, a RangeError,
 * anything foreign) marks the module broken; when the outermost call
 * unwinds, the glue's private `__restart` (added by
 * scripts/restartable-glue.mjs) makes a fresh instance of the same compiled
 * module, the error class and the page's limits are set on it again, and
 * the call throws HookmatchError `internal`. Handles carry the generation
 * they were made in; one from before the restart throws `freed` saying why,
 * and its finalizer never frees its old pointer into the new instance.
 */
const fresh = () => ({ glue: null, generation: 0, depth: 0, broken: false, cause: null, dead: null, limits: null });
const state = fresh();
/**
 * The browser's second module, the full one that `hookmatch/analysis`
 * loads (installAnalysis): guarded as the first is, apart from it (a trap
 * in one restarts only that one). It holds nothing a caller keeps, and it
 * takes the page's limits (`state.limits`).
 */
const analysis = fresh();

function describe(e) {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

function internalError(st = state) {
  const lost = st === analysis
    ? "nothing made before now is lost"
    : "every Subscription and SubscriptionSet made before now is gone (compile them again)";
  const restarted = st.dead === null
    ? `it started a fresh module, so later calls work, but ${lost}`
    : `it could not start a fresh module (${st.dead}), so every later call fails; reload the page or restart the process`;
  return new HookmatchError(
    `hookmatch's WebAssembly ${st === analysis ? "analysis module" : "module"} stopped on an internal error (${st.cause}); ${restarted}. This is a defect in hookmatch: please report it with the input that caused it`,
    "internal",
  );
}

/**
 * Set the page's limits (`state.limits`, read back after each setLimits)
 * on the module `st` describes: a fresh instance after a restart, or the
 * analysis module, which takes them before its next call.
 */
function givePageLimits(st) {
  if (state.limits !== null) st.glue.setLimits({ maxInputBytes: state.limits[0], maxTreeBytes: state.limits[1] });
  st.limits = state.limits;
}

function restart(st) {
  st.generation++;
  try {
    const glue = st.glue;
    glue.__restart();
    glue.__setErrorClass(HookmatchError);
    givePageLimits(st);
  } catch (e) {
    st.dead = describe(e);
  }
}

/** Call `f` (a function of the glue) as every call into wasm is made: see above. */
function run(f, self, args) {
  return guarded(state, f, self, args);
}

/** `run` for the module `st` describes (the first, or the analysis module). */
function guarded(st, f, self, args) {
  if (st.dead !== null) throw internalError(st);
  st.depth++;
  let result;
  let failure = null;
  try {
    result = f.apply(self, args);
  } catch (e) {
    failure = e;
    if (!(e instanceof HookmatchError) && !st.broken) {
      st.broken = true;
      st.cause = describe(e);
    }
  } finally {
    st.depth--;
  }
  if (st.broken) {
    // A call nested in another (wasm called back into JS, which called
    // hookmatch) leaves the restart to the outermost one, whose frames are
    // still in the old instance.
    if (st.depth === 0) {
      st.broken = false;
      restart(st);
    }
    throw internalError(st);
  }
  if (failure !== null) throw failure;
  return result;
}

/*
 * The analysis in the browser. The browser entry's module is built without
 * it (a page that only matches downloads none of it); `hookmatch/analysis`
 * instantiates the full module beside it and hands it to installAnalysis.
 * Then lint and diff run there, and sub.example() and set.lint() compile
 * their spec again there from the core module's private __specText (the
 * spec's text and options, or the set's history), call the same method,
 * and free what they made. Until then they throw invalid_input naming the
 * import. Every other entry's module has the analysis: nothing changes there.
 */
const ANALYSIS_IMPORT = 'import "hookmatch/analysis"';

function analysisMissing(what) {
  return new HookmatchError(
    `${what} needs hookmatch's analysis, which the browser entry loads only on request: ${ANALYSIS_IMPORT} (or await import("hookmatch/analysis")) once, then call it again`,
    "invalid_input",
  );
}

/** Install the full module that `hookmatch/analysis` loaded in the browser. */
export function installAnalysis(glue) {
  if (analysis.glue !== null) return;
  glue.__setErrorClass(HookmatchError);
  analysis.glue = glue;
}

/** Call `use(glue)` on the analysis module, behind its own guard, with the page's limits. */
function inAnalysis(what, use) {
  if (analysis.glue === null) throw analysisMissing(what);
  return guarded(analysis, () => {
    if (analysis.limits !== state.limits) givePageLimits(analysis);
    return use(analysis.glue);
  }, undefined, []);
}

/** `name` of the first module where it has one, else of the analysis module. */
function analysed(name, args) {
  const own = state.glue?.[name];
  if (typeof own === "function") return run(own, undefined, args);
  return inAnalysis(`${name}()`, (glue) => glue[name](...args));
}

/** Subscription#example on the core module (`this` is a carrier, see sealHandles). */
function exampleByAnalysis(options) {
  if (analysis.glue === null) throw analysisMissing("sub.example()");
  const [spec, compileOptions] = this.__specText();
  return inAnalysis("sub.example()", (glue) => {
    const sub = glue.Subscription.compile(spec, JSON.parse(compileOptions));
    try {
      return sub.example(options);
    } finally {
      sub.free();
    }
  });
}

/** SubscriptionSet#lint on the core module: the set made again from its history. */
function setLintByAnalysis() {
  if (analysis.glue === null) throw analysisMissing("set.lint()");
  const history = this.__specText();
  return inAnalysis("set.lint()", (glue) => {
    const set = glue.SubscriptionSet.compile(history[1]);
    try {
      for (let i = 2; i < history.length; ) {
        if (history[i] === "a") {
          set.add(history[i + 1], history[i + 2], JSON.parse(history[i + 3]));
          i += 4;
        } else {
          set.remove(history[i + 1]);
          i += 2;
        }
      }
      return set.lint();
    } finally {
      set.free();
    }
  });
}

/** `hookmatch/analysis`'s `example(sub, options)`: `sub.example(options)`. */
export function example(sub, options) {
  if (sub === null || typeof sub !== "object" || typeof sub.example !== "function") {
    throw new HookmatchError("example takes a Subscription (made with Subscription.compile) and its options", "invalid_input");
  }
  return sub.example(options);
}

/** `hookmatch/analysis`'s `setLint(set)`: `set.lint()`. */
export function setLint(set) {
  if (set === null || typeof set !== "object" || typeof set.lint !== "function" || typeof set.match !== "function") {
    throw new HookmatchError("setLint takes a SubscriptionSet (made with SubscriptionSet.compile)", "invalid_input");
  }
  return set.lint();
}

/** The public functions: the glue's, through `run`, each with its own name. */
const PUBLIC = {
  validate(...args) { return run(state.glue.validate, undefined, args); },
  lint(...args) { return analysed("lint", args); },
  diff(...args) { return analysed("diff", args); },
  verify(...args) { return run(state.glue.verify, undefined, args); },
  dialects(...args) { return run(state.glue.dialects, undefined, args); },
  encodeBase64(...args) { return run(state.glue.encodeBase64, undefined, args); },
  decodeBase64(...args) { return run(state.glue.decodeBase64, undefined, args); },
  setLimits(...args) {
    run(state.glue.setLimits, undefined, args);
    // What a fresh module must start with (restart, above), and what the
    // analysis module takes before its next call (inAnalysis).
    state.limits = run(state.glue.__limits, undefined, []);
  },
};
export const { validate, lint, diff, verify, dialects, encodeBase64, decodeBase64, setLimits } = PUBLIC;

/**
 * Trap the module on purpose, through the same guard as every call: the
 * tests' one way to reach the recovery above, since no input should trap.
 * No entry exports it.
 */
export function __trap() {
  return run(state.glue.__trap, undefined, []);
}

/** `__trap` for the browser's analysis module (installAnalysis): its own guard, its own restart. */
export function __trapAnalysis() {
  return inAnalysis("__trap", (glue) => glue.__trap());
}

/**
 * Where `hookmatch/analysis` finds this runtime in the browser. The browser
 * entry is one file with this module inlined (scripts/build-pkg.sh), so the
 * analysis entry cannot import this module and get the runtime that entry
 * installed: it takes it from the entry's own HookmatchError, under a
 * registered symbol. Not enumerable, and no entry exports it; two copies of
 * the package on one page each keep their own.
 */
const RUNTIME = Symbol.for("hookmatch.runtime");
Object.defineProperty(HookmatchError, RUNTIME, {
  value: Object.freeze({ installAnalysis, lint, diff, example, setLint, __trap, __trapAnalysis }),
});

/*
 * Handles cannot be forged. wasm-bindgen's classes keep the Rust pointer in
 * an own enumerable property, `__wbg_ptr`, that `{ ...sub }`,
 * `Object.assign` or a plain assignment copies or sets, and every method
 * hands it to wasm as it finds it: a copy of a Subscription made before
 * free() then read whatever the allocator had put at that address since
 * (another subscription's `Authorization: Bearer …`, when this was found).
 *
 * So the object a user holds carries no pointer at all. A private class
 * field of this module (CARRIERS, below) maps it to a carrier: an object no
 * caller ever sees, whose prototype holds the glue's own methods and which
 * alone has `__wbg_ptr`.
 * The public methods look the carrier up and run the glue's method on it; a
 * copy, a forged object, a Proxy or an object made with `new` has none
 * (`invalid_input`), a freed one a carrier whose pointer is 0 (`freed`).
 *
 * A carrier is made only for a pointer the glue returned: the glue makes
 * handles with `Class.__wrap(ptr)` as the last step of a call, after wasm
 * has returned, so a call activates the handle it returns only if that is
 * the last one `__wrap` made during the call. `__wrap` called by anyone
 * else (outside a call, or from a getter or toJSON that wasm called back)
 * makes an object that never gets a carrier, and nothing frees its number.
 */
const CARRIERS = (() => {
  // The map is a private class field stamped on the handle (a base class
  // whose constructor returns the object it is given lets a subclass add
  // its fields to any object). A private field, like a WeakMap entry, is
  // seen by no reflection, is not copied with the object, and is not found
  // through a prototype or a Proxy; it is read as an own property, where a
  // WeakMap lookup hashes the handle on every call of every method.
  class Stamp {
    constructor(o) {
      return o;
    }
  }
  class Carried extends Stamp {
    #carrier;
    constructor(handle, carrier) {
      super(handle);
      this.#carrier = carrier;
    }
    // Read, not tested with `in` first: one lookup on the path every call
    // takes. Anything without the field (a copy, a Proxy, a primitive)
    // throws a TypeError here, which means "no carrier".
    static get(v) {
      try {
        return v.#carrier;
      } catch {
        return undefined;
      }
    }
    static set(v, carrier) {
      new Carried(v, carrier);
    }
  }
  return { get: Carried.get, set: Carried.set };
})();
const mint = { depth: 0, last: null };
const finalizer = typeof FinalizationRegistry === "undefined"
  ? null
  : new FinalizationRegistry((carrier) => {
      try {
        if (alive(carrier)) carrier.free();
      } catch {
        // Nothing to report to: the object is gone.
      }
    });

/** `f` as the glue's method that may make handles (see above), the handles it is given (at `handleParams(f)`) replaced by their carriers. */
function minting(f, HookmatchError) {
  // Read from the source on the first call, not at install: reading every
  // method's source was a third of installing the runtime (0.7 of 2.5 ms
  // in a cold Node start), most of it for methods a page never calls.
  let handles = null;
  return function (...args) {
    if (handles === null) handles = handleParams(f);
    for (const i of handles) if (i < args.length) args[i] = carrierOf(args[i], HookmatchError);
    mint.depth++;
    mint.last = null;
    let result;
    try {
      result = run(f, this, args);
    } finally {
      mint.depth--;
    }
    const made = mint.last;
    mint.last = null;
    if (made !== null && made.handle === result) {
      CARRIERS.set(result, made.carrier);
      finalizer?.register(result, made.carrier, made.carrier);
    }
    return result;
  };
}

/**
 * The positions of `f`'s parameters that the glue reads a pointer from
 * (`session.__wbg_ptr`, or `e.__wbg_ptr` once minified): only a live handle
 * may go there. Read from the source, the one place that says it.
 */
function handleParams(f) {
  const src = Function.prototype.toString.call(f);
  const params = /^[^(]*\(([^)]*)\)/.exec(src)?.[1].split(",").map((p) => p.trim()) ?? [];
  const positions = [];
  params.forEach((p, i) => {
    if (!/^[\w$]+$/.test(p)) return;
    const read = new RegExp(`(?:^|[^\\w$.])${p.replace(/\$/g, "\\$")}\\.__wbg_ptr`);
    if (read.test(src)) positions.push(i);
  });
  return positions;
}

/** Does `carrier` hold a pointer into the instance running now (not freed, not from before a restart)? */
function alive(carrier) {
  return carrier !== undefined && carrier.__wbg_ptr !== 0 && carrier.__wbg_ptr !== undefined && carrier.gen === state.generation;
}

const RESTARTED = "this object was made before hookmatch restarted its module after an internal error, and it is gone; make it again";

/** The carrier of a handle given as an argument where the glue reads its pointer; anything else there is an error. */
function carrierOf(v, HookmatchError) {
  if (v === null || v === undefined) return v;
  const carrier = CARRIERS.get(v);
  if (carrier === undefined) throw new HookmatchError("this object was not made by hookmatch (a copy or a forged object)", "invalid_input");
  if (!alive(carrier)) throw new HookmatchError(carrier.__wbg_ptr ? RESTARTED : "this object was freed and cannot be used", "freed");
  return carrier;
}

/**
 * The hot methods, which take no handle and answer plain data (a boolean,
 * ids): they skip `minting`'s bookkeeping, about 20 of the 30 ns the
 * package's JS added to `matches` of a 281-byte event in Node (734 → 714 ns
 * a call, docs/performance.md).
 */
const ANSWERS_ONLY = new Set(["matches", "match"]);

/**
 * Make `cls`'s handles unforgeable (above). A method of a freed object
 * throws HookmatchError "freed"; a second free() does nothing.
 */
function sealHandles(cls, HookmatchError) {
  const proto = cls.prototype;
  if (Object.prototype.hasOwnProperty.call(proto, "__hookmatchGuarded")) return;
  const unusable = (carrier, name) =>
    carrier !== undefined
      ? new HookmatchError(
          carrier.__wbg_ptr && carrier.gen !== state.generation
            ? `this ${cls.name} was made before hookmatch restarted its module after an internal error, and it is gone; ${typeof cls.compile === "function" ? `compile it again with ${cls.name}.compile(…)` : "start again"}`
            : `this ${cls.name} was freed; ${name} cannot be used after free()`,
          "freed",
        )
      : new HookmatchError(
          typeof cls.compile === "function"
            ? `this object is not a ${cls.name} that hookmatch made (a copy, a forged object, or one made with new ${cls.name}()); make a ${cls.name} with ${cls.name}.compile(…), not new ${cls.name}()`
            : `this object is not a ${cls.name} that hookmatch made (a copy or a forged object)`,
          "invalid_input",
        );
  // The carriers' prototype: the glue's methods, as they were.
  const inner = Object.create(proto);
  for (const name of Object.getOwnPropertyNames(proto)) {
    if (name === "constructor") continue;
    const d = Object.getOwnPropertyDescriptor(proto, name);
    if (typeof d.value === "function" && ANSWERS_ONLY.has(name)) {
      const f = d.value;
      Object.defineProperty(inner, name, { ...d, value: function (...args) { return run(f, this, args); } });
    } else if (typeof d.value === "function") {
      Object.defineProperty(inner, name, { ...d, value: minting(d.value, HookmatchError) });
    } else {
      Object.defineProperty(inner, name, d);
    }
  }
  for (const name of Object.getOwnPropertyNames(cls)) {
    const d = Object.getOwnPropertyDescriptor(cls, name);
    if (name === "__wrap" || typeof d.value !== "function" || !d.writable) continue;
    cls[name] = minting(d.value, HookmatchError);
  }
  Object.defineProperty(cls, "__wrap", {
    configurable: false,
    writable: false,
    value: function __wrap(ptr) {
      if (mint.depth === 0) throw new HookmatchError(`${cls.name}.__wrap is the glue's own, not an API`, "invalid_input");
      const handle = Object.create(proto);
      const carrier = Object.create(inner);
      carrier.__wbg_ptr = ptr;
      carrier.gen = state.generation;
      mint.last = { handle, carrier };
      return handle;
    },
  });
  // The public methods: find the carrier, then run the glue's method on it.
  for (const name of Object.getOwnPropertyNames(proto)) {
    if (name === "constructor") continue;
    const d = Object.getOwnPropertyDescriptor(proto, name);
    if (name === "free") {
      proto.free = function free() {
        const carrier = CARRIERS.get(this);
        if (!alive(carrier)) return;
        finalizer?.unregister(carrier);
        carrier.free();
      };
      continue;
    }
    if (typeof d.value === "function") {
      const f = inner[name];
      // An async method (previewStream) rejects instead of throwing.
      const isAsync = d.value.constructor?.name === "AsyncFunction";
      Object.defineProperty(proto, name, {
        ...d,
        value: function (...args) {
          const carrier = CARRIERS.get(this);
          if (!alive(carrier)) {
            if (isAsync) return Promise.reject(unusable(carrier, name));
            throw unusable(carrier, name);
          }
          return f.apply(carrier, args);
        },
      });
    } else if (typeof d.get === "function") {
      const get = d.get;
      Object.defineProperty(proto, name, {
        ...d,
        get() {
          const carrier = CARRIERS.get(this);
          if (!alive(carrier)) throw unusable(carrier, name);
          return run(get, carrier, []);
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

/** Can a view's bytes be read? Not a view of a detached buffer (it has length 0, and copying it throws). */
function readable(view) {
  try {
    view.slice();
    return true;
  } catch {
    return false;
  }
}

/**
 * `sub.previewStream(source, { details?, format?, signal?, onProgress?, onRows? })`
 * and `set.previewStream(source, { format?, signal?, onProgress? })`: the
 * same answer as `preview` of the whole input, however it is cut.
 *
 * `onRows(rows)` receives the rows the core has decided since the last
 * call (`__previewRows` takes them out of the session), in order, every
 * one; a promise it returns is awaited before the next chunk is read. The
 * rows are not kept, nor the list of matched indices (each row says
 * whether it matched), so a stream of any length is previewed row by row
 * in bounded memory, and the result has neither `results` nor `matches`.
 */
const previewStream = (HookmatchError) => async function previewStream(source, options) {
  let signal, onProgress, onRows, rest;
  try {
    if (options !== undefined && options !== null && (typeof options !== "object" || Array.isArray(options))) {
      throw misuse(HookmatchError, "previewStream's options must be an object");
    }
    ({ signal, onProgress, onRows, ...rest } = options ?? {});
  } catch (e) {
    // A revoked Proxy or a throwing getter: say so as every other call does.
    if (e instanceof HookmatchError) throw e;
    throw misuse(HookmatchError, `previewStream's options cannot be read: ${e?.message ?? e}`);
  }
  if (signal !== undefined && !(typeof AbortSignal !== "undefined" && signal instanceof AbortSignal)) {
    throw misuse(HookmatchError, "previewStream's signal must be an AbortSignal", "/signal");
  }
  if (onProgress !== undefined && typeof onProgress !== "function") {
    throw misuse(HookmatchError, "previewStream's onProgress must be a function", "/onProgress");
  }
  if (onRows !== undefined) {
    if (typeof onRows !== "function") throw misuse(HookmatchError, "previewStream's onRows must be a function", "/onRows");
    if (typeof this.__previewRows !== "function") {
      throw misuse(HookmatchError, "a set's preview has no rows (it counts matches per id), so it takes no onRows", "/onRows");
    }
    if (rest.details === false) throw misuse(HookmatchError, "onRows receives the rows that details: false turns off; drop one of them", "/details");
    if (rest.maxResults !== undefined) {
      throw misuse(HookmatchError, "with onRows every row is handed over and none is kept, so maxResults has nothing to bound; drop it", "/maxResults");
    }
    // Every row, each taken out of the session once handed over.
    rest = { ...rest, details: true, maxResults: Number.MAX_SAFE_INTEGER };
  }
  if (signal?.aborted) throw abortError(signal);
  const session = this.__previewStart(rest);
  const handOver = async () => {
    const rows = this.__previewRows(session);
    if (rows.length > 0) await onRows(rows);
  };
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
        if (bytes.length === 0 && !readable(bytes)) {
          throw misuse(HookmatchError, "a chunk of the stream is a view of a detached ArrayBuffer (transferred or resized away); its bytes can no longer be read");
        }
      } else if (chunk instanceof ArrayBuffer) {
        bytes = new Uint8Array(chunk);
      } else if (ArrayBuffer.isView(chunk)) {
        bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      } else {
        throw misuse(HookmatchError, "each chunk of a stream must be a Uint8Array or a string");
      }
      const [read, events, matched] = this.__previewPush(session, bytes);
      if (onRows) await handOver();
      onProgress?.({ bytes: read, events, matched });
    }
    if (pendingHigh !== "") this.__previewPush(session, encoder.encode(pendingHigh));
    if (signal?.aborted) throw abortError(signal);
    if (onRows) await handOver();
    const result = this.__previewFinish(session);
    if (onRows) {
      // The last rows (a last line without a newline, or a JSON document
      // read whole) are decided by the finish.
      // `matches` holds only the finish's: the rows carry every one.
      const { results: last = [], matches: _, ...counts } = result;
      if (last.length > 0) await onRows(last);
      return counts;
    }
    return result;
  } finally {
    session.free();
  }
};
