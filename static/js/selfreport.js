// The self-report: warn before leaving with typed values not saved (an evidence
// upload or a link would otherwise drop them). No inline script: CSP.
(function () {
  "use strict";
  var form = document.querySelector("[data-report-form]");
  if (!form) { return; }
  var dirty = false;
  var fields = document.querySelectorAll("[form='" + form.id + "']");
  fields.forEach(function (field) {
    field.addEventListener("input", function () { dirty = true; });
    field.addEventListener("change", function () { dirty = true; });
  });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
