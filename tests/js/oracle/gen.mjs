// The oracle's own generators: a seeded PRNG, specs of the five dialects and
// events of each vendor's shape. Nothing here is taken from the analysis: the
// values an event carries are drawn from the whole JSON space (every type,
// the double range, other spellings of numbers, instants in other offsets,
// strings that glue several constants together, arrays mixing types), biased
// towards the spec's constants only so that boundaries are hit often.

/** mulberry32: small, fast and good enough to drive a generator; the seed makes every run repeatable. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  constructor(seed) {
    this.next = mulberry32(seed);
  }
  int(n) {
    return Math.floor(this.next() * n);
  }
  range(lo, hi) {
    return lo + this.int(hi - lo + 1);
  }
  chance(p) {
    return this.next() < p;
  }
  pick(a) {
    return a[this.int(a.length)];
  }
  /** A few distinct elements of `a`, in random order. */
  some(a, lo, hi) {
    const copy = a.slice();
    const n = Math.min(copy.length, this.range(lo, hi));
    const out = [];
    for (let i = 0; i < n; i++) out.push(copy.splice(this.int(copy.length), 1)[0]);
    return out;
  }
}

/**
 * A number written as given in JSON text ("5e1", "-0", "50.0",
 * "9007199254740993"): JSON.stringify cannot spell these, and the contract's
 * claims cover every spelling.
 */
export class Raw {
  constructor(text) {
    this.text = text;
  }
}

/** JSON text of a value that may hold Raw numbers. */
export function toText(v) {
  if (v instanceof Raw) return v.text;
  if (Array.isArray(v)) return "[" + v.map(toText).join(",") + "]";
  if (v && typeof v === "object") {
    return "{" + Object.entries(v).map(([k, x]) => JSON.stringify(k) + ":" + toText(x)).join(",") + "}";
  }
  if (typeof v === "number" && Object.is(v, -0)) return "-0";
  const t = JSON.stringify(v);
  return t === undefined ? "null" : t;
}

/** The value as JSON.parse would read it (Raw numbers become numbers). */
export const plain = (v) => JSON.parse(toText(v));

// ---------------------------------------------------------------------------
// Constants a spec compares with.

const STRINGS = ["CUR", "CPL", "again", "also", "a", "ga", "in", "", "x y", "ü", "CUR~", "!CUR", "~", "Launch", "task", "story", "milestone"];
const NUMERIC_TEXT = ["50", "50.0", "5e1", "0050", "-0", "1e21", "1E21", "0.1", "2", "1", "-5", " 50", "0x32", "Infinity", "NaN", "1e400", "9007199254740993"];
const NUMBERS = [0, -0, 50, 50.5, 1e21, -1e21, 1.7976931348623157e308, 5e-324, 2, 1, 0.1, -5, 9007199254740992, 123456789012345680000];
const RAW_NUMBERS = ["5e1", "50.0", "-0", "1E21", "9007199254740993", "0.30000000000000004", "1e-7"];
const BOOLS = [true, false, "true", "false", "TRUE"];
const ARRAYS = [[], ["a"], ["a", "b"], ["b", "a"], [1, "1"], [false], [null], [["a"]], ["CUR", "CPL"], ["again", "also"], [50, "50"]];
export const INSTANTS = [
  "2022-12-11T06:30:00.000+0530",
  "2022-12-11T01:00:00.000Z",
  "2022-12-11",
  "2022-12-10T17:00:00-08:00",
  "2022-12-11T16:00:00.000-0800",
  "2017-10-06T13:48:56.980-0600",
  "2022-12-11T00:00:00Z",
];
const OBJECTS = [{ "DE: x": "y" }, { a: { b: 1 } }, {}, { a: 1, b: "2" }];

/** A constant of any type, biased by the comparison that uses it. */
export function constant(rng, comparison) {
  const kinds = {
    gt: ["num", "numtext", "instant", "instant", "raw", "string", "bool", "null"],
    contains: ["string", "string", "array", "num", "bool", "numtext", "instant", "null", "object"],
    containsOnly: ["array", "array", "string", "num", "bool"],
    eq: ["string", "num", "numtext", "raw", "bool", "null", "array", "instant", "object"],
  };
  const k = rng.pick(kinds[comparison] ?? kinds[{ gte: "gt", lt: "gt", lte: "gt", notContains: "contains", ne: "eq" }[comparison] ?? "eq"]);
  switch (k) {
    case "string": return rng.pick(STRINGS);
    case "numtext": return rng.pick(NUMERIC_TEXT);
    case "num": return rng.pick(NUMBERS);
    case "raw": return new Raw(rng.pick(RAW_NUMBERS));
    case "bool": return rng.pick(BOOLS);
    case "null": return null;
    case "array": return rng.pick(ARRAYS).slice();
    case "instant": return rng.pick(INSTANTS);
    default: return structuredClone(rng.pick(OBJECTS));
  }
}

