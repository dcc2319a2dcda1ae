// `make serve`: serve www/dist on 127.0.0.1 (port from PORT, default 8080).
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, normalize } from "node:path";

const defaultDist = new URL("dist/", import.meta.url);
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json" };

/** Serve `dist` (www/dist by default; a test serves a copy it rebuilds). */
export function serve(port = Number(process.env.PORT ?? 8080), host = "127.0.0.1", dist = defaultDist) {
  const server = createServer(async (req, res) => {
    let path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^\/+/, "");
    if (path === "" || path.endsWith("/")) path += "index.html";
    if (path.startsWith("..")) return res.writeHead(403).end();
    try {
      const body = await readFile(new URL(path, dist));
      res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream", "cache-control": "no-cache" }).end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await serve();
  const { address, port } = server.address();
  console.log(`hookmatch playground: http://${address}:${port}/  (Ctrl-C to stop)`);
}
