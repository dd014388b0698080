// Poll forms: vote without leaving the page (the plain form works without JS).
// The sidebar's form carries no CSRF token (cached pages are shared by every
// reader): it names the vote's address and where to ask for a token, and without
// scripts it simply opens the poll's page, whose own form has a token.
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
    var tokenUrl = form.getAttribute("data-token-url");
    var token = tokenUrl ? fetch(tokenUrl, {
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("no token"); }
      return response.json();
    }).then(function (data) { return data.token; }) : Promise.resolve(null);
    token.then(function (value) {
      var body = new FormData(form);
      if (value) { body.set("csrfmiddlewaretoken", value); }
      return fetch(form.getAttribute("data-vote-url") || form.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      });
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
      // Network trouble or a non-JSON answer: fall back to the plain form (the
      // sidebar's opens the poll's page with the choice ticked).
      form.submit();
    });
  });
})();
