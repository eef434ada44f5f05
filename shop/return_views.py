"""The buyer's pages of returns and complaints: open a request on a delivered parcel, follow it, accept
the producer's answer or disagree, withdraw it; and the photos, for the three parties only.

Who is the buyer: the order's signed-in owner, or whoever holds the order's secret link (`?t=`, as
on the order page). Anyone else gets the same 404 as for a request that does not exist; the producer's
members and the officials see requests in the admin (`shop.return_admin`) and may open these pages
and photos too. Parse, call `shop.returns`, render."""

import hmac
import re

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from shop import return_photos, returns
from shop.models import Order, ReturnRequest

AMOUNT_JUNK = re.compile(r"[\s.,₫đĐ]|VND|vnd")  # "150.000 ₫" is 150000 đồng


def parse_amount(raw) -> int | None:
    """Đồng as typed ("150000", "150.000", "150.000 ₫"), None when blank; ValueError otherwise."""
    digits = AMOUNT_JUNK.sub("", raw or "")
    if not digits:
        return None
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 15:
        raise ValueError(_("Hãy nhập số đồng, ví dụ 150000."))
    return int(digits)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to three files in one input; their content is checked by `shop.return_photos`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(PhotosField, self).clean(one, initial) for one in files if one]


class ReturnForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Lý do"), choices=ReturnRequest.Reason.choices)
    description = forms.CharField(label=gettext_lazy("Mô tả vấn đề"), max_length=returns.DESCRIPTION_MAX,
                                  widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text=gettext_lazy("Hàng bị gì, bao nhiêu, bạn phát hiện lúc nào."))
    remedy = forms.ChoiceField(label=gettext_lazy("Bạn muốn"), choices=ReturnRequest.Remedy.choices,
                               widget=forms.RadioSelect, initial=ReturnRequest.Remedy.REFUND)
    amount = forms.CharField(label=gettext_lazy("Số tiền đề nghị hoàn (đồng)"), required=False, max_length=20,
                             widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    refund_account = forms.CharField(label=gettext_lazy("Tài khoản nhận hoàn tiền"), required=False, max_length=200,
                                     help_text=gettext_lazy("Ngân hàng, số tài khoản, chủ tài khoản."))
    photos = PhotosField(label=gettext_lazy("Ảnh chụp (tối đa 3 ảnh JPEG, PNG hoặc WebP)"), required=False)

    def __init__(self, *args, needs_account=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["refund_account"].required = needs_account
        if not needs_account:
            del self.fields["refund_account"]

    def clean_amount(self):
        try:
            return parse_amount(self.cleaned_data["amount"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_photos(self):
        photos = self.cleaned_data["photos"]
        if len(photos) > return_photos.MAX_PHOTOS:
            raise forms.ValidationError(_("Chỉ gửi được tối đa %(count)s ảnh.") % {"count": return_photos.MAX_PHOTOS})
        return photos


# --- Who is asking ---------------------------------------------------------------------------------

def is_buyer(request, order) -> bool:
    token = request.GET.get("t", "")
    if token and hmac.compare_digest(token.encode(), order.access_token.encode()):
        return True
    return request.user.is_authenticated and order.user_id == request.user.pk


def _viewable(request, public_id) -> tuple[ReturnRequest, bool]:
    """The request and whether the buyer asks; 404 for anyone but the three parties."""
    found = get_object_or_404(ReturnRequest.objects.select_related(
        "suborder__order", "suborder__producer__province", "refund"), public_id=public_id)
    buyer = is_buyer(request, found.suborder.order)
    if not buyer and not (request.user.is_authenticated
                          and returns.visible_requests(request.user).filter(pk=found.pk).exists()):
        raise Http404
    return found, buyer


def _actor(request):
    return request.user if request.user.is_authenticated else None


def detail_url(found, token="") -> str:
    url = reverse("shop:return_detail", args=[found.public_id])
    return f"{url}?t={token}" if token else url


# --- Pages -------------------------------------------------------------------------------------------

@ratelimit(group="return_request", key="ip", rate=lambda group, request: settings.RATE_LIMITS[group], method="POST")
def open_request(request, number, suborder_id):
    order = get_object_or_404(Order, number=number)
    if not is_buyer(request, order):
        raise Http404  # the same answer for "no such order" and "not yours"
    suborder = get_object_or_404(order.suborders.select_related("producer").prefetch_related("lines"), pk=suborder_id)
    suborder.order = order
    token = request.GET.get("t", "")
    needs_account = order.payment_method in returns.MANUAL_METHODS
    if request.method == "POST":
        form = ReturnForm(request.POST, request.FILES, needs_account=needs_account)
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = returns.open_request(
                    suborder, user=request.user, reason=data["reason"], description=data["description"],
                    remedy=data["remedy"], amount=data["amount"], refund_account=data.get("refund_account", ""),
                    photos=data["photos"])
            except returns.ReturnError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Đã gửi yêu cầu. Chủ thể sẽ trả lời trước %(date)s; bạn sẽ nhận email.") % {
                    "date": date_filter(timezone.localtime(made.answer_by), "H:i d/m/Y")})
                return redirect(detail_url(made, token))
    else:
        form = ReturnForm(initial={"amount": returns.parcel_goods(suborder)}, needs_account=needs_account)
    return render(request, "shop/returns/open.html", {
        "order": order, "suborder": suborder, "form": form, "token": token, "problem": returns.refusal(suborder),
        "lines": list(suborder.lines.all()), "max_amount": returns.max_amount(suborder),
        "window_ends": returns.window_ends(suborder), "answer_hours": settings.SHOP_RETURN_ANSWER_HOURS,
    })


def detail(request, public_id):
    found, buyer = _viewable(request, public_id)
    token = request.GET.get("t", "") if buyer else ""
    status = ReturnRequest.Status
    return render(request, "shop/returns/detail.html", {
        "request_": found, "order": found.suborder.order, "suborder": found.suborder, "token": token,
        "photos": list(found.photos.all()), "events": list(found.events.all()), "is_buyer": buyer,
        "can_withdraw": buyer and found.status == status.OPEN,
        "can_reply": buyer and found.status == status.ANSWERED, "awaits_producer": found.status == status.OPEN,
        "order_url": found.suborder.order.get_absolute_url() if buyer else "",
    })


@require_POST
def action(request, public_id):
    found, buyer = _viewable(request, public_id)
    if not buyer:
        raise Http404  # the producer and officials act in the admin
    token = request.GET.get("t", "")
    step = request.POST.get("action", "")
    try:
        if step == "withdraw":
            returns.withdraw(found.pk, actor=_actor(request))
            messages.success(request, _("Đã rút yêu cầu."))
        elif step == "accept":
            returns.accept_answer(found.pk, actor=_actor(request))
            messages.success(request, _("Đã ghi nhận: bạn đồng ý với câu trả lời của chủ thể."))
        elif step == "disagree":
            returns.escalate(found.pk, actor=_actor(request), note=request.POST.get("note", ""))
            messages.success(request, _("Đã chuyển yêu cầu cho cán bộ OCOP tỉnh giải quyết."))
        else:
            messages.error(request, _("Thao tác không hợp lệ."))
    except returns.ReturnError as error:
        messages.error(request, str(error))
    return redirect(detail_url(found, token))


def photo(request, public_id, photo_id):
    found, _buyer = _viewable(request, public_id)
    picture = get_object_or_404(found.photos, pk=photo_id)
    try:
        opened = return_photos.open_photo(picture)
    except OSError:  # the file is gone: the same answer as for a photo that does not exist
        raise Http404 from None
    response = FileResponse(opened, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"  # never kept by a proxy or a shared computer's cache
    return response
