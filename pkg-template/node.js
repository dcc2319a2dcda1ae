// Node (ESM): load the wasm synchronously from beside this file. The package
// ships this file bundled with the modules it imports (scripts/build-pkg.sh):
// Node loads an import graph one module at a time, and one file answers
// 1-2 ms sooner (docs/performance.md, "Cold start").
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { initSync } from "./hookmatch.js";

// Written as `new URL("./…", import.meta.url)` so that bundlers see the wasm,
// emit it and rewrite the URL to their copy. import.meta.url is empty where
// a bundler turned this module into CommonJS (esbuild --platform=node): the
// wasm is then beside the bundle, __dirname.
const wasm = import.meta.url ? new URL("./hookmatch_bg.wasm", import.meta.url) : `${__dirname}/hookmatch_bg.wasm`;

// node:fs is asked for, not imported: Node's ESM view of a builtin reads
// every export when it is linked, and node:fs's lazy ReadStream getters then
// load the whole streams stack, 1-2 ms of a cold start that reads one file
// (docs/performance.md, "Cold start"). process.getBuiltinModule is Node's
// own way (20.16 on); before it, require, which a bundler's CommonJS output
// (no import.meta.url there, above) has as it is.
const { readFileSync } =
  globalThis.process?.getBuiltinModule?.("node:fs") ?? (import.meta.url ? createRequire(import.meta.url) : require)("node:fs");

function wasmBytes() {
  if (typeof wasm === "string") return readFileSync(wasm);
  // Through the href: a URL object of another realm (a test environment's
  // own URL class) is still a file URL.
  if (wasm.protocol === "file:") return readFileSync(fileURLToPath(wasm.href));
  // Next.js, when it bundles this entry for the server render of a client
  // component, rewrites the URL to the path the browser fetches
  // ("/_next/static/media/hookmatch_bg.<hash>.wasm") in an object that only
  // looks like a URL (Turbopack's relativeURL; webpack's with
  // `javascript.url: "relative"`, also in its route handlers), so that the
  // server's HTML names the same URL as the client's. That is nothing on
  // disk, so read, in turn:
  const tried = [];
  // - the package's own copy. import.meta.url is this file in node_modules
  //   there (Turbopack resolves it against the project root at run time and
  //   traces the wasm for `output: "standalone"`; webpack writes the path it
  //   had at build time). Not written as new URL("…", import.meta.url), the
  //   pattern the bundler rewrites.
  try {
    tried.push(join(dirname(fileURLToPath(import.meta.url)), "hookmatch_bg.wasm"));
  } catch {}
  // - the client's copy Next emitted, under the default distDir in the
  //   working directory: webpack's standalone output has no
  //   node_modules/hookmatch, and Next's docs have .next/static copied beside
  //   its server.js, which runs there.
  const at = wasm.pathname.indexOf("/_next/static/");
  if (at >= 0) tried.push(join(process.cwd(), ".next", wasm.pathname.slice(at + "/_next".length)));
  for (const file of tried) {
    try {
      return readFileSync(file);
    } catch {}
  }
  throw new Error(
    `hookmatch: cannot read its WebAssembly: the bundler rewrote its URL to "${wasm.href}", which is not a file, and it is not at ${tried.join(" or ") || import.meta.url}. Leave hookmatch out of the server bundle (Next.js: serverExternalPackages: ["hookmatch"]).`,
  );
}
initSync({ module: wasmBytes() });

import * as glue from "./hookmatch.js";
import { install } from "./runtime.js";

install(glue);
export * from "./api.js";