// ---------------------------------------------------------------------------
// Specs.

export const DIALECTS = ["workfront", "asana", "kanboard", "rservice", "ricloud"];
const COMPARISONS = ["eq", "ne", "gt", "gte", "lt", "lte", "contains", "notContains", "containsOnly", "changed"];
const FIELDS = ["status", "name", "priority", "tags", "plannedCompletionDate", "DE:Budget", "/data/x", "isReady", "percentComplete", "title"];
export const KANBOARD_EVENTS = [
  "task.create", "task.update", "task.close", "task.open", "task.move.column", "task.move.project", "task.move.position",
  "task.move.swimlane", "task.assignee_change", "subtask.create", "subtask.update", "subtask.delete", "comment.create",
  "comment.update", "comment.delete", "task.file.create", "task.file.destroy", "task_internal_link.create_update",
  "task_internal_link.delete",
];
export const RSERVICE_EVENTS = ["problem.update", "request.team-changed", "request.create", "task.update", "person.create", "time_entry.delete"];
const OBJCODES = ["PROJ", "TASK", "OPTASK", "RECORD", "WORKSPACE"];
const ASANA_TYPES = ["task", "story", "project", "section", "attachment", "user"];
const ASANA_SUBTYPES = ["milestone", "default_task", "comment_added", "section", "approval"];
export const ASANA_ACTIONS = ["changed", "added", "removed", "deleted", "undeleted"];
const ASANA_FIELDS = ["due_on", "completed", "name", "assignee", "notes"];

function filter(rng, fields, allowOld, allowChanged) {
  let comparison = rng.pick(COMPARISONS);
  if (comparison === "changed" && !allowChanged) comparison = "eq";
  const f = { fieldName: rng.pick(fields) };
  if (comparison !== "changed" || rng.chance(0.1)) f.fieldValue = constant(rng, comparison);
  if (comparison !== "eq" || rng.chance(0.3)) f.comparison = comparison;
  if (allowOld && rng.chance(0.25)) f.state = "oldState";
  else if (rng.chance(0.1)) f.state = "newState";
  return f;
}

/** Workfront-style filters (Workfront, and hookmatch's receiver-side filters of the other three). */
function filterList(rng, o) {
  const fields = rng.some(FIELDS, 1, 3);
  const out = [];
  const n = rng.range(0, 4);
  let groups = 0;
  for (let i = 0; i < n; i++) {
    if (rng.chance(0.25) && groups < 10) {
      groups++;
      const g = { type: "group", connector: rng.pick(["AND", "OR"]), filters: [] };
      const m = rng.range(2, rng.chance(0.2) ? 5 : 3);
      for (let j = 0; j < m; j++) g.filters.push(filter(rng, fields, o.old, o.changed));
      out.push(g);
    } else {
      out.push(filter(rng, fields, o.old, o.changed));
    }
  }
  // A repeated filter now and then (duplicate_filter, redundant_filter).
  if (out.length && rng.chance(0.15)) out.push(structuredClone(rng.pick(out)));
  return out;
}

function withFilters(rng, spec, o) {
  if (rng.chance(0.15)) return spec;
  spec.filters = filterList(rng, o);
  if (rng.chance(0.5)) spec.filterConnector = rng.pick(["AND", "OR"]);
  return spec;
}

