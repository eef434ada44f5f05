"""“Dữ liệu của tôi”: a signed-in buyer sees what the shop holds about them, downloads it (JSON, or
a zip of CSV files) and may delete their account — the data subject's rights of the Personal Data
Protection Law (Law 91/2025/QH15). Each export and deletion is logged as a `DataRequest`.

Only the buyer's own rows are read (by `user`, and stock alerts also by their own e-mail); never
password hashes, order access tokens, payment-provider ids or other people's names (staff, the
producer's replies). Deleting keeps orders, refunds and ledger entries for accounting, anonymised
and detached from the account; what exists only for the buyer (addresses, wishlist, alerts, cart)
is deleted. Producer members, officers and staff are refused: admins manage their accounts.

A name beside a review is a consent of its own (asked unticked on the review form): the page counts
the reviews that show it, and withdrawing takes it off all of them. Guests, who have no account,
ask for the same by a signed e-mail link (`shop.guest_data`), which uses the same export and the
same anonymisation (`held`, `anonymise_orders`, `hide_review_names`).
"""

import datetime
import io
import json
import zipfile

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from storefront import page_cache

from catalog import roles
from catalog.exports import csv_lines
from catalog.models import ListingReport, ProductPage, ProductQuestion
from shop.models import (
    BuyerConsent,
    Cart,
    DataRequest,
    Order,
    OrderEvent,
    OrderLine,
    ReturnRequest,
    Review,
    SavedAddress,
    StockAlert,
    WishlistItem,
    new_access_token,
)

DELETED_NAME = "Người mua đã xoá tài khoản"
DELETED_PHONE = "0000000000"

# Per kind: the file name in the zip and the fields, in order (the JSON keys and the CSV header).
KINDS = {
    "account": ("tai-khoan", ("email", "full_name", "date_joined", "last_login", "marketing_consent")),
    "addresses": ("dia-chi", ("name", "phone", "street", "commune", "province", "created_at")),
    "orders": ("don-hang", ("number", "created_at", "status", "name", "phone", "email", "street", "commune",
                            "province", "note", "delivery_method", "payment_method", "subtotal", "shipping_fee",
                            "discount_total", "total", "voucher_code")),
    "order_lines": ("dong-don-hang", ("order", "producer", "product_title", "variant_name", "sku", "unit_price",
                                      "unit_discount", "quantity", "booking_date")),
    "order_events": ("lich-su-don-hang", ("order", "created_at", "from_status", "to_status", "note")),
    "stock_alerts": ("bao-khi-co-hang", ("product", "kind", "email", "created_at", "notified_at")),
    "wishlist": ("yeu-thich", ("product", "created_at")),
    "reviews": ("danh-gia", ("order", "product", "display_name", "shows_name", "rating", "text", "status",
                             "created_at")),
    "return_requests": ("doi-tra", ("order", "reason", "description", "remedy", "amount", "refund_account",
                                    "status", "created_at")),
    "data_requests": ("yeu-cau-du-lieu", ("kind", "created_at", "due_by", "done_at")),
    "questions": ("cau-hoi", ("product", "text", "answer", "created_at")),
    "listing_reports": ("bao-cao-vi-pham", ("listing_title", "reason", "details", "reporter_email", "status",
                                            "created_at")),
}


# --- What the shop holds ------------------------------------------------------------------------

