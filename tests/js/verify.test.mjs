// verify is a security boundary, and setLimits can always be undone, through
// the installed package. Expected signatures are made here with Node's own
// crypto (createHmac), as each vendor documents them, never by hookmatch.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { execFileSync } from "node:child_process";
import { verify } from "hookmatch";
import { throwsHookmatch } from "./helpers.mjs";

const NOW = 1_700_000_000;
const SECRET = "k3y";
const BODY = JSON.stringify({ id: "e1", type: "webhook_config", action: "test", data: {} });

/** reincubate/ricloud signing.py: t=<t>,s=<base64 HMAC-SHA256 of "<t>.<body>">. */
const ricloudMac = (t, body = BODY, secret = SECRET) => createHmac("sha256", secret).update(`${t}.${body}`).digest();
const ricloud = (t, body = BODY) => ({ headers: { "Ricloud-Signature": `t=${t},s=${ricloudMac(t, body).toString("base64")}` }, body });

/** Standard Webhooks: v1,<base64 HMAC-SHA256 of "id.timestamp.body"> under the base64 key after whsec_. */
const KEY = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const WHSEC = `whsec_${KEY}`;
const standardSig = (id, ts, body) => "v1," + createHmac("sha256", Buffer.from(KEY, "base64")).update(`${id}.${ts}.${body}`).digest("base64");
const standard = (ts, body = BODY, sigs = [standardSig("msg_1", ts, body)]) => ({
  headers: { "webhook-id": "msg_1", "webhook-timestamp": String(ts), "webhook-signature": sigs.join(" ") },
  body,
});

test("{ scheme } pins one scheme; each scheme reads only its own header", () => {
  const d = ricloud(NOW);
  assert.equal(verify(d, SECRET, { now: NOW }), true);
  assert.equal(verify(d, SECRET, { now: NOW, scheme: "ricloud" }), true);
  assert.equal(verify(d, SECRET, { now: NOW, scheme: "asana" }), false);
  assert.equal(verify(d, SECRET, { now: NOW, scheme: "standard-webhooks" }), false);
  const sw = standard(NOW);
  assert.equal(verify(sw, WHSEC, { now: NOW, scheme: "standard-webhooks" }), true);
  assert.equal(verify(sw, WHSEC, { now: NOW, scheme: "ricloud" }), false);
  for (const scheme of ["workfront", "Asana", 5, ""]) {
    const e = throwsHookmatch(assert, () => verify(d, SECRET, { now: NOW, scheme }), "invalid_input");
    assert.equal(e.path, "/scheme");
  }
});

test("a ricloud signature relabelled as Asana's X-Hook-Signature verifies under no scheme", () => {
  const mac = ricloudMac(NOW).toString("hex");
  // Over "t.body" the bytes are exactly Asana's HMAC of that body; over
  // the body itself they are not.
  const overTBody = { headers: { "X-Hook-Signature": mac }, body: `${NOW}.${BODY}` };
  const overBody = { headers: { "X-Hook-Signature": mac }, body: BODY };
  for (const d of [overTBody, overBody]) {
    assert.equal(verify(d, SECRET, { now: NOW }), false);
    for (const scheme of ["asana", "ricloud", "standard-webhooks"]) assert.equal(verify(d, SECRET, { now: NOW, scheme }), false, scheme);
  }
  // Asana's own: hex HMAC-SHA256 of the body (Asana/developer-docs, "Webhooks": security).
  const asanaBody = '{"events":[]}';
  const asana = { headers: { "X-Hook-Signature": createHmac("sha256", SECRET).update(asanaBody).digest("hex") }, body: asanaBody };
  assert.equal(verify(asana, SECRET), true);
  assert.equal(verify(asana, SECRET, { scheme: "asana" }), true);
});

test("ricloud timestamps: within the tolerance on both sides of now, no overflow", () => {
  const d = ricloud(NOW);
  // signing.py: stale when now - t > delta; webhooks.py: delta 600.
  assert.equal(verify(d, SECRET, { now: NOW + 600 }), true);
  assert.equal(verify(d, SECRET, { now: NOW + 601 }), false);
  // signing.py accepts any t in the future; hookmatch does not.
  assert.equal(verify(d, SECRET, { now: NOW - 600 }), true);
  assert.equal(verify(d, SECRET, { now: NOW - 601 }), false);
  assert.equal(verify(ricloud(NOW + 10 ** 9), SECRET, { now: NOW }), false);
  assert.equal(verify(d, SECRET, { now: NOW - 5000, tolerance: 5000 }), true);
  assert.equal(verify(d, SECRET, { now: NOW + 1, tolerance: 0 }), false);
  // -2^63 made `now - t` wrap to a negative age: "fresh" for ever.
  for (const t of ["-9223372036854775808", "9223372036854775807", "99999999999999999999"]) {
    for (const now of [0, NOW, Number.MAX_SAFE_INTEGER]) {
      assert.equal(verify(ricloud(t), SECRET, { now, tolerance: 600 }), false, `${t} at ${now}`);
    }
  }
  // Python's int() reads "+1700000000" and " 1700000000", then signs
  // str(int(t)): a MAC over the text as written would pass here only.
  for (const t of [`+${NOW}`, `0${NOW}`, ` ${NOW}`, `${NOW}.0`]) assert.equal(verify(ricloud(t), SECRET, { now: NOW }), false, t);
});