export function genSpec(rng, dialect) {
  switch (dialect) {
    case "workfront": {
      const eventType = rng.pick(["CREATE", "UPDATE", "UPDATE", "DELETE"]);
      const spec = { objCode: rng.pick(OBJCODES), eventType, url: "https://hooks.example.com/wf", authToken: "oracle-token" };
      if (rng.chance(0.15)) spec.objId = rng.pick(["59d7ddf7000002322d791eb08bafddfb", "abc"]);
      return withFilters(rng, spec, { old: eventType !== "CREATE", changed: eventType === "UPDATE" || rng.chance(0.1) });
    }
    case "asana": {
      const spec = { resource: "8675309", target: "https://hooks.example.com/asana" };
      if (rng.chance(0.15)) return spec;
      spec.filters = [];
      const n = rng.range(1, 4);
      for (let i = 0; i < n; i++) {
        const f = {};
        if (rng.chance(0.85)) f.resource_type = rng.pick(ASANA_TYPES.slice(0, 3));
        if (rng.chance(0.3)) f.resource_subtype = rng.pick(ASANA_SUBTYPES);
        if (rng.chance(0.6)) f.action = rng.pick(ASANA_ACTIONS);
        if (f.action === "changed" && rng.chance(0.5)) f.fields = rng.some(ASANA_FIELDS, 1, 3);
        spec.filters.push(f);
      }
      if (rng.chance(0.15)) spec.filters.push(structuredClone(rng.pick(spec.filters)));
      return spec;
    }
    case "kanboard": {
      const spec = { url: "https://hooks.example.com/kanboard", token: "oracle-token" };
      if (rng.chance(0.7)) spec.events = rng.some(KANBOARD_EVENTS, 1, 4);
      return withFilters(rng, spec, { old: true, changed: true });
    }
    case "rservice": {
      const spec = { event: rng.pick(RSERVICE_EVENTS), uri: "https://hooks.example.com/rservice" };
      if (rng.chance(0.1)) spec.disabled = rng.pick([true, false, "true", "false"]);
      return withFilters(rng, spec, { old: false, changed: false });
    }
    default: {
      const spec = { url: "https://hooks.example.com/ricloud" };
      spec.state = rng.chance(0.8) ? "valid" : rng.pick(["new", "invalid", "deactivated"]);
      if (rng.chance(0.5)) spec.secret = "oracle-secret";
      return withFilters(rng, spec, { old: false, changed: false });
    }
  }
}

/** Every Workfront-style filter of a spec, with its pointer. */
export function filtersOf(spec) {
  const out = [];
  (spec.filters ?? []).forEach((f, i) => {
    if (f && f.type === "group") (f.filters ?? []).forEach((g, j) => out.push({ path: `/filters/${i}/filters/${j}`, f: g }));
    else out.push({ path: `/filters/${i}`, f });
  });
  return out;
}

const NEAR_COMPARISONS = { eq: ["ne", "notContains", "contains", "containsOnly", "gte"], ne: ["eq", "notContains"], gt: ["lte", "gte", "ne"], gte: ["lt", "gt", "eq"], lt: ["gte", "lte", "ne"], lte: ["gt", "lt", "eq"], contains: ["notContains", "eq", "containsOnly"], notContains: ["contains", "ne", "eq"], containsOnly: ["contains", "eq", "notContains"], changed: ["eq", "ne"] };

/**
 * One filter of `spec` alone, and the same filter with a neighbouring
 * comparison (eq and notContains of one instant, gt and lte of one number):
 * the pair diff relates most sharply. Null when the spec has no filter.
 */
export function filterPair(rng, spec, dialect) {
  if (dialect === "asana") return null;
  const fs = filtersOf(spec).filter((x) => x.f && typeof x.f === "object" && "fieldValue" in x.f);
  if (!fs.length) return null;
  const f = plainClone(rng.pick(fs).f);
  const g = plainClone(f);
  g.comparison = rng.pick(NEAR_COMPARISONS[f.comparison ?? "eq"]);
  const a = plainClone(spec), b = plainClone(spec);
  a.filters = [f];
  b.filters = [g];
  delete a.filterConnector;
  delete b.filterConnector;
  return [a, b];
}

