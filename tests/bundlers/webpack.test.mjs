// The installed tarball bundled by webpack 5 with no loader or experiment
// configured (the app of tests/bundlers/vite-app), run in headless Chromium:
// webpack emits the wasm found by new URL(…, import.meta.url) and keeps the
// entry's top-level await.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import webpack from "webpack";
import { serveDir } from "../runtimes/static.mjs";
import { launch } from "../browser/chromium.mjs";

let browser;
after(async () => {
  await browser?.close();
});

test("webpack 5 bundles an app that imports hookmatch, and it runs", async () => {
  const out = await mkdtemp(join(tmpdir(), "hookmatch-webpack-"));
  const stats = await new Promise((resolve, reject) =>
    webpack({ mode: "production", entry: new URL("./vite-app/main.js", import.meta.url).pathname, output: { path: out, filename: "app.js" }, performance: { hints: false } }, (err, s) => (err ? reject(err) : resolve(s))),
  );
  assert.equal(stats.hasErrors(), false, stats.toString("errors-only"));
  await writeFile(join(out, "index.html"), '<!doctype html><meta charset="utf-8"><script src="./app.js"></script>');
  const server = await serveDir(out);
  browser = await launch();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
    await page.waitForFunction(() => window.result, null, { timeout: 30_000 });
    const { wasmBefore, ...result } = await page.evaluate(() => window.result);
    // The core module alone until the app imports hookmatch/analysis.
    assert.equal(wasmBefore.length, 1, JSON.stringify(wasmBefore));
    assert.deepEqual(result, { dialect: "kanboard", matches: true, before: "invalid_input: names the import", lint: ["never_matches"] });
    assert.deepEqual(errors, []);
  } finally {
    server.close();
  }
});
