"""The places of bookable packs (stays, tours) per date."""

from django.db import models
from django.utils.translation import gettext_lazy as _

class BookingSlot(models.Model):
    """The places of one bookable pack (a homestay night, a tour) on one date: `capacity` guests,
    `booked` of them taken by orders, moved only by `shop.bookings` (conditional UPDATEs, like
    stock). `is_override` marks a capacity the producer chose for that date (0 closes it), else it
    follows the pack's `capacity_per_date`. Not on the product page: revisions must never write it."""

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
