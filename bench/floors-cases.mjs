// The page- and process-side half of `bench/floors.mjs` (which says what
// is measured and why): no Node module here, so the page can load it.
/**
 * (func (param externref) (result i32)): the sum of the string's UTF-16
 * units, read one by one through the js-string builtins.
 */
export const READ_ALL_UNITS = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  // types: (externref) -> i32, (externref, i32) -> i32
  0x01, 0x0c, 0x02, 0x60, 0x01, 0x6f, 0x01, 0x7f, 0x60, 0x02, 0x6f, 0x7f, 0x01, 0x7f,
  // imports: wasm:js-string length (type 0), charCodeAt (type 1)
  0x02, 0x35, 0x02,
  0x0e, ...[..."wasm:js-string"].map((c) => c.charCodeAt(0)), 0x06, ...[..."length"].map((c) => c.charCodeAt(0)), 0x00, 0x00,
  0x0e, ...[..."wasm:js-string"].map((c) => c.charCodeAt(0)), 0x0a, ...[..."charCodeAt"].map((c) => c.charCodeAt(0)), 0x00, 0x01,
  // one function of type 0, exported as "sum"
  0x03, 0x02, 0x01, 0x00,
  0x07, 0x07, 0x01, 0x03, 0x73, 0x75, 0x6d, 0x00, 0x02,
  // its body: locals i (1), n (2), sum (3)
  0x0a, 0x2f, 0x01, 0x2d, 0x01, 0x03, 0x7f,
  0x20, 0x00, 0x10, 0x00, 0x21, 0x02, // n = length(s)
  0x02, 0x40, 0x03, 0x40, // block, loop
  0x20, 0x01, 0x20, 0x02, 0x4f, 0x0d, 0x01, // i >= n: done
  0x20, 0x00, 0x20, 0x01, 0x10, 0x01, 0x20, 0x03, 0x6a, 0x21, 0x03, // sum += charCodeAt(s, i)
  0x20, 0x01, 0x41, 0x01, 0x6a, 0x21, 0x01, 0x0c, 0x00, // i++, again
  0x0b, 0x0b, 0x20, 0x03, 0x0b,
]);

/** One process's (or page's) measurements: a row per text case. */
export async function measureFloors() {
  const { textCases, measureAll } = await import("./ab-cases.mjs");
  const { rng, subscriptions, jsIndex } = await import("./data.mjs");
  const { matchEvent } = await import("./cases.mjs");
  const memory = new WebAssembly.Memory({ initial: 4 });
  const view = new Uint8Array(memory.buffer, 0, 3 * 64 * 1024);
  const encoder = new TextEncoder();
  let readAll = null;
  try {
    // Where the engine ignores the option (Node 20), the imports stay
    // imports, instantiating without them throws, and there is no such read.
    const module = new WebAssembly.Module(READ_ALL_UNITS, { builtins: ["js-string"] });
    readAll = new WebAssembly.Instance(module, {}).exports.sum;
  } catch {
    readAll = null;
  }
  const rows = [];
  // The text bound (1.2x the JS) for each text case, then the set's (2x a
  // JS Map index, 10,200 members) for the bench's set event.
  const entries = subscriptions(rng(10200), 10200);
  const index = jsIndex(entries);
  const cases = textCases().map((c) => ({ ...c, bound: 1.2 }));
  cases.push({ label: "set 10,200 members,", event: matchEvent(), js: (e) => index(e).length > 0, bound: 2 });
  for (const c of cases) {
    const text = JSON.stringify(c.event);
    let sum = 0;
    for (let i = 0; i < text.length; i++) sum += text.charCodeAt(i);
    if (readAll !== null && readAll(text) !== sum) throw new Error("the builtins' read disagrees with charCodeAt");
    if (!c.js(JSON.parse(text))) throw new Error("js disagrees");
    const fns = {
      js: () => c.js(JSON.parse(text)),
      parse: () => JSON.parse(text),
      copy: () => encoder.encodeInto(text, view).written,
    };
    if (readAll !== null) fns.read = () => readAll(text);
    rows.push({ case: `${c.label} ${text.length} B`, bound: c.bound, ...measureAll(fns) });
  }
  return rows;
}
