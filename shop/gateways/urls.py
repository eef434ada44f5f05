"""URLs of shop.gateways (included by storefront.urls, outside the language prefix: services call them)."""

urlpatterns = []
