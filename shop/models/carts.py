"""What a buyer is about to buy: carts and their lines (a guest's found through the session)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

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
    booking_date = models.DateField(null=True, blank=True, help_text="A booking's date (quantity: its guests).")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "variant"], condition=models.Q(booking_date__isnull=True),
                                    name="cart_line_once_per_variant"),
            models.UniqueConstraint(fields=["cart", "variant", "booking_date"],
                                    condition=models.Q(booking_date__isnull=False), name="cart_line_once_per_booking_date"),
            models.CheckConstraint(condition=models.Q(quantity__gte=1, quantity__lte=MAX_LINE_QUANTITY),
                                   name="cart_line_quantity_in_range"),
        ]
