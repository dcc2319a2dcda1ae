// Cold start, import → first answer (docs/performance.md, "Cold start"): Node
// in fresh processes, and headless Chromium in fresh browser contexts (an
// empty cache each) against a trivial page that imports a one-line module and
// instantiates an 8-byte wasm, measured in the same run, interleaved, so the
// machine's noise falls on every page alike: the browser entry bundled as a
// user's bundler would, the full module as that entry loaded it before
// hookmatch/analysis, and the package's files served as they are. Medians of
// RUNS (default 5).
// Needs the installed package (make tarball). `node bench/cold.mjs`
import { spawnSync } from "node:child_process";
import { cp, mkdtemp, writeFile, copyFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { build } from "esbuild";
import { launch } from "../tests/browser/chromium.mjs";
import { serveDir } from "../tests/runtimes/static.mjs";

const root = new URL("..", import.meta.url).pathname;
export const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const spec = { objCode: "TASK", eventType: "UPDATE", url: "https://hooks.example.com/t", authToken: "t", filters: [{ fieldName: "status", fieldValue: "CUR" }] };
const event = { eventType: "UPDATE", newState: { objCode: "TASK", status: "CUR" }, oldState: {} };
const first = `h.Subscription.compile(${JSON.stringify(spec)}).matches(${JSON.stringify(JSON.stringify(event))})`;

/**
 * Import → first answer, in ms per run: Node (fresh processes) and the
 * three Chromium pages (fresh contexts, interleaved). `make bench` and this
 * file's command line share it.
 */
export async function measureCold(runs = 5) {
  // Node: the node entry (the full module), in a fresh process each time.
  const nodeRuns = [];
  for (let i = 0; i < runs; i++) {
    const code = `const t0 = performance.now(); const h = await import("hookmatch"); if (!${first}) throw 0; console.log(performance.now() - t0);`;
    nodeRuns.push(Number(spawnSync(process.execPath, ["--input-type=module", "-e", code], { cwd: root, encoding: "utf8" }).stdout));
  }

  // Chromium: the browser entry (core module), the full module as the browser
  // entry loaded it before hookmatch/analysis (same runtime, same page), and
  // the trivial page.
  const pkg = dirname(createRequire(import.meta.url).resolve("hookmatch/hookmatch_bg.wasm"));
  const dir = await mkdtemp(join(tmpdir(), "hookmatch-cold-"));
  for (const f of ["hookmatch_bg.wasm", "hookmatch_core_bg.wasm"]) await copyFile(join(pkg, f), join(dir, f));
  await build({ stdin: { contents: 'export * from "hookmatch";', resolveDir: root }, bundle: true, format: "esm", platform: "browser", outfile: join(dir, "core.js"), logLevel: "warning" });
  await build({
    stdin: {
      contents: `import init, * as glue from ${JSON.stringify(join(pkg, "hookmatch.js"))};
        import { install } from ${JSON.stringify(join(pkg, "runtime.js"))};
        await init({ module_or_path: new URL("./hookmatch_bg.wasm", import.meta.url) });
        install(glue);
        export * from ${JSON.stringify(join(pkg, "api.js"))};`,
      resolveDir: root,
    },
    bundle: true, format: "esm", platform: "browser", outfile: join(dir, "full.js"), logLevel: "warning",
  });
  // The smallest valid module: magic and version, nothing else.
  await writeFile(join(dir, "tiny.wasm"), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  await writeFile(join(dir, "tiny.js"), 'const { instance } = await WebAssembly.instantiateStreaming(fetch(new URL("./tiny.wasm", import.meta.url))); export const ok = instance !== undefined;');
  const page = (body) => `<!doctype html><meta charset="utf-8"><script type="module">const t0 = performance.now(); ${body} window.cold = performance.now() - t0;</script>`;
  await writeFile(join(dir, "trivial.html"), page('const h = await import("./tiny.js"); if (!h.ok) throw 0;'));
  await writeFile(join(dir, "core.html"), page(`const h = await import("./core.js"); if (!${first}) throw 0;`));
  await writeFile(join(dir, "full.html"), page(`const h = await import("./full.js"); if (!${first}) throw 0;`));
  // The package's files as they are, as a page without a bundler (or a CDN)
  // loads them: the entry as the tarball ships it.
  await cp(pkg, join(dir, "files"), { recursive: true });
  await writeFile(join(dir, "files.html"), page(`const h = await import("./files/browser.js"); if (!${first}) throw 0;`));
  const server = await serveDir(dir);
  const browser = await launch();
  const chromium = { trivial: [], core: [], full: [], files: [] };
  try {
    const base = `http://127.0.0.1:${server.address().port}`;
    for (let i = 0; i < runs; i++) {
      for (const name of Object.keys(chromium)) {
        const context = await browser.newContext();
        const p = await context.newPage();
        await p.goto(`${base}/${name}.html`);
        await p.waitForFunction(() => window.cold !== undefined, null, { timeout: 60_000 });
        chromium[name].push(await p.evaluate(() => window.cold));
        await context.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  return { node: nodeRuns, ...chromium };
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const RUNS = Number(process.env.RUNS ?? 5);
  const { node: nodeRuns, ...chromium } = await measureCold(RUNS);
  const fmt = (xs) => `${median(xs).toFixed(1)} ms (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`;
  console.log(`Node, import → first matches (full module), median of ${RUNS} fresh processes: ${fmt(nodeRuns)}`);
  for (const [name, xs] of Object.entries(chromium)) console.log(`Chromium ${name}: ${fmt(xs)}`);
  const beyond = (xs) => (median(xs) - median(chromium.trivial)).toFixed(1);
  console.log(`Chromium beyond trivial: core ${beyond(chromium.core)} ms, full ${beyond(chromium.full)} ms, the package's files as they are ${beyond(chromium.files)} ms`);
}
