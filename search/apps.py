from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The product index and search pages: built by the search issue."""

    name = "search"
    label = "product_search"
    verbose_name = _("Tìm kiếm sản phẩm")

    def ready(self):
        from search import signals  # noqa: F401
