// The playground (www/dist) driven in headless Chromium: diagnostics at the
// right line, each dialect's sample, a row's explanation, a 20 MB file with
// progress. Its diagnostics, explanations and deliveries are the elements of
// hookmatch/elements (Playwright's CSS selectors reach into their shadow
// roots). Screenshots go to screenshots/ (git-ignored).
import { test, before, after } from "node:test";
import { spawnSync } from "node:child_process";
import assert from "node:assert/strict";
import { copyFile, mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Subscription, dialects } from "hookmatch";
import { serve } from "../../www/serve.mjs";
import { launch } from "./chromium.mjs";

const root = new URL("../../", import.meta.url);
const shots = new URL("screenshots/", root);
let server, browser, base;

before(async () => {
  await mkdir(shots, { recursive: true });
  server = await serve(0);
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
});

async function freshPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  // Console errors too: a failed request (a 404) is one.
  page.on("console", (m) => m.type() === "error" && errors.push(`${m.text()} ${m.location().url}`));
  await page.goto(base);
  await page.waitForFunction(() => window.hookmatchPlayground?.ready);
  return { page, errors, context };
}

/** The text a person sees under a selector, shadow roots included (textContent stops at them). */
const seenText = (page, selector) =>
  page.$eval(selector, (top) => {
    const walk = (n) => (n.nodeType === Node.TEXT_NODE ? n.data : n.nodeName === "STYLE" ? "" : [...(n.shadowRoot ?? n).childNodes].map(walk).join(""));
    return walk(top);
  });

test("a syntax error is placed by the diagnostic's own line and column, counted in the text's characters", async () => {
  const { page, errors, context } = await freshPage();
  // "é" is two bytes in UTF-8 and one unit in the text area: the stray x
  // is the 17th character of the line (the core says byte 18).
  const spec = '{"objCode": "é" x}';
  await page.fill("#spec", spec);
  const item = page.locator('#diagnostics li[data-code="invalid_json"]');
  await item.waitFor();
  assert.equal(await item.getAttribute("data-line"), "1");
  assert.equal(await item.getAttribute("data-column"), String(spec.indexOf("x") + 1));
  assert.deepEqual(errors, []);
  await context.close();
});

test("a bad comparison shows its diagnostic at the right line and column", async () => {
  const { page, errors, context } = await freshPage();
  const spec = [
    "{",
    '  "objCode": "TASK",',
    '  "eventType": "UPDATE",',
    '  "authToken": "token",',
    '  "url": "https://domain-for-subscription.com/API/endpoint/UpdatedTasks",',
    '  "filters": [',
    "    {",
    '      "fieldName": "plannedCompletionDate",',
    '      "fieldValue": "2022-12-11T16:00:00.000-0800",',
    '      "comparison": "get"',
    "    }",
    "  ]",
    "}",
  ].join("\n");
  await page.fill("#spec", spec);
  const item = page.locator('#diagnostics li[data-code="unknown_comparison"]');
  await item.waitFor();
  assert.equal(await item.getAttribute("data-line"), "10");
  assert.equal(await item.getAttribute("data-column"), "7");
  assert.match(await item.textContent(), /did you mean "gte"\?/);
  // Its 10:7 button puts the cursor on the comparison's key in the spec.
  await item.locator("[part=location]").click();
  const at = await page.evaluate(() => [document.activeElement.id, document.querySelector("#spec").selectionStart]);
  assert.deepEqual(at, ["spec", spec.split("\n").slice(0, 9).join("\n").length + 1 + 6]);
  await page.screenshot({ path: new URL("diagnostic.png", shots).pathname });
  // The spec is kept for the next visit.
  await page.reload();
  await page.waitForFunction(() => window.hookmatchPlayground?.ready);
  assert.equal(await page.inputValue("#spec"), spec);
  assert.deepEqual(errors, []);
  await context.close();
});

