"""Questions and answers on product pages, the operations: a signed-in buyer asks; the producer's
members answer (one answer, editable until a moderator hides it); the product's province officers
and national admins hide or unhide a question with a reason. Each step is one transaction; the
producer's members are e-mailed of a new question after it commits (django_tasks), and the cached
product page is invalidated when what it shows changes (`storefront.page_cache`).

Who may do what is answered here too (`may_answer`, `may_moderate`, `visible_questions`), from
`catalog.roles`, so the admin screen and these steps ask the same questions."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited
from django_tasks import task

from catalog import roles
from catalog.models import ProductPage, ProductQuestion
from catalog.models.questions import TEXT_MAX

log = logging.getLogger(__name__)
REASON_MAX = 500
SHOWN_ON_PAGE = 20  # the newest answered questions on a product page


class QuestionError(ValueError):
    """A step refused with a message for the person who tried it."""


# --- Who ------------------------------------------------------------------------------------------

def may_moderate(user, question) -> bool:
    producer = question.product.producer
    return roles.can_act_for_province(user, producer.province_id if producer else None)


def may_answer(user, question) -> bool:
    return question.product.producer_id is not None and question.product.producer_id in roles.member_producer_ids(user)


def may_see_questions(user) -> bool:
    return roles.is_national_admin(user) or roles.is_officer(user) or bool(roles.member_producer_ids(user))


def visible_questions(user):
    """The questions this user sees in the admin: all (national), their provinces' products' ones
    (officers), their products' ones (members); nothing for anyone else."""
    found = ProductQuestion.objects.all()
    if roles.is_national_admin(user):
        return found
    return found.filter(product__producer__province_id__in=roles.officer_province_ids(user)) | found.filter(
        product__producer_id__in=roles.member_producer_ids(user))


def shown_questions(product):
    return list(ProductQuestion.objects.filter(product=product).shown()[:SHOWN_ON_PAGE])


# --- Steps ----------------------------------------------------------------------------------------

def _clean(raw, limit, empty_message) -> str:
    text = (raw or "").strip()
    if not text:
        raise QuestionError(empty_message)
    if len(text) > limit:
        raise QuestionError(_("Nội dung dài quá %(limit)s ký tự.") % {"limit": limit})
    return text


def _changed(question) -> None:
    from storefront import page_cache  # the page cache imports the catalogue's models

    page_cache.invalidate(f"product:{question.product_id}")


def _locked(pk) -> ProductQuestion:
    return ProductQuestion.objects.select_for_update(of=("self",)).select_related("product__producer").get(pk=pk)


def ask(product, user, raw_text) -> ProductQuestion:
    text = _clean(raw_text, TEXT_MAX, _("Hãy viết câu hỏi của bạn."))
    with transaction.atomic():
        question = ProductQuestion.objects.create(product=product, user=user, text=text)
        transaction.on_commit(lambda: send_question_email.enqueue(question.pk))
    return question


def answer(pk, *, actor, text) -> ProductQuestion:
    with transaction.atomic():
        question = _locked(pk)
        if not may_answer(actor, question):
            raise PermissionDenied
        if question.hidden:
            raise QuestionError(_("Câu hỏi này đã bị ẩn; không sửa được câu trả lời."))
        question.answer = _clean(text, TEXT_MAX, _("Hãy viết câu trả lời."))
        question.answered_by, question.answered_at = actor, timezone.now()
        question.save(update_fields=["answer", "answered_by", "answered_at"])
        _changed(question)
    return question


def hide(pk, *, actor, reason) -> ProductQuestion:
    with transaction.atomic():
        question = _locked(pk)
        if not may_moderate(actor, question):
            raise PermissionDenied
        question.hidden_reason = _clean(reason, REASON_MAX, _("Hãy ghi lý do ẩn câu hỏi."))
        question.hidden, question.hidden_by, question.hidden_at = True, actor, timezone.now()
        question.save(update_fields=["hidden", "hidden_by", "hidden_at", "hidden_reason"])
        _changed(question)
    log.info("question %s hidden by user %s: %s", question.pk, actor.pk, question.hidden_reason)
    return question


def unhide(pk, *, actor) -> ProductQuestion:
    with transaction.atomic():
        question = _locked(pk)
        if not may_moderate(actor, question):
            raise PermissionDenied
        question.hidden = False  # who hid it, when and why stay, for the record
        question.save(update_fields=["hidden"])
        _changed(question)
    log.info("question %s shown again by user %s", question.pk, actor.pk)
    return question


# --- E-mail ---------------------------------------------------------------------------------------

@task()
def send_question_email(question_id: int) -> int:
    """Tell the producer's members a buyer asked about one of their products; returns how many
    addresses were written to."""
    question = ProductQuestion.objects.select_related("product__producer").filter(pk=question_id).first()
    if question is None or question.product.producer is None:
        return 0
    emails = sorted(set(question.product.producer.members.filter(user__is_active=True).exclude(
        user__email="").values_list("user__email", flat=True)))
    if not emails:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {"question": question, "product": question.product,
                   "admin_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("catalog_questions")}
        subject = render_to_string("catalog/email/question_subject.txt", context).strip()
        body = render_to_string("catalog/email/question_body.txt", context)
    send_mail(subject, body, None, emails)
    return len(emails)


# --- The product page's form ----------------------------------------------------------------------

@require_POST
def ask_view(request, product_id):
    """"Đặt câu hỏi" on a product page: signed-in buyers only, rate-limited per client address."""
    product = get_object_or_404(ProductPage.objects.live(), pk=product_id)
    back = product.get_url(request) + "#hoi-dap"
    if not request.user.is_authenticated:
        messages.info(request, _("Hãy đăng nhập để đặt câu hỏi."))
        return redirect_to_login(product.get_url(request) + "#hoi-dap")
    if is_ratelimited(request, group="question", key="ip", rate=settings.RATE_LIMITS["question"], increment=True):
        raise Ratelimited  # the 429 page
    try:
        ask(product, request.user, request.POST.get("text", ""))
    except QuestionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã gửi câu hỏi. Câu hỏi hiện trên trang khi chủ thể trả lời."))
    return redirect(back)
