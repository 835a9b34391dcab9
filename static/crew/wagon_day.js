/* Techniekwagen crew: one wagon's day — the morning list, uitladen / inladen per stop, and the
 * return check that closes every visit. The day's data comes with the page (cached by the service
 * worker for a reload without network); every action goes through TW.queue with its client_id.
 */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("crew-config").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var STR = (function () {
    var el = document.getElementById("crew-strings");
    try { return el ? JSON.parse(el.textContent) || {} : {}; } catch (e) { return {}; }
  })();
  function tr(key, fallback, vars) {
    var s = typeof STR[key] === "string" && STR[key] ? STR[key] : fallback;
    return !vars ? s : s.replace(/%\((\w+)\)s/g, function (m, k) { return vars[k] != null ? String(vars[k]) : m; });
  }
  var sheet = cfg.sheet || { kit: [], lines: [], stops: [] };
  // Packed asset tags per kit type (one physical item counts once, however many stops list it).
  var packed = {};
  var kitOfTag = {};
  (sheet.lines || []).forEach(function (l) {
    if (l.kind !== "item" || !l.asset_tag) return;
    kitOfTag[l.asset_tag.toUpperCase()] = l.kit_type;
    if (l.packed) (packed[l.kit_type] = packed[l.kit_type] || {})[l.asset_tag.toUpperCase()] = true;
  });
  var pendingTags = {};

  function flash(text, kind) {
    var el = $("message");
    if (!el) return;
    el.textContent = text;
    el.className = "flash " + (kind || "ok");
    el.hidden = false;
  }

  function renderCounts() {
    (sheet.kit || []).forEach(function (kit) {
      var row = $("kit-" + kit.kit_type);
      if (!row) return;
      var n = Object.keys(packed[kit.kit_type] || {}).length;
      row.querySelector(".kit-packed").textContent = String(n);
      row.classList.toggle("done", n >= kit.quantity);
    });
  }

  function enqueue(body, label, extra) {
    var action = Object.assign({ url: cfg.checkUrl, body: body, kind: "wagon-day", wagon: cfg.wagon, date: cfg.date, label: label }, extra || {});
    TW.queue.enqueue(action);
    if (navigator.onLine === false) flash(tr("savedOffline", "%(label)s — bewaard, wordt verstuurd zodra er verbinding is.", { label: label }), "warn");
    return action;
  }

  function pack(tag) {
    tag = String(tag || "").trim();
    if (!tag) return;
    var key = tag.toUpperCase();
    var kitType = kitOfTag[key];
    if (kitType && packed[kitType] && packed[kitType][key]) {
      flash(tr("alreadyPacked", "%(tag)s is al ingepakt.", { tag: tag }), "warn");
      return;
    }
    if (pendingTags[key]) return;
    pendingTags[key] = true;
    enqueue({ action: "pack", asset_tag: tag }, tr("labelPack", "Inpakken %(tag)s", { tag: tag }), { tag: key });
  }

  function onPacked(action, data) {
    delete pendingTags[action.tag];
    (data.lines || []).forEach(function (l) {
      if (!l.asset_tag) return;
      var key = l.asset_tag.toUpperCase();
      kitOfTag[key] = l.kit_type;
      (packed[l.kit_type] = packed[l.kit_type] || {})[key] = true;
    });
    renderCounts();
    if (data.case) {
      var msg = tr("casePacked", "Koffer %(case)s: %(count)s exemplaren ingepakt.", { case: data.case, count: (data.packed || []).length });
      if (data.missing && data.missing.length) {
        msg += " " + tr("caseMissing", "Ontbreekt in koffer %(case)s: %(tags)s", {
          case: data.case, tags: data.missing.map(function (m) { return m.detail || m.asset_tag; }).join(", "),
        });
      }
      $("case-result").textContent = msg;
      flash(msg, data.missing && data.missing.length ? "warn" : "ok");
    } else {
      flash(tr("tagPacked", "%(tag)s ingepakt.", { tag: data.asset_tag }), "ok");
    }
  }

  TW.queue.on("result", function (action, data) {
    if (action.kind === "wagon-arrive") {
      var st = $("stop-status-" + action.booking);
      if (st) st.textContent = data.status || "on_site";
      flash(tr("arrived", "%(name)s: aankomst gemeld.", { name: action.name }), "ok");
      return;
    }
    if (action.kind !== "wagon-day" || action.wagon !== cfg.wagon || action.date !== cfg.date) return;
    if (data.action === "pack") onPacked(action, data);
    else if (data.action === "return") {
      flash(tr("dayClosed", "Alle bezoeken van de dag zijn afgesloten."), "ok");
      (data.stops || []).forEach(function (s) {
        var st = $("stop-status-" + s.id);
        if (st) st.textContent = s.status;
      });
      $("return-btn").hidden = true;
    }
  });
  TW.queue.on("error", function (action, status, data, kept) {
    if (action.kind !== "wagon-day" && action.kind !== "wagon-arrive") return;
    if (!kept) delete pendingTags[action.tag];
    var detail = data && data.detail ? data.detail : tr("errRefused", "De actie is geweigerd (%(status)s).", { status: status });
    if (data && !data.detail) {
      var first = Object.keys(data)[0];
      if (first && data[first] && data[first][0]) detail = data[first][0];
    }
    flash(detail, kept ? "warn" : "error");
  });

  var form = $("scan-form");
  if (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var input = $("scan-input");
      pack(input.value);
      input.value = "";
      input.focus();
    });
  }
  var camera = $("camera-btn");
  if (camera && TW.scanner) TW.scanner.attach(camera, $("camera-video"), $("camera-status"), pack);

  Array.prototype.forEach.call(document.querySelectorAll("button.charge"), function (btn) {
    btn.addEventListener("click", function () {
      var charged = btn.getAttribute("aria-pressed") !== "true";
      btn.setAttribute("aria-pressed", charged ? "true" : "false");
      btn.classList.toggle("is-charged", charged);
      btn.textContent = charged ? tr("charged", "geladen") : tr("notCharged", "nog niet geladen");
      enqueue({ action: "charge", kit_type: Number(btn.dataset.kitType), charged: charged },
        tr("labelCharge", "Geladen: %(name)s", { name: btn.dataset.name }));
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll("button.arrive"), function (btn) {
    btn.addEventListener("click", function () {
      btn.hidden = true;
      TW.queue.enqueue({ url: "/api/v1/bookings/" + btn.dataset.booking + "/arrive/", body: {}, kind: "wagon-arrive",
        booking: Number(btn.dataset.booking), name: btn.dataset.name, label: tr("labelArrive", "Aangekomen: %(name)s", { name: btn.dataset.name }) });
    });
  });

  var ret = $("return-btn");
  if (ret) {
    ret.addEventListener("click", function () {
      var lines = [];
      Array.prototype.forEach.call(document.querySelectorAll("#return-items .wd-item"), function (li) {
        var sel = li.querySelector("select[name=condition]");
        if (!sel || sel.value === "ok") return;
        var note = li.querySelector("input[name=note]");
        lines.push({ asset_tag: li.dataset.tag, condition: sel.value, note: note ? note.value : "" });
      });
      ret.disabled = true;
      enqueue({ action: "return", lines: lines }, tr("labelReturn", "Retourcontrole van de dag"));
    });
  }

  // Actions still in the outbox from before a reload: show them as pending, count their tags.
  TW.queue.pending({ kind: "wagon-day" }).forEach(function (a) {
    if (a.wagon === cfg.wagon && a.date === cfg.date && a.tag) pendingTags[a.tag] = true;
  });
  renderCounts();
})();
