// The cases of `node bench/ab.mjs`: every build given in `apis`
// ({ name: api }) and the plain JS a user writes, alternating batch by batch
// in one process, so two builds (and JS) meet the same slow stretches of a
// shared machine. `core` and `explain` call the wasm's private entries
// (`__inbox`, `__matchesInbox`; `__explainSwb` of an experimental build) and
// are skipped for builds without them.
import { rng, workfrontEvent, THREE_FILTERS, handWritten, subscriptions, jsIndex, DIALECT_CASES } from "./data.mjs";
import { matchEvent, ndjson, largeMatchEvent } from "./cases.mjs";

// Many short batches, alternating: on a loaded machine the low quantile is
// the batches no other process interrupted; both it and the median are kept.
export const STAT = { q: 0.1 };
export function measureAll(fns, { rounds = 41, batchMs = globalThis.process ? 4 : 10 } = {}) {
  const names = Object.keys(fns);
  const n = {};
  // Sized three times, the largest kept: a stall while sizing (this machine
  // is shared) would make batches too short for Chromium's 0.1 ms clock.
  for (const k of names) for (let t = 0; t < 3; t++) {
    let m = 1;
    for (;;) {
      const t0 = performance.now();
      for (let i = 0; i < m; i++) fns[k]();
      const dt = performance.now() - t0;
      if (dt > batchMs / 2) { n[k] = Math.max(n[k] ?? 1, Math.round((m * batchMs) / Math.max(dt, 0.001))); break; }
      m *= 2;
    }
  }
  const s = Object.fromEntries(names.map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) for (const k of names) {
    const t0 = performance.now();
    for (let i = 0; i < n[k]; i++) fns[k]();
    s[k].push(((performance.now() - t0) * 1e6) / n[k]);
  }
  return Object.fromEntries(names.map((k) => [k, s[k].sort((a, b) => a - b)[Math.floor((rounds - 1) * STAT.q)]]));
}

export function textCases() {
  const cases = [];
  for (const c of DIALECT_CASES) cases.push({ label: `${c.dialect}`, event: c.event(rng(5)), spec: c.spec, opts: { dialect: c.dialect }, js: c.handWritten });
  cases.push({ label: "workfront", event: matchEvent(), spec: THREE_FILTERS, js: handWritten });
  cases.push({ label: "workfront", event: largeMatchEvent(10), spec: THREE_FILTERS, js: handWritten });
  cases.push({ label: "workfront", event: largeMatchEvent(20), spec: THREE_FILTERS, js: handWritten });
  return cases;
}

