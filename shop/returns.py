"""Returns and complaints (the Consumer Protection Law 2023 asks for a complaint path): the only
module that moves a `ReturnRequest`.

The buyer opens a request on a delivered parcel within its return window (`ledger.return_window`);
the producer accepts it or answers before `answer_by`; the buyer accepts the answer or disagrees,
and a request left unanswered is escalated by the hourly task; escalated requests are decided by
the province's officers or a national admin. A refund goes through `shop.refunds` (the gateway
itself, or the bank transfer staff made and record for cash and VietQR orders).

Each step is one transaction that locks the order row, then the request row (the order first, as
every operation on orders does), checks the status again, writes a `ReturnEvent` and e-mails the
other parties after commit (`shop.return_emails`). Two staff deciding at once: the second waits for
the lock, then finds the request decided and is told so; nothing is done twice.
"""

import datetime
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Sum
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog import roles
from catalog.text import format_vnd
from shop import ledger, orders, refunds, return_photos
from shop.admin_views import is_order_staff
from shop.models import Refund, ReturnEvent, ReturnPhoto, ReturnRequest, SubOrder
from shop.order_rules import FulfilmentStatus, PaymentMethod
from shop.return_emails import BUYER, OFFICERS, PRODUCER, STAFF, notify_later

Status = ReturnRequest.Status
Remedy = ReturnRequest.Remedy
CLOSED = (Status.UPHELD, Status.REJECTED, Status.WITHDRAWN)
MANUAL_METHODS = (PaymentMethod.COD, PaymentMethod.VIETQR)  # the money goes back by a bank transfer staff make
DESCRIPTION_MAX = 2000
NOTE_MAX = 2000


BUYER_LABEL = gettext_lazy("người mua")
SYSTEM_LABEL = gettext_lazy("hệ thống")
ADMIN_LABEL = gettext_lazy("quản trị sàn")


class ReturnError(Exception):
    """Refused, nothing saved; the message is for the person who asked."""


# --- What a parcel allows ---------------------------------------------------------------------------

def parcel_goods(suborder: SubOrder) -> int:
    """What the buyer paid for the parcel's goods (after discounts), as the ledger wrote it."""
    return sum(line.line_total for line in suborder.lines.all())


def parcel_left(suborder: SubOrder) -> tuple[int, int]:
    """(goods, delivery fee) of the parcel not refunded yet."""
    done = Refund.objects.filter(suborder=suborder, status=Refund.Status.DONE).aggregate(
        goods=Sum("goods"), shipping=Sum("shipping"))
    return (max(parcel_goods(suborder) - (done["goods"] or 0), 0),
            max(suborder.shipping_fee - (done["shipping"] or 0), 0))


def window_ends(suborder: SubOrder):
    return suborder.delivered_at + ledger.return_window(suborder) if suborder.delivered_at else None


def refusal(suborder: SubOrder, now=None) -> str:
    """Why no request can be opened on this parcel now ("" when one can)."""
    now = now or timezone.now()
    if suborder.status == FulfilmentStatus.CANCELLED:
        return _("Phần đơn này đã huỷ nên không thể yêu cầu đổi trả.")
    if suborder.status != FulfilmentStatus.DELIVERED or suborder.delivered_at is None:
        return _("Chỉ có thể yêu cầu đổi trả sau khi đã nhận hàng.")
    ends = window_ends(suborder)
    if now > ends:
        return _("Đã quá thời hạn đổi trả của phần đơn này (đến %(date)s).") % {
            "date": date_filter(timezone.localtime(ends), "H:i d/m/Y")}
    if suborder.return_requests.filter(status__in=ledger.OPEN_RETURNS).exists():
        return _("Phần đơn này đã có một yêu cầu đổi trả đang được giải quyết.")
    return ""


def max_amount(suborder: SubOrder) -> int:
    """The most a request on the parcel may ask: what is left of its goods and fee, within what the
    order may still refund."""
    return min(sum(parcel_left(suborder)), refunds.refundable(suborder.order))


# --- Who sees what ------------------------------------------------------------------------------------

def visible_requests(user):
    """The requests `user` sees in the admin: staff and national admins all; producer members their
    producers'; province officers their province's ones that were escalated."""
    requests = ReturnRequest.objects.all()
    if roles.is_national_admin(user) or is_order_staff(user):
        return requests
    escalated = Exists(ReturnEvent.objects.filter(request=OuterRef("pk"), status=Status.ESCALATED))
    return requests.filter(Q(suborder__producer_id__in=roles.member_producer_ids(user))
                           | (Q(suborder__producer__province_id__in=roles.officer_province_ids(user)) & escalated))


