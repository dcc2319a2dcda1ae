// SubscriptionSet through the package: the contract's API, and the same
// answers as a loop over Subscription.matches on generated data.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rng } from "../../bench/data.mjs";
import { Subscription, SubscriptionSet } from "hookmatch";
import { throwsHookmatch } from "./helpers.mjs";
import { createHmac } from "node:crypto";

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

test("match keeps the loop's answer through removals, renumbering, re-adds, and more ids than the inbox holds", () => {
  // set.match hands its answer to JS as insertion positions that index an
  // array of the set's ids kept in JS: removals (with the renumbering that
  // follows 64 of them), additions and answers too long for the inbox's
  // 4 KB (which take the other path) must all come back as the loop's ids.
  const r = rng(7);
  const catchAll = { objCode: "TASK", eventType: "UPDATE", url: "https://h.example.com/all", authToken: "t", filters: [] };
  let live = Array.from({ length: 3000 }, (_, i) => ({ id: `m${i}`, spec: i % 3 === 0 ? spec(r) : catchAll }));
  const set = SubscriptionSet.compile(live);
  const subs = new Map(live.map((e) => [e.id, Subscription.compile(e.spec)]));
  const events = Array.from({ length: 20 }, () => ({ ...event(r), eventType: "UPDATE" }));
  events.forEach((e) => (e.newState.objCode = "TASK"));
  const check = (label) => {
    for (const e of events) {
      const want = live.filter((x) => subs.get(x.id).matches(e)).map((x) => x.id);
      assert.deepEqual(set.match(JSON.stringify(e)), want, label);
      assert.deepEqual(set.match(e), want, label);
    }
  };
  check("as compiled: about 2,000 ids, past the inbox");
  assert.ok(set.match(JSON.stringify(events[0])).length > 1024);
  // Remove all but every tenth catch-all: 1,800 removals, renumbered.
  for (const x of live) if (x.spec === catchAll && Number(x.id.slice(1)) % 10 !== 0) set.remove(x.id);
  live = live.filter((x) => x.spec !== catchAll || Number(x.id.slice(1)) % 10 === 0);
  assert.equal(set.size, live.length);
  check("after removals");
  // One removal (no renumbering) and re-adding removed ids at the end.
  set.remove(live[5].id);
  live.splice(5, 1);
  for (const id of ["m1", "m2", "m4"]) {
    set.add(id, catchAll);
    live.push({ id, spec: catchAll });
    subs.set(id, Subscription.compile(catchAll));
  }
  check("after re-adds");
  set.free();
  for (const s of subs.values()) s.free();
});

test("random adds, removes and matches answer as the loop over the live members does", () => {
  // A generator of its own (not bench/data.mjs's): 600 steps over 40 ids,
  // each step an add of a missing id, a remove, or a match by text or by
  // object, checked against the live members in insertion order.
  let seed = 0x9e3779b9;
  const next = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
  const one = (xs) => xs[Math.floor(next() * xs.length)];
  const specOf = () => ({
    objCode: one(["TASK", "PROJ"]),
    eventType: "UPDATE",
    url: "https://h.example.com/r",
    authToken: "t",
    filters: next() < 0.3 ? [] : [{ fieldName: "status", fieldValue: one(["CUR", "PLN"]), comparison: one(["eq", "ne"]) }],
  });
  const set = SubscriptionSet.compile([]);
  const live = [];
  let matched = 0;
  for (let step = 0; step < 600; step++) {
    const roll = next();
    if (roll < 0.4) {
      const id = `r${Math.floor(next() * 40)}`;
      if (live.some((x) => x.id === id)) continue;
      const spec = specOf();
      set.add(id, spec);
      live.push({ id, sub: Subscription.compile(spec) });
    } else if (roll < 0.65 && live.length > 0) {
      const [gone] = live.splice(Math.floor(next() * live.length), 1);
      assert.equal(set.remove(gone.id), true);
      gone.sub.free();
    } else {
      const event = { eventType: "UPDATE", newState: { objCode: one(["TASK", "PROJ"]), status: one(["CUR", "PLN", "NEW"]) }, oldState: {} };
      const want = live.filter((x) => x.sub.matches(event)).map((x) => x.id);
      assert.deepEqual(set.match(next() < 0.5 ? JSON.stringify(event) : event), want, `step ${step}`);
      matched += want.length;
    }
  }
  assert.ok(matched > 500, String(matched));
  set.free();
  for (const x of live) x.sub.free();
});

