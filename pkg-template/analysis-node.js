// hookmatch/analysis where the main entry's module has the analysis already
// (node.js): the same functions, nothing more to load.
import "./node.js";

export { lint, diff, example, setLint } from "./runtime.js";
