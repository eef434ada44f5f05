from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Danh mục OCOP")

    def ready(self):
        # Receivers import the models, which only exist once the apps are loaded: hence here.
        from catalog import signals  # noqa: F401
