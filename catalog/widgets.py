"""Admin widgets for the catalogue."""

import html

from django import forms
from django.utils.safestring import SafeData, mark_safe

from catalog.models import Commune


class LongSelect(forms.Select):
    """A drop-down with hundreds or thousands of options, drawn in Python with the markup of Django's
    select templates: through the option template, the 3,321 communes took 140 ms, and Wagtail's page
    editor draws every widget twice (in the form, and in the panel data for its scripts)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{escape(widget["name"])}"{_attributes(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            parts += [f'<optgroup label="{escape(group_name)}">'] if group_name else []
            parts += [f'<option value="{escape(option["value"])}"{_attributes(option["attrs"])}>'
                      f'{escape(option["label"])}</option>' for option in options]
            parts += ["</optgroup>"] if group_name else []
        return mark_safe("".join([*parts, "</select>"]))


def escape(value) -> str:
    """Django's `conditional_escape` without its lazy-string wrapper, which cost a third of a render."""
    return value if isinstance(value, SafeData) else html.escape(str(value))


def _attributes(attrs) -> str:
    """As django/forms/widgets/attrs.html: True is a bare attribute, False none."""
    return "".join(f" {key}" if value is True else f' {key}="{escape(value)}"'
                   for key, value in attrs.items() if value is not False)


class CommuneSelect(LongSelect):
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
