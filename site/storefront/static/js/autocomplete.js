/* OCOP Việt Nam — search suggestions in the header, and auto-applied filters on the search page.
   Vanilla JS, no library; both are progressive enhancements of plain GET forms that work without it.

   1. Autocomplete: an input with `data-autocomplete-url` becomes an ARIA 1.2 combobox with a listbox
      of suggestions grouped by type. The endpoint answers GET ?q=… with
      {"query": "…", "results": [{"type": "product"|"producer"|"place", "label", "url", "detail"}]}.
      Group names and screen-reader messages come from data- attributes, translated by the template:
      data-label-product, data-label-producer, data-label-place, data-label-listbox,
      data-status-results, data-status-none.
   2. Facets: a form with `data-auto-submit` is submitted when one of its checkboxes changes; focus
      returns to that checkbox on the new page. The form's own submit button remains the fallback. */
(function () {
  "use strict";

  var DEBOUNCE_MS = 150;
  var MIN_CHARS = 2;
  var TYPES = ["product", "producer", "place"];

  function sameOrigin(url) {
    try {
      var parsed = new URL(url, window.location.href);
      return parsed.origin === window.location.origin ? parsed.href : null;
    } catch (error) {
      return null;
    }
  }

  function setupAutocomplete(input) {
    var endpoint = input.getAttribute("data-autocomplete-url");
    var form = input.form;
    if (!endpoint || !form || !window.fetch) return;

    var listId = (input.id || "search") + "-suggestions";
    var list = document.createElement("div");
    list.id = listId;
    list.className = "autocomplete-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.getAttribute("data-label-listbox") || "");
    list.hidden = true;

    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");

    form.classList.add("has-autocomplete");
    form.appendChild(list);
    form.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");

    var options = [];      // option elements in display order
    var active = -1;       // index into options, -1 when none
    var timer = null;
    var controller = null; // AbortController of the request in flight
    var cache = new Map(); // query → results, for backspacing and retyping
    var shownFor = null;   // the query the list shows

    function label(type) {
      return input.getAttribute("data-label-" + type) || type;
    }

    function setActive(index) {
      if (active >= 0 && options[active]) {
        options[active].classList.remove("is-active");
        options[active].setAttribute("aria-selected", "false");
      }
      active = index;
      if (active >= 0 && options[active]) {
        var option = options[active];
        option.classList.add("is-active");
        option.setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", option.id);
        if (option.scrollIntoView) option.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function close() {
      setActive(-1);
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function open() {
      if (!options.length) return;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function clear() {
      close();
      options = [];
      shownFor = null;
      list.textContent = "";
    }

    function go(option) {
      var url = option && sameOrigin(option.getAttribute("data-url"));
      if (!url) return;
      close();
      window.location.assign(url);
    }

    function render(query, results) {
      list.textContent = "";
      options = [];
      active = -1;
      input.removeAttribute("aria-activedescendant");
      shownFor = query;
      TYPES.forEach(function (type) {
        var items = results.filter(function (item) {
          return item && item.type === type && item.label && sameOrigin(item.url);
        });
        if (!items.length) return;
        var group = document.createElement("ul");
        var groupId = listId + "-" + type;
        group.className = "autocomplete-group";
        group.setAttribute("role", "group");
        group.setAttribute("aria-labelledby", groupId);
        var heading = document.createElement("li");
        heading.id = groupId;
        heading.className = "autocomplete-group-label";
        heading.setAttribute("role", "presentation");
        heading.textContent = label(type);
        group.appendChild(heading);
        items.forEach(function (item) {
          var option = document.createElement("li");
          option.id = listId + "-option-" + options.length;
          option.className = "autocomplete-option autocomplete-" + type;
          option.setAttribute("role", "option");
          option.setAttribute("aria-selected", "false");
          option.setAttribute("data-url", item.url);
          var text = document.createElement("span");
          text.className = "autocomplete-label";
          text.textContent = item.label;
          option.appendChild(text);
          if (item.detail) {
            var detail = document.createElement("span");
            detail.className = "autocomplete-detail";
            detail.textContent = item.detail;
            option.appendChild(detail);
          }
          group.appendChild(option);
          options.push(option);
        });
        list.appendChild(group);
      });
      if (options.length) {
        open();
        status.textContent = input.getAttribute("data-status-results") || "";
      } else {
        close();
        status.textContent = input.getAttribute("data-status-none") || "";
      }
    }

    function fetchSuggestions(query) {
      if (cache.has(query)) {
        render(query, cache.get(query));
        return;
      }
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      var url = new URL(endpoint, window.location.href);
      url.searchParams.set("q", query);
      window.fetch(url.href, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (data) {
          var results = data && Array.isArray(data.results) ? data.results : [];
          if (cache.size > 50) cache.clear();
          cache.set(query, results);
          if (input.value.trim() === query) render(query, results);
        })
        .catch(function () {
          // Aborted (the user typed on) or failed: suggestions are optional, say nothing.
          if (input.value.trim() === query) clear();
        });
    }

    input.addEventListener("input", function () {
      var query = input.value.trim();
      window.clearTimeout(timer);
      if (query.length < MIN_CHARS) {
        if (controller) controller.abort();
        clear();
        status.textContent = "";
        return;
      }
      timer = window.setTimeout(function () { fetchSuggestions(query); }, DEBOUNCE_MS);
    });

    input.addEventListener("keydown", function (event) {
      if (event.altKey && event.key === "ArrowDown") {
        open();
        return;
      }
      switch (event.key) {
        case "ArrowDown":
          if (!options.length) return;
          event.preventDefault();
          if (list.hidden) open();
          setActive(active + 1 < options.length ? active + 1 : 0);
          break;
        case "ArrowUp":
          if (!options.length) return;
          event.preventDefault();
          if (list.hidden) open();
          setActive(active > 0 ? active - 1 : options.length - 1);
          break;
        case "Enter":
          if (!list.hidden && active >= 0) {
            event.preventDefault();
            go(options[active]);
          } else {
            close(); // no option chosen: the form submits as usual
          }
          break;
        case "Escape":
          if (!list.hidden) {
            event.preventDefault();
            close();
          }
          break;
        case "Tab":
          close();
          break;
        default:
          break;
      }
    });

    input.addEventListener("focus", function () {
      if (options.length && shownFor === input.value.trim()) open();
    });

    // Keep focus in the input while clicking in the list, so the click lands.
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    list.addEventListener("click", function (event) {
      var option = event.target.closest ? event.target.closest("[role=option]") : null;
      if (option) go(option);
    });

    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) close();
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 0); });
    window.addEventListener("pageshow", close); // back from a suggestion: start closed
  }

  var FOCUS_KEY = "ocop-facet-focus";

  function setupAutoSubmit(form) {
    var button = form.querySelector("[data-auto-submit-button]");
    var hint = form.querySelector("[data-auto-submit-hint]");
    if (hint) hint.hidden = false;
    if (button) button.hidden = true;

    form.addEventListener("change", function (event) {
      var box = event.target;
      if (!box || box.type !== "checkbox") return;
      try {
        window.sessionStorage.setItem(FOCUS_KEY, JSON.stringify([box.name, box.value]));
      } catch (error) { /* private mode: focus is simply not restored */ }
      form.classList.add("is-loading");
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    });

    // Back on the page after an auto-submit: put focus where it was, inside opened <details>.
    var saved = null;
    try {
      saved = JSON.parse(window.sessionStorage.getItem(FOCUS_KEY) || "null");
      window.sessionStorage.removeItem(FOCUS_KEY);
    } catch (error) { saved = null; }
    if (!saved || !window.CSS || !CSS.escape) return;
    var box = form.querySelector(
      'input[name="' + CSS.escape(saved[0]) + '"][value="' + CSS.escape(saved[1]) + '"]'
    );
    if (!box) return;
    for (var node = box.parentElement; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
    }
    box.focus();
  }

  // On wide screens the facet panel is a sidebar, always open (CSS does it where
  // ::details-content is supported; this covers the other browsers).
  function setupFacetPanel(details) {
    if (!window.matchMedia) return;
    var wide = window.matchMedia("(min-width: 56rem)");
    function sync() { if (wide.matches) details.open = true; }
    sync();
    if (wide.addEventListener) wide.addEventListener("change", sync);
  }

  function init() {
    document.querySelectorAll("input[data-autocomplete-url]").forEach(setupAutocomplete);
    document.querySelectorAll("form[data-auto-submit]").forEach(setupAutoSubmit);
    document.querySelectorAll("details[data-facets]").forEach(setupFacetPanel);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
