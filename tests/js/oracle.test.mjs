// An independent brute-force oracle for the analysis (lint, diff, example,
// set.lint). A finding is a claim about every event of the vendor's shape
// (the contract's "claims" rule); this test tries to refute each claim with
// events of its own generator (tests/js/oracle/gen.mjs), judged only by
// `matches` and `explain`, so it shares none of the analysis's candidate
// values and none of its blind spots. Counterexamples are kept in
// tests/js/oracle/counterexamples.json and replayed first.
//
// ORACLE_SEED, ORACLE_SPECS, ORACLE_EVENTS, ORACLE_SEARCH (steps of the search
// behind never_matches and disjoint) change the run; ORACLE_RECORD=1
// appends new counterexamples to the seed file (ORACLE_SHRINK=1 shrinks the
// first of each class); ORACLE_DUMP=file writes every refutation of the run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { Subscription, SubscriptionSet, lint, diff } from "hookmatch";
import { Raw, Rng, DIALECTS, genSpec, genEvent, fieldPairs, mutatePairs, mutants, filterPair, toText, filtersOf, plain, plainClone, parseRaw } from "./oracle/gen.mjs";

const SEED = Number(process.env.ORACLE_SEED ?? 20261206);
const SPECS = Number(process.env.ORACLE_SPECS ?? 400);
const EVENTS = Number(process.env.ORACLE_EVENTS ?? 200);
const RECORD = process.env.ORACLE_RECORD === "1";
const SHRINK = process.env.ORACLE_SHRINK === "1";
const SEEDS_FILE = new URL("./oracle/counterexamples.json", import.meta.url);

const stats = { specs: 0, invalid: 0, events: 0, claims: 0, refuted: 0, incomplete: 0, unknown: 0, unnamedPairs: 0, failNullDocs: 0 };
/** How many findings of each code (and diff relations) the run checked. */
const kinds = {};
/** Refutations of this run: { claim, dialect, spec, spec2?, event?, detail }. */
const refutations = [];

function refute(r) {
  stats.refuted++;
  // An event missing keys the vendor always sends still refutes a claim about "any JSON in any field", but says so.
  if (r.event) {
    try {
      const p = shapeProblems(r.dialect, null, JSON.parse(r.event));
      if (p.length) r.offShape = p.join("; ");
    } catch {}
  }
  refutations.push(r);
}

/** Run `f`; a throw that is not a HookmatchError is itself a refutation (the contract: nothing else is thrown). */
function guarded(what, ctx, f) {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (e?.name !== "HookmatchError") {
      refute({ ...ctx, claim: "throws_only_hookmatch_error", detail: `${what} threw ${e?.name}: ${e?.message}` });
    }
    return { ok: false, error: e };
  }
}

// ---------------------------------------------------------------------------
// Reading explanations.

const all = (xs) => xs.every(Boolean);
const any = (xs) => xs.some(Boolean);
const combine = (connector, xs) => (connector === "OR" ? any(xs) : all(xs));

/** A check's result as the contract defines it: a group applies its connector to its filters. */
function resultOf(check) {
  if (Array.isArray(check.filters) && check.connector) return combine(check.connector, check.filters.map(resultOf));
  return check.passed;
}
const gatePassed = (ex) => ex.gate.every((c) => c.passed);
const listResult = (ex) => (ex.filters.length === 0 ? true : combine(ex.connector ?? "AND", ex.filters.map(resultOf)));

/** The check at a spec pointer ("/filters/2" or "/filters/2/filters/0"); "/filters" or "" is the list. */
function checkAt(ex, path) {
  if (path === "/filters" || path === "") return { passed: listResult(ex), list: true };
  const m = /^\/filters\/(\d+)(?:\/filters\/(\d+))?$/.exec(path);
  if (!m) return null;
  const top = ex.filters[+m[1]];
  if (!top) return null;
  if (m[2] === undefined) return top;
  return top.filters?.[+m[2]] ?? null;
}
const passedAt = (ex, path) => {
  const c = checkAt(ex, path);
  return c === null ? null : c.list ? c.passed : resultOf(c);
};

/** The connector of the list that holds `path`. */
function connectorOf(spec, dialect, path) {
  const m = /^\/filters\/(\d+)\/filters\/\d+$/.exec(path);
  if (m) return spec.filters[+m[1]].connector;
  if (dialect === "asana") return "OR";
  return spec.filterConnector ?? "AND";
}

/** The spec without the entry at `path` (a group left with one filter becomes that filter); null if that empties a list. */
function without(spec, path) {
  // A copy that keeps Raw numbers: 9007199254740993 written in the spec must stay that integer.
  const s = plainClone(spec);
  const m = /^\/filters\/(\d+)(?:\/filters\/(\d+))?$/.exec(path);
  if (!m) return null;
  if (m[2] === undefined) {
    s.filters.splice(+m[1], 1);
    if (s.filters.length === 0) return null;
  } else {
    const g = s.filters[+m[1]];
    g.filters.splice(+m[2], 1);
    if (g.filters.length === 1) s.filters[+m[1]] = g.filters[0];
  }
  return s;
}

const otherPointers = (message, path) =>
  [...message.matchAll(/\((\/filters[^)\s]*)\)/g)].map((x) => x[1]).filter((p) => p !== path);

