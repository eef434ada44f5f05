"""Placing orders and moving them through their statuses: the operations on orders, each in one
transaction. The rules they follow (statuses, moves, cascades) are declared in `shop.order_rules`.

Every operation that changes an order locks the order row first (`select_for_update`), so a
webhook, a staff click and the expiry job cannot interleave. Stock is taken and given back through
`catalog.inventory` (conditional updates: two buyers can never both get the last unit).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import inventory
from catalog.models import ProductVariant
from shop import bookings, ledger, order_rules, refunds
from shop.emails import order_email_later
from shop.models import CartLine, Order, OrderEvent, OrderLine, SubOrder
from shop.order_rules import FulfilmentStatus, OrderStatus, PaymentMethod
from shop.promotions import offers
from shop.promotions.models import CampaignPage, normalise_code
from shop.shipping import parcels


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
    minutes = {PaymentMethod.STRIPE: settings.SHOP_STRIPE_PAY_MINUTES, PaymentMethod.VNPAY: settings.SHOP_GATEWAY_PAY_MINUTES,
               PaymentMethod.MOMO: settings.SHOP_GATEWAY_PAY_MINUTES}.get(method, settings.SHOP_TRANSFER_PAY_MINUTES)
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
    order_email_later(order, order.status)
    return order


def _create(lines, contact, delivery_method, payment_method, idempotency_key, user, voucher_code="") -> Order:
    """Write the order, then take the stock: the variant rows stay locked only from the stock
    updates to the commit, so buyers of a popular product queue for as short a time as possible.
    Locks, in this order: the voucher's campaign (its limits), then the variants (stock)."""
    preorder_for = preorder_start(lines)
    voucher = discount_lines(lines, contact, user, voucher_code)
    subtotal = sum(line.total for line in lines)
    discount = sum(line.discount_total for line in lines)
    shipment = parcels(lines, contact.province, delivery_method)
    shipping = sum(parcel.fee for parcel in shipment)
    window = None if preorder_for else payment_window(payment_method)
    if preorder_for:
        status = OrderStatus.PREORDERED
    else:
        status = OrderStatus.PLACED if payment_method == PaymentMethod.COD else OrderStatus.AWAITING_PAYMENT
    order = Order.objects.create(
        number=f"tmp-{idempotency_key.hex[:16]}", user=user if user and user.is_authenticated else None,
        name=contact.name, phone=contact.phone, email=contact.email, street=contact.street,
        commune=contact.commune, province=contact.province, note=contact.note,
        delivery_method=delivery_method, payment_method=payment_method,
        status=status, stock_reserved=not preorder_for, preorder_for=preorder_for,
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
                  campaign=getattr(line, "campaign", None), unit_discount=getattr(line, "discount", 0),
                  booking_date=getattr(line, "booking_date", None))
        for suborder, parcel in zip(suborders, shipment)
        for line in parcel.lines
    ])
    OrderEvent.objects.record(order, from_status="", actor=order.user, actor_label=_("người mua"))
    bought = [line.pk for line in lines if line.pk]
    if bought:
        CartLine.objects.filter(pk__in=bought).delete()  # bought: out of the cart
    if preorder_for:  # no stock taken until the season opens (`shop.preorders`), at today's price
        check_prices(lines)
    else:
        take_places(lines)
        take_stock(lines)
    return order


def preorder_start(lines):
    """The season a pre-order waits for (its lines' latest), or None for an order to deliver now.
    Checkout places pre-orders apart (`shop.cart`); a mix is refused."""
    starts = {getattr(line, "preorder_for", None) for line in lines}
    if None in starts and len(starts) > 1:
        raise OrderError(_("Hàng đặt trước được đặt ở một đơn riêng; vui lòng xem lại giỏ hàng."))
    return max(starts - {None}, default=None)


def check_prices(lines):
    """OrderError when a line's price is no longer the variant's (changed since the buyer saw it)."""
    prices = dict(ProductVariant.objects.filter(pk__in={line.variant.pk for line in lines}).values_list("pk", "price"))
    for line in lines:
        if prices.get(line.variant.pk) != line.unit_price:
            raise OrderError(_("Giá của “%(name)s” vừa thay đổi; vui lòng xem lại giỏ hàng.") % {"name": line.label})


