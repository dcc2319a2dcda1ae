// Bundled by esbuild for the browser: the import line a web app writes.
import * as hm from "hookmatch";
// The smoke test runs the analysis too: in the browser it is an entry of its own.
import "hookmatch/analysis";
import { smoke } from "./smoke.js";

window.smokeResult = { failures: smoke(hm) };