// ---------------------------------------------------------------------------
// Vendor shape of the events the analysis builds.

function shapeProblems(dialect, spec, ev) {
  const p = [];
  const isObj = (v) => v && typeof v === "object" && !Array.isArray(v);
  if (!isObj(ev)) return ["not an object"];
  if (dialect === "workfront") {
    if (typeof ev.eventType !== "string") p.push("no eventType");
    const ns = ev.newState, os = ev.oldState;
    if (ev.eventType === "CREATE" && isObj(os) && Object.keys(os).length) p.push("a CREATE with an old state");
    if (ev.eventType !== "DELETE" && !(isObj(ns) && ns.objCode !== undefined)) p.push("newState without objCode");
    if (ev.eventType !== "DELETE" && isObj(ns) && ns.ID === undefined && ns.id === undefined) p.push("newState without ID");
    if (ev.eventType !== "CREATE" && !(isObj(os) && os.objCode !== undefined)) p.push(`${ev.eventType} oldState without objCode`);
    if (ev.eventType !== "CREATE" && isObj(os) && os.ID === undefined && os.id === undefined) p.push(`${ev.eventType} oldState without ID`);
  } else if (dialect === "asana") {
    const e = Array.isArray(ev.events) ? ev.events[0] : ev;
    if (!isObj(e)) return ["no event"];
    if (!isObj(e.resource) || typeof e.resource.gid !== "string") p.push("resource without gid");
    if (isObj(e.resource) && e.resource.resource_type === undefined) p.push("resource without resource_type");
    if (e.action === undefined) p.push("no action");
  } else if (dialect === "kanboard") {
    if (typeof ev.event_name !== "string") p.push("no event_name");
    if (!isObj(ev.event_data)) p.push("no event_data");
  } else if (dialect === "rservice") {
    if (typeof ev.event !== "string") p.push("no event");
    if (typeof ev.object_id !== "number") p.push(`object_id ${JSON.stringify(ev.object_id)} is not a number id`);
  } else {
    for (const k of ["id", "type", "action"]) if (typeof ev[k] !== "string" || ev[k] === "") p.push(`no ${k}`);
    if (!isObj(ev.data)) p.push("no data");
  }
  return p;
}

// ---------------------------------------------------------------------------
// One spec against its events.

/** Evaluations of one compiled spec over the event texts, computed once. */
class Judge {
  constructor(sub, events, ctx) {
    this.sub = sub;
    this.events = events;
    this.ctx = ctx;
    this.m = new Map();
    this.x = new Map();
  }
  matches(e) {
    if (!this.m.has(e)) {
      const r = guarded("matches", { ...this.ctx, event: e }, () => this.sub.matches(e));
      this.m.set(e, r.ok ? r.value : null);
    }
    return this.m.get(e);
  }
  explain(e) {
    if (!this.x.has(e)) {
      const r = guarded("explain", { ...this.ctx, event: e }, () => this.sub.explain(e));
      this.x.set(e, r.ok ? r.value : null);
    }
    return this.x.get(e);
  }
  /**
   * An answer of the analysis (an object it returned) as returned, and as JSON text: `as` is the object's
   * verdict, `text` the text's. Both must fire; the text is what a user saves, logs or sends.
   */
  answer(o) {
    const r = guarded("matches", { ...this.ctx, event: toText(o) }, () => this.sub.matches(o));
    return { as: r.ok ? r.value : null, text: this.matches(toText(o)) };
  }
  /** Events that pass the gate, with their explanations. */
  *received() {
    for (const e of this.events) {
      const ex = this.explain(e);
      if (ex && gatePassed(ex)) yield [e, ex];
    }
  }
}

/** Checks passed in an explanation: the gate's and every leaf filter's (the fitness of a search). */
function passedCount(ex) {
  if (!ex) return -1;
  const leaves = (cs) => cs.reduce((n, c) => n + (Array.isArray(c.filters) && c.connector ? leaves(c.filters) : c.passed ? 1 : 0), 0);
  return ex.gate.filter((c) => c.passed).length + leaves(ex.filters);
}

const SEARCH = Number(process.env.ORACLE_SEARCH ?? 600);

/**
 * A local search for an event that `goal` accepts: start from random field values, redraw one value at a time,
 * keep a step that does not lower `fitness`. Random events rarely satisfy many filters at once; this climbs there.
 */
function search(dialect, spec, context, fitness, goal, seed) {
  const rng = new Rng(seed);
  // Three restarts: the event's frame (gate fields, where values sit) is fixed within one and may be hopeless.
  for (let restart = 0; restart < 3; restart++) {
    const shape = (rng.next() * 2 ** 32) >>> 0;
    const build = (pairs) => toText(genEvent(new Rng(shape), dialect, spec, context, pairs));
    let pairs = fieldPairs(rng, context);
    let e = build(pairs);
    let best = fitness(e);
    for (let i = 0; i < SEARCH / 3; i++) {
      if (goal(e)) return e;
      const next = mutatePairs(rng, pairs, context);
      const t = build(next);
      const f = fitness(t);
      if (f >= best) {
        pairs = next;
        e = t;
        best = f;
      }
    }
    if (goal(e)) return e;
  }
  return null;
}

