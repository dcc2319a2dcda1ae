// The npm README's element examples, run as written in Chromium against
// the installed package: the plain DOM block, and the React component
// rendered by React 19 (its props reach the elements as properties, and
// onhookmatch-select and the ref's hookmatch-copy listener hear the events).
// tests/js/typescript.test.mjs compiles the same blocks.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, copyFile, writeFile, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { serveDir } from "../runtimes/static.mjs";
import { launch } from "../browser/chromium.mjs";

const root = new URL("../../", import.meta.url).pathname;
let dir, server, browser;

/** The README's code block that follows `heading` and opens with ```lang. */
async function block(heading, lang) {
  const readme = await readFile(join(root, "node_modules/hookmatch/README.md"), "utf8");
  const at = readme.indexOf(heading);
  assert.ok(at >= 0, `no "${heading}" in the npm README`);
  const start = readme.indexOf("\n", readme.indexOf("```" + lang + "\n", at)) + 1;
  return readme.slice(start, readme.indexOf("```", start));
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "hookmatch-readme-elements-"));
  // Bundled from a directory inside the repository so that "hookmatch",
  // "react" and "react-dom" resolve to the installed packages.
  const here = join(root, "tests/js");
  await writeFile(join(here, "_readme-dom.js"), await block("## Components for admin UIs", "js"));
  await writeFile(join(here, "_readme-react.tsx"), await block("### In React", "tsx"));
  await writeFile(
    join(here, "_readme-react-app.tsx"),
    `import { createRoot } from "react-dom/client";
import { SubscriptionPanel } from "./_readme-react.tsx";
// A fieldValue that "changed" ignores: a warning (Adobe's comparison reads
// only oldState and newState), so the spec still compiles and fires.
const filters = [{ fieldName: "status", comparison: "changed", fieldValue: "CUR" }];
const text = JSON.stringify({ objCode: "TASK", eventType: "UPDATE", url: "https://hooks.example.com/wf", authToken: "secret-token", filters });
const event = { eventType: "UPDATE", newState: { objCode: "TASK", status: "CUR" }, oldState: { objCode: "TASK", status: "NEW" } };
createRoot(document.getElementById("react")!).render(<SubscriptionPanel text={text} event={event} />);
`,
  );
  // What the README says of Preact: it sets the properties and adds
  // onhookmatch-select as a listener, as React 19 does.
  await writeFile(
    join(here, "_readme-preact-app.tsx"),
    `/** @jsxImportSource preact */
import { render } from "preact";
import { validate } from "hookmatch";
import "hookmatch/elements";
const diagnostics = validate('{"objCode": "TASK", "eventType": "UPDATED", "url": "https://hooks.example.com/wf", "authToken": "t"}');
render(<hookmatch-diagnostics diagnostics={diagnostics} onhookmatch-select={(e: CustomEvent) => console.log("selected", e.detail.code)} />, document.getElementById("preact")!);
`,
  );
  try {
    for (const [entry, out] of [["_readme-dom.js", "dom.js"], ["_readme-react-app.tsx", "react.js"], ["_readme-preact-app.tsx", "preact.js"]]) {
      await build({
        entryPoints: [join(here, entry)],
        bundle: true,
        format: "esm",
        platform: "browser",
        jsx: "automatic",
        define: { "process.env.NODE_ENV": '"production"' },
        outfile: join(dir, out),
        logLevel: "warning",
      });
    }
  } finally {
    for (const f of ["_readme-dom.js", "_readme-react.tsx", "_readme-react-app.tsx", "_readme-preact-app.tsx"]) await rm(join(here, f), { force: true });
  }
  // Every .wasm of the package beside the bundles (the browser entry may load
  // a smaller module than the full one).
  const installed = join(root, "node_modules/hookmatch");
  for (const f of (await readdir(installed)).filter((f) => f.endsWith(".wasm"))) await copyFile(join(installed, f), join(dir, f));
  await writeFile(join(dir, "dom.html"), `<!doctype html><meta charset="utf-8"><title>dom</title><textarea></textarea><script type="module" src="./dom.js"></script>`);
  await writeFile(join(dir, "react.html"), `<!doctype html><meta charset="utf-8"><title>react</title><div id="react"></div><script type="module" src="./react.js"></script>`);
  await writeFile(join(dir, "preact.html"), `<!doctype html><meta charset="utf-8"><title>preact</title><div id="preact"></div><script type="module" src="./preact.js"></script>`);
  server = await serveDir(dir);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Wait (up to 5 s) for what the page logged to satisfy `ok`. */
