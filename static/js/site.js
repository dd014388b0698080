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
// Share and copy-link buttons of the article page (no third-party scripts).
(function () {
  "use strict";
  function say(button, text) {
    var status = button.parentNode.querySelector(".copy-status");
    if (status) { status.textContent = text; }
  }
  document.querySelectorAll("[data-share]").forEach(function (b) {
    if (!navigator.share) { return; }
    b.hidden = false;
    b.addEventListener("click", function () {
      navigator.share({ title: b.getAttribute("data-share-title"), url: b.getAttribute("data-share-url") })
        .catch(function () { /* cancelled by the reader */ });
    });
  });
  document.querySelectorAll("[data-copy-link]").forEach(function (b) {
    b.addEventListener("click", function () {
      var url = b.getAttribute("data-copy-link");
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(
          function () { say(b, "Đã sao chép liên kết."); },
          function () { window.prompt("Sao chép liên kết:", url); }
        );
      } else {
        window.prompt("Sao chép liên kết:", url);
      }
    });
  });
})();
