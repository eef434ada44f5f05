"""URLs of shop.transfers (included by storefront.urls, outside the language prefix: services call them)."""

urlpatterns = []
