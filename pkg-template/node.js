// Node (ESM): load the wasm synchronously from beside this file.
import { readFileSync } from "node:fs";
import { initSync } from "./hookmatch.js";

initSync({ module: readFileSync(new URL("./hookmatch_bg.wasm", import.meta.url)) });

import * as glue from "./hookmatch.js";
import { install } from "./runtime.js";

install(glue);
export * from "./api.js";
