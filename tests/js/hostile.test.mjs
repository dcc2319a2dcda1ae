// Malformed and hostile input through the JS API: every call answers with
// data or a HookmatchError, and the module keeps working afterwards.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Subscription, SubscriptionSet, validate, decodeBase64 } from "hookmatch";
import { execFileSync } from "node:child_process";
import { read, throwsHookmatch } from "./helpers.mjs";

const SPEC = read("specs/seed-create-request.json");
const UPDATE = read("events/update.json");

test("thousands of failing calls do not poison the module", () => {
  const sub = Subscription.compile(SPEC);
  const bad = ["{", "[1,", "null", "42", '"x"', '{"eventType": 5, "newState": {}}', '{"eventType":"UPDATE","newState":"@@@"}', "\u0000", "{}"];
  let thrown = 0;
  for (let i = 0; i < 5000; i++) {
    try {
      sub.matches(bad[i % bad.length]);
    } catch (e) {
      assert.equal(e.name, "HookmatchError");
      thrown++;
    }
    try {
      Subscription.compile(bad[i % bad.length]);
    } catch (e) {
      assert.equal(e.name, "HookmatchError");
      thrown++;
    }
  }
  assert.equal(thrown, 10000);
  assert.equal(sub.matches(UPDATE), true);
  assert.equal(Subscription.compile(SPEC).matches(UPDATE), true);
});

test("deep nesting is an error, not a stack overflow", () => {
  const sub = Subscription.compile(SPEC);
  const deep = "[".repeat(200000) + "]".repeat(200000);
  const err = throwsHookmatch(assert, () => sub.matches(deep), "invalid_json");
  assert.match(err.message, /nesting deeper than 128/);
  const deepState = `{"eventType":"UPDATE","newState":{"objCode":"PROJ","x":${"[".repeat(5000)}${"]".repeat(5000)}}}`;
  throwsHookmatch(assert, () => sub.matches(deepState), "invalid_json");
  assert.deepEqual(validate("[".repeat(100000)).map((d) => d.code), ["invalid_json"]);
  // A deep JS object is stringified and rejected the same way.
  let o = {};
  const top = o;
  for (let i = 0; i < 1000; i++) o = o.a = {};
  throwsHookmatch(assert, () => sub.matches(top), "invalid_json");
  assert.equal(sub.matches(UPDATE), true);
});

test("10 MB strings in specs and events", () => {
  const big = "x".repeat(10 * 1024 * 1024);
  const spec = { ...JSON.parse(SPEC), filters: [{ fieldName: "name", fieldValue: big, comparison: "contains" }] };
  const sub = Subscription.compile(spec);
  const event = JSON.parse(UPDATE);
  event.newState.name = big + "!";
  // A 10 MB message is over Workfront's 1 MB limit: the filter passes, the
  // vendor does not deliver.
  assert.equal(sub.matches(event), false);
  const x = sub.explain(event);
  assert.equal(x.filters[0].passed, true);
  assert.equal(x.gate.find((c) => !c.passed)?.field, "messageSize");
  assert.ok(x.filters[0].reason.length < 400, "reasons quote long strings briefly");
  const diags = validate({ ...JSON.parse(SPEC), objCode: big });
  assert.equal(diags[0].code, "unknown_obj_code");
  assert.ok(diags[0].message.length < 2000);
  throwsHookmatch(assert, () => decodeBase64(big + "$"), "invalid_base64");
});

test("invalid UTF-8 in bytes and lone surrogates in strings", () => {
  const sub = Subscription.compile(SPEC);
  const bytes = new TextEncoder().encode(UPDATE.replace("EventSub Test updated", "EventSub \u0001"));
  const bad = new Uint8Array(bytes);
  bad[bytes.indexOf(1)] = 0xff;
  throwsHookmatch(assert, () => sub.matches(bad), "invalid_json");
  const r = sub.preview(bad);
  assert.equal(r.errors[0].code, "invalid_json");
  // A lone surrogate in JS string input becomes U+FFFD, as TextEncoder makes it.
  const lone = UPDATE.replace("EventSub Test updated", "EventSub \ud800 updated");
  assert.equal(sub.matches(lone), true);
  const replaced = Subscription.compile({ ...JSON.parse(SPEC), filters: [{ fieldName: "name", fieldValue: "EventSub \ufffd updated" }] });
  assert.equal(replaced.matches(lone), true);
  // In objects JSON.stringify writes it as a \ud800 escape, which JSON
  // parsers refuse: a clear invalid_json, not a crash.
  const err = throwsHookmatch(assert, () => Subscription.compile({ ...JSON.parse(SPEC), filters: [{ fieldName: "name", fieldValue: "\udfff" }] }), "invalid_json");
  assert.match(err.message, /surrogate/);
  assert.equal(sub.matches(UPDATE), true);
});

