// examples/edge-router under `wrangler dev` with a local KV namespace, the
// way its README runs it: members are loaded through its admin endpoint,
// vendors' webhooks are posted signed, unsigned and forged, and each
// delivery must reach a receiver this test runs on the loopback exactly as
// the member's own `Subscription#deliver` (computed here, in Node, from the
// same member) says it would be sent. The dry run answers the same
// deliveries, masked, and sends nothing.
//
// Like tests/bundlers/wrangler.test.mjs it uses the installed tarball
// (node_modules/hookmatch, which the example resolves) and the pinned
// wrangler; the KV state goes to a temporary directory.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Subscription, verify } from "hookmatch";
import { maskDelivery } from "hookmatch/elements";
import { freePort } from "../runtimes/static.mjs";

const root = new URL("../../", import.meta.url).pathname;
const app = new URL("../../examples/edge-router/", import.meta.url).pathname;
const wrangler = join(root, "node_modules/.bin/wrangler");
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", FORCE_COLOR: "0" };

const ADMIN = "test-admin-token";
// The secrets the vendors sign their webhooks to the router with.
const ASANA_IN = "asana-inbound-secret";
const RICLOUD_IN = "ricloud-inbound-secret";
const SOURCES = {
  asana: { scheme: "asana", secret: ASANA_IN },
  // A webhook being created: the router answers Asana's handshake and keeps its secret.
  "asana-new": { scheme: "asana", acceptHandshake: true },
  ricloud: { scheme: "ricloud", secret: RICLOUD_IN },
  workfront: {},
  kanboard: {},
};

/** A receiver on the loopback: every request it gets, in order. */
async function receiver() {
  const got = [];
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      got.push({ method: req.method, path: req.url, headers: req.headers, body });
      res.writeHead(req.url.startsWith("/fail") ? 500 : 200).end("ok");
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { got, port: server.address().port, close: () => new Promise((r) => server.close(r)) };
}

/** The members: each vendor's target on the receiver, with its own options and delivery defaults. */
function members(port) {
  const at = (p) => `http://127.0.0.1:${port}${p}`;
  return [
    { id: "wf-tasks", spec: { objCode: "TASK", eventType: "UPDATE", url: at("/wf"), authToken: "wf-auth-token", filters: [{ fieldName: "status", fieldValue: "CUR" }] }, deliver: { subscriptionId: "wf-sub-1" } },
    { id: "wf-other", spec: { objCode: "PROJ", eventType: "UPDATE", url: at("/wf-proj"), authToken: "wf-auth-token" }, deliver: { subscriptionId: "wf-sub-2" } },
    // Kanboard and Asana refuse a private target (Kanboard unless
    // WEBHOOK_ALLOW_PRIVATE_NETWORKS): these members allow it, for the loopback.
    { id: "kb", spec: { url: at("/kb"), token: "kb-token", events: ["task.create"] }, options: { allowPrivateNetworks: true } },
    { id: "asana-a", spec: { resource: "1337", target: at("/asana-a"), filters: [{ resource_type: "task", action: "changed" }] }, options: { allowPrivateNetworks: true }, deliver: { secret: "member-a-secret" } },
    { id: "asana-b", spec: { resource: "1337", target: at("/asana-b"), filters: [{ resource_type: "task" }] }, options: { allowPrivateNetworks: true }, deliver: { secret: "member-b-secret" } },
    { id: "ricloud", spec: { url: at("/ricloud"), secret: "member-ricloud-secret", state: "valid", organisation: 1024 } },
  ];
}

/** What the member itself sends for this webhook body (an independent path: no set). */
function own(entry, body) {
  const sub = Subscription.compile(entry.spec, entry.options);
  try {
    return sub.deliver(body, entry.deliver);
  } finally {
    sub.free();
  }
}

const asanaEvent = (gid) => ({ user: { gid: "1516", resource_type: "user" }, created_at: "2018-03-05T21:59:04.526Z", action: "changed", resource: { gid, resource_type: "task" }, parent: null, change: { field: "name", action: "changed" } });
const wfEvent = { eventType: "UPDATE", subscriptionId: "x", eventTime: { epochSecond: 1507319336, nano: 998000000 }, newState: { ID: "t1", objCode: "TASK", status: "CUR", name: "Launch" }, oldState: { ID: "t1", objCode: "TASK", status: "NEW", name: "Launch" } };

