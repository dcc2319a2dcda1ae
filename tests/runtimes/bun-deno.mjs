// Run by Bun and by Deno from their npm packages: `import ... from "hookmatch"`
// resolves through package.json exports (Bun: node; Deno: deno).
import * as hm from "hookmatch";
import { smoke } from "./smoke.js";

const failures = smoke(hm);
if (failures.length) {
  console.log(`FAIL ${failures.join(", ")}`);
  throw new Error(`smoke test failed: ${failures.join(", ")}`);
}
console.log("OK hookmatch smoke test passed");
