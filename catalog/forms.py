"""Admin forms that keep each role inside its own province. Models name them by path
(`catalog.admin_form.FormByPath`), so the models never import this module."""

from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from catalog import roles
from catalog.widgets import CommuneSelect, LongSelect


class CommuneSelectMixin:
    """A `commune` field is drawn as a CommuneSelect, whose script narrows it to the chosen province."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if (field := self.fields.get("commune")) is not None:
            field.widget = CommuneSelect(attrs=field.widget.attrs, choices=field.choices)
            field.widget.is_required = field.required


class ProducerPageForm(CommuneSelectMixin, WagtailAdminPageForm):
    """Officers keep producers in their own provinces; producers cannot move themselves to another
    province (that would hand their listings to another province's officers)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if (field := self.fields.get("legacy_district")) is not None:  # 696 options, each naming its old province
            field.queryset = field.queryset.select_related("legacy_province")
            field.widget = LongSelect(attrs=field.widget.attrs, choices=field.choices)
            field.widget.is_required = field.required

    def clean(self):
        cleaned = super().clean()
        user, chosen = self.for_user, cleaned.get("province")
        if user is None or chosen is None or roles.is_national_admin(user):
            return cleaned
        allowed = set(roles.officer_province_ids(user))
        if self.instance.pk and self.instance.pk in roles.member_producer_ids(user):
            allowed.add(self.instance.province_id)
        if chosen.pk not in allowed:
            self.add_error("province", _("Bạn chỉ được chọn tỉnh/thành phố mình phụ trách."))
        return cleaned


class ProductPageForm(WagtailAdminPageForm):
    """A product's editor: each sub-group option names its group, read with it (else one query per
    option, twice: 51 of the editor's 93 queries). Wired by `ProductPage.base_form_class`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if (field := self.fields.get("subgroup")) is not None:
            field.queryset = field.queryset.select_related("group")


class ScopedModelForm(CommuneSelectMixin, WagtailAdminModelForm):
    """A snippet form for a model with an `ocop_scope`: a province field offers only the user's
    provinces, and the row must end up owned inside the user's scope."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is not None and "province" in self.fields and not roles.is_national_admin(user):
            field = self.fields["province"]
            field.queryset = field.queryset.filter(pk__in=roles.officer_province_ids(user))
            field.required = True

    def clean(self):
        cleaned = super().clean()
        scope, user = self._meta.model.ocop_scope, self.for_user
        first = scope.path.split("__")[0]
        if user is not None and first in self.fields and first not in self.errors:
            if not scope.allows(user, scope.owner(cleaned.get(first))):
                self.add_error(first, _("Mục này ngoài phạm vi bạn phụ trách."))
        return cleaned
