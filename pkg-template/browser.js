// Browsers and bundlers: fetch and instantiate the core module next to this
// file, the one without the analysis (lint's findings, diff, example,
// set.lint), so a page that only validates and matches downloads none of it.
// `import "hookmatch/analysis"` (analysis.js) loads the full module for those.
import init from "./hookmatch_core.js";

await init({ module_or_path: new URL("./hookmatch_core_bg.wasm", import.meta.url) });

import * as glue from "./hookmatch_core.js";
import { install } from "./runtime.js";

install(glue);
export * from "./api.js";
