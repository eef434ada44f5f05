"""The admin screens of verified reviews, "Đánh giá" (registered from shop.wagtail_hooks).

  /admin/danh-gia/               the reviews this user sees (`reviews.visible_reviews`): officers their
                                 provinces' products' ones (pending first by default), national admins
                                 all, producers' members their products' published ones; filter by status
  /admin/danh-gia/<pk>/          one review: text, photos, reports, and the steps open to this user
  /admin/danh-gia/<pk>/thao-tac/ POST a step: publish, reject (moderators), reply (producers, once)

A review outside the user's scope, or a step that is not theirs (a producer publishing, an officer of
another province), is a 403 (`deny_with_403`) and changes nothing. Every change goes through
`shop.reviews`; nobody edits a buyer's text.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin import messages

from catalog import roles
from catalog.admin_scope import ScreenMenuItem, object_in_scope, screen_urls
from shop import reviews
from shop.models import Review

INDEX = "shop_reviews"
DETAIL = "shop_reviews_detail"
ACTION = "shop_reviews_action"
PER_PAGE = 30
Status = Review.Status


def _moderates(user) -> bool:
    return roles.is_national_admin(user) or roles.is_officer(user)


def _in_scope(request, pk) -> Review:
    return object_in_scope(request, Review.objects.select_related(
        "product__producer__province", "order_line", "moderated_by", "replied_by"), pk,
        may_see=reviews.may_see_reviews, visible=reviews.visible_reviews)


def index_view(request):
    user = request.user
    if not reviews.may_see_reviews(user):
        raise PermissionDenied
    default = Status.PENDING if _moderates(user) else ""
    status = request.GET.get("trang-thai", default)
    listed = reviews.visible_reviews(user).select_related("product__producer").annotate(report_count=Count("reports"))
    if status in Status.values:
        listed = listed.filter(status=status)
    else:
        status = ""
    page = Paginator(listed.order_by("-created_at", "-pk"), PER_PAGE).get_page(request.GET.get("p"))
    return render(request, "shop/reviews/admin/index.html", {
        "page": page, "statuses": Status.choices, "status": status, "moderates": _moderates(user),
    })


def detail_view(request, pk):
    found = _in_scope(request, pk)
    user = request.user
    moderator = reviews.may_moderate(user, found)
    return render(request, "shop/reviews/admin/detail.html", {
        "review": found, "photos": list(found.photos.all()), "reports": list(found.reports.all()),
        "can_publish": moderator and found.status == Status.PENDING,
        "can_reject": moderator and found.status != Status.REJECTED,
        "can_reply": reviews.is_member(user, found) and found.status == Status.PUBLISHED and not found.replied_at,
        "product_url": found.product.get_url(request) if found.product.live else "",
    })


@require_POST
def action_view(request, pk):
    found = _in_scope(request, pk)
    step, user = request.POST.get("action", ""), request.user
    try:
        if step == "publish":
            reviews.publish(found.pk, actor=user)  # PermissionDenied (a 403) if it is not theirs
            message = _("Đã đăng đánh giá lên trang sản phẩm.")
        elif step == "reject":
            reviews.reject(found.pk, actor=user)
            message = _("Đã từ chối đánh giá; đánh giá không hiển thị.")
        elif step == "reply":
            reviews.reply(found.pk, actor=user, text=request.POST.get("reply", ""))
            message = _("Đã đăng câu trả lời của chủ thể.")
        else:
            raise reviews.ReviewError(_("Thao tác không hợp lệ."))
    except reviews.ReviewError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, message)
    return redirect(DETAIL, pk=found.pk)


@hooks.register("register_admin_urls")
def register_review_urls():
    return screen_urls("danh-gia", (INDEX, DETAIL, ACTION), index_view, detail_view, action_view)


@hooks.register("register_admin_menu_item")
def reviews_menu_item():
    return ScreenMenuItem(gettext_lazy("Đánh giá"), reverse(INDEX), name="reviews", icon_name="comment",
                          order=253, shown_to=reviews.may_see_reviews)  # beside "Đổi trả & khiếu nại"
