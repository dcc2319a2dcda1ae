// Shared fixture loading for the JS tests: the same tables the native tests read.
import { readFileSync } from "node:fs";

const root = new URL("../fixtures/workfront/", import.meta.url);

export const read = (rel) => readFileSync(new URL(rel, root), "utf8");
export const table = (name) => JSON.parse(read(name));

/** The spec text of a fixture case, with `with`/`without` applied as the native harness does. */
export function specText(c) {
  if (c.spec_inline !== undefined) return JSON.stringify(c.spec_inline);
  const text = read(`specs/${c.spec}`);
  if (!c.with && !c.without) return text;
  const spec = JSON.parse(text);
  for (const [k, v] of Object.entries(c.with ?? {})) {
    spec[k] =
      v === "ELEVEN_GROUPS"
        ? Array.from({ length: 11 }, () => ({
            type: "group",
            connector: "OR",
            filters: [
              { fieldName: "a", fieldValue: 1 },
              { fieldName: "b", fieldValue: 2 },
            ],
          }))
        : v;
  }
  for (const k of c.without ?? []) delete spec[k];
  return JSON.stringify(spec);
}

export function options(c) {
  if (c.dialect) return { dialect: c.dialect };
  if (c.spec) return { dialect: "workfront" };
  return undefined;
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
