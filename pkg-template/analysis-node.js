// hookmatch/analysis where the main entry's module has the analysis already
// (node.js): the same functions, nothing more to load. The package ships
// node.js as one file with runtime.js inlined (scripts/build-pkg.sh), so the
// functions are that runtime's, found on the entry's HookmatchError
// (runtime.js, RUNTIME).
import { HookmatchError } from "./node.js";

export const { lint, diff, example, setLint } = HookmatchError[Symbol.for("hookmatch.runtime")];
