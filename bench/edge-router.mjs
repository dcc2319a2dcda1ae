// The edge router (examples/edge-router) under `wrangler dev` on the
// loopback, with 10,000 members in its local KV: requests per second and
// p50/p99 latency of a Workfront webhook routed and forwarded (and in dry
// run), the isolate's cold start (the first request after `wrangler dev`
// is ready: module, KV read and compiling the set), and, in this Node
// process, what hookmatch itself spends per request (set.deliver) and per
// rebuild (SubscriptionSet.compile) at the same size.
//
//   node bench/edge-router.mjs [members=10000] [seconds=10] [concurrency=8]
//
// Not part of `make test` (no test asserts a time). Needs the installed
// tarball (`make tarball`); the numbers go to docs/performance.md.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import os from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { SubscriptionSet } from "hookmatch";
import { rng, workfrontEvent } from "./data.mjs";
import { freePort } from "../tests/runtimes/static.mjs";

const [MEMBERS = 10_000, SECONDS = 10, CONCURRENCY = 8] = process.argv.slice(2).map(Number);
const root = new URL("../", import.meta.url).pathname;
const app = join(root, "examples/edge-router");
const wrangler = join(root, "node_modules/.bin/wrangler");
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", FORCE_COLOR: "0" };
const ADMIN = "bench-admin";
const SOURCES = JSON.stringify({ workfront: {} });

// ------------------------------------------------------------ data

const r = rng(2026);
const OWNERS = Array.from({ length: MEMBERS / 2 }, (_, i) => `owner${String(i).padStart(6, "0")}`);
/** Members as a router holds them: each its own target, subscriptionId and an owner filter (two members per owner). */
function members(port) {
  return Array.from({ length: MEMBERS }, (_, i) => ({
    id: `m${i}`,
    spec: {
      objCode: i % 2 ? "TASK" : "PROJ",
      eventType: "UPDATE",
      url: `http://127.0.0.1:${port}/m/${i}`,
      authToken: `token-${i}`,
      filters: [{ fieldName: "ownerID", fieldValue: OWNERS[Math.floor(i / 2) % OWNERS.length] }],
    },
    deliver: { subscriptionId: `sub-${i}` },
  }));
}
/** 64 Workfront UPDATE events of 2 KB whose owner fires one member each. */
const EVENTS = Array.from({ length: 64 }, (_, k) => {
  const e = workfrontEvent(r, 2);
  const objCode = k % 2 ? "TASK" : "PROJ";
  e.eventType = "UPDATE";
  e.newState = { ...e.newState, objCode, ownerID: OWNERS[(k * 37) % OWNERS.length] };
  e.oldState = { ...e.newState, status: "NEW" };
  return JSON.stringify(e);
});

// ------------------------------------------------------------ processes

function receiver() {
  let count = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      count++;
      res.writeHead(200).end();
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ port: server.address().port, count: () => count, close: () => server.close() })));
}

