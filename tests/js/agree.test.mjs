// Native and wasm agree: the fixture corpus plus 10,000 generated events go
// through native Rust (examples/explain.rs) and through the package in Node;
// the explanations' JSON must be the same bytes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { rng } from "../../bench/data.mjs";
import { Subscription } from "hookmatch";
import { DIALECTS, tableIn, specText, eventText, options } from "./helpers.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));

const pick = (r, xs) => xs[Math.floor(r() * xs.length)];

function generated(r) {
  const values = [null, true, false, 0, 1, 2.5, -3, "CUR", "PLN", "x", "", "100", "2022-12-11T16:00:00.000-0800", "2022-12-12T00:00:00Z", ["a", "b"], ["CUR"], { k: "v" }];
  const state = () => {
    const s = { objCode: pick(r, ["PROJ", "TASK"]), ID: pick(r, ["id1", "id2"]) };
    for (const f of ["status", "priority", "name", "tags", "d"]) if (r() < 0.8) s[f] = pick(r, values);
    if (r() < 0.3) s.parameterValues = { "DE:x": pick(r, values) };
    return s;
  };
  const e = { eventType: pick(r, ["UPDATE", "CREATE", "DELETE"]), newState: state(), oldState: state() };
  if (r() < 0.05) delete e.newState;
  if (r() < 0.02) return "{broken";
  return JSON.stringify(e);
}

const GENERATED_SPECS = [
  { objCode: "PROJ", eventType: "UPDATE", url: "https://h.example.com", authToken: "t", filters: [{ fieldName: "status", fieldValue: "CUR" }, { fieldName: "priority", fieldValue: "1", comparison: "gte" }, { fieldName: "name", comparison: "changed" }], filterConnector: "OR" },
  { objCode: "TASK", eventType: "UPDATE", url: "https://h.example.com", authToken: "t", filters: [{ fieldName: "tags", fieldValue: ["a", "b"], comparison: "containsOnly" }, { type: "group", connector: "AND", filters: [{ fieldName: "d", fieldValue: "2022-12-11T20:00:00-04:00", comparison: "lte" }, { fieldName: "DE:x", fieldValue: "x", comparison: "notContains" }] }] },
  { objCode: "PROJ", eventType: "DELETE", url: "https://h.example.com", authToken: "t", filters: [{ fieldName: "status", fieldValue: "CUR", state: "oldState", comparison: "ne" }, { fieldName: "parameterValues", fieldValue: { "DE:x": "CUR" } }] },
];

test("explanations are byte-identical natively and in wasm (fixtures + 10,000 generated events)", () => {
  const cases = [];
  for (const dialect of DIALECTS) {
    for (const c of tableIn(dialect, "cases.json")) {
      // Every fixture spec is detected as its folder's dialect on both sides.
      assert.equal(Subscription.compile(specText(c, dialect), options(c, dialect)).dialect, Subscription.compile(specText(c, dialect)).dialect);
      cases.push({ spec: JSON.parse(specText(c, dialect)), event: eventText(c, dialect) });
    }
  }
  const r = rng(2024);
  for (let i = 0; i < 10000; i++) cases.push({ spec: GENERATED_SPECS[i % GENERATED_SPECS.length], event: generated(r) });
  const input = cases.map((c) => JSON.stringify(c)).join("\n") + "\n";
  const native = spawnSync("cargo", ["run", "-q", "--example", "explain"], { cwd: root, input, encoding: "utf8", maxBuffer: 1 << 30 });
  assert.equal(native.status, 0, native.stderr);
  const nativeLines = native.stdout.trimEnd().split("\n");
  assert.equal(nativeLines.length, cases.length);
  const subs = new Map();
  let mismatches = 0;
  cases.forEach((c, i) => {
    const key = JSON.stringify(c.spec);
    if (!subs.has(key)) subs.set(key, Subscription.compile(key));
    let answer;
    try {
      answer = JSON.stringify(subs.get(key).explain(c.event));
    } catch (e) {
      answer = JSON.stringify({ error: e.code });
    }
    if (answer !== nativeLines[i]) {
      mismatches++;
      if (mismatches < 3) assert.equal(answer, nativeLines[i], `case ${i}: ${c.event.slice(0, 120)}`);
    }
  });
  assert.equal(mismatches, 0);
});
