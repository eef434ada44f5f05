"""URLs of shop.gateways (included by storefront.urls, outside the language prefix: services call them).

VNPay's IPN address is registered with VNPay (it is not sent with each payment); MoMo's is sent."""

from django.urls import path

from shop.gateways import views

app_name = "gateways"

urlpatterns = [
    path("vnpay/ipn/", views.vnpay_ipn, name="vnpay_ipn"),  # /cong-thanh-toan/vnpay/ipn/
    path("vnpay/ket-qua/", views.vnpay_return, name="vnpay_return"),
    path("momo/ipn/", views.momo_ipn, name="momo_ipn"),
    path("momo/ket-qua/", views.momo_return, name="momo_return"),
]
