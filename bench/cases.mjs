// Benchmark cases shared by the Node and the Chromium runs: the same code,
// the same inputs, medians of repeated timed batches.

/** Deterministic bytes (xorshift32), so every run measures the same input. */
export function bytes(n, seed = 0x9e3779b9) {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Median ns per call of fn, over `rounds` batches of about `batchMs` each. */
export function measure(fn, { rounds = 7, batchMs = 150 } = {}) {
  // Warm up and size the batch.
  let n = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    const dt = performance.now() - t0;
    if (dt > batchMs / 4) {
      n = Math.max(1, Math.round((n * batchMs) / Math.max(dt, 0.001)));
      break;
    }
    n *= 4;
  }
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    samples.push(((performance.now() - t0) * 1e6) / n);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

/**
 * Median ns per call of each function, measured in interleaved rounds (one
 * batch of each per round), so that a slow stretch of this noisy machine
 * falls on every implementation alike and the ratios stay honest.
 */
export function measureAll(fns, { rounds = 9, batchMs = 100 } = {}) {
  const names = Object.keys(fns);
  const n = {};
  for (const k of names) {
    let m = 1;
    for (;;) {
      const t0 = performance.now();
      for (let i = 0; i < m; i++) fns[k]();
      const dt = performance.now() - t0;
      if (dt > batchMs / 4) {
        n[k] = Math.max(1, Math.round((m * batchMs) / Math.max(dt, 0.001)));
        break;
      }
      m *= 4;
    }
  }
  const samples = Object.fromEntries(names.map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (const k of names) {
      const t0 = performance.now();
      for (let i = 0; i < n[k]; i++) fns[k]();
      samples[k].push(((performance.now() - t0) * 1e6) / n[k]);
    }
  }
  return Object.fromEntries(names.map((k) => [k, samples[k].sort((a, b) => a - b)[Math.floor(rounds / 2)]]));
}

function binaryString(u8) {
  let s = "";
  for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000));
  return s;
}

