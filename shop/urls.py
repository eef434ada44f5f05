from django.urls import path

from shop import views

app_name = "shop"

urlpatterns = [
    path("gio-hang/", views.cart_view, name="cart"),
    path("gio-hang/them/", views.cart_add, name="cart_add"),
    path("gio-hang/cap-nhat/", views.cart_update, name="cart_update"),
    path("thanh-toan/", views.checkout, name="checkout"),
    path("don-hang/<str:number>/", views.order_detail, name="order"),
    path("don-hang/<str:number>/huy/", views.order_cancel, name="order_cancel"),
    path("don-hang/<str:number>/thanh-toan-the/", views.order_pay, name="order_pay"),
    path("dia-chi/xa/", views.communes, name="communes"),
]
