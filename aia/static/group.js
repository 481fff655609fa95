// The rows of a repeatable group, added, removed and moved in place. Without this script the
// buttons post the step, which is saved and shown again with the rows changed (the same result).
//
// Every change renumbers the rows' fields (q_<group>-<row>-...) in their new order, names and
// ids and the labels and buttons that point at them, says what changed in the page's status
// line, puts the focus on the row, and lets autosave.js save the step (a "change" event).
(function () {
  "use strict";
  var form = document.querySelector("form[data-wizard]");
  if (!form) { return; }
  var status = document.querySelector("[data-autosave-status]");
  var ATTRIBUTES = ["name", "id", "for", "aria-describedby", "href", "data-field"];

  function rowsOf(group) {
    return Array.prototype.slice.call(group.querySelector("[data-group-rows]").children);
  }

  function renumber(group) {
    var field = group.getAttribute("data-field");
    var key = group.getAttribute("data-question");
    var pattern = new RegExp("^" + field.replace(/[-]/g, "\\-") + "-(\\d+|__index__)(?=-|$)");
    var spaced = new RegExp("(^|\\s)" + field.replace(/[-]/g, "\\-") + "-(\\d+|__index__)(?=-)", "g");
    var rows = rowsOf(group);
    // While names change, two rows may share a radio group for a moment, which would clear one
    // of the choices: keep what is chosen, and choose it again after.
    var chosen = Array.prototype.filter.call(group.querySelectorAll("input[type=radio], input[type=checkbox]"),
      function (input) { return input.checked; });
    rows.forEach(function (row, index) {
      var renamed = field + "-" + index;
      [row].concat(Array.prototype.slice.call(row.querySelectorAll("*"))).forEach(function (node) {
        ATTRIBUTES.forEach(function (attribute) {
          var value = node.getAttribute(attribute);
          if (value === null) { return; }
          var changed = attribute === "aria-describedby"
            ? value.replace(spaced, "$1" + renamed) : value.replace(pattern, renamed);
          if (changed !== value) { node.setAttribute(attribute, changed); }
        });
      });
      row.querySelectorAll("[data-row-number]").forEach(function (number) { number.textContent = String(index + 1); });
      var actions = row.querySelector(".row-actions");
      actions.querySelectorAll("[data-row-action]").forEach(function (button) {
        var what = button.getAttribute("data-row-action");
        button.value = what + ":" + key + ":" + index;
        button.hidden = (what === "up" && index === 0) || (what === "down" && index === rows.length - 1);
      });
    });
    chosen.forEach(function (input) { input.checked = true; });
    var count = group.querySelector("[data-group-count]");
    if (count) {
      count.textContent = rows.length === 0 ? count.getAttribute("data-none")
        : rows.length === 1 ? group.getAttribute("data-count-one")
        : group.getAttribute("data-count-many").replace("{count}", String(rows.length));
    }
    var add = group.querySelector("[data-row-action=add]");
    if (add) { add.hidden = rows.length >= Number(group.getAttribute("data-max-rows")); }
  }

  // A row rendered without one of its buttons (the first cannot go up) gets it, hidden, so
  // that a row moved later can show it.
  function completeButtons(group, row) {
    var actions = row.querySelector(".row-actions");
    var template = group.querySelector("template[data-row-template]");
    if (!template) { return; }
    var blank = template.content.querySelector(".row-actions");
    ["up", "down"].forEach(function (what, place) {
      if (actions.querySelector("[data-row-action=" + what + "]")) { return; }
      var button = blank.querySelector("[data-row-action=" + what + "]").cloneNode(true);
      actions.insertBefore(button, place === 0 ? actions.firstChild : actions.querySelector("[data-row-action=remove]"));
    });
  }

  function changed(group, row, message) {
    renumber(group);
    if (status && message) { status.textContent = message; }
    (row || group).focus();
    form.dispatchEvent(new Event("change"));
  }

  function said(group, what, number) {
    return group.getAttribute("data-said-" + what).replace("{number}", String(number));
  }

  function place(row) {
    return Array.prototype.indexOf.call(row.parentNode.children, row) + 1;
  }

  form.querySelectorAll("[data-group]").forEach(function (group) {
    rowsOf(group).forEach(function (row) { completeButtons(group, row); });
    renumber(group);
    group.addEventListener("click", function (event) {
      var button = event.target.closest("[data-row-action]");
      if (!button || !group.contains(button)) { return; }
      event.preventDefault();
      var what = button.getAttribute("data-row-action");
      var holder = group.querySelector("[data-group-rows]");
      var row = button.closest("[data-row]");
      if (what === "add") {
        var template = group.querySelector("template[data-row-template]");
        var fresh = template.content.firstElementChild.cloneNode(true);
        holder.appendChild(fresh);
        completeButtons(group, fresh);
        changed(group, fresh, said(group, "added", place(fresh)));
      } else if (what === "remove") {
        var number = place(row);
        var next = row.nextElementSibling || row.previousElementSibling;
        holder.removeChild(row);
        changed(group, next, said(group, "removed", number));
      } else if (what === "up" && row.previousElementSibling) {
        holder.insertBefore(row, row.previousElementSibling);
        changed(group, row, said(group, "moved", place(row)));
      } else if (what === "down" && row.nextElementSibling) {
        holder.insertBefore(row.nextElementSibling, row);
        changed(group, row, said(group, "moved", place(row)));
      }
    });
  });
})();
