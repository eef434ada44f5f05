"""Admin registration for site-wide models: OCOP targets that officers enter per province and year; the
report of failed sign-ins for national admins (its view: `storefront.security`)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet

from catalog import roles
from catalog.admin_scope import ScopedSnippetViewSet, ScreenMenuItem

from storefront import security
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


@hooks.register("register_admin_urls")
def register_security_urls():
    return [path("dang-nhap-that-bai/", security.failed_logins, name="storefront_failed_logins")]


@hooks.register("register_admin_menu_item")
def failed_logins_menu_item():
    return ScreenMenuItem(_("Đăng nhập thất bại"), reverse("storefront_failed_logins"), icon_name="warning",
                          order=900, shown_to=roles.is_national_admin)  # the view checks again