export function run(apis, which = ["text", "object", "set", "preview"], log = () => {}) {
  const out = {};
  const names = Object.keys(apis);
  if (["text", "object", "core", "explain"].some((w) => which.includes(w))) {
    out.text = []; out.object = [];
    for (const c of textCases()) {
      const text = JSON.stringify(c.event);
      const subs = Object.fromEntries(names.map((k) => [k, apis[k].Subscription.compile(c.spec, c.opts)]));
      for (const k of names) if (!subs[k].matches(text) || !subs[k].matches(c.event)) throw new Error(`${k} ${c.label} does not match`);
      if (!c.js(JSON.parse(text))) throw new Error("js disagrees");
      if (which.includes("text")) {
        const fns = { js: () => c.js(JSON.parse(text)) };
        for (const k of names) fns[k] = () => subs[k].matches(text);
        const r = measureAll(fns);
        out.text.push({ case: `${c.label} ${text.length} B`, ...r });
        log(`text ${c.label} ${text.length} B ` + JSON.stringify(fmt(r)));
      }
      if (which.includes("core")) {
        // The wasm work alone: the bytes already in the inbox, one call.
        const fns = { js: () => c.js(JSON.parse(text)), parse: () => JSON.parse(text) };
        for (const k of names) {
          const g = apis[k];
          if (typeof g.__inbox !== "function") { fns[k] = () => subs[k].matches(text); continue; }
          const view = g.__inbox(text.length * 3, 7);
          const len = new TextEncoder().encodeInto(text, view).written;
          if (subs[k].__matchesInbox(text.length, len, 7) !== 1) throw new Error("core disagrees");
          fns[k + ":core"] = () => subs[k].__matchesInbox(text.length, len, 7);
          fns[k + ":enc"] = () => new TextEncoder().encodeInto(text, view).written;
          fns[k + ":text"] = () => subs[k].matches(text);
        }
        const r = measureAll(fns);
        out.core = out.core ?? [];
        out.core.push({ case: `${c.label} ${text.length} B`, ...r });
        log(`core ${c.label} ${text.length} B ` + JSON.stringify(fmt(r)));
      }
      if (which.includes("explain")) {
        const fns = {};
        for (const k of names) {
          const sub = subs[k];
          if (typeof sub.__explainSwb !== "function") continue;
          const a = sub.__explainSwb(text), b = sub.__explainText(text);
          if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error("explanations differ: " + JSON.stringify(a) + " vs " + JSON.stringify(b));
          fns[k + ":swb"] = () => sub.__explainSwb(text);
          fns[k + ":jsontext"] = () => sub.__explainText(text);
          fns[k + ":explain"] = () => sub.explain(text);
        }
        const r = measureAll(fns);
        out.explain = out.explain ?? [];
        out.explain.push({ case: `${c.label} ${text.length} B`, ...r });
        log(`explain ${c.label} ${text.length} B ` + JSON.stringify(fmt(r)));
      }
      if (which.includes("object")) {
        const fns = {};
        for (const k of names) { fns[k + ":obj"] = () => subs[k].matches(c.event); fns[k + ":str"] = () => subs[k].matches(JSON.stringify(c.event)); }
        const r = measureAll(fns);
        out.object.push({ case: `${c.label} ${text.length} B`, ...r });
        log(`object ${c.label} ${text.length} B ` + JSON.stringify(fmt(r)));
      }
      for (const k of names) subs[k].free();
    }
  }
  if (which.includes("set")) {
    const e = matchEvent();
    const text = JSON.stringify(e);
    out.set = [];
    for (const n of [10200]) {
      const entries = subscriptions(rng(n), n);
      const sets = Object.fromEntries(names.map((k) => [k, apis[k].SubscriptionSet.compile(entries)]));
      const index = jsIndex(entries);
      const want = JSON.stringify(index(JSON.parse(text)));
      for (const k of names) if (JSON.stringify(sets[k].match(text)) !== want) throw new Error(`${k} set disagrees`);
      const fns = { js: () => index(JSON.parse(text)) };
      for (const k of names) { fns[k] = () => sets[k].match(text); fns[k + ":obj"] = () => sets[k].match(e); }
      const r = measureAll(fns);
      out.set.push({ case: `set ${n}, ${JSON.parse(want).length} matched`, ...r });
      log(`set ${n} ` + JSON.stringify(fmt(r)));
      for (const k of names) sets[k].free();
    }
  }
  if (which.includes("preview")) {
    const bytes = ndjson(24);
    // The same NDJSON as a string too (ASCII: a unit per byte).
    const text = new TextDecoder().decode(bytes);
    const subs = Object.fromEntries(names.map((k) => [k, apis[k].Subscription.compile(THREE_FILTERS)]));
    const fns = {};
    for (const k of names) {
      fns[k] = () => subs[k].preview(bytes);
      fns[k + ":text"] = () => subs[k].preview(text);
    }
    const r = measureAll(fns, { rounds: 9, batchMs: 1 });
    const mbps = Object.fromEntries(Object.entries(r).map(([k, ns]) => [k, bytes.length / ns * 1e3 / 1.048576]));
    out.preview = { bytes: bytes.length, ns: r, mbps };
    log(`preview ${bytes.length} MiB/s ` + JSON.stringify(fmt(mbps)));
    for (const k of names) subs[k].free();
  }
  return out;
}

function fmt(r) { return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(v)])); }