test("each dialect's sample gives the matched count the package gives", async () => {
  const { page, errors, context } = await freshPage();
  for (const { name: dialect } of dialects()) {
    const spec = await readFile(new URL(`samples/${dialect}/subscription.json`, root), "utf8");
    const events = await readFile(new URL(`samples/${dialect}/events.ndjson`, root), "utf8");
    const want = Subscription.compile(spec, { dialect }).preview(events);
    await page.selectOption("#dialect", dialect);
    await page.click("#load-sample");
    await page.waitForFunction((t) => document.querySelector("#summary").dataset.total === String(t), want.total);
    assert.equal(await page.getAttribute("#summary", "data-matched"), String(want.matched), dialect);
    await page.screenshot({ path: new URL(`sample-${dialect}.png`, shots).pathname });
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test("pasting the Workfront sample gives make preview's table, event for event", async () => {
  const cli = spawnSync(process.execPath, ["pkg/bin/hookmatch.js", "preview", "samples/workfront/subscription.json", "samples/workfront/events.ndjson", "--json"], { cwd: new URL(".", root).pathname, encoding: "utf8" });
  const want = JSON.parse(cli.stdout).results.map((r) => [String(r.index), r.code ? "error" : r.matched ? "matched" : "no", r.code ? `${r.code}: ${r.reason}` : r.reason]);
  const { page, errors, context } = await freshPage();
  await page.fill("#spec", await readFile(new URL("samples/workfront/subscription.json", root), "utf8"));
  await page.fill("#events", await readFile(new URL("samples/workfront/events.ndjson", root), "utf8"));
  await page.click("#run");
  await page.waitForFunction((t) => document.querySelector("#summary").dataset.total === String(t), want.length);
  const got = await page.$$eval("#rows .row", (rows) => rows.map((r) => [...r.querySelectorAll("span")].map((s) => s.textContent)).map(([i, , status, reason]) => [i, status, reason]));
  assert.deepEqual(got, want);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a row expands to its explanation; a matched row shows its delivery", async () => {
  const { page, errors, context } = await freshPage();
  await page.selectOption("#dialect", "workfront");
  await page.click("#load-sample");
  await page.waitForFunction(() => document.querySelector("#summary").dataset.total === "8");
  await page.click('#rows .row[data-index="1"]');
  await page.locator("#detail hookmatch-explanation [part~=row]").first().waitFor();
  const detail = await seenText(page, "#detail");
  assert.match(detail, /eventType is "CREATE"; the subscription wants "UPDATE"/);
  assert.match(detail, /Not matched/);
  // The event's JSON beside the checks: the event the row is.
  const events = (await readFile(new URL("samples/workfront/events.ndjson", root), "utf8")).trim().split("\n");
  assert.deepEqual(JSON.parse(await page.textContent("#detail [part=event-json]")), JSON.parse(events[1]));
  await page.click('#rows .row[data-index="0"]');
  await page.locator("#detail hookmatch-delivery [part=url]").waitFor();
  const url = await page.textContent("#detail hookmatch-delivery [part=url]");
  assert.equal(url, "https://hooks.example.com/workfront/projects");
  const headers = () => page.textContent("#detail hookmatch-delivery [part=headers]");
  assert.ok(!(await headers()).includes("sample-token"), "the token is masked until revealed");
  // Copy as curl: the request with the token masked, as on screen.
  await page.evaluate(() => document.querySelector("#detail hookmatch-delivery").addEventListener("hookmatch-copy", (e) => (window.copied = e.detail.text)));
  await page.click("#detail hookmatch-delivery [part=curl]");
  const curl = await page.evaluate(() => window.copied);
  assert.match(curl, /^curl -X POST 'https:\/\/hooks\.example\.com\/workfront\/projects' -H 'Content-Type: application\/json' -H 'Authorization: Bearer samp••••'/);
  assert.ok(!curl.includes("sample-token"));
  // The body formatted, or exactly as sent.
  const body = () => page.textContent("#detail hookmatch-delivery [part=body]");
  assert.match(await body(), /\n  "eventType": "UPDATE"/);
  await page.click("#detail hookmatch-delivery [part=raw]");
  assert.doesNotMatch(await body(), /\n/);
  await page.click("#detail hookmatch-delivery [part=reveal]");
  assert.ok((await headers()).includes("Bearer sample-token"));
  await page.screenshot({ path: new URL("playground.png", shots).pathname, fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test("a 20 MB NDJSON file runs in the worker with a moving progress bar", async () => {
  const event = JSON.parse(await readFile(new URL("tests/fixtures/workfront/events/update.json", root), "utf8"));
  const lines = [];
  let size = 0;
  for (let i = 0; size < 20 * 1024 * 1024; i++) {
    event.newState.referenceNumber = i;
    event.newState.name = i % 3 ? "EventSub Test updated" : "Quarterly plan";
    const line = JSON.stringify(event);
    lines.push(line);
    size += line.length + 1;
  }
  const file = join(tmpdir(), "hookmatch-20mb.ndjson");
  await writeFile(file, lines.join("\n") + "\n");
  const spec = await readFile(new URL("samples/workfront/subscription.json", root), "utf8");
  const want = Subscription.compile(spec).preview(lines.join("\n"));
  const { page, errors, context } = await freshPage();
  await page.selectOption("#dialect", "workfront");
  await page.fill("#spec", spec);
  await page.evaluate(() => {
    window.progressSeen = [];
    const p = document.querySelector("#progress");
    new MutationObserver(() => window.progressSeen.push(p.value)).observe(document.querySelector("#progress-text"), { childList: true, characterData: true, subtree: true });
  });
  await page.setInputFiles("#file", file);
  await page.waitForFunction((t) => document.querySelector("#summary").dataset.total === String(t), want.total, { timeout: 120_000 });
  assert.equal(await page.getAttribute("#summary", "data-matched"), String(want.matched));
  const seen = await page.evaluate(() => window.progressSeen);
  const moving = seen.filter((v) => v > 0 && v < 1);
  assert.ok(moving.length >= 3, `progress moved through ${JSON.stringify(seen.slice(0, 10))}`);
  // The page stays responsive and the table is virtualised.
  assert.ok((await page.locator("#rows .row").count()) < 100);
  await page.evaluate(() => (document.querySelector("#viewport").scrollTop = 1e9));
  await page.waitForTimeout(100);
  const last = await page.locator("#rows .row").last().getAttribute("data-index");
  assert.equal(last, String(want.total - 1));
  await page.screenshot({ path: new URL("large-file.png", shots).pathname });
  assert.deepEqual(errors, []);
  await context.close();
});

test("a JSON array of 150,000 events shows all of them (no stack overflow, no silent 0 of 0)", async () => {
  const events = Array.from({ length: 150_000 }, (_, i) => ({ eventType: "UPDATE", newState: { objCode: "PROJ", status: i % 4 ? "CUR" : "PLN", ID: String(i) }, oldState: {} }));
  const text = JSON.stringify(events);
  const spec = JSON.stringify({ objCode: "PROJ", eventType: "UPDATE", url: "https://hooks.example.com/p", authToken: "t", filters: [{ fieldName: "status", fieldValue: "CUR" }] });
  const want = Subscription.compile(spec).preview(text);
  assert.equal(want.total, 150_000);
  const file = join(await mkdtemp(join(tmpdir(), "hookmatch-array-")), "events.json");
  await writeFile(file, text);
  const { page, errors, context } = await freshPage();
  await page.fill("#spec", spec);
  await page.setInputFiles("#file", file);
  await page.waitForFunction((t) => document.querySelector("#summary").dataset.total === String(t), want.total, { timeout: 120_000 });
  assert.equal(await page.getAttribute("#summary", "data-matched"), String(want.matched));
  assert.match(await page.textContent("#summary"), /^112500 of 150000 events matched; 0 could not be read$/);
  assert.deepEqual(errors, []);
  await context.close();
});

const neverSpec = JSON.stringify({ objCode: "TASK", eventType: "UPDATE", url: "https://hooks.example.com/t", authToken: "t", filters: [{ fieldName: "status", fieldValue: "CUR" }, { fieldName: "status", fieldValue: "CPL" }] }, null, 2);

test("lint findings show inline with the diagnostics, at the later conflicting filter", async () => {
  const { page, errors, context } = await freshPage();
  await page.fill("#spec", neverSpec);
  const item = page.locator('#diagnostics li[data-code="never_matches"]');
  await item.waitFor();
  assert.match(await item.textContent(), /\/filters\/0/);
  // /filters/1 is the object that opens on line 11 of the pretty-printed spec.
  const lines = neverSpec.split("\n");
  assert.equal(lines[10].trim(), "{");
  assert.equal(lines[11].trim(), '"fieldName": "status",');
  assert.equal(await item.getAttribute("data-line"), "11");
  assert.deepEqual(errors, []);
  await context.close();
});

test("Generate an event that fires: the event is loaded, evaluated, and matches", async () => {
  const { page, errors, context } = await freshPage();
  const spec = await readFile(new URL("samples/workfront/subscription.json", root), "utf8");
  await page.fill("#spec", spec);
  await page.click("#generate");
  await page.waitForFunction(() => document.querySelector("#summary").dataset.total === "1");
  assert.equal(await page.getAttribute("#summary", "data-matched"), "1");
  const event = JSON.parse(await page.inputValue("#events"));
  assert.equal(Subscription.compile(spec).matches(event), true);
  // A spec no event can fire says so instead.
  await page.fill("#spec", neverSpec);
  await page.click("#generate");
  await page.waitForFunction(() => /no event can fire/.test(document.querySelector("#summary").textContent));
  assert.deepEqual(errors, []);
  await context.close();
});

test("What would this event need: a non-matching row gets the fewest changes that make it fire", async () => {
  const { page, errors, context } = await freshPage();
  await page.selectOption("#dialect", "workfront");
  await page.click("#load-sample");
  await page.waitForFunction(() => document.querySelector("#summary").dataset.total === "8");
  await page.click('#rows .row[data-index="1"]');
  await page.click("#detail .need-button");
  await page.locator("#detail .need-event").waitFor();
  const fixed = JSON.parse(await page.textContent("#detail .need-event"));
  const spec = await readFile(new URL("samples/workfront/subscription.json", root), "utf8");
  assert.equal(Subscription.compile(spec).matches(fixed), true);
  assert.match(await page.textContent("#detail .need"), /Change \/eventType/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("If you save this edit: the saved spec against the edited one over the loaded events", async () => {
  const { page, errors, context } = await freshPage();
  await page.selectOption("#dialect", "workfront");
  await page.click("#load-sample");
  await page.waitForFunction(() => document.querySelector("#summary").dataset.total === "8");
  await page.click("#save-spec");
  const spec = JSON.parse(await page.inputValue("#spec"));
  const edited = { ...spec, filters: [] };
  await page.fill("#spec", JSON.stringify(edited, null, 2));
  await page.click("#run");
  await page.waitForFunction(() => document.querySelector("#edit-relation")?.dataset.relation);
  assert.equal(await page.getAttribute("#edit-relation", "data-relation"), "wider");
  const events = await readFile(new URL("samples/workfront/events.ndjson", root), "utf8");
  const want = Subscription.compile(edited).preview(events).matched - Subscription.compile(spec).preview(events).matched;
  assert.match(await page.textContent("#edit-events"), new RegExp(`^Of the loaded events: ${want} gained`));
  assert.deepEqual(errors, []);
  await context.close();
});

test("after an edit the table and the edit panel recompute with no Evaluate, marked out of date until they do", async () => {
  const { page, errors, context } = await freshPage();
  await page.selectOption("#dialect", "workfront");
  await page.click("#load-sample");
  await page.waitForFunction(() => document.querySelector("#summary").dataset.total === "8");
  await page.click("#save-spec");
  const events = await readFile(new URL("samples/workfront/events.ndjson", root), "utf8");
  const saved = JSON.parse(await page.inputValue("#spec"));
  const type = (spec) =>
    page.evaluate((text) => {
      const spec = document.querySelector("#spec");
      spec.value = text;
      spec.dispatchEvent(new Event("input", { bubbles: true }));
      // Marked at once, before any recomputation could have finished.
      return [document.querySelector("#results-pane").hasAttribute("data-stale"), !document.querySelector("#stale").hidden];
    }, JSON.stringify(spec, null, 2));
  const settled = (matched) =>
    page.waitForFunction((m) => document.querySelector("#summary").dataset.matched === String(m) && !document.querySelector("#results-pane").hasAttribute("data-stale") && !document.querySelector("#edit-panel").hasAttribute("data-stale"), matched);

  // No filters: wider than the saved spec.
  const wider = { ...saved, filters: [] };
  assert.deepEqual(await type(wider), [true, true]);
  await settled(Subscription.compile(wider).preview(events).matched);
  assert.equal(await page.getAttribute("#edit-relation", "data-relation"), "wider");
  assert.equal(await page.isHidden("#stale"), true);

  // The case: eventType CREATE. A Workfront subscription has one
  // eventType, so no event fires both: disjoint, and none "still fire".
  const created = { ...wider, eventType: "CREATE" };
  assert.deepEqual(await type(created), [true, true]);
  await settled(Subscription.compile(created).preview(events).matched);
  assert.equal(await page.getAttribute("#edit-relation", "data-relation"), "disjoint");
  assert.match(await page.textContent("#edit-events"), /, 0 still fire,/);
  // Typing again before the recomputation ends: the last edit wins.
  await type(saved);
  await type(created);
  await settled(Subscription.compile(created).preview(events).matched);
  assert.equal(await page.getAttribute("#edit-relation", "data-relation"), "disjoint");

  // Editing the events recomputes too.
  await page.fill("#events", events.split("\n")[1]);
  await page.waitForFunction(() => document.querySelector("#summary").dataset.total === "1" && !document.querySelector("#results-pane").hasAttribute("data-stale"));
  assert.equal(await page.getAttribute("#summary", "data-matched"), String(Subscription.compile(created).preview(events.split("\n")[1]).matched));
  assert.deepEqual(errors, []);
  await context.close();
});

test("a binary file and a file of non-JSON text each get a clear message; an unreadable row says why", async () => {
  const { page, errors, context } = await freshPage();
  await page.waitForFunction(() => document.querySelector("#summary").dataset.total === "8");
  // A PNG's signature and header: a NUL byte, and bytes that are not UTF-8.
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
  await page.setInputFiles("#file", { name: "photo.png", mimeType: "image/png", buffer: png });
  await page.waitForFunction(() => document.querySelector("#summary").dataset.error === "binary");
  assert.match(await page.textContent("#summary"), /^photo\.png is not UTF-8 text .*JSON, a JSON array or NDJSON/);
  assert.equal(await page.locator("#rows .row").count(), 0);
  // A UTF-16 file is not UTF-8 either (JSON text is UTF-8: RFC 8259 §8.1).
  await page.setInputFiles("#file", { name: "utf16.json", mimeType: "application/json", buffer: Buffer.from("\ufeff{}", "utf16le") });
  await page.waitForFunction(() => /^utf16\.json is not UTF-8 text/.test(document.querySelector("#summary").textContent));

  await page.setInputFiles("#file", { name: "events.csv", mimeType: "text/csv", buffer: Buffer.from("eventType,objCode\nUPDATE,PROJ\n") });
  await page.waitForFunction(() => document.querySelector("#summary").dataset.total === "1");
  assert.match(await page.textContent("#summary"), /^No event could be read: the events must be JSON, a JSON array or NDJSON/);
  await page.click('#rows .row[data-pos="0"]');
  await page.locator("#detail .error").waitFor();
  const detail = await page.textContent("#detail .error");
  assert.match(detail, /^could not be read: invalid_json: /);
  assert.doesNotMatch(detail, /missing|undefined/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the service worker serves a new build after a deploy, not the cached one", async () => {
  // A copy of the built playground, served from a folder this test deploys into.
  const dir = await mkdtemp(join(tmpdir(), "hookmatch-deploy-"));
  const dist = new URL("www/dist/", root);
  for (const f of await readdir(dist)) await copyFile(new URL(f, dist), join(dir, f));
  const site = await serve(0, "127.0.0.1", new URL(`file://${dir}/`));
  const url = `http://127.0.0.1:${site.address().port}/`;
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => window.hookmatchPlayground?.ready);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20_000 });
    const firstBuild = await page.evaluate(async () => (await caches.keys()).find((k) => k.startsWith("hookmatch-playground-")));
    // Deploy a second build: the page says so, and the worker's build name changes.
    const main = await readFile(join(dir, "main.js"), "utf8");
    await writeFile(join(dir, "main.js"), `${main}\nwindow.deployed = "second build";\n`);
    const sw = await readFile(join(dir, "sw.js"), "utf8");
    await writeFile(join(dir, "sw.js"), sw.replace(/const BUILD = "[^"]+";/, 'const BUILD = "second";'));
    await page.reload();
    await page.waitForFunction(() => window.hookmatchPlayground?.ready);
    assert.equal(await page.evaluate(() => window.deployed), "second build");
    // The new worker replaces the old build's cache.
    await page.waitForFunction(async () => (await caches.keys()).includes("hookmatch-playground-second"), null, { timeout: 20_000 });
    await page.waitForFunction(async (old) => !(await caches.keys()).includes(old), firstBuild, { timeout: 20_000 });
  } finally {
    await context.close();
    site.close();
  }
});

test("the first visit shows results; a reload keeps the spec and the events", async () => {
  const { page, errors, context } = await freshPage();
  await page.waitForFunction(() => document.querySelector("#summary").dataset.total === "8");
  await page.fill("#events", '{"eventType":"UPDATE","newState":{"objCode":"PROJ"},"oldState":{}}');
  await page.reload();
  await page.waitForFunction(() => window.hookmatchPlayground?.ready);
  assert.equal(await page.inputValue("#events"), '{"eventType":"UPDATE","newState":{"objCode":"PROJ"},"oldState":{}}');
  await page.waitForFunction(() => document.querySelector("#summary").dataset.total === "1");
  assert.deepEqual(errors, []);
  await context.close();
});

test("rows and details by keyboard; errors and warnings in words; a labelled file input", async () => {
  const { page, errors, context } = await freshPage();
  await page.waitForFunction(() => document.querySelector("#summary").dataset.total === "8");
  await page.focus('#rows .row[data-pos="0"]');
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.evaluate(() => document.activeElement.dataset.index), "1");
  await page.keyboard.press("Enter");
  await page.locator("#detail hookmatch-explanation [part~=row]").first().waitFor();
  assert.match(await page.textContent("#detail h3"), /^Event 1/);
  // The detail is brought into view, not left below the fold.
  const seen = await page.evaluate(() => {
    // Closed, the detail's top is 10 px above the bottom edge of this 1000 px window.
    const r = document.querySelector("#detail hookmatch-explanation").getBoundingClientRect();
    return r.top >= 0 && r.top + 40 < innerHeight;
  });
  assert.equal(seen, true, "the opened detail is on screen");
  assert.equal(await page.locator('#rows .row[tabindex="0"]').count(), 1, "one row in the tab order");
  await page.fill("#spec", JSON.stringify({ objCode: "TASK", eventType: "UPDATE", url: "http://hooks.example.com/t", authToken: "t", filters: [{ fieldName: "a", fieldValue: "1" }, { fieldName: "a", fieldValue: "2" }] }));
  await page.locator('#diagnostics li[data-code="never_matches"]').waitFor();
  assert.match(await page.textContent('#diagnostics li[data-code="never_matches"] [part=severity]'), /^Warning$/);
  assert.equal(await page.evaluate(() => document.querySelector("label[for=file]")?.textContent.length > 0), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test("Cancel clears the run; the same file runs again; Evaluate runs the loaded file", async () => {
  const { page, errors, context } = await freshPage();
  await page.waitForFunction(() => document.querySelector("#summary").dataset.total === "8");
  // Evaluate, then Cancel before the worker answers.
  await page.evaluate(() => {
    document.querySelector("#run").click();
    document.querySelector("#cancel").click();
  });
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await page.locator("#rows .row").count(), 0);
  assert.equal(await page.textContent("#progress-text"), "cancelled");
  assert.equal(await page.textContent("#summary"), "");
  const file = join(await mkdtemp(join(tmpdir(), "hookmatch-file-")), "events.ndjson");
  await writeFile(file, `${'{"eventType":"UPDATE","newState":{"objCode":"PROJ","status":"CUR"},"oldState":{}}\n'.repeat(3)}`);
  await page.setInputFiles("#file", file);
  await page.waitForFunction(() => document.querySelector("#summary").dataset.total === "3");
  await page.setInputFiles("#file", file);
  await page.waitForFunction(() => document.querySelector("#summary").dataset.total === "3");
  await page.click("#run");
  await page.waitForFunction(() => document.querySelector("#summary").dataset.total === "3");
  assert.deepEqual(errors, []);
  await context.close();
});

test("at 390 px wide nothing scrolls sideways", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(base);
  await page.waitForFunction(() => window.hookmatchPlayground?.ready);
  await page.waitForFunction(() => document.querySelector("#summary").dataset.total === "8");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
  await context.close();
});

test("an Asana row speaks Asana: no state names, no empty gate table", async () => {
  const { page, errors, context } = await freshPage();
  await page.selectOption("#dialect", "asana");
  await page.click("#load-sample");
  const events = await readFile(new URL("samples/asana/events.ndjson", root), "utf8");
  const total = Subscription.compile(await readFile(new URL("samples/asana/subscription.json", root), "utf8")).preview(events).total;
  await page.waitForFunction((t) => document.querySelector("#summary").dataset.total === String(t), total);
  const miss = await page.$$eval("#rows .row", (rows) => rows.find((r) => r.classList.contains("no"))?.dataset.index);
  await page.click(`#rows .row[data-index="${miss}"]`);
  await page.locator("#detail hookmatch-explanation [part~=row]").first().waitFor();
  const detail = await seenText(page, "#detail");
  assert.match(detail, /resource_type/);
  assert.doesNotMatch(detail, /newState|oldState/);
  assert.equal(await page.locator("#detail hookmatch-explanation [part~=gate]").count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("axe-core finds no serious or critical accessibility violation (results and a detail open)", async () => {
  const { page, errors, context } = await freshPage();
  await page.waitForFunction(() => document.querySelector("#summary").dataset.total === "8");
  await page.click('#rows .row[data-index="0"]');
  await page.locator("#detail .delivery").waitFor();
  await page.addScriptTag({ path: new URL("node_modules/axe-core/axe.min.js", root).pathname });
  const violations = await page.evaluate(async () => (await window.axe.run(document)).violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 3) })));
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(bad, [], JSON.stringify(bad, null, 1));
  assert.deepEqual(errors, []);
  await context.close();
});
