"""“Dữ liệu cá nhân” for buyers without an account (Law 91/2025/QH15): access and deletion on request,
proved by a signed e-mail link instead of a password.

  /du-lieu-ca-nhan/                  anyone enters an e-mail address and picks "tải" or "xoá"; the answer
                                     is always the same neutral message (never whether the address has
                                     orders), rate-limited per client address and per e-mail address
  /du-lieu-ca-nhan/<link>/           what the shop holds for that address without an account: orders placed
                                     as a guest, stock-alert sign-ups, reviews and returns of those orders;
                                     POST: delete (anonymise), or take the name off the reviews
  /du-lieu-ca-nhan/<link>/tai-ve.json, .csv   the download

The link is signed (`django.core.signing`, salted, valid `LINK_MAX_AGE`): nothing secret is stored.
It names only the logged request it answers, whose address it opens. What a guest holds is what no account
holds: orders with `user=None` under that e-mail (any case), alerts likewise. Deleting anonymises
those orders exactly as deleting an account does (`data_rights.anonymise_orders`): orders, refunds
and ledger entries are kept, never deleted. Every step is a `DataRequest` (`user=None`, the
address) with its `done_at`.
"""

import datetime
import time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited
from django_tasks import task

from shop import data_rights
from shop.models import DataRequest, Order, ReturnRequest, Review, StockAlert

LINK_SALT = "shop.guest_data.link"
LINK_HOURS = 24
LINK_MAX_AGE = datetime.timedelta(hours=LINK_HOURS)
Kind = DataRequest.Kind


# --- The signed link ------------------------------------------------------------------------------

class _Signer(signing.TimestampSigner):
    """Django's timestamp signer, salted for these links; `at` signs as of another moment (the tests
    make a link that is already a day old without waiting a day)."""

    def __init__(self, at=None):
        super().__init__(salt=LINK_SALT)
        self.at = at

    def timestamp(self):
        return signing.b62_encode(int(self.at.timestamp() if self.at is not None else time.time()))


def link_token(request_pk: int, *, at=None) -> str:
    """The link's key: the logged request's number, signed. The address is read from that request,
    so it never appears in the link (nor in access logs or browser history)."""
    return _Signer(at).sign_object({"r": request_pk})


def read_token(token: str) -> DataRequest:
    """The guest's request a valid link answers; signing.SignatureExpired or signing.BadSignature otherwise."""
    data = _Signer().unsign_object(token, max_age=LINK_MAX_AGE)
    pk = data.get("r") if isinstance(data, dict) else None
    found = DataRequest.objects.filter(pk=pk, user=None).first() if isinstance(pk, int) else None
    if found is None:
        raise signing.BadSignature("not one of our links")
    return found


