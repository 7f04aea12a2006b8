// WriteCareNotes service worker (served from /sw.js by platform/web/offline.py, scope "/").
// self.WCN_SW = {cache, shell, offline} is prepended by that view.
//
// Privacy first: only the app shell (stylesheet, scripts, icon, offline page) is cached.
// Pages are fetched from the network and never stored; API JSON and everything else pass
// straight through. Queued care entries live in IndexedDB (offline.js), not here.
"use strict";

var CONFIG = self.WCN_SW;
var SHELL = new Set(CONFIG.shell);

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CONFIG.cache).then(function (cache) {
      return cache.addAll(CONFIG.shell.map(function (url) { return new Request(url, { cache: "reload" }); }));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  // Drop the caches of older versions.
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("wcn-") === 0 && name !== CONFIG.cache;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return; // posts go to the network; offline.js queues them
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (request.mode === "navigate") {
    // Network first, never cached; when the network is gone, the offline page.
    event.respondWith(
      fetch(request).catch(function () {
        return caches.match(CONFIG.offline, { cacheName: CONFIG.cache });
      })
    );
    return;
  }
  if (SHELL.has(url.pathname)) {
    // Shell assets: from the versioned cache, else the network.
    event.respondWith(
      caches.match(request, { cacheName: CONFIG.cache, ignoreSearch: true }).then(function (hit) {
        return hit || fetch(request);
      })
    );
  }
  // Anything else (API JSON, htmx fragments, resident pages' assets): default network handling.
});