test("bytes are UTF-8 exactly when the platform's strict decoder says so, at every offset", () => {
  // The oracle is TextDecoder with fatal: true, not hookmatch's validator
  // (SIMD-wide in wasm, with a scalar tail). Each bad sequence is put at
  // every offset of a 200-byte string value, so it falls in the SIMD
  // blocks, across their edges and in the tail.
  const sub = Subscription.compile(SPEC);
  const strict = new TextDecoder("utf-8", { fatal: true });
  const head = new TextEncoder().encode('{"eventType":"UPDATE","newState":{"objCode":"TASK","name":"');
  const tail = new TextEncoder().encode('"},"oldState":{}}');
  const sequences = [[0xff], [0xc3], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xc3, 0xa9], [0xf0, 0x9f, 0x98, 0x80]];
  let checked = 0;
  for (const seq of sequences) {
    for (let at = 0; at <= 200; at += 7) {
      const name = new Uint8Array(200 + seq.length).fill(0x61);
      name.set(seq, at);
      const doc = new Uint8Array([...head, ...name, ...tail]);
      let valid = true;
      try {
        strict.decode(doc);
      } catch {
        valid = false;
      }
      if (valid) assert.equal(typeof sub.matches(doc), "boolean");
      else throwsHookmatch(assert, () => sub.matches(doc), "invalid_json");
      const lines = new Uint8Array([...new TextEncoder().encode(JSON.stringify(JSON.parse(UPDATE)) + "\n"), ...doc, 0x0a]);
      const r = sub.preview(lines, { format: "ndjson" });
      assert.equal(r.total, 2);
      assert.deepEqual(r.errors.map((e) => [e.line, e.code]), valid ? [] : [[2, "invalid_json"]], `${seq} at ${at}`);
      checked += valid ? 0 : 1;
    }
  }
  assert.ok(checked > 100);
});

test("__proto__ keys are data, never prototypes", () => {
  const spec = { ...JSON.parse(SPEC), filters: [{ fieldName: "__proto__", fieldValue: { polluted: true } }] };
  const sub = Subscription.compile(spec);
  const event = JSON.parse(UPDATE.replace('"status": "CUR"', '"status": "CUR", "__proto__": {"polluted": true}'));
  assert.equal(Object.getPrototypeOf(event.newState), Object.prototype);
  assert.equal(sub.matches(event), true);
  const x = sub.explain(event);
  assert.deepEqual(x.filters[0].actual, { polluted: true });
  assert.equal({}.polluted, undefined);
  assert.equal(Object.prototype.hasOwnProperty.call(x.filters[0], "__proto__"), false);
  const json = sub.toJSON();
  assert.equal(json.filters[0].fieldName, "__proto__");
  assert.equal({}.polluted, undefined);
});

test("numbers beyond f64 range and odd values", () => {
  const sub = Subscription.compile(SPEC);
  throwsHookmatch(assert, () => sub.matches('{"eventType":"UPDATE","newState":{"objCode":"PROJ","n":1e400}}'), "invalid_json");
  assert.equal(sub.matches('{"eventType":"UPDATE","newState":{"objCode":"PROJ","n":123456789012345678901234567890}}'), true);
  const d = validate({ ...JSON.parse(SPEC), filters: [{ fieldName: "n", fieldValue: 1e308, comparison: "gt" }] });
  assert.deepEqual(d, []);
});

test("duplicate keys: the last one wins, as in JSON.parse (and Java's Jackson, which Workfront uses)", () => {
  const sub = Subscription.compile({ ...JSON.parse(SPEC), filters: [{ fieldName: "status", fieldValue: "CUR" }] });
  const text = '{"eventType":"UPDATE","newState":{"objCode":"PROJ","status":"PLN","status":"CUR"},"oldState":{}}';
  assert.equal(JSON.parse(text).newState.status, "CUR");
  assert.equal(sub.matches(text), true);
  assert.equal(sub.explain(text).filters[0].actual, "CUR");
  const reversed = text.replace('"PLN","status":"CUR"', '"CUR","status":"PLN"');
  assert.equal(sub.matches(reversed), false);
  // Duplicated spec keys too: the last filters win.
  const twice = Subscription.compile('{"objCode":"PROJ","eventType":"UPDATE","url":"https://h.example.com","authToken":"t","filters":[{"fieldName":"a","fieldValue":1}],"filters":[]}');
  assert.deepEqual(twice.toJSON().filters, undefined);
});

