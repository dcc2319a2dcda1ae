// hookmatch/elements from the installed tarball, mounted in Chromium inside
// a Preact app whose own CSS styles lists, code and buttons: each element
// renders what the package returned, keeps secrets masked until revealed,
// and works from the keyboard.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, copyFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { Subscription } from "hookmatch";
import { serveDir } from "../runtimes/static.mjs";
import { launch } from "../browser/chromium.mjs";

const root = new URL("../../", import.meta.url).pathname;
let server, browser, page;

before(async () => {
  const dir = await mkdtemp(join(tmpdir(), "hookmatch-elements-"));
  await build({ entryPoints: [join(root, "tests/elements/app.js")], bundle: true, format: "esm", platform: "browser", outfile: join(dir, "app.js"), logLevel: "warning" });
  // The browser entry fetches the core module (no analysis: the app does not import hookmatch/analysis).
  await copyFile(join(root, "node_modules/hookmatch/hookmatch_core_bg.wasm"), join(dir, "hookmatch_core_bg.wasm"));
  await writeFile(
    join(dir, "index.html"),
    `<!doctype html><meta charset="utf-8"><title>admin</title>
<style>li { color: red; list-style: square; } code { font-size: 30px; } button { display: none; }
hookmatch-explanation::part(fail) { border-left-color: rgb(1, 2, 3); }
hookmatch-delivery { --hookmatch-mono: serif; }</style>
<main id="app"></main><script type="module" src="./app.js"></script>`,
  );
  server = await serveDir(dir);
  browser = await launch();
  page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
  await page.waitForFunction(() => window.appReady, null, { timeout: 30_000 });
  assert.deepEqual(errors, []);
});
after(async () => {
  await browser?.close();
  server?.close();
});

test("<hookmatch-diagnostics> lists each diagnostic with its severity in words and fires hookmatch-select on Enter", async () => {
  const items = page.locator("#diags >> [part~=item]");
  assert.equal(await items.count(), 1);
  assert.match(await items.first().textContent(), /^Errorunknown_event_type .*did you mean "UPDATE"\? \(\/eventType\)$/);
  // The page's own `li { color: red }` does not reach inside.
  assert.notEqual(await items.first().evaluate((n) => getComputedStyle(n).color), "rgb(255, 0, 0)");
  await page.evaluate(() => document.querySelector("#diags").addEventListener("hookmatch-select", (e) => (window.selected = e.detail.code)));
  await items.first().focus();
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => window.selected), "unknown_event_type");
  // No locate function: no location shown.
  assert.equal(await page.locator("#diags >> [part=location]").count(), 0);
});

test("<hookmatch-diagnostics> with the editor's locate shows line:column, and its button selects the diagnostic", async () => {
  const item = page.locator("#located >> [part~=item]");
  assert.equal(await item.getAttribute("data-line"), "2");
  assert.equal(await item.getAttribute("data-column"), "3");
  const location = page.locator("#located >> [part=location]");
  assert.equal(await location.textContent(), "2:3");
  assert.equal(await location.getAttribute("aria-label"), "go to line 2, column 3");
  await page.evaluate(() => document.querySelector("#located").addEventListener("hookmatch-select", (e) => (window.located = e.detail.path)));
  await location.click();
  assert.equal(await page.evaluate(() => window.located), "/eventType");
});

test("<hookmatch-explanation> shows every check as pass or fail, themable by ::part, and moves by arrow keys", async () => {
  const rows = page.locator("#explain >> [part~=row]");
  assert.deepEqual(await rows.evaluateAll((rs) => rs.map((r) => r.querySelector("[part=mark]").textContent)), ["pass", "pass", "pass", "fail"]);
  assert.match(await page.locator("#explain >> [part=verdict]").textContent(), /^Not matched$/);
  assert.match(await rows.nth(3).textContent(), /priority 1 is not greater than or equal to "2"/);
  assert.equal(await rows.nth(3).evaluate((n) => getComputedStyle(n).borderLeftColor), "rgb(1, 2, 3)");
  await rows.first().focus();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("End");
  assert.equal(await page.evaluate(() => document.querySelector("#explain").shadowRoot.activeElement.textContent.startsWith("fail")), true);
});

test("<hookmatch-explanation> reads each check as comparison, expected and actual, beside the event's JSON", async () => {
  const last = page.locator("#explain >> [part~=row]").nth(3);
  assert.deepEqual(
    await last.evaluate((r) => ["field", "comparison", "expected", "actual", "state"].map((p) => r.querySelector(`[part=${p}]`).textContent)),
    ["priority", "gte", '"2"', "1", " in newState"],
  );
  const shown = JSON.parse(await page.locator("#explain >> [part=event-json]").textContent());
  assert.equal(shown.newState.priority, 1);
  assert.deepEqual(await page.locator("#explain >> [part=heading]").allTextContents(), ["Gate", "Filters (AND)", "Event"]);
});

