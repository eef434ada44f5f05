from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopConfig(AppConfig):
    """Cart, checkout, orders split per producer, and payments (COD, VietQR, Stripe)."""

    name = "shop"
    verbose_name = _("Cửa hàng")

    def ready(self):
        from shop import signals  # noqa: F401 - connects the receivers
