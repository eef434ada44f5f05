"""The admin screens of returns and complaints, "Đổi trả & khiếu nại" (registered from shop.wagtail_hooks).

  /admin/doi-tra/              the requests the user handles (`returns.visible_requests`): a producer's
                               members their own, a province's officers its escalated ones, staff and
                               national admins all; filter by status
  /admin/doi-tra/<pk>/         one request: parcel, photos, timeline, and the steps open to this user
  /admin/doi-tra/<pk>/thao-tac/  POST a step

The producer accepts or answers before `answer_by`; staff record the bank transfer of an accepted
refund on a cash or VietQR order; officers of the producer's province and national admins decide
escalated ones. A request outside the user's scope is a 403 (`deny_with_403`), like a user with no
part in returns at all. Every change goes through `shop.returns`.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin import messages

from catalog import roles
from catalog.admin_scope import ScreenMenuItem, object_in_scope, screen_urls
from shop import returns
from shop.admin_views import actor_name, is_order_staff
from shop.models import ReturnRequest
from shop.return_emails import ADMIN_DETAIL
from shop.return_views import parse_amount

INDEX = "shop_returns"
ACTION = "shop_returns_action"
PER_PAGE = 30
Status = ReturnRequest.Status


def may_see_returns(user) -> bool:
    return bool(roles.is_national_admin(user) or is_order_staff(user) or roles.member_producer_ids(user)
                or roles.is_officer(user))


def _in_scope(request, pk) -> ReturnRequest:
    return object_in_scope(request, ReturnRequest.objects.select_related(
        "suborder__order", "suborder__producer__province", "refund", "user"), pk,
        may_see=may_see_returns, visible=returns.visible_requests)


def index_view(request):
    if not may_see_returns(request.user):
        raise PermissionDenied
    listed = returns.visible_requests(request.user).select_related("suborder__order", "suborder__producer")
    status = request.GET.get("trang-thai", "")
    if status in Status.values:
        listed = listed.filter(status=status)
    page = Paginator(listed.order_by("-created_at", "-pk"), PER_PAGE).get_page(request.GET.get("p"))
    return render(request, "shop/returns/admin/index.html", {
        "page": page, "statuses": Status.choices, "status": status if status in Status.values else "",
    })


def detail_view(request, pk):
    found = _in_scope(request, pk)
    user, order, suborder = request.user, found.suborder.order, found.suborder
    events = list(found.events.select_related("actor"))
    for event in events:
        event.actor_name = actor_name(event)
    manual = order.payment_method in returns.MANUAL_METHODS
    return render(request, "shop/returns/admin/detail.html", {
        "request_": found, "order": order, "suborder": suborder, "lines": list(suborder.lines.all()),
        "photos": list(found.photos.all()), "events": events, "manual": manual,
        "can_answer": returns.is_member(user, found) and found.status == Status.OPEN and timezone.now() < found.answer_by,
        "can_record": returns.may_record_transfer(user) and found.status == Status.ACCEPTED
        and found.remedy == ReturnRequest.Remedy.REFUND,
        "can_decide": returns.may_decide(user, found) and found.status == Status.ESCALATED,
        "is_open": found.status == Status.OPEN, "default_amount": _default_amount(found),
        "order_url": reverse("shop_orders:detail", args=[order.pk]) if is_order_staff(user) else "",
    })


def _default_amount(found) -> int:
    """What a decision offers to refund: what the buyer asked, within what the parcel may still refund."""
    limit = returns.max_amount(found.suborder)
    return min(found.amount, limit) if found.amount else limit


@require_POST
def action_view(request, pk):
    found = _in_scope(request, pk)
    step, note, user = request.POST.get("action", ""), request.POST.get("note", ""), request.user
    try:
        if step == "accept":
            returns.accept(found.pk, actor=user, note=note)
            message = _("Đã đồng ý yêu cầu.")
        elif step == "answer":
            returns.answer(found.pk, actor=user, note=note)
            message = _("Đã gửi câu trả lời cho người mua.")
        elif step == "record":
            returns.record_transfer(found.pk, actor=user, reference=request.POST.get("reference", ""), note=note)
            message = _("Đã ghi nhận khoản hoàn tiền; yêu cầu đã đóng.")
        elif step in ("uphold", "reject"):
            try:
                amount = parse_amount(request.POST.get("amount", "")) if step == "uphold" else 0
            except ValueError as error:
                raise returns.ReturnError(str(error)) from None
            returns.decide(found.pk, actor=user, upheld=step == "uphold", note=note, amount=amount or 0,
                           reference=request.POST.get("reference", ""))
            message = _("Đã giải quyết yêu cầu.")
        else:
            raise returns.ReturnError(_("Thao tác không hợp lệ."))
    except returns.ReturnError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, message)
    return redirect(ADMIN_DETAIL, pk=found.pk)


@hooks.register("register_admin_urls")
def register_return_urls():
    return screen_urls("doi-tra", (INDEX, ADMIN_DETAIL, ACTION), index_view, detail_view, action_view)


@hooks.register("register_admin_menu_item")
def returns_menu_item():
    return ScreenMenuItem(gettext_lazy("Đổi trả & khiếu nại"), reverse(INDEX), name="returns", icon_name="rotate",
                          order=252, shown_to=may_see_returns)  # beside "Đơn hàng"