/** Edits of a spec for diff: one filter changed, one dropped, one added, the connector flipped, no filters. */
export function mutants(rng, spec, dialect) {
  const out = [];
  const clone = () => plainClone(spec);
  out.push({ what: "no filters", spec: (() => { const s = clone(); delete s.filters; delete s.filterConnector; return s; })() });
  const fs = spec.filters ?? [];
  if (dialect === "asana") {
    if (fs.length) {
      const s = clone();
      const f = s.filters[rng.int(s.filters.length)];
      const key = rng.pick(["resource_type", "resource_subtype", "action", "fields"]);
      if (key === "fields") { if (f.action === "changed") f.fields = rng.some(ASANA_FIELDS, 1, 3); else delete f.fields; }
      else if (key === "action") { f.action = rng.pick(ASANA_ACTIONS); if (f.action !== "changed") delete f.fields; }
      else if (f[key] !== undefined && rng.chance(0.4)) delete f[key];
      else f[key] = rng.pick(key === "resource_type" ? ASANA_TYPES : ASANA_SUBTYPES);
      if (Object.keys(f).length === 0) f.resource_type = "task";
      out.push({ what: "one filter changed", spec: s });
      const d = clone();
      d.filters.splice(rng.int(d.filters.length), 1);
      if (d.filters.length === 0) delete d.filters;
      out.push({ what: "one filter dropped", spec: d });
    }
    return out;
  }
  const all = filtersOf(spec);
  if (all.length) {
    const s = clone();
    const { path } = rng.pick(all);
    const target = path.split("/").slice(1).reduce((o, k) => o[k], s);
    const what = rng.pick(["value", "comparison", "state", "field"]);
    if (what === "value") target.fieldValue = constant(rng, target.comparison ?? "eq");
    else if (what === "comparison") {
      // Mostly a neighbouring comparison on the same value (eq/notContains, gt/lte, …), where relations are subtle.
      target.comparison = rng.chance(0.7) ? rng.pick(NEAR_COMPARISONS[target.comparison ?? "eq"]) : rng.pick(COMPARISONS.filter((c) => c !== "changed"));
    }
    else if (what === "state") target.state = target.state === "oldState" ? "newState" : "oldState";
    else target.fieldName = rng.pick(FIELDS);
    if (target.comparison !== "changed" && !("fieldValue" in target)) target.fieldValue = constant(rng, target.comparison ?? "eq");
    out.push({ what: `one filter's ${what} changed`, spec: s });
  }
  if (fs.length) {
    const d = clone();
    d.filters.splice(rng.int(d.filters.length), 1);
    out.push({ what: "one entry dropped", spec: d });
    const c = clone();
    c.filterConnector = (spec.filterConnector ?? "AND") === "AND" ? "OR" : "AND";
    out.push({ what: "connector flipped", spec: c });
  }
  const a = clone();
  a.filters = [...(a.filters ?? []), filter(rng, all.length ? all.map((x) => x.f.fieldName) : FIELDS, false, false)];
  out.push({ what: "one filter added", spec: a });
  return out;
}

/** A deep copy that keeps Raw numbers. */
export function plainClone(v) {
  if (v instanceof Raw) return new Raw(v.text);
  if (Array.isArray(v)) return v.map(plainClone);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainClone(x)]));
  return v;
}

// ---------------------------------------------------------------------------
// Values of the fields a spec reads.

/** Every constant of a spec (and of its edits), flattened: scalars, arrays, objects and their parts. */
export function constantsOf(specs) {
  const out = [];
  const add = (v) => {
    out.push(v);
    if (Array.isArray(v)) v.forEach(add);
    else if (v && typeof v === "object" && !(v instanceof Raw)) Object.values(v).forEach(add);
  };
  for (const s of specs) {
    for (const { f } of filtersOf(s)) if (f && "fieldValue" in f) add(f.fieldValue);
    for (const f of s.filters ?? []) {
      if (f && f.resource_type !== undefined) add(f.resource_type);
      if (f && f.resource_subtype !== undefined) add(f.resource_subtype);
      if (f && f.fields) f.fields.forEach(add);
    }
  }
  return out;
}

/** Parse an ISO date or date-time (our own reading: date-only is midnight UTC); null if not one. */
export function parseInstant(s) {
  if (typeof s !== "string") return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
  if (!m) return null;
  let ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), m[7] ? Math.floor(+("0." + m[7]) * 1000) : 0);
  if (m[8] && m[8] !== "Z") {
    const sign = m[8][0] === "-" ? -1 : 1;
    const d = m[8].slice(1).replace(":", "");
    ms -= sign * (+d.slice(0, 2) * 60 + +d.slice(2)) * 60000;
  }
  return ms;
}

const pad = (n, w = 2) => String(Math.abs(n)).padStart(w, "0");

/** The instant `ms` written with offset `minutes` in one of the forms vendors send. */
export function writeInstant(ms, minutes, form) {
  const d = new Date(ms + minutes * 60000);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  if (form === "date") return date;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const frac = form === "nofrac" ? "" : "." + pad(d.getUTCMilliseconds(), 3);
  if (minutes === 0 && form !== "colon" && form !== "compact") return `${date}T${time}${frac}Z`;
  const sign = minutes < 0 ? "-" : "+";
  const off = `${pad(Math.trunc(Math.abs(minutes) / 60))}${form === "compact" ? "" : ":"}${pad(Math.abs(minutes) % 60)}`;
  return `${date}T${time}${frac}${sign}${off}`;
}