function fromBinaryString(s) {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/**
 * Base64 encode/decode of bytes, 1 KiB and 1 MiB, for every implementation
 * given: { name: { encode(u8) -> string, decode(string) -> u8 } }.
 * Each result is checked against the first implementation before timing.
 */
export function base64Cases(impls) {
  const rows = [];
  const names = Object.keys(impls);
  for (const size of [1024, 1024 * 1024]) {
    const input = bytes(size);
    const reference = impls[names[0]].encode(input);
    for (const name of names) {
      const impl = impls[name];
      const text = impl.encode(input);
      if (text !== reference) throw new Error(`${name} encodes differently`);
      const back = impl.decode(reference);
      if (back.length !== input.length || back.some((b, i) => b !== input[i])) throw new Error(`${name} decodes differently`);
      const enc = measure(() => impl.encode(input));
      const dec = measure(() => impl.decode(reference));
      rows.push({ case: "base64", impl: name, size, encodeMBps: size / enc * 1e3 / 1.048576, decodeMBps: size / dec * 1e3 / 1.048576, encodeNs: enc, decodeNs: dec });
    }
  }
  return rows;
}

/** Implementations a browser has: btoa/atob, and Uint8Array toBase64/fromBase64 where present. */
export function browserImpls(hookmatch) {
  const impls = {
    hookmatch: { encode: (u8) => hookmatch.encodeBase64(u8), decode: (s) => hookmatch.decodeBase64(s) },
    "btoa/atob": { encode: (u8) => btoa(binaryString(u8)), decode: (s) => fromBinaryString(atob(s)) },
  };
  if (typeof Uint8Array.prototype.toBase64 === "function") {
    impls["toBase64/fromBase64"] = { encode: (u8) => u8.toBase64(), decode: (s) => Uint8Array.fromBase64(s) };
  }
  return impls;
}

// ------------------------------------------------------------ engine cases

import { rng, workfrontEvent, THREE_FILTERS, handWritten, MONGO_QUERY, subscriptions, jsIndex, DIALECT_CASES } from "./data.mjs";

function row(group, name, ns, extra = {}) {
  return { case: group, impl: name, ns, ...extra };
}

/** The event of the matches() case: the seed's size (~2 KB), matching the 3 filters. */
export function matchEvent() {
  const r = rng(7);
  const e = workfrontEvent(r, 2);
  e.eventType = "UPDATE";
  e.newState.objCode = "PROJ";
  e.newState.status = "CUR";
  e.newState.percentComplete = 20;
  e.newState.parameterValues["DE:Region"] = "EMEA";
  return e;
}

export function matchesCases(hm, sift) {
  const e = matchEvent();
  const text = JSON.stringify(e);
  const sub = hm.Subscription.compile(THREE_FILTERS);
  const query = sift(MONGO_QUERY);
  const u8 = new TextEncoder().encode(text);
  const checks = [sub.matches(text), sub.matches(u8), sub.matches(e), handWritten(JSON.parse(text)), query(JSON.parse(text))];
  if (!checks.every(Boolean)) throw new Error(`matches case disagrees: ${checks}`);
  const ns = measureAll({
    "hookmatch matches(jsonString)": () => sub.matches(text),
    "hookmatch matches(Uint8Array)": () => sub.matches(u8),
    "hookmatch matches(object)": () => sub.matches(e),
    "hookmatch matches(JSON.stringify(object))": () => sub.matches(JSON.stringify(e)),
    "JSON.parse + hand-written predicate": () => handWritten(JSON.parse(text)),
    "sift (JSON.parse + query)": () => query(JSON.parse(text)),
  });
  const rows = Object.entries(ns).map(([name, t]) => row("matches", name, t));
  sub.free();
  return { bytes: text.length, rows };
}

/** A larger Workfront event matching THREE_FILTERS (`size` as workfrontEvent takes it: 10 is 5.3 KB of JSON, 20 is 10.4 KB). */
export function largeMatchEvent(size) {
  const e = workfrontEvent(rng(9), size);
  e.eventType = "UPDATE";
  Object.assign(e.newState, { objCode: "PROJ", status: "CUR", percentComplete: 20 });
  e.newState.parameterValues["DE:Region"] = "EMEA";
  return e;
}

/** The Workfront events of 5 and 10 KB: with the 1.2 KB one of matchesCases, 0.3–10 KB is covered. */
const LARGE_CASES = [10, 20].map((size) => ({
  dialect: "workfront",
  spec: THREE_FILTERS,
  event: () => largeMatchEvent(size),
  handWritten,
}));

/** matches(jsonString) in the Asana and Kanboard dialects and of larger Workfront events, against the hand-written test. */
export function dialectCases(hm) {
  return [...DIALECT_CASES, ...LARGE_CASES].map((c) => {
    const e = c.event(rng(5));
    const text = JSON.stringify(e);
    const sub = hm.Subscription.compile(c.spec, { dialect: c.dialect });
    if (!(sub.matches(text) && c.handWritten(JSON.parse(text)))) throw new Error(`${c.dialect} case disagrees`);
    const ns = measureAll({ hookmatch: () => sub.matches(text), js: () => c.handWritten(JSON.parse(text)) });
    sub.free();
    return { case: "dialect", dialect: c.dialect, bytes: text.length, hookmatchNs: ns.hookmatch, jsNs: ns.js };
  });
}

/** ~`mb` MB of NDJSON Workfront events (1–4 KB each). */
export function ndjson(mb) {
  const r = rng(11);
  const lines = [];
  let size = 0;
  while (size < mb * 1024 * 1024) {
    const line = JSON.stringify(workfrontEvent(r));
    lines.push(line);
    size += line.length + 1;
  }
  return new TextEncoder().encode(lines.join("\n") + "\n");
}

export function previewCases(hm, bytes) {
  const sub = hm.Subscription.compile(THREE_FILTERS);
  const baseline = () => {
    const text = new TextDecoder().decode(bytes);
    const out = [];
    let i = 0;
    for (const line of text.split("\n")) {
      if (line === "") continue;
      if (handWritten(JSON.parse(line))) out.push(i);
      i++;
    }
    return out;
  };
  const got = sub.preview(bytes);
  const want = baseline();
  if (got.matched !== want.length) throw new Error(`preview disagrees: ${got.matched} vs ${want.length}`);
  const mbps = (ns) => bytes.length / ns * 1e3 / 1.048576;
  const { h, b } = measureAll({ h: () => sub.preview(bytes), b: baseline }, { rounds: 5, batchMs: 1 });
  sub.free();
  return {
    bytes: bytes.length,
    events: got.total,
    rows: [row("preview", "hookmatch preview(Uint8Array)", h, { MBps: mbps(h) }), row("preview", "TextDecoder + split + JSON.parse + predicate", b, { MBps: mbps(b) })],
  };
}

export function setCases(hm) {
  const rows = [];
  const e = matchEvent();
  const text = JSON.stringify(e);
  for (const n of [10, 1000, 10000]) {
    const entries = subscriptions(rng(n), n);
    const t0 = performance.now();
    const set = hm.SubscriptionSet.compile(entries);
    const compileMs = performance.now() - t0;
    const subs = entries.map((x) => hm.Subscription.compile(x.spec));
    const index = jsIndex(entries);
    const want = subs.map((s, i) => (s.matches(text) ? entries[i].id : null)).filter(Boolean);
    const got = set.match(text);
    if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`set disagrees at ${n}`);
    const js = index(JSON.parse(text));
    if (JSON.stringify(js) !== JSON.stringify(want)) throw new Error(`JS index disagrees at ${n}: ${js.length} vs ${want.length}`);
    const ns = measureAll({
      text: () => set.match(text),
      object: () => set.match(e),
      index: () => index(JSON.parse(text)),
    });
    const opts = n >= 10000 ? { rounds: 5, batchMs: 60 } : undefined;
    rows.push(row("set", `SubscriptionSet.match(jsonString)`, ns.text, { n, matched: want.length, compileMs }));
    rows.push(row("set", `SubscriptionSet.match(object)`, ns.object, { n }));
    rows.push(row("set", `loop over Subscription.matches(jsonString)`, measure(() => subs.filter((s) => s.matches(text)), opts), { n }));
    rows.push(row("set", `JS hash index (JSON.parse + lookup)`, ns.index, { n }));
    set.free();
    for (const s of subs) s.free();
  }
  return rows;
}

