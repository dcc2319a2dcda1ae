// hookmatch/analysis where the main entry's module has the analysis already
// (workerd.js): the same functions, nothing more to load.
import "./workerd.js";

export { lint, diff, example, setLint } from "./runtime.js";
