// No batch loses or disagrees on data (the contract's "bad events are
// reported; the rest still evaluated" and its Batches rules), through the
// installed package: a broken first line, a bad element of a JS array, an
// array of Asana envelopes, set.preview's options, previewStream misuse,
// the caps on what a preview keeps, and lines past the input limit.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Subscription, SubscriptionSet, HookmatchError, diff, lint, setLimits } from "hookmatch";
import { throwsHookmatch } from "./helpers.mjs";

const sample = (d, f) => readFileSync(new URL(`../../samples/${d}/${f}`, import.meta.url), "utf8");
const wfSpec = JSON.parse(sample("workfront", "subscription.json"));
const asanaSpec = JSON.parse(sample("asana", "subscription.json"));

// Workfront events whose outcome the sample spec states: it fires for an
// UPDATE of a PROJ whose name contains "updated" and whose status is CUR.
const FIRES = { eventType: "UPDATE", newState: { ID: "1", objCode: "PROJ", name: "EventSub Test updated", status: "CUR" }, oldState: { ID: "1", objCode: "PROJ", name: "EventSub Test", status: "CUR" } };
const MISSES = { eventType: "UPDATE", newState: { ID: "2", objCode: "PROJ", name: "Quarterly plan", status: "CUR" }, oldState: { ID: "2", objCode: "PROJ", name: "Quarterly plan", status: "NEW" } };
// Asana: a comment added to a task (a story, action added): the sample's second filter.
const STORY = { user: { gid: "1516", resource_type: "user" }, created_at: "2018-03-05T22:00:00.000Z", action: "added", resource: { gid: "1400", resource_type: "story", resource_subtype: "comment_added" }, parent: { gid: "1337", resource_type: "task", resource_subtype: "milestone" } };
// A task renamed: the first filter lists only due_on and completed.
const RENAMED = { user: { gid: "1516", resource_type: "user" }, created_at: "2018-03-05T21:59:04.526Z", action: "changed", resource: { gid: "1337", resource_type: "task", resource_subtype: "milestone" }, parent: null, change: { field: "name", action: "changed", new_value: "Launch" } };

const brief = (r) => ({ total: r.total, matches: r.matches, errors: r.errors.map((e) => [e.index, e.line, e.code]) });

test("E,\\nE\\nE: the first line is one error and lines 2 and 3 are read", async () => {
  const sub = Subscription.compile(wfSpec);
  const e = JSON.stringify(FIRES);
  const text = `${e},\n${e}\n${e}`;
  // Before: { total: 2, matches: [0], errors: [[1, 1, "invalid_json"]] }, lines 2-3 lost.
  assert.deepEqual(brief(sub.preview(text)), { total: 3, matches: [1, 2], errors: [[0, 1, "invalid_json"]] });
  assert.deepEqual(await sub.previewStream([text.slice(0, 5), text.slice(5, e.length + 1), text.slice(e.length + 1)]), sub.preview(text));
  // Three lines whose second is a member (not a document): one broken document.
  const member = `{"x":\n"a": 1\n${e}`;
  assert.deepEqual(brief(sub.preview(member)), { total: 1, matches: [], errors: [[0, 2, "invalid_json"]] });
});

