// What the engines charge before any of hookmatch's code runs, beside the
// budget each of issue 22's bounds leaves (the plain JS's time over the
// bound's ratio):
//
//   node bench/floors.mjs [--runs 3]
//
// No hookmatch code is measured here. For each text case of `bench/ab.mjs`
// (the same events and the same hand-written JS), in Node and in headless
// Chromium, one process or page each, and for the set's event (its bound
// 2x a JS `Map` index of 10,200 members):
//
// - `js`: `JSON.parse` plus the hand-written predicate (for the set, the
//   index's lookup), the bound's yardstick;
// - `parse`: `JSON.parse` alone, what any design that reads the event in JS
//   pays (a JS scanner is slower than the engine's own parser);
// - `copy`: `TextEncoder.encodeInto` of the event into a view of a
//   WebAssembly memory, the fastest way found to hand a string to wasm
//   (docs/performance.md, "Measured and not taken", lists the others);
// - `read` (Chromium): wasm that reads every UTF-16 unit of the string
//   without the copy into linear memory, through the `wasm:js-string`
//   builtins, and sums them: one unit at a time (`charCodeAt`), or copied
//   into a wasm GC array at once (`intoCharCodeArray`) and read there (two
//   modules of a few instructions, assembled in floors-cases.mjs). The
//   least a module that validates the whole event does without the copy.
//
// Where the cheapest of the last three is at or above the budget, no design
// that reads all of the event (as a validating JSON reader must: a vendor
// refuses text that is not JSON), in JS or in wasm, meets the bound in that
// runtime; near it, what is left is too little to read the bytes in.
//
// It also times, in fresh Node processes, `await import()` of an empty
// module and of one that reads and compiles the browser's core wasm module,
// against the 10 ms start bound.
import { mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { execFileSync } from "node:child_process";
import { median } from "./cold.mjs";

const argv = process.argv.slice(2);
const runsAt = argv.indexOf("--runs");
const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 3;
const here = fileURLToPath(new URL(".", import.meta.url));

async function chromiumRows() {
  const { build } = await import("esbuild");
  const { pageResults } = await import("./page.mjs");
  const out = await mkdtemp(join(tmpdir(), "hookmatch-floors-"));
  const src = `import { measureFloors } from ${JSON.stringify(join(here, "floors-cases.mjs"))};
measureFloors().then((r) => { window.results = { ok: true, r }; }, (e) => { window.results = { ok: false, error: String((e && e.stack) || e) }; });\n`;
  await build({
    stdin: { contents: src, resolveDir: out }, bundle: true, format: "esm", platform: "browser",
    outfile: join(out, "floors.js"), logLevel: "error",
  });
  return pageResults(out, "floors.js", 300_000);
}

/** Medians over fresh processes of `await import()` of a module, from inside. */
function nodeImports(wasmPath, n = 15) {
  const dir = join(tmpdir(), "hookmatch-floors-node");
  mkdirSync(dir, { recursive: true });
  const files = {
    "an empty module": "export const x = 1;\n",
    "a module that reads and compiles the core wasm": `const fs = process.getBuiltinModule?.("node:fs") ?? (await import("node:fs"));\nexport const m = new WebAssembly.Module(fs.readFileSync(${JSON.stringify(wasmPath)}));\n`,
  };
  const times = Object.fromEntries(Object.keys(files).map((k) => [k, []]));
  for (const [i, [name, body]] of Object.entries(files).entries()) {
    const file = join(dir, `m${i}.mjs`);
    writeFileSync(file, body);
    files[name] = pathToFileURL(file).href;
  }
  for (let r = 0; r < n; r++) for (const [name, url] of Object.entries(files)) {
    const code = `const t0 = performance.now(); await import(${JSON.stringify(url)}); console.log(performance.now() - t0);`;
    times[name].push(Number(execFileSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8" })));
  }
  return Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, median(xs)]));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const runtimes = { node: [], chromium: [] };
  for (let r = 0; r < runs; r++) {
    runtimes.node.push(JSON.parse(execFileSync(process.execPath, ["-e", `import(${JSON.stringify(pathToFileURL(join(here, "floors-cases.mjs")).href)}).then(async (m) => console.log(JSON.stringify(await m.measureFloors())))`], { encoding: "utf8" })));
    runtimes.chromium.push(await chromiumRows());
  }
  console.log(`Floors (medians of ${runs} runs; ns a call; budget = js / bound, what hookmatch's whole call may take)`);
  console.log("| runtime | case | bound | js | budget | parse | copy (encodeInto) | read (charCodeAt) | read (intoCharCodeArray) | cheapest / budget |");
  console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const [runtime, all] of Object.entries(runtimes)) {
    all[0].forEach((row, j) => {
      const m = (k) => (all[0][j][k] === undefined ? undefined : median(all.map((r) => r[j][k])));
      const budget = m("js") / row.bound;
      const cheapest = Math.min(m("parse"), m("copy"), m("read:charCodeAt") ?? Infinity, m("read:array") ?? Infinity);
      const f = (x) => (x === undefined ? "n/a" : Math.round(x).toLocaleString("en-US"));
      console.log(`| ${runtime} | ${row.case} | ${row.bound}× | ${f(m("js"))} | ${f(budget)} | ${f(m("parse"))} | ${f(m("copy"))} | ${f(m("read:charCodeAt"))} | ${f(m("read:array"))} | ${(cheapest / budget).toFixed(2)} |`);
    });
  }
  const wasm = join(here, "..", "node_modules", "hookmatch", "hookmatch_core_bg.wasm");
  const starts = nodeImports(wasm);
  console.log("\nNode, fresh processes (medians of 15), `await import()` → done, against the 10 ms start bound:");
  for (const [k, v] of Object.entries(starts)) console.log(`- ${k}: ${v.toFixed(2)} ms`);
}
