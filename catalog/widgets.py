"""Admin widgets for the catalogue."""

from django import forms

from catalog.models import Commune


class CommuneSelect(forms.Select):
    """A commune drop-down whose options carry their province, so the editor's script can show
    only the communes of the chosen province (3,321 in all)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._province_of = None

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value:
            if self._province_of is None:
                self._province_of = dict(Commune.objects.values_list("pk", "province_id"))
            option["attrs"]["data-province"] = self._province_of.get(int(str(value)), "")
        return option

    class Media:
        js = ["catalog/js/commune-filter.js"]
