"""The admin screens of takedowns (registered from catalog.wagtail_hooks).

  /admin/bao-cao-vi-pham/               the queue: the reports this user decides (`takedowns.visible_reports`),
                                        open ones first by deadline, overdue ones flagged
  /admin/bao-cao-vi-pham/<pk>/          one report, the other reports on the same page, the producer's
                                        record, and the steps: hide / show again, decide, warn / suspend
  /admin/bao-cao-vi-pham/<pk>/thao-tac/ POST a step
  /admin/xu-ly-vi-pham/                 for producers' members: every decision about their pages and them

Producers' members never see the queue or who reported them. A report outside the user's provinces,
or a step that is not theirs, is a 403 and changes nothing. Every change goes through
`catalog.takedowns`.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, Value, When
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin import messages

from catalog import roles, takedowns
from catalog.admin_scope import ScreenMenuItem, deny_with_403, object_in_scope, screen_urls
from catalog.models import ListingAction, ListingReport, ProducerPage, ProductPage
from catalog.models.reports import NOTE_MAX

INDEX = "catalog_takedowns"
DETAIL = "catalog_takedowns_detail"
ACTION = "catalog_takedowns_action"
MINE = "catalog_takedowns_mine"
PER_PAGE = 30
Status = ListingReport.Status
Kind = ListingAction.Kind


def _in_scope(request, pk) -> ListingReport:
    return object_in_scope(request, ListingReport.objects.select_related(
        "producer__province", "product", "reporter", "decided_by"), pk,
        may_see=takedowns.may_see_queue, visible=takedowns.visible_reports)


def index_view(request):
    if not takedowns.may_see_queue(request.user):
        raise PermissionDenied
    status = request.GET.get("trang-thai", Status.OPEN)
    listed = takedowns.visible_reports(request.user).select_related("producer__province")
    if status in Status.values:
        listed = listed.filter(status=status)
    now = timezone.now()
    listed = listed.annotate(overdue=Case(When(status=Status.OPEN, due_by__lt=now, then=Value(True)),
                                          default=Value(False), output_field=BooleanField()))
    order = ("due_by", "pk") if status == Status.OPEN else ("-created_at", "-pk")
    page = Paginator(listed.order_by(*order), PER_PAGE).get_page(request.GET.get("p"))
    return render(request, "catalog/admin/takedowns_index.html", {
        "page": page, "status": status, "statuses": Status.choices,
        "overdue_count": takedowns.visible_reports(request.user).filter(status=Status.OPEN, due_by__lt=now).count(),
    })


def detail_view(request, pk):
    found = _in_scope(request, pk)
    target = found.product if found.product_id else found.producer
    same_page = ListingReport.objects.filter(producer=found.producer_id, product=found.product_id).exclude(pk=found.pk)
    return render(request, "catalog/admin/takedowns_detail.html", {
        "report": found, "target": target, "note_max": NOTE_MAX, "overdue": found.is_overdue(),
        "taken_down": target is not None and target.taken_down_at is not None,
        "suspended": found.producer is not None and takedowns.is_suspended(found.producer),
        "same_page": same_page.order_by("-created_at")[:20],
        "record": ListingAction.objects.filter(producer=found.producer_id).select_related("actor")[:50]
        if found.producer_id else [],
    })


def _sanction(found, user, note, kind):
    return takedowns.sanction(found.producer, actor=user, kind=kind, note=note, found=found)


STEPS = {
    "hide": (lambda found, user, note: takedowns.hide(found.pk, actor=user, note=note),
             gettext_lazy("Đã ẩn trang: trang không còn hiện trên sàn, trong tìm kiếm và giỏ hàng.")),
    "restore": (lambda found, user, note: takedowns.restore(found.pk, actor=user, note=note),
                gettext_lazy("Đã hiện lại trang.")),
    "uphold": (lambda found, user, note: takedowns.decide(found.pk, actor=user, upheld=True, note=note),
               gettext_lazy("Đã kết luận có vi phạm; trang bị gỡ.")),
    "dismiss": (lambda found, user, note: takedowns.decide(found.pk, actor=user, upheld=False, note=note),
                gettext_lazy("Đã kết luận không vi phạm.")),
    "warn": (lambda found, user, note: _sanction(found, user, note, Kind.WARN),
             gettext_lazy("Đã ghi cảnh cáo chủ thể và báo cho chủ thể.")),
    "suspend": (lambda found, user, note: _sanction(found, user, note, Kind.SUSPEND),
                gettext_lazy("Đã đình chỉ chủ thể: trang và mọi sản phẩm của chủ thể bị ẩn.")),
    "reinstate": (lambda found, user, note: _sanction(found, user, note, Kind.REINSTATE),
                  gettext_lazy("Đã gỡ đình chỉ chủ thể.")),
}


@require_POST
def action_view(request, pk):
    found = _in_scope(request, pk)
    step = STEPS.get(request.POST.get("action", ""))
    try:
        if step is None:
            raise takedowns.TakedownError(_("Thao tác không hợp lệ."))
        if found.producer is None:
            raise takedowns.TakedownError(_("Trang bị báo cáo không còn nữa."))
        step[0](found, request.user, request.POST.get("note", ""))  # PermissionDenied: a 403
    except takedowns.TakedownError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, str(step[1]))
    return redirect(DETAIL, pk=found.pk)


def mine_view(request):
    """"Xử lý vi phạm": what was decided about the producers this user acts for."""
    ids = roles.member_producer_ids(request.user)
    if not ids:
        raise PermissionDenied
    page = Paginator(takedowns.actions_for_members(request.user).select_related("producer", "report"),
                     PER_PAGE).get_page(request.GET.get("p"))
    return render(request, "catalog/admin/takedowns_mine.html", {
        "page": page,
        "hidden_producers": ProducerPage.objects.filter(pk__in=ids, taken_down_at__isnull=False),
        "hidden_products": ProductPage.objects.filter(producer_id__in=ids, taken_down_at__isnull=False),
    })


def _sees_own_record(user) -> bool:
    return bool(roles.member_producer_ids(user))


@hooks.register("register_admin_urls")
def admin_urls():
    return screen_urls("bao-cao-vi-pham", (INDEX, DETAIL, ACTION), index_view, detail_view, action_view) + [
        path("xu-ly-vi-pham/", deny_with_403(mine_view), name=MINE)]


@hooks.register("register_admin_menu_item")
def queue_menu_item():
    return ScreenMenuItem(gettext_lazy("Báo cáo vi phạm"), reverse(INDEX), name="listing-reports", icon_name="warning",
                          order=255, shown_to=takedowns.may_see_queue)


@hooks.register("register_admin_menu_item")
def mine_menu_item():
    return ScreenMenuItem(gettext_lazy("Xử lý vi phạm"), reverse(MINE), name="my-listing-actions", icon_name="warning",
                          order=256, shown_to=_sees_own_record)
