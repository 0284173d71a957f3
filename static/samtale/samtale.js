// Samtale's few lines of script beside htmx. Every page works without them; they make it read better.
(function () {
  "use strict";

  // On a phone a table reads as one block per row, each value under the name of its column
  // (samtale.css, "Tables"). The names come from the table's own header, so no template repeats them.
  function stackTables(root) {
    var tables = root.tagName === "TABLE" ? [root] : Array.prototype.slice.call(root.querySelectorAll("table"));
    var owner = root.closest ? root.closest("table") : null;
    if (owner && tables.indexOf(owner) < 0) tables.push(owner);
    tables.forEach(function (table) {
      var head = table.tHead;
      if (!head || !head.rows.length || table.classList.contains("not-stacked")) return;
      var titles = [];
      Array.prototype.forEach.call(head.rows[head.rows.length - 1].cells, function (cell) {
        for (var n = 0; n < cell.colSpan; n++) titles.push(cell.textContent.replace(/\s+/g, " ").trim());
      });
      Array.prototype.forEach.call(table.querySelectorAll(":scope > tbody > tr, :scope > tfoot > tr"), function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (cell.tagName === "TD" && titles[column]) cell.setAttribute("data-title", titles[column]);
          cell.classList.toggle("blank", !cell.textContent.trim() && !cell.querySelector("img, svg, input, select, textarea, button"));
          column += cell.colSpan;
        });
      });
      table.classList.add("stacked");
    });
  }

  // A form marked data-unsaved-warning asks before the page is left with text not yet saved: typing
  // makes it unsaved; sending it, or an autosave that answers "saved", makes it saved again.
  function watchUnsaved() {
    var dirty = new Set();
    document.querySelectorAll("form[data-unsaved-warning]").forEach(function (form) {
      var fields = form.id ? document.querySelectorAll("[form='" + form.id + "'], #" + form.id + " textarea, #" + form.id + " input") : form.elements;
      Array.prototype.forEach.call(fields, function (field) {
        field.addEventListener("input", function () { dirty.add(form); });
      });
      form.addEventListener("submit", function () { dirty.delete(form); });
      form.addEventListener("htmx:afterRequest", function (event) {
        var status = event.detail.target;
        if (event.detail.successful && status && !status.querySelector(".error-text")) dirty.delete(form);
      });
    });
    window.addEventListener("beforeunload", function (event) {
      if (dirty.size) { event.preventDefault(); event.returnValue = ""; }
    });
  }

  // The meeting guide: the arrow keys move between the phases when nobody is writing, and the
  // time used since the guide was first opened on the day of the conversation shows beside the
  // planned time.
  function guideKeys() {
    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      var target = event.target;
      if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
      var link = document.querySelector("a[data-key='" + event.key + "']");
      if (link) { event.preventDefault(); link.click(); }
    });
  }

  function guideTimer() {
    var timer = document.querySelector("[data-timer]");
    if (!timer || !window.localStorage) return;
    var key = "samtale-guide-" + timer.getAttribute("data-timer") + "-" + new Date().toDateString();
    var started = Number(localStorage.getItem(key)) || Date.now();
    localStorage.setItem(key, String(started));
    var planned = Number(timer.getAttribute("data-minutes"));
    var text = timer.textContent;
    function tick() {
      var used = Math.floor((Date.now() - started) / 60000);
      timer.textContent = text + " · " + timer.getAttribute("data-label-used") + " " + used + " " +
        timer.getAttribute("data-label-of") + " " + planned + " min";
      timer.classList.toggle("over", used > planned);
    }
    tick();
    setInterval(tick, 30000);
  }

  // A unit found by its name (a <datalist> of codes, filled by htmx) adds its code to a list of
  // codes: the round's units at any depth.
  function addsCodes() {
    document.querySelectorAll("input[data-adds-code-to]").forEach(function (input) {
      var target = document.getElementById(input.getAttribute("data-adds-code-to"));
      var list = document.getElementById(input.getAttribute("list"));
      if (!target || !list) return;
      input.addEventListener("change", function () {
        var code = input.value.trim();
        var known = Array.prototype.some.call(list.options, function (option) { return option.value === code; });
        if (!code || !known) return;
        var codes = target.value.split(/[\s,;]+/).filter(Boolean);
        if (codes.indexOf(code) < 0) codes.push(code);
        target.value = codes.join(" ");
        input.value = "";
        target.dispatchEvent(new Event("input", { bubbles: true }));
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    stackTables(document.body);
    addsCodes();
    watchUnsaved();
    guideKeys();
    guideTimer();
  });
  document.addEventListener("htmx:afterSettle", function (event) { stackTables(event.target); });

  // A question asked first (samtale/lib/confirm.py) arrives as a dialog: open it as a modal; "No"
  // and Escape close it and take it away, and focus goes back to where it was.
  document.addEventListener("htmx:afterSettle", function () {
    document.querySelectorAll("dialog[data-confirm-dialog]:not([open])").forEach(function (dialog) {
      var before = document.activeElement;
      dialog.addEventListener("close", function () {
        dialog.remove();
        if (before && before.focus) before.focus();
      });
      dialog.querySelectorAll("[data-close-dialog]").forEach(function (link) {
        link.addEventListener("click", function (event) { event.preventDefault(); dialog.close(); });
      });
      dialog.showModal();
    });
  });
})();