function compile(text, ctx) {
  const r = guarded("compile", ctx, () => Subscription.compile(text));
  return r.ok ? r.value : null;
}

/**
 * Check every claim lint, example and diff make about `spec` (and its
 * `others`, for diff and set.lint) over `events` (JSON texts).
 */
function checkSpec(dialect, spec, others, events, opts = {}) {
  const text = toText(spec);
  const ctx = { dialect, spec: text };
  const claim = () => stats.claims++;
  const lr = guarded("lint", ctx, () => lint(text));
  if (!lr.ok) {
    refute({ ...ctx, claim: "lint_never_throws", detail: `lint threw ${lr.error?.code}: ${lr.error?.message}` });
    return;
  }
  const findings = lr.value;
  if (findings.some((d) => d.severity === "error")) {
    stats.invalid++;
    return;
  }
  stats.specs++;
  const sub = compile(text, ctx);
  if (!sub) {
    refute({ ...ctx, claim: "compiles_when_lint_has_no_error", detail: "compile threw on a spec lint found no error in" });
    return;
  }
  const specPlain = plain(spec);
  const J = new Judge(sub, events, ctx);
  const codes = new Set(findings.map((d) => d.code));
  for (const d of findings) if (d.severity === "warning") kinds[d.code] = (kinds[d.code] ?? 0) + 1;
  const incomplete = codes.has("analysis_incomplete");
  if (incomplete) stats.incomplete++;
  const firing = events.filter((e) => J.matches(e) === true);

  // Consistency of the oracle's own judges: matches agrees with explain, and with the gate and the filter list.
  for (const e of events.slice(0, 40)) {
    const ex = J.explain(e);
    if (!ex) continue;
    const expect = gatePassed(ex) && listResult(ex);
    if (ex.matched !== J.matches(e) || (expect !== ex.matched && !ex.gate.some((c) => c.field === "messageSize"))) {
      refute({ ...ctx, claim: "explain_agrees_with_matches", event: e, detail: `matches ${J.matches(e)}, explain.matched ${ex.matched}, gate∧filters ${expect}` });
      break;
    }
  }

  for (const d of findings) {
    if (d.code === "never_matches") {
      claim();
      // Random events first; then a search that climbs towards passing every check.
      const hit = firing[0] ?? search(dialect, spec, [spec, ...others], (e) => passedCount(J.explain(e)), (e) => J.matches(e) === true, events.length);
      if (hit) refute({ ...ctx, claim: "never_matches", path: d.path, event: hit, detail: d.message });
    } else if (d.code === "always_passes") {
      claim();
      let hit = null;
      for (const [e, ex] of J.received()) if (passedAt(ex, d.path) === false) { hit = e; break; }
      // A search towards the gate passing and that filter failing.
      hit ??= search(dialect, spec, [spec], (e) => {
        const ex = J.explain(e);
        return ex ? ex.gate.filter((c) => c.passed).length + (passedAt(ex, d.path) === false ? 3 : 0) : -1;
      }, (e) => {
        const ex = J.explain(e);
        return !!ex && gatePassed(ex) && passedAt(ex, d.path) === false;
      }, events.length + 1);
      if (hit) refute({ ...ctx, claim: "always_passes", path: d.path, event: hit, detail: d.message });
    } else if (d.code === "redundant_filter") {
      claim();
      const q = otherPointers(d.message, d.path)[0];
      const conn = connectorOf(specPlain, dialect, d.path);
      let bad = null;
      for (const [e, ex] of J.received()) {
        const p = passedAt(ex, d.path);
        const o = q === undefined ? null : passedAt(ex, q);
        if (p === null) break;
        // Under AND: every event passing q passes p. Under OR: p implies q (or p passes nothing).
        if (conn === "AND" ? o === true && p === false : p === true && o !== true) {
          bad = e;
          break;
        }
      }
      // A search for an event the stated implication fails on.
      if (!bad && q !== undefined) {
        const want = (ex) => (conn === "AND" ? [passedAt(ex, q) === true, passedAt(ex, d.path) === false] : [passedAt(ex, d.path) === true, passedAt(ex, q) !== true]);
        bad = search(dialect, spec, [spec], (e) => {
          const ex = J.explain(e);
          return ex ? ex.gate.filter((c) => c.passed).length + want(ex).filter(Boolean).length * 2 : -1;
        }, (e) => {
          const ex = J.explain(e);
          return !!ex && gatePassed(ex) && want(ex).every(Boolean);
        }, events.length + 2);
      }
      // And the edit it suggests changes nothing: the spec without that filter fires for the same events.
      if (!bad) {
        const w = without(spec, d.path);
        const ws = w && compile(toText(w), ctx);
        if (ws) for (const e of events) {
          const a = J.matches(e), b = guarded("matches", ctx, () => ws.matches(e));
          if (a !== null && b.ok && a !== b.value) {
            bad = e;
            break;
          }
        }
        ws?.free();
      }
      if (bad) refute({ ...ctx, claim: "redundant_filter", path: d.path, event: bad, detail: `${d.message} (connector ${conn})` });
    } else if (d.code === "duplicate_filter") {
      claim();
      // The same filter (defaults written out) stands elsewhere in the same list.
      const m = /^(.*)\/(\d+)$/.exec(d.path);
      const list = m && m[1].split("/").slice(1).reduce((o, k) => (o == null ? o : o[k]), spec);
      // Defaults written out and keys in one order, so {state: "newState", …} equals the same filter without it.
      const sorted = (o) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
      const normObj = (f) => (f && f.type === "group" ? sorted({ ...f, filters: f.filters.map(normObj) }) : f && f.fieldName !== undefined ? sorted({ ...f, comparison: f.comparison ?? "eq", state: f.state ?? "newState" }) : f && typeof f === "object" ? sorted(f) : f);
      const norm = (f) => toText(normObj(f));
      const same = Array.isArray(list) && list.some((f, i) => i !== +m[2] && norm(f) === norm(list[+m[2]]));
      // Written differently but the same filter (5e1 and 50.0; changed with and without an ignored fieldValue):
      // then a sibling must decide every event as it does, or it is no duplicate.
      const twin = !same && Array.isArray(list) && list.some((_, i) => {
        if (i === +m[2]) return false;
        const q = `${m[1]}/${i}`;
        return events.every((e) => {
          const ex = J.explain(e);
          return !ex || passedAt(ex, q) === passedAt(ex, d.path);
        });
      });
      if (!same && !twin) {
        const q = Array.isArray(list) ? list.map((_, i) => `${m[1]}/${i}`).find((q) => q !== d.path) : undefined;
        const e = q && events.find((e) => {
          const ex = J.explain(e);
          return ex && passedAt(ex, q) !== passedAt(ex, d.path);
        });
        refute({ ...ctx, claim: "duplicate_filter", path: d.path, ...(e ? { event: e } : {}), detail: d.message });
      }
    }
  }

  // example()
  const exr = guarded("example()", ctx, () => sub.example());
  if (exr.ok) {
    const ex = exr.value;
    if (ex !== null) {
      claim();
      const v = J.answer(ex);
      if (v.as !== true) refute({ ...ctx, claim: "example_fires", event: toText(ex), detail: "example() does not match" });
      else if (v.text !== true) refute({ ...ctx, claim: "answer_survives_json", event: toText(ex), detail: "example() matches as returned, but not once written as JSON text" });
      if (codes.has("never_matches")) refute({ ...ctx, claim: "example_null_iff_never_matches", event: toText(ex), detail: "lint says never_matches but example() found an event" });
      const sp = shapeProblems(dialect, specPlain, ex);
      if (sp.length) refute({ ...ctx, claim: "example_vendor_shape", event: toText(ex), detail: sp.join("; ") });
    } else {
      claim();
      if (!codes.has("never_matches") && !incomplete) refute({ ...ctx, claim: "example_null_iff_never_matches", detail: "example() is null but lint reports neither never_matches nor analysis_incomplete" });
      if (firing.length && !incomplete) refute({ ...ctx, claim: "example_null", event: firing[0], detail: "example() is null but this event fires" });
    }
  }

  // example({ fail })
  const targets = filtersOf(specPlain).map((x) => x.path);
  for (const t of new Set([...targets, ...(specPlain.filters ?? []).map((_, i) => `/filters/${i}`)])) {
    // A top-level filter by index, and now and then by its pointer (both forms are documented).
    const m = /^\/filters\/(\d+)$/.exec(t);
    const fail = m && +m[1] % 2 === 0 ? +m[1] : t;
    const r = guarded(`example({fail: ${JSON.stringify(fail)}})`, ctx, () => sub.example({ fail }));
    if (!r.ok) continue;
    claim();
    if (r.value !== null) {
      const et = toText(r.value);
      const xr = guarded("explain", { ...ctx, event: et }, () => sub.explain(r.value));
      const ex = xr.ok ? xr.value : null;
      if (!ex || !gatePassed(ex) || passedAt(ex, t) !== false) {
        refute({ ...ctx, claim: "example_fail", path: t, event: et, detail: !ex ? "not an event" : !gatePassed(ex) ? "fails the gate" : "passes the filter it should fail" });
      }
      const sp = shapeProblems(dialect, specPlain, r.value);
      if (sp.length) refute({ ...ctx, claim: "example_vendor_shape", path: t, event: et, detail: `example({fail}): ${sp.join("; ")}` });
    } else if (!incomplete) {
      // Look for an event that passes the gate, fails that filter and passes every other one ("the rest").
      const others = filtersOf(specPlain).filter((x) => !(x.path === t || t.startsWith(x.path + "/") || x.path.startsWith(t + "/")));
      const restPass = (ex) => others.every((x) => passedAt(ex, x.path) === true);
      let found = null;
      for (const [e, ex] of J.received()) {
        if (passedAt(ex, t) !== false) continue;
        const rest = restPass(ex);
        if (!found || (rest && !found.rest)) found = { e, rest };
        if (rest) break;
      }
      if (!found?.rest) {
        // A search for an event that passes the gate and every other filter and fails this one.
        const score = (e) => {
          const ex = J.explain(e);
          if (!ex) return -1;
          return ex.gate.filter((c) => c.passed).length + others.filter((x) => passedAt(ex, x.path) === true).length + (passedAt(ex, t) === false ? 2 : 0);
        };
        const goal = (e) => {
          const ex = J.explain(e);
          return !!ex && gatePassed(ex) && passedAt(ex, t) === false && restPass(ex);
        };
        const hit = search(dialect, spec, [spec], score, goal, events.length + t.length);
        if (hit) found = { e: hit, rest: true };
      }
      // The contract allows null when no event fails that filter while passing the rest; docs/analysis.md
      // promises an event whenever one passes the gate and fails it. The first is a refutation; the second is counted.
      if (found?.rest) refute({ ...ctx, claim: "example_fail_null", path: t, event: found.e, detail: "example({fail}) is null but this event passes the gate, fails that filter and passes every other filter" });
      else if (found) stats.failNullDocs++;
    }
  }

  // example({ base }): a base that fires comes back as given; any other answer fires.
  let bases = 0;
  for (const e of [...firing.slice(0, 3), ...events.slice(0, 2)]) {
    if (bases++ >= 4) break;
    const base = JSON.parse(e);
    const r = guarded("example({base})", { ...ctx, event: e }, () => sub.example({ base }));
    if (!r.ok) continue;
    // Whether the base fires is judged on the object passed (JSON.parse may have rounded a number of the text).
    const bf = guarded("matches", { ...ctx, event: e }, () => sub.matches(base));
    if (!bf.ok) continue;
    claim();
    // An Asana delivery body ({events: [...]}) as a base is told apart: the contract's base is one event.
    const env = dialect === "asana" && Array.isArray(base?.events) ? "_envelope" : "";
    if (bf.value) {
      if (JSON.stringify(r.value) !== JSON.stringify(base)) refute({ ...ctx, claim: `example_base_unchanged${env}`, event: e, detail: `returned ${JSON.stringify(r.value)?.slice(0, 300)}` });
    } else if (r.value !== null && J.answer(r.value).as !== true) {
      refute({ ...ctx, claim: `example_base_fires${env}`, event: e, detail: `returned ${toText(r.value).slice(0, 300)}` });
    } else if (r.value === null && !incomplete && (firing.length || !codes.has("never_matches"))) {
      const why = firing.length ? `this event fires: ${firing[0].slice(0, 300)}` : "lint does not say never_matches";
      refute({ ...ctx, claim: `example_base_null${env}`, event: e, detail: `example({base}) is null but ${why}` });
    }
  }

  // diff against itself and against each edit, both ways.
  const pairs = [[spec, spec], ...others.flatMap((o) => [[spec, o], [o, spec]])];
  for (const [a, b] of pairs.slice(0, opts.diffs ?? 5)) {
    checkDiff(dialect, a, b, a === spec ? J : null, b === spec ? J : null, events);
  }
  sub.free();
}

