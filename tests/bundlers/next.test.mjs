// The installed tarball in a Next.js App Router app with no Next.js config
// (tests/bundlers/next-app): a client component that uses the API and an
// element (rendered on the server too, where Next bundles the Node entry),
// and a route handler. `next build` then `next start`, and `next dev`
// (Turbopack, Next 16's default), each checked in headless Chromium.
//
// The app is a fresh project in a temp dir, installed as a user installs it:
// the tarball plus the next, react and react-dom that the root package.json
// pins, from npm's local cache (--offline; --prefer-offline when the cache
// lacks some metadata). Next's Turbopack compiles nothing outside the app's
// root, so the root's node_modules cannot simply be linked in.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, serving } from "../runtimes/static.mjs";
import { launch } from "../browser/chromium.mjs";

const root = new URL("../../", import.meta.url).pathname;
const tarball = readdirSync(join(root, "target")).find((f) => /^hookmatch-.*\.tgz$/.test(f));
const pins = JSON.parse(await readFile(join(root, "package.json"), "utf8")).devDependencies;
// No telemetry (no network), and no colour in the output a failure prints.
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NO_COLOR: "1", FORCE_COLOR: "0" };
// Kanboard posts task.create when subscribed to it; a Workfront spec whose two
// filters want one field equal to two values can never fire.
const want = { dialect: "kanboard", matches: true, lint: ["never_matches"] };

let app, next, browser;

before(async () => {
  assert.ok(tarball, "no target/hookmatch-*.tgz: run make tarball");
  app = await mkdtemp(join(tmpdir(), "hookmatch-next-"));
  await cp(new URL("./next-app/", import.meta.url).pathname, app, { recursive: true });
  await writeFile(join(app, "package.json"), JSON.stringify({ name: "next-app", private: true, scripts: {} }));
  const deps = [`next@${pins.next}`, `react@${pins.react}`, `react-dom@${pins["react-dom"]}`, join(root, "target", tarball)];
  const install = (mode) => spawnSync("npm", ["install", mode, "--no-audit", "--no-fund", "--loglevel=error", ...deps], { cwd: app, env, encoding: "utf8", timeout: 300_000 });
  let r = install("--offline");
  if (r.status !== 0) r = install("--prefer-offline");
  assert.equal(r.status, 0, `npm install: ${r.stdout}${r.stderr}`);
  next = join(app, "node_modules/next/dist/bin/next");
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (app) await rm(app, { recursive: true, force: true });
});

/** Runs `next <args>` on a free port until `use(base)` settles, then stops its process group. */
async function serve(args, use) {
  const port = await freePort();
  // detached: next dev runs its server in a child process; the whole group is stopped at the end.
  const child = spawn(process.execPath, [next, ...args, "--hostname", "127.0.0.1", "--port", String(port)], { cwd: app, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  try {
    assert.ok(await serving(`${base}/api/answer`, child), `next ${args[0]} did not serve: ${log}`);
    await use(base, () => log);
  } finally {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once("exit", r)));
  }
}

async function check(base, log) {
  // The route handler.
  assert.deepEqual(await (await fetch(`${base}/api/answer`)).json(), want);

  // The server render: hookmatch answered before any script ran.
  const html = await (await fetch(`${base}/`)).text();
  assert.match(html, /<p id="dialect">kanboard<\/p>/, "the server render shows the dialect");

  // The client component after hydration, and the element it fills.
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  try {
    await page.goto(`${base}/`);
    // A page error says more than the timeout it leads to.
    await page.waitForFunction(() => document.getElementById("result")?.textContent, null, { timeout: 60_000 }).catch((e) => {
      throw new Error(`${e.message}; page errors: ${errors.join("; ") || "none"}`);
    });
    assert.deepEqual(JSON.parse(await page.textContent("#result")), want);
    const items = await page.evaluate(() => [...document.getElementById("diagnostics").shadowRoot.querySelectorAll("[part~=item]")].map((li) => li.dataset.code));
    assert.deepEqual(items, want.lint);
    assert.deepEqual(errors, [], log());
  } finally {
    await page.close();
  }
}

test("next build, then next start: the page, its element and the route handler use hookmatch", async () => {
  const r = spawnSync(process.execPath, [next, "build"], { cwd: app, env, encoding: "utf8", timeout: 300_000 });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  await serve(["start"], check);
});

test("next dev serves the same app", async () => {
  await serve(["dev"], check);
});
