from django.urls import include, path

from shop import accounts, data_rights, guest_data, interest, views

app_name = "shop"

urlpatterns = [
    path("gio-hang/", views.cart_view, name="cart"),
    path("gio-hang/khach/", views.visitor, name="visitor"),
    path("gio-hang/them/", views.cart_add, name="cart_add"),
    path("gio-hang/cap-nhat/", views.cart_update, name="cart_update"),
    path("gio-hang/ma-giam-gia/", views.cart_voucher, name="cart_voucher"),
    path("thanh-toan/", views.checkout, name="checkout"),
    path("thanh-toan/tam-tinh/", views.checkout_quote, name="checkout_quote"),
    path("don-hang/<str:number>/", views.order_detail, name="order"),
    path("don-hang/<str:number>/huy/", views.order_cancel, name="order_cancel"),
    path("don-hang/<str:number>/thanh-toan-the/", views.order_pay, name="order_pay"),
    path("dia-chi/xa/", views.communes, name="communes"),
    path("bao-khi-co-hang/<int:product_id>/", interest.stock_alert, name="stock_alert"),
    path("tai-khoan/yeu-thich/<int:product_id>/", interest.wishlist_toggle, name="wishlist_toggle"),
    path("tai-khoan/", accounts.account, name="account"),
    path("tai-khoan/dang-nhap/", accounts.sign_in, name="login"),
    path("tai-khoan/dang-xuat/", accounts.sign_out, name="logout"),
    path("tai-khoan/dang-ky/", accounts.sign_up, name="signup"),
    path("tai-khoan/mat-khau/", accounts.password_reset, name="password_reset"),
    path("tai-khoan/mat-khau/da-gui/", accounts.password_reset_done, name="password_reset_done"),
    path("tai-khoan/mat-khau/xong/", accounts.password_reset_complete, name="password_reset_complete"),
    path("tai-khoan/mat-khau/<uidb64>/<token>/", accounts.password_reset_confirm, name="password_reset_confirm"),
    path("tai-khoan/du-lieu/", data_rights.my_data, name="my_data"),  # Law 91/2025: export, delete
    path("tai-khoan/du-lieu/tai-ve.<str:fmt>", data_rights.my_data_download, name="my_data_download"),
    path("du-lieu-ca-nhan/", guest_data.guest_request, name="guest_data"),  # the same, for guests, by e-mail link
    path("du-lieu-ca-nhan/<str:token>/", guest_data.guest_link, name="guest_data_link"),
    path("du-lieu-ca-nhan/<str:token>/tai-ve.<str:fmt>", guest_data.guest_download, name="guest_data_download"),
    path("tai-khoan/dia-chi/them/", accounts.address_add, name="address_add"),
    path("tai-khoan/dia-chi/<int:pk>/xoa/", accounts.address_delete, name="address_delete"),
    path("tai-khoan/nhan-don/", accounts.claim_orders_send, name="claim_orders_send"),
    path("tai-khoan/nhan-don/<str:token>/", accounts.claim_orders, name="claim_orders"),
    path("doi-tra/", include("shop.returns_urls")),  # returns and complaints: "shop:return_…"
    path("danh-gia/", include("shop.reviews_urls")),  # verified reviews: "shop:review_…"
]