// Regression: a number where a member id belongs made wasm-bindgen's own
// string conversion read out of bounds (a wasm trap), and an object made
// with `new` reached wasm with a null pointer. Every misuse is a
// HookmatchError, and the module keeps working after each.
test("misuse of the set's id arguments and of `new` answers with HookmatchError", () => {
  const spec = { objCode: "PROJ", eventType: "UPDATE", url: "https://h.example.com", authToken: "t" };
  const set = SubscriptionSet.compile([{ id: "a", spec }]);
  for (const f of [() => set.explain("{}", 42), () => set.add(42, spec), () => set.remove(42), () => set.remove(), () => set.explain("{}")]) {
    throwsHookmatch(assert, f, "invalid_input");
  }
  for (const f of [() => new Subscription().matches("{}"), () => new SubscriptionSet().size]) {
    throwsHookmatch(assert, f, "invalid_input");
  }
  assert.deepEqual(set.match({ eventType: "UPDATE", newState: { objCode: "PROJ" }, oldState: {} }), ["a"]);
  set.free();
});

/** Run `code` (an ES module body) in a fresh Node with the package; its stdout as JSON. */
function inChild(code) {
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", code], { cwd: new URL("../..", import.meta.url), encoding: "utf8" });
  return JSON.parse(out);
}

// Regression: wasm-bindgen keeps the Rust pointer in an own enumerable
// `__wbg_ptr`, so a copy of a Subscription outlived its free() and then
// answered with whatever the allocator put there next: the next
// subscription's `Authorization: Bearer …`. In a child process, since a
// forged pointer can trap the module.
test("handles cannot be copied or forged: a copy, a forgery or a freed one throws, never reaches other memory", () => {
  const r = inChild(`
    import { Subscription, SubscriptionSet, HookmatchError } from "hookmatch";
    const spec = (token) => ({ objCode: "PROJ", eventType: "UPDATE", url: "https://h.example.com", authToken: token });
    const event = { eventType: "UPDATE", newState: { objCode: "PROJ" }, oldState: {} };
    const answer = (f) => {
      try {
        return "answered:" + JSON.stringify(f());
      } catch (e) {
        return e instanceof HookmatchError ? e.code : "raw:" + e?.constructor?.name + ":" + e?.message;
      }
    };
    const a = Subscription.compile(spec("token-of-a"));
    const out = { ownKeys: Object.keys(a), spreadKeys: Object.keys({ ...a }), json: JSON.stringify(a.toJSON()).includes("token-of-a") };
    const clone = Object.assign(Object.create(Subscription.prototype), a);
    const spread = Object.setPrototypeOf({ ...a }, Subscription.prototype);
    out.cloneBeforeFree = answer(() => clone.deliver(event));
    a.free();
    const b = Subscription.compile(spec("token-of-b"));
    const forged = (ptr) => { const o = Object.create(Subscription.prototype); Object.defineProperty(o, "__wbg_ptr", { value: ptr }); return o; };
    const tries = {
      freed: () => a.deliver(event),
      clone: () => clone.deliver(event),
      spread: () => spread.deliver(event),
      forgedAssigned: () => { const o = Object.create(Subscription.prototype); o.__wbg_ptr = 8; return o.deliver(event); },
      forgedDefined: () => forged(8).deliver(event),
      forgedDialect: () => forged(8).dialect,
      wrap: () => Subscription.__wrap(8).deliver(event),
      proxy: () => new Proxy(b, {}).deliver(event),
      call: () => Subscription.prototype.deliver.call({ __wbg_ptr: 8 }, event),
      setClone: () => Object.assign(Object.create(SubscriptionSet.prototype), SubscriptionSet.compile([{ id: "x", spec: spec("t") }])).match(event),
    };
    for (const [k, f] of Object.entries(tries)) out[k] = answer(f);
    // __wrap called back from inside a call (a toJSON wasm runs) makes an object that never works.
    let inside;
    const sneaky = { ...spec("token-of-c"), toJSON() { try { inside = Subscription.__wrap(8); } catch {} return spec("token-of-c"); } };
    const c = Subscription.compile(sneaky);
    out.insideWrap = inside === undefined ? "none" : answer(() => inside.deliver(event));
    out.b = JSON.stringify(b.deliver(event)).includes("token-of-b");
    out.c = c.matches(event);
    out.freeForged = answer(() => forged(8).free());
    out.freeTwice = answer(() => a.free());
    console.log(JSON.stringify(out));
  `);
  assert.deepEqual(r.ownKeys, []);
  assert.deepEqual(r.spreadKeys, []);
  assert.equal(r.json, false, "toJSON redacts");
  assert.equal(r.cloneBeforeFree, "invalid_input");
  for (const k of ["clone", "spread", "forgedAssigned", "forgedDefined", "forgedDialect", "wrap", "proxy", "call", "setClone", "insideWrap"]) {
    assert.equal(r[k], "invalid_input", k);
  }
  assert.equal(r.freed, "freed");
  assert.equal(r.b, true);
  assert.equal(r.c, true);
  assert.equal(r.freeForged, "answered:undefined");
  assert.equal(r.freeTwice, "answered:undefined");
  assert.ok(!JSON.stringify(r).includes("token-of"), "no answer carries another subscription's token");
});

