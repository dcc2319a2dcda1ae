// previewStream (docs/api.md (previewStream)), lifetimes (§1.2) and option objects,
// through the installed package.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Subscription, SubscriptionSet, HookmatchError, validate, verify, setLimits, encodeBase64 } from "hookmatch";
import { DIALECTS, throwsHookmatch } from "./helpers.mjs";

const sample = (d, f) => readFileSync(new URL(`../../samples/${d}/${f}`, import.meta.url), "utf8");
const specs = Object.fromEntries(DIALECTS.map((d) => [d, sample(d, "subscription.json")]));

/** Every sample batch in several shapes (as tests/chunking.rs builds them). */
function batches() {
  const out = [];
  for (const d of DIALECTS) {
    const nd = sample(d, "events.ndjson");
    const events = nd.split("\n").flatMap((l) => {
      try {
        return [JSON.parse(l)];
      } catch {
        return [];
      }
    });
    out.push([d, nd]);
    out.push([d, `\ufeff${nd.replaceAll("\n", "\r\n")}`]);
    out.push([d, JSON.stringify(events, null, 2)]);
    out.push([d, events.map((e) => JSON.stringify(e, null, 2)).join("\n")]);
    out.push([d, `{"eventType":"UPD\n${nd}`]);
    out.push([d, nd.replaceAll('":"', '":"é😀')]);
  }
  return out;
}

/** A deterministic generator of cut points. */
function* cuts(n, seed) {
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    yield x;
  }
}

function cutBytes(bytes, seed, pieces) {
  const points = [...cuts(pieces, seed)].map((c) => c % (bytes.length + 1)).sort((a, b) => a - b);
  const out = [];
  let at = 0;
  for (const p of points) {
    out.push(bytes.subarray(at, p));
    at = p;
  }
  out.push(bytes.subarray(at));
  return out;
}

test("previewStream equals preview for every cutting of bytes and of strings", async () => {
  let seed = 7;
  for (const [d, text] of batches()) {
    const sub = Subscription.compile(specs[d]);
    const whole = sub.preview(text, { details: true });
    const bytes = new TextEncoder().encode(text);
    for (let round = 0; round < 8; round++) {
      const parts = cutBytes(bytes, seed++, round * 3);
      assert.deepEqual(await sub.previewStream(parts, { details: true }), whole, `${d} bytes, round ${round}`);
      // Strings cut anywhere, surrogate pairs included.
      const strings = [];
      let at = 0;
      for (const p of [...cuts(round * 2, seed++)].map((c) => c % (text.length + 1)).sort((a, b) => a - b)) {
        strings.push(text.slice(at, p));
        at = p;
      }
      strings.push(text.slice(at));
      assert.deepEqual(await sub.previewStream(strings, { details: true }), whole, `${d} strings, round ${round}`);
    }
    sub.free();
  }
});

test("previewStream reads ReadableStreams, Blobs, Responses and async iterables", async () => {
  const sub = Subscription.compile(specs.workfront);
  const text = sample("workfront", "events.ndjson");
  const whole = sub.preview(text);
  const bytes = new TextEncoder().encode(text);
  const stream = () =>
    new ReadableStream({
      start(c) {
        for (const part of cutBytes(bytes, 3, 5)) c.enqueue(part);
        c.close();
      },
    });
  async function* gen() {
    for (const part of cutBytes(bytes, 5, 7)) yield part;
  }
  assert.deepEqual(await sub.previewStream(stream()), whole);
  assert.deepEqual(await sub.previewStream(new Blob([text])), whole);
  assert.deepEqual(await sub.previewStream(new Response(text)), whole);
  assert.deepEqual(await sub.previewStream(gen()), whole);
  assert.deepEqual(await sub.previewStream(text), whole);
  assert.deepEqual(await sub.previewStream(new Response(null)), sub.preview(""));
});

