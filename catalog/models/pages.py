"""Producers and their products as Wagtail pages: Home → Producers index → Producer → Product."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page, PageManager, PageQuerySet

from catalog.blocks import StoryBlock
from catalog.forms import ProducerPageForm
from catalog.models.certificates import Certificate
from catalog.validators import validate_gtin
from catalog.widgets import CommuneSelect

CARD_RENDITION = "fill-480x360"
GALLERY_RENDITION = "max-1200x900"
THUMB_RENDITION = "fill-160x120"


class ProducerPageQuerySet(PageQuerySet):
    def for_listing(self):
        return self.select_related("province", "commune", "legacy_province", "legacy_district").prefetch_related(
            Prefetch("logo", queryset=get_image_model().objects.prefetch_renditions(THUMB_RENDITION))
        )



class ProducerIndexPage(Page):
    """The list of all producers (chủ thể OCOP)."""

    intro = RichTextField(_("giới thiệu"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page", "storefront.HomePage"]
    subpage_types = ["catalog.ProducerPage"]
    max_count = 1

    class Meta:
        verbose_name = _("danh sách chủ thể")

    def get_context(self, request, *args, **kwargs):
        from catalog.listing import paginate

        context = super().get_context(request, *args, **kwargs)
        producers = ProducerPage.objects.live().child_of(self).for_listing()
        context["producers"] = paginate(request, producers, per_page=24)
        return context


class ProducerPage(Page):
    """A producer (chủ thể): cooperative, firm, household or co-operative group, with its story."""

    class LegalForm(models.TextChoices):
        COOPERATIVE = "htx", _("Hợp tác xã")
        ENTERPRISE = "doanh_nghiep", _("Doanh nghiệp")
        HOUSEHOLD = "ho_kinh_doanh", _("Hộ kinh doanh")
        COOPERATIVE_GROUP = "to_hop_tac", _("Tổ hợp tác")

    legal_form = models.CharField(_("loại hình"), max_length=20, choices=LegalForm.choices)
    intro = models.TextField(_("giới thiệu ngắn"), max_length=500, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("logo"),
    )
    street_address = models.CharField(_("số nhà, đường, thôn/xóm"), max_length=255, blank=True)
    commune = models.ForeignKey(
        "catalog.Commune", on_delete=models.PROTECT, related_name="producers", verbose_name=_("xã/phường")
    )
    province = models.ForeignKey(
        "catalog.Province", on_delete=models.PROTECT, related_name="producers",
        verbose_name=_("tỉnh/thành phố"),
    )
    legacy_province = models.ForeignKey(
        "catalog.LegacyProvince", null=True, blank=True, on_delete=models.PROTECT,
        related_name="producers", verbose_name=_("tỉnh cũ (trước 7/2025)"),
    )
    legacy_district = models.ForeignKey(
        "catalog.LegacyDistrict", null=True, blank=True, on_delete=models.PROTECT,
        related_name="producers", verbose_name=_("huyện cũ (trước 7/2025)"),
    )
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    representative = models.CharField(_("người đại diện"), max_length=150, blank=True)
    standards = ParentalManyToManyField("catalog.Standard", blank=True, verbose_name=_("tiêu chuẩn đạt được"))
    story = StreamField(StoryBlock(), blank=True, verbose_name=_("câu chuyện"))

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("legal_form"), FieldPanel("representative")]),
        FieldPanel("intro"),
        FieldPanel("logo"),
        MultiFieldPanel(
            [FieldPanel("street_address"), FieldPanel("province"), FieldPanel("commune", widget=CommuneSelect)],
            heading=_("Địa chỉ hiện nay (sau sáp nhập 7/2025)"),
        ),
        MultiFieldPanel(
            [FieldPanel("legacy_province"), FieldPanel("legacy_district")],
            heading=_("Địa danh cũ (trên giấy chứng nhận, bài báo)"),
        ),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("email"), FieldPanel("website")], heading=_("Liên hệ")
        ),
        FieldPanel("standards", widget=forms.CheckboxSelectMultiple),
        FieldPanel("story"),
    ]
    parent_page_types = ["catalog.ProducerIndexPage"]
    subpage_types = ["catalog.ProductPage"]
    base_form_class = ProducerPageForm

    objects = PageManager.from_queryset(ProducerPageQuerySet)()

    class Meta:
        verbose_name = _("chủ thể OCOP")
        verbose_name_plural = _("chủ thể OCOP")

    def clean(self):
        super().clean()
        errors = {}
        if self.commune_id and self.province_id and self.commune.province_id != self.province_id:
            errors["commune"] = _("Xã/phường %(commune)s không thuộc %(province)s.") % {
                "commune": self.commune.name, "province": self.province.name,
            }
        if self.legacy_district_id:
            if not self.legacy_province_id:
                errors["legacy_province"] = _("Hãy chọn tỉnh cũ của huyện cũ đã chọn.")
            elif self.legacy_district.legacy_province_id != self.legacy_province_id:
                errors["legacy_district"] = _("Huyện %(district)s không thuộc tỉnh %(province)s cũ.") % {
                    "district": self.legacy_district.name, "province": self.legacy_province.name,
                }
        if (
            self.legacy_province_id and self.province_id
            and self.legacy_province.current_province_id != self.province_id
        ):
            errors["legacy_province"] = _("%(legacy)s cũ nay thuộc %(current)s, không phải %(chosen)s.") % {
                "legacy": self.legacy_province.name,
                "current": self.legacy_province.current_province.name,
                "chosen": self.province.name,
            }
        if errors:
            raise ValidationError(errors)

    @property
    def full_address(self) -> str:
        parts = [self.street_address, self.commune.name, self.province.name]
        return ", ".join(part for part in parts if part)

    @property
    def legacy_place(self) -> str:
        """The place as older certificates and articles name it: "Thanh Hà, Hải Dương"."""
        parts = [
            self.legacy_district.short_name if self.legacy_district_id else "",
            self.legacy_province.short_name if self.legacy_province_id else "",
        ]
        return ", ".join(part for part in parts if part)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["products"] = ProductPage.objects.live().child_of(self).for_listing()
        context["fairs"] = self.upcoming_fairs()
        return context

    def upcoming_fairs(self):
        """Published fairs this producer takes part in that are not over yet."""
        from catalog.models.events import TradeFair

        return TradeFair.objects.upcoming(timezone.localdate()).filter(producers=self).for_listing()


class ProductPageQuerySet(PageQuerySet):
    def for_listing(self):
        """Everything a product card shows, in a fixed number of queries whatever the length."""
        images = ProductImage.objects.order_by("sort_order").prefetch_related(
            Prefetch("image", queryset=get_image_model().objects.prefetch_renditions(CARD_RENDITION))
        )
        return self.select_related(
            "producer", "producer__province", "producer__legacy_province", "group", "subgroup"
        ).defer("producer__story").prefetch_related(
            Prefetch("images", queryset=images),
            Prefetch("variants", queryset=ProductVariant.objects.order_by("sort_order", "pk")),
            Prefetch("certificates", queryset=Certificate.objects.order_by("-decision_date", "-pk")),
            "season_months",
        )




class ProductPage(Page):
    """An OCOP product of one producer, with its variants, images and certificate history."""

    producer = models.ForeignKey(
        ProducerPage, null=True, editable=False, on_delete=models.SET_NULL, related_name="products",
        help_text="The parent producer page, kept in sync on save and move for cheap joins.",
    )
    group = models.ForeignKey(
        "catalog.ProductGroup", on_delete=models.PROTECT, related_name="products",
        verbose_name=_("nhóm sản phẩm"),
    )
    subgroup = models.ForeignKey(
        "catalog.ProductSubgroup", null=True, blank=True, on_delete=models.PROTECT,
        related_name="products", verbose_name=_("phân nhóm"),
    )
    intro = models.TextField(_("mô tả ngắn"), max_length=500, blank=True)
    description = RichTextField(_("mô tả"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])
    ingredients = models.TextField(_("thành phần"), blank=True)
    usage = models.TextField(_("hướng dẫn sử dụng"), blank=True)
    storage = models.TextField(_("bảo quản"), blank=True)
    shelf_life = models.CharField(_("hạn sử dụng"), max_length=100, blank=True)
    season_months = ParentalManyToManyField(
        "catalog.Month", blank=True, verbose_name=_("mùa vụ (tháng)"),
        help_text=_("Để trống nếu sản phẩm có quanh năm."),
    )
    geographical_indication = models.CharField(
        _("chỉ dẫn địa lý"), max_length=200, blank=True,
        help_text=_("Tên chỉ dẫn địa lý được bảo hộ, ví dụ “Thanh Hà” cho vải thiều."),
    )
    standards = ParentalManyToManyField("catalog.Standard", blank=True, verbose_name=_("tiêu chuẩn"))
    traceability_url = models.URLField(_("đường dẫn truy xuất nguồn gốc"), blank=True)
    gtin = models.CharField(
        _("mã vạch GTIN"), max_length=14, blank=True, validators=[validate_gtin],
        help_text=_("8, 12, 13 hoặc 14 chữ số, kể cả số kiểm tra."),
    )
    featured = models.BooleanField(_("nổi bật trên trang chủ"), default=False)
    is_demo_data = models.BooleanField(
        _("giá và tồn kho minh hoạ"), default=False,
        help_text=_("Dữ liệu demo: giá và tồn kho do hệ thống tự tạo, không phải của chủ thể."),
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("group"), FieldPanel("subgroup")]),
        FieldPanel("intro"),
        FieldPanel("description"),
        InlinePanel("images", label=_("Ảnh sản phẩm"), min_num=0, max_num=12),
        InlinePanel("variants", label=_("Quy cách và giá"), min_num=1),
        MultiFieldPanel(
            [FieldPanel("ingredients"), FieldPanel("usage"), FieldPanel("storage"), FieldPanel("shelf_life")],
            heading=_("Thông tin sản phẩm"),
        ),
        FieldPanel("season_months", widget=forms.CheckboxSelectMultiple),
        FieldPanel("standards", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [FieldPanel("geographical_indication"), FieldPanel("traceability_url"), FieldPanel("gtin")],
            heading=_("Chỉ dẫn địa lý và truy xuất"),
        ),
        FieldRowPanel([FieldPanel("featured"), FieldPanel("is_demo_data")]),
        HelpPanel(template="catalog/admin/product_certificates_panel.html", heading=_("Chứng nhận OCOP")),
    ]
    parent_page_types = ["catalog.ProducerPage"]
    subpage_types = []

    objects = PageManager.from_queryset(ProductPageQuerySet)()

    class Meta:
        verbose_name = _("sản phẩm OCOP")
        verbose_name_plural = _("sản phẩm OCOP")

    def clean(self):
        super().clean()
        if self.subgroup_id and self.group_id and self.subgroup.group_id != self.group_id:
            raise ValidationError(
                {"subgroup": _("Phân nhóm “%(subgroup)s” không thuộc nhóm “%(group)s”.") % {
                    "subgroup": self.subgroup.name, "group": self.group.name}}
            )

    def save(self, *args, **kwargs):
        self.sync_producer()
        return super().save(*args, **kwargs)

    def sync_producer(self):
        if self.path:
            parent = self.get_parent()
            self.producer_id = parent.pk if parent and parent.specific_class is ProducerPage else None

    # --- Certificates -------------------------------------------------------------------------

    @cached_property
    def certificate_history(self):
        """All certificates, newest decision first (uses the prefetch when there is one)."""
        return sorted(self.certificates.all(), key=lambda c: (c.decision_date, c.pk), reverse=True)

    @cached_property
    def current_certificate(self):
        """The latest certificate valid today, or None: only it may show stars and the OCOP mark."""
        today = timezone.localdate()
        return next((c for c in self.certificate_history if c.is_valid_on(today)), None)

    @property
    def stars(self) -> int | None:
        certificate = self.current_certificate
        return certificate.stars if certificate else None

    @cached_property
    def certificate_problem(self) -> str:
        """Why a product with a history shows no stars: expired or revoked, else ''."""
        if self.current_certificate or not self.certificate_history:
            return ""
        latest = self.certificate_history[0]
        if latest.is_revoked_on(timezone.localdate()):
            return str(_("Chứng nhận OCOP đã bị thu hồi"))
        return str(_("Chứng nhận OCOP đã hết hạn"))

    # --- Variants, images ---------------------------------------------------------------------

    @cached_property
    def variant_list(self):
        return list(self.variants.all())

    @property
    def min_price(self) -> int | None:
        return min((v.price for v in self.variant_list), default=None)

    @property
    def max_price(self) -> int | None:
        return max((v.price for v in self.variant_list), default=None)

    @property
    def in_stock(self) -> bool:
        return any(v.stock > 0 for v in self.variant_list)

    @cached_property
    def image_list(self):
        return list(self.images.all())

    @property
    def card_image(self):
        return self.image_list[0].image if self.image_list else None

    @property
    def producer_name(self) -> str:
        return self.producer.title if self.producer else ""

    @property
    def place_name(self) -> str:
        """The producer's province, short ("Hải Phòng"), for cards."""
        return self.producer.province.short_name if self.producer and self.producer.province else ""

    @cached_property
    def season_month_numbers(self) -> list[int]:
        return sorted(m.number for m in self.season_months.all())

    def in_season(self, month: int | None = None) -> bool:
        months = self.season_month_numbers
        return not months or (month or timezone.localdate().month) in months

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # One query for the producer and its places (the card, address and JSON-LD use them).
        self.producer = (
            ProducerPage.objects.select_related("province", "commune", "legacy_province", "legacy_district")
            .filter(pk=self.producer_id).first()
        )
        context["producer"] = self.producer
        return context