def _value(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat() if isinstance(value, datetime.date) else value


def _rows(kind, objects, get):
    fields = KINDS[kind][1]
    return [{field: _value(get(obj, field)) for field in fields} for obj in objects]


def _attr(obj, field):
    return getattr(obj, field)


def _place(obj, field):
    """Commune and province by name; everything else as stored."""
    value = getattr(obj, field)
    return value.name if field in ("commune", "province") and value is not None else value


def user_orders(user):
    return Order.objects.filter(user=user)


def alerts_of(user):
    return StockAlert.objects.filter(Q(user=user) | Q(email__iexact=user.email)) if user.email else \
        StockAlert.objects.filter(user=user)


def reports_of(user=None, email=""):
    """Listing reports this account sent, or that name this e-mail address to reply to."""
    found = Q(reporter=user) if user is not None else Q(pk__in=[])
    return ListingReport.objects.filter(found | Q(reporter_email__iexact=email) if email else found)


def held(*, orders, alerts, reviews, returns, requests, reports, questions=None) -> dict:
    """The rows about orders, alerts, reviews, returns, data requests, listing reports and questions
    (the kinds an account and a guest share), as plain JSON values; each argument is a queryset of
    what to include."""
    lines = OrderLine.objects.filter(suborder__order__in=orders).select_related("suborder__order",
                                                                              "suborder__producer")
    return {
        "orders": _rows("orders", orders.select_related("commune", "province"), _place),
        "order_lines": _rows("order_lines", lines, lambda line, field: (
            line.suborder.order.number if field == "order" else
            line.suborder.producer.title if field == "producer" else getattr(line, field))),
        "order_events": _rows("order_events", OrderEvent.objects.filter(order__in=orders).select_related("order"),
                              lambda event, field: event.order.number if field == "order" else getattr(event, field)),
        "stock_alerts": _rows("stock_alerts", alerts.select_related("product"), lambda alert, field: (
            alert.product.title if field == "product" else getattr(alert, field))),
        "reviews": _rows("reviews", reviews.select_related("order", "product"),
                         lambda review, field: (review.order.number if field == "order" else
                                                review.product.title if field == "product" else
                                                getattr(review, field))),
        "return_requests": _rows("return_requests", returns.distinct().select_related("suborder__order"),
                                 lambda request, field: (request.suborder.order.number if field == "order" else
                                                         getattr(request, field))),
        "data_requests": _rows("data_requests", requests, _attr),
        "questions": _rows("questions", (questions or ProductQuestion.objects.none()).select_related("product"),
                           lambda question, field: question.product.title if field == "product" else
                           getattr(question, field)),
        "listing_reports": _rows("listing_reports", reports, _attr),
    }


def collect(user) -> dict:
    """Everything the shop holds about `user`, kind by kind (see KINDS), as plain JSON values."""
    account = {"email": user.email, "full_name": user.get_full_name(), "date_joined": user.date_joined,
               "last_login": user.last_login, "marketing_consent": marketing_consent(user)}
    return {
        "account": {key: _value(value) for key, value in account.items()},
        "addresses": _rows("addresses", SavedAddress.objects.filter(user=user).select_related("commune", "province"),
                           _place),
        "wishlist": _rows("wishlist", WishlistItem.objects.filter(user=user).select_related("product"),
                          lambda item, field: item.product.title if field == "product" else getattr(item, field)),
        **held(orders=user_orders(user), alerts=alerts_of(user), reviews=Review.objects.filter(user=user),
               returns=ReturnRequest.objects.filter(Q(user=user) | Q(suborder__order__user=user)),
               requests=DataRequest.objects.filter(user=user), reports=reports_of(user, user.email),
               questions=ProductQuestion.objects.filter(user=user)),
    }


def marketing_consent(user) -> bool:
    return BuyerConsent.objects.filter(user=user, marketing=True).exists()


def withdraw_marketing(user) -> bool:
    """Stop marketing e-mail; False when there was no consent to withdraw (nothing logged)."""
    with transaction.atomic():
        changed = BuyerConsent.objects.select_for_update().filter(user=user, marketing=True).update(
            marketing=False, marketing_changed_at=timezone.now())
        if changed:
            log(user, DataRequest.Kind.WITHDRAW_CONSENT)
    return bool(changed)


def log(user, kind, *, done=True, email=None) -> DataRequest:
    """One request in the log: an account's (`user`), or a guest's (`user=None` and their `email`)."""
    now = timezone.now()
    email = email or (user.email if user is not None else "") or f"user-{getattr(user, 'pk', 0)}@an-danh.invalid"
    return DataRequest.objects.create(kind=kind, user=user, email=email, created_at=now,
                                      done_at=now if done else None)


# --- A name beside a review -----------------------------------------------------------------------

def named_reviews(reviews):
    """Those of `reviews` that show a name."""
    return reviews.filter(Q(shows_name=True) | ~Q(display_name=""))


def review_names_shown(user) -> int:
    """How many of the buyer's reviews show their name."""
    return named_reviews(Review.objects.filter(user=user)).count()


def hide_review_names(reviews) -> int:
    """`reviews` show "Người mua" from now on; the cached pages of their products (and producers)
    are invalidated as `shop.reviews` does when a review changes. Returns how many showed a name."""
    rows = list(named_reviews(reviews).select_for_update().values_list("pk", "product_id"))
    if not rows:
        return 0
    Review.objects.filter(pk__in=[pk for pk, _product in rows]).update(display_name="", shows_name=False)
    products = {product for _pk, product in rows}
    producers = ProductPage.objects.filter(pk__in=products, producer__isnull=False).values_list("producer_id",
                                                                                              flat=True)
    page_cache.invalidate(*[f"product:{pk}" for pk in products], *[f"producer:{pk}" for pk in set(producers)])
    return len(rows)


def withdraw_review_names(user) -> int:
    """The buyer withdraws the consent to their name beside reviews: all of them show "Người mua".
    Logged when there was a name to take off; returns how many reviews changed."""
    with transaction.atomic():
        changed = hide_review_names(Review.objects.filter(user=user))
        if changed:
            log(user, DataRequest.Kind.WITHDRAW_CONSENT)
    return changed


def as_json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def as_csv_zip(data) -> bytes:
    """One CSV per kind, written by the project's one CSV writer (`catalog.exports.csv_lines`)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind, (name, fields) in KINDS.items():
            if kind not in data:  # a guest's export has no account, addresses or wishlist
                continue
            rows = [data[kind]] if kind == "account" else data[kind]
            archive.writestr(f"{name}.csv", b"".join(csv_lines(fields, ([row[f] for f in fields] for row in rows))))
    return buffer.getvalue()


def attachment(data, fmt, name) -> HttpResponse:
    """`data` (from `collect` or `held`) as a download: `json`, or `csv` (a zip of one CSV per kind)."""
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "json":
        response = HttpResponse(as_json(data), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.json"'
    else:
        response = HttpResponse(as_csv_zip(data), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.zip"'
    response["Cache-Control"] = "no-store"
    return response


# --- Deleting the account -----------------------------------------------------------------------

def managed_by_admins(user) -> bool:
    """Producer members, province officers and staff keep their accounts through the admins."""
    return bool(user.is_staff or user.is_superuser or roles.member_producer_ids(user) or roles.is_officer(user)
                or roles.is_national_admin(user))


def placeholder_email(order) -> str:
    return f"da-xoa-{order.pk}@an-danh.invalid"  # .invalid (RFC 2606): passes EmailField, reaches no one


def anonymise_orders(pks) -> None:
    """The orders `pks` leave their buyer: kept for accounting (with their lines, refunds and ledger
    entries, never deleted), detached from any account, without name, phone, e-mail, street or note,
    and with a new access token (links sent to the old mailbox stop working). Each row is locked
    before it changes; call it inside a transaction. Account deletion and a guest's deletion
    (`shop.guest_data`) both come here."""
    for pk in sorted(pks):
        order = Order.objects.select_for_update().get(pk=pk)
        order.user = None
        order.name, order.phone, order.email = DELETED_NAME, DELETED_PHONE, placeholder_email(order)
        order.street = order.note = ""
        order.access_token = new_access_token()
        order.save(update_fields=["user", "name", "phone", "email", "street", "note", "access_token",
                                  "updated_at"])


def delete_account(user) -> DataRequest:
    """Anonymise and detach the user's orders (kept for accounting, like their refunds and ledger
    entries), clear their name from reviews, delete what was only theirs, then the user. One
    transaction."""
    with transaction.atomic():
        request = log(user, DataRequest.Kind.DELETE, done=False)
        anonymise_orders(list(user_orders(user).values_list("pk", flat=True)))
        hide_review_names(Review.objects.filter(user=user))
        Review.objects.filter(user=user).update(user=None)
        SavedAddress.objects.filter(user=user).delete()
        WishlistItem.objects.filter(user=user).delete()
        alerts_of(user).delete()
        reports_of(user, user.email).update(reporter=None, reporter_email="")  # the reports stay, for the record
        Cart.objects.filter(user=user).delete()
        request.user, request.done_at = None, timezone.now()
        request.save(update_fields=["user", "done_at"])
        user.delete()
    return request


# --- Views --------------------------------------------------------------------------------------

class DeleteAccountForm(forms.Form):
    password = forms.CharField(label=gettext_lazy("Mật khẩu hiện tại"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    confirm = forms.BooleanField(label=gettext_lazy("Tôi hiểu việc xoá tài khoản không thể hoàn tác."))

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["confirm"].error_messages["required"] = _("Hãy đánh dấu xác nhận để xoá tài khoản.")
        self.fields["password"].error_messages["required"] = _("Hãy nhập mật khẩu.")

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Mật khẩu không đúng."), code="wrong_password")
        return password


def _page(request, form, status=200):
    user = request.user
    counts = {
        "orders": user_orders(user).count(),
        "addresses": SavedAddress.objects.filter(user=user).count(),
        "alerts": alerts_of(user).count(),
        "wishlist": WishlistItem.objects.filter(user=user).count(),
        "reviews": Review.objects.filter(user=user).count(),
        "returns": ReturnRequest.objects.filter(Q(user=user) | Q(suborder__order__user=user)).distinct().count(),
        "questions": ProductQuestion.objects.filter(user=user).count(),
        "reports": reports_of(user, user.email).count(),
    }
    return render(request, "shop/account/my_data.html", {
        "counts": counts, "form": form, "managed": managed_by_admins(user),
        "marketing": marketing_consent(user), "names_shown": review_names_shown(user),
        "requests": DataRequest.objects.filter(user=user)[:10],
    }, status=status)


@login_required
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def my_data(request):
    """The page, and (POST) withdrawing marketing consent or the name beside reviews, or deleting the
    account."""
    if request.method == "GET":
        return _page(request, DeleteAccountForm(request.user))
    if request.POST.get("action") == "withdraw":
        if withdraw_marketing(request.user):
            messages.success(request, _("Bạn sẽ không nhận email giới thiệu sản phẩm và khuyến mãi nữa."))
        return redirect("shop:my_data")
    if request.POST.get("action") == "withdraw_names":
        if withdraw_review_names(request.user):
            messages.success(request, _("Các đánh giá của bạn từ nay hiện tên “Người mua”."))
        return redirect("shop:my_data")
    if managed_by_admins(request.user):
        messages.error(request, _("Tài khoản của chủ thể, cán bộ và quản trị viên do quản trị viên quản lý; "
                                  "hãy liên hệ quản trị viên để xoá."))
        return redirect("shop:my_data")
    form = DeleteAccountForm(request.user, request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    user = request.user
    logout(request)
    delete_account(user)
    messages.success(request, _("Tài khoản của bạn đã được xoá. Đơn hàng được giữ lại cho kế toán, "
                                "không còn tên, số điện thoại hay địa chỉ của bạn."))
    return redirect("/")


@login_required
@require_GET
def my_data_download(request, fmt):
    """The download: `json` (one file) or `csv` (a zip of one CSV per kind)."""
    if fmt not in ("json", "csv"):
        raise Http404(_("Chỉ tải được dạng json hoặc csv."))
    data = collect(request.user)
    log(request.user, DataRequest.Kind.EXPORT)
    return attachment(data, fmt, "du-lieu-cua-toi")

