// The figures issue 22 holds hookmatch to, Node and Chromium side by side,
// each as a ratio over the plain JS a user writes measured in the same
// process (JSON.parse + a hand-written predicate; a Map index for a set),
// with the previous build's run beside it where bench/results/ has one.
import { readdirSync, readFileSync } from "node:fs";
import { median } from "./cold.mjs";

const us = (ns) => `${(ns / 1e3).toFixed(2)} µs`;

/** Each figure of one run's engine results: { label: [ratio, absolute] }. */
function figures(e) {
  const out = {};
  const m = e.matches;
  const row = (prefix) => m.rows.find((r) => r.impl.startsWith(prefix));
  const js = row("JSON.parse");
  const text = row("hookmatch matches(jsonString)");
  const rows = [
    ...e.dialects.filter((d) => d.dialect !== "workfront").map((d) => ({ dialect: d.dialect, bytes: d.bytes, h: d.hookmatchNs, js: d.jsNs })),
    { dialect: "workfront", bytes: m.bytes, h: text.ns, js: js.ns },
    ...e.dialects.filter((d) => d.dialect === "workfront").map((d) => ({ dialect: d.dialect, bytes: d.bytes, h: d.hookmatchNs, js: d.jsNs })),
  ];
  for (const r of rows) out[`\`matches(text)\`, ${r.dialect} ${r.bytes} B, vs JSON.parse + predicate`] = [r.js / r.h, us(r.h)];
  const obj = row("hookmatch matches(object)");
  const str = row("hookmatch matches(JSON.stringify(object))");
  out[`\`matches(object)\` vs \`matches(JSON.stringify(object))\`, ${m.bytes} B`] = [str.ns / obj.ns, us(obj.ns)];
  const p = e.preview.rows;
  out[`\`preview\` of ${(e.preview.bytes / 1048576).toFixed(0)} MB NDJSON bytes vs TextDecoder + split + parse`] = [p[0].MBps / p[1].MBps, `${p[0].MBps.toFixed(0)} MB/s`];
  const [st, , , index] = e.set.filter((r) => r.n === 10000);
  if (st && index) out["`set.match(text)`, 10,000 members, vs a JS Map index"] = [index.ns / st.ns, us(st.ns)];
  return out;
}

/**
 * The newest earlier run in bench/results/ of another build, or null: another
 * hash of the shipped files where both runs have one, else another .wasm size
 * (runs from before the hash).
 */
export function previousRun(sizes) {
  const dir = new URL("results/", import.meta.url);
  let files = [];
  try {
    files = readdirSync(dir).filter((f) => /^bench-.*\.json$/.test(f)).sort().reverse();
  } catch {
    return null;
  }
  for (const f of files) {
    const run = JSON.parse(readFileSync(new URL(f, dir), "utf8"));
    const other = run.sizes?.build && sizes.build ? run.sizes.build !== sizes.build : run.sizes?.wasm !== sizes.wasm;
    if (other && run.engine?.node && run.engine?.chromium) return run;
  }
  return null;
}

/** The side-by-side table, as markdown. */
export function sideBySide(now, previous) {
  const node = figures(now.node);
  const chrome = figures(now.chromium);
  const before = previous ? { node: figures(previous.engine.node), chrome: figures(previous.engine.chromium) } : null;
  const cell = (f, old) => (f ? `${f[0].toFixed(2)}× (${f[1]})${old ? `, was ${old[0].toFixed(2)}×` : ""}` : "–");
  const lines = [
    "### Side by side (ratios over plain JS in the same process; >1 is faster)",
    "",
    before ? `Previous build: the run of ${previous.date.slice(0, 16)} in bench/results/ (another .wasm).` : "No earlier run of another build in bench/results/.",
    "",
    "| figure | Node | Chromium |",
    "| --- | ---: | ---: |",
  ];
  for (const label of Object.keys(node)) lines.push(`| ${label} | ${cell(node[label], before?.node[label])} | ${cell(chrome[label], before?.chrome[label])} |`);
  // Start and weight: absolute figures (the issue's bounds), not ratios.
  const ms = (x) => `${x.toFixed(1)} ms`;
  const was = (x, f) => (x === undefined ? "" : `, was ${f(x)}`);
  const beyond = (c) => median(c.core) - median(c.trivial);
  const kb = (b) => `${(b / 1024).toFixed(0)} KiB gz`;
  if (now.cold) {
    const old = previous?.cold;
    lines.push(`| import → first answer (Chromium: beyond a trivial page; median of ${now.cold.node.length} fresh processes / contexts) | ${ms(median(now.cold.node))}${was(old && median(old.node), ms)} | ${ms(beyond(now.cold))}${was(old && beyond(old), ms)} |`);
    // Runs from before the files page have none.
    if (now.cold.files) lines.push(`| the same, the package's files served as they are (no bundler) | | ${ms(median(now.cold.files) - median(now.cold.trivial))}${was(old?.files && median(old.files) - median(old.trivial), ms)} |`);
  }
  if (now.sizes) {
    const old = previous?.sizes;
    lines.push(`| wasm the entry loads (Node: the full module; Chromium: the browser entry's core module) | ${kb(now.sizes.wasmGz)}${was(old?.wasmGz, kb)} | ${kb(now.sizes.coreWasmGz)}${was(old?.coreWasmGz, kb)} |`);
  }
  return lines.join("\n");
}