def may_decide(user, return_request) -> bool:
    return roles.can_act_for_province(user, return_request.suborder.producer.province_id)


def may_record_transfer(user) -> bool:
    return roles.is_national_admin(user) or is_order_staff(user)


def is_member(user, return_request) -> bool:
    return return_request.suborder.producer_id in roles.member_producer_ids(user)


# --- The steps -------------------------------------------------------------------------------------

def open_request(suborder: SubOrder, *, user=None, reason, description, remedy, amount=None, refund_account="",
                 photos=()) -> ReturnRequest:
    """The buyer's request on a delivered parcel; `photos` are uploaded files (at most three)."""
    if len(photos) > return_photos.MAX_PHOTOS:
        raise ReturnError(_("Chỉ gửi được tối đa %(count)s ảnh.") % {"count": return_photos.MAX_PHOTOS})
    try:
        cleaned = [return_photos.clean(photo) for photo in photos]  # checked before anything is written
    except return_photos.PhotoError as error:
        raise ReturnError(str(error)) from None
    saved = []
    try:
        with transaction.atomic():
            order = orders.locked(suborder.order_id)
            suborder = SubOrder.objects.select_for_update().select_related("producer").get(pk=suborder.pk)
            suborder.order = order
            fields = _checked_request(suborder, order, reason, description, remedy, amount, refund_account)
            request = ReturnRequest.objects.create(
                suborder=suborder, user=user if user is not None and user.is_authenticated else None,
                answer_by=timezone.now() + datetime.timedelta(hours=settings.SHOP_RETURN_ANSWER_HOURS), **fields)
            for data in cleaned:
                saved.append(return_photos.store(data))
                ReturnPhoto.objects.create(request=request, image=saved[-1])
            _step(request, Status.OPEN, actor=user, label=BUYER_LABEL, note=fields["description"],
                  notify=[PRODUCER])
    except BaseException:
        return_photos.delete(saved)  # the request was rolled back: its files go too
        raise
    return request


def _checked_request(suborder, order, reason, description, remedy, amount, refund_account) -> dict:
    problem = refusal(suborder)
    if problem:
        raise ReturnError(problem)
    if reason not in ReturnRequest.Reason.values:
        raise ReturnError(_("Hãy chọn lý do."))
    if remedy not in Remedy.values:
        raise ReturnError(_("Hãy chọn hoàn tiền hoặc đổi hàng."))
    description = (description or "").strip()
    if not description:
        raise ReturnError(_("Hãy mô tả vấn đề của hàng nhận được."))
    if len(description) > DESCRIPTION_MAX:
        raise ReturnError(_("Mô tả dài tối đa %(count)s ký tự.") % {"count": DESCRIPTION_MAX})
    refund_account = (refund_account or "").strip()
    if order.payment_method in MANUAL_METHODS and not refund_account:
        raise ReturnError(_("Hãy cho biết tài khoản nhận hoàn tiền: ngân hàng, số tài khoản, chủ tài khoản."))
    if len(refund_account) > 200:
        raise ReturnError(_("Thông tin tài khoản dài tối đa 200 ký tự."))
    if remedy == Remedy.REPLACEMENT:
        amount = 0
    else:
        amount = parcel_goods(suborder) if amount is None else amount
        limit = max_amount(suborder)
        if type(amount) is not int or amount < 1:
            raise ReturnError(_("Số tiền đề nghị hoàn phải là số đồng lớn hơn 0."))
        if amount > limit:
            raise ReturnError(_("Số tiền đề nghị hoàn tối đa là %(limit)s.") % {"limit": format_vnd(limit)})
    return {"reason": reason, "description": description, "remedy": remedy, "amount": amount,
            "refund_account": refund_account}


def accept(request_id, *, actor, note="") -> ReturnRequest:
    """The producer agrees. A refund through a gateway is made at once and closes the request; for
    cash and VietQR orders it waits for staff to record their bank transfer; a replacement closes it."""
    with _locked(request_id) as (order, request):
        _producer_may_answer(actor, request)
        producer = request.suborder.producer.title
        waits = request.remedy == Remedy.REFUND and order.payment_method in MANUAL_METHODS
        _step(request, Status.ACCEPTED, actor=actor, label=producer, note=(note or "").strip()[:NOTE_MAX],
              notify=[BUYER, STAFF] if waits else [])  # otherwise the closing step below tells the buyer
        if request.remedy == Remedy.REPLACEMENT:
            _step(request, Status.UPHELD, actor=actor, label=producer,
                  note=gettext_lazy("Chủ thể đồng ý đổi hàng và sẽ gửi hàng thay thế."), notify=[BUYER])
        elif not waits:
            _refund(order, request, request.amount, actor=actor, label=producer, notify=[BUYER])
    return request