def link_url(request_pk: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("shop:guest_data_link", args=[link_token(request_pk)])


# --- What a guest holds ---------------------------------------------------------------------------

def guest_orders(email):
    """Orders placed with `email` (any case) that belong to no account."""
    return Order.objects.filter(user__isnull=True, email__iexact=email)


def guest_alerts(email):
    return StockAlert.objects.filter(user__isnull=True, email__iexact=email)


def guest_reports(email):
    """Listing reports sent without an account that gave this address to reply to."""
    return data_rights.reports_of(email=email).filter(reporter=None)


def holds(email) -> bool:
    return guest_orders(email).exists() or guest_alerts(email).exists() or guest_reports(email).exists()


def collect(email) -> dict:
    """What the shop holds for `email` without an account, kind by kind (`data_rights.KINDS`)."""
    orders = guest_orders(email)
    return data_rights.held(orders=orders, alerts=guest_alerts(email), reviews=Review.objects.filter(order__in=orders),
                            returns=ReturnRequest.objects.filter(suborder__order__in=orders),
                            requests=DataRequest.objects.filter(user=None, email__iexact=email),
                            reports=guest_reports(email))


def _close(email, request_pk, kind) -> bool:
    """The request the link answers is done now, if it was for `kind` and still open."""
    return bool(DataRequest.objects.filter(pk=request_pk, user=None, email__iexact=email, kind=kind,
                                           done_at=None).update(done_at=timezone.now()))


def _done(email, request_pk, kind) -> None:
    """This step closes the request the link answers, or is logged as a request of its own, done at once."""
    if not _close(email, request_pk, kind):
        data_rights.log(None, kind, email=email)


def delete(email, request_pk) -> int:
    """Anonymise the guest orders of `email` (kept for accounting, as for a deleted account), take the
    name off their reviews and delete the stock alerts, in one transaction; returns how many orders.
    The guest orders are locked first, so an order attached to an account meanwhile is left alone."""
    with transaction.atomic():
        pks = list(guest_orders(email).select_for_update().order_by("pk").values_list("pk", flat=True))
        alerts, reports = guest_alerts(email), guest_reports(email)
        if not pks and not alerts.exists() and not reports.exists():
            _close(email, request_pk, Kind.DELETE)  # nothing (left) to delete: answered, nothing logged
            return 0
        data_rights.hide_review_names(Review.objects.filter(order_id__in=pks))
        data_rights.anonymise_orders(pks)
        alerts.delete()
        reports.update(reporter_email="")  # the reports stay, for the record, with no address
        _done(email, request_pk, Kind.DELETE)
    return len(pks)


def withdraw_names(email) -> int:
    """The reviews of the guest orders of `email` show "Người mua"; logged when a name was shown."""
    with transaction.atomic():
        changed = data_rights.hide_review_names(Review.objects.filter(order__in=guest_orders(email)))
        if changed:
            data_rights.log(None, Kind.WITHDRAW_CONSENT, email=email)
    return changed


@task()
def send_link(email: str, kind: str, language: str) -> bool:
    """E-mail `email` the link to its data, when the shop holds any for it without an account; an
    address with an account only is told to sign in. Nothing is sent to an address the shop does
    not know; the page said the same either way."""
    has_account = get_user_model().objects.filter(email__iexact=email, is_active=True).exists()
    guest = holds(email)
    if not guest and not has_account:
        return False
    context = {"email": email, "kind": kind, "has_account": has_account, "guest": guest,
               "hours": LINK_HOURS}
    with translation.override(language):
        if guest:
            request = data_rights.log(None, kind, done=False, email=email)
            context["link_url"] = link_url(request.pk)
        context["my_data_url"] = settings.SITE_URL.rstrip("/") + reverse("shop:my_data")
        subject = " ".join(render_to_string("shop/email/guest_data_subject.txt", context).split())
        body = render_to_string("shop/email/guest_data_body.txt", context)
    send_mail(subject, body, None, [email])
    return True


# --- Pages ----------------------------------------------------------------------------------------

class GuestRequestForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email bạn đã dùng khi đặt hàng hoặc đăng ký nhận tin"),
                             max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                             error_messages={"required": gettext_lazy("Hãy nhập email."),
                                             "invalid": gettext_lazy("Hãy nhập một địa chỉ email hợp lệ.")})
    kind = forms.ChoiceField(label=gettext_lazy("Bạn muốn"), widget=forms.RadioSelect, initial=Kind.EXPORT,
                             choices=[(Kind.EXPORT, gettext_lazy("Tải dữ liệu của tôi")),
                                      (Kind.DELETE, gettext_lazy("Xoá dữ liệu của tôi"))],
                             error_messages={"required": gettext_lazy("Hãy chọn tải hay xoá dữ liệu."),
                                             "invalid_choice": gettext_lazy("Hãy chọn tải hay xoá dữ liệu.")})


class DeleteForm(forms.Form):
    confirm = forms.BooleanField(label=gettext_lazy("Tôi hiểu việc xoá không thể hoàn tác."),
                                 error_messages={"required": gettext_lazy("Hãy đánh dấu xác nhận để xoá.")})


def _request_page(request, form, *, problem="", status=200):
    return render(request, "shop/account/guest_data.html", {"form": form, "problem": problem}, status=status)


def _by_email(group, request):
    return (request.POST.get("email") or "").strip().lower()


