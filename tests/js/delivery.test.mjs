// Deliveries and signatures through the public package, checked against
// independent implementations: Node's crypto and the standardwebhooks package.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { Subscription, verify, decodeBase64 } from "hookmatch";
import { DIALECTS, readIn, golden, specText, options, throwsHookmatch } from "./helpers.mjs";

const ev = (dialect, file) => JSON.parse(readIn(dialect, `events/${file}`));
const spec = (dialect, file) => JSON.parse(readIn(dialect, `specs/${file}`));

test("golden deliveries: the same bytes as native Rust, for every dialect", () => {
  const cases = golden();
  assert.deepEqual([...new Set(cases.map((c) => c.dialect))].sort(), [...DIALECTS].sort());
  for (const c of cases) {
    const sub = Subscription.compile(specText(c, c.dialect), options(c, c.dialect));
    const event = c.event === null ? null : ev(c.dialect, c.event);
    assert.deepEqual(sub.deliver(event, c.opts), c.delivery, c.name);
  }
});

test("workfront: plain and base64 deliveries decode back to the input states", () => {
  const event = ev("workfront", "update.json");
  for (const base64Encoding of [true, "true"]) {
    const d = Subscription.compile({ ...spec("workfront", "seed-create-request.json"), base64Encoding }).deliver(event);
    const body = JSON.parse(d.body);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(decodeBase64(body.newState))), event.newState);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(decodeBase64(body.oldState))), event.oldState);
  }
  for (const base64Encoding of [false, "false", ""]) {
    const d = Subscription.compile({ ...spec("workfront", "seed-create-request.json"), base64Encoding }).deliver(event);
    assert.deepEqual(JSON.parse(d.body).newState, event.newState);
  }
});

test("asana: X-Hook-Signature equals an HMAC computed here with node:crypto", () => {
  const secret = randomBytes(32).toString("hex");
  const sub = Subscription.compile(spec("asana", "filtered.json"));
  const d = sub.deliver(ev("asana", "task-due-changed.json"), { secret });
  const expected = createHmac("sha256", secret).update(d.body).digest("hex");
  assert.equal(d.headers["X-Hook-Signature"], expected);
  assert.deepEqual(JSON.parse(d.body), { events: [ev("asana", "task-due-changed.json")] });
  assert.equal(verify(d, secret), true);
  assert.equal(verify({ ...d, body: d.body.replace("due_on", "name") }, secret), false, "tampered body");
  assert.equal(verify(d, `${secret}x`), false, "wrong secret");
  // The delivered body fed back previews as its one event.
  assert.equal(sub.matches(d.body), true);
  assert.deepEqual(sub.preview(readIn("asana", "events/body-two-events.json")), { total: 2, matched: 2, matches: [0, 1], errors: [] });
  assert.deepEqual(sub.preview(readIn("asana", "events/heartbeat.json")), { total: 0, matched: 0, matches: [], errors: [] });
  assert.equal(sub.deliver(ev("asana", "task-name-changed.json"), { secret }), null);
});

test("asana: the handshake is a POST to the target carrying X-Hook-Secret", () => {
  const sub = Subscription.compile(spec("asana", "seed-create.json"));
  const given = sub.deliver(null, { handshake: true, secret: "abc123" });
  assert.deepEqual(given, { method: "POST", url: "https://example.com/receive-webhook/7654", headers: { "X-Hook-Secret": "abc123" }, body: "", secrets: [{ header: "X-Hook-Secret" }] });
  const generated = sub.deliver(null, { handshake: true });
  assert.match(generated.headers["X-Hook-Secret"], /^[0-9a-f]{64}$/);
  assert.notEqual(sub.deliver(null, { handshake: true }).headers["X-Hook-Secret"], generated.headers["X-Hook-Secret"]);
  throwsHookmatch(assert, () => sub.deliver(null), "invalid_input");
});

test("standard webhooks: headers verify with the standardwebhooks package, and verify() agrees", () => {
  const secret = `whsec_${randomBytes(24).toString("base64")}`;
  const sub = Subscription.compile(spec("kanboard", "seed-webhook.json"));
  const d = sub.deliver(ev("kanboard", "task-create.json"), { signature: "standard-webhooks", secret });
  assert.match(d.headers["webhook-id"], /^msg_/);
  assert.match(d.headers["webhook-timestamp"], /^\d+$/);
  const wh = new Webhook(secret);
  assert.deepEqual(wh.verify(d.body, d.headers), JSON.parse(d.body));
  assert.equal(verify(d, secret), true);
  assert.equal(verify({ ...d, body: d.body.replace("Demo", "Demo!") }, secret), false, "tampered body");
  assert.equal(verify(d, `whsec_${randomBytes(24).toString("base64")}`), false, "wrong secret");
  // Tolerance: 5 minutes by default, configurable.
  const old = sub.deliver(ev("kanboard", "task-create.json"), { signature: "standard-webhooks", secret, timestamp: Math.floor(Date.now() / 1000) - 600 });
  assert.equal(verify(old, secret), false);
  assert.equal(verify(old, secret, { tolerance: 900 }), true);
  assert.throws(() => wh.verify(old.body, old.headers));
  throwsHookmatch(assert, () => sub.deliver(ev("kanboard", "task-create.json"), { signature: "standard-webhooks" }), "invalid_input");
  throwsHookmatch(assert, () => sub.deliver(ev("kanboard", "task-create.json"), { signature: "hmac" }), "invalid_input");
});