function checkDiff(dialect, a, b, Ja, Jb, events) {
  const ta = toText(a), tb = toText(b);
  const ctx = { dialect, spec: ta, spec2: tb };
  const r = guarded("diff", ctx, () => diff(ta, tb));
  if (!r.ok) return;
  const d = r.value;
  const sa = Ja ? null : compile(ta, ctx), sb = Jb ? null : compile(tb, ctx);
  Ja ??= sa && new Judge(sa, events, ctx);
  Jb ??= sb && new Judge(sb, events, ctx);
  if (!Ja || !Jb) return;
  stats.claims++;
  if (d.relation === "unknown") stats.unknown++;
  kinds[`diff ${d.relation}`] = (kinds[`diff ${d.relation}`] ?? 0) + 1;
  // Witnesses are judged as returned (objects), then as JSON text.
  const witness = (w, claim, want) => {
    const x = Ja.answer(w), y = Jb.answer(w), t = toText(w);
    if (!(x.as === want[0] && y.as === want[1])) refute({ ...ctx, claim, event: t, detail: `before ${x.as}, after ${y.as}` });
    else if (!(x.text === want[0] && y.text === want[1])) refute({ ...ctx, claim: "answer_survives_json", event: t, detail: `a ${claim.slice(5, -8)} witness as JSON text: before ${x.text}, after ${y.text}` });
  };
  for (const g of d.gained) witness(g, "diff_gained_witness", [false, true]);
  for (const l of d.lost) witness(l, "diff_lost_witness", [true, false]);
  const rel = d.relation;
  const bad = (why, e) => refute({ ...ctx, claim: `diff_${rel}`, event: e, detail: why });
  if (rel === "equivalent" && (d.gained.length || d.lost.length)) bad("equivalent with witnesses");
  if (rel === "narrower" && d.gained.length) bad("narrower with a gained witness");
  if (rel === "wider" && d.lost.length) bad("wider with a lost witness");
  if (rel === "overlapping" && !(d.gained.length && d.lost.length)) bad("overlapping without a witness on each side");
  for (const e of events) {
    const x = Ja.matches(e), y = Jb.matches(e);
    if (x === null || y === null) continue;
    if (rel === "equivalent" && x !== y) return bad(`before ${x}, after ${y}`, e);
    if (rel === "narrower" && y && !x) return bad("after fires and before does not", e);
    if (rel === "wider" && x && !y) return bad("before fires and after does not", e);
    if (rel === "disjoint" && x && y) return bad("both fire", e);
  }
  if (rel === "disjoint" && Ja.sub && Jb.sub) {
    const hit = search(dialect, a, [a, b], (e) => passedCount(Ja.explain(e)) + passedCount(Jb.explain(e)), (e) => Ja.matches(e) === true && Jb.matches(e) === true, ta.length);
    if (hit) return bad("both fire (found by search)", hit);
  }
  sa?.free();
  sb?.free();
}

