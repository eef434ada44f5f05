"""The admin screen of personal-data requests, "Yêu cầu dữ liệu cá nhân" (registered from
shop.wagtail_hooks), for national admins only: anyone else gets a 403 and changes nothing.

  /admin/yeu-cau-du-lieu/               every request (`DataRequest`), newest first, with its 72-hour target
                                        and "Quá hạn" on open ones past it; filters "chưa xong", "quá hạn"
  /admin/yeu-cau-du-lieu/<pk>/          one request, and the step open on it
  /admin/yeu-cau-du-lieu/<pk>/thao-tac/ POST "Đánh dấu đã xử lý" (with a note) on an open request

Exports and deletions done online close themselves; what stays open is what staff answer by hand
(a guest who never opened the e-mailed link, a request by telephone), with a required note of how,
kept on the request.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin import messages

from catalog import roles
from catalog.admin_scope import ScreenMenuItem, screen_urls
from shop.models import DataRequest

INDEX = "shop_data_requests"
DETAIL = "shop_data_requests_detail"
ACTION = "shop_data_requests_action"
PER_PAGE = 50
NOTE_MAX = 500
OPEN, OVERDUE = "chua-xong", "qua-han"
FILTERS = [(OPEN, gettext_lazy("Chưa xong")), (OVERDUE, gettext_lazy("Quá hạn"))]


def _allowed(user) -> bool:
    return roles.is_national_admin(user)


def _found(request, pk) -> DataRequest:
    if not _allowed(request.user):
        raise PermissionDenied
    return get_object_or_404(DataRequest.objects.select_related("user"), pk=pk)


def index_view(request):
    if not _allowed(request.user):
        raise PermissionDenied
    now = timezone.now()
    status = request.GET.get("trang-thai", "")
    listed = DataRequest.objects.select_related("user")
    if status == OPEN:
        listed = listed.filter(done_at__isnull=True)
    elif status == OVERDUE:
        listed = listed.filter(done_at__isnull=True, due_by__lt=now)
    else:
        status = ""
    page = Paginator(listed.order_by("-created_at", "-pk"), PER_PAGE).get_page(request.GET.get("p"))
    return render(request, "shop/admin/data_requests.html", {
        "page": page, "statuses": FILTERS, "status": status, "now": now,
        "overdue_count": DataRequest.objects.filter(done_at__isnull=True, due_by__lt=now).count(),
    })


def detail_view(request, pk):
    found = _found(request, pk)
    return render(request, "shop/admin/data_request_detail.html", {
        "item": found, "now": timezone.now(), "note_max": NOTE_MAX,
    })


@require_POST
def action_view(request, pk):
    found = _found(request, pk)
    note = (request.POST.get("note") or "").strip()
    if request.POST.get("action") != "done":
        messages.error(request, _("Thao tác không hợp lệ."))
    elif found.done_at is not None:
        messages.error(request, _("Yêu cầu này đã được xử lý rồi."))
    elif not note:
        messages.error(request, _("Hãy ghi chú đã xử lý thế nào (ví dụ: đã gửi dữ liệu qua email, đã xoá)."))
    elif len(note) > NOTE_MAX:
        messages.error(request, _("Ghi chú dài tối đa %(count)s ký tự.") % {"count": NOTE_MAX})
    elif DataRequest.objects.filter(pk=found.pk, done_at__isnull=True).update(done_at=timezone.now(), note=note):
        messages.success(request, _("Đã đánh dấu yêu cầu là đã xử lý."))
    else:  # closed by someone else (or by the guest's own step) a moment ago
        messages.error(request, _("Yêu cầu này đã được xử lý rồi."))
    return redirect(DETAIL, pk=found.pk)


@hooks.register("register_admin_urls")
def register_data_request_urls():
    return screen_urls("yeu-cau-du-lieu", (INDEX, DETAIL, ACTION), index_view, detail_view, action_view)


@hooks.register("register_admin_menu_item")
def data_requests_menu_item():
    return ScreenMenuItem(gettext_lazy("Yêu cầu dữ liệu cá nhân"), reverse(INDEX), name="data-requests",
                          icon_name="lock", order=257, shown_to=_allowed)
