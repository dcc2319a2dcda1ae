// hookmatch/analysis in browsers and bundlers: fetch and instantiate the full
// module beside the core one that "hookmatch" loaded (browser.js), and hand
// it to that entry's runtime. From then on this entry's functions and the
// main entry's lint, diff, sub.example() and set.lint() answer there.
//
// Shipped bundled with the full module's glue, as browser.js is with the
// core one's. browser.js holds the runtime inlined, so this entry finds it
// on browser.js's HookmatchError (runtime.js, RUNTIME), and imports
// browser.js while its own wasm is on the way, not before.
import init, * as glue from "./hookmatch.js";

const wasm = fetch(new URL("./hookmatch_bg.wasm", import.meta.url));
const main = import("./browser.js");
// Awaited below; if this module's own wasm fails first, that is the error
// the import reports, and the main entry's is not a second, unhandled one.
main.catch(() => {});
await init({ module_or_path: wasm });
const runtime = (await main).HookmatchError[Symbol.for("hookmatch.runtime")];

runtime.installAnalysis(glue);
export const { lint, diff, example, setLint } = runtime;
