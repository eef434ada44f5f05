"""Bank transfers that confirm themselves: Casso tells us each transfer into the shop's account.

Casso's webhook v2 signs each notification in the header `X-Casso-Signature: t=<ms>,v1=<hex>`:
HMAC-SHA512, keyed with the integration's checksum key ("Key bảo mật"), over
`<t>.<the JSON body with its object keys sorted A→Z at every level, compact>` (CassoHQ's
casso-webhook-v2-verify-signature). The signature is checked before anything is read, and `t`
(signed) refuses stale or replayed calls.

Each transfer is recorded once as a `PaymentNotice` (provider + Casso's transaction id, unique),
inside the transaction that acts on it: a repeated or concurrent delivery hits the unique
constraint, rolls back to its savepoint and changes nothing. A transfer whose message names a
VietQR order awaiting exactly that amount pays it; anything else waits, with the reason, on the
"Chuyển khoản chưa khớp" screen, where staff assign it to an order or record its refund.
"""

import hashlib
import hmac
import json
import re
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from catalog.text import format_vnd
from shop import orders
from shop.models import Order, OrderEvent, PaymentNotice
from shop.order_rules import OrderStatus, PaymentMethod

CASSO = "Casso"  # the actor of the payments it confirms, in the order's history
SIGNATURE_HEADER = "X-Casso-Signature"
FUTURE_SKEW_SECONDS = 60  # clocks differ a little; a signature from further ahead is refused
MAX_BODY_BYTES = 64 * 1024  # one transaction is well under 1 KiB
DUPLICATE = "duplicate"
ORDER_NUMBER = re.compile(r"DH\d{11}")  # shop.orders numbers orders "DH" + yymmdd + 5 digits
NOT_ALPHANUMERIC = re.compile(r"[^0-9A-Z]")
Outcome = PaymentNotice.Outcome


class SignatureError(ValueError):
    """The notification is refused (400): the message says why, briefly, for the service's log."""


class NoticeError(Exception):
    """Staff cannot do that with this notice; the message is for them."""


@dataclass(frozen=True)
class Transfer:
    """One incoming transfer, as a notification service told it (amount in đồng)."""

    provider: str
    reference: str
    amount: int
    message: str = ""
    payer: str = ""
    payload: dict = field(default_factory=dict)


# --- Casso: verifying and reading a notification ---------------------------------------------------

def casso_signature(data: dict, timestamp: str, key: str, *, ascii_only=False) -> str:
    """Casso's v1 signature of `data` at `timestamp` (milliseconds, as sent in `t`)."""
    signed = f"{timestamp}.{json.dumps(sorted_keys(data), separators=(',', ':'), ensure_ascii=ascii_only)}"
    return hmac.new(key.encode(), signed.encode(), hashlib.sha512).hexdigest()


def sorted_keys(value):
    if isinstance(value, dict):
        return {key: sorted_keys(value[key]) for key in sorted(value)}
    return value


def verify_casso(body: bytes, header: str, *, key: str, tolerance: int, now: float | None = None) -> dict:
    """The notification's data if Casso signed it within `tolerance` seconds; SignatureError if not.

    Casso's samples differ on non-ASCII text (JavaScript and Go send it as is, Python and PHP
    escape it as \\uXXXX): either spelling of the same data is accepted."""
    parts = dict(part.strip().partition("=")[::2] for part in (header or "").split(","))
    timestamp, signature = parts.get("t", ""), parts.get("v1", "").lower()
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 16
            and signature.isascii() and signature):
        raise SignatureError("Missing or malformed X-Casso-Signature.")
    if len(body) > MAX_BODY_BYTES:
        raise SignatureError("The body is too large.")
    try:
        data = json.loads(body)
        valid = isinstance(data, dict) and any(
            hmac.compare_digest(casso_signature(data, timestamp, key, ascii_only=ascii_only), signature)
            for ascii_only in (False, True))
    except (ValueError, RecursionError):  # not JSON (UnicodeDecodeError is a ValueError), or nested absurdly
        raise SignatureError("The body is not JSON.") from None
    if not valid:
        raise SignatureError("Invalid signature.")
    age = (time.time() if now is None else now) - int(timestamp) / 1000
    if age > tolerance or age < -FUTURE_SKEW_SECONDS:
        raise SignatureError("Stale or future timestamp.")
    return data


