/* Techniekwagen: a form with data-confirm="question" asks before it is sent. A script file rather
 * than an inline onsubmit, so the Content-Security-Policy needs no 'unsafe-inline' for scripts.
 */
(function () {
  "use strict";
  document.addEventListener("submit", function (e) {
    var question = e.target.getAttribute && e.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) e.preventDefault();
  });
})();
