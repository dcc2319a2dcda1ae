// The package in every runtime, each from its npm package: Node (ESM and
// CJS), a browser bundle built by esbuild in headless Chromium, Cloudflare's
// workerd serving a worker on 127.0.0.1, Bun and Deno.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, copyFile, cp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { build } from "esbuild";
import { serveDir, freePort, serving } from "./static.mjs";
import { launch } from "../browser/chromium.mjs";

const root = new URL("../../", import.meta.url).pathname;
const bin = (name) => join(root, "node_modules/.bin", name);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: "utf8", timeout: 60_000, ...opts });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

test("Node: import (ESM) and require (CJS) of hookmatch", () => {
  const esm = run(process.execPath, ["--input-type=module", "-e", 'import { Subscription } from "hookmatch"; console.log(Subscription.compile({url:"https://k.example.com",token:"t"}).dialect)']);
  assert.equal(esm.code, 0, esm.out);
  assert.equal(esm.out.trim(), "kanboard");
  const cjs = run(process.execPath, ["-e", 'const { Subscription } = require("hookmatch"); console.log(Subscription.compile({url:"https://k.example.com",token:"t"}).dialect)']);
  assert.equal(cjs.code, 0, cjs.out);
  assert.equal(cjs.out.trim(), "kanboard");
});

test("Bun (npm package) imports hookmatch and passes the smoke test", () => {
  const r = run(bin("bun"), ["tests/runtimes/bun-deno.mjs"]);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /OK hookmatch smoke test passed/);
});

