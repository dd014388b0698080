// Quarter entry screen: show met / not met while typing (the server decides on save).
(function () {
  "use strict";
  function parse(field) {
    var raw = (field.value || "").trim();
    if (raw === "") { return null; }
    if (field.dataset.kind === "co_khong") { return raw === "1" ? 1 : 0; }
    raw = raw.replace(/\s/g, "");
    if (raw.indexOf(",") !== -1 && raw.indexOf(".") === -1) { raw = raw.replace(",", "."); }
    // The rules of parse_value: at most 4 decimals, under 10^8, the kind's bounds.
    if (!/^-?\d+(\.\d{1,4})?$/.test(raw)) { return NaN; }
    var value = parseFloat(raw);
    if (Math.abs(value) >= 1e8) { return NaN; }
    if (field.dataset.min !== undefined && value < parseFloat(field.dataset.min)) { return NaN; }
    if (field.dataset.max !== undefined && value > parseFloat(field.dataset.max)) { return NaN; }
    return value;
  }
  function isMet(field, value) {
    if (value === null || isNaN(value)) { return false; }
    if (field.dataset.kind === "co_khong") { return value === 1; }
    var target = parseFloat(field.dataset.target);
    switch (field.dataset.comparison) {
      case ">=": return value >= target;
      case "<=": return value <= target;
      default: return Math.abs(value - target) < 1e-9;
    }
  }
  function update(field) {
    var badge = document.getElementById(field.dataset.met);
    if (!badge) { return; }
    var value = parse(field);
    var invalid = value !== null && isNaN(value);
    if (value === null && badge.dataset.previous !== "") {
      value = parseFloat(badge.dataset.previous);
    }
    var met = !invalid && isMet(field, value);
    badge.classList.toggle("km-met-yes", met);
    badge.classList.toggle("km-met-no", !met && !invalid);
    badge.classList.toggle("km-met-invalid", invalid);
    badge.textContent = invalid ? "Không hợp lệ" : (met ? "Đạt" : "Chưa đạt");
    field.setAttribute("aria-invalid", invalid ? "true" : "false");
  }
  var dirty = false;
  document.querySelectorAll(".km-entry-form [data-met]").forEach(function (field) {
    var handler = function () { dirty = true; update(field); };
    field.addEventListener("input", handler);
    field.addEventListener("change", handler);
  });
  var form = document.querySelector(".km-entry-form");
  if (form) {
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
  }
})();
