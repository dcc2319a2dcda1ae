// Objects take a fast path in the package's entries (objects.js): only the
// fields the plan reads are copied and stringified. These tests hold it to
// the answer of the object's own JSON text, on every fixture case of every
// dialect and on objects JSON.stringify treats specially.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Subscription, SubscriptionSet, setLimits } from "hookmatch";
import { DIALECTS, tableIn, specText, eventText, options, read, throwsHookmatch } from "./helpers.mjs";

/** The outcome of a call: its answer, or the error's code and path. */
function outcome(fn) {
  try {
    return { value: fn() };
  } catch (e) {
    return { error: e.name, code: e.code, path: e.path };
  }
}

test("every fixture case answers the same for the object as for its text", () => {
  let compared = 0;
  for (const dialect of DIALECTS) {
    for (const c of tableIn(dialect, "cases.json")) {
      const text = eventText(c, dialect);
      let event;
      try {
        event = JSON.parse(text);
      } catch {
        continue; // a syntax-error case has no object
      }
      let sub;
      try {
        sub = Subscription.compile(specText(c, dialect), options(c, dialect));
      } catch {
        continue;
      }
      assert.deepEqual(outcome(() => sub.matches(event)), outcome(() => sub.matches(text)), `${dialect}: ${c.name}`);
      sub.free();
      compared++;
    }
  }
  assert.ok(compared > 60, `compared ${compared}`);
});

const SPEC = {
  objCode: "PROJ",
  eventType: "UPDATE",
  url: "https://hooks.example.com/wf",
  authToken: "t",
  filters: [
    { fieldName: "status", fieldValue: "CUR" },
    { fieldName: "DE:Region", fieldValue: "EMEA" },
    { fieldName: "/tags/1", fieldValue: "b" },
    { fieldName: "due", fieldValue: "2024-01-01T00:00:00Z", comparison: "gt" },
  ],
};

const base = () => ({
  eventType: "UPDATE",
  newState: {
    objCode: "PROJ",
    status: "CUR",
    tags: ["a", "b"],
    due: "2024-06-01T00:00:00.000Z",
    parameterValues: { "DE:Region": "EMEA", "DE:Other": 1 },
    skipped: { deep: [1, 2, { x: "y" }] },
  },
  oldState: {},
});

test("objects JSON.stringify treats specially answer as their JSON text does", () => {
  const sub = Subscription.compile(SPEC);
  class Due {
    toJSON() {
      return "2024-06-01T00:00:00Z";
    }
  }
  class State {
    constructor() {
      Object.assign(this, base().newState);
    }
  }
  const cases = {
    plain: base(),
    "a Date read through its toJSON": (() => {
      const e = base();
      e.newState.due = new Date("2024-06-01T00:00:00Z");
      return e;
    })(),
    "a class instance with toJSON": (() => {
      const e = base();
      e.newState.due = new Due();
      return e;
    })(),
    "a class instance as the state": (() => {
      const e = base();
      e.newState = new State();
      return e;
    })(),
    "a toJSON on the event itself": { toJSON: () => base() },
    "a non-enumerable field": (() => {
      const e = base();
      Object.defineProperty(e.newState, "status", { value: "CUR", enumerable: false });
      return e;
    })(),
    "an inherited field": (() => {
      const e = base();
      const { status, ...rest } = e.newState;
      e.newState = Object.assign(Object.create({ status }), rest);
      return e;
    })(),
    "a getter": (() => {
      const e = base();
      Object.defineProperty(e.newState, "status", { get: () => "CUR", enumerable: true });
      return e;
    })(),
    "an undefined field": (() => {
      const e = base();
      e.newState.status = undefined;
      return e;
    })(),
    "a function field": (() => {
      const e = base();
      e.newState.status = () => "CUR";
      return e;
    })(),
    "a boxed string": (() => {
      const e = base();
      e.newState.status = new String("CUR");
      return e;
    })(),
    "a __proto__ key from JSON.parse": JSON.parse('{"eventType":"UPDATE","newState":{"__proto__":{"status":"CUR"},"objCode":"PROJ"}}'),
    "a null-prototype state": (() => {
      const e = base();
      e.newState = Object.assign(Object.create(null), e.newState);
      return e;
    })(),
    "a base64 state": { eventType: "UPDATE", newState: Buffer.from(JSON.stringify(base().newState)).toString("base64") },
    "a NaN field": (() => {
      const e = base();
      e.newState.status = NaN;
      return e;
    })(),
    "a sparse tags array": (() => {
      const e = base();
      e.newState.tags = [, "b"];
      return e;
    })(),
  };
  for (const [name, event] of Object.entries(cases)) {
    const text = JSON.stringify(event);
    assert.deepEqual(outcome(() => sub.matches(event)), outcome(() => sub.matches(text)), name);
  }
  assert.equal(sub.matches(cases.plain), true);
  assert.equal(sub.matches(cases["a Date read through its toJSON"]), true);
  // An array where one event is expected is misuse, not an event
  // (invalid_input naming it); as JSON text it is read as text is.
  throwsHookmatch(assert, () => sub.matches([base()]), "invalid_input");
  throwsHookmatch(assert, () => sub.matches(JSON.stringify([base()])), "invalid_event");
  assert.equal(sub.matches(cases["a non-enumerable field"]), false);
});

