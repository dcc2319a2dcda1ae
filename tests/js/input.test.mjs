// String events up to 64 Ki UTF-16 units are encoded into one reused wasm
// buffer through a cached view (src/wasm/mod.rs, with_event_bytes). These
// tests hold that path to the bytes path: across the size boundary, with
// non-ASCII text, after the buffer has grown, and after wasm memory itself
// has grown (which detaches every view made before).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Subscription, SubscriptionSet } from "hookmatch";

const SPEC = {
  objCode: "PROJ",
  eventType: "UPDATE",
  url: "https://hooks.example.com/wf",
  authToken: "t",
  filters: [{ fieldName: "name", fieldValue: "é😀", comparison: "contains" }],
};

function event(name, padding) {
  return JSON.stringify({ eventType: "UPDATE", newState: { objCode: "PROJ", name, padding } });
}

function outcome(fn) {
  try {
    return { value: fn() };
  } catch (e) {
    return { code: e.code, message: e.message };
  }
}

test("strings answer as their UTF-8 bytes on both sides of the 64 Ki-unit boundary", () => {
  const sub = Subscription.compile(SPEC);
  const enc = new TextEncoder();
  const fixed = event("", "").length;
  let checked = 0;
  for (const target of [10, 1000, 65536 - 40, 65536, 65536 + 40, 200000, 12]) {
    for (const name of ["xé😀y", "plain", "\ud800 lone", "é".repeat(50) + "😀"]) {
      const pad = Math.max(0, target - fixed - name.length);
      for (const padding of ["a".repeat(pad), "€".repeat(pad)]) {
        const text = event(name, padding);
        assert.deepEqual(outcome(() => sub.matches(text)), outcome(() => sub.matches(enc.encode(text))), `${text.length} units`);
        checked++;
      }
    }
  }
  assert.equal(checked, 56);
  assert.equal(sub.matches(event("xé😀y", "")), true);
  // JSON.stringify writes a lone surrogate as a \ud800 escape: invalid JSON.
  assert.equal(outcome(() => sub.matches(event("\ud800 lone", ""))).code, "invalid_json");
  // Raw in a string it becomes U+FFFD, as TextEncoder makes it.
  const raw = '{"eventType":"UPDATE","newState":{"objCode":"PROJ","name":"\ud800 lone"}}';
  assert.equal(sub.matches(raw), false);
  assert.equal(Subscription.compile({ ...SPEC, filters: [{ fieldName: "name", fieldValue: "\ufffd", comparison: "contains" }] }).matches(raw), true);
});

test("after wasm memory grows, string events still read right", () => {
  const sub = Subscription.compile(SPEC);
  const set = SubscriptionSet.compile([{ id: "a", spec: SPEC }]);
  const yes = event("é😀", "p");
  const no = event("nope", "p");
  assert.equal(sub.matches(yes), true);
  const held = [];
  for (let round = 0; round < 4; round++) {
    // Enough live subscriptions to grow wasm memory by megabytes.
    for (let i = 0; i < 2000; i++) held.push(Subscription.compile(SPEC));
    assert.equal(sub.matches(yes), true);
    assert.equal(sub.matches(no), false);
    assert.deepEqual(set.match(yes), ["a"]);
    assert.deepEqual(set.match(no), []);
  }
  for (const s of held) s.free();
  set.free();
});

test("a syntax error in a string event keeps its line and column", () => {
  const sub = Subscription.compile(SPEC);
  const bad = '{\n  "eventType": "UPDATE",\n  "newState": {"name": "é",}\n}';
  const viaString = outcome(() => sub.matches(bad));
  assert.equal(viaString.code, "invalid_json");
  assert.deepEqual(viaString, outcome(() => sub.matches(new TextEncoder().encode(bad))));
  assert.equal(sub.matches(event("é😀", "")), true);
});

test("an array of events has no lines; text keeps its lines", () => {
  const sub = Subscription.compile({ objCode: "PROJ", eventType: "UPDATE", url: "https://h.example.com", authToken: "t" });
  const r = sub.preview([{ eventType: "UPDATE" }, 42]);
  assert.equal(r.errors.length, 2);
  assert.ok(r.errors.every((e) => e.line === undefined), JSON.stringify(r.errors));
  const t = sub.preview('{"eventType":"UPDATE"}\n42\n');
  assert.deepEqual(t.errors.map((e) => e.line), [1, 2]);
  sub.free();
});
