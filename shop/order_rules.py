"""The order rules, declared once: the statuses of an order and of each producer's sub-order, the
moves between them, what each status lets the buyer, a producer and staff do, and how a move of
the order cascades to its sub-orders (and theirs rolls up to the order).

`shop.orders` carries the moves out (locks, events, stock, e-mails); the models answer questions
from these tables (`order.can_be_cancelled_by_buyer`, `order.staff_actions()`,
`suborder.producer_actions()`); views and templates ask the models, never compare status slugs.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentMethod(models.TextChoices):
    COD = "cod", _("Thanh toán khi nhận hàng (COD)")
    VIETQR = "vietqr", _("Chuyển khoản ngân hàng (VietQR)")
    STRIPE = "stripe", _("Thẻ quốc tế (Stripe)")
    VNPAY = "vnpay", _("VNPay (thẻ ATM, QR ngân hàng)")
    MOMO = "momo", _("Ví MoMo")


class OrderStatus(models.TextChoices):
    PREORDERED = "dat-truoc", _("Đặt trước – chờ vào mùa")
    AWAITING_PAYMENT = "cho-thanh-toan", _("Chờ thanh toán")
    PLACED = "da-dat", _("Đã đặt (COD)")
    CONFIRMED = "da-xac-nhan", _("Đã xác nhận")
    PAID = "da-thanh-toan", _("Đã thanh toán")
    PROCESSING = "dang-xu-ly", _("Đang chuẩn bị")
    SHIPPED = "dang-giao", _("Đang giao")
    DELIVERED = "da-giao", _("Đã giao")
    CANCELLED = "da-huy", _("Đã huỷ")
    REFUNDED = "da-hoan-tien", _("Đã hoàn tiền")


class FulfilmentStatus(models.TextChoices):
    PENDING = "cho-xu-ly", _("Chờ xử lý")
    PROCESSING = "dang-xu-ly", _("Đang chuẩn bị")
    SHIPPED = "da-gui", _("Đã gửi hàng")
    DELIVERED = "da-giao", _("Đã giao")
    CANCELLED = "da-huy", _("Đã huỷ")


# Online payments: awaiting payment → paid → processing → shipped → delivered;
# cash on delivery: placed → confirmed → shipped → delivered. A pre-order waits for its season
# (no stock taken, nothing to pay) and then starts one of those two paths (`shop.preorders`).
ORDER_TRANSITIONS = {
    OrderStatus.PREORDERED: {OrderStatus.PLACED, OrderStatus.AWAITING_PAYMENT, OrderStatus.CANCELLED},
    OrderStatus.AWAITING_PAYMENT: {OrderStatus.PAID, OrderStatus.CANCELLED},
    OrderStatus.PLACED: {OrderStatus.CONFIRMED, OrderStatus.CANCELLED},
    OrderStatus.CONFIRMED: {OrderStatus.SHIPPED, OrderStatus.CANCELLED},
    OrderStatus.PAID: {OrderStatus.PROCESSING, OrderStatus.SHIPPED, OrderStatus.REFUNDED},
    OrderStatus.PROCESSING: {OrderStatus.SHIPPED, OrderStatus.REFUNDED},
    OrderStatus.SHIPPED: {OrderStatus.DELIVERED},
    OrderStatus.DELIVERED: {OrderStatus.REFUNDED},
    OrderStatus.CANCELLED: set(),
    OrderStatus.REFUNDED: set(),
}
FULFILMENT_TRANSITIONS = {
    FulfilmentStatus.PENDING: {FulfilmentStatus.PROCESSING, FulfilmentStatus.SHIPPED, FulfilmentStatus.CANCELLED},
    FulfilmentStatus.PROCESSING: {FulfilmentStatus.SHIPPED, FulfilmentStatus.CANCELLED},
    FulfilmentStatus.SHIPPED: {FulfilmentStatus.DELIVERED},
    FulfilmentStatus.DELIVERED: set(),
    FulfilmentStatus.CANCELLED: set(),
}

# Not yet accepted by the shop (unpaid, or cash on delivery not confirmed): the buyer may still cancel.
PENDING = {OrderStatus.PREORDERED, OrderStatus.AWAITING_PAYMENT, OrderStatus.PLACED}
# Producers may pack and ship once the order is paid (or, for cash on delivery, confirmed).
READY_TO_FULFIL = {OrderStatus.PAID, OrderStatus.PROCESSING, OrderStatus.CONFIRMED, OrderStatus.SHIPPED}
# ... and while it is in these, the next step is theirs, parcel by parcel.
WITH_PRODUCERS = {OrderStatus.PAID, OrderStatus.PROCESSING, OrderStatus.CONFIRMED}
# Orders that count as sold (reports, voucher uses): everything but what was undone.
UNDONE = {OrderStatus.CANCELLED, OrderStatus.REFUNDED}

# An order's move cascades to its parcels: {order status: (parcel statuses left alone, new status)}.
# Stock goes back on a cancellation or refund only if nothing was shipped yet (`shop.orders`).
CASCADE = {
    OrderStatus.CANCELLED: ({FulfilmentStatus.SHIPPED, FulfilmentStatus.DELIVERED}, FulfilmentStatus.CANCELLED),
    OrderStatus.REFUNDED: ({FulfilmentStatus.SHIPPED, FulfilmentStatus.DELIVERED}, FulfilmentStatus.CANCELLED),
    OrderStatus.DELIVERED: ({FulfilmentStatus.CANCELLED}, FulfilmentStatus.DELIVERED),
}
RELEASES_STOCK = {OrderStatus.CANCELLED, OrderStatus.REFUNDED}


def rolled_up(parcel_step, parcel_statuses: set, order_status) -> str | None:
    """The order's next status after a parcel moved to `parcel_step`, given every live parcel's
    status: packing starts a paid order's processing; the last parcel shipped ships the order; the
    last one delivered delivers it. None: the order stays."""
    if parcel_step == FulfilmentStatus.PROCESSING and order_status == OrderStatus.PAID:
        return OrderStatus.PROCESSING
    sent = {FulfilmentStatus.SHIPPED, FulfilmentStatus.DELIVERED}  # one may arrive before the last is sent
    if (parcel_step == FulfilmentStatus.SHIPPED and parcel_statuses <= sent
            and order_status != OrderStatus.SHIPPED):
        return OrderStatus.SHIPPED
    if parcel_step == FulfilmentStatus.DELIVERED and parcel_statuses == {FulfilmentStatus.DELIVERED}:
        return OrderStatus.DELIVERED
    return None


# What the buyer reads on the order page while the order is in a status.
BUYER_NOTICES = {
    OrderStatus.PREORDERED: _("Cảm ơn bạn! Đơn đặt trước đã được ghi nhận với giá hôm nay. Chưa cần thanh toán và "
                              "chưa giữ hàng: khi vào mùa, đơn được xác nhận theo thứ tự đặt và chúng tôi gửi email "
                              "cho bạn. Bạn có thể huỷ đơn trước lúc đó."),
    OrderStatus.PLACED: _("Cảm ơn bạn! Đơn hàng đã được ghi nhận. Bạn trả tiền khi nhận hàng; chúng tôi đã gửi "
                          "email xác nhận."),
    OrderStatus.PAID: _("Cảm ơn bạn! Chúng tôi đã nhận được tiền; các chủ thể đang chuẩn bị hàng."),
}


@dataclass(frozen=True)
class StaffAction:
    """A button on the staff's order page: a move of the whole order, for some payment methods."""

    name: str
    label: str
    to_status: str
    methods: tuple = ()  # the payment methods it applies to; empty: every method
    danger: bool = False


