"""Shipping rates: zones of provinces priced alike, and the fee brackets per delivery method."""

from django.db import models
from django.utils.translation import gettext_lazy as _

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
