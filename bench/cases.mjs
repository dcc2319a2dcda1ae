// Benchmark cases shared by the Node and the Chromium runs: the same code,
// the same inputs, medians of repeated timed batches.

/** Deterministic bytes (xorshift32), so every run measures the same input. */
export function bytes(n, seed = 0x9e3779b9) {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Median ns per call of fn, over `rounds` batches of about `batchMs` each. */
export function measure(fn, { rounds = 7, batchMs = 150 } = {}) {
  // Warm up and size the batch.
  let n = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    const dt = performance.now() - t0;
    if (dt > batchMs / 4) {
      n = Math.max(1, Math.round((n * batchMs) / Math.max(dt, 0.001)));
      break;
    }
    n *= 4;
  }
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    samples.push(((performance.now() - t0) * 1e6) / n);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

function binaryString(u8) {
  let s = "";
  for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000));
  return s;
}

function fromBinaryString(s) {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/**
 * Base64 encode/decode of bytes, 1 KiB and 1 MiB, for every implementation
 * given: { name: { encode(u8) -> string, decode(string) -> u8 } }.
 * Each result is checked against the first implementation before timing.
 */
export function base64Cases(impls) {
  const rows = [];
  const names = Object.keys(impls);
  for (const size of [1024, 1024 * 1024]) {
    const input = bytes(size);
    const reference = impls[names[0]].encode(input);
    for (const name of names) {
      const impl = impls[name];
      const text = impl.encode(input);
      if (text !== reference) throw new Error(`${name} encodes differently`);
      const back = impl.decode(reference);
      if (back.length !== input.length || back.some((b, i) => b !== input[i])) throw new Error(`${name} decodes differently`);
      const enc = measure(() => impl.encode(input));
      const dec = measure(() => impl.decode(reference));
      rows.push({ case: "base64", impl: name, size, encodeMBps: size / enc * 1e3 / 1.048576, decodeMBps: size / dec * 1e3 / 1.048576, encodeNs: enc, decodeNs: dec });
    }
  }
  return rows;
}

/** Implementations a browser has: btoa/atob, and Uint8Array toBase64/fromBase64 where present. */
export function browserImpls(hookmatch) {
  const impls = {
    hookmatch: { encode: (u8) => hookmatch.encodeBase64(u8), decode: (s) => hookmatch.decodeBase64(s) },
    "btoa/atob": { encode: (u8) => btoa(binaryString(u8)), decode: (s) => fromBinaryString(atob(s)) },
  };
  if (typeof Uint8Array.prototype.toBase64 === "function") {
    impls["toBase64/fromBase64"] = { encode: (u8) => u8.toBase64(), decode: (s) => Uint8Array.fromBase64(s) };
  }
  return impls;
}
