/* Techniekwagen crew: an outbox for API actions that survives a bad connection and a reload.
 *
 * Every action gets a client_id (a UUID) when it is made and is stored in localStorage before it is
 * sent. Actions are sent one at a time, oldest first. A network failure, a 5xx or an expired login
 * keeps the action and stops the run (order matters: "pack" before "return"); the server answers a
 * retried client_id without applying it twice. A 4xx answer is final: the action leaves the outbox
 * and the page shows the server's message.
 */
(function () {
  "use strict";
  var KEY = "tw:outbox:v1";
  var RETRY_MS = 8000;
  var listeners = { result: [], error: [], change: [] };
  var sending = false;
  // True from `beforeunload` until the page shows it is still here: a page that is being left starts
  // no send. The answer would come back to a page that is gone, so the action would stay queued
  // although the server applied it (a resend is harmless thanks to client_id, but the tablet and the
  // server disagree until then). While a reload is under way Chromium's offline emulation even
  // reports "online" to the outgoing page for a moment and lets its requests through.
  var leaving = false;

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  function load() {
    try {
      return JSON.parse(localStorage.getItem(KEY) || "[]");
    } catch (e) {
      return [];
    }
  }

  function save(items) {
    localStorage.setItem(KEY, JSON.stringify(items));
    emit("change", items);
  }

  function emit(kind, a, b, c) {
    listeners[kind].forEach(function (fn) {
      try { fn(a, b, c); } catch (e) { if (window.console) console.error(e); }
    });
  }

  function pending(filter) {
    return load().filter(function (a) {
      if (!filter) return true;
      return Object.keys(filter).every(function (k) { return a[k] === filter[k]; });
    });
  }

  function enqueue(action) {
    action.client_id = action.client_id || uuid();
    action.body = action.body || {};
    action.body.client_id = action.client_id;
    action.queued_at = new Date().toISOString();
    var items = load();
    items.push(action);
    save(items);
    flush();
    return action;
  }

  function remove(clientId) {
    save(load().filter(function (a) { return a.client_id !== clientId; }));
  }

  function post(action) {
    return fetch(action.url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": csrfToken(),
      },
      body: JSON.stringify(action.body),
    }).then(function (resp) {
      var ct = resp.headers.get("Content-Type") || "";
      var parse = ct.indexOf("json") >= 0 ? resp.json().catch(function () { return {}; }) : Promise.resolve({});
      return parse.then(function (data) { return { status: resp.status, data: data }; });
    });
  }

  function flush() {
    if (sending || leaving) return Promise.resolve();
    var items = load();
    if (!items.length) return Promise.resolve();
    if (navigator.onLine === false) return Promise.resolve();
    sending = true;
    var action = items[0];
    return post(action)
      .then(function (res) {
        sending = false;
        if (res.status >= 200 && res.status < 300) {
          remove(action.client_id);
          emit("result", action, res.data);
          return flush();
        }
        if (res.status === 401 || res.status === 403 || res.status === 408 || res.status === 429 || res.status >= 500) {
          // Kept: a login that expired or a server that hiccupped must not lose the action.
          emit("error", action, res.status, res.data, true);
          return;
        }
        remove(action.client_id);
        emit("error", action, res.status, res.data, false);
        return flush();
      })
      .catch(function () {
        // Offline or the connection dropped mid-request: keep it; the client_id makes a resend safe.
        sending = false;
      });
  }

  function on(kind, fn) {
    listeners[kind].push(fn);
  }

  // Texts in the page's language (crew-strings, built by the view); Dutch when they are missing.
  function text(key, fallback, count) {
    var el = document.getElementById("crew-strings");
    var s = "";
    try { s = el ? (JSON.parse(el.textContent) || {})[key] : ""; } catch (e) { s = ""; }
    if (typeof s !== "string" || !s) s = fallback;
    return s.replace("%(count)s", String(count));
  }

  function renderBanner() {
    var el = document.getElementById("tw-queue-banner");
    if (!el) return;
    var n = load().length;
    var offline = navigator.onLine === false;
    if (!n && !offline) {
      el.hidden = true;
      el.textContent = "";
      return;
    }
    el.hidden = false;
    var msg = n === 1 ? text("queueOne", "1 actie nog niet verstuurd", n) : text("queueMany", "%(count)s acties nog niet verstuurd", n);
    if (!n) msg = text("queueOffline", "Geen verbinding — de lijst werkt gewoon door", n);
    else if (offline) msg += text("queueOfflineSuffix", " — geen verbinding, wordt verstuurd zodra er weer netwerk is", n);
    el.textContent = msg;
    el.className = "queue-banner" + (offline ? " offline" : "");
  }

  on("change", renderBanner);
  window.addEventListener("online", function () { renderBanner(); flush(); });
  window.addEventListener("beforeunload", function () { leaving = true; });
  // Still here after all (a cancelled navigation, the back/forward cache, a tap or a scan): send again.
  ["pageshow", "focus", "pointerdown", "keydown"].forEach(function (type) {
    window.addEventListener(type, function () {
      if (!leaving) return;
      leaving = false;
      flush();
    }, true);
  });
  window.addEventListener("offline", renderBanner);
  window.addEventListener("storage", function (e) { if (e.key === KEY) renderBanner(); });
  setInterval(function () { if (load().length) flush(); }, RETRY_MS);
  document.addEventListener("DOMContentLoaded", function () { renderBanner(); flush(); });

  window.TW = window.TW || {};
  window.TW.queue = { enqueue: enqueue, flush: flush, pending: pending, on: on, renderBanner: renderBanner };
  window.TW.uuid = uuid;
  window.TW.csrfToken = csrfToken;
})();
