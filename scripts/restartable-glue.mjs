// Give wasm-bindgen's glue (pkg/hookmatch.js, the ESM one, and
// pkg/hookmatch.cjs) a private `__restart()`: a fresh instance of the same
// compiled module, with the glue's cached views of the old memory dropped.
// runtime.js calls it after a trap. With panic = "abort" a trap leaves the
// instance's shadow stack and allocator mid-operation, so every later call
// into that instance is suspect; the glue keeps its instance in a private
// `let`, so only code inside the glue can replace it.
//
// The glue is generated, so this checks the exact statements it relies on
// and fails the build, naming what changed, when a wasm-bindgen upgrade
// moves them.
import { readFileSync, writeFileSync } from "node:fs";

function need(text, what, file) {
  if (!text.includes(what)) {
    throw new Error(`scripts/restartable-glue.mjs: ${file} no longer contains ${JSON.stringify(what)}; wasm-bindgen's glue changed, update the __restart patch`);
  }
}

/** Every `let cachedXxxMemory0 = null;` view of wasm memory the glue keeps. */
function cachedViews(text) {
  return [...text.matchAll(/^let (cached\w*Memory0) = null;$/gm)].map((m) => m[1]);
}

// The full module's glue, and the browser's core module's (hookmatch_core.js).
let text;
for (const esm of ["pkg/hookmatch.js", "pkg/hookmatch_core.js"]) {
  text = readFileSync(esm, "utf8");
  need(text, "let wasmModule, wasmInstance, wasm;", esm);
  need(text, "function __wbg_finalize_init(instance, module) {", esm);
  const finalize = text.slice(text.indexOf("function __wbg_finalize_init("), text.indexOf("async function __wbg_load("));
  for (const v of cachedViews(text)) need(finalize, `${v} = null;`, `${esm}'s __wbg_finalize_init`);
  text += `
/** hookmatch (scripts/restartable-glue.mjs): a fresh instance of the same module, for runtime.js after a trap. */
export function __restart() {
    if (wasmModule === undefined) throw new Error("hookmatch: the module was never initialised");
    return __wbg_finalize_init(new WebAssembly.Instance(wasmModule, __wbg_get_imports()), wasmModule);
}
`;
  writeFileSync(esm, text);
}

const cjs = "pkg/hookmatch.cjs";
text = readFileSync(cjs, "utf8");
need(text, "const wasmModule = new WebAssembly.Module(wasmBytes);", cjs);
need(text, "let wasmInstance = new WebAssembly.Instance(wasmModule, __wbg_get_imports());", cjs);
need(text, "let wasm = wasmInstance.exports;", cjs);
need(text, "wasm.__wbindgen_start();", cjs);
const views = cachedViews(text);
if (views.length === 0) throw new Error(`scripts/restartable-glue.mjs: ${cjs} has no cached memory views; wasm-bindgen's glue changed`);
text += `
/** hookmatch (scripts/restartable-glue.mjs): a fresh instance of the same module, for runtime.js after a trap. */
exports.__restart = function __restart() {
    wasmInstance = new WebAssembly.Instance(wasmModule, __wbg_get_imports());
    wasm = wasmInstance.exports;
${views.map((v) => `    ${v} = null;`).join("\n")}
    wasm.__wbindgen_start();
};
`;
writeFileSync(cjs, text);
