// The installed tarball in a Vite app with no Vite configuration: the dev
// server and a production build, each run in headless Chromium.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, build } from "vite";
import { serveDir } from "../runtimes/static.mjs";
import { launch } from "../browser/chromium.mjs";

const app = new URL("./vite-app/", import.meta.url).pathname;
// Before hookmatch/analysis is imported, lint throws invalid_input naming
// the import; after, it finds never_matches.
const want = { dialect: "kanboard", matches: true, before: "invalid_input: names the import", lint: ["never_matches"] };
let browser;

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/**
 * The app's result, after checking which wasm it fetched: only the core
 * module (the one without the analysis) until it imported
 * hookmatch/analysis, then the full one too.
 */
async function resultAt(url) {
  const page = await browser.newPage();
  const errors = [];
  const wasm = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => {
    const name = new URL(r.url()).pathname.split("/").pop();
    if (name.endsWith(".wasm")) wasm.push(name);
  });
  try {
    await page.goto(url);
    await page.waitForFunction(() => window.result, null, { timeout: 30_000 });
    assert.deepEqual(errors, []);
    const { wasmBefore, ...result } = await page.evaluate(() => window.result);
    assert.equal(wasmBefore?.length, 1, `before the analysis the page fetched ${JSON.stringify(wasmBefore)}`);
    assert.match(wasmBefore[0], /^hookmatch_core_bg[-.\w]*\.wasm$/);
    assert.equal(wasm.length, 2, `requests: ${wasm}`);
    assert.match(wasm[0], /^hookmatch_core_bg/);
    assert.match(wasm[1], /^hookmatch_bg/);
    return result;
  } finally {
    await page.close();
  }
}

test("Vite's dev server serves an app that imports hookmatch", async () => {
  const server = await createServer({ root: app, configFile: false, logLevel: "silent", server: { port: 0, host: "127.0.0.1" } });
  await server.listen();
  try {
    assert.deepEqual(await resultAt(`http://127.0.0.1:${server.httpServer.address().port}/`), want);
  } finally {
    await server.close();
  }
});

test("vite build emits the wasm beside the bundle and the built app runs", async () => {
  const outDir = await mkdtemp(join(tmpdir(), "hookmatch-vite-"));
  await build({ root: app, configFile: false, logLevel: "silent", build: { outDir, emptyOutDir: true } });
  const server = await serveDir(outDir);
  try {
    assert.deepEqual(await resultAt(`http://127.0.0.1:${server.address().port}/index.html`), want);
  } finally {
    server.close();
  }
});
