// SubscriptionSet through the package: the contract's API, and the same
// answers as a loop over Subscription.matches on generated data.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rng } from "../../bench/data.mjs";
import { Subscription, SubscriptionSet } from "hookmatch";
import { throwsHookmatch } from "./helpers.mjs";

const pick = (r, xs) => xs[Math.floor(r() * xs.length)];
const CODES = ["PROJ", "TASK", "OPTASK"];
const TYPES = ["CREATE", "UPDATE"];
const STATUS = ["CUR", "PLN", "CPL"];

function spec(r) {
  const filters = [];
  const n = Math.floor(r() * 3);
  for (let i = 0; i < n; i++) {
    const field = pick(r, ["status", "priority", "name"]);
    filters.push({ fieldName: field, fieldValue: field === "priority" ? Math.floor(r() * 3) : pick(r, STATUS), comparison: pick(r, ["eq", "eq", "ne", "gt", "contains", "changed"]) });
  }
  return { objCode: pick(r, CODES), eventType: pick(r, TYPES), url: "https://h.example.com/x", authToken: "t", filters, filterConnector: r() < 0.3 ? "OR" : "AND" };
}

function event(r) {
  const state = () => ({ objCode: pick(r, CODES), status: pick(r, STATUS), priority: Math.floor(r() * 3), name: pick(r, STATUS) });
  return { eventType: pick(r, TYPES), newState: state(), oldState: state() };
}

test("match answers exactly what a loop over matches answers (1,000 subscriptions × 300 events)", () => {
  const r = rng(42);
  const entries = Array.from({ length: 1000 }, (_, i) => ({ id: `s${i}`, spec: spec(r) }));
  const set = SubscriptionSet.compile(entries);
  assert.deepEqual(set.errors, []);
  assert.equal(set.size, 1000);
  const subs = entries.map((e) => [e.id, Subscription.compile(e.spec)]);
  let total = 0;
  for (let n = 0; n < 300; n++) {
    const e = event(r);
    const want = subs.filter(([, s]) => s.matches(e)).map(([id]) => id);
    assert.deepEqual(set.match(e), want);
    assert.deepEqual(set.match(JSON.stringify(e)), want);
    total += want.length;
  }
  assert.ok(total > 1000, `${total} matches`);
  set.free();
  for (const [, s] of subs) s.free();
});

test("compile reports invalid entries with id and path and keeps the rest; add, remove, explain, preview", () => {
  const ok = { objCode: "PROJ", eventType: "UPDATE", url: "https://h.example.com", authToken: "t", filters: [{ fieldName: "status", fieldValue: "CUR" }] };
  const bad = { ...ok, filters: [{ fieldName: "status", fieldValue: "CUR", comparison: "get" }] };
  const set = SubscriptionSet.compile(JSON.stringify([{ id: "a", spec: ok }, { id: "b", spec: ok }, { id: "c", spec: ok }, { id: "d", spec: bad }]));
  assert.deepEqual(set.errors.map((e) => [e.id, e.code, e.path]), [["d", "unknown_comparison", "/3/spec/filters/0/comparison"]]);
  assert.deepEqual(set.ids(), ["a", "b", "c"]);
  const ev = { eventType: "UPDATE", newState: { objCode: "PROJ", status: "CUR" } };
  assert.deepEqual(set.match(ev), ["a", "b", "c"]);
  assert.equal(set.remove("b"), true);
  assert.equal(set.remove("b"), false);
  set.add("e", { url: "https://k.example.com", token: "k" });
  throwsHookmatch(assert, () => set.add("f", bad), "unknown_comparison", "/filters/0/comparison");
  throwsHookmatch(assert, () => set.add("a", ok), "invalid_input");
  assert.equal(set.size, 3);
  assert.deepEqual(set.match(ev), ["a", "c"]);
  assert.deepEqual(set.match({ event_name: "task.create", event_data: {} }), ["e"]);
  assert.equal(set.explain(ev, "a").matched, true);
  throwsHookmatch(assert, () => set.explain(ev, "zz"), "invalid_input");
  const p = set.preview([ev, { ...ev, newState: { objCode: "PROJ", status: "PLN" } }, { event_name: "task.close", event_data: {} }]);
  assert.deepEqual(p, { total: 3, errors: [], counts: { a: 1, c: 1, e: 1 } });
  throwsHookmatch(assert, () => SubscriptionSet.compile({ not: "an array" }), "invalid_input");
  throwsHookmatch(assert, () => set.match("{"), "invalid_json");
  set.free();
});

test("SubscriptionSet.compile takes specs as JSON text, as add does", () => {
  const spec = { objCode: "PROJ", eventType: "UPDATE", url: "https://h.example.com", authToken: "t" };
  const set = SubscriptionSet.compile([{ id: "text", spec: JSON.stringify(spec) }, { id: "object", spec }, { id: "bad", spec: "{nope" }]);
  assert.deepEqual(set.ids(), ["text", "object"]);
  assert.equal(set.errors[0].id, "bad");
  assert.equal(set.errors[0].code, "invalid_json");
  assert.equal(set.errors[0].path, "/2/spec");
  set.free();
});

// A set's stream runs through the one session type a subscription's does:
// its progress counts events read and events that fired a member, and
// `{ format }` is read as `set.preview` reads it (issue 24).
test("set.previewStream reads { format } and reports its progress as set.preview counts", async () => {
  const spec = { objCode: "PROJ", eventType: "UPDATE", url: "https://h.example.com/x", authToken: "t", filters: [{ fieldName: "status", fieldValue: "CUR" }] };
  const set = SubscriptionSet.compile([{ id: "cur", spec }, { id: "any", spec: { ...spec, filters: [] } }]);
  const ev = (status) => JSON.stringify({ eventType: "UPDATE", newState: { objCode: "PROJ", status } });
  // Three events that fire (two of them both members), one that fires none.
  const lines = [ev("CUR"), ev("PLN"), ev("CUR"), JSON.stringify({ eventType: "DELETE", newState: { objCode: "PROJ" } })];
  // As NDJSON, a line is an event once its newline has come; the first is
  // held until a second shows it is not a lone line (a lone line holding
  // an array is that array's events), so the first progress counts none.
  const seen = [];
  const streamed = await set.previewStream(lines.map((l) => `${l}\n`), { format: "ndjson", onProgress: (p) => seen.push([p.events, p.matched]) });
  assert.deepEqual([streamed.total, streamed.counts, streamed.errors], [4, { cur: 2, any: 3 }, []]);
  assert.deepEqual(seen, [[0, 0], [2, 2], [3, 3], [4, 3]]);
  assert.deepEqual(await set.previewStream(lines.map((l) => `${l}\n`)), streamed);
  // One pretty-printed event: one document read as JSON, one bad line per line read as NDJSON.
  const pretty = JSON.stringify(JSON.parse(ev("CUR")), null, 2);
  const nLines = pretty.split("\n").length;
  const json = await set.previewStream([pretty], { format: "json" });
  assert.deepEqual([json.total, json.counts], [1, { cur: 1, any: 1 }]);
  const nd = await set.previewStream([pretty], { format: "ndjson" });
  assert.deepEqual([nd.total, nd.errors.length, nd.counts], [nLines, nLines, { cur: 0, any: 0 }]);
  assert.deepEqual(nd, set.preview(pretty, { format: "ndjson" }));
  set.free();
});
