"""Placing orders and moving them through their statuses: the one home of the order rules.

Every operation that changes an order runs in one transaction and locks the order row first
(`select_for_update`), so a webhook, a staff click and the expiry job cannot interleave. Stock is
taken with conditional updates (`stock >= quantity`) in variant-id order: two buyers can never
both get the last unit, and concurrent orders cannot deadlock.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import ProductVariant
from shop import campaigns
from shop.models import (
    CampaignPage,
    CartLine,
    FulfilmentStatus,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    PaymentMethod,
    SubOrder,
)
from search.signals import index_later
from shop.shipping import parcels
from shop.tasks import send_order_email

log = logging.getLogger(__name__)

S = OrderStatus
# Allowed order transitions, in one place. Online payments: awaiting payment → paid → processing
# → shipped → delivered; cash on delivery: placed → confirmed → shipped → delivered.
TRANSITIONS = {
    S.AWAITING_PAYMENT: {S.PAID, S.CANCELLED},
    S.PLACED: {S.CONFIRMED, S.CANCELLED},
    S.CONFIRMED: {S.SHIPPED, S.CANCELLED},
    S.PAID: {S.PROCESSING, S.SHIPPED, S.REFUNDED},
    S.PROCESSING: {S.SHIPPED, S.REFUNDED},
    S.SHIPPED: {S.DELIVERED},
    S.DELIVERED: {S.REFUNDED},
    S.CANCELLED: set(),
    S.REFUNDED: set(),
}
F_ = FulfilmentStatus
FULFILMENT_TRANSITIONS = {
    F_.PENDING: {F_.PROCESSING, F_.SHIPPED, F_.CANCELLED},
    F_.PROCESSING: {F_.SHIPPED, F_.CANCELLED},
    F_.SHIPPED: {F_.DELIVERED},
    F_.DELIVERED: set(),
    F_.CANCELLED: set(),
}
# A producer may start packing once the order is paid (or confirmed, for cash on delivery).
READY_TO_FULFIL = {S.PAID, S.PROCESSING, S.CONFIRMED, S.SHIPPED}


class OrderError(Exception):
    """A rule refused the operation; the message is for the person who asked."""


class TransitionError(OrderError):
    pass


@dataclass
class Contact:
    name: str
    phone: str
    email: str
    street: str
    commune: object
    province: object
    note: str = ""


def payment_window(method) -> timedelta | None:
    if method == PaymentMethod.COD:
        return None
    minutes = settings.SHOP_STRIPE_PAY_MINUTES if method == PaymentMethod.STRIPE else settings.SHOP_TRANSFER_PAY_MINUTES
    return timedelta(minutes=minutes)


def place_order(*, lines, contact: Contact, delivery_method, payment_method, idempotency_key, user=None,
                voucher_code="") -> Order:
    """Create the order from checked cart lines (`shop.cart.CheckedLine`), taking the stock.

    Raises OrderError (nothing saved) when a variant has less stock than asked, its price moved
    since the buyer saw it, the voucher can no longer be used by this buyer, or a line's discount
    changed. The same idempotency key returns the order it already made."""
    existing = Order.objects.filter(idempotency_key=idempotency_key).first()
    if existing:
        return existing
    if not lines:
        raise OrderError(_("Giỏ hàng của bạn đang trống."))
    try:
        with transaction.atomic():
            order = _create(lines, contact, delivery_method, payment_method, idempotency_key, user, voucher_code)
    except IntegrityError:
        existing = Order.objects.filter(idempotency_key=idempotency_key).first()
        if existing:  # the same form submitted twice at once: the other request made it
            return existing
        raise
    transaction.on_commit(lambda: send_order_email.enqueue(order.pk, order.status))
    return order


def _create(lines, contact, delivery_method, payment_method, idempotency_key, user, voucher_code="") -> Order:
    """Write the order, then take the stock: the variant rows stay locked only from the stock
    updates to the commit, so buyers of a popular product queue for as short a time as possible.
    Locks, in this order: the voucher's campaign (its limits), then the variants (stock)."""
    voucher = discount_lines(lines, contact, user, voucher_code)
    subtotal = sum(line.total for line in lines)
    discount = sum(line.discount_total for line in lines)
    shipment = parcels(lines, contact.province, delivery_method)
    shipping = sum(parcel.fee for parcel in shipment)
    window = payment_window(payment_method)
    order = Order.objects.create(
        number=f"tmp-{idempotency_key.hex[:16]}", user=user if user and user.is_authenticated else None,
        name=contact.name, phone=contact.phone, email=contact.email, street=contact.street,
        commune=contact.commune, province=contact.province, note=contact.note,
        delivery_method=delivery_method, payment_method=payment_method,
        status=S.PLACED if payment_method == PaymentMethod.COD else S.AWAITING_PAYMENT,
        subtotal=subtotal, shipping_fee=shipping, discount_total=discount, total=subtotal - discount + shipping,
        voucher_campaign=voucher, voucher_code=voucher.voucher_code if voucher else "", idempotency_key=idempotency_key,
        pay_by=timezone.now() + window if window else None,
    )
    order.number = f"DH{timezone.localtime(order.created_at):%y%m%d}{order.pk:05d}"
    order.save(update_fields=["number"])
    suborders = SubOrder.objects.bulk_create([
        SubOrder(order=order, producer=parcel.producer, weight_grams=parcel.weight_grams, shipping_fee=parcel.fee,
                 subtotal=parcel.subtotal)
        for parcel in shipment
    ])
    OrderLine.objects.bulk_create([
        OrderLine(suborder=suborder, variant=line.variant, product_title=line.product.title,
                  variant_name=line.variant.name, sku=line.variant.sku, unit_price=line.unit_price,
                  quantity=line.quantity, weight_grams=line.weight_grams,
                  campaign=getattr(line, "campaign", None), unit_discount=getattr(line, "discount", 0))
        for suborder, parcel in zip(suborders, shipment)
        for line in parcel.lines
    ])
    OrderEvent.objects.create(order=order, to_status=order.status, actor=order.user, actor_label=_("người mua"))
    bought = [line.pk for line in lines if line.pk]
    if bought:
        CartLine.objects.filter(pk__in=bought).delete()  # bought: out of the cart
    take_stock(lines)
    return order


