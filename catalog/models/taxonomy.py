"""Editable classifications: the OCOP product groups (Decision 148/QĐ-TTg), standards, months."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable


class ProductGroup(ClusterableModel):
    """One of the six OCOP product groups, with its sub-groups edited inline."""

    code = models.PositiveSmallIntegerField(_("số thứ tự"), unique=True)
    name = models.CharField(_("tên"), max_length=200, unique=True)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)
    slug = models.SlugField(_("đường dẫn"), max_length=100, unique=True)
    description = models.TextField(_("mô tả"), blank=True)

    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldPanel("slug"),
        FieldPanel("description"),
        InlinePanel("subgroups", label=_("Phân nhóm")),
    ]

    class Meta:
        ordering = ["code"]
        verbose_name = _("nhóm sản phẩm OCOP")
        verbose_name_plural = _("nhóm sản phẩm OCOP")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:group", args=[self.slug])


class ProductSubgroup(Orderable):
    group = ParentalKey(ProductGroup, on_delete=models.CASCADE, related_name="subgroups")
    name = models.CharField(_("tên"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)
    slug = models.SlugField(_("đường dẫn"), max_length=100)

    panels = [FieldPanel("name"), FieldPanel("name_en"), FieldPanel("slug")]

    class Meta(Orderable.Meta):
        verbose_name = _("phân nhóm")
        verbose_name_plural = _("phân nhóm")
        constraints = [
            models.UniqueConstraint(fields=["group", "slug"], name="subgroup_slug_unique_in_group")
        ]

    def __str__(self):
        return f"{self.group.name} › {self.name}" if self.group_id else self.name


class Standard(models.Model):
    """A quality or food-safety standard a producer or product holds (VietGAP, HACCP …)."""

    name = models.CharField(_("tên"), max_length=100, unique=True)
    slug = models.SlugField(_("đường dẫn"), max_length=100, unique=True)
    description = models.TextField(_("mô tả"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tiêu chuẩn")
        verbose_name_plural = _("tiêu chuẩn")

    def __str__(self):
        return self.name


class Month(models.Model):
    """A calendar month (1–12), so seasons can be picked with checkboxes and filtered on."""

    number = models.PositiveSmallIntegerField(primary_key=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("tháng")
        verbose_name_plural = _("tháng")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=12), name="month_number_1_to_12"
            )
        ]

    def __str__(self):
        return _("Tháng %(number)s") % {"number": self.number}
