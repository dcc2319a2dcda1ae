// Misuse and editors (the contract's "Editors and misuse"): a Map, Set,
// Date, class instance or array where a plain object (or JSON text) is
// expected is invalid_input naming what was given — for specs, events and
// options alike — and an invalid_json diagnostic carries 1-based line and
// column for an editor.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Subscription, SubscriptionSet, validate, lint, diff } from "hookmatch";

const spec = { objCode: "TASK", eventType: "UPDATE", url: "https://hooks.example.com/t", authToken: "t" };
const event = { eventType: "UPDATE", newState: { objCode: "TASK" }, oldState: {} };
class Spec { constructor() { Object.assign(this, spec); } }
class Event { constructor() { Object.assign(this, event); } }

function throwsMisuse(f, given) {
  assert.throws(f, (e) => {
    assert.equal(e.name, "HookmatchError");
    assert.equal(e.code, "invalid_input");
    assert.match(e.message, given);
    return true;
  });
}

const notPlain = [
  [() => new Map(Object.entries(spec)), /a Map/],
  [() => new Set([1]), /a Set/],
  [() => new Date(0), /a Date/],
  [() => new Spec(), /an instance of Spec/],
  [() => [spec], /an array/],
];

test("a spec that is not a plain object is invalid_input naming what was given", () => {
  for (const [make, given] of notPlain) {
    throwsMisuse(() => Subscription.compile(make()), given);
    throwsMisuse(() => validate(make()), given);
    throwsMisuse(() => lint(make()), given);
    throwsMisuse(() => diff(make(), spec), given);
    throwsMisuse(() => diff(spec, make()), given);
  }
  const set = SubscriptionSet.compile([]);
  throwsMisuse(() => set.add("a", new Map(Object.entries(spec))), /a Map/);
  // Plain objects, null-prototype objects and JSON text are read as before.
  assert.equal(Subscription.compile(Object.assign(Object.create(null), spec)).dialect, "workfront");
  assert.deepEqual(validate(JSON.stringify(spec)), []);
});

test("an event that is not a plain object is invalid_input, on every path", () => {
  const sub = Subscription.compile(spec);
  const set = SubscriptionSet.compile([{ id: "a", spec }]);
  const events = [[() => new Map(Object.entries(event)), /a Map/], [() => new Event(), /an instance of Event/], [() => [event], /an array/], [() => new Date(0), /a Date/]];
  for (const [make, given] of events) {
    throwsMisuse(() => sub.matches(make()), given);
    throwsMisuse(() => sub.explain(make()), given);
    throwsMisuse(() => sub.deliver(make()), given);
    throwsMisuse(() => set.match(make()), given);
    throwsMisuse(() => set.explain(make(), "a"), given);
  }
  assert.equal(sub.matches(event), true);
  assert.equal(sub.matches(Object.assign(Object.create(null), event)), true);
});

test("options that are not plain objects are invalid_input, not silently ignored", () => {
  throwsMisuse(() => Subscription.compile(spec, new Map([["dialect", "asana"]])), /a Map/);
  const sub = Subscription.compile(spec);
  throwsMisuse(() => sub.preview([], new Map()), /a Map/);
  throwsMisuse(() => validate(spec, new Date(0)), /a Date/);
});

test("an invalid_json diagnostic carries 1-based line and column", () => {
  const text = '{"objCode": "TASK",\n  "eventType": }';
  for (const diags of [validate(text), lint(text)]) {
    assert.equal(diags.length, 1);
    const [d] = diags;
    assert.equal(d.code, "invalid_json");
    assert.equal(d.line, 2);
    assert.equal(d.column, 16);
  }
  // Other diagnostics have neither.
  const d = validate({ ...spec, eventType: "UPDATED" })[0];
  assert.equal("line" in d, false);
  assert.equal("column" in d, false);
});
