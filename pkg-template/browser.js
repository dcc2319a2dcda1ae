// Browsers and bundlers: fetch and instantiate the core module next to this
// file, the one without the analysis (lint's findings, diff, example,
// set.lint), so a page that only validates and matches downloads none of it.
// `import "hookmatch/analysis"` (analysis.js) loads the full module for those.
//
// The package ships this file bundled with the modules it imports
// (scripts/build-pkg.sh): a page that imports the package's files as they
// are (no bundler; a CDN that serves them) would otherwise load the modules
// one level at a time before it asks for the wasm: 28-52 ms beyond a trivial
// page in fresh Chromium contexts, against 16-19 ms as one file (medians of
// rounds of 11 contexts; docs/performance.md, "Cold start").
import init from "./hookmatch_core.js";

await init({ module_or_path: new URL("./hookmatch_core_bg.wasm", import.meta.url) });

import * as glue from "./hookmatch_core.js";
import { install } from "./runtime.js";

install(glue);
export * from "./api.js";
