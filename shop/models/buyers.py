"""What a signed-in buyer or a visitor keeps with the shop: saved addresses, “tell me when”
alerts and the wishlist."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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

class StockAlert(models.Model):
    """“Tell me when”: someone asked to be e-mailed when a product can be bought again (back in
    stock, or its season opened). One per product and e-mail; `notified_at` marks it sent."""

    class Kind(models.TextChoices):
        STOCK = "stock", _("khi có hàng lại")
        SEASON = "season", _("khi vào mùa vụ")

    product = models.ForeignKey("catalog.ProductPage", on_delete=models.CASCADE, related_name="stock_alerts",
                                verbose_name=_("sản phẩm"))
    email = models.EmailField(_("email"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="stock_alerts")
    kind = models.CharField(_("báo khi"), max_length=10, choices=Kind.choices, default=Kind.STOCK)
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(_("đã báo lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("đăng ký nhận tin có hàng")
        constraints = [models.UniqueConstraint(fields=["product", "email"], name="stock_alert_once_per_email")]

class WishlistItem(models.Model):
    """A product a signed-in buyer keeps in their wishlist (“Yêu thích”)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wishlist")
    product = models.ForeignKey("catalog.ProductPage", on_delete=models.CASCADE, related_name="wishlisted",
                                verbose_name=_("sản phẩm"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sản phẩm yêu thích")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "product"], name="wishlist_once_per_product")]
