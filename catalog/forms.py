"""Admin forms that keep each role inside its own province. Models name them by path
(`catalog.admin_form.FormByPath`), so the models never import this module."""

from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from catalog import roles
from catalog.models.products import is_bookable_group
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
        if (field := self.fields.get("featured")) is not None and not self.may_feature():
            # A disabled field ignores what is posted: a forged POST keeps the current value.
            field.disabled = True
            field.help_text = _("Chỉ cán bộ OCOP của tỉnh và quản trị quốc gia được đổi mục này.")

    def clean(self):
        cleaned = super().clean()
        self.check_packs(cleaned.get("group"))
        return cleaned

    def check_packs(self, group):
        """Goods ship in parcels, so every pack needs its weight; a bookable service (community
        tourism) ships nothing and needs its places per date instead."""
        formset = self.formsets.get("variants") if hasattr(self, "formsets") else None
        if group is None or formset is None or not formset.is_valid():
            return
        bookable = is_bookable_group(group.pk)
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            if bookable and not data.get("capacity_per_date"):
                form.add_error("capacity_per_date", _("Dịch vụ du lịch cần số chỗ mỗi ngày (từ 1 trở lên)."))
            if not bookable and not data.get("weight_grams"):
                form.add_error("weight_grams", _("Hãy nhập khối lượng (g) để tính phí giao hàng."))

    def may_feature(self) -> bool:
        """Featuring on the home page is the province's call: its officers and national admins only."""
        user = self.for_user
        if user is None:
            return False
        if roles.is_national_admin(user):
            return True
        producer = self.instance.producer if self.instance.pk else getattr(self.parent_page, "specific", None)
        province_id = getattr(producer, "province_id", None)
        return province_id is not None and province_id in roles.officer_province_ids(user)


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
