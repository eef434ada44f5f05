"""The buyer's URLs of returns and complaints (`shop.return_views`), included by shop.urls under
"doi-tra/", so their names are "shop:return_…"."""

from django.urls import path

from shop import return_views

urlpatterns = [
    path("don/<str:number>/<int:suborder_id>/", return_views.open_request, name="return_open"),
    path("<uuid:public_id>/", return_views.detail, name="return_detail"),
    path("<uuid:public_id>/thao-tac/", return_views.action, name="return_action"),
    path("<uuid:public_id>/anh/<int:photo_id>/", return_views.photo, name="return_photo"),
]
