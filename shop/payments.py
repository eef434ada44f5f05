"""The ways to pay, behind one small interface: cash on delivery, bank transfer by VietQR, card
through a Stripe Checkout Session, and VNPay and MoMo (`shop.gateways`); the last three only when
their keys are set.

`start(order, request)` answers where the buyer goes next. Amounts always come from the order
on the server; VND is zero-decimal for Stripe, so the amount sent is the number of đồng.
"""

from datetime import timedelta

import stripe
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from shop import vietqr
from shop.gateways import momo, vnpay
from shop.models import Order, OrderLine
from shop.order_rules import PaymentMethod


def available_methods() -> list[PaymentMethod]:
    methods = [PaymentMethod.COD, PaymentMethod.VIETQR]
    if settings.STRIPE_SECRET_KEY:
        methods.append(PaymentMethod.STRIPE)
    if settings.VNPAY_TMN_CODE and settings.VNPAY_HASH_SECRET:
        methods.append(PaymentMethod.VNPAY)
    if settings.MOMO_PARTNER_CODE and settings.MOMO_ACCESS_KEY and settings.MOMO_SECRET_KEY:
        methods.append(PaymentMethod.MOMO)
    return methods


def stripe_client():
    base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else {}
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, base_addresses=base, max_network_retries=2)


def start(order: Order, request) -> str:
    """The URL the buyer goes to after placing `order`."""
    if order.payment_method == PaymentMethod.STRIPE and order.is_awaiting_payment:  # a pre-order pays later
        return stripe_checkout_url(order, request)
    if order.payment_method == PaymentMethod.VNPAY and order.is_awaiting_payment:  # VNPay's page, signed
        return vnpay.payment_url(order, request)
    if order.payment_method == PaymentMethod.MOMO and order.is_awaiting_payment:  # MoMo's page, from its create call
        return momo.pay_url(order, request)
    return order.get_absolute_url()


def stripe_checkout_url(order: Order, request) -> str:
    """Create (once per order: the order number is the idempotency key) a Checkout Session for
    the order's lines and shipping, and return its payment page."""
    line_items = [
        {"price_data": {"currency": "vnd", "unit_amount": line.net_unit_price,  # after the campaign discount: the sum is order.total
                        "product_data": {"name": f"{line.product_title} – {line.variant_name}"}},
         "quantity": line.quantity}
        for line in order_lines(order)
    ]
    if order.shipping_fee:
        line_items.append({"price_data": {"currency": "vnd", "unit_amount": order.shipping_fee,
                                          "product_data": {"name": _("Phí giao hàng")}}, "quantity": 1})
    order_url = request.build_absolute_uri(order.get_absolute_url())
    session = stripe_client().v1.checkout.sessions.create(
        params={
            "mode": "payment",
            "line_items": line_items,
            "customer_email": order.email,
            "client_reference_id": order.number,
            "metadata": {"order": order.number},
            "success_url": order_url + "&thanh-toan=xong",
            "cancel_url": order_url + "&thanh-toan=huy",
            "expires_at": int(session_expiry(order.pay_by).timestamp()),
            "locale": "vi" if request.LANGUAGE_CODE == "vi" else "en",
        },
        options={"idempotency_key": f"checkout-{order.number}"},
    )
    Order.objects.filter(pk=order.pk).update(stripe_session_id=session.id)
    return session.url


def session_expiry(pay_by, now=None):
    """When the Checkout Session ends: the order's deadline, within what Stripe accepts (30
    minutes to 24 hours from now); a session opened late in the window runs a little past it."""
    now = now or timezone.now()
    return min(max(pay_by, now + timedelta(minutes=31)), now + timedelta(hours=23, minutes=59))


def order_lines(order):
    return OrderLine.objects.filter(suborder__order=order).order_by("suborder", "pk")


def transfer_message(order: Order) -> str:
    return f"Thanh toan {order.number}"


def vietqr_payload(order: Order) -> str:
    return vietqr.payload(bank_bin=settings.SHOP_BANK_BIN, account=settings.SHOP_BANK_ACCOUNT,
                          amount=order.total, message=transfer_message(order))


def refund_stripe(order: Order, amount: int | None = None, key: str = ""):
    """Ask Stripe to refund the order's payment; `charge.refunded` then marks the order refunded.
    `key` makes each refund of an order its own request (a partial refund, then another)."""
    if not order.stripe_payment_intent:
        raise ValueError(_("Đơn này không có khoản thanh toán Stripe để hoàn."))
    params = {"payment_intent": order.stripe_payment_intent}
    if amount:
        params["amount"] = amount
    return stripe_client().v1.refunds.create(params=params, options={"idempotency_key": key or f"refund-{order.number}"})

