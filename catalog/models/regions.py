"""Administrative units: today's two tiers (province → commune/ward) and the legacy three.

Rows come from the `vietnam-provinces` package (`manage.py load_regions`); nobody types them.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    """One of the 34 provincial-level units in force since 1 July 2025."""

    code = models.PositiveIntegerField(_("mã"), unique=True)
    name = models.CharField(_("tên"), max_length=100)
    short_name = models.CharField(_("tên ngắn"), max_length=100)
    slug = models.SlugField(_("đường dẫn"), max_length=100, unique=True)
    division_type = models.CharField(_("loại đơn vị"), max_length=40)

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("tỉnh/thành phố")
        verbose_name_plural = _("tỉnh/thành phố")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:province", args=[self.slug])


class Commune(models.Model):
    """A commune, ward or special zone (xã, phường, đặc khu) of today's province."""

    code = models.PositiveIntegerField(_("mã"), unique=True)
    name = models.CharField(_("tên"), max_length=100)
    division_type = models.CharField(_("loại đơn vị"), max_length=40)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("tỉnh/thành phố")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("xã/phường")
        verbose_name_plural = _("xã/phường")

    def __str__(self):
        return self.name


class LegacyProvince(models.Model):
    """One of the 63 provinces before 1 July 2025, with the province it is now part of."""

    code = models.PositiveIntegerField(_("mã"), unique=True)
    name = models.CharField(_("tên"), max_length=100)
    short_name = models.CharField(_("tên ngắn"), max_length=100)
    slug = models.SlugField(_("đường dẫn"), max_length=100, unique=True)
    current_province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="legacy_provinces",
        verbose_name=_("nay thuộc"),
    )

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("tỉnh cũ (trước 7/2025)")
        verbose_name_plural = _("tỉnh cũ (trước 7/2025)")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:province", args=[self.slug])


class LegacyDistrict(models.Model):
    """A district (huyện, quận, thị xã, thành phố thuộc tỉnh) that existed before July 2025."""

    code = models.PositiveIntegerField(_("mã"), unique=True)
    name = models.CharField(_("tên"), max_length=100)
    short_name = models.CharField(_("tên ngắn"), max_length=100)
    division_type = models.CharField(_("loại đơn vị"), max_length=40)
    legacy_province = models.ForeignKey(
        LegacyProvince, on_delete=models.PROTECT, related_name="districts", verbose_name=_("tỉnh cũ")
    )

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("huyện cũ (trước 7/2025)")
        verbose_name_plural = _("huyện cũ (trước 7/2025)")

    def __str__(self):
        return f"{self.name}, {self.legacy_province.short_name}"
