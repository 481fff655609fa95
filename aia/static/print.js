// The blank questionnaire's Print button: shown only where this script runs (the browser's own
// Print command does the same without it).
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
