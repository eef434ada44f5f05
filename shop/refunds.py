"""Refunds: money given back to a buyer, through the order's own method where it has a refund call
(Stripe, VNPay, MoMo), otherwise (cash on delivery, bank transfer) as a bank transfer staff make
and record with its reference. Each refund locks the order row first, so two staff refunding at
once queue and the second sees what the first gave back; it can never exceed what was paid less
what was refunded; and the ledger takes back the producers' share in the same transaction.
"""

from django.db.models import Sum
from django.utils.translation import gettext as _

from catalog.text import format_vnd
from shop import ledger
from shop.models import Order, OrderEvent, Refund
from shop.order_rules import OrderStatus, PaymentMethod

# Statuses in which the buyer's money is (or was) with the platform.
PAID_STATUSES = {OrderStatus.PAID, OrderStatus.PROCESSING, OrderStatus.SHIPPED, OrderStatus.DELIVERED,
                 OrderStatus.REFUNDED}
GATEWAYS = {PaymentMethod.STRIPE, PaymentMethod.VNPAY, PaymentMethod.MOMO}


class RefundError(Exception):
    """Refused; the message is for the person who asked."""


def paid(order: Order) -> int:
    """What the buyer paid: the total once an online order is paid, or a cash one delivered."""
    if order.payment_method == PaymentMethod.COD:
        return order.total if order.ledger_entries.exists() else 0  # written when the cash was collected
    return order.total if order.status in PAID_STATUSES else 0


def refunded(order: Order) -> int:
    return order.refunds.filter(status=Refund.Status.DONE).aggregate(total=Sum("amount"))["total"] or 0


def refundable(order: Order) -> int:
    return max(paid(order) - refunded(order), 0)


def refund(order: Order, *, amount: int, goods: int, shipping: int, suborder=None, actor=None, reason: str,
           reference: str = "") -> Refund:
    """Give `amount` đồng back (of which `goods` and `shipping`, for the ledger). The caller holds the
    order row locked (`shop.orders.locked`) inside its transaction. Gateways are asked first; a
    manual refund needs the reference of the bank transfer staff made. RefundError: nothing done."""
    left = refundable(order)
    if amount <= 0:
        raise RefundError(_("Số tiền hoàn phải lớn hơn 0."))
    if amount > left:
        raise RefundError(_("Chỉ còn có thể hoàn %(left)s cho đơn %(number)s.") % {
            "left": format_vnd(left), "number": order.number})
    if suborder is None and amount != left:
        raise RefundError(_("Hoàn một phần phải chọn phần đơn của một chủ thể."))
    if goods + shipping != amount:
        raise RefundError(_("Tiền hàng và phí giao hoàn lại phải cộng đúng bằng số tiền hoàn."))
    if order.payment_method in GATEWAYS:
        reference = _through_gateway(order, amount, reason)
    elif not reference.strip():
        raise RefundError(_("Hãy nhập mã giao dịch của khoản chuyển khoản hoàn tiền."))
    made = Refund.objects.create(order=order, suborder=suborder, amount=amount, goods=goods, shipping=shipping,
                                 method=order.payment_method, reference=reference.strip()[:100],
                                 reason=reason[:300], created_by=actor)
    ledger.record_refund(made)
    OrderEvent.objects.record(order, actor=actor, note=_("Hoàn %(amount)s: %(reason)s") % {
        "amount": format_vnd(amount), "reason": reason})
    return made


def record_rest(order: Order, *, actor=None, reason: str) -> Refund | None:
    """The order moved to refunded (Stripe said so, or staff recorded a refund of the whole order):
    record what was not refunded yet, and take it back from the ledger."""
    left = refundable(order)
    if not left:
        return None
    made = Refund.objects.create(order=order, amount=left, goods=max(left - order.shipping_fee, 0),
                                 shipping=min(order.shipping_fee, left), method=order.payment_method,
                                 reason=reason[:300], created_by=actor)
    ledger.record_refund(made)
    return made


def _through_gateway(order: Order, amount: int, reason: str) -> str:
    if order.payment_method == PaymentMethod.STRIPE:
        from shop import payments

        try:
            result = payments.refund_stripe(order, amount, key=f"refund-{order.number}-{order.refunds.count() + 1}")
        except Exception as error:  # noqa: BLE001 - Stripe refused or could not be reached: nothing recorded
            raise RefundError(_("Stripe chưa hoàn được tiền (%(error)s).") % {"error": error.__class__.__name__}) from None
        return result.id
    from shop import gateways

    try:
        return gateways.refund(order, amount, reason)
    except gateways.GatewayError as error:
        raise RefundError(str(error)) from None
