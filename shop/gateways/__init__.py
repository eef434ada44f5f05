"""The payment gateways that send the buyer to their own page (VNPay, MoMo), behind one small interface.

Each gateway module builds and signs its requests and verifies what comes back; what a verified
result does to an order is decided once, here (`settle`), so both follow the same rules:

- the amount must be the order's total, or nothing is recorded;
- each gateway transaction is recorded once (`PaymentNotice`, unique per provider and reference),
  with the order row locked, so a replayed or concurrent notification changes nothing;
- money for an order still awaiting payment by that gateway pays it; money for an order that can
  no longer take it (cancelled, expired, paid already) is kept UNMATCHED for staff to refund;
- a failed payment is recorded (FAILED) and leaves the order as it was.

`refund(order, amount, reason)` gives money back through the gateway that took it and returns the
gateway's reference of the refund; it changes no order and writes no refund record (`shop.refunds`
does both). `refund_notice(notice, …)` does the same for one recorded notice (a late payment kept
UNMATCHED has no paid order). `GatewayError` carries a message for staff or the buyer, in Vietnamese.
"""

import enum
import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from catalog.text import format_vnd

log = logging.getLogger(__name__)
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")  # the gateways' clocks: timestamps are Vietnam time
TIMEOUT_SECONDS = 30  # MoMo asks for at least 30 s; VNPay's API gets the same


class GatewayError(Exception):
    """The gateway refused or could not be reached; the message (Vietnamese) says so to a person."""


class Result(enum.Enum):
    """What became of a verified notification, for the gateway's own answer codes."""

    CONFIRMED = "confirmed"  # recorded now: the order is paid, or the failed attempt noted
    ALREADY = "already"  # recorded before, or the order no longer awaits this payment
    NOT_FOUND = "not found"  # no such order: nothing recorded
    BAD_AMOUNT = "bad amount"  # not the order's total: nothing recorded


@dataclass(frozen=True)
class Notice:
    """One gateway transaction as a verified notification tells it (amount in đồng)."""

    provider: str  # PaymentNotice.Provider
    reference: str  # the gateway's transaction id
    order_number: str
    amount: int
    paid: bool
    payload: dict = field(default_factory=dict)
    message: str = ""
    payer: str = ""


def vietnam_time(moment=None) -> str:
    """`moment` (default now) as the gateways write it: yyyyMMddHHmmss, Vietnam time."""
    return timezone.localtime(moment or timezone.now(), VIETNAM).strftime("%Y%m%d%H%M%S")


def attempt_id(order, now_ms: int | None = None) -> str:
    """A reference for one attempt to pay `order` ("DH…-<milliseconds>"): both gateways want it unique
    (MoMo per request, VNPay within the day), and a buyer may start paying again."""
    return f"{order.number}-{time.time_ns() // 1_000_000 if now_ms is None else now_ms}"


def order_number(attempt: str) -> str:
    return str(attempt).rsplit("-", 1)[0]


def post_json(url: str, body: dict, *, gateway: str) -> dict:
    """POST `body` as JSON and return the JSON answer; GatewayError when that is not possible."""
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            answer = json.loads(response.read())
    except (OSError, ValueError) as error:  # URLError, HTTPError and timeouts are OSErrors; bad JSON a ValueError
        log.warning("%s could not be reached at %s: %s", gateway, url, error)
        raise GatewayError(_("Không kết nối được %(gateway)s, vui lòng thử lại sau.") % {"gateway": gateway}) from None
    if not isinstance(answer, dict):
        raise GatewayError(_("%(gateway)s trả lời không đúng định dạng.") % {"gateway": gateway})
    return answer


# --- What a verified notification does ---------------------------------------------------------------

