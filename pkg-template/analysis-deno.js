// hookmatch/analysis where the main entry's module has the analysis already
// (deno.js): the same functions, nothing more to load.
import "./deno.js";

export { lint, diff, example, setLint } from "./runtime.js";
