// Keeps the step page's score panel up to date: after each autosave ("aia:draft-saved", from
// autosave.js) the panel is fetched again from the server, which works the score out by the
// questionnaire's own method. No score is computed here. Without this script the panel shows
// the score of the answers saved when the page was loaded, and the review page shows it too.
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser) { return; }
  var pending = null;

  function refresh() {
    var panel = document.querySelector("[data-score-panel]");
    if (!panel) { return; }
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch(panel.getAttribute("data-score-url"), {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
      signal: pending.signal,
    }).then(function (response) {
      if (!response.ok) { throw new Error("no score"); }
      return response.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-score-panel]");
      if (fresh) {
        panel.replaceWith(document.importNode(fresh, true));
        document.dispatchEvent(new CustomEvent("aia:score-updated"));
      }
    }).catch(function () {
      // The panel keeps the last score it showed; the next save tries again.
    });
  }

  document.addEventListener("aia:draft-saved", refresh);
})();