test("Standard Webhooks timestamps: both sides of now, no overflow", () => {
  assert.equal(verify(standard(NOW), WHSEC, { now: NOW }), true);
  assert.equal(verify(standard(NOW), WHSEC, { now: NOW - 300 }), true);
  assert.equal(verify(standard(NOW), WHSEC, { now: NOW - 301 }), false);
  assert.equal(verify(standard(NOW), WHSEC, { now: NOW + 301 }), false);
  for (const now of [0, NOW, Number.MAX_SAFE_INTEGER]) {
    assert.equal(verify(standard("-9223372036854775808"), WHSEC, { now }), false, String(now));
  }
});

// The bound is asserted by what is read, not by time: a right signature
// counts only among the first 16 entries (the MAC itself is computed once
// per scheme; tests in src/signing.rs count MAC computations).
test("a webhook-signature header is read for its first 16 entries only", () => {
  const body = "x".repeat(1 << 20);
  const good = standardSig("msg_1", NOW, body);
  const junk = "v1," + "A".repeat(43) + "=";
  const header = (at) => Array.from({ length: 1000 }, (_, i) => (i === at ? good : junk));
  assert.equal(verify(standard(NOW, body, header(-1)), WHSEC, { now: NOW }), false);
  assert.equal(verify(standard(NOW, body, header(0)), WHSEC, { now: NOW }), true);
  assert.equal(verify(standard(NOW, body, header(15)), WHSEC, { now: NOW }), true);
  assert.equal(verify(standard(NOW, body, header(16)), WHSEC, { now: NOW }), false);
  assert.equal(verify(standard(NOW, body, header(999)), WHSEC, { now: NOW }), false);
});

test("an empty secret and options that are not finite are invalid_input", () => {
  const d = ricloud(NOW);
  for (const scheme of [undefined, "ricloud", "asana", "standard-webhooks"]) {
    const e = throwsHookmatch(assert, () => verify(d, "", { now: NOW, scheme }), "invalid_input");
    assert.equal(e.path, "/secret");
  }
  throwsHookmatch(assert, () => verify(d, undefined), "invalid_input");
  for (const key of ["tolerance", "now"]) {
    for (const v of [NaN, Infinity, -Infinity]) {
      const e = throwsHookmatch(assert, () => verify(d, SECRET, { now: NOW, [key]: v }), "invalid_input");
      assert.equal(e.path, `/${key}`, `${key}: ${v}`);
      assert.match(e.message, new RegExp(`${key} is -?(NaN|Infinity)`));
    }
    for (const v of [-1, 1.5, "600"]) throwsHookmatch(assert, () => verify(d, SECRET, { now: NOW, [key]: v }), "invalid_input");
  }
  assert.equal(verify(d, SECRET, { now: NOW }), true);
});

/** Run `code` (an ES module body) in a fresh Node with the package; its stdout as JSON. */
function inChild(code) {
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", code], { cwd: new URL("../..", import.meta.url), encoding: "utf8" });
  return JSON.parse(out);
}

// A limit below the size of its own options once made every later call,
// setLimits included, too_large: the module was bricked. In a child, since
// the limits are global.
test("setLimits can always be undone, whatever limit it set", () => {
  const r = inChild(`
    import { setLimits, validate, Subscription } from "hookmatch";
    const code = (f) => { try { f(); return "ok"; } catch (e) { return e.name + ":" + e.code; } };
    const spec = { objCode: "PROJ", eventType: "UPDATE", url: "https://h.example.com", authToken: "t" };
    const out = {};
    out.set10 = code(() => setLimits({ maxInputBytes: 10 }));
    out.validateAt10 = code(() => validate(spec));
    out.set1 = code(() => setLimits({ maxInputBytes: 1 }));
    out.nan = code(() => setLimits({ maxInputBytes: NaN }));
    out.unknown = code(() => setLimits({ maxInputByte: 5 }));
    out.restore = code(() => setLimits({ maxInputBytes: 0 }));
    out.validateAfter = code(() => validate(spec).length);
    out.matches = Subscription.compile(spec).matches({ eventType: "UPDATE", newState: { objCode: "PROJ" }, oldState: {} });
    console.log(JSON.stringify(out));
  `);
  assert.deepEqual(r, {
    set10: "ok",
    validateAt10: "HookmatchError:too_large",
    set1: "ok",
    nan: "HookmatchError:invalid_input",
    unknown: "HookmatchError:invalid_input",
    restore: "ok",
    validateAfter: "ok",
    matches: true,
  });
});
