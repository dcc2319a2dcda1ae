// Deno 2: a source-phase import gives the WebAssembly.Module without --allow-read.
import source wasmModule from "./hookmatch_bg.wasm";
import { initSync } from "./hookmatch.js";

initSync({ module: wasmModule });

import * as glue from "./hookmatch.js";
import { install } from "./runtime.js";

install(glue);
export * from "./api.js";