export function compileCases(hm) {
  const entries = subscriptions(rng(3), 10000);
  const opts = { rounds: 5, batchMs: 1 };
  return [
    row("compile", "SubscriptionSet.compile(10,000 entries)", measure(() => hm.SubscriptionSet.compile(entries).free(), opts)),
    row("compile", "10,000 × Subscription.compile", measure(() => entries.forEach((x) => hm.Subscription.compile(x.spec).free()), opts)),
  ];
}

export function engineCases(hm, sift, mb = 100) {
  return { matches: matchesCases(hm, sift), dialects: dialectCases(hm), preview: previewCases(hm, ndjson(mb)), set: setCases(hm), compile: compileCases(hm) };
}

/** The largest spec Workfront accepts: 10 groups of 5 filters over 7 fields. */
export function largestSpec(outer = "AND", inner = "OR") {
  const comparisons = ["eq", "ne", "gt", "lt", "contains"];
  const filters = Array.from({ length: 10 }, (_, g) => ({
    type: "group",
    connector: inner,
    filters: Array.from({ length: 5 }, (_, f) => ({ fieldName: `DE:Field ${(g * 5 + f) % 7}`, fieldValue: String(g * 10 + f), comparison: comparisons[f % 5] })),
  }));
  return { objCode: "TASK", eventType: "UPDATE", url: "https://hooks.example.com/t", authToken: "x", filterConnector: outer, filters };
}

/**
 * The analysis on the largest spec, in wasm: lint (validate + findings),
 * example, and diff against an edit of one filter; compile for scale.
 * No peer does this, so the figures are absolute medians.
 */
export function analysisCases(hm) {
  const rows = [];
  for (const [outer, inner] of [["AND", "OR"], ["OR", "AND"]]) {
    const spec = largestSpec(outer, inner);
    const text = JSON.stringify(spec);
    const edited = structuredClone(spec);
    edited.filters[3].filters[2].fieldValue = "99";
    const sub = hm.Subscription.compile(text);
    const label = `10 groups of 5 (${outer} of ${inner})`;
    rows.push(row("analysis", `compile, ${label}`, measure(() => hm.Subscription.compile(text).free(), { batchMs: 60 })));
    rows.push(row("analysis", `lint, ${label}`, measure(() => hm.lint(text), { batchMs: 60 })));
    rows.push(row("analysis", `example, ${label}`, measure(() => sub.example(), { batchMs: 60 })));
    rows.push(row("analysis", `diff, ${label}`, measure(() => hm.diff(spec, edited), { batchMs: 60 })));
    sub.free();
  }
  return rows;
}
