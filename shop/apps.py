from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopConfig(AppConfig):
    """Cart, checkout, orders split per producer, and payments (COD, VietQR, Stripe)."""

    name = "shop"
    verbose_name = _("Cửa hàng")

    def ready(self):
        # Receivers import the models, which only exist once the apps are loaded: hence here.
        import_module("shop.signals")