def discount_lines(lines, contact, user, voucher_code="") -> CampaignPage | None:
    """Recompute every line's discount on the server, inside the order's transaction, and return
    the voucher's campaign if a line uses it. The campaign row is locked so its total and per-buyer
    limits hold under concurrent orders. A discount that differs from what the buyer saw (a
    campaign ended, the voucher ran out) refuses the order, like a price change."""
    now = timezone.now()
    seen = [(getattr(line, "discount", 0), getattr(getattr(line, "campaign", None), "pk", None)) for line in lines]
    voucher = None
    code = normalise_code(voucher_code)
    if code:
        voucher = CampaignPage.objects.live().select_for_update().filter(voucher_code=code).first()
        buyer = offers.Buyer(user=user, email=contact.email, phone=contact.phone)
        try:
            offers.check_voucher(voucher, code, buyer=buyer, now=now)
        except offers.VoucherError as error:
            raise OrderError(_("%(problem)s Vui lòng bỏ mã trong giỏ hàng rồi đặt lại.") % {"problem": error}) from None
    offers.apply_offers(lines, voucher, now)
    for line, (discount, campaign_id) in zip(lines, seen):
        if (line.discount, line.campaign.pk if line.campaign else None) != (discount, campaign_id):
            raise OrderError(_("Ưu đãi của “%(name)s” vừa thay đổi; vui lòng xem lại giỏ hàng.") % {"name": line.label})
    if voucher is not None and any(line.campaign is not None and line.campaign.pk == voucher.pk for line in lines):
        return voucher
    return None


def take_places(lines):
    """Take the bookings' places (stays, tours: by date, not stock) at the price the buyer saw;
    OrderError rolls the order back. Slots are locked before the variants' stock."""
    booked = [line for line in lines if getattr(line, "booking_date", None)]
    if not booked:
        return
    check_prices(booked)
    try:
        bookings.take([bookings.Booking(line.variant.pk, line.booking_date, line.quantity) for line in booked])
    except bookings.BookingError as error:
        line = next(line for line in booked if (line.variant.pk, line.booking_date) == (error.variant_id, error.date))
        raise OrderError(bookings.too_few(line.variant, error.date, error.left)) from None


def take_stock(lines):
    """Take every line's units at the price the buyer saw; OrderError rolls the order back."""
    lines = [line for line in lines if not getattr(line, "booking_date", None)]  # bookings take places
    if not lines:
        return
    try:
        inventory.take([inventory.Taking(line.variant.pk, line.quantity, line.unit_price) for line in lines])
    except inventory.StockError as error:
        line = next(line for line in lines if line.variant.pk == error.variant_id)
        if error.price is not None and error.price != line.unit_price:
            raise OrderError(_("Giá của “%(name)s” vừa thay đổi; vui lòng xem lại giỏ hàng.") % {"name": line.label}) from None
        raise OrderError(_("“%(name)s” chỉ còn %(stock)s; vui lòng giảm số lượng.")
                         % {"name": line.label, "stock": error.available}) from None


def locked(order_id) -> Order:
    return Order.objects.select_for_update().get(pk=order_id)


def transition(order: Order, to_status, *, actor=None, actor_label="", note="") -> Order:
    """Move an order to `to_status` if the rules allow it, log it, cascade to its sub-orders and
    give stock back when it is cancelled. Locks the order; returns the fresh copy."""
    with transaction.atomic():
        order = locked(order.pk)
        if not order.can_move_to(to_status):
            raise TransitionError(_("Không thể chuyển đơn %(number)s từ “%(from)s” sang “%(to)s”.") % {
                "number": order.number, "from": order.get_status_display(), "to": OrderStatus(to_status).label})
        previous = order.status
        order.status = to_status
        order.save(update_fields=["status", "updated_at"])
        OrderEvent.objects.record(order, to_status, from_status=previous, actor=actor, actor_label=actor_label,
                                  note=note)
        if to_status in order_rules.CASCADE:
            left_alone, parcel_status = order_rules.CASCADE[to_status]
            shipped = order.suborders.filter(status__in=[FulfilmentStatus.SHIPPED, FulfilmentStatus.DELIVERED]).exists()
            order.suborders.exclude(status__in=left_alone).update(status=parcel_status)
            if to_status in order_rules.RELEASES_STOCK and not shipped:
                release_stock(order)
        follow_in_ledger(order, to_status, actor=actor, note=note)
        order_email_later(order, to_status)
    return order


