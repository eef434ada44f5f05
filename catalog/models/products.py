"""Products as Wagtail pages under their producer, with their images, packs (variants) and
certificate history."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page, PageManager, PageQuerySet

from catalog.admin_form import FormByPath
from catalog.models.certificates import LAPSE_LABELS, Certificate, current_certificate, lapse, newest_first
from catalog.models.producers import ProducerPage
from catalog.models.renditions import CARD_RENDITION
from catalog.models.taxonomy import ProductGroup
from catalog.validators import validate_gtin


class ProductPageQuerySet(PageQuerySet):
    def live(self):
        """Wagtail's live pages less those a moderator took down, or whose producer was taken down
        (`catalog.takedowns`): every public list of products, the index and the cart come through here."""
        return super().live().filter(taken_down_at__isnull=True).filter(
            models.Q(producer__isnull=True) | models.Q(producer__taken_down_at__isnull=True))

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

    def with_current_stars(self, day=None):
        """Annotate `current_stars`: the stars of each product's current certificate on `day`
        (today by default), or None (the SQL twin of `ProductPage.stars`)."""
        return self.annotate(current_stars=Certificate.objects.current_stars(OuterRef("pk"), day or timezone.localdate()))

    def in_season(self, month: int):
        """Products harvested in `month`, plus those with no season (available all year)."""
        months = ProductPage.season_months.through.objects.filter(productpage=OuterRef("pk"))
        return self.filter(Exists(months.filter(month=month)) | ~Exists(months))


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
    sold_in_season_only = models.BooleanField(
        _("chỉ bán trong mùa vụ"), default=False,
        help_text=_("Hàng tươi (quả, rau…): ngoài các tháng mùa vụ không bán được, người mua có thể đăng ký "
                    "nhận tin khi vào mùa. Bỏ chọn cho hàng khô, chế biến bán quanh năm."),
    )
    preorder_allowed = models.BooleanField(
        _("nhận đặt trước cho mùa tới"), default=False,
        help_text=_("Ngoài mùa vụ, người mua đặt trước với giá hiện tại; tồn kho chỉ bị trừ khi vào mùa, lúc đó "
                    "đơn được xác nhận theo thứ tự đặt và người mua nhận email."),
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
    # Set by `catalog.takedowns` only (a moderator hid the page), never by a revision.
    taken_down_at = models.DateTimeField(_("tạm ẩn lúc"), null=True, blank=True, editable=False)
    # Published reviews (`shop.reviews` keeps them), here so cards, sorting and the index read them
    # without the catalogue or search importing the shop.
    review_count = models.PositiveIntegerField(_("số đánh giá"), default=0, editable=False)
    review_stars_total = models.PositiveIntegerField(_("tổng số sao đánh giá"), default=0, editable=False)

    content_panels = Page.content_panels + [
        # One above the other: side by side, the group chooser squeezed its name one word per line
        # and the sub-group select ran under the minimap.
        FieldPanel("group"),
        FieldPanel("subgroup"),
        FieldPanel("intro"),
        FieldPanel("description"),
        InlinePanel("images", label=_("Ảnh sản phẩm"), min_num=0, max_num=12),
        InlinePanel("variants", label=_("Quy cách và giá"), min_num=1),
        MultiFieldPanel(
            [FieldPanel("ingredients"), FieldPanel("usage"), FieldPanel("storage"), FieldPanel("shelf_life")],
            heading=_("Thông tin sản phẩm"),
        ),
        FieldPanel("season_months", widget=forms.CheckboxSelectMultiple),
        FieldRowPanel([FieldPanel("sold_in_season_only"), FieldPanel("preorder_allowed")]),
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
    base_form_class = FormByPath("catalog.forms.ProductPageForm")

    objects = PageManager.from_queryset(ProductPageQuerySet)()
    # Search hits highlight the words matched in their title; the card template reads this from a
    # page too, and a missing attribute would cost the template engine a dir() of the whole page.
    highlighted_title = ""

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

    def with_content_json(self, content):
        """A revision (draft, publish, revert) keeps what only moderators and reviews write."""
        page = super().with_content_json(content)
        for name in ("taken_down_at", "review_count", "review_stars_total"):
            setattr(page, name, getattr(self, name))
        return page

    def sync_producer(self):
        if self.path:
            parent = self.get_parent()
            self.producer_id = parent.pk if parent and parent.specific_class is ProducerPage else None

    # --- Certificates -------------------------------------------------------------------------

    @cached_property
    def certificate_history(self):
        """All certificates, newest decision first (uses the prefetch when there is one)."""
        return newest_first(self.certificates.all())

    @cached_property
    def current_certificate(self):
        """The latest certificate valid today, or None: only it may show stars and the OCOP mark."""
        return current_certificate(self.certificate_history, timezone.localdate())

    @property
    def stars(self) -> int | None:
        certificate = self.current_certificate
        return certificate.stars if certificate else None

    @cached_property
    def certificate_problem(self) -> str:
        """Why a product with a history shows no stars: expired or revoked, else ''."""
        reason = lapse(self.certificate_history, timezone.localdate())
        return str(LAPSE_LABELS[reason]) if reason else ""

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
        if self.is_bookable:  # sold by date: places, not stock (`shop.bookings`)
            return any(v.capacity_per_date for v in self.variant_list)
        return any(v.stock > 0 for v in self.variant_list)

    @property
    def is_bookable(self) -> bool:
        """Community tourism (OCOP group 6): stays and tours booked for a date and a number of
        guests, with places per date, instead of parcels."""
        return is_bookable_group(self.group_id)

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

    def season_closed(self, month: int | None = None) -> bool:
        """Out of season and sold only in season (fresh produce): it cannot be bought now."""
        return self.sold_in_season_only and not self.in_season(month)

    def takes_preorders(self, month: int | None = None) -> bool:
        """Out of season, and its producer takes pre-orders for the next season."""
        return self.preorder_allowed and self.season_closed(month)

    def next_season_start(self, today: datetime.date | None = None) -> datetime.date | None:
        """The first day of the next season month after today's (this year's or next year's)."""
        today = today or timezone.localdate()
        month = self.next_season_month(today.month)
        if month is None:
            return None
        return datetime.date(today.year + (month <= today.month), month, 1)

    def next_season_month(self, month: int | None = None) -> int | None:
        """The first season month after `month` (this month by default), wrapping past December."""
        months = self.season_month_numbers
        month = month or timezone.localdate().month
        return next((m for m in months if m > month), months[0] if months else None)

    def serve(self, request, *args, **kwargs):
        from catalog import takedowns  # it imports the models

        if takedowns.is_taken_down(self):
            return takedowns.notice(request, self)
        return super().serve(request, *args, **kwargs)

    def get_sitemap_urls(self, request=None):
        from catalog import takedowns

        return [] if takedowns.is_taken_down(self) else super().get_sitemap_urls(request)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # One query for the producer and its places (the card, address and JSON-LD use them).
        self.producer = (
            ProducerPage.objects.select_related("province", "commune", "legacy_province", "legacy_district")
            .filter(pk=self.producer_id).first()
        )
        context["producer"] = self.producer
        return context


