/* Techniekwagen crew: the day sheet's "exemplaar opzoeken" — a camera read opens the item page. */
(function () {
  "use strict";
  var button = document.getElementById("camera-btn");
  var form = document.getElementById("lookup-form");
  var input = document.getElementById("lookup-input");
  if (!button || !form || !input || !window.TW || !TW.scanner) return;
  TW.scanner.attach(button, document.getElementById("camera-video"), document.getElementById("camera-status"), function (code) {
    input.value = code;
    form.submit();
  });
})();
