/* Techniekwagen crew: the camera on a visit's packing list feeds the scan field, exactly as a
 * keyboard-wedge scanner would (static/crew/scan.js reads, visit.js handles the tag). */
(function () {
  "use strict";
  var button = document.getElementById("camera-btn");
  var form = document.getElementById("scan-form");
  var input = document.getElementById("scan-input");
  if (!button || !form || !input || !window.TW || !TW.scanner) return;
  TW.scanner.attach(button, document.getElementById("camera-video"), document.getElementById("camera-status"), function (code) {
    input.value = code;
    if (form.requestSubmit) form.requestSubmit();
    else form.dispatchEvent(new Event("submit", { cancelable: true }));
  });
})();
