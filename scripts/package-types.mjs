// Assemble the package's declarations: wasm-bindgen's (the classes and
// functions), without what it declares for its own loader (init, initSync,
// InitInput, InitOutput: the entries initialize the module, a caller never
// does), with `Symbol.dispose` declared as @types/node declares it (so
// `[Symbol.dispose]()` compiles in strict browser projects that lack
// TypeScript's esnext.disposable lib), then the inputs' types (pkg-template/api.d.ts) and the
// outputs' (pkg-template/generated.d.ts, from the Rust types). Written as
// hookmatch.d.ts (ESM entries) and cjs/index.d.cts (require).
import { readFileSync, writeFileSync, rmSync } from "node:fs";

const pkg = new URL("../pkg/", import.meta.url);
const template = new URL("../pkg-template/", import.meta.url);
let dts = readFileSync(new URL("hookmatch.d.ts", pkg), "utf8");
const loader = dts.indexOf("export type InitInput");
if (loader >= 0) dts = dts.slice(0, loader);
dts = dts.trimEnd();
const disposeSymbol = [
  "declare global {",
  "  interface SymbolConstructor {",
  "    /** The `using` declaration's hook; every hookmatch class frees itself through it. */",
  "    readonly dispose: unique symbol;",
  "  }",
  "}",
].join("\n");
const whole = [
  "// Types of the hookmatch package (assembled by scripts/package-types.mjs).",
  disposeSymbol,
  dts,
  readFileSync(new URL("api.d.ts", template), "utf8").trimEnd(),
  readFileSync(new URL("generated.d.ts", template), "utf8").trimEnd(),
  "",
].join("\n\n");
for (const name of ["hookmatch.d.ts", "cjs/index.d.cts"]) writeFileSync(new URL(name, pkg), whole);
for (const name of ["api.d.ts", "generated.d.ts", "cjs/hookmatch.d.ts", "cjs/hookmatch_bg.wasm.d.ts"]) rmSync(new URL(name, pkg), { force: true });

// The wasm's own declarations for `require("hookmatch/hookmatch_bg.wasm")`
// (a copy step resolving the path): a .d.cts so the require branch is typed CJS.
writeFileSync(new URL("cjs/hookmatch_bg.wasm.d.cts", pkg), readFileSync(new URL("hookmatch_bg.wasm.d.ts", pkg)));
writeFileSync(new URL("cjs/hookmatch_core_bg.wasm.d.cts", pkg), readFileSync(new URL("hookmatch_core_bg.wasm.d.ts", pkg)));