def follow_in_ledger(order: Order, to_status, *, actor=None, note=""):
    """The producers' ledger after an order's move (inside its transaction): paid online or
    delivered, its parcels are written; refunded, whatever was not refunded yet is taken back."""
    if to_status == OrderStatus.DELIVERED:
        order.suborders.filter(status=FulfilmentStatus.DELIVERED, delivered_at__isnull=True).update(
            delivered_at=timezone.now())
    if to_status in (OrderStatus.PAID, OrderStatus.DELIVERED):
        live = order.suborders.exclude(status=FulfilmentStatus.CANCELLED).select_related("producer")
        for suborder in live if to_status == OrderStatus.PAID else live.filter(status=FulfilmentStatus.DELIVERED):
            ledger.record_sale(suborder)
    elif to_status == OrderStatus.REFUNDED:
        refunds.record_rest(order, actor=actor, reason=str(note) or _("Hoàn tiền cả đơn."))


def release_stock(order: Order):
    """Put the order's units back on the shelf, once (inside the caller's transaction)."""
    if not order.stock_reserved:
        return
    quantities, booked = {}, []
    for variant_id, quantity, date in OrderLine.objects.filter(suborder__order=order, variant__isnull=False).values_list(
            "variant_id", "quantity", "booking_date"):
        if date:  # a booking: its places go back, not stock
            booked.append(bookings.Booking(variant_id, date, quantity))
        else:
            quantities[variant_id] = quantities.get(variant_id, 0) + quantity
    if booked:
        bookings.give_back(booked)
    if quantities:
        inventory.give_back(quantities)
    order.stock_reserved = False
    order.save(update_fields=["stock_reserved"])


def fulfil(suborder: SubOrder, to_status, *, actor=None, tracking_number="") -> SubOrder:
    """A producer's step on its own parcel; the order follows when every parcel has moved."""
    with transaction.atomic():
        order = locked(suborder.order_id)
        suborder = SubOrder.objects.select_for_update().get(pk=suborder.pk)
        if not order.is_ready_to_fulfil:
            raise TransitionError(_("Đơn %(number)s đang “%(status)s”: chưa thể xử lý.") % {
                "number": order.number, "status": order.get_status_display()})
        if not suborder.can_move_to(to_status):
            raise TransitionError(_("Không thể chuyển phần đơn từ “%(from)s” sang “%(to)s”.") % {
                "from": suborder.get_status_display(), "to": FulfilmentStatus(to_status).label})
        if to_status == FulfilmentStatus.SHIPPED and not tracking_number.strip():
            raise TransitionError(_("Hãy nhập mã vận đơn khi gửi hàng."))
        previous = suborder.status
        suborder.status = to_status
        if tracking_number:
            suborder.tracking_number = tracking_number.strip()[:50]
        if to_status == FulfilmentStatus.DELIVERED:
            suborder.delivered_at = timezone.now()
        suborder.save(update_fields=["status", "tracking_number", "delivered_at"])
        if to_status == FulfilmentStatus.DELIVERED:  # cash collected (or, online, already written: no-op)
            ledger.record_sale(suborder)
        OrderEvent.objects.record(order, to_status, suborder=suborder, from_status=previous, actor=actor,
                                  note=suborder.tracking_number)
        live = set(order.suborders.exclude(status=FulfilmentStatus.CANCELLED).values_list("status", flat=True))
        if (next_status := order_rules.rolled_up(to_status, live, order.status)) is not None:
            transition(order, next_status, actor=actor)
    return suborder


def expire_unpaid_orders(now=None) -> int:
    """Cancel online orders not paid in time and give their stock back (run every few minutes)."""
    now = now or timezone.now()
    expired = 0
    for order in Order.objects.filter(status=OrderStatus.AWAITING_PAYMENT, pay_by__lt=now).only("pk"):
        try:
            transition(order, OrderStatus.CANCELLED, actor_label=_("hệ thống"), note=_("Quá hạn thanh toán."))
            expired += 1
        except TransitionError:  # paid meanwhile
            pass
    return expired
