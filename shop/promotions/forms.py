"""The campaign page's admin form (named by path on `CampaignPage`)."""

from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

from catalog import roles


class CampaignPageForm(WagtailAdminPageForm):
    """Officers run campaigns of their own provinces only; national admins may leave the province
    blank (a national campaign). A province's campaign covers only that province's products."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is not None and not roles.is_national_admin(user):
            mine = roles.officer_province_ids(user)
            for name in ("province", "rule_provinces"):
                if name in self.fields:
                    self.fields[name].queryset = self.fields[name].queryset.filter(pk__in=mine)
            if "province" in self.fields:
                self.fields["province"].required = True

    def clean(self):
        cleaned = super().clean()
        user, province = self.for_user, cleaned.get("province")
        if user is not None and "province" not in self.errors and not roles.can_act_for_province(
                user, province.pk if province else None):
            self.add_error("province", _("Bạn chỉ được tổ chức chương trình của tỉnh/thành phố mình phụ trách."))
        if province is not None:
            if any(p.pk != province.pk for p in cleaned.get("rule_provinces") or []):
                self.add_error("rule_provinces", _("Chương trình của %(province)s chỉ áp dụng cho sản phẩm của "
                                                   "tỉnh/thành phố này.") % {"province": province.name})
            outside = [p.title for p in cleaned.get("featured_products") or []
                       if p.producer_id is None or p.producer.province_id != province.pk]
            if outside:
                self.add_error("featured_products", _("Không thuộc %(province)s: %(products)s.") % {
                    "province": province.name, "products": ", ".join(outside)})
        return cleaned