/** set.lint over a spec and its edits (one target URL per dialect): overlap witnesses fire both members, and every overlap is found. */
function checkSet(dialect, specs, events) {
  const entries = specs.map((s, i) => ({ id: `m${i}`, spec: toText(s) }));
  const ctx = { dialect, spec: JSON.stringify(entries) };
  const r = guarded("SubscriptionSet.compile", ctx, () => SubscriptionSet.compile(entries.map((e) => ({ id: e.id, spec: e.spec }))));
  if (!r.ok) return;
  const set = r.value;
  const lr = guarded("set.lint", ctx, () => set.lint());
  if (!lr.ok) return set.free();
  const compiled = Object.fromEntries(entries.map((e) => [e.id, compile(e.spec, ctx)]));
  const subs = Object.fromEntries(Object.entries(compiled).map(([k, s]) => [k, s && new Judge(s, events, ctx)]));
  const reported = new Set();
  let incomplete = false;
  for (const m of lr.value) for (const d of m.diagnostics) {
    if (d.code === "analysis_incomplete") incomplete = true;
    if (d.code !== "overlapping_delivery" && d.code !== "duplicate_subscription") continue;
    const ids = [...d.message.matchAll(/"(m\d+)"/g)].map((x) => x[1]);
    const [x, y] = ids.length >= 2 ? ids : [ids[0], m.id];
    reported.add(`${x}|${y}`).add(`${y}|${x}`);
    if (d.code === "duplicate_subscription") {
      // Equal in every field the vendor compares: they fire for the same events.
      stats.claims++;
      const e = subs[x] && subs[y] && events.find((e) => subs[x].matches(e) !== null && subs[y].matches(e) !== null && subs[x].matches(e) !== subs[y].matches(e));
      if (e) refute({ ...ctx, claim: "duplicate_subscription", event: e, detail: `${x} ${subs[x].matches(e)}, ${y} ${subs[y].matches(e)}: ${d.message}` });
      continue;
    }
    stats.claims++;
    const at = d.message.indexOf("e.g. ");
    // The witness is JSON text in the message: judged as written (re-spelling its numbers could change them).
    const t = d.message.slice(at + 5);
    try {
      JSON.parse(t);
    } catch {
      refute({ ...ctx, claim: "overlapping_delivery_witness", detail: `no witness readable in: ${d.message}` });
      continue;
    }
    if (!(subs[x]?.matches(t) && subs[y]?.matches(t))) refute({ ...ctx, claim: "overlapping_delivery_witness", event: t, detail: `${x} ${subs[x]?.matches(t)}, ${y} ${subs[y]?.matches(t)}: ${d.message}` });
  }
  // Same target URL within a dialect: any event that fires two members is an overlap set.lint must name
  // (a member reported as a duplicate of another stands for it: their overlaps are the other's).
  const dup = new Map();
  for (const m of lr.value) for (const d of m.diagnostics) if (d.code === "duplicate_subscription") {
    const ids = [...d.message.matchAll(/"(m\d+)"/g)].map((x) => x[1]);
    if (ids.length >= 2) dup.set(ids[0], ids[1]);
  }
  const rep = (id) => (dup.has(id) ? rep(dup.get(id)) : id);
  for (const p of [...reported]) {
    const [x, y] = p.split("|");
    reported.add(`${rep(x)}|${rep(y)}`);
  }
  const said = (x, y) => rep(x) === rep(y) || reported.has(`${x}|${y}`) || reported.has(`${rep(x)}|${rep(y)}`);
  // set.lint names one overlapping partner per member (docs/analysis.md: linear in the set's size), so a pair
  // left unnamed is a refutation only when one of its members is named in no overlap at all.
  const named = new Set([...reported].flatMap((p) => p.split("|")).map(rep));
  if (!incomplete) {
    const ids = Object.keys(subs).filter((k) => subs[k]);
    outer: for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) {
      if (said(ids[i], ids[j])) continue;
      for (const e of events) {
        if (subs[ids[i]].matches(e) && subs[ids[j]].matches(e)) {
          stats.claims++;
          if (named.has(rep(ids[i])) && named.has(rep(ids[j]))) {
            stats.unnamedPairs++;
            break;
          }
          refute({ ...ctx, claim: "overlapping_delivery_missed", event: e, detail: `${ids[i]} and ${ids[j]} both fire; set.lint names ${named.has(rep(ids[i])) ? ids[j] : ids[i]} in no overlap` });
          break outer;
        }
      }
    }
  }
  for (const s of Object.values(compiled)) s?.free();
  set.free();
}

