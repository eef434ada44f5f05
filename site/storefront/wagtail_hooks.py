"""Admin registration for site-wide models: OCOP targets that officers enter per province and year."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet

from catalog.admin_scope import ScopedSnippetViewSet

from storefront.figures import with_progress
from storefront.models import ProvinceTarget


class ProvinceTargetViewSet(ScopedSnippetViewSet):
    model = ProvinceTarget
    icon = "pick"
    menu_label = _("Chỉ tiêu OCOP")
    add_to_admin_menu = True
    menu_order = 260
    list_display = [
        "province", "year", "min_stars", "new_products",
        Column("achieved", label=_("Đã đạt")),
        "note",
    ]
    list_filter = ["year", "min_stars", "province"]
    ordering = ["-year", "province__short_name", "min_stars"]
    list_per_page = 50

    def get_queryset(self, request):
        return with_progress(super().get_queryset(request).select_related("province"))


register_snippet(ProvinceTargetViewSet)