test("a field named __proto__ that a filter reads is copied as data, not as a prototype", () => {
  const sub = Subscription.compile({ ...SPEC, filters: [{ fieldName: "__proto__", fieldValue: { status: "CUR" } }] });
  const text = '{"eventType":"UPDATE","newState":{"objCode":"PROJ","__proto__":{"status":"CUR"}}}';
  const event = JSON.parse(text);
  assert.equal(sub.matches(text), true);
  assert.equal(sub.matches(event), true);
  const other = JSON.parse(text.replace('"CUR"', '"PLN"'));
  assert.equal(sub.matches(other), false);
});

test("a BigInt, a cycle or deep nesting anywhere in the object is reported as for its text", () => {
  const sub = Subscription.compile(SPEC);
  const big = base();
  big.newState.status = 10n;
  throwsHookmatch(assert, () => sub.matches(big), "invalid_input");
  const cyclic = base();
  cyclic.newState.parameterValues["DE:Region"] = cyclic;
  throwsHookmatch(assert, () => sub.matches(cyclic), "invalid_input");
  // In fields no filter reads, too: the walk checks the whole object.
  const bigElsewhere = base();
  bigElsewhere.newState.skipped = 10n;
  throwsHookmatch(assert, () => sub.matches(bigElsewhere), "invalid_input");
  const cycleElsewhere = base();
  cycleElsewhere.unread = { again: cycleElsewhere };
  throwsHookmatch(assert, () => sub.matches(cycleElsewhere), "invalid_input");
  const deep = base();
  let o = deep.newState.skipped;
  for (let i = 0; i < 200; i++) o = o.a = {};
  throwsHookmatch(assert, () => sub.matches(deep), "invalid_json");
  // A shared (not cyclic) object is fine, as JSON.stringify finds it fine.
  const shared = base();
  const tags = ["a", "b"];
  shared.newState.tags = tags;
  shared.newState.skipped = { tags };
  assert.equal(sub.matches(shared), true);
});

test("only the fields read cross into wasm: the size limit counts those (the fast path is taken)", () => {
  const sub = Subscription.compile({ url: "https://kb.example.com/hook", token: "t", events: ["task.create"] });
  const e = { event_name: "task.create", event_data: { task_id: 1, skipped: "x".repeat(1 << 20) } };
  setLimits({ maxInputBytes: 64 * 1024 });
  try {
    throwsHookmatch(assert, () => sub.matches(JSON.stringify(e)), "too_large");
    assert.equal(sub.matches(e), true);
    // What is read still counts.
    e.event_name = "task.create" + " ".repeat(1 << 20);
    throwsHookmatch(assert, () => sub.matches(e), "too_large");
  } finally {
    setLimits({ maxInputBytes: 0 });
  }
});

test("a vendor that measures messages gets a large object whole (Workfront's 1 MB)", () => {
  const sub = Subscription.compile(SPEC);
  const e = base();
  e.newState.skipped = "x".repeat(1 << 20);
  assert.equal(sub.matches(e), false, "over 1 MB: not delivered, though unread");
  assert.equal(sub.matches(e), sub.matches(JSON.stringify(e)));
  e.newState.skipped = "x".repeat(100_000);
  assert.equal(sub.matches(e), true);
});

test("a lone surrogate in an unread field answers as the object's text does", () => {
  const sub = Subscription.compile(SPEC);
  const e = base();
  e.newState.unread = "a\ud800b";
  throwsHookmatch(assert, () => sub.matches(JSON.stringify(e)), "invalid_json");
  throwsHookmatch(assert, () => sub.matches(e), "invalid_json");
  const k = base();
  k.newState["key\udc00"] = 1;
  throwsHookmatch(assert, () => sub.matches(k), "invalid_json");
});