const OFFSETS = [0, 330, -480, -360, 60, 840, -720];

function instantNear(rng, ms) {
  // The same instant in another offset or form half the time: equality across spellings is where analyses slip.
  const delta = rng.chance(0.5) ? 0 : rng.pick([1, -1, 1000, -86400000, 86400000, 60000, -60000, 19800000]);
  return writeInstant(ms + delta, rng.pick(OFFSETS), rng.pick(["frac", "nofrac", "colon", "compact", "date"]));
}

/** Numbers from the whole double range. */
function anyNumber(rng) {
  switch (rng.int(6)) {
    case 0: return rng.pick([0, -0, 5e-324, -5e-324, 1.7976931348623157e308, -1.7976931348623157e308, 2 ** 53, 2 ** 53 + 2, 1e21, 1e-7]);
    case 1: return rng.range(-100, 100);
    case 2: return (rng.next() - 0.5) * 10 ** rng.range(-10, 25);
    case 3: return Number(`${rng.chance(0.5) ? "-" : ""}${(1 + rng.next() * 9).toFixed(rng.int(16))}e${rng.range(-323, 308)}`);
    default: return rng.range(0, 3) + rng.pick([0, 0.5, 0.25, 0.1]);
  }
}

/** Other spellings of a number, as JSON number text. */
function numberSpelling(rng, n) {
  if (!Number.isFinite(n)) return null;
  if (Object.is(n, -0)) return new Raw(rng.pick(["-0", "-0.0", "-0e0"]));
  const s = String(n);
  const opts = [s];
  if (Number.isInteger(n) && Math.abs(n) < 1e21) opts.push(s + ".0", s + "e0", n.toExponential().replace("+", ""), n.toExponential().toUpperCase());
  else opts.push(n.toExponential(), n.toExponential().replace("e+", "E"));
  const t = rng.pick(opts);
  return JSON.parse(t) === n ? new Raw(t) : n;
}

/** Text spellings of a number ("50", "50.0", "5e1", " 50"). */
function numericText(rng, n) {
  if (!Number.isFinite(n)) return String(n);
  return rng.pick([String(n), Number.isInteger(n) ? `${n}.0` : String(n), n.toExponential(), n.toExponential().replace("e+", "e"), `+${n}`, `0${n}`, ` ${n}`]);
}

/** A value derived from one constant: itself, a neighbour, another spelling, another type. */
function near(rng, c) {
  if (c instanceof Raw) c = JSON.parse(c.text);
  if (typeof c === "number") {
    switch (rng.int(7)) {
      case 0: return numberSpelling(rng, c);
      case 1: return numericText(rng, c);
      case 2: return c + rng.pick([1, -1, 0.5, -0.5]) * (c === 0 ? 1 : Math.max(Math.abs(c) * 1e-15, 1e-300));
      case 3: return c * rng.pick([2, 0.5, -1, 1.0000000000000002]);
      case 4: return [c];
      case 5: return c + rng.pick([1, -1, 0.25]);
      default: return c;
    }
  }
  if (typeof c === "string") {
    const ms = parseInstant(c);
    if (ms !== null && rng.chance(0.6)) return instantNear(rng, ms);
    const n = c.trim() === "" ? NaN : Number(c);
    if (Number.isFinite(n) && rng.chance(0.5)) return rng.chance(0.5) ? numberSpelling(rng, n) : numericText(rng, n);
    switch (rng.int(8)) {
      case 0: return c + rng.pick(["~", " ", "x", "\u0000"]);
      case 1: return rng.pick(["!", "", " ", "~", "A"]) + c;
      case 2: return c.slice(0, Math.max(0, c.length - 1));
      case 3: return c.toUpperCase() === c ? c.toLowerCase() : c.toUpperCase();
      case 4: return [c];
      case 5: return c === "true" ? true : c === "false" ? false : c;
      default: return c;
    }
  }
  if (typeof c === "boolean") return rng.pick([c, !c, String(c), [c], c ? 1 : 0]);
  if (c === null) return rng.pick([null, "null", [null], "", 0]);
  if (Array.isArray(c)) {
    const a = c.map(plainClone);
    switch (rng.int(7)) {
      case 0: return a.reverse();
      case 1: return [...a, ...a];
      case 2: return a.slice(1);
      case 3: return [...a, rng.pick(["z", 1, null, false])];
      case 4: return a.length === 1 ? a[0] : a;
      case 5: return a.map((x) => near(rng, x));
      default: return a;
    }
  }
  if (c && typeof c === "object") {
    const o = plainClone(c);
    switch (rng.int(4)) {
      case 0: o.extra = rng.pick([1, "x", null]); return o;
      case 1: { const k = Object.keys(o); if (k.length) o[rng.pick(k)] = near(rng, o[rng.pick(k)]); return o; }
      case 2: { const k = Object.keys(o); if (k.length) delete o[rng.pick(k)]; return o; }
      default: return o;
    }
  }
  return c;
}