STAFF_ACTIONS = (
    StaffAction("xac-nhan-chuyen-khoan", _("Xác nhận đã nhận chuyển khoản"), OrderStatus.PAID,
                (PaymentMethod.VIETQR,)),
    StaffAction("xac-nhan-cod", _("Xác nhận đơn COD"), OrderStatus.CONFIRMED, (PaymentMethod.COD,)),
    StaffAction("da-giao-thu-tien", _("Đã giao, đã thu tiền"), OrderStatus.DELIVERED, (PaymentMethod.COD,)),
    StaffAction("da-giao", _("Đã giao hàng"), OrderStatus.DELIVERED,
                (PaymentMethod.VIETQR, PaymentMethod.STRIPE, PaymentMethod.VNPAY, PaymentMethod.MOMO)),
    # Stripe's refund is asked of Stripe; its webhook then moves the order (`shop.payments`).
    StaffAction("hoan-tien", _("Hoàn tiền"), OrderStatus.REFUNDED, (PaymentMethod.STRIPE,), danger=True),
    # VNPay's and MoMo's refund calls answer at once (`shop.refunds`), so the order moves with them.
    StaffAction("hoan-tien-cong", _("Hoàn tiền qua cổng thanh toán"), OrderStatus.REFUNDED,
                (PaymentMethod.VNPAY, PaymentMethod.MOMO), danger=True),
    StaffAction("da-hoan-tien", _("Ghi nhận đã hoàn tiền"), OrderStatus.REFUNDED,
                (PaymentMethod.VIETQR, PaymentMethod.COD), danger=True),
    StaffAction("huy", _("Huỷ đơn"), OrderStatus.CANCELLED, danger=True),
)
STAFF_ACTIONS_BY_NAME = {action.name: action for action in STAFF_ACTIONS}
REFUND_THROUGH_STRIPE = "hoan-tien"
REFUND_THROUGH_GATEWAY = "hoan-tien-cong"


@dataclass(frozen=True)
class ProducerAction:
    """A step a producer records on its own parcel."""

    name: str
    label: str
    to_status: str
    needs_tracking: bool = False
    primary: bool = False


PRODUCER_ACTIONS = (
    ProducerAction("dang-chuan-bi", _("Đang chuẩn bị"), FulfilmentStatus.PROCESSING),
    ProducerAction("da-gui", _("Đã gửi hàng"), FulfilmentStatus.SHIPPED, needs_tracking=True, primary=True),
    ProducerAction("da-giao", _("Đã giao"), FulfilmentStatus.DELIVERED, primary=True),
)
PRODUCER_ACTIONS_BY_NAME = {action.name: action for action in PRODUCER_ACTIONS}
