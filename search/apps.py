from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The product index and search pages."""

    name = "search"
    label = "product_search"
    verbose_name = _("Tìm kiếm sản phẩm")

    def ready(self):
        import_module("search.signals")  # connects the signal receivers
