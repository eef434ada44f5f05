"""Orders split per producer, their lines and history, and the payment events already handled.

Money is integer đồng. Order lines copy what was bought (title, pack, price, weight) so an order
reads the same after the catalogue changes. Statuses and what each allows are declared once, in
`shop.order_rules`; the models below answer from those tables.
"""

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shop import order_rules
from shop.models.carts import MAX_LINE_QUANTITY
from shop.models.shipping import DeliveryMethod
from shop.order_rules import FulfilmentStatus, OrderStatus, PaymentMethod

def new_access_token():
    return secrets.token_urlsafe(24)

class Order(models.Model):
    """One purchase: the buyer's contact and address, the payment, and a sub-order per producer."""

    number = models.CharField(_("mã đơn"), max_length=20, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="orders", verbose_name=_("tài khoản"))
    name = models.CharField(_("họ tên"), max_length=100)
    phone = models.CharField(_("số điện thoại"), max_length=12)
    email = models.EmailField(_("email"))
    # Blank only for an order of bookings alone (stays and tours ship nothing).
    street = models.CharField(_("số nhà, đường"), max_length=200, blank=True)
    commune = models.ForeignKey("catalog.Commune", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("xã/phường"))
    province = models.ForeignKey("catalog.Province", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("tỉnh/thành phố"))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    delivery_method = models.CharField(_("cách giao"), max_length=20, choices=DeliveryMethod.choices)
    payment_method = models.CharField(_("thanh toán"), max_length=10, choices=PaymentMethod.choices)
    status = models.CharField(_("trạng thái"), max_length=20, choices=OrderStatus.choices, db_index=True)
    subtotal = models.PositiveBigIntegerField(_("tiền hàng (đồng)"))
    shipping_fee = models.PositiveBigIntegerField(_("phí giao hàng (đồng)"))
    discount_total = models.PositiveBigIntegerField(_("giảm giá (đồng)"), default=0)
    total = models.PositiveBigIntegerField(_("tổng cộng (đồng)"))
    voucher_campaign = models.ForeignKey("shop.CampaignPage", null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="voucher_orders", verbose_name=_("chương trình của mã"))
    voucher_code = models.CharField(_("mã giảm giá"), max_length=30, blank=True)
    access_token = models.CharField(max_length=40, default=new_access_token, editable=False)
    idempotency_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False,
                                       help_text="From the checkout form, so a double submit makes one order.")
    stock_reserved = models.BooleanField(default=True, help_text="False once the stock went back to the shelf.")
    pay_by = models.DateTimeField(null=True, blank=True, help_text="Unpaid online orders are cancelled after this.")
    preorder_for = models.DateField(_("giao dự kiến từ"), null=True, blank=True,
                                    help_text="A pre-order: the first day of the season it waits for (`shop.preorders`).")
    stripe_session_id = models.CharField(max_length=255, blank=True, db_index=True)
    stripe_payment_intent = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(_("đặt lúc"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("đơn hàng")
        verbose_name_plural = _("đơn hàng")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total=models.F("subtotal") - models.F("discount_total") + models.F("shipping_fee")),
                name="order_total_is_subtotal_minus_discount_plus_shipping"),
            models.CheckConstraint(condition=models.Q(discount_total__lte=models.F("subtotal")),
                                   name="order_discount_within_subtotal"),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("shop:order", args=[self.number]) + f"?t={self.access_token}"

    @property
    def is_cod(self):
        return self.payment_method == PaymentMethod.COD

    # --- What the status allows (`shop.order_rules`) ----------------------------------------------

    def can_move_to(self, status) -> bool:
        return status in order_rules.ORDER_TRANSITIONS[self.status]

    @property
    def is_awaiting_payment(self) -> bool:
        return self.status == OrderStatus.AWAITING_PAYMENT

    @property
    def is_preordered(self) -> bool:
        return self.status == OrderStatus.PREORDERED

    @property
    def is_pending(self) -> bool:
        """Not yet paid, or (cash on delivery) not yet confirmed by the shop."""
        return self.status in order_rules.PENDING

    @property
    def can_be_cancelled_by_buyer(self) -> bool:
        return self.is_pending and self.can_move_to(OrderStatus.CANCELLED)

    @property
    def is_ready_to_fulfil(self) -> bool:
        return self.status in order_rules.READY_TO_FULFIL

    @property
    def is_with_producers(self) -> bool:
        """Paid or confirmed and not shipped yet: the next step is each producer's, parcel by parcel."""
        return self.status in order_rules.WITH_PRODUCERS

    @property
    def buyer_notice(self) -> str:
        return order_rules.BUYER_NOTICES.get(self.status, "")

    def staff_actions(self) -> list[order_rules.StaffAction]:
        """The staff's buttons: exactly the moves the status allows, for the order's payment method."""
        return [action for action in order_rules.STAFF_ACTIONS if self.can_move_to(action.to_status)
                and (not action.methods or self.payment_method in action.methods)]

