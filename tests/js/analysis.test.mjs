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

// ------------------------------------------------- hookmatch/analysis, the entry

test("hookmatch/analysis in Node is the main entry's analysis: the same lint and diff, example(sub) and setLint(set)", async () => {
  const ana = await import("hookmatch/analysis");
  assert.deepEqual(Object.keys(ana).sort(), ["diff", "example", "lint", "setLint"]);
  assert.equal(ana.lint, lint);
  assert.equal(ana.diff, diff);
  const sub = Subscription.compile(task([{ fieldName: "status", fieldValue: "CUR" }]));
  const event = ana.example(sub);
  assert.equal(event.newState.status, "CUR");
  assert.equal(sub.matches(event), true);
  assert.equal(ana.example(Subscription.compile(task([{ fieldName: "status", fieldValue: "CUR" }, { fieldName: "status", fieldValue: "CPL" }]))), null);
  const set = SubscriptionSet.compile([{ id: "a", spec: task([]) }, { id: "b", spec: task([]) }]);
  assert.deepEqual(ana.setLint(set).map((e) => [e.id, e.diagnostics.map((d) => d.code)]), [["b", ["duplicate_subscription"]]]);
  for (const wrong of [undefined, {}, set]) {
    assert.throws(() => ana.example(wrong), (e) => e instanceof HookmatchError && e.code === "invalid_input");
  }
  assert.throws(() => ana.setLint(sub), (e) => e instanceof HookmatchError && e.code === "invalid_input");
  const { createRequire } = await import("node:module");
  const cjs = createRequire(import.meta.url)("hookmatch/analysis");
  assert.deepEqual(Object.keys(cjs).sort(), ["diff", "example", "lint", "setLint"]);
  assert.deepEqual(cjs.lint(task([{ fieldName: "a", fieldValue: "1" }, { fieldName: "a", fieldValue: "2" }])).map((d) => d.code), ["never_matches"]);
});

// The browser entry's arrangement, in a process of its own (a fresh
// runtime): the core module (no analysis) installed as browser.js installs
// it, then the full module handed over as analysis.js hands it over. Node's
// fetch cannot read the package's files, so both are instantiated from
// their bytes here; everything else is the package's own code.
test("the browser's core module: the analysis throws invalid_input naming the import until hookmatch/analysis is loaded, then answers as before", async () => {
  const { execFileSync } = await import("node:child_process");
  const script = `
    import { readFileSync } from "node:fs";
    const dir = new URL(".", import.meta.resolve("hookmatch"));
    const core = await import(new URL("hookmatch_core.js", dir));
    core.initSync({ module: readFileSync(new URL("hookmatch_core_bg.wasm", dir)) });
    const rt = await import(new URL("runtime.js", dir));
    const api = rt.install(core);
    const out = {};
    const attempt = (f) => { try { return f(); } catch (e) { return { thrown: e.name, code: e.code, namesImport: e.message.includes('import "hookmatch/analysis"') }; } };
    const task = (filters, authToken = "secret-token") => ({ objCode: "TASK", eventType: "UPDATE", url: "https://hooks.example.com/t", authToken, filters });
    const never = task([{ fieldName: "a", fieldValue: "1" }, { fieldName: "a", fieldValue: "2" }]);
    const sub = api.Subscription.compile(task([{ fieldName: "status", fieldValue: "CUR" }]));
    // Two members that differ only in their secret: not duplicates, which
    // set.lint can tell only if the secrets reached the analysis module.
    const set = api.SubscriptionSet.compile([{ id: "a", spec: task([], "one") }, { id: "b", spec: task([], "two") }, { id: "gone", spec: never }]);
    set.add("c", task([], "one"));
    set.remove("gone");
    // Churn: members added and removed again, one of them an id the
    // compile had, leave nothing behind.
    set.add("d", task([], "one"));
    set.add("gone", never);
    set.remove("d");
    set.remove("gone");
    const privateUrl = api.Subscription.compile({ url: "http://127.0.0.1/hook", token: "k" }, { allowPrivateNetworks: true });
    out.before = {
      lint: attempt(() => api.lint(never)),
      diff: attempt(() => api.diff(never, never)),
      example: attempt(() => sub.example()),
      setLint: attempt(() => set.lint()),
      validate: api.validate(never).length,
      matches: sub.matches({ eventType: "UPDATE", newState: { objCode: "TASK", status: "CUR" }, oldState: {} }),
    };
    out.private = [Object.getOwnPropertyNames(api.Subscription.prototype).some((n) => n.includes("spec")), Object.getOwnPropertyNames(api.SubscriptionSet.prototype).some((n) => n.includes("spec")), "__specText" in sub, "__specText" in set];
    const full = await import(new URL("hookmatch.js", dir));
    full.initSync({ module: readFileSync(new URL("hookmatch_bg.wasm", dir)) });
    rt.installAnalysis(full);
    out.after = {
      lint: api.lint(never).map((d) => d.code + " " + d.path),
      diff: api.diff(never, task([])).relation,
      example: sub.example(),
      exampleFires: sub.matches(sub.example()),
      examplePrivate: privateUrl.example(),
      setLint: set.lint().map((e) => [e.id, e.diagnostics.map((d) => d.code)]),
      viaEntry: [rt.example(sub)?.newState?.status, rt.setLint(set).length],
    };
    // The page's limits hold in the analysis module too.
    api.setLimits({ maxInputBytes: 64 });
    out.limited = attempt(() => api.lint(JSON.stringify(never)));
    api.setLimits({ maxInputBytes: 0 });
    // A trap in the analysis module restarts only that one.
    out.trap = attempt(() => rt.__trapAnalysis());
    out.afterTrap = [api.lint(never).map((d) => d.code), sub.matches({ eventType: "UPDATE", newState: { objCode: "TASK", status: "CUR" }, oldState: {} })];
    console.log(JSON.stringify(out));
  `;
  const out = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: new URL("../..", import.meta.url), encoding: "utf8" }));
  const missing = { thrown: "HookmatchError", code: "invalid_input", namesImport: true };
  assert.deepEqual(out.before, { lint: missing, diff: missing, example: missing, setLint: missing, validate: 0, matches: true });
  assert.deepEqual(out.private, [false, false, false, false], "the spec's text (secrets included) is not reachable from what a caller holds");
  assert.deepEqual(out.after.lint, ["never_matches /filters/1"]);
  assert.equal(out.after.diff, "wider");
  assert.equal(out.after.example.newState.status, "CUR");
  assert.equal(out.after.exampleFires, true);
  assert.deepEqual(out.after.examplePrivate?.event_data !== undefined, true, "compiled again with its allowPrivateNetworks");
  // b differs from a in its authToken only (Workfront tells subscriptions
  // apart by it): not a duplicate, but it sends to a's target for the same
  // events; c repeats a's token, and "gone" was removed.
  assert.deepEqual(out.after.setLint, [["b", ["overlapping_delivery"]], ["c", ["duplicate_subscription"]]]);
  assert.deepEqual(out.after.viaEntry, ["CUR", 2]);
  assert.equal(out.limited.code, "too_large");
  assert.equal(out.trap.code, "internal");
  assert.deepEqual(out.afterTrap, [["never_matches"], true]);
});
