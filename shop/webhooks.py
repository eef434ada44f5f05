"""Stripe's webhook: signed events move orders; each event is handled once.

The signature (and its timestamp, within Stripe's 5-minute tolerance) is checked with the stripe
library before anything is read. Events are recorded by their Stripe id inside the transaction
that acts on them, and the order row is locked first, so a replayed or concurrent delivery of
the same event changes nothing.
"""

import logging

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from shop import orders, payments
from shop.models import Order, OrderEvent, StripeEvent
from shop.order_rules import OrderStatus

log = logging.getLogger(__name__)
STRIPE = "Stripe"


@csrf_exempt
@require_POST
def stripe_webhook(request):
    if not settings.STRIPE_WEBHOOK_SECRET:
        return HttpResponseBadRequest("Stripe webhooks are not configured.")
    try:
        event = stripe.Webhook.construct_event(
            request.body, request.headers.get("Stripe-Signature", ""), settings.STRIPE_WEBHOOK_SECRET
        )
    except (ValueError, stripe.SignatureVerificationError) as error:
        log.warning("Refused a Stripe webhook: %s", error)
        return HttpResponseBadRequest("Invalid payload or signature.")
    outcome = handle(event)
    return HttpResponse(outcome, content_type="text/plain")


def handle(event) -> str:
    try:
        with transaction.atomic():
            if StripeEvent.objects.filter(event_id=event.id).exists():
                return "duplicate"
            obj = event.data.object.to_dict()  # plain dicts: stripe 16 objects are not dicts
            order = _order_for(event.type, obj)
            StripeEvent.objects.create(event_id=event.id, type=event.type, order=order)
            if order is None:
                return "ignored"
            return _act(event.type, obj, order)
    except IntegrityError:  # the same event delivered twice at once: the other delivery handled it
        return "duplicate"


def _order_for(event_type, obj) -> Order | None:
    if event_type in ("checkout.session.completed", "checkout.session.expired"):
        number = obj.get("client_reference_id") or (obj.get("metadata") or {}).get("order")
        order = Order.objects.filter(number=number).first() if number else None
    elif event_type == "charge.refunded":
        intent = obj.get("payment_intent")
        order = Order.objects.filter(stripe_payment_intent=intent).first() if intent else None
    else:
        return None
    return orders.locked(order.pk) if order else None


def _act(event_type, obj, order: Order) -> str:
    if event_type == "checkout.session.completed":
        if obj.get("payment_status") != "paid":
            return "not paid yet"
        if obj.get("amount_total") != order.total or str(obj.get("currency", "")).lower() != "vnd":
            # VND is zero-decimal for Stripe: the amount is the number of đồng. Anything else (no amount,
            # another currency, another sum) pays nothing: staff look into it.
            log.error("Stripe paid %s %s for order %s of %s VND", obj.get("amount_total"), obj.get("currency"),
                      order.number, order.total)
            OrderEvent.objects.record(order, actor_label=STRIPE, note=(
                f"Stripe báo đã trả {obj.get('amount_total')} {str(obj.get('currency') or '?').upper()}, "
                f"khác tổng đơn {order.total} VND: chưa ghi nhận thanh toán."))
            return "amount mismatch"
        if order.is_awaiting_payment:
            order.stripe_payment_intent = obj.get("payment_intent") or ""
            order.save(update_fields=["stripe_payment_intent"])
            orders.transition(order, OrderStatus.PAID, actor_label=STRIPE)
            return "paid"
        if order.status != OrderStatus.CANCELLED or obj.get("payment_intent") in ("", None, order.stripe_payment_intent):
            return "already paid"  # a second session completed for a paid order, or the same payment again
        # Paid after the order was cancelled (its payment window passed): give the money back.
        order.stripe_payment_intent = obj.get("payment_intent")
        order.save(update_fields=["stripe_payment_intent"])
        OrderEvent.objects.record(order, actor_label=STRIPE, note="Thanh toán đến sau khi đơn đã huỷ: hoàn tiền tự động.")
        transaction.on_commit(lambda: payments.refund_stripe(order))
        return "refunding late payment"
    if event_type == "checkout.session.expired":
        if order.is_awaiting_payment:
            orders.transition(order, OrderStatus.CANCELLED, actor_label=STRIPE, note="Phiên thanh toán Stripe hết hạn.")
            return "cancelled"
        return "nothing to do"
    if event_type == "charge.refunded":
        if obj.get("refunded") and order.can_move_to(OrderStatus.REFUNDED):
            orders.transition(order, OrderStatus.REFUNDED, actor_label=STRIPE)
            return "refunded"
        return "nothing to do"
    return "ignored"
