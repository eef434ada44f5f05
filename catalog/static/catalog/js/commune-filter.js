// Show only the communes of the chosen province in the producer form.
(function () {
  function bind(root) {
    var province = root.querySelector('select[name="province"]');
    var commune = root.querySelector('select[name="commune"]');
    if (!province || !commune || commune.dataset.filterBound) return;
    commune.dataset.filterBound = "1";
    function apply() {
      var chosen = province.value;
      Array.prototype.forEach.call(commune.options, function (option) {
        var own = option.getAttribute("data-province");
        option.hidden = Boolean(chosen && own && own !== chosen);
      });
      var selected = commune.options[commune.selectedIndex];
      if (selected && selected.hidden) commune.value = "";
    }
    province.addEventListener("change", apply);
    apply();
  }
  document.addEventListener("DOMContentLoaded", function () { bind(document); });
})();
