// Bulk entry: Enter and Tab move down a column (Shift: up), as in a spreadsheet;
// at a column's end Tab goes on to the next column's top. A block of lines pasted
// into a cell fills the cells below it. The server checks everything on preview.
(function () {
  "use strict";
  var grid = document.querySelector(".km-bulk-grid");
  if (!grid) { return; }
  function column(input, withLocked) {
    var selector = 'input[data-col="' + input.dataset.col + '"]';
    return Array.prototype.slice.call(
      grid.querySelectorAll(withLocked ? selector : selector + ":not([disabled])")
    );
  }
  function move(input, step, wrap) {
    var cells = column(input);
    var next = cells[cells.indexOf(input) + step];
    if (!next && wrap) {
      var col = parseInt(input.dataset.col, 10) + step;
      var others = grid.querySelectorAll('input[data-col="' + col + '"]:not([disabled])');
      if (others.length) { next = step > 0 ? others[0] : others[others.length - 1]; }
    }
    if (!next) { return false; }
    next.focus();
    next.select();
    return true;
  }
  grid.addEventListener("keydown", function (event) {
    var input = event.target;
    if (input.tagName !== "INPUT") { return; }
    var step = event.shiftKey ? -1 : 1;
    if (event.key === "Enter") {
      event.preventDefault();
      move(input, step, false);
    } else if (event.key === "Tab") {
      if (move(input, step, true)) { event.preventDefault(); }
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      move(input, event.key === "ArrowDown" ? 1 : -1, false);
    }
  });
  grid.addEventListener("paste", function (event) {
    var input = event.target;
    var text = (event.clipboardData || window.clipboardData).getData("text");
    if (input.tagName !== "INPUT" || text.indexOf("\n") === -1) { return; }
    event.preventDefault();
    var lines = text.replace(/\r\n?/g, "\n").replace(/\n+$/, "").split("\n");
    // Line i goes to the i-th row below, as shown: a locked row keeps its value
    // and its line, so that the lines after it do not shift.
    var cells = column(input, true);
    var start = cells.indexOf(input);
    lines.forEach(function (line, i) {
      var cell = cells[start + i];
      if (cell && !cell.disabled && line.trim() !== "") {
        cell.value = line.split("\t")[0].trim();
      }
    });
  });
})();