def casso_transfer(data: dict) -> Transfer | None:
    """The incoming transfer a verified Casso notification tells of, or None: an error report,
    money going out, or no transaction in it (nothing to record)."""
    item = data.get("data")
    if data.get("error") != 0 or not isinstance(item, dict):
        return None
    amount, reference = item.get("amount"), item.get("id")
    if type(amount) is not int or amount <= 0 or reference in (None, ""):
        return None
    payer = " · ".join(str(item.get(key) or "").strip() for key in (
        "counterAccountName", "counterAccountNumber", "counterAccountBankName") if item.get(key))
    return Transfer(provider=PaymentNotice.Provider.CASSO, reference=str(reference)[:100], amount=amount,
                    message=str(item.get("description") or "")[:500], payer=payer[:200], payload=data)


# --- Matching a transfer to an order ---------------------------------------------------------------

def order_numbers(message: str) -> list[str]:
    """The order numbers in a transfer message, in order: banks upper-case it, drop spaces and
    punctuation or add their own prefixes, so the number is looked for in its letters and digits."""
    found = ORDER_NUMBER.findall(NOT_ALPHANUMERIC.sub("", message.upper()))
    return list(dict.fromkeys(found))


def named_order(message: str) -> tuple[str, int | None]:
    """The first order number in `message` that names an order (else the first one, or "") and
    that order's id (None: no such order)."""
    numbers = order_numbers(message)
    ids = dict(Order.objects.filter(number__in=numbers).values_list("number", "pk"))
    number = next((number for number in numbers if number in ids), numbers[0] if numbers else "")
    return number, ids.get(number)


def problem_with(order: Order | None, amount: int, number: str = "") -> str:
    """Why `amount` cannot pay `order` (locked by the caller), in Vietnamese; "" when it pays it exactly."""
    if not number and order is None:
        return _("Không đọc được mã đơn hàng trong nội dung chuyển khoản.")
    if order is None:
        return _("Không có đơn hàng %(number)s.") % {"number": number}
    values = {"number": order.number, "total": format_vnd(order.total), "gap": format_vnd(abs(amount - order.total))}
    if order.payment_method != PaymentMethod.VIETQR:
        return _("Đơn %(number)s không thanh toán bằng chuyển khoản (%(method)s).") % {
            **values, "method": order.get_payment_method_display()}
    if order.status == OrderStatus.CANCELLED:
        if order.pay_by and order.pay_by < timezone.now():
            return _("Đơn %(number)s đã quá hạn thanh toán và bị huỷ.") % values
        return _("Đơn %(number)s đã bị huỷ.") % values
    if order.status == OrderStatus.PREORDERED:
        return _("Đơn %(number)s là đơn đặt trước, chưa đến lúc thanh toán.") % values
    if not order.is_awaiting_payment:
        return _("Đơn %(number)s đã được thanh toán trước đó: đây là một khoản chuyển thêm.") % values
    if amount < order.total:
        return _("Thiếu %(gap)s so với tổng đơn %(number)s (%(total)s).") % values
    if amount > order.total:
        return _("Thừa %(gap)s so với tổng đơn %(number)s (%(total)s).") % values
    return ""


# --- The operations ---------------------------------------------------------------------------------

