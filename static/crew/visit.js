/* Techniekwagen crew: one visit's packing list — pack, scan, check in, report defects.
 * Works from the last list it saw when the network is gone; actions go through TW.queue.
 */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("crew-config").textContent);
  var LIST_KEY = "tw:packing-list:" + cfg.booking;
  var state = { lines: [], mode: "pack", status: cfg.status, loadedAt: null, fromCache: false };
  // What the crew typed but did not send yet (note, used quantity), kept across re-renders.
  var drafts = {};
  function draft(id, key, fallback) {
    var d = drafts[id];
    return d && d[key] !== undefined ? d[key] : fallback;
  }
  var $ = function (id) { return document.getElementById(id); };

  var CONDITIONS = { ok: "In orde", damaged: "Beschadigd", missing: "Vermist" };
  // Dutch text for refusals whose server message is meant for developers; the others (unknown
  // asset tag, wrong kit type, defect item...) come with a Dutch message naming the item.
  var ERROR_TEXT = {
    unknown_line: "Dit staat niet op deze paklijst.",
    already_returned: "Deze regel is al gecontroleerd.",
    not_packed: "Deze regel is niet ingepakt, dus kan niet retour.",
    invalid_transition: "Dat kan nu niet in deze fase van het bezoek.",
    asset_tag_required: "Scan het exemplaar dat je voor deze regel inpakt.",
    condition_required: "Kies in orde, beschadigd of vermist.",
    client_id_reused: "Deze actie is al eens verstuurd.",
    not_confirmed: "Dit bezoek is nog niet bevestigd.",
  };

  // ---- state ---------------------------------------------------------------------------------

  function saveList(payload) {
    try {
      localStorage.setItem(LIST_KEY, JSON.stringify({ data: payload, savedAt: new Date().toISOString() }));
    } catch (e) { /* storage full: the page still works from memory */ }
  }

  // Keep the device copy in step with lines the server confirmed, for a reload without network.
  function persist() {
    if (!state.payload) return;
    var lines = state.lines.map(function (l) {
      var copy = Object.assign({}, l);
      delete copy._pending;
      return copy;
    });
    saveList(Object.assign({}, state.payload, { lines: lines }));
  }

  function cachedList() {
    try { return JSON.parse(localStorage.getItem(LIST_KEY) || "null"); } catch (e) { return null; }
  }

  function lineById(id) {
    for (var i = 0; i < state.lines.length; i++) if (state.lines[i].id === id) return state.lines[i];
    return null;
  }

  function lineByTag(tag) {
    var t = (tag || "").trim().toUpperCase();
    for (var i = 0; i < state.lines.length; i++) {
      var l = state.lines[i];
      if (l.asset_tag && String(l.asset_tag).toUpperCase() === t) return l;
    }
    return null;
  }

  // Apply a queued action to the local list, as the server will once it arrives.
  function applyLocal(body) {
    var line = body.line != null ? lineById(body.line) : lineByTag(body.asset_tag);
    if (!line) return null;
    if (body.action === "pack") line.packed = true;
    else if (body.action === "unpack") line.packed = false;
    else if (body.action === "return") {
      line.condition = body.condition || "ok";
      line.returned = line.condition !== "missing";
      if (body.note != null) line.note = body.note;
      if (body.used_quantity != null) line.used_quantity = body.used_quantity;
    }
    line._pending = true;
    return line;
  }

  function setList(payload, fromCache) {
    state.payload = payload;
    state.lines = (payload.lines || []).map(function (l) { return Object.assign({}, l); });
    if (payload.booking_status || payload.status) state.status = payload.booking_status || payload.status;
    // What this tablet did but the server has not heard yet.
    TW.queue.pending({ booking: cfg.booking }).forEach(function (a) { applyLocal(a.body); });
    state.fromCache = fromCache;
    render();
  }

  function fromCache() {
    var cached = cachedList();
    if (cached) {
      state.loadedAt = new Date(cached.savedAt);
      setList(cached.data, true);
    } else {
      $("progress-text").textContent = "Geen verbinding en nog geen paklijst op dit apparaat.";
    }
  }

  // A list fetched while this tablet changed something may be older than what the page shows:
  // such an answer is dropped (the change's own answer triggers a fresh load).
  var loadSeq = 0;
  var changeSeq = 0;

  function load() {
    var mySeq = ++loadSeq;
    var myChange = changeSeq;
    if (navigator.onLine === false) {
      fromCache();
      return Promise.resolve();
    }
    return fetch(cfg.packingListUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (resp) {
        if (!resp.ok) throw new Error("HTTP " + resp.status);
        return resp.json();
      })
      .then(function (payload) {
        if (mySeq !== loadSeq || myChange !== changeSeq) return;
        saveList(payload);
        state.loadedAt = new Date();
        setList(payload, false);
      })
      .catch(function () {
        // Online but the request failed: keep what is on screen; a first load uses the cache.
        if (!state.lines.length) fromCache();
      });
  }

  // ---- rendering -----------------------------------------------------------------------------

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function qty(q) {
    var n = Number(q);
    return isNaN(n) ? String(q) : String(Math.round(n * 100) / 100);
  }

  function lineName(l) {
    return l.name || l.kit_type_name || l.consumable_name || (l.kit_type != null ? "Soort " + l.kit_type : "Regel " + l.id);
  }

  function groupOf(l) {
    if (l.kind === "consumable") return "Verbruiksmateriaal";
    if (l.kind === "standard") return "Standaarduitrusting";
    if (l.case) return "Koffer " + (l.case_name || l.case_code || l.case);
    return l.storage_location ? "Locatie " + l.storage_location : "Losse exemplaren";
  }

  function grouped(lines) {
    var order = [], groups = {};
    lines.forEach(function (l) {
      var g = groupOf(l);
      if (!groups[g]) { groups[g] = []; order.push(g); }
      groups[g].push(l);
    });
    return order.map(function (g) { return { name: g, lines: groups[g] }; });
  }

  function lineText(l) {
    var main = esc(lineName(l));
    if (l.asset_tag) main += ' <span class="tag">' + esc(l.asset_tag) + "</span>";
    var sub = [];
    if (l.kind !== "item" || Number(l.quantity) !== 1) sub.push(qty(l.quantity) + (l.unit ? " " + esc(l.unit) : "×"));
    if (l.storage_location) sub.push("plek " + esc(l.storage_location));
    return '<span class="line-main">' + main + "</span>" + (sub.length ? '<span class="line-sub">' + sub.join(" · ") + "</span>" : "");
  }

  function defectControls(l) {
    if (l.kind !== "item" || !l.asset_tag) return "";
    return '<details class="defect" data-line="' + l.id + '"' + (draft(l.id, "open", false) ? " open" : "") + '><summary>Defect melden</summary>' +
      '<input type="text" class="defect-note" data-line="' + l.id + '" data-draft="defect" value="' + esc(draft(l.id, "defect", "")) + '" placeholder="Wat is er kapot?" aria-label="Omschrijving defect ' + esc(l.asset_tag) + '">' +
      '<button type="button" class="report-defect" data-line="' + l.id + '">Meld defect</button></details>';
  }

  function packRow(l) {
    return '<div class="line' + (l.packed ? " done" : "") + (l._pending ? " pending" : "") + '" data-line="' + l.id + '">' +
      '<button type="button" class="tick" role="checkbox" aria-checked="' + (l.packed ? "true" : "false") + '" data-line="' + l.id + '">' +
      '<span class="box" aria-hidden="true">' + (l.packed ? "✓" : "") + "</span>" + lineText(l) + "</button>" +
      defectControls(l) + "</div>";
  }

  function returnRow(l) {
    var cond = l.returned === null || l.returned === undefined ? (l.condition || "") : (l.condition || (l.returned ? "ok" : "missing"));
    var buttons = ["ok", "damaged", "missing"].map(function (c) {
      if (l.kind !== "item" && c === "damaged") return "";
      return '<button type="button" class="cond cond-' + c + (cond === c ? " chosen" : "") + '" data-line="' + l.id + '" data-condition="' + c + '" aria-pressed="' + (cond === c) + '">' + CONDITIONS[c] + "</button>";
    }).join("");
    var used = l.kind === "consumable"
      ? '<label class="used">Verbruikt <input type="number" min="0" step="any" class="used-qty" data-line="' + l.id + '" data-draft="used" value="' + esc(draft(l.id, "used", l.used_quantity != null ? qty(l.used_quantity) : qty(l.quantity))) + '"></label>'
      : "";
    return '<div class="line ret' + (cond ? " done c-" + cond : "") + (l._pending ? " pending" : "") + '" data-line="' + l.id + '">' +
      '<div class="line-label">' + lineText(l) + "</div>" + used +
      '<div class="conds">' + buttons + "</div>" +
      '<input type="text" class="note" data-line="' + l.id + '" data-draft="note" placeholder="Opmerking (optioneel)" value="' + esc(draft(l.id, "note", l.note || "")) + '" aria-label="Opmerking ' + esc(lineName(l)) + '">' +
      defectControls(l) + "</div>";
  }

  function render() {
    var lines = state.lines;
    var box = $("lines");
    box.setAttribute("data-mode", state.mode);
    var shown = state.mode === "pack" ? lines : lines.filter(function (l) { return l.packed; });
    var html = grouped(shown).map(function (g) {
      return '<section class="group"><h2>' + esc(g.name) + "</h2>" +
        g.lines.map(state.mode === "pack" ? packRow : returnRow).join("") + "</section>";
    }).join("");
    box.innerHTML = html || '<p class="empty">' + (state.mode === "pack" ? "De paklijst is leeg." : "Er is nog niets ingepakt.") + "</p>";

    var total, done, text;
    if (state.mode === "pack") {
      total = lines.length;
      done = lines.filter(function (l) { return l.packed; }).length;
      text = done + " van " + total + " ingepakt";
    } else {
      total = shown.length;
      done = shown.filter(function (l) { return l.condition || (l.returned !== null && l.returned !== undefined); }).length;
      text = done + " van " + total + " gecontroleerd";
    }
    $("progress-text").textContent = text;
    $("progress-bar").style.width = (total ? Math.round((100 * done) / total) : 0) + "%";
    $("loaded-at").textContent = state.loadedAt
      ? (state.fromCache ? "Offline: lijst van " : "Bijgewerkt ") + state.loadedAt.toLocaleString("nl-NL")
      : "";
    renderSummary(shown);
    renderStatus();
  }

  function renderSummary(packed) {
    var panel = $("return-summary");
    panel.hidden = state.mode !== "return";
    if (panel.hidden) return;
    var open = packed.filter(function (l) { return !l.condition && (l.returned === null || l.returned === undefined); });
    var damaged = packed.filter(function (l) { return l.condition === "damaged"; });
    var missing = packed.filter(function (l) { return l.condition === "missing"; });
    var parts = [];
    function list(title, items, cls) {
      if (!items.length) return;
      parts.push('<div class="' + cls + '"><h3>' + title + " (" + items.length + ")</h3><ul>" +
        items.map(function (l) { return "<li>" + esc(lineName(l)) + (l.asset_tag ? " " + esc(l.asset_tag) : "") + (l.note ? " — " + esc(l.note) : "") + "</li>"; }).join("") +
        "</ul></div>");
    }
    list("Nog niet gecontroleerd", open, "open");
    list("Vermist", missing, "missing");
    list("Beschadigd", damaged, "damaged");
    if (!open.length) {
      parts.push('<p class="all-done">Alles is gecontroleerd' + (missing.length || damaged.length ? ", met " + (missing.length + damaged.length) + " afwijking(en)" : "") + ". Het bezoek kan verder.</p>");
    }
    $("outstanding").innerHTML = parts.join("");
  }

  var STATUS_TEXT = { confirmed: "Bevestigd", packed: "Ingepakt", on_site: "Op locatie", returned: "Retour", completed: "Afgerond" };

  function renderStatus() {
    var el = $("booking-status");
    if (STATUS_TEXT[state.status]) {
      el.textContent = STATUS_TEXT[state.status];
      el.className = "status status-" + state.status;
    }
    $("arrive-btn").hidden = state.status !== "packed";
  }

  function flash(text, kind) {
    var el = $("message");
    el.textContent = text;
    el.className = "flash " + (kind || "info");
    el.hidden = false;
    clearTimeout(flash._t);
    if (kind !== "error") flash._t = setTimeout(function () { el.hidden = true; }, 6000);
  }

  // ---- actions -------------------------------------------------------------------------------

  function check(body, label) {
    changeSeq++;
    var line = applyLocal(body);
    var action = TW.queue.enqueue({ booking: cfg.booking, url: cfg.checkUrl, body: body, label: label });
    render();
    if (navigator.onLine === false) flash(label + " — bewaard, wordt verstuurd zodra er verbinding is.", "warn");
    return { action: action, line: line };
  }

  function refreshStatus() {
    if (navigator.onLine === false) return;
    fetch(cfg.bookingUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (b) { if (b && b.status) { state.status = b.status; renderStatus(); } })
      .catch(function () {});
  }

  TW.queue.on("result", function (action, data) {
    if (action.booking !== cfg.booking) return;
    changeSeq++;
    if (action.kind === "arrive") {
      if (data && data.status) state.status = data.status;
      renderStatus();
      return;
    }
    if (action.kind === "defect") {
      flash((action.asset_tag || "Exemplaar") + " is als defect gemeld.", "ok");
      return;
    }
    if (data && data.booking_status) state.status = data.booking_status;
    var line = data && data.id != null ? lineById(data.id) : null;
    if (line) {
      var before = line.asset_tag;
      Object.keys(data).forEach(function (k) { line[k] = data[k]; });
      delete line._pending;
      persist();
      if (action.body.asset_tag && before && data.asset_tag &&
          String(before).toUpperCase() !== String(action.body.asset_tag).toUpperCase()) {
        flash(data.asset_tag + " ingepakt in plaats van " + before + ".", "ok");
      } else if (action.body.asset_tag) {
        flash((data.asset_tag || action.body.asset_tag) + (action.body.action === "return" ? " gecontroleerd." : " ingepakt."), "ok");
      }
    } else if (data && data.lines) {
      setList(data, false);
    }
    if (!TW.queue.pending({ booking: cfg.booking }).length) {
      render();
      load();
      refreshStatus();
    } else {
      render();
    }
  });

  TW.queue.on("error", function (action, status, data, kept) {
    if (action.booking !== cfg.booking) return;
    changeSeq++;
    if (kept) {
      if (status === 401 || status === 403) flash("Je bent niet meer ingelogd. Log opnieuw in; de acties blijven bewaard.", "error");
      return;
    }
    var msg = (data && data.code && ERROR_TEXT[data.code]) || (data && data.detail) || firstFieldError(data);
    if (data && data.code === "already_packed" && /^This line/.test(data.detail || "")) msg = "Deze regel is al ingepakt.";
    if (!msg) msg = status === 404 ? "Onbekend inventarisnummer of regel." : "De actie is geweigerd (" + status + ").";
    var what = action.body.asset_tag || action.asset_tag || "";
    flash((what ? what + ": " : "") + msg, "error");
    // The server refused: drop the optimistic change by reloading its state.
    load();
  });

  function firstFieldError(data) {
    if (!data || typeof data !== "object") return "";
    for (var k in data) {
      if (Array.isArray(data[k]) && data[k].length) return String(data[k][0]);
    }
    return "";
  }

  function reportDefect(line, note) {
    var send = function (itemId) {
      TW.queue.enqueue({
        booking: cfg.booking, kind: "defect", asset_tag: line.asset_tag,
        url: cfg.itemsUrl + itemId + "/report-defect/",
        body: { note: note || "Gemeld vanaf de paklijst" }, label: "Defect " + line.asset_tag,
      });
      flash(line.asset_tag + ": defect melding " + (navigator.onLine === false ? "bewaard, wordt verstuurd zodra er verbinding is." : "verstuurd."), "warn");
    };
    if (line.item != null) return send(line.item);
    fetch(cfg.itemsUrl + "?asset_tag=" + encodeURIComponent(line.asset_tag), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var rows = Array.isArray(data) ? data : data.results || [];
        if (!rows.length) throw new Error("onbekend");
        send(rows[0].id);
      })
      .catch(function () { flash(line.asset_tag + ": defect melden lukt nu niet (geen verbinding?).", "error"); });
  }

  // ---- events --------------------------------------------------------------------------------

  $("lines").addEventListener("click", function (e) {
    var t = e.target.closest("button");
    if (!t) return;
    var id = Number(t.getAttribute("data-line"));
    var line = lineById(id);
    if (!line) return;
    if (t.classList.contains("tick")) {
      var act = line.packed ? "unpack" : "pack";
      check({ action: act, line: id }, (act === "pack" ? "Ingepakt: " : "Uitgepakt: ") + lineName(line));
    } else if (t.classList.contains("cond")) {
      var row = t.closest(".line");
      var body = { action: "return", line: id, condition: t.getAttribute("data-condition"), note: row.querySelector(".note").value };
      var used = row.querySelector(".used-qty");
      if (used && used.value !== "") body.used_quantity = used.value;
      check(body, CONDITIONS[body.condition] + ": " + lineName(line));
    } else if (t.classList.contains("report-defect")) {
      reportDefect(line, t.closest(".defect").querySelector(".defect-note").value);
      drafts[id] = {};
      render();
    }
  });

  $("lines").addEventListener("toggle", function (e) {
    var id = Number(e.target.getAttribute("data-line"));
    if (!id) return;
    drafts[id] = drafts[id] || {};
    drafts[id].open = e.target.open;
  }, true);

  $("lines").addEventListener("input", function (e) {
    var key = e.target.getAttribute("data-draft");
    if (!key) return;
    var id = Number(e.target.getAttribute("data-line"));
    drafts[id] = drafts[id] || {};
    drafts[id][key] = e.target.value;
  });

  $("scan-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var input = $("scan-input");
    var tag = input.value.trim();
    input.value = "";
    input.focus();
    if (!tag) return;
    var body = state.mode === "pack"
      ? { action: "pack", asset_tag: tag }
      : { action: "return", asset_tag: tag, condition: "ok" };
    var known = lineByTag(tag);
    if (state.mode === "pack" && known && known.packed) {
      flash(tag + " is al ingepakt.", "info");
      return;
    }
    check(body, (state.mode === "pack" ? "Scan " : "Retour ") + tag);
    if (navigator.onLine !== false && !known) flash(tag + " wordt gecontroleerd…", "info");
  });

  Array.prototype.forEach.call(document.querySelectorAll(".tab"), function (tab) {
    tab.addEventListener("click", function () {
      state.mode = tab.getAttribute("data-mode");
      Array.prototype.forEach.call(document.querySelectorAll(".tab"), function (t) {
        t.setAttribute("aria-selected", String(t === tab));
      });
      document.querySelector("label[for=scan-input]").textContent = state.mode === "pack"
        ? "Scan of typ een inventarisnummer en druk op Enter"
        : "Scan een teruggekomen exemplaar (in orde) en druk op Enter";
      document.querySelector("#scan-form button").textContent = state.mode === "pack" ? "Inpakken" : "Retour";
      render();
    });
  });

  $("arrive-btn").addEventListener("click", function () {
    TW.queue.enqueue({ booking: cfg.booking, kind: "arrive", url: cfg.arriveUrl, body: {}, label: "Aangekomen" });
    state.status = "on_site";
    renderStatus();
  });

  TW.queue.on("change", function () { if (state.lines.length) render(); });
  window.addEventListener("online", function () { TW.queue.flush(); });

  if (["on_site", "returned", "completed"].indexOf(cfg.status) >= 0) {
    document.getElementById("tab-return").click();
  }
  load();
})();
