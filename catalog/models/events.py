"""Trade fairs and OCOP market days (hội chợ, phiên chợ OCOP) where producers show their products."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from catalog.admin_form import FormByPath
from catalog.models.producers import ProducerPage
from catalog.roles import Scope


class TradeFairQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def upcoming(self, today: datetime.date):
        """Published fairs not over by `today` (running ones included), soonest first."""
        return self.published().filter(ends_on__gte=today).order_by("starts_on", "ends_on", "pk")

    def for_listing(self):
        """What the fairs include shows, in a fixed number of queries."""
        return self.select_related("province", "commune").prefetch_related(
            Prefetch("producers", queryset=ProducerPage.objects.live().order_by("title"))
        )


class TradeFair(models.Model):
    """A dated event in one place, with the producers (and optionally products) taking part."""

    class Kind(models.TextChoices):
        FAIR = "hoi_cho", _("Hội chợ")
        MARKET_DAY = "phien_cho", _("Phiên chợ OCOP")
        EXHIBITION = "trien_lam", _("Triển lãm")

    title = models.CharField(_("tên sự kiện"), max_length=255)
    kind = models.CharField(_("loại sự kiện"), max_length=20, choices=Kind.choices, default=Kind.FAIR)
    starts_on = models.DateField(_("ngày bắt đầu"))
    ends_on = models.DateField(_("ngày kết thúc"))
    province = models.ForeignKey(
        "catalog.Province", on_delete=models.PROTECT, related_name="trade_fairs", verbose_name=_("tỉnh/thành phố")
    )
    commune = models.ForeignKey(
        "catalog.Commune", null=True, blank=True, on_delete=models.PROTECT, related_name="trade_fairs",
        verbose_name=_("xã/phường"),
    )
    address = models.CharField(_("địa điểm"), max_length=255, blank=True,
                               help_text=_("Ví dụ: Cung Văn hoá Thể thao, số 1 đường Lê Lợi"))
    map_url = models.URLField(_("đường dẫn bản đồ"), blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    producers = models.ManyToManyField(
        "catalog.ProducerPage", blank=True, related_name="trade_fairs", verbose_name=_("chủ thể tham gia")
    )
    products = models.ManyToManyField(
        "catalog.ProductPage", blank=True, related_name="trade_fairs", verbose_name=_("sản phẩm trưng bày")
    )
    published = models.BooleanField(_("hiển thị trên trang"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TradeFairQuerySet.as_manager()
    ocop_scope = Scope(province="province")
    base_form_class = FormByPath("catalog.forms.ScopedModelForm")

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("kind")]),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        MultiFieldPanel(
            [FieldPanel("province"), FieldPanel("commune"), FieldPanel("address"),
             FieldPanel("map_url")],
            heading=_("Địa điểm"),
        ),
        FieldPanel("description"),
        FieldPanel("producers"),
        FieldPanel("products"),
        FieldPanel("published"),
    ]

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("hội chợ, phiên chợ")
        verbose_name_plural = _("hội chợ, phiên chợ")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="trade_fair_ends_after_start"),
        ]
        indexes = [models.Index(fields=["ends_on"])]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("Ngày kết thúc không được trước ngày bắt đầu.")
        if self.commune_id and self.province_id and self.commune.province_id != self.province_id:
            errors["commune"] = _("Xã/phường %(commune)s không thuộc %(province)s.") % {
                "commune": self.commune.name, "province": self.province.name,
            }
        if errors:
            raise ValidationError(errors)

    @property
    def date_range(self) -> str:
        """"12–15/12/2026", "30/11–2/12/2026", "28/12/2026–3/1/2027" or "12/12/2026"."""
        start, end = self.starts_on, self.ends_on
        if start == end:
            return f"{start.day}/{start.month}/{start.year}"
        if start.year != end.year:
            return f"{start.day}/{start.month}/{start.year}–{end.day}/{end.month}/{end.year}"
        if start.month != end.month:
            return f"{start.day}/{start.month}–{end.day}/{end.month}/{end.year}"
        return f"{start.day}–{end.day}/{end.month}/{end.year}"

    @property
    def place(self) -> str:
        parts = [self.address, self.commune.name if self.commune_id else "", self.province.name]
        return ", ".join(part for part in parts if part)
