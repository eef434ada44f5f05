/* A page shared by every visitor (the page cache) carries neither this visitor's cart count nor
   a CSRF token: ask the shop for both, then fill the badge and every form's token. */
(function () {
  "use strict";
  var url = document.body.getAttribute("data-visitor-url");
  if (!url || !window.fetch) { return; }
  fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (state) {
      if (!state) { return; }
      document.querySelectorAll('input[name="csrfmiddlewaretoken"]').forEach(function (input) {
        input.value = state.csrf_token;
      });
      document.querySelectorAll("[data-cart-count]").forEach(function (badge) {
        badge.textContent = String(state.cart_count);
        badge.setAttribute("aria-label", badge.getAttribute("data-label").replace("{n}", state.cart_count));
        badge.hidden = false;
      });
    })
    .catch(function () { /* the page still works; forms then ask to try again */ });
})();
