"""URLs of shop.transfers (included by storefront.urls, outside the language prefix: services call them)."""

from django.urls import path

from shop.transfers import views

app_name = "transfers"

urlpatterns = [
    path("casso/", views.casso_webhook, name="casso"),  # /chuyen-khoan/casso/: Casso's webhook v2
]