def discount_lines(lines, contact, user, voucher_code="") -> CampaignPage | None:
    """Recompute every line's discount on the server, inside the order's transaction, and return
    the voucher's campaign if a line uses it. The campaign row is locked so its total and per-buyer
    limits hold under concurrent orders. A discount that differs from what the buyer saw (a
    campaign ended, the voucher ran out) refuses the order, like a price change."""
    now = timezone.now()
    seen = [(getattr(line, "discount", 0), getattr(getattr(line, "campaign", None), "pk", None)) for line in lines]
    voucher = None
    code = campaigns.normalise_code(voucher_code)
    if code:
        voucher = CampaignPage.objects.live().select_for_update().filter(voucher_code=code).first()
        buyer = campaigns.Buyer(user=user, email=contact.email, phone=contact.phone)
        try:
            campaigns.check_voucher(voucher, code, buyer=buyer, now=now)
        except campaigns.VoucherError as error:
            raise OrderError(_("%(problem)s Vui lòng bỏ mã trong giỏ hàng rồi đặt lại.") % {"problem": error}) from None
    campaigns.apply_offers(lines, voucher, now)
    for line, (discount, campaign_id) in zip(lines, seen):
        if (line.discount, line.campaign.pk if line.campaign else None) != (discount, campaign_id):
            raise OrderError(_("Ưu đãi của “%(name)s” vừa thay đổi; vui lòng xem lại giỏ hàng.") % {"name": line.label})
    if voucher is not None and any(line.campaign is not None and line.campaign.pk == voucher.pk for line in lines):
        return voucher
    return None


def take_stock(lines):
    """Conditional updates in variant order (no deadlocks); OrderError rolls the order back."""
    for line in sorted(lines, key=lambda line: line.variant.pk):
        taken = ProductVariant.objects.filter(
            pk=line.variant.pk, stock__gte=line.quantity, price=line.unit_price
        ).update(stock=F("stock") - line.quantity)
        if not taken:
            current = ProductVariant.objects.filter(pk=line.variant.pk).values("stock", "price").first()
            if current and current["price"] != line.unit_price:
                raise OrderError(_("Giá của “%(name)s” vừa thay đổi; vui lòng xem lại giỏ hàng.") % {"name": line.label})
            raise OrderError(_("“%(name)s” chỉ còn %(stock)s; vui lòng giảm số lượng.")
                             % {"name": line.label, "stock": current["stock"] if current else 0})
    reindex(sold_out_products([line.variant.pk for line in lines]))


def locked(order_id) -> Order:
    return Order.objects.select_for_update().get(pk=order_id)


