"""The admin screens of shop.transfers, registered from shop.wagtail_hooks.

"Chuyển khoản chưa khớp" (/admin/chuyen-khoan-chua-khop/): the transfers a notification service
told us of that paid no order by themselves. The staff who see the order screens (and national
admins) assign one to the order it pays, or record that it went back to its sender; producers
and province officers get a 403. Every change goes through `shop.transfers.notices`.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin import messages

from catalog import roles
from catalog.admin_scope import ScreenMenuItem
from shop.admin_views import deny_with_403, is_order_staff
from shop.models import PaymentNotice
from shop.transfers import notices

UNMATCHED = "shop_transfers_unmatched"
PER_PAGE = 50
RECENTLY_HANDLED = 20


def may_handle_transfers(user) -> bool:
    return roles.is_national_admin(user) or is_order_staff(user)


def _staff_only(request):
    if not may_handle_transfers(request.user):
        raise PermissionDenied


def unmatched_view(request):
    _staff_only(request)
    page = Paginator(notices.unmatched(), PER_PAGE).get_page(request.GET.get("p"))
    for notice in page:
        notice.suggested = notice.order.number if notice.order_id else next(iter(notices.order_numbers(notice.message)), "")
    handled = (PaymentNotice.objects.filter(outcome__in=[PaymentNotice.Outcome.ASSIGNED, PaymentNotice.Outcome.REFUNDED])
               .select_related("order", "handled_by").order_by("-handled_at", "-pk")[:RECENTLY_HANDLED])
    return render(request, "shop/transfers/unmatched.html", {"page": page, "handled": handled})


@require_POST
def assign_view(request, pk):
    _staff_only(request)
    try:
        notice = notices.assign(pk, request.POST.get("order", ""), user=request.user, note=request.POST.get("note", ""))
    except notices.NoticeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã gán khoản chuyển %(reference)s cho đơn %(number)s: đơn đã thanh toán.") % {
            "reference": notice.reference, "number": notice.order.number})
    return redirect(UNMATCHED)


@require_POST
def refund_view(request, pk):
    _staff_only(request)
    try:
        notice = notices.refund(pk, user=request.user, note=request.POST.get("note", ""))
    except notices.NoticeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã ghi nhận hoàn lại khoản chuyển %(reference)s cho người chuyển.") % {
            "reference": notice.reference})
    return redirect(UNMATCHED)


@hooks.register("register_admin_urls")
def register_transfer_urls():
    return [
        path("chuyen-khoan-chua-khop/", deny_with_403(unmatched_view), name=UNMATCHED),
        path("chuyen-khoan-chua-khop/<int:pk>/gan-don/", deny_with_403(assign_view), name="shop_transfers_assign"),
        path("chuyen-khoan-chua-khop/<int:pk>/hoan-tien/", deny_with_403(refund_view), name="shop_transfers_refund"),
    ]


@hooks.register("register_admin_menu_item")
def unmatched_menu_item():
    return ScreenMenuItem(gettext_lazy("Chuyển khoản chưa khớp"), reverse(UNMATCHED), name="unmatched-transfers",
                          icon_name="warning", order=251, shown_to=may_handle_transfers)  # beside "Đơn hàng"
