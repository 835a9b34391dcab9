/* Techniekwagen crew: keep the crew pages usable offline.
 * Registers the service worker (served at /crew/sw.js, scope /crew/) and puts the page that is open
 * now, with its CSS and JS, into the cache, so a reload without network still shows it.
 */
(function () {
  "use strict";
  var CACHE = "tw-crew-v1";
  if (!("serviceWorker" in navigator) || !window.caches) return;
  // Logging out on a shared tablet: forget the cached pages and packing lists (the outbox stays,
  // so unsent work is not lost).
  var logout = document.querySelector("form[action$='/accounts/logout/']");
  if (logout) {
    logout.addEventListener("submit", function () {
      caches.delete(CACHE);
      Object.keys(localStorage).forEach(function (key) {
        if (key.indexOf("tw:packing-list:") === 0) localStorage.removeItem(key);
      });
    });
  }
  navigator.serviceWorker.register("/crew/sw.js", { scope: "/crew/" }).catch(function () {});
  if (navigator.onLine === false) return;
  var urls = [location.pathname + location.search];
  Array.prototype.forEach.call(document.querySelectorAll("link[rel=stylesheet], script[src]"), function (el) {
    var url = el.getAttribute("href") || el.getAttribute("src");
    if (url && url.charAt(0) === "/") urls.push(url);
  });
  caches.open(CACHE).then(function (cache) {
    urls.forEach(function (url) {
      fetch(url, { credentials: "same-origin" }).then(function (resp) {
        if (resp.ok && !resp.redirected) return cache.put(url, resp);
      }).catch(function () {});
    });
  });
})();
