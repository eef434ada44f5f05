/* The phone menu. Loaded in <head> without `defer`: marking <html class="has-menu"> before the body is
   drawn lets the CSS fold the main navigation behind the menu button on phones with no flash. Without
   JavaScript the class is never set, the button stays hidden and the navigation stays open. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("has-menu");

  function setUp() {
    var button = document.querySelector("[data-menu-button]");
    var nav = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!nav) { root.classList.remove("has-menu"); return; }

    function toggle(open) {
      button.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("is-open", open);
    }

    button.hidden = false;
    button.addEventListener("click", function () {
      toggle(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        toggle(false);
        button.focus();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