@require_http_methods(["GET", "POST"])
def guest_request(request):
    """The form; (POST) the neutral answer, and the link e-mailed in the background."""
    if request.method == "GET":
        return _request_page(request, GuestRequestForm())
    rate = settings.RATE_LIMITS["data_request"]
    if is_ratelimited(request, group="data_request", key="ip", rate=rate, increment=True):
        raise Ratelimited  # the 429 page
    form = GuestRequestForm(request.POST)
    if not form.is_valid():
        return _request_page(request, form, status=400)
    email, kind = form.cleaned_data["email"].strip().lower(), form.cleaned_data["kind"]
    # One mailbox is not flooded from many addresses; over the limit nothing is sent, the answer is the same.
    if not is_ratelimited(request, group="data_request_email", key=_by_email, rate=rate, increment=True):
        send_link.enqueue(email, kind, translation.get_language() or settings.LANGUAGE_CODE)
    messages.success(request, _("Nếu cửa hàng có dữ liệu gắn với %(email)s, chúng tôi đã gửi tới địa chỉ đó một "
                                "liên kết (dùng được trong %(hours)s giờ) để xem, tải hoặc xoá dữ liệu. Hãy kiểm "
                                "tra hộp thư, cả mục thư rác.") % {
        "email": email, "hours": LINK_HOURS})
    return redirect("shop:guest_data")


def _private(response):
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"  # the link is the key: never sent on to another page
    return response


def _opened(request, token):
    """(e-mail, request pk), or the request page with a clear message and a 400."""
    try:
        found = read_token(token)
        return (found.email.lower(), found.pk), None
    except signing.SignatureExpired:
        problem = _("Liên kết này đã hết hạn (liên kết dùng được %(hours)s giờ). Hãy nhập email để nhận liên kết "
                    "mới.") % {"hours": LINK_HOURS}
    except signing.BadSignature:
        problem = _("Liên kết này không hợp lệ. Hãy mở đúng liên kết trong email, hoặc nhập email để nhận liên "
                    "kết mới.")
    return None, _private(_request_page(request, GuestRequestForm(), problem=problem, status=400))


def _holdings_page(request, token, email, form, status=200):
    orders = guest_orders(email)
    reviews = Review.objects.filter(order__in=orders)
    return _private(render(request, "shop/account/guest_data_link.html", {
        "email": email, "token": token, "form": form,
        "orders": list(orders.only("number", "created_at", "status", "total").order_by("-created_at")),
        "alerts": list(guest_alerts(email).select_related("product")),
        "reviews": reviews.count(), "names_shown": data_rights.named_reviews(reviews).count(),
        "returns": ReturnRequest.objects.filter(suborder__order__in=orders).count(),
    }, status=status))


@require_http_methods(["GET", "POST"])
def guest_link(request, token):
    """What the shop holds for the link's address; (POST) deleting it, or the name beside reviews."""
    opened, refusal = _opened(request, token)
    if refusal is not None:
        return refusal
    email, request_pk = opened
    if request.method == "GET":
        return _holdings_page(request, token, email, DeleteForm())
    if request.POST.get("action") == "withdraw_names":
        if withdraw_names(email):
            messages.success(request, _("Các đánh giá của bạn từ nay hiện tên “Người mua”."))
        return _private(redirect("shop:guest_data_link", token=token))
    form = DeleteForm(request.POST)
    if not form.is_valid():
        return _holdings_page(request, token, email, form, status=400)
    count = delete(email, request_pk)
    messages.success(request, _("Đã xoá dữ liệu của bạn.") + (" " + ngettext(
        "%(count)s đơn hàng được giữ lại cho kế toán, không còn tên, số điện thoại, email hay địa chỉ của bạn.",
        "%(count)s đơn hàng được giữ lại cho kế toán, không còn tên, số điện thoại, email hay địa chỉ của bạn.",
        count) % {"count": count} if count else ""))
    return _private(redirect("shop:guest_data_link", token=token))


@require_GET
def guest_download(request, token, fmt):
    if fmt not in ("json", "csv"):
        raise Http404(_("Chỉ tải được dạng json hoặc csv."))
    opened, refusal = _opened(request, token)
    if refusal is not None:
        return refusal
    email, request_pk = opened
    data = collect(email)
    _done(email, request_pk, Kind.EXPORT)
    return _private(data_rights.attachment(data, fmt, "du-lieu-ca-nhan"))
