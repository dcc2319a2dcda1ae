// The installed tarball in a Cloudflare Worker project driven by wrangler, the
// way its users run it: `wrangler deploy --dry-run` bundles it (the `workerd`
// export condition, the .wasm uploaded as its own module), and `wrangler dev`
// serves it from a local workerd that this test calls over HTTP.
//
// wrangler is pinned at 4.86.0, the last release that runs on Node 20 (later
// ones want Node 22.12); the compatibility date is one its workerd supports.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, serving } from "../runtimes/static.mjs";

const root = new URL("../../", import.meta.url).pathname;
const app = new URL("./wrangler-app/", import.meta.url).pathname;
const wrangler = join(root, "node_modules/.bin/wrangler");
// No telemetry, and no colour in the output a failure prints.
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", FORCE_COLOR: "0" };

test("wrangler deploy --dry-run bundles the worker with the wasm as its own module", async () => {
  const out = await mkdtemp(join(tmpdir(), "hookmatch-wrangler-"));
  const r = spawnSync(wrangler, ["deploy", "--dry-run", "--outdir", out], { cwd: app, env, encoding: "utf8", timeout: 120_000 });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  const files = await readdir(out);
  assert.ok(files.some((f) => f.endsWith("hookmatch_bg.wasm")), `no wasm module among ${files}`);
  assert.ok(files.includes("index.js"), `no bundle among ${files}`);
});

test("wrangler dev serves the worker, and it routes events with hookmatch", async () => {
  const port = await freePort();
  // detached: wrangler starts workerd as its own child; the whole group is stopped at the end.
  const child = spawn(wrangler, ["dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", "0", "--show-interactive-dev-session=false"], {
    cwd: app,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  try {
    assert.ok(await serving(`${base}/smoke`, child), `wrangler dev did not serve: ${log}`);
    assert.deepEqual(await (await fetch(`${base}/smoke`)).json(), { failures: [] });

    // Kanboard's own events: task.move.column is one it posts, task.overdue is not routed to web hooks.
    const spec = { url: "https://kanboard.example.com/hook", token: "k", events: ["task.move.column"] };
    const events = [
      { event_name: "task.move.column", event_data: { task_id: 4, project_id: 1 } },
      { event_name: "task.create", event_data: { task_id: 5, project_id: 1 } },
    ];
    const res = await fetch(`${base}/match`, { method: "POST", body: JSON.stringify({ spec, events }) });
    const { results } = await res.json();
    assert.deepEqual(results.map((r) => r.matched), [true, false]);
    assert.match(results[1].reason, /task\.create/);

    const bad = await fetch(`${base}/match`, { method: "POST", body: JSON.stringify({ spec: { ...spec, events: ["task.overdue"] }, events }) });
    assert.equal(bad.status, 400);
    const { error } = await bad.json();
    assert.equal(error.code, "unknown_event");
    assert.equal(error.path, "/events/0");
    assert.equal(JSON.stringify(error).includes('"k"'), false, "the token is not echoed");
  } finally {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
    await new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", r)));
    await rm(join(app, ".wrangler"), { recursive: true, force: true });
  }
});
