// Browsers and bundlers: fetch and instantiate the wasm next to this file.
import init from "./hookmatch.js";

await init({ module_or_path: new URL("./hookmatch_bg.wasm", import.meta.url) });

import * as glue from "./hookmatch.js";
import { install } from "./runtime.js";

install(glue);
export * from "./api.js";
