// Malformed and hostile input through the JS API: every call answers with
// data or a HookmatchError, and the module keeps working afterwards.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Subscription, SubscriptionSet, validate, decodeBase64 } from "hookmatch";
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
