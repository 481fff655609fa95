// Warns before the session ends for inactivity, with a way to stay signed in (WCAG 2.2.1).
//
// The page says how long a session lasts without a request and how long before that to warn.
// Some time before the end, the script asks the server how much is left (GET /session, which
// does not count as activity): another tab or an autosave may have renewed the session. If
// the end is near, a modal dialog opens, with the focus on "Stay signed in", which posts to
// the server (with the CSRF token): that request renews the session and its cookie. Without
// an answer, when the time is up and the server confirms it, the dialog says the person was
// signed out, and that what they typed is still on the page. Without this script the session
// ends as before, and a step posted after it is kept until its author signs in again.
(function () {
  "use strict";
  var dialog = document.querySelector("dialog[data-session-timeout]");
  if (!dialog || !window.fetch || typeof dialog.showModal !== "function") { return; }
  var idle = parseFloat(dialog.getAttribute("data-idle-seconds"));
  var warning = parseFloat(dialog.getAttribute("data-warning-seconds"));
  var title = dialog.querySelector("[data-timeout-title]");
  var text = dialog.querySelector("[data-timeout-text]");
  var stayButton = dialog.querySelector("[data-stay]");
  var signIn = dialog.querySelector("[data-sign-in]");
  var closeButton = dialog.querySelector("[data-close]");
  var status = document.querySelector("[data-timeout-status]");
  var timer = null;
  var ended = false;
  var before = null;  // what had the focus before the dialog opened

  function later(seconds, then) {
    clearTimeout(timer);
    timer = setTimeout(then, Math.max(0, seconds) * 1000);
  }

  function schedule(secondsLeft) {  // the session has secondsLeft to go: warn in time
    later(secondsLeft - warning, check);
  }

  function clock(secondsFromNow) {
    var at = new Date(Date.now() + secondsFromNow * 1000);
    // In UTC, on a 24-hour clock, as every time the pages show.
    return at.toLocaleTimeString(document.documentElement.lang || undefined,
      { hour: "2-digit", minute: "2-digit", second: idle < 120 ? "2-digit" : undefined,
        hourCycle: "h23", timeZone: "UTC" }) + " UTC";
  }

  function left() {
    return fetch(dialog.getAttribute("data-status-url"), {
      credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store",
    }).then(function (response) { return response.json(); });
  }

  function open() {
    if (!dialog.open) {
      before = document.activeElement;
      dialog.showModal();
    }
  }

  function close() {
    if (dialog.open) { dialog.close(); }
    if (before && before.focus && document.contains(before)) { before.focus(); }
  }

  function warn(secondsLeft) {
    text.textContent = dialog.getAttribute("data-warning").replace("{time}", clock(secondsLeft));
    open();
    stayButton.focus();
    later(secondsLeft + 0.5, check);
  }

  function signedOut() {
    ended = true;
    clearTimeout(timer);
    title.textContent = dialog.getAttribute("data-ended-title");
    text.textContent = dialog.getAttribute("data-ended");
    stayButton.hidden = true;
    signIn.hidden = false;
    closeButton.hidden = false;
    open();
    signIn.focus();
  }

  function check() {
    left().then(function (answer) {
      if (!answer.signed_in) { signedOut(); return; }
      if (answer.seconds_left > warning + 1) {  // renewed meanwhile (another tab, a save)
        close();
        schedule(answer.seconds_left);
        return;
      }
      warn(answer.seconds_left);
    }).catch(function () {
      later(5, check);  // the server did not answer: ask again shortly
    });
  }

  function say(message) {
    if (!status) { return; }
    status.textContent = "";
    setTimeout(function () { status.textContent = message; }, 50);  // announced even if repeated
  }

  function stay() {
    var data = new FormData();
    fetch(dialog.getAttribute("data-stay-url"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": dialog.getAttribute("data-csrf") },
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok || type.indexOf("application/json") === -1) { throw new Error("not renewed"); }
      return response.json();
    }).then(function (answer) {
      if (answer.csrf_token) { dialog.setAttribute("data-csrf", answer.csrf_token); }
      close();
      say(dialog.getAttribute("data-stayed"));
      schedule(answer.seconds_left);
    }).catch(function () {
      left().then(function (answer) {
        if (!answer.signed_in) { signedOut(); } else { text.textContent = dialog.getAttribute("data-failed"); }
      }).catch(function () { text.textContent = dialog.getAttribute("data-failed"); });
    });
  }

  stayButton.addEventListener("click", stay);
  closeButton.addEventListener("click", close);
  dialog.addEventListener("cancel", function (event) {  // Escape
    if (!ended) { event.preventDefault(); stay(); }
  });
  // An autosave is a request of the signed-in person: the session starts over.
  document.addEventListener("aia:draft-saved", function () { if (!ended) { schedule(idle); } });
  schedule(idle);
})();