test("a preview session is not forgeable either", async () => {
  const r = inChild(`
    import { Subscription, HookmatchError } from "hookmatch";
    const sub = Subscription.compile({ objCode: "PROJ", eventType: "UPDATE", url: "https://h.example.com", authToken: "t" });
    const code = (f) => { try { f(); return "ok"; } catch (e) { return e instanceof HookmatchError ? e.code : "raw:" + e.message; } };
    const s = sub.__previewStart({});
    const SessionProto = Object.getPrototypeOf(s);
    const out = {
      keys: Object.keys(s),
      forged: code(() => sub.__previewPush(Object.create(SessionProto), new Uint8Array(2))),
      defined: code(() => sub.__previewPush(Object.defineProperty(Object.create(SessionProto), "__wbg_ptr", { value: 8 }), new Uint8Array(2))),
      real: code(() => sub.__previewPush(s, new TextEncoder().encode("{}\\n"))),
    };
    s.free();
    out.freed = code(() => sub.__previewPush(s, new Uint8Array(2)));
    const r = await sub.previewStream(["{\\"eventType\\":\\"UPDATE\\",\\"newState\\":{\\"objCode\\":\\"PROJ\\"},\\"oldState\\":{}}\\n"]);
    out.stream = r.matched;
    console.log(JSON.stringify(out));
  `);
  assert.deepEqual(r, { keys: [], forged: "invalid_input", defined: "invalid_input", real: "ok", freed: "freed", stream: 1 });
});

