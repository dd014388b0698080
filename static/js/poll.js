// Poll forms: vote without leaving the page (the plain form POST works without JS).
(function () {
  "use strict";
  if (window.kmPollReady) { return; }
  window.kmPollReady = true;

  function container(form) {
    return form.closest("[data-poll-box], article") || form.parentNode;
  }

  function showMessage(form, text, ok) {
    var status = container(form).querySelector("[data-poll-status]");
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("text-success", !!ok);
    status.classList.toggle("text-danger", !ok);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-poll-form]") || !window.fetch) { return; }
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      showMessage(form, result.data.message || "", result.ok);
      if (result.data.html) {
        // Trusted fragment rendered (and escaped) by our own template.
        var holder = document.createElement("div");
        holder.innerHTML = result.data.html;
        form.replaceWith(holder);
      } else if (button) {
        button.disabled = false;
      }
    }).catch(function () {
      // Network trouble or a non-JSON answer: fall back to the plain form POST.
      form.submit();
    });
  });
})();
