"""The buyer's URLs of verified reviews (`shop.review_views`), included by shop.urls under "danh-gia/",
so their names are "shop:review_…"."""

from django.urls import path

from shop import review_views

urlpatterns = [
    path("don/<str:number>/<int:line_id>/", review_views.write, name="review_write"),
    path("<int:pk>/bao-cao/", review_views.report, name="review_report"),
]
