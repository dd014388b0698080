// Text size and contrast toggles (remembered in localStorage; no cookies).
(function () {
  "use strict";
  var root = document.documentElement;
  var body = document.body;
  function applyFont(step) {
    step = Math.max(-2, Math.min(3, step));
    root.style.setProperty("--km-font-scale", String(1 + step * 0.1));
    try { localStorage.setItem("km-font", String(step)); } catch (e) { /* private mode */ }
  }
  function applyContrast(on) {
    body.classList.toggle("high-contrast", on);
    document.querySelectorAll("[data-contrast]").forEach(function (b) {
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.textContent = on ? "Giảm tương phản" : "Tăng tương phản";
    });
    try { localStorage.setItem("km-contrast", on ? "1" : "0"); } catch (e) { /* private mode */ }
  }
  var step = 0;
  try { step = parseInt(localStorage.getItem("km-font") || "0", 10) || 0; } catch (e) { step = 0; }
  applyFont(step);
  try { applyContrast(localStorage.getItem("km-contrast") === "1"); } catch (e) { /* ignore */ }
  document.querySelectorAll("[data-font]").forEach(function (b) {
    b.addEventListener("click", function () {
      var d = parseInt(b.getAttribute("data-font"), 10);
      step = d === 0 ? 0 : step + d;
      applyFont(step);
    });
  });
  document.querySelectorAll("[data-contrast]").forEach(function (b) {
    b.addEventListener("click", function () { applyContrast(!body.classList.contains("high-contrast")); });
  });
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
})();
