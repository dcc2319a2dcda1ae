// Base64 through the package against Node's own Buffer (an implementation
// independent of the Rust crate hookmatch wraps), on random inputs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { encodeBase64, decodeBase64 } from "hookmatch";
import { rng } from "../../bench/data.mjs";

test("encodeBase64 and decodeBase64 agree with Buffer on random bytes and text", () => {
  const next = rng(4648);
  for (let n = 0; n < 600; n++) {
    const len = n < 40 ? n : Math.floor(next() * 3000);
    const bytes = new Uint8Array(len).map(() => Math.floor(next() * 256));
    const b64 = Buffer.from(bytes).toString("base64");
    assert.equal(encodeBase64(bytes), b64);
    assert.deepEqual(decodeBase64(b64), bytes);
    const url = Buffer.from(bytes).toString("base64url");
    assert.equal(encodeBase64(bytes, { alphabet: "url" }), url);
    assert.deepEqual(decodeBase64(url, { alphabet: "url" }), bytes);
    const text = String.fromCodePoint(...Array.from({ length: len % 50 }, () => Math.floor(next() * 0x2ffff) % 0xd7ff));
    assert.equal(encodeBase64(text), Buffer.from(text, "utf8").toString("base64"));
  }
});

test("decodeBase64 is strict where Buffer is lenient: exactly the canonical texts decode", () => {
  const next = rng(20);
  const chars = "AB+/=-_$ \nQw";
  for (let n = 0; n < 4000; n++) {
    const s = Array.from({ length: Math.floor(next() * 9) }, () => chars[Math.floor(next() * chars.length)]).join("");
    const canonical = /^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0 && Buffer.from(s, "base64").toString("base64") === s;
    let ok = true;
    try {
      decodeBase64(s);
    } catch (e) {
      assert.equal(e.code, "invalid_base64");
      ok = false;
    }
    assert.equal(ok, canonical, JSON.stringify(s));
  }
});