BOOKABLE_GROUP = "du-lich"
_group_is_bookable: dict[int, bool] = {}  # group id → bookable; groups are seeded once and never re-slugged


def is_bookable_group(group_id) -> bool:
    """Is this product group sold by booking? Asked once per group and process, so product cards
    cost no query."""
    if group_id is None:
        return False
    if group_id not in _group_is_bookable:
        slug = ProductGroup.objects.filter(pk=group_id).values_list("slug", flat=True).first()
        if slug is None:
            return False
        _group_is_bookable[group_id] = slug == BOOKABLE_GROUP
    return _group_is_bookable[group_id]


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
    weight_grams = models.PositiveIntegerField(
        _("khối lượng (g)"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("Bắt buộc với hàng gửi đi; để trống với dịch vụ du lịch đặt theo ngày."))
    price = models.PositiveBigIntegerField(_("giá (đồng)"))
    stock = models.PositiveIntegerField(_("tồn kho"), default=0)
    gtin = models.CharField(_("mã vạch GTIN"), max_length=14, blank=True, validators=[validate_gtin])
    capacity_per_date = models.PositiveIntegerField(
        _("số chỗ mỗi ngày"), null=True, blank=True,
        help_text=_("Dịch vụ du lịch: số khách nhận mỗi ngày (giá là giá một khách). Đổi hoặc đóng từng ngày ở "
                    "mục Đặt chỗ."))

    panels = [
        FieldRowPanel([FieldPanel("sku"), FieldPanel("name")]),
        FieldRowPanel([
            FieldPanel("weight_grams"), FieldPanel("price"),
            FieldPanel("stock", read_only=True, help_text=_("Sửa ở mục Tồn kho: đơn hàng trừ tồn kho, xuất bản trang không ghi đè.")),
        ]),
        FieldRowPanel([FieldPanel("gtin"), FieldPanel("capacity_per_date")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("quy cách")
        verbose_name_plural = _("quy cách")
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gte=0), name="variant_price_not_negative"),
            models.CheckConstraint(condition=models.Q(stock__gte=0), name="variant_stock_not_negative"),
            # No weight (None) only for bookable services, which ship nothing (checked in the form).
            models.CheckConstraint(condition=models.Q(weight_grams__isnull=True) | models.Q(weight_grams__gte=1),
                                   name="variant_weight_positive_or_none"),
        ]

    def __str__(self):
        return f"{self.product.title} – {self.name}" if self.product_id else self.name

    def save(self, *args, **kwargs):
        """Stock moves only through `catalog.inventory` (orders, the stock screen), never with page
        revisions: publishing a page must never write an old revision's count
        over units sold since. So saving an existing variant leaves `stock` alone unless
        `update_fields` names it; a new variant starts with the stock it was given."""
        if kwargs.get("update_fields") is None and self.pk and type(self).objects.filter(pk=self.pk).exists():
            kwargs["update_fields"] = [f.attname for f in self._meta.concrete_fields
                                       if not f.primary_key and f.name != "stock"]
        super().save(*args, **kwargs)