test("ricloud: Ricloud-Signature as ricloud's signing.py computes it; stale signatures fail", () => {
  const config = spec("ricloud", "config-valid.json");
  const sub = Subscription.compile(config);
  const now = Math.floor(Date.now() / 1000);
  const d = sub.deliver(ev("ricloud", "task-succeeded.json"), { timestamp: now });
  const [t, s] = d.headers["Ricloud-Signature"].split(",");
  assert.equal(t, `t=${now}`);
  assert.equal(s, `s=${createHmac("sha256", config.secret).update(`${now}.${d.body}`).digest("base64")}`);
  assert.equal(verify(d, config.secret), true);
  assert.equal(verify(d, config.secret, { now: now + 601 }), false, "older than 600 s");
  assert.equal(verify({ ...d, body: `${d.body} ` }, config.secret), false);
  const test = Subscription.compile(spec("ricloud", "config-new.json")).deliver(null, { test: true });
  const body = JSON.parse(test.body);
  assert.equal(`${body.type}.${body.action}`, "webhook_config.test");
  assert.match(body.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(Subscription.compile(spec("ricloud", "config-new.json")).deliver(ev("ricloud", "task-succeeded.json")), null);
});

test("r-service: test delivery with object_id 12345, allowed for a disabled webhook", () => {
  const disabled = Subscription.compile(spec("rservice", "seed-list-disabled.json"));
  const d = disabled.deliver(null, { test: true });
  // 4me's webhook contents (docs/vendors/rservice.md): the listed webhook's id and name.
  assert.deepEqual(JSON.parse(d.body), {
    webhook_id: 1, account: null, name: "Request Team Changed", event: "request.team-changed", object_id: 12345, payload: {},
  });
  assert.equal(d.url, "http://postbin.org/axbxd3");
  assert.equal(disabled.deliver(ev("rservice", "request-team-changed.json")), null);
  const x = disabled.explain(ev("rservice", "request-team-changed.json"));
  assert.match(x.gate[0].reason, /disabled/);
});

test("kanboard: the token appended as Kanboard appends it, its client's headers", () => {
  const sub = Subscription.compile({ url: "https://kb.example.com/hook?x=1", token: "0a1b2c" });
  const d = sub.deliver(ev("kanboard", "task-create.json"));
  assert.equal(d.url, "https://kb.example.com/hook?x=1&token=0a1b2c");
  assert.equal(new URL(d.url).searchParams.get("token"), "0a1b2c");
  assert.deepEqual(d.headers, { "User-Agent": "Kanboard", "Content-type": "application/json" });
  assert.deepEqual(Object.keys(JSON.parse(d.body)), ["event_name", "event_data", "event_author"]);
});

test("secrets only where the vendor puts them; toJSON and explain redact them", () => {
  const secrets = { authToken: "SECRET-wf-7781", token: "SECRET-kb-1234", secret: "SECRET-rc-9999" };
  const subs = [
    [Subscription.compile({ ...spec("workfront", "seed-create-request.json"), authToken: secrets.authToken }), ev("workfront", "update.json"), secrets.authToken, (d) => d.headers.Authorization === `Bearer ${secrets.authToken}`],
    [Subscription.compile({ ...spec("kanboard", "seed-webhook.json"), token: secrets.token }), ev("kanboard", "task-create.json"), secrets.token, (d) => new URL(d.url).searchParams.get("token") === secrets.token],
    [Subscription.compile({ ...spec("ricloud", "config-valid.json"), secret: secrets.secret }), ev("ricloud", "task-succeeded.json"), secrets.secret, () => true],
  ];
  for (const [sub, event, secret, placed] of subs) {
    for (const out of [sub.toJSON(), sub.explain(event), sub.preview([event]), String(sub)]) {
      assert.ok(!JSON.stringify(out).includes(secret), `${sub.dialect}: ${JSON.stringify(out).slice(0, 80)}`);
    }
    const d = sub.deliver(event);
    assert.ok(placed(d), `${sub.dialect}: the secret is where the vendor puts it`);
    assert.ok(!d.body.includes(secret), `${sub.dialect}: never in the body`);
    if (sub.dialect === "ricloud") assert.ok(!JSON.stringify(d.headers).includes(secret));
  }
});

test("verify: misuse throws, a delivery without a signature is false", () => {
  throwsHookmatch(assert, () => verify(42, "s"), "invalid_input");
  throwsHookmatch(assert, () => verify({ headers: {}, body: "" }, 5), "invalid_input");
  assert.equal(verify({ headers: { "Content-Type": "application/json" }, body: "{}" }, "s"), false);
  throwsHookmatch(assert, () => verify({ headers: { "webhook-signature": "v1,x", "webhook-id": "a", "webhook-timestamp": "1" }, body: "" }, "whsec_!!!"), "invalid_input");
});

// Masking reads the places the delivery lists; the expected URLs are
// Kanboard's own appending (WebhookNotification::notifyProject: `?` or `&`,
// then `token=` and the token as it is), written out here by hand.
test("secrets: Kanboard's appended token is the listed place, after a token= of the URL's own and with & and # in it", async () => {
  const { maskDelivery, curlCommand } = await import("hookmatch/elements");
  const token = "ab&cd#ef=gh-7731";
  const sub = Subscription.compile({ url: "https://kb.example.com/hook?token=public&x=1", token });
  const d = sub.deliver(ev("kanboard", "task-create.json"));
  assert.equal(d.url, `https://kb.example.com/hook?token=public&x=1&token=${token}`);
  assert.deepEqual(d.secrets, [{ query: "token", start: d.url.length - token.length, end: d.url.length }]);
  const masked = maskDelivery(d);
  // Only the appended value is hidden; the URL's own parameters stay as written.
  assert.equal(masked.url, "https://kb.example.com/hook?token=public&x=1&token=••••");
  assert.deepEqual(masked.headers, Object.entries(d.headers));
  const curl = curlCommand(d);
  assert.equal(curl, `curl -X POST 'https://kb.example.com/hook?token=public&x=1&token=••••' -H 'User-Agent: Kanboard' -H 'Content-type: application/json' --data-binary '${d.body.replace(/'/g, `'\\''`)}'`);
  for (const part of ["ab&cd", "cd#ef", "ef=gh", "gh-7731"]) {
    assert.ok(!masked.url.includes(part) && !curl.includes(part), part);
  }
  assert.equal(maskDelivery(d, true).url, d.url);
  assert.ok(curlCommand(d, true).includes(`token=${token}'`));
  // A URL that is not ASCII: the span counts UTF-16 units, as JS strings do.
  const wide = Subscription.compile({ url: "https://kb.example.com/ünï/😀?token=x", token }).deliver(ev("kanboard", "task-create.json"));
  assert.equal(wide.url.slice(wide.secrets[0].start, wide.secrets[0].end), token);
  assert.equal(maskDelivery(wide).url, "https://kb.example.com/ünï/😀?token=x&token=••••");
});

test("secrets: header places are masked by name, whatever else the delivery holds", async () => {
  const { maskDelivery, curlCommand } = await import("hookmatch/elements");
  const wf = Subscription.compile({ ...spec("workfront", "seed-create-request.json"), authToken: "wf-secret-token-5512" }).deliver(ev("workfront", "update.json"));
  assert.deepEqual(wf.secrets, [{ header: "Authorization" }]);
  const shown = Object.fromEntries(maskDelivery(wf).headers);
  assert.equal(shown.Authorization, "Bearer wf-s••••");
  assert.equal(shown["Content-Type"], wf.headers["Content-Type"]);
  assert.ok(!curlCommand(wf).includes("wf-secret-token-5512"));
  // A delivery edited after the fact: a query place whose span no longer
  // follows its name hides the whole query rather than guess.
  const kb = Subscription.compile({ url: "https://kb.example.com/h", token: "tok-1234" }).deliver(ev("kanboard", "task-create.json"));
  assert.equal(maskDelivery({ ...kb, url: kb.url.replace("https://", "http://") }).url, "http://kb.example.com/h?••••");
  // One with no places listed (written by hand) hides every header value and the query.
  const bare = { method: "POST", url: "https://h.example/x?a=1", headers: { "X-Custom": "sensitive-value" }, body: "" };
  assert.deepEqual(maskDelivery(bare), { url: "https://h.example/x?••••", headers: [["X-Custom", "sens••••"]] });
  // R-Service sends no secret: nothing is masked.
  const rs = Subscription.compile(spec("rservice", "seed-list-disabled.json")).deliver(null, { test: true });
  assert.deepEqual(rs.secrets, []);
  assert.deepEqual(maskDelivery(rs), { url: rs.url, headers: Object.entries(rs.headers) });
});