function anyString(rng, consts) {
  const strs = consts.map((c) => (c instanceof Raw ? c.text : typeof c === "string" ? c : typeof c === "object" ? null : String(c))).filter((s) => s !== null);
  switch (rng.int(4)) {
    case 0: return rng.pick(STRINGS);
    case 1: return `s${rng.int(1000)}`;
    default: {
      // Several constants with random glue: "again also", "CURCPL", "x50y".
      const parts = [];
      const n = rng.range(1, 3);
      for (let i = 0; i < n; i++) parts.push(strs.length ? rng.pick(strs) : rng.pick(STRINGS));
      const glue = () => rng.pick(["", " ", "-", "x", "~", ","]);
      return (rng.chance(0.3) ? glue() : "") + parts.join(glue()) + (rng.chance(0.3) ? glue() : "");
    }
  }
}

/** A value of any type for a field that the spec compares with `consts`. */
export function value(rng, consts, depth = 0) {
  const r = rng.int(20);
  if (r < 7 && consts.length) return near(rng, rng.pick(consts));
  if (r < 9 && consts.length) return plainClone(rng.pick(consts));
  if (r < 12) return anyString(rng, consts);
  if (r < 14) return anyNumber(rng);
  if (r < 15) return rng.pick([true, false, null]);
  if (r < 16) return rng.pick(INSTANTS.map((s) => instantNear(rng, parseInstant(s))));
  if (r < 19 && depth < 2) {
    // Arrays mixing element types, the constants among them.
    const n = rng.range(0, 4);
    const a = [];
    for (let i = 0; i < n; i++) a.push(value(rng, consts, depth + 1));
    return a;
  }
  if (depth < 2) return { k: value(rng, consts, depth + 1), ...(consts.find((c) => c && typeof c === "object" && !Array.isArray(c) && !(c instanceof Raw)) ?? {}) };
  return null;
}

// ---------------------------------------------------------------------------
// Events.

/** Put `v` where a filter's fieldName reads it: a key, a custom field in parameterValues, or a JSON Pointer. */
function place(rng, state, fieldName, v, customHome) {
  if (fieldName.startsWith("/")) {
    const keys = fieldName.slice(1).split("/").map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"));
    let o = state;
    for (const k of keys.slice(0, -1)) {
      if (!o[k] || typeof o[k] !== "object" || Array.isArray(o[k])) o[k] = rng.chance(0.1) ? [] : {};
      o = o[k];
    }
    o[keys[keys.length - 1]] = v;
    return;
  }
  if (customHome && (fieldName.startsWith("DE:") ? rng.chance(0.7) : rng.chance(0.15))) {
    if (!state[customHome] || typeof state[customHome] !== "object") state[customHome] = {};
    state[customHome][fieldName] = v;
  } else {
    state[fieldName] = v;
  }
}

/** New and old values of every field the spec(s) read (absent now and then; the same in both states now and then). */
export function fieldPairs(rng, specs) {
  const consts = constantsOf(specs);
  const byField = new Map();
  for (const s of specs) for (const { f } of filtersOf(s)) if (f && typeof f.fieldName === "string") {
    if (!byField.has(f.fieldName)) byField.set(f.fieldName, []);
    if ("fieldValue" in f) byField.get(f.fieldName).push(f.fieldValue);
  }
  const out = [];
  for (const [field, own] of byField) {
    const pool = own.length && rng.chance(0.7) ? [...own, ...own.flatMap((c) => (Array.isArray(c) ? c : []))] : consts;
    const absentNew = rng.chance(0.1);
    const nv = absentNew ? undefined : value(rng, pool);
    let ov;
    const r = rng.next();
    if (r < 0.4) ov = nv === undefined ? undefined : plainClone(nv);
    else if (r < 0.5) ov = undefined;
    else ov = value(rng, pool);
    out.push({ field, nv, ov });
  }
  // A field no filter reads, so that "absent" and "extra key" both occur.
  if (rng.chance(0.3)) out.push({ field: "unrelated", nv: value(rng, consts), ov: undefined });
  return out;
}

