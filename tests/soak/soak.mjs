// Soak: many mixed calls (valid, invalid, hostile) on one module instance.
// Every call must answer with data or a HookmatchError; wasm memory must stop
// growing after warm-up; compiled-and-freed and dropped (FinalizationRegistry)
// subscriptions must give their memory back for reuse.
// Usage: node --expose-gc tests/soak/soak.mjs [calls]   (make soak: 1,000,000)
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
// The package's Node entry, as users call it (its runtime guards handles);
// the glue's initSync hands back the instance that entry initialized, for
// its memory.
import * as hm from "../../pkg/node.js";
import { initSync } from "../../pkg/hookmatch.js";

const wasm = initSync({ module: readFileSync(new URL("../../pkg/hookmatch_bg.wasm", import.meta.url)) });
const memory = () => wasm.memory.buffer.byteLength;
const calls = Number(process.argv[2] ?? 100_000);
const gc = globalThis.gc ?? (() => {});

const spec = { objCode: "PROJ", eventType: "UPDATE", url: "https://h.example.com", authToken: "t", filters: [{ fieldName: "status", fieldValue: "CUR" }, { fieldName: "priority", fieldValue: 2, comparison: "gte" }] };
const event = { eventType: "UPDATE", newState: { objCode: "PROJ", status: "CUR", priority: 3, name: "x".repeat(200) }, oldState: {} };
const eventText = JSON.stringify(event);
const sub = hm.Subscription.compile(spec);
const set = hm.SubscriptionSet.compile(Array.from({ length: 100 }, (_, i) => ({ id: `s${i}`, spec: { ...spec, filters: [{ fieldName: "status", fieldValue: ["CUR", "PLN"][i % 2] }] } })));
const deep = "[".repeat(5000);
const bigString = JSON.stringify({ ...event, newState: { ...event.newState, name: "y".repeat(1 << 20) } });
const badUtf8 = new Uint8Array([...new TextEncoder().encode('{"eventType":"UPDATE","newState":{"objCode":"'), 0xff, 0xfe, ...new TextEncoder().encode('"}}')]);
const proto = '{"eventType":"UPDATE","newState":{"objCode":"PROJ","__proto__":{"polluted":1},"status":"CUR","priority":9}}';

// Each operation returns normally or throws a HookmatchError; anything else fails the soak.
const ops = [
  () => sub.matches(eventText),
  () => sub.matches(event),
  () => sub.explain(eventText),
  () => sub.preview(`${eventText}\n${eventText}\n{bad\n`),
  () => sub.deliver(event),
  () => set.match(eventText),
  () => sub.matches("{"),
  () => sub.matches(deep),
  () => sub.matches(badUtf8),
  () => sub.matches(proto),
  () => sub.matches(42),
  () => hm.Subscription.compile({ ...spec, eventType: "nope" }),
  () => hm.Subscription.compile(spec).free(),
  () => hm.validate({ objCode: "X" }),
  () => hm.decodeBase64("Zm9v$mFy"),
  () => hm.decodeBase64(hm.encodeBase64("soak ☃")),
  () => hm.verify({ headers: { "X-Hook-Signature": "00" }, body: "{}" }, "s"),
  // Hostile input (the hostile-input issue's cases): a spec the analysis
  // once trapped on, analysis at its edges, a forged and a freed handle,
  // a many-entry signature header, misuse, a Map of options.
  () => hm.lint({ resource: "1", target: "https://h.example.com/", filters: [{}] }),
  () => hm.lint({ ...spec, filters: [{ fieldName: "n", comparison: "contains", fieldValue: false }, { fieldName: "n", comparison: "lt", fieldValue: 1e21 }] }),
  () => hm.diff({ ...spec, filters: [{ fieldName: "d", fieldValue: "2022-12-11T06:30:00.000+0530" }] }, { ...spec, filters: [{ fieldName: "d", comparison: "notContains", fieldValue: "2022-12-11T06:30:00.000+0530" }] }),
  () => sub.example({ base: { eventType: "CREATE", newState: "e30=", oldState: {} } }),
  () => Object.assign(Object.create(hm.Subscription.prototype), sub).matches(eventText),
  () => {
    const s = hm.Subscription.compile(spec);
    s.free();
    return s.matches(eventText);
  },
  () => hm.verify({ headers: { "webhook-id": "m", "webhook-timestamp": "1", "webhook-signature": Array(100).fill("v1,AAAA").join(" ") }, body: "{}" }, "whsec_c29haw==", { now: 1 }),
  () => sub.matches(new Map([["eventType", "UPDATE"]])),
  () => hm.Subscription.compile(spec, new Map()),
];