test("keys checked once are still checked: a lone surrogate key after thousands of good ones, short and long", () => {
  // objects.js remembers keys found well formed (a bounded set, started
  // again when full); a key is never remembered unless it was checked.
  const sub = Subscription.compile(SPEC);
  for (let round = 0; round < 3; round++) {
    const e = base();
    for (let i = 0; i < 3000; i++) e.newState[`field${round}_${i}`] = i;
    assert.equal(sub.matches(e), sub.matches(JSON.stringify(e)));
  }
  for (const key of ["k\ud800", "\udfff", "x".repeat(100) + "\ud83d"]) {
    const e = base();
    e.newState[key] = 1;
    throwsHookmatch(assert, () => sub.matches(JSON.stringify(e)), "invalid_json");
    throwsHookmatch(assert, () => sub.matches(e), "invalid_json");
  }
  // A well-formed pair is not a lone surrogate, remembered or not.
  const pair = base();
  pair.newState["k\ud83d\ude00"] = "\ud83d\ude00";
  assert.equal(sub.matches(pair), sub.matches(JSON.stringify(pair)));
  assert.equal(sub.matches(pair), true);
});

test("a set projects objects by the union of its members' fields, and again after add", () => {
  const set = SubscriptionSet.compile([{ id: "a", spec: SPEC }]);
  const e = base();
  assert.deepEqual(set.match(e), ["a"]);
  set.add("b", { ...SPEC, filters: [{ fieldName: "priority", fieldValue: 2, comparison: "gte" }] });
  assert.deepEqual(set.match(e), ["a"]);
  e.newState.priority = 3;
  assert.deepEqual(set.match(e), ["a", "b"]);
  assert.deepEqual(set.match(e), set.match(JSON.stringify(e)));
  set.free();
});

test("objects read from a fixture file match as their text does, many times over", () => {
  const sub = Subscription.compile(read("specs/seed-create-request.json"));
  const text = read("events/update.json");
  const event = JSON.parse(text);
  for (let i = 0; i < 1000; i++) assert.equal(sub.matches(event), sub.matches(text));
});

// Strings up to 64K units cross through the inbox (objects.js writes their
// UTF-8 bytes into wasm memory, one call reads them); byte arrays cross by
// the plain path. Every string must answer as its UTF-8 bytes do.
test("every fixture case answers the same for its text as for its UTF-8 bytes", () => {
  const utf8 = new TextEncoder();
  let compared = 0;
  for (const dialect of DIALECTS) {
    for (const c of tableIn(dialect, "cases.json")) {
      const text = eventText(c, dialect);
      let sub;
      try {
        sub = Subscription.compile(specText(c, dialect), options(c, dialect));
      } catch {
        continue;
      }
      const set = SubscriptionSet.compile([{ id: "m", spec: JSON.parse(specText(c, dialect)), options: options(c, dialect) }]);
      const bytes = utf8.encode(text);
      assert.deepEqual(outcome(() => sub.matches(text)), outcome(() => sub.matches(bytes)), `${dialect}: ${c.name}`);
      assert.deepEqual(outcome(() => set.match(text)), outcome(() => set.match(bytes)), `${dialect} set: ${c.name}`);
      sub.free();
      set.free();
      compared++;
    }
  }
  assert.ok(compared > 50, `compared ${compared}`);
});

test("text with non-ASCII, a lone surrogate or past the inbox's size answers as its bytes do", () => {
  const utf8 = new TextEncoder();
  const spec = { ...SPEC, filters: [{ fieldName: "status", fieldValue: "Zürich ✓ 😀" }] };
  const sub = Subscription.compile(spec);
  const e = base();
  e.newState.status = "Zürich ✓ 😀";
  const text = JSON.stringify(e);
  assert.equal(sub.matches(text), true, "the same string value passes eq");
  assert.equal(sub.matches(utf8.encode(text)), true);
  // A raw lone surrogate (not an escape) becomes U+FFFD on both paths.
  const lone = text.replace('"objCode"', '"unread":"a\ud800b","objCode"');
  assert.deepEqual(outcome(() => sub.matches(lone)), outcome(() => sub.matches(utf8.encode(lone))));
  // Large strings: one that makes the inbox grow, then one past 64K units
  // (the plain path), then a small one again.
  for (const pad of [50_000, 70_000, 10]) {
    const big = base();
    big.newState.status = "Zürich ✓ 😀";
    big.newState.unread = "ü".repeat(pad);
    assert.equal(sub.matches(JSON.stringify(big)), true, `padding ${pad}`);
  }
  sub.free();
});

