// Address form: when the province changes, load its communes into the second drop-down.
(function () {
  var form = document.querySelector("[data-checkout]");
  if (!form) return;
  var province = form.querySelector('select[name="province"]');
  var commune = form.querySelector('select[name="commune"]');
  if (!province || !commune) return;
  province.addEventListener("change", function () {
    var placeholder = commune.options[0] ? commune.options[0].cloneNode(true) : null;
    commune.innerHTML = "";
    if (placeholder) { placeholder.value = ""; commune.appendChild(placeholder); }
    if (!province.value) return;
    fetch(form.dataset.communesUrl + "?tinh=" + encodeURIComponent(province.value), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { communes: [] }; })
      .then(function (data) {
        data.communes.forEach(function (item) {
          var option = document.createElement("option");
          option.value = item.id;
          option.textContent = item.name;
          commune.appendChild(option);
        });
      });
  });
})();