def receive(transfer: Transfer) -> str:
    """Record `transfer` once and act on it: pay the order it names exactly (Outcome.PAID), or
    keep it for staff (Outcome.UNMATCHED, with the problem). DUPLICATE when it was recorded already
    (replayed, or delivered twice at once): nothing changes."""
    number, order_id = named_order(transfer.message)
    actor = PaymentNotice.Provider(transfer.provider).label
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):  # stored: for every staff member
        order = orders.locked(order_id) if order_id else None
        problem = problem_with(order, transfer.amount, number)
        try:
            with transaction.atomic():  # a savepoint around the unique provider + reference
                notice = PaymentNotice.objects.create(
                    provider=transfer.provider, reference=transfer.reference, order=order, amount=transfer.amount,
                    message=transfer.message, payer=transfer.payer, payload=transfer.payload,
                    outcome=Outcome.UNMATCHED if problem else Outcome.PAID, problem=problem[:300])
        except IntegrityError:  # another delivery of this transfer recorded it (and acted on it)
            return DUPLICATE
        if not problem:
            orders.transition(order, OrderStatus.PAID, actor_label=actor, note=transfer.reference)
        return notice.outcome


def unmatched():
    return PaymentNotice.objects.filter(outcome=Outcome.UNMATCHED).select_related("order")


def _claim(notice_id) -> PaymentNotice:
    """The notice, locked; NoticeError when someone has handled it already."""
    notice = PaymentNotice.objects.select_for_update().filter(pk=notice_id).first()
    if notice is None:
        raise NoticeError(_("Không tìm thấy khoản chuyển này."))
    if notice.outcome != Outcome.UNMATCHED:
        raise NoticeError(_("Khoản chuyển này đã được xử lý."))
    return notice


def _handled(notice, outcome, user, note, order=None):
    notice.outcome, notice.handled_by, notice.handled_at, notice.handled_note = outcome, user, timezone.now(), note
    notice.order = order or notice.order
    notice.save(update_fields=["outcome", "handled_by", "handled_at", "handled_note", "order"])
    return notice


def assign(notice_id, number: str, *, user, note="") -> PaymentNotice:
    """Staff: this transfer pays order `number`. Only an exact payment of a VietQR order awaiting it."""
    note = note.strip()[:300]
    wanted = ORDER_NUMBER.search(NOT_ALPHANUMERIC.sub("", number.upper()))
    with transaction.atomic():
        notice = _claim(notice_id)
        order = Order.objects.filter(number=wanted.group()).first() if wanted else None
        if order is None:
            raise NoticeError(_("Không có đơn hàng %(number)s.") % {"number": number.strip()[:20]})
        order = orders.locked(order.pk)
        problem = problem_with(order, notice.amount, order.number)
        if problem:
            raise NoticeError(problem)
        label = f"{notice.get_provider_display()} {notice.reference}"
        orders.transition(order, OrderStatus.PAID, actor=user, note=f"{label}. {note}" if note else label)
        return _handled(notice, Outcome.ASSIGNED, user, note, order)


GATEWAYS = (PaymentNotice.Provider.VNPAY, PaymentNotice.Provider.MOMO)


def refund(notice_id, *, user, note: str) -> PaymentNotice:
    """Staff: this money goes back to its sender. A bank transfer was sent back by hand (`note`:
    the bank's reference of the refund); a late VNPay or MoMo payment is refunded through the
    gateway now (its refund reference is added to the note)."""
    note = note.strip()[:300]
    with transaction.atomic():
        notice = _claim(notice_id)
        if notice.provider in GATEWAYS:
            from shop import gateways

            try:
                reference = gateways.refund_notice(notice, notice.amount, note or _("Hoàn khoản thanh toán muộn."))
            except gateways.GatewayError as error:
                raise NoticeError(str(error)) from None
            note = f"{notice.get_provider_display()} {reference}. {note}".strip()[:300]
        elif not note:
            raise NoticeError(_("Hãy nhập mã giao dịch hoàn tiền (hoặc ghi chú) của ngân hàng."))
        if notice.order_id:
            OrderEvent.objects.record(orders.locked(notice.order_id), actor=user, note=_(
                "Đã hoàn lại khoản chuyển %(amount)s (%(reference)s) cho người chuyển: %(note)s") % {
                "amount": format_vnd(notice.amount), "reference": notice.reference, "note": note})
        return _handled(notice, Outcome.REFUNDED, user, note)