test("previewStream reports progress and stops on abort with an AbortError", async () => {
  const sub = Subscription.compile(specs.workfront);
  const text = sample("workfront", "events.ndjson");
  const seen = [];
  const r = await sub.previewStream(cutBytes(new TextEncoder().encode(text), 11, 4), { onProgress: (p) => seen.push(p) });
  assert.equal(seen.length, 5);
  assert.ok(seen.every((p, i) => i === 0 || p.bytes >= seen[i - 1].bytes));
  assert.equal(seen.at(-1).bytes, new TextEncoder().encode(text).length);
  assert.ok(seen.at(-1).events <= r.total);
  const controller = new AbortController();
  async function* slow() {
    yield text.slice(0, 10);
    controller.abort();
    yield text.slice(10);
  }
  await assert.rejects(sub.previewStream(slow(), { signal: controller.signal }), (e) => e instanceof DOMException && e.name === "AbortError");
  const aborted = AbortSignal.abort();
  await assert.rejects(sub.previewStream(text, { signal: aborted }), (e) => e.name === "AbortError");
  await assert.rejects(sub.previewStream(text, { signal: "no" }), (e) => e instanceof HookmatchError && e.code === "invalid_input");
  await assert.rejects(sub.previewStream(text, { detials: true }), (e) => e instanceof HookmatchError && e.code === "invalid_input" && e.message.includes("detials"));
  await assert.rejects(sub.previewStream(42), (e) => e instanceof HookmatchError && e.code === "invalid_input");
});

test("set.previewStream equals set.preview", async () => {
  const set = SubscriptionSet.compile(DIALECTS.map((d) => ({ id: d, spec: specs[d] })));
  for (const [, text] of batches()) {
    const whole = set.preview(text);
    assert.deepEqual(await set.previewStream(cutBytes(new TextEncoder().encode(text), 13, 6)), whole);
  }
  await assert.rejects(set.previewStream("", { details: true }), (e) => e.code === "invalid_input");
});

test("a freed object throws HookmatchError freed; a second free does nothing", () => {
  const sub = Subscription.compile(specs.workfront);
  sub.free();
  for (const f of [() => sub.matches("{}"), () => sub.dialect, () => sub.toJSON(), () => sub.preview("")]) {
    const e = throwsHookmatch(assert, f, "freed");
    assert.ok(e instanceof HookmatchError);
  }
  sub.free();
  const set = SubscriptionSet.compile([]);
  set.free();
  throwsHookmatch(assert, () => set.match("{}"), "freed");
  throwsHookmatch(assert, () => set.size, "freed");
  set.free();
});

test("freed previewStream rejects with freed", async () => {
  const sub = Subscription.compile(specs.workfront);
  sub.free();
  await assert.rejects(sub.previewStream(""), (e) => e.code === "freed");
});

test("unknown option keys are invalid_input naming the key; every error is a HookmatchError", () => {
  const sub = Subscription.compile(specs.workfront);
  const cases = [
    () => Subscription.compile(specs.workfront, { dialekt: "workfront" }),
    () => validate(specs.workfront, { updates: true }),
    () => sub.preview("", { detail: true }),
    () => sub.deliver(null, { tset: true }),
    () => verify({ headers: {}, body: "" }, "s", { tolerence: 1 }),
    () => setLimits({ maxInputByte: 1 }),
    () => encodeBase64("x", { alpabet: "url" }),
    () => sub.preview("", { onProgres: () => {} }),
  ];
  for (const f of cases) {
    const e = throwsHookmatch(assert, f, "invalid_input");
    assert.ok(e instanceof HookmatchError);
    assert.match(e.message, /no option "\w+"/);
    assert.match(e.path, /^\/\w+$/);
  }
  throwsHookmatch(assert, () => sub.preview("", { format: "csv" }), "invalid_input", "/format");
  throwsHookmatch(assert, () => Subscription.compile(specs.workfront, { dialect: "wf" }), "unknown_dialect");
  assert.equal(sub.preview("", { details: undefined }).total, 0, "undefined values are absent");
  sub.free();
});

test("the input limit bounds what a stream holds (a line), not the stream's length", async () => {
  const sub = Subscription.compile(specs.workfront);
  const line = `${JSON.stringify({ eventType: "UPDATE", newState: { objCode: "PROJ" }, oldState: {} })}\n`;
  setLimits({ maxInputBytes: 1000 });
  try {
    const r = await sub.previewStream(Array.from({ length: 100 }, () => line));
    assert.equal(r.total, 100);
    throwsHookmatch(assert, () => sub.preview(line.repeat(100)), "too_large");
    // A line past the limit is one bad line; the rest is read.
    const long = await sub.previewStream([line, `{"long":"${"x".repeat(2000)}"}\n`, line]);
    assert.equal(long.total, 3);
    assert.deepEqual(long.errors.map((e) => [e.index, e.line, e.code]), [[1, 2, "too_large"]]);
    // A last line past the limit, with no newline after it, is one bad line too.
    const last = await sub.previewStream([line, `{"long":"${"x".repeat(2000)}`]);
    assert.deepEqual([last.total, last.errors.map((e) => [e.index, e.line, e.code])], [2, [[1, 2, "too_large"]]]);
  } finally {
    setLimits({ maxInputBytes: 0 });
  }
});
