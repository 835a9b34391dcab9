/* School portal booking form: fills in the start times the chosen schedule gives.
 * "na elkaar": a group starts when the one before ends (its workshop's duration);
 * "tegelijk (carrousel)": every group starts with the first. Only rows in use (a group label,
 * pupils or year typed) and only times the teacher did not type are filled; without this script
 * the server does the same on submit.
 */
(function () {
  "use strict";
  var form = document.querySelector("form.booking-form");
  var source = document.getElementById("workshop-durations");
  if (!form || !source) return;
  var durations = JSON.parse(source.textContent);

  function field(row, name) {
    return form.querySelector("[name='groups-" + row + "-" + name + "']");
  }
  function rows() {
    var total = form.querySelector("[name='groups-TOTAL_FORMS']");
    var n = total ? parseInt(total.value, 10) || 0 : 0;
    var list = [];
    for (var i = 0; i < n; i++) {
      if (field(i, "start_time")) list.push(i);
    }
    return list;
  }
  function inUse(row) {
    return ["group_label", "pupils", "year"].some(function (name) {
      var el = field(row, name);
      return el && el.value.trim() !== "";
    });
  }
  function schedule() {
    var checked = form.querySelector("[name='schedule']:checked");
    return checked ? checked.value : "na_elkaar";
  }
  function toMinutes(value) {
    var m = /^(\d{1,2}):(\d{2})/.exec(value || "");
    return m ? parseInt(m[1], 10) * 60 + parseInt(m[2], 10) : null;
  }
  function toTime(minutes) {
    var h = Math.floor(minutes / 60), m = minutes % 60;
    return (h < 10 ? "0" : "") + h + ":" + (m < 10 ? "0" : "") + m;
  }

  function update() {
    var mode = schedule();
    var first = null, previousEnd = null;
    rows().forEach(function (row) {
      if (!inUse(row)) return;
      var start = field(row, "start_time");
      var auto = start.dataset.auto === "1";
      if (first !== null && (start.value === "" || auto)) {
        var value = mode === "tegelijk" ? first : previousEnd;
        if (value !== null && value < 24 * 60) {
          start.value = toTime(value);
          start.dataset.auto = "1";
        }
      }
      var minutes = toMinutes(start.value);
      if (minutes === null) return;
      if (first === null) first = minutes;
      var workshop = field(row, "workshop");
      previousEnd = minutes + (durations[workshop ? workshop.value : ""] || 0);
    });
  }

  form.addEventListener("input", function (event) {
    // A time the teacher types is theirs: it is not filled in again.
    if (/-start_time$/.test(event.target.name || "")) delete event.target.dataset.auto;
    update();
  });
  form.addEventListener("change", update);
  update();
})();

/* After a refused submit the page opens on its error summary (a phone would otherwise show the
 * top of a long form with the error far below). */
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    summary.scrollIntoView({ block: "start" });
  }
})();
