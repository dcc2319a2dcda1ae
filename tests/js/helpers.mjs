// Shared fixture loading for the JS tests: the same tables the native tests read.
import { readFileSync } from "node:fs";
import { dialects } from "hookmatch";

/** Every dialect of the registry (the package's own list, not a copy). */
export const DIALECTS = dialects().map((d) => d.name);
const fixtures = new URL("../fixtures/", import.meta.url);

export const readIn = (dialect, rel) => readFileSync(new URL(`${dialect}/${rel}`, fixtures), "utf8");
export const read = (rel) => readIn("workfront", rel);
export const tableIn = (dialect, name) => JSON.parse(readIn(dialect, name));
export const table = (name) => tableIn("workfront", name);
export const golden = () => JSON.parse(readFileSync(new URL("golden/deliveries.json", fixtures), "utf8"));

/** Placeholders for values too large to write in a table (as tests/fixtures.rs expands them). */
function expand(v) {
  if (v === "ELEVEN_GROUPS") {
    return Array.from({ length: 11 }, () => ({
      type: "group",
      connector: "OR",
      filters: [
        { fieldName: "a", fieldValue: 1 },
        { fieldName: "b", fieldValue: 2 },
      ],
    }));
  }
  if (typeof v === "string" && v.startsWith("LONG_")) return "x".repeat(Number(v.slice(5)));
  return v;
}

/** The spec text of a fixture case, with `with`/`without` applied as the native harness does. */
export function specText(c, dialect = "workfront") {
  if (c.spec_inline !== undefined) return JSON.stringify(c.spec_inline);
  const text = readIn(dialect, `specs/${c.spec}`);
  if (!c.with && !c.without) return text;
  const spec = JSON.parse(text);
  for (const [k, v] of Object.entries(c.with ?? {})) spec[k] = expand(v);
  for (const k of c.without ?? []) delete spec[k];
  return JSON.stringify(spec);
}

export function eventText(c, dialect = "workfront") {
  return c.event_inline !== undefined ? JSON.stringify(c.event_inline) : readIn(dialect, `events/${c.event}`);
}

export function options(c, dialect = "workfront") {
  const o = {};
  if (c.dialect) o.dialect = c.dialect;
  else if (c.spec) o.dialect = dialect;
  if (c.update) o.update = true;
  return Object.keys(o).length ? o : undefined;
}

/** Assert that fn throws a HookmatchError with this code (and path, when given). */
export function throwsHookmatch(assert, fn, code, path) {
  let caught;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught, `expected a HookmatchError ${code}`);
  assert.ok(caught instanceof Error, "thrown value is an Error");
  assert.equal(caught.name, "HookmatchError");
  assert.equal(caught.code, code, caught.message);
  if (path !== undefined) assert.equal(caught.path, path);
  return caught;
}
