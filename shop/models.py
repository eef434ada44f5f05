"""Carts, orders split per producer, their history, shipping rates, payment events and saved
addresses. Promotional campaigns (pages, vouchers, their counters) are `shop.promotions`.

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
from shop.order_rules import FulfilmentStatus, OrderStatus, PaymentMethod
# The campaign models belong to the shop app; importing them here registers them with it.
from shop.promotions.models import CampaignDailyStat, CampaignIndexPage, CampaignPage  # noqa: F401

MAX_LINE_QUANTITY = 99  # per variant per order: a household shop, not a wholesaler


class Cart(models.Model):
    """A guest's cart (found through the session) or a signed-in buyer's (one per user)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="cart")
    voucher_code = models.CharField(_("mã giảm giá"), max_length=30, blank=True,
                                    help_text="One voucher per cart, checked again at every look and at checkout.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("giỏ hàng")


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.ProductVariant", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(MAX_LINE_QUANTITY)])
    price_seen = models.PositiveBigIntegerField(help_text="The price the buyer last saw, to explain changes.")
    booking_date = models.DateField(null=True, blank=True, help_text="A booking's date (quantity: its guests).")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "variant"], condition=models.Q(booking_date__isnull=True),
                                    name="cart_line_once_per_variant"),
            models.UniqueConstraint(fields=["cart", "variant", "booking_date"],
                                    condition=models.Q(booking_date__isnull=False), name="cart_line_once_per_booking_date"),
            models.CheckConstraint(condition=models.Q(quantity__gte=1, quantity__lte=MAX_LINE_QUANTITY),
                                   name="cart_line_quantity_in_range"),
        ]


class ShippingZone(models.Model):
    """Destinations priced alike. The zone without provinces is the default for all others."""

    name = models.CharField(_("tên vùng"), max_length=100)
    provinces = models.ManyToManyField("catalog.Province", blank=True, related_name="+", verbose_name=_("tỉnh/thành"))

    class Meta:
        verbose_name = _("vùng giao hàng")
        verbose_name_plural = _("vùng giao hàng")

    def __str__(self):
        return self.name


class DeliveryMethod(models.TextChoices):
    STANDARD = "tieu-chuan", _("Giao tiêu chuẩn (3–5 ngày)")
    EXPRESS = "nhanh", _("Giao nhanh (1–2 ngày)")


class ShippingRate(models.Model):
    """The fee of one parcel up to a weight, for a zone and a delivery method. The heaviest
    bracket also charges `per_extra_kg` for every started kilogram above it."""

    zone = models.ForeignKey(ShippingZone, on_delete=models.CASCADE, related_name="rates", verbose_name=_("vùng"))
    method = models.CharField(_("cách giao"), max_length=20, choices=DeliveryMethod.choices)
    up_to_grams = models.PositiveIntegerField(_("đến khối lượng (g)"))
    fee = models.PositiveBigIntegerField(_("phí (đồng)"))
    per_extra_kg = models.PositiveBigIntegerField(_("phí mỗi kg vượt (đồng)"), default=0)

    class Meta:
        verbose_name = _("biểu phí giao hàng")
        verbose_name_plural = _("biểu phí giao hàng")
        ordering = ["zone", "method", "up_to_grams"]
        constraints = [models.UniqueConstraint(fields=["zone", "method", "up_to_grams"], name="shipping_rate_unique")]


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


class SavedAddress(models.Model):
    """A signed-in buyer's delivery address, offered at checkout."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses")
    name = models.CharField(_("họ tên"), max_length=100)
    phone = models.CharField(_("số điện thoại"), max_length=12)
    street = models.CharField(_("số nhà, đường"), max_length=200)
    commune = models.ForeignKey("catalog.Commune", on_delete=models.CASCADE, related_name="+", verbose_name=_("xã/phường"))
    province = models.ForeignKey("catalog.Province", on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("tỉnh/thành phố"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("địa chỉ giao hàng")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name}, {self.street}, {self.commune.name}, {self.province.name}"


class StockAlert(models.Model):
    """“Tell me when”: someone asked to be e-mailed when a product can be bought again (back in
    stock, or its season opened). One per product and e-mail; `notified_at` marks it sent."""

    class Kind(models.TextChoices):
        STOCK = "stock", _("khi có hàng lại")
        SEASON = "season", _("khi vào mùa vụ")

    product = models.ForeignKey("catalog.ProductPage", on_delete=models.CASCADE, related_name="stock_alerts",
                                verbose_name=_("sản phẩm"))
    email = models.EmailField(_("email"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="stock_alerts")
    kind = models.CharField(_("báo khi"), max_length=10, choices=Kind.choices, default=Kind.STOCK)
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(_("đã báo lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("đăng ký nhận tin có hàng")
        constraints = [models.UniqueConstraint(fields=["product", "email"], name="stock_alert_once_per_email")]


class WishlistItem(models.Model):
    """A product a signed-in buyer keeps in their wishlist (“Yêu thích”)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wishlist")
    product = models.ForeignKey("catalog.ProductPage", on_delete=models.CASCADE, related_name="wishlisted",
                                verbose_name=_("sản phẩm"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sản phẩm yêu thích")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "product"], name="wishlist_once_per_product")]


class BookingSlot(models.Model):
    """The places of one bookable pack (a homestay night, a tour) on one date: `capacity` guests,
    `booked` of them taken by orders. Moved only by `shop.bookings`, with conditional UPDATEs like
    stock. A row exists once the date is booked or its producer set it: `is_override` marks a
    capacity the producer chose for that date (0 closes it); otherwise it follows the pack's
    `capacity_per_date`. It lives in the shop, beside the orders that move `booked`, and not on
    the product page, whose revisions must never write it back."""

    variant = models.ForeignKey("catalog.ProductVariant", on_delete=models.CASCADE, related_name="booking_slots",
                                verbose_name=_("gói dịch vụ"))
    date = models.DateField(_("ngày"))
    capacity = models.PositiveIntegerField(_("số chỗ"))
    booked = models.PositiveIntegerField(_("đã đặt"), default=0)
    is_override = models.BooleanField(_("số chỗ riêng cho ngày này"), default=False)

    class Meta:
        verbose_name = _("chỗ theo ngày")
        verbose_name_plural = _("chỗ theo ngày")
        ordering = ["date", "variant"]
        constraints = [models.UniqueConstraint(fields=["variant", "date"], name="booking_slot_once_per_date")]

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.booked, 0)