test("a JS array with a lone surrogate in one event: one error at its index, the rest evaluated", () => {
  const sub = Subscription.compile(wfSpec);
  const bad = { ...FIRES, newState: { ...FIRES.newState, name: "updated \ud800" } };
  // Before: one invalid_json for the whole batch ({ total: 1, matches: [] }).
  const r = sub.preview([FIRES, bad, MISSES, FIRES]);
  assert.deepEqual(brief(r), { total: 4, matches: [0, 3], errors: [[1, undefined, "invalid_json"]] });
  assert.match(r.errors[0].message, /element 1/);
  assert.match(r.errors[0].message, /surrogate/);
  // A set and a stream of the same JSON text agree.
  const set = SubscriptionSet.compile([{ id: "wf", spec: wfSpec }]);
  const s = set.preview([FIRES, bad, MISSES, FIRES]);
  assert.deepEqual([s.total, s.counts.wf, s.errors.map((x) => x.index)], [4, 2, [1]]);
  // diff reports it in events.errors instead of throwing (before: invalid_input for the whole options).
  // One more AND filter that every event here passes or fails with the others.
  const narrower = { ...wfSpec, filters: [...wfSpec.filters, { fieldName: "status", fieldValue: "CUR" }] };
  const d = diff(wfSpec, narrower, { events: [FIRES, bad, MISSES, FIRES] });
  assert.deepEqual(d.events.errors.map((x) => [x.index, x.code]), [[1, "invalid_json"]]);
  assert.deepEqual([d.events.gained, d.events.lost, d.events.both, d.events.neither], [[], [], 2, 1]);
  // The other options are still checked, and events of the wrong type named.
  throwsHookmatch(assert, () => diff(wfSpec, narrower, { events: [FIRES], dialekt: "workfront" }), "invalid_input", "/dialekt");
  throwsHookmatch(assert, () => diff(wfSpec, narrower, { events: 42 }), "invalid_input", "/events");
  // lint takes events as diff does and changes no finding for them (before: it threw invalid_input).
  assert.deepEqual(lint(narrower, { events: [FIRES, bad] }), lint(narrower));
  throwsHookmatch(assert, () => lint(wfSpec, { events: 42 }), "invalid_input", "/events");
  throwsHookmatch(assert, () => lint(wfSpec, { events: [bad], dialekt: "x" }), "invalid_input", "/dialekt");
});

test("a JSON array of Asana envelopes is a batch of their events (sub.preview, set.preview, previewStream agree)", async () => {
  const sub = Subscription.compile(asanaSpec);
  const set = SubscriptionSet.compile([{ id: "a", spec: asanaSpec }]);
  // Before: sub.preview said invalid_event, set.preview counted the envelope as one event.
  const one = [{ events: [STORY] }];
  assert.equal(sub.matches({ events: [STORY] }), true);
  assert.deepEqual(brief(sub.preview(one)), { total: 1, matches: [0], errors: [] });
  assert.deepEqual([set.preview(one).total, set.preview(one).counts.a], [1, 1]);
  // Events are numbered in reading order across envelopes; a heartbeat has none.
  const batch = [{ events: [RENAMED, STORY] }, { events: [] }, { events: [STORY] }];
  const want = { total: 3, matches: [1, 2], errors: [] };
  assert.deepEqual(brief(sub.preview(batch)), want);
  assert.deepEqual(brief(sub.preview(JSON.stringify(batch, null, 2))), want);
  assert.deepEqual(brief(await sub.previewStream([JSON.stringify(batch)])), want);
  assert.deepEqual(brief(sub.preview([RENAMED, STORY, STORY].map((e) => JSON.stringify(e)).join("\n"))), { ...want, errors: [] });
  const s = set.preview(batch);
  assert.deepEqual([s.total, s.counts.a, s.errors], [3, 2, []]);
  assert.deepEqual(await set.previewStream([JSON.stringify(batch)]), set.preview(JSON.stringify(batch)));
  const rows = sub.preview(batch, { details: true }).results;
  assert.deepEqual(rows.map((r) => [r.index, r.matched]), [[0, false], [1, true], [2, true]]);
});

