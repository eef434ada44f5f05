"""The admin screen of product questions, "Hỏi đáp" (registered from catalog.wagtail_hooks).

  /admin/hoi-dap/               the questions this user sees (`questions.visible_questions`), newest first,
                                unanswered first for producers' members
  /admin/hoi-dap/<pk>/          one question, and the steps open to this user
  /admin/hoi-dap/<pk>/thao-tac/ POST a step: answer (producer's members), hide / unhide (moderators)

A question outside the user's scope, or a step that is not theirs, is a 403 (`deny_with_403`) and
changes nothing. Every change goes through `catalog.questions`.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin import messages

from catalog import questions
from catalog.admin_scope import ScreenMenuItem, object_in_scope, screen_urls
from catalog.models import ProductQuestion
from catalog.models.questions import TEXT_MAX

INDEX = "catalog_questions"
DETAIL = "catalog_questions_detail"
ACTION = "catalog_questions_action"
PER_PAGE = 30


def _in_scope(request, pk) -> ProductQuestion:
    return object_in_scope(request, ProductQuestion.objects.select_related(
        "product__producer", "user", "answered_by", "hidden_by"), pk,
        may_see=questions.may_see_questions, visible=questions.visible_questions)


def index_view(request):
    if not questions.may_see_questions(request.user):
        raise PermissionDenied
    listed = questions.visible_questions(request.user).select_related("product__producer")
    page = Paginator(listed.order_by("-created_at", "-pk"), PER_PAGE).get_page(request.GET.get("p"))
    return render(request, "catalog/admin/questions_index.html", {"page": page})


def detail_view(request, pk):
    found = _in_scope(request, pk)
    user = request.user
    return render(request, "catalog/admin/questions_detail.html", {
        "question": found, "text_max": TEXT_MAX, "reason_max": questions.REASON_MAX,
        "can_answer": questions.may_answer(user, found) and not found.hidden,
        "can_moderate": questions.may_moderate(user, found),
        "product_url": found.product.get_url(request) if found.product.live else "",
    })


@require_POST
def action_view(request, pk):
    found = _in_scope(request, pk)
    step, user = request.POST.get("action", ""), request.user
    try:
        if step == "answer":
            questions.answer(found.pk, actor=user, text=request.POST.get("answer", ""))  # 403 if not theirs
            message = _("Đã lưu câu trả lời; câu hỏi hiện trên trang sản phẩm.")
        elif step == "hide":
            questions.hide(found.pk, actor=user, reason=request.POST.get("reason", ""))
            message = _("Đã ẩn câu hỏi khỏi trang sản phẩm.")
        elif step == "unhide":
            questions.unhide(found.pk, actor=user)
            message = _("Đã bỏ ẩn câu hỏi.")
        else:
            raise questions.QuestionError(_("Thao tác không hợp lệ."))
    except questions.QuestionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, message)
    return redirect(DETAIL, pk=found.pk)


@hooks.register("register_admin_urls")
def admin_urls():
    return screen_urls("hoi-dap", (INDEX, DETAIL, ACTION), index_view, detail_view, action_view)


@hooks.register("register_admin_menu_item")
def menu_item():
    return ScreenMenuItem(gettext_lazy("Hỏi đáp"), reverse(INDEX), name="questions", icon_name="help",
                          order=254, shown_to=questions.may_see_questions)

