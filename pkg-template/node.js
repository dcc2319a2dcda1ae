// Node (ESM): load the wasm synchronously from beside this file.
import { readFileSync } from "node:fs";
import { initSync } from "./hookmatch.js";

// import.meta.url is empty where a bundler turned this module into CommonJS
// (esbuild --platform=node): the wasm is then beside the bundle, __dirname.
const wasm = import.meta.url ? new URL("./hookmatch_bg.wasm", import.meta.url) : `${__dirname}/hookmatch_bg.wasm`;
initSync({ module: readFileSync(wasm) });

import * as glue from "./hookmatch.js";
import { install } from "./runtime.js";

install(glue);
export * from "./api.js";