// set.deliver: what each member's own deliver(event, { ...member.deliver,
// ...opts }) returns, computed here from Subscriptions compiled apart from
// the set (an independent path), in insertion order; Workfront's refused
// messages left out; per-member compile options and delivery defaults.
const WF = (url, objCode = "TASK") => ({ objCode, eventType: "UPDATE", url, authToken: "wf-token", filters: [{ fieldName: "status", fieldValue: "CUR" }] });
const wfEvent = (nameLength = 8) => ({
  eventType: "UPDATE",
  subscriptionId: "from-the-event",
  eventTime: { epochSecond: 1507319336, nano: 998000000 },
  newState: { ID: "t1", objCode: "TASK", status: "CUR", name: "x".repeat(nameLength) },
  oldState: { ID: "t1", objCode: "TASK", status: "NEW", name: "x" },
});
const KB = (url) => ({ url, token: "kb-token", events: ["task.create"] });
const kbEvent = { event_name: "task.create", event_data: { task_id: "1", project_id: "1", title: "Demo" } };
const ASANA = { resource: "1337", target: "https://asana-receiver.example.com/in", filters: [{ resource_type: "task", action: "changed" }] };
const asanaEvent = { user: { gid: "1516", resource_type: "user" }, created_at: "2018-03-05T21:59:04.526Z", action: "changed", resource: { gid: "1337", resource_type: "task" }, parent: null, change: { field: "name", action: "changed" } };

/**
 * The member's own answer: a Subscription compiled apart from the set;
 * `null` when it does not fire (another vendor's event is an error to its
 * own deliver, and no member of the set).
 */
function own(entry, event, opts = {}) {
  const sub = Subscription.compile(entry.spec, { ...(entry.dialect ? { dialect: entry.dialect } : {}), ...entry.options });
  try {
    let fires = false;
    try {
      fires = sub.matches(event);
    } catch {}
    return fires ? sub.deliver(event, { ...entry.deliver, ...opts }) : null;
  } finally {
    sub.free();
  }
}
const expected = (entries, event, opts) => entries.flatMap((e) => {
  const d = own(e, event, opts);
  return d ? [{ id: e.id, delivery: d }] : [];
});

test("set.deliver is each firing member's own deliver with its defaults under the call's options, in insertion order", () => {
  const entries = [
    { id: "wf-b", spec: WF("https://b.example.com/hook"), deliver: { subscriptionId: "sub-b", eventTime: 1000 } },
    { id: "wf-other", spec: WF("https://c.example.com/hook", "PROJ"), deliver: { subscriptionId: "sub-c" } },
    { id: "wf-a", spec: WF("https://a.example.com/hook"), deliver: { subscriptionId: "sub-a" } },
    { id: "asana-1", spec: ASANA, deliver: { secret: "asana-secret-one" } },
    { id: "asana-2", spec: { ...ASANA, target: "https://asana-2.example.com/in" }, deliver: { secret: "asana-secret-two" } },
    { id: "kb-loop", spec: KB("http://127.0.0.1:9/kb"), options: { allowPrivateNetworks: true } },
  ];
  const set = SubscriptionSet.compile(entries);
  assert.deepEqual(set.errors, []);
  const wf = set.deliver(wfEvent());
  assert.deepEqual(wf.map((d) => d.id), ["wf-b", "wf-a"]);
  assert.deepEqual(wf, expected(entries, wfEvent()));
  // The member's subscriptionId is the one in the message Workfront sends.
  assert.deepEqual(wf.map((d) => JSON.parse(d.delivery.body).subscriptionId), ["sub-b", "sub-a"]);
  // The same answer for the event as JSON text.
  assert.deepEqual(set.deliver(JSON.stringify(wfEvent())), wf);

  // Each Asana member signs with its own secret: X-Hook-Signature is the
  // hex HMAC-SHA256 of the body under that secret (Asana's developer docs,
  // "Webhooks": "Security"), computed here with node:crypto.
  const asana = set.deliver(asanaEvent);
  assert.deepEqual(asana, expected(entries, asanaEvent));
  assert.deepEqual(asana.map((d) => d.id), ["asana-1", "asana-2"]);
  for (const [i, secret] of [[0, "asana-secret-one"], [1, "asana-secret-two"]]) {
    const { headers, body } = asana[i].delivery;
    assert.equal(headers["X-Hook-Signature"], createHmac("sha256", secret).update(body).digest("hex"));
  }

  // The call's options are laid over the member's: a key given wins, null
  // and undefined drop the default, the rest stay.
  for (const opts of [{ subscriptionId: "from-the-call" }, { eventTime: null }, { subscriptionId: undefined }, {}]) {
    assert.deepEqual(set.deliver(wfEvent(), opts), expected(entries, wfEvent(), opts), JSON.stringify(opts));
  }
  const overridden = set.deliver(asanaEvent, { secret: "the-call-secret" });
  assert.deepEqual(overridden, expected(entries, asanaEvent, { secret: "the-call-secret" }));
  for (const { delivery } of overridden) assert.equal(delivery.headers["X-Hook-Signature"], createHmac("sha256", "the-call-secret").update(delivery.body).digest("hex"));

  // Nothing fires: [].
  assert.deepEqual(set.deliver({ eventType: "DELETE", newState: { objCode: "TASK" } }), []);
  throwsHookmatch(assert, () => set.deliver(null), "invalid_input");
  throwsHookmatch(assert, () => set.deliver(wfEvent(), { secrt: "x" }), "invalid_input", "/secrt");
  set.free();
});

