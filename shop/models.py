"""Carts, orders split per producer, their history, shipping rates, payment events, and the
promotional campaigns (pages) whose discounts carts apply and orders record.

Money is integer đồng. Order lines copy what was bought (title, pack, price, weight) so an order
reads the same after the catalogue changes. Order statuses and their allowed transitions are
declared once, in `shop.orders`.
"""

import secrets
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from catalog import roles
from catalog.blocks import StoryBlock

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
    campaign = models.ForeignKey("shop.CampaignPage", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="order_lines", verbose_name=_("chương trình khuyến mãi"))
    unit_discount = models.PositiveBigIntegerField(default=0, help_text="Đồng off one unit, from `campaign`.")

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=models.Q(unit_discount__lte=models.F("unit_price")),
                                              name="order_line_discount_within_price")]

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


# --- Promotional campaigns --------------------------------------------------------------------
# Pages (Home → Campaigns index → Campaign) so editors write the story with Wagtail; the discount
# rules themselves live in `shop.campaigns`.

MAX_PERCENT = 90


def normalise_code(raw) -> str:
    """A voucher code as stored and compared: trimmed, no inner spaces, upper case."""
    return "".join(str(raw or "").split()).upper()


class CampaignPageForm(WagtailAdminPageForm):
    """Officers run campaigns of their own provinces only; national admins may leave the province
    blank (a national campaign). A province's campaign covers only that province's products."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is not None and not roles.is_national_admin(user):
            mine = roles.officer_province_ids(user)
            for name in ("province", "rule_provinces"):
                if name in self.fields:
                    self.fields[name].queryset = self.fields[name].queryset.filter(pk__in=mine)
            if "province" in self.fields:
                self.fields["province"].required = True

    def clean(self):
        cleaned = super().clean()
        user, province = self.for_user, cleaned.get("province")
        if user is not None and "province" not in self.errors and not roles.can_act_for_province(
                user, province.pk if province else None):
            self.add_error("province", _("Bạn chỉ được tổ chức chương trình của tỉnh/thành phố mình phụ trách."))
        if province is not None:
            if any(p.pk != province.pk for p in cleaned.get("rule_provinces") or []):
                self.add_error("rule_provinces", _("Chương trình của %(province)s chỉ áp dụng cho sản phẩm của "
                                                   "tỉnh/thành phố này.") % {"province": province.name})
            outside = [p.title for p in cleaned.get("featured_products") or []
                       if p.producer_id is None or p.producer.province_id != province.pk]
            if outside:
                self.add_error("featured_products", _("Không thuộc %(province)s: %(products)s.") % {
                    "province": province.name, "products": ", ".join(outside)})
        return cleaned


class CampaignIndexPage(Page):
    """Every campaign: running, upcoming and past ones."""

    intro = RichTextField(_("giới thiệu"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page", "storefront.HomePage"]
    subpage_types = ["shop.CampaignPage"]
    max_count = 1
    template = "shop/campaign_index_page.html"

    class Meta:
        verbose_name = _("danh sách chương trình khuyến mãi")

    def get_context(self, request, *args, **kwargs):
        from shop.campaigns import grouped_campaigns

        context = super().get_context(request, *args, **kwargs)
        context.update(grouped_campaigns(CampaignPage.objects.live().child_of(self)))
        return context


class CampaignPage(Page):
    """A promotion of a province (or a national one, without province): featured products chosen
    by hand plus rules, a discount, and optionally a voucher code with usage limits."""

    class DiscountKind(models.TextChoices):
        PERCENT = "phan-tram", _("Phần trăm (%)")
        FIXED = "so-tien", _("Số tiền cố định mỗi đơn vị (đồng)")

    hero_image = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("ảnh bìa"))
    intro = models.TextField(_("giới thiệu ngắn"), max_length=500, blank=True)
    story = StreamField(StoryBlock(), blank=True, verbose_name=_("câu chuyện"))
    starts_at = models.DateTimeField(_("bắt đầu lúc"))
    ends_at = models.DateTimeField(_("kết thúc lúc"))
    province = models.ForeignKey("catalog.Province", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("tỉnh/thành phố tổ chức"),
                                 help_text=_("Để trống: chương trình toàn quốc (chỉ quản trị quốc gia)."))
    featured_products = ParentalManyToManyField("catalog.ProductPage", blank=True, related_name="+",
                                                verbose_name=_("sản phẩm chọn tay"))
    rule_groups = ParentalManyToManyField("catalog.ProductGroup", blank=True, related_name="+",
                                          verbose_name=_("theo nhóm sản phẩm"))
    rule_min_stars = models.PositiveSmallIntegerField(
        _("từ số sao"), null=True, blank=True, choices=[(3, "3★"), (4, "4★"), (5, "5★")])
    rule_provinces = ParentalManyToManyField("catalog.Province", blank=True, related_name="+",
                                             verbose_name=_("theo tỉnh/thành phố của chủ thể"))
    discount_kind = models.CharField(_("kiểu giảm giá"), max_length=10, choices=DiscountKind.choices,
                                     default=DiscountKind.PERCENT)
    discount_value = models.PositiveBigIntegerField(
        _("mức giảm"), help_text=_("Phần trăm (1–90) hoặc số đồng giảm trên mỗi đơn vị."))
    voucher_code = models.CharField(
        _("mã giảm giá"), max_length=30, blank=True,
        help_text=_("Để trống: giảm tự động trong thời gian chương trình. Có mã: chỉ giảm khi người mua nhập mã."))
    max_uses_total = models.PositiveIntegerField(_("tổng số lượt dùng tối đa"), null=True, blank=True,
                                                 help_text=_("Để trống: không giới hạn."))
    max_uses_per_buyer = models.PositiveIntegerField(_("số lượt tối đa mỗi người mua"), null=True, blank=True,
                                                     help_text=_("Để trống: không giới hạn."))

    content_panels = Page.content_panels + [
        FieldPanel("hero_image"),
        FieldPanel("intro"),
        FieldPanel("story"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("province"),
        MultiFieldPanel([
            FieldPanel("featured_products"),
            FieldPanel("rule_groups", widget=forms.CheckboxSelectMultiple),
            FieldPanel("rule_min_stars"),
            FieldPanel("rule_provinces"),
        ], heading=_("Sản phẩm tham gia: chọn tay, cộng các sản phẩm khớp mọi điều kiện đã đặt")),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("discount_kind"), FieldPanel("discount_value")]),
            FieldPanel("voucher_code"),
            FieldRowPanel([FieldPanel("max_uses_total"), FieldPanel("max_uses_per_buyer")]),
        ], heading=_("Giảm giá")),
    ]
    parent_page_types = ["shop.CampaignIndexPage"]
    subpage_types = []
    base_form_class = CampaignPageForm
    template = "shop/campaign_page.html"

    class Meta:
        verbose_name = _("chương trình khuyến mãi")
        verbose_name_plural = _("chương trình khuyến mãi")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="campaign_ends_after_start"),
            models.CheckConstraint(condition=Q(discount_value__gte=1) & (
                ~Q(discount_kind="phan-tram") | Q(discount_value__lte=MAX_PERCENT)), name="campaign_discount_in_range"),
            models.CheckConstraint(condition=Q(rule_min_stars__isnull=True) | Q(rule_min_stars__gte=3,
                                                                                rule_min_stars__lte=5),
                                   name="campaign_min_stars_3_to_5"),
            models.UniqueConstraint(fields=["voucher_code"], condition=~Q(voucher_code=""),
                                    name="campaign_voucher_code_unique"),
        ]

    def clean(self):
        super().clean()
        errors = {}
        self.voucher_code = normalise_code(self.voucher_code)
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("Thời điểm kết thúc phải sau thời điểm bắt đầu.")
        if self.discount_value is not None:
            if self.discount_value < 1:
                errors["discount_value"] = _("Mức giảm phải lớn hơn 0.")
            elif self.discount_kind == self.DiscountKind.PERCENT and self.discount_value > MAX_PERCENT:
                errors["discount_value"] = _("Giảm theo phần trăm chỉ từ 1 đến %(max)s%%.") % {"max": MAX_PERCENT}
        if self.voucher_code:
            if len(self.voucher_code) < 4 or not self.voucher_code.isalnum():
                errors["voucher_code"] = _("Mã giảm giá gồm ít nhất 4 chữ cái hoặc chữ số, không dấu, không khoảng trắng.")
            elif CampaignPage.objects.filter(voucher_code=self.voucher_code).exclude(pk=self.pk).exists():
                errors["voucher_code"] = _("Mã giảm giá này đã được dùng cho chương trình khác.")
        elif self.max_uses_total or self.max_uses_per_buyer:
            errors["voucher_code"] = _("Giới hạn lượt dùng chỉ áp dụng cho chương trình có mã giảm giá.")
        if errors:
            raise ValidationError(errors)

    # --- The window and the discount ----------------------------------------------------------

    def is_running(self, now=None) -> bool:
        return self.status(now) == "running"

    def status(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.starts_at:
            return "upcoming"
        return "running" if now < self.ends_at else "past"

    def unit_discount(self, price: int) -> int:
        """Đồng off one unit at `price`: a percentage rounded down to whole đồng, or a fixed amount
        capped at the price (never below zero)."""
        if self.discount_kind == self.DiscountKind.PERCENT:
            return price * self.discount_value // 100
        return min(self.discount_value, price)

    @property
    def discount_label(self) -> str:
        if self.discount_kind == self.DiscountKind.PERCENT:
            return _("Giảm %(value)s%%") % {"value": self.discount_value}
        from catalog.templatetags.catalog_tags import vnd

        return _("Giảm %(value)s mỗi sản phẩm") % {"value": vnd(self.discount_value)}

    def get_context(self, request, *args, **kwargs):
        from catalog.listing import paginate
        from shop.campaigns import listed_products

        context = super().get_context(request, *args, **kwargs)
        products = paginate(request, listed_products(self), per_page=24)
        for product in products:
            price = product.min_price
            product.campaign_price = None if price is None else price - self.unit_discount(price)
        context["products"] = products
        context["status"] = self.status()
        return context

    def serve(self, request, *args, **kwargs):
        if request.method == "GET" and not getattr(request, "is_preview", False):
            from shop.campaigns import record_view

            record_view(self)
        return super().serve(request, *args, **kwargs)


class CampaignDailyStat(models.Model):
    """One row per campaign and day, counted with atomic updates (no row per visit)."""

    campaign = models.ForeignKey(CampaignPage, on_delete=models.CASCADE, related_name="daily_stats")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)
    add_to_carts = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["campaign", "day"]
        constraints = [models.UniqueConstraint(fields=["campaign", "day"], name="campaign_stat_once_per_day")]
