/* Techniekwagen, Routes plannen: drag a visit of the proposal onto another day to move it there.
 * The drop fills in that visit's own "Naar dag" form and sends it (the reschedule service checks
 * it); without script, or on a touch screen, the form is used directly.
 */
(function () {
  "use strict";
  var stops = document.querySelectorAll(".proposal-stops li[data-booking]");
  if (!stops.length) return;
  var dragged = null;
  stops.forEach(function (li) {
    li.setAttribute("draggable", "true");
    li.addEventListener("dragstart", function (e) {
      dragged = li;
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", li.getAttribute("data-booking"));
      li.classList.add("dragging");
    });
    li.addEventListener("dragend", function () {
      li.classList.remove("dragging");
      dragged = null;
    });
  });
  document.querySelectorAll("section.plan-day[data-date]").forEach(function (day) {
    day.addEventListener("dragover", function (e) {
      if (!dragged) return;
      e.preventDefault();
      day.classList.add("drop-target");
    });
    day.addEventListener("dragleave", function () {
      day.classList.remove("drop-target");
    });
    day.addEventListener("drop", function (e) {
      e.preventDefault();
      day.classList.remove("drop-target");
      if (!dragged) return;
      var form = dragged.querySelector("form.stop-move");
      var target = day.getAttribute("data-date");
      if (!form || form.querySelector("input[name=date]").value === target) return;
      form.querySelector("input[name=date]").value = target;
      form.submit();
    });
  });
})();
