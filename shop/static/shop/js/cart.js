// Add to cart in place: an add-to-cart form posts in the background (asking shop:cart_add for
// JSON) and the panel of cart_panel.html shows the line, the cart's total and the ways on; the
// header badge follows. Every figure and message comes from the server. Without JavaScript, or if
// the answer is not JSON (a lost session token…), the form posts as a normal form does.
(function () {
  "use strict";
  var panel = document.querySelector("[data-cart-panel]");
  if (!panel || !window.fetch || !window.FormData) return;
  var status = document.querySelector("[data-cart-status]");
  var opener = null;

  function csrfToken(form) {
    // A page shared from the cache carries no token until visitor.js has asked for one.
    var input = form.querySelector('input[name="csrfmiddlewaretoken"]');
    if (input && input.value) return Promise.resolve(input.value);
    var url = document.body.getAttribute("data-visitor-url");
    if (!url) return Promise.resolve("");
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : {}; })
      .then(function (state) {
        if (input && state.csrf_token) input.value = state.csrf_token;
        return state.csrf_token || "";
      });
  }

  function setBadge(count) {
    document.querySelectorAll(".cart-count").forEach(function (badge) {
      badge.textContent = String(count);
      var template = badge.getAttribute("data-label");
      var label = template ? template.replace("{n}", count) : (badge.getAttribute("aria-label") || "").replace(/^\d+/, count);
      badge.setAttribute("aria-label", label);
      badge.hidden = false;
    });
  }

  function show(ok, message, data) {
    panel.querySelector("[data-cart-panel-title]").textContent = panel.getAttribute(ok ? "data-title-ok" : "data-title-error");
    panel.classList.toggle("is-error", !ok);
    var text = [message].concat((data && data.changes) || []).join(" ");
    panel.querySelector("[data-cart-panel-message]").textContent = text;
    var line = panel.querySelector("[data-cart-panel-line]");
    line.hidden = !(ok && data && data.line);
    if (ok && data && data.line) {
      var values = { name: data.line.name, pack: data.line.pack, quantity: data.line.quantity,
                     unit_price_display: data.line.unit_price_display, cart_total: data.cart.total_display };
      Object.keys(values).forEach(function (key) {
        line.querySelector('[data-cart-line="' + key + '"]').textContent = String(values[key]);
      });
    }
    panel.hidden = false;
    panel.focus();
    if (status) status.textContent = text;
  }

  function hide() {
    panel.hidden = true;
    if (opener) opener.focus();
  }

  panel.querySelector("[data-cart-panel-close]").addEventListener("click", hide);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) hide();
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.add-to-cart") || form.hasAttribute("data-plain")) return;
    event.preventDefault();
    opener = event.submitter || form.querySelector('button[type="submit"]');
    if (opener) opener.disabled = true;
    csrfToken(form).then(function (token) {
      return fetch(form.action, {
        method: "POST", body: new FormData(form), credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": token },
      });
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") !== -1) return response.json();
      if (response.status === 403) throw new Error("refused");  // token refused: nothing was added
      window.location.assign(response.url);  // the shop answered with a page: show it, never post twice
      return null;
    }).then(function (data) {
      if (!data) return;
      if (opener) opener.disabled = false;
      if (data.ok) {
        setBadge(data.cart.count);
        show(true, data.message, data);
      } else {
        show(false, data.error, null);
      }
    }).catch(function () {
      // Refused or unreachable before anything was added: post the form the ordinary way.
      if (opener) opener.disabled = false;
      form.setAttribute("data-plain", "");
      form.submit();
    });
  });
})();