test("a string above maxInputBytes is too_large through the inbox too", () => {
  const sub = Subscription.compile(SPEC);
  const e = base();
  e.newState.unread = "x".repeat(3000);
  const text = JSON.stringify(e);
  setLimits({ maxInputBytes: 2000 });
  try {
    throwsHookmatch(assert, () => sub.matches(text), "too_large");
    throwsHookmatch(assert, () => sub.matches(new TextEncoder().encode(text)), "too_large");
  } finally {
    setLimits({ maxInputBytes: 0 });
  }
  assert.equal(sub.matches(text), true);
  sub.free();
});

test("text still answers after wasm memory grew between calls (the inbox's view is detached)", () => {
  const sub = Subscription.compile(SPEC);
  const text = JSON.stringify(base());
  assert.equal(sub.matches(text), true);
  const entries = Array.from({ length: 3000 }, (_, i) => ({ id: `m${i}`, spec: { ...SPEC, url: `https://hooks.example.com/${i}` } }));
  const set = SubscriptionSet.compile(entries);
  assert.equal(sub.matches(text), true);
  assert.equal(set.match(text).length, 3000);
  const other = base();
  other.newState.status = "PLN";
  assert.equal(sub.matches(JSON.stringify(other)), false);
  assert.equal(sub.matches(text), true);
  set.free();
  sub.free();
});

test("set.match reads its positions through a fresh view when wasm memory grew during the call", async () => {
  // The one branch no real event reaches on purpose: memory that grows
  // while wasm answers detaches the inbox's view, and the positions must be
  // read through a new view of the same inbox. A stand-in for the glue
  // grows its memory inside the call, as a large allocation would.
  const { installObjects } = await import(new URL("../../node_modules/hookmatch/objects.js", import.meta.url));
  const memory = new WebAssembly.Memory({ initial: 1 });
  const at = 1024;
  const asked = [];
  function Subscription() {}
  Subscription.prototype.matches = () => false;
  Subscription.prototype.__matchesInbox = () => 0;
  function SubscriptionSet() {}
  SubscriptionSet.prototype.match = () => "plain path";
  SubscriptionSet.prototype.__matchInbox = () => "other path";
  SubscriptionSet.prototype.__ids = () => ["a", undefined, "c", "d"];
  SubscriptionSet.prototype.__matchInboxPositions = function (units, len, key) {
    const words = new Uint32Array(memory.buffer, at, 3);
    words.set([0, 2, 3]);
    if (this.grow) memory.grow(1);
    return 3;
  };
  const glue = {
    Subscription,
    SubscriptionSet,
    __inbox(bytes, key) {
      asked.push(key);
      return new Uint8Array(memory.buffer, at, Math.max(bytes, 4096));
    },
  };
  installObjects(glue);
  const set = new SubscriptionSet();
  assert.deepEqual(set.match('{"x":1}'), ["a", "c", "d"]);
  set.grow = true;
  assert.deepEqual(set.match('{"x":2}'), ["a", "c", "d"]);
  assert.equal(asked.length, 2, "a second view, asked for after the growth");
  set.grow = false;
  assert.deepEqual(set.match('{"x":3}'), ["a", "c", "d"]);
  assert.equal(asked.length, 2, "and kept");
});

// The walk enumerates with for-in, which also visits enumerable keys of
// Object.prototype; JSON.stringify does not. A key put there (before the
// call, or by a getter the walk reads) must not reach the copy.
test("an enumerable key on Object.prototype, before the call or added by a getter, answers as the object's text does", () => {
  const sub = Subscription.compile(SPEC);
  const without = () => {
    const e = base();
    delete e.newState.status;
    return e;
  };
  assert.equal(sub.matches(without()), false);
  // With Object.prototype as `setUp` leaves it, `event` answers as its
  // text does (which holds no "status"); the prototype is cleaned after.
  const answersAsText = (setUp, event) => {
    try {
      setUp();
      const answer = sub.matches(event);
      setUp();
      const text = JSON.stringify(event);
      assert.equal(text.includes("status"), false);
      assert.equal(answer, sub.matches(text));
      assert.equal(answer, false);
    } finally {
      delete Object.prototype.status;
    }
  };
  const polluted = () => {
    Object.prototype.status = "CUR";
  };
  answersAsText(polluted, without());
  // Read before newState (keys in insertion order): the prototype gains
  // the key while the walk is under way.
  answersAsText(() => {}, { get eventType() { polluted(); return "UPDATE"; }, newState: without().newState, oldState: {} });
  // Already there, and taken away by a getter read after newState.
  answersAsText(polluted, { eventType: "UPDATE", newState: without().newState, get oldState() { delete Object.prototype.status; return {}; } });
  assert.equal(sub.matches(base()), true);
});