test("Deno (npm package) imports hookmatch with no permissions and passes the smoke test", () => {
  const r = run(bin("deno"), ["run", "--no-prompt", "tests/runtimes/bun-deno.mjs"], { env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" } });
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /OK hookmatch smoke test passed/);
});

test("workerd (npm package) serves a worker that routes events with hookmatch", async () => {
  const port = await freePort();
  const child = spawn(bin("workerd"), ["serve", "tests/runtimes/workerd.capnp", "--socket-addr", `http=127.0.0.1:${port}`], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  try {
    assert.ok(await serving(`${base}/smoke`, child), `workerd did not start: ${log}`);
    assert.deepEqual(await (await fetch(`${base}/smoke`)).json(), { failures: [] });
    const spec = { objCode: "TASK", eventType: "UPDATE", url: "https://hooks.example.com/t", authToken: "x", filters: [{ fieldName: "percentComplete", fieldValue: "100", comparison: "lt" }] };
    const events = [
      { eventType: "UPDATE", newState: { objCode: "TASK", percentComplete: 40 }, oldState: {} },
      { eventType: "UPDATE", newState: { objCode: "TASK", percentComplete: 100 }, oldState: {} },
      { eventType: "CREATE", newState: { objCode: "TASK", percentComplete: 0 }, oldState: {} },
    ];
    const res = await fetch(`${base}/match`, { method: "POST", body: JSON.stringify({ spec, events }) });
    assert.deepEqual(await res.json(), {
      results: [
        { matched: true, reason: "" },
        { matched: false, reason: 'percentComplete 100 is not less than "100" (compared as numbers)' },
        { matched: false, reason: 'eventType is "CREATE"; the subscription wants "UPDATE"' },
      ],
    });
    const bad = await fetch(`${base}/match`, { method: "POST", body: JSON.stringify({ spec: { ...spec, eventType: "UPDATED" }, events }) });
    assert.equal(bad.status, 400);
    assert.deepEqual((await bad.json()).error.code, "unknown_event_type");
  } finally {
    child.kill("SIGTERM");
  }
});

test("a browser bundle (esbuild, browser condition) runs in headless Chromium", async () => {
  const dir = await mkdtemp(join(tmpdir(), "hookmatch-bundle-"));
  await build({ entryPoints: [join(root, "tests/runtimes/browser-entry.js")], bundle: true, format: "esm", platform: "browser", outfile: join(dir, "app.js"), logLevel: "warning" });
  // The copy step the README gives: the wasm reached by package name, from
  // the installed tarball; the core module for hookmatch, the full one for
  // hookmatch/analysis.
  for (const name of ["hookmatch_core_bg.wasm", "hookmatch_bg.wasm"]) {
    const wasm = createRequire(import.meta.url).resolve(`hookmatch/${name}`);
    assert.match(wasm, /node_modules\/hookmatch\//);
    await copyFile(wasm, join(dir, name));
  }
  await writeFile(join(dir, "index.html"), '<!doctype html><meta charset="utf-8"><script type="module" src="./app.js"></script>');
  const { result, errors } = await pageResult(dir, "smokeResult");
  assert.deepEqual(result, { failures: [] });
  assert.deepEqual(errors, []);
});

/** A fresh folder holding the installed package as `hookmatch/`, its files as they are, for a page to import. */
async function packageFolder(prefix) {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const pkg = dirname(createRequire(import.meta.url).resolve("hookmatch/hookmatch_bg.wasm"));
  await cp(pkg, join(dir, "hookmatch"), { recursive: true });
  return dir;
}

/** Serve `dir`, open its index.html in Chromium and return `window[name]` once the page sets it, with the page's errors. */
async function pageResult(dir, name) {
  const server = await serveDir(dir);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
    await page.waitForFunction((n) => window[n] !== undefined, name, { timeout: 30_000 });
    return { result: await page.evaluate((n) => window[n], name), errors };
  } finally {
    await browser.close();
    server.close();
  }
}

// A Node program bundled into one file, as CLIs and serverless functions
// are: ESM source to ESM or CommonJS (esbuild's default for Node), and
// CommonJS source to CommonJS. The wasm is copied beside the bundle.
for (const [source, format] of [["import", "esm"], ["import", "cjs"], ["require", "cjs"]]) {
  test(`a Node program (${source}) bundled by esbuild --platform=node --format=${format} runs with the wasm beside it`, async () => {
    const dir = await mkdtemp(join(tmpdir(), "hookmatch-node-bundle-"));
    const entry = join(dir, source === "import" ? "main.mjs" : "main.cjs");
    const load = source === "import" ? 'import { Subscription } from "hookmatch";' : 'const { Subscription } = require("hookmatch");';
    await writeFile(entry, `${load}\nconsole.log(Subscription.compile({ url: "https://kanboard.example.com/h", token: "t" }).matches({ event_name: "task.close", event_data: {} }));\n`);
    const out = join(dir, `out/app.${format === "esm" ? "mjs" : "cjs"}`);
    await build({ entryPoints: [entry], bundle: true, format, platform: "node", nodePaths: [join(root, "node_modules")], outfile: out, logLevel: "error" });
    await copyFile(createRequire(import.meta.url).resolve("hookmatch/hookmatch_bg.wasm"), join(dir, "out/hookmatch_bg.wasm"));
    // Run from elsewhere, with no node_modules to fall back on.
    const r = run(process.execPath, [out], { cwd: tmpdir() });
    assert.equal(r.code, 0, r.out);
    assert.equal(r.out.trim(), "true");
  });
}

// The trap recovery in Chromium (tests/runtimes/trap-scenario.js): the
// fresh module is a synchronous `new WebAssembly.Instance` of the module the
// page already compiled, which the main thread allows.
test("Chromium: a trap is HookmatchError internal, then a fresh module; older objects throw freed", async () => {
  const dir = await packageFolder("hookmatch-trap-");
  await copyFile(join(root, "tests/runtimes/trap-scenario.js"), join(dir, "trap-scenario.js"));
  await writeFile(
    join(dir, "index.html"),
    `<!doctype html><meta charset="utf-8"><script type="module">
      import * as api from "./hookmatch/browser.js";
      import { trapScenario } from "./trap-scenario.js";
      // browser.js is one file with the runtime inlined: its test hook is on
      // the entry's HookmatchError (runtime.js, RUNTIME), not runtime.js's.
      const { __trap } = api.HookmatchError[Symbol.for("hookmatch.runtime")];
      trapScenario(api, __trap, null).then((r) => { window.trapResult = r; }, (e) => { window.trapResult = { error: String(e) }; });
    </script>`,
  );
  const { result, errors } = await pageResult(dir, "trapResult");
  const { checkTrapScenario } = await import("./trap-scenario.js");
  checkTrapScenario(assert, result, { gc: false });
  assert.deepEqual(errors, []);
});

// The package's files served as they are, as a page without a bundler (or a
// CDN) loads them: the browser entry is one file, and hookmatch/analysis
// installs into that entry's runtime, whichever of the two is imported first.
for (const first of ["main", "analysis"]) {
  test(`Chromium, the package's files as they are: hookmatch/analysis imported ${first === "main" ? "after" : "before"} the main entry answers there`, async () => {
    const dir = await packageFolder("hookmatch-files-");
    await writeFile(
      join(dir, "index.html"),
      `<!doctype html><meta charset="utf-8"><script type="module">
        const attempt = (f) => { try { return f(); } catch (e) { return { error: e.constructor.name, code: e.code }; } };
        const never = { objCode: "TASK", eventType: "UPDATE", url: "https://hooks.example.com/t", authToken: "t", filters: [{ fieldName: "a", fieldValue: "1" }, { fieldName: "a", fieldValue: "2" }] };
        const out = {};
        let h, analysis;
        if (${JSON.stringify(first)} === "main") {
          h = await import("./hookmatch/browser.js");
          out.before = attempt(() => h.lint(never));
          analysis = await import("./hookmatch/analysis.js");
        } else {
          analysis = await import("./hookmatch/analysis.js");
          h = await import("./hookmatch/browser.js");
        }
        const sub = h.Subscription.compile({ ...never, filters: [{ fieldName: "status", fieldValue: "CUR" }] });
        out.names = Object.keys(analysis).sort();
        out.lint = [h.lint(never).map((d) => d.code), analysis.lint(never).map((d) => d.code)];
        out.example = [sub.matches(sub.example()), sub.matches(analysis.example(sub))];
        out.sameRuntime = analysis.example === h.HookmatchError[Symbol.for("hookmatch.runtime")].example;
        out.misuse = attempt(() => analysis.example({}));
        out.wasm = performance.getEntriesByType("resource").map((r) => r.name.split("/").pop()).filter((n) => n.endsWith(".wasm")).sort();
        window.result = out;
      </script>`,
    );
    const { result, errors } = await pageResult(dir, "result");
    assert.deepEqual(errors, []);
    if (first === "main") assert.deepEqual(result.before, { error: "HookmatchError", code: "invalid_input" });
    assert.deepEqual(result.names, ["diff", "example", "lint", "setLint"]);
    assert.deepEqual(result.lint, [["never_matches"], ["never_matches"]]);
    assert.deepEqual(result.example, [true, true]);
    assert.equal(result.sameRuntime, true);
    assert.deepEqual(result.misuse, { error: "HookmatchError", code: "invalid_input" });
    assert.deepEqual(result.wasm, ["hookmatch_bg.wasm", "hookmatch_core_bg.wasm"]);
  });
}

// When the wasm cannot be fetched, importing hookmatch/analysis fails with
// that error, and the main entry it imports on the side fails handled, not
// as a second, unhandled rejection.
test("Chromium, the package's files as they are: a missing wasm fails the analysis import once", async () => {
  const dir = await packageFolder("hookmatch-nowasm-");
  for (const f of ["hookmatch_bg.wasm", "hookmatch_core_bg.wasm"]) await rm(join(dir, "hookmatch", f));
  await writeFile(
    join(dir, "index.html"),
    `<!doctype html><meta charset="utf-8"><script type="module">
      const unhandled = [];
      addEventListener("unhandledrejection", (e) => unhandled.push(String(e.reason)));
      let error = null;
      try { await import("./hookmatch/analysis.js"); } catch (e) { error = String(e); }
      setTimeout(() => { window.result = { error, unhandled }; }, 1000);
    </script>`,
  );
  const { result, errors } = await pageResult(dir, "result");
  assert.match(result.error ?? "", /hookmatch_bg\.wasm|fetch/i);
  assert.deepEqual(result.unhandled, []);
  assert.deepEqual(errors, []);
});
