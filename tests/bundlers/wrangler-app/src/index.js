// The worker of the raw-workerd test, here bundled by wrangler (which
// resolves "hookmatch" from node_modules with the `workerd` condition):
// GET /smoke runs the shared smoke test; POST /match with {spec, events}
// answers {results: [{matched, reason}]}.
export { default } from "../../../runtimes/worker.js";
