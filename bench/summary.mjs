// Medians across several `make bench` runs of one build: these machines
// have slow stretches that last minutes, longer than one run's interleaved
// rounds can absorb, so one run's absolute times can be off by 1.5×. Each
// ratio is taken within its own run (hookmatch and its peer measured side
// by side), then the median and range across runs are reported.
//
// Usage: node bench/summary.mjs [N]  (the last N runs in bench/results/, default 3)
//        node bench/summary.mjs file.json file.json ...
import { readdirSync, readFileSync } from "node:fs";

const dir = new URL("results/", import.meta.url);
const args = process.argv.slice(2);
const files =
  args.length && !/^\d+$/.test(args[0])
    ? args
    : readdirSync(dir)
        .filter((f) => /^bench-.*\.json$/.test(f))
        .sort()
        .slice(-Number(args[0] ?? 3))
        .map((f) => new URL(f, dir).pathname);
if (files.length === 0) throw new Error("no bench/results/bench-*.json to summarize");
const runs = files.map((f) => JSON.parse(readFileSync(f, "utf8")));
const builds = new Set(runs.map((r) => r.sizes.wasm));
if (builds.size > 1) console.warn(`warning: these runs measured ${builds.size} different builds (.wasm sizes ${[...builds].join(", ")})`);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const time = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(1)} ms` : `${(ns / 1e3).toFixed(2)} µs`);
const spread = (xs, show) => (xs.length > 1 ? `${show(median(xs))} (${show(Math.min(...xs))}–${show(Math.max(...xs))})` : show(xs[0]));
const ratio = (x) => `${x.toFixed(2)}×`;

/** One measure: per run, [value in ns, ratio or undefined]. */
const measures = [
  ["matches(jsonString), vs JSON.parse + predicate", (e) => pair(e.matches.rows, "hookmatch matches(jsonString)", "JSON.parse")],
  ["matches(Uint8Array), vs JSON.parse + predicate", (e) => pair(e.matches.rows, "hookmatch matches(Uint8Array)", "JSON.parse")],
  ["matches(object), vs matches(JSON.stringify(object))", (e) => pair(e.matches.rows, "hookmatch matches(object)", "hookmatch matches(JSON.stringify")],
  ["matches(object), vs matches(jsonString)", (e) => pair(e.matches.rows, "hookmatch matches(object)", "hookmatch matches(jsonString)")],
  ["preview 100 MB, vs TextDecoder + JSON.parse", (e) => pair(e.preview.rows, "hookmatch preview", "TextDecoder")],
  ...[10, 1000, 10000].map((n) => [`set.match(text), ${n} subscriptions, vs JS hash index`, (e) => pair(e.set.filter((r) => r.n === n), "SubscriptionSet.match(jsonString)", "JS hash index")]),
  ["SubscriptionSet.compile(10,000), with free", (e) => [e.compile.find((r) => r.impl.startsWith("SubscriptionSet.compile")).ns]],
  ["first compile of 10,000 in the run", (e) => [e.set.find((r) => r.n === 10000 && r.compileMs !== undefined).compileMs * 1e6]],
];

function pair(rows, mine, peer) {
  const a = rows.find((r) => r.impl.startsWith(mine));
  const b = rows.find((r) => r.impl.startsWith(peer));
  return [a.ns, b.ns / a.ns];
}

const lines = [
  `Medians of ${runs.length} \`make bench\` runs (${runs.map((r) => r.date.slice(11, 16)).join(", ")} UTC, ${runs[0].date.slice(0, 10)}), range in brackets; each ratio is taken within its run (>1: hookmatch is faster).`,
  "",
  "| measure | Node | ratio | Chromium | ratio |",
  "| --- | ---: | ---: | ---: | ---: |",
];
for (const [name, get] of measures) {
  const cells = ["node", "chromium"].flatMap((engine) => {
    const got = runs.map((r) => get(r.engine[engine]));
    const ratios = got.map((g) => g[1]).filter((x) => x !== undefined);
    return [spread(got.map((g) => g[0]), time), ratios.length ? spread(ratios, ratio) : ""];
  });
  lines.push(`| ${name} | ${cells.join(" | ")} |`);
}
const cold = (engine) => spread(runs.map((r) => r.coldStartMs[engine]), (ms) => `${ms.toFixed(1)} ms`);
lines.push(`| cold start (import + compile + instantiate + first call) | ${cold("node")} | | ${cold("chromium")} | |`);
console.log(lines.join("\n"));
