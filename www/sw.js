// Offline support that never pins an old build: every request goes to the
// network first and refreshes the cache; the cache answers only when the
// network cannot (offline). The cache is named after the build (BUILD is
// written by www/build.mjs from a hash of the built files), and a new
// build's worker deletes the others when it activates.
const BUILD = "dev";
const CACHE = `hookmatch-playground-${BUILD}`;
const FILES = ["./", "./index.html", "./style.css", "./main.js", "./worker.js", "./hookmatch_core_bg.wasm", "./hookmatch_bg.wasm"];

self.addEventListener("install", (e) => e.waitUntil(caches.open(CACHE).then((c) => c.addAll(FILES)).then(() => self.skipWaiting())));
self.addEventListener("activate", (e) =>
  e.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("hookmatch-playground-") && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  ),
);
self.addEventListener("fetch", (e) => {
  if (e.request.method !== "GET") return;
  e.respondWith(
    fetch(e.request)
      .then((res) => {
        if (res.ok) {
          const copy = res.clone();
          caches.open(CACHE).then((c) => c.put(e.request, copy));
        }
        return res;
      })
      .catch(() => caches.match(e.request, { ignoreSearch: true }).then((hit) => hit ?? Response.error())),
  );
});