// ---------------------------------------------------------------------------
// Shrinking (ORACLE_SHRINK=1): the smallest spec and event that still refute
// the same claim, for the seed file and for people reading it.

function refutedBy(r, spec, spec2, event) {
  const at = refutations.length;
  const saved = { ...stats };
  try {
    const events = event ? [event] : [];
    if (spec2 !== undefined) checkDiff(r.dialect, spec, spec2, null, null, events);
    else checkSpec(r.dialect, spec, [], events, { diffs: 0 });
  } catch {}
  Object.assign(stats, saved);
  return refutations.splice(at);
}

function specCandidates(spec) {
  const out = [];
  const c = () => plainClone(spec);
  const fs = spec.filters ?? [];
  for (let i = 0; i < fs.length; i++) {
    const s = c();
    s.filters.splice(i, 1);
    if (!s.filters.length) delete s.filters;
    out.push(s);
    if (fs[i]?.type === "group") {
      for (let j = 0; j < fs[i].filters.length; j++) {
        const t = c();
        t.filters[i] = fs[i].filters[j];
        out.push(t);
        if (fs[i].filters.length > 2) {
          const u = c();
          u.filters[i].filters.splice(j, 1);
          out.push(u);
        }
      }
    } else if (fs[i] && typeof fs[i] === "object") {
      for (const k of Object.keys(fs[i])) {
        if (["fieldName", "type"].includes(k)) continue;
        const t = c();
        delete t.filters[i][k];
        if (Object.keys(t.filters[i]).length) out.push(t);
      }
    }
  }
  for (const k of ["filterConnector", "objId", "events", "disabled", "secret"]) if (k in spec) { const s = c(); delete s[k]; out.push(s); }
  return out;
}

