/* Techniekwagen crew service worker: network first, the cache when the network is gone.
 * Only GETs of crew pages, static files and packing lists are cached; POSTs are never touched —
 * the page's outbox (queue.js) keeps and resends those.
 */
var CACHE = "tw-crew-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function cacheable(url) {
  return url.origin === self.location.origin && (
    url.pathname.indexOf("/crew/") === 0 ||
    url.pathname.indexOf("/static/") === 0 ||
    /^\/api\/v1\/bookings\/\d+\/packing-list\/$/.test(url.pathname)
  );
}

self.addEventListener("fetch", function (event) {
  var req = event.request;
  if (req.method !== "GET") return;
  var url = new URL(req.url);
  if (!cacheable(url) || url.pathname === "/crew/sw.js") return;
  event.respondWith(
    fetch(req).then(function (resp) {
      if (resp.ok && !resp.redirected) {
        var copy = resp.clone();
        caches.open(CACHE).then(function (cache) { cache.put(req, copy); });
      }
      return resp;
    }).catch(function () {
      return caches.match(req, { ignoreVary: true }).then(function (hit) {
        return hit || caches.match(url.pathname, { ignoreVary: true }).then(function (hit2) {
          return hit2 || new Response("Geen verbinding en deze pagina is nog niet bewaard.", {
            status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" },
          });
        });
      });
    })
  );
});
