// The analysis API of the installed package: lint, diff, sub.example and
// set.lint, on specs from the vendors' examples. Every event returned is
// checked here with matches/explain too, as a user would.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Subscription, SubscriptionSet, lint, diff, validate, HookmatchError } from "hookmatch";

const task = (filters, extra = {}) => ({ objCode: "TASK", eventType: "UPDATE", url: "https://hooks.example.com/t", authToken: "secret-token", filters, ...extra });
const codes = (diags) => diags.map((d) => `${d.code} ${d.path}`);

test("lint is validate plus findings, and never throws on a bad spec", () => {
  const bad = { objCode: "TASK", eventType: "UPDATED", url: "x", authToken: "t" };
  assert.deepEqual(lint(bad), validate(bad));
  assert.deepEqual(lint("{").map((d) => d.code), ["invalid_json"]);
  const ok = task([{ fieldName: "status", fieldValue: "CUR" }]);
  assert.deepEqual(lint(ok), validate(ok));
});

test("never_matches names the conflicting filters; the path points at the later one", () => {
  const spec = task([
    { fieldName: "status", fieldValue: "CUR" },
    { fieldName: "name", fieldValue: "x", comparison: "contains" },
    { fieldName: "status", fieldValue: "CPL" },
  ]);
  const d = lint(spec).find((x) => x.code === "never_matches");
  assert.equal(d.severity, "warning");
  assert.equal(d.path, "/filters/2");
  assert.match(d.message, /\/filters\/0/);
  assert.doesNotMatch(d.message, /\/filters\/1/, "the unrelated filter is not named");
  assert.equal(Subscription.compile(spec).example(), null);
});

test("always_passes, redundant_filter and duplicate_filter", () => {
  assert.deepEqual(codes(lint(task([{ fieldName: "priority", fieldValue: "2", comparison: "gt" }, { fieldName: "priority", fieldValue: "1", comparison: "gt" }]))), ["redundant_filter /filters/1"]);
  assert.deepEqual(codes(lint(task([{ fieldName: "status", fieldValue: "CUR" }, { fieldName: "status", fieldValue: "CUR" }]))), ["duplicate_filter /filters/1"]);
  // eq OR ne of one value is no longer always passing (Adobe's filtering rule,
  // docs/vendors/workfront.md): an event without status
  // fails both, so claiming it would be false.
  const eqOrNe = task([{ fieldName: "status", fieldValue: "CUR" }, { fieldName: "status", fieldValue: "CUR", comparison: "ne" }], { filterConnector: "OR" });
  assert.deepEqual(codes(lint(eqOrNe)), []);
  assert.equal(Subscription.compile(eqOrNe).matches({ eventType: "UPDATE", newState: { objCode: "TASK" }, oldState: {} }), false);
  // An Asana filter with no key admits every event (and lint never traps on it).
  assert.deepEqual(codes(lint({ resource: "1", target: "https://example.com/h", filters: [{}] })), ["always_passes /filters/0"]);
  // Asana: a filter that implies another under OR adds nothing.
  const asana = { resource: "1", target: "https://example.com/h", filters: [{ resource_type: "task" }, { resource_type: "task", action: "changed" }] };
  assert.deepEqual(codes(lint(asana)), ["redundant_filter /filters/1"]);
});

test("secrets stay out of findings", () => {
  const spec = task([{ fieldName: "status", fieldValue: "CUR" }, { fieldName: "status", fieldValue: "CPL" }]);
  assert.doesNotMatch(JSON.stringify(lint(spec)), /secret-token/);
});

