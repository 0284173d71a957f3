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

  document.addEventListener("DOMContentLoaded", function () { stackTables(document.body); });
  document.addEventListener("htmx:afterSettle", function (event) { stackTables(event.target); });
})();
