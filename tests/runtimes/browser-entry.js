// Bundled by esbuild for the browser: the import line a web app writes.
import * as hm from "hookmatch";
import { smoke } from "./smoke.js";

window.smokeResult = { failures: smoke(hm) };