/**
 * One step of a search: the same fields with one value redrawn (new, old, or
 * both; absent now and then), so a search can climb towards an event that
 * passes more checks.
 */
export function mutatePairs(rng, pairs, specs) {
  const out = pairs.map((p) => ({ ...p }));
  if (!out.length) return out;
  const p = out[rng.int(out.length)];
  const own = [];
  for (const s of specs) for (const { f } of filtersOf(s)) if (f && f.fieldName === p.field && "fieldValue" in f) own.push(f.fieldValue);
  const pool = own.length && rng.chance(0.8) ? [...own, ...own.flatMap((c) => (Array.isArray(c) ? c : []))] : constantsOf(specs);
  const draw = () => (rng.chance(0.08) ? undefined : value(rng, pool));
  const r = rng.next();
  if (r < 0.45) p.nv = draw();
  else if (r < 0.75) p.ov = draw();
  else {
    p.nv = draw();
    p.ov = p.nv === undefined || rng.chance(0.5) ? plainClone(p.nv) : draw();
  }
  return out;
}

const WF_ID = "59d7ddf7000002322d791eb08bafddfb";

/**
 * An event for `spec` (dialect `dialect`), with values for the fields that
 * every spec in `context` reads. Returned as a JS value that may hold Raw
 * numbers; toText() writes it.
 */