def answer(request_id, *, actor, note) -> ReturnRequest:
    """The producer answers or refuses, saying why; the buyer then accepts it or disagrees."""
    note = _required(note, _("Hãy ghi câu trả lời hoặc lý do không đồng ý."))
    with _locked(request_id) as (_order, request):
        _producer_may_answer(actor, request)
        _step(request, Status.ANSWERED, actor=actor, label=request.suborder.producer.title, note=note, notify=[BUYER])
    return request


def record_transfer(request_id, *, actor, reference, note="") -> ReturnRequest:
    """Staff made the bank transfer of an accepted refund (cash or VietQR order): its reference
    makes the Refund (and the ledger's reversal) and closes the request."""
    with _locked(request_id) as (order, request):
        if not may_record_transfer(actor):
            raise ReturnError(_("Chỉ quản trị sàn ghi nhận được khoản hoàn tiền."))
        if request.status != Status.ACCEPTED or request.remedy != Remedy.REFUND:
            raise ReturnError(_state(request))
        _refund(order, request, request.amount, actor=actor, label=ADMIN_LABEL, reference=reference,
                note=note, notify=[BUYER, PRODUCER])
    return request


def accept_answer(request_id, *, actor=None) -> ReturnRequest:
    """The buyer accepts the producer's answer: the request is closed, not upheld."""
    with _locked(request_id) as (_order, request):
        if request.status != Status.ANSWERED:
            raise ReturnError(_state(request))
        _step(request, Status.REJECTED, actor=actor, label=BUYER_LABEL,
              note=gettext_lazy("Người mua đồng ý với câu trả lời của chủ thể."), notify=[PRODUCER])
    return request


def escalate(request_id, *, actor=None, note="") -> ReturnRequest:
    """The buyer disagrees with the producer's answer: the province's officers decide."""
    with _locked(request_id) as (_order, request):
        if request.status != Status.ANSWERED:
            raise ReturnError(_state(request))
        _step(request, Status.ESCALATED, actor=actor, label=BUYER_LABEL,
              note=(note or "").strip()[:NOTE_MAX] or gettext_lazy("Người mua không đồng ý với câu trả lời của chủ thể."),
              notify=[PRODUCER, OFFICERS])
    return request


def escalate_overdue(now=None) -> int:
    """Hourly: requests the producer left unanswered past `answer_by` go to the officers, once each."""
    now = now or timezone.now()
    escalated = 0
    for request_id in ReturnRequest.objects.filter(status=Status.OPEN, answer_by__lte=now).values_list("pk", flat=True):
        with _locked(request_id) as (_order, request):
            if request.status == Status.OPEN and request.answer_by <= now:  # answered meanwhile: left alone
                _step(request, Status.ESCALATED, label=SYSTEM_LABEL, notify=[BUYER, PRODUCER, OFFICERS],
                      note=gettext_lazy("Chủ thể không trả lời trước hạn; yêu cầu được chuyển cho cán bộ giải quyết."))
                escalated += 1
    return escalated


def decide(request_id, *, actor, upheld: bool, note, amount=0, reference="") -> ReturnRequest:
    """An officer of the producer's province or a national admin settles an escalated request:
    upheld (with a refund of `amount`, and for cash or VietQR the bank transfer's `reference`) or
    rejected, with the reason."""
    note = _required(note, _("Hãy ghi lý do của quyết định."))
    with _locked(request_id) as (order, request):
        if not may_decide(actor, request):
            raise ReturnError(_("Chỉ cán bộ OCOP của tỉnh của chủ thể hoặc quản trị quốc gia giải quyết được yêu cầu này."))
        if request.status != Status.ESCALATED:
            raise ReturnError(_state(request))
        label = ADMIN_LABEL if roles.is_national_admin(actor) else _stored(
            gettext_lazy("cán bộ OCOP %(province)s"), province=request.suborder.producer.province.name)
        if not upheld:
            _step(request, Status.REJECTED, actor=actor, label=label, note=note, notify=[BUYER, PRODUCER])
        elif amount:
            _refund(order, request, amount, actor=actor, label=label, reference=reference, note=note,
                    notify=[BUYER, PRODUCER])
        else:
            _step(request, Status.UPHELD, actor=actor, label=label, note=note, notify=[BUYER, PRODUCER])
    return request