async function startWrangler(state, port) {
  const started = performance.now();
  const child = spawn(
    wrangler,
    ["dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", "0", "--show-interactive-dev-session=false", "--persist-to", state,
      "--var", `ADMIN_TOKEN:${ADMIN}`, "--var", `SOURCES:${SOURCES}`, "--var", "REFRESH_MS:600000"],
    { cwd: app, env, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  const ready = new Promise((resolve, reject) => {
    const seen = (d) => {
      log += d;
      if (/Ready on/.test(log)) resolve(performance.now() - started);
    };
    child.stdout.on("data", seen);
    child.stderr.on("data", seen);
    child.once("exit", () => reject(new Error(`wrangler dev exited: ${log}`)));
  });
  const readyMs = await ready;
  const stop = async () => {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
    await new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", r)));
  };
  return { readyMs, stop, log: () => log, pgid: child.pid };
}

/** Polls until the worker answers (any status): the ready line can precede the listening socket. */
async function firstAnswer(url, init) {
  for (let i = 0; i < 600; i++) {
    const t = performance.now();
    try {
      const res = await fetch(url, init());
      await res.arrayBuffer();
      return { ms: performance.now() - t, status: res.status };
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error("no answer");
}

/**
 * CPU seconds (user + system, from /proc) of wrangler's process group, split
 * into workerd (the isolate's runtime) and the rest (wrangler's Node proxy).
 * Linux only; elsewhere the split is left out.
 */
async function groupCpu(pgid) {
  const out = { workerd: 0, wrangler: 0 };
  let pids = [];
  try {
    pids = (await readdir("/proc")).filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  for (const pid of pids) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // After the command: state(0) ppid(1) pgrp(2) … utime(11) stime(12), in clock ticks (100 Hz).
      if (Number(fields[2]) !== pgid) continue;
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      out[comm.includes("workerd") ? "workerd" : "wrangler"] += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {}
  }
  return out;
}

const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function load(base, path, seconds) {
  const lat = [];
  let i = 0;
  let failed = 0;
  const end = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const body = EVENTS[i++ % EVENTS.length];
      const t = performance.now();
      const res = await fetch(`${base}${path}`, { method: "POST", body, headers: { "content-type": "application/json" } });
      await res.arrayBuffer();
      if (!res.ok) failed++;
      lat.push(performance.now() - t);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const wall = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  return { requests: lat.length, perSecond: lat.length / wall, p50: pct(lat, 50), p99: pct(lat, 99), failed };
}

// ------------------------------------------------------------ run

const rx = await receiver();
const entries = members(rx.port);
const entriesText = JSON.stringify(entries);

// hookmatch alone, in this process: a rebuild and one request's routing.
const c0 = performance.now();
const set = SubscriptionSet.compile(entriesText);
const compileMs = performance.now() - c0;
let fired = 0;
for (let k = 0; k < 2000; k++) fired += set.deliver(EVENTS[k % EVENTS.length]).length;
const n = 20_000;
const d0 = performance.now();
for (let k = 0; k < n; k++) set.deliver(EVENTS[k % EVENTS.length]);
const deliverUs = ((performance.now() - d0) / n) * 1000;
set.free();

const state = await mkdtemp(join(tmpdir(), "hookmatch-edge-bench-"));
const auth = { authorization: `Bearer ${ADMIN}` };
const results = { members: MEMBERS, seconds: SECONDS, concurrency: CONCURRENCY, node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, compileMs, deliverUs, firedPerEvent: fired / 2000 };
try {
  // Load the members once (persisted in `state`), then measure.
  let port = await freePort();
  let w = await startWrangler(state, port);
  let base = `http://127.0.0.1:${port}`;
  await firstAnswer(`${base}/admin/members`, () => ({ headers: auth }));
  const put = await fetch(`${base}/admin/members`, { method: "PUT", headers: auth, body: entriesText });
  if (!put.ok) throw new Error(`loading members: ${put.status} ${await put.text()}`);
  await load(base, "/hooks/workfront?dry-run=1", 2); // warm-up
  const measured = async (path) => {
    const cpu0 = await groupCpu(w.pgid);
    const res = await load(base, path, SECONDS);
    const cpu1 = await groupCpu(w.pgid);
    // CPU milliseconds per request in workerd, and the share of it that is hookmatch's set.deliver.
    if (cpu0 && cpu1) {
      res.workerdCpuMs = ((cpu1.workerd - cpu0.workerd) * 1000) / res.requests;
      res.wranglerCpuMs = ((cpu1.wrangler - cpu0.wrangler) * 1000) / res.requests;
      res.hookmatchShare = deliverUs / 1000 / res.workerdCpuMs;
    }
    return res;
  };
  results.dryRun = await measured("/hooks/workfront?dry-run=1");
  const before = rx.count();
  results.forward = await measured("/hooks/workfront");
  results.forwarded = rx.count() - before;
  await w.stop();

  // Cold starts: a fresh `wrangler dev` over the stored members, three times.
  const colds = [];
  for (let k = 0; k < 3; k++) {
    port = await freePort();
    w = await startWrangler(state, port);
    base = `http://127.0.0.1:${port}`;
    const first = await firstAnswer(`${base}/hooks/workfront?dry-run=1`, () => ({ method: "POST", body: EVENTS[0] }));
    const second = await firstAnswer(`${base}/hooks/workfront?dry-run=1`, () => ({ method: "POST", body: EVENTS[1] }));
    colds.push({ readyMs: w.readyMs, firstMs: first.ms, secondMs: second.ms, status: first.status });
    await w.stop();
  }
  results.cold = colds;
} finally {
  rx.close();
  await rm(state, { recursive: true, force: true });
  // wrangler dev's bundle of the example (the state went to `state`).
  await rm(join(app, ".wrangler"), { recursive: true, force: true });
}

const f = (x, d = 1) => x.toFixed(d);
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`edge router, ${MEMBERS} members, ${CONCURRENCY} concurrent for ${SECONDS} s (wrangler dev, loopback; ${results.cpus} × ${results.cpu})`);
console.log(`| | requests/s | p50 ms | p99 ms | workerd CPU ms per request | hookmatch's share of it |`);
console.log(`| --- | ---: | ---: | ---: | ---: | ---: |`);
const share = (v) => (v.hookmatchShare === undefined ? "" : `${f(v.workerdCpuMs, 2)} | ${f(v.hookmatchShare * 100, 0)}%`);
for (const [k, v] of [["route and forward", results.forward], ["dry run (route only)", results.dryRun]]) console.log(`| ${k} | ${f(v.perSecond, 0)} | ${f(v.p50, 2)} | ${f(v.p99, 2)} | ${share(v)} |`);
console.log(`forwarded ${results.forwarded} requests (${f(results.firedPerEvent, 2)} members fire per event); failed: ${results.forward.failed + results.dryRun.failed}`);
console.log(`hookmatch in Node: set.deliver ${f(deliverUs, 2)} µs per event; SubscriptionSet.compile of ${MEMBERS} members ${f(compileMs, 0)} ms`);
const cold = (k) => med(results.cold.map((c) => c[k]));
console.log(`cold start (median of 3 fresh wrangler dev): ready after ${f(cold("readyMs"), 0)} ms; the first request ${f(cold("firstMs"), 0)} ms (isolate, KV read, compiling the set), the next ${f(cold("secondMs"), 1)} ms`);
console.log(JSON.stringify(results));
