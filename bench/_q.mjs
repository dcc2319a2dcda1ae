import * as hm from "hookmatch";
import { matchEvent, measure, ndjson } from "./cases.mjs";
import { THREE_FILTERS } from "./data.mjs";
const e = matchEvent(); const text = JSON.stringify(e);
const sub = hm.Subscription.compile(THREE_FILTERS);
console.log("matches(text)", measure(() => sub.matches(text)).toFixed(0), "ns");
const b = ndjson(20);
const ns = measure(() => sub.preview(b), { rounds: 3, batchMs: 1 });
console.log("preview MB/s", (b.length / ns * 1e3 / 1.048576).toFixed(0));
