// The publication's progress page checks by itself whether the publication is done, so that
// nobody has to press "Check again": it asks the status address every two seconds and, once
// the job is no longer waiting or running, loads the page again (which then shows the
// published revision, or why the publication failed). Without this script the button does it.
(function () {
  "use strict";
  var status = document.getElementById("publication-status");
  if (!status || !window.fetch) { return; }
  var url = status.getAttribute("data-status-url");
  var lastAttempts = null;

  function check() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (job && (!job.waiting || (lastAttempts !== null && job.attempts !== lastAttempts))) {
          window.location.reload();
          return;
        }
        if (job) { lastAttempts = job.attempts; }
        window.setTimeout(check, 2000);
      })
      .catch(function () { window.setTimeout(check, 5000); });
  }

  window.setTimeout(check, 1000);
})();