test("<hookmatch-delivery> masks the token until revealed, by keyboard too", async () => {
  const headers = page.locator("#delivery >> [part=headers]");
  assert.doesNotMatch(await headers.textContent(), /very-secret-token/);
  assert.match(await headers.textContent(), /Authorization: Bearer very••••/);
  assert.match(await page.locator("#delivery >> [part=url]").textContent(), /^https:\/\/hooks\.example\.com\/t$/);
  assert.equal(await page.locator("#delivery >> [part=body]").evaluate((n) => getComputedStyle(n).fontFamily), "serif");
  const reveal = page.locator("#delivery >> [part=reveal]");
  await reveal.focus();
  await page.keyboard.press("Enter");
  assert.match(await headers.textContent(), /Bearer very-secret-token/);
  assert.equal(await reveal.getAttribute("aria-pressed"), "true");
  // Setting a delivery masks again.
  await page.evaluate(() => {
    const el = document.querySelector("#delivery");
    el.delivery = { ...el.delivery };
  });
  assert.doesNotMatch(await headers.textContent(), /very-secret-token/);
});

test("<hookmatch-delivery> shows a JSON body formatted or raw, and copies itself as curl with secrets masked", async () => {
  const body = page.locator("#delivery >> [part=body]");
  const raw = JSON.parse(await page.evaluate(() => JSON.stringify(document.querySelector("#delivery").delivery.body)));
  assert.equal(await body.textContent(), JSON.stringify(JSON.parse(raw), null, 2));
  await page.locator("#delivery >> [part=raw]").focus();
  await page.keyboard.press("Enter");
  assert.equal(await body.textContent(), raw);
  assert.equal(await page.locator("#delivery >> [part=raw]").getAttribute("aria-pressed"), "true");
  await page.evaluate(() => document.querySelector("#delivery").addEventListener("hookmatch-copy", (e) => (window.copied = e.detail.text)));
  await page.locator("#delivery >> [part=curl]").click();
  const curl = await page.evaluate(() => window.copied);
  assert.match(curl, /^curl -X POST 'https:\/\/hooks\.example\.com\/t' /);
  assert.match(curl, /-H 'Authorization: Bearer very••••'/);
  assert.doesNotMatch(curl, /very-secret-token/);
  // Headless Chromium without a user gesture grant: the status says what happened either way.
  const status = page.locator("#delivery >> [part=status]", { hasText: /./ });
  await status.waitFor();
  assert.match(await status.textContent(), /^(Copied\.|The clipboard is not available here\.)$/);
});

test("<hookmatch-delivery> masks Kanboard's appended token, and a delivery set through data starts masked", async () => {
  // Kanboard appends `token=` and the token as it is after the URL's own
  // query (WebhookNotification::notifyProject); this URL holds a token= too.
  const token = "kb&tok#en-4410";
  const deliver = (t) => Subscription.compile({ url: "https://kb.example.com/hook?token=mine", token: t }).deliver({ event_name: "task.create", event_data: {} });
  const first = deliver(token);
  const url = page.locator("#delivery >> [part=url]");
  const set = (d) => page.evaluate((d) => (document.querySelector("#delivery").data = d), d);
  await set(first);
  assert.equal(await url.textContent(), "https://kb.example.com/hook?token=mine&token=••••");
  const reveal = page.locator("#delivery >> [part=reveal]");
  await reveal.click();
  assert.equal(await url.textContent(), first.url);
  assert.equal(await reveal.getAttribute("aria-pressed"), "true");
  // The next delivery, through data as through delivery, starts masked.
  await set(deliver("other&secret#9"));
  assert.equal(await url.textContent(), "https://kb.example.com/hook?token=mine&token=••••");
  assert.equal(await reveal.getAttribute("aria-pressed"), "false");
  await page.evaluate(() => document.querySelector("#delivery").addEventListener("hookmatch-copy", (e) => (window.copiedKb = e.detail.text)));
  await page.locator("#delivery >> [part=curl]").click();
  const curl = await page.evaluate(() => window.copiedKb);
  assert.match(curl, /^curl -X POST 'https:\/\/kb\.example\.com\/hook\?token=mine&token=••••' /);
  for (const part of ["other", "secret#9", "kb&tok", "en-4410"]) assert.ok(!curl.includes(part), part);
});
