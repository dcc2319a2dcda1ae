// `make bench`: the same cases in Node and in headless Chromium (Debian's,
// through playwright-core), side by side in one run. Prints a table of
// medians and ratios and writes the raw rows to bench/results/.
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { readdirSync } from "node:fs";
import { createHash } from "node:crypto";
import os from "node:os";
import { gzipSync } from "node:zlib";
import { mkdtemp, copyFile as cp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { build } from "esbuild";
import { launch } from "../tests/browser/chromium.mjs";
import { serveDir } from "../tests/runtimes/static.mjs";
import { run as runNode, runEngine, runAnalysis } from "./node.mjs";
import { previousRun, sideBySide } from "./side.mjs";
import { measureCold, median } from "./cold.mjs";

const root = new URL("..", import.meta.url).pathname;

async function runChromium() {
  const dir = await mkdtemp(join(tmpdir(), "hookmatch-bench-"));
  await build({ entryPoints: [join(root, "bench/page-entry.js")], bundle: true, format: "esm", platform: "browser", outfile: join(dir, "bench.js"), logLevel: "warning" });
  await cp(join(root, "pkg/hookmatch_bg.wasm"), join(dir, "hookmatch_bg.wasm"));
  // The browser entry's module (no analysis), which these pages load.
  await cp(join(root, "pkg/hookmatch_core_bg.wasm"), join(dir, "hookmatch_core_bg.wasm"));
  await writeFile(join(dir, "index.html"), '<!doctype html><meta charset="utf-8"><script type="module" src="./bench.js"></script>');
  const server = await serveDir(dir);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const base = `http://127.0.0.1:${server.address().port}`;
    await page.goto(`${base}/index.html`);
    await page.waitForFunction(() => window.results !== undefined, null, { timeout: 900_000, polling: 1000 });
    const results = await page.evaluate(() => window.results);
    if (!results.ok) throw new Error(results.error);
    return { version: browser.version(), rows: results.base64, engine: results.engine };
  } finally {
    await browser.close();
    server.close();
  }
}

const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
function table(title, rows, baseline) {
  const lines = [`### ${title}`, "", "| implementation | size | encode MB/s | decode MB/s | encode vs " + baseline + " | decode vs " + baseline + " |", "| --- | --- | ---: | ---: | ---: | ---: |"];
  for (const size of [...new Set(rows.map((r) => r.size))]) {
    const base = rows.find((r) => r.size === size && r.impl === baseline);
    for (const r of rows.filter((x) => x.size === size)) {
      const label = size >= 1 << 20 ? `${size >> 20} MiB` : `${size >> 10} KiB`;
      lines.push(`| ${r.impl} | ${label} | ${fmt(r.encodeMBps)} | ${fmt(r.decodeMBps)} | ${(r.encodeMBps / base.encodeMBps).toFixed(2)}× | ${(r.decodeMBps / base.decodeMBps).toFixed(2)}× |`);
    }
  }
  return lines.join("\n");
}

const us = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(1)} ms` : `${(ns / 1e3).toFixed(2)} µs`);
function engineTable(title, e, cold) {
  const lines = [`### ${title}`, "", "Medians of 9 rounds (preview: 5) in which the compared implementations run one batch each in turn, so a slow stretch of the machine falls on all of them.", ""];
  const m = e.matches.rows;
  const base = m.find((r) => r.impl.startsWith("JSON.parse")).ns;
  lines.push(`matches() against a 3-filter Workfront subscription, ${e.matches.bytes}-byte event:`, "", "| implementation | median | vs JSON.parse + predicate |", "| --- | ---: | ---: |");
  for (const r of m) lines.push(`| ${r.impl} | ${us(r.ns)} | ${(base / r.ns).toFixed(2)}× |`);
  lines.push("", "matches(jsonString) in the other dialects (generated events):", "", "| dialect | event | hookmatch | JSON.parse + hand-written test | ratio |", "| --- | ---: | ---: | ---: | ---: |");
  for (const d of e.dialects) lines.push(`| ${d.dialect} | ${d.bytes} B | ${us(d.hookmatchNs)} | ${us(d.jsNs)} | ${(d.jsNs / d.hookmatchNs).toFixed(2)}× |`);
  const p = e.preview.rows;
  lines.push("", `preview() of ${(e.preview.bytes / 1048576).toFixed(0)} MB of NDJSON (${e.preview.events} events) as a Uint8Array:`, "", "| implementation | time | MB/s | vs baseline |", "| --- | ---: | ---: | ---: |");
  for (const r of p) lines.push(`| ${r.impl} | ${us(r.ns)} | ${r.MBps.toFixed(0)} | ${(r.MBps / p[1].MBps).toFixed(2)}× |`);
  lines.push("", "SubscriptionSet.match of one event against n subscriptions:", "", "| n | set.match(text) | set.match(object) | loop over matches | JS hash index | set vs JS index | compile |", "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const n of [10, 1000, 10000]) {
    const rs = e.set.filter((r) => r.n === n);
    const [st, so, loop, js] = rs;
    lines.push(`| ${n} | ${us(st.ns)} | ${us(so.ns)} | ${us(loop.ns)} | ${us(js.ns)} | ${(js.ns / st.ns).toFixed(2)}× | ${st.compileMs.toFixed(1)} ms |`);
  }
  lines.push("", ...e.compile.map((r) => `- ${r.impl}: ${us(r.ns)}`), `- cold start (import + compile + instantiate + first call): ${cold.toFixed(1)} ms`);
  return lines.join("\n");
}

