"""Every admin registration of the catalogue: snippets (taxonomies, certificates, fairs, members,
officers), the certificate dashboard panel, the pages the chooser, page search and site summary show
(`admin_scope`), and the stock, invitation and import/export screens (their views live in
`stock_screen`, `onboarding` and `import_views`)."""

from django.conf import settings
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet, SnippetViewSetGroup

from catalog import certificate_dashboard, identity_views, import_views, onboarding, roles, stock_screen
from catalog import question_admin  # noqa: F401 - "Hỏi đáp" (product questions): registers its hooks
from catalog import takedown_admin  # noqa: F401 - "Báo cáo vi phạm" and "Xử lý vi phạm": registers its hooks
from catalog.admin_scope import (
    EditedPagesSummaryItem,
    PageSearchView,
    ScopedSnippetViewSet,
    ScreenMenuItem,
    chooser_pages,
)
from catalog.models import Certificate, ProducerMember, ProductGroup, ProvinceOfficer, Standard, TradeFair
from catalog.validators import parse_id


class CertificateStatusColumn(Column):
    cell_template_name = "catalog/admin/certificate_status_cell.html"

    def get_value(self, instance):
        return instance


class CertificateCreateView(CreateView):
    """"Add certificate" from a product's edit page arrives with ?product=<id>: pre-select it."""

    def get_initial(self):
        initial = super().get_initial()
        if (product := parse_id(self.request.GET.get("product"))) is not None:
            initial["product"] = product
        return initial


class CertificateViewSet(ScopedSnippetViewSet):
    model = Certificate
    add_view_class = CertificateCreateView
    icon = "success"
    menu_label = _("Chứng nhận OCOP")
    list_display = [
        "product", "stars", "decision_number", "decision_date", "expires_on",
        CertificateStatusColumn("status", label=_("Trạng thái")),
    ]
    list_filter = ["stars", "level"]
    ordering = ["expires_on"]
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("product")


class ProductGroupViewSet(SnippetViewSet):
    model = ProductGroup
    icon = "folder-open-inverse"
    list_display = ["code", "name", "name_en"]


class StandardViewSet(SnippetViewSet):
    model = Standard
    icon = "tick-inverse"
    list_display = ["name", "description"]


class TradeFairViewSet(ScopedSnippetViewSet):
    model = TradeFair
    icon = "date"
    menu_label = _("Hội chợ, phiên chợ")
    list_display = [
        "title",
        Column("date_range", label=_("Thời gian"), sort_key="starts_on"),
        "province",
        "kind",
        "published",
    ]
    list_filter = ["kind", "province", "published", "starts_on"]
    ordering = ["-starts_on"]
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("province")


class CatalogViewSetGroup(SnippetViewSetGroup):
    items = (CertificateViewSet, ProductGroupViewSet, StandardViewSet, TradeFairViewSet)
    menu_icon = "folder-inverse"
    menu_label = _("Danh mục OCOP")
    menu_name = "ocop-catalog"


register_snippet(CatalogViewSetGroup)


class ProducerMemberViewSet(ScopedSnippetViewSet):
    """Who acts for which producer: officers see and manage their provinces' producers' members."""

    model = ProducerMember
    icon = "group"
    menu_label = _("Thành viên chủ thể")
    menu_name = "producer-members"
    add_to_settings_menu = True
    copy_view_enabled = False
    list_display = ["user", "producer", "created_at"]
    search_fields = ["user__username", "user__email", "user__first_name", "user__last_name", "producer__title"]
    search_backend_name = None


class ProvinceOfficerViewSet(SnippetViewSet):
    """Province officers: appointed by national admins (only they hold this model's permissions)."""

    model = ProvinceOfficer
    icon = "user"
    menu_label = _("Cán bộ OCOP tỉnh")
    menu_name = "province-officers"
    add_to_settings_menu = True
    copy_view_enabled = False
    list_display = ["user", "province", "created_at"]
    list_filter = ["province"]
    search_backend_name = None


register_snippet(ProducerMemberViewSet)
register_snippet(ProvinceOfficerViewSet)


class CertificateLifecyclePanel(Component):
    """Dashboard: per province in the user's scope, certificates expiring within the warning window
    and products whose certificate has lapsed (they show no stars any more)."""

    name = "certificate_lifecycle"
    order = 50
    template_name = "catalog/admin/certificate_lifecycle_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        return {
            "days": settings.OCOP_CERTIFICATE_WARNING_DAYS,
            "provinces": certificate_dashboard.by_province(self.user),
            "expiring": certificate_dashboard.expiring(self.user)[:20],
            "expired": certificate_dashboard.expired(self.user)[:20],
        }


@hooks.register("construct_homepage_panels")
def add_certificate_lifecycle_panel(request, panels):
    if roles.is_national_admin(request.user) or roles.is_officer(request.user) or roles.member_producer_ids(request.user):
        panels.append(CertificateLifecyclePanel(request.user))


# --- Pages seen outside the explorer (catalog.admin_scope) ------------------------------------------

hooks.register("construct_page_chooser_queryset", chooser_pages)


@hooks.register("register_admin_viewset", order=100)  # after Wagtail's base viewset, which this replaces
def page_search_viewset():
    return PageViewSet(search_view_class=PageSearchView)  # the search view is the base Page viewset's


@hooks.register("construct_homepage_summary_items", order=100)  # after Wagtail adds its page count
def scope_page_count(request, items):
    items[:] = [EditedPagesSummaryItem(request) if type(item) is PagesSummaryItem else item for item in items]


# --- Screens of our own ---------------------------------------------------------------------------

@hooks.register("register_admin_urls")
def register_screen_urls():
    return [
        path("ton-kho/", stock_screen.stock_view, name="catalog_stock"),
        path("moi-chu-the/", onboarding.invite_view, name="catalog_invite"),
        path("du-lieu/", import_views.data_view, name="catalog_data"),
        path("du-lieu/nhap/<str:token>/", import_views.preview_view, name="catalog_import_preview"),
        path("du-lieu/mau-nhap-chung-nhan.csv", import_views.template_view, name="catalog_import_template"),
        path("du-lieu/xuat/<slug:kind>.csv", import_views.export_view, name="catalog_export"),
    ]


@hooks.register("register_admin_menu_item")
def stock_menu_item():
    return ScreenMenuItem(_("Tồn kho"), reverse("catalog_stock"), icon_name="tasks", order=250,
                          shown_to=stock_screen.can_manage_stock)


@hooks.register("register_admin_menu_item")
def invite_menu_item():
    return ScreenMenuItem(_("Mời chủ thể"), reverse("catalog_invite"), icon_name="mail", order=255,
                          shown_to=onboarding.can_invite)


@hooks.register("register_admin_menu_item")
def data_menu_item():
    return ScreenMenuItem(_("Nhập & xuất dữ liệu"), reverse("catalog_data"), icon_name="download", order=260,
                          shown_to=import_views.can_export)


# "Xác minh chủ thể": province officers check producers' legal details (catalog.identity_views).
hooks.register("register_admin_urls", identity_views.admin_urls)
hooks.register("register_admin_menu_item", identity_views.menu_item)


@hooks.register("insert_global_admin_css")
def ocop_admin_css():
    """OCOP's logo in the sidebar and on the sign-in page (a static file: no inline styles)."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<link rel="stylesheet" href="{}">', static("catalog/css/admin.css"))
