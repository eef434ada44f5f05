from django.urls import path

from catalog import onboarding, questions, report_views, views

app_name = "catalog"

urlpatterns = [
    path("san-pham/", views.product_list, name="product_list"),
    path("tinh/", views.province_list, name="province_list"),
    path("tinh/<slug:slug>/", views.province_detail, name="province"),
    path("nhom/<slug:slug>/", views.group_detail, name="group"),
    path("dang-ky-chu-the/", onboarding.producer_signup, name="producer_signup"),
    path("san-pham/<int:product_id>/hoi/", questions.ask_view, name="ask_question"),
    path("bao-cao-vi-pham/<str:kind>/<int:pk>/", report_views.report_view, name="report_listing"),
]
