// Address forms (checkout, saved addresses, producer sign-up): when the province changes, load its
// communes into the second drop-down, and let the buyer filter that long list by typing.
// At checkout (data-quote-url), ask the server for the fee and total as soon as the province,
// commune or delivery method changes; the server computes every figure, this only shows them.
// Without JavaScript the form's "Cập nhật" button re-renders the page with the same figures.
(function () {
  "use strict";
  var form = document.querySelector("[data-checkout]");
  if (!form || !window.fetch) return;
  var province = form.querySelector('select[name="province"]');
  var commune = form.querySelector('select[name="commune"]');
  if (!province || !commune) return;

  // --- The commune list, filterable ---------------------------------------------------------
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }
  var placeholder = commune.options[0] && !commune.options[0].value ? commune.options[0].cloneNode(true) : null;
  var places = [];  // every commune of the province: {value, label, key}
  function remember() {
    places = Array.prototype.filter.call(commune.options, function (option) { return option.value; })
      .map(function (option) { return { value: option.value, label: option.textContent, key: fold(option.textContent) }; });
  }
  function render(query) {
    var chosen = commune.value;
    var wanted = fold(query || "").trim();
    commune.innerHTML = "";
    if (placeholder) commune.appendChild(placeholder.cloneNode(true));
    places.forEach(function (place) {
      if (wanted && place.key.indexOf(wanted) === -1 && place.value !== chosen) return;
      var option = document.createElement("option");
      option.value = place.value;
      option.textContent = place.label;
      if (place.value === chosen) option.selected = true;
      commune.appendChild(option);
    });
  }
  remember();
  // A filter box above the list, on forms that name it (data-filter-label), e.g. the checkout.
  var filterLabel = form.getAttribute("data-filter-label");
  var filter = document.createElement("input");
  filter.type = "search";
  filter.className = "place-filter";
  filter.autocomplete = "off";
  filter.placeholder = filterLabel || "";
  filter.setAttribute("aria-label", filterLabel || "");
  filter.setAttribute("aria-controls", commune.id);
  filter.hidden = places.length === 0;
  if (filterLabel) commune.parentNode.insertBefore(filter, commune);
  filter.addEventListener("input", function () {
    render(filter.value);
    // One match left: choose it, so a phone user can type "ba dinh" and go on.
    var real = Array.prototype.filter.call(commune.options, function (option) { return option.value; });
    if (real.length === 1 && commune.value !== real[0].value) {
      commune.value = real[0].value;
      commune.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });

  province.addEventListener("change", function () {
    places = [];
    filter.value = "";
    commune.value = "";
    render("");
    filter.hidden = true;
    if (!province.value) { quote(); return; }
    fetch(form.dataset.communesUrl + "?tinh=" + encodeURIComponent(province.value), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { communes: [] }; })
      .then(function (data) {
        places = data.communes.map(function (item) { return { value: String(item.id), label: item.label || item.name, key: fold(item.label || item.name) }; });
        render("");
        filter.hidden = places.length === 0;
      });
    quote();
  });

  // --- The checkout summary, computed by the server -----------------------------------------
  var quoteUrl = form.getAttribute("data-quote-url");
  if (!quoteUrl) return;
  var recalculate = form.querySelector("[data-recalculate]");
  if (recalculate) recalculate.hidden = true;  // figures follow the choices by themselves now
  var latest = 0;
  function set(name, text, shown) {
    form.querySelectorAll('[data-quote="' + name + '"], [data-quote-row="' + name + '"]').forEach(function (node) {
      if (node.hasAttribute("data-quote")) node.textContent = text;
      node.hidden = !shown;
    });
  }
  function showChanges(changes) {
    var note = form.querySelector("[data-quote-changes]");
    if (!note) {
      note = document.createElement("div");
      note.className = "alert alert-warning";
      note.setAttribute("data-quote-changes", "");
      var summary = form.querySelector("aside.summary dl");
      if (summary) summary.parentNode.insertBefore(note, summary);
    }
    note.innerHTML = "";
    changes.forEach(function (change) {
      var line = document.createElement("p");
      line.textContent = change;
      note.appendChild(line);
    });
    note.hidden = changes.length === 0;
  }
  function quote() {
    var method = form.querySelector('input[name="delivery_method"]:checked');
    var params = "province=" + encodeURIComponent(province.value) + "&commune=" + encodeURIComponent(commune.value) +
      "&delivery_method=" + encodeURIComponent(method ? method.value : "");
    var ticket = ++latest;
    form.setAttribute("aria-busy", "true");
    fetch(quoteUrl + "?" + params, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (ticket !== latest || data.error) return;
        set("subtotal", data.display.subtotal, true);
        if (data.discount) set("discount", data.display.discount, true);
        set("shipping_fee", data.display.shipping_fee, true);
        set("total", data.display.total, data.total !== null);
        showChanges(data.changes || []);
      })
      .catch(function () { if (recalculate) recalculate.hidden = false; })  // the button still works
      .then(function () { if (ticket === latest) form.removeAttribute("aria-busy"); });
  }
  commune.addEventListener("change", quote);
  form.querySelectorAll('input[name="delivery_method"]').forEach(function (radio) {
    radio.addEventListener("change", quote);
  });
})();
