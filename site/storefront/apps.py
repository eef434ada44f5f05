from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StorefrontConfig(AppConfig):
    name = "storefront"
    verbose_name = _("Trang chung")

    def ready(self):
        # Receivers import the models, which only exist once the apps are loaded: hence here.
        from storefront import signals  # noqa: F401