class ProductImage(Orderable):
    product = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+", verbose_name=_("ảnh"))
    caption = models.CharField(_("chú thích"), max_length=250, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]


class ProductVariant(Orderable):
    """A sellable pack of a product: its SKU, size, price in đồng and stock."""

    product = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(_("mã SKU"), max_length=64, unique=True)
    name = models.CharField(_("quy cách"), max_length=100, help_text=_("Ví dụ: Hộp 500 g, Thùng 10 kg"))
    weight_grams = models.PositiveIntegerField(_("khối lượng (g)"), validators=[MinValueValidator(1)])
    price = models.PositiveBigIntegerField(_("giá (đồng)"))
    stock = models.PositiveIntegerField(_("tồn kho"), default=0)
    gtin = models.CharField(_("mã vạch GTIN"), max_length=14, blank=True, validators=[validate_gtin])

    panels = [
        FieldRowPanel([FieldPanel("sku"), FieldPanel("name")]),
        FieldRowPanel([
            FieldPanel("weight_grams"), FieldPanel("price"),
            FieldPanel("stock", read_only=True, help_text=_("Sửa ở mục Tồn kho: đơn hàng trừ tồn kho, xuất bản trang không ghi đè.")),
        ]),
        FieldPanel("gtin"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("quy cách")
        verbose_name_plural = _("quy cách")
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gte=0), name="variant_price_not_negative"),
            models.CheckConstraint(condition=models.Q(stock__gte=0), name="variant_stock_not_negative"),
            models.CheckConstraint(condition=models.Q(weight_grams__gte=1), name="variant_weight_positive"),
        ]

    def __str__(self):
        return f"{self.product.title} – {self.name}" if self.product_id else self.name

    def save(self, *args, **kwargs):
        """Stock belongs to the shop (orders take it with conditional updates) and to the stock
        screen, not to page revisions: publishing a page must never write an old revision's count
        over units sold since. So saving an existing variant leaves `stock` alone unless
        `update_fields` names it; a new variant starts with the stock it was given."""
        if kwargs.get("update_fields") is None and self.pk and type(self).objects.filter(pk=self.pk).exists():
            kwargs["update_fields"] = [f.attname for f in self._meta.concrete_fields
                                       if not f.primary_key and f.name != "stock"]
        super().save(*args, **kwargs)