export function genEvent(rng, dialect, spec, context, given) {
  const pairs = given ?? fieldPairs(rng, context);
  const other = () => value(rng, constantsOf(context));
  switch (dialect) {
    case "workfront": {
      const types = context.map((s) => s.eventType).filter(Boolean);
      const eventType = rng.chance(0.85) ? rng.pick(types) : rng.pick(["CREATE", "UPDATE", "DELETE", "update", other()]);
      const objCode = rng.chance(0.85) ? rng.pick(context.map((s) => s.objCode)) : rng.pick(["PROJ", "TASK", "RECORD", "proj"]);
      const ids = context.map((s) => s.objId).filter((x) => typeof x === "string");
      const id = ids.length && rng.chance(0.8) ? rng.pick(ids) : rng.chance(0.5) ? WF_ID : "other";
      const base = () => {
        const s = { objCode, ID: id, name: "EventSub Test", status: "CUR", parameterValues: {} };
        if (["RECORD", "RECORD_TYPE", "WORKSPACE"].includes(objCode)) s.id = id;
        for (const k of ["name", "status"]) if (rng.chance(0.5)) delete s[k];
        return s;
      };
      const ns = base();
      const os = base();
      for (const { field, nv, ov } of pairs) {
        if (nv !== undefined) place(rng, ns, field, nv, "parameterValues");
        else delete ns[field];
        if (ov !== undefined) place(rng, os, field, ov, "parameterValues");
        else delete os[field];
      }
      const ev = { eventType, subscriptionId: "8a0d839d5ef32c9a015ef336a5ed0002", eventTime: { nano: 998000000, epochSecond: 1507319336 } };
      if (rng.chance(0.3)) Object.assign(ev, { eventVersion: "v2", subscriptionVersion: "v2" });
      // The vendor's shapes: a CREATE has an empty old state, a DELETE an empty new one.
      ev.newState = eventType === "DELETE" ? {} : ns;
      ev.oldState = eventType === "CREATE" ? {} : os;
      if (rng.chance(0.05)) ev.newState = Buffer.from(toText(ev.newState)).toString("base64");
      return ev;
    }
    case "asana": {
      const consts = constantsOf(context);
      const strs = consts.filter((c) => typeof c === "string");
      const pickStr = (pool) => {
        const r = rng.next();
        if (r < 0.6) return rng.pick(pool);
        if (r < 0.75 && strs.length) return rng.pick(strs);
        if (r < 0.85) return undefined;
        return value(rng, consts);
      };
      const action = pickStr(ASANA_ACTIONS);
      const resource = { gid: "1337" };
      const rt = pickStr(ASANA_TYPES);
      if (rt !== undefined) resource.resource_type = rt;
      const st = pickStr(ASANA_SUBTYPES);
      if (st !== undefined && rng.chance(0.7)) resource.resource_subtype = st;
      const ev = { user: { gid: "1516", resource_type: "user" }, created_at: "2018-03-05T21:59:04.526Z" };
      if (action !== undefined) ev.action = action;
      ev.resource = resource;
      ev.parent = rng.chance(0.5) ? null : { gid: "1", resource_type: rng.pick(ASANA_TYPES) };
      if (rng.chance(0.7)) {
        const ch = {};
        const fld = pickStr(ASANA_FIELDS);
        if (fld !== undefined) ch.field = fld;
        if (rng.chance(0.8)) ch.action = pickStr(ASANA_ACTIONS);
        if (rng.chance(0.5)) ch.new_value = other();
        ev.change = ch;
      }
      return rng.chance(0.3) ? { events: [ev] } : ev;
    }
    case "kanboard": {
      const names = context.flatMap((s) => s.events ?? []);
      const event_name = names.length && rng.chance(0.8) ? rng.pick(names) : rng.pick([...KANBOARD_EVENTS, "file.create", "task.user.mention", other()]);
      const data = { task_id: "1" };
      const home = rng.pick(["top", "task", "task", "own"]);
      const en = typeof event_name === "string" ? event_name : "";
      const own = en.startsWith("subtask") ? "subtask" : en.startsWith("comment") ? "comment" : en.startsWith("task.file") ? "file" : "task_link";
      const changes = {};
      if (home !== "top") data.task = { id: "1", title: "Demo", project_id: "1" };
      if (home === "own") data[own] = { id: "2" };
      for (const { field, nv, ov } of pairs) {
        const target = home === "top" || field.startsWith("/") ? data : home === "task" ? data.task : rng.chance(0.5) ? data[own] : data.task;
        if (nv !== undefined) place(rng, target, field, nv, null);
        // Kanboard sends only new values: a changed field is listed in changes.
        if (nv !== undefined && (ov === undefined || toText(ov) !== toText(nv)) && !field.startsWith("/")) changes[field] = plainClone(nv);
      }
      if (Object.keys(changes).length || rng.chance(0.3)) data.changes = changes;
      return { event_name, event_data: data };
    }
    case "rservice": {
      // The seed's {event, object_id, payload} or 4me's whole webhook contents (webhook_id, account, name, person_*).
      const ev = rng.chance(0.5) ? {} : { webhook_id: 2, account: "https://widget.example.com", name: "problem.update" };
      ev.event = rng.chance(0.85) ? rng.pick(context.map((s) => s.event)) : rng.pick([...RSERVICE_EVENTS, "problem.create", "webhook.verify", other()]);
      ev.object_id = rng.pick([2031, 12345, 7]);
      if (ev.webhook_id && rng.chance(0.5)) Object.assign(ev, { person_id: 6, person_name: "Howard Tanner" });
      const payload = { id: 2031 };
      for (const { field, nv } of pairs) if (nv !== undefined) place(rng, payload, field, nv, null);
      if (rng.chance(0.95)) ev.payload = payload;
      return ev;
    }
    default: {
      const ev = { id: "1f2e3d4c-0000-4000-8000-000000000002", type: rng.pick(["task", "webhook_config", "result"]), action: rng.pick(["succeeded", "test", "failed"]) };
      const data = { id: "c7d4a1f0" };
      for (const { field, nv } of pairs) if (nv !== undefined) place(rng, data, field, nv, null);
      ev.data = data;
      return ev;
    }
  }
}

/**
 * JSON.parse that keeps a number's spelling when it matters: a number whose
 * text is not what JSON.stringify would write for it ("5e1", "-0",
 * "9007199254740993") comes back as Raw, so a recorded spec or event replays
 * byte for byte.
 */
export function parseRaw(text) {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const value = () => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const o = {};
      ws();
      if (text[i] === "}") return i++, o;
      for (;;) {
        ws();
        const k = value();
        ws();
        i++; // ':'
        o[k] = value();
        ws();
        if (text[i++] === "}") return o;
      }
    }
    if (c === "[") {
      i++;
      const a = [];
      ws();
      if (text[i] === "]") return i++, a;
      for (;;) {
        a.push(value());
        ws();
        if (text[i++] === "]") return a;
      }
    }
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      const s = JSON.parse(text.slice(i, j + 1));
      i = j + 1;
      return s;
    }
    const m = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!m) throw new SyntaxError(`parseRaw: unexpected ${c} at ${i}`);
    i += m[0].length;
    const v = JSON.parse(m[0]);
    return typeof v === "number" && toText(v) !== m[0] ? new Raw(m[0]) : v;
  };
  return value();
}