def withdraw(request_id, *, actor=None) -> ReturnRequest:
    """The buyer withdraws a request the producer has not answered yet."""
    with _locked(request_id) as (_order, request):
        if request.status != Status.OPEN:
            raise ReturnError(_state(request))
        _step(request, Status.WITHDRAWN, actor=actor, label=BUYER_LABEL, note=gettext_lazy("Người mua rút yêu cầu."),
              notify=[PRODUCER])
    return request


# --- Inside a step ---------------------------------------------------------------------------------

@contextmanager
def _locked(request_id):
    """`with _locked(pk) as (order, request)`: one transaction, the order row locked, then the request's."""
    order_id = ReturnRequest.objects.filter(pk=request_id).values_list("suborder__order_id", flat=True).first()
    if order_id is None:
        raise ReturnError(_("Không tìm thấy yêu cầu đổi trả."))
    with transaction.atomic():
        order = orders.locked(order_id)
        request = ReturnRequest.objects.select_for_update().get(pk=request_id)
        request.suborder = SubOrder.objects.select_related("producer__province").get(pk=request.suborder_id)
        request.suborder.order = order
        yield order, request


def _step(request, status, *, actor=None, label="", note="", notify=()) -> ReturnEvent:
    request.status = status
    request.save(update_fields=["status", "refund", "updated_at"])
    event = ReturnEvent.objects.create(request=request, status=status, actor=actor if actor is not None and
                                       actor.is_authenticated else None, actor_label=_stored(label)[:100],
                                       note=_stored(note)[:NOTE_MAX])
    notify_later(event, notify)
    return event


def _refund(order, request, amount, *, actor, label, notify, reference="", note=""):
    """Give `amount` back for the request's parcel (goods first, then its delivery fee) and close it
    upheld. RefundError (more than the order may refund, a gateway refusing, no reference for a
    manual refund) becomes a ReturnError: the transaction rolls back, nothing changes."""
    if type(amount) is not int or amount < 1:
        raise ReturnError(_("Số tiền hoàn phải là số đồng lớn hơn 0."))
    goods_left, shipping_left = parcel_left(request.suborder)
    goods = min(amount, goods_left)
    if amount - goods > shipping_left and amount <= refunds.refundable(order):
        raise ReturnError(_("Phần đơn này chỉ còn có thể hoàn %(left)s.") % {"left": format_vnd(goods_left + shipping_left)})
    reason = _stored(gettext_lazy("Đổi trả %(number)s: %(reason)s"), number=order.number,
                     reason=ReturnRequest.Reason(request.reason).label)
    try:
        made = refunds.refund(order, amount=amount, goods=goods, shipping=amount - goods, suborder=request.suborder,
                              actor=actor, reason=reason, reference=reference)
    except refunds.RefundError as error:
        raise ReturnError(str(error)) from None
    request.refund = made
    done = _stored(gettext_lazy("Đã hoàn %(amount)s qua %(method)s (mã %(reference)s)."), amount=format_vnd(amount),
                   method=PaymentMethod(order.payment_method).label, reference=made.reference)
    _step(request, Status.UPHELD, actor=actor, label=label, note=f"{note.strip()}\n{done}".strip(), notify=notify)


def _producer_may_answer(actor, request):
    if not is_member(actor, request):
        raise ReturnError(_("Chỉ thành viên của chủ thể trả lời được yêu cầu này."))
    if request.status != Status.OPEN:
        raise ReturnError(_state(request))
    if timezone.now() >= request.answer_by:
        raise ReturnError(_("Đã quá hạn trả lời; yêu cầu được chuyển cho cán bộ giải quyết."))


def _stored(text, **values) -> str:
    """A text to store (events, refunds) in the site's language, whoever acted: it reads the same to all."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text) % {name: str(value) for name, value in values.items()} if values else str(text)


def _required(text, message) -> str:
    text = (text or "").strip()
    if not text:
        raise ReturnError(message)
    if len(text) > NOTE_MAX:
        raise ReturnError(_("Nội dung dài tối đa %(count)s ký tự.") % {"count": NOTE_MAX})
    return text


def _state(request) -> str:
    if request.status in CLOSED:
        return _("Yêu cầu đã được giải quyết.")
    return _("Yêu cầu đang ở bước “%(status)s”: không thể làm việc này.") % {"status": request.get_status_display()}