async function until(ok, logs) {
  for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(ok(), `the page logged:\n${logs.join("\n")}`);
}

async function open(name) {
  const page = await browser.newPage();
  const errors = [];
  const logs = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => logs.push(m.text()));
  await page.goto(`http://127.0.0.1:${server.address().port}/${name}.html`);
  return { page, errors, logs };
}

test("the npm README's DOM example renders the three elements and hears hookmatch-copy", async () => {
  const { page, errors, logs } = await open("dom");
  await page.waitForFunction(() => document.body.querySelectorAll("hookmatch-diagnostics, hookmatch-explanation, hookmatch-delivery").length === 3);
  assert.deepEqual(errors, []);
  // A valid spec: no findings; the event fires, so its delivery is shown masked.
  assert.equal(await page.locator("hookmatch-diagnostics >> [part=empty]").count(), 1);
  assert.equal(await page.evaluate(() => document.querySelector("hookmatch-explanation").explanation.matched), true);
  const headers = await page.locator("hookmatch-delivery >> [part~=headers]").textContent();
  assert.match(headers, /Authorization/);
  assert.doesNotMatch(headers, /Bearer t\b/);
  await page.locator("hookmatch-delivery >> [part~=curl]").click();
  await until(() => logs.some((l) => l.startsWith("curl ")), logs);
});

test("the npm README's React component passes properties and hears hookmatch-select and hookmatch-copy", async () => {
  const { page, errors, logs } = await open("react");
  await page.waitForFunction(() => document.querySelector("hookmatch-delivery")?.delivery);
  assert.deepEqual(errors, []);
  // React 19 set properties, not attributes.
  const shown = await page.evaluate(() => ({
    codes: document.querySelector("hookmatch-diagnostics").diagnostics.map((d) => d.code),
    attribute: document.querySelector("hookmatch-diagnostics").getAttribute("diagnostics"),
    matched: document.querySelector("hookmatch-explanation").explanation?.matched,
    method: document.querySelector("hookmatch-delivery").delivery.method,
  }));
  assert.deepEqual(shown, { codes: ["ignored_field_value"], attribute: null, matched: true, method: "POST" });
  // onhookmatch-select: Enter on a diagnostic sets the component's state.
  await page.locator("hookmatch-diagnostics >> [part~=item]").first().focus();
  await page.keyboard.press("Enter");
  await page.waitForSelector("#react > p");
  assert.match(await page.locator("#react > p").textContent(), /^\/filters\/0\/fieldValue: changed ignores fieldValue/);
  // The ref's listener: "Copy as curl" logs the copied text's length.
  await page.locator("hookmatch-delivery >> [part~=curl]").click();
  await until(() => logs.some((l) => /^copied \d+$/.test(l)), logs);
});

test("Preact, as the npm README says, sets the properties and hears onhookmatch-select", async () => {
  const { page, errors, logs } = await open("preact");
  await page.waitForFunction(() => document.querySelector("hookmatch-diagnostics")?.diagnostics?.length);
  assert.deepEqual(errors, []);
  assert.equal(await page.evaluate(() => document.querySelector("hookmatch-diagnostics").getAttribute("diagnostics")), null);
  await page.locator("hookmatch-diagnostics >> [part~=item]").first().focus();
  await page.keyboard.press("Enter");
  await until(() => logs.includes("selected unknown_event_type"), logs);
});