test("set.preview honours { format } as sub.preview does, and refuses what a set has not", async () => {
  const set = SubscriptionSet.compile([{ id: "wf", spec: wfSpec }]);
  const pretty = JSON.stringify(FIRES, null, 2);
  const lines = pretty.split("\n").length;
  // Auto and json: one event. ndjson: each line is read alone (before: the format was ignored).
  assert.deepEqual([set.preview(pretty).total, set.preview(pretty).counts.wf], [1, 1]);
  assert.deepEqual([set.preview(pretty, { format: "json" }).total, set.preview(pretty, { format: "json" }).counts.wf], [1, 1]);
  const nd = set.preview(pretty, { format: "ndjson" });
  assert.equal(nd.total, lines);
  assert.equal(nd.counts.wf, 0);
  assert.equal(nd.errors.length, lines);
  const sub = Subscription.compile(wfSpec);
  assert.equal(sub.preview(pretty, { format: "ndjson" }).total, lines);
  assert.deepEqual(await set.previewStream([pretty], { format: "ndjson" }), nd);
  // Two documents one after another on one line, forced to be one JSON document: a sequence.
  const two = `${JSON.stringify(FIRES)} ${JSON.stringify(FIRES)}`;
  assert.deepEqual([set.preview(two, { format: "json" }).total, set.preview(two, { format: "json" }).counts.wf], [2, 2]);
  throwsHookmatch(assert, () => set.preview(pretty, { formt: "json" }), "invalid_input", "/formt");
  throwsHookmatch(assert, () => set.preview(pretty, { format: "csv" }), "invalid_input", "/format");
  throwsHookmatch(assert, () => set.preview(pretty, { details: true }), "invalid_input", "/details");
  throwsHookmatch(assert, () => set.preview(pretty, { maxResults: 1 }), "invalid_input", "/maxResults");
  await assert.rejects(set.previewStream(pretty, { maxResults: 1 }), (e) => e instanceof HookmatchError && e.code === "invalid_input");
});

test("previewStream of a locked stream or a read Response rejects with invalid_input saying what is wrong", async () => {
  const sub = Subscription.compile(wfSpec);
  const stream = new ReadableStream({ start(c) { c.enqueue(JSON.stringify(FIRES)); c.close(); } });
  const reader = stream.getReader();
  // Before: a plain TypeError "Invalid state: ReadableStream is locked".
  await assert.rejects(sub.previewStream(stream), (e) => e instanceof HookmatchError && e.code === "invalid_input" && /locked/.test(e.message));
  reader.releaseLock();
  assert.equal((await sub.previewStream(stream)).matched, 1, "once released it is read");
  const response = new Response(JSON.stringify(FIRES));
  await response.text();
  await assert.rejects(sub.previewStream(response), (e) => e instanceof HookmatchError && e.code === "invalid_input" && /already read/.test(e.message));
  const set = SubscriptionSet.compile([{ id: "wf", spec: wfSpec }]);
  const locked = new ReadableStream();
  locked.getReader();
  await assert.rejects(set.previewStream(locked), (e) => e instanceof HookmatchError && e.code === "invalid_input");
});

test("maxErrors and maxResults keep the first ones and say truncated; total and matched count every event", async () => {
  const sub = Subscription.compile(wfSpec);
  const e = JSON.stringify(FIRES);
  const text = [e, "x", e, "x", e, "x"].join("\n");
  const all = sub.preview(text, { details: true });
  assert.deepEqual([all.total, all.matched, all.errors.length, all.results.length, all.truncated], [6, 3, 3, 6, undefined]);
  const capped = sub.preview(text, { details: true, maxErrors: 1, maxResults: 2 });
  assert.deepEqual([capped.total, capped.matched, capped.matches], [6, 3, [0, 2, 4]]);
  assert.deepEqual(capped.errors.map((x) => [x.index, x.line]), [[1, 2]]);
  assert.deepEqual(capped.results.map((r) => r.index), [0, 1]);
  assert.equal(capped.truncated, true);
  assert.deepEqual(await sub.previewStream(text.split(""), { details: true, maxErrors: 1, maxResults: 2 }), capped);
  assert.equal(sub.preview(text, { maxErrors: 3 }).truncated, undefined, "exactly at the cap: nothing left out");
  assert.equal(sub.preview(text, { maxErrors: Number.MAX_SAFE_INTEGER }).errors.length, 3);
  // The default is 10,000 of each.
  const many = `${e}\n${"x\n".repeat(10_001)}`;
  const r = sub.preview(many, { details: true });
  assert.deepEqual([r.total, r.matched, r.errors.length, r.results.length, r.truncated], [10_002, 1, 10_000, 10_000, true]);
  const set = SubscriptionSet.compile([{ id: "wf", spec: wfSpec }]);
  const s = set.preview(text, { maxErrors: 2 });
  assert.deepEqual([s.total, s.counts.wf, s.errors.length, s.truncated], [6, 3, 2, true]);
  for (const bad of [-1, 1.5, "10", true]) {
    throwsHookmatch(assert, () => sub.preview(text, { maxErrors: bad }), "invalid_input", "/maxErrors");
    throwsHookmatch(assert, () => sub.preview(text, { maxResults: bad }), "invalid_input", "/maxResults");
  }
});

