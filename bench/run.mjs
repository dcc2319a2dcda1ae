// `make bench`: the same cases in Node and in headless Chromium (Debian's,
// through playwright-core), side by side in one run. Prints a table of
// medians and ratios and writes the raw rows to bench/results/.
import { createServer } from "node:http";
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import os from "node:os";
import { chromium } from "playwright-core";
import { run as runNode } from "./node.mjs";

const root = new URL("..", import.meta.url).pathname;
const types = { ".js": "text/javascript", ".mjs": "text/javascript", ".html": "text/html", ".wasm": "application/wasm", ".json": "application/json" };

function serve() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^\/+/, "");
    if (!path.startsWith("pkg/") && !path.startsWith("bench/")) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(join(root, path));
      res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

async function runChromium() {
  const server = await serve();
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/bench/page.html`);
    await page.waitForFunction(() => window.results !== undefined, null, { timeout: 300_000 });
    const results = await page.evaluate(() => window.results);
    if (!results.ok) throw new Error(results.error);
    return { version: browser.version(), rows: results.rows };
  } finally {
    await browser.close();
    server.close();
  }
}

const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
function table(title, rows, baseline) {
  const lines = [`### ${title}`, "", "| implementation | size | encode MB/s | decode MB/s | encode vs " + baseline + " | decode vs " + baseline + " |", "| --- | --- | ---: | ---: | ---: | ---: |"];
  for (const size of [...new Set(rows.map((r) => r.size))]) {
    const base = rows.find((r) => r.size === size && r.impl === baseline);
    for (const r of rows.filter((x) => x.size === size)) {
      const label = size >= 1 << 20 ? `${size >> 20} MiB` : `${size >> 10} KiB`;
      lines.push(`| ${r.impl} | ${label} | ${fmt(r.encodeMBps)} | ${fmt(r.decodeMBps)} | ${(r.encodeMBps / base.encodeMBps).toFixed(2)}× | ${(r.decodeMBps / base.decodeMBps).toFixed(2)}× |`);
    }
  }
  return lines.join("\n");
}

const started = new Date();
const node = runNode();
const chrome = await runChromium();
const machine = `${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`;
const report = [
  `Measured ${started.toISOString().slice(0, 10)} on ${machine}; Node ${process.version}, Chromium ${chrome.version}; \`make bench\`. Medians of 7 batches of ~150 ms; ratios are against the platform's native codec (>1 is faster than it).`,
  "",
  table("Base64 in Node", node, "Buffer"),
  "",
  table("Base64 in headless Chromium", chrome.rows, chrome.rows.some((r) => r.impl === "toBase64/fromBase64") ? "toBase64/fromBase64" : "btoa/atob"),
].join("\n");
console.log(report);
await mkdir(new URL("results/", import.meta.url), { recursive: true });
const stamp = started.toISOString().replace(/[:.]/g, "-");
await writeFile(new URL(`results/base64-${stamp}.json`, import.meta.url), JSON.stringify({ date: started.toISOString(), machine, node: process.version, chromium: chrome.version, rows: { node, chromium: chrome.rows } }, null, 2) + "\n");
await writeFile(new URL("results/latest.md", import.meta.url), report + "\n");