class SubOrder(models.Model):
    """The part of an order one producer packs and ships."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="suborders")
    producer = models.ForeignKey("catalog.ProducerPage", on_delete=models.PROTECT, related_name="suborders",
                                 verbose_name=_("chủ thể"))
    status = models.CharField(_("trạng thái"), max_length=20, choices=FulfilmentStatus.choices,
                              default=FulfilmentStatus.PENDING, db_index=True)
    subtotal = models.PositiveBigIntegerField(_("tiền hàng (đồng)"))
    shipping_fee = models.PositiveBigIntegerField(_("phí giao hàng (đồng)"))
    weight_grams = models.PositiveIntegerField(_("khối lượng (g)"))
    tracking_number = models.CharField(_("mã vận đơn"), max_length=50, blank=True)
    delivered_at = models.DateTimeField(_("giao lúc"), null=True, blank=True,
                                        help_text="Starts the return window; entries settle after it.")

    class Meta:
        verbose_name = _("đơn của chủ thể")
        verbose_name_plural = _("đơn của chủ thể")
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.order.number} · {self.producer.title}"

    def can_move_to(self, status) -> bool:
        return status in order_rules.FULFILMENT_TRANSITIONS[self.status]

    def producer_actions(self) -> list[order_rules.ProducerAction]:
        """The steps open to this parcel: none until the order is paid (or a COD order confirmed)."""
        if not self.order.is_ready_to_fulfil:
            return []
        return [action for action in order_rules.PRODUCER_ACTIONS if self.can_move_to(action.to_status)]

class OrderLine(models.Model):
    suborder = models.ForeignKey(SubOrder, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.ProductVariant", null=True, on_delete=models.SET_NULL, related_name="+")
    product_title = models.CharField(max_length=255)
    variant_name = models.CharField(max_length=100)
    sku = models.CharField(max_length=64)
    unit_price = models.PositiveBigIntegerField()
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(MAX_LINE_QUANTITY)])
    weight_grams = models.PositiveIntegerField(help_text="Of one unit.")
    campaign = models.ForeignKey("shop.CampaignPage", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="order_lines", verbose_name=_("chương trình khuyến mãi"))
    unit_discount = models.PositiveBigIntegerField(default=0, help_text="Đồng off one unit, from `campaign`.")
    booking_date = models.DateField(_("ngày đặt chỗ"), null=True, blank=True,
                                    help_text="A booking (stay, tour): its date; `quantity` is its guests.")

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=models.Q(unit_discount__lte=models.F("unit_price")),
                                              name="order_line_discount_within_price")]

    @property
    def booking_code(self) -> str:
        """The short code a host checks by hand: the order's number and the line."""
        return f"{self.suborder.order.number}-{self.pk}" if self.booking_date else ""

    @property
    def line_total(self) -> int:
        """What the buyer pays for the line: the discounted unit price times the quantity."""
        return self.net_unit_price * self.quantity

    @property
    def gross_total(self) -> int:
        return self.unit_price * self.quantity

    @property
    def net_unit_price(self) -> int:
        return self.unit_price - self.unit_discount

    @property
    def discount_total(self) -> int:
        return self.unit_discount * self.quantity

class OrderEventManager(models.Manager):
    def record(self, order, to_status=None, *, suborder=None, from_status=None, actor=None, actor_label="",
               note="") -> "OrderEvent":
        """Write one line of an order's (or a parcel's) history: a move from `from_status` to
        `to_status`, or, with neither given, a note at the current status (a payment event)."""
        current = (suborder or order).status
        return self.create(
            order=order, suborder=suborder, from_status=current if from_status is None else from_status,
            to_status=current if to_status is None else to_status, actor=actor, actor_label=actor_label,
            note=str(note)[:300],
        )

class OrderEvent(models.Model):
    """The history of an order: every status change (and payment event), who did it and when.
    Written only through `OrderEvent.objects.record`."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    suborder = models.ForeignKey(SubOrder, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_label = models.CharField(max_length=100, blank=True, help_text='When no user acted: "Stripe", "hệ thống".')
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrderEventManager()

    class Meta:
        ordering = ["created_at", "pk"]

    @property
    def status_label(self) -> str:
        statuses = FulfilmentStatus if self.suborder_id else OrderStatus
        try:
            return str(statuses(self.to_status).label)
        except ValueError:
            return self.to_status

class StripeEvent(models.Model):
    """Stripe events already handled, by their id: the same event delivered twice changes nothing."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    order = models.ForeignKey(Order, null=True, on_delete=models.SET_NULL, related_name="+")
    received_at = models.DateTimeField(auto_now_add=True)
