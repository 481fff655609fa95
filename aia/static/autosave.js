// Saves a step's answers while one types, and warns before leaving a page with typing not yet
// saved. Without this script nothing changes: Next, Back and Save draft save as always.
//
// A save posts the form as it is, with action=autosave, a moment after the last key pressed
// (debounced). The server keeps the valid answers with the draft's lock version, as Save draft
// does, and answers JSON with the new version, which goes into the form's lock_version field;
// then "aia:draft-saved" is dispatched on the document, with that version, for the parts of
// the page that show what the answers give. If someone else saved the draft meanwhile, the
// form is posted as Save draft: the page then shows both versions, as it always has.
(function () {
  "use strict";
  var form = document.querySelector("form[data-wizard]");
  var status = document.querySelector("[data-autosave-status]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var lockField = form.querySelector("input[name=lock_version]");
  var DELAY_MS = 1500;
  var timer = null;
  var dirty = false;      // typed since the last save began
  var saving = null;      // the save under way (a promise), if any
  var leaving = false;    // the form itself is being posted (Next, Back, Save draft)

  function say(text) {
    if (status) { status.textContent = text; }
  }

  function clock() {
    // In UTC, on a 24-hour clock, as every time the pages show.
    var now = new Date();
    return now.toLocaleTimeString(document.documentElement.lang || undefined,
      { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" }) + " UTC";
  }

  function postAsSaveDraft() {
    leaving = true;
    var save = form.querySelector("button[name=action][value=save]");
    if (form.requestSubmit && save) { form.requestSubmit(save); } else { form.submit(); }
  }

  function save() {  // resolves to true once everything typed is saved
    clearTimeout(timer);
    timer = null;
    if (saving) { return saving.then(function () { return dirty ? save() : true; }); }
    if (!dirty) { return Promise.resolve(true); }
    dirty = false;
    var data = new FormData(form);
    data.set("action", "autosave");
    saving = fetch(form.getAttribute("action") || location.pathname + location.search, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) { throw new Error("not saved"); }
      return response.json().then(function (answer) {
        if (answer.saved) {
          if (lockField) { lockField.value = String(answer.lock_version); }
          say(status.getAttribute("data-saved").replace("{time}", clock()));
          document.dispatchEvent(new CustomEvent("aia:draft-saved", { detail: { lock_version: answer.lock_version } }));
          return true;
        }
        if (answer.reason === "conflict" || answer.reason === "submitted") {
          postAsSaveDraft();  // the server's page says what happened, and keeps what was typed
          return false;
        }
        throw new Error(answer.reason || "not saved");
      });
    }).catch(function () {
      dirty = true;
      say(status ? status.getAttribute("data-failed") : "");
      return false;
    }).then(function (done) {
      saving = null;
      return done;
    });
    return saving;
  }

  function typed() {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(save, DELAY_MS);
  }

  form.addEventListener("input", typed);
  form.addEventListener("change", typed);
  form.addEventListener("submit", function () { leaving = true; clearTimeout(timer); });

  // Leaving by the browser (closing the tab, typing an address, reloading): its own warning.
  window.addEventListener("beforeunload", function (event) {
    if ((dirty || saving) && !leaving) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Leaving by a link of the page: save first, then go; if the save fails, ask.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || (!dirty && !saving) || event.defaultPrevented || link.target === "_blank" ||
        event.ctrlKey || event.metaKey || event.shiftKey || link.getAttribute("href").charAt(0) === "#") { return; }
    event.preventDefault();
    save().then(function (done) {
      if (leaving) { return; }  // a conflict: the form is being posted to show it
      if (done || window.confirm(status.getAttribute("data-leave"))) {
        leaving = true;
        location.href = link.href;
      }
    });
  });
})();