test("a line past the input limit is one error, and the lines after it are read (preview and previewStream)", async () => {
  const sub = Subscription.compile(wfSpec);
  const set = SubscriptionSet.compile([{ id: "wf", spec: wfSpec }]);
  const e = JSON.stringify(FIRES);
  const long = JSON.stringify({ long: "x".repeat(2000) });
  setLimits({ maxInputBytes: 1000 });
  try {
    const want = { total: 4, matches: [0, 2, 3], errors: [[1, 2, "too_large"]] };
    const text = `${e}\n${long}\n${e}\n${e}\n`;
    // Cut inside the long line (before: the stream was rejected with too_large).
    const parts = [text.slice(0, 300), text.slice(300, 900), text.slice(900, 1700), text.slice(1700)];
    const streamed = await sub.previewStream(parts);
    assert.deepEqual(brief(streamed), want);
    assert.match(streamed.errors[0].message, /^line 2 is \d+ bytes, above the limit of 1000 bytes/);
    // Byte by byte too, and with the long line first or last (no final newline).
    assert.deepEqual(await sub.previewStream(new TextEncoder().encode(text).reduce((a, b) => (a.push(Uint8Array.of(b)), a), [])), streamed);
    assert.deepEqual(brief(await sub.previewStream([`${long.slice(0, 1500)}`, `${long.slice(1500)}\n${e}`])), { total: 2, matches: [1], errors: [[0, 1, "too_large"]] });
    assert.deepEqual(brief(await sub.previewStream([`${e}\n${long.slice(0, 1500)}`, long.slice(1500)])), { total: 2, matches: [0], errors: [[1, 2, "too_large"]] });
    const s = await set.previewStream(parts);
    assert.deepEqual([s.total, s.counts.wf, s.errors.map((x) => [x.index, x.line, x.code])], [4, 3, [[1, 2, "too_large"]]]);
    // A whole input past the limit is still refused before it is read.
    throwsHookmatch(assert, () => sub.preview(text), "too_large");
  } finally {
    setLimits({ maxInputBytes: 0 });
  }
});

