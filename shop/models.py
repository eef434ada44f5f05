"""Carts, orders split per producer, their history, shipping rates and payment events.

Money is integer đồng. Order lines copy what was bought (title, pack, price, weight) so an order
reads the same after the catalogue changes. Order statuses and their allowed transitions are
declared once, in `shop.orders`.
"""

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

MAX_LINE_QUANTITY = 99  # per variant per order: a household shop, not a wholesaler


class Cart(models.Model):
    """A guest's cart (found through the session) or a signed-in buyer's (one per user)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="cart")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("giỏ hàng")


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.ProductVariant", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(MAX_LINE_QUANTITY)])
    price_seen = models.PositiveBigIntegerField(help_text="The price the buyer last saw, to explain changes.")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "variant"], name="cart_line_once_per_variant"),
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


class PaymentMethod(models.TextChoices):
    COD = "cod", _("Thanh toán khi nhận hàng (COD)")
    VIETQR = "vietqr", _("Chuyển khoản ngân hàng (VietQR)")
    STRIPE = "stripe", _("Thẻ quốc tế (Stripe)")


class OrderStatus(models.TextChoices):
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
    street = models.CharField(_("số nhà, đường"), max_length=200)
    commune = models.ForeignKey("catalog.Commune", on_delete=models.PROTECT, related_name="+", verbose_name=_("xã/phường"))
    province = models.ForeignKey("catalog.Province", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("tỉnh/thành phố"))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    delivery_method = models.CharField(_("cách giao"), max_length=20, choices=DeliveryMethod.choices)
    payment_method = models.CharField(_("thanh toán"), max_length=10, choices=PaymentMethod.choices)
    status = models.CharField(_("trạng thái"), max_length=20, choices=OrderStatus.choices, db_index=True)
    subtotal = models.PositiveBigIntegerField(_("tiền hàng (đồng)"))
    shipping_fee = models.PositiveBigIntegerField(_("phí giao hàng (đồng)"))
    total = models.PositiveBigIntegerField(_("tổng cộng (đồng)"))
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
            models.CheckConstraint(condition=models.Q(total=models.F("subtotal") + models.F("shipping_fee")),
                                   name="order_total_is_subtotal_plus_shipping"),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("shop:order", args=[self.number]) + f"?t={self.access_token}"

    @property
    def is_cod(self):
        return self.payment_method == PaymentMethod.COD


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


class OrderLine(models.Model):
    suborder = models.ForeignKey(SubOrder, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.ProductVariant", null=True, on_delete=models.SET_NULL, related_name="+")
    product_title = models.CharField(max_length=255)
    variant_name = models.CharField(max_length=100)
    sku = models.CharField(max_length=64)
    unit_price = models.PositiveBigIntegerField()
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(MAX_LINE_QUANTITY)])
    weight_grams = models.PositiveIntegerField(help_text="Of one unit.")

    class Meta:
        ordering = ["pk"]

    @property
    def line_total(self) -> int:
        return self.unit_price * self.quantity


class OrderEvent(models.Model):
    """The history of an order: every status change (and payment event), who did it and when."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    suborder = models.ForeignKey(SubOrder, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_label = models.CharField(max_length=100, blank=True, help_text='When no user acted: "Stripe", "hệ thống".')
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

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
