// Gezel's service worker (served at /service-worker.js by app/offline/routes.py, which fills
// in the placeholders). It keeps only what is the same for everyone: the offline page (app
// shell) and the static files it needs. Pages and API answers with personal data are never
// put in a cache; the offline data lives encrypted in IndexedDB (js/offline-store.js).
"use strict";

const VERSION = __VERSION__;
const PRECACHE = __PRECACHE__;
const SHELL = __SHELL__;
const ENABLED = __ENABLED__;
const CACHE = "gezel-shell-" + VERSION;

self.addEventListener("install", (event) => {
  if (!ENABLED) { self.skipWaiting(); return; }
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload", credentials: "omit" }))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("gezel-shell-") && name !== CACHE) { await caches.delete(name); }
    }
    if (!ENABLED) {
      await caches.delete(CACHE);
      await self.registration.unregister();
      return;
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  if (!ENABLED) { return; }
  const request = event.request;
  if (request.method !== "GET") { return; }  // the outbox's POSTs go straight to the server
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    // A page: from the server when it answers; without a connection, the offline page.
    event.respondWith(fetch(request).catch(() => caches.match(SHELL, { ignoreSearch: true })));
    return;
  }
  if (PRECACHE.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((hit) => hit || fetch(request)));
  }
  // Everything else (API, snapshot, other static files) goes to the network as usual.
});