test("bytes past a quarter MiB, which cross into wasm in chunks, answer as the same text read whole", () => {
  // preview of a Uint8Array over 256 KiB is copied into wasm a chunk at a
  // time; the string path reads the whole input at once, so it is the
  // reference. A two-byte character and a \r\n straddle the chunk edges,
  // a line that is not JSON sits in the third chunk, and a JSON array is
  // read the same way.
  const sub = Subscription.compile(wfSpec);
  const set = SubscriptionSet.compile([{ id: "wf", spec: wfSpec }, { id: "other", spec: { ...wfSpec, filters: [] } }]);
  const enc = new TextEncoder();
  let text = "";
  const bytesOf = (s) => enc.encode(s).length;
  // Append lines until `mark` would start at byte `at`, then a line that puts it there.
  const place = (mark, at, lineEnd = "\n") => {
    const event = (name) => JSON.stringify({ ...FIRES, newState: { ...FIRES.newState, note: `é ${name}` } }) + "\n";
    while (bytesOf(text) + 2000 < at) text += event(String(bytesOf(text) % 7 === 0 ? "x" : "y")) + (bytesOf(text) % 5 === 0 ? JSON.stringify(MISSES) + "\n" : "");
    const head = `{"eventType":"UPDATE","pad":"`;
    const pad = "p".repeat(at - bytesOf(text) - bytesOf(head));
    text += `${head}${pad}${mark}","newState":{"ID":"1","objCode":"PROJ","name":"EventSub Test updated","status":"CUR"},"oldState":{"ID":"1","objCode":"PROJ","name":"EventSub Test","status":"CUR"}}${lineEnd}`;
  };
  place("é", 262143);
  place("", 524287 - 263, "\r\n");
  text += "not json\n";
  place("ü", 3 * 262144 - 1);
  text += JSON.stringify(MISSES);
  const bytes = enc.encode(text);
  assert.equal(bytes[262143], 0xc3, "é starts on the last byte of the first chunk");
  assert.ok(bytes.length > 3 * 262144);
  const whole = sub.preview(text, { details: true });
  assert.ok(whole.total > 500 && whole.matched > 100 && whole.errors.length === 1, JSON.stringify(whole.errors));
  assert.deepEqual(sub.preview(bytes, { details: true }), whole);
  assert.deepEqual(set.preview(bytes), set.preview(text));
  // A JSON array of the same events.
  const array = "[" + text.split(/\r?\n/).filter((l) => l.startsWith("{")).join(",\n") + "]";
  assert.deepEqual(sub.preview(enc.encode(array)), sub.preview(array));
  // Past the input limit, bytes are refused before they are read, as text is.
  setLimits({ maxInputBytes: 300_000 });
  try {
    throwsHookmatch(assert, () => sub.preview(bytes), "too_large");
    throwsHookmatch(assert, () => sub.preview(text), "too_large");
  } finally {
    setLimits({ maxInputBytes: 0 });
  }
});

test("strings past 64 Ki units, which cross into wasm in chunks, answer as the whole text does; no surrogate pair is cut", async () => {
  // preview of a long string encodes it 64 Ki UTF-16 units at a time. A
  // pair cut in two would become two U+FFFD and stop matching; a lone
  // surrogate is U+FFFD whether cut or not. The reference is previewStream
  // of the string as one chunk (encoded whole) and of its UTF-8 bytes.
  const emoji = "\ud83d\ude00";
  const sub = Subscription.compile({ ...wfSpec, filters: [{ fieldName: "name", fieldValue: `${emoji} updated`, comparison: "contains" }] });
  const lone = Subscription.compile({ ...wfSpec, filters: [{ fieldName: "name", fieldValue: "\ufffd lone", comparison: "contains" }] });
  const line = (name) => `{"eventType":"UPDATE","newState":{"ID":"1","objCode":"PROJ","status":"CUR","name":"${name}"},"oldState":{"ID":"1","objCode":"PROJ","status":"CUR","name":"x"}}\n`;
  let text = "";
  // Plain lines, then one whose name puts `mark` at unit `at`.
  const place = (mark, at) => {
    while (text.length + 400 < at) text += line(`${emoji} updated ${text.length}`);
    const head = line("").indexOf('"name":"') + 8;
    text += line("p".repeat(at - text.length - head) + mark);
  };
  place(`${emoji} updated`, 65535);
  place("\ud800 lone", 2 * 65536 - 1);
  place(`${emoji} updated`, 3 * 65536 - 1);
  text += line("\udc00 lone");
  assert.equal(text.charCodeAt(65535), 0xd83d, "the pair starts on the last unit of the first chunk");
  assert.equal(text.charCodeAt(2 * 65536 - 1), 0xd800);
  for (const s of [sub, lone]) {
    const whole = await s.previewStream([text], { details: true });
    assert.ok(whole.total > 500, String(whole.total));
    assert.deepEqual(s.preview(text, { details: true }), whole);
    assert.deepEqual(s.preview(new TextEncoder().encode(text), { details: true }), whole);
  }
  assert.equal(sub.preview(text).matched, sub.preview(text).total - 2, "every pair whole: only the two lone lines miss");
  assert.equal(lone.preview(text).matched, 2);
});