// What the caller hands over may throw when read: a view of a detached
// ArrayBuffer, a revoked Proxy, a getter. Each is a HookmatchError, and the
// module keeps answering (in a child: an exception unwinding through wasm
// could leave it unusable).
test("inputs that throw when read are HookmatchError invalid_input, and the module keeps working", () => {
  const r = inChild(`
    import { Subscription, SubscriptionSet, validate, verify, lint, diff, encodeBase64, setLimits, HookmatchError } from "hookmatch";
    const spec = { objCode: "PROJ", eventType: "UPDATE", url: "https://h.example.com", authToken: "t" };
    const event = { eventType: "UPDATE", newState: { objCode: "PROJ" }, oldState: {} };
    const sub = Subscription.compile(spec);
    const set = SubscriptionSet.compile([{ id: "a", spec }]);
    const detached = () => { const b = new ArrayBuffer(8); const v = new Uint8Array(b); structuredClone(b, { transfer: [b] }); return v; };
    const revoked = () => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy; };
    const getter = () => ({ get dialect() { throw new TypeError("getter says no"); } });
    const code = (f) => { try { f(); return "ok"; } catch (e) { return e instanceof HookmatchError ? e.code : "raw:" + e?.constructor?.name + ":" + e?.message; } };
    const out = {};
    const calls = {
      matchesDetached: () => sub.matches(detached()),
      explainDetached: () => sub.explain(detached()),
      previewDetached: () => sub.preview(detached()),
      deliverDetached: () => sub.deliver(detached()),
      setMatchDetached: () => set.match(detached()),
      compileDetached: () => Subscription.compile(detached()),
      base64Detached: () => encodeBase64(detached()),
      matchesRevoked: () => sub.matches(revoked()),
      previewRevoked: () => sub.preview(revoked()),
      compileRevoked: () => Subscription.compile(revoked()),
      compileOptionsRevoked: () => Subscription.compile(spec, revoked()),
      validateOptionsRevoked: () => validate(spec, revoked()),
      previewOptionsRevoked: () => sub.preview([event], revoked()),
      verifyOptionsRevoked: () => verify({ headers: {}, body: "" }, "k", revoked()),
      setLimitsRevoked: () => setLimits(revoked()),
      lintOptionsRevoked: () => lint(spec, revoked()),
      diffOptionsRevoked: () => diff(spec, spec, revoked()),
      compileOptionsGetter: () => Subscription.compile(spec, getter()),
      diffOptionsGetter: () => diff(spec, spec, { events: [event], get dialect() { throw new TypeError("no"); } }),
      lintOptionsGetter: () => lint(spec, { events: [event], get dialect() { throw new TypeError("no"); } }),
      eventGetter: () => sub.explain({ get eventType() { throw new TypeError("no"); } }),
    };
    for (const [k, f] of Object.entries(calls)) out[k] = code(f);
    out.after = sub.matches(event) && set.match(event).length === 1 && validate(spec).length === 0;
    console.log(JSON.stringify(out));
  `);
  const { after, ...codes } = r;
  assert.equal(after, true);
  for (const [k, v] of Object.entries(codes)) assert.equal(v, "invalid_input", k);
});

// The carriers that handles map to are freed with them: handles dropped
// without free() still give their wasm memory back (FinalizationRegistry).
test("dropped handles are still freed", () => {
  const out = execFileSync(
    process.execPath,
    [
      "--expose-gc",
      "--input-type=module",
      "-e",
      `
      import { readFileSync } from "node:fs";
      import { Subscription } from "hookmatch";
      const dir = new URL(".", import.meta.resolve("hookmatch"));
      const glue = await import(new URL("hookmatch.js", dir));
      const wasm = glue.initSync({ module: readFileSync(new URL("hookmatch_bg.wasm", dir)) });
      const spec = { objCode: "PROJ", eventType: "UPDATE", url: "https://h.example.com", authToken: "t" };
      const rounds = [];
      for (let round = 0; round < 3; round++) {
        (() => { for (let i = 0; i < 20000; i++) Subscription.compile(spec); })();
        for (let k = 0; k < 10; k++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 20)); }
        rounds.push(wasm.memory.buffer.byteLength);
      }
      console.log(JSON.stringify(rounds));
    `,
    ],
    { cwd: new URL("../..", import.meta.url), encoding: "utf8" },
  );
  const [first, , last] = JSON.parse(out);
  // Were nothing freed, each round would add 20,000 subscriptions (~30 MB).
  assert.ok(last - first <= 4 * 1024 * 1024, `wasm memory grew from ${first} to ${last} bytes`);
});

test("previewStream: options that throw when read and a detached chunk reject with HookmatchError invalid_input", () => {
  const r = inChild(`
    import { Subscription, HookmatchError } from "hookmatch";
    const sub = Subscription.compile({ objCode: "PROJ", eventType: "UPDATE", url: "https://h.example.com", authToken: "t" });
    const revoked = () => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy; };
    const detached = () => { const b = new ArrayBuffer(8); const v = new Uint8Array(b); structuredClone(b, { transfer: [b] }); return v; };
    const code = async (f) => { try { await f(); return "ok"; } catch (e) { return e instanceof HookmatchError ? e.code : "raw:" + e?.constructor?.name + ":" + e?.message; } };
    const line = JSON.stringify({ eventType: "UPDATE", newState: { objCode: "PROJ" }, oldState: {} }) + "\\n";
    const out = {
      revokedOptions: await code(() => sub.previewStream(line, revoked())),
      getterOptions: await code(() => sub.previewStream(line, { get signal() { throw new TypeError("no"); } })),
      detachedChunk: await code(() => sub.previewStream([line, detached(), line])),
      emptyChunk: (await sub.previewStream([line, new Uint8Array(0), line])).matched,
    };
    console.log(JSON.stringify(out));
  `);
  assert.deepEqual(r, { revokedOptions: "invalid_input", getterOptions: "invalid_input", detachedChunk: "invalid_input", emptyChunk: 2 });
});

