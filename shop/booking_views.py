"""Bookings in the Wagtail admin ("Đặt chỗ", registered in `shop.wagtail_hooks`): the coming days
with each booking and the places left per date, a form to set or close a date's places, and the
host's check page that a booking's QR code opens.

Scoped with `catalog.roles`: a producer's members see its own bookings, a province's officers
those of their province's producers, national admins all; anyone else gets a 403, and an offer
outside one's scope a 404.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from catalog import roles
from catalog.models import ProductVariant
from catalog.models.products import BOOKABLE_GROUP
from shop import bookings
from shop.admin_views import is_order_staff
from shop.models import BookingSlot, OrderLine
from shop.order_rules import RELEASES_STOCK

BOOKINGS = "shop_bookings"  # URL namespace
DAYS = 14


def may_see_bookings(user) -> bool:
    return bool(roles.is_national_admin(user) or roles.officer_province_ids(user) or roles.member_producer_ids(user))


def bookable_variants(user):
    """The bookable offers `user` may see (PermissionDenied for users with no role)."""
    if not may_see_bookings(user):
        raise PermissionDenied
    variants = ProductVariant.objects.filter(product__group__slug=BOOKABLE_GROUP).select_related("product")
    return roles.scoped(variants, user, "product__producer").order_by("product__title", "sort_order", "pk")


def _start(raw) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw)
    except (TypeError, ValueError):
        return timezone.localdate()


class BookingDaysView(WagtailAdminTemplateMixin, TemplateView):
    """The next two weeks, day by day: each offer's places left and its bookings."""

    template_name = "shop/admin/bookings.html"
    header_icon = "date"
    page_title = gettext_lazy("Đặt chỗ theo ngày")

    def dispatch(self, request, *args, **kwargs):
        self.variants = list(bookable_variants(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        start = _start(self.request.GET.get("tu"))
        dates = [start + datetime.timedelta(days=n) for n in range(DAYS)]
        slots = {(slot.variant_id, slot.date): slot for slot in BookingSlot.objects.filter(
            variant__in=self.variants, date__in=dates)}
        lines = OrderLine.objects.filter(variant__in=self.variants, booking_date__in=dates).exclude(
            suborder__order__status__in=RELEASES_STOCK).select_related("suborder__order").order_by("booking_date", "pk")
        by_key = {}
        for line in lines:
            by_key.setdefault((line.variant_id, line.booking_date), []).append(line)
        days = []
        for date in dates:
            offers = []
            for variant in self.variants:
                slot = slots.get((variant.pk, date))
                capacity = slot.capacity if slot and slot.is_override else (variant.capacity_per_date or 0)
                booked = slot.booked if slot else 0
                offers.append({"variant": variant, "capacity": capacity, "booked": booked,
                               "left": max(capacity - booked, 0), "own": bool(slot and slot.is_override),
                               "lines": by_key.get((variant.pk, date), [])})
            days.append({"date": date, "offers": offers})
        context.update(days=days, variants=self.variants, start=start,
                       earlier=start - datetime.timedelta(days=DAYS), later=start + datetime.timedelta(days=DAYS),
                       here=self.request.get_full_path())
        return context


@require_POST
def set_capacity(request):
    """Set one date's places for an offer (0 closes the date; blank: back to the offer's default)."""
    variant = get_object_or_404(bookable_variants(request.user), pk=request.POST.get("variant") or 0)
    back = redirect(get_valid_next_url_from_request(request) or reverse(f"{BOOKINGS}:index"))
    try:
        date = datetime.date.fromisoformat(request.POST.get("date", ""))
    except ValueError:
        messages.error(request, _("Ngày không hợp lệ."))
        return back
    raw = request.POST.get("capacity", "").strip()
    try:
        capacity = int(raw) if raw else None
        if capacity is not None and not 0 <= capacity <= 10_000:
            raise ValueError
    except ValueError:
        messages.error(request, _("Số chỗ phải là số nguyên từ 0 đến 10000 (0 là đóng ngày này)."))
        return back
    bookings.set_capacity(variant, date, capacity)
    messages.success(request, _("Đã lưu số chỗ ngày %(date)s cho “%(name)s”.") % {
        "date": bookings.show_date(date), "name": variant.name})
    return back


class BookingCheckView(WagtailAdminTemplateMixin, TemplateView):
    """What a booking's QR code opens: the booking, for its host (the producer's members), its
    province's officers, national admins and order staff. A forged code is a 404."""

    template_name = "shop/admin/bookings_check.html"
    header_icon = "date"
    page_title = gettext_lazy("Kiểm tra đặt chỗ")

    def dispatch(self, request, *args, **kwargs):
        line_id = bookings.line_id_from_token(kwargs["token"])
        line = OrderLine.objects.filter(pk=line_id, booking_date__isnull=False).select_related(
            "suborder__order", "suborder__producer").first() if line_id else None
        if line is None:
            raise Http404
        if not (roles.can_manage_producer(request.user, line.suborder.producer) or is_order_staff(request.user)):
            raise PermissionDenied
        self.line = line
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order = self.line.suborder.order
        context.update(line=self.line, order=order, cancelled=order.status in RELEASES_STOCK,
                       days_url=reverse(f"{BOOKINGS}:index") + f"?tu={self.line.booking_date:%Y-%m-%d}")
        return context