let answered = 0;
let thrown = 0;
// A trap: runtime.js turns one into HookmatchError `internal` (and a fresh
// module), and anything else that is not a HookmatchError would be a trap
// it missed. Either is counted, reported, and a failure.
let traps = 0;
const samples = [];
const started = performance.now();
for (let i = 0; i < calls; i++) {
  const op = i % 997 === 0 ? () => sub.matches(bigString) : ops[i % ops.length];
  try {
    op();
    answered++;
  } catch (e) {
    if (e?.name !== "HookmatchError" || e.code === "internal") {
      traps++;
      if (traps === 1) console.error(`call ${i} threw ${e?.name}: ${e?.message}`);
      continue;
    }
    thrown++;
  }
  if (i % Math.max(1, Math.floor(calls / 20)) === 0) samples.push([i, memory()]);
}
const elapsed = performance.now() - started;
if (!sub.matches(eventText)) throw new Error("a valid call failed after the soak");
const warm = samples[Math.floor(samples.length / 2)][1];
const end = memory();

// Compile and free: memory is reused, not grown, round after round. The
// first round may still take a page or two as the allocator's free lists
// settle after the mixed calls above; a leak grows every round, so rounds
// 2 to 5 must stay flat.
const rounds = [];
const n = Math.max(1000, Math.floor(calls / 10));
for (let r = 0; r < 5; r++) {
  const subs = [];
  for (let i = 0; i < n; i++) subs.push(hm.Subscription.compile({ ...spec, objId: `id-${i}` }));
  for (const s of subs) s.free();
  rounds.push(memory());
}

// Dropped without free: FinalizationRegistry frees them after GC.
const dropped = [];
for (let r = 0; r < 4; r++) {
  for (let i = 0; i < n; i++) hm.Subscription.compile({ ...spec, objId: `drop-${i}` });
  gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
  dropped.push(memory());
}

const report = {
  calls,
  answered,
  thrown,
  traps,
  ms: Math.round(elapsed),
  memoryBytes: { afterFirstCall: samples[0][1], afterWarmUp: warm, end },
  compileFree: { subscriptions: n, memoryPerRound: rounds },
  finalization: { subscriptionsPerRound: n, memoryPerRound: dropped, gc: typeof globalThis.gc === "function" },
};
console.log(JSON.stringify(report, null, 2));
const failures = [];
if (traps) failures.push(`${traps} calls threw something other than a HookmatchError`);
if (answered + thrown !== calls) failures.push("not every call answered");
if (end > warm) failures.push(`memory grew after warm-up: ${warm} -> ${end}`);
if (rounds[4] > rounds[1]) failures.push(`compile/free rounds grew: ${rounds}`);
if (report.finalization.gc && dropped[3] > dropped[1]) failures.push(`dropped subscriptions were not reclaimed: ${dropped}`);
if (process.env.SOAK_REPORT) {
  mkdirSync(new URL("../../bench/results/", import.meta.url), { recursive: true });
  writeFileSync(new URL(`../../bench/results/soak-${calls}.json`, import.meta.url), JSON.stringify(report, null, 2) + "\n");
}
if (failures.length) {
  console.error(`soak failed: ${failures.join("; ")}`);
  process.exit(1);
}
console.log(`1 passed, 0 failed: soak of ${calls} calls`);
