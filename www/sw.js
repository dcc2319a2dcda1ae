// Offline support: cache the playground's files on install, serve them
// cache-first afterwards (the page needs no network once loaded).
const CACHE = "hookmatch-playground-v1";
const FILES = ["./", "./index.html", "./style.css", "./main.js", "./worker.js", "./hookmatch_bg.wasm"];

self.addEventListener("install", (e) => e.waitUntil(caches.open(CACHE).then((c) => c.addAll(FILES)).then(() => self.skipWaiting())));
self.addEventListener("activate", (e) => e.waitUntil(self.clients.claim()));
self.addEventListener("fetch", (e) => {
  e.respondWith(
    caches.match(e.request, { ignoreSearch: true }).then(
      (hit) =>
        hit ||
        fetch(e.request).then((res) => {
          const copy = res.clone();
          caches.open(CACHE).then((c) => c.put(e.request, copy));
          return res;
        }),
    ),
  );
});
