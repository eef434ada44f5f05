"""Pre-orders for the next season. A fresh product out of season whose producer takes pre-orders
(`ProductPage.preorder_allowed`) can be ordered now, at today's price, for delivery when its
season opens. Such an order waits as PREORDERED: no stock taken and nothing to pay yet.

When the season opens (the daily `open_seasons` task, and whenever its stock moves), the waiting
pre-orders are confirmed oldest first, each taking its stock at the price agreed: then it goes
the way of any order (cash on delivery: placed; online: awaiting payment, its window starting
then) and the buyer is e-mailed, once. One the stock cannot cover yet waits for more; one still
waiting when its season has come and gone is cancelled, and the buyer told. The buyer may cancel
a pre-order until it is confirmed.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import inventory, takedowns
from catalog.models import ProductPage
from shop import orders
from shop.emails import PREORDER_CONFIRMED, order_email_later
from shop.models import Order, OrderEvent, OrderLine
from shop.order_rules import OrderStatus, PaymentMethod

SYSTEM = _("hệ thống")
STRIPE_SESSION_HOURS = 23  # a Stripe Checkout session lasts 24 hours at most


def waiting(product_ids=None):
    """The waiting pre-orders, oldest first, with their lines' products (and season months)."""
    products = ProductPage.objects.prefetch_related("season_months")
    lines = OrderLine.objects.select_related("variant").prefetch_related(Prefetch("variant__product", products))
    found = Order.objects.filter(status=OrderStatus.PREORDERED).order_by("created_at", "pk")
    if product_ids is not None:
        found = found.filter(suborders__lines__variant__product_id__in=product_ids).distinct()
    return found.prefetch_related(Prefetch("suborders__lines", lines))


def confirm_waiting(today: datetime.date | None = None, product_ids=None) -> int:
    """Confirm every waiting pre-order whose products are all in season on `today` and in stock
    for it, oldest first; cancel those whose season has passed. Returns how many were confirmed."""
    today = today or timezone.localdate()
    confirmed = 0
    for order in waiting(product_ids):
        lines = [line for suborder in order.suborders.all() for line in suborder.lines.all()]
        products = [line.variant.product if line.variant else None for line in lines]
        if any(product is None or not product.live for product in products):
            _cancel(order, _("Sản phẩm đặt trước không còn được bán."))
        elif any(takedowns.is_taken_down(product) for product in products):
            continue  # hidden while a report is decided: it waits, neither confirmed nor cancelled
        elif all(not product.season_closed(today.month) for product in products):
            confirmed += confirm(order, lines)
        elif any(season_passed(product, order.preorder_for, today) for product in products):
            _cancel(order, _("Mùa vụ đã qua mà chủ thể không đủ hàng cho đơn đặt trước."))
    return confirmed


def confirm(order: Order, lines) -> bool:
    """Take the pre-order's stock and start its payment; False (nothing changed) when the stock
    cannot cover it yet or it is no longer waiting (cancelled meanwhile)."""
    with transaction.atomic():
        order = orders.locked(order.pk)
        if order.status != OrderStatus.PREORDERED:
            return False
        try:
            with transaction.atomic():
                inventory.take([inventory.Taking(line.variant_id, line.quantity, None) for line in lines])
        except inventory.StockError:
            return False
        to_status = OrderStatus.PLACED if order.payment_method == PaymentMethod.COD else OrderStatus.AWAITING_PAYMENT
        order.status, order.stock_reserved = to_status, True
        if to_status == OrderStatus.AWAITING_PAYMENT:  # a day or two to pay: the e-mail may come at night
            hours = settings.SHOP_PREORDER_PAY_HOURS
            if order.payment_method == PaymentMethod.STRIPE:
                hours = min(hours, STRIPE_SESSION_HOURS)
            order.pay_by = timezone.now() + datetime.timedelta(hours=hours)
        order.save(update_fields=["status", "stock_reserved", "pay_by", "updated_at"])
        OrderEvent.objects.record(order, to_status, from_status=OrderStatus.PREORDERED, actor_label=SYSTEM,
                                  note=_("Vào mùa: hàng đã được giữ cho đơn đặt trước."))
        order_email_later(order, PREORDER_CONFIRMED)
    return True


def season_passed(product: ProductPage, since: datetime.date | None, today: datetime.date) -> bool:
    """Out of season on `today` after being in season in some month from `since` on: the season
    the pre-order waited for came and went."""
    if since is None or today < since or not product.season_closed(today.month):
        return False
    month, year = since.month, since.year
    while (year, month) < (today.year, today.month):
        if product.in_season(month):
            return True
        month, year = (1, year + 1) if month == 12 else (month + 1, year)
    return False


def _cancel(order: Order, reason: str) -> None:
    try:
        orders.transition(order, OrderStatus.CANCELLED, actor_label=SYSTEM, note=reason)
    except orders.TransitionError:  # cancelled or confirmed meanwhile
        pass