test("the edge router verifies, routes through the set in KV and forwards each member's delivery", { timeout: 240_000 }, async () => {
  const rx = await receiver();
  const state = await mkdtemp(join(tmpdir(), "hookmatch-edge-router-"));
  const port = await freePort();
  const child = spawn(
    wrangler,
    ["dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", "0", "--show-interactive-dev-session=false", "--persist-to", state,
      "--var", `ADMIN_TOKEN:${ADMIN}`, "--var", `SOURCES:${JSON.stringify(SOURCES)}`, "--var", "REFRESH_MS:0"],
    { cwd: app, env, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  const auth = { authorization: `Bearer ${ADMIN}` };
  const post = (path, body, headers = {}) => fetch(`${base}${path}`, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
  try {
    let up = false;
    for (let i = 0; i < 900 && child.exitCode === null && !up; i++) {
      up = await fetch(`${base}/admin/members`, { headers: auth }).then((r) => r.ok, () => false);
      if (!up) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(up, `wrangler dev did not serve: ${log}`);

    // Admin: refused without the token; a member that does not compile is refused with its path.
    assert.equal((await fetch(`${base}/admin/members`)).status, 401);
    const entries = members(rx.port);
    const refused = await fetch(`${base}/admin/members`, { method: "PUT", headers: auth, body: JSON.stringify([...entries, { id: "kb-private", spec: { url: `http://127.0.0.1:${rx.port}/x`, token: "t" } }]) });
    assert.equal(refused.status, 422);
    assert.deepEqual((await refused.json()).errors.map((e) => [e.id, e.code, e.path]), [["kb-private", "forbidden_target", "/6/spec/url"]]);
    const loaded = await fetch(`${base}/admin/members`, { method: "PUT", headers: auth, body: JSON.stringify(entries) });
    assert.equal(loaded.status, 200, await loaded.clone().text());
    assert.equal((await loaded.json()).size, entries.length);
    const status = await (await fetch(`${base}/admin/members`, { headers: auth })).json();
    assert.equal(status.size, entries.length);
    assert.equal(JSON.stringify(status).includes("member-a-secret"), false, "a member's secret is not shown");

    // Asana, signed with the router's inbound secret: two events in one envelope, each routed on its own.
    const envelope = JSON.stringify({ events: [asanaEvent("1337"), { ...asanaEvent("1337"), action: "added", change: undefined }] });
    const signature = createHmac("sha256", ASANA_IN).update(envelope).digest("hex");
    const res = await post("/hooks/asana", envelope, { "x-hook-signature": signature });
    assert.equal(res.status, 200, await res.clone().text());
    const wantAsana = JSON.parse(envelope).events.flatMap((e) =>
      entries.filter((m) => m.id.startsWith("asana")).flatMap((m) => {
        const d = own(m, JSON.stringify({ events: [e] }));
        return d ? [{ id: m.id, d }] : [];
      }),
    );
    // asana-a fires for "changed" only; asana-b for both.
    assert.deepEqual(wantAsana.map((w) => w.id), ["asana-a", "asana-b", "asana-b"]);
    assert.deepEqual((await res.json()).results.map((r) => [r.id, r.status]), wantAsana.map((w) => [w.id, 200]));
    assert.equal(rx.got.length, 3);
    for (const { id, d } of wantAsana) {
      const path = `/${id}`;
      const hit = rx.got.find((g) => g.path === path && g.body === d.body);
      assert.ok(hit, `${id} received ${d.body}`);
      assert.equal(hit.method, "POST");
      for (const [k, v] of Object.entries(d.headers)) assert.equal(hit.headers[k.toLowerCase()], v, `${id} ${k}`);
      // Signed with the member's own secret (Asana: hex HMAC-SHA256 of the body).
      const secret = entries.find((m) => m.id === id).deliver.secret;
      assert.equal(hit.headers["x-hook-signature"], createHmac("sha256", secret).update(hit.body).digest("hex"));
    }

    // Forged and unsigned webhooks are refused; nothing is forwarded.
    rx.got.length = 0;
    assert.equal((await post("/hooks/asana", envelope, { "x-hook-signature": createHmac("sha256", "not-the-secret").update(envelope).digest("hex") })).status, 401);
    assert.equal((await post("/hooks/asana", envelope)).status, 401);
    const tampered = envelope.replace("1516", "1517");
    assert.equal((await post("/hooks/asana", tampered, { "x-hook-signature": signature })).status, 401);
    assert.equal((await post("/hooks/unknown", envelope)).status, 404);

    // Asana's handshake (guide, "The webhook handshake": X-Hook-Secret echoed
    // in a 200): answered only where the source accepts one, and its secret
    // then verifies that webhook's events.
    assert.equal((await post("/hooks/asana", "", { "x-hook-secret": "hs" })).status, 403);
    const hsSig = (body) => createHmac("sha256", "handshake-secret").update(body).digest("hex");
    assert.equal((await post("/hooks/asana-new", envelope, { "x-hook-signature": hsSig(envelope) })).status, 401, "no secret before the handshake");
    const hs = await post("/hooks/asana-new", "", { "x-hook-secret": "handshake-secret" });
    assert.equal(hs.status, 200);
    assert.equal(hs.headers.get("x-hook-secret"), "handshake-secret");
    assert.equal(rx.got.length, 0);
    const afterHs = await post("/hooks/asana-new", envelope, { "x-hook-signature": hsSig(envelope) });
    assert.equal(afterHs.status, 200, await afterHs.clone().text());
    assert.equal(rx.got.length, 3);
    assert.equal((await post("/hooks/asana-new", envelope, { "x-hook-signature": signature })).status, 401, "the old secret is not this webhook's");
    rx.got.length = 0;

    // ricloud: Ricloud-Signature t=<unix seconds>,s=<base64 HMAC-SHA256 of "t.body">.
    const ricloudBody = JSON.stringify({ id: "1f2e3d4c-0000-4000-8000-000000000002", type: "task", action: "succeeded", data: { id: "c7d4a1f0-0000-4000-8000-00000000abcd", resource: "task", type: "rirelay.messages", state: "succeeded" } });
    const t = Math.floor(Date.now() / 1000);
    const ricloudSig = (secret) => `t=${t},s=${createHmac("sha256", secret).update(`${t}.${ricloudBody}`).digest("base64")}`;
    assert.equal((await post("/hooks/ricloud", ricloudBody, { "ricloud-signature": ricloudSig("wrong") })).status, 401);
    assert.equal(rx.got.length, 0);
    const r2 = await post("/hooks/ricloud", ricloudBody, { "ricloud-signature": ricloudSig(RICLOUD_IN) });
    assert.equal(r2.status, 200, await r2.clone().text());
    assert.equal(rx.got.length, 1);
    const ricloudWant = own(entries.find((m) => m.id === "ricloud"), ricloudBody);
    assert.equal(`http://127.0.0.1:${rx.port}${rx.got[0].path}`, ricloudWant.url);
    assert.equal(rx.got[0].body, ricloudWant.body);
    // Signed with the member's config secret, at the time the router sent it.
    assert.equal(verify({ headers: rx.got[0].headers, body: rx.got[0].body }, "member-ricloud-secret", { scheme: "ricloud" }), true);

    // Workfront (no signature) and Kanboard (a member allowed on the loopback).
    rx.got.length = 0;
    const wf = await post("/hooks/workfront", JSON.stringify(wfEvent));
    assert.deepEqual((await wf.json()).results.map((r) => r.id), ["wf-tasks"]);
    const wfWant = own(entries[0], JSON.stringify(wfEvent));
    assert.equal(JSON.parse(wfWant.body).subscriptionId, "wf-sub-1");
    assert.deepEqual([rx.got[0].path, rx.got[0].body], ["/wf", wfWant.body]);
    for (const [k, v] of Object.entries(wfWant.headers)) assert.equal(rx.got[0].headers[k.toLowerCase()], v, k);
    const kbEvent = JSON.stringify({ event_name: "task.create", event_data: { task_id: "1", project_id: "1", title: "Demo" } });
    assert.equal((await post("/hooks/kanboard", kbEvent)).status, 200);
    const kbWant = own(entries[2], kbEvent);
    assert.equal(rx.got[1].body, kbWant.body);
    assert.equal(`http://127.0.0.1:${rx.port}${rx.got[1].path}`, kbWant.url);

    // Dry run: the deliveries, masked as hookmatch/elements masks them, and nothing sent.
    rx.got.length = 0;
    for (const dry of [`/hooks/asana?dry-run=1`, `/hooks/asana`]) {
      const r = await post(dry, envelope, { "x-hook-signature": signature, ...(dry.includes("?") ? {} : { "x-hookmatch-dry-run": "1" }) });
      assert.equal(r.status, 200);
      const { deliveries } = await r.json();
      assert.deepEqual(
        deliveries,
        wantAsana.map(({ id, d }) => {
          const { url, headers } = maskDelivery(d);
          return { id, delivery: { method: "POST", url, headers: Object.fromEntries(headers), body: d.body } };
        }),
      );
      assert.equal(JSON.stringify(deliveries).includes(wantAsana[0].d.headers["X-Hook-Signature"]), false, "signatures are masked");
    }
    assert.equal(rx.got.length, 0);

    // A bad event is the set's error, not a crash; a target that fails is a 502 for the vendor to retry.
    const bad = await post("/hooks/workfront", "{nope");
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error.code, "invalid_json");

    // Members changed in KV: the isolate rebuilds its set (REFRESH_MS=0: at once).
    const next = entries.filter((m) => m.id !== "kb").map((m) => (m.id === "wf-tasks" ? { ...m, spec: { ...m.spec, url: `http://127.0.0.1:${rx.port}/fail` } } : m));
    assert.equal((await fetch(`${base}/admin/members`, { method: "PUT", headers: auth, body: JSON.stringify(next) })).status, 200);
    const gone = await post("/hooks/kanboard", kbEvent);
    assert.deepEqual(await gone.json(), { delivered: 0, failed: 0, results: [] });
    const failing = await post("/hooks/workfront", JSON.stringify(wfEvent));
    assert.equal(failing.status, 502);
    assert.deepEqual((await failing.json()).results.map((r) => [r.id, r.status, r.ok]), [["wf-tasks", 500, false]]);
  } finally {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
    await new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", r)));
    await rx.close();
    await rm(state, { recursive: true, force: true });
    await rm(join(app, ".wrangler"), { recursive: true, force: true });
  }
});