test("example: the smallest event that fires, with fail and with base", () => {
  const sub = Subscription.compile(task([{ fieldName: "status", fieldValue: "CUR" }, { fieldName: "percentComplete", fieldValue: "50", comparison: "gte" }]));
  const e = sub.example();
  assert.equal(sub.matches(e), true);
  // The filters' fields, and the object's ID every Workfront payload carries.
  assert.deepEqual(Object.keys(e.newState).sort(), ["ID", "objCode", "percentComplete", "status"]);
  const failing = sub.example({ fail: 1 });
  const x = sub.explain(failing);
  assert.equal(x.filters[0].passed, true);
  assert.equal(x.filters[1].passed, false);
  assert.deepEqual(sub.example({ fail: "/filters/1" }), failing);
  const base = { eventType: "UPDATE", newState: { objCode: "TASK", status: "NEW", percentComplete: 80, name: "Ship it" }, oldState: {} };
  const near = sub.example({ base });
  assert.equal(sub.matches(near), true);
  assert.equal(near.newState.name, "Ship it");
  assert.equal(near.newState.percentComplete, 80, "only status had to change");
  assert.throws(() => sub.example({ fail: 7 }), (err) => err instanceof HookmatchError && err.code === "invalid_input" && err.path === "/fail");
  assert.throws(() => sub.example({ fial: 1 }), (err) => err instanceof HookmatchError && err.code === "invalid_input");
});

test("diff: relations with checked witnesses, and a batch's gains and losses", () => {
  const a = task([{ fieldName: "percentComplete", fieldValue: "50", comparison: "gt" }]);
  const b = task([{ fieldName: "percentComplete", fieldValue: "80", comparison: "gt" }]);
  const [sa, sb] = [Subscription.compile(a), Subscription.compile(b)];
  const d = diff(a, b);
  assert.equal(d.relation, "narrower");
  assert.equal(d.gained.length, 0);
  assert.equal(d.lost.length, 1);
  assert.equal(sa.matches(d.lost[0]), true);
  assert.equal(sb.matches(d.lost[0]), false);
  assert.equal(diff(b, a).relation, "wider");
  assert.equal(diff(a, { ...a, filters: [...a.filters].reverse() }).relation, "equivalent");
  assert.equal(diff(a, task([{ fieldName: "percentComplete", fieldValue: "40", comparison: "lt" }])).relation, "disjoint");
  assert.equal(diff(a, task([{ fieldName: "percentComplete", fieldValue: "90", comparison: "lt" }])).relation, "overlapping");
  const ev = (p) => ({ eventType: "UPDATE", newState: { objCode: "TASK", percentComplete: p }, oldState: {} });
  const withEvents = diff(a, b, { events: [ev(60), ev(90), ev(10), "nope"] });
  assert.deepEqual(withEvents.events.lost, [0]);
  assert.deepEqual(withEvents.events.gained, []);
  assert.equal(withEvents.events.both, 1);
  assert.equal(withEvents.events.neither, 1);
  assert.equal(withEvents.events.errors.length, 1);
  assert.throws(() => diff(a, { ...b, eventType: "UPDATED" }), (e) => e instanceof HookmatchError && e.path === "/after/eventType");
  assert.throws(() => diff("{", b), (e) => e instanceof HookmatchError && e.code === "invalid_json" && e.path.startsWith("/before"));
});

test("set.lint: duplicate_subscription and overlapping_delivery with a witness", () => {
  const a = task([{ fieldName: "status", fieldValue: "CUR" }]);
  const set = SubscriptionSet.compile([
    { id: "a", spec: a },
    { id: "same", spec: a },
    { id: "other-target", spec: { ...a, url: "https://other.example.com/t" } },
    { id: "overlap", spec: task([{ fieldName: "priority", fieldValue: "3" }]) },
  ]);
  const found = set.lint();
  assert.deepEqual(found.map((e) => e.id), ["same", "overlap"]);
  assert.deepEqual(found[0].diagnostics.map((d) => d.code), ["duplicate_subscription"]);
  const overlap = found[1].diagnostics[0];
  assert.equal(overlap.code, "overlapping_delivery");
  const witness = JSON.parse(overlap.message.slice(overlap.message.indexOf("e.g. ") + 5));
  assert.deepEqual(set.match(witness).sort(), ["a", "other-target", "overlap", "same"]);
  assert.doesNotMatch(JSON.stringify(found), /secret-token/);
});