def settle(notice: Notice) -> Result:
    """Record `notice` once and act on it (the rules are in this module's docstring)."""
    from shop.models import Order, PaymentNotice

    order = Order.objects.filter(number=notice.order_number).first()
    if order is None:
        return Result.NOT_FOUND
    if notice.amount != order.total:
        log.error("%s sent %s đồng for order %s of %s", notice.provider, notice.amount, order.number, order.total)
        return Result.BAD_AMOUNT
    try:
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):  # stored: for every staff member
            from shop import orders

            order = orders.locked(order.pk)
            if PaymentNotice.objects.filter(provider=notice.provider, reference=notice.reference).exists():
                return Result.ALREADY
            return _record(order, notice)
    except IntegrityError:  # the same transaction delivered twice at once: the other delivery recorded it
        return Result.ALREADY


def _record(order, notice: Notice) -> Result:
    from shop import orders
    from shop.models import OrderEvent, PaymentNotice
    from shop.order_rules import OrderStatus

    label = PaymentNotice.Provider(notice.provider).label
    awaiting = order.is_awaiting_payment and order.payment_method == notice.provider  # the same slugs
    fields = {"provider": notice.provider, "reference": notice.reference, "order": order, "amount": notice.amount,
              "message": notice.message[:500], "payer": notice.payer[:200], "payload": notice.payload}
    if not notice.paid:
        PaymentNotice.objects.create(outcome=PaymentNotice.Outcome.FAILED, **fields)
        return Result.CONFIRMED if awaiting else Result.ALREADY
    if awaiting:
        PaymentNotice.objects.create(outcome=PaymentNotice.Outcome.PAID, **fields)
        orders.transition(order, OrderStatus.PAID, actor_label=label, note=f"{label} {notice.reference}")
        return Result.CONFIRMED
    if order.status == OrderStatus.CANCELLED:
        problem = _("Đơn đã huỷ khi tiền về: cần hoàn tiền")
    else:
        problem = _("Đơn không còn chờ thanh toán qua %(gateway)s khi tiền về: cần hoàn tiền") % {"gateway": label}
    PaymentNotice.objects.create(outcome=PaymentNotice.Outcome.UNMATCHED, problem=problem[:300], **fields)
    OrderEvent.objects.record(order, actor_label=label, note=_("%(gateway)s báo đã nhận %(amount)s (giao dịch "
                              "%(reference)s). %(problem)s.") % {"gateway": label, "amount": format_vnd(notice.amount),
                                                                 "reference": notice.reference, "problem": problem})
    return Result.ALREADY


# --- Refunds ------------------------------------------------------------------------------------------

def refund(order, amount: int, reason: str) -> str:
    """Give `amount` đồng of `order`'s gateway payment back; the gateway's reference of the refund."""
    from shop.models import PaymentNotice

    notice = (PaymentNotice.objects.filter(order=order, provider=order.payment_method,
                                           outcome=PaymentNotice.Outcome.PAID).order_by("pk").last()
              if order.payment_method in (PaymentNotice.Provider.VNPAY, PaymentNotice.Provider.MOMO) else None)
    if notice is None:
        raise GatewayError(_("Đơn %(number)s không có khoản thanh toán qua VNPay hoặc MoMo để hoàn.") % {
            "number": order.number})
    return refund_notice(notice, amount, reason)


def refund_notice(notice, amount: int, reason: str) -> str:
    """Refund (part of) the money one recorded notice brought in: a paid order's, or a late payment
    kept UNMATCHED. Never more than it brought."""
    from shop.gateways import momo, vnpay
    from shop.models import PaymentNotice

    if type(amount) is not int or amount <= 0:
        raise GatewayError(_("Số tiền hoàn phải lớn hơn 0."))
    if amount > notice.amount:
        raise GatewayError(_("Không thể hoàn %(amount)s: giao dịch %(reference)s chỉ thu %(paid)s.") % {
            "amount": format_vnd(amount), "reference": notice.reference, "paid": format_vnd(notice.amount)})
    gateway = {PaymentNotice.Provider.VNPAY: vnpay, PaymentNotice.Provider.MOMO: momo}.get(notice.provider)
    if gateway is None:
        raise GatewayError(_("Khoản này không đến từ VNPay hay MoMo."))
    return gateway.refund(notice, amount, reason)
