// One bench page in a fresh headless Chromium (bench/ab.mjs, bench/floors.mjs):
// serve `dir` with an index.html that loads its module `script`, open it and
// wait for the page to set `window.results`, `{ ok: true, r }` or
// `{ ok: false, error }`. An error on the page before then (a build that
// does not load) ends it at once.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { launch } from "../tests/browser/chromium.mjs";
import { serveDir } from "../tests/runtimes/static.mjs";

/** The page's `r`, or its error thrown. */
export async function pageResults(dir, script, timeout) {
  await writeFile(join(dir, "index.html"), `<!doctype html><meta charset="utf-8"><script type="module" src="./${script}"></script>`);
  const server = await serveDir(dir);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const failed = new Promise((_, reject) => page.on("pageerror", reject));
    await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
    const done = page.waitForFunction(() => window.results !== undefined, null, { timeout, polling: 500 });
    done.catch(() => {});
    await Promise.race([failed, done]);
    const results = await page.evaluate(() => window.results);
    if (!results.ok) throw new Error(results.error);
    return results.r;
  } finally {
    await browser.close();
    server.close();
  }
}
