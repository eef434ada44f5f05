"""Campaign results in the admin: page views, add-to-carts, orders, revenue and top products per
campaign, a chart, and a CSV export.

Scope (catalog.roles): national admins see every campaign; province officers see their provinces'
campaigns only (national ones are not theirs); everyone else is refused (403).

Orders and revenue come from the order lines a campaign discounted, on orders not cancelled;
revenue is what buyers paid for those lines (after the discount, before shipping).
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncDate
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from catalog import roles
from catalog.exports import csv_lines
from shop.models import OrderLine
from shop.order_rules import OrderStatus
from shop.promotions.models import CampaignDailyStat, CampaignPage

REPORTS = "shop_campaign_reports"  # the admin URL namespace (see shop.wagtail_hooks)
TOP = 10
NET = (F("unit_price") - F("unit_discount")) * F("quantity")


def may_see_reports(user) -> bool:
    return roles.is_national_admin(user) or roles.is_officer(user)


def visible_campaigns(user):
    """The campaigns `user` may see the results of; PermissionDenied for users without a role."""
    if not may_see_reports(user):
        raise PermissionDenied
    return roles.province_scoped(CampaignPage.objects.all(), user).select_related("province")


def campaign_for(user, pk) -> CampaignPage:
    campaign = get_object_or_404(CampaignPage.objects.select_related("province"), pk=pk)
    if not (may_see_reports(user) and roles.can_act_for_province(user, campaign.province_id)):
        raise PermissionDenied
    return campaign


def _sold_lines(campaign_ids):
    return OrderLine.objects.filter(campaign_id__in=campaign_ids).exclude(
        suborder__order__status=OrderStatus.CANCELLED)


def summaries(campaigns) -> list:
    """Each campaign with `views`, `add_to_carts`, `orders`, `units`, `revenue`, `discount` (a fixed
    number of queries for any number of campaigns)."""
    campaigns = list(campaigns)
    ids = [c.pk for c in campaigns]
    stats = {row["campaign_id"]: row for row in CampaignDailyStat.objects.filter(campaign_id__in=ids).values(
        "campaign_id").annotate(views=Sum("views"), add_to_carts=Sum("add_to_carts"))}
    sales = {row["campaign_id"]: row for row in _sold_lines(ids).values("campaign_id").annotate(
        orders=Count("suborder__order", distinct=True), units=Sum("quantity"), revenue=Sum(NET),
        discount=Sum(F("unit_discount") * F("quantity")))}
    for campaign in campaigns:
        stat, sale = stats.get(campaign.pk, {}), sales.get(campaign.pk, {})
        campaign.views = stat.get("views") or 0
        campaign.add_to_carts = stat.get("add_to_carts") or 0
        campaign.orders = sale.get("orders") or 0
        campaign.units = sale.get("units") or 0
        campaign.revenue = sale.get("revenue") or 0
        campaign.discount = sale.get("discount") or 0
    return campaigns


def top_products(campaign, limit=TOP) -> list[dict]:
    """Best sellers by revenue: product title, units, orders, revenue."""
    return list(_sold_lines([campaign.pk]).values("product_title").annotate(
        units=Sum("quantity"), orders=Count("suborder__order", distinct=True), revenue=Sum(NET),
    ).order_by("-revenue", "product_title")[:limit])


def daily(campaign) -> list[dict]:
    """One row per day from the campaign's start to its end (or today): views, add-to-carts, orders, revenue."""
    rows = {}
    for stat in CampaignDailyStat.objects.filter(campaign=campaign):
        rows[stat.day] = {"views": stat.views, "add_to_carts": stat.add_to_carts, "orders": 0, "revenue": 0}
    sales = _sold_lines([campaign.pk]).annotate(day=TruncDate("suborder__order__created_at")).values("day").annotate(
        orders=Count("suborder__order", distinct=True), revenue=Sum(NET))
    for sale in sales:
        row = rows.setdefault(sale["day"], {"views": 0, "add_to_carts": 0, "orders": 0, "revenue": 0})
        row.update(orders=sale["orders"], revenue=sale["revenue"] or 0)
    first = timezone.localtime(campaign.starts_at).date()
    last = min(timezone.localtime(campaign.ends_at).date(), max(timezone.localdate(), first))
    days = set(rows)
    if (last - first).days <= 120:
        days |= {first + datetime.timedelta(days=n) for n in range((last - first).days + 1)}
    empty = {"views": 0, "add_to_carts": 0, "orders": 0, "revenue": 0}
    return [{"day": day, **rows.get(day, empty)} for day in sorted(days)]


class CampaignReportIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "shop/admin/campaign_report_index.html"
    header_icon = "tag"

    def get_page_title(self):
        return _("Kết quả khuyến mãi")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaigns = summaries(visible_campaigns(self.request.user).order_by("-starts_at", "-pk"))
        context.update(campaigns=campaigns, now=timezone.now())
        return context


class CampaignReportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "shop/admin/campaign_report.html"
    header_icon = "tag"

    def dispatch(self, request, *args, **kwargs):
        self.campaign = campaign_for(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Kết quả: %(title)s") % {"title": self.campaign.title}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(f"{REPORTS}:index"), "label": _("Kết quả khuyến mãi")},
            {"url": "", "label": self.campaign.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = summaries([self.campaign])[0]
        days = daily(campaign)
        top = top_products(campaign)
        context.update(
            campaign=campaign, days=days, top=top,
            views_chart=[(f"{row['day']:%d/%m}", row["views"]) for row in days
                         if row["views"] or row["orders"] or row["add_to_carts"]][-21:],
            top_chart=[(row["product_title"], row["revenue"]) for row in top],
            csv_url=reverse(f"{REPORTS}:csv", args=[campaign.pk]),
        )
        return context


def report_csv(request, pk):
    """The campaign's results as CSV (the catalogue's writer: UTF-8 with BOM, so spreadsheet programs
    read the diacritics): the summary, then one row per day, then the best sellers."""
    campaign = summaries([campaign_for(request.user, pk)])[0]
    response = HttpResponse(b"".join(csv_lines(*report_rows(campaign))), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ket-qua-khuyen-mai-{campaign.slug}.csv"'
    return response


def report_rows(campaign):
    """(header, rows) of the report's CSV; sections are separated by an empty row."""
    header = [_("Chương trình"), _("Tỉnh/thành phố"), _("Bắt đầu"), _("Kết thúc"), _("Mã giảm giá"),
              _("Lượt xem trang"), _("Lượt thêm vào giỏ"), _("Số đơn hàng"), _("Số sản phẩm bán"),
              _("Doanh thu (đồng)"), _("Tiền giảm (đồng)")]
    rows = [
        [campaign.title, campaign.province.name if campaign.province else _("Toàn quốc"),
         f"{timezone.localtime(campaign.starts_at):%Y-%m-%d %H:%M}",
         f"{timezone.localtime(campaign.ends_at):%Y-%m-%d %H:%M}", campaign.voucher_code,
         campaign.views, campaign.add_to_carts, campaign.orders, campaign.units, campaign.revenue, campaign.discount],
        [],
        [_("Ngày"), _("Lượt xem trang"), _("Lượt thêm vào giỏ"), _("Số đơn hàng"), _("Doanh thu (đồng)")],
        *([f"{row['day']:%Y-%m-%d}", row["views"], row["add_to_carts"], row["orders"], row["revenue"]]
          for row in daily(campaign)),
        [],
        [_("Sản phẩm bán chạy"), _("Số lượng"), _("Số đơn hàng"), _("Doanh thu (đồng)")],
        *([row["product_title"], row["units"], row["orders"], row["revenue"]] for row in top_products(campaign)),
    ]
    return header, rows
