// `make bench-stream`: peak memory of previewStream on a large NDJSON stream
// generated on the fly (never held whole), against the input's size.
// Usage: node --expose-gc bench/stream-memory.mjs [GB] (default 1).
import { Subscription } from "hookmatch";

const gb = Number(process.argv[2] ?? 1);
const total = Math.round(gb * 1024 ** 3);
const sub = Subscription.compile({
  objCode: "PROJ", eventType: "UPDATE", url: "https://h.example.com/x", authToken: "t",
  filters: [{ fieldName: "status", fieldValue: "CUR" }],
});
const line = (i) => `{"eventType":"UPDATE","subscriptionId":"s${i}","newState":{"ID":"${i}","objCode":"PROJ","status":"${i % 3 ? "CUR" : "NEW"}","name":"${"n".repeat(800)}"},"oldState":{"ID":"${i}","objCode":"PROJ","status":"NEW"}}\n`;
const CHUNK = 1 << 20;

async function* source() {
  const enc = new TextEncoder();
  let sent = 0;
  let i = 0;
  while (sent < total) {
    let s = "";
    while (s.length < CHUNK) s += line(i++);
    const bytes = enc.encode(s);
    sent += bytes.length;
    yield bytes;
  }
}

let peakRss = 0;
let peakWasm = 0;
const sample = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const timer = setInterval(sample, 50);
const t0 = performance.now();
const r = await sub.previewStream(source(), {
  onProgress: () => {
    sample();
  },
});
clearInterval(timer);
sample();
const secs = (performance.now() - t0) / 1000;
console.log(JSON.stringify({
  inputBytes: total,
  events: r.total,
  matched: r.matched,
  seconds: Number(secs.toFixed(1)),
  mbPerSecond: Number((total / 1024 ** 2 / secs).toFixed(1)),
  peakRssMB: Number((peakRss / 1024 ** 2).toFixed(1)),
  matchesArrayMB: Number(((r.matches.length * 8) / 1024 ** 2).toFixed(1)),
}));