// A large document read whole (explain, deliver, compile, the analysis):
// 65–100 MB used to run the wasm out of memory inside the 256 MiB input
// limit (a tree costs many times its text). Past maxTreeBytes (32 MiB by
// default) it is too_large before any tree is built, matches of text still
// reads it as it streams, and the module keeps answering. In a child
// process: a failure here would kill the module.
test("documents past the tree limit are too_large, not out of memory, and the module keeps working", () => {
  const code = `
    import { Subscription, validate, lint, setLimits } from "hookmatch";
    const spec = { objCode: "TASK", eventType: "UPDATE", url: "https://h.example.com/", authToken: "t" };
    const sub = Subscription.compile(spec);
    const big = '{"eventType":"UPDATE","newState":{"objCode":"TASK","xs":[' + "0,".repeat(20_000_000) + '0]},"oldState":{}}';
    const out = {};
    const code = (f) => { try { f(); return "ok"; } catch (e) { return e.name + ":" + e.code; } };
    out.explain = code(() => sub.explain(big));
    out.deliver = code(() => sub.deliver(big));
    out.validate = code(() => validate(big));
    out.lint = code(() => lint(big));
    // (Workfront drops messages over 1 MB, so a vendor without a size limit.)
    const kanboard = Subscription.compile({ url: "https://h.example.com/kb", token: "t" });
    out.matches = kanboard.matches('{"event_name":"task.create","event_data":{"task_id":1,"xs":[' + "0,".repeat(20_000_000) + '0]}}');
    setLimits({ maxTreeBytes: 1000 });
    out.small = code(() => sub.explain('{"eventType":"UPDATE","newState":{"objCode":"TASK","pad":"' + "x".repeat(2000) + '"},"oldState":{}}'));
    setLimits({ maxTreeBytes: 0 });
    out.after = sub.explain('{"eventType":"UPDATE","newState":{"objCode":"TASK"},"oldState":{}}').matched;
    console.log(JSON.stringify(out));
  `;
  const out = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", code], { cwd: new URL("../..", import.meta.url), encoding: "utf8", maxBuffer: 1 << 20 }));
  assert.deepEqual(out, {
    explain: "HookmatchError:too_large",
    deliver: "HookmatchError:too_large",
    validate: "HookmatchError:too_large",
    lint: "HookmatchError:too_large",
    matches: true,
    small: "HookmatchError:too_large",
    after: true,
  });
});

// A trap (none should be reachable; runtime.js's test hook makes one) is
// `internal`, then a fresh module: tests/runtimes/trap-scenario.js says
// what must hold; each runtime runs it in a process of its own.
const trapScenario = new URL("../runtimes/trap-scenario.js", import.meta.url).href;

// The two ways a Node program loads hookmatch, each given the guard's test
// hook from the runtime that entry installed.
const loaders = {
  ESM: `
      const api = await import("hookmatch");
      // node.js is one file with the runtime inlined: its hook is on the
      // entry's HookmatchError (runtime.js, RUNTIME), not runtime.js's.
      const { __trap } = api.HookmatchError[Symbol.for("hookmatch.runtime")];`,
  CommonJS: `
      const { createRequire } = await import("node:module");
      const require = createRequire(process.cwd() + "/");
      const api = require("hookmatch");
      const { __trap } = require(require.resolve("hookmatch").replace(/index\\.js$/, "runtime.js"));`,
};

for (const [kind, load] of Object.entries(loaders)) {
  test(`a trap is HookmatchError internal, then a fresh module; older objects throw freed (${kind})`, async () => {
    const out = execFileSync(
      process.execPath,
      [
        "--expose-gc",
        "--input-type=module",
        "-e",
        `${load}
      const { trapScenario } = await import(${JSON.stringify(trapScenario)});
      const gc = async () => { for (let k = 0; k < 10; k++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 20)); } };
      console.log(JSON.stringify(await trapScenario(api, __trap, gc)));
    `,
      ],
      { cwd: new URL("../..", import.meta.url), encoding: "utf8" },
    );
    const { checkTrapScenario } = await import(trapScenario);
    checkTrapScenario(assert, JSON.parse(out), { gc: true });
  });
}