function eventCandidates(ev) {
  const out = [];
  const walk = (v, path) => {
    if (!v || typeof v !== "object" || v instanceof Raw) return;
    const keys = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
    for (const k of keys) {
      const e = plainClone(ev);
      const parent = path.reduce((o, x) => o[x], e);
      if (Array.isArray(parent)) parent.splice(k, 1);
      else delete parent[k];
      out.push(e);
      walk(v[k], [...path, k]);
    }
  };
  walk(ev, []);
  return out;
}

/** Claims whose event is the analysis's own answer (a witness or an example), not one of the oracle's events. */
const ANSWERS = /^(example_fires|example_fail$|example_vendor_shape|example_base_fires|diff_(gained|lost)_witness|answer_survives_json)/;

function shrink(r) {
  if (r.claim.startsWith("overlapping_delivery") || r.claim === "throws_only_hookmatch_error") return r;
  const answer = ANSWERS.test(r.claim);
  let spec = parseRaw(r.spec), spec2 = r.spec2 === undefined ? undefined : parseRaw(r.spec2), event = answer ? undefined : r.event;
  const holds = (s, s2, e) => refutedBy(r, s, s2, e).some((x) => x.claim === r.claim);
  if (!holds(spec, spec2, event)) return r;
  for (let budget = 200, progress = true; progress && budget > 0; budget--) {
    progress = false;
    for (const s of specCandidates(spec)) if (holds(s, spec2, event)) { spec = s; progress = true; break; }
    if (progress) continue;
    if (spec2) for (const s of specCandidates(spec2)) if (holds(spec, s, event)) { spec2 = s; progress = true; break; }
    if (progress || !event) continue;
    // Only events that keep the vendor's shape (the keys the vendor always sends), so the shrunk case is still an event the claim is about.
    for (const e of eventCandidates(parseRaw(event))) {
      if (shapeProblems(r.dialect, spec, plain(e)).length) continue;
      const t = toText(e);
      if (holds(spec, spec2, t)) { event = t; progress = true; break; }
    }
  }
  const last = refutedBy(r, spec, spec2, event).find((x) => x.claim === r.claim);
  return { ...r, ...last, spec: toText(spec), ...(spec2 ? { spec2: toText(spec2) } : {}), ...(event ? { event } : {}), shrunk: true };
}

// ---------------------------------------------------------------------------
// The run.

function eventsFor(rng, dialect, spec, context, n) {
  const out = new Set();
  for (let i = 0; i < n; i++) out.add(toText(genEvent(rng, dialect, spec, context)));
  // The analysis's own examples of the edits are events too (checked like any other).
  for (const s of context) {
    try {
      const sub = Subscription.compile(toText(s));
      const ex = sub.example();
      if (ex) out.add(toText(ex));
      sub.free();
    } catch {}
  }
  return [...out];
}

function readSeeds() {
  try {
    return JSON.parse(readFileSync(SEEDS_FILE, "utf8"));
  } catch {
    return [];
  }
}

const key = (r) => `${r.claim}|${r.spec}|${r.spec2 ?? ""}|${r.path ?? ""}`;

function summarize(list) {
  const byClass = new Map();
  for (const r of list) {
    const k = `${r.claim} (${r.dialect})`;
    if (!byClass.has(k)) byClass.set(k, { n: 0, first: r });
    byClass.get(k).n++;
  }
  return [...byClass].map(([k, { n, first }]) =>
    `${k}: ${n}\n    spec ${first.spec}${first.spec2 ? `\n    spec2 ${first.spec2}` : ""}${first.path ? `\n    path ${first.path}` : ""}${first.event ? `\n    event ${first.event.slice(0, 600)}${first.offShape ? ` (off the vendor's shape: ${first.offShape})` : ""}` : ""}\n    ${first.detail?.slice(0, 400) ?? ""}`,
  ).join("\n");
}

