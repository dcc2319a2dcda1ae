// The vendor conformance corpus (tests/conformance/<vendor>/*.json) through
// the installed package, one test per case: the same cases tests/conformance.rs
// runs natively.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { Subscription, validate, verify } from "hookmatch";

const root = new URL("../conformance/", import.meta.url);

/** An event's text: as written, as an object, or padded to an exact byte length. */
function eventText(holder) {
  if (typeof holder.event_text === "string") return holder.event_text;
  if (holder.event_pad) {
    const { event, pointer, bytes } = holder.event_pad;
    const copy = structuredClone(event);
    const parts = pointer.split("/").slice(1);
    let parent = copy;
    for (const p of parts.slice(0, -1)) parent = parent[p];
    const key = parts.at(-1);
    const base = new TextEncoder().encode(JSON.stringify(copy)).length;
    parent[key] = "x".repeat(parent[key].length + bytes - base);
    const text = JSON.stringify(copy);
    assert.equal(new TextEncoder().encode(text).length, bytes);
    return text;
  }
  return holder.event === undefined || holder.event === null ? null : JSON.stringify(holder.event);
}

function options(vendor, c) {
  const o = { ...(c.options ?? {}) };
  if (o.dialect === undefined && c.detect !== true) o.dialect = vendor;
  return o;
}

const specOf = (c) => (typeof c.spec_text === "string" ? c.spec_text : c.spec);

function run(vendor, c) {
  for (const key of ["document", "section", "version"]) {
    assert.ok(typeof c.source?.[key] === "string" && c.source[key].trim() !== "", `source.${key}`);
  }
  const expect = c.expect ?? {};
  if (c.validate !== undefined || expect.diagnostics !== undefined) {
    const got = validate(specOf(c), options(vendor, c)).map((d) => [d.severity, d.code, d.path]);
    const key = (d) => d.join("\u0000");
    assert.deepEqual(got.map(key).sort(), (expect.diagnostics ?? []).map(key).sort());
    if (expect.message) {
      const messages = validate(specOf(c), options(vendor, c)).map((d) => d.message);
      assert.ok(messages.some((m) => m.includes(expect.message)), `no diagnostic says ${expect.message}: ${messages}`);
    }
    return;
  }
  const sub = Subscription.compile(specOf(c), options(vendor, c));
  try {
    if (expect.dialect) assert.equal(sub.dialect, expect.dialect);
    if (c.deliver) return delivery(sub, c.deliver, expect);
    if (c.preview) return preview(sub, c.preview, expect);
    const text = eventText(c);
    if (expect.error) {
      assert.throws(() => sub.matches(text), (e) => e.name === "HookmatchError" && e.code === expect.error.code && (expect.error.path === undefined || e.path === expect.error.path));
      return;
    }
    assert.equal(sub.matches(text), expect.matched, "matches");
    assert.equal(sub.matches(JSON.parse(text)), expect.matched, "matches of the object");
    const x = sub.explain(text);
    assert.equal(x.matched, expect.matched, "explain");
    const checks = [...x.gate, ...x.filters];
    if (expect.failing) assert.equal(checks.find((k) => !k.passed)?.field, expect.failing);
    if (expect.reason) assert.ok(checks.some((k) => k.reason.includes(expect.reason)), `no reason says ${expect.reason}`);
  } finally {
    sub.free();
  }
}

function delivery(sub, d, expect) {
  const text = eventText(d);
  if (expect.error) {
    assert.throws(() => sub.deliver(text, d.options), (e) => e.code === expect.error.code);
    return;
  }
  const got = sub.deliver(text, d.options);
  if ("delivery" in expect && expect.delivery === null) return assert.equal(got, null);
  assert.ok(got, "a delivery");
  if (expect.url !== undefined) assert.equal(got.url, expect.url);
  for (const [k, v] of Object.entries(expect.headers ?? {})) assert.equal(got.headers[k], v, `header ${k}`);
  if (expect.header_names) assert.deepEqual(Object.keys(got.headers), expect.header_names);
  if (expect.body !== undefined) assert.equal(got.body, expect.body);
  for (const part of expect.body_contains ?? []) assert.ok(got.body.includes(part), `body lacks ${part}`);
  if (expect.body_json !== undefined) assert.deepEqual(JSON.parse(got.body), expect.body_json);
  if (expect.verifies_with !== undefined) {
    const now = d.options?.timestamp;
    assert.equal(verify(got, expect.verifies_with, now === undefined ? undefined : { now }), true, "verifies");
  }
}

function preview(sub, p, expect) {
  const r = sub.preview(p.input, p.options);
  if (expect.total !== undefined) assert.equal(r.total, expect.total);
  if (expect.matched !== undefined) assert.equal(r.matched, expect.matched);
  if (expect.matches !== undefined) assert.deepEqual(r.matches, expect.matches);
  if (expect.errors !== undefined) {
    assert.deepEqual(
      r.errors.map((e) => (e.line === undefined ? { index: e.index, code: e.code } : { index: e.index, code: e.code, line: e.line })),
      expect.errors,
    );
  }
}

for (const vendor of readdirSync(root).sort()) {
  for (const file of readdirSync(new URL(`${vendor}/`, root)).filter((f) => f.endsWith(".json")).sort()) {
    const cases = JSON.parse(readFileSync(new URL(`${vendor}/${file}`, root), "utf8"));
    for (const c of cases) test(`${vendor}/${file.replace(/\.json$/, "")}: ${c.name}`, () => run(vendor, c));
  }
}
