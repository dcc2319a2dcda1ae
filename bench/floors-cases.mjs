// The page- and process-side half of `bench/floors.mjs` (which says what
// is measured and why): no Node module here, so the page can load it.
// Two modules of one exported function, `sum(s: string) -> i32`, the sum of
// the string's UTF-16 units, assembled here (a few bytes each, so no
// assembler is installed for them):
// - `CHAR_CODE_AT`: read one unit at a time through the builtin `charCodeAt`;
// - `INTO_ARRAY`: copy the units into a wasm GC `(array (mut i16))` through
//   the builtin `intoCharCodeArray`, then read the array.
const uleb = (n) => {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const name = (s) => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
const section = (id, body) => [id, ...uleb(body.length), ...body];
const vec = (items) => [...uleb(items.length), ...items.flat()];
const I32 = 0x7f, EXTERNREF = 0x6f, FUNC = 0x60;

/** A module with `types`, builtin `imports` ([name, type]) and one function of type `sumType`. */
function sumModule(types, imports, sumType, locals, code) {
  const body = [...vec(locals), ...code, 0x0b];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec(imports.map(([field, type]) => [...name("wasm:js-string"), ...name(field), 0x00, type]))),
    ...section(3, vec([[sumType]])),
    ...section(7, vec([[...name("sum"), 0x00, imports.length]])),
    ...section(10, vec([[...uleb(body.length), ...body]])),
  ]);
}

// Locals: 0 the string, 1 i, 2 n, 3 the sum (then 4 the array).
const LOOP_HEAD = [
  0x02, 0x40, 0x03, 0x40, // block, loop
  0x20, 0x01, 0x20, 0x02, 0x4f, 0x0d, 0x01, // i >= n: done
];
const LOOP_TAIL = [
  0x20, 0x03, 0x6a, 0x21, 0x03, // sum += unit
  0x20, 0x01, 0x41, 0x01, 0x6a, 0x21, 0x01, 0x0c, 0x00, // i++, again
  0x0b, 0x0b, 0x20, 0x03, // end, end, the sum
];

export const CHAR_CODE_AT = sumModule(
  [[FUNC, 1, EXTERNREF, 1, I32], [FUNC, 2, EXTERNREF, I32, 1, I32]],
  [["length", 0], ["charCodeAt", 1]],
  0,
  [[3, I32]],
  [
    0x20, 0x00, 0x10, 0x00, 0x21, 0x02, // n = length(s)
    ...LOOP_HEAD,
    0x20, 0x00, 0x20, 0x01, 0x10, 0x01, // charCodeAt(s, i)
    ...LOOP_TAIL,
  ],
);

// Type 0 (array (mut i16)); 1 (externref) -> i32; 2 (externref, (ref null 0), i32) -> i32.
export const INTO_ARRAY = sumModule(
  [[0x5e, 0x77, 0x01], [FUNC, 1, EXTERNREF, 1, I32], [FUNC, 3, EXTERNREF, 0x63, 0x00, I32, 1, I32]],
  [["length", 1], ["intoCharCodeArray", 2]],
  1,
  [[3, I32], [1, 0x63, 0x00]],
  [
    0x20, 0x00, 0x10, 0x00, 0x21, 0x02, // n = length(s)
    0x20, 0x02, 0xfb, 0x07, 0x00, 0x21, 0x04, // array = array.new_default n
    0x20, 0x00, 0x20, 0x04, 0x41, 0x00, 0x10, 0x01, 0x1a, // intoCharCodeArray(s, array, 0)
    ...LOOP_HEAD,
    0x20, 0x04, 0x20, 0x01, 0xfb, 0x0d, 0x00, // array.get_u array i
    ...LOOP_TAIL,
  ],
);

/** `sum` of `bytes` with the js-string builtins, or null where the engine has none (Node 20). */
function builtinSum(bytes) {
  try {
    // Where the engine ignores the option, the imports stay imports, and
    // instantiating without them throws.
    const module = new WebAssembly.Module(bytes, { builtins: ["js-string"] });
    return new WebAssembly.Instance(module, {}).exports.sum;
  } catch {
    return null;
  }
}

/** One process's (or page's) measurements: a row per text case. */
export async function measureFloors() {
  const { textCases, measureAll } = await import("./ab-cases.mjs");
  const { rng, subscriptions, jsIndex } = await import("./data.mjs");
  const { matchEvent } = await import("./cases.mjs");
  const memory = new WebAssembly.Memory({ initial: 4 });
  const view = new Uint8Array(memory.buffer, 0, 3 * 64 * 1024);
  const encoder = new TextEncoder();
  const reads = { "read:charCodeAt": builtinSum(CHAR_CODE_AT), "read:array": builtinSum(INTO_ARRAY) };
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
    for (const [k, read] of Object.entries(reads)) if (read !== null && read(text) !== sum) throw new Error(`${k} disagrees with charCodeAt`);
    if (!c.js(JSON.parse(text))) throw new Error("js disagrees");
    const fns = {
      js: () => c.js(JSON.parse(text)),
      parse: () => JSON.parse(text),
      copy: () => encoder.encodeInto(text, view).written,
    };
    for (const [k, read] of Object.entries(reads)) if (read !== null) fns[k] = () => read(text);
    rows.push({ case: `${c.label} ${text.length} B`, bound: c.bound, ...measureAll(fns) });
  }
  return rows;
}