test("the analysis's claims survive an independent brute-force oracle", () => {
  const t0 = Date.now();
  const seeds = readSeeds();
  // Replay every recorded counterexample first, with its event among a few fresh ones.
  for (const [i, c] of seeds.entries()) {
    const rng = new Rng(SEED ^ (i * 7919));
    // parseRaw keeps numbers as written (5e1, 9007199254740993), so a case replays exactly as recorded.
    const spec = parseRaw(c.spec);
    if (c.claim.startsWith("overlapping_delivery")) {
      const entries = JSON.parse(c.spec);
      const specs = entries.map((e) => parseRaw(e.spec));
      const events = [c.event, ...eventsFor(rng, c.dialect, specs[0], specs, 30)].filter(Boolean);
      checkSet(c.dialect, specs, events);
      continue;
    }
    const others = c.spec2 ? [parseRaw(c.spec2)] : [];
    const events = [...(c.event ? [c.event] : []), ...eventsFor(rng, c.dialect, spec, [spec, ...others], 40)];
    stats.events += events.length;
    if (c.spec2) checkDiff(c.dialect, spec, others[0], null, null, events);
    else checkSpec(c.dialect, spec, others, events, { diffs: 1 });
  }
  const replayed = refutations.length;

  const rng = new Rng(SEED);
  for (let i = 0; i < SPECS; i++) {
    const dialect = DIALECTS[i % DIALECTS.length];
    const spec = genSpec(rng, dialect);
    const edits = mutants(rng, spec, dialect).map((m) => m.spec);
    const picked = rng.some(edits, 1, 2);
    const events = eventsFor(rng, dialect, spec, [spec, ...picked], EVENTS);
    stats.events += events.length;
    checkSpec(dialect, spec, picked, events);
    if (i % 5 === 0) checkSet(dialect, [spec, ...edits.slice(0, 3)], events);
    const pair = filterPair(rng, spec, dialect);
    if (pair) {
      const pe = eventsFor(rng, dialect, pair[0], pair, EVENTS / 2);
      stats.events += pe.length;
      checkDiff(dialect, pair[0], pair[1], null, null, pe);
    }
  }

  const fresh = refutations.slice(replayed);
  const known = new Set(seeds.map(key));
  const novel = [];
  // At most three cases per class in the file (each class replays on every run), the first one shrunk.
  const perClass = new Map();
  for (const c of seeds) perClass.set(`${c.claim}|${c.dialect}`, (perClass.get(`${c.claim}|${c.dialect}`) ?? 0) + 1);
  for (const r of fresh) {
    if (known.has(key(r))) continue;
    known.add(key(r));
    const k = `${r.claim}|${r.dialect}`;
    perClass.set(k, (perClass.get(k) ?? 0) + 1);
    if (perClass.get(k) <= 3) novel.push({ ...(SHRINK && perClass.get(k) === 1 ? shrink(r) : r), date: new Date().toISOString().slice(0, 10), seed: SEED });
  }
  if (process.env.ORACLE_DUMP) writeFileSync(process.env.ORACLE_DUMP, JSON.stringify(refutations));
  if (RECORD && novel.length) writeFileSync(SEEDS_FILE, JSON.stringify([...seeds, ...novel], null, 1) + "\n");

  // ORACLE_REPORT=1: the first refutation of every class of this run, shrunk (for people fixing the analysis).
  if (process.env.ORACLE_REPORT === "1") {
    const firsts = new Map();
    for (const r of fresh) if (!firsts.has(`${r.claim}|${r.dialect}`)) firsts.set(`${r.claim}|${r.dialect}`, r);
    for (const r0 of firsts.values()) {
      const r = shrink(r0);
      console.log(`class ${r.claim} (${r.dialect})${r.path ? ` at ${r.path}` : ""}${r.shrunk ? "" : " [not shrunk]"}\n  spec  ${r.spec}${r.spec2 ? `\n  spec2 ${r.spec2}` : ""}${r.event ? `\n  event ${r.event}` : ""}\n  ${r.detail}${r.offShape ? ` [event off the vendor's shape: ${r.offShape}]` : ""}`);
    }
  }
  if (SHRINK) for (const r of novel.filter((x) => x.shrunk)) console.log(`shrunk ${r.claim} (${r.dialect})${r.path ? ` at ${r.path}` : ""}\n  spec  ${r.spec}${r.spec2 ? `\n  spec2 ${r.spec2}` : ""}${r.event ? `\n  event ${r.event}` : ""}\n  ${r.detail}`);
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(
    `oracle: seed ${SEED}; ${stats.specs} specs (+${stats.invalid} invalid), ${stats.events} events, ${stats.claims} claims checked, ` +
      `${stats.refuted} refuted (${replayed} in ${seeds.length} replayed counterexamples, ${novel.length} new recorded${RECORD ? "" : " — ORACLE_RECORD=1 writes them"}); ` +
      `analysis_incomplete ${stats.incomplete}, diff unknown ${stats.unknown}, overlapping pairs named through a third member ${stats.unnamedPairs}, ` +
      `example({fail}) null where only an event failing other filters too exists ${stats.failNullDocs}; ${secs} s`,
  );
  console.log(`oracle: findings checked: ${Object.entries(kinds).sort().map(([k, n]) => `${k} ${n}`).join(", ")}`);
  assert.equal(refutations.length, 0, `refuted claims:\n${summarize(refutations)}`);
});
