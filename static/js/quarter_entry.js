// Quarter entry screen: show met / not met while typing (the server decides on save).
(function () {
  "use strict";
  function parse(field) {
    var raw = (field.value || "").trim();
    if (raw === "") { return null; }
    if (field.dataset.kind === "co_khong") { return raw === "1" ? 1 : 0; }
    raw = raw.replace(/\s/g, "");
    if (raw.indexOf(",") !== -1 && raw.indexOf(".") === -1) { raw = raw.replace(",", "."); }
    if (!/^-?\d+(\.\d+)?$/.test(raw)) { return NaN; }
    return parseFloat(raw);
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
    var met = isMet(field, value);
    badge.classList.toggle("km-met-yes", met);
    badge.classList.toggle("km-met-no", !met);
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
