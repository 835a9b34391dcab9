/* Techniekwagen, visit page: check a new date/wagon as it is picked (the page's own JSON check,
 * the same rules the reschedule service applies) and enable "Verplaatsen" only when it fits.
 * Without script the "Controleren" button does the same check with a page load.
 */
(function () {
  "use strict";
  var form = document.getElementById("move-form");
  if (!form) return;
  var date = document.getElementById("move-date");
  var wagon = document.getElementById("move-wagon");
  var out = document.getElementById("move-check");
  var button = document.getElementById("move-button");
  var hiddenDate = document.getElementById("move-submit-date");
  var hiddenWagon = document.getElementById("move-submit-wagon");
  var seq = 0;

  function show(ok, reasons) {
    out.textContent = "";
    if (ok) {
      var p = document.createElement("p");
      p.className = "ok";
      p.textContent = out.getAttribute("data-ok") || "Deze dag kan.";
      out.appendChild(p);
    } else {
      var ul = document.createElement("ul");
      ul.className = "problems";
      reasons.forEach(function (text) {
        var li = document.createElement("li");
        li.textContent = text;
        ul.appendChild(li);
      });
      out.appendChild(ul);
    }
    button.disabled = !ok;
    out.setAttribute("data-checked", date.value + "/" + wagon.value);
  }

  function check() {
    var mine = ++seq;
    button.disabled = true;
    hiddenDate.value = date.value;
    hiddenWagon.value = wagon.value;
    var url = form.getAttribute("data-check-url") + "?" +
      new URLSearchParams({ date: date.value, wagon: wagon.value }).toString();
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) { if (mine === seq) show(data.available, data.reasons || []); })
      .catch(function () { if (mine === seq) show(false, ["?"]); });
  }

  date.addEventListener("change", check);
  wagon.addEventListener("change", check);
  form.addEventListener("submit", function (e) { e.preventDefault(); check(); });
})();
