// Shows and hides conditional questions at once. Without this script the server does the
// same after "Next"; the conditions are the server's own, sent as data-show-if. Conditions
// name questions by key; each question's block says which form field holds its answer
// (data-field), so the script never builds a field name itself.
(function () {
  "use strict";
  var form = document.querySelector("form[data-wizard]");
  if (!form) { return; }
  var known = JSON.parse(document.getElementById("known-answers").textContent || "{}");
  var blocks = Array.prototype.slice.call(form.querySelectorAll("[data-question]"));
  var byKey = Object.create(null);  // no inherited names: "constructor" is a valid key
  blocks.forEach(function (block) { byKey[block.getAttribute("data-question")] = block; });
  var shownField = form.querySelector("input[name=shown]");

  function valueOf(key) {
    var block = byKey[key];
    if (!block) { return Object.prototype.hasOwnProperty.call(known, key) ? known[key] : undefined; }
    if (block.hidden) { return undefined; }
    var name = block.getAttribute("data-field");
    var inputs = Array.prototype.filter.call(
      block.querySelectorAll("input, textarea, select"),
      function (input) { return input.name === name; });
    if (!inputs.length) {
      // A date: three boxes named after its field (name-day, name-month, name-year).
      var parts = Array.prototype.filter.call(
        block.querySelectorAll("input"), function (input) { return input.name.indexOf(name + "-") === 0; });
      var typed = parts.map(function (input) { return input.value.trim(); }).join("");
      return typed || undefined;
    }
    if (inputs[0].type === "checkbox") {
      var picked = [];
      inputs.forEach(function (i) { if (i.checked) { picked.push(i.value); } });
      return picked;
    }
    if (inputs[0].type === "radio") {
      var chosen;
      inputs.forEach(function (i) { if (i.checked) { chosen = i.value; } });
      return chosen;
    }
    return inputs[0].value.trim() || undefined;
  }

  function answered(v) { return v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && !v.length); }

  function holds(cond) {
    if (cond.all) { return cond.all.every(holds); }
    if (cond.any) { return cond.any.some(holds); }
    if (cond.not) { return !holds(cond.not); }
    var v = valueOf(cond.q);
    if ("answered" in cond) { return answered(v) === cond.answered; }
    var values = Array.isArray(v) ? v : (answered(v) ? [v] : []);
    if ("has" in cond) { return values.indexOf(cond.has) !== -1; }
    return values.some(function (x) { return cond["in"].indexOf(String(x)) !== -1; });
  }

  function update() {
    blocks.forEach(function (block) {
      var raw = block.getAttribute("data-show-if");
      if (raw) { block.hidden = !holds(JSON.parse(raw)); }
    });
    if (shownField) {
      shownField.value = blocks.filter(function (b) { return !b.hidden; })
        .map(function (b) { return b.getAttribute("data-question"); }).join(",");
    }
  }

  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
})();
