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
  // Texts in the page's language (crew-strings, built by the view); Dutch when they are missing.
  var STR = (function () {
    var el = document.getElementById("crew-strings");
    try { return el ? JSON.parse(el.textContent) || {} : {}; } catch (e) { return {}; }
  })();
  function tr(key, fallback, vars) {
    var s = typeof STR[key] === "string" && STR[key] ? STR[key] : fallback;
    if (!vars) return s;
    return s.replace(/%\((\w+)\)s/g, function (m, k) { return vars[k] != null ? String(vars[k]) : m; });
  }

  var CONDITIONS = { ok: tr("condOk", "In orde"), damaged: tr("condDamaged", "Beschadigd"), missing: tr("condMissing", "Vermist") };
  // Dutch text for refusals whose server message is meant for developers; the others (unknown
  // asset tag, wrong kit type, defect item...) come with a Dutch message naming the item.
  var ERROR_TEXT = {
    unknown_line: tr("errUnknownLine", "Dit staat niet op deze paklijst."),
    already_returned: tr("errAlreadyReturned", "Deze regel is al gecontroleerd."),
    not_packed: tr("errNotPacked", "Deze regel is niet ingepakt, dus kan niet retour."),
    invalid_transition: tr("errInvalidTransition", "Dat kan nu niet in deze fase van het bezoek."),
    asset_tag_required: tr("errAssetTagRequired", "Scan het exemplaar dat je voor deze regel inpakt."),
    condition_required: tr("errConditionRequired", "Kies in orde, beschadigd of vermist."),
    client_id_conflict: tr("errClientIdReused", "Deze actie is al eens verstuurd."),
    not_confirmed: tr("errNotConfirmed", "Dit bezoek is nog niet bevestigd."),
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
      $("progress-text").textContent = tr("noCache", "Geen verbinding en nog geen paklijst op dit apparaat.");
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
    return l.name || l.kit_type_name || l.consumable_name || (l.kit_type != null ? tr("kitType", "Soort %(id)s", { id: l.kit_type }) : tr("line", "Regel %(id)s", { id: l.id }));
  }

  function groupOf(l) {
    if (l.kind === "consumable") return tr("groupConsumable", "Verbruiksmateriaal");
    if (l.kind === "standard") return tr("groupStandard", "Standaarduitrusting");
    if (l.case) return tr("groupCase", "Koffer %(name)s", { name: l.case_name || l.case_code || l.case });
    return l.storage_location ? tr("groupLocation", "Locatie %(name)s", { name: l.storage_location }) : tr("groupLoose", "Losse exemplaren");
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
    if (l.storage_location) sub.push(esc(tr("place", "plek %(name)s", { name: l.storage_location })));
    return '<span class="line-main">' + main + "</span>" + (sub.length ? '<span class="line-sub">' + sub.join(" · ") + "</span>" : "");
  }

  function defectControls(l) {
    if (l.kind !== "item" || !l.asset_tag) return "";
    return '<details class="defect" data-line="' + l.id + '"' + (draft(l.id, "open", false) ? " open" : "") + '><summary>' + esc(tr("reportDefectSummary", "Defect melden")) + '</summary>' +
      '<input type="text" class="defect-note" data-line="' + l.id + '" data-draft="defect" value="' + esc(draft(l.id, "defect", "")) + '" placeholder="' + esc(tr("defectPlaceholder", "Wat is er kapot?")) + '" aria-label="' + esc(tr("defectLabel", "Omschrijving defect %(tag)s", { tag: l.asset_tag })) + '">' +
      '<button type="button" class="report-defect" data-line="' + l.id + '">' + esc(tr("reportDefectButton", "Meld defect")) + "</button></details>";
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
      return '<button type="button" class="cond cond-' + c + (cond === c ? " chosen" : "") + '" data-line="' + l.id + '" data-condition="' + c + '" aria-pressed="' + (cond === c) + '">' + esc(CONDITIONS[c]) + "</button>";
    }).join("");
    var used = l.kind === "consumable"
      ? '<label class="used">' + esc(tr("used", "Verbruikt")) + ' <input type="number" min="0" step="any" class="used-qty" data-line="' + l.id + '" data-draft="used" value="' + esc(draft(l.id, "used", l.used_quantity != null ? qty(l.used_quantity) : qty(l.quantity))) + '"></label>'
      : "";
    return '<div class="line ret' + (cond ? " done c-" + cond : "") + (l._pending ? " pending" : "") + '" data-line="' + l.id + '">' +
      '<div class="line-label">' + lineText(l) + "</div>" + used +
      '<div class="conds">' + buttons + "</div>" +
      '<input type="text" class="note" data-line="' + l.id + '" data-draft="note" placeholder="' + esc(tr("notePlaceholder", "Opmerking (optioneel)")) + '" value="' + esc(draft(l.id, "note", l.note || "")) + '" aria-label="' + esc(tr("noteLabel", "Opmerking %(name)s", { name: lineName(l) })) + '">' +
      defectControls(l) + "</div>";
  }

  // Answers from the server re-render the list while the crew may be typing a note or a used
  // quantity in another row: only rows whose markup changed are replaced, so the field being typed
  // in keeps its element, focus and text. A different set of groups or rows is rebuilt whole.
  function shapeOf(el) {
    return Array.prototype.map.call(el.children, function (child) {
      if (child.tagName !== "SECTION") return child.outerHTML;
      var head = child.querySelector("h2");
      var ids = Array.prototype.map.call(child.querySelectorAll(".line[data-line]"), function (row) {
        return row.getAttribute("data-line");
      });
      return (head ? head.textContent : "") + "|" + ids.join(",");
    }).join(";");
  }

  function patchLines(box, html) {
    var next = document.createElement("div");
    next.innerHTML = html;
    if (shapeOf(box) !== shapeOf(next)) {
      box.replaceChildren.apply(box, Array.prototype.slice.call(next.childNodes));
      return;
    }
    var rows = box.querySelectorAll(".line[data-line]");
    var fresh = next.querySelectorAll(".line[data-line]");
    for (var i = 0; i < fresh.length; i++) {
      if (rows[i].outerHTML !== fresh[i].outerHTML) rows[i].replaceWith(fresh[i]);
    }
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
    patchLines(box, html || '<p class="empty">' + esc(state.mode === "pack" ? tr("emptyList", "De paklijst is leeg.") : tr("nothingPacked", "Er is nog niets ingepakt.")) + "</p>");

    var total, done, text;
    if (state.mode === "pack") {
      total = lines.length;
      done = lines.filter(function (l) { return l.packed; }).length;
      text = tr("progressPacked", "%(done)s van %(total)s ingepakt", { done: done, total: total });
    } else {
      total = shown.length;
      done = shown.filter(function (l) { return l.condition || (l.returned !== null && l.returned !== undefined); }).length;
      text = tr("progressChecked", "%(done)s van %(total)s gecontroleerd", { done: done, total: total });
    }
    $("progress-text").textContent = text;
    $("progress-bar").style.width = (total ? Math.round((100 * done) / total) : 0) + "%";
    $("loaded-at").textContent = state.loadedAt
      ? (state.fromCache
        ? tr("offlineListFrom", "Offline: lijst van %(time)s", { time: state.loadedAt.toLocaleString(tr("locale", "nl-NL")) })
        : tr("updatedAt", "Bijgewerkt %(time)s", { time: state.loadedAt.toLocaleString(tr("locale", "nl-NL")) }))
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
      parts.push('<div class="' + cls + '"><h3>' + esc(title) + " (" + items.length + ")</h3><ul>" +
        items.map(function (l) { return "<li>" + esc(lineName(l)) + (l.asset_tag ? " " + esc(l.asset_tag) : "") + (l.note ? " — " + esc(l.note) : "") + "</li>"; }).join("") +
        "</ul></div>");
    }
    list(tr("summaryOpen", "Nog niet gecontroleerd"), open, "open");
    list(CONDITIONS.missing, missing, "missing");
    list(CONDITIONS.damaged, damaged, "damaged");
    if (!open.length) {
      var deviations = missing.length + damaged.length;
      parts.push('<p class="all-done">' + esc(deviations
        ? tr("allCheckedDeviations", "Alles is gecontroleerd, met %(count)s afwijking(en). Het bezoek kan verder.", { count: deviations })
        : tr("allChecked", "Alles is gecontroleerd. Het bezoek kan verder.")) + "</p>");
    }
    $("outstanding").innerHTML = parts.join("");
  }

  var STATUS_TEXT = {
    confirmed: tr("statusConfirmed", "Bevestigd"),
    packed: tr("statusPacked", "Ingepakt"),
    on_site: tr("statusOnSite", "Op locatie"),
    returned: tr("statusReturned", "Retour"),
    completed: tr("statusCompleted", "Afgerond"),
  };

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
    if (navigator.onLine === false) flash(tr("savedOffline", "%(label)s — bewaard, wordt verstuurd zodra er verbinding is.", { label: label }), "warn");
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
      flash(tr("defectReported", "%(tag)s is als defect gemeld.", { tag: action.asset_tag || tr("item", "Exemplaar") }), "ok");
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
        flash(tr("packedInstead", "%(tag)s ingepakt in plaats van %(before)s.", { tag: data.asset_tag, before: before }), "ok");
      } else if (action.body.asset_tag) {
        var shown = { tag: data.asset_tag || action.body.asset_tag };
        flash(action.body.action === "return" ? tr("tagChecked", "%(tag)s gecontroleerd.", shown) : tr("tagPacked", "%(tag)s ingepakt.", shown), "ok");
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
      if (status === 401 || status === 403) flash(tr("errLoggedOut", "Je bent niet meer ingelogd. Log opnieuw in; de acties blijven bewaard."), "error");
      return;
    }
    var msg = (data && data.code && ERROR_TEXT[data.code]) || (data && data.detail) || firstFieldError(data);
    if (data && data.code === "already_packed" && /^This line/.test(data.detail || "")) msg = tr("errAlreadyPacked", "Deze regel is al ingepakt.");
    if (!msg) msg = status === 404 ? tr("errNotFound", "Onbekend inventarisnummer of regel.") : tr("errRefused", "De actie is geweigerd (%(status)s).", { status: status });
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
        body: { note: note || tr("defectDefaultNote", "Gemeld vanaf de paklijst") }, label: tr("defectLabelQueue", "Defect %(tag)s", { tag: line.asset_tag }),
      });
      flash(navigator.onLine === false
        ? tr("defectSavedOffline", "%(tag)s: defect melding bewaard, wordt verstuurd zodra er verbinding is.", { tag: line.asset_tag })
        : tr("defectSent", "%(tag)s: defect melding verstuurd.", { tag: line.asset_tag }), "warn");
    };
    if (line.item != null) return send(line.item);
    fetch(cfg.itemsUrl + "?asset_tag=" + encodeURIComponent(line.asset_tag), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var rows = Array.isArray(data) ? data : data.results || [];
        if (!rows.length) throw new Error("onbekend");
        send(rows[0].id);
      })
      .catch(function () { flash(tr("defectFailed", "%(tag)s: defect melden lukt nu niet (geen verbinding?).", { tag: line.asset_tag }), "error"); });
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
      check({ action: act, line: id }, act === "pack"
        ? tr("labelPacked", "Ingepakt: %(name)s", { name: lineName(line) })
        : tr("labelUnpacked", "Uitgepakt: %(name)s", { name: lineName(line) }));
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
    // The markup mirrors the draft, so a re-render finds this row unchanged and leaves it alone.
    e.target.setAttribute("value", e.target.value);
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
      flash(tr("alreadyPacked", "%(tag)s is al ingepakt.", { tag: tag }), "info");
      return;
    }
    check(body, state.mode === "pack" ? tr("labelScan", "Scan %(tag)s", { tag: tag }) : tr("labelReturn", "Retour %(tag)s", { tag: tag }));
    if (navigator.onLine !== false && !known) flash(tr("beingChecked", "%(tag)s wordt gecontroleerd…", { tag: tag }), "info");
  });

  Array.prototype.forEach.call(document.querySelectorAll(".tab"), function (tab) {
    tab.addEventListener("click", function () {
      state.mode = tab.getAttribute("data-mode");
      Array.prototype.forEach.call(document.querySelectorAll(".tab"), function (t) {
        t.setAttribute("aria-selected", String(t === tab));
      });
      document.querySelector("label[for=scan-input]").textContent = state.mode === "pack"
        ? tr("scanPack", "Scan of typ een inventarisnummer en druk op Enter")
        : tr("scanReturn", "Scan een teruggekomen exemplaar (in orde) en druk op Enter");
      document.querySelector("#scan-form button").textContent = state.mode === "pack" ? tr("buttonPack", "Inpakken") : tr("buttonReturn", "Retour");
      render();
    });
  });

  $("arrive-btn").addEventListener("click", function () {
    TW.queue.enqueue({ booking: cfg.booking, kind: "arrive", url: cfg.arriveUrl, body: {}, label: tr("labelArrived", "Aangekomen") });
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