const started = new Date();
const node = runNode();
const nodeEngine = runEngine();
const nodeAnalysis = runAnalysis();
const chrome = await runChromium();
// Import → first answer: Node, and Chromium beside a trivial page (bench/cold.mjs).
const cold = await measureCold(5);
const coldNode = median(cold.node);
const wasm = await readFile(join(root, "pkg/hookmatch_bg.wasm"));
const glue = await readFile(join(root, "pkg/hookmatch.js"));
const core = await readFile(join(root, "pkg/hookmatch_core_bg.wasm"));
const sizes = { wasm: wasm.length, wasmGz: gzipSync(wasm, { level: 9 }).length, coreWasm: core.length, coreWasmGz: gzipSync(core, { level: 9 }).length, glue: glue.length, glueGz: gzipSync(glue, { level: 9 }).length };
// Which build this is: the files the package ships that run (wasm and
// JS), so that a change to the entries alone is another build too.
const shipped = readdirSync(join(root, "pkg")).filter((f) => /\.(wasm|js|cjs)$/.test(f)).sort();
const hash = createHash("sha256");
for (const f of shipped) hash.update(f).update(await readFile(join(root, "pkg", f)));
sizes.build = hash.digest("hex").slice(0, 16);
const machine = `${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`;
const report = [
  `Measured ${started.toISOString().slice(0, 10)} on ${machine}; Node ${process.version}, Chromium ${chrome.version}; \`make bench\`. Medians of 7 batches of ~150 ms; ratios are against the platform's native codec (>1 is faster than it).`,
  "",
  sideBySide({ node: nodeEngine, chromium: chrome.engine, cold, sizes }, previousRun(sizes)),
  "",
  table("Base64 in Node", node, "Buffer"),
  "",
  table("Base64 in headless Chromium", chrome.rows, chrome.rows.some((r) => r.impl === "toBase64/fromBase64") ? "toBase64/fromBase64" : "btoa/atob"),
  "",
  engineTable("Engine in Node", nodeEngine, coldNode),
  "",
  engineTable("Engine in headless Chromium", chrome.engine, median(cold.core)),
  "",
  "### Analysis in Node (wasm)",
  "",
  "No peer answers these questions, so these are absolute medians (docs/analysis.md).",
  "",
  "| case | median |",
  "| --- | ---: |",
  ...nodeAnalysis.map((r) => `| ${r.impl} | ${r.ns >= 1e6 ? `${(r.ns / 1e6).toFixed(2)} ms` : `${(r.ns / 1e3).toFixed(0)} µs`} |`),
  "",
  `### Size`,
  "",
  `| file | raw | gzipped |`,
  `| --- | ---: | ---: |`,
  `| hookmatch_bg.wasm (full: Node, Deno, Bun, workerd, hookmatch/analysis) | ${(sizes.wasm / 1024).toFixed(1)} KB | ${(sizes.wasmGz / 1024).toFixed(1)} KB |`,
  `| hookmatch_core_bg.wasm (the browser entry's, no analysis) | ${(sizes.coreWasm / 1024).toFixed(1)} KB | ${(sizes.coreWasmGz / 1024).toFixed(1)} KB |`,
  `| hookmatch.js (glue) | ${(sizes.glue / 1024).toFixed(1)} KB | ${(sizes.glueGz / 1024).toFixed(1)} KB |`,
].join("\n");
console.log(report);
await mkdir(new URL("results/", import.meta.url), { recursive: true });
const stamp = started.toISOString().replace(/[:.]/g, "-");
await writeFile(new URL(`results/bench-${stamp}.json`, import.meta.url), JSON.stringify({ date: started.toISOString(), machine, node: process.version, chromium: chrome.version, sizes, base64: { node, chromium: chrome.rows }, engine: { node: nodeEngine, chromium: chrome.engine }, analysis: { node: nodeAnalysis }, coldStartMs: { node: coldNode, chromium: median(cold.core) }, cold }, null, 2) + "\n");
await writeFile(new URL("results/latest.md", import.meta.url), report + "\n");
