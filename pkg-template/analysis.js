// hookmatch/analysis in browsers and bundlers: fetch and instantiate the full
// module beside the core one that "hookmatch" loaded (browser.js), and hand
// it to the runtime. From then on this entry's functions and the main
// entry's lint, diff, sub.example() and set.lint() answer there.
import init from "./hookmatch.js";

await init({ module_or_path: new URL("./hookmatch_bg.wasm", import.meta.url) });

import * as glue from "./hookmatch.js";
import { installAnalysis } from "./runtime.js";

installAnalysis(glue);
export { lint, diff, example, setLint } from "./runtime.js";
