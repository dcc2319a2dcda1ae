// Cloudflare workerd / wrangler import a .wasm file as a WebAssembly.Module.
import wasmModule from "./hookmatch_bg.wasm";
import { initSync } from "./hookmatch.js";

initSync({ module: wasmModule });

import * as glue from "./hookmatch.js";
import { install } from "./runtime.js";

install(glue);
export * from "./api.js";
