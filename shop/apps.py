from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopConfig(AppConfig):
    """Cart, checkout, orders and payments: built by the shop issue."""

    name = "shop"
    verbose_name = _("Cửa hàng")