test("set.deliver leaves out a member whose vendor refuses the message (Workfront's 1 MB limit)", () => {
  const entries = [
    { id: "a", spec: WF("https://a.example.com/hook"), deliver: { subscriptionId: "s-a" } },
    { id: "b", spec: WF("https://b.example.com/hook") },
  ];
  const set = SubscriptionSet.compile(entries);
  assert.equal(set.deliver(wfEvent(1000)).length, 2);
  // Workfront: a message "cannot be larger than 1 MB" (event-subs-faq.md); hookmatch reads 1 MiB of body.
  const big = wfEvent(1024 * 1024 + 16);
  assert.deepEqual(expected(entries, big), []);
  assert.deepEqual(set.deliver(big), []);
  assert.deepEqual(set.match(big), []);
  set.free();
});

test("per-member options: a loopback Kanboard target compiles only for the member that allows private networks", () => {
  const entries = [
    { id: "refused", spec: KB("http://127.0.0.1:8788/kanboard") },
    { id: "allowed", spec: KB("http://127.0.0.1:8788/kanboard"), options: { allowPrivateNetworks: true } },
    { id: "public", spec: KB("https://kb.example.com/hook") },
  ];
  const set = SubscriptionSet.compile(entries);
  assert.deepEqual(set.errors.map((e) => [e.id, e.code, e.path]), [["refused", "forbidden_target", "/0/spec/url"]]);
  const out = set.deliver(kbEvent);
  assert.deepEqual(out, expected(entries.slice(1), kbEvent));
  assert.ok(out[0].delivery.url.startsWith("http://127.0.0.1:8788/kanboard"));
  // set.add takes the same options and defaults.
  throwsHookmatch(assert, () => set.add("late", KB("http://10.0.0.1/k")), "forbidden_target");
  set.add("late", KB("http://10.0.0.1/k"), { options: { allowPrivateNetworks: true }, deliver: { signature: "standard-webhooks", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", webhookId: "msg_1", timestamp: 1700000000 } });
  const late = set.deliver(kbEvent).at(-1);
  assert.equal(late.id, "late");
  assert.deepEqual(late.delivery, own({ spec: KB("http://10.0.0.1/k"), options: { allowPrivateNetworks: true }, deliver: { signature: "standard-webhooks", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", webhookId: "msg_1", timestamp: 1700000000 } }, kbEvent));
  throwsHookmatch(assert, () => set.add("x", KB("https://k.example.com"), { dialect: "kanboard", options: { dialect: "asana" } }), "invalid_input", "/options/dialect");
  throwsHookmatch(assert, () => set.add("x", KB("https://k.example.com"), { deliver: { secret: 1 } }), "invalid_input", "/deliver/secret");
  set.free();
});

test("a member's delivery defaults never appear in what the set reports", () => {
  const secret = "hunter2-member-secret";
  const entries = [
    { id: "asana", spec: ASANA, deliver: { secret } },
    { id: "bad", spec: ASANA, deliver: { secret, eventTime: "yesterday" } },
    { id: "typo", spec: ASANA, deliver: { secrett: secret } },
  ];
  const set = SubscriptionSet.compile(entries);
  assert.deepEqual(set.errors.map((e) => [e.id, e.code, e.path]), [["bad", "invalid_entry", "/1/deliver/eventTime"], ["typo", "invalid_entry", "/2/deliver/secrett"]]);
  const shown = JSON.stringify([set.errors, set.lint(), set.explain(asanaEvent, "asana"), set.ids(), String(set), JSON.stringify(set), set.preview([asanaEvent])]);
  assert.equal(shown.includes("hunter2"), false, shown);
  set.free();
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
