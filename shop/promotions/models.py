"""Promotional campaigns as pages (Home → Campaigns index → Campaign), so editors write the story
with Wagtail, with their daily counters. Which products a campaign covers is `coverage`; discounts
and vouchers are `offers`. These models belong to the shop app (`shop.models` imports them), so
their tables and content types are the shop's.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Site

from catalog.admin_form import FormByPath
from catalog.blocks import StoryBlock
from catalog.listing import paginate
from catalog.text import format_vnd
from shop.promotions.coverage import listed_products

MAX_PERCENT = 90
INDEX_SLUG = "khuyen-mai"


def normalise_code(raw) -> str:
    """A voucher code as stored and compared: trimmed, no inner spaces, upper case."""
    return "".join(str(raw or "").split()).upper()


def grouped_campaigns(campaigns, now=None) -> dict:
    """Running (ending soonest first), upcoming (starting soonest first) and past (latest first)."""
    now = now or timezone.now()
    campaigns = campaigns.select_related("province", "hero_image")
    return {
        "running": list(campaigns.filter(starts_at__lte=now, ends_at__gt=now).order_by("ends_at", "pk")),
        "upcoming": list(campaigns.filter(starts_at__gt=now).order_by("starts_at", "pk")),
        "past": list(campaigns.filter(ends_at__lte=now).order_by("-ends_at", "-pk")),
    }


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
    base_form_class = FormByPath("shop.promotions.forms.CampaignPageForm")
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
        return _("Giảm %(value)s mỗi sản phẩm") % {"value": format_vnd(self.discount_value)}

    def get_context(self, request, *args, **kwargs):
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
            CampaignDailyStat.objects.bump(self.pk, "views")
        response = super().serve(request, *args, **kwargs)
        patch_cache_control(response, private=True)  # every view is counted: never a shared copy
        return response


class CampaignDailyStatManager(models.Manager):
    def bump(self, campaign_id, counter: str, day=None) -> None:
        """Add one to a campaign's counter for today with an atomic UPDATE (creating the day's row once)."""
        day = day or timezone.localdate()
        rows = self.filter(campaign_id=campaign_id, day=day)
        if rows.update(**{counter: F(counter) + 1}):
            return
        try:
            with transaction.atomic():
                self.create(campaign_id=campaign_id, day=day, **{counter: 1})
        except IntegrityError:  # another request created today's row first
            rows.update(**{counter: F(counter) + 1})


class CampaignDailyStat(models.Model):
    """One row per campaign and day, counted with atomic updates (no row per visit)."""

    campaign = models.ForeignKey(CampaignPage, on_delete=models.CASCADE, related_name="daily_stats")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)
    add_to_carts = models.PositiveIntegerField(default=0)

    objects = CampaignDailyStatManager()

    class Meta:
        ordering = ["campaign", "day"]
        constraints = [models.UniqueConstraint(fields=["campaign", "day"], name="campaign_stat_once_per_day")]


def campaign_index() -> CampaignIndexPage:
    """The campaigns index under the default site's home page, created on first use."""
    index = CampaignIndexPage.objects.first()
    if index is None:
        home = Site.objects.get(is_default_site=True).root_page
        index = home.add_child(instance=CampaignIndexPage(title=gettext("Khuyến mãi OCOP"), slug=INDEX_SLUG))
    return index
