"""Admin registration for the shop: "Đơn hàng" for staff, "Đơn của tôi" for producers, campaign
results, the sales panel of the dashboard, and the scope of campaign pages.

URLs (under /admin/):
  don-hang/                     staff: every order (filter, search)
  don-hang/<pk>/                staff: one order, its parcels, history and actions
  don-hang/<pk>/thao-tac/       staff: POST an order action
  don-cua-toi/                  producers: their own sub-orders
  don-cua-toi/<pk>/             producers (and staff): one sub-order
  don-cua-toi/<pk>/thao-tac/    producers (and staff): POST a step of a sub-order
"""

import datetime

from django.db.models import Count, F, Sum
from django.db.models.functions import Coalesce
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet

from catalog import exports as catalog_exports
from catalog import roles
from shop import admin_views, booking_views, exports
from shop.transfers import admin as transfers_admin  # noqa: F401 - registers its hooks
from shop import ledger_admin  # noqa: F401 - registers its hooks
from shop import return_admin  # noqa: F401 - registers its hooks
from shop import review_admin  # noqa: F401 - registers its hooks
from shop import data_request_admin  # noqa: F401 - registers its hooks
from shop.admin_views import ORDERS, SUBORDERS
from shop.admin_views import deny_with_403 as deny
from shop.models import Order, SubOrder
from shop.order_rules import UNDONE
from shop.promotions import access
from shop.promotions import report as campaign_report


class OrderViewSet(ModelViewSet):
    """List and detail only: an order changes through its actions, never through a form."""

    model = Order
    name = ORDERS
    url_prefix = "don-hang"
    icon = "clipboard-list"
    menu_label = _("Đơn hàng")
    menu_name = "orders"
    menu_order = 250
    add_to_admin_menu = True
    index_view_class = admin_views.OrderIndexView
    list_display = [
        "number",
        Column("buyer", label=_("Người mua"), accessor=lambda order: f"{order.name} · {order.phone}", sort_key="name"),
        StatusTagColumn("status", label=_("Trạng thái"), accessor="get_status_display", sort_key="status",
                        primary=lambda order: bool(order.staff_actions())),
        "payment_method",
        Column("total", label=_("Tổng cộng"), accessor=admin_views.total_in_dong, sort_key="total"),
        Column("created_at", label=_("Đặt lúc"), accessor=admin_views.placed_at, sort_key="created_at"),
    ]
    list_filter = ["status", "payment_method"]
    search_fields = ["number", "phone", "email"]
    search_backend_name = None
    ordering = "-created_at"
    list_per_page = 30
    copy_view_enabled = False
    add_to_reference_index = False
    exclude_form_fields = []

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            edit_url_name=self.get_url_name("detail"), add_url_name=None, delete_url_name=None,
            copy_url_name=None, history_url_name=None, usage_url_name=None, **kwargs)

    @property
    def url_finder_class(self):
        return type("OrderAdminURLFinder", (ModelAdminURLFinder,), {"edit_url_name": self.get_url_name("detail")})

    def get_urlpatterns(self):
        return [
            path("", deny(self.index_view), name="index"),
            path("results/", deny(self.index_results_view), name="index_results"),
            path("<int:pk>/", deny(admin_views.OrderDetailView.as_view()), name="detail"),
            path("<int:pk>/thao-tac/", deny(admin_views.order_action), name="action"),
        ]


class ProducerOrdersMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(admin_views.producer_ids(request.user))


class ProducerOrdersViewSet(ViewSet):
    name = SUBORDERS
    url_prefix = "don-cua-toi"
    icon = "tasks"
    menu_label = _("Đơn của tôi")
    menu_name = "my-suborders"
    menu_order = 240
    add_to_admin_menu = True
    menu_item_class = ProducerOrdersMenuItem

    def get_urlpatterns(self):
        index_kwargs = {"index_url_name": self.get_url_name("index"),
                        "index_results_url_name": self.get_url_name("index_results")}
        return [
            path("", deny(admin_views.SubOrderIndexView.as_view(**index_kwargs)), name="index"),
            path("results/", deny(admin_views.SubOrderIndexView.as_view(**index_kwargs, results_only=True)),
                 name="index_results"),
            path("<int:pk>/", deny(admin_views.SubOrderDetailView.as_view()), name="detail"),
            path("<int:pk>/thao-tac/", deny(admin_views.suborder_action), name="action"),
        ]


class CampaignReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return campaign_report.may_see_reports(request.user)


class CampaignReportViewSet(ViewSet):
    """Campaign results: national admins see every campaign, officers their provinces' ones."""

    name = campaign_report.REPORTS
    url_prefix = "ket-qua-khuyen-mai"
    icon = "tag"
    menu_label = _("Kết quả khuyến mãi")
    menu_name = "campaign-reports"
    menu_order = 260
    add_to_admin_menu = True
    menu_item_class = CampaignReportsMenuItem

    def get_urlpatterns(self):
        return [
            path("", deny(campaign_report.CampaignReportIndexView.as_view()), name="index"),
            path("<int:pk>/", deny(campaign_report.CampaignReportView.as_view()), name="detail"),
            path("<int:pk>/csv/", deny(campaign_report.report_csv), name="csv"),
        ]


class BookingsMenuItem(MenuItem):
    def is_shown(self, request):
        return booking_views.may_see_bookings(request.user)


class BookingsViewSet(ViewSet):
    """Stays and tours booked per day (producers: their own; officers: their province; national: all)."""

    name = booking_views.BOOKINGS
    url_prefix = "dat-cho"
    icon = "date"
    menu_label = _("Đặt chỗ")
    menu_name = "bookings"
    menu_order = 245
    add_to_admin_menu = True
    menu_item_class = BookingsMenuItem

    def get_urlpatterns(self):
        return [
            path("", deny(booking_views.BookingDaysView.as_view()), name="index"),
            path("so-cho/", deny(booking_views.set_capacity), name="capacity"),
            path("kiem-tra/<str:token>/", deny(booking_views.BookingCheckView.as_view()), name="check"),
        ]


@hooks.register("register_admin_viewset")
def register_order_viewsets():
    return [OrderViewSet(), ProducerOrdersViewSet(), CampaignReportViewSet(), BookingsViewSet()]


def _campaign_out_of_scope(request, page):
    """A province's campaign is edited by its officers and national admins only (`promotions.access`)."""
    return None if access.may_manage(request.user, page) else admin_views.forbidden(request)


@hooks.register("before_edit_page")
def campaign_edit_scope(request, page):
    return _campaign_out_of_scope(request, page)


@hooks.register("before_delete_page")
def campaign_delete_scope(request, page):
    return _campaign_out_of_scope(request, page)


@hooks.register("before_unpublish_page")
def campaign_unpublish_scope(request, page):
    return _campaign_out_of_scope(request, page)


class SalesPanel(Component):
    """Dashboard: sales of the producers in the user's scope (a producer its own, an officer its
    provinces', a national admin all), from sub-orders that were not cancelled or refunded."""

    name = "sales"
    order = 40
    template_name = "shop/admin/sales_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        today = timezone.localdate()
        suborders = roles.scoped(SubOrder.objects.all(), self.user, "producer").exclude(
            order__status__in=UNDONE)
        revenue = Sum((F("lines__unit_price") - F("lines__unit_discount")) * F("lines__quantity"))
        periods = []
        for label, since in ((_("30 ngày qua"), today - datetime.timedelta(days=29)),
                             (_("Từ đầu năm"), today.replace(month=1, day=1))):
            start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
            figures = suborders.filter(order__created_at__gte=start).aggregate(
                orders=Count("order", distinct=True), revenue=Coalesce(revenue, 0))
            periods.append({"label": label, **figures})
        top = (suborders.filter(order__created_at__gte=timezone.make_aware(
            datetime.datetime.combine(today.replace(month=1, day=1), datetime.time.min)))
            .values("producer__title").annotate(total=Coalesce(revenue, 0)).order_by("-total")[:5])
        return {"periods": periods, "top": top}


@hooks.register("construct_homepage_panels")
def add_sales_panel(request, panels):
    user = request.user
    if roles.is_national_admin(user) or roles.is_officer(user) or roles.member_producer_ids(user):
        panels.append(SalesPanel(user))


@hooks.register("construct_explorer_page_queryset")
def hide_other_provinces_campaigns(parent_page, pages, request):
    return access.explorer_pages(parent_page, pages, request.user)


# The orders export appears on the catalogue's "Nhập & xuất dữ liệu" screen.
catalog_exports.register("don-hang", exports.ORDERS_EXPORT)