def transition(order: Order, to_status, *, actor=None, actor_label="", note="") -> Order:
    """Move an order to `to_status` if the rules allow it, log it, cascade to its sub-orders and
    give stock back when it is cancelled. Locks the order; returns the fresh copy."""
    with transaction.atomic():
        order = locked(order.pk)
        if to_status not in TRANSITIONS[order.status]:
            raise TransitionError(_("Không thể chuyển đơn %(number)s từ “%(from)s” sang “%(to)s”.") % {
                "number": order.number, "from": order.get_status_display(), "to": S(to_status).label})
        previous = order.status
        order.status = to_status
        order.save(update_fields=["status", "updated_at"])
        OrderEvent.objects.create(order=order, from_status=previous, to_status=to_status, actor=actor,
                                  actor_label=actor_label, note=note[:300])
        if to_status in (S.CANCELLED, S.REFUNDED):
            shipped = order.suborders.filter(status__in=[F_.SHIPPED, F_.DELIVERED]).exists()
            order.suborders.exclude(status__in=[F_.SHIPPED, F_.DELIVERED]).update(status=F_.CANCELLED)
            if not shipped:
                release_stock(order)
        elif to_status == S.DELIVERED:
            order.suborders.exclude(status=F_.CANCELLED).update(status=F_.DELIVERED)
        transaction.on_commit(lambda: send_order_email.enqueue(order.pk, to_status))
    return order


def sold_out_products(variant_ids) -> list[int]:
    return list(ProductVariant.objects.filter(pk__in=variant_ids, stock=0).values_list("product_id", flat=True))


def reindex(product_ids):
    """Search shows "in stock" from the index, and orders move stock by UPDATE (no signals): the
    products that just sold out or came back are re-indexed after commit."""
    if product_ids:
        index_later(sorted(set(product_ids)))


def release_stock(order: Order):
    """Put the order's units back on the shelf, once (inside the caller's transaction)."""
    if not order.stock_reserved:
        return
    lines = list(OrderLine.objects.filter(suborder__order=order, variant__isnull=False).order_by("variant_id"))
    back_in_stock = sold_out_products([line.variant_id for line in lines])
    for line in lines:
        ProductVariant.objects.filter(pk=line.variant_id).update(stock=F("stock") + line.quantity)
    order.stock_reserved = False
    order.save(update_fields=["stock_reserved"])
    reindex(back_in_stock)


def fulfil(suborder: SubOrder, to_status, *, actor=None, tracking_number="") -> SubOrder:
    """A producer's step on its own parcel; the order follows when every parcel has moved."""
    with transaction.atomic():
        order = locked(suborder.order_id)
        suborder = SubOrder.objects.select_for_update().get(pk=suborder.pk)
        if order.status not in READY_TO_FULFIL:
            raise TransitionError(_("Đơn %(number)s đang “%(status)s”: chưa thể xử lý.") % {
                "number": order.number, "status": order.get_status_display()})
        if to_status not in FULFILMENT_TRANSITIONS[suborder.status]:
            raise TransitionError(_("Không thể chuyển phần đơn từ “%(from)s” sang “%(to)s”.") % {
                "from": suborder.get_status_display(), "to": F_(to_status).label})
        if to_status == F_.SHIPPED and not tracking_number.strip():
            raise TransitionError(_("Hãy nhập mã vận đơn khi gửi hàng."))
        previous = suborder.status
        suborder.status = to_status
        if tracking_number:
            suborder.tracking_number = tracking_number.strip()[:50]
        suborder.save(update_fields=["status", "tracking_number"])
        OrderEvent.objects.create(order=order, suborder=suborder, from_status=previous, to_status=to_status,
                                  actor=actor, note=suborder.tracking_number)
        statuses = set(order.suborders.exclude(status=F_.CANCELLED).values_list("status", flat=True))
        if to_status == F_.PROCESSING and order.status == S.PAID:
            transition(order, S.PROCESSING, actor=actor)
        elif to_status == F_.SHIPPED and statuses == {F_.SHIPPED} and order.status != S.SHIPPED:
            transition(order, S.SHIPPED, actor=actor)
        elif to_status == F_.DELIVERED and statuses == {F_.DELIVERED}:
            transition(order, S.DELIVERED, actor=actor)
    return suborder


def expire_unpaid_orders(now=None) -> int:
    """Cancel online orders not paid in time and give their stock back (run every few minutes)."""
    now = now or timezone.now()
    expired = 0
    for order in Order.objects.filter(status=S.AWAITING_PAYMENT, pay_by__lt=now).only("pk"):
        try:
            transition(order, S.CANCELLED, actor_label=_("hệ thống"), note=_("Quá hạn thanh toán."))
            expired += 1
        except TransitionError:  # paid meanwhile
            pass
    return expired
