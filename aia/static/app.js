// Small helps on every page. Everything works without this script; it only moves the focus
// where a keyboard or screen-reader user would want it next.
(function () {
  "use strict";

  // The field a link such as "#decision" or "#decision_area-0" points to: the element itself,
  // or, for a group of choices (a fieldset), its checked or else its first input.
  function fieldFor(id) {
    var target = id && document.getElementById(id);
    if (!target) { return null; }
    if (target.tagName === "FIELDSET") {
      return target.querySelector("input:checked") || target.querySelector("input, select, textarea");
    }
    return target;
  }

  // Bring the question's label or legend into view too, not just the input below it.
  function focusField(field) {
    var question = field.closest(".question") || field;
    question.scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  }

  // A link to a field moves the focus into that field (browsers only scroll to it).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='#']");
    if (!link || !link.closest("[data-error-summary]")) { return; }
    var field = fieldFor(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!field) { return; }
    event.preventDefault();
    focusField(field);
  });

  var summary = document.querySelector("[data-error-summary]");
  var fromHash = location.hash && fieldFor(decodeURIComponent(location.hash.slice(1)));
  if (summary) {
    // Read out first: what went wrong, with links to each field.
    summary.focus();
  } else if (fromHash && fromHash.form) {
    // Arrived from a "Change" link on the review page: straight into the field.
    focusField(fromHash);
  }

  // A table wider than the screen scrolls on its own; it must then be reachable by keyboard.
  var scrollers = Array.prototype.slice.call(document.querySelectorAll(".table-scroll"));
  function markScrollers() {
    scrollers.forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) { box.setAttribute("tabindex", "0"); }
      else { box.removeAttribute("tabindex"); }
    });
  }
  if (scrollers.length) {
    markScrollers();
    window.addEventListener("resize", markScrollers);
  }
})();
